"""The windowed bead DP's search and posteriors against brute-force enumeration."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from tolmach.align import dp, score_one

from test_align_aligner import TEXT_BERG, text_berg_dev

SHAPES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0))


@pytest.fixture(params=["numpy", "numba"])
def dp_backend(request, monkeypatch):
    """Each exactness test runs on both DP backends: the numpy code and the compiled loops
    of dp_jit (skipped without the PyPI package numba, the `fast` and `test` extras)."""
    if request.param == "numpy":
        monkeypatch.setenv(dp.BACKEND_ENV, "numpy")
        assert dp.compiled() is None
    else:
        pytest.importorskip("numba", reason="the PyPI package numba is not installed")
        monkeypatch.delenv(dp.BACKEND_ENV, raising=False)
        assert dp.compiled() is not None
    return request.param


def all_paths(n: int, m: int):
    """Every bead sequence from (0, 0) to (n, m) with SHAPES and 0:1."""
    if n == 0 and m == 0:
        yield []
        return
    for a, b in (*SHAPES, dp.INSERTION):
        if a <= n and b <= m:
            for p in all_paths(n - a, m - b):
                yield [*p, (n - a, n, m - b, m)]


def random_windows(sizes, seed: int):
    """Windows of the given (n, m) sizes, padded to one array, random costs inside."""
    rng = np.random.default_rng(seed)
    R, C = max(n for n, _ in sizes), max(m for _, m in sizes)
    costs = {}
    for a, b in SHAPES:
        c = rng.uniform(0.0, 5.0, (len(sizes), R + 1, C + 1)).astype(np.float32)
        c[:, :a, :] = dp.INF
        c[:, :, :b] = dp.INF
        costs[(a, b)] = c
    ins = rng.uniform(0.0, 5.0, (len(sizes), R + 1, C + 1)).astype(np.float32)
    ins[:, :, 0] = dp.INF
    for w, (n, m) in enumerate(sizes):  # padding outside the window
        for arr in (*costs.values(), ins):
            arr[w, n + 1 :, :] = dp.INF
            arr[w, :, m + 1 :] = dp.INF
    return costs, ins, np.array(sizes)


def path_cost(path, costs, ins, w, ext=None, full=1, ext_del=None):
    """A path's cost; with ``ext``, a 0:1 bead after the first ``full`` of a run costs
    ``ext``; with ``ext_del``, a 1:0 bead after the first ``full`` of a run of 1:0 beads."""
    total = 0.0
    run = run_del = 0  # 0:1 (1:0) beads in a row so far
    for s0, s1, t0, t1 in path:
        shape = (s1 - s0, t1 - t0)
        if shape == dp.INSERTION:
            total += float((ext if ext is not None and run >= full else ins)[w, s1, t1])
        elif shape == dp.DELETION and ext_del is not None and run_del >= full:
            total += float(ext_del[w, s1, t1])
        else:
            total += float(costs[shape][w, s1, t1])
        run = run + 1 if shape == dp.INSERTION else 0
        run_del = run_del + 1 if shape == dp.DELETION else 0
    return total


def assert_exact(found: list, post: list, nodes: list, w: int, n: int, m: int, price, T: float) -> None:
    """Window ``w`` (n × m) against brute force over every path, each priced by ``price``:
    the search found a cheapest path, and the posteriors of its beads and of the nodes they
    end at are the shares of exp(-cost / T) of the paths through them."""
    paths = list(all_paths(n, m))
    totals = np.array([price(p) for p in paths])
    assert math.isclose(price(found[w]), totals.min(), rel_tol=1e-5)
    weights = np.exp(-(totals - totals.min()) / T)
    Z = weights.sum()
    expect = [sum(wt for p, wt in zip(paths, weights) if bead in p) / Z for bead in found[w]]
    assert post[w] == pytest.approx(expect, rel=1e-4, abs=1e-6)
    through = [sum(wt for p, wt in zip(paths, weights) if any(b[1] == s1 and b[3] == t1 for b in p)) / Z
               for _, s1, _, t1 in found[w]]  # fmt: skip
    assert nodes[w] == pytest.approx(through, rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("sizes,seed", [([(3, 3)], 1), ([(4, 3), (2, 5)], 2), ([(5, 4), (1, 1), (3, 0), (0, 2)], 3)])
def test_search_and_posteriors_are_exact_in_every_window(sizes, seed, dp_backend):
    costs, ins, ends = random_windows(sizes, seed)
    found = dp.search(costs, ins, ends)
    for T in (0.5, 2.0):
        post, nodes = dp.posteriors(costs, ins, ends, found, temperature=T)
        for w, (n, m) in enumerate(sizes):
            assert_exact(found, post, nodes, w, n, m, lambda p, w=w: path_cost(p, costs, ins, w), T)


@pytest.mark.parametrize("full", [1, 2, 3])
@pytest.mark.parametrize(
    "sizes,seed,runs_change",
    [([(3, 4)], 4, False), ([(4, 3), (2, 5)], 5, False), ([(2, 6), (1, 1), (3, 0), (0, 3)], 6, True)],
)
def test_affine_runs_of_insertions_are_exact(sizes, seed, runs_change, full, dp_backend):
    """A 0:1 bead after the first ``full`` of a run costs ``extend`` instead of
    ``insertion``: search and posteriors against brute force over every path priced so."""
    costs, ins, ends = random_windows(sizes, seed)
    ext = (np.random.default_rng(seed + 10).uniform(0.0, 1.0, ins.shape) * np.minimum(ins, 5.0)).astype(np.float32)
    ext[:, :, 0] = dp.INF
    for w, (n, m) in enumerate(sizes):
        ext[w, n + 1 :, :] = dp.INF
        ext[w, :, m + 1 :] = dp.INF
    best = dp.best_costs(costs, ins, ends, ext, full)
    found = dp.search(costs, ins, ends, best)
    flat = [dp.search(costs, ins, ends)[w] for w in range(len(sizes))]
    changed = False
    for T in (0.5, 2.0):
        post, nodes = dp.posteriors(costs, ins, ends, found, temperature=T, best=best, extend=ext, full=full)
        for w, (n, m) in enumerate(sizes):
            assert_exact(found, post, nodes, w, n, m, lambda p, w=w: path_cost(p, costs, ins, w, ext, full), T)
            changed |= found[w] != flat[w]
    # with seed 6 the cheaper run wins: (0, 2, 0, 1) then five 0:1 beads, not 1:2, 1:2, ...
    assert changed == (runs_change and full < 3)




@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_coarse_levels_glue_at_most_max_glue_sentences(monkeypatch):
    """A grid too large for max_cells is halved only while a unit holds at most max_glue
    sentences (gluing more lost the path of an 80,000-sentence text); the top grid is
    then searched in strips of rows (:func:`test_top_level_in_strips_of_max_cells`), and
    the alignment is as good as with the default search."""
    from tolmach.align import aligner as A

    src, tgt, gold = text_berg_dev()
    grids = []
    solve = A._solve

    def spy(s, t, wins, *args, **kwargs):
        grids.append((s.size, t.size, len(wins)))
        return solve(s, t, wins, *args, **kwargs)

    monkeypatch.setattr(A, "_solve", spy)
    cfg = A.AlignConfig(max_cells=2_000, max_glue=4, learn_lexicon=False)
    beads = A.Aligner(cfg).align(src, tgt)
    top = [g for g in grids if g[2] == 1]
    assert top and all(abs(n - len(src) / 4) <= 1 for n, _, _ in top)  # 4 sentences a unit, not 8 or 16
    assert all((n + 1) * (m + 1) > 2_000 for n, m, _ in top)  # larger than max_cells: the cap decided
    found = score_one(gold, [(b.src, b.tgt) for b in beads])
    default = A.Aligner(A.AlignConfig(learn_lexicon=False)).align(src, tgt)
    assert found.f1_strict >= score_one(gold, [(b.src, b.tgt) for b in default]).f1_strict - 0.03


@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_later_lexicon_passes_search_around_the_path_before(monkeypatch):
    """Only the first pass runs the coarse levels; the lexicon passes after it search
    windows around the path the pass before found, and align as well as the first did."""
    from tolmach.align import aligner as A

    src, tgt, gold = text_berg_dev()
    solved = []
    solve = A._solve

    def spy(s, t, wins, *args, **kwargs):
        solved.append(s.size)
        return solve(s, t, wins, *args, **kwargs)

    monkeypatch.setattr(A, "_solve", spy)
    cfg = A.AlignConfig(max_cells=20_000, learn_rounds=2)
    first = A.Aligner(replace(cfg, learn_lexicon=False)).align(src, tgt)
    coarse_once = sum(n < len(src) for n in solved)
    solved.clear()
    beads = A.Aligner(cfg).align(src, tgt)
    assert coarse_once > 0 and sum(n < len(src) for n in solved) == coarse_once
    # the full-size searches: a first set of windows and a repair set, in each of 3 passes
    assert sum(n == len(src) for n in solved) == 6
    f1 = score_one(gold, [(b.src, b.tgt) for b in beads]).f1_strict
    assert f1 >= score_one(gold, [(b.src, b.tgt) for b in first]).f1_strict


def test_bead_features_in_chunks_are_those_of_the_whole_text(monkeypatch):
    """The bead-score features are computed a chunk of beads at a time (their memory is
    one chunk's); any chunk size gives the same features."""
    from tolmach.align import aligner as A
    from tolmach.align import confidence

    rng = np.random.default_rng(3)
    n, m, dim = 60, 57, 12
    vec_s = (rng.random((n, dim)) < 0.2) * rng.random((n, dim))
    vec_t = (rng.random((m, dim)) < 0.2) * rng.random((m, dim))
    src = A._Side(vec_s.astype(np.float32), rng.integers(5, 90, n).astype(np.float32), None)
    tgt = A._Side(vec_t.astype(np.float32), rng.integers(5, 90, m).astype(np.float32), None)
    ranges, i, j = [], 0, 0
    while i < n or j < m:  # beads tiling both sides: 1:1, 1:2, 2:1, 2:2, 1:0, 0:1
        a, b = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1)][rng.integers(6)]
        a, b = min(a, n - i), min(b, m - j)
        if a or b:
            ranges.append((i, i + a, j, j + b))
        i, j = i + a, j + b
    box = np.array(ranges)
    post, node = rng.random(len(box)), rng.random(len(box))
    cfg = A.AlignConfig()
    whole = confidence.bead_features(src, tgt, box, post, node, cfg, 1.0, 4.0)
    for chunk in (1, 2, 7):
        monkeypatch.setattr(confidence, "CHUNK", chunk)
        np.testing.assert_allclose(confidence.bead_features(src, tgt, box, post, node, cfg, 1.0, 4.0), whole, atol=1e-9)
    assert (whole[:, confidence.FEATURES.index("margin")] != 0).any()


