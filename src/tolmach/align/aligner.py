"""Sentence alignment with n:m beads: length model + lexical anchors + learned lexicon.

The cost of a bead joining source run A with target run B combines

* a Gale–Church length term on characters, the target/source length ratio estimated
  from the texts themselves;
* ``1 - cosine`` between the concept bags of A and B (:mod:`.features`: numbers,
  punctuation, cognates after transliteration, dictionary entries, learned word
  associations, and words of a machine translation when one is given).  Bags add up,
  so a merged run is scored as one unit, as Vecalign does with embeddings;
* a prior per bead shape and, when both texts carry paragraphs, a penalty for beads
  that straddle a paragraph break or start a paragraph on one side only.

Alignment runs twice: the first pass uses anchors and lengths only, its confident 1:1
beads teach a word lexicon (Hunalign's bootstrap), the second pass uses it too.  Long
texts are first aligned coarsely (runs of sentences glued together) and then searched
in a band around the coarse path, so the work grows linearly with length.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tolmach.align import dp
from tolmach.align.features import (
    DictionaryLike,
    Lexicon,
    dictionary_pairs,
    idf_weights,
    learn_lexicon,
    mt_concepts,
    sentence_concepts,
)

Translate = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class Bead:
    """One aligned unit: source and target sentence indices (0-based), and a confidence."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float

    @property
    def shape(self) -> str:
        return f"{len(self.src)}:{len(self.tgt)}"


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
            (1, 1): 0.0, (1, 2): 1.5, (2, 1): 1.5, (2, 2): 2.5, (1, 3): 2.5, (3, 1): 2.5,
            (2, 3): 3.5, (3, 2): 3.5, (1, 4): 3.5, (4, 1): 3.5,
        }  # fmt: skip
    )
    paragraph_cross: float = 4.0
    paragraph_mismatch: float = 2.0
    learn_lexicon: bool = True
    confident_fraction: float = 0.6  # of 1:1 beads used to learn the lexicon
    max_cells: int = 400_000  # larger grids are searched coarse-to-fine
    max_dense: int = 25_000_000  # floats in the concept matrices before hashing
    hashed_dim: int = 1024
    flag_below: float = 0.5
    shapes: tuple[tuple[int, int], ...] = dp.SHAPES + ((2, 3), (3, 2), (1, 4), (4, 1))
    learn_rounds: int = 2
    skip_short: float = 0.5  # how much cheaper skipping a short (junk) line is, 0..1
    skip_percentile: float | None = None
    size_product: bool = False
    size_exponent: float = 1.0
    skip_scale: float = 0.6
    lexicon_min_dice: float = 0.3
    lexicon_per_word: int = 3


@dataclass
class Text:
    """One side of a pair: sentences and, optionally, the paragraph of each."""

    sentences: Sequence[str]
    paragraphs: Sequence[int] | None = None


# --------------------------------------------------------------------------- vectors


def _vectors(
    src_bags: list, tgt_bags: list, dim_limit: int, hashed_dim: int
) -> tuple[np.ndarray, np.ndarray]:
    """tf·idf concept matrices for both sides (exact, or feature-hashed when huge)."""
    idf = idf_weights(list(src_bags) + list(tgt_bags))
    shared = {c for b in src_bags for c in b} & {c for b in tgt_bags for c in b}
    vocab = {c: k for k, c in enumerate(sorted(shared))}  # a concept on one side only never matches
    n, m = len(src_bags), len(tgt_bags)
    exact = (n + m) * max(1, len(vocab)) <= dim_limit
    dim = max(1, len(vocab)) if exact else hashed_dim
    out = []
    for bags, rows in ((src_bags, n), (tgt_bags, m)):
        mat = np.zeros((rows, dim), dtype=np.float32)
        for r, bag in enumerate(bags):
            for c, k in bag.items():
                if c not in vocab:
                    continue
                w = k * idf[c]
                if exact:
                    mat[r, vocab[c]] += w
                else:
                    h = zlib.crc32(c.encode("utf-8"))
                    mat[r, h % dim] += w if (h >> 20) & 1 else -w
        out.append(mat)
    return out[0], out[1]


# --------------------------------------------------------------------------- costs


@dataclass
class _Side:
    vec: np.ndarray  # (k, dim)
    length: np.ndarray  # (k,) characters
    par_start: np.ndarray | None  # (k,) bool: sentence starts a paragraph

    @property
    def size(self) -> int:
        return int(self.length.shape[0])

    def block_norms(self, a: int) -> np.ndarray:
        """|sum of vectors of sentences e-a .. e-1|² for every end node e (shape size+1)."""
        k = self.size
        out = np.zeros(k + 1, dtype=np.float64)
        if a == 0 or k == 0:
            return out
        csum = np.zeros((k + 1, self.vec.shape[1]), dtype=np.float64)
        # direct: small a, so sum the a vectors (k × dim each)
        acc = np.zeros((k + 1 - a, self.vec.shape[1]), dtype=np.float32)
        for p in range(a):
            acc += self.vec[p : k - a + 1 + p]
        out[a:] = np.einsum("ij,ij->i", acc, acc)
        del csum
        return out

    def block_lengths(self, a: int) -> np.ndarray:
        c = np.concatenate([[0.0], np.cumsum(self.length)])
        out = np.zeros(self.size + 1)
        out[a:] = c[a:] - c[: len(c) - a]
        return out

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


