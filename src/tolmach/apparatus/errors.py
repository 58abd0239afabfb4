"""Typesetting and OCR errors of a Russian source, each with its probable reading.

The source is never changed; this module only *finds* words that are probably
misprinted and proposes a reading.  Two rules, both built on the morphological
analyser the glossary already loads (:func:`tolmach.text.morphology.analyzer`):

1. **Unknown word.**  A lower-case word of four letters or more that the analyser's
   dictionary does not know (``окозанию``, ``сушествовала``) is compared with every
   known word one edit away (a letter replaced, missing, doubled, or two swapped).  Each
   edit has a cost: an OCR or keyboard confusion (щ/ш, ъ/ь, р/н, о/а ...) is cheap, any
   other replacement dear.  The candidate must *fit the context*: it is cheaper when its
   lemma occurs elsewhere in the document and when it agrees in case and number with
   the neighbouring adjective or noun.  A capitalised word (``Соверского``) is flagged
   only when the reading is a word the document itself uses, and a word right after an
   initial (``т. М. Даля``) is a name, never an error.
2. **Known word in an impossible place.**  Two grammatical facts catch misprints that
   happen to be real words: the pronoun forms with н- (``них``, ``нему`` ...) occur only
   after a preposition, so ``ха них`` is read ``на них``; and a short adjective right
   after a full plural adjective where a noun of one edit agrees (``социалистические
   странны``) is read as that noun (``страны``).

:func:`find_errors` returns :class:`SourceError` spans with the reading and a short
reason code; :func:`measure` compares findings with a list of known errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tolmach.text.morphology import analyzer

ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

#: Letters a printer's or OCR's eye confuses (cost of one replacement).
OCR_CONFUSIONS: dict[frozenset[str], float] = {
    frozenset(p): c
    for p, c in {
        "щш": 0.2, "ъь": 0.2, "её": 0.1, "ьы": 0.4, "ий": 0.3, "ри": 0.4,
        "рн": 0.4, "нп": 0.4, "нх": 0.5, "ни": 0.4, "тг": 0.4, "тр": 0.5, "зэ": 0.4,
        "оа": 0.4, "еи": 0.4, "еа": 0.5, "оп": 0.5,
        "лп": 0.5, "вз": 0.5, "цщ": 0.5, "кн": 0.5, "ьб": 0.5, "юо": 0.5,
    }.items()
}

#: The ЙЦУКЕН keyboard rows: neighbouring keys are a cheap replacement too.
KEYBOARD = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")

#: Cost of a letter missing (``совместые``), doubled (``странны``) or swapped.
MISSING_LETTER = 0.5
DOUBLED_LETTER = 0.4
SWAPPED = 0.6
OTHER_REPLACEMENT = 1.0
OTHER_INSERTION = 0.9

#: Context: the reading's lemma occurs elsewhere in the document / it agrees with a
#: neighbouring adjective or noun.
IN_DOCUMENT_BONUS = 0.4
AGREEMENT_BONUS = 0.2

#: A lower-case unknown word is flagged when its best reading costs at most this.
MAX_COST = 0.8
MIN_LENGTH = 4

#: Pronoun forms that occur only after a preposition.
N_PRONOUNS = frozenset(["него", "нему", "ним", "нем", "нём", "них", "ними", "нее", "неё", "ней", "нею"])

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CYRILLIC = re.compile(r"^[а-яё]+$")
_INITIAL = re.compile(r"(?:^|\s)[А-ЯЁ]\.\s*$")

#: Reasons a word was flagged.
UNKNOWN = "unknown-word"
AFTER_NO_PREPOSITION = "n-pronoun-without-preposition"
AGREEMENT = "no-agreement"


@dataclass(frozen=True)
class SourceError:
    """A probable misprint at ``[start, end)`` of the text, with its probable reading."""

    start: int
    end: int
    word: str
    reading: str
    cost: float
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "word": self.word,
            "reading": self.reading,
            "cost": round(self.cost, 2),
            "reason": self.reason,
        }


def _keyboard_neighbours() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r, row in enumerate(KEYBOARD):
        for i, ch in enumerate(row):
            near = out.setdefault(ch, set())
            for j in (i - 1, i + 1):
                if 0 <= j < len(row):
                    near.add(row[j])
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(KEYBOARD):
                    other = KEYBOARD[rr]
                    for j in (i - 1, i, i + 1):
                        if 0 <= j < len(other):
                            near.add(other[j])
    return out


_NEAR = _keyboard_neighbours()


def replacement_cost(a: str, b: str) -> float:
    """What replacing letter ``a`` by ``b`` costs (OCR confusion, keyboard neighbour, other)."""
    pair = frozenset((a, b))
    if pair in OCR_CONFUSIONS:
        return OCR_CONFUSIONS[pair]
    if b in _NEAR.get(a, ()):
        return 0.6
    return OTHER_REPLACEMENT


def edits(word: str) -> Iterable[tuple[str, float]]:
    """Every string one edit from ``word`` with the cost of that edit."""
    n = len(word)
    for i in range(n):
        # a letter too many: doubled (странны) is cheap, any other dearer
        doubled = (i > 0 and word[i - 1] == word[i]) or (i + 1 < n and word[i + 1] == word[i])
        yield word[:i] + word[i + 1 :], DOUBLED_LETTER if doubled else OTHER_INSERTION
        for ch in ALPHABET:
            if ch != word[i]:
                yield word[:i] + ch + word[i + 1 :], replacement_cost(word[i], ch)
        if i + 1 < n and word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :], SWAPPED
    for i in range(n + 1):
        for ch in ALPHABET:
            yield word[:i] + ch + word[i:], MISSING_LETTER


@lru_cache(maxsize=65_536)
def is_known(word: str) -> bool:
    """Whether the analyser's dictionary holds this form (lower case)."""
    return bool(analyzer().word_is_known(word))


