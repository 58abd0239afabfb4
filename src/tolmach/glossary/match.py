"""Finding glossary terms in running Russian text, whatever their case ending.

Text and terms are cut into word tokens the same way and compared token by token:

* an ordinary word matches through its lemmas (every normal form pymorphy3 offers, so
  ``Великого`` and ``Великое`` meet at ``великий``);
* an all-capitals abbreviation in a term (``ЦК``, ``КПСС``) matches only that exact token,
  so it never fires on an ordinary word;
* a word written with a full stop in the term (``т.``, ``гор.``) matches that exact word
  followed by the stop;
* the characters between tokens must agree after removing whitespace, so a term matches
  across the original line breaks but not across a comma.

Entries name their forms (term, abbreviation, expansion); a form that contains another
entry's form also matches with that part written in any of *its* forms, so
``Исполком ЦК РКП`` finds ``Исполкому Центрального Комитета Румынской Коммунистической
Партии`` with no extra data.  Overlapping matches are resolved longest first, then
leftmost.  Lemmas are cached per word form because pymorphy3 is the slow part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tolmach.glossary.entries import Entry
from tolmach.text.morphology import analyzer

_TOKEN = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")

#: Entry types whose match must be followed by a capitalised word (a name or initial):
#: ``т.`` is "comrade" only in ``т. М. Даля``.
NEEDS_NAME_AFTER = frozenset({"honorific"})

#: Upper bound on forms generated per entry by substituting sub-terms' forms.
MAX_FORMS_PER_ENTRY = 96

#: A reading of a word form counts only if pymorphy3 gives it at least this share of the
#: probability: ``после`` is "after", not the locative of ``посол`` (score 0.001).
MIN_READING_SCORE = 0.02


@lru_cache(maxsize=262_144)
def lemmas(word: str) -> frozenset[str]:
    """The plausible normal forms of a word form (ё folded to е), plus the form itself."""
    word = word.lower().replace("ё", "е")
    if not any(ch.isalpha() for ch in word):
        return frozenset({word})
    scores: dict[str, float] = {}
    for p in analyzer().parse(word):
        key = p.normal_form.replace("ё", "е")
        scores[key] = scores.get(key, 0.0) + p.score
    best = max(scores.values(), default=0.0)
    forms = {k for k, v in scores.items() if v >= MIN_READING_SCORE or v == best}
    forms.add(word)  # an unknown or indeclinable word still matches itself
    return frozenset(forms)


def _is_abbreviation(surface: str) -> bool:
    return len(surface) >= 2 and surface.isupper()


@lru_cache(maxsize=262_144)
def text_keys(surface: str) -> frozenset[str]:
    """What a token of running text can be matched by."""
    keys = {"L:" + lemma for lemma in lemmas(surface)}
    keys.add("S:" + surface.lower().replace("ё", "е"))
    if _is_abbreviation(surface):
        keys.add("A:" + surface.replace("Ё", "Е"))
    return frozenset(keys)


def _term_requirement(surface: str, dotted: bool) -> frozenset[str]:
    if dotted:
        return frozenset({"S:" + surface.lower().replace("ё", "е")})
    if _is_abbreviation(surface):
        return frozenset({"A:" + surface.replace("Ё", "Е")})
    return frozenset("L:" + lemma for lemma in lemmas(surface))


def _gap(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class _Pattern:
    """One way of writing one entry: token requirements and the punctuation between them."""

    reqs: tuple[frozenset[str], ...]
    gaps: tuple[str, ...]  # len(reqs) - 1 normalised separators
    dot: bool  # the form ends with a full stop that must follow in the text


def _compile_form(form: str) -> _Pattern | None:
    tokens = list(_TOKEN.finditer(form))
    if not tokens:
        return None
    reqs, gaps = [], []
    for i, m in enumerate(tokens):
        after = form[m.end() : tokens[i + 1].start()] if i + 1 < len(tokens) else form[m.end() :]
        dotted = _gap(after).startswith(".")
        reqs.append(_term_requirement(m.group(), dotted))
        if i + 1 < len(tokens):
            gaps.append(_gap(after))
    dot = _gap(form[tokens[-1].end() :]).startswith(".")
    return _Pattern(tuple(reqs), tuple(gaps), dot)


def _compatible(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> bool:
    return len(a) == len(b) and all(x & y for x, y in zip(a, b))


class _SubForms:
    """Index of the forms of entries that have several, for rewriting sub-terms.

    Keyed by the first one or two token keys so a pattern only meets forms that can
    occur in it; this keeps compiling a glossary of thousands of entries quick.
    """

    def __init__(self, base: Sequence[Sequence[_Pattern]]) -> None:
        self.base = base
        self.one: dict[str, list[tuple[int, int]]] = {}
        self.two: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for j, forms in enumerate(base):
            if len(forms) < 2:
                continue
            for f, form in enumerate(forms):
                if len(form.reqs) == 1:
                    for k in form.reqs[0]:
                        self.one.setdefault(k, []).append((j, f))
                else:
                    for k0 in form.reqs[0]:
                        for k1 in form.reqs[1]:
                            self.two.setdefault((k0, k1), []).append((j, f))

    def candidates(self, reqs: Sequence[frozenset[str]], i: int) -> set[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for k0 in reqs[i]:
            found.update(self.one.get(k0, ()))
            if i + 1 < len(reqs):
                for k1 in reqs[i + 1]:
                    found.update(self.two.get((k0, k1), ()))
        return found

    def substitutions(self, pattern: _Pattern, own: int) -> Iterable[_Pattern]:
        """Variants of ``pattern`` with a sub-term rewritten in another of its entry's forms."""
        n = len(pattern.reqs)
        for i in range(n):
            for j, f in sorted(self.candidates(pattern.reqs, i)):
                if j == own:
                    continue
                forms = self.base[j]
                part = forms[f]
                k = len(part.reqs)
                if k >= n or i + k > n:
                    continue
                if pattern.gaps[i : i + k - 1] != part.gaps or not _compatible(pattern.reqs[i : i + k], part.reqs):
                    continue
                for alt in forms:
                    if alt is part:
                        continue
                    yield _Pattern(
                        pattern.reqs[:i] + alt.reqs + pattern.reqs[i + k :],
                        pattern.gaps[:i] + alt.gaps + pattern.gaps[i + k - 1 :],
                        pattern.dot if i + k < n else alt.dot,
                    )


