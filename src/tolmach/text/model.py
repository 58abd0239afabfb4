"""The value types the import pipeline produces and the store consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class SegmentKind(str, Enum):
    """What a source segment is; only some kinds are translated as running text."""

    HEADING = "heading"
    SALUTATION = "salutation"
    BODY = "body"
    SIGNATURE = "signature"
    DATELINE = "dateline"
    REFERENCE = "reference"  # archival reference such as "(DANIC, Fund CC al PCR ...)"
    NOTE = "note"  # footnote of an article


#: Language code for text whose language cannot be decided (BCP-47 "undetermined").
UNDETERMINED = "und"


@dataclass(frozen=True)
class ParsedSegment:
    """One sentence-sized unit of a document, exactly as it will be stored."""

    kind: SegmentKind
    text: str
    lang: str
    paragraph: int = 0  # index of the source paragraph; a strong anchor for alignment


@dataclass
class ParsedDocument:
    """A document cut from an imported file (a file may hold several)."""

    name: str
    lang: str  # dominant language of its translatable segments
    segments: list[ParsedSegment] = field(default_factory=list)


@dataclass
class ParsedFile:
    """Everything the pipeline learned from one file's bytes."""

    encoding: str  # the encoding the bytes were decoded with (e.g. "utf-8", "cp1251")
    documents: list[ParsedDocument] = field(default_factory=list)
