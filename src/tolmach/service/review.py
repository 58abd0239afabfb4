"""Setting beads' review status in bulk (``tolmach review``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from tolmach.store import Bead, BeadStatus, Store


@dataclass
class ReviewReport:
    total: int = 0  # beads in the document
    changed: list[int] = field(default_factory=list)  # bead numbers
    unchanged: list[int] = field(default_factory=list)  # already in the asked state
    untranslated: list[int] = field(default_factory=list)  # no target: cannot be reviewed
    missing: list[int] = field(default_factory=list)  # numbers the document does not have


def review(store: Store, document_id: int, numbers: Sequence[int] | None, *, unreview: bool = False) -> ReviewReport:
    """Mark beads (by 1-based number; None: every translated one) reviewed, or back to edited.

    Nothing is written when a number does not exist (``missing`` says which); otherwise
    all changes go in one transaction, each journalled as a ``status`` revision.
    """
    from tolmach.service.beads import replace_run

    report = ReviewReport()
    with store.transaction() as s:
        beads = list(s.scalars(select(Bead).where(Bead.document_id == document_id).order_by(Bead.position)))
        report.total = len(beads)
        wanted = list(dict.fromkeys(numbers)) if numbers is not None else [n for n, b in enumerate(beads, 1) if b.target.strip()]
        report.missing = [n for n in wanted if not 1 <= n <= len(beads)]
        if report.missing:
            return report
        for n in wanted:
            bead = beads[n - 1]
            if not bead.target.strip():
                report.untranslated.append(n)
                continue
            reviewed = bead.status == BeadStatus.REVIEWED.value
            if reviewed != unreview:
                report.unchanged.append(n)
                continue
            snap = bead.snapshot()
            snap["status"] = BeadStatus.EDITED.value if unreview else BeadStatus.REVIEWED.value
            if not unreview:
                snap["flagged"] = False
            (new,) = replace_run(s, document_id, [bead], [snap], action="status", origin=s.info.get("author", ""))
            beads[n - 1] = new
            report.changed.append(n)
    return report
