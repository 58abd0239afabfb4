"""The translated document out of the database: text, Markdown, HTML, DOCX.

Reads one document's beads with the kind, paragraph and language of their source
segments (one ordered join), assembles them (:mod:`tolmach.interchange.document`) and
writes the result atomically.  Untranslated beads are shown as bracketed source and
counted, or, with ``complete``, refused before anything is written.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, select

from tolmach.errors import InputError, OptionError, UnknownDocument
from tolmach.fileio import atomic_outputs
from tolmach.model import DocumentRole
from tolmach.interchange.document import (
    DOCUMENT_FORMATS,
    Assembled,
    BeadRow,
    assemble,
    render,
)
from tolmach.store import Bead, Document, Segment, Store, Note
from tolmach.service.notices import Notice, NoticeKind


@dataclass
class DocumentExport:
    path: Path
    format: str
    document: str
    paragraphs: int
    source_paragraphs: int
    untranslated: list[int] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)  # worded by tolmach.wording


def _numbers(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:10])) + (" ..." if len(numbers) > 10 else "")


def load_assembled(store: Store, document_id: int) -> Assembled:
    """A document's target in its source's structure."""
    with store.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise UnknownDocument(document_id)
        stmt = (
            select(Bead.id, Bead.position, Bead.target, Bead.status, Segment.text, Segment.kind, Segment.paragraph, Segment.lang,
                   Segment.position)
            .select_from(Bead)
            .outerjoin(Segment, and_(Segment.document_id == Bead.document_id, Segment.position >= Bead.src_start,
                                     Segment.position < Bead.src_end))
            .where(Bead.document_id == document_id)
            .order_by(Bead.position, Segment.position)
        )
        notes: dict[int, list[tuple[str, str, str]]] = {}  # segment position -> notes
        for kind, anchor, text, pos in s.execute(
            select(Note.kind, Note.anchor, Note.text, Segment.position).join(Segment, Note.segment_id == Segment.id)
            .where(Note.document_id == document_id).order_by(Segment.position, Note.id)
        ):
            notes.setdefault(pos, []).append((kind, anchor, text))
        rows = []
        # the beads come in order: the n-th is bead n (positions have gaps)
        for number, (_, grouped) in enumerate(itertools.groupby(s.execute(stmt), key=lambda r: r[0]), 1):
            group = list(grouped)
            segs = [g for g in group if g[4] is not None]
            first = group[0]
            rows.append(BeadRow(
                number=number,
                sources=tuple(g[4] for g in segs),
                kinds=tuple(g[5] for g in segs),
                paragraphs=tuple(g[6] for g in segs),
                langs=tuple(g[7] for g in segs),
                target=first[2],
                status=first[3],
                notes=tuple(n for g in segs for n in notes.get(g[8], ())),
            ))
        return assemble(doc.name, doc.source_lang, doc.target_lang, rows, reference=doc.role == DocumentRole.REFERENCE.value)


def export_document(
    store: Store,
    document_id: int,
    fmt: str,
    out_path: Path | str,
    *,
    bilingual: bool = False,
    complete: bool = False,
    force: bool = False,
) -> DocumentExport:
    """Write the translated document (see the module doc)."""
    form = DOCUMENT_FORMATS.get(fmt.lower())
    if form is None:
        raise InputError(f"Unknown document format {fmt!r}; choose one of {', '.join(DOCUMENT_FORMATS)}.")
    if bilingual and not form.bilingual:
        raise InputError(f"The bilingual reading edition is written as html or docx, not {form.name}.")
    doc = load_assembled(store, document_id)
    if complete and doc.untranslated:
        shown = _numbers(doc.untranslated)
        raise OptionError("{title} has {n} untranslated bead(s) ({shown}); {option} refuses to write it.", "complete",
                          title=doc.title, n=len(doc.untranslated), shown=shown)
    content = render(doc, form.name, bilingual=bilingual)
    path = Path(out_path)
    if str(out_path) == "-":  # standard output: the text formats only
        if isinstance(content, bytes):
            raise OptionError("{form} is a binary file; give {option} a file name.", "out", form=form.name)
        import sys

        sys.stdout.write(content)
        sys.stdout.flush()
    else:
        _write_file(path, content, force)
    report = DocumentExport(path, form.name, doc.title, len([p for p in doc.paragraphs if p.pieces]), doc.source_paragraphs,
                            list(doc.untranslated))
    if doc.untranslated:
        report.notices.append(Notice(NoticeKind.UNTRANSLATED, len(doc.untranslated), tuple(doc.untranslated)))
    if doc.merged_paragraphs:
        report.notices.append(Notice(NoticeKind.MERGED_PARAGRAPHS, doc.merged_paragraphs))
    return report


def _write_file(path: Path, content: str | bytes, force: bool) -> None:
    with atomic_outputs([path], force=force) as (fh,):
        if isinstance(content, bytes):
            fh.flush()
            fh.buffer.write(content)
        else:
            fh.write(content)
