"""The value types the import pipeline produces and the store consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

from tolmach.model import UNDETERMINED as UNDETERMINED  # the core vocabulary, re-exported
from tolmach.model import SegmentKind as SegmentKind


@dataclass(frozen=True, slots=True)
class ParsedSegment:
    """One sentence-sized unit of a document, exactly as it will be stored."""

    kind: SegmentKind
    text: str
    lang: str
    paragraph: int = 0  # index of the source paragraph; a strong anchor for alignment


@dataclass
class ParsedDocument:
    """A document cut from an imported file (a file may hold several)."""

    name: str  # "Document I" for a DOCUMENT marker, else the file's stem
    lang: str  # dominant language of its translatable segments (a normalised tag)
    segments: list[ParsedSegment] = field(default_factory=list)
    #: The text's own title (its title heading), for a document that has no marker; the
    #: import names the document after it rather than after a file name like "002_0899…".
    title: str | None = None


@dataclass
class ParsedFile:
    """Everything the pipeline learned from one file's bytes."""

    encoding: str  # the encoding the bytes were decoded with (e.g. "utf-8", "cp1251")
    documents: list[ParsedDocument] = field(default_factory=list)
