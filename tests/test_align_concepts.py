"""The concept matrices the aligner builds from integer ids are the ones the sentences'
concept bags give, bit for bit: exact columns and feature-hashed ones, with a learned
lexicon, a dictionary and a machine translation's words."""

from __future__ import annotations

import math
import zlib
from itertools import chain

import numpy as np
import pytest

from tolmach.align import aligner as A
from tolmach.align.features import Lexicon, learn_lexicon, mt_concepts, sentence_concepts

from test_align_aligner import TEXT_BERG, text_berg_dev

pytestmark = pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="shared/data/text-berg is not there")


def bag_vectors(src_bags, tgt_bags, dim_limit: int, hashed_dim: int):
    """The definition: tf·idf over the bags (idf over the sentences of both sides), one
    column per concept both sides have (sorted), or its crc32 modulo ``hashed_dim`` with
    a sign from one of its bits; each bag's items added in the bag's order in float32."""
    bags = list(src_bags) + list(tgt_bags)
    df = {}
    for bag in bags:
        for c in bag:
            df[c] = df.get(c, 0) + 1
    idf = {c: math.log((len(bags) + 1) / (k + 0.5)) for c, k in df.items()}
    shared = set().union(*src_bags) & set().union(*tgt_bags)
    exact = len(bags) * max(1, len(shared)) <= dim_limit
    dim = max(1, len(shared)) if exact else hashed_dim
    column, weight = {}, {}
    for k, c in enumerate(sorted(shared)):
        h = zlib.crc32(c.encode("utf-8"))
        column[c] = k if exact else h % dim
        weight[c] = idf[c] if exact or (h >> 20) & 1 else -idf[c]
    out = []
    for side in (src_bags, tgt_bags):
        mat = np.zeros((len(side), dim), dtype=np.float32)
        for r, bag in enumerate(side):
            for c, k in bag.items():
                if c in column:
                    mat[r, column[c]] += np.float32(k * weight[c])
        out.append(mat)
    return out


@pytest.mark.parametrize("dim_limit", [10**9, 40_000])  # exact columns; hashed
@pytest.mark.parametrize("with_mt", [False, True])
def test_concept_matrices_are_the_bags_ones(dim_limit, with_mt):
    src, tgt, gold = text_berg_dev()
    src, tgt = src[:300], tgt[:300]
    learned = learn_lexicon([(src[a[0]], tgt[b[0]]) for a, b in gold if len(a) == 1 and len(b) == 1 and a[0] < 300 and b[0] < 300])
    lexicon = Lexicon.from_pairs([("Gletscher", "glacier"), ("Hütte", "cabane")]).merged(learned)
    assert len(learned) > 50
    mt = [s.upper() for s in src] if with_mt else None  # any text in place of a translation
    concepts = A._Concepts()
    keys = (1, "src"), (2, "tgt")
    concepts.side(keys[0], src, mt)
    concepts.side(keys[1], tgt, tgt if with_mt else None)
    for lex in (Lexicon(), lexicon):  # a pass without a lexicon, then one with it
        sb = [sentence_concepts(x, lex, "src") for x in src]
        tb = [sentence_concepts(x, lex, "tgt") for x in tgt]
        if with_mt:
            for bag, text in chain(zip(sb, mt), zip(tb, tgt)):
                bag.update(mt_concepts(text))
        want = bag_vectors(sb, tb, dim_limit, 384)
        got = concepts.vectors(keys, lex, dim_limit, 384)
        for w, g in zip(want, got):
            assert w.shape == g.shape
            assert np.array_equal(w, g)
            assert np.count_nonzero(g) > 0
        assert (want[0].shape[1] == 384) == (dim_limit < 10**9)


