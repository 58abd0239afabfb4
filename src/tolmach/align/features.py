"""What makes two sentences in different languages look like translations of each other.

Each sentence becomes a bag of *concepts*: tokens that both languages can produce, so
the similarity of a source run and a target run is a plain dot product of their bags.
Concepts come from anchors that need no external resource (numbers, punctuation,
names and cognates compared after transliteration and accent folding), from an optional
bilingual dictionary (the glossary), from a word lexicon learned from the texts being
aligned, and, when a machine translation is available, from the words of the source's
translation.  Because bags add up, the bag of a 2-sentence run is the sum of two bags,
which is what lets the aligner score merges without re-tokenising.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain, product, repeat

import math
import sys
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

#: Cyrillic → Latin, close to common English/German practice; the point is only that
#: names and cognates ("Москва" / "Moskva", "партия" / "partiya") share a prefix.
CYRILLIC_TO_LATIN: Mapping[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}  # fmt: skip

#: Spellings folded before comparing stems: what differs between languages for the same
#: word more often than it distinguishes words ("kh"/"h", "ph"/"f", "c"/"k").
FOLDS: tuple[tuple[str, str], ...] = (
    ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ph", "f"), ("th", "t"), ("kh", "h"),
    ("ck", "k"), ("qu", "k"), ("c", "k"), ("y", "i"), ("w", "v"), ("z", "s"),
)  # fmt: skip

#: Punctuation that survives translation and so anchors a pair (quotes folded to one).
PUNCTUATION_CONCEPTS: Mapping[str, str] = {
    "?": "?", "!": "!", ":": ":", ";": ";", "(": "(", "«": '"', "»": '"', "„": '"',
    "“": '"', "”": '"', '"': '"', "…": "...",
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_DIGITS = re.compile(r"\d")

#: Length of the stem two words must share to count as cognates.
STEM_LENGTH = 5
#: Words shorter than this are not compared as cognates (too many chance matches).
MIN_COGNATE_LENGTH = 4


@lru_cache(maxsize=200_000)
def latin_fold(word: str) -> str:
    """Lower-case, transliterate Cyrillic, strip accents, fold spelling variants."""
    w = word.lower()
    w = "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in w)
    w = unicodedata.normalize("NFKD", w)
    w = "".join(ch for ch in w if not unicodedata.combining(ch))
    for a, b in FOLDS:
        w = w.replace(a, b)
    return w


def words(text: str) -> list[str]:
    """Word and number tokens of a sentence, in order."""
    return _WORD.findall(text)


def number_key(token: str) -> str:
    """Numbers compare by their digits only ("8,848" = "8.848" = "8848")."""
    return "#" + "".join(_DIGITS.findall(token)).lstrip("0")


@runtime_checkable
class Dictionary(Protocol):
    """A bilingual dictionary the aligner can use: the glossary, or any word list.

    ``pairs`` yields (source phrase, target phrase); the aligner matches them as folded
    word stems, so inflected forms of either side still meet.
    """

    def pairs(self) -> Iterable[tuple[str, str]]: ...


DictionaryLike = Dictionary | Iterable[tuple[str, str]] | Callable[[], Iterable[tuple[str, str]]]


def dictionary_pairs(d: DictionaryLike | None) -> list[tuple[str, str]]:
    """Accept a Dictionary, a list of pairs or a callable giving pairs."""
    if d is None:
        return []
    if isinstance(d, Dictionary):
        return list(d.pairs())
    if callable(d):
        return list(d())
    return list(d)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return latin_fold(word)[:STEM_LENGTH]


@dataclass
class Lexicon:
    """Word translations: a source stem maps to the concepts it shares with target stems.

    Built from a dictionary (multi-word phrases contribute each content word) and from
    associations learned on confidently aligned pairs.
    """

    src: dict[str, set[str]] = field(default_factory=dict)
    tgt: dict[str, set[str]] = field(default_factory=dict)

    def add(self, src_stem: str, tgt_stem: str, tag: str = "L") -> None:
        concept = f"{tag}:{src_stem}>{tgt_stem}"
        self.src.setdefault(src_stem, set()).add(concept)
        self.tgt.setdefault(tgt_stem, set()).add(concept)

    def __len__(self) -> int:
        return sum(len(v) for v in self.src.values())

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], tag: str = "D") -> Lexicon:
        lex = cls()
        for s, t in pairs:
            ss = [stem(w) for w in words(s) if len(w) >= 3 and not w.isdigit()]
            ts = [stem(w) for w in words(t) if len(w) >= 3 and not w.isdigit()]
            for a in ss:
                for b in ts:
                    if a != b:  # identical stems already meet as cognates
                        lex.add(a, b, tag)
        return lex

    def merged(self, other: Lexicon) -> Lexicon:
        out = Lexicon({k: set(v) for k, v in self.src.items()}, {k: set(v) for k, v in self.tgt.items()})
        for k, v in other.src.items():
            out.src.setdefault(k, set()).update(v)
        for k, v in other.tgt.items():
            out.tgt.setdefault(k, set()).update(v)
        return out


#: :func:`_base_concepts` of the sentences read lately (at most ``BASE_CACHE`` of them: a
#: dict, not ``lru_cache``, so that what a forked process read can be filed here too).
_BASE: dict[str, tuple[tuple[tuple[str, int], ...], tuple[str, ...]]] = {}
BASE_CACHE = 100_000


def _base_concepts(text: str) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """What a sentence offers whatever the lexicon: anchor concepts with their counts, and
    the stems of its words (looked up in the lexicon by :func:`sentence_concepts`)."""
    got = _BASE.get(text)
    if got is None:
        got = remember_base(text, read_base(text))
    return got


#: One copy of each (concept, count) pair the cached bags hold (most are a word's cognate
#: concept counted once, in many sentences): a tuple of its own in every bag took half of
#: the cache's memory.  Emptied with the cache.
_PAIRS: dict[tuple[str, int], tuple[str, int]] = {}


def remember_base(
    text: str, base: tuple[tuple[tuple[str, int], ...], tuple[str, ...]]
) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """File a sentence's :func:`read_base` (the cache is emptied when full, and refills);
    its pairs are the cache's shared ones, also when a forked process read it."""
    if len(_BASE) >= BASE_CACHE:
        _BASE.clear()
        _PAIRS.clear()
    bag, stems = base
    base = (tuple(map(_PAIRS.setdefault, bag, bag)), stems)
    _BASE[text] = base
    return base


