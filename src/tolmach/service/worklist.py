"""Rules about which beads need work, shared by the workbench and the CLI.

Filters, progress (counted in source segments, not beads), what "unconfirmed" means, the
review toggle, the machine-translation overwrite rule and the single-line rule for
targets live here, so every front-end words the same facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tolmach.model import BeadStatus
from tolmach.qa.checks import QAWarning
from tolmach.service.beads import BeadView, set_flag, set_status
from tolmach.store import Store

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

#: Statuses as stored (plain strings: the filters below compare 20,000 beads in one key press,
#: and an enum member's ``.value`` per bead costs several times the comparison).
_MACHINE, _REVIEWED = BeadStatus.MACHINE.value, BeadStatus.REVIEWED.value
_HUMAN = frozenset(s.value for s in BeadStatus if s.is_human)

#: Filter name → (one-line description, which beads it keeps).  ``warnings`` maps bead
#: id → QA warnings (only the "warnings" filter needs them).
FILTERS: dict[str, tuple[str, Callable[[BeadView, Mapping[int, list[QAWarning]]], bool]]] = {
    "all": ("every bead", lambda b, w: True),
    "empty": ("beads with no English yet", lambda b, w: not b.target.strip()),
    "unconfirmed": ("beads no person has confirmed (empty, machine, imported) or flagged", lambda b, w: is_unconfirmed(b)),
    "machine": ("machine drafts", lambda b, w: b.status == _MACHINE),
    "warnings": ("beads with QA warnings", lambda b, w: bool(w.get(b.id))),
    "needs review": ("beads flagged for review", lambda b, w: b.flagged),
    "reviewed": ("reviewed beads", lambda b, w: b.status == _REVIEWED),
}


def filter_rows(beads: Sequence[BeadView], name: str, warnings: Mapping[int, list[QAWarning]] | None = None) -> list[int]:
    """Indices of ``beads`` that the filter ``name`` keeps."""
    if name == "all":
        return list(range(len(beads)))
    keep = FILTERS[name][1]
    w = warnings or {}
    return [i for i, b in enumerate(beads) if keep(b, w)]


def is_translated(bead: BeadView) -> bool:
    """What every progress count means by "translated": the bead has English (whatever its
    status; :func:`translated_sql` is the same rule in SQL)."""
    return bool(bead.target.strip())


def translated_sql() -> ColumnElement[bool]:
    """:func:`is_translated` as a SQL condition on :class:`~tolmach.store.Bead`."""
    from sqlalchemy import func

    from tolmach.store import Bead

    return func.trim(Bead.target) != ""


def is_unconfirmed(bead: BeadView) -> bool:
    """Not yet confirmed by a person: no English, a machine or imported draft, or flagged."""
    return bead.flagged or not bead.target.strip() or bead.status not in _HUMAN


@dataclass(frozen=True)
class Progress:
    segments: int  # source segments in the document
    translated: int  # source segments whose bead has English
    reviewed: int  # source segments whose bead is reviewed
    beads: int
    flagged: int  # beads flagged for review

    @property
    def ratio(self) -> float:
        return self.translated / self.segments if self.segments else 0.0

    def __str__(self) -> str:
        return f"{self.translated}/{self.segments} sentences translated ({self.ratio:.0%})"


def progress(beads: Sequence[BeadView]) -> Progress:
    """Progress counted in source segments: a 3:1 bead with English counts 3."""
    segments = translated = reviewed = flagged = 0
    for b in beads:
        n = b.src_end - b.src_start
        segments += n
        if is_translated(b):
            translated += n
            if b.status == BeadStatus.REVIEWED.value:
                reviewed += n
        if b.flagged:
            flagged += 1
    return Progress(segments, translated, reviewed, len(beads), flagged)


def next_matching(beads: Sequence[BeadView], start: int, keep: Callable[[BeadView], bool]) -> int | None:
    """Index of the first bead after ``start`` (wrapping round) that ``keep`` accepts."""
    n = len(beads)
    for step in range(1, n + 1):
        i = (start + step) % n
        if keep(beads[i]):
            return i
    return None


class ReviewRefused(Exception):
    """The bead cannot be reviewed (no English and no flag to clear)."""


def toggle_review(store: Store, bead: BeadView, *, origin: str = "user") -> BeadView:
    """The review key: reviewed ↔ edited; on a flagged bead with no English it clears the
    flag (a 1:0 bead an aligner flagged is confirmed as having no English)."""
    if not bead.target.strip():
        if bead.flagged:
            return set_flag(store, bead.id, False, origin=origin)
        raise ReviewRefused(f"Bead {bead.number} has no English to review yet.")
    new = BeadStatus.EDITED if bead.status == BeadStatus.REVIEWED.value else BeadStatus.REVIEWED
    return set_status(store, bead.id, new, origin=origin)


def mt_may_overwrite(bead: BeadView) -> bool:
    """Machine translation may replace an empty bead or a machine draft, never a person's text."""
    return bead.status in (BeadStatus.EMPTY.value, BeadStatus.MACHINE.value) or not bead.target.strip()


def single_line(text: str) -> str:
    """A target as stored: line breaks typed or pasted into the editor become spaces."""
    if "\n" not in text and "\r" not in text:
        return text
    return " ".join(part.strip() for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if part.strip())


def document_progress(store: Store) -> dict[int, Progress]:
    """Document id → progress in source segments, for every document (one aggregate query)."""
    from sqlalchemy import case, func, select

    from tolmach.store import Bead

    n = Bead.src_end - Bead.src_start
    has_text = translated_sql()
    with store.read() as s:
        rows = s.execute(
            select(
                Bead.document_id,
                func.sum(n),
                func.sum(case((has_text, n), else_=0)),
                func.sum(case((has_text & (Bead.status == BeadStatus.REVIEWED.value), n), else_=0)),
                func.count(),
                func.sum(case((Bead.flagged, 1), else_=0)),
            ).group_by(Bead.document_id)
        ).all()
    return {r[0]: Progress(int(r[1] or 0), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0)) for r in rows}


def changed_progress(current: Progress, removed: Sequence[BeadView], added: Sequence[BeadView]) -> Progress:
    """``current`` after replacing the beads ``removed`` by ``added`` (no full recount)."""
    a, r = progress(added), progress(removed)
    return Progress(
        current.segments + a.segments - r.segments,
        current.translated + a.translated - r.translated,
        current.reviewed + a.reviewed - r.reviewed,
        current.beads + a.beads - r.beads,
        current.flagged + a.flagged - r.flagged,
    )
