"""Compiled loops for :mod:`.dp` (numba): the same dynamic program, cell by cell.

:mod:`.dp` runs every step as a numpy operation over all windows at once, so its cost is
the number of numpy operations per row (about a hundred each way), not the number of
cells.  Here the loops go over (window, row, column, shape) in machine code.  The
arithmetic is that of :mod:`.dp` (float32 path costs, the 0:1 runs through the same
float64 prefix sums and the same tie rules), so the back-pointers and the beads are the
same; the posteriors agree to float rounding.  Imported only when numba is installed
and the first window is searched (``TOLMACH_DP=numpy`` keeps the numpy code); compiled
once, cached on disk next to this file by numba (``cache=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

if TYPE_CHECKING:
    from .aligner import AlignConfig
    from .dp import Best, Costs, Range

#: numba reads no annotations: those of the kernels below are for mypy only
Arrays = tuple[np.ndarray, ...]

INF = np.float32(1e30)
_BIG = 1e6
_TIE = np.float32(1e-6)
_UNDER = -105.0  # exp(x) of a float32 x below it is 0 (the smallest float32 is exp(-103.3))


@njit(cache=True, nogil=True)
def _best_costs(  # noqa: C901
    costs: Arrays, sa: np.ndarray, sb: np.ndarray, insertion: np.ndarray, extend: np.ndarray, extend_del: np.ndarray,
    ends: np.ndarray, full: int, dcode: int, ins_code: int,
) -> Arrays:
    S = len(costs)
    W, R1, C1 = insertion.shape
    D = np.full((W, R1, C1), INF, dtype=np.float32)
    back = np.full((W, R1, C1), -1, dtype=np.int8)
    first = np.full((W, R1, C1), -1, dtype=np.int8)
    start = np.zeros((W, R1, C1), dtype=np.int32)
    nodel = np.full((W, R1, C1), -1, dtype=np.int8)
    dstart = np.zeros((W, R1, C1), dtype=np.int32)
    x = np.empty(C1, dtype=np.float32)
    bx = np.empty(C1, dtype=np.int8)
    xreg = np.empty(C1, dtype=np.float32)
    bxreg = np.empty(C1, dtype=np.int8)
    prev_nd = np.empty(C1, dtype=np.float32)
    prev_d = np.empty((full, C1), dtype=np.float32)
    prev_s = np.empty((full, C1), dtype=np.int32)
    dels = np.empty(full, dtype=np.float32)
    sts = np.empty(full, dtype=np.int32)
    cs_i = np.zeros(C1 + 1)
    cs_e = np.zeros(C1 + 1)
    xx = np.empty(C1)
    run = np.empty(C1)
    arg = np.empty(C1, dtype=np.int64)
    for w in range(W):
        end_col = ends[w, 1]
        prev_nd[:] = INF
        prev_d[:, :] = INF
        prev_s[:, :] = 0
        for i in range(R1):
            for t in range(C1):
                x[t] = INF
                bx[t] = -1
            if i == 0:
                x[0] = 0.0
                bx[0] = -2
            for code in range(S):
                a, b = sa[code], sb[code]
                if a > i or b >= C1 or code == dcode:
                    continue
                c = costs[code]
                for t in range(b, C1):
                    cc = c[w, i, t]
                    if cc >= INF:  # never below x (at most INF)
                        continue
                    cand = D[w, i - a, t - b] + cc
                    if cand < x[t]:
                        x[t] = cand
                        bx[t] = code
            if dcode >= 0:
                xreg[:] = x
                bxreg[:] = bx
                if i > 0:
                    cdel = costs[dcode]
                    for t in range(C1):
                        c = cdel[w, i, t]
                        dels[0] = prev_nd[t] + c
                        sts[0] = i - 1
                        for l in range(1, full):
                            dels[l] = prev_d[l - 1, t] + c
                            sts[l] = prev_s[l - 1, t]
                        cand = prev_d[full - 1, t] + extend_del[w, i, t]
                        if cand < dels[full - 1]:
                            dels[full - 1] = cand
                            sts[full - 1] = prev_s[full - 1, t]
                        for l in range(full):
                            if dels[l] < x[t]:
                                x[t] = dels[l]
                                bx[t] = dcode
                                dstart[w, i, t] = sts[l]
                            prev_d[l, t] = dels[l]
                            prev_s[l, t] = sts[l]
            # 0:1 runs along the row: dp.best_costs's prefix sums, in the same order
            for t in range(C1):
                cs_i[t + 1] = cs_i[t] + min(np.float64(insertion[w, i, t]), _BIG)
                cs_e[t + 1] = cs_e[t] + min(np.float64(extend[w, i, t]), _BIG)
                xx[t] = min(np.float64(x[t]), _BIG)
                run[t] = np.inf
                arg[t] = 0
            for L in range(1, min(full, C1 - 1) + 1):
                for t in range(L, C1):
                    s = t - L
                    cand = xx[s] + cs_i[t + 1] - cs_i[s + 1]
                    if cand < run[t]:
                        run[t] = cand
                        arg[t] = s
            if C1 > full + 1:
                k = full
                M = np.inf
                at = 0
                for s in range(C1 - k - 1):
                    h = xx[s] + cs_i[s + k + 1] - cs_i[s + 1] - cs_e[s + k + 1]
                    if h <= M:  # the last column of the running minimum
                        M = h
                        at = s
                    t = s + k + 1
                    cand = M + cs_e[t + 1]
                    if cand < run[t]:
                        run[t] = cand
                        arg[t] = at
            for t in range(C1):
                r = run[t]
                if r >= _BIG / 2:
                    r = np.float64(INF)
                take = r < x[t] - _TIE
                if t > end_col:
                    D[w, i, t] = INF
                elif take:
                    D[w, i, t] = np.float32(r)
                else:
                    D[w, i, t] = x[t]
                back[w, i, t] = ins_code if take else bx[t]
                first[w, i, t] = bx[t]
                start[w, i, t] = arg[t]
                if dcode >= 0:
                    by_run = r < xreg[t] - _TIE
                    if t > end_col:
                        prev_nd[t] = INF
                    elif by_run:
                        prev_nd[t] = np.float32(r)
                    else:
                        prev_nd[t] = xreg[t]
                    nodel[w, i, t] = ins_code if by_run else bxreg[t]
    return D, back, first, start, nodel, dstart


def best_costs(
    costs: Costs,
    insertion: np.ndarray,
    ends: np.ndarray,
    extend: np.ndarray | None = None,
    full: int = 1,
    extend_del: np.ndarray | None = None,
) -> Best:
    """:func:`.dp.best_costs`, compiled: the same arrays."""
    from .dp import DELETION

    shapes = list(costs)
    dcode = shapes.index(DELETION) if extend_del is not None and DELETION in costs else -1
    arrays = tuple(np.ascontiguousarray(costs[s], dtype=np.float32) for s in shapes)
    ins = np.ascontiguousarray(insertion, dtype=np.float32)
    ext = ins if extend is None else np.ascontiguousarray(extend, dtype=np.float32)
    ext_del = ins if dcode < 0 else np.ascontiguousarray(extend_del, dtype=np.float32)
    D, back, first, start, nodel, dstart = _best_costs(
        arrays, np.array([a for a, _ in shapes], dtype=np.int64), np.array([b for _, b in shapes], dtype=np.int64),
        ins, ext, ext_del, np.ascontiguousarray(ends, dtype=np.int64), int(full), dcode, len(shapes),
    )  # fmt: skip
    if dcode >= 0:
        return D, (back, first, start, nodel, dstart)
    return D, (back, first, start)


@njit(cache=True, nogil=True, inline="always")
def _lae(a: float, b: float) -> float:
    """np.logaddexp of two floats (-inf, as often here, without an exp and a log)."""
    if b == -np.inf:
        return a
    if a == -np.inf:
        return b
    if a == b:
        return a + 0.6931471805599453
    total: float = a + np.log1p(np.exp(b - a)) if a > b else b + np.log1p(np.exp(a - b))
    return total


@njit(cache=True, nogil=True, inline="always")
def _from(d: float) -> float:
    """D as a step's start: unreached +inf."""
    return np.inf if d >= INF / 2 else np.float64(d)


