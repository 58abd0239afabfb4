"""Sentence splitting: razdel for Russian, sentencex for every other language.

razdel's rules are written for Russian (``с. г.``, ``т. М. Даля``, ``гор. Москва``);
sentencex (Wikimedia's rule-based segmenter, ~300 languages, kept up to date) covers
the rest.  Both are fast rule engines with no model download.  A small table of
abbreviations that can never end a sentence (``vol.``, ``pp.``, ``ff.`` ...) then glues
back the few splits the libraries make inside archival citations ("vol. II, f. 4").

Every sentence returned is an exact substring of the input, stripped of surrounding
whitespace, in order; nothing else is changed.

Hostile or broken input (a 50 MB file on one line, with no sentence end) must not cost
memory in proportion to its length: the libraries see the text in windows of
:data:`WINDOW` characters (the last sentence of a window is read again at the start of
the next, so a sentence shorter than a window is found whole), and no sentence is longer
than :data:`MAX_SEGMENT_CHARS`: a longer one is cut at the best place before the limit
(a semicolon or colon, else a comma, a dash, a space; a bare cut only when there is none).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import razdel
import sentencex

from tolmach.model import LanguageTagError, language

#: Abbreviations (lower-cased, without the final dot) after which no sentence ends.
#: Keyed by language; "*" applies to all languages (citations mix languages freely).
NEVER_FINAL: dict[str, frozenset[str]] = {
    "*": frozenset(
        "vol vols no nos p pp f ff fol fols fig ch art para sect cf viz approx op cit loc "
        "col coll doc dos fasc inv reg nr mr mrs dr st".split()
    ),
    "ru": frozenset("т тт тов г гг гор с сс л лл д оп ф ст см им ул пр акад проф".split()),
}

#: A sentence end carrying a footnote number ("had.”3 The", "1968.1 On"), which the
#: libraries read as one sentence.  Only after a word, a closing quote or a year.
FOOTNOTE_END = re.compile(
    r"(?:(?<=[^\W\d_])|(?<=[”»\"’)])|(?<=\b\d{4}))[.!?…][”»\"’)]*\d{1,3}(?=\s+[«“\"(]?[A-ZА-ЯЁ])"
)

_GLUED_NUMBER = re.compile(r"(\d{1,3})\s+(?=[«“\"(]?[A-ZА-ЯЁ])")
_LAST_WORD = re.compile(r"(\w+)\.\s*$")
_STARTS_LOWER_OR_DIGIT = re.compile(r"^[\W_]*(?:[a-zа-яё\d]|[IVXLC]+\b)")

#: The longest segment stored (characters); a longer "sentence" is cut (see :func:`bounded_spans`).
#: A long legal sentence runs to some 600 characters; machine translation models read
#: at most a few hundred words at a time.
MAX_SEGMENT_CHARS = 1_000

#: Characters the sentence libraries see at once; each window is cut at a space.
WINDOW = 20_000

#: Places to cut an overlong sentence, best first: the cut falls after the match.
CUT_POINTS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[;:；：](?=\s)"),
    re.compile(r"[,，、](?=\s)|[，、]"),
    re.compile(r"\s[–—-](?=\s)"),
    re.compile(r"\s"),
)

__all__ = ["split_sentences", "sentence_spans", "bounded_spans", "MAX_SEGMENT_CHARS"]


def _language(tag: str) -> str:
    """The language subtag of a tag (``ru-RU`` → ``ru``, ``zh-Hans`` → ``zh``); ``und`` for junk."""
    try:
        return language(tag) if tag else "und"
    except LanguageTagError:
        return "und"


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut ``text`` after ``start`` so the piece is at most ``limit`` characters:
    after the best :data:`CUT_POINTS` match in the second half of that stretch, else at
    ``start + limit`` (moved back off a combining mark)."""
    end = start + limit
    if end >= len(text):
        return len(text)
    lo = start + limit // 2
    for pattern in CUT_POINTS:
        last = None
        for last in pattern.finditer(text, lo, end):  # noqa: B007 (the last match wins)
            pass
        if last is not None:
            return last.end()
    while end > lo and unicodedata.combining(text[end]):
        end -= 1
    return end


def bounded_spans(text: str, start: int, end: int, limit: int = MAX_SEGMENT_CHARS) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` as stripped pieces of at most ``limit`` characters."""
    while start < end:
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            return
        cut = _cut(text, start, limit) if end - start > limit else end
        cut = min(cut, end)
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            yield start, stop
        start = cut


def _library_spans(text: str, lang: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans from the library suited to ``lang``, reading ``text`` window by
    window: a window's last sentence may run on, so the next window starts with it."""
    pos, n = 0, len(text)
    while pos < n:
        end = n if n - pos <= WINDOW else _cut(text, pos, WINDOW)
        window = text[pos:end]
        spans = list(_split_footnote_ends(window, _window_spans(window, lang)))
        following = end
        if end < n and len(spans) > 1:
            following = pos + spans.pop()[0]  # read the last sentence again with what follows it
        for a, b in spans:
            yield pos + a, pos + b
        pos = following


def _window_spans(text: str, lang: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans from the library suited to ``lang`` (a BCP-47 tag)."""
    lang = _language(lang)
    if lang == "ru":
        for sub in razdel.sentenize(text):
            yield sub.start, sub.stop
        return
    code = lang if lang and lang != "und" else "en"
    pos = 0
    for piece in sentencex.segment(code, text):
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, pos)
        if start < 0:  # the library changed the text; never trust such a piece
            raise ValueError(f"sentence splitter returned text not found in the input: {stripped[:40]!r}")
        end = start + len(stripped)
        pos = end
        yield start, end


def _split_footnote_ends(text: str, spans: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    if not FOOTNOTE_END.search(text):  # most text has none: one scan instead of one per sentence
        yield from spans  # (a match inside a sentence is a match in the whole text)
        return
    for start, end in spans:
        for m in FOOTNOTE_END.finditer(text, start, end):
            if m.end() < end:
                yield start, m.end()
                start = m.end()
        yield start, end


def _glues(previous: str, following: str, lang: str) -> bool:
    """True when the split between two pieces falls after a never-final abbreviation."""
    m = _LAST_WORD.search(previous)  # the caller passes the tail: a long run stays linear
    if not m:
        return False
    word = m.group(1).lower()
    if word in NEVER_FINAL["*"] or word in NEVER_FINAL.get(_language(lang), frozenset()):
        return bool(_STARTS_LOWER_OR_DIGIT.match(following))
    return False


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` as (start, end) offsets; stripped, in order, non-empty,
    none longer than :data:`MAX_SEGMENT_CHARS`."""
    spans: list[tuple[int, int]] = []
    for start, end in _library_spans(text, lang):
        piece = text[start:end]
        # strip, keeping offsets exact
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        start, end = start + lead, end - trail
        if start >= end:
            continue
        glued_number = _GLUED_NUMBER.match(text, start, end)
        if spans and spans[-1][1] == start and glued_number:  # "had.”" + "3 The ..."
            spans[-1] = (spans[-1][0], glued_number.end(1))
            start = glued_number.end()
            if start >= end:
                continue
        if spans and _glues(text[max(spans[-1][0], spans[-1][1] - 80) : spans[-1][1]], text[start:end], lang):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [piece for a, b in spans for piece in bounded_spans(text, a, b)]


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` (exact, stripped substrings) for language ``lang``."""
    return [text[a:b] for a, b in sentence_spans(text, lang)]
