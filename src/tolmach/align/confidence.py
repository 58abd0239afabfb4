"""The bead score: how likely a bead is right, from what the aligner knows about it.

The DP's posterior alone saturates: a bead the search had no close rival for scores ~1
even when it is wrong (a gold 2:2 split into two plausible 1:1s, a cross-translated
pair).  The score combines it with evidence the DP does not weigh as such, in a small
logistic model (:data:`tolmach.align.confidence_model.MODEL`) fitted on the development
sets only by ``benchmarks/align_fit_confidence.py``:

* the bead's posterior and that of the nodes it starts and ends at (``-log(1 - p)``);
* the similarity of its two runs, the weakest member of a merged run (its similarity to
  the other run), and the **margin** to the nearest rival: the same runs against the
  sentences just outside the bead (a sentence that matches its neighbour's translation
  as well as its own is doubtful);
* how many concepts the runs share (the evidence count);
* the length z-score (Gale–Church), the bead's cost per sentence against the skip level
  and its rank among the document's beads;
* the shape, and whether its neighbours are skips or merges; whether a skip lies where
  the other text has not started or has ended (a partial translation).

The model's output is a probability that the bead is right, so ``score < flag_below``
(0.5) means "probably wrong" on every set it was fitted on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tolmach.align.confidence_model import MODEL

if TYPE_CHECKING:
    from tolmach.align.aligner import AlignConfig, _Side

#: The features, in the order of the model's coefficients.
FEATURES: tuple[str, ...] = (
    "posterior", "nodes", "similarity", "weakest", "margin", "evidence", "length_z",
    "vs_skip", "cost_rank", "one_one", "skip", "merge", "larger", "skip_neighbours",
    "merge_neighbours", "edge_skip", "weak_cuts",
)  # fmt: skip

#: A sentence that ends without a full stop (or with a one- or two-letter abbreviation:
#: "Ch .", "J ."), or a sentence that starts in lower case: the sentence splitter may have
#: cut there, and a translator's sentence often spans the cut.
_FULL_STOP = re.compile(r"[.!?…»\"'”)\]]\s*$")
_ABBREVIATION = re.compile(r"(^|[\s(.\-])\w{1,2}\s?\.\s*$")


def weak_cuts(sentences: Sequence[str]) -> np.ndarray:
    """For every node k (0..n): is the cut between sentences k-1 and k doubtful?"""
    out = np.zeros(len(sentences) + 1, dtype=bool)
    for k in range(1, len(sentences)):
        before, after = sentences[k - 1].strip(), sentences[k].strip()
        out[k] = not _FULL_STOP.search(before) or bool(_ABBREVIATION.search(before)) or after[:1].islower()
    return out

_EPS = 1e-4


def _surprise(p: np.ndarray) -> np.ndarray:
    """-log(1 - p), clipped: a posterior's distance from certainty (0 .. 9.2)."""
    return -np.log(np.clip(1.0 - p, _EPS, 1.0))


