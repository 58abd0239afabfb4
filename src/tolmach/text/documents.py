"""Cut reflowed blocks into documents and say what each block is.

A ``DOCUMENT I`` marker starts "Document I"; whatever precedes the first marker (the
article introducing the documents, in the seeds) is a document named after the file.
Each block then gets a :class:`SegmentKind` from :data:`~tolmach.text.rules.KIND_RULES`, an ordered table of
patterns tried on the block's text, plus two rules of position that no pattern can
express: a short unpunctuated block just before the dateline/reference (or closing a
letter that opened with a salutation) is the signature, and short unpunctuated blocks
elsewhere are headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tolmach.text.model import SegmentKind
from tolmach.text.reflow import Block, is_caps
from tolmach.text.rules import KIND_RULES

#: Blocks this long or longer are running text, never a heading or a signature.
MAX_SHORT_BLOCK = 160
_PUNCT_END = re.compile(r"[.!?…:;,][»”\"’)\]]*\d{0,3}$")
_NOTE_START = re.compile(r"^\d{1,3}\s+\S")


@dataclass(frozen=True)
class KindedBlock:
    """A block with its segment kind, ready for sentence splitting."""

    kind: SegmentKind
    text: str
    paragraph: int


@dataclass
class RawDocument:
    name: str
    blocks: list[KindedBlock]


def _pattern_kind(text: str) -> SegmentKind | None:
    for kind, pattern in KIND_RULES:
        if pattern.match(text):
            return kind
    return None


def _short_unpunctuated(text: str) -> bool:
    first = text.lstrip("«“\"„‘'(")[:1]
    return len(text) < MAX_SHORT_BLOCK and not _PUNCT_END.search(text) and (first.isupper() or first.isdigit())


def _numbered_run(blocks: list[Block], i: int) -> bool:
    """A block starting with a note number next to another such block (endnotes)."""
    if not _NOTE_START.match(blocks[i].text):
        return False
    return any(
        0 <= j < len(blocks) and _NOTE_START.match(blocks[j].text) and not blocks[j].marker for j in (i - 1, i + 1)
    )


def classify(blocks: list[Block]) -> list[KindedBlock]:
    """Kinds for the blocks of one document."""
    kinds: list[SegmentKind | None] = []
    for i, b in enumerate(blocks):
        kind = _pattern_kind(b.text)
        if kind is None and (b.note or _numbered_run(blocks, i)):
            kind = SegmentKind.NOTE
        kinds.append(kind)
    has_salutation = SegmentKind.SALUTATION in kinds
    closing = {SegmentKind.DATELINE, SegmentKind.REFERENCE}
    body_seen = False
    for i, b in enumerate(blocks):
        if kinds[i] is not None:
            continue
        short = _short_unpunctuated(b.text)
        rest = [k for k in kinds[i + 1 :] if k is not None and k != SegmentKind.NOTE]
        before_closing = bool(rest) and all(k in closing for k in rest)
        last_text_block = not any(k is None or k == SegmentKind.BODY for k in kinds[i + 1 :])
        if short and body_seen and (before_closing or (has_salutation and last_text_block)):
            kinds[i] = SegmentKind.SIGNATURE  # "ЦК КПСС" closing a letter, capitals or not
        elif is_caps(b.text) and len(b.text) < MAX_SHORT_BLOCK * 2 or short:
            kinds[i] = SegmentKind.HEADING
        else:
            kinds[i] = SegmentKind.BODY
            body_seen = True
    return [KindedBlock(k or SegmentKind.BODY, b.text, b.paragraph) for k, b in zip(kinds, blocks)]


def split_documents(blocks: list[Block], file_stem: str) -> list[RawDocument]:
    """Documents of a file: one per ``DOCUMENT`` marker, plus what comes before the first."""
    groups: list[tuple[str, list[Block]]] = [(file_stem, [])]
    for b in blocks:
        if b.marker:
            groups.append((f"Document {b.marker}", []))
        else:
            groups[-1][1].append(b)
    return [RawDocument(name, classify(bs)) for name, bs in groups if bs]
