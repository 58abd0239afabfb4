"""The translated document: the target assembled in the source's structure (pure).

Beads come in reading order with the kind, paragraph and language of each source
segment they cover.  :func:`assemble` rebuilds the source's paragraphs (heading,
salutation, body paragraphs, signature, dateline, archival reference): each bead's target
joins the paragraph of its first source segment, beads of one paragraph are rejoined with
a space.  The archival reference, and any untranslated segment not in the document's
source language, is kept verbatim in its own language.  An untranslated bead appears as
its source in brackets with a marker, and is counted.

The writers turn paragraphs into plain text, Markdown, one self-contained HTML file or a
DOCX (python-docx), each monolingual or, for HTML and DOCX, a bilingual reading edition
(source and target in two columns per paragraph, bead numbers in the margin).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tolmach.model import SegmentKind, same_language

#: Marker written before the source of an untranslated bead.
UNTRANSLATED = "untranslated"

#: Kinds kept verbatim in the source's language.
VERBATIM_KINDS = frozenset({SegmentKind.REFERENCE.value})


@dataclass(frozen=True)
class BeadRow:
    """One bead with the facts of the source segments it covers (plain data)."""

    number: int
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    paragraphs: tuple[int, ...]
    langs: tuple[str, ...]
    target: str
    status: str = ""
    notes: tuple[tuple[str, str, str], ...] = ()  # (kind, anchor, text) of the bead's notes


@dataclass(frozen=True)
class Piece:
    """One bead's part of a paragraph."""

    number: int
    source: str
    text: str  # what the translated document shows
    translated: bool  # False: ``text`` is the bracketed source
    verbatim: bool = False  # kept in the source language on purpose


@dataclass
class Paragraph:
    kind: str
    lang: str  # language of the source paragraph
    pieces: list[Piece] = field(default_factory=list)

    @property
    def source(self) -> str:
        return " ".join(p.source for p in self.pieces if p.source)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces if p.text)

    @property
    def numbers(self) -> list[int]:
        return [p.number for p in self.pieces]

    @property
    def verbatim(self) -> bool:
        return bool(self.pieces) and all(p.verbatim for p in self.pieces)


@dataclass
class Assembled:
    title: str
    src_lang: str
    tgt_lang: str
    paragraphs: list[Paragraph]
    untranslated: list[int]  # bead numbers shown as bracketed source
    source_paragraphs: int  # paragraphs of the source
    merged_paragraphs: int = 0  # source paragraphs joined to the previous one by a bead spanning them
    footnotes: list[str] = field(default_factory=list)  # footnote N is footnotes[N - 1]


#: Where footnote N is called in a piece's text: ``FN + "N" + FN`` (an invisible separator,
#: never in a translation); each writer turns it into its own call (``[1]``, ``[^1]``, <sup>).
FN = "\u2063"
_FN_CALL = re.compile(FN + r"(\d+)" + FN)


def _calls(text: str, fmt: str) -> str:
    """``text`` with its footnote calls in the form ``fmt`` (``{n}`` is the number)."""
    return _FN_CALL.sub(lambda m: fmt.format(n=m.group(1)), text)


def _annotate(text: str, notes: Sequence[tuple[str, str, str]], footnotes: list[str]) -> str:
    """The bead's English with its editorial notes inline after their word (``joint [sic]``)
    and its footnotes called after their word, numbered in reading order."""
    for kind, anchor, note in notes:
        at = text.find(anchor) + len(anchor) if anchor and anchor in text else len(text)
        if kind == "footnote":
            footnotes.append(note)
            text = text[:at] + f"{FN}{len(footnotes)}{FN}" + text[at:]
        elif kind == "editorial":
            text = text[:at] + " " + note + text[at:]
    return text


