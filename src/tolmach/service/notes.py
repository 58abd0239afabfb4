"""Notes on beads: translator's notes, editorial comments, footnotes, imported notes.

A note is stored on the first source segment of the bead it was written on, so it
survives merges, splits and re-alignment; a bead shows the notes of all its segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tolmach.errors import InputError
from tolmach.model import NoteKind
from tolmach.service.beads import bead_number
from tolmach.store import Bead, Note, Segment, Store


@dataclass(frozen=True)
class NoteView:
    id: int
    kind: NoteKind
    anchor: str
    text: str
    author: str
    created_at: datetime
    segment_position: int


def _segments_of(session: Session, bead: Bead) -> list[Segment]:
    return list(
        session.scalars(
            select(Segment)
            .where(
                Segment.document_id == bead.document_id,
                Segment.position >= bead.src_start,
                Segment.position < bead.src_end,
            )
            .order_by(Segment.position)
        )
    )


def add_note_in(session: Session, bead: Bead, text: str, *, kind: NoteKind | str = NoteKind.TRANSLATOR, anchor: str = "") -> Note:
    """Attach a note to ``bead`` inside an open transaction (for importers)."""
    text = text.strip()
    if not text:
        raise InputError("A note needs some text.")
    segments = _segments_of(session, bead)
    if not segments:
        raise InputError(f"Bead #{bead_number(session, bead)} has no source sentence to attach a note to.")
    note = Note(
        document_id=bead.document_id,
        segment_id=segments[0].id,
        kind=NoteKind(kind).value,
        anchor=anchor,
        text=text,
        author=session.info.get("author", ""),
    )
    session.add(note)
    return note


def add_note(store: Store, bead_id: int, text: str, *, kind: NoteKind | str = NoteKind.TRANSLATOR, anchor: str = "") -> int:
    """Attach a note to a bead; returns the note's id."""
    with store.transaction() as s:
        bead = s.get(Bead, bead_id)
        if bead is None:
            raise InputError(f"There is no bead with id {bead_id}.")
        note = add_note_in(s, bead, text, kind=kind, anchor=anchor)
        s.flush()
        return note.id


def notes_in(session: Session, bead: Bead) -> list[NoteView]:
    rows = session.execute(
        select(Note, Segment.position)
        .join(Segment, Note.segment_id == Segment.id)
        .where(
            Segment.document_id == bead.document_id,
            Segment.position >= bead.src_start,
            Segment.position < bead.src_end,
        )
        .order_by(Segment.position, Note.id)
    )
    return [
        NoteView(n.id, NoteKind(n.kind), n.anchor, n.text, n.author, n.created_at, pos) for n, pos in rows
    ]


def notes_for(store: Store, bead_id: int) -> list[NoteView]:
    """The notes of a bead's segments, in reading order."""
    with store.read() as s:
        bead = s.get(Bead, bead_id)
        if bead is None:
            raise InputError(f"There is no bead with id {bead_id}.")
        return notes_in(s, bead)


def delete_note(store: Store, note_id: int) -> None:
    with store.transaction() as s:
        note = s.get(Note, note_id)
        if note is None:
            raise InputError(f"There is no note with id {note_id}.")
        s.delete(note)
