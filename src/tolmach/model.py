"""The core vocabulary every layer shares: bead statuses, segment kinds, language tags.

Nothing here imports the store, the services or a front-end, so the pure packages
(``text/``, ``align/``, ``mt/``, ``qa/``, ``interchange/``) can use the same words as the
database and the workbench.

Language tags
-------------
Every language code Tolmach stores, matches or writes is a normalised BCP-47 tag:
lower-case language subtag, title-case script, upper-case region (``ru``, ``ro``,
``zh-Hans``, ``pt-BR``).  Detector labels (langdetect's ``zh-cn``), Argos package codes
(``zt`` for traditional Chinese) and TMX spellings (``ru_RU``, ``RU-ru``) all go through
:func:`normalize_tag`.  Two tags *serve each other* (:func:`same_language`) when their
language subtags agree and their scripts do not contradict: ``ru-RU`` is served by an
``ru`` package, ``zh-Hans`` by ``zh`` but not by ``zh-Hant``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class _Word(str, Enum):
    """A vocabulary word: ``str()`` and f-strings give its value (``reviewed``), on every
    Python, so a member read from the database prints as the stored string did."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class BeadStatus(_Word):
    """Where a bead's target stands.  ``flagged`` on the bead marks *needs review*."""

    EMPTY = "empty"
    MACHINE = "machine"  # machine draft, origin names the model
    IMPORTED = "imported"  # from an existing translation (alignment or TM import)
    EDITED = "edited"  # typed by a person
    REVIEWED = "reviewed"  # confirmed by a reviewer
    TM = "tm"  # from the translation memory (a match or a repetition); origin names it

    @property
    def is_human(self) -> bool:
        return self in (BeadStatus.EDITED, BeadStatus.REVIEWED)


class SegmentKind(_Word):
    """What a source segment is; only some kinds are translated as running text."""

    HEADING = "heading"
    SALUTATION = "salutation"
    BODY = "body"
    SIGNATURE = "signature"
    DATELINE = "dateline"
    REFERENCE = "reference"  # archival reference such as "(DANIC, Fund CC al PCR ...)"
    NOTE = "note"  # footnote of an article


class NoteKind(_Word):
    """What a note on a bead is; footnotes become real footnotes in the assembled document."""

    TRANSLATOR = "translator"  # translator's note to a reviewer or editor
    EDITORIAL = "editorial"  # editorial comment, e.g. [sic]
    FOOTNOTE = "footnote"  # footnote text of the edition
    IMPORTED = "imported"  # a note that came with a TMX/XLIFF unit


#: A bead whose alignment score is below this is flagged for review (the aligner's default
#: threshold, and the bead list's mark for a low score).
FLAG_BELOW = 0.5

#: Language tag for text whose language cannot be decided (BCP-47 "undetermined").
UNDETERMINED = "und"

#: The first language pair; defaults only, nothing assumes it is the only one.
DEFAULT_SOURCE_LANG = "ru"
DEFAULT_TARGET_LANG = "en"
DEFAULT_PAIR = (DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG)

#: Spellings that are not plain BCP-47, mapped to the tag Tolmach stores.  Keys are
#: lower-case with ``-`` as separator.  Detector labels, Argos codes, legacy ISO codes.
TAG_ALIASES: dict[str, str] = {
    # langdetect
    "zh-cn": "zh-Hans",
    "zh-tw": "zh-Hant",
    # Argos Translate package codes
    "zt": "zh-Hant",
    "zh": "zh",
    "pb": "pt-BR",
    # legacy / deprecated ISO 639 codes
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "mo": "ro",  # Moldavian: Romanian since 2008
    "sh": "sr-Latn",
    # three-letter codes for the first languages
    "rus": "ru",
    "eng": "en",
    "ron": "ro",
    "rum": "ro",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "zho": "zh",
    "chi": "zh",
    # TMX's "any language" source marker is not a language
    "*all*": UNDETERMINED,
}

#: The script a language is written in when a tag says nothing; lets ``zh-Hans`` and ``zh``
#: serve each other while ``zh-Hant`` and ``zh-Hans`` do not.
DEFAULT_SCRIPT: dict[str, str] = {"zh": "Hans", "sr": "Cyrl"}

#: Argos package codes for tags whose Argos spelling differs from the language subtag.
ARGOS_CODES: dict[str, str] = {"zh-Hant": "zt", "pt-BR": "pb"}

