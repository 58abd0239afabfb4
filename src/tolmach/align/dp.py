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

A run of 0:1 beads may be priced as an affine gap: its first ``full`` beads cost
``insertion``, each following one ``extend`` (both cost arrays, given by the caller), so a
block of untranslated lines is one omission rather than many.

:func:`search` finds the cheapest bead sequence of each window; :func:`posteriors` is its
forward–backward counterpart on the same cost arrays: the probability of each chosen
bead and each node of the path among all bead sequences, with P(path) ∝ exp(-cost / T).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from types import ModuleType

import numpy as np

#: Bead shapes searched, (source sentences, target sentences).  1:0 and 0:1 are always
#: present and handled specially (0:1 by the row scan).
SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0))
INSERTION = (0, 1)
DELETION = (1, 0)

INF = np.float32(1e30)

_BIG = 1e6  # an impossible step inside prefix sums (exact in float64, unlike INF)

Costs = dict[tuple[int, int], np.ndarray]
Range = tuple[int, int, int, int]
#: :func:`best_costs`' answer: the best costs ``D`` and the back-pointer arrays
Best = tuple[np.ndarray, tuple[np.ndarray, ...]]

#: The environment variable that keeps the numpy code below even when numba is installed.
BACKEND_ENV = "TOLMACH_DP"
_compiled: list[ModuleType | None] = []  # [the .dp_jit module, or None], once looked for


def compiled() -> ModuleType | None:
    """:mod:`.dp_jit` (the same DP compiled by numba) when numba is installed and
    ``TOLMACH_DP`` is not ``numpy``; else None (the numpy code of this module runs).
    numba is imported here, at the first window searched, not at start-up."""
    if os.environ.get(BACKEND_ENV, "").lower() == "numpy":
        return None
    if not _compiled:
        module: ModuleType | None
        try:
            from . import dp_jit

            module = dp_jit
        except ImportError:  # numba is optional (the `fast` extra)
            module = None
        except RuntimeError:  # numba without a writable cache directory: the numpy code
            module = None
        _compiled.append(module)
    return _compiled[0]


def best_costs(
    costs: Costs,
    insertion: np.ndarray,
    ends: np.ndarray,
    extend: np.ndarray | None = None,
    full: int = 1,
    extend_del: np.ndarray | None = None,
) -> Best:
    """The cost of the cheapest bead sequence from (0, 0) to every node of every window,
    ``D[w, i, j]`` (``INF`` where no sequence reaches), and back-pointers: the shape code
    of its last bead (index into ``list(costs)``, ``len(costs)`` for 0:1, -2 at the
    start), the code of the last bead that is not 0:1, and where a run of 0:1 beads
    ending at the node starts (its column).  ``extend``: the cost of a 0:1 bead after the
    first ``full`` beads of a run (None: the same as ``insertion``); ``extend_del``
    likewise for runs of 1:0 beads down a column (None: 1:0 is priced as any shape), and
    then two more back-pointers: the code of the last bead that is not 1:0, and where
    the run of 1:0 beads ending at the node starts (its row).  Runs compiled
    (:func:`compiled`) when numba is there."""
    jit = compiled()
    if jit is not None:
        best: Best = jit.best_costs(costs, insertion, ends, extend, full, extend_del)
        return best
    return best_costs_numpy(costs, insertion, ends, extend, full, extend_del)