@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_top_level_in_strips_of_max_cells(monkeypatch):
    """A top level larger than max_cells even with max_glue sentences a unit is searched
    in strips of rows, each of at most max_cells cells (so memory grows linearly with the
    length), each starting where the one before was sure; it aligns as well as searching
    the top grid whole."""
    from tolmach.align import aligner as A

    src, tgt, gold = text_berg_dev()
    strips = []
    solve = A._solve

    def spy(s, t, wins, *args, **kwargs):
        if s.size < len(src) / 3:  # the top level: 4 sentences a unit
            strips.extend((r1 - r0, c1 - c0) for r0, r1, c0, c1 in wins.tolist())
        return solve(s, t, wins, *args, **kwargs)

    monkeypatch.setattr(A, "_solve", spy)
    cfg = A.AlignConfig(max_cells=6_000, max_glue=4, window=8, learn_lexicon=False)
    beads = A.Aligner(cfg).align(src, tgt)
    assert len(strips) >= 3 and all((r + 1) * (c + 1) <= 6_000 + c + 1 for r, c in strips)
    assert sum(r for r, _ in strips) > len(src) / 4  # they overlap: each keeps its first half or less
    found = score_one(gold, [(b.src, b.tgt) for b in beads]).f1_strict
    monkeypatch.setattr(A, "_strips", lambda s, t, cfg, r, lv: solve(s, t, np.array([[0, s.size, 0, t.size]]), cfg, r, lv))
    whole = A.Aligner(cfg).align(src, tgt)
    assert found >= score_one(gold, [(b.src, b.tgt) for b in whole]).f1_strict - 0.005