#: The punctuation of :data:`PUNCTUATION_CONCEPTS`, found by one regular expression, and
#: each mark's interned concept name.
_PUNCT = re.compile("[" + re.escape("".join(PUNCTUATION_CONCEPTS)) + "]")
_PUNCT_NAME = {ch: sys.intern("P" + c) for ch, c in PUNCTUATION_CONCEPTS.items()}


@lru_cache(maxsize=200_000)
def _word_base(w: str) -> tuple[str | None, str | None]:
    """What one word token gives :func:`read_base`: its stem (None for a number) and its
    concept (a number's key, a long word's cognate; None for neither), names interned."""
    if w[0].isdigit():
        key = number_key(w)
        return None, (sys.intern(key) if key != "#" else None)
    s = stem(w)
    return s, (sys.intern("C:" + s) if len(w) >= MIN_COGNATE_LENGTH else None)


def read_base(text: str) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """:func:`_base_concepts` of one sentence, read afresh: punctuation concepts in the
    order of the text, then the words' (the same bag, in the same order, as counting
    character by character and word by word; session 10: 1.8 -> 0.8 s CPU for 34,000
    sentences)."""
    # the concepts' names interned: the cache holds every sentence's bag, and a name built
    # afresh for each word would be a string of its own in each (64 MB at 40,000 sentences)
    got = list(map(_word_base, words(text)))
    bag = Counter([*map(_PUNCT_NAME.__getitem__, _PUNCT.findall(text)), *[c for _, c in got if c is not None]])
    return tuple(bag.items()), tuple([s for s, _ in got if s is not None])