def best_costs_numpy(
    costs: Costs,
    insertion: np.ndarray,
    ends: np.ndarray,
    extend: np.ndarray | None = None,
    full: int = 1,
    extend_del: np.ndarray | None = None,
) -> Best:
    """:func:`best_costs` as numpy operations over all windows at once (the reference)."""
    W, R1, C1 = insertion.shape
    shapes = list(costs)
    ins_code = len(shapes)
    # the answers are filled a row at a time, so they are laid out by row, (rows, windows,
    # cols), and returned as (windows, rows, cols) views: a row of every window is then one
    # contiguous block, and a shape's candidates over it one flat operation (shifted by b
    # columns, the window before is read where the shape's cost is INF)
    N = W * C1
    D = np.full((R1, W, C1), INF, dtype=np.float32)
    back = np.full((R1, W, C1), -1, dtype=np.int8)
    first = np.full((R1, W, C1), -1, dtype=np.int8)
    start = np.zeros((R1, W, C1), dtype=np.int32)
    cols = np.arange(C1)[None, :]
    past_col = np.arange(C1)[None, :] > ends[:, 1:]
    # runs of 1:0 beads: per run state l (the l-th bead of a run, the last also for every
    # later one) the best cost down each column, and the row its run started at
    dcode = shapes.index(DELETION) if extend_del is not None and DELETION in costs else None
    if dcode is not None:
        nodel = np.full((R1, W, C1), -1, dtype=np.int8)
        dstart = np.zeros((R1, W, C1), dtype=np.int32)
        prev_nd = np.full((W, C1), INF, dtype=np.float32)  # row i-1, paths not ending in 1:0
        prev_d = [np.full((W, C1), INF, dtype=np.float32) for _ in range(full)]
        prev_s = [np.zeros((W, C1), dtype=np.int32) for _ in range(full)]
    cand: np.ndarray  # float32 for the beads, float64 for the 0:1 runs
    for i in range(R1):
        x = np.full((W, C1), INF, dtype=np.float32)
        bx = np.full((W, C1), -1, dtype=np.int8)
        if i == 0:
            x[:, 0] = 0.0
            bx[:, 0] = -2  # start
        xf, bxf = x.reshape(-1), bx.reshape(-1)
        for code, (a, b) in enumerate(shapes):
            if a > i or b >= C1 or code == dcode:
                continue
            c = costs[(a, b)][:, i].copy()
            c[:, :b] = INF  # (no such bead; so the window before, read there, never wins)
            cand = D[i - a].reshape(-1)[: N - b] + c.reshape(-1)[b:]
            better = cand < xf[b:]
            np.minimum(xf[b:], cand, out=xf[b:])  # = copyto where better; masked copies are slow
            np.putmask(bxf[b:], better, code)
        if dcode is not None:
            xreg, bxreg = x.copy(), bx.copy()
            if i > 0:
                assert extend_del is not None  # dcode is set only then
                c, e = costs[DELETION][:, i], extend_del[:, i]
                dels = [prev_nd + c] + [prev_d[l - 1] + c for l in range(1, full)]
                sts = [np.full((W, C1), i - 1, dtype=np.int32)] + [prev_s[l - 1] for l in range(1, full)]
                cand = prev_d[-1] + e
                better = cand < dels[-1]
                dels[-1] = np.where(better, cand, dels[-1])
                sts[-1] = np.where(better, prev_s[-1], sts[-1])
                for d, st in zip(dels, sts):
                    better = d < x
                    np.copyto(x, d, where=better)
                    np.copyto(bx, dcode, where=better)
                    np.copyto(dstart[i], st, where=better)
                prev_d, prev_s = dels, sts
        # 0:1 runs along the row, from the best non-0:1 arrival x[s] at a column s < t: the
        # run's first `full` beads cost ins, the rest ext; short runs are `full` shifted
        # candidates, longer ones a running minimum over prefix sums
        # (an impossible step costs _BIG, not INF, so the prefix sums stay exact)
        ins: np.ndarray = np.minimum(insertion[:, i].astype(np.float64), _BIG)
        ext: np.ndarray = ins if extend is None else np.minimum(extend[:, i].astype(np.float64), _BIG)
        cs_i = np.zeros((W, C1 + 1))
        cs_e = np.zeros((W, C1 + 1))
        np.cumsum(ins, axis=1, out=cs_i[:, 1:])
        np.cumsum(ext, axis=1, out=cs_e[:, 1:])
        xx = np.minimum(x, _BIG).astype(np.float64)
        run = np.full((W, C1), np.inf)
        arg = np.zeros((W, C1), dtype=np.int64)
        for L in range(1, min(full, C1 - 1) + 1):  # runs of L ≤ full beads: s = t - L
            cand = xx[:, : C1 - L] + cs_i[:, L + 1 :] - cs_i[:, 1 : C1 - L + 1]
            better = cand < run[:, L:]
            np.minimum(run[:, L:], cand, out=run[:, L:])
            np.putmask(arg[:, L:], better, cols[:, : C1 - L])
        if C1 > full + 1:  # longer runs: s ≤ t - full - 1
            k = full
            h = xx[:, : C1 - k] + cs_i[:, k + 1 :] - cs_i[:, 1 : C1 - k + 1] - cs_e[:, k + 1 :]
            M = np.minimum.accumulate(h, axis=1)
            at = np.maximum.accumulate(np.where(h <= M, cols[:, : C1 - k], 0), axis=1)
            cand = M[:, : C1 - k - 1] + cs_e[:, k + 2 :]
            better = cand < run[:, k + 1 :]
            np.minimum(run[:, k + 1 :], cand, out=run[:, k + 1 :])
            np.putmask(arg[:, k + 1 :], better, at[:, : C1 - k - 1])
        run = np.where(run >= _BIG / 2, INF, run)
        take = run < x - 1e-6
        D[i] = np.where(past_col, INF, np.where(take, run, x)).astype(np.float32)
        back[i] = np.where(take, ins_code, bx)
        first[i] = bx
        start[i] = arg
        if dcode is not None:
            by_run = run < xreg - 1e-6
            prev_nd = np.where(past_col, INF, np.where(by_run, run, xreg)).astype(np.float32)
            nodel[i] = np.where(by_run, ins_code, bxreg)
    pointers = (back, first, start, nodel, dstart) if dcode is not None else (back, first, start)
    return D.transpose(1, 0, 2), tuple(p.transpose(1, 0, 2) for p in pointers)


