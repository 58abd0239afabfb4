"""The bead dynamic program on a band of the (source × target) node grid.

A node ``(i, j)`` means "the first i source and j target sentences are aligned"; a bead
of shape ``a:b`` is an edge from ``(i-a, j-b)`` to ``(i, j)``.  Every row ``i`` keeps only
columns ``lo[i] .. lo[i]+width-1`` (the band), ``lo`` never decreasing, so time and
memory grow with ``rows × width`` instead of ``rows × columns``.  A full search is the
band with ``lo = 0`` and ``width = columns + 1``.

Rows are processed one at a time with whole-row numpy operations; the within-row 0:1
(insertion) chain is a running minimum over prefix sums, so no Python loop runs over
columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Bead shapes searched, (source sentences, target sentences).  1:0 and 0:1 are always
#: present and handled specially (0:1 by the row scan).
SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0))
INSERTION = (0, 1)

INF = np.float32(1e30)


@dataclass(frozen=True)
class Band:
    """Columns kept per row: ``lo[i] .. lo[i] + width - 1`` (clipped to the grid)."""

    lo: np.ndarray  # int64, shape (rows + 1,), non-decreasing, lo[0] == 0
    width: int

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        return cls(np.zeros(n + 1, dtype=np.int64), m + 1)

    def columns(self) -> np.ndarray:
        """Absolute target node index of every band cell, shape (rows + 1, width)."""
        return self.lo[:, None] + np.arange(self.width)[None, :]

    @property
    def cells(self) -> int:
        return int(self.lo.shape[0]) * self.width


def band_from_path(path: Sequence[tuple[int, int]], n: int, m: int, margin: int) -> Band:
    """A band around a monotone path of nodes (e.g. a coarse alignment scaled up).

    Each path node ``(i, j)`` claims rows ``i ± margin`` and columns ``j ± margin``; the
    band is the tightest one (per row) holding all claims, plus the two grid corners.
    """
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = sorted(set(path) | {(0, 0), (n, m)})
    for (i0, j0), (i1, j1) in zip(pts, pts[1:]):
        # the segment between consecutive path nodes, as the rectangle they span
        r0, r1 = max(0, min(i0, i1) - margin), min(n, max(i0, i1) + margin)
        c0, c1 = max(0, min(j0, j1) - margin), min(m, max(j0, j1) + margin)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1)
    lo[0] = 0
    hi[n] = m
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # non-decreasing
    hi = np.maximum.accumulate(hi)
    width = int((hi - lo).max()) + 1
    return Band(lo, min(width, m + 1))


def search(
    costs: dict[tuple[int, int], np.ndarray],
    insertion: np.ndarray,
    band: Band,
    m: int,
) -> list[tuple[int, int, int, int]]:
    """Cheapest bead sequence from node (0, 0) to (n, m).

    ``costs[(a, b)]`` has shape (rows + 1, width): the cost of the a:b bead ending at each
    band cell (``inf`` where impossible).  ``insertion`` likewise holds the 0:1 cost.
    Returns beads as ``(src_start, src_end, tgt_start, tgt_end)``.
    """
    lo, width = band.lo, band.width
    rows = lo.shape[0]
    n = rows - 1
    cols = band.columns()
    D = np.full((rows, width), INF, dtype=np.float32)
    back = np.full((rows, width), -1, dtype=np.int8)
    shapes = list(costs)
    ins_code = len(shapes)
    for i in range(rows):
        x = np.full(width, INF, dtype=np.float32)
        bx = np.full(width, -1, dtype=np.int8)
        if i == 0:
            x[0] = 0.0
            bx[0] = -2  # start
        for code, (a, b) in enumerate(shapes):
            if a > i:
                continue
            shift = int(lo[i] - lo[i - a]) - b  # column t in row i comes from t+shift in row i-a
            t0 = max(0, -shift)
            t1 = min(width, width - shift)
            if t1 <= t0:
                continue
            cand = D[i - a, t0 + shift : t1 + shift] + costs[(a, b)][i, t0:t1]
            better = cand < x[t0:t1]
            x[t0:t1] = np.where(better, cand, x[t0:t1])
            bx[t0:t1] = np.where(better, code, bx[t0:t1])
        # 0:1 chain along the row: D[t] = min(x[t], D[t-1] + ins[t])
        ins = insertion[i].astype(np.float64)
        ins[0] = 0.0
        csum = np.cumsum(ins)
        run = np.minimum.accumulate(x.astype(np.float64) - csum) + csum
        from_left = run < x - 1e-6
        D[i] = np.minimum(run, INF).astype(np.float32)
        back[i] = np.where(from_left, ins_code, bx)
        D[i, cols[i] > m] = INF
    # trace back from (n, m)
    t = int(m - lo[n])
    if not 0 <= t < width or D[n, t] >= INF:
        raise RuntimeError("the band does not reach the end of both texts")
    beads: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i, j - lo[i]])
        if code == ins_code:
            a, b = INSERTION
        elif code >= 0:
            a, b = shapes[code]
        else:
            raise RuntimeError(f"broken back-pointer at node ({i}, {j})")
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _lse(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """-log(exp(-a) + exp(-b)), elementwise: the soft minimum of two costs."""
    return -np.logaddexp(-a, -b)


def posteriors(
    costs: dict[tuple[int, int], np.ndarray],
    insertion: np.ndarray,
    band: Band,
    m: int,
    beads: Sequence[tuple[int, int, int, int]],
    temperature: float = 1.0,
) -> list[float]:
    """Posterior probability of each given bead among all bead sequences in the band,
    with P(sequence) ∝ exp(-cost / temperature) — the forward–backward counterpart of
    :func:`search` on the same cost arrays, so a bead is sure exactly when the DP had no
    close alternative to it."""
    lo, width = band.lo, band.width
    rows = lo.shape[0]
    n = rows - 1
    cols = band.columns()
    T = float(temperature)
    big = 1e30
    C = {k: np.where(v >= INF, np.inf, v.astype(np.float64) / T) for k, v in costs.items()}
    ins = np.where(insertion >= INF, np.inf, insertion.astype(np.float64) / T)
    outside = cols > m
    # forward: A[i, t] = soft-min over paths from (0, 0) to node (i, lo[i] + t)
    A = np.full((rows, width), np.inf)
    for i in range(rows):
        x = np.full(width, np.inf)
        if i == 0:
            x[0] = 0.0
        for (a, b), c in C.items():
            if a > i:
                continue
            shift = int(lo[i] - lo[i - a]) - b
            t0, t1 = max(0, -shift), min(width, width - shift)
            if t1 <= t0:
                continue
            x[t0:t1] = _lse(x[t0:t1], A[i - a, t0 + shift : t1 + shift] + c[i, t0:t1])
        # 0:1 chain: A[t] = lse(x[t], A[t-1] + ins[t]) = csum[t] + lse_{k<=t}(x[k] - csum[k])
        step = ins[i].copy()
        step[0] = 0.0
        step = np.where(np.isinf(step), big, step)
        csum = np.cumsum(step)
        run = -np.logaddexp.accumulate(-(np.minimum(x, big) - csum)) + csum
        A[i] = np.where(run >= big / 2, np.inf, run)
        A[i, outside[i]] = np.inf
    # backward: B[i, t] = soft-min over paths from node (i, lo[i] + t) to (n, m)
    B = np.full((rows, width), np.inf)
    for i in range(n, -1, -1):
        y = np.full(width, np.inf)
        if i == n:
            y[m - lo[n]] = 0.0
        for (a, b), c in C.items():
            if i + a > n:
                continue
            shift = int(lo[i] - lo[i + a]) + b  # column t in row i goes to t+shift in row i+a
            t0, t1 = max(0, -shift), min(width, width - shift)
            if t1 <= t0:
                continue
            y[t0:t1] = _lse(y[t0:t1], B[i + a, t0 + shift : t1 + shift] + c[i + a, t0 + shift : t1 + shift])
        # 0:1 chain backwards: B[t] = lse(y[t], ins[t+1] + B[t+1])
        step = np.zeros(width)
        step[:-1] = ins[i, 1:]
        step = np.where(np.isinf(step), big, step)
        # reverse running soft-min: B[t] = lse_{k>=t}(y[k] + sum(step[t..k-1]))
        rcsum = np.concatenate([[0.0], np.cumsum(step[:-1])])  # rcsum[k] = sum step[0..k-1]
        val = np.minimum(y, big) + rcsum
        run = -np.logaddexp.accumulate(-val[::-1])[::-1] - rcsum
        B[i] = np.where(run >= big / 2, np.inf, run)
        B[i, outside[i]] = np.inf
    Z = A[n, m - lo[n]]
    out = []
    for s0, s1, t0, t1 in beads:
        a, b = s1 - s0, t1 - t0
        c = ins[s1, t1 - lo[s1]] if (a, b) == INSERTION else C[(a, b)][s1, t1 - lo[s1]]
        logp = -(A[s0, t0 - lo[s0]] + c + B[s1, t1 - lo[s1]] - Z)
        out.append(float(np.exp(min(0.0, logp))) if np.isfinite(logp) else 0.0)
    return out
