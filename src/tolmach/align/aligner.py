"""Sentence alignment with n:m beads: length model + lexical anchors + learned lexicon.

The cost of a bead joining source run A with target run B combines

* a Gale–Church length term on characters, the target/source length ratio estimated
  from the texts themselves;
* ``1 - cosine`` between the concept bags of A and B (:mod:`.features`: numbers,
  punctuation, cognates after transliteration, dictionary entries, learned word
  associations, and words of a machine translation when one is given).  Bags add up,
  so a merged run is scored as one unit, as Vecalign does with embeddings;
* when a project gives enough confident beads, IBM Model 1's mean log-ratio of the two
  runs' words (Moore 2002): every word should be explained by the other run;
* a prior per bead shape and, when both texts carry paragraphs, a penalty for beads
  that straddle a paragraph break or start a paragraph on one side only.

Skips (1:0, 0:1) cost the document's skip level; in a run of them every skip after the
first two costs less (an affine gap), so an untranslated block is one omission.

Alignment runs twice: the first pass uses anchors and lengths only, its confident 1:1
beads teach a word lexicon (Hunalign's bootstrap), the second pass uses it too.  Long
texts are first aligned coarsely (runs of sentences glued together) and then searched
in a band around the coarse path, so the work grows linearly with length.
"""

from __future__ import annotations

import gc
import math
import os
import pickle
import signal
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any, Literal, NamedTuple, TypeVar, cast, overload

import numpy as np
from threadpoolctl import threadpool_limits

from tolmach.align import confidence, dp, features
from tolmach.align.features import (
    _base_concepts,
    Cooccurrence,
    content_stems,
    count_lexicon,
    DictionaryLike,
    Lexicon,
    Model1,
    dictionary_pairs,
    intern,
    mt_concepts,
)
from tolmach.model import FLAG_BELOW

Translate = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class AlignedBead:
    """One aligned unit: source and target sentence indices (0-based), and a confidence."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float
    #: the DP's posterior of the bead (the score combines it with more evidence,
    #: :mod:`.confidence`), and the score's features
    posterior: float = 1.0
    features: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def shape(self) -> str:
        return f"{len(self.src)}:{len(self.tgt)}"


_T = TypeVar("_T")
_R = TypeVar("_R")
#: a side's bag items as arrays: (sentence, concept id, count)
_Bag = tuple[np.ndarray, np.ndarray, np.ndarray]


class _Draft(NamedTuple):
    """A bead of a pass the lexicon is learned from (not the alignment): its runs and posterior."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    posterior: float


@dataclass(frozen=True)
class AlignConfig:
    """Weights of the bead cost; tuned on the Text+Berg development document only."""

    sim_weight: float = 4.0
    length_weight: float = 0.6
    length_variance: float = 6.8  # Gale–Church s², characters
    smoothing: float = 4.0  # added to squared bag norms: few anchors mean little evidence
    skip_cost: float = 4.0  # a 1:0 or 0:1 bead
    shape_cost: dict[tuple[int, int], float] = field(
        default_factory=lambda: {
            (1, 1): 0.0, (1, 2): 1.2, (2, 1): 1.2, (2, 2): 2.5, (1, 3): 2.5, (3, 1): 2.5,
            (2, 3): 3.5, (3, 2): 3.5, (1, 4): 3.5, (4, 1): 3.5,
        }  # fmt: skip
    )
    paragraph_cross: float = 4.0
    paragraph_mismatch: float = 2.0
    learn_lexicon: bool = True
    confident_fraction: float = 0.6  # of 1:1 beads used to learn the lexicon
    max_cells: int = 1_600_000  # larger grids are searched coarse-to-fine
    max_glue: int = 32  # sentences glued into one unit of a coarse level at most (coarser, the path is lost)
    band_margin: int = 10  # sentences a fine path may stray from the coarse one
    embed_weight: float = 2.0  # the sentence-embedding term, when embeddings are given
    embed_runs: int = 4  # runs of up to this many sentences are embedded as one joined text
    embed_norm: bool = True  # 1 - cosine divided by the runs' mean against the other side (Vecalign)
    embed_product: float = 0.25  # the embedding term scaled by (1-t)(a+b)/2 + t·a·b (Vecalign: t = 1)
    embed_skip: float = 0.25  # share of the embedding term in the random pairs that price a skip
    embed_knn: int = 3  # the runs' norms over their k nearest sentences of the other side (0: all of them)
    embed_near: int = 32  # ... among those within this many sentences of the diagonal
    # share of the runs' characters in the embedding term's size, (la/Ls + lb/Lt)/2 with Ls, Lt
    # the sides' mean sentence lengths, instead of the runs' sentences, (a+b)/2: a short
    # fragment glued to a merge adds little to the joined text's cosine and so to its cost
    embed_by_length: float = 1.0
    # after the search, a skip joins the neighbouring bead whose runs' normalised embedding
    # cosine it raises by more than this (:func:`_skips_home`; < 0: never; with embeddings only)
    skip_home: float = 0.1
    window: int = 64  # sentences a side in the windows of a coarse-to-fine search
    max_dense: int = 4_000_000  # floats in the concept matrices before hashing
    hashed_dim: int = 384
    flag_below: float = FLAG_BELOW
    shapes: tuple[tuple[int, int], ...] = dp.SHAPES + ((2, 3), (3, 2), (1, 4), (4, 1))
    learn_rounds: int = 2
    skip_short: float = 0.5  # how much cheaper skipping a short (junk) line is, 0..1
    short_chars: float = 40.0  # a line is short below this many characters (source scale) ...
    short_typical: float = 0.8  # ... or below this share of its text's median line, if less
    skip_run: float = 0.6  # a 0:1 bead after the first skip_full of a run costs this fraction
    skip_full: int = 2  # 0:1 beads of a run at the full price
    skip_run_del: float = 0.8  # the same for runs of 1:0 beads (1: each costs the skip level)
    skip_percentile: float | None = 20.0  # adaptive skip cost (None: the flat skip_cost)
    skip_samples: int = 4000  # random sentence pairs priced to set the skip cost
    lexicon_min_dice: float = 0.3
    lexicon_per_word: int = 3
    end_skip: float = 0.7  # skips before the other text starts or after it ends cost this fraction
    partial_excess: float = 1.25  # one side this much longer than the other: it may be partial
    ratio_tolerance: float = 1.5  # totals this far from the pair's usual ratio: one side is partial
    paragraph_anchors: bool = True  # equal paragraph counts on both sides: boundaries are fixed
    temperature: float = 0.35  # of the bead posteriors that are the bead scores
    m1_weight: float = 0.5  # IBM Model 1 term (Moore 2002), learned with the lexicon
    m1_mix: float = 0.5  # share of Model 1 in P(word | run), the rest its unigram frequency
    m1_prior: float = 2.0  # tokens of evidence a run's mean log-ratio is shrunk with
    m1_iterations: int = 5
    m1_min_pairs: int = 20  # confident 1:1 beads needed to train it (fewer: no Model 1 term)
    m1_max_dense: int = 4_000_000  # floats of a text's Model 1 tables (larger texts: no Model 1 term)
    # after the search, a merged bead is two beads when no concept links across a cut of
    # both runs (at most this share of the bead's concept products) and the lengths fit
    # the two as well as the merge (their Gale–Church terms at most this much above it)
    split_cross: float = 0.1
    split_length: float = 1.0
    # ... and two neighbouring beads are one when a name or number of one run is found only
    # across their boundary (:func:`_join_crossed`): at least join_cross such anchors (0:
    # never), the joined lengths fitting at least as well as the two beads', at most
    # join_cross_max sentences a side
    join_cross: int = 1
    join_cross_max: int = 5
    # ... and the first or last sentence of either run of a merged bead is a skip of its own
    # (1:0 or 0:1) when it earns no place in the bead (:func:`_idle_member`): at most edge_link
    # of the bead's concept products are its own (on concepts the rest of its run does not
    # link; < 0: never), and the lengths fit the rest better by edge_length plus edge_shared
    # times its products beyond edge_link over its similarity to the other run above
    # edge_sim (Gale–Church terms; a member with products beyond edge_link and no more
    # similarity than that stays), and the rest then fits its lengths
    edge_link: float = 0.03
    edge_length: float = 0.2
    edge_shared: float = 1.5
    edge_sim: float = 0.08
    edge_fit: float = 0.3  # ... and the rest's own Gale–Church term is at most this (it explains the lengths)
    # project mode (a project's counts, or several texts aligned together), final pass: a
    # text with fewer confident 1:1 beads of its own (the top confident_fraction of its own
    # 1:1 beads, whatever the other texts' scores) than project_few keeps, of the pairs
    # the other texts' alignment teaches, only those its own beads hold at least
    # project_confirm times (0: it keeps them all); what the project's stored counts teach
    # alone it keeps; the other texts still pick which of its beads are confident
    project_confirm: int = 2
    project_few: int = 20
    # a skip (of the search or of the edge rule) that is part of a sentence the sentence
    # splitter cut joins the bead of the rest of that sentence (:func:`_lone_home`)
    join_continued: bool = True


@dataclass
class Text:
    """One side of a pair: sentences and, optionally, the paragraph of each."""

    sentences: Sequence[str]
    paragraphs: Sequence[int] | None = None


# --------------------------------------------------------------------------- vectors


