"""Undo and redo with a report of what changed, for front-ends to word.

:func:`tolmach.service.beads.undo` replays a revision backwards; this module adds what a
person needs around it: what the next undo would do (so a front-end can ask before it
throws away a person's translation), a report of what was undone, and redo (undoing the
undo: the latest change of a bead is an undo that nothing has followed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tolmach.errors import InputError
from tolmach.model import BeadStatus
from tolmach.service.beads import BeadView, _views, last_revision, rank, replace_run, undo_revision
from tolmach.store import Bead, Revision, Store

ACTION_NAMES = {
    "edit": "the edit",
    "status": "the status change",
    "flag": "the flag change",
    "machine": "the machine translation",
    "merge": "the merge",
    "split": "the split",
    "move": "the sentence move",
    "align": "the alignment",
    "import": "the import",
    "redo": "the redo",
    "undo": "the undone change",
}


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”" if text else "nothing"


@dataclass(frozen=True)
class Step:
    """One change that undo (or redo) would reverse."""

    action: str  # the revision's action
    numbers: tuple[int, ...]  # bead numbers (1-based) of the beads it produced
    old_text: str  # the English the change produced (joined)
    new_text: str  # the English reversing it brings back
    drops_human_text: bool  # reversing it throws away English a person typed or confirmed
    ids: tuple[int, ...] = ()  # ids of the beads it produced (what reversing it replaces)

    def describe(self, verb: str = "Undid") -> str:
        what = ACTION_NAMES.get(self.action, self.action)
        where = "bead " + "–".join(str(n) for n in sorted({self.numbers[0], self.numbers[-1]})) if self.numbers else "the bead"
        if self.old_text != self.new_text:
            return f"{verb} {what} of {where}: English {_short(self.old_text)} → {_short(self.new_text)}."
        return f"{verb} {what} of {where}."


def _step(session: Session, rev: Revision, *, forward: bool = False) -> Step:
    produced, restored = (rev.before, rev.after) if forward else (rev.after, rev.before)
    old = " ".join(s["target"] for s in produced if s["target"].strip())
    new = " ".join(s["target"] for s in restored if s["target"].strip())
    human = any(
        s["target"].strip() and BeadStatus(s["status"]).is_human and s["target"] not in new for s in produced
    )
    first = session.get(Bead, produced[0]["id"]) if produced else None
    base = rank(session, first) + 1 if first is not None else 0
    numbers = tuple(range(base, base + len(produced))) if base else ()
    return Step(rev.action, numbers, old, new, human, tuple(s["id"] for s in produced))


def peek_undo(store: Store, bead_id: int) -> Step | None:
    """What ``u`` would undo on this bead now (None: nothing left)."""
    with store.read() as s:
        rev = last_revision(s, bead_id)
        return _step(s, rev) if rev is not None else None


def undo_step(store: Store, bead_id: int) -> tuple[Step, list[BeadView]] | None:
    """Undo the latest change of a bead; the step undone and the beads it restored (one
    transaction: what is described is what is undone)."""
    with store.transaction() as s:
        rev = last_revision(s, bead_id)
        if rev is None:
            return None
        step = _step(s, rev)
        return step, undo_revision(s, rev, bead_id)


def _redoable(session: Session, bead_id: int) -> Revision | None:
    rev = session.scalar(
        select(Revision).where(Revision.touching(bead_id)).order_by(Revision.id.desc()).limit(1)
    )
    return rev if rev is not None and rev.action == "undo" and not rev.undone else None


def peek_redo(store: Store, bead_id: int) -> Step | None:
    with store.read() as s:
        rev = _redoable(s, bead_id)
        return _step(s, rev) if rev is not None else None


def redo_step(store: Store, bead_id: int, *, origin: str = "user") -> tuple[Step, list[BeadView]] | None:
    """Redo what the latest undo of this bead reversed (None: the bead's latest change is not an undo)."""
    with store.transaction() as s:
        rev = _redoable(s, bead_id)
        if rev is None:
            return None
        step = _step(s, rev)
        found = [s.get(Bead, snap["id"]) for snap in rev.after]
        current = [b for b in found if b is not None]
        if len(current) < len(found):
            raise InputError(f"Bead {bead_id} changed since the undo; there is nothing to redo.")
        created = replace_run(
            s, rev.document_id, current, [dict(b) for b in rev.before], action="redo", origin=origin,
            start=rev.after[0]["position"] if rev.after else None,
        )  # fmt: skip
        rev.undone = True
        return step, _views(s, created)


def latest_revision(store: Store, document_id: int) -> int:
    """The id of the document's latest revision (0 if none): a cheap "did anything change?"."""
    from sqlalchemy import func

    with store.read() as s:
        return s.scalar(select(func.max(Revision.id)).where(Revision.document_id == document_id)) or 0


def changed_since(store: Store, document_id: int, revision: int) -> list[Revision]:
    """Revisions of a document after ``revision``, oldest first (what another process did)."""
    with store.read() as s:
        rows = list(
            s.scalars(select(Revision).where(Revision.document_id == document_id, Revision.id > revision).order_by(Revision.id))
        )
        for r in rows:
            s.expunge(r)
        return rows


#: More revisions than this since the rows were read: read the document again instead.
CATCH_UP_LIMIT = 2000


def catch_up(store: Store, document_id: int, beads: list[BeadView], since: int) -> tuple[list[BeadView], int] | None:
    """``beads`` (the document as shown, up to revision ``since``) brought up to date.

    The revisions committed since (another process, machine translation in a worker) are
    replayed on the list by bead id, and only the beads they produced are read, with
    their source sentences: a machine draft of 50 beads reads 50 rows, not 20,000.
    Returns the new list (unchanged beads are the same objects) and the latest revision
    id, or None when the journal does not fit the rows (read the whole document then).
    """
    from sqlalchemy import func

    with store.read() as s:
        revs = s.execute(
            select(Revision.id, Revision.before, Revision.after)
            .where(Revision.document_id == document_id, Revision.id > since)
            .order_by(Revision.id)
            .limit(CATCH_UP_LIMIT + 1)
        ).all()
        if not revs:
            return list(beads), since
        if len(revs) > CATCH_UP_LIMIT:
            return None
        ids: list[int] = [b.id for b in beads]
        produced: set[int] = set()
        for _rid, before, after in revs:
            if not before and not after:
                continue
            old = [x["id"] for x in before]
            if not old:  # an insertion: where it goes is not in the journal's ids
                return None
            try:
                start = ids.index(old[0])
            except ValueError:
                return None
            if ids[start : start + len(old)] != old:
                return None
            ids[start : start + len(old)] = [x["id"] for x in after]
            produced.update(x["id"] for x in after)
        need = [i for i in ids if i in produced]
        rows: list[Bead] = []
        for k in range(0, len(need), 500):
            rows.extend(s.scalars(select(Bead).where(Bead.id.in_(need[k : k + 500]))))
        count = s.scalar(select(func.count()).select_from(Bead).where(Bead.document_id == document_id))
        if len(rows) != len(need) or count != len(ids):
            return None  # the rows moved under us: read them all
        places = {i: k for k, i in enumerate(ids) if i in produced}
        fresh = {v.id: v for v in _views_at(s, rows, places)}
        old_views = {b.id: b for b in beads}
        # (beads shifted by a merge above them keep their old ``position``, as after a splice:
        # front-ends number rows by index)
        out = [fresh.get(i) or old_views[i] for i in ids]
        return out, revs[-1][0]


def _views_at(session: Session, rows: list[Bead], places: dict[int, int]) -> list[BeadView]:
    """Views of beads spread over a document: their segments read by position, not the
    whole range between the first and the last; ``places``: bead id → rank."""
    from tolmach.service.beads import _view
    from tolmach.store import Segment

    if not rows:
        return []
    wanted = sorted({p for b in rows for p in range(b.src_start, b.src_end)})
    segs: dict[int, Segment] = {}
    for k in range(0, len(wanted), 500):
        for seg in session.scalars(
            select(Segment).where(Segment.document_id == rows[0].document_id, Segment.position.in_(wanted[k : k + 500]))
        ):
            segs[seg.position] = seg
    return [_view(b, [segs[p] for p in range(b.src_start, b.src_end)], b.src_start, places[b.id]) for b in rows]
