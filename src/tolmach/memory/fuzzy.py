"""Fuzzy match scores, the differing words, and number substitution (pure functions).

The score is the one a CAT-tool user knows from OmegaT and memoQ: 100 % for the same
sentence (spacing aside), lower the more words have to change.  It is the mean of two
edit distances:

* **words**: a Levenshtein distance over word tokens, where words are compared
  case-folded with every number replaced by one placeholder, so a different number or a
  capital letter costs a tenth of a word, and punctuation is left out of the distance
  (each punctuation difference also costs a tenth of a word);
* **characters**: the normalised Indel similarity (``rapidfuzz.fuzz.ratio``) of the two
  texts case-folded, with digits and punctuation removed.

A source that differs only by case, numbers or punctuation therefore scores 97-99 %, never
100 %: the translator sees that something changed.  Both distances are computed by
rapidfuzz in C, so scoring a few hundred candidates costs well under a millisecond each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

#: Tokens: a number (with inner separators: 1968, 3U/1968, 25-28 are three numbers and
#: punctuation), a word, or one punctuation character.
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]", re.UNICODE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

#: What a case, number or punctuation difference costs, in words.
MINOR_COST = 0.1

_NUM_KEY = "\x00#"


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def normalize(text: str) -> str:
    """The text as compared for an exact match and for repetitions: spacing collapsed,
    case folded."""
    return " ".join(text.split()).casefold()


def _key(tok: str) -> str:
    if tok[:1].isdigit():
        return _NUM_KEY
    return tok.casefold().replace("ё", "е")


@lru_cache(maxsize=65_536)
def _analyse(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """(word keys, word surfaces, punctuation, character key) of a text."""
    keys, surfaces, punct = [], [], []
    for m in TOKEN.finditer(text):
        tok = m.group()
        if tok[:1].isalnum():
            keys.append(_key(tok))
            surfaces.append(tok)
        else:
            punct.append(tok)
    chars = " ".join(k for k in keys if k != _NUM_KEY)
    return tuple(keys), tuple(surfaces), tuple(punct), chars


def score_parts(a: str, b: str) -> tuple[float, float]:
    """(word score, character score), each 0-100."""
    ka, sa, pa, ca = _analyse(a)
    kb, sb, pb, cb = _analyse(b)
    longest = max(len(ka), len(kb))
    if longest == 0:
        word = 100.0 if pa == pb else 100.0 - 100.0 * MINOR_COST
    else:
        dist = float(Levenshtein.distance(ka, kb))
        minor = 0
        if dist < longest:  # count case/number differences on the aligned, equal keys
            for op in Levenshtein.opcodes(ka, kb):
                if op.tag == "equal":
                    for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
                        if sa[i] != sb[j]:
                            minor += 1
        minor += Levenshtein.distance(pa, pb)
        word = max(0.0, 100.0 * (1.0 - (dist + MINOR_COST * minor) / longest))
    char = fuzz.ratio(ca, cb) if (ca or cb) else 100.0
    return word, char


def score(a: str, b: str) -> int:
    """The match percentage of TM source ``a`` for source ``b`` (see the module doc)."""
    if " ".join(a.split()) == " ".join(b.split()):
        return 100
    word, char = score_parts(a, b)
    return min(99, int((word + char) / 2 + 0.5))


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A run of the TM source: ``same``, ``changed`` (differs from the current source) or
    ``extra`` (absent from it); ``missing`` parts carry words of the current source the TM
    source lacks."""

    kind: str
    text: str


def diff(tm_source: str, source: str) -> list[DiffPart]:
    """The TM source cut into runs, marking the words that differ from ``source``.

    Punctuation and spacing stay with the run they follow; a word differing only in case
    or number counts as changed (the translator has to look at it).
    """
    ta, tb = tokens(tm_source), tokens(source)
    wa = [t for t in ta if t.is_word]
    wb = [t for t in tb if t.is_word]
    ka = [t.text.casefold() for t in wa]
    kb = [t.text.casefold() for t in wb]
    marks = ["same"] * len(wa)
    missing_before: dict[int, list[str]] = {}
    for op in Levenshtein.opcodes(ka, kb):
        if op.tag == "equal":
            for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
                if wa[i].text != wb[j].text:
                    marks[i] = "changed"
        elif op.tag == "replace":
            for i in range(op.src_start, op.src_end):
                marks[i] = "changed"
        elif op.tag == "delete":
            for i in range(op.src_start, op.src_end):
                marks[i] = "extra"
        elif op.tag == "insert":
            missing_before.setdefault(op.src_start, []).extend(wb[j].text for j in range(op.dest_start, op.dest_end))
    parts: list[DiffPart] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if parts and parts[-1].kind == kind:
            parts[-1] = DiffPart(kind, parts[-1].text + text)
        else:
            parts.append(DiffPart(kind, text))

    pos = 0
    for i, w in enumerate(wa):
        both_changed = i > 0 and marks[i - 1] != "same" and marks[i] != "same" and i not in missing_before
        add(marks[i] if both_changed else "same", tm_source[pos : w.start])
        if i in missing_before:
            add("missing", " ".join(missing_before[i]) + " ")
        add(marks[i], w.text)
        pos = w.end
    add("same", tm_source[pos:])
    if len(wa) in missing_before:
        add("missing", " " + " ".join(missing_before[len(wa)]))
    return parts


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class NumberChange:
    """A number of the TM source that differs in the current source."""

    old: str
    new: str
    substituted: bool  # replaced in the proposal (False: ambiguous, left for the translator)