def assemble(title: str, src_lang: str, tgt_lang: str, beads: Iterable[BeadRow], *, reference: bool = False) -> Assembled:
    """The document's paragraphs in reading order (see the module doc).  A ``reference``
    document (context material, not translated) is its own text: no bead of it is
    untranslated, and one without a target is written as it is."""
    paragraphs: list[Paragraph] = []
    by_index: dict[int, Paragraph] = {}
    source_paras: set[int] = set()
    untranslated: list[int] = []
    footnotes: list[str] = []
    for b in beads:
        source_paras.update(b.paragraphs)
        source = " ".join(s.strip() for s in b.sources if s.strip())
        if b.paragraphs:
            key, kind, lang = b.paragraphs[0], b.kinds[0], b.langs[0]
        elif paragraphs:  # a bead with target only (0:n) continues the previous paragraph
            para = paragraphs[-1]
            if b.target.strip():
                para.pieces.append(Piece(b.number, "", b.target.strip(), True))
            continue
        else:
            key, kind, lang = -1, SegmentKind.BODY.value, src_lang
        found = by_index.get(key)
        if found is None:
            found = by_index[key] = Paragraph(kind, lang)
            paragraphs.append(found)
        para = found
        foreign = reference or (all(not same_language(lg, src_lang) for lg in b.langs) if b.langs else False)
        if all(k in VERBATIM_KINDS for k in b.kinds):
            para.pieces.append(Piece(b.number, source, source, True, verbatim=True))
        elif b.target.strip():
            para.pieces.append(Piece(b.number, source, _annotate(" ".join(b.target.split()), b.notes, footnotes), True))
        elif foreign:  # a Romanian note in a Russian document, reference material: nothing to translate
            para.pieces.append(Piece(b.number, source, source, True, verbatim=True))
        else:
            untranslated.append(b.number)
            para.pieces.append(Piece(b.number, source, f"[{UNTRANSLATED}: {source}]", False))
    merged = len(source_paras) - len([k for k in by_index if k >= 0])
    return Assembled(title, src_lang, tgt_lang, paragraphs, untranslated, len(source_paras), max(0, merged), footnotes)