@pytest.mark.parametrize("full", [1, 2])
@pytest.mark.parametrize("sizes,seed", [([(4, 3)], 7), ([(5, 2), (2, 5)], 8), ([(6, 2), (1, 1), (3, 0), (0, 3)], 9)])
def test_affine_runs_of_deletions_are_exact(sizes, seed, full, dp_backend):
    """Runs of 1:0 beads down a column priced the same way (``extend_del``), together with
    affine 0:1 runs: search and posteriors against brute force."""
    costs, ins, ends = random_windows(sizes, seed)
    rng = np.random.default_rng(seed + 20)
    ext = (rng.uniform(0.0, 1.0, ins.shape) * np.minimum(ins, 5.0)).astype(np.float32)
    ext_del = (rng.uniform(0.0, 0.5, ins.shape) * np.minimum(costs[dp.DELETION], 5.0)).astype(np.float32)
    ext[:, :, 0] = dp.INF
    ext_del[:, 0, :] = dp.INF
    for w, (n, m) in enumerate(sizes):
        for arr in (ext, ext_del):
            arr[w, n + 1 :, :] = dp.INF
            arr[w, :, m + 1 :] = dp.INF
    best = dp.best_costs(costs, ins, ends, ext, full, ext_del)
    found = dp.search(costs, ins, ends, best)
    no_del_runs = dp.search(costs, ins, ends, dp.best_costs(costs, ins, ends, ext, full))
    for T in (0.5, 2.0):
        post, nodes = dp.posteriors(costs, ins, ends, found, T, best, extend=ext, full=full, extend_del=ext_del)
        for w, (n, m) in enumerate(sizes):
            assert_exact(found, post, nodes, w, n, m, lambda p, w=w: path_cost(p, costs, ins, w, ext, full, ext_del), T)
    if seed == 9:  # cheap 1:0 runs: the 6-row window leaves its long source run unaligned
        assert found[0] != no_del_runs[0]
        assert sum(1 for s0, s1, t0, t1 in found[0] if (s1 - s0, t1 - t0) == dp.DELETION) >= 3


