"""Who changed a bead, what, and when: its revisions as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tolmach.errors import InputError
from tolmach.service.beads import bead_by_number
from tolmach.service.documents import find_document
from tolmach.store import Bead, Revision, RevisionBead, Store


@dataclass(frozen=True)
class HistoryEntry:
    revision_id: int
    when: datetime
    author: str  # "" for changes made before authors were recorded
    action: str  # edit, status, machine, merge, split, move, align, import, undo ...
    origin: str
    before: str  # the bead's target before the change ("" when the bead did not exist)
    after: str
    before_status: str
    after_status: str
    undone: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision_id,
            "when": self.when.isoformat(timespec="seconds"),
            "author": self.author,
            "action": self.action,
            "origin": self.origin,
            "before": self.before,
            "after": self.after,
            "before_status": self.before_status,
            "after_status": self.after_status,
            "undone": self.undone,
        }


def _side(snaps: list[dict[str, Any]], bead_id: int) -> tuple[str, str]:
    mine = [s for s in snaps if s.get("id") == bead_id] or snaps
    return " ".join(s.get("target", "") for s in mine).strip(), (mine[0].get("status", "") if mine else "")


def bead_history(store: Store, document: str | int, number: int) -> list[HistoryEntry]:
    """Every change that produced bead ``number`` (1-based) of a document, newest first."""
    with store.read() as s:
        doc = find_document(s, document)
        bead = bead_by_number(s, doc.id, number)
        bead_id = bead.id if bead is not None else None
        if bead_id is None:
            raise InputError(f'Document "{doc.name}" has no bead {number}; `tolmach show "{doc.name}"` lists them.')
        revs = s.scalars(
            select(Revision).where(Revision.document_id == doc.id, Revision.touching(bead_id)).order_by(Revision.id.desc())
        )
        out = []
        for r in revs:
            before, before_status = _side(r.before, bead_id)
            after, after_status = _side(r.after, bead_id)
            out.append(HistoryEntry(r.id, r.created_at, r.author, r.action, r.origin, before, after, before_status, after_status, r.undone))
        return out


@dataclass(frozen=True)
class Authorship:
    """Who made a bead's first and latest change, and when (its revisions, undone or not:
    an undo is itself the latest change)."""

    first_author: str
    first_when: datetime
    author: str  # of the latest change
    when: datetime
    action: str


def authorship(store: Store, document_id: int) -> dict[int, Authorship]:
    """For each bead of a document that was ever changed: who changed it first and last.

    One pass over the document's revisions; what exports write as a TMX
    ``creationid``/``changeid`` and dates, an XLIFF or JSONL author field."""
    out: dict[int, Authorship] = {}
    with store.read() as s:
        rows = s.execute(
            select(RevisionBead.bead_id, Revision.author, Revision.created_at, Revision.action)
            .join(Revision, Revision.id == RevisionBead.revision_id)
            .where(Revision.document_id == document_id)
            .order_by(Revision.id)
        )
        for bead_id, author, when, action in rows:
            first = out.get(bead_id)
            out[bead_id] = Authorship(first.first_author if first else author, first.first_when if first else when,
                                      author, when, action)
        live = set(s.scalars(select(Bead.id).where(Bead.document_id == document_id)))
    return {k: v for k, v in out.items() if k in live}