def number_changes(tm_source: str, source: str) -> list[tuple[str, str]]:
    """Pairs (TM number, current number) where the word alignment puts one number
    against a different one."""
    ta = [t for t in tokens(tm_source) if t.is_word]
    tb = [t for t in tokens(source) if t.is_word]
    ka = [_key(t.text) for t in ta]
    kb = [_key(t.text) for t in tb]
    pairs: list[tuple[str, str]] = []
    for op in Levenshtein.opcodes(ka, kb):
        if op.tag not in ("equal", "replace"):
            continue
        a = [ta[i].text for i in range(op.src_start, op.src_end)]
        b = [tb[j].text for j in range(op.dest_start, op.dest_end)]
        if op.tag == "replace":
            na = [x for x in a if x[:1].isdigit()]
            nb = [x for x in b if x[:1].isdigit()]
            if len(na) == len(nb):
                pairs.extend((x, y) for x, y in zip(na, nb) if x != y)
            else:  # numbers added or removed: nothing to pair, but the translator must see it
                pairs.extend((x, "") for x in na if x not in nb)
            continue
        pairs.extend((x, y) for x, y in zip(a, b) if x[:1].isdigit() and x != y)
    return pairs


def substitute_numbers(tm_source: str, source: str, tm_target: str) -> tuple[str, list[NumberChange]]:
    """The TM target with the numbers that changed between the sources replaced.

    A number is replaced only when it is unambiguous: both sources hold as many numbers,
    it maps to one new number, and it occurs exactly once in the TM target.  Every changed number is
    reported, substituted or not, so the proposal can be flagged.
    """
    changes: list[NumberChange] = []
    mapping: dict[str, set[str]] = {}
    for old, new in number_changes(tm_source, source):
        mapping.setdefault(old, set()).add(new)
    tm_numbers, numbers = NUMBER.findall(tm_source), NUMBER.findall(source)
    if len(tm_numbers) != len(numbers):
        # numbers added or removed: no pairing is certain; flag each with the new numbers
        fresh = ",".join(dict.fromkeys(n for n in numbers if n not in tm_numbers))
        return tm_target, [NumberChange(old, fresh, False) for old in mapping]
    result = tm_target
    for old, news in mapping.items():
        new = next(iter(news))
        occurrences = [m for m in NUMBER.finditer(result) if m.group() == old]
        if len(news) == 1 and new and len(occurrences) == 1:
            m = occurrences[0]
            result = result[: m.start()] + new + result[m.end() :]
            changes.append(NumberChange(old, new, True))
        else:
            changes.append(NumberChange(old, ",".join(sorted(n for n in news if n)), False))
    return result, changes


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Candidate:
    """A TM entry offered for scoring: plain data from any store."""

    source: str
    target: str
    provenance: object = None  # whatever the caller needs to say where it came from


@dataclass(frozen=True)
class Proposal:
    """A scored match, ready to show or insert."""

    score: int
    source: str  # the TM source
    target: str  # the TM target with numbers substituted
    original_target: str
    diff: tuple[DiffPart, ...]
    numbers: tuple[NumberChange, ...]
    provenance: object = None

    @property
    def flagged(self) -> bool:
        """Whether numbers changed (substituted or not): the translator must check."""
        return bool(self.numbers)


def rank(source: str, candidates: Sequence[Candidate], *, limit: int = 5, minimum: int = 50) -> list[Proposal]:
    """The best ``limit`` candidates scoring at least ``minimum``, best first; identical
    (source, target) pairs are offered once."""
    scored = []
    seen: set[tuple[str, str]] = set()
    for c in candidates:
        key = (" ".join(c.source.split()), " ".join(c.target.split()))
        if key in seen:
            continue
        seen.add(key)
        s = score(c.source, source)
        if s >= minimum:
            scored.append((s, c))
    scored.sort(key=lambda x: -x[0])
    out = []
    for s, c in scored[:limit]:
        target, numbers = substitute_numbers(c.source, source, c.target) if s < 100 else (c.target, [])
        out.append(Proposal(s, c.source, target, c.target, tuple(diff(c.source, source)), tuple(numbers), c.provenance))
    return out