def search(costs: Costs, insertion: np.ndarray, ends: np.ndarray, best: Best | None = None) -> list[list[Range]]:
    """Cheapest bead sequence of every window, from node (0, 0) to its ``ends[w]``.

    ``costs[(a, b)][w, i, j]``: the cost of the a:b bead ending at node (i, j) of window
    w (``INF`` where impossible); ``insertion`` likewise holds the 0:1 cost.  Returns,
    per window, beads as ``(src_start, src_end, tgt_start, tgt_end)`` in window
    coordinates.  ``best``: :func:`best_costs` of these arrays, if already computed.
    """
    D, pointers = best if best is not None else best_costs(costs, insertion, ends)
    back, first, start = pointers[:3]
    runs_del = len(pointers) > 3  # 1:0 runs priced on their own, with their own pointers
    nodel, dstart = pointers[3:] if runs_del else (back, start)  # (these then unused)
    shapes = list(costs)
    ins_code = len(shapes)
    dcode = shapes.index(DELETION) if runs_del else None
    out = []
    for w in range(D.shape[0]):
        i, j = int(ends[w, 0]), int(ends[w, 1])
        if D[w, i, j] >= INF:
            raise RuntimeError("no bead sequence reaches the end of a window")
        beads: list[Range] = []
        after = None  # at the start of a run of 0:1 (1:0) beads: the bead before is not one
        while i > 0 or j > 0:
            pointer = first if after == "ins" else nodel if after == "del" else back
            code = int(pointer[w, i, j])
            after = None
            if code == ins_code:
                s0 = int(start[w, i, j])
                beads.extend((i, i, t - 1, t) for t in range(j, s0, -1))
                j, after = s0, "ins"
                continue
            if code == dcode:
                s0 = int(dstart[w, i, j])
                beads.extend((r - 1, r, j, j) for r in range(i, s0, -1))
                i, after = s0, "del"
                continue
            if code >= 0:
                a, b = shapes[code]
            else:
                raise RuntimeError(f"broken back-pointer at node ({i}, {j})")
            beads.append((i - a, i, j - b, j))
            i, j = i - a, j - b
        beads.reverse()
        out.append(beads)
    return out


def _scan(y: np.ndarray, f: np.ndarray) -> np.ndarray:
    """``y[t] += f[t] * y[t-1]`` along axis 1, in place, for all windows at once: a linear
    recurrence solved by doubling (log2 of the row length numpy steps, not one per column).
    ``f[:, 0]`` is ignored."""
    g = f.copy()
    g[:, 0] = 0.0
    s = 1
    while s < y.shape[1]:
        y[:, s:] += g[:, s:] * y[:, :-s]
        g[:, s:] *= g[:, :-s]
        s *= 2
    return y


def _scan_log(ly: np.ndarray, lf: np.ndarray) -> np.ndarray:
    """:func:`_scan` in the log domain: ``ly[t] = logaddexp(ly[t], lf[t] + ly[t-1])``, in
    place.  Unrolled, ``ly[t] = G[t] + log sum_{s <= t} exp(ly[s] - G[s])`` with ``G`` the
    prefix sums of ``lf``: one cumulative sum and one ``logaddexp.accumulate``.  A step
    that is impossible (-inf) is taken as a finite floor so far below everything else in
    the row (1000 below any term of a sum that does not cross it) that what crosses it
    vanishes in float64."""
    fin = np.isfinite(lf[:, 1:])
    fly = ly[np.isfinite(ly)]
    span = float(np.abs(np.where(fin, lf[:, 1:], 0.0)).sum(axis=1).max(initial=0.0))
    span += float(fly.max() - fly.min()) if fly.size else 0.0
    g = np.maximum(lf, -(span + 1000.0))
    g[:, 0] = 0.0
    G = np.cumsum(g, axis=1)
    ly[...] = G + np.logaddexp.accumulate(ly - G, axis=1)
    return ly


