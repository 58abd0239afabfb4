"""Strict and lax precision, recall and F1 of sentence alignments, as Vecalign scores them.

The definitions follow Vecalign's ``score.py`` (after Sennrich & Volk 2011) so figures
are comparable with published ones: precision is over system beads (insertions and
deletions included), recall over gold beads without insertions/deletions (computed as
precision with the roles swapped), counts pooled over all documents.  *Strict* counts
exact bead matches; *lax* also counts a bead sharing at least one source-target link
with the gold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

Alignment = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _counts(gold: Iterable[Alignment], test: Iterable[Alignment]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` against ``gold``."""
    test_set = {(tuple(x), tuple(y)) for x, y in test if len(x) or len(y)}
    gold_set = {(tuple(x), tuple(y)) for x, y in gold if len(x) or len(y)}
    links: dict[int, set[int]] = defaultdict(set)
    for gs, gt in gold_set:
        for s in gs:
            links[s].update(gt)
    tps = fps = tpl = fpl = 0
    for ts, tt in test_set:
        if (ts, tt) in gold_set:
            tps += 1
            tpl += 1
            continue
        fps += 1
        near = set().union(*(links[s] for s in ts)) if ts else set()
        if near.intersection(tt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold_docs: Sequence[Sequence[Alignment]], test_docs: Sequence[Sequence[Alignment]]) -> Scores:
    """Pooled scores over documents (``gold_docs[k]`` pairs with ``test_docs[k]``)."""
    if len(gold_docs) != len(test_docs):
        raise ValueError("as many gold as test alignments are needed")
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(gold_docs, test_docs):
        for k, v in enumerate(_counts(gold, test)):
            p[k] += v
        test_no_del = [(x, y) for x, y in test if len(x) and len(y)]
        gold_no_del = [(x, y) for x, y in gold if len(x) and len(y)]
        for k, v in enumerate(_counts(test_no_del, gold_no_del)):
            r[k] += v
    ps, pl = _ratio(p[0], p[1]), _ratio(p[2], p[3])
    rs, rl = _ratio(r[0], r[1]), _ratio(r[2], r[3])
    return Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))


def score_one(gold: Sequence[Alignment], test: Sequence[Alignment]) -> Scores:
    return score([gold], [test])