@lru_cache(maxsize=65_536)
def candidates(word: str) -> tuple[tuple[str, float], ...]:
    """Known words one edit from ``word`` (lower case), cheapest first."""
    best: dict[str, float] = {}
    for cand, cost in edits(word):
        if len(cand) < 2 or cand == word:
            continue
        if cost < best.get(cand, 99.0) and is_known(cand):
            best[cand] = cost
    return tuple(sorted(best.items(), key=lambda kv: (kv[1], kv[0])))


@lru_cache(maxsize=65_536)
def _parses(word: str) -> tuple[tuple[str, frozenset[str], float], ...]:
    return tuple(
        (p.normal_form.replace("ё", "е"), frozenset(str(p.tag).replace(" ", ",").split(",")), p.score)
        for p in analyzer().parse(word)
    )


_CASES = frozenset(["nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"])
_NUMBERS = frozenset({"sing", "plur"})


def _case_number(tags: frozenset[str]) -> set[tuple[str, str]]:
    return {(c, n) for c in tags & _CASES for n in tags & _NUMBERS}


def _agrees(a: str, b: str, pos_b: frozenset[str] = frozenset({"NOUN", "ADJF", "PRTF", "NPRO"})) -> bool:
    """Some reading of ``b`` (of the given parts of speech) agrees with some reading of ``a``
    in case and number."""
    left = set().union(*(_case_number(t) for _, t, _ in _parses(a) if t & {"ADJF", "PRTF", "NOUN"})) if _parses(a) else set()
    for _, tags, _ in _parses(b):
        if tags & pos_b and _case_number(tags) & left:
            return True
    return False


def _lemmas(word: str) -> set[str]:
    return {lemma for lemma, _, score in _parses(word) if score >= 0.02}


def document_lemmas(texts: Iterable[str]) -> frozenset[str]:
    """Lemmas of the known words of a document: what "occurs elsewhere" checks against."""
    out: set[str] = set()
    for text in texts:
        for m in _WORD.finditer(text):
            w = m.group().lower()
            if "-" not in w and is_known(w):
                out |= _lemmas(w)
    return frozenset(out)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _neighbour(tokens: Sequence[tuple[int, int, str]], i: int, step: int, text: str) -> str | None:
    """The neighbouring word if nothing but space separates it (no comma, no full stop)."""
    j = i + step
    if not 0 <= j < len(tokens):
        return None
    a, b = (tokens[j], tokens[i]) if step < 0 else (tokens[i], tokens[j])
    if text[a[1] : b[0]].strip():
        return None
    return tokens[j][2].lower()


