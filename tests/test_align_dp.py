"""The bead DP's search and posteriors against brute-force enumeration on small grids."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tolmach.align import dp

SHAPES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0))


def all_paths(n: int, m: int):
    """Every bead sequence from (0, 0) to (n, m) with SHAPES and 0:1."""
    if n == 0 and m == 0:
        yield []
        return
    for a, b in (*SHAPES, dp.INSERTION):
        if a <= n and b <= m:
            for p in all_paths(n - a, m - b):
                yield [*p, (n - a, n, m - b, m)]


def random_costs(n: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    band = dp.Band.full(n, m)
    costs = {}
    for a, b in SHAPES:
        c = rng.uniform(0.0, 5.0, (n + 1, m + 1)).astype(np.float32)
        c[:a, :] = dp.INF
        c[:, :b] = dp.INF
        costs[(a, b)] = c
    ins = rng.uniform(0.0, 5.0, (n + 1, m + 1)).astype(np.float32)
    ins[:, 0] = dp.INF
    return costs, ins, band


def path_cost(path, costs, ins):
    total = 0.0
    for s0, s1, t0, t1 in path:
        shape = (s1 - s0, t1 - t0)
        total += float(ins[s1, t1] if shape == dp.INSERTION else costs[shape][s1, t1])
    return total


@pytest.mark.parametrize("n,m,seed", [(3, 3, 1), (4, 3, 2), (2, 5, 3), (5, 4, 4)])
def test_search_finds_the_cheapest_path_and_posteriors_are_exact(n, m, seed):
    costs, ins, band = random_costs(n, m, seed)
    paths = list(all_paths(n, m))
    totals = [path_cost(p, costs, ins) for p in paths]
    best = paths[int(np.argmin(totals))]
    found = dp.search(costs, ins, band, m)
    assert math.isclose(path_cost(found, costs, ins), min(totals), rel_tol=1e-5)
    for T in (0.5, 2.0):
        weights = np.exp(-(np.array(totals) - min(totals)) / T)
        Z = weights.sum()
        expect = [sum(w for p, w in zip(paths, weights) if bead in p) / Z for bead in best]
        got = dp.posteriors(costs, ins, band, m, best, temperature=T)
        assert got == pytest.approx(expect, rel=1e-4, abs=1e-6)
