"""Persistence: SQLAlchemy 2.0 models, a SQLite file or a PostgreSQL server, Alembic migrations."""

from tolmach.model import BeadStatus
from tolmach.store.db import Change, ChangeWatcher, Store, open_store, upgrade_database
from tolmach.store.models import (
    POSITION_GAP,
    Bead,
    Document,
    Draft,
    GlossaryEntry,
    ImportedFile,
    Meta,
    Note,
    Revision,
    RevisionBead,
    Segment,
)

__all__ = [
    "POSITION_GAP",
    "Bead",
    "Change",
    "ChangeWatcher",
    "BeadStatus",
    "Document",
    "Draft",
    "GlossaryEntry",
    "ImportedFile",
    "Meta",
    "Note",
    "Revision",
    "RevisionBead",
    "Segment",
    "Store",
    "open_store",
    "upgrade_database",
]