@njit(cache=True, nogil=True, inline="always")
def _to(d: float) -> float:
    """D as a step's end: unreached -inf."""
    return -np.inf if d >= INF / 2 else np.float64(d)


@njit(cache=True, nogil=True)
def _passes(  # noqa: C901
    costs: Arrays, sa: np.ndarray, sb: np.ndarray, insertion: np.ndarray, extend: np.ndarray, deletion: np.ndarray,
    extend_del: np.ndarray, runs_del: bool, D: np.ndarray, ends: np.ndarray, full: int, T: float, bw: np.ndarray,
    s0: np.ndarray, t0: np.ndarray, s1: np.ndarray, t1: np.ndarray, bcode: np.ndarray, by_start: np.ndarray,
    by_end: np.ndarray,
) -> Arrays:
    """Forward and backward sums of :func:`.dp.posteriors`, window by window, and what the
    beads need of them (the same quantities as there, gathered at the beads' nodes as
    their rows are done: ``by_start`` / ``by_end`` are the beads sorted by window and
    start / end row).  Only the cells from the window's start to its end node are
    visited, and a step from or to an unreached node, or of cost INF, is skipped: its
    weight is exactly 0 there.  Of the grid only the steps' float32 weights are kept
    whole (the backward pass reuses them); the sums are kept for the last rows a step
    reaches back (a ring of 1 + the tallest shape's rows), so a window of a million
    cells takes ~45 MB (10 shapes) rather than ~150 MB."""
    S = len(costs)
    W, R1, C1 = insertion.shape
    nb = len(bw)
    ninf = -np.inf
    scale = -1.0 / T
    Z = np.zeros(W)
    A_start, A_end, B_end = np.zeros(nb), np.zeros(nb), np.zeros(nb)
    R_start, R_end, BR_end = np.full((full, nb), ninf), np.full((full, nb), ninf), np.full((full, nb), ninf)
    E_start, E_end, BE_end = np.full((full, nb), ninf), np.full((full, nb), ninf), np.full((full, nb), ninf)
    step_w, fi, fx = np.zeros(nb), np.full(nb, ninf), np.full(nb, ninf)
    amax = 0
    for a in sa:
        if a < R1 and a > amax:
            amax = a
    ring = amax + 1
    A = np.empty((ring, C1))  # forward sums of the last rows (row i at i % ring)
    B = np.empty((ring, C1))
    ND = np.empty((2, C1))
    El = np.full((2, full, C1), ninf)
    BE = np.full((2, full, C1), ninf)
    Xr = np.empty(C1)
    Rl = np.empty((full, C1))
    BR = np.empty((full, C1))
    F = np.zeros((S, R1, C1), dtype=np.float32)  # the step weights, for the backward pass
    x = np.empty(C1)
    yreg = np.empty(C1)
    e = np.empty(full)
    go = np.empty(full)
    ks = ke = 0  # the next bead by start row, by end row (both sorted by window first)
    for w in range(W):
        Dw = D[w]
        Rw, Cw = ends[w, 0] + 1, ends[w, 1] + 1
        # forward
        for i in range(Rw):
            cur, prev = i % 2, (i - 1) % 2
            x[:Cw] = 0.0
            if i == 0:
                x[0] = 1.0
            for code in range(S):
                a, b = sa[code], sb[code]
                if a > i or b >= Cw:
                    continue
                c = costs[code]
                for t in range(b, Cw):
                    F[code, i, t] = 0.0
                    cc = c[w, i, t]
                    dt = _to(Dw[i, t])
                    df = _from(Dw[i - a, t - b])
                    if cc >= INF / 2 or dt == ninf or df == np.inf:
                        continue
                    ef = (df + cc - dt) * scale
                    if ef > _UNDER:
                        f = np.exp(np.float32(ef))
                        F[code, i, t] = f
                        x[t] += A[(i - a) % ring, t - b] * f
            Xr[:Cw] = x[:Cw]
            if runs_del and i > 0:
                for t in range(Cw):
                    dt = _to(Dw[i, t])
                    if dt == ninf:
                        for l in range(full):
                            El[cur, l, t] = ninf
                        continue
                    df = _from(Dw[i - 1, t])
                    fd = (df + deletion[w, i, t] - dt) * scale
                    fe = (df + extend_del[w, i, t] - dt) * scale
                    e[0] = np.log(ND[prev, t]) + fd
                    for l in range(1, full):
                        e[l] = El[prev, l - 1, t] + fd
                    e[full - 1] = _lae(e[full - 1], El[prev, full - 1, t] + fe)
                    s = 0.0
                    for l in range(full):
                        El[cur, l, t] = e[l]
                        s += np.exp(e[l])
                    x[t] += s
            else:
                El[cur, :, :Cw] = ninf
            for t in range(Cw):
                dt = _to(Dw[i, t])
                if t == 0 or dt == ninf:
                    for l in range(full):
                        Rl[l, t] = ninf
                    continue
                df = _from(Dw[i, t - 1])
                fin = (df + insertion[w, i, t] - dt) * scale
                Rl[0, t] = np.log(x[t - 1]) + fin
                for l in range(1, full):
                    Rl[l, t] = Rl[l - 1, t - 1] + fin
                fxt = (df + extend[w, i, t] - dt) * scale
                Rl[full - 1, t] = _lae(Rl[full - 1, t], fxt + Rl[full - 1, t - 1])
            arow = A[i % ring]
            for t in range(Cw):
                by_run = 0.0
                if _to(Dw[i, t]) != ninf:
                    for l in range(full):
                        by_run += np.exp(Rl[l, t])
                arow[t] = x[t] + by_run
                ND[cur, t] = Xr[t] + by_run
            # the beads starting and ending on this row
            while ks < nb and bw[by_start[ks]] == w and s0[by_start[ks]] == i:
                k = by_start[ks]
                j0 = t0[k]
                A_start[k] = Xr[j0]
                for l in range(full):
                    R_start[l, k] = Rl[l, j0]
                    if runs_del:
                        E_start[l, k] = El[cur, l, j0]
                ks += 1
            while ke < nb and bw[by_end[ke]] == w and s1[by_end[ke]] == i:
                k = by_end[ke]
                j1 = t1[k]
                A_end[k] = Xr[j1]
                for l in range(full):
                    R_end[l, k] = Rl[l, j1]
                    if runs_del:
                        E_end[l, k] = El[cur, l, j1]
                ke += 1
        Z[w] = A[(Rw - 1) % ring, Cw - 1]
        # backward (the beads by end row, from the last)
        kb = ke - 1
        for i in range(Rw - 1, -1, -1):
            cur, nxt = i % 2, (i + 1) % 2
            x[:Cw] = 0.0
            if i == Rw - 1:
                x[Cw - 1] = 1.0
            for code in range(S):
                a, b = sa[code], sb[code]
                if i + a >= Rw or b >= Cw:
                    continue
                brow = B[(i + a) % ring]
                for t in range(Cw - b):
                    f = F[code, i + a, t + b]
                    if f != 0.0:
                        x[t] += brow[t + b] * f
            yreg[:Cw] = x[:Cw]
            if runs_del and i + 1 < Rw:
                for t in range(Cw):
                    df = _from(Dw[i, t])
                    if df != np.inf:
                        fd = (df + deletion[w, i + 1, t] - _to(Dw[i + 1, t])) * scale
                        x[t] += np.exp(fd + BE[nxt, 0, t])
            brow = B[i % ring]
            for t in range(Cw - 1, -1, -1):
                df = _from(Dw[i, t])
                if df == np.inf:
                    for l in range(full):
                        BR[l, t] = ninf
                    brow[t] = 0.0
                    continue
                ly = np.log(x[t])
                if t == Cw - 1:
                    for l in range(full):
                        BR[l, t] = ly
                    brow[t] = x[t]
                    continue
                dt1 = _to(Dw[i, t + 1])
                fin = (df + insertion[w, i, t + 1] - dt1) * scale
                fxt = (df + extend[w, i, t + 1] - dt1) * scale
                BR[full - 1, t] = _lae(ly, fxt + BR[full - 1, t + 1])
                for l in range(full - 2, -1, -1):
                    BR[l, t] = _lae(ly, fin + BR[l + 1, t + 1])
                brow[t] = np.exp(_lae(ly, fin + BR[0, t + 1]))
            if runs_del:
                for t in range(Cw):
                    df = _from(Dw[i, t])
                    if df == np.inf:
                        for l in range(full):
                            BE[cur, l, t] = ninf
                        continue
                    if i + 1 < Rw:
                        dn = _to(Dw[i + 1, t])
                        fd = (df + deletion[w, i + 1, t] - dn) * scale
                        fe = (df + extend_del[w, i + 1, t] - dn) * scale
                        for l in range(full - 1):
                            go[l] = fd + BE[nxt, l + 1, t]
                        go[full - 1] = fe + BE[nxt, full - 1, t]
                    else:
                        go[:] = ninf
                    rest = yreg[t]
                    if t + 1 < Cw:
                        fin = (df + insertion[w, i, t + 1] - _to(Dw[i, t + 1])) * scale
                        rest += np.exp(fin + BR[0, t + 1])
                    rest = np.log(rest)
                    for l in range(full):
                        BE[cur, l, t] = _lae(rest, go[l])
            while kb >= 0 and bw[by_end[kb]] == w and s1[by_end[kb]] == i:
                k = by_end[kb]
                j1 = t1[k]
                B_end[k] = brow[j1]
                for l in range(full):
                    BR_end[l, k] = BR[l, j1]
                    if runs_del:
                        BE_end[l, k] = BE[cur, l, j1]
                kb -= 1
    # every bead's own step
    for k in range(nb):
        w, i0, j0, i1, j1 = bw[k], s0[k], t0[k], s1[k], t1[k]
        a, b = i1 - i0, j1 - j0
        df, dt = _from(D[w, i0, j0]), _to(D[w, i1, j1])
        bc = bcode[k]
        if bc >= 0:
            step_w[k] = np.exp(np.float32((df + costs[bc][w, i1, j1] - dt) * scale))
        elif a == 0 and b == 1:
            fi[k] = (df + insertion[w, i1, j1] - dt) * scale
            fx[k] = (df + extend[w, i1, j1] - dt) * scale
        elif a == 1 and b == 0 and runs_del:
            fi[k] = (df + deletion[w, i1, j1] - dt) * scale
            fx[k] = (df + extend_del[w, i1, j1] - dt) * scale
    return Z, A_start, A_end, B_end, R_start, R_end, BR_end, E_start, E_end, BE_end, step_w, fi, fx