def test_windows_searched_in_two_processes_give_the_same_results(monkeypatch):
    """With a second core idle, about half the window batches run in a forked child; the
    results are those of one process, a failing child is made up for here, and a
    failure here leaves no child behind."""
    import os
    import threading

    from tolmach.align import aligner as A

    if threading.active_count() > 1 or not hasattr(os, "fork"):
        pytest.skip("forks only from a process with one thread, on a system with fork")
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    me = os.getpid()
    items = list(range(7))
    work = [5, 1, 9, 2, 2, 7, 3]
    monkeypatch.setattr(A, "FORK_CELLS", 10**9)
    assert {pid for pid, _ in A._two_processes(lambda x: (os.getpid(), x * x), items, work)} == {me}
    monkeypatch.setattr(A, "FORK_CELLS", 0)
    out = A._two_processes(lambda x: (os.getpid(), x * x), items, work)
    assert [v for _, v in out] == [x * x for x in items]
    assert len({pid for pid, _ in out}) == 2  # the child did its share
    # the child fails: its share is computed here
    out = A._two_processes(lambda x: x * x if os.getpid() == me else 1 / 0, items, work)
    assert out == [x * x for x in items]

    def fail_here(x):
        if os.getpid() == me:
            raise ValueError("here")
        return x

    with pytest.raises(ValueError):
        A._two_processes(fail_here, items, work)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left
    # inside either half nothing forks again (no third process on two cores)
    inner = A._two_processes(lambda x: {pid for pid, _ in A._two_processes(lambda y: (os.getpid(), y), items, work)}, [0, 1], [1, 1])
    assert all(len(pids) == 1 for pids in inner) and inner[0] != inner[1]
    # a whole alignment: the same beads and scores either way; forked, the posteriors'
    # forward and backward pass of a search that does not fork (the top grid: one
    # window) and the merged beads' split (_split_unlinked) go to two processes too
    rng = np.random.default_rng(5)
    words = [f"w{k}" for k in range(300)]
    src = [" ".join(rng.choice(words, 8)) + f" {k}." for k in range(1500)]
    tgt = [s.upper() for s in src]
    tgt[10:12] = [tgt[10] + " " + tgt[11], "Ein unübersetzter Satz ohne Gegenstück."]  # a merged bead or two
    cfg = A.AlignConfig(learn_lexicon=False)
    monkeypatch.setenv(dp.BACKEND_ENV, "numpy")  # (the compiled posteriors take both passes in one loop)
    calls = []
    real = A._forked
    monkeypatch.setattr(A, "_forked", lambda fn, items, work: calls.append(len(items)) or real(fn, items, work))
    monkeypatch.setattr(A, "POST_FORK", 0)
    monkeypatch.setattr(A, "SPLIT_FORK", 0)
    forked = A.Aligner(cfg).align(src, tgt)
    assert calls.count(2) >= 2  # (two passes of a window; the split's two halves)
    monkeypatch.setattr(A, "FORK_CELLS", 10**12)
    monkeypatch.setattr(A, "POST_FORK", 10**12)
    monkeypatch.setattr(A, "SPLIT_FORK", 10**12)
    calls.clear()
    alone = A.Aligner(cfg).align(src, tgt)
    assert not calls
    assert [(b.src, b.tgt, b.score) for b in forked] == [(b.src, b.tgt, b.score) for b in alone]


