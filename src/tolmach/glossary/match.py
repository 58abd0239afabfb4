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

A matcher need not compile a whole glossary.  :func:`could_match` tells, from the keys of
the texts to be searched, which entries can possibly be found there; a matcher given only
those entries (and every entry with several forms, as ``subterms``) finds exactly what the
whole glossary's matcher finds.  The service keeps the words' lemmas in the database
(:func:`analyse`, once per word), so a 200,000-term glossary costs a first match only what
the text's words select.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
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


#: A function giving a word form's lemmas (:func:`lemmas`, or a stored table in front of it).
LemmaSource = Callable[[str], frozenset[str]]


def fold(word: str) -> str:
    """The form a word's lemmas depend on: lower case, ё as е."""
    return word.lower().replace("ё", "е")


def analyse(word: str) -> frozenset[str]:
    """The plausible normal forms of a word form (ё folded to е), plus the form itself
    (uncached: :func:`lemmas` caches it; the service stores it per glossary word)."""
    word = fold(word)
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


@lru_cache(maxsize=262_144)
def lemmas(word: str) -> frozenset[str]:
    """:func:`analyse`, cached per word form."""
    return analyse(word)


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


def text_key_set(text: str) -> set[str]:
    """Every key the tokens of ``text`` offer (what :func:`could_match` is given)."""
    out: set[str] = set()
    for m in _TOKEN.finditer(text):
        out |= text_keys(m.group())
    return out


def _analysed(surface: str, dotted: bool) -> bool:
    """Whether a term's token is matched through its lemmas (not as written)."""
    return not dotted and not _is_abbreviation(surface)


def _term_requirement(surface: str, dotted: bool, lemma_of: LemmaSource = lemmas) -> frozenset[str]:
    if dotted:
        return frozenset({"S:" + fold(surface)})
    if _is_abbreviation(surface):
        return frozenset({"A:" + surface.replace("Ё", "Е")})
    return frozenset("L:" + lemma for lemma in lemma_of(surface))


