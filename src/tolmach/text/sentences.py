"""Sentence splitting: razdel for Russian, sentencex for every other language.

razdel's rules are written for Russian (``с. г.``, ``т. М. Даля``, ``гор. Москва``);
sentencex (Wikimedia's rule-based segmenter, ~300 languages, kept up to date) covers
the rest.  Both are fast rule engines with no model download.  A small table of
abbreviations that can never end a sentence (``vol.``, ``pp.``, ``ff.`` ...) then glues
back the few splits the libraries make inside archival citations ("vol. II, f. 4").

Every sentence returned is an exact substring of the input, stripped of surrounding
whitespace, in order; nothing else is changed.
"""

from __future__ import annotations

import re
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

__all__ = ["split_sentences", "sentence_spans"]


def _language(tag: str) -> str:
    """The language subtag of a tag (``ru-RU`` → ``ru``, ``zh-Hans`` → ``zh``); ``und`` for junk."""
    try:
        return language(tag) if tag else "und"
    except LanguageTagError:
        return "und"


def _library_spans(text: str, lang: str) -> Iterator[tuple[int, int]]:
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
    for start, end in spans:
        for m in FOOTNOTE_END.finditer(text, start, end):
            if m.end() < end:
                yield start, m.end()
                start = m.end()
        yield start, end


def _glues(previous: str, following: str, lang: str) -> bool:
    """True when the split between two pieces falls after a never-final abbreviation."""
    m = _LAST_WORD.search(previous[-80:])  # the tail is enough, and keeps a long run linear
    if not m:
        return False
    word = m.group(1).lower()
    if word in NEVER_FINAL["*"] or word in NEVER_FINAL.get(_language(lang), frozenset()):
        return bool(_STARTS_LOWER_OR_DIGIT.match(following))
    return False


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` as (start, end) offsets; stripped, in order, non-empty."""
    spans: list[tuple[int, int]] = []
    for start, end in _split_footnote_ends(text, _library_spans(text, lang)):
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
        if spans and _glues(text[spans[-1][0] : spans[-1][1]], text[start:end], lang):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` (exact, stripped substrings) for language ``lang``."""
    return [text[a:b] for a, b in sentence_spans(text, lang)]