def _pair_band(E: np.ndarray, F: np.ndarray, plo: np.ndarray, pw: int) -> np.ndarray:
    """P[r, u] = E[r] · F[plo[r] + u] (0 outside the target), computed in row chunks."""
    n, m = E.shape[0], F.shape[0]
    P = np.zeros((n, pw), dtype=np.float32)
    step = 256
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        c0 = int(max(0, plo[r0]))
        c1 = int(min(m, plo[r1 - 1] + pw))
        if c1 <= c0:
            continue
        block = E[r0:r1] @ F[c0:c1].T
        idx = plo[r0:r1, None] + np.arange(pw)[None, :] - c0
        ok = (idx >= 0) & (idx < c1 - c0)
        P[r0:r1] = np.where(ok, np.take_along_axis(block, np.clip(idx, 0, c1 - c0 - 1), axis=1), 0.0)
    return P


def _skip_costs(length: np.ndarray, level: float, cfg: AlignConfig) -> np.ndarray:
    """1:0 / 0:1 cost: lines much shorter than a sentence (page debris, "....") cost less."""
    short = np.clip(1.0 - length / 40.0, 0.0, 1.0)
    return level * (1.0 - cfg.skip_short * short)


def _skip_level(c11: np.ndarray, cfg: AlignConfig) -> float:
    """The price of leaving a sentence unaligned, adapted to the pair (Vecalign's idea):
    a fraction of a high percentile of each source sentence's best 1:1 cost, so texts
    whose translations match weakly everywhere do not dissolve into deletions."""
    if cfg.skip_percentile is None:
        return cfg.skip_cost
    best = c11[1:].min(axis=1)
    best = best[best < dp.INF]
    if best.size == 0:
        return cfg.skip_cost
    return float(np.percentile(best, cfg.skip_percentile)) * cfg.skip_scale


def _size_factor(a: int, b: int, cfg: AlignConfig) -> float:
    """How a bead's dissimilarity scales with its size (1 for 1:1): Vecalign uses a·b."""
    return (a * b) ** cfg.size_exponent if cfg.size_product else (a + b) / 2.0


def _gale_church(la: np.ndarray, lb: np.ndarray, ratio: float, var: float) -> np.ndarray:
    """Negative log-likelihood of the length difference (Gale & Church 1993, Gaussian)."""
    mean = (la + lb / ratio) / 2.0
    delta = (lb - ratio * la) / np.sqrt(var * np.maximum(mean, 1.0))
    return 0.5 * delta * delta


def _gale_church_one(la: float, lb: float, ratio: float, var: float) -> float:
    """:func:`_gale_church` for one bead (scalars: numpy's per-call cost dominates there)."""
    mean = (la + lb / ratio) / 2.0
    delta = (lb - ratio * la) / math.sqrt(var * max(mean, 1.0))
    return 0.5 * delta * delta


