"""Importing files into documents and looking documents up."""

from __future__ import annotations

import hashlib
from itertools import islice
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from tolmach import config
from tolmach.errors import InputError, OptionError, UnknownDocument
from tolmach.fileio import input_name, is_stdin, read_input
from tolmach.model import DocumentRole, same_language
from tolmach.store import POSITION_GAP, Bead, BeadStatus, Document, ImportedFile, Segment, Store
from tolmach.text.model import ParsedDocument, ParsedFile


@dataclass(frozen=True)
class ImportResult:
    """What one file gave: the documents created, or why nothing was created."""

    path: Path
    documents: list[str]
    segments: int
    duplicate_of: str | None = None  # path of the earlier import with the same bytes
    roles: tuple[str, ...] = ()  # the role of each document, in the order of ``documents``
    languages: tuple[str, ...] = ()  # the source language tag of each document


@dataclass(frozen=True)
class ImportOptions:
    """What a person may say about the files they import (all optional).

    ``lang`` and ``target_lang`` in any spelling (``zh-cn``, ``RU_ru``); ``role`` forces
    every document's role (else a document already in the target language is reference
    material); ``name`` names the file's first document (else its title, else the file).
    """

    lang: str | None = None
    target_lang: str = config.DEFAULT_TARGET_LANG
    role: DocumentRole | str | None = None
    name: str | None = None

    def normalised(self) -> ImportOptions:
        from tolmach.text.pipeline import language_option

        role = None
        if self.role is not None:
            try:
                role = DocumentRole(str(getattr(self.role, "value", self.role)).strip().lower())
            except ValueError:
                choices = ", ".join(r.value for r in DocumentRole)
                raise OptionError("{option} {role!r} is not a document role ({choices}).", "role", role=self.role,
                                  choices=choices) from None
        name = self.name.strip() if self.name is not None else None
        if name is not None and not name:
            raise OptionError("{option} is empty; give the document a name.", "name")
        return ImportOptions(
            lang=language_option(self.lang),
            target_lang=language_option(self.target_lang, "target-lang") or config.DEFAULT_TARGET_LANG,
            role=role,
            name=name,
        )


def role_for(doc_lang: str, target_lang: str, forced: DocumentRole | str | None = None) -> DocumentRole:
    """A document's role: as forced, else reference when it is already in the target language."""
    if forced is not None:
        return DocumentRole(getattr(forced, "value", forced))
    return DocumentRole.REFERENCE if same_language(doc_lang, target_lang) else DocumentRole.TRANSLATE


def read_file_bytes(path: Path, *, stdin: bool = False) -> bytes:
    """The bytes of an input file (with ``stdin``, ``-`` is standard input), or one clear
    sentence saying why not."""
    return read_input(path, hint="give the text files inside it", stdin=stdin)


@dataclass(frozen=True)
class PreparedFile:
    """A file read and parsed, not yet stored: all that can fail on bad input has run."""

    path: Path
    sha256: str
    parsed: ParsedFile


def prepare_file(
    path: Path | str, *, lang: str | None = None, on_progress: Callable[[int, int], None] | None = None
) -> PreparedFile:
    """Read and parse one file (``-``: standard input, called ``stdin``); raises
    :class:`InputError` naming it if it cannot be used.  ``on_progress(done, total)``
    follows the parsing in characters."""
    from tolmach.text.decode import decode_bytes
    from tolmach.text.pipeline import language_option, parse_text

    path, lang = Path(path), language_option(lang)  # a bad --lang before the bytes are looked at
    name = input_name(path)
    data = read_file_bytes(path, stdin=True)
    digest = hashlib.sha256(data).hexdigest()
    text, encoding = decode_bytes(data, name)
    del data  # the text is all that is needed now: a large file is not held twice
    return PreparedFile(path, digest, parse_text(text, name, lang, encoding, on_progress))


def _unique_name(wanted: str, taken: set[str]) -> str:
    name, n = wanted, 2
    while name in taken:
        name = f"{wanted} ({n})"
        n += 1
    return name


#: Rows per bulk insert of an import (segments, then their beads).
INSERT_BATCH = 5_000