_SUBTAG = re.compile(r"^[A-Za-z0-9]{1,8}$")


class LanguageTagError(ValueError):
    """A string that cannot be a language tag."""


def normalize_tag(code: str) -> str:
    """The normalised BCP-47 tag for ``code`` (``zh-cn`` → ``zh-Hans``, ``ru_RU`` → ``ru-RU``).

    Raises :class:`LanguageTagError` for an empty string or one that is not made of
    BCP-47 subtags.
    """
    raw = (code or "").strip().replace("_", "-")
    if not raw:
        raise LanguageTagError("an empty language code")
    alias = TAG_ALIASES.get(raw.lower())
    if alias is not None:
        return alias
    parts = raw.split("-")
    if not all(_SUBTAG.match(p) for p in parts) or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 8:
        raise LanguageTagError(f"{code!r} is not a language tag (expected e.g. ru, en, zh-Hans, pt-BR)")
    out = [TAG_ALIASES.get(parts[0].lower(), parts[0].lower())]
    for p in parts[1:]:
        if len(p) == 4 and p.isalpha():
            out.append(p.title())  # script
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):
            out.append(p.upper())  # region
        else:
            out.append(p.lower())  # variant / extension
    return "-".join(out)


def names_a_language(tag: str) -> bool:
    """A normalised tag's primary subtag is a language code (ISO 639: two or three
    letters).  BCP-47's syntax allows 5 to 8 letters, but no language has such a code:
    what a person types there is a name (``russian``), which nothing would recognise."""
    return 2 <= len(tag.split("-", 1)[0]) <= 3


def language(tag: str) -> str:
    """The primary language subtag of a (normalised or not) tag: ``zh-Hans`` → ``zh``."""
    return normalize_tag(tag).split("-")[0]


def script(tag: str) -> str | None:
    """The script of a tag, explicit or implied by :data:`DEFAULT_SCRIPT`; None when unknown."""
    parts = normalize_tag(tag).split("-")
    for p in parts[1:]:
        if len(p) == 4 and p.isalpha():
            return p
    if parts[0] == "zh" and len(parts) > 1 and parts[1] in ("TW", "HK", "MO"):
        return "Hant"
    return DEFAULT_SCRIPT.get(parts[0])


def same_language(a: str, b: str) -> bool:
    """Whether text tagged ``a`` is served by something tagged ``b`` (a model, a glossary).

    Language subtags must agree; scripts must not contradict (``zh-Hans`` ≠ ``zh-Hant``).
    Regions never matter (``ru-RU`` is Russian).
    """
    try:
        if language(a) != language(b):
            return False
        sa, sb = script(a), script(b)
    except LanguageTagError:
        return False
    return sa is None or sb is None or sa == sb


def run_language(doc_lang: str, segment_langs: list[str]) -> str:
    """The language of a run of segments (a bead's source): their own tag when they all
    share one that is not the document's (a Romanian reference in a Russian letter), else
    the document's."""
    langs = set()
    for x in segment_langs:
        try:
            if x and normalize_tag(x) != UNDETERMINED:
                langs.add(normalize_tag(x))
        except LanguageTagError:
            continue
    if len(langs) == 1:
        (lang,) = langs
        if not same_language(lang, doc_lang):
            return lang
    return doc_lang


def argos_code(tag: str) -> str:
    """The code an Argos package uses for the language of ``tag`` (``zh-Hant`` → ``zt``)."""
    norm = normalize_tag(tag)
    if norm in ARGOS_CODES:
        return ARGOS_CODES[norm]
    if language(norm) == "zh" and script(norm) == "Hant":
        return "zt"
    return language(norm)


def from_argos(code: str) -> str:
    """The tag for an Argos package code (``zt`` → ``zh-Hant``, ``zh`` → ``zh``)."""
    return normalize_tag(code)


@dataclass(frozen=True)
class LangPair:
    """A translation direction, both sides normalised tags."""

    source: str
    target: str

    @classmethod
    def of(cls, source: str, target: str) -> LangPair:
        return cls(normalize_tag(source), normalize_tag(target))

    def __str__(self) -> str:
        return f"{self.source}→{self.target}"


class DocumentRole(str, Enum):
    """What a document is for: translating it, or reading beside what is translated."""

    TRANSLATE = "translate"  # a source language and a target language that differ
    REFERENCE = "reference"  # context material: shown, searchable, alignable as a target,
    #                          never counted as untranslated
