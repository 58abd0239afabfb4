"""Persistence: SQLAlchemy 2.0 models and the SQLite engine set-up."""

from tolmach.store.db import Store, open_store
from tolmach.store.models import (
    Bead,
    BeadStatus,
    Document,
    Draft,
    GlossaryEntry,
    ImportedFile,
    Meta,
    Note,
    Revision,
    Segment,
)

__all__ = [
    "Bead",
    "BeadStatus",
    "Document",
    "Draft",
    "GlossaryEntry",
    "ImportedFile",
    "Meta",
    "Note",
    "Revision",
    "Segment",
    "Store",
    "open_store",
]