def store_file(
    store: Store,
    prepared: PreparedFile,
    *,
    target_lang: str = config.DEFAULT_TARGET_LANG,
    options: ImportOptions | None = None,
) -> ImportResult:
    """Store a parsed file's documents, segments and 1:1 beads in one transaction.

    A file whose bytes were imported before is recognised by hash and not stored again.
    Segments and beads go in as bulk inserts of :data:`INSERT_BATCH` rows: a long file is
    thousands of rows, the ORM's per-object bookkeeping would cost more than the parsing,
    and rows made for the whole file at once cost more memory than its text.
    """
    path, parsed = prepared.path, prepared.parsed
    opts = (options or ImportOptions(target_lang=target_lang)).normalised()
    names: list[str] = []
    roles: list[str] = []
    count = 0
    with store.transaction() as s:
        earlier = s.scalar(select(ImportedFile).where(ImportedFile.sha256 == prepared.sha256))
        if earlier is not None:
            return ImportResult(path, [], 0, duplicate_of=earlier.path)
        record = ImportedFile(path=input_name(path), sha256=prepared.sha256, encoding=parsed.encoding)
        s.add(record)
        taken = set(s.scalars(select(Document.name)))
        created: list[tuple[Document, ParsedDocument]] = []
        for index, doc in enumerate(parsed.documents):
            wanted = (opts.name if index == 0 else None) or doc.title or doc.name
            name = _unique_name(wanted, taken)
            taken.add(name)
            role = role_for(doc.lang, opts.target_lang, opts.role)
            document = Document(
                name=name,
                file=record,
                position_in_file=index,
                source_lang=doc.lang,
                target_lang=opts.target_lang,
                role=role.value,
            )
            s.add(document)
            created.append((document, doc))
            names.append(name)
            roles.append(role.value)
        s.flush()  # document ids for the rows below
        rows = ((document.id, pos, seg) for document, doc in created for pos, seg in enumerate(doc.segments))
        while batch := list(islice(rows, INSERT_BATCH)):  # memory bounded by the batch, not the file
            s.execute(
                insert(Segment),
                [
                    {"document_id": doc_id, "position": pos, "kind": seg.kind.value, "lang": seg.lang,
                     "paragraph": seg.paragraph, "text": seg.text}
                    for doc_id, pos, seg in batch
                ],
            )  # fmt: skip
            s.execute(
                insert(Bead),
                [
                    {"document_id": doc_id, "position": pos * POSITION_GAP,  # room for splits (see Bead)
                     "src_start": pos, "src_end": pos + 1, "target": "", "status": BeadStatus.EMPTY.value}
                    for doc_id, pos, _ in batch
                ],
            )  # fmt: skip
            count += len(batch)
    return ImportResult(path, names, count, roles=tuple(roles), languages=tuple(d.lang for d in parsed.documents))


def import_file(
    store: Store,
    path: Path | str,
    *,
    lang: str | None = None,
    target_lang: str = config.DEFAULT_TARGET_LANG,
    role: DocumentRole | str | None = None,
    name: str | None = None,
) -> ImportResult:
    """Import one text file: decode, reflow, split into documents and segments, store.

    The whole file is one transaction: either all its documents are stored, or none.
    A file whose bytes were imported before is recognised by hash and skipped.
    """
    opts = ImportOptions(lang, target_lang, role, name).normalised()
    return store_file(store, prepare_file(path, lang=opts.lang), options=opts)


def import_files(
    store: Store | Callable[[], Store],
    paths: Iterable[Path | str],
    *,
    lang: str | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
    target_lang: str = config.DEFAULT_TARGET_LANG,
    role: DocumentRole | str | None = None,
    name: str | None = None,
    on_progress: Callable[[Path, int, int], None] | None = None,
) -> list[ImportResult]:
    """Import several files, each its own transaction.

    Every file is read and parsed before the first is stored, so one bad file (or a bad
    option) leaves the database untouched.  ``store`` may be a callable that opens the
    store, so that a database is not even created when an input is bad.  ``name`` names
    one document, so it takes one file.  A path ``-`` is standard input (read once).
    ``on_progress(path, done, total)`` follows the parsing of each file in characters.
    """
    paths = list(paths)
    opts = ImportOptions(lang, target_lang, role, name).normalised()
    if sum(map(is_stdin, paths)) > 1:
        raise InputError("Standard input (-) can be read only once; give - once.")
    if opts.name is not None and len(paths) != 1:
        raise OptionError("{option} names one document, but {n} files were given; import them one by one.", "name",
                          n=len(paths))
    prepared = [
        prepare_file(p, lang=opts.lang, on_progress=_for_file(on_progress, Path(p))) for p in paths
    ]
    target = store() if callable(store) else store
    results = []
    for p in prepared:
        result = store_file(target, p, options=opts)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def _for_file(
    on_progress: Callable[[Path, int, int], None] | None, path: Path
) -> Callable[[int, int], None] | None:
    if on_progress is None:
        return None
    return lambda done, total: on_progress(path, done, total)