def _span(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


# --------------------------------------------------------------------------- text, markdown


def write_text(doc: Assembled) -> str:
    """Plain text: one paragraph per block, blank lines between; footnotes as ``[1]`` and a
    Notes section at the end."""
    body = "\n\n".join(_calls(p.text, "[{n}]") for p in doc.paragraphs if p.text)
    if doc.footnotes:
        body += "\n\nNotes\n\n" + "\n".join(f"[{n}] {t}" for n, t in enumerate(doc.footnotes, 1))
    return body + "\n"


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+\-=])")
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def _md(text: str) -> str:
    """Text that Markdown shows as it is (no emphasis, links, HTML, headings or lists)."""
    text = _MD_ESCAPE.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _MD_LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def write_markdown(doc: Assembled) -> str:
    """Markdown: the heading as ``#``, the reference and the marker of untranslated text
    in italics, everything else as paragraphs."""
    blocks = []
    for p in doc.paragraphs:
        if not p.text:
            continue
        if p.kind == SegmentKind.HEADING.value:
            blocks.append("# " + _md(p.text))
        elif p.verbatim and p.kind == SegmentKind.REFERENCE.value:
            blocks.append("*" + _md(p.text) + "*")
        else:
            parts = []
            for piece in p.pieces:
                parts.append(_md(piece.text) if piece.translated else "*" + _md(piece.text) + "*")
            blocks.append(" ".join(x for x in parts if x))  # signature, dateline: own paragraphs
    blocks = [_calls(b, "[^{n}]") for b in blocks]
    blocks += [f"[^{n}]: {_md(t)}" for n, t in enumerate(doc.footnotes, 1)]
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- HTML

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #111; }
body.bilingual { max-width: 70em; }
h1 { font-size: 1.15em; text-align: center; text-transform: none; }
p.salutation { text-align: center; }
p.signature, p.dateline { text-align: right; }
p.reference, .reference { font-size: 0.9em; color: #444; }
.untranslated { background: #fff3c4; color: #7a4b00; }
table.bilingual { border-collapse: collapse; width: 100%; }
table.bilingual td, table.bilingual th { vertical-align: top; padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; }
table.bilingual td.num { color: #888; font-size: 0.8em; white-space: nowrap; text-align: right; width: 3em; }
table.bilingual td.heading { font-weight: bold; }
sup.bead { color: #888; font-size: 0.7em; }
p.caption { color: #555; font-size: 0.9em; }
@media print { body { margin: 0; max-width: none; } .untranslated { background: none; text-decoration: underline dotted; } }
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _lang(tag: str) -> str:
    return _esc(tag if tag and tag != "und" else "")


def _html_pieces(p: Paragraph, doc: Assembled, *, numbers: bool) -> str:
    out = []
    for piece in p.pieces:
        mark = f'<sup class="bead">{piece.number}</sup> ' if numbers else ""
        if not piece.translated:
            out.append(f'{mark}<span class="untranslated" lang="{_lang(p.lang)}">{_esc(piece.text)}</span>')
        elif piece.verbatim:
            out.append(f'{mark}<span lang="{_lang(p.lang)}">{_esc(piece.text)}</span>')
        else:
            out.append(mark + _calls(_esc(piece.text), '<sup class="fn"><a href="#fn-{n}" id="fnref-{n}">{n}</a></sup>'))
    return " ".join(out)


def _html_footnotes(doc: Assembled) -> str:
    if not doc.footnotes:
        return ""
    items = "".join(f'<li id="fn-{n}">{_esc(t)} <a href="#fnref-{n}">↩</a></li>' for n, t in enumerate(doc.footnotes, 1))
    return f'\n<section class="footnotes"><hr><ol>{items}</ol></section>'



def _html_block(p: Paragraph, doc: Assembled) -> str:
    body = _html_pieces(p, doc, numbers=False)
    if p.kind == SegmentKind.HEADING.value:
        return f"<h1>{body}</h1>"
    lang = f' lang="{_lang(p.lang)}"' if p.verbatim else ""
    return f'<p class="{_esc(p.kind)}"{lang}>{body}</p>'


def write_html(doc: Assembled, *, bilingual: bool = False) -> str:
    """One self-contained HTML file (inline style, no scripts, no external resources)."""
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{_lang(doc.tgt_lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Tolmach">\n'
        f"<title>{_esc(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n"
    )
    if not bilingual:
        blocks = "\n".join(_html_block(p, doc) for p in doc.paragraphs if p.pieces)
        return head + f"<body>\n{blocks}{_html_footnotes(doc)}\n</body>\n</html>\n"
    rows = []
    for p in doc.paragraphs:
        if not p.pieces:
            continue
        cls = ' class="heading"' if p.kind == SegmentKind.HEADING.value else ""
        src = " ".join(
            f'<sup class="bead">{piece.number}</sup> {_esc(piece.source)}' for piece in p.pieces if piece.source
        )
        rows.append(
            f'<tr class="{_esc(p.kind)}"><td class="num">{_span(p.numbers)}</td>'
            f'<td{cls} lang="{_lang(p.lang)}">{src}</td>'
            f"<td{cls}>{_html_pieces(p, doc, numbers=True)}</td></tr>"
        )
    table = (
        '<table class="bilingual">\n<thead><tr><th class="num">#</th>'
        f'<th lang="{_lang(doc.src_lang)}">{_esc(doc.src_lang)}</th><th>{_esc(doc.tgt_lang)}</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )
    caption = f'<p class="caption">{_esc(doc.title)} · {_esc(doc.src_lang)} → {_esc(doc.tgt_lang)}</p>'
    return head + f'<body class="bilingual">\n{caption}\n{table}{_html_footnotes(doc)}\n</body>\n</html>\n'


# --------------------------------------------------------------------------- DOCX


def write_docx(doc: Assembled, *, bilingual: bool = False) -> bytes:
    """A Word document (python-docx): styled paragraphs, or a three-column table (bead
    numbers, source, target) for the bilingual edition."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    d = docx.Document()
    d.core_properties.title = doc.title
    d.core_properties.language = doc.tgt_lang

    def add_runs(par: Any, pieces: Sequence[Piece], numbers: bool, source_side: bool = False) -> None:
        for i, piece in enumerate(pieces):
            if i:
                par.add_run(" ")
            if numbers:
                r = par.add_run(str(piece.number))
                r.font.superscript = True
                r.font.color.rgb = RGBColor(0x88, 0x88, 0x88)
            text = piece.source if source_side else piece.text
            for k, part in enumerate(_FN_CALL.split(text)):  # odd parts: footnote numbers
                run = par.add_run(part)
                if k % 2:
                    run.font.superscript = True
                elif not source_side and not piece.translated:
                    run.italic = True
                    run.font.color.rgb = RGBColor(0x7A, 0x4B, 0x00)

    if not bilingual:
        for p in doc.paragraphs:
            if not p.pieces:
                continue
            if p.kind == SegmentKind.HEADING.value:
                par = d.add_heading(level=1)
            else:
                par = d.add_paragraph()
            add_runs(par, p.pieces, numbers=False)
            if p.kind in (SegmentKind.SIGNATURE.value, SegmentKind.DATELINE.value):
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif p.kind == SegmentKind.SALUTATION.value:
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif p.kind == SegmentKind.REFERENCE.value:
                for r in par.runs:
                    r.font.size = Pt(9)
    else:
        d.add_paragraph(f"{doc.title} · {doc.src_lang} → {doc.tgt_lang}")
        rows = [p for p in doc.paragraphs if p.pieces]
        table = d.add_table(rows=1 + len(rows), cols=3)
        table.style = "Table Grid"
        hdr = table.rows[0].cells
        hdr[0].text, hdr[1].text, hdr[2].text = "#", doc.src_lang, doc.tgt_lang
        for row, p in zip(table.rows[1:], rows):
            cells = row.cells
            cells[0].text = _span(p.numbers)
            add_runs(cells[1].paragraphs[0], [x for x in p.pieces if x.source], numbers=False, source_side=True)
            add_runs(cells[2].paragraphs[0], p.pieces, numbers=False)
            if p.kind == SegmentKind.HEADING.value:
                for c in cells[1:]:
                    for r in c.paragraphs[0].runs:
                        r.bold = True
    if doc.footnotes:  # python-docx writes no footnote part: numbered notes close the document
        d.add_heading("Notes", level=2)
        for n, t in enumerate(doc.footnotes, 1):
            par = d.add_paragraph()
            r = par.add_run(str(n))
            r.font.superscript = True
            par.add_run(" " + t)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class DocumentFormat:
    name: str
    description: str
    extension: str
    bilingual: bool  # offers a bilingual reading edition
    binary: bool


#: The translated-document formats (beside the parallel formats of :mod:`formats`).
DOCUMENT_FORMATS: dict[str, DocumentFormat] = {
    f.name: f
    for f in (
        DocumentFormat("text", "the translated document as plain text", ".txt", False, False),
        DocumentFormat("markdown", "the translated document as Markdown", ".md", False, False),
        DocumentFormat("html", "one self-contained HTML file (--bilingual: reading edition)", ".html", True, False),
        DocumentFormat("docx", "a Word document (--bilingual: reading edition)", ".docx", True, True),
    )
}


def render(doc: Assembled, fmt: str, *, bilingual: bool = False) -> str | bytes:
    if fmt == "text":
        return write_text(doc)
    if fmt == "markdown":
        return write_markdown(doc)
    if fmt == "html":
        return write_html(doc, bilingual=bilingual)
    if fmt == "docx":
        return write_docx(doc, bilingual=bilingual)
    raise ValueError(fmt)