def posterior_sums(
    costs: Costs,
    insertion: np.ndarray,
    ends: np.ndarray,
    beads: Sequence[Sequence[Range]],
    temperature: float,
    D: np.ndarray,
    extend: np.ndarray | None,
    full: int,
    extend_del: np.ndarray | None,
) -> Arrays:
    """The sums :func:`.dp.posteriors` combines, per bead: see :func:`.dp._combine`."""
    from .dp import DELETION, INSERTION

    runs_del = extend_del is not None and DELETION in costs
    regular = [s for s in costs if s != INSERTION and not (runs_del and s == DELETION)]
    index = {s: k for k, s in enumerate(regular)}
    counts = [len(bs) for bs in beads]
    flat = np.array([r for bs in beads for r in bs], dtype=np.int64).reshape(-1, 4)
    bw = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    s0, s1, t0, t1 = (np.ascontiguousarray(v) for v in flat.T)
    bcode = np.array([index.get((int(a), int(b)), -1) for a, b in zip(s1 - s0, t1 - t0)], dtype=np.int64)

    def f32(v: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(v, dtype=np.float32)

    ins = f32(insertion)
    dele = f32(costs[DELETION]) if runs_del else ins
    return _passes(
        tuple(f32(costs[s]) for s in regular) if regular else (ins[:0],),
        np.array([a for a, _ in regular] or [10**6], dtype=np.int64), np.array([b for _, b in regular] or [0], dtype=np.int64),
        ins, ins if extend is None else f32(extend), dele, f32(extend_del) if runs_del and extend_del is not None else dele, runs_del,
        f32(D), np.ascontiguousarray(ends, dtype=np.int64), int(full), float(temperature), bw, s0, t0, s1, t1, bcode,
        np.lexsort((s0, bw)).astype(np.int64), np.lexsort((s1, bw)).astype(np.int64),
    )  # fmt: skip


@njit(cache=True, nogil=True, error_model="numpy")
def _bead_costs(  # noqa: C901
    dot: np.ndarray, inside: np.ndarray, a: int, b: int, la: np.ndarray, lb: np.ndarray, na: np.ndarray, nb: np.ndarray,
    cr: np.ndarray, cc: np.ndarray, sr: np.ndarray, sc: np.ndarray, par: bool, gdot: np.ndarray, gna: np.ndarray,
    gnb: np.ndarray, gen: bool, m1: np.ndarray, lex: bool, k_m1: float, k_sim: np.float32, size: np.float32,
    s_a: np.float32, s_b: np.float32, ratio: np.float32, var: np.float32, k_len: np.float32, shape: float,
    k_cross: np.float32, k_mis: float,
) -> np.ndarray:
    """:func:`.aligner.bead_cost` of the a:b beads ending at every cell, in one pass and in
    the very float32 (float64) steps numpy takes for it, so the values are the same bit for
    bit: the weights come in as numpy turns Python numbers into float32 (``k_*``, ``s_*``),
    and the paragraph-mismatch term, a float times a boolean array there, adds in float64.
    ``gen``: a general dictionary's share of the products and norms (``gdot``, ``gna``,
    ``gnb``), whose part of the similarity counts once (:func:`.aligner.bead_cost`'s
    ``general``); ``lex``: the Model 1 term (``m1``, float64, times ``k_m1``), from which
    numpy's sum goes on in float64.  Every cell is computed and those outside (``inside``, below row a or column b) set to
    INF after, so the loop over a row has no branch (the compiler vectorises it)."""
    W, R1, C1 = dot.shape
    out = np.empty((W, R1, C1), dtype=np.float32)
    one, two, half = np.float32(1.0), np.float32(2.0), np.float32(0.5)
    zero, shape32 = np.float32(0.0), np.float32(shape)
    for w in range(W):
        for i in range(R1):
            lai, nai = la[w, i], na[w, i] + s_a
            row, d, ok, nbw, lbw = out[w, i], dot[w, i], inside[w, i], nb[w], lb[w]
            if not gen and not lex:  # the usual row: no branch, vectorised
                for j in range(C1):
                    sim = d[j] / np.sqrt(nai * (nbw[j] + s_b))
                    sim = min(max(sim, zero), one)
                    lbj = lbw[j]
                    mean = (lai + lbj / ratio) / two
                    delta = (lbj - ratio * lai) / np.sqrt(var * max(mean, one))
                    row[j] = k_sim * (size * (one - sim)) + k_len * (half * delta * delta) + shape32
            else:
                wg, ig = (w, i) if gen else (0, 0)  # (the 1 x 1 stand-ins without a dictionary)
                gnai, gd, gnbw = (na[w, i] - gna[wg, ig]) + s_a, gdot[wg, ig], gnb[wg]
                for j in range(C1):
                    sim = d[j] / np.sqrt(nai * (nbw[j] + s_b))
                    sim = min(max(sim, zero), one)
                    term = k_sim * (size * (one - sim))
                    if gen:  # the similarity without the dictionary's concepts
                        other = (d[j] - gd[j]) / np.sqrt(gnai * ((nbw[j] - gnbw[j]) + s_b))
                        general = max(sim - min(max(other, zero), one), zero)
                        term = k_sim * (size * (one - (sim - general)) - general)
                    lbj = lbw[j]
                    mean = (lai + lbj / ratio) / two
                    delta = (lbj - ratio * lai) / np.sqrt(var * max(mean, one))
                    if lex:
                        acc = np.float64(term) + k_m1 * m1[w, i, j]
                        acc = acc + np.float64(k_len * (half * delta * delta)) + np.float64(shape)
                        if par:
                            acc = acc + np.float64(k_cross * (np.float32(cr[w, i]) + np.float32(cc[w, j])))
                            acc = acc + (k_mis if sr[w, i] != sc[w, j] else 0.0)
                        row[j] = np.float32(acc)
                    else:
                        row[j] = term + k_len * (half * delta * delta) + shape32
            if par and not lex:  # (+ 0.0 in float64 when the starts agree: the same float32)
                cri, sri = np.float32(cr[w, i]), sr[w, i]
                for j in range(C1):
                    cost = row[j] + k_cross * (cri + np.float32(cc[w, j]))
                    row[j] = np.float32(np.float64(cost) + (k_mis if sri != sc[w, j] else 0.0))
            for j in range(C1):
                row[j] = row[j] if ok[j] else INF
            if i < a:
                row[:] = INF
            else:
                row[:b] = INF
    return out


def bead_costs(
    cfg: AlignConfig,
    a: int,
    b: int,
    dot: np.ndarray,
    inside: np.ndarray,
    la: np.ndarray,
    lb: np.ndarray,
    na: np.ndarray,
    nb: np.ndarray,
    ratio: float,
    par: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
    gen: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    m1: np.ndarray | None = None,
) -> np.ndarray | None:
    """The cost array of the a:b beads (a, b >= 1) that :func:`.aligner._window_costs`
    builds from these per-row and per-column values with :func:`.aligner.bead_cost`,
    without its temporaries: the same float32 values.  ``par``: the runs' paragraph
    breaks and starts, (rows' crosses, columns' crosses, rows' starts, columns' starts),
    or None; ``gen``: the general dictionary's (products, rows' norms, columns' norms), or
    None; ``m1``: the Model 1 term's array (float64), or None.  None when a weight is not a plain Python number (numpy would then take other
    dtypes; the caller uses numpy)."""
    from .aligner import _size_factor

    weights = (cfg.sim_weight, cfg.smoothing, cfg.length_weight, cfg.length_variance, ratio,
               cfg.shape_cost.get((a, b), 3.0), cfg.paragraph_cross, cfg.paragraph_mismatch, cfg.m1_weight)  # fmt: skip
    if any(type(x) not in (int, float) for x in weights) or (m1 is not None and m1.dtype != np.float64):
        return None
    f = np.float32
    none = np.zeros((1, 1), dtype=bool)
    cr, cc, sr, sc = par if par is not None else (none, none, none, none)
    nothing = np.zeros((1, 1), dtype=np.float32)
    gdot, gna, gnb = gen if gen is not None else (nothing[None], nothing, nothing)
    m1_arr = m1 if m1 is not None else np.zeros((1, 1, 1))
    return _bead_costs(
        dot, inside, a, b, la, lb, na, nb, cr, cc, sr, sc, par is not None, gdot, gna, gnb, gen is not None,
        m1_arr, m1 is not None, float(-cfg.m1_weight * _size_factor(a, b)), f(cfg.sim_weight), f(_size_factor(a, b)), f(cfg.smoothing * a), f(cfg.smoothing * b), f(ratio),
        f(cfg.length_variance), f(cfg.length_weight), float(cfg.shape_cost.get((a, b), 3.0)), f(cfg.paragraph_cross),
        float(cfg.paragraph_mismatch),
    )  # fmt: skip


def warm() -> dict[str, tuple[int, int]]:
    """Compile the kernels into numba's cache (or load them from it) with the argument
    types the aligner passes them, by aligning a short made-up text with the default
    configuration, so a later process only loads them (``scripts/setup.sh`` runs this once
    per change of this file when numba is installed; compiling takes ~15 s).  Returns each
    kernel's (cache hits, cache misses) in this process."""
    from . import dp
    from .aligner import align

    if dp.compiled() is None:
        raise RuntimeError(f"the compiled DP is off ({dp.BACKEND_ENV}=numpy, or numba's cache is not writable)")
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    src = [" ".join(words[k % 8 : k % 8 + 3]) + f" {k}." for k in range(12)]
    tgt = [s.upper() for s in src[:5]] + ["an extra line"] + [s.upper() for s in src[5:]]
    align(src, tgt)
    return {
        f.py_func.__name__: (sum(f.stats.cache_hits.values()), sum(f.stats.cache_misses.values()))
        for f in (_bead_costs, _best_costs, _passes)
    }