def seed_files(seeds: Path | None = None) -> list[Path]:
    """The bundled seed files, sorted by name (from the checkout or the installed package)."""
    folder = seeds or config.seeds_dir()
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise InputError(f"No seed files (*.txt) found in {folder}.")
    return files


def import_seeds(store: Store, seeds: Path | None = None) -> list[ImportResult]:
    """Import the bundled seed files (sorted by name) into the store."""
    return import_files(store, seed_files(seeds))


def _by_file_stem(session: Session, stem: str) -> Document | None:
    """The first document of the file whose name (without folder and extension) is ``stem``:
    documents are named after their titles, but "002_089901b84e1e010c" still finds one."""
    files = [f.id for f in session.scalars(select(ImportedFile)) if PurePath(f.path).stem == stem]
    if len(files) != 1:
        return None
    return session.scalar(
        select(Document).where(Document.file_id == files[0]).order_by(Document.position_in_file).limit(1)
    )


def find_document(session: Session, ref: str | int) -> Document:
    """A document by exact name, else by numeric id, else by name in any case, else by the
    name of the file it came from; a clear error otherwise."""
    ref_s = str(ref).strip()
    doc = session.scalar(select(Document).where(Document.name == ref_s))
    if doc is None and ref_s.isdigit():
        doc = session.get(Document, int(ref_s))
    if doc is None:
        doc = session.scalar(select(Document).where(func.lower(Document.name) == ref_s.lower()))
    if doc is None:
        doc = _by_file_stem(session, ref_s)
    if doc is None:
        raise UnknownDocument(ref_s)
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
    role: str = DocumentRole.TRANSLATE.value

    @property
    def is_reference(self) -> bool:
        return self.role == DocumentRole.REFERENCE.value

    @property
    def untranslated(self) -> int:
        """Beads still to translate; a reference document has none, whatever it holds."""
        return 0 if self.is_reference else self.beads - self.translated

    @property
    def progress(self) -> float:
        """Share of beads translated; 1.0 for reference material (nothing is owed on it)."""
        if self.is_reference:
            return 1.0
        return self.translated / self.beads if self.beads else 0.0


def list_documents(store: Store) -> list[DocumentSummary]:
    """Every document with its counts, in import order ("translated": the workbench's rule,
    :func:`tolmach.service.worklist.is_translated`)."""
    from tolmach.service.worklist import translated_sql

    has_text = translated_sql()
    with store.read() as s:
        seg_counts = dict(s.execute(select(Segment.document_id, func.count()).group_by(Segment.document_id)).all())
        bead_rows = s.execute(
            select(
                Bead.document_id,
                func.count(),
                func.sum(case((has_text, 1), else_=0)),
                func.sum(case((has_text & (Bead.status == BeadStatus.REVIEWED.value), 1), else_=0)),
            ).group_by(Bead.document_id)
        ).all()
        beads = {r[0]: (r[1], int(r[2] or 0), int(r[3] or 0)) for r in bead_rows}
        out = []
        for d in s.scalars(select(Document).order_by(Document.id)):
            n, done, rev = beads.get(d.id, (0, 0, 0))
            out.append(
                DocumentSummary(
                    d.id, d.name, d.source_lang, d.target_lang, seg_counts.get(d.id, 0), n, done, rev, d.role
                )
            )
        return out


@dataclass(frozen=True)
class LanguageChange:
    """What ``set_document_language`` did."""

    document: str
    old: str
    new: str
    relabelled: int  # segments that now carry the new language
    kept: int  # segments left in a language of their own (references, quotations)