def test_a_search_that_forks_splits_its_batches_in_two(monkeypatch):
    """A search is split into two halves of batches when its batches' cells reach
    SPLIT_CELLS, counted as the fork counts them (windows padded to their batch's largest):
    counted on the windows' own cells, a 20k text's 5,000-unit level forked with one
    batch of 249,000 cells against 96,000."""
    from tolmach.align import aligner as A

    # 40 windows of 64 x 64 sentences and 40 of 64 x 50: one size group
    wins = np.array([[0, 64, 0, 64 if k % 2 else 50] for k in range(80)], dtype=np.int64)
    own = int(((wins[:, 1] - wins[:, 0] + 1) * (wins[:, 3] - wins[:, 2] + 1)).sum())
    padded = 80 * 65 * 65
    monkeypatch.setattr(A, "SPLIT_CELLS", (own + padded) // 2)  # between the two counts
    monkeypatch.setattr(A, "WINDOW_BATCH", 128)
    batches, cells = A._batches(wins)
    assert [len(b) for b in batches] == [40, 40] and cells == [40 * 65 * 65] * 2
    assert sorted(np.concatenate(batches).tolist()) == list(range(80))
    monkeypatch.setattr(A, "SPLIT_CELLS", padded + 1)  # below it: one batch
    assert [len(b) for b in A._batches(wins)[0]] == [80]


@pytest.mark.parametrize("full", [1, 2])
def test_cheap_runs_far_from_the_best_path_do_not_overflow(full, dp_backend):
    """Issue #17: a run of cheap extensions (0:1 and 1:0) beside a much cheaper path that
    is not a run.  A step weight taken relative to the best cost over all states at a node
    overflowed there (the run's own best is far above it) and gave inf * 0 = NaN; the
    posteriors must stay exact (brute force) and raise no floating-point warning."""
    sizes = [(3, 6), (6, 3), (2, 7)]
    costs, ins, ends = random_windows(sizes, 11)
    ins *= 20.0  # opening a run is dear, extending it nearly free
    costs[dp.DELETION] *= 20.0
    ext = np.full(ins.shape, 0.05, dtype=np.float32)
    ext_del = np.full(ins.shape, 0.05, dtype=np.float32)
    ext[:, :, 0] = dp.INF
    ext_del[:, 0, :] = dp.INF
    for w, (n, m) in enumerate(sizes):
        for arr in (*costs.values(), ins, ext, ext_del):
            arr[w, n + 1 :, :] = dp.INF
            arr[w, :, m + 1 :] = dp.INF
    T = 0.2  # (a cost gap of ~100) / T: far past float32's exp range
    best = dp.best_costs(costs, ins, ends, ext, full, ext_del)
    found = dp.search(costs, ins, ends, best)
    with np.errstate(over="raise", invalid="raise"):
        post, nodes = dp.posteriors(costs, ins, ends, found, T, best, extend=ext, full=full, extend_del=ext_del)
    for w, (n, m) in enumerate(sizes):
        assert_exact(found, post, nodes, w, n, m, lambda p, w=w: path_cost(p, costs, ins, w, ext, full, ext_del), T)


@pytest.mark.parametrize("full", [1, 2])
@pytest.mark.parametrize("sizes,seed", [([(5, 4), (4, 5), (4, 4)], 11), ([(5, 5), (2, 4), (5, 3)], 12)])
def test_a_band_of_reachable_cells_is_exact(sizes, seed, full, dp_backend):
    """Windows priced only in a band around their diagonal (INF outside, as the aligner
    prices its band around the coarse path), with affine runs both ways: search and
    posteriors against brute force over every path (those leaving the band weigh 0)."""
    costs, ins, ends = random_windows(sizes, seed)
    rng = np.random.default_rng(seed + 30)
    ext = (rng.uniform(0.0, 1.0, ins.shape) * np.minimum(ins, 5.0)).astype(np.float32)
    ext_del = (rng.uniform(0.0, 0.5, ins.shape) * np.minimum(costs[dp.DELETION], 5.0)).astype(np.float32)
    ext[:, :, 0] = dp.INF
    ext_del[:, 0, :] = dp.INF
    i, j = np.ogrid[: ins.shape[1], : ins.shape[2]]
    for w, (n, m) in enumerate(sizes):
        out = np.abs(j * n - i * m) > max(n, m)  # farther than one sentence from the diagonal
        for arr in (*costs.values(), ins, ext, ext_del):
            arr[w, n + 1 :, :] = dp.INF
            arr[w, :, m + 1 :] = dp.INF
            arr[w][out] = dp.INF
    best = dp.best_costs(costs, ins, ends, ext, full, ext_del)
    for w, (n, m) in enumerate(sizes):  # the band leaves nodes of every window unreached
        assert (best[0][w, : n + 1, : m + 1] >= dp.INF).any()
    found = dp.search(costs, ins, ends, best)
    for T in (0.5, 2.0):
        post, nodes = dp.posteriors(costs, ins, ends, found, T, best, extend=ext, full=full, extend_del=ext_del)
        for w, (n, m) in enumerate(sizes):
            assert_exact(found, post, nodes, w, n, m, lambda p, w=w: path_cost(p, costs, ins, w, ext, full, ext_del), T)


@pytest.mark.parametrize("integral", [False, True])
def test_both_backends_give_the_same_back_pointers(integral):
    """The compiled best_costs is the numpy one cell for cell: the same costs and
    back-pointers, ties (integral costs) broken alike, with and without affine runs."""
    pytest.importorskip("numba", reason="the PyPI package numba is not installed")
    from tolmach.align import dp_jit

    sizes = [(8, 7), (3, 9), (9, 2), (0, 4), (6, 0), (1, 1)]
    costs, ins, ends = random_windows(sizes, 21)
    if integral:
        costs, ins = {k: np.round(v) for k, v in costs.items()}, np.round(ins)
    ext, ext_del = (ins * 0.3).astype(np.float32), (costs[dp.DELETION] * 0.2).astype(np.float32)
    for full in (1, 2, 3):
        for args in ((None, 1, None), (ext, full, None), (ext, full, ext_del)):
            want, got = dp.best_costs_numpy(costs, ins, ends, *args), dp_jit.best_costs(costs, ins, ends, *args)
            np.testing.assert_array_equal(got[0], want[0])
            assert len(got[1]) == len(want[1])
            for g, w in zip(got[1], want[1]):
                np.testing.assert_array_equal(g, w)


def test_without_numba_the_numpy_code_runs(monkeypatch):
    """numba is optional: where it does not import, dp.compiled() is None and the search
    still runs (the numpy code), with the same result as the compiled one if that is there."""
    import sys

    costs, ins, ends = random_windows([(4, 3), (2, 5)], 2)
    monkeypatch.delenv(dp.BACKEND_ENV, raising=False)
    monkeypatch.setattr(dp, "_compiled", [])
    monkeypatch.delitem(sys.modules, "tolmach.align.dp_jit", raising=False)
    monkeypatch.delattr(sys.modules["tolmach.align"], "dp_jit", raising=False)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    assert dp.compiled() is None
    found = dp.search(costs, ins, ends)
    assert found == dp.search(costs, ins, ends, dp.best_costs_numpy(costs, ins, ends))
    assert [b[-1][1::2] for b in found] == [(4, 3), (2, 5)]  # every path reaches its window's end


@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_both_backends_build_the_same_cost_arrays(monkeypatch):
    """With numba the a:b beads' costs are built by one compiled pass each
    (:func:`dp_jit.bead_costs`) instead of numpy's temporaries: every cost array of every
    window batch is the numpy one bit for bit, on real text with paragraphs (crossed
    breaks, mismatched starts), coarse levels and bands, a general dictionary, the lexicon
    passes' Model 1 term (numpy either way) and a length ratio given as a numpy float far from the texts' (numpy then computes in
    float64: the compiled pass is not used)."""
    pytest.importorskip("numba", reason="the PyPI package numba is not installed")
    from tolmach.align import Text
    from tolmach.align import aligner as A

    src, tgt, _ = text_berg_dev()
    build = A._window_costs
    checked = []

    def both(*args, **kwargs):
        monkeypatch.delenv(dp.BACKEND_ENV, raising=False)
        got = build(*args, **kwargs)
        monkeypatch.setenv(dp.BACKEND_ENV, "numpy")
        want = build(*args, **kwargs)
        monkeypatch.delenv(dp.BACKEND_ENV)
        assert list(got[0]) == list(want[0])
        for g, w in zip([*got[0].values(), *got[1:4]], [*want[0].values(), *want[1:4]]):
            if w is None:
                assert g is None
            else:
                assert g.dtype == w.dtype == np.float32
                np.testing.assert_array_equal(g, w)
        checked.append(bool((got[0][(1, 1)] < dp.INF).any()))
        return got

    monkeypatch.setattr(A, "_window_costs", both)
    monkeypatch.delenv(dp.BACKEND_ENV, raising=False)
    # paragraphs on both sides, of different counts (so not anchors): breaks inside runs
    sp, tp = [k // 7 for k in range(len(src))], [k // 8 for k in range(len(tgt))]
    A.Aligner(A.AlignConfig(max_cells=20_000)).align_many([(Text(src, sp), Text(tgt, tp))])
    A.Aligner(A.AlignConfig(max_cells=20_000), ratio=np.float64(3.0)).align(src[:200], tgt[:200])
    # a general dictionary (its concepts' share of the similarity counts once), compiled too
    from tolmach.align import dp_jit

    compiled = dp_jit.bead_costs
    with_general = []
    monkeypatch.setattr(dp_jit, "bead_costs", lambda *a, **k: with_general.append(a[11] is not None) or compiled(*a, **k))
    words = [("und", "et"), ("nicht", "pas"), ("mit", "avec"), ("für", "pour"), ("Berg", "montagne"), ("Gipfel", "sommet"),
             ("Hütte", "cabane"), ("Weg", "chemin"), ("Schnee", "neige"), ("Jahr", "année"), ("Tag", "jour"), ("Nacht", "nuit")]  # fmt: skip
    A.Aligner(A.AlignConfig(max_cells=20_000), general=words).align_many([(Text(src, sp), Text(tgt, tp))])
    assert any(with_general)
    assert sum(checked) > 20  # batches with priced 1:1 cells compared


@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_warming_the_cache_compiles_what_an_alignment_uses(tmp_path):
    """``dp_jit.warm()`` (run by scripts/setup.sh) compiles every kernel with the argument
    types of a real alignment: a later process aligning another text (a real one, with
    paragraphs, of other sizes) loads all three from numba's cache and compiles none."""
    pytest.importorskip("numba", reason="the PyPI package numba is not installed")
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != dp.BACKEND_ENV}
    env.update(NUMBA_CACHE_DIR=str(tmp_path), PYTHONPATH=os.pathsep.join(sys.path))
    code = "import json; from tolmach.align.dp_jit import warm; print(json.dumps(warm()))"
    first = json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
    assert all(misses == 1 for _, misses in first.values()), first  # compiled, into tmp_path
    align = f"""
import json
from tolmach.align import Aligner, Text, dp_jit
src = open({str(TEXT_BERG / "dev.de")!r}, encoding="utf-8").read().splitlines()[:150]
tgt = open({str(TEXT_BERG / "dev.fr")!r}, encoding="utf-8").read().splitlines()[:160]
Aligner().align_many([(Text(src, [k // 9 for k in range(150)]), Text(tgt, [k // 10 for k in range(160)]))])
print(json.dumps({{f.__name__: (sum(f.stats.cache_hits.values()), sum(f.stats.cache_misses.values()))
                  for f in (dp_jit._bead_costs, dp_jit._best_costs, dp_jit._passes)}}))
"""
    later = json.loads(subprocess.run([sys.executable, "-c", align], env=env, capture_output=True, text=True, check=True).stdout)
    assert later == {name: [1, 0] for name in first}, later