def _run_sums(vec: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The summed rows ``vec[s:e]`` of each run (empty runs: zero)."""
    c = np.zeros((vec.shape[0] + 1, vec.shape[1]), dtype=np.float64)
    np.cumsum(vec, axis=0, dtype=np.float64, out=c[1:])
    return c[ends] - c[starts]


def _rows(vec: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Rows of ``vec`` at ``idx``, zero where the index is outside the text."""
    ok = (idx >= 0) & (idx < vec.shape[0])
    out = np.zeros((len(idx), vec.shape[1]), dtype=np.float64)
    out[ok] = vec[idx[ok]]
    return out


#: Beads whose vector features are computed at once (their run sums are (chunk, dim)
#: float64 arrays): the memory of the features stays that of one chunk.
CHUNK = 2048


def _vector_features(
    svec: np.ndarray, tvec: np.ndarray, s0: np.ndarray, s1: np.ndarray, t0: np.ndarray, t1: np.ndarray, cfg: AlignConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Similarity, best rival, weakest member and shared concepts of consecutive beads
    that tile ``svec`` / ``tvec`` (the sentences they span, and the one either side if
    the text has it: a neighbour index outside these rows is outside the text)."""
    from tolmach.align.aligner import _similarity

    k = len(s0)
    a, b = s1 - s0, t1 - t0
    both = (a > 0) & (b > 0)
    A = _run_sums(svec, s0, s1)
    B = _run_sums(tvec, t0, t1)
    na, nb = np.einsum("ij,ij->i", A, A), np.einsum("ij,ij->i", B, B)
    sim = np.where(both, _similarity(np.einsum("ij,ij->i", A, B), na, nb, np.maximum(a, 1), np.maximum(b, 1), cfg), 0.0)

    def sim_to(run: np.ndarray, nrun: np.ndarray, size: np.ndarray, rows: np.ndarray) -> np.ndarray:
        nr = np.einsum("ij,ij->i", rows, rows)
        return np.asarray(_similarity(np.einsum("ij,ij->i", run, rows), nrun, nr, np.maximum(size, 1), 1, cfg))

    # rivals: each run against the sentences just outside the other run
    rival = np.max(
        [
            sim_to(A, na, a, _rows(tvec, t0 - 1)) * (a > 0),
            sim_to(A, na, a, _rows(tvec, t1)) * (a > 0),
            sim_to(B, nb, b, _rows(svec, s0 - 1)) * (b > 0),
            sim_to(B, nb, b, _rows(svec, s1)) * (b > 0),
        ],
        axis=0,
    )
    # the weakest member of each run: its similarity to the other run
    weakest = sim.copy()
    for side, run, nrun, size, starts, ends, own in (
        (svec, B, nb, b, s0, s1, a),
        (tvec, A, na, a, t0, t1, b),
    ):
        bead_of = np.repeat(np.arange(k), own)  # the bead each sentence of this side is in
        members = side[starts[0] : ends[-1]].astype(np.float64)
        nm = np.einsum("ij,ij->i", members, members)
        ms = np.asarray(_similarity(np.einsum("ij,ij->i", members, run[bead_of]), nm, nrun[bead_of], 1, np.maximum(size[bead_of], 1), cfg))
        low = np.full(k, np.inf)
        np.minimum.at(low, bead_of, ms)
        weakest = np.where(both & (own > 1), np.minimum(weakest, low), weakest)
    shared = ((A != 0) & (B != 0)).sum(axis=1)
    return sim, rival, weakest, shared


def bead_features(
    src: _Side,
    tgt: _Side,
    ranges: np.ndarray,
    posterior: np.ndarray,
    node: np.ndarray,
    cfg: AlignConfig,
    ratio: float,
    level: float,
    weak: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """One row of :data:`FEATURES` per bead; ``ranges`` ``(k, 4)``: the beads of a whole
    text in order (``src_start, src_end, tgt_start, tgt_end``), tiling both sides;
    ``posterior`` / ``node``: the bead's and its end node's posterior; ``weak``: the
    :func:`weak_cuts` of both sides."""
    from tolmach.align.aligner import _gale_church, bead_cost

    k = len(ranges)
    out = np.zeros((k, len(FEATURES)), dtype=np.float64)
    if k == 0:
        return out
    s0, s1, t0, t1 = (ranges[:, c].astype(np.int64) for c in range(4))
    a, b = s1 - s0, t1 - t0
    n, m = src.size, tgt.size
    both = (a > 0) & (b > 0)
    # the vector features a chunk of beads at a time, on the sentences it spans (and one
    # either side): (chunk, dim) float64 sums, however long the text
    sim, rival, weakest, shared = (np.zeros(k) for _ in range(4))
    for k0 in range(0, k, CHUNK):
        k1 = min(k, k0 + CHUNK)
        lo_s, hi_s = max(int(s0[k0]) - 1, 0), min(int(s1[k1 - 1]) + 1, n)
        lo_t, hi_t = max(int(t0[k0]) - 1, 0), min(int(t1[k1 - 1]) + 1, m)
        part = slice(k0, k1)
        sim[part], rival[part], weakest[part], shared[part] = _vector_features(
            src.vec[lo_s:hi_s], tgt.vec[lo_t:hi_t],
            s0[part] - lo_s, s1[part] - lo_s, t0[part] - lo_t, t1[part] - lo_t, cfg,
        )  # fmt: skip
    la, lb = _run_sums(src.length[:, None], s0, s1)[:, 0], _run_sums(tgt.length[:, None], t0, t1)[:, 0]
    gc = np.where(both, _gale_church(la, lb, ratio, cfg.length_variance), 0.0)
    cost = level * (a + b).astype(np.float64)  # a skip: the skip level a sentence
    for x, y in {(int(x), int(y)) for x, y in zip(a[both], b[both])}:
        idx = both & (a == x) & (b == y)
        cost[idx] = bead_cost(cfg, x, y, sim[idx], gc[idx])
    per = cost / (a + b)
    rank = np.zeros(k)
    if both.any():
        order = np.argsort(np.argsort(per[both]))
        rank[both] = (order + 0.5) / both.sum()
    start_node = np.concatenate([[1.0], node[:-1]])
    skip = ~both
    merge = both & (a + b == 3)
    larger = both & (a + b > 3)
    prev_skip, next_skip = np.concatenate([[False], skip[:-1]]), np.concatenate([skip[1:], [False]])
    odd = merge | larger
    prev_odd, next_odd = np.concatenate([[False], odd[:-1]]), np.concatenate([odd[1:], [False]])
    edge = skip & np.where(a > 0, (t0 == 0) | (t0 == m), (s0 == 0) | (s0 == n))
    ws, wt = weak if weak is not None else (np.zeros(n + 1, dtype=bool), np.zeros(m + 1, dtype=bool))
    cuts = np.where(a > 0, ws[s0].astype(float) + ws[s1], 0.0) + np.where(b > 0, wt[t0].astype(float) + wt[t1], 0.0)
    cols = {
        "posterior": _surprise(posterior),
        "nodes": _surprise(np.minimum(start_node, node)),
        "similarity": sim,
        "weakest": weakest,
        "margin": np.where(both, sim, 0.0) - rival,
        "evidence": np.log1p(np.where(both, shared, 0)),
        "length_z": np.sqrt(2.0 * gc),
        "vs_skip": np.where(both, (level * (a + b) - cost) / (a + b) / max(level, 1e-6), 0.0),
        "cost_rank": rank,
        "one_one": (a == 1) & (b == 1),
        "skip": skip,
        "merge": merge,
        "larger": larger,
        "skip_neighbours": prev_skip.astype(float) + next_skip,
        "merge_neighbours": prev_odd.astype(float) + next_odd,
        "edge_skip": edge,
        "weak_cuts": cuts,
    }
    for c, name in enumerate(FEATURES):
        out[:, c] = cols[name]
    return out


def bead_scores(features: np.ndarray) -> np.ndarray:
    """The probability that each bead is right, from its :func:`bead_features` row."""
    if MODEL["features"] != list(FEATURES):
        raise RuntimeError("the bead-score model was fitted on other features: run benchmarks/align_fit_confidence.py")
    mean, scale = np.asarray(MODEL["mean"]), np.asarray(MODEL["scale"])
    z = (features - mean) / scale @ np.asarray(MODEL["coef"]) + float(MODEL["intercept"])
    return 1.0 / (1.0 + np.exp(-z))
