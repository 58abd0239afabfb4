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

import numpy as np
from numba import njit

INF = np.float32(1e30)
_BIG = 1e6
_TIE = np.float32(1e-6)


@njit(cache=True, nogil=True)
def _best_costs(costs, sa, sb, insertion, extend, extend_del, ends, full, dcode, ins_code):  # noqa: C901
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
                    cand = D[w, i - a, t - b] + c[w, i, t]
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


def best_costs(costs, insertion, ends, extend=None, full=1, extend_del=None):
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
