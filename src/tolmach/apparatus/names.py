"""Names of people and places in a Russian source, and their romanisation.

Recognition uses the analyser the glossary already loads: a capitalised word whose
reading is tagged ``Surn``/``Name``/``Patr`` is a person, ``Geox`` a place; initials
(``т. М. Даля``, ``А. В. Басов``) make the word after them a person whatever its tags,
because an unknown foreign surname in Russian spelling (``Даля``, Romanian *Dalea*) is
exactly what the dictionary does not hold.

Romanisation is done by ``iuliia`` (its maintained tables: ALA-LC, BGN/PCGN, GOST 7.79 =
ISO 9, scholarly ...), never by tables of our own.  An *authority form* (a glossary entry
of type ``person`` or ``place``) overrides the scheme: ``Даля → Dalea`` restores a
Romanian name instead of transliterating its Russian spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from tolmach.errors import InputError
from tolmach.text.morphology import analyzer

#: Scheme names a project may choose (iuliia's names), with what they are.
SCHEMES: dict[str, str] = {
    "ala_lc": "ALA-LC (Library of Congress), the usual scholarly English form",
    "ala_lc_alt": "ALA-LC without diacritics",
    "bgn_pcgn": "BGN/PCGN (British and US geographic names)",
    "gost_779": "GOST 7.79-2000 system A = ISO 9:1995",
    "gost_779_alt": "GOST 7.79-2000 system B",
    "scientific": "scholarly (scientific) transliteration",
    "wikipedia": "English Wikipedia's romanisation",
    "iso_9_1968": "ISO/R 9:1968",
}

PERSON = "person"
PLACE = "place"

_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")
_INITIALS = re.compile(r"((?:[А-ЯЁ]\.\s?){1,2})\s*$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|[«\"(]\s*)$")

#: Share of the analyser's probability a name reading needs.
MIN_NAME_SCORE = 0.3


@cache
def scheme(name: str) -> Any:
    """The iuliia schema called ``name`` (InputError naming the known ones)."""
    import iuliia

    key = name.strip().lower().replace("-", "_")
    if key not in SCHEMES:
        raise InputError(f"Unknown romanisation {name!r}; choose one of {', '.join(SCHEMES)}.")
    return getattr(iuliia, key.upper())


def romanise(text: str, scheme_name: str = "ala_lc") -> str:
    """``text`` romanised by the named scheme (Latin text passes through unchanged),
    in Unicode NFC so ``ž`` is one character as the English side writes it."""
    return unicodedata.normalize("NFC", scheme(scheme_name).translate(text))


@dataclass(frozen=True)
class NameMention:
    """A name in the source: ``text[start:end]`` with its initials, the dictionary form
    (``lemma``: initials + nominative) and whether it is a person or a place."""

    start: int
    end: int
    surface: str
    lemma: str
    kind: str

    @property
    def key(self) -> str:
        """What an authority form is looked up by (the nominative, lower case)."""
        return self.lemma.split()[-1].lower()

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "surface": self.surface, "lemma": self.lemma, "kind": self.kind}


@lru_cache(maxsize=65_536)
def _name_parses(word: str) -> tuple[tuple[str, str, float], ...]:
    out = []
    for p in analyzer().parse(word):
        tags = str(p.tag)
        kind = PERSON if any(t in tags for t in ("Surn", "Name", "Patr")) else PLACE if "Geox" in tags else ""
        if kind:
            out.append((kind, p.normal_form, p.score))
    return tuple(out)


def _capital(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def find_names(text: str) -> list[NameMention]:
    """People and places named in ``text``, in order."""
    found: list[NameMention] = []
    for m in _WORD.finditer(text):
        word = m.group()
        before = text[: m.start()]
        initials = _INITIALS.search(before)
        parses = _name_parses(word.lower())
        if initials:
            person = [p for p in parses if p[0] == PERSON]
            lemma = _capital(max(person, key=lambda p: p[2])[1]) if person else word
            ini = re.sub(r"\s+", " ", initials.group(1)).strip()
            found.append(NameMention(initials.start(), m.end(), text[initials.start() : m.end()], f"{ini} {lemma}", PERSON))
            continue
        if _SENTENCE_START.search(before):
            # a capitalised word opening a sentence is a name only if that is its main reading
            parses = tuple(p for p in parses if p[2] >= 0.5)
        score: dict[str, float] = {}
        lemma_of: dict[str, tuple[str, float]] = {}
        for kind, lemma, s in parses:
            score[kind] = score.get(kind, 0.0) + s
            if s > lemma_of.get(kind, ("", -1.0))[1]:
                lemma_of[kind] = (lemma, s)
        if not score:
            continue
        kind = max(score, key=lambda k: score[k])
        if score[kind] < MIN_NAME_SCORE:
            continue
        found.append(NameMention(m.start(), m.end(), word, _capital(lemma_of[kind][0]), kind))
    return found


def render(mention: NameMention, scheme_name: str = "ala_lc", authority: Mapping[str, str] | None = None) -> str:
    """How the name is written in the translation: its authority form if the glossary
    holds one (initials romanised), else the scheme's romanisation of its nominative."""
    authority = authority or {}
    parts = mention.lemma.split()
    head, last = parts[:-1], parts[-1]
    form = authority.get(last.lower()) or authority.get(mention.surface.split()[-1].lower())
    if form is None:
        return romanise(mention.lemma, scheme_name)
    return " ".join([*(romanise(p, scheme_name) for p in head), form])
