"""Typed SQLAlchemy 2.0 models: the bitext as documents, segments and beads.

A *segment* is an immutable source unit (sentence, heading, reference ...).  A *bead*
covers a contiguous run ``[src_start, src_end)`` of a document's segment positions and
holds the target text for that run, so 1:1, 2:1, 1:2, 1:0 and 0:1 units are one shape.
Every change to a bead (its target, status, or its extent through merge/split/align)
is journalled in :class:`Revision` with a JSON snapshot of what it replaced, which is
what makes every change undoable.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Enum as SQLEnum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tolmach.model import BeadStatus, NoteKind, SegmentKind

#: Frozen at 4.  The schema's version is now the Alembic head (``store/migrations``);
#: this number is still written to ``meta`` only so that releases from before Alembic
#: (which read schema 1 to 3) refuse a database written by this one.
SCHEMA_VERSION = 4


def _vocabulary(enum: type[Enum]) -> SQLEnum:
    """A column holding one of the core vocabulary's enums: stored as its value in a
    VARCHAR(16) exactly as before (no native enum type, no CHECK constraint, so the schema
    and existing databases are unchanged), read back as the enum member (a ``str``, so
    comparing with a plain string still works); writing a value outside the enum is refused."""
    return SQLEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=16,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Meta(Base):
    """Key/value facts about the database itself (schema version, creator)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportedFile(Base):
    """A file that was imported, recognised again by the SHA-256 of its bytes."""

    __tablename__ = "imported_files"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    encoding: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    documents: Mapped[list[Document]] = relationship(back_populates="file")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("imported_files.id", ondelete="SET NULL"))
    position_in_file: Mapped[int] = mapped_column(Integer, default=0)
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: translate | reference (:class:`tolmach.model.DocumentRole`); reference documents are
    #: never counted as untranslated.  New in issue 12: an existing database needs
    #: ``ALTER TABLE documents ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'translate'``.
    role: Mapped[str] = mapped_column(String(16), default="translate", server_default="translate")

    file: Mapped[ImportedFile | None] = relationship(back_populates="documents")
    segments: Mapped[list[Segment]] = relationship(
        back_populates="document", order_by="Segment.position", cascade="all, delete-orphan"
    )
    beads: Mapped[list[Bead]] = relationship(
        back_populates="document", order_by="Bead.position", cascade="all, delete-orphan"
    )


class Segment(Base):
    """An immutable source unit; the workbench never rewrites its text."""

    __tablename__ = "segments"
    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(_vocabulary(SegmentKind))
    lang: Mapped[str] = mapped_column(String(16))
    paragraph: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="segments")


#: Space between the positions of neighbouring beads when they are written: a split or an
#: undone merge puts its new bead between two others without renumbering the thousands after.
POSITION_GAP = 1024