def _bead_costs(
    src: _Side, tgt: _Side, band: dp.Band, cfg: AlignConfig, ratio: float
) -> tuple[dict[tuple[int, int], np.ndarray], np.ndarray, dict[tuple[int, int], np.ndarray]]:
    """Cost arrays per shape on the band, plus the similarity of each (for confidences)."""
    n, m = src.size, tgt.size
    lo, W = band.lo, band.width
    rows = n + 1
    cols = band.columns()
    valid_col = cols <= m
    colc = np.minimum(cols, m)
    # pair products P[r, u] = src r · tgt (plo[r] + u); each row keeps enough columns
    # that every bead ending in the band finds all its sentence pairs
    max_a = max(a for a, _ in cfg.shapes)
    max_b = max(b for _, b in cfg.shapes)
    back = np.maximum(np.arange(rows) - (max_a - 1), 0)
    jump = int((lo - lo[back]).max()) if rows else 0
    pw = W + max_b - 1 + jump
    plo = lo[1:] - max_b
    P = _pair_band(src.vec, tgt.vec, plo, pw) if n and m else np.zeros((n, pw), dtype=np.float32)
    both_par = src.par_start is not None and tgt.par_start is not None
    costs: dict[tuple[int, int], np.ndarray] = {}
    sims: dict[tuple[int, int], np.ndarray] = {}
    t_idx = np.arange(W)[None, :]
    deletions = []
    for a, b in cfg.shapes:
        C = np.full((rows, W), dp.INF, dtype=np.float32)
        if a > n or b > m:
            costs[(a, b)] = C
            continue
        ok = valid_col & (cols >= b)
        ok[:a] = False
        la = src.block_lengths(a)[:, None]
        lb = tgt.block_lengths(b)[colc]
        if b == 0:
            deletions.append((a, b, ok, la))
            costs[(a, b)] = C
            continue
        dot = np.zeros((rows, W), dtype=np.float64)
        good = np.ones((rows, W), dtype=bool)
        ii = np.arange(a, rows)
        for p in range(a):
            r = ii - 1 - p
            base = (lo[ii] - lo[ii - p])[:, None]
            for q in range(b):
                U = t_idx + (max_b - 1) - q + base
                inside = U < pw
                vals = np.take_along_axis(P[r], np.clip(U, 0, pw - 1), axis=1)
                dot[a:] += np.where(inside, vals, 0.0)
                good[a:] &= inside
        na = src.block_norms(a)[:, None]
        nb = tgt.block_norms(b)[colc]
        sim = dot / np.sqrt((na + cfg.smoothing) * (nb + cfg.smoothing))
        sim = np.clip(sim, 0.0, 1.0)
        gc = _gale_church(la, lb, ratio, cfg.length_variance)
        cost = cfg.sim_weight * _size_factor(a, b, cfg) * (1.0 - sim) + cfg.length_weight * gc + cfg.shape_cost.get((a, b), 3.0)
        if both_par:
            cross = src.crosses(a)[:, None].astype(np.float64) + tgt.crosses(b)[colc]
            mismatch = src.starts(a)[:, None] != tgt.starts(b)[colc]
            cost = cost + cfg.paragraph_cross * cross + cfg.paragraph_mismatch * mismatch
        ok &= good
        costs[(a, b)] = np.where(ok, cost, dp.INF).astype(np.float32)
        sims[(a, b)] = np.where(ok, sim, 0.0).astype(np.float32)
    level = _skip_level(costs[(1, 1)], cfg) if (1, 1) in costs else cfg.skip_cost
    for a, b, ok, la in deletions:
        costs[(a, b)] = np.where(ok, _skip_costs(la, level, cfg) + np.zeros((1, W)), dp.INF).astype(np.float32)
    lt1 = np.concatenate([[1.0], tgt.length])[colc]
    ins = np.where(valid_col & (cols >= 1), _skip_costs(lt1 / ratio, level, cfg), dp.INF).astype(np.float32)
    return costs, ins, sims


# --------------------------------------------------------------------------- search


def _coarsen(side: _Side, k: int) -> _Side:
    n = side.size
    groups = (n + k - 1) // k
    vec = np.zeros((groups, side.vec.shape[1]), dtype=np.float32)
    length = np.zeros(groups)
    for g in range(groups):
        vec[g] = side.vec[g * k : (g + 1) * k].sum(axis=0)
        length[g] = side.length[g * k : (g + 1) * k].sum()
    return _Side(vec, length, None)


def _search(src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float) -> tuple[list, dict, dp.Band]:
    """Beads (as ranges) for two sides, coarse-to-fine when the grid is too large."""
    n, m = src.size, tgt.size
    if (n + 1) * (m + 1) <= cfg.max_cells:
        band = dp.Band.full(n, m)
    else:
        k = 2  # halve both sides and recurse until the grid is small (Vecalign's scheme)
        coarse_cfg = replace(cfg, paragraph_cross=0.0, paragraph_mismatch=0.0)
        cs, ct = _coarsen(src, k), _coarsen(tgt, k)
        coarse, _, _ = _search(cs, ct, coarse_cfg, ratio)
        path = [(min(n, s1 * k), min(m, t1 * k)) for _, s1, _, t1 in coarse]
        band = dp.band_from_path(path, n, m, margin=k + 8)
    costs, ins, sims = _bead_costs(src, tgt, band, cfg, ratio)
    beads = dp.search(costs, ins, band, m)
    return beads, sims, band


def _confidence(shape: tuple[int, int], sim: float, cost: float) -> float:
    """A 0..1 confidence from the bead's similarity and cost (monotone in both)."""
    if shape[0] == 0 or shape[1] == 0:
        return 0.2
    return float(1.0 / (1.0 + math.exp(-(4.0 * sim - 0.6 * cost + 1.0))))


# --------------------------------------------------------------------------- public