def _best_reading(
    word: str,
    tokens: Sequence[tuple[int, int, str]],
    i: int,
    text: str,
    doc_lemmas: frozenset[str],
    *,
    need_in_document: bool,
) -> tuple[str, float] | None:
    prev = _neighbour(tokens, i, -1, text)
    nxt = _neighbour(tokens, i, 1, text)
    best: tuple[str, float] | None = None
    for cand, cost in candidates(word):
        if cost > MAX_COST + IN_DOCUMENT_BONUS + AGREEMENT_BONUS:
            break
        in_doc = bool(_lemmas(cand) & doc_lemmas)
        if need_in_document and not in_doc:
            continue
        score = cost - (IN_DOCUMENT_BONUS if in_doc else 0.0)
        if (prev and is_known(prev) and _agrees(prev, cand)) or (nxt and is_known(nxt) and _agrees(nxt, cand)):
            score -= AGREEMENT_BONUS
        if best is None or score < best[1]:
            best = (cand, score)
    if best is None or best[1] > MAX_COST:
        return None
    return best


def _match_case(reading: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return reading.upper()
    if original[:1].isupper():
        return reading[:1].upper() + reading[1:]
    return reading


def _is_preposition(word: str) -> bool:
    return any("PREP" in tags and score >= 0.05 for _, tags, score in _parses(word))


def find_errors(text: str, doc_lemmas: frozenset[str] | None = None) -> list[SourceError]:
    """Probable misprints in ``text`` (a sentence or a whole document), in text order.

    ``doc_lemmas`` (from :func:`document_lemmas` over the whole document) lets a reading
    that the document itself uses win; without it only ``text`` is consulted.
    """
    if doc_lemmas is None:
        doc_lemmas = document_lemmas([text])
    tokens = _tokens(text)
    found: list[SourceError] = []
    for i, (start, end, surface) in enumerate(tokens):
        word = surface.lower()
        if "-" in word or not _CYRILLIC.match(word):
            continue
        # rule 2a: н-pronoun without a preposition before it: the word before is misread
        if word in N_PRONOUNS and i > 0:
            pstart, pend, psurface = tokens[i - 1]
            before = psurface.lower()
            if not text[pend:start].strip() and _CYRILLIC.match(before) and not _is_preposition(before):
                preps = [(c, k) for c, k in candidates(before) if _is_preposition(c) and k <= OTHER_REPLACEMENT]
                if preps and not (found and found[-1].start == pstart):
                    cand, cost = preps[0]
                    found.append(SourceError(pstart, pend, psurface, _match_case(cand, psurface), cost, AFTER_NO_PREPOSITION))
            continue
        if len(word) < MIN_LENGTH or surface.isupper():
            continue
        if _INITIAL.search(text[:start]):
            continue  # т. М. Даля: a name after an initial
        if not is_known(word):
            capital = surface[:1].isupper()
            best = _best_reading(word, tokens, i, text, doc_lemmas, need_in_document=capital)
            if best is not None:
                found.append(SourceError(start, end, surface, _match_case(best[0], surface), best[1], UNKNOWN))
            continue
        # rule 2b: a short adjective after a full plural adjective, where a noun one cheap
        # edit away agrees with that adjective (социалистические странны → страны)
        prev = _neighbour(tokens, i, -1, text)
        if prev is None or not is_known(prev):
            continue
        tags_w = [t for _, t, s in _parses(word) if s >= 0.05]
        if not tags_w or not all("ADJS" in t or "PRTS" in t for t in tags_w):
            continue
        prev_tags = [t for _, t, s in _parses(prev) if s >= 0.05]
        if not any(t & {"ADJF", "PRTF"} and "plur" in t for t in prev_tags):
            continue
        for cand, cost in candidates(word):
            if cost > DOUBLED_LETTER:
                break
            if _agrees(prev, cand, frozenset({"NOUN"})):
                found.append(SourceError(start, end, surface, _match_case(cand, surface), cost, AGREEMENT))
                break
    return found


@dataclass(frozen=True)
class Measure:
    """Findings compared with a list of known errors."""

    expected: tuple[str, ...]
    found: tuple[str, ...]  # expected errors that were found
    missed: tuple[str, ...]
    false_alarms: tuple[SourceError, ...]

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.expected) if self.expected else 1.0


def measure(errors: Sequence[SourceError], expected: Iterable[str]) -> Measure:
    """Which of ``expected`` (words as printed, or ``"ха них"`` for a word with its
    neighbour) were found, and which findings are not in the list."""
    expected = tuple(expected)
    firsts = {e.split()[0] for e in expected}
    flagged = {e.word for e in errors}
    found = tuple(e for e in expected if e.split()[0] in flagged)
    missed = tuple(e for e in expected if e.split()[0] not in flagged)
    false = tuple(e for e in errors if e.word not in firsts)
    return Measure(expected, found, missed, false)
