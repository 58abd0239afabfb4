"""Unsaved drafts: the workbench editor's text, written about a second after each pause.

A draft is not an edit (no revision, the bead keeps its status); it only makes typed text
survive a terminal that dies.  It is offered back when its bead is opened again, as long
as the bead still holds the target the draft was typed over (``base``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from tolmach.store import Draft, Store


@dataclass(frozen=True)
class DraftView:
    bead_id: int
    text: str
    base: str


def save_draft(store: Store, document_id: int, bead_id: int, text: str, base: str) -> None:
    """Insert or replace the draft of one bead (one short transaction)."""
    with store.transaction() as s:
        row = s.get(Draft, bead_id)
        if row is None:
            s.add(Draft(bead_id=bead_id, document_id=document_id, text=text, base=base, author=s.info.get("author", "")))
        else:
            row.document_id, row.text, row.base = document_id, text, base


def drafts_in(store: Store, document_id: int) -> dict[int, DraftView]:
    """Bead id → draft, for every draft of a document."""
    with store.read() as s:
        rows = s.execute(select(Draft.bead_id, Draft.text, Draft.base).where(Draft.document_id == document_id)).all()
    return {r.bead_id: DraftView(r.bead_id, r.text, r.base) for r in rows}


def discard_draft(store: Store, bead_id: int) -> None:
    with store.transaction() as s:
        s.execute(delete(Draft).where(Draft.bead_id == bead_id))


def live_draft(draft: DraftView | None, target: str) -> str | None:
    """The draft's text if it should be offered for a bead whose target is ``target``."""
    if draft is None or draft.base != target or draft.text == target:
        return None
    return draft.text
