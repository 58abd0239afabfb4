"""Importing files into documents and looking documents up."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from tolmach import config
from tolmach.errors import InputError
from tolmach.fileio import read_input
from tolmach.store import Bead, BeadStatus, Document, ImportedFile, Segment, Store
from tolmach.text.model import ParsedDocument, ParsedFile


@dataclass(frozen=True)
class ImportResult:
    """What one file gave: the documents created, or why nothing was created."""

    path: Path
    documents: list[str]
    segments: int
    duplicate_of: str | None = None  # path of the earlier import with the same bytes


def read_file_bytes(path: Path) -> bytes:
    """The bytes of an input file, or one clear sentence saying why not."""
    return read_input(path, hint="give the text files inside it")


@dataclass(frozen=True)
class PreparedFile:
    """A file read and parsed, not yet stored: all that can fail on bad input has run."""

    path: Path
    sha256: str
    parsed: ParsedFile


def prepare_file(path: Path | str, *, lang: str | None = None) -> PreparedFile:
    """Read and parse one file; raises :class:`InputError` naming it if it cannot be used."""
    from tolmach.text.pipeline import parse_bytes

    path = Path(path)
    data = read_file_bytes(path)
    parsed = parse_bytes(data, source_name=str(path), lang=lang)
    return PreparedFile(path, hashlib.sha256(data).hexdigest(), parsed)


def _unique_name(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 2
    while name in taken:
        name = f"{wanted} ({n})"
        n += 1
    return name


def store_file(
    store: Store, prepared: PreparedFile, *, target_lang: str = config.DEFAULT_TARGET_LANG
) -> ImportResult:
    """Store a parsed file's documents, segments and 1:1 beads in one transaction.

    A file whose bytes were imported before is recognised by hash and not stored again.
    Segments and beads go in as bulk inserts: a long file is thousands of rows, and the
    ORM's per-object bookkeeping would cost more than the parsing.
    """
    path, parsed = prepared.path, prepared.parsed
    names: list[str] = []
    count = 0
    with store.transaction() as s:
        earlier = s.scalar(select(ImportedFile).where(ImportedFile.sha256 == prepared.sha256))
        if earlier is not None:
            return ImportResult(path, [], 0, duplicate_of=earlier.path)
        record = ImportedFile(path=str(path), sha256=prepared.sha256, encoding=parsed.encoding)
        s.add(record)
        taken = set(s.scalars(select(Document.name)))
        created: list[tuple[Document, ParsedDocument]] = []
        for index, doc in enumerate(parsed.documents):
            name = _unique_name(doc.name, taken)
            taken.add(name)
            document = Document(
                name=name, file=record, position_in_file=index, source_lang=doc.lang, target_lang=target_lang
            )
            s.add(document)
            created.append((document, doc))
            names.append(name)
        s.flush()  # document ids for the rows below
        segment_rows = [
            {
                "document_id": document.id,
                "position": pos,
                "kind": seg.kind.value,
                "lang": seg.lang,
                "paragraph": seg.paragraph,
                "text": seg.text,
            }
            for document, doc in created
            for pos, seg in enumerate(doc.segments)
        ]
        bead_rows = [
            {
                "document_id": row["document_id"],
                "position": row["position"],
                "src_start": row["position"],
                "src_end": row["position"] + 1,
                "target": "",
                "status": BeadStatus.EMPTY.value,
            }
            for row in segment_rows
        ]
        if segment_rows:
            s.execute(insert(Segment), segment_rows)
            s.execute(insert(Bead), bead_rows)
        count = len(segment_rows)
    return ImportResult(path, names, count)


def import_file(
    store: Store,
    path: Path | str,
    *,
    lang: str | None = None,
    target_lang: str = config.DEFAULT_TARGET_LANG,
) -> ImportResult:
    """Import one text file: decode, reflow, split into documents and segments, store.

    The whole file is one transaction: either all its documents are stored, or none.
    A file whose bytes were imported before is recognised by hash and skipped.
    """
    return store_file(store, prepare_file(path, lang=lang), target_lang=target_lang)


def import_files(
    store: Store | Callable[[], Store],
    paths: Iterable[Path | str],
    *,
    lang: str | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import several files, each its own transaction.

    Every file is read and parsed before the first is stored, so one bad file leaves the
    database untouched.  ``store`` may be a callable that opens the store, so that a
    database is not even created when an input is bad.
    """
    prepared = [prepare_file(p, lang=lang) for p in paths]
    target = store() if callable(store) else store
    results = []
    for p in prepared:
        result = store_file(target, p)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def import_seeds(store: Store, seeds: Path | None = None) -> list[ImportResult]:
    """Import the bundled seed files (sorted by name) into the store."""
    folder = seeds or config.seeds_dir()
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise InputError(f"No seed files (*.txt) found in {folder}.")
    return import_files(store, files)


def find_document(session: Session, ref: str | int) -> Document:
    """A document by exact name, else by numeric id; a clear error otherwise."""
    ref_s = str(ref).strip()
    doc = session.scalar(select(Document).where(Document.name == ref_s))
    if doc is None and ref_s.isdigit():
        doc = session.get(Document, int(ref_s))
    if doc is None:
        doc = session.scalar(select(Document).where(func.lower(Document.name) == ref_s.lower()))
    if doc is None:
        raise InputError(f"No document named {ref_s!r}; `tolmach docs` lists them.")
    return doc


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    name: str
    source_lang: str
    target_lang: str
    segments: int
    beads: int
    translated: int  # beads with a non-empty target
    reviewed: int

    @property
    def progress(self) -> float:
        return self.translated / self.beads if self.beads else 0.0


def list_documents(store: Store) -> list[DocumentSummary]:
    """Every document with its counts, in import order."""
    with store.read() as s:
        seg_counts = dict(s.execute(select(Segment.document_id, func.count()).group_by(Segment.document_id)).all())
        bead_rows = s.execute(
            select(
                Bead.document_id,
                func.count(),
                func.sum(case((Bead.status != BeadStatus.EMPTY.value, 1), else_=0)),
                func.sum(case((Bead.status == BeadStatus.REVIEWED.value, 1), else_=0)),
            ).group_by(Bead.document_id)
        ).all()
        beads = {r[0]: (r[1], int(r[2] or 0), int(r[3] or 0)) for r in bead_rows}
        out = []
        for d in s.scalars(select(Document).order_by(Document.id)):
            n, done, rev = beads.get(d.id, (0, 0, 0))
            out.append(
                DocumentSummary(d.id, d.name, d.source_lang, d.target_lang, seg_counts.get(d.id, 0), n, done, rev)
            )
        return out