@dataclass(frozen=True)
class Hit:
    """A glossary term found in a text: its character span and the entry it belongs to."""

    start: int
    end: int
    surface: str
    entry_id: int | None
    term: str
    preferred: str
    variants: tuple[str, ...]
    note: str
    type: str = ""

    @property
    def renderings(self) -> tuple[str, ...]:
        return (self.preferred, *self.variants)


class Matcher:
    """Finds the entries of one glossary (one language pair) in text.

    Building compiles every form once; :meth:`find` then costs a regex pass, cached
    lemma look-ups and a few dictionary probes per token, and remembers recent texts, so
    calling it on every cursor move is cheap.
    """

    def __init__(self, entries: Iterable[Entry], *, cache_size: int = 4096) -> None:
        self.entries: list[Entry] = list(entries)
        base = [[p for p in map(_compile_form, e.forms) if p is not None] for e in self.entries]
        self._patterns: list[tuple[_Pattern, int]] = []
        self._index: dict[str, list[int]] = {}
        subforms = _SubForms(base)
        for idx, own in enumerate(base):
            found: dict[_Pattern, None] = dict.fromkeys(own)
            frontier = list(own)
            while frontier and len(found) < MAX_FORMS_PER_ENTRY:
                nxt = []
                for pat in frontier:
                    for new in subforms.substitutions(pat, idx):
                        if new not in found and len(found) < MAX_FORMS_PER_ENTRY:
                            found[new] = None
                            nxt.append(new)
                frontier = nxt
            for pat in found:
                pid = len(self._patterns)
                self._patterns.append((pat, idx))
                for key in pat.reqs[0]:
                    self._index.setdefault(key, []).append(pid)
        self._find_cached = lru_cache(maxsize=cache_size)(self._find)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[Hit]:
        """Every glossary term in ``text``, in text order, without overlaps."""
        return list(self._find_cached(text))

    def translations(self, text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
        """``(start, end, preferred, variants)`` of each term in ``text``: the glossary as a
        bilingual dictionary (for aligners and anchors)."""
        return [(h.start, h.end, h.preferred, h.variants) for h in self.find(text)]

    def _find(self, text: str) -> tuple[Hit, ...]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        if not tokens:
            return ()
        keys = [text_keys(t[2]) for t in tokens]
        gaps = [_gap(text[tokens[i][1] : tokens[i + 1][0]]) for i in range(len(tokens) - 1)]
        candidates: list[tuple[int, int, int, int, int]] = []  # (-len, start tok, pattern id, end char, entry)
        for i, tk in enumerate(keys):
            pids: set[int] = set()
            for key in tk:
                pids.update(self._index.get(key, ()))
            for pid in pids:
                pat, entry_idx = self._patterns[pid]
                n = len(pat.reqs)
                if i + n > len(tokens):
                    continue
                if any(not (pat.reqs[j] & keys[i + j]) for j in range(1, n)):
                    continue
                if tuple(gaps[i : i + n - 1]) != pat.gaps:
                    continue
                end = tokens[i + n - 1][1]
                if pat.dot:
                    rest = text[end:]
                    if not rest.startswith("."):
                        continue
                    end += 1
                if self.entries[entry_idx].type in NEEDS_NAME_AFTER and not self._name_follows(text, end, tokens, i + n):
                    continue
                candidates.append((-n, i, entry_idx, end, pid))
        candidates.sort(key=lambda c: (c[0], c[1], c[2], c[4]))
        taken: list[bool] = [False] * len(tokens)
        hits: list[Hit] = []
        for neg_n, i, entry_idx, end, _pid in candidates:
            span = range(i, i - neg_n)
            if any(taken[j] for j in span):
                continue
            for j in span:
                taken[j] = True
            e = self.entries[entry_idx]
            start = tokens[i][0]
            hits.append(
                Hit(start, end, text[start:end], e.id, e.term, e.preferred, e.variants, e.note, e.type)
            )
        hits.sort(key=lambda h: h.start)
        return tuple(hits)

    @staticmethod
    def _name_follows(text: str, end: int, tokens: Sequence[tuple[int, int, str]], nxt: int) -> bool:
        if nxt >= len(tokens):
            return False
        start, _, surface = tokens[nxt]
        return not text[end:start].strip() and surface[:1].isupper()