def set_document_language(store: Store, ref: str | int, code: str) -> LanguageChange:
    """Give a document another source language (it was imported with the wrong one).

    ``code`` is normalised (``zh-cn`` → ``zh-Hans``).  Segments that carried the old
    document language, or none (``und``) though they have letters, take the new one;
    archival references and segments detected as some third language keep theirs.  Translations
    are left alone.
    """
    from sqlalchemy import update

    from tolmach.model import LanguageTagError, UNDETERMINED, names_a_language, normalize_tag, same_language
    from tolmach.text.langid import script_of

    try:
        new = normalize_tag(code)
    except LanguageTagError as exc:
        raise InputError(f"{code!r} is not a language code ({exc}); give e.g. ru, en, zh-Hans.") from None
    if not names_a_language(new):
        raise InputError(f"{code!r} is not a language code; give e.g. ru, en, zh-Hans.")
    if new == UNDETERMINED:
        raise InputError("A document's language cannot be set to und; give a language code such as ru or zh.")

    def was_old(lang: str, old: str) -> bool:
        if lang == old:
            return True
        try:
            return old != UNDETERMINED and lang != UNDETERMINED and same_language(lang, old)
        except LanguageTagError:
            return False

    with store.transaction() as s:
        doc = find_document(s, ref)
        old = doc.source_lang
        ids: list[int] = []
        kept = 0
        for seg in s.scalars(select(Segment).where(Segment.document_id == doc.id)):
            unlabelled = seg.lang in ("", UNDETERMINED) and script_of(seg.text)[1] > 0
            if seg.kind != "reference" and (was_old(seg.lang, old) or unlabelled):
                ids.append(seg.id)
            else:
                kept += 1
        if ids:
            s.execute(update(Segment).where(Segment.id.in_(ids)).values(lang=new))
        if doc.role == role_for(old, doc.target_lang).value:  # the role followed the language: it still does
            doc.role = role_for(new, doc.target_lang).value
        doc.source_lang = new
        return LanguageChange(doc.name, old, new, len(ids), kept)


@dataclass(frozen=True)
class DeletedDocument:
    name: str
    segments: int
    beads: int
    translated: int
    file_forgotten: bool  # its file may now be imported again


def describe_document(store: Store, ref: str | int) -> DocumentSummary:
    """One document's counts (what a delete would remove)."""
    with store.read() as s:
        doc_id = find_document(s, ref).id
    return next(d for d in list_documents(store) if d.id == doc_id)


def delete_document(store: Store, ref: str | int) -> DeletedDocument:
    """Delete a document with its segments, beads, notes and history, in one transaction.

    When it was the last document of an imported file, the file's record goes too, so the
    same file can be imported again (with ``--lang``, say).
    """
    from sqlalchemy import delete
    from sqlalchemy.exc import IntegrityError

    summary = describe_document(store, ref)
    forgotten = False
    try:
        with store.transaction() as s:
            doc = s.get(Document, summary.id)
            file_id = doc.file_id if doc is not None else None
            s.expunge_all()
            s.execute(delete(Document).where(Document.id == summary.id))
            if file_id is not None:
                others = s.scalar(select(func.count()).select_from(Document).where(Document.file_id == file_id))
                if not others:
                    s.execute(delete(ImportedFile).where(ImportedFile.id == file_id))
                    forgotten = True
    except IntegrityError as exc:
        raise InputError(f'"{summary.name}" is still referred to elsewhere and was not deleted ({exc.orig}).') from None
    return DeletedDocument(summary.name, summary.segments, summary.beads, summary.translated, forgotten)


def rename_document(store: Store, ref: str | int, new_name: str) -> tuple[str, str]:
    """Rename a document; returns (old name, new name).  Names are unique."""
    new_name = (new_name or "").strip()
    if not new_name:
        raise InputError("The new name is empty; give the document a name.")
    with store.transaction() as s:
        doc = find_document(s, ref)
        old = doc.name
        if new_name != old:
            clash = s.scalar(select(Document.id).where(Document.name == new_name, Document.id != doc.id))
            if clash is not None:
                raise InputError(f"There is already a document named {new_name!r}; choose another name.")
            doc.name = new_name
    return old, new_name