def sentence_concepts(text: str, lexicon: Lexicon | None, side: str) -> Counter[str]:
    """The concept bag of one sentence (``side`` is "src" or "tgt" for the lexicon)."""
    base, stems = _base_concepts(text)
    bag: Counter[str] = Counter(dict(base))
    # `is not None`: a Lexicon's truth value is its size, summed over every entry
    table = (lexicon.src if side == "src" else lexicon.tgt) if lexicon is not None else None
    if table:  # every stem's lexicon concepts, counted in C
        bag.update(chain.from_iterable(map(table.get, stems, repeat(()))))
    return bag


def mt_concepts(text: str) -> Counter[str]:
    """Concepts of a machine translation or of the target, for MT similarity."""
    return Counter("M:" + stem(w) for w in words(text) if len(w) >= 2)


def idf_weights(bags: Iterable[Counter[str]]) -> dict[str, float]:
    """Inverse document frequency over all sentences of both sides."""
    bags = list(bags)
    df: Counter[str] = Counter(chain.from_iterable(bags))  # a bag iterates over its concepts
    n = len(bags)
    return {c: math.log((n + 1) / (k + 0.5)) for c, k in df.items()}


def content_stems(text: str) -> list[str]:
    """The distinct word stems of a sentence (numbers left out: they match as numbers);
    the stems :func:`_base_concepts` found, cached, for the lexicon passes read each
    sentence again."""
    return sorted(set(_base_concepts(text)[1]))