def _by_row(rows: np.ndarray, flat: np.ndarray, R1: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each row 0..R1-1: the positions k with ``rows[k]`` equal to it, and their ``flat``."""
    order = np.argsort(rows, kind="stable")
    cut = np.searchsorted(rows[order], np.arange(R1 + 1))
    return [(order[cut[i] : cut[i + 1]], flat[order[cut[i] : cut[i + 1]]]) for i in range(R1)]


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        out: np.ndarray = np.log(x)
    return out


def posteriors(
    costs: Costs,
    insertion: np.ndarray,
    ends: np.ndarray,
    beads: Sequence[Sequence[Range]],
    temperature: float = 1.0,
    best: Best | None = None,
    overwrite: bool = False,
    extend: np.ndarray | None = None,
    full: int = 1,
    extend_del: np.ndarray | None = None,
    run: Callable[[list[Callable[[], tuple[np.ndarray, ...]]]], list[tuple[np.ndarray, ...]]] | None = None,
) -> tuple[list[list[float]], list[list[float]]]:
    """Per window: the posterior probability of each given bead, and of the node each
    bead ends at, among all bead sequences of the window (P(path) ∝ exp(-cost / T)).

    Forward–backward, every node's sums taken relative to the cheapest path reaching it
    (``D``, from :func:`best_costs`): a step from node u to v with cost c weighs
    ``f = exp(-(D[u] + c - D[v]) / T)``, one exponential per cell and shape for both
    passes.  For the paths that do not end in a run that weight is ≤ 1 and their sums are
    kept as probabilities.  ``extend``, ``full``: 0:1 runs priced as for
    :func:`best_costs`; a node then has a sum each way for the paths that reach it by the
    l-th 0:1 bead of a run (l = 1 .. full, the last also for every later one);
    ``extend_del`` likewise for runs of 1:0 beads, whose states are carried from row to
    row.  A run's own best cost at a node may be far above ``D`` there and its cheap
    extension then weighs far more than 1 (float32's exp overflowed, times a sum that
    underflowed: NaN, issue #17), so the run states' sums and the run steps' weights are
    kept as logarithms (float64), and only their totals at a node, which are ≤ 1 per
    path, as probabilities.  ``best``: :func:`best_costs` of these arrays, if already
    computed; ``overwrite``: the other cost arrays may be replaced by their weights
    (saves their memory; the numpy code only); ``run``: given the forward and the backward
    pass (functions of nothing, independent), their results in that order, e.g. from two
    processes (default: one after the other).  Runs compiled (:func:`compiled`) when
    numba is there.
    """
    W, R1, C1 = insertion.shape
    T = float(temperature)
    D = (best if best is not None else best_costs(costs, insertion, ends, extend, full, extend_del))[0]
    runs_del = extend_del is not None and DELETION in costs
    jit = compiled()
    if jit is not None:  # the same sums, by compiled loops over the cells
        sums = jit.posterior_sums(costs, insertion, ends, beads, T, D, extend, full, extend_del)
        return _combine(beads, sums, full, runs_del)
    # D as a step's start (unreached: +inf) and as its end (unreached: -inf), so a step
    # from or to an unreached node weighs exp(-inf) = 0 without masking every shape
    # (by row, (rows, windows, cols), flat: see below)
    D_rows = np.ascontiguousarray(D.transpose(1, 0, 2)).reshape(-1)  # (no copy when D is by row, as best_costs' is)
    unreached = D_rows >= INF / 2
    from_rows = np.where(unreached, np.inf, D_rows.astype(np.float64))
    to_rows = np.where(unreached, -np.inf, from_rows)
    del unreached, D_rows
    # the weight of every step (the same arrays serve the forward and the backward pass);
    # the exponent in float64 (it is a small difference of large path costs), its
    # exponential in float32 (a weight in 0..1)
    F: dict[tuple[int, int], np.ndarray] = {}
    steps: list[tuple[tuple[int, int], np.ndarray]] = [*costs.items(), (INSERTION, insertion)]
    if extend is not None:
        steps.append(((0, -1), extend))
    if runs_del:
        assert extend_del is not None  # runs_del says so
        steps.append(((-1, 0), extend_del))
    # the steps of runs (0:1, and 1:0 when priced so) keep the exponent itself, in float64:
    # a run's path has its own later steps (the cheap extensions), so its cost at a node
    # may be far above D there and a step out of it far cheaper than D[u] + c - D[v]
    # allows (exp overflows); its sums are kept as logarithms (issue #17)
    logged = {INSERTION, (0, -1)} | ({DELETION, (-1, 0)} if runs_del else set())
    # The weights are laid out by row, (rows, windows, cols), so one row of every window is
    # one contiguous (windows * cols) block: a step's sum over a row is then one flat
    # operation, not one per window (the shift by b columns reads the window before at a
    # window's first b columns, where the step's weight is 0).  Their exponents are taken
    # the same way, flat from the step's first cell (what they read across a window's
    # first b columns is overwritten after).  With ``overwrite`` a cost array's memory is
    # reused for its weights (read first, for the exponents).
    for key, c in steps:
        a, b = abs(key[0]), abs(key[1])
        log = key in logged
        reuse = overwrite and not log and c.dtype == np.float32 and c.flags.c_contiguous
        lo = a * W * C1 + b  # the step's first cell, by row
        e = None
        if a < R1 and b < C1:
            e = from_rows[: from_rows.size - lo] + np.ascontiguousarray(c.transpose(1, 0, 2)).reshape(-1)[lo:]
            e -= to_rows[lo:]
            e *= -1.0 / T
        # (with reuse: the same memory by row; c is read no more)
        out = c.reshape(R1, W, C1) if reuse else np.empty((R1, W, C1), dtype=np.float64 if log else np.float32)
        if e is not None:
            if log:
                out.reshape(-1)[lo:] = e
            else:
                with np.errstate(over="ignore"):  # (only where overwritten below)
                    np.exp(e.astype(np.float32), out=out.reshape(-1)[lo:])
        out[:a] = -np.inf if log else 0.0
        out[:, :, :b] = -np.inf if log else 0.0
        F[key] = out
        del e
    del from_rows, to_rows
    # log-weights of the run steps
    fins = F.pop(INSERTION)
    fext = F.pop((0, -1), fins)  # a 0:1 bead after a 0:1 bead
    if runs_del:  # 1:0 beads go by their own states
        fdel, fdext = F.pop(DELETION), F.pop((-1, 0))
    shapes = list(F.items())
    # the beads and nodes asked about; the passes keep only the last few rows of A and B
    # (a ring of 1 + the tallest bead's rows) and note these cells as their rows are done
    counts = [len(bs) for bs in beads]
    flat = np.array([r for bs in beads for r in bs], dtype=np.int64).reshape(-1, 4)
    w = np.repeat(np.arange(len(counts)), counts)
    s0, s1, t0, t1 = flat.T
    ring = 1 + max((a for a, _ in F), default=1)
    ew, N = np.arange(W), W * C1
    # per row: the beads starting (ending) on it, and their node as a flat index of a row's (W, C1)
    starting, ending = _by_row(s0, w * C1 + t0, R1), _by_row(s1, w * C1 + t1, R1)

    def forward() -> tuple[np.ndarray, ...]:
        # forward: A[w, i, j] = sum over paths from (0, 0) to (i, j) of exp(-(cost - D[i, j]) / T),
        # noted at the beads' start and end nodes; the same per run state, as logarithms:
        # paths that reach the node by the l-th 0:1 bead of a run, and by the l-th 1:0 bead
        # of a run (-inf when 1:0 is priced as any shape)
        A_start, A_end, Z = np.zeros(len(w)), np.zeros(len(w)), np.zeros(W)
        R_start, R_end, E_start, E_end = (np.full((full, len(w)), -np.inf) for _ in range(4))
        prev_nd = np.zeros((W, C1))  # row i-1: paths not ending in 1:0
        prev_e = [np.full((W, C1), -np.inf) for _ in range(full)]
        A = np.zeros((ring, W, C1))
        A_flat = A.reshape(ring, -1)
        for i in range(R1):
            x = np.zeros((W, C1))
            if i == 0:
                x[:, 0] = 1.0
            flat_x = x.reshape(-1)
            for (a, b), f in shapes:
                if a > i or b >= C1:
                    continue
                flat_x[b:] += A_flat[(i - a) % ring, : N - b] * f[i].reshape(-1)[b:]
            xreg = x
            if runs_del:  # e[l] = e[l-1] of the row above + f_del (e[-1]: not ending in 1:0), the last also goes on
                fd, fe_d = fdel[i], fdext[i]
                e = [_log(prev_nd) + fd] + [prev_e[l - 1] + fd for l in range(1, full)]
                e[-1] = np.logaddexp(e[-1], prev_e[-1] + fe_d)
                x = xreg + sum(np.exp(le) for le in e)
                prev_e = e
            # paths ending in a 0:1 run, by state: r[l][t] = r[l-1][t-1] + f_ins[t] (r[-1] = log x),
            # and the last state also goes on: r[k][t] = logaddexp(r[k][t], r[k][t-1] + f_ext[t])
            r = []
            prev = _log(x)
            for _ in range(full):
                nxt = np.full((W, C1), -np.inf)
                nxt.reshape(-1)[1:] = prev.reshape(-1)[:-1] + fins[i].reshape(-1)[1:]  # (-inf at column 0)
                r.append(nxt)
                prev = nxt
            _scan_log(r[-1], fext[i])
            by_run = sum(np.exp(lr) for lr in r)  # relative to D: each path's weight is ≤ 1
            row = A[i % ring] = x + by_run
            if runs_del:
                prev_nd = xreg + by_run
            for (k, at), sums, runs, dels in ((starting[i], A_start, R_start, E_start), (ending[i], A_end, R_end, E_end)):
                if len(k):
                    sums[k] = xreg.take(at)
                    for l in range(full):
                        runs[l, k] = r[l].take(at)
                        dels[l, k] = prev_e[l].take(at)
            k = ends[:, 0] == i
            Z[k] = row[ew[k], ends[k, 1]]
        return Z, A_start, A_end, R_start, R_end, E_start, E_end

    def backward() -> tuple[np.ndarray, ...]:
        # backward: B[w, i, j] = sum over paths from (i, j) to the end of exp(-(cost + D[i, j] - D[end]) / T)
        B_end = np.zeros(len(w))
        BR_end, BE_end = (np.full((full, len(w)), -np.inf) for _ in range(2))
        B = np.zeros((ring, W, C1))
        B_flat = B.reshape(ring, -1)
        next_be = [np.full((W, C1), -np.inf) for _ in range(full)]  # row i+1, reached by the l-th 1:0 bead
        for i in range(R1 - 1, -1, -1):
            y = np.zeros((W, C1))
            at_end = ends[:, 0] == i
            y[ew[at_end], ends[at_end, 1]] = 1.0
            flat_y = y.reshape(-1)
            for (a, b), f in shapes:
                if i + a >= R1 or b >= C1:
                    continue
                flat_y[: N - b] += B_flat[(i + a) % ring, b:] * f[i + a].reshape(-1)[b:]
            yreg = y
            if runs_del:  # a node not reached by 1:0 may open a run of them
                if i + 1 < R1:
                    fd, fe_d = fdel[i + 1], fdext[i + 1]
                    y = yreg + np.exp(fd + next_be[0])
                    goes_on = [fd + next_be[l + 1] for l in range(full - 1)] + [fe_d + next_be[-1]]
                else:
                    goes_on = [np.full((W, C1), -np.inf) for _ in range(full)]
            # from a node reached by the last run state: br[k][t] = y[t] + f_ext[t+1] * br[k][t+1];
            # by state l < k: br[l][t] = y[t] + f_ins[t+1] * br[l+1][t+1]; by any other bead:
            # B[t] = y[t] + f_ins[t+1] * br[1][t+1] (br as logarithms)
            ly = _log(y)
            step = np.full((W, C1), -np.inf)
            step[:, 1:] = fext[i, :, 1:][:, ::-1]
            br = [np.ascontiguousarray(_scan_log(ly[:, ::-1].copy(), step)[:, ::-1])]
            ins_flat = fins[i].reshape(-1)[1:]  # (-inf at column 0: a row's last column takes nothing)
            for _ in range(full):
                nxt = ly.copy()
                nxt.reshape(-1)[:-1] = np.logaddexp(nxt.reshape(-1)[:-1], ins_flat + br[0].reshape(-1)[1:])
                br.insert(0, nxt)
            row = B[i % ring] = np.exp(br.pop(0))
            if runs_del:  # reached by the l-th 1:0 bead: any bead but a new run of 1:0
                rest = yreg.copy()
                rest.reshape(-1)[:-1] += np.exp(ins_flat + br[0].reshape(-1)[1:])
                rest = _log(rest)
                next_be = [np.logaddexp(rest, g) for g in goes_on]
            k, at = ending[i]
            if len(k):
                B_end[k] = row.take(at)
                for l in range(full):
                    BR_end[l, k] = br[l].take(at)
                    BE_end[l, k] = next_be[l].take(at)
        return B_end, BR_end, BE_end

    # the two passes are independent (both read the weights): ``run`` may take them in
    # two processes
    (Z, A_start, A_end, R_start, R_end, E_start, E_end), (B_end, BR_end, BE_end) = (
        [forward(), backward()] if run is None else run([forward, backward])
    )
    # every bead and node at once: the weight of its own step (0:1 and 1:0 beads: the
    # log-weights of opening and of extending a run)
    code = (s1 - s0) * 8 + (t1 - t0)
    step_w, fi, fx = np.zeros(len(w)), np.full(len(w), -np.inf), np.full(len(w), -np.inf)
    for (a, b), f in shapes:
        k = code == a * 8 + b
        step_w[k] = f[s1[k], w[k], t1[k]]
    for shape_code, fo, fe in [(1, fins, fext)] + ([(8, fdel, fdext)] if runs_del else []):
        k = code == shape_code
        fi[k], fx[k] = fo[s1[k], w[k], t1[k]], fe[s1[k], w[k], t1[k]]
    sums = Z, A_start, A_end, B_end, R_start, R_end, BR_end, E_start, E_end, BE_end, step_w, fi, fx
    return _combine(beads, sums, full, runs_del)


def _combine(
    beads: Sequence[Sequence[Range]], sums: tuple[np.ndarray, ...], full: int, runs_del: bool
) -> tuple[list[list[float]], list[list[float]]]:
    """The posteriors of the beads and of their end nodes from the passes' sums at them
    (per bead: forward sums at its start and end node, the backward sums at its end node,
    each also per run state as logarithms; its step's weight; ``Z`` per window)."""
    Z, A_start, A_end, B_end, R_start, R_end, BR_end, E_start, E_end, BE_end, step_w, fi, fx = sums
    counts = [len(bs) for bs in beads]
    flat = np.array([r for bs in beads for r in bs], dtype=np.int64).reshape(-1, 4)
    w = np.repeat(np.arange(len(counts)), counts)
    s0, s1, t0, t1 = flat.T
    Z = Z[w]
    code = (s1 - s0) * 8 + (t1 - t0)
    by_ins, by_del = np.exp(R_start).sum(axis=0), np.exp(E_start).sum(axis=0)
    pb = (A_start + by_ins + by_del) * step_w * B_end
    # a 0:1 (1:0) bead: from each run state to the next (the last to itself), or opening
    # a run from any node not reached by one
    runs = [(1, A_start + by_del, R_start, BR_end)]
    if runs_del:
        runs.append((8, A_start + by_ins, E_start, BE_end))
    for shape_code, opening, S, BS in runs:
        k = code == shape_code
        fik, fxk = fi[k], fx[k]
        terms = [_log(opening[k]) + fik + BS[0, k], S[-1, k] + fxk + BS[-1, k]]
        terms += [S[l, k] + fik + BS[l + 1, k] for l in range(full - 1)]
        pb[k] = sum(np.exp(t) for t in terms)
    with np.errstate(divide="ignore", invalid="ignore"):
        pb = pb / Z
        pn = (A_end * B_end + np.exp(R_end + BR_end).sum(axis=0) + np.exp(E_end + BE_end).sum(axis=0)) / Z
    pb = np.clip(np.nan_to_num(pb, nan=0.0, posinf=0.0), 0.0, 1.0).tolist()
    pn = np.clip(np.nan_to_num(pn, nan=0.0, posinf=0.0), 0.0, 1.0).tolist()
    cuts = np.cumsum([0, *counts])
    return [pb[cuts[k] : cuts[k + 1]] for k in range(len(counts))], [pn[cuts[k] : cuts[k + 1]] for k in range(len(counts))]