def _gap(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class _Pattern:
    """One way of writing one entry: token requirements and the punctuation between them."""

    reqs: tuple[frozenset[str], ...]
    gaps: tuple[str, ...]  # len(reqs) - 1 normalised separators
    dot: bool  # the form ends with a full stop that must follow in the text


@lru_cache(maxsize=65_536)
def _form_tokens(form: str) -> tuple[tuple[str, bool, str], ...]:
    """(surface, followed by a full stop, separator after it) of each token of a form."""
    tokens = list(_TOKEN.finditer(form))
    out = []
    for i, m in enumerate(tokens):
        gap = _gap(form[m.end() : tokens[i + 1].start()] if i + 1 < len(tokens) else form[m.end() :])
        out.append((m.group(), gap.startswith("."), gap))
    return tuple(out)


def _compile_form(form: str, lemma_of: LemmaSource = lemmas) -> _Pattern | None:
    tokens = _form_tokens(form)
    if not tokens:
        return None
    reqs = tuple(_term_requirement(surface, dotted, lemma_of) for surface, dotted, _ in tokens)
    gaps = tuple(after for _, _, after in tokens[:-1])
    return _Pattern(reqs, gaps, tokens[-1][1])


def term_words(entry: Entry) -> set[str]:
    """The words of an entry's forms that are matched through their lemmas, folded (what
    a stored lemma table must hold for :func:`could_match` and :class:`Matcher`)."""
    return {fold(surface) for form in entry.forms for surface, dotted, _ in _form_tokens(form) if _analysed(surface, dotted)}


def form_requirements(entry: Entry, lemma_of: LemmaSource = lemmas) -> list[tuple[frozenset[str], ...]]:
    """For each form of an entry, what each of its tokens can be matched by."""
    return [tuple(_term_requirement(s, d, lemma_of) for s, d, _ in _form_tokens(form)) for form in entry.forms]


def entry_keys(entry: Entry, lemma_of: LemmaSource = lemmas) -> set[str]:
    """Every key any token of any form of an entry accepts (the database indexes these)."""
    return {k for reqs in form_requirements(entry, lemma_of) for req in reqs for k in req}


def anchor_keys(entry: Entry, lemma_of: LemmaSource = lemmas) -> set[str]:
    """The keys of one token of each form, its longest word (the first of them): a form
    matches only where every token can, so an index of these finds every entry that
    :func:`could_match` admits, and rarely for a short common word such as ``в``."""
    out: set[str] = set()
    for form in entry.forms:
        tokens = _form_tokens(form)
        if tokens:
            surface, dotted, _ = max(tokens, key=lambda t: len(t[0]))
            out |= _term_requirement(surface, dotted, lemma_of)
    return out


def missing_keys(entry: Entry, keys: Collection[str], lemma_of: LemmaSource = lemmas) -> set[str]:
    """The keys of the tokens that do not meet ``keys``: one of them must come before
    :func:`could_match` can change its answer."""
    return lacking(form_requirements(entry, lemma_of), keys)


def lacking(requirements: Requirements, keys: Collection[str]) -> set[str]:
    """:func:`missing_keys` on an entry's :func:`form_requirements`."""
    return {k for reqs in requirements for req in reqs if req.isdisjoint(keys) for k in req}


def has_subterms(entry: Entry) -> bool:
    """Whether an entry's forms can stand for one another inside other terms."""
    return len(entry.forms) >= 2


def could_match(entry: Entry, keys: Collection[str], lemma_of: LemmaSource = lemmas) -> bool:
    """Whether the entry can be found in texts offering only ``keys`` (:func:`text_key_set`
    of the texts, joined with :func:`entry_keys` of every entry with subterms).

    Necessary, not sufficient: each token of a pattern is either one of the entry's own,
    kept (so it must meet a key of the text) or rewritten as another entry's form (so it
    met a key of that entry).  An entry failing this has no pattern that can match.
    """
    return possible(form_requirements(entry, lemma_of), keys)


Requirements = Sequence[tuple[frozenset[str], ...]]


def possible(requirements: Requirements, keys: Collection[str]) -> bool:
    """:func:`could_match` on an entry's :func:`form_requirements`."""
    return any(reqs and all(not req.isdisjoint(keys) for req in reqs) for reqs in requirements)


def _compatible(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> bool:
    return len(a) == len(b) and all(x & y for x, y in zip(a, b))


class _SubForms:
    """Index of the forms of entries that have several, for rewriting sub-terms.

    Keyed by the first one or two token keys so a pattern only meets forms that can
    occur in it; this keeps compiling a glossary of thousands of entries quick.  Entries
    are known by their rank (their place in the glossary's order).
    """

    def __init__(self, base: Iterable[tuple[int, Sequence[_Pattern]]]) -> None:
        self.base: dict[int, Sequence[_Pattern]] = {}
        self.one: dict[str, list[tuple[int, int]]] = {}
        self.two: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for j, forms in base:
            if len(forms) < 2:
                continue
            self.base[j] = forms
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

    A matcher of part of a glossary is given ``subterms``, every entry of the glossary
    with several forms (:func:`has_subterms`); its entries and subterms then carry their
    ids, whose order is the glossary's, and :meth:`add` compiles more entries later.
    ``lemma_of`` gives term words' lemmas (a stored table instead of the analyser).
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        cache_size: int = 4096,
        subterms: Iterable[Entry] | None = None,
        lemma_of: LemmaSource = lemmas,
    ) -> None:
        self.entries: list[Entry] = []
        self._rank: list[int] = []
        self._lemma_of = lemma_of
        self._patterns: list[tuple[_Pattern, int]] = []
        self._index: dict[str, list[int]] = {}
        entries = list(entries)
        self._by_id = subterms is not None
        if subterms is None:
            base = [[p for p in (_compile_form(f, lemma_of) for f in e.forms) if p is not None] for e in entries]
            self._subforms = _SubForms(enumerate(base))
            self._compile(entries, base)
        else:
            self._subforms = _SubForms((self._id(e), self._base(e)) for e in subterms if has_subterms(e))
            self._compile(entries)
        self._find_cached = lru_cache(maxsize=cache_size)(self._find)

    @staticmethod
    def _id(entry: Entry) -> int:
        if entry.id is None:
            raise ValueError(f"a matcher of part of a glossary needs stored entries; {entry.term!r} has no id")
        return entry.id

    def _base(self, entry: Entry) -> list[_Pattern]:
        return [p for p in (_compile_form(f, self._lemma_of) for f in entry.forms) if p is not None]

    def add(self, entries: Iterable[Entry]) -> None:
        """Compile more entries of the glossary this matcher is part of (see the class)."""
        if not self._by_id:
            raise ValueError("only a matcher of part of a glossary (given subterms) takes more entries")
        self._compile(list(entries))
        self._find_cached.cache_clear()

    def _compile(self, entries: list[Entry], base: list[list[_Pattern]] | None = None) -> None:
        for n, entry in enumerate(entries):
            own = base[n] if base is not None else self._base(entry)
            idx = len(self.entries)
            rank = self._id(entry) if self._by_id else idx
            self.entries.append(entry)
            self._rank.append(rank)
            found: dict[_Pattern, None] = dict.fromkeys(own)
            frontier = list(own)
            while frontier and len(found) < MAX_FORMS_PER_ENTRY:
                nxt = []
                for pat in frontier:
                    for new in self._subforms.substitutions(pat, rank):
                        if new not in found and len(found) < MAX_FORMS_PER_ENTRY:
                            found[new] = None
                            nxt.append(new)
                frontier = nxt
            for pat in found:
                pid = len(self._patterns)
                self._patterns.append((pat, idx))
                for key in pat.reqs[0]:
                    self._index.setdefault(key, []).append(pid)

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
        rank = self._rank
        candidates.sort(key=lambda c: (c[0], c[1], rank[c[2]], c[4]))
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