@dataclass
class Cooccurrence:
    """Sentence-level co-occurrence counts of source and target stems over aligned pairs,
    and their lengths: what a lexicon and a length ratio are learned from.  Counts add
    and subtract, so a project's statistics are kept up to date one bead at a time."""

    src: Counter[str] = field(default_factory=Counter)
    tgt: Counter[str] = field(default_factory=Counter)
    pair: Counter[tuple[str, str]] = field(default_factory=Counter)
    pairs: int = 0
    src_chars: int = 0
    tgt_chars: int = 0

    def add_stems(self, ss: Sequence[str], ts: Sequence[str], src_chars: int, tgt_chars: int, sign: int = 1) -> None:
        """Count one aligned pair (``sign`` 1) or take it back (-1)."""
        pairs: Iterable[tuple[str, str]] = product(ss, ts)
        if not set(ss).isdisjoint(ts):  # a stem shared by both sides is a cognate, not a pair
            pairs = [(a, b) for a, b in pairs if a != b]
        if sign not in (1, -1):
            raise ValueError(f"sign must be 1 or -1, not {sign}")
        # Counter.update / subtract count in C: this runs for every bead of a project
        _count(self.src, ss, sign)
        _count(self.tgt, ts, sign)
        _count(self.pair, pairs, sign)
        self.pairs += sign
        self.src_chars += sign * src_chars
        self.tgt_chars += sign * tgt_chars

    def add(self, s: str, t: str, sign: int = 1) -> None:
        self.add_stems(content_stems(s), content_stems(t), len(s), len(t), sign)

    def update(self, other: Cooccurrence, sign: int = 1) -> None:
        _merge(self.src, other.src, sign)
        _merge(self.tgt, other.tgt, sign)
        _merge(self.pair, other.pair, sign)
        self.pairs += sign * other.pairs
        self.src_chars += sign * other.src_chars
        self.tgt_chars += sign * other.tgt_chars

    @property
    def ratio(self) -> float | None:
        """Target/source length ratio in characters, or None without enough evidence."""
        return self.tgt_chars / self.src_chars if self.pairs >= 20 and self.src_chars > 0 else None

    def lexicon(self, *, min_count: int = 2, min_dice: float = 0.3, max_per_word: int = 3) -> Lexicon:
        """Competitive Dice filtering: each word keeps only its strongest partners."""
        return count_lexicon((), self, min_count=min_count, min_dice=min_dice, max_per_word=max_per_word)

    def to_json(self) -> dict[str, Any]:
        return {
            "src": {k: v for k, v in self.src.items() if v},
            "tgt": {k: v for k, v in self.tgt.items() if v},
            "pair": {f"{a}\t{b}": k for (a, b), k in self.pair.items() if k},
            "pairs": self.pairs,
            "src_chars": self.src_chars,
            "tgt_chars": self.tgt_chars,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Cooccurrence:
        pair = Counter({tuple(k.split("\t", 1)): v for k, v in data.get("pair", {}).items()})
        return cls(
            Counter(data.get("src", {})), Counter(data.get("tgt", {})), pair,
            int(data.get("pairs", 0)), int(data.get("src_chars", 0)), int(data.get("tgt_chars", 0)),
        )


_Key = TypeVar("_Key", str, tuple[str, str])


def _count(counter: Counter[_Key], keys: Iterable[_Key], sign: int) -> None:
    """Count ``keys`` in (``sign`` 1) or out (-1) of ``counter``."""
    if sign == 1:
        counter.update(keys)
    else:
        counter.subtract(keys)


def _merge(mine: Counter[_Key], theirs: Counter[_Key], sign: int) -> None:
    for k, v in theirs.items():
        mine[k] += sign * v


def intern(table: dict[str, int], items: Sequence[str]) -> np.ndarray:
    """The id of each item in ``table``, new ones numbered on in the order they first occur
    (a dict look-up per item in C; the numbering once per distinct item)."""
    import numpy as np

    for c in dict.fromkeys(items):
        table.setdefault(c, len(table))
    return np.fromiter(map(table.__getitem__, items), dtype=np.int64, count=len(items))


def _pair_keys(
    fs: np.ndarray, ft: np.ndarray, ns: np.ndarray, nt: np.ndarray, V: int, dtype: Any, chunk: int = 2048
) -> np.ndarray:
    """``a * V + b`` for every pair's outer product of its stems (each source stem a once
    per target stem b of its pair; ``fs`` / ``ft`` every pair's stems in order, ``ns`` /
    ``nt`` how many), a != b, in ``dtype``: made ``chunk`` pairs at a time, so the int64
    temporaries are a chunk's, not the whole text's (~100 MB at 20,000 sentences)."""
    import numpy as np

    out = []
    s0 = t0 = 0
    for c in range(0, len(ns), chunk):
        cs, ct = ns[c : c + chunk], nt[c : c + chunk]
        s1, t1 = s0 + int(cs.sum()), t0 + int(ct.sum())
        reps = np.repeat(ct, cs)  # per source stem: its pair's target stems
        at = np.cumsum(reps) - reps  # where its run starts
        to = np.cumsum(ct) - ct  # where a pair's target stems start
        a = np.repeat(fs[s0:s1], reps)
        b = ft[t0:t1][np.arange(int(reps.sum()), dtype=np.int64) + np.repeat(np.repeat(to, cs) - at, reps)]
        out.append((a * V + b)[a != b].astype(dtype))
        s0, t0 = s1, t1
    return np.concatenate(out) if out else np.zeros(0, dtype=dtype)


def count_lexicon(
    stems: Iterable[tuple[Sequence[str], Sequence[str]]], extra: Cooccurrence | None = None, *,
    min_count: int = 2, min_dice: float = 0.3, max_per_word: int = 3,
) -> Lexicon:
    """Word associations from the distinct stems of aligned pairs (and the counts of
    ``extra``, a project's): sentence-level co-occurrence counts, competitively filtered by
    Dice, each word keeping only its strongest partners (Hunalign's bootstrap).

    Counted in numpy, not in Counters: every (source stem, target stem) of a pair is one
    int64 key, counted by sorting them (at 20,000 sentences the Counters took 1.4 s CPU a
    lexicon pass).  The result is the same lexicon: candidates ordered as the
    tuples (Dice, source stem, target stem) from the largest."""
    import numpy as np

    ids: dict[str, int] = {}
    get = ids.setdefault
    pairs = list(stems)
    ns = np.fromiter((len(p[0]) for p in pairs), dtype=np.int64, count=len(pairs))
    nt = np.fromiter((len(p[1]) for p in pairs), dtype=np.int64, count=len(pairs))
    # numbered in the order met: a pair's source stems, then its target stems
    every = intern(ids, list(chain.from_iterable(chain(p[0], p[1]) for p in pairs)))
    is_tgt = np.repeat(np.tile(np.array([False, True]), len(pairs)), np.stack([ns, nt], axis=1).reshape(-1))
    fs, ft = every[~is_tgt], every[is_tgt]
    ca, cb = [fs], [ft]
    wa, wb = [np.ones(len(fs), dtype=np.int64)], [np.ones(len(ft), dtype=np.int64)]
    pa, pb, pk = [], [], []
    if extra is not None:
        for counter, c, w in ((extra.src, ca, wa), (extra.tgt, cb, wb)):
            c.append(np.fromiter((get(x, len(ids)) for x in counter), dtype=np.int64, count=len(counter)))
            w.append(np.fromiter(counter.values(), dtype=np.int64, count=len(counter)))
        pa.append(np.fromiter((get(x, len(ids)) for x, _ in extra.pair), dtype=np.int64, count=len(extra.pair)))
        pb.append(np.fromiter((get(y, len(ids)) for _, y in extra.pair), dtype=np.int64, count=len(extra.pair)))
        pk.append(np.fromiter(extra.pair.values(), dtype=np.int64, count=len(extra.pair)))
    V = max(1, len(ids))
    src_n = np.bincount(np.concatenate(ca), weights=np.concatenate(wa), minlength=V).astype(np.int64)
    tgt_n = np.bincount(np.concatenate(cb), weights=np.concatenate(wb), minlength=V).astype(np.int64)
    # a stem shared by both sides is a cognate, not a pair; equal keys side by side after
    # sorting (in 32 bits when they fit: half the sort and the memory): a run's length is the count
    keys = np.sort(_pair_keys(fs, ft, ns, nt, V, np.uint32 if V * V < 2**32 else np.int64))
    new = np.ones(len(keys), dtype=bool)
    new[1:] = keys[1:] != keys[:-1]
    at = np.flatnonzero(new)
    keys, k = keys[at].astype(np.int64), np.diff(np.append(at, len(keys)))
    if pa:  # the extra counts: each key's total
        keys, inv = np.unique(np.concatenate([keys, pa[0] * V + pb[0]]), return_inverse=True)
        k = np.bincount(inv.reshape(-1), weights=np.concatenate([k, pk[0]]), minlength=len(keys)).astype(np.int64)
    a, b = keys // V, keys % V
    ok = (k >= min_count) & (a != b)
    a, b, k = a[ok], b[ok], k[ok]
    dice = 2 * k / (src_n[a] + tgt_n[b])
    ok = dice >= min_dice
    a, b, dice = a[ok], b[ok], dice[ok]
    names = list(ids)
    rank = np.empty(V, dtype=np.int64)
    rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    order = np.lexsort((rank[b], rank[a], dice))[::-1]
    used_s: Counter[int] = Counter()
    used_t: Counter[int] = Counter()
    lex = Lexicon()
    for x, y in zip(a[order].tolist(), b[order].tolist()):
        if used_s[x] >= max_per_word or used_t[y] >= max_per_word:
            continue
        used_s[x] += 1
        used_t[y] += 1
        lex.add(names[x], names[y])
    return lex


def learn_lexicon(
    pairs: Sequence[tuple[str, str]], *, min_count: int = 2, min_dice: float = 0.3, max_per_word: int = 3
) -> Lexicon:
    """Word associations (Dice over sentence co-occurrence) from aligned sentence pairs.

    Hunalign's bootstrap: pairs confidently aligned by anchors and length teach which
    source words tend to appear with which target words; competitive filtering keeps
    only each word's strongest partners.
    """
    return count_lexicon(
        [(content_stems(s), content_stems(t)) for s, t in pairs],
        min_count=min_count, min_dice=min_dice, max_per_word=max_per_word,
    )


# --------------------------------------------------------------------------- IBM Model 1


@dataclass
class Model1:
    """IBM Model 1 word translation probabilities in both directions (Moore 2002's second
    pass), trained by EM on confidently aligned sentence pairs.  ``t[d]``: for direction d
    (0: source explains target, 1: target explains source) the sorted keys ``e * V + f``
    of the pairs seen together and their t(f | e); ``null[d]``: t(f | NULL); ``unigram[d]``:
    the relative frequency of each explained word."""

    vocab: tuple[dict[str, int], dict[str, int]]
    # each one array per direction (two)
    ptr: tuple[np.ndarray, ...]  # per direction: entries of word e at ptr[e]:ptr[e+1]
    f_of: tuple[np.ndarray, ...]  # the explained word of each entry
    t: tuple[np.ndarray, ...]  # t(f | e) of each entry (below min_t left out)
    null: tuple[np.ndarray, ...]
    unigram: tuple[np.ndarray, ...]

    @classmethod
    def train(cls, pairs: Sequence[tuple[str, str]], iterations: int = 5, min_t: float = 1e-3) -> Model1 | None:
        import numpy as np

        if len(pairs) < 8:
            return None
        vocab: tuple[dict[str, int], dict[str, int]] = ({}, {})
        ids: list[list[np.ndarray]] = [[], []]
        for pair in pairs:
            for side, text in enumerate(pair):
                table = vocab[side]
                ids[side].append(np.fromiter((table.setdefault(w, len(table)) for w in _base_concepts(text)[1]), dtype=np.int64))
        ptrs, fs, ts, nulls, unis = [], [], [], [], []
        for d in (0, 1):
            E, F = (ids[0], ids[1]) if d == 0 else (ids[1], ids[0])
            ve, vf = len(vocab[d]), len(vocab[1 - d])
            null = ve  # the empty word, one per sentence
            # every (source token, target token) of every pair; target tokens numbered globally
            e_rep, f_rep, f_tok = [], [], []
            start = 0
            for e, f in zip(E, F):
                ee = np.concatenate([e, [null]])
                e_rep.append(np.repeat(ee, len(f)))
                f_rep.append(np.tile(f, len(ee)))
                f_tok.append(np.tile(np.arange(start, start + len(f)), len(ee)))
                start += len(f)
            if start == 0:
                return None
            e_all, f_all, tok = np.concatenate(e_rep), np.concatenate(f_rep), np.concatenate(f_tok)
            uniq, inv = np.unique(e_all * vf + f_all, return_inverse=True)
            ue = uniq // vf
            t = np.full(len(uniq), 1.0 / max(1, vf))
            for _ in range(iterations):
                tv = t[inv]
                denom = np.bincount(tok, weights=tv, minlength=start)
                cnt = np.bincount(inv, weights=tv / denom[tok], minlength=len(uniq))
                total = np.bincount(ue, weights=cnt, minlength=ve + 1)
                t = cnt / np.maximum(total[ue], 1e-300)
            is_null = ue == null
            null_t = np.zeros(vf)
            null_t[uniq[is_null] % vf] = t[is_null]
            keep = ~is_null & (t >= min_t)  # uniq is sorted by e, then f
            ptrs.append(np.searchsorted(ue[keep], np.arange(ve + 1)))
            fs.append(uniq[keep] % vf)
            ts.append(t[keep])
            nulls.append(null_t)
            freq = np.bincount(np.concatenate(F), minlength=vf).astype(np.float64)
            unis.append(freq / freq.sum())
        return cls(vocab, tuple(ptrs), tuple(fs), tuple(ts), tuple(nulls), tuple(unis))