class _Rows:
    """A float32 matrix kept as its non-zero cells, row by row (compressed sparse rows):
    the general dictionary's concept matrices, a few non-zero cells in a row of hundreds
    (at 20,000 sentences ~1 MB a side against 31 MB dense).  Cut (``rows[a:b]``, another
    ``_Rows``) and gathered (``rows[index_array]``: dense rows, the same values as the
    dense matrix's) as a numpy array is; :meth:`dense` rebuilds a stretch."""

    __slots__ = ("ptr", "col", "val", "shape")

    def __init__(self, ptr: np.ndarray, col: np.ndarray, val: np.ndarray, dim: int) -> None:
        self.ptr, self.col, self.val = ptr, col, val  # row r's cells: col/val[ptr[r] - ptr[0] : ptr[r + 1] - ptr[0]]
        self.shape = (len(ptr) - 1, dim)

    #: rows built or rebuilt dense at a time (bounds the temporaries: rows × width floats)
    CHUNK = 4096

    @classmethod
    def build(cls, size: int, dim: int, cells: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> _Rows:
        """The matrix the cells add up to (each part's rows in order), made from the cells a
        chunk of rows at a time (the temporaries a chunk's cells): each distinct cell's values
        added in float32 in the order :func:`_added` adds them (part after part, each in its
        order), so the same sums, and the cells that sum to zero left out, as :meth:`of` leaves
        out a dense matrix's zeros.  No dense chunk to scan (at 20,000 sentences 4,096 × 384
        floats for ~200 KB of cells); the keys sorted stably (each part's rows are in order)."""
        chunks = []
        starts = [np.searchsorted(r, np.arange(0, size + cls.CHUNK, cls.CHUNK)) for r, _, _ in cells]
        for k, c0 in enumerate(range(0, size, cls.CHUNK)):
            part = [(r[a[k] : a[k + 1]] - c0, c[a[k] : a[k + 1]], v[a[k] : a[k + 1]]) for (r, c, v), a in zip(cells, starts)]
            keys = np.concatenate([r * dim + c for r, c, _ in part]) if part else np.zeros(0, dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            first = np.ones(len(keys), dtype=bool)
            first[1:] = keys[order[1:]] != keys[order[:-1]]
            cell = np.empty(len(keys), dtype=np.int64)  # each value's cell, by rank of its key
            cell[order] = np.cumsum(first) - 1
            sums = np.zeros(int(first.sum()), dtype=np.float32)
            if part:
                np.add.at(sums, cell, np.concatenate([v for _, _, v in part]))  # in the cells' order
            at = keys[order[first]]
            kept = sums != 0
            at, sums = at[kept], sums[kept]
            row = at // dim
            ptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=min(size, c0 + cls.CHUNK) - c0))]).astype(np.int64)
            chunks.append(cls(ptr, (at - row * dim).astype(np.int32), sums, dim))
        return cls.concat(chunks, dim)

    @classmethod
    def of(cls, mat: np.ndarray) -> _Rows:
        """A dense (rows, dim) float32 matrix's non-zero cells."""
        dim = mat.shape[1]
        flat = mat.reshape(-1)
        at = np.flatnonzero(flat)
        row = at // dim
        ptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=mat.shape[0]))]).astype(np.int64)
        return cls(ptr, (at - row * dim).astype(np.int32), flat[at].astype(np.float32), dim)

    @classmethod
    def concat(cls, parts: Sequence[_Rows], dim: int) -> _Rows:
        """The rows of ``parts`` one after the other."""
        ptr, total = [np.zeros(1, dtype=np.int64)], 0
        for p in parts:
            ptr.append(p.ptr[1:] - p.ptr[0] + total)
            total += int(p.ptr[-1] - p.ptr[0])
        col = np.concatenate([p.col for p in parts]) if parts else np.zeros(0, dtype=np.int32)
        val = np.concatenate([p.val for p in parts]) if parts else np.zeros(0, dtype=np.float32)
        return cls(np.concatenate(ptr), col, val, dim)

    def __len__(self) -> int:
        return self.shape[0]

    @overload
    def __getitem__(self, key: slice) -> _Rows: ...
    @overload
    def __getitem__(self, key: np.ndarray) -> np.ndarray: ...
    def __getitem__(self, key: slice | np.ndarray) -> _Rows | np.ndarray:
        if isinstance(key, slice):
            start, end, step = key.indices(len(self))
            if step != 1:
                raise ValueError("rows are cut in order")
            end = max(start, end)
            ptr = self.ptr[start : end + 1]
            lo, hi = int(ptr[0] - self.ptr[0]), int(ptr[-1] - self.ptr[0])
            return _Rows(ptr, self.col[lo:hi], self.val[lo:hi], self.shape[1])
        idx = np.asarray(key, dtype=np.int64)
        flat = idx.reshape(-1)
        first = self.ptr[flat] - self.ptr[0]
        lens = self.ptr[flat + 1] - self.ptr[flat]
        at = np.repeat(first - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()), dtype=np.int64)
        out = np.zeros((len(flat), self.shape[1]), dtype=np.float32)
        out.reshape(-1)[np.repeat(np.arange(len(flat), dtype=np.int64) * self.shape[1], lens) + self.col[at]] = self.val[at]
        return out.reshape(*idx.shape, self.shape[1])

    def dense(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """Rows ``start`` to ``end`` as a dense array."""
        return self[np.arange(start, len(self) if end is None else end, dtype=np.int64)]


def _added(size: int, dim: int, cells: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> np.ndarray:
    """A dense (size, dim) float32 matrix of the cells' values added up, part after part,
    each in its order (the same float32 sums whatever the chunk)."""
    mat = np.zeros((size, dim), dtype=np.float32)
    for rows, cols, vals in cells:
        np.add.at(mat.reshape(-1), rows * dim + cols, vals)  # flat: numpy's fast path
    return mat


def _dense(x: np.ndarray | _Rows, start: int, end: int) -> np.ndarray:
    """Rows ``start`` to ``end`` of a matrix, dense or kept sparse, as a dense array."""
    return x[start:end] if isinstance(x, np.ndarray) else x.dense(start, min(end, len(x)))


def _lag_dots(x: np.ndarray | _Rows, lags: Sequence[int]) -> list[np.ndarray]:
    """For each lag d, ``einsum("ij,ij->i", x[: k - d], x[d:])``: every row's product with
    the row d after it; a matrix kept sparse is made dense a chunk of rows at a time, once
    for all the lags (the same float32 products of the same dense rows)."""
    k = len(x)
    if isinstance(x, np.ndarray):
        return [np.einsum("ij,ij->i", x[: max(0, k - d)], x[d:]) for d in lags]
    out = [np.empty(max(0, k - d), dtype=np.float32) for d in lags]
    reach = max(lags, default=0)
    for c in range(0, k, _Rows.CHUNK):
        e = min(k, c + _Rows.CHUNK)
        rows = x.dense(c, min(k, e + reach))
        for d, dots in zip(lags, out):
            size = min(e, k - d) - c
            if size > 0:
                dots[c : c + size] = np.einsum("ij,ij->i", rows[:size], rows[d : d + size])
    return out


class _Concepts:
    """The concepts of the texts of one :meth:`Aligner.align_many` call as integer ids, and
    their tf·idf matrices (exact, or feature-hashed when huge).

    A sentence's concept bag (:func:`sentence_concepts`) is what it offers whatever the
    lexicon (:func:`_base_concepts`; a machine translation's words, when given) and the
    lexicon's concepts of its stems.  The first part is read once per text, the second is
    looked up per pass for each distinct stem, not for each sentence: the matrices are
    the ones the bags give, bit for bit (the same float32 sums in the same order:
    ``tests/test_align_features.py``), at a fraction of the Python work."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # concept -> id
        self.stems: dict[str, int] = {}  # stem -> id
        self.crc = np.zeros(0, dtype=np.int64)  # of each concept id, as far as hashed
        #: per side: its sentences, lexicon-free bag, (stem rows, stem ids), MT bag or None
        self.sides: dict[tuple[int, str], tuple[int, _Bag, tuple[np.ndarray, np.ndarray], _Bag | None]] = {}

    def _ids(self, concepts: Iterable[str]) -> np.ndarray:
        return intern(self.ids, concepts if isinstance(concepts, (list, tuple)) else list(concepts))

    @staticmethod
    def _bags(bags: Sequence[Sequence[tuple[str, int]]]) -> tuple[np.ndarray, list[str], np.ndarray]:
        """(sentence, concept, count) of every item of the bags, in order."""
        rows = np.repeat(np.arange(len(bags), dtype=np.int64), [len(b) for b in bags])
        items = list(chain.from_iterable(bags))
        return rows, [c for c, _ in items], np.array([k for _, k in items], dtype=np.float64)

    def side(self, key: tuple[int, str], sentences: Sequence[str], mt: Sequence[str] | None) -> None:
        """Read a text side once: its lexicon-free concepts, its stems, its MT concepts."""
        if key in self.sides:
            return
        base = [_base_concepts(x) for x in sentences]
        rows, cs, cnt = self._bags([b for b, _ in base])
        fixed = (rows, self._ids(cs), cnt)
        stems = list(chain.from_iterable(st for _, st in base))
        stem_rows = np.repeat(np.arange(len(base), dtype=np.int64), [len(st) for _, st in base])
        stem_ids = intern(self.stems, stems)
        after = None
        if mt is not None:
            rows, cs, cnt = self._bags([tuple(mt_concepts(x).items()) for x in mt])
            after = (rows, self._ids(cs), cnt)
        self.sides[key] = (len(base), fixed, (stem_rows, stem_ids), after)

    def _entries(self, key: tuple[int, str], table: dict[str, set[str]] | None) -> list[_Bag]:
        """The side's (sentence, concept, count) in the order of its bags' items: per
        sentence the lexicon-free concepts, then the lexicon's (each once, counted, in
        the order of first occurrence, as Counter.update adds them), then the MT's."""
        _, fixed, (srows, sids), after = self.sides[key]
        parts = [fixed]
        if table:
            per = [table.get(w, ()) for w in self.stems]  # every stem's concepts, by stem id
            lens = np.fromiter(map(len, per), dtype=np.int64, count=len(per))
            flat = self._ids(chain.from_iterable(per))
            ptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
            k = lens[sids]
            rows = np.repeat(srows, k)
            start = np.concatenate([[0], np.cumsum(k)[:-1]]).astype(np.int64)
            cid = flat[np.repeat(ptr[sids] - start, k) + np.arange(int(k.sum()), dtype=np.int64)]
            _, first, cnt = np.unique(rows * len(self.ids) + cid, return_index=True, return_counts=True)
            o = np.argsort(first, kind="stable")
            parts.append((rows[first[o]], cid[first[o]], cnt[o].astype(np.float64)))
        if after is not None:
            parts.append(after)
        return parts

    def anchors(
        self, keys: tuple[tuple[int, str], tuple[int, str]]
    ) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
        """Both sides' anchor concepts (numbers ``#``, cognates ``C``) as (sentence, concept
        id) arrays, and whether each concept id is a number (:func:`.confidence.bead_features`)."""
        kind = np.array([c[0] for c in self.ids], dtype="U1")
        pairs = []
        for key in keys:
            rows, cid, _ = self.sides[key][1]  # a bag's concepts are distinct
            hit = np.isin(kind[cid], ["#", "C"])
            pairs.append((rows[hit], cid[hit]))
        return pairs, kind == "#"

    @overload
    def vectors(
        self, keys: tuple[tuple[int, str], tuple[int, str]], lexicon: Lexicon, dim_limit: int, hashed_dim: int,
        general: Literal[False] = False, sparse: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]: ...
    @overload
    def vectors(
        self, keys: tuple[tuple[int, str], tuple[int, str]], lexicon: Lexicon, dim_limit: int, hashed_dim: int,
        general: Literal[True], sparse: bool = False,
    ) -> tuple[np.ndarray | _Rows, np.ndarray | _Rows, _Rows | None, _Rows | None]: ...
    def vectors(
        self, keys: tuple[tuple[int, str], tuple[int, str]], lexicon: Lexicon, dim_limit: int, hashed_dim: int,
        general: bool = False, sparse: bool = False,
    ) -> tuple[np.ndarray, np.ndarray] | tuple[np.ndarray | _Rows, np.ndarray | _Rows, _Rows | None, _Rows | None]:
        """tf·idf concept matrices of both sides with this lexicon; ``general``: also the
        matrices of the general dictionary's concepts (``G:``) alone, the same weights,
        or None when no such concept occurs on both sides (:func:`bead_cost`'s ``general``)."""
        sides = [self._entries(key, lexicon.src if key[1] == "src" else lexicon.tgt) for key in keys]
        K = max(1, len(self.ids))
        cids = [np.concatenate([p[1] for p in parts]) for parts in sides]
        df = np.bincount(np.concatenate(cids), minlength=K)  # an item is one bag holding the concept
        shared = np.flatnonzero((np.bincount(cids[0], minlength=K) > 0) & (np.bincount(cids[1], minlength=K) > 0))
        sizes = [self.sides[key][0] for key in keys]
        n = sum(sizes)
        logs = {d: math.log((n + 1) / (d + 0.5)) for d in set(df[shared].tolist())}  # idf, as math.log gives it
        if not general:
            return self._matrices(sides, sizes, shared, df, logs, dim_limit, hashed_dim)
        E: np.ndarray | _Rows
        F: np.ndarray | _Rows
        if sparse:  # (the aligner's: most of a row's cells are empty)
            E, F = self._matrices(sides, sizes, shared, df, logs, dim_limit, hashed_dim, sparse=True)
        else:
            E, F = self._matrices(sides, sizes, shared, df, logs, dim_limit, hashed_dim)
        names = list(self.ids)
        own = shared[[names[c].startswith("G:") for c in shared.tolist()]] if len(shared) else shared
        if not len(own):
            return E, F, None, None
        # (the general dictionary's concepts are few: a few cells of a row, kept sparse)
        return (E, F, *self._matrices(sides, sizes, own, df, logs, dim_limit, hashed_dim, sparse=True))

    @overload
    def _matrices(
        self, sides: list[list[_Bag]], sizes: list[int], shared: np.ndarray, df: np.ndarray, logs: dict[int, float],
        dim_limit: int, hashed_dim: int, sparse: Literal[False] = False,
    ) -> tuple[np.ndarray, np.ndarray]: ...
    @overload
    def _matrices(
        self, sides: list[list[_Bag]], sizes: list[int], shared: np.ndarray, df: np.ndarray, logs: dict[int, float],
        dim_limit: int, hashed_dim: int, sparse: Literal[True],
    ) -> tuple[_Rows, _Rows]: ...
    def _matrices(
        self, sides: list[list[_Bag]], sizes: list[int], shared: np.ndarray, df: np.ndarray, logs: dict[int, float],
        dim_limit: int, hashed_dim: int, sparse: bool = False,
    ) -> tuple[np.ndarray, np.ndarray] | tuple[_Rows, _Rows]:
        """The two sides' matrices over the concepts ``shared`` (exact or feature-hashed);
        ``sparse``: kept as their non-zero cells (:class:`_Rows`), the same values."""
        K = max(1, len(self.ids))
        n = sum(sizes)
        # a concept on one side only never matches; each kept concept gets a column and a sign
        exact = n * max(1, len(shared)) <= dim_limit
        dim = max(1, len(shared)) if exact else hashed_dim
        idf = np.array([logs[d] for d in df[shared].tolist()], dtype=np.float64)
        column = np.full(K, -1, dtype=np.int64)
        weight = np.zeros(K, dtype=np.float64)
        if exact:
            names = list(self.ids)
            column[sorted(shared.tolist(), key=names.__getitem__)] = np.arange(len(shared))
            weight[shared] = idf
        else:
            if len(self.crc) < len(self.ids):
                new = [zlib.crc32(c.encode("utf-8")) for c in list(self.ids)[len(self.crc) :]]
                self.crc = np.concatenate([self.crc, np.array(new, dtype=np.int64)])
            h = self.crc[shared]
            column[shared] = h % dim
            weight[shared] = np.where((h >> 20) & 1, idf, -idf)
        out: list[Any] = []
        for size, parts in zip(sizes, sides):
            cells = []
            for rows, cid, cnt in parts:  # per sentence in the bag's order: the same float32 sums
                cols = column[cid]
                hit = cols >= 0
                cells.append((rows[hit], cols[hit], (cnt * weight[cid])[hit].astype(np.float32)))
            out.append(_Rows.build(size, dim, cells) if sparse else _added(size, dim, cells))
        return out[0], out[1]


# --------------------------------------------------------------------------- costs


@dataclass
class _Side:
    vec: np.ndarray | _Rows  # (k, dim); the aligner's kept sparse (:class:`_Rows`)
    length: np.ndarray  # (k,) characters
    par_start: np.ndarray | None  # (k,) bool: sentence starts a paragraph
    emb: np.ndarray | None = None  # (k, 512) sentence embeddings, when the extra is used
    m1: _M1Side | None = None  # IBM Model 1 statistics, when a model is learned
    #: runs[a][e]: the embedding of the joined text of the a sentences ending at node e
    #: (rows below a are 0), for the run sizes embedded whole (``embed_runs``)
    runs: dict[int, np.ndarray] | None = None
    run_norm: dict[int, np.ndarray] | None = None  # each run's mean 1 - cosine against the other side
    #: (k, dim') the general dictionary's concepts alone (a part of ``vec``), when any
    #: matches; kept sparse (:class:`_Rows`)
    gen: _Rows | None = None
    #: the whole text's mean sentence length, in this side's units (a coarse unit of k
    #: sentences: k times it), so a stretch or window of it prices a run's size alike
    unit: float = 0.0

    @property
    def size(self) -> int:
        return int(self.length.shape[0])

    def block_norms(self, a: int, emb: bool = False, gen: bool = False) -> np.ndarray:
        """|sum of vectors of sentences e-a .. e-1|² for every end node e (shape size+1);
        of the embeddings (``emb``) or of the general dictionary's concepts (``gen``)."""
        cache: dict[tuple[int, bool, bool], np.ndarray] = self.__dict__.setdefault("_norms", {})
        if (a, emb, gen) in cache:
            return cache[(a, emb, gen)]
        vec = self.emb if emb else self.gen if gen else self.vec
        k = self.size
        out = np.zeros(k + 1, dtype=np.float64)
        if 0 < a <= k:
            if vec is None:
                raise ValueError("this side has no such vectors (embeddings, general concepts)")
            # |sum v|² = sum of pairwise products of the a vectors (small a); the products
            # of sentences `lag` apart are taken once per side (in one pass over a sparse
            # matrix's rows) and kept for every a
            lags: dict[tuple[int, bool, bool], np.ndarray] = self.__dict__.setdefault("_lags", {})
            todo = [d for d in range(a) if (d, emb, gen) not in lags]
            for d, dots in zip(todo, _lag_dots(vec, todo)):
                lags[(d, emb, gen)] = dots
            sq = lags[(0, emb, gen)].astype(np.float64)
            for p in range(a):
                out[a:] += sq[p : k - a + 1 + p]
            for p in range(a):
                for q in range(p + 1, a):
                    out[a:] += 2.0 * lags[(q - p, emb, gen)][p : p + k - a + 1]
        cache[(a, emb, gen)] = out = out.astype(np.float32)
        return out

    def block_lengths(self, a: int) -> np.ndarray:
        """Characters of the a sentences ending at every end node (shape size+1; kept, not to be written to)."""
        cache: dict[int, np.ndarray] = self.__dict__.setdefault("_lengths", {})
        if a not in cache:
            c = np.concatenate([[0.0], np.cumsum(self.length, dtype=np.float64)])
            out = cache[a] = np.zeros(self.size + 1, dtype=np.float32)
            out[a:] = c[a:] - c[: len(c) - a]
        return cache[a]

    def crosses(self, a: int) -> np.ndarray:
        """For every end node: does the a-sentence run ending there contain a paragraph break?"""
        out = np.zeros(self.size + 1, dtype=bool)
        if self.par_start is None or a < 2:
            return out
        s = self.par_start.astype(np.int64)
        c = np.concatenate([[0], np.cumsum(s)])
        # breaks at sentences e-a+1 .. e-1 (a run may start a paragraph, not contain one)
        out[a:] = (c[a:] - c[1 : len(c) - a + 1]) > 0
        return out

    def starts(self, a: int) -> np.ndarray:
        """For every end node e: does the run ending there start at a paragraph start?"""
        out = np.zeros(self.size + 1, dtype=bool)
        if self.par_start is None or a < 1:
            return out
        out[a:] = self.par_start[: self.size - a + 1]
        return out


@dataclass
class _M1Side:
    """One side's share of the Model 1 term: how much each sentence explains each word of
    the other side's vocabulary (``expl[k, c]`` = Σ t(c | w) over the words w of sentence
    k), its word count, and its own known words (column ``tok`` of the other side's
    ``expl``, sentence k's words at ``offs[k]:offs[k+1]``) with their t(· | NULL) and
    unigram frequency."""

    expl: np.ndarray
    nwords: np.ndarray
    offs: np.ndarray
    tok: np.ndarray
    tok_null: np.ndarray
    tok_p: np.ndarray

    def slice(self, start: int, end: int) -> _M1Side:
        lo, hi = int(self.offs[start]), int(self.offs[end])
        return _M1Side(self.expl[start:end], self.nwords[start:end], self.offs[start : end + 1] - lo,
                       self.tok[lo:hi], self.tok_null[lo:hi], self.tok_p[lo:hi])  # fmt: skip


def _m1_size(src: Sequence[str], tgt: Sequence[str]) -> int:
    """An upper bound of the floats in a text pair's Model 1 tables (:func:`_m1_sides`)."""
    vocab = [len(set(chain.from_iterable(_base_concepts(x)[1] for x in side))) for side in (src, tgt)]
    return max(len(src) * vocab[1], len(tgt) * vocab[0])


def _m1_sides(model: Model1, src: Sequence[str], tgt: Sequence[str], limit: int) -> tuple[_M1Side, _M1Side] | None:
    """Both sides' Model 1 statistics for one text pair (None when the dense tables
    would exceed ``limit`` floats)."""
    words = [[_base_concepts(x)[1] for x in side] for side in (src, tgt)]
    glob, local = [], []
    for d in (0, 1):
        table = model.vocab[d]
        g = [np.fromiter((table.get(w, -1) for w in ws), dtype=np.int64) for ws in words[d]]
        glob.append(g)
        used = np.unique(np.concatenate(g)) if g else np.zeros(0, np.int64)
        used = used[used >= 0]
        m = np.full(len(table), -1, dtype=np.int64)
        m[used] = np.arange(len(used))
        local.append((used, m))
    if _m1_size(src, tgt) > limit:
        return None
    sides: list[_M1Side] = []
    for d, (_own_used, own_map), (oth_used, oth_map) in ((0, local[0], local[1]), (1, local[1], local[0])):
        ptr, f_of, t = model.ptr[d], model.f_of[d], model.t[d]
        rows = np.repeat(np.arange(len(glob[d])), [len(g) for g in glob[d]])
        cols = np.concatenate(glob[d]) if glob[d] else np.zeros(0, np.int64)
        ok = cols >= 0
        rows, gtok = rows[ok], cols[ok]
        # every (sentence, word) with every translation the model keeps for the word
        lens = ptr[gtok + 1] - ptr[gtok]
        at = np.repeat(ptr[gtok] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(int(lens.sum()))
        r, lf = np.repeat(rows, lens), oth_map[f_of[at]]
        hit = lf >= 0
        V = len(oth_used)
        expl = np.bincount(r[hit] * V + lf[hit], weights=t[at][hit], minlength=len(glob[d]) * V)
        nwords = np.array([len(g) for g in glob[d]], dtype=np.float32)
        # this side's known words, as columns of the other side's expl; explained by the
        # other direction's model (1 - d)
        offs = np.concatenate([[0], np.cumsum([int((g >= 0).sum()) for g in glob[d]])]).astype(np.int64)
        sides.append(_M1Side(expl=expl.reshape(len(glob[d]), V).astype(np.float32), nwords=nwords, offs=offs,
                             tok=own_map[gtok], tok_null=model.null[1 - d][gtok].astype(np.float32),
                             tok_p=model.unigram[1 - d][gtok].astype(np.float32)))  # fmt: skip
    return sides[0], sides[1]


#: Floats of one of :func:`_m1_window`'s word-level arrays (rows × the words of some target
#: sentences), a chunk of sentences at a time: one grid of 1,200 sentences a side took
#: ~850 MB at once.
M1_CHUNK = 1 << 21


def _m1_window(
    expl_side: _M1Side, tok_side: _M1Side, r0: int, r1: int, c0: int, c1: int, shapes: Sequence[tuple[int, int]],
    cfg: AlignConfig,
) -> dict[tuple[int, int], np.ndarray]:
    """Mean log-ratio ``log(mix · P_M1(w | run) / p(w) + 1 - mix)`` of the words of every
    b-sentence run of ``tok_side`` (columns c0..c1) under every a-sentence run of
    ``expl_side`` (rows r0..r1): ``out[(a, b)][i, j]`` for the runs ending at nodes (i, j).
    The word-level arrays are built for a chunk of ``tok_side``'s sentences at a time
    (:data:`M1_CHUNK`); each sentence's sum is the same whatever the chunk."""
    lo = int(tok_side.offs[c0])
    so = tok_side.offs[c0 : c1 + 1] - lo  # sentence boundaries among the columns
    ntok = np.concatenate([[0], np.cumsum(np.diff(so))]).astype(np.float32)
    nw = expl_side.nwords[r0:r1]
    R, C = r1 - r0, c1 - c0
    sizes = [a for a in range(1, 1 + max(a for a, _ in shapes)) if a <= R]
    wanted = {a for a, _ in shapes}
    per = {a: np.empty((R - a + 1, C), dtype=np.float32) for a in sizes if a in wanted}
    words = max(1, M1_CHUNK // max(1, R))
    k0 = 0
    while k0 < C:  # target sentences k0..k1-1: at least one, and up to ``words`` words
        k1 = max(k0 + 1, int(np.searchsorted(so, so[k0] + words, side="right")) - 1)
        k1 = min(k1, C)
        w0, w1 = int(so[k0]), int(so[k1])
        G = expl_side.expl[r0:r1][:, tok_side.tok[lo + w0 : lo + w1]]
        # per word: mix / p(w), and its NULL share; a column of zeros closes the last sentences
        scale = (cfg.m1_mix / tok_side.tok_p[lo + w0 : lo + w1])[None, :]
        null = tok_side.tok_null[lo + w0 : lo + w1][None, :]
        starts = so[k0:k1] - w0
        empty = so[k0 + 1 : k1 + 1] == so[k0:k1]
        Ga = np.zeros_like(G)
        la = np.zeros(R, dtype=np.float32)
        for a in sizes:
            # runs of a rows ending at row e (e = a-1 .. R-1): the run of a-1 rows plus row e-a+1
            Ga = Ga[:-1] + G[: R - a + 1] if a > 1 else G.copy()
            la = la[:-1] + nw[: R - a + 1] if a > 1 else nw.copy()
            if a not in wanted:
                continue
            L = np.log((null + Ga) * (scale / (la + 1.0)[:, None]) + (1.0 - cfg.m1_mix))
            if k1 == C or empty[-1]:  # (inside the window a sentence's sum takes no zero: the same rounding)
                L = np.concatenate([L, np.zeros((L.shape[0], 1), np.float32)], axis=1)
            part = np.add.reduceat(L, starts, axis=1)
            part[:, empty] = 0.0
            per[a][:, k0:k1] = part
        del G, Ga
        k0 = k1
    out = {}
    for a, p in per.items():
        cper = np.concatenate([np.zeros((p.shape[0], 1)), np.cumsum(p, axis=1, dtype=np.float64)], axis=1)
        for b in {b for aa, b in shapes if aa == a}:
            if b > C:
                continue
            v = np.zeros((R + 1, C + 1))
            v[a:, b:] = (cper[:, b:] - cper[:, :-b]) / (ntok[b:] - ntok[:-b] + cfg.m1_prior)[None, :]
            out[(a, b)] = v
    return out


def _m1_pairs(expl_side: _M1Side, tok_side: _M1Side, i: np.ndarray, j: np.ndarray, cfg: AlignConfig) -> np.ndarray:
    """The 1:1 mean log-ratio of sentence pairs (i[k], j[k]), one direction."""
    counts = np.diff(tok_side.offs)[j]
    k = np.repeat(np.arange(len(i)), counts)
    starts = np.repeat(tok_side.offs[j] - np.cumsum(np.concatenate([[0], counts[:-1]])), counts)
    idx = starts + np.arange(int(counts.sum()))
    G = expl_side.expl[i[k], tok_side.tok[idx]].astype(np.float64)
    la = expl_side.nwords[i[k]]
    L = np.log(cfg.m1_mix * (tok_side.tok_null[idx] + G) / (la + 1.0) / tok_side.tok_p[idx] + (1.0 - cfg.m1_mix))
    mean: np.ndarray = np.bincount(k, weights=L, minlength=len(i)) / (counts + cfg.m1_prior)
    return mean


def _m1_costs(src: _Side, tgt: _Side, wins: np.ndarray, R: int, C: int, cfg: AlignConfig) -> dict[tuple[int, int], np.ndarray]:
    """Both directions' mean log-ratios, averaged, per shape: (windows, R + 1, C + 1)."""
    if src.m1 is None or tgt.m1 is None:
        raise ValueError("the Model 1 term needs both sides' statistics")
    shapes = [(a, b) for a, b in cfg.shapes if a and b]
    out: dict[tuple[int, int], np.ndarray] = {}  # each shape's array made as the windows' halves are taken (and freed)
    for w, (r0, r1, c0, c1) in enumerate(wins.tolist()):
        fwd = _m1_window(src.m1, tgt.m1, r0, r1, c0, c1, shapes, cfg)
        bwd = _m1_window(tgt.m1, src.m1, c0, c1, r0, r1, [(b, a) for a, b in shapes], cfg)
        for a, b in shapes:
            if (a, b) not in out:
                out[(a, b)] = np.zeros((len(wins), R + 1, C + 1))
            v, u = fwd.pop((a, b), None), bwd.pop((b, a), None)
            if v is not None and u is not None:
                h, wd = v.shape
                out[(a, b)][w, :h, :wd] = 0.5 * (v + u.T)
    return out if len(wins) else {s: np.zeros((0, R + 1, C + 1)) for s in shapes}


# ----------------------------------------------------------------- the cost terms, in one place

#: a cost term of one bead or of many (the functions below work on both alike)
_Num = np.ndarray | float


def bead_cost(
    cfg: AlignConfig, a: int, b: int, sim: _Num, gc: _Num, cross: _Num = 0.0, mismatch: _Num = 0.0,
    esim: _Num | None = None, m1: np.ndarray | None = None, general: _Num = 0.0, esize: _Num | None = None,
) -> _Num:
    """The cost of an a:b bead (a, b ≥ 1): every term the DP prices, and nothing else.

    ``sim`` is the similarity of the two runs' concept bags (0..1), ``gc`` the Gale–Church
    length term, ``cross`` how many paragraph breaks the runs straddle, ``mismatch`` whether
    only one side starts a paragraph, ``esim`` the cosine of the runs' sentence embeddings
    (when the ``embed`` extra is used), ``general`` what a general dictionary's concepts add
    to ``sim`` (``sim`` less the similarity without them, 0 when they lower it).  Works on scalars and numpy arrays alike; the bead
    scores are the beads' posteriors on the very values the DP summed (:func:`dp.posteriors`).
    """
    size_e: _Num = _size_factor(a, b)
    if esize is not None and cfg.embed_by_length:
        size_e = (1.0 - cfg.embed_by_length) * size_e + cfg.embed_by_length * esize
    neural = 0.0 if esim is None else cfg.embed_weight * ((1.0 - cfg.embed_product) * size_e + cfg.embed_product * a * b) * (1.0 - esim)
    lexical = 0.0 if m1 is None else -cfg.m1_weight * _size_factor(a, b) * m1
    # what a general dictionary adds to the similarity counts once, as in a 1:1 bead, not
    # per sentence: a merge's (a+b)/2 would turn the stronger 1:1 inside it into a cheaper
    # merge with an untranslated neighbour (the dictionary's pairs rarely reach that one)
    size = _size_factor(a, b)
    return (
        cfg.sim_weight * (size * (1.0 - (sim - general)) - general)
        + neural
        + lexical
        + cfg.length_weight * gc
        + cfg.shape_cost.get((a, b), 3.0)
        + cfg.paragraph_cross * cross
        + cfg.paragraph_mismatch * mismatch
    )


def skip_cost(cfg: AlignConfig, level: float, length: _Num, in_run: bool = False) -> np.ndarray:
    """The cost of a 1:0 or 0:1 bead: the document's skip level, less for short debris lines;
    ``in_run``: of a 0:1 bead right after another (``skip_run`` of it, so a block of
    untranslated lines, such as captions, is one omission rather than many)."""
    short = np.clip(1.0 - np.asarray(length, dtype=np.float64) / cfg.short_chars, 0.0, 1.0)
    cost: np.ndarray = level * (1.0 - cfg.skip_short * short) * (cfg.skip_run if in_run else 1.0)
    return cost


def _embed_size(src: _Side, tgt: _Side, la: _Num, lb: _Num) -> _Num:
    """The size of a bead's runs for the embedding term: their characters over their sides'
    mean sentence lengths, averaged over the two sides (1 for two sentences of usual length)."""
    size: _Num = 0.5 * (la / max(src.unit, 1.0) + lb / max(tgt.unit, 1.0))
    return size


def _size_factor(a: int, b: int) -> float:
    """How a bead's dissimilarity scales with its size: the mean run length (1 for 1:1;
    Vecalign uses a·b)."""
    return (a + b) / 2.0


@overload
def _similarity(dot: float, na: float, nb: float, a: int, b: int, cfg: AlignConfig) -> float: ...
@overload
def _similarity(
    dot: np.ndarray, na: np.ndarray, nb: np.ndarray, a: np.ndarray | int, b: np.ndarray | int, cfg: AlignConfig
) -> np.ndarray: ...
def _similarity(
    dot: np.ndarray | float, na: np.ndarray | float, nb: np.ndarray | float, a: np.ndarray | int, b: np.ndarray | int, cfg: AlignConfig
) -> np.ndarray | float:
    """Cosine of two runs' bags, smoothed: few anchors mean little evidence.  The smoothing
    grows with the run's size, so pooling sentences buys no similarity."""
    sim = dot / np.sqrt((na + cfg.smoothing * a) * (nb + cfg.smoothing * b))
    clipped: np.ndarray | float = np.clip(sim, 0.0, 1.0)
    return clipped


@overload
def _gale_church(la: float, lb: float, ratio: float, var: float) -> float: ...
@overload
def _gale_church(la: np.ndarray, lb: _Num, ratio: float, var: float) -> np.ndarray: ...
@overload
def _gale_church(la: _Num, lb: np.ndarray, ratio: float, var: float) -> np.ndarray: ...
def _gale_church(la: _Num, lb: _Num, ratio: float, var: float) -> _Num:
    """Negative log-likelihood of the length difference (Gale & Church 1993, Gaussian)."""
    mean = (la + lb / ratio) / 2.0
    delta = (lb - ratio * la) / np.sqrt(var * np.maximum(mean, 1.0))
    return 0.5 * delta * delta


def skip_level(src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, seed: int = 0) -> float:
    """The price of leaving a sentence unaligned, adapted to the pair as Vecalign does it:
    a low percentile of the cost of *random* sentence pairs (which are almost all wrong),
    so a pair must beat most chance pairings to be preferred over two skips.  Pairs near
    the diagonal may be true ones and are left out; texts too short to offer enough
    chance pairs fall back to the flat ``skip_cost``."""
    n, m = src.size, tgt.size
    if cfg.skip_percentile is None or n == 0 or m == 0:
        return cfg.skip_cost
    rng = np.random.default_rng(seed)
    k = min(cfg.skip_samples, n * m)
    i = rng.integers(0, n, k)
    j = rng.integers(0, m, k)
    far = np.abs(j - i * (m / n)) > max(3.0, 0.05 * m)
    if far.sum() < 50:
        return cfg.skip_cost
    i, j = i[far], j[far]
    dot = np.einsum("ij,ij->i", src.vec[i], tgt.vec[j]).astype(np.float64)
    na = np.einsum("ij,ij->i", src.vec[i], src.vec[i])
    nb = np.einsum("ij,ij->i", tgt.vec[j], tgt.vec[j])
    sim = _similarity(dot, na, nb, 1, 1, cfg)
    gc = _gale_church(src.length[i], tgt.length[j], ratio, cfg.length_variance)
    esim = None
    if src.emb is not None and tgt.emb is not None:
        esim = np.clip(np.einsum("ij,ij->i", src.emb[i], tgt.emb[j]), 0.0, 1.0)
        if src.run_norm is not None and tgt.run_norm is not None and 1 in src.run_norm and 1 in tgt.run_norm:
            esim = 1.0 - (1.0 - esim) / (0.5 * (src.run_norm[1][i + 1] + tgt.run_norm[1][j + 1]))
    m1 = None
    if src.m1 is not None and tgt.m1 is not None:
        m1 = 0.5 * (_m1_pairs(src.m1, tgt.m1, i, j, cfg) + _m1_pairs(tgt.m1, src.m1, j, i, cfg))
    esize = _embed_size(src, tgt, src.length[i], tgt.length[j])
    costs = bead_cost(cfg, 1, 1, sim, gc, esim=esim, m1=m1, esize=esize)
    if esim is not None and cfg.embed_skip != 1.0:
        costs = costs - (1.0 - cfg.embed_skip) * (bead_cost(cfg, 1, 1, sim, gc, esim=esim, esize=esize) - bead_cost(cfg, 1, 1, sim, gc))
    return float(np.percentile(costs, cfg.skip_percentile))


def _band(path: Sequence[tuple[int, int]], n: int, m: int, margin: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns each row may use, ``lo[i] .. hi[i]``: within ``margin`` of a path of nodes
    (Vecalign's search band around the coarse alignment)."""
    pts = np.unique(np.array([*path, (0, 0), (n, m)], dtype=np.int64).reshape(-1, 2), axis=0)
    (i0, j0), (i1, j1) = pts[:-1].T, pts[1:].T
    # segment k covers rows i0-margin .. i1+margin with columns j0-margin .. j1+margin; a
    # row's lowest column is the least over the segments ending at or after it, its highest
    # the greatest over those starting at or before it
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    np.minimum.at(lo, np.minimum(n, i1 + margin), np.maximum(0, j0 - margin))
    np.maximum.at(hi, np.maximum(0, i0 - margin), np.minimum(m, j1 + margin))
    return np.minimum.accumulate(lo[::-1])[::-1], np.maximum.accumulate(hi)


class _BlockSums:
    """``take(a, b)[w, i, j]``: the sum of the sentence-pair products ``P[w, i-a.., j-b..]``
    of an a×b block ending at node (i, j), each built on the (a-1)×b or 1×(b-1) block
    taken before it, adding the same terms in the same order as summing the block afresh
    (so bit for bit the same), and kept only while a later shape builds on it."""

    def __init__(self, P: np.ndarray, shapes: Sequence[tuple[int, int]]) -> None:
        self.P = P
        self.kept: dict[tuple[int, int], np.ndarray] = {}
        self.base: dict[tuple[int, int], tuple[int, int] | None] = {}
        self.uses: dict[tuple[int, int], int] = {}
        seen: set[tuple[int, int]] = set()
        for a, b in shapes:
            base = (a - 1, b) if a > 1 and (a - 1, b) in seen else (1, b - 1) if a == 1 and (1, b - 1) in seen else None
            self.base[(a, b)] = base
            if base is not None:
                self.uses[base] = self.uses.get(base, 0) + 1
            seen.add((a, b))

    def take(self, a: int, b: int) -> np.ndarray:
        P = self.P
        W, R, C = P.shape
        base = self.base.get((a, b))
        if base is not None and base in self.kept:
            self.uses[base] -= 1
            # the last shape built on a block takes it over; earlier ones copy it
            dot = self.kept.pop(base) if not self.uses[base] else self.kept[base].copy()
            if a > 1:  # the block's last row of products, p = a - 1
                for q in range(b):
                    dot[:, a:, b:] += P[:, 0 : R - a + 1, b - 1 - q : C - q]
            else:  # a 1×b block: one more column, q = b - 1
                dot[:, 1:, b:] += P[:, 0:R, 0 : C - b + 1]
        else:
            dot = np.zeros((W, R + 1, C + 1), dtype=np.float32)
            for p in range(a):
                for q in range(b):
                    dot[:, a:, b:] += P[:, a - 1 - p : R - p, b - 1 - q : C - q]
        if self.uses.get((a, b)):
            self.kept[(a, b)] = dot  # the caller only reads it
        return dot


def _window_costs(
    src: _Side, tgt: _Side, wins: np.ndarray, cfg: AlignConfig, ratio: float, level: float,
    band: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[dp.Costs, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Cost arrays per shape for every window (1:0 included), the 0:1 arrays (a run's
    first bead, and any after it), and each window's end node.  ``wins[w] = (r0, r1, c0, c1)``: source sentences r0..r1-1 and
    target sentences c0..c1-1.  Every value comes from :func:`bead_cost` / :func:`skip_cost`."""
    n, m = src.size, tgt.size
    r0, r1, c0, c1 = (wins[:, k] for k in range(4))
    ends = np.stack([r1 - r0, c1 - c0], axis=1)
    R, C = int(ends[:, 0].max()), int(ends[:, 1].max())
    Wn = wins.shape[0]
    gi = r0[:, None] + np.arange(R + 1)[None, :]  # global source node of each local row
    gj = c0[:, None] + np.arange(C + 1)[None, :]
    row_ok = np.arange(R + 1)[None, :] <= ends[:, :1]  # (W, R+1)
    col_ok = np.arange(C + 1)[None, :] <= ends[:, 1:]  # (W, C+1)
    gi_c, gj_c = np.minimum(gi, n), np.minimum(gj, m)
    # sentence-pair products inside each window
    dim = src.vec.shape[1]
    Ew = src.vec[np.minimum(gi[:, :R], max(0, n - 1))] if n else np.zeros((Wn, R, dim), np.float32)
    Fw = tgt.vec[np.minimum(gj[:, :C], max(0, m - 1))] if m else np.zeros((Wn, C, dim), np.float32)
    # (rows and columns past a window's end hold other sentences' products: no cell the
    # window prices reads them, as every cell past its end costs INF)
    P = np.matmul(Ew, Fw.transpose(0, 2, 1))  # (W, R, C)
    del Ew, Fw
    Pg = None  # the same over the general dictionary's concepts alone
    if src.gen is not None and tgt.gen is not None and n and m:
        Pg = np.matmul(src.gen[np.minimum(gi[:, :R], n - 1)], tgt.gen[np.minimum(gj[:, :C], m - 1)].transpose(0, 2, 1))
    Pe = None  # sentence-pair cosines, for the runs not embedded whole (summed vectors)
    joined = {(a, b) for a, b in cfg.shapes if src.runs and tgt.runs and a in src.runs and b in tgt.runs}
    if src.emb is not None and tgt.emb is not None and n and m and any(b and (a, b) not in joined for a, b in cfg.shapes):
        Ee = src.emb[np.minimum(gi[:, :R], n - 1)] * (np.arange(R)[None, :, None] < ends[:, :1, None])
        Fe = tgt.emb[np.minimum(gj[:, :C], m - 1)] * (np.arange(C)[None, :, None] < ends[:, 1:, None])
        Pe = np.matmul(Ee, Fe.transpose(0, 2, 1))
        del Ee, Fe
    both_par = src.par_start is not None and tgt.par_start is not None
    src_longer = src.length.sum() * ratio > cfg.partial_excess * tgt.length.sum()
    tgt_longer = tgt.length.sum() > cfg.partial_excess * ratio * src.length.sum()
    inside = row_ok[:, :, None] & col_ok[:, None, :]
    if band is not None:  # and near the coarse path
        lo, hi = band
        inside &= (gj[:, None, :] >= lo[gi_c][:, :, None]) & (gj[:, None, :] <= hi[gi_c][:, :, None])
    costs: dp.Costs = {}
    ext_del = None  # 1:0 runs priced as an affine gap too (cfg.skip_run_del)
    wanted = [(a, b) for a, b in cfg.shapes if b and a <= min(R, n) and b <= min(C, m)]
    sums = _BlockSums(P, wanted)
    esums = _BlockSums(Pe, [s for s in wanted if s not in joined]) if Pe is not None else None
    gsums = _BlockSums(Pg, wanted) if Pg is not None else None
    m1s = _m1_costs(src, tgt, wins, R, C, cfg) if src.m1 is not None and tgt.m1 is not None else None
    jit = dp.compiled()  # numba, when installed: the a:b beads' costs in one compiled pass each
    for a, b in cfg.shapes:
        if a > min(R, n) or b > min(C, m):
            costs[(a, b)] = np.full((Wn, R + 1, C + 1), dp.INF, dtype=np.float32)
            continue
        la = src.block_lengths(a)[gi_c][:, :, None]
        ok = None
        if b == 0 or jit is None:
            ok = inside.copy()
            ok[:, :a, :] = False
            ok[:, :, :b] = False
        if b == 0:
            assert ok is not None  # (set above for b == 0)
            # before the other side starts or after it ends, a run of skips is one omission
            # (when this side is clearly the longer: the other covers only part of it)
            end: _Num = 1.0
            if src_longer:
                end = np.where((gj == 0) | (gj == m), cfg.end_skip, 1.0)[:, None, :]
            costs[(a, b)] = np.where(ok, skip_cost(cfg, level, la) * end, dp.INF).astype(np.float32)
            if cfg.skip_run_del != 1.0:
                run_del = skip_cost(cfg, level, la) * cfg.skip_run_del * end
                ext_del = np.where(ok, run_del, dp.INF).astype(np.float32)
            continue
        dot = sums.take(a, b)
        gdot = gsums.take(a, b) if gsums is not None else None
        if jit is not None and not ((a, b) in joined or Pe is not None):  # in one compiled pass
            par = gen = None
            if both_par:
                par = (src.crosses(a)[gi_c], tgt.crosses(b)[gj_c], src.starts(a)[gi_c], tgt.starts(b)[gj_c])
            if gdot is not None:
                gen = (gdot, src.block_norms(a, gen=True)[gi_c], tgt.block_norms(b, gen=True)[gj_c])
            cost = jit.bead_costs(
                cfg, a, b, dot, inside, la[:, :, 0], tgt.block_lengths(b)[gj_c],
                src.block_norms(a)[gi_c], tgt.block_norms(b)[gj_c], ratio, par, gen, None if m1s is None else m1s[(a, b)],
            )  # fmt: skip
            if cost is not None:
                costs[(a, b)] = cost
                continue
        if ok is None:
            ok = inside.copy()
            ok[:, :a, :] = False
            ok[:, :, :b] = False
        lb = tgt.block_lengths(b)[gj_c][:, None, :]
        na, nb = src.block_norms(a)[gi_c][:, :, None], tgt.block_norms(b)[gj_c][:, None, :]
        sim = _similarity(dot, na, nb, a, b, cfg)
        general: _Num = 0.0  # what the general dictionary's concepts add to the similarity
        if gdot is not None:
            gna, gnb = src.block_norms(a, gen=True)[gi_c][:, :, None], tgt.block_norms(b, gen=True)[gj_c][:, None, :]
            general = np.maximum(0.0, sim - _similarity(dot - gdot, na - gna, nb - gnb, a, b, cfg))
        gc = _gale_church(la, lb, ratio, cfg.length_variance)
        cross: _Num = 0.0
        mismatch: _Num = 0.0
        if both_par:
            cross = src.crosses(a)[gi_c][:, :, None].astype(np.float32) + tgt.crosses(b)[gj_c][:, None, :]
            mismatch = src.starts(a)[gi_c][:, :, None] != tgt.starts(b)[gj_c][:, None, :]
        esim = None
        if (a, b) in joined:
            esim = _run_cosines(src, tgt, a, b, gi_c, gj_c)
        elif esums is not None:  # (there when Pe is)
            edot = esums.take(a, b)
            na = src.block_norms(a, emb=True)[gi_c][:, :, None]
            nb = tgt.block_norms(b, emb=True)[gj_c][:, None, :]
            esim = np.clip(edot / np.sqrt(np.maximum(na * nb, 1e-6)), 0.0, 1.0)
        esize = _embed_size(src, tgt, la, lb) if esim is not None else None
        cost = bead_cost(cfg, a, b, sim, gc, cross, mismatch, esim, None if m1s is None else m1s[(a, b)], general, esize)
        costs[(a, b)] = np.where(ok, cost, dp.INF).astype(np.float32)
    lt1 = np.concatenate([[1.0], tgt.length])[gj_c][:, None, :]
    end = np.ones((Wn, R + 1, 1))
    if tgt_longer:
        end[(gi == 0) | (gi == n)] = cfg.end_skip
    ok = inside & (np.arange(C + 1)[None, None, :] >= 1)
    ins = np.where(ok, skip_cost(cfg, level, lt1 / ratio) * end, dp.INF).astype(np.float32)
    ext = np.where(ok, skip_cost(cfg, level, lt1 / ratio, in_run=True) * end, dp.INF).astype(np.float32)
    return costs, ins, ext, ext_del, ends


# --------------------------------------------------------------------------- search


def _run_embeddings(embed: Callable[[Sequence[str]], np.ndarray], sentences: Sequence[str], sizes: Sequence[int]) -> dict[int, np.ndarray]:
    """``{a: (k+1, dim)}``: the embedding of the joined text of every a-sentence run, by the
    node it ends at (Vecalign embeds a run as one text: USE vectors do not add up)."""
    k = len(sentences)
    texts = {a: [" ".join(sentences[e - a : e]) for e in range(a, k + 1)] for a in sizes if a <= k}
    flat = [t for ts in texts.values() for t in ts]
    unique = {t: k for k, t in enumerate(dict.fromkeys(flat))}  # repeated lines are encoded once
    vecs = embed(list(unique))[[unique[t] for t in flat]] if flat else np.zeros((0, 512), np.float32)
    out, at = {}, 0
    for a, ts in texts.items():
        r = np.zeros((k + 1, vecs.shape[1]), dtype=np.float32)
        r[a:] = vecs[at : at + len(ts)]
        at += len(ts)
        out[a] = r
    return out


def _run_norms(runs: dict[int, np.ndarray], other: np.ndarray, knn: int = 0, near: int = 32) -> dict[int, np.ndarray]:
    """Each run's mean ``1 - cosine`` against the other side's sentences (Vecalign's
    normalisation: a run close to every sentence is weak evidence for any one of them);
    ``knn``: against its ``knn`` nearest among the other side's sentences within ``near`` of
    the diagonal (a margin over its likeliest rivals, as CSLS does, in linear time)."""
    if not knn:
        mean = other.mean(axis=0)
        return {a: np.maximum(1.0 - r @ mean, 0.05).astype(np.float32) for a, r in runs.items()}
    m = len(other)
    width = min(2 * near + 1, m)
    kk = max(1, min(knn, width))
    out = {}
    for a, r in runs.items():
        k = len(r) - 1
        start = np.clip(np.round(np.arange(k + 1) * (m / max(k, 1))).astype(np.int64) - near, 0, m - width)
        d = 1.0 - np.einsum("ed,ecd->ec", r, other[start[:, None] + np.arange(width)[None, :]])
        out[a] = np.maximum(np.partition(d, kk - 1, axis=1)[:, :kk].mean(axis=1), 0.05).astype(np.float32)
    return out


def _run_cosines(src: _Side, tgt: _Side, a: int, b: int, gi_c: np.ndarray, gj_c: np.ndarray) -> np.ndarray:
    """Cosines of the joined runs of the a:b bead ending at each window cell ``(W, R+1, C+1)``;
    with the runs' norms, ``1 - cosine`` is divided by their mean (so 1 is a chance pair)."""
    if src.runs is None or tgt.runs is None:
        raise ValueError("the runs are not embedded whole on both sides")
    Ra = src.runs[a][gi_c]  # (W, R+1, dim)
    Rb = tgt.runs[b][gj_c]
    cos: np.ndarray = np.clip(np.matmul(Ra, Rb.transpose(0, 2, 1)), 0.0, 1.0)
    if src.run_norm is None or tgt.run_norm is None:
        return cos
    norm = 0.5 * (src.run_norm[a][gi_c][:, :, None] + tgt.run_norm[b][gj_c][:, None, :])
    normed: np.ndarray = 1.0 - (1.0 - cos) / norm
    return normed


def _coarsen(side: _Side, k: int) -> _Side:
    """Every k neighbouring sentences glued into one (their vectors and lengths summed)."""
    n = side.size
    groups = (n + k - 1) // k

    def glue(x: np.ndarray) -> np.ndarray:  # row r of group g is x[g*k + r], summed in order
        out = x[0::k].copy()
        for r in range(1, k):
            part = x[r::k]
            out[: len(part)] += part
        glued: np.ndarray = out
        return glued

    length = np.bincount(np.arange(n) // k, weights=side.length, minlength=groups).astype(np.float32)
    emb = glue(side.emb) if side.emb is not None else None
    gen = _Rows.build(groups, side.gen.shape[1], _glued_cells(side.gen, k)) if side.gen is not None else None
    vec: np.ndarray | _Rows = glue(side.vec) if isinstance(side.vec, np.ndarray) else _Rows.build(groups, side.vec.shape[1], _glued_cells(side.vec, k))
    if isinstance(vec, _Rows) and 2 * len(vec.val) > vec.shape[0] * vec.shape[1]:
        vec = vec.dense()  # a coarse unit of many sentences: most cells filled, dense is smaller
    return _Side(vec, length, None, emb, gen=gen, unit=side.unit * k)


def _glued_cells(rows: _Rows, k: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The cells of every k neighbouring rows summed into one, as :meth:`_Rows.build`'s
    parts: one per member r (row r of group g is row g*k + r), so each group's cell adds
    its members up in the order ``_coarsen``'s dense glue does."""
    row = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(rows.ptr))
    col = rows.col.astype(np.int64)
    return [(row[row % k == r] // k, col[row % k == r], rows.val[row % k == r]) for r in range(k)]


def _slice(side: _Side, start: int, end: int) -> _Side:
    par = side.par_start[start:end] if side.par_start is not None else None
    emb = side.emb[start:end] if side.emb is not None else None
    m1 = side.m1.slice(start, end) if side.m1 is not None else None
    runs = {a: r[start : end + 1] for a, r in side.runs.items()} if side.runs is not None else None
    norm = {a: r[start : end + 1] for a, r in side.run_norm.items()} if side.run_norm is not None else None
    gen = side.gen[start:end] if side.gen is not None else None
    return _Side(side.vec[start:end], side.length[start:end], par, emb, m1, runs, norm, gen, side.unit)


@dataclass
class _Found:
    """Beads of one search as ranges, the posterior of each, and of the node it ends at."""

    ranges: list[tuple[int, int, int, int]]
    posterior: list[float]
    node: list[float] = field(default_factory=list)


def _cut_windows(path: list[tuple[int, int, float]], n: int, m: int, size: int) -> np.ndarray:
    """Windows of at most ``size`` sentences a side between nodes of a (scaled-up) coarse
    path, each cut at the node the coarse search was surest of (in the far half of the
    reach, so windows are not needlessly small; posteriors equal to 6 decimals tie, and
    the farther node wins, so rounding in the sums never moves a cut)."""
    nodes = [(i, j, round(p, 6)) for i, j, p in path if i > 0 or j > 0]
    wins = []
    li = lj = k = 0
    while (li, lj) != (n, m) and k < len(nodes):
        best, best_p = None, -1.0
        q = k
        while q < len(nodes) and nodes[q][0] - li <= size and nodes[q][1] - lj <= size:
            i, j, p = nodes[q]
            if (i, j) == (n, m):
                best, best_p = q, 2.0
            elif (i - li) + (j - lj) >= size // 2 and p >= best_p:
                best, best_p = q, p
            q += 1
        if best is None:  # the farthest node within reach, or the next one past it
            best = q - 1 if q > k else k
        i, j, _ = nodes[best]
        wins.append((li, i, lj, j))
        li, lj, k = i, j, best + 1
    return np.array(wins, dtype=np.int64).reshape(-1, 4)


#: Windows are searched in groups of similar size (their longer side, in steps of this
#: many sentences), so a small window is not padded to the largest one's grid.
SIZE_STEP = 16

@contextmanager
def _no_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off while the block runs (back on after it, if
    this block turned it off): an alignment allocates millions of small objects that live
    on (per-sentence caches, beads), and each full collection walks all of them, ~0.5 s
    of CPU at 20,000 sentences (and after a fork it writes to every object's page, which
    the child then copies).  The aligner leaves no reference cycles holding arrays behind,
    so the peak memory is the same (20k: 266 / 260 MB with / without).  The switch is the
    process's: in the workbench, where an alignment runs in a worker thread, the other
    threads' cycles wait for it too (freed when it ends)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: At most this many windows are stacked at once: the windows are independent, so a long
#: text is searched a batch at a time and its memory stays that of one batch.
WINDOW_BATCH = 128


#: Grid cells below which a search is not worth a second process (forking, and the
#: copies of the pages either process writes to while both run, cost ~0.05 s): at 20,000
#: sentences the coarse levels of 5,000 and 10,000 units are above it, those of 2,500 below
#: (session 9: forking from 150,000 cells, with the split below, took ~0.1 s off the parent
#: at 20k and added 0.2-0.4 s CPU at 12k when the machine is busy and nothing forks).
FORK_CELLS = 300_000
#: Cells of a batch's two posterior passes together (twice its grid) from which its
#: forward and backward pass go to two processes when its search does not fork
#: (:func:`_solve`): a pass is ~0.2 µs a cell, the fork ~0.01 s.  At 20,000 sentences that
#: is the top grid alone (one 625 × 649 window, 0.36 → 0.28 s in the parent, loaded
#: machine); the coarse levels' largest batches (70,000-140,000 cells) gained nothing.
POST_FORK = 600_000
#: Grid cells (of a search's batches, as :func:`_two_processes` counts them) from which the
#: windows go in batches of at most half of each size group, so the two processes' halves
#: balance; a constant of its own, so the batches (and the float sums of their
#: posteriors) do not depend on whether the process forks.  Session 9: the same measure
#: as the fork's (it was the windows' own cells, fewer than their batches' padded ones:
#: the 5,000-unit level of a 20k text forked unsplit, 249,000 cells against 96,000).
SPLIT_CELLS = 300_000


def _two_processes(fn: Callable[[_T], _R], items: list[_T], work: list[int], min_work: int | None = None) -> list[_R]:
    """``[fn(x) for x in items]``, with about half the ``work`` (grid cells; at least
    ``min_work``, by default ``FORK_CELLS``) done in a
    forked child process when the machine has a second core idle: the windows are independent, and numpy
    on hundreds of small arrays holds the GIL too often for threads to help.  Only a
    process with one thread forks (a thread of another library might hold a lock the
    child needs), and only on systems with ``fork``, and not while it has a child already
    (what runs in either half does not fork again); otherwise, or should the child
    fail, everything runs here.  The results are the same either way."""
    global _forking
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    idle = cores - (os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)  # this process counts as 1
    if (
        len(items) < 2 or sum(work) < (FORK_CELLS if min_work is None else min_work) or idle < 0.5
        or not hasattr(os, "fork") or threading.active_count() > 1 or _forking
    ):  # fmt: skip
        return [fn(x) for x in items]
    _forking = True
    try:
        return _forked(fn, items, work)
    finally:
        _forking = False


#: True while :func:`_two_processes` has a child (in both processes).
_forking = False


def _forked(fn: Callable[[_T], _R], items: list[_T], work: list[int]) -> list[_R]:
    """:func:`_two_processes`' two halves, the child forked here."""
    # the largest items first, each to the side with less work so far
    theirs: list[int] = []
    mine: list[int] = []
    load = [0, 0]
    for k in sorted(range(len(items)), key=lambda k: -work[k]):
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(k)
        load[side] += work[k]
    out: list[Any] = [None] * len(items)  # every one filled below
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its share, pickled down the pipe, and out without cleanup
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(pickle.dumps([fn(items[k]) for k in theirs], protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        try:
            for k in mine:
                out[k] = fn(items[k])
            data = pipe.read()
            done = os.waitpid(pid, 0)[1] == 0
            pid = 0
        finally:
            if pid:  # this side failed: do not leave the child behind
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    for k, result in zip(theirs, pickle.loads(data) if done else [fn(items[k]) for k in theirs]):
        out[k] = result
    return out


def _batches(wins: np.ndarray) -> tuple[list[np.ndarray], list[int]]:
    """The windows of a search a batch at a time (windows of a size group, at most
    ``WINDOW_BATCH``), and each batch's grid cells (its windows padded to its largest):
    from ``SPLIT_CELLS`` cells on (as :func:`_two_processes` counts them), each group in
    two batches at least, so the two processes' halves balance."""
    group = (np.maximum(wins[:, 1] - wins[:, 0], wins[:, 3] - wins[:, 2]) + SIZE_STEP - 1) // SIZE_STEP
    for split in (False, True):
        out: list[np.ndarray] = []
        for g in np.unique(group):
            members = np.flatnonzero(group == g)
            size = min(WINDOW_BATCH, max(SIZE_STEP, -(-len(members) // 2))) if split else WINDOW_BATCH
            out.extend(members[first : first + size] for first in range(0, len(members), size))
        cells = [len(idx) * int(np.max(wins[idx, 1] - wins[idx, 0]) + 1) * int(np.max(wins[idx, 3] - wins[idx, 2]) + 1) for idx in out]
        if sum(cells) < SPLIT_CELLS:
            break
    return out, cells


#: Sentences not read yet from which both sides' concepts are read in two processes
#: (~44 µs a sentence: 4,000 take ~0.18 s, the fork ~0.05 s).
READ_FORK = 4_000


def _read_sentences(sentences: Sequence[str]) -> None:
    """Read the lexicon-free concepts of the sentences not read yet (:func:`_base_concepts`),
    half of them in a forked process when a second core is idle (:func:`_two_processes`):
    a 20,000-sentence text has ~40,000 to read, ~1.8 s, before anything else can start."""
    todo = [x for x in dict.fromkeys(sentences) if x not in features._BASE]
    if len(todo) < READ_FORK:
        return
    parts = [todo[: len(todo) // 2], todo[len(todo) // 2 :]]
    me = os.getpid()

    def read(part: list[str]) -> list[tuple[tuple[tuple[str, int], ...], tuple[str, ...]]]:
        # here each sentence is filed as it is read, while the child reads its half (the
        # child pickles its share, so it is the slower one); what it read is filed after
        if os.getpid() == me:
            return [features._base_concepts(x) for x in part]
        return [features.read_base(x) for x in part]

    for part, bases in zip(parts, _two_processes(read, parts, [len(p) for p in parts], READ_FORK)):
        for x, base in zip(part, bases):
            if x not in features._BASE:
                features.remember_base(x, base)


def _solve(
    src: _Side, tgt: _Side, wins: np.ndarray, cfg: AlignConfig, ratio: float, level: float,
    band: tuple[np.ndarray, np.ndarray] | None = None, free_end: bool = False,
) -> _Found:
    """Search every window, a batch of similar size at a time; beads in text coordinates
    with their posteriors.  ``free_end``: 0:1 beads on a window's last row cost nothing,
    so its path may end at any column of that row."""
    batches, cells = _batches(wins)

    def one(idx: np.ndarray) -> tuple[list[list[dp.Range]], list[list[float]], list[list[float]]]:
        costs, ins, ext, ext_del, ends = _window_costs(src, tgt, wins[idx], cfg, ratio, level, band)
        if free_end:
            for x in (ins, ext):
                last = x[np.arange(len(idx)), ends[:, 0]]  # a view's copy: (windows, cols)
                x[np.arange(len(idx)), ends[:, 0]] = np.where(last < dp.INF, 0.0, last)
        best = dp.best_costs(costs, ins, ends, ext, cfg.skip_full, ext_del)
        found_g = dp.search(costs, ins, ends, best)
        # a large batch of a search that does not fork (a coarse level's, the top grid: one
        # window) takes its posteriors' forward and backward pass in two processes
        cells = ins.size
        post_g, node_g = dp.posteriors(
            costs, ins, ends, found_g, cfg.temperature, best,
            overwrite=True, extend=ext, full=cfg.skip_full, extend_del=ext_del,
            run=lambda passes: _two_processes(lambda f: f(), passes, [cells, cells], POST_FORK),
        )  # fmt: skip
        return found_g, post_g, node_g

    local: list[list[dp.Range]] = [[] for _ in range(len(wins))]
    post: list[list[float]] = [[] for _ in range(len(wins))]
    node: list[list[float]] = [[] for _ in range(len(wins))]
    # one BLAS thread: the window products are hundreds of small matrices, on which
    # OpenBLAS's spinning threads cost more CPU than they save (and wall, on a busy
    # machine); set once for the search, not per batch (each change stops or wakes threads)
    with threadpool_limits(1, user_api="blas"):
        solved = _two_processes(one, batches, cells)
    for idx, (found_g, post_g, node_g) in zip(batches, solved):
        for k, w in enumerate(idx):
            local[w], post[w], node[w] = found_g[k], post_g[k], node_g[k]
    # the beads in text coordinates: each window's corner added, all at once
    flat = np.array(list(chain.from_iterable(local)), dtype=np.int64).reshape(-1, 4)
    flat += np.repeat(wins[:, [0, 0, 2, 2]], [len(x) for x in local], axis=0)
    return _Found([(s0, s1, t0, t1) for s0, s1, t0, t1 in flat.tolist()], list(chain.from_iterable(post)), list(chain.from_iterable(node)))


def _strips(src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, level: float) -> _Found:
    """The top level of a text too long for one grid even with ``max_glue`` sentences a
    unit (above ~40,000 sentences a side), searched in strips of rows across every target
    unit left, each of at most ``max_cells`` cells, so memory does not grow with the
    square of the length.  A strip starts at the node the strip before was surest of in
    its first half, and ends anywhere on its last row (``free_end``): its last rows, where
    the end pulls the path, are left to the next strip."""
    n, m = src.size, tgt.size
    found = _Found([], [], [])
    i0 = j0 = 0
    while True:
        i1 = min(n, i0 + max(2 * cfg.window, cfg.max_cells // (m - j0 + 1)))
        part = _solve(src, tgt, np.array([[i0, i1, j0, m]], dtype=np.int64), cfg, ratio, level, free_end=i1 < n)
        keep = len(part.ranges)
        if i1 < n:  # up to the surest node of the first half (ties: the later one)
            half = i0 + (i1 - i0) // 2
            ends = [(round(p, 6), k) for k, ((_, s1, _, _), p) in enumerate(zip(part.ranges, part.node)) if i0 < s1 <= half]
            keep = max(ends)[1] + 1 if ends else 1
        found.ranges.extend(part.ranges[:keep])
        found.posterior.extend(part.posterior[:keep])
        found.node.extend(part.node[:keep])
        if i1 == n:
            return found
        _, i0, _, j0 = found.ranges[-1]


def _search(
    src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, level: float, glue: int = 1,
    guide: _Found | None = None,
) -> _Found:
    """Beads (as ranges) for two sides, coarse-to-fine when the grid is too large
    (``glue``: sentences of the text in one unit of these sides).  ``guide``: the beads of
    an earlier pass over the same sides, searched around instead of a coarse alignment."""
    n, m = src.size, tgt.size
    band = None
    if (n + 1) * (m + 1) <= cfg.max_cells or n < 2 or m < 2:
        wins = np.array([[0, n, 0, m]], dtype=np.int64)
    elif glue * 2 > cfg.max_glue:  # the top level, too large for one grid: in strips
        return _strips(src, tgt, cfg, ratio, level)
    elif guide is not None:  # a later lexicon pass: around the path of the one before
        path = [(s1, t1, p) for (_, s1, _, t1), p in zip(guide.ranges, guide.node)]
        wins = _cut_windows(path, n, m, cfg.window)
        band = _band([(i, j) for i, j, _ in path], n, m, cfg.band_margin)
    else:
        k = 2  # halve both sides and recurse until the grid is small (Vecalign's scheme)
        coarse_cfg = replace(cfg, paragraph_cross=0.0, paragraph_mismatch=0.0)
        coarse = _search(_coarsen(src, k), _coarsen(tgt, k), coarse_cfg, ratio, level * k, glue * k)
        path = [(min(n, s1 * k), min(m, t1 * k), p) for (_, s1, _, t1), p in zip(coarse.ranges, coarse.node)]
        wins = _cut_windows(path, n, m, cfg.window)
        band = _band([(i, j) for i, j, _ in path], n, m, cfg.band_margin)
    found = _solve(src, tgt, wins, cfg, ratio, level, band)
    if len(wins) > 1:
        # a second set of windows, cut on the first solution away from the first cuts, so
        # every first cut lies inside a window and a wrong one is undone
        cut_d = np.sort(wins[:-1, 1] + wins[:-1, 3])  # cuts by their anti-diagonal i + j
        d = np.array([s1 + t1 for _, s1, _, t1 in found.ranges])
        at = np.clip(np.searchsorted(cut_d, d), 1, len(cut_d)) if len(cut_d) else np.zeros(len(d), int)
        near = np.minimum(np.abs(d - cut_d[at - 1]), np.abs(d - cut_d[np.minimum(at, len(cut_d) - 1)]))
        away = near > cfg.window // 4
        nodes = [
            (s1, t1, p)
            for (_, s1, _, t1), p, far in zip(found.ranges, found.node, away)
            if far or (s1, t1) == (n, m)
        ]
        band = _band([(r[1], r[3]) for r in found.ranges], n, m, cfg.band_margin)
        found = _solve(src, tgt, _cut_windows(nodes, n, m, cfg.window), cfg, ratio, level, band)
    return found


def _unlinked_cut(
    src: _Side, tgt: _Side, s0: int, s1: int, t0: int, t1: int, cfg: AlignConfig, ratio: float
) -> tuple[int, int] | None:
    """The cut (i, j) of bead s0..s1 × t0..t1 into s0..i × t0..j and i..s1 × j..t1 (each
    with sentences on both sides) across which no concept links the runs, with lengths
    that fit the two beads about as well as the merged one; None when there is none."""
    P = _dense(src.vec, s0, s1).astype(np.float64) @ _dense(tgt.vec, t0, t1).T.astype(np.float64)
    total = float(np.abs(P).sum())
    la, lb = src.length[s0:s1].astype(np.float64), tgt.length[t0:t1].astype(np.float64)
    merged = float(_gale_church(la.sum(), lb.sum(), ratio, cfg.length_variance))
    best, best_key = None, (math.inf, math.inf)
    for i in range(1, s1 - s0):
        for j in range(1, t1 - t0):
            cross = float(np.abs(P[:i, j:]).sum() + np.abs(P[i:, :j]).sum())
            if cross > cfg.split_cross * total:
                continue
            gc = float(_gale_church(la[:i].sum(), lb[:j].sum(), ratio, cfg.length_variance))
            gc += float(_gale_church(la[i:].sum(), lb[j:].sum(), ratio, cfg.length_variance))
            # the least linked cut, and of equally unlinked ones the one lengths fit best
            if gc <= merged + cfg.split_length and (cross, gc) < best_key:
                best, best_key = (s0 + i, t0 + j), (cross, gc)
    return best


def _idle_member(
    src: _Side, tgt: _Side, s0: int, s1: int, t0: int, t1: int, cfg: AlignConfig, ratio: float
) -> tuple[int, int] | None:
    """The edge sentence of bead s0..s1 × t0..t1 that earns no place in it, as (side, 0 or
    -1) with side 0 the source, 1 the target; None when every edge member earns its place.

    A member's evidence is its concept products with the other run, as a share of the
    bead's: those on concepts the rest of its run does not link (its own) must be at most
    ``edge_link``, and the lengths must fit the rest better (the Gale–Church term lower) by
    ``edge_length`` plus ``edge_shared`` times its products beyond ``edge_link`` divided by
    its similarity to the other run above ``edge_sim`` (about what chance pairs reach).
    So a member nothing links goes when the lengths favour the cut at all; one that only
    repeats what the rest links goes when it resembles the other run strongly for the share
    of the bead's links it carries (an untranslated line sharing a word with the translated
    one: a project's lexicon links "meat" to "мясо" in both) and the lengths clearly favour
    the cut; one that carries much of a weakly linked bead stays.  In every case the rest
    must fit its lengths once the member is out (its Gale–Church term at most ``edge_fit``):
    a rest that still fits badly is a free translation, which the omission does not explain
    (the dev pieces' wrong 1:0 beads).  Of several, the one whose cut the lengths favour most."""
    S = _dense(src.vec, s0, s1).astype(np.float64)
    T = _dense(tgt.vec, t0, t1).astype(np.float64)
    total = max(float(np.abs(S @ T.T).sum()), 1e-12)
    la, lb = float(src.length[s0:s1].sum()), float(tgt.length[t0:t1].sum())
    merged = float(_gale_church(la, lb, ratio, cfg.length_variance))
    best, best_gain = None, -math.inf
    for side, run, other, lens in ((0, S, T, src.length[s0:s1]), (1, T, S, tgt.length[t0:t1])):
        if len(run) < 2:
            continue
        o = other.sum(axis=0)
        for e in (0, -1):
            v, rest = run[e], (run[1:] if e == 0 else run[:-1])
            prod = np.abs(v * o)
            repeated = (np.abs(rest).sum(axis=0) * np.abs(o)) > 0  # concepts the rest links too
            own, links = float(prod[~repeated].sum()) / total, float(prod.sum()) / total
            if own > cfg.edge_link:
                continue
            need = cfg.edge_length
            excess = links - cfg.edge_link  # its links beyond what counts as none
            if excess > 0:
                sim = float(_similarity(float(v @ o), float(v @ v), float(o @ o), 1, len(other), cfg))
                if sim <= cfg.edge_sim:
                    continue  # it links without resembling: it carries the bead's links
                need += cfg.edge_shared * excess / (sim - cfg.edge_sim)
            cut = (la - float(lens[e]), lb) if side == 0 else (la, lb - float(lens[e]))
            fit = float(_gale_church(*cut, ratio, cfg.length_variance))
            gain = merged - fit
            if gain >= need and fit <= cfg.edge_fit and gain > best_gain:
                best, best_gain = (side, e), gain
    return best


def _names(sentences: Sequence[str], a: int, b: int) -> set[str]:
    """The anchor concepts of sentences a..b-1 that name something: their numbers and the
    cognate stems of their capitalised words (names; a capitalised common word's stem, such
    as a German noun's, only when the other language capitalises it too)."""
    out: set[str] = set()
    for x in sentences[a:b]:
        for w in features.words(x):
            if w[0].isdigit():
                key = features.number_key(w)
                if key != "#":
                    out.add(key)
            elif w[0].isupper() and len(w) >= features.MIN_COGNATE_LENGTH:
                out.add("C:" + features.stem(w))
    return out


def _join_crossed(
    ranges: list[tuple[int, int, int, int]], post: list[float], node: list[float],
    anchors: list[tuple[np.ndarray, np.ndarray]], concepts: Sequence[str], texts: tuple[Sequence[str], Sequence[str]],
    src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, fixed: set[int],
) -> tuple[list[tuple[int, int, int, int]], list[float], list[float]]:
    """The beads (text coordinates) with two neighbours joined, again and again, when a name
    or number links them only across their boundary: it is in the source run of one and
    the target run of the other, and in neither bead's own other run (:func:`_names`; the
    exclusion reads every anchor, lower-case cognates too).  The translator moved a clause,
    and its name, across the sentence cut: the gold's 2:2 beads the search gives as two 1:1
    beads, the pooled similarity not paying a merge's prior.  At least ``join_cross`` such
    names, at most ``join_cross_max`` sentences a side, and the lengths must fit the joined
    bead at least as well as the two (Gale–Church terms).  Beads fixed by anchors
    (``fixed``: indices) and skips are never joined; the joined bead keeps the lower
    posterior and the second bead's node posterior.  ``anchors``: per side (sentence,
    concept id) of the numbers and cognates (:meth:`_Concepts.anchors`), ``concepts``
    their names by id."""
    if cfg.join_cross <= 0:
        return ranges, post, node
    # per side: the concept ids in sentence order (a side's anchor rows are sorted), and
    # where each sentence's start (a run's ids are one slice: no set per sentence)
    per_side: list[tuple[list[int], list[int]]] = []
    for (rows, cid), size in zip(anchors, (src.size, tgt.size)):
        per_side.append((cid.tolist(), np.searchsorted(rows, np.arange(size + 1)).tolist()))
    ids: dict[str, int] = {}

    def union(per: tuple[list[int], list[int]], a: int, b: int) -> set[int]:
        cid, start = per
        return set(cid[start[a] : start[b]])

    def length(side: _Side, a: int, b: int) -> float:
        return float(side.length[a:b].sum())

    out_r: list[tuple[int, int, int, int]] = []
    out_p: list[float] = []
    out_n: list[float] = []
    for k, (r, p, q) in enumerate(zip(ranges, post, node)):
        if out_r and k not in fixed and k - 1 not in fixed:
            a0, a1, b0, b1 = out_r[-1]
            c0, c1, d0, d1 = r
            if min(a1 - a0, b1 - b0, c1 - c0, d1 - d0) > 0 and max(c1 - a0, d1 - b0) <= cfg.join_cross_max:
                S, T = per_side
                sa, ta, sb, tb = union(S, a0, a1), union(T, b0, b1), union(S, c0, c1), union(T, d0, d1)
                cross = ((sb & ta) - sa - tb) | ((sa & tb) - sb - ta)
                if len(cross) >= cfg.join_cross:  # then only names count
                    ids = ids or {c: i for i, c in enumerate(concepts)}
                    na, nta = _names(texts[0], a0, a1), _names(texts[1], b0, b1)
                    nb, ntb = _names(texts[0], c0, c1), _names(texts[1], d0, d1)
                    cross &= {ids[c] for c in (nb & nta) | (na & ntb) if c in ids}
                if len(cross) >= cfg.join_cross:
                    two = _gale_church(length(src, a0, a1), length(tgt, b0, b1), ratio, cfg.length_variance)
                    two += _gale_church(length(src, c0, c1), length(tgt, d0, d1), ratio, cfg.length_variance)
                    one = _gale_church(length(src, a0, c1), length(tgt, b0, d1), ratio, cfg.length_variance)
                    if float(one) <= float(two):
                        out_r[-1] = (a0, c1, b0, d1)
                        out_p[-1] = min(out_p[-1], p)
                        out_n[-1] = q
                        continue
        out_r.append(r)
        out_p.append(p)
        out_n.append(q)
    return out_r, out_p, out_n


#: Merged beads from which :func:`_split_unlinked` looks at them in two processes (~85 µs
#: a bead: 20,000 sentences have ~4,700, ~0.4 s; the fork costs ~0.01-0.05 s).
SPLIT_FORK = 1_000


def _split_unlinked(
    src: _Side, tgt: _Side, found: _Found, i0: int, j0: int, cfg: AlignConfig, ratio: float,
    cont: tuple[np.ndarray, np.ndarray] | None = None,
) -> _Found:
    """The search's beads (in the coordinates of a stretch starting at i0, j0) with every
    merged bead (2:2 and larger) that is two beads side by side cut in two, again and
    again (:func:`_unlinked_cut`).  The search weighs a merge's pooled similarity against
    two 1:1 beads of which one, short or without anchors, has none of its own; here the
    question is whether anything in the bead joins its parts.  Likewise a sentence at
    either end of a merged run that earns no place in the bead (nothing of its own links
    it to the other run, and the lengths bear out the cut) is left out as a skip
    (:func:`_idle_member`: an untranslated sentence the search glued to its neighbour
    because a merge's prior costs less than a skip).  All parts keep the merged bead's
    posterior."""
    if cfg.split_cross <= 0 and cfg.edge_link < 0 and not cfg.join_continued:
        return found

    def parts_of(bead: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
        todo = [(i0 + bead[0], i0 + bead[1], j0 + bead[2], j0 + bead[3])]
        parts = []
        while todo:
            a0, a1, b0, b1 = todo.pop()
            cut = _unlinked_cut(src, tgt, a0, a1, b0, b1, cfg, ratio) if a1 - a0 > 1 and b1 - b0 > 1 and cfg.split_cross > 0 else None
            if cut is not None:
                todo += [(cut[0], a1, cut[1], b1), (a0, cut[0], b0, cut[1])]
                continue
            merged = a1 - a0 > 1 or b1 - b0 > 1  # a 1:1 (or a skip) has no edge member to leave out
            lone = _idle_member(src, tgt, a0, a1, b0, b1, cfg, ratio) if cfg.edge_link >= 0 and merged and a1 > a0 and b1 > b0 else None
            # the sentence left alone becomes a skip, the rest is looked at again
            if lone is None:
                parts.append((a0, a1, b0, b1))
            elif lone == (0, 0):
                parts.append((a0, a0 + 1, b0, b0))
                todo.append((a0 + 1, a1, b0, b1))
            elif lone == (0, -1):
                parts.append((a1 - 1, a1, b1, b1))
                todo.append((a0, a1 - 1, b0, b1))
            elif lone == (1, 0):
                parts.append((a0, a0, b0, b0 + 1))
                todo.append((a0, a1, b0 + 1, b1))
            else:
                parts.append((a1, a1, b1 - 1, b1))
                todo.append((a0, a1, b0, b1 - 1))
        parts.sort()
        return parts

    # only merged beads are looked at (a 1:1 or a skip is its own part); each on its own,
    # so a long text's are shared by two processes (:func:`_two_processes`)
    merged = [k for k, (s0, s1, t0, t1) in enumerate(found.ranges) if s1 - s0 > 1 or t1 - t0 > 1]
    halves = [merged[: len(merged) // 2], merged[len(merged) // 2 :]]
    split = _two_processes(lambda ks: [parts_of(found.ranges[k]) for k in ks], halves, [len(h) for h in halves], SPLIT_FORK)
    looked = dict(zip(chain.from_iterable(halves), chain.from_iterable(split)))
    out = _Found([], [], [])
    for k, ((s0, s1, t0, t1), p, q) in enumerate(zip(found.ranges, found.posterior, found.node)):
        parts = looked[k] if k in looked else [(i0 + s0, i0 + s1, j0 + t0, j0 + t1)]
        for x, (a0, a1, b0, b1) in enumerate(parts):
            out.ranges.append((a0 - i0, a1 - i0, b0 - j0, b1 - j0))
            out.posterior.append(p)
            out.node.append(q if x == len(parts) - 1 else p)
    return _lone_home(out, i0, j0, cfg, cont) if cont is not None else out


def _skips_home(
    ranges: list[tuple[int, int, int, int]], post: list[float], node: list[float], src: _Side, tgt: _Side, cfg: AlignConfig,
    fixed: set[int],
) -> tuple[list[tuple[int, int, int, int]], list[float], list[float]]:
    """The beads (text coordinates) with every skip joined to the neighbouring bead whose
    runs' normalised embedding cosine (:func:`_bead_esim`) it raises by more than
    ``skip_home``, to the one it raises most: its meaning is in that bead's other run, so
    it is no omission (the search left it out as a merge's prior and its share of the
    embedding term cost more than a skip).  Beads fixed by anchors (``fixed``: indices)
    take nothing; the shape must be one the search knows, and the runs embedded whole."""
    R, P, N = list(ranges), list(post), list(node)
    shapes = set(cfg.shapes)
    k = 0
    while k < len(R):
        s0, s1, t0, t1 = R[k]
        if (s1 - s0 > 0) == (t1 - t0 > 0):
            k += 1
            continue
        best, gain = None, cfg.skip_home
        for nb in (k - 1, k + 1):
            if not 0 <= nb < len(R) or nb in fixed:
                continue
            a0, a1, b0, b1 = R[nb]
            if a1 == a0 or b1 == b0:
                continue
            j = (min(a0, s0), max(a1, s1), min(b0, t0), max(b1, t1))
            if (j[1] - j[0], j[3] - j[2]) not in shapes:
                continue
            e0, e1 = _bead_esim(src, tgt, a0, a1, b0, b1), _bead_esim(src, tgt, *j)
            if e0 is not None and e1 is not None and e1 - e0 > gain:
                best, gain = nb, e1 - e0
        if best is None:
            k += 1
            continue
        a0, a1, b0, b1 = R[best]
        R[best] = (min(a0, s0), max(a1, s1), min(b0, t0), max(b1, t1))
        if best < k:
            N[best] = N[k]
        del R[k], P[k], N[k]
        fixed = {f - (f > k) for f in fixed}
    return R, P, N


def _bead_esim(src: _Side, tgt: _Side, s0: int, s1: int, t0: int, t1: int) -> float | None:
    """The (normalised) cosine of the runs of bead s0..s1 × t0..t1 (text coordinates), None
    when they are not embedded whole (a skip, or a run longer than ``embed_runs``)."""
    a, b = s1 - s0, t1 - t0
    if not src.runs or not tgt.runs or a not in src.runs or b not in tgt.runs:
        return None
    cos = float(np.clip(src.runs[a][s1] @ tgt.runs[b][t1], 0.0, 1.0))
    if src.run_norm is not None and tgt.run_norm is not None:
        cos = 1.0 - (1.0 - cos) / (0.5 * float(src.run_norm[a][s1] + tgt.run_norm[b][t1]))
    return cos


def _lone_home(found: _Found, i0: int, j0: int, cfg: AlignConfig, cont: tuple[np.ndarray, np.ndarray]) -> _Found:
    """The beads (of a stretch starting at i0, j0) with every skip that is part of a sentence
    (:func:`confidence.continued_cuts`) joined to the bead of the sentence it continues or
    that continues it, when the shape allows: a translator leaves out sentences, not the
    half of one the sentence splitter cut off (the dev pieces' wrong 1:0 beads were such
    halves of a 3:1 or 2:2 whose translation is freer than its lengths let the search see)."""
    R = list(found.ranges)
    post, node = list(found.posterior), list(found.node)
    shapes = set(cfg.shapes)
    k = 0
    while k < len(R):
        s0, s1, t0, t1 = R[k]
        side = 0 if t1 == t0 and s1 - s0 == 1 else 1 if s1 == s0 and t1 - t0 == 1 else -1
        x = s0 + i0 if side == 0 else t0 + j0
        # the bead before it when it continues that one's sentence, else the one after it when
        # that one continues its sentence
        nb = None if side < 0 else k - 1 if cont[side][x] else k + 1 if cont[side][x + 1] else None
        if nb is None or not 0 <= nb < len(R):
            k += 1
            continue
        a0, a1, b0, b1 = R[nb]
        if a1 == a0 or b1 == b0 or (a1 - a0 + (side == 0), b1 - b0 + (side == 1)) not in shapes:
            k += 1
            continue
        R[nb] = (min(a0, s0), max(a1, s1), min(b0, t0), max(b1, t1))
        if nb < k:
            node[nb] = node[k]  # the joined bead ends where the skip did
        del R[k], post[k], node[k]
    return _Found(R, post, node)


# --------------------------------------------------------------------------- public

#: Usual target/source length ratio in characters for some pairs (measured on parallel
#: text: Text+Berg de–fr, the bundled ru–en letters and news); the project's own ratio,
#: learned from its aligned beads, takes precedence (:attr:`Cooccurrence.ratio`).
USUAL_RATIO: dict[tuple[str, str], float] = {("de", "fr"): 1.05, ("ru", "en"): 1.05, ("zh", "en"): 3.2}


def usual_ratio(src_lang: str, tgt_lang: str) -> float | None:
    """The usual length ratio of a language pair, or None when unknown."""
    from tolmach.model import language

    a, b = language(src_lang), language(tgt_lang)
    if (a, b) in USUAL_RATIO:
        return USUAL_RATIO[(a, b)]
    if (b, a) in USUAL_RATIO:
        return 1.0 / USUAL_RATIO[(b, a)]
    return None



Anchor = tuple[Sequence[int], Sequence[int]]


class Aligner:
    """Aligns one or several text pairs; a lexicon learned on all of them is shared.

    ``dictionary``: (source phrase, target phrase) pairs, a callable giving them, or an
    object with ``pairs()`` (the glossary); every word of a phrase is paired with every
    word of its rendering.  ``general``: the one-word translations of a general
    dictionary (:func:`tolmach.align.dictionary.read_dictionary`), kept apart so their
    concepts (``G:``) can be told from the glossary's (``D:``).  ``translate``: optional MT function from
    source sentences to target-language sentences.  ``project``: co-occurrence counts
    over the project's aligned beads (every document of the database, see
    :func:`tolmach.service.alignment.project_counts`); the lexicon is learned from them
    together with the texts being aligned, so one short document aligns as well as the
    whole project, and their length ratio is the pair's usual one.  ``ratio``: the usual
    target/source length ratio, if known otherwise; when the two texts' totals stray
    far from it, one side is taken to be partial.
    """

    def __init__(
        self,
        config: AlignConfig | None = None,
        *,
        dictionary: DictionaryLike | None = None,
        general: DictionaryLike | None = None,
        translate: Translate | None = None,
        project: Cooccurrence | None = None,
        ratio: float | None = None,
        embed: Callable[[Sequence[str]], np.ndarray] | None = None,
    ) -> None:
        self.config = config or AlignConfig()
        self.embed = embed
        #: per source text: both sides' sentence embeddings, run embeddings and run norms
        self._embedded: dict[int, tuple[np.ndarray, np.ndarray, dict[int, np.ndarray] | None, dict[int, np.ndarray] | None,
                                        dict[int, np.ndarray] | None, dict[int, np.ndarray] | None]] = {}
        self._guides: dict[tuple[int, int, int, int, int], _Found] = {}
        self._concepts = _Concepts()
        self.dictionary = Lexicon.from_pairs(dictionary_pairs(dictionary))
        self.general = Lexicon.from_pairs(dictionary_pairs(general), "G")
        self.translate = translate
        self.project = project if project is not None and project.pairs else None
        self.ratio = ratio if ratio is not None else (project.ratio if project is not None else None)
        self.learned = self._lexicon_from([]) if self.project is not None else Lexicon()
        #: what the project's stored counts teach alone (its beads and memories, not this call's texts)
        self._stored = {c for cs in self.learned.src.values() for c in cs}
        self.model1: Model1 | None = None
        #: per source text (by id), in the final pass: the learned lexicon it keeps (``project_confirm``)
        self._confirmed: dict[int, Lexicon] = {}

    def _lexicon_from(self, stems: Sequence[tuple[Sequence[str], Sequence[str]]]) -> Lexicon:
        """The lexicon from the distinct stems of aligned pairs and the project's counts."""
        cfg = self.config
        return count_lexicon(stems, self.project, min_dice=cfg.lexicon_min_dice, max_per_word=cfg.lexicon_per_word)

    # -- one pass over every pair with a given lexicon
    def _pass(
        self, pairs: Sequence[tuple[Text, Text]], lexicon: Lexicon, mts: Sequence[list[str] | None],
        anchors: Sequence[Sequence[Anchor]], final: bool = True,
    ) -> list[list[AlignedBead] | list[_Draft]]:
        """``final``: the result is the alignment (not only what a lexicon is learned
        from, which reads the posteriors): only then are the bead scores computed."""
        out: list[list[AlignedBead] | list[_Draft]] = []
        for (s, t), mt, a in zip(pairs, mts, anchors):
            mine = self._confirmed.get(id(s)) if final else None
            out.append(self._align_one(s, t, lexicon if mine is None else self._known(True, mine), mt, a, final))
        return out

    def _length_ratio(self, ls: np.ndarray, lt: np.ndarray) -> float:
        total = float(lt.sum() / ls.sum())
        if self.ratio is None:
            return total
        if abs(math.log(total / self.ratio)) > math.log(self.config.ratio_tolerance):
            return self.ratio  # one text covers only part of the other
        return total

    def _align_one(
        self, s: Text, t: Text, lexicon: Lexicon, mt: list[str] | None, anchors: Sequence[Anchor] = (),
        final: bool = True,
    ) -> list[AlignedBead] | list[_Draft]:
        """The beads of one pair; ``final``: with the features of their scores (a pass the
        lexicon is learned from needs only the posteriors)."""
        cfg = self.config
        n, m = len(s.sentences), len(t.sentences)
        if n == 0 or m == 0:
            return [AlignedBead((i,), (), 0.0, 0.0) for i in range(n)] + [AlignedBead((), (j,), 0.0, 0.0) for j in range(m)]
        keys = (id(s), "src"), (id(t), "tgt")
        if keys[0] not in self._concepts.sides:
            _read_sentences([*s.sentences, *t.sentences])
        self._concepts.side(keys[0], s.sentences, mt)
        self._concepts.side(keys[1], t.sentences, None if mt is None else t.sentences)
        E, F, Eg, Fg = self._concepts.vectors(keys, lexicon, cfg.max_dense, cfg.hashed_dim, general=True, sparse=True)
        ls = np.maximum(np.fromiter(map(len, s.sentences), dtype=np.float32, count=n), 1)
        lt = np.maximum(np.fromiter(map(len, t.sentences), dtype=np.float32, count=m), 1)
        ratio = self._length_ratio(ls, lt)
        src = _Side(E, ls, _par_starts(s.paragraphs, n), gen=Eg, unit=float(ls.mean()))
        tgt = _Side(F, lt, _par_starts(t.paragraphs, m), gen=Fg, unit=float(lt.mean()))
        if self.embed is not None:  # once per pair, whatever the number of passes
            key = id(s)
            if key not in self._embedded:
                sizes = [x for x in range(1, cfg.embed_runs + 1) if any(a == x and b for a, b in cfg.shapes)]
                rs = _run_embeddings(self.embed, s.sentences, sizes)
                sizes = [x for x in range(1, cfg.embed_runs + 1) if any(b == x and a for a, b in cfg.shapes)]
                rt = _run_embeddings(self.embed, t.sentences, sizes)
                es = rs[1][1:] if 1 in rs else self.embed(list(s.sentences))
                et = rt[1][1:] if 1 in rt else self.embed(list(t.sentences))
                ns = _run_norms(rs, et, cfg.embed_knn, cfg.embed_near) if cfg.embed_norm else None
                nt = _run_norms(rt, es, cfg.embed_knn, cfg.embed_near) if cfg.embed_norm else None
                self._embedded[key] = (es, et, rs or None, rt or None, ns, nt)
            src.emb, tgt.emb, src.runs, tgt.runs, src.run_norm, tgt.run_norm = self._embedded[key]
        if self.model1 is not None and cfg.m1_weight:
            m1 = _m1_sides(self.model1, s.sentences, t.sentences, cfg.m1_max_dense)
            if m1 is not None:
                src.m1, tgt.m1 = m1
        level = skip_level(src, tgt, cfg, ratio)
        if n and m:  # short is relative: a text of short lines (Tatoeba, a list) is not debris
            typical = min(float(np.median(src.length)), float(np.median(tgt.length)) / ratio)
            cfg = replace(cfg, short_chars=max(1.0, min(cfg.short_chars, cfg.short_typical * typical)))
        fixed = _fixed_beads(anchors, n, m)
        cont = (confidence.continued_cuts(s.sentences), confidence.continued_cuts(t.sentences)) if final and cfg.join_continued else None
        # where each stretch ends: at the next fixed bead, or at a shared paragraph boundary
        cuts = [(fs[0], ft[0], fs, ft) for fs, ft in fixed]
        if cfg.paragraph_anchors and not fixed:
            cuts = [(i, j, (), ()) for i, j in _paragraph_cuts(s.paragraphs, t.paragraphs)]
        cuts.append((n, m, (), ()))
        ranges: list[tuple[int, int, int, int]] = []
        post: list[float] = []
        node: list[float] = []
        fixed_at: list[int] = []
        i0 = j0 = 0
        for i1, j1, fs, ft in cuts:
            # a long stretch is searched coarse-to-fine in the first pass, around the path
            # the pass before found in later ones (its lexicon moves the path little)
            stretch = (id(s), i0, i1, j0, j1)
            found = _search(_slice(src, i0, i1), _slice(tgt, j0, j1), cfg, ratio, level, guide=self._guides.get(stretch))
            self._guides[stretch] = found
            if final:
                found = _split_unlinked(src, tgt, found, i0, j0, cfg, ratio, cont)
            ranges.extend((i0 + s0, i0 + s1, j0 + t0, j0 + t1) for s0, s1, t0, t1 in found.ranges)
            post.extend(found.posterior)
            node.extend(found.node)
            if fs:
                fixed_at.append(len(ranges))
                ranges.append((fs[0], fs[-1] + 1, ft[0], ft[-1] + 1))
                post.append(1.0)
                node.append(1.0)
                i0, j0 = fs[-1] + 1, ft[-1] + 1
            else:
                i0, j0 = i1, j1
        if final:
            kept = {ranges[k] for k in fixed_at}
            ranges, post, node = _join_crossed(ranges, post, node, self._concepts.anchors(keys)[0], list(self._concepts.ids),
                                               (s.sentences, t.sentences), src, tgt, cfg, ratio, set(fixed_at))
            if src.runs and tgt.runs and cfg.skip_home >= 0:
                ranges, post, node = _skips_home(ranges, post, node, src, tgt, cfg, {k for k, r in enumerate(ranges) if r in kept})
            fixed_at = [k for k, r in enumerate(ranges) if r in kept]
        # the general dictionary's matrices price the search only: freed before the beads'
        # features are taken (2 x 31 MB at 20,000 sentences, the peak of a final pass)
        src.gen = tgt.gen = Eg = Fg = None
        if not final:  # what the lexicon is learned from: light tuples, not 20,000 frozen beads (~0.15 s)
            return [_Draft(tuple(range(r[0], r[1])), tuple(range(r[2], r[3])), p) for r, p in zip(ranges, post)]
        box = np.array(ranges, dtype=np.int64).reshape(-1, 4)
        names = confidence.used()
        weak = (confidence.weak_cuts(s.sentences), confidence.weak_cuts(t.sentences)) if "weak_cuts" in names else None
        letters = (confidence.letter_share(s.sentences), confidence.letter_share(t.sentences)) if "letters" in names else None
        feats = confidence.bead_features(src, tgt, box, np.array(post), np.array(node), cfg, ratio, level, weak, names,
                                         self._concepts.anchors(keys), letters)
        at_anchor = set(fixed_at)  # anchors are fixed by a person or with certainty: score 1, no features
        return [
            AlignedBead(tuple(range(r[0], r[1])), tuple(range(r[2], r[3])), 1.0 if k in at_anchor else p, p,
                        None if k in at_anchor else f)
            for k, (r, p, f) in enumerate(zip(ranges, post, feats))
        ]  # fmt: skip

    @staticmethod
    def _scored(
        result: list[list[AlignedBead]], earlier: Sequence[Sequence[Sequence[AlignedBead | _Draft]]]
    ) -> list[list[AlignedBead]]:
        """The final beads with their scores (:mod:`.confidence`): the features of each bead
        and in how many of the earlier passes it was found already (a bead the lexicon
        did not move is more often right).  Beads without features keep their score."""
        out = []
        for k, beads in enumerate(result):
            seen = [{(b.src, b.tgt) for b in passes[k]} for passes in earlier]
            todo = [i for i, b in enumerate(beads) if b.features is not None]
            if not todo:
                out.append(beads)
                continue
            agree = [sum((beads[i].src, beads[i].tgt) in s for s in seen) / len(seen) if seen else 1.0 for i in todo]
            feats = np.array([beads[i].features for i in todo], dtype=np.float64)
            feats = np.hstack([feats, np.array(agree)[:, None]])
            scores = confidence.bead_scores(feats)
            new = list(beads)
            for i, sc, f in zip(todo, scores, feats):
                b = beads[i]
                new[i] = AlignedBead(b.src, b.tgt, float(sc), b.posterior, f)  # a row of one array
            out.append(new)
        return out

    def align_many(
        self, pairs: Sequence[tuple[Text, Text]], anchors: Sequence[Sequence[Anchor]] | None = None
    ) -> list[list[AlignedBead]]:
        """Align several pairs; the lexicon is learned from all of them together.

        ``anchors[k]``: beads of pair k that are fixed (confirmed by a person, or found
        with certainty); only the stretches between them are aligned.
        """
        anchors = list(anchors) if anchors is not None else [()] * len(pairs)
        self._embedded = {}
        self._guides = {}
        self._confirmed = {}
        self._concepts = _Concepts()
        with _no_gc():
            mts: list[list[str] | None] = [None] * len(pairs)
            if self.translate is not None:
                mts = [list(self.translate(list(s.sentences))) if s.sentences else [] for s, _ in pairs]
            rounds = max(1, self.config.learn_rounds) if self.config.learn_lexicon else 0
            # a general dictionary prices the final pass's beads only: the passes the lexicon and
            # Model 1 learn from go without it (its common words' pairs would move which beads
            # are confident, and so what a short text learns)
            result = self._pass(pairs, self._known(general=rounds == 0), mts, anchors, final=rounds == 0)
            earlier: list[list[list[AlignedBead] | list[_Draft]]] = []
            for r in range(rounds):
                earlier.append(result)
                last = r == rounds - 1
                self.learned = self._learn(pairs, result, final=last)
                result = self._pass(pairs, self._known(general=last), mts, anchors, final=last)
            return self._scored(cast(list[list[AlignedBead]], result), earlier)  # the last pass is final

    def _known(self, general: bool = True, learned: Lexicon | None = None) -> Lexicon:
        """Every word translation a pass uses: glossary, general dictionary (``general``),
        learned lexicon (``learned``, or the one every text shares)."""
        known = self.dictionary.merged(self.learned if learned is None else learned)
        return known.merged(self.general) if general else known

    def _learn(self, pairs: Sequence[tuple[Text, Text]], results: Sequence[Sequence[AlignedBead | _Draft]], final: bool = True) -> Lexicon:
        """The lexicon from the confident 1:1 beads of a pass, and before the final pass
        the Model 1 tables (enough text permitting; earlier passes go without them)."""
        cfg = self.config
        train: list[tuple[str, str, float, int]] = []
        for k, ((s, t), beads) in enumerate(zip(pairs, results)):
            for bead in beads:
                if len(bead.src) == 1 and len(bead.tgt) == 1:
                    train.append((s.sentences[bead.src[0]], t.sentences[bead.tgt[0]], bead.posterior, k))
        train.sort(key=lambda x: -x[2])
        keep = train[: max(1, int(len(train) * cfg.confident_fraction))]
        if final and cfg.m1_weight and len(keep) >= cfg.m1_min_pairs and any(
            _m1_size(s.sentences, t.sentences) <= cfg.m1_max_dense for s, t in pairs
        ):
            self.model1 = Model1.train([(a, b) for a, b, _, _ in keep], cfg.m1_iterations)
        learned = self._lexicon_from([(content_stems(a), content_stems(b)) for a, b, _, _ in keep])
        if final and cfg.project_confirm and (self.project is not None or len(pairs) > 1):
            # a text's own confident beads: the top confident_fraction of its own 1:1 beads, as
            # it has them aligned alone; not its share of the project's top beads, which the
            # other texts' scores decide (a piece harder than the rest, 40 1:1 beads, had 16)
            own: dict[int, list[tuple[str, str, float, int]]] = {}
            for x in train:  # highest posterior first
                own.setdefault(x[3], []).append(x)
            for k, (s, _) in enumerate(pairs):
                theirs = own.get(k, [])
                mine = [(content_stems(a), content_stems(b)) for a, b, _, _ in theirs[: int(len(theirs) * cfg.confident_fraction)]]
                if len(mine) < cfg.project_few:
                    self._confirmed[id(s)] = _confirmed(learned, mine, cfg.project_confirm, self._stored)
        return learned

    def align(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        *,
        src_paragraphs: Sequence[int] | None = None,
        tgt_paragraphs: Sequence[int] | None = None,
        anchors: Sequence[Anchor] = (),
    ) -> list[AlignedBead]:
        """Align one pair of sentence lists (``anchors``: fixed beads, see :meth:`align_many`)."""
        return self.align_many([(Text(src, src_paragraphs), Text(tgt, tgt_paragraphs))], [anchors])[0]


def _confirmed(
    learned: Lexicon, stems: Sequence[tuple[Sequence[str], Sequence[str]]], times: int, stored: set[str]
) -> Lexicon:
    """The pairs of ``learned`` that the aligned pairs of ``stems`` hold at least ``times``
    times (a text's own confident beads: what of the other texts' lexicon it confirms), or
    that are ``stored`` (concepts the project's stored beads and memories teach alone).  An
    untranslated line beside its translation shares the translation's words, and the pairs
    the other texts teach ("о" ↔ "about") would link it too: the merge keeps most of the
    bead's similarity and costs less than leaving the line out (ru–en dev news21, news23)."""
    held: Counter[tuple[str, str]] = Counter()
    for ss, ts in stems:
        held.update((a, b) for a in set(ss) for b in set(ts))
    out = Lexicon()
    for a, concepts in learned.src.items():
        for c in concepts:
            b = c.split(">", 1)[1]
            if held[(a, b)] >= times or c in stored:
                out.add(a, b)
    return out


def _fixed_beads(anchors: Sequence[Anchor], n: int, m: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Anchors as sorted, contiguous, in-range beads that keep both sides in order."""
    out = sorted(
        ((tuple(int(i) for i in a), tuple(int(j) for j in b)) for a, b in anchors if len(a) or len(b)),
        key=lambda x: (x[0][0] if x[0] else -1, x[1][0] if x[1] else -1),
    )
    last_i = last_j = -1
    for a, b in out:
        for ids, last, size, side in ((a, last_i, n, "source"), (b, last_j, m, "target")):
            if ids and (list(ids) != list(range(ids[0], ids[0] + len(ids))) or ids[0] <= last or ids[-1] >= size):
                raise ValueError(f"anchor {list(a)}:{list(b)} is not a run of {side} sentences in order")
        if not a or not b:
            raise ValueError(f"anchor {list(a)}:{list(b)} must join source and target sentences")
        last_i, last_j = a[-1], b[-1]
    return out


def _paragraph_cuts(sp: Sequence[int] | None, tp: Sequence[int] | None) -> list[tuple[int, int]]:
    """When both sides have the same number of paragraphs, every boundary is shared:
    ``(i, j)`` = source paragraph k starts at sentence i and target paragraph k at j."""
    if sp is None or tp is None:
        return []
    si = [i for i in range(1, len(sp)) if sp[i] != sp[i - 1]]
    tj = [j for j in range(1, len(tp)) if tp[j] != tp[j - 1]]
    if not si or len(si) != len(tj):
        return []
    return list(zip(si, tj))


def _par_starts(paragraphs: Sequence[int] | None, k: int) -> np.ndarray | None:
    if paragraphs is None:
        return None
    if len(paragraphs) != k:
        raise ValueError("one paragraph number per sentence is needed")
    p = np.asarray(paragraphs)
    starts = np.ones(k, dtype=bool)
    starts[1:] = p[1:] != p[:-1]
    return starts


def align(src: Sequence[str], tgt: Sequence[str], **kwargs: Any) -> list[AlignedBead]:
    """Align two sentence lists with the default configuration."""
    return Aligner().align(src, tgt, **kwargs)