class Aligner:
    """Aligns one or several text pairs; a lexicon learned on all of them is shared.

    ``dictionary``: (source phrase, target phrase) pairs, a callable giving them, or an
    object with ``pairs()`` (the glossary).  ``translate``: optional MT function from
    source sentences to target-language sentences.
    """

    def __init__(
        self,
        config: AlignConfig | None = None,
        *,
        dictionary: DictionaryLike | None = None,
        translate: Translate | None = None,
    ) -> None:
        self.config = config or AlignConfig()
        self.dictionary = Lexicon.from_pairs(dictionary_pairs(dictionary))
        self.translate = translate
        self.learned = Lexicon()

    # -- one pass over every pair with a given lexicon
    def _pass(self, pairs: Sequence[tuple[Text, Text]], lexicon: Lexicon, mts: list[list[str] | None]) -> list:
        results = []
        for (s, t), mt in zip(pairs, mts):
            results.append(self._align_one(s, t, lexicon, mt))
        return results

    def _align_one(self, s: Text, t: Text, lexicon: Lexicon, mt: list[str] | None) -> list[Bead]:
        cfg = self.config
        n, m = len(s.sentences), len(t.sentences)
        if n == 0 or m == 0:
            return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
        sb = [sentence_concepts(x, lexicon, "src") for x in s.sentences]
        tb = [sentence_concepts(x, lexicon, "tgt") for x in t.sentences]
        if mt is not None:
            for bag, text in zip(sb, mt):
                bag.update(mt_concepts(text))
            for bag, text in zip(tb, t.sentences):
                bag.update(mt_concepts(text))
        E, F = _vectors(sb, tb, cfg.max_dense, cfg.hashed_dim)
        ls = np.array([max(1, len(x)) for x in s.sentences], dtype=np.float64)
        lt = np.array([max(1, len(x)) for x in t.sentences], dtype=np.float64)
        ratio = float(lt.sum() / ls.sum())
        src = _Side(E, ls, _par_starts(s.paragraphs, n))
        tgt = _Side(F, lt, _par_starts(t.paragraphs, m))
        ranges, sims, band = _search(src, tgt, cfg, ratio)
        costs_ref = None
        out = []
        for s0, s1, t0, t1 in ranges:
            a, b = s1 - s0, t1 - t0
            sim = 0.0
            if a and b:
                sim = float(sims[(a, b)][s1, t1 - band.lo[s1]])
                gc = _gale_church_one(float(ls[s0:s1].sum()), float(lt[t0:t1].sum()), ratio, cfg.length_variance)
                cost = cfg.length_weight * gc + cfg.shape_cost.get((a, b), 3.0)
            else:
                cost = cfg.skip_cost
            out.append(Bead(tuple(range(s0, s1)), tuple(range(t0, t1)), _confidence((a, b), sim, cost)))
        del costs_ref
        return out

    def align_many(self, pairs: Sequence[tuple[Text, Text]]) -> list[list[Bead]]:
        """Align several pairs; the lexicon is learned from all of them together."""
        mts: list[list[str] | None] = [None] * len(pairs)
        if self.translate is not None:
            mts = [list(self.translate(list(s.sentences))) if s.sentences else [] for s, _ in pairs]
        first = self._pass(pairs, self.dictionary, mts)
        if not self.config.learn_lexicon:
            return first
        result = first
        for _ in range(max(1, self.config.learn_rounds)):
            self.learned = self._learn(pairs, result)
            result = self._pass(pairs, self.dictionary.merged(self.learned), mts)
        return result

    def _learn(self, pairs: Sequence[tuple[Text, Text]], results: list[list[Bead]]) -> Lexicon:
        train: list[tuple[str, str, float]] = []
        for (s, t), beads in zip(pairs, results):
            for bead in beads:
                if len(bead.src) == 1 and len(bead.tgt) == 1:
                    train.append((s.sentences[bead.src[0]], t.sentences[bead.tgt[0]], bead.score))
        train.sort(key=lambda x: -x[2])
        keep = train[: max(1, int(len(train) * self.config.confident_fraction))]
        return learn_lexicon(
            [(a, b) for a, b, _ in keep],
            min_dice=self.config.lexicon_min_dice,
            max_per_word=self.config.lexicon_per_word,
        )

    def align(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        *,
        src_paragraphs: Sequence[int] | None = None,
        tgt_paragraphs: Sequence[int] | None = None,
    ) -> list[Bead]:
        """Align one pair of sentence lists."""
        return self.align_many([(Text(src, src_paragraphs), Text(tgt, tgt_paragraphs))])[0]


def _par_starts(paragraphs: Sequence[int] | None, k: int) -> np.ndarray | None:
    if paragraphs is None:
        return None
    if len(paragraphs) != k:
        raise ValueError("one paragraph number per sentence is needed")
    p = np.asarray(paragraphs)
    starts = np.ones(k, dtype=bool)
    starts[1:] = p[1:] != p[:-1]
    return starts


def align(src: Sequence[str], tgt: Sequence[str], **kwargs) -> list[Bead]:
    """Align two sentence lists with the default configuration."""
    return Aligner().align(src, tgt, **kwargs)
