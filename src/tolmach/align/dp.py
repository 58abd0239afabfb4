"""The bead dynamic program, run on many small windows at once.

A node ``(i, j)`` means "the first i source and j target sentences are aligned"; a bead
of shape ``a:b`` is an edge from ``(i-a, j-b)`` to ``(i, j)``.  A long text is not
searched as one grid: the coarse alignment (:mod:`.aligner`) cuts it at nodes it is sure
of into windows of a few dozen sentences a side, and every window is an independent
grid.  The windows are stacked into arrays of shape ``(windows, rows + 1, cols + 1)``
(padded with ``INF``), so each step of the DP is one numpy operation over *all* windows:
the Python loop runs over the rows of one window (a few dozen), not over the sentences
of the text.  The within-row 0:1 (insertion) chain is a running minimum over prefix
sums, so no loop runs over columns either.  A short text is one window.

:func:`search` finds the cheapest bead sequence of each window; :func:`posteriors` is its
forward–backward counterpart on the same cost arrays: the probability of each chosen
bead and each node of the path among all bead sequences, with P(path) ∝ exp(-cost / T).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Bead shapes searched, (source sentences, target sentences).  1:0 and 0:1 are always
#: present and handled specially (0:1 by the row scan).
SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0))
INSERTION = (0, 1)

INF = np.float32(1e30)

_BIG = 1e6  # an impossible step inside prefix sums (exact in float64, unlike INF)

Costs = dict[tuple[int, int], np.ndarray]
Range = tuple[int, int, int, int]


def search(costs: Costs, insertion: np.ndarray, ends: np.ndarray) -> list[list[Range]]:
    """Cheapest bead sequence of every window, from node (0, 0) to its ``ends[w]``.

    ``costs[(a, b)][w, i, j]``: the cost of the a:b bead ending at node (i, j) of window
    w (``INF`` where impossible); ``insertion`` likewise holds the 0:1 cost.  Returns,
    per window, beads as ``(src_start, src_end, tgt_start, tgt_end)`` in window
    coordinates.
    """
    W, R1, C1 = insertion.shape
    shapes = list(costs)
    ins_code = len(shapes)
    D = np.full((W, R1, C1), INF, dtype=np.float32)
    back = np.full((W, R1, C1), -1, dtype=np.int8)
    past_col = np.arange(C1)[None, :] > ends[:, 1:]
    for i in range(R1):
        x = np.full((W, C1), INF, dtype=np.float32)
        bx = np.full((W, C1), -1, dtype=np.int8)
        if i == 0:
            x[:, 0] = 0.0
            bx[:, 0] = -2  # start
        for code, (a, b) in enumerate(shapes):
            if a > i or b >= C1:
                continue
            cand = D[:, i - a, : C1 - b] + costs[(a, b)][:, i, b:]
            better = cand < x[:, b:]
            x[:, b:] = np.where(better, cand, x[:, b:])
            bx[:, b:] = np.where(better, code, bx[:, b:])
        # 0:1 chain along the row: D[t] = min(x[t], D[t-1] + ins[t])
        # (an impossible step costs _BIG, not INF, so the prefix sums stay exact)
        ins = np.minimum(insertion[:, i].astype(np.float64), _BIG)
        ins[:, 0] = 0.0
        csum = np.cumsum(ins, axis=1)
        run = np.minimum.accumulate(np.minimum(x, _BIG).astype(np.float64) - csum, axis=1) + csum
        run = np.where(run >= _BIG / 2, INF, run)
        D[:, i] = np.where(past_col, INF, run).astype(np.float32)
        back[:, i] = np.where(run < x - 1e-6, ins_code, bx)
    out = []
    for w in range(W):
        i, j = int(ends[w, 0]), int(ends[w, 1])
        if D[w, i, j] >= INF:
            raise RuntimeError("no bead sequence reaches the end of a window")
        beads: list[Range] = []
        while i > 0 or j > 0:
            code = int(back[w, i, j])
            if code == ins_code:
                a, b = INSERTION
            elif code >= 0:
                a, b = shapes[code]
            else:
                raise RuntimeError(f"broken back-pointer at node ({i}, {j})")
            beads.append((i - a, i, j - b, j))
            i, j = i - a, j - b
        beads.reverse()
        out.append(beads)
    return out


def _softmin(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """-log(exp(-a) + exp(-b)), elementwise: the soft minimum of two costs."""
    return -np.logaddexp(-a, -b)


#: Stands for an impossible step inside prefix sums: large against any path's cost, small
#: enough that float64 sums around it stay exact.
_BIG = 1e6


def _chain(x: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Soft-min running chain along axis 1, ``y[t] = softmin(x[t], y[t-1] + step[t])``,
    for all windows at once (``step[:, 0]`` is 0)."""
    step = np.where(np.isinf(step), _BIG, step)
    csum = np.cumsum(step, axis=1)
    run = -np.logaddexp.accumulate(-(np.minimum(x, _BIG) - csum), axis=1) + csum
    return np.where(run >= _BIG / 2, np.inf, run)