def test_sentences_read_in_two_processes_give_the_same_concepts(monkeypatch):
    """A long text's sentences are read (their lexicon-free concepts) half in a forked
    process when a second core is idle; what comes back is filed in the cache and is
    what reading them here gives, and the concept ids of both sides are the same."""
    import os
    import threading

    from tolmach.align import features

    if threading.active_count() > 1 or not hasattr(os, "fork"):
        pytest.skip("forks only from a process with one thread, on a system with fork")
    src, tgt, _ = text_berg_dev()
    src = [f"{x} Seite {k} ." for k, x in enumerate(src)]  # sentences no other test has read
    tgt = [f"{x} page {k} ." for k, x in enumerate(tgt)]
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(A, "READ_FORK", 100)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setattr(features, "_BASE", {})
    monkeypatch.setattr(features, "_PAIRS", {})
    A._read_sentences(src + tgt)
    assert forks and len(features._BASE) == len(set(src + tgt))
    assert all(features._BASE[x] == features.read_base(x) for x in src + tgt)
    # one copy of each (concept, count) pair, whichever process read the sentence (the
    # cache's memory: a pair of its own in every bag took half of it)
    pairs = [p for x in src + tgt for p in features._BASE[x][0]]
    assert len({id(p) for p in pairs}) == len(set(pairs)) < len(pairs) / 3
    forked = A._Concepts()
    forked.side((1, "src"), src, None)
    forked.side((2, "tgt"), tgt, None)
    monkeypatch.setattr(features, "_BASE", {})  # read again, here
    alone = A._Concepts()
    alone.side((1, "src"), src, None)
    alone.side((2, "tgt"), tgt, None)
    assert forked.ids == alone.ids and forked.stems == alone.stems
    for key in ((1, "src"), (2, "tgt")):
        np.testing.assert_array_equal(forked.sides[key][1][1], alone.sides[key][1][1])


def test_read_base_is_its_definition():
    """A sentence's lexicon-free concepts, read by one regular expression for punctuation
    and a cache per word, are the definition's: each punctuation mark as the text is read
    character by character, then each word in order (a number's digits, a long word's
    cognate stem), with the same counts in the same order, and the stems of the words."""
    from tolmach.align import features as F

    def definition(text):
        bag = {}
        for ch in text:
            if ch in F.PUNCTUATION_CONCEPTS:
                c = "P" + F.PUNCTUATION_CONCEPTS[ch]
                bag[c] = bag.get(c, 0) + 1
        stems = []
        for w in F.words(text):
            if w[0].isdigit():
                if F.number_key(w) != "#":
                    bag[F.number_key(w)] = bag.get(F.number_key(w), 0) + 1
                continue
            stems.append(F.stem(w))
            if len(w) >= F.MIN_COGNATE_LENGTH:
                bag["C:" + F.stem(w)] = bag.get("C:" + F.stem(w), 0) + 1
        return tuple(bag.items()), tuple(stems)

    src, tgt, _ = text_berg_dev()
    texts = src + tgt + ["«Ja?» – „Nein!“ (3.000 m; 0,5) … 00 Gletscher, Gletscher: Hütte?", ""]
    assert sum(len(definition(x)[0]) for x in texts) > 5 * len(texts)
    for x in texts:
        assert F.read_base(x) == definition(x)
        assert [type(c) for c, _ in F.read_base(x)[0]] == [str] * len(F.read_base(x)[0])


def test_sparse_rows_are_the_dense_matrix():
    """The general dictionary's matrices are kept as their non-zero cells (``_Rows``, built
    from the cells, not a dense chunk): the same float32 sums as the dense matrix (several
    parts, repeated cells, a cell whose values cancel left out), the same rows gathered or
    cut (across chunk boundaries), the same block norms and the same coarse levels, bit for bit."""
    rng = np.random.default_rng(3)
    n, dim = 9000, 64  # more than two chunks of 4,096 rows
    cells = []
    for _ in range(3):  # a part's rows in order, as the bags give them
        r = np.sort(rng.integers(0, n, 30_000))
        cells.append((r, rng.integers(0, dim, 30_000), rng.normal(size=30_000).astype(np.float32)))
    cells.append((np.array([n - 1, n - 1]), np.array([dim - 1, dim - 1]), np.array([-1.5, 1.5], dtype=np.float32)))
    dense = A._added(n, dim, cells)
    rows = A._Rows.build(n, dim, cells)
    assert np.array_equal(rows.dense(), dense) and rows.val.nbytes + rows.col.nbytes < dense.nbytes
    assert len(rows.val) == np.count_nonzero(dense) and np.all(rows.val != 0)
    idx = rng.integers(0, n - 100, (5, 7))
    assert np.array_equal(rows[idx], dense[idx]) and np.array_equal(rows[[n - 1]], dense[[n - 1]])
    assert np.array_equal(rows[100:7000][idx % 6900], dense[100:7000][idx % 6900]) and rows[50:40].shape == (0, dim)
    length = np.ones(n, np.float32)
    plain, kept = A._Side(dense, length, None), A._Side(dense, length, None, gen=rows)
    for a in range(1, 5):
        assert np.array_equal(plain.block_norms(a), kept.block_norms(a, gen=True))
    for k in (2, 3, 4):
        for start in (0, 1):
            cut = A._Side(dense[start:], length[start:], None, gen=rows[start:])
            assert np.array_equal(A._coarsen(cut, k).gen.dense(), A._coarsen(cut, k).vec)