class Bead(Base):
    """A unit of the bitext: source segments ``[src_start, src_end)`` and their target.

    ``position`` orders the beads of a document: increasing, not consecutive (written
    ``POSITION_GAP`` apart, so a split takes a number between its neighbours and renumbers
    nothing; only when a gap is used up are the later beads moved along, in one ``UPDATE``).
    The bead *number* people see and files carry is its rank, 1 + the beads before it
    (:func:`tolmach.service.beads.bead_number`), never ``position + 1``.
    """

    __tablename__ = "beads"
    __table_args__ = (
        Index("ix_beads_document_position", "document_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    src_start: Mapped[int] = mapped_column(Integer)
    src_end: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(_vocabulary(BeadStatus), default=BeadStatus.EMPTY)
    origin: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    flagged: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    #: Raised by every change; a save based on an older version is refused (no lost update).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    document: Mapped[Document] = relationship(back_populates="beads")

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to restore this bead exactly (used by revisions)."""
        return {
            "id": self.id,
            "position": self.position,
            "src_start": self.src_start,
            "src_end": self.src_end,
            "target": self.target,
            "status": self.status,
            "origin": self.origin,
            "score": self.score,
            "flagged": self.flagged,
            "version": self.version,
        }


class Revision(Base):
    """One journalled change.  ``before`` holds snapshots of every bead it replaced.

    ``bead_id`` is a plain column, not a foreign key: history outlives a bead that a
    merge removed, so the merge can be undone.
    """

    __tablename__ = "revisions"
    __table_args__ = (
        Index("ix_revisions_bead", "bead_id"),
        Index("ix_revisions_document", "document_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    bead_id: Mapped[int] = mapped_column(Integer)  # the bead the change is shown under
    action: Mapped[str] = mapped_column(String(16))  # edit, status, machine, merge, split, align, import, undo
    before: Mapped[list[Any]] = mapped_column(JSON)  # bead snapshots replaced by this change
    after: Mapped[list[Any]] = mapped_column(JSON)  # bead snapshots after it
    origin: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")  # the person who made it (--user, $TOLMACH_USER, login)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone: Mapped[bool] = mapped_column(default=False)
    #: Every bead in ``after`` (one row each in ``revision_beads``).
    touched: Mapped[list[RevisionBead]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @staticmethod
    def touching(bead_id: int) -> ColumnElement[bool]:
        """The condition "this revision produced bead ``bead_id``" (an indexed lookup)."""
        return Revision.id.in_(select(RevisionBead.revision_id).where(RevisionBead.bead_id == bead_id))


class RevisionBead(Base):
    """A bead a revision produced: the revision↔bead join (``bead_id`` is no foreign key,
    for the same reason as :attr:`Revision.bead_id`)."""

    __tablename__ = "revision_beads"
    __table_args__ = (Index("ix_revision_beads_bead", "bead_id"),)

    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"), primary_key=True)
    bead_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Note(Base):
    """A note on a bead: translator's note, editorial comment, footnote, imported note.

    Notes hang on a source *segment* (immutable), not on a bead (which merge, split and
    align replace), so a note follows its sentence through every structure edit; a
    bead's notes are the notes of its segments.  ``anchor`` is the target-text word or
    phrase the note is attached to ("" for the whole bead).
    """

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_segment", "segment_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(_vocabulary(NoteKind), default=NoteKind.TRANSLATOR)
    anchor: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GlossaryEntry(Base):
    """One term of a bilingual glossary (columns mirror ``glossaries/*.tsv``)."""

    __tablename__ = "glossary_entries"
    __table_args__ = (
        UniqueConstraint("glossary", "src_lang", "tgt_lang", "term"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    glossary: Mapped[str] = mapped_column(Text, default="default")
    src_lang: Mapped[str] = mapped_column(String(16))
    tgt_lang: Mapped[str] = mapped_column(String(16))
    term: Mapped[str] = mapped_column(Text)
    preferred: Mapped[str] = mapped_column(Text)
    variants: Mapped[list[Any]] = mapped_column(JSON, default=list)
    abbreviation: Mapped[str] = mapped_column(Text, default="")
    expansion: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class GlossaryWord(Base):
    """The lemmas of one word of the glossary's terms (``tolmach.glossary.match.analyse``),
    analysed once and kept: a large glossary's first match reads them instead of running
    the analyser on every word of every term.  ``meta`` names the analyser they came from."""

    __tablename__ = "glossary_words"

    word: Mapped[str] = mapped_column(Text, primary_key=True)  # folded: lower case, ё as е
    lemmas: Mapped[list[Any]] = mapped_column(JSON)


class GlossaryKey(Base):
    """What the longest word of each form of a glossary entry can be matched by
    (``tolmach.glossary.match.anchor_keys``, cut to ``KEY_CHARS``): the index that finds the
    entries a text can contain.  An entry with no keys has not been indexed yet; one with
    no words has the empty key."""

    __tablename__ = "glossary_keys"
    __table_args__ = (Index("ix_glossary_keys_key", "key"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("glossary_entries.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)


class Reading(Base):
    """A confirmed reading of a misprinted word of a source segment (the historian's
    apparatus): ``segment.text[start:end]`` is printed ``sic`` and read ``reading``.

    The segment's text never changes; machine translation, glossary matching and the
    other tools read the segment through its readings (``tolmach.service.apparatus``).
    """

    __tablename__ = "readings"
    __table_args__ = (
        UniqueConstraint("segment_id", "start"),
        Index("ix_readings_document", "document_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sic: Mapped[str] = mapped_column(Text)
    reading: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32), default="")  # detector's reason, "" when typed by hand
    author: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AlignStats(Base):
    """The project's alignment knowledge for one language pair, kept up to date
    incrementally (:func:`tolmach.service.alignment.project_counts`): word co-occurrence counts and lengths
    over every aligned bead and imported memory unit of the database, and which bead texts
    and memories they include."""

    __tablename__ = "align_stats"
    __table_args__ = (UniqueConstraint("src_lang", "tgt_lang"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    src_lang: Mapped[str] = mapped_column(String(16))
    tgt_lang: Mapped[str] = mapped_column(String(16))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class TmMemory(Base):
    """An external translation memory imported as it is (TMX, XLIFF, TSV, JSONL), without
    touching any bead; its units answer fuzzy matches and concordance searches."""

    __tablename__ = "tm_memories"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    path: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(16), default="")
    src_lang: Mapped[str] = mapped_column(String(16), default="und")
    tgt_lang: Mapped[str] = mapped_column(String(16), default="und")
    author: Mapped[str] = mapped_column(Text, default="")  # who imported it
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TmUnit(Base):
    """One source/target pair of an external memory."""

    __tablename__ = "tm_units"
    __table_args__ = (Index("ix_tm_units_memory", "memory_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    memory_id: Mapped[int] = mapped_column(ForeignKey("tm_memories.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    src_lang: Mapped[str] = mapped_column(String(16), default="und")
    tgt_lang: Mapped[str] = mapped_column(String(16), default="und")
    origin: Mapped[str] = mapped_column(Text, default="")  # document/bead or origin named in the file
    status: Mapped[str] = mapped_column(String(16), default="")


class ChangeGroup(Base):
    """Revisions made by one action across beads that are not one contiguous run (the
    repetitions of a confirmed sentence), so they are undone as one change."""

    __tablename__ = "change_groups"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "repetitions"
    bead_id: Mapped[int] = mapped_column(Integer)  # the bead whose confirmation caused it
    revision_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    author: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone: Mapped[bool] = mapped_column(default=False)


class Draft(Base):
    """Text typed into the workbench editor that is not yet a saved edit (autosave).

    One row per bead, written about a second after the last keystroke and deleted when
    the text is saved; ``base`` is the bead's target when typing began, so a draft is
    only offered back while the bead still holds that target (a later save or another
    person's edit makes it stale).  A plain table, not a revision: a draft is not a change.
    """

    __tablename__ = "drafts"

    bead_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    base: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
