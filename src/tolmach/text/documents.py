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
_PUNCT_END = re.compile(r"[.!?…:;,。！？；：，、][»”\"’)\]」』）]*\d{0,3}$")
_NOTE_START = re.compile(r"^\d{1,3}\s+\S")


@dataclass(frozen=True, slots=True)
class KindedBlock:
    """A block with its segment kind, ready for sentence splitting."""

    kind: SegmentKind
    text: str
    paragraph: int


@dataclass
class RawDocument:
    name: str
    blocks: list[KindedBlock]
    marker: str | None = None  # "I" for the document a DOCUMENT I line started


def _pattern_kind(text: str) -> SegmentKind | None:
    for kind, pattern in KIND_RULES:
        if pattern.match(text):
            return kind
    return None


def _short_unpunctuated(text: str) -> bool:
    first = text.lstrip("«“\"„‘'(「『（")[:1]
    # a capital, a digit, or a letter of a script without case (Chinese, Arabic ...)
    capital = first.isupper() or first.isdigit() or (first.isalpha() and first == first.lower() == first.upper())
    return len(text) < MAX_SHORT_BLOCK and not _PUNCT_END.search(text) and capital


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
    groups: list[tuple[str, str | None, list[Block]]] = [(file_stem, None, [])]
    for b in blocks:
        if b.marker:
            groups.append((f"Document {b.marker}", b.marker, []))
        else:
            groups[-1][2].append(b)
    return [RawDocument(name, classify(bs), marker) for name, marker, bs in groups if bs]


# --- a document's title ------------------------------------------------------------------

#: Headings that are a journal's or a site's furniture, not the title of the text:
#: "“Historical Yearbook,” vol. VI, 2009, pp. 123-128", "Pages 421-439 | Published online ...".
_BIBLIOGRAPHIC = re.compile(
    r"\b(?:pp?|vol|no|nr|issue|pages?|published|online|doi|isbn|issn|citations?|стр|с|т|вып)\b\.?|[|©@]|https?:",
    re.IGNORECASE,
)
#: Titles longer than this are cut at a word boundary.
MAX_TITLE = 100
#: Words kept lower case inside a title made from capitals (English titles only).
_SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or the to with".split())


def _readable(title: str) -> str:
    """A title in capitals, made readable: "NEW INFORMATION ON ..." → "New Information on ..."."""
    if is_caps(title) and re.search(r"[A-Za-z]", title):
        words = title.lower().split(" ")
        title = " ".join(
            w if i and w in _SMALL_WORDS else "-".join(part[:1].upper() + part[1:] for part in w.split("-"))
            for i, w in enumerate(words)
        )
    elif is_caps(title):
        title = title[:1] + title[1:].lower()  # Cyrillic and other scripts: sentence case
    if len(title) > MAX_TITLE:
        cut = title[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(",;:–—-")
        title = cut + "…"
    return title


def title_of(blocks: list[KindedBlock]) -> str | None:
    """The title of a text: the longest heading before its running text starts that is
    not a bibliographic line, a date range or an author's name; None when there is none."""
    leading: list[str] = []
    for b in blocks:
        if b.kind == SegmentKind.HEADING:
            leading.append(b.text)
        elif b.kind in (SegmentKind.BODY, SegmentKind.NOTE) and leading:
            break
    candidates = [
        t
        for t in leading
        if not _BIBLIOGRAPHIC.search(t)
        and not (t.startswith("(") and t.endswith(")"))
        and len(re.findall(r"[^\W\d_]", t)) >= 8
        # "SIMION GHEORGHIU", "Primary Sources": an author, a section (Chinese has no spaces)
        and (len(t.split()) >= 3 or " " not in t)
    ]
    if not candidates:
        return None
    return _readable(max(candidates, key=len))