def posteriors(
    costs: Costs,
    insertion: np.ndarray,
    ends: np.ndarray,
    beads: Sequence[Sequence[Range]],
    temperature: float = 1.0,
) -> tuple[list[list[float]], list[list[float]]]:
    """Per window: the posterior probability of each given bead, and of the node each
    bead ends at, among all bead sequences of the window."""
    W, R1, C1 = insertion.shape
    T = float(temperature)
    C = {k: np.where(v >= INF, np.inf, v.astype(np.float64) / T) for k, v in costs.items()}
    ins = np.where(insertion >= INF, np.inf, insertion.astype(np.float64) / T)
    rows = np.arange(R1)[None, :]
    cols = np.arange(C1)[None, :]
    past_row = rows > ends[:, :1]  # (W, R1)
    past_col = cols > ends[:, 1:]  # (W, C1)
    # forward: A[w, i, j] = soft-min over paths from (0, 0) to (i, j)
    A = np.full((W, R1, C1), np.inf)
    for i in range(R1):
        x = np.full((W, C1), np.inf)
        if i == 0:
            x[:, 0] = 0.0
        for (a, b), c in C.items():
            if a > i or b >= C1:
                continue
            x[:, b:] = _softmin(x[:, b:], A[:, i - a, : C1 - b] + c[:, i, b:])
        step = ins[:, i].copy()
        step[:, 0] = 0.0
        A[:, i] = _chain(x, step)
        A[:, i][past_col | past_row[:, i : i + 1]] = np.inf
    # backward: B[w, i, j] = soft-min over paths from (i, j) to the window's end
    B = np.full((W, R1, C1), np.inf)
    ew = np.arange(W)
    for i in range(R1 - 1, -1, -1):
        y = np.full((W, C1), np.inf)
        at_end = ends[:, 0] == i
        y[ew[at_end], ends[at_end, 1]] = 0.0
        for (a, b), c in C.items():
            if i + a >= R1 or b >= C1:
                continue
            y[:, : C1 - b] = _softmin(y[:, : C1 - b], B[:, i + a, b:] + c[:, i + a, b:])
        # 0:1 chain backwards: B[t] = softmin(y[t], ins[t+1] + B[t+1])
        B[:, i] = _reverse_chain(y, ins[:, i])
        B[:, i][past_col | past_row[:, i : i + 1]] = np.inf
    out_beads, out_nodes = [], []
    for w in range(W):
        Z = A[w, ends[w, 0], ends[w, 1]]
        pb, pn = [], []
        for s0, s1, t0, t1 in beads[w]:
            shape = (s1 - s0, t1 - t0)
            c = ins[w, s1, t1] if shape == INSERTION else C[shape][w, s1, t1]
            pb.append(_prob(A[w, s0, t0] + c + B[w, s1, t1] - Z))
            pn.append(_prob(A[w, s1, t1] + B[w, s1, t1] - Z))
        out_beads.append(pb)
        out_nodes.append(pn)
    return out_beads, out_nodes


def _reverse_chain(y: np.ndarray, ins_row: np.ndarray) -> np.ndarray:
    """``B[t] = softmin(y[t], ins[t+1] + B[t+1])`` along axis 1 for all windows."""
    W, C1 = y.shape
    step = np.full((W, C1), np.inf)
    step[:, :-1] = ins_row[:, 1:]  # cost of going from t to t+1
    step = np.where(np.isinf(step), _BIG, step)
    # B[t] = softmin_k>=t (y[k] + sum_{t<=u<k} step[u]); with r[k] = sum_{u<k} step[u]:
    # B[t] = softmin_k>=t (y[k] + r[k]) - r[t]
    r = np.concatenate([np.zeros((W, 1)), np.cumsum(step[:, :-1], axis=1)], axis=1)
    val = np.minimum(y, _BIG) + r
    run = -np.logaddexp.accumulate(-val[:, ::-1], axis=1)[:, ::-1] - r
    return np.where(run >= _BIG / 2, np.inf, run)


def _prob(neg_log: float) -> float:
    if not np.isfinite(neg_log):
        return 0.0
    return float(np.exp(-max(0.0, neg_log)))
