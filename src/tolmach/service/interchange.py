"""Export beads to exchange files and import translation memories back onto beads.

Export streams: one SQL query per document yields beads already joined to their source
segments, each becomes a :class:`~tolmach.interchange.Unit` and goes straight to the
writer, which writes into a temporary file renamed into place at the end.  Nothing
proportional to the project is held in memory.

Import reads the whole file first (so a malformed or hostile file changes nothing),
matches every unit to beads, then writes all changes in one transaction through the
revision journal (``action="import"``, ``status="imported"``), so each is undoable.
Matching, in order:

1. the unit names a document and bead number that exist, and that bead's source equals
   the unit's source (whitespace-insensitive) -> that bead;
2. otherwise, beads whose source equals the unit's source, within the named document if
   it has any, else in every document (a TM entry then fills every identical sentence).

A Moses pair carries no document or bead number, so it is matched by source only.
Units with an empty target (nothing but spaces, tabs and line breaks) are skipped (an import never erases a translation); a bead
whose target already equals the unit's is left alone, so importing twice changes nothing.
When several units match one bead, a position match beats a source match and otherwise
the later unit wins; both cases are counted as conflicts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, func, select

from tolmach.errors import InputError
from tolmach.interchange import Header, Unit, atomic_outputs, bcp47, format_of_file, get_format
from tolmach.interchange import moses
from tolmach.interchange.formats import FORMATS
from tolmach.interchange.xmlsafe import clean
from tolmach.store import Bead, BeadStatus, Document, Segment, Store

Progress = Callable[[int, int], None]

#: Characters SQLite's trim removes when deciding that a target is empty.
_BLANK = " \t\r\n"


@dataclass
class ExportReport:
    format: str
    paths: list[Path]
    units: int = 0
    documents: list[str] = field(default_factory=list)
    removed_chars: int = 0  # characters XML 1.0 cannot carry, dropped from XML output
    warnings: list[str] = field(default_factory=list)


def _filters(statuses: set[str] | None, skip_empty: bool) -> list:
    conds = []
    if statuses:
        unknown = sorted(set(statuses) - {s.value for s in BeadStatus})
        if unknown:
            raise InputError(
                f"Unknown bead status {unknown[0]!r}; choose from {', '.join(s.value for s in BeadStatus)}."
            )
        conds.append(Bead.status.in_(sorted(statuses)))
    if skip_empty:
        conds.append(func.trim(Bead.target, _BLANK) != "")
    return conds


def _documents(store: Store, document_ids: list[int] | None) -> list[tuple[int, str, str, str]]:
    with store.read() as s:
        rows = s.execute(select(Document.id, Document.name, Document.source_lang, Document.target_lang).order_by(Document.id)).all()
    by_id = {r[0]: tuple(r) for r in rows}
    if document_ids is None:
        return [by_id[i] for i in by_id]
    missing = [i for i in document_ids if i not in by_id]
    if missing:
        raise InputError(f"No document with id {missing[0]}; `tolmach docs` lists them.")
    return [by_id[i] for i in dict.fromkeys(document_ids)]


def _counts(store: Store, doc_ids: list[int], conds: list) -> dict[int, int]:
    with store.read() as s:
        rows = s.execute(
            select(Bead.document_id, func.count()).where(Bead.document_id.in_(doc_ids), *conds).group_by(Bead.document_id)
        ).all()
    return {r[0]: r[1] for r in rows}


def iter_units(
    store: Store,
    doc: tuple[int, str, str, str],
    conds: list,
    notes: dict[int, list[str]] | None = None,
) -> Iterator[Unit]:
    """The beads of one document as units, streamed from one ordered join."""
    doc_id, name, src_lang, tgt_lang = doc
    src, tgt = bcp47(src_lang), bcp47(tgt_lang)
    stmt = (
        select(Bead.id, Bead.position, Bead.target, Bead.status, Bead.origin, Bead.score, Bead.flagged, Segment.text)
        .select_from(Bead)
        .outerjoin(
            Segment,
            and_(
                Segment.document_id == Bead.document_id,
                Segment.position >= Bead.src_start,
                Segment.position < Bead.src_end,
            ),
        )
        .where(Bead.document_id == doc_id, *conds)
        .order_by(Bead.position, Segment.position)
        .execution_options(yield_per=500)
    )
    with store.read() as s:
        for _, rows in itertools.groupby(s.execute(stmt), key=lambda r: r[0]):
            rows = list(rows)
            bead_id, position, target, status, origin, score, flagged, _ = rows[0]
            yield Unit(
                document=name,
                number=position + 1,
                source=" ".join(r[7] for r in rows if r[7] is not None),  # as BeadView.source
                target=target,
                src_lang=src,
                tgt_lang=tgt,
                status=status,
                origin=origin,
                score=score,
                flagged=bool(flagged),
                notes=tuple((notes or {}).get(bead_id, ())),
                bead_id=bead_id,
                document_id=doc_id,
            )


def _qa_notes(store: Store, document_id: int) -> dict[int, list[str]]:
    """QA warnings as note strings per bead id; none when the QA service is not available."""
    try:
        from tolmach.service.qa import check_document
    except ImportError:
        return {}
    return {
        bead_id: [f"{w.code}: {w.message}" for w in warnings]
        for bead_id, warnings in check_document(store, document_id).items()
        if warnings
    }


def _single(values: Iterable[str]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def export(
    store: Store,
    document_ids: list[int] | None,
    fmt: str,
    out_path: Path | str,
    *,
    statuses: set[str] | None = None,
    skip_empty: bool = True,
    force: bool = False,
    on_progress: Progress | None = None,
    qa: bool | None = None,
) -> ExportReport:
    """Write the beads of the given documents (None: all) in format ``fmt`` to ``out_path``.

    ``qa`` adds QA warnings as notes (default: for formats that carry notes, XLIFF and
    JSONL).  Documents with no bead passing the filters are left out of the file.
    """
    from tolmach.service.apparatus import bead_notes

    form = get_format(fmt)
    if form.name == "tei":  # an edition with its apparatus (readings, names, dates, citation, notes)
        from tolmach.service.apparatus import export_tei_report

        return export_tei_report(store, document_ids, out_path, force=force, report=ExportReport(form.name, [Path(out_path)]))
    conds = _filters(statuses, skip_empty)
    docs = _documents(store, document_ids)
    counts = _counts(store, [d[0] for d in docs], conds)
    used = [d for d in docs if counts.get(d[0])]
    named = used or docs  # an empty export still names the languages of what was asked for
    header = Header(src_lang=_single(bcp47(d[2]) for d in named), tgt_lang=_single(bcp47(d[3]) for d in named))
    paths = form.output_paths(Path(out_path), header)
    report = ExportReport(form.name, paths, documents=[d[1] for d in used])
    total = sum(counts.get(d[0], 0) for d in used)
    with_notes = form.qa_notes if qa is None else qa
    with atomic_outputs(paths, force=force) as handles:
        writer = form.writer(handles, header)
        for doc in used:
            notes = _qa_notes(store, doc[0]) if with_notes else None
            notes = bead_notes(store, doc[0], notes)  # translator's/editorial notes and footnotes travel too
            for unit in iter_units(store, doc, conds, notes):
                writer.write(unit)
                report.units += 1
                if on_progress is not None:
                    on_progress(report.units, total)
        writer.close()
        report.removed_chars = writer.removed_chars
    if not report.units:
        report.warnings.append("No bead matched the filters; the file holds no units.")
    if report.removed_chars:
        report.warnings.append(
            f"{report.removed_chars} character(s) that XML 1.0 does not allow (control characters) were removed."
        )
    return report


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class Change:
    document: str
    number: int  # bead number after the import (unchanged by it)
    before: str
    after: str
    matched_by: str  # "position" or "source"


@dataclass
class ImportReport:
    path: Path
    format: str
    units: int = 0
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0  # matched beads that already had that target
    unmatched: int = 0
    skipped_empty: int = 0
    conflicts: int = 0
    unmatched_examples: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    """Source text as compared on import: XML-illegal characters and spacing ignored."""
    return " ".join(clean(text)[0].split())


@dataclass
class _Index:
    """Where every bead is: by (document name, number) and by normalised source text."""

    by_position: dict[tuple[str, int], tuple[int, str]]  # -> (bead id, normalised source)
    by_source: dict[str, list[tuple[int, int]]]  # -> [(document id, bead id)]
    doc_ids: dict[str, int]
    names: dict[int, tuple[str, int]]  # bead id -> (document name, number)


def _index(store: Store) -> _Index:
    docs = _documents(store, None)
    idx = _Index({}, {}, {d[1]: d[0] for d in docs}, {})
    for doc in docs:
        for u in iter_units(store, doc, []):
            key = _norm(u.source)
            idx.by_position[(u.document, u.number)] = (u.bead_id, key)
            idx.names[u.bead_id] = (u.document, u.number)
            if key:
                idx.by_source.setdefault(key, []).append((doc[0], u.bead_id))
    return idx


def _match(unit: Unit, idx: _Index) -> tuple[list[int], str]:
    key = _norm(unit.source)
    if unit.document and unit.number is not None:
        hit = idx.by_position.get((unit.document, unit.number))
        if hit is not None and (not key or hit[1] == key):
            return [hit[0]], "position"
    if not key:
        return [], ""
    candidates = idx.by_source.get(key, [])
    doc_id = idx.doc_ids.get(unit.document)
    local = [b for d, b in candidates if d == doc_id]
    return (local or [b for _, b in candidates]), "source"


def import_units(
    store: Store, units: Iterable[Unit], origin: str, *, report: ImportReport, dry_run: bool = False
) -> ImportReport:
    """Apply units read from a file (all read before anything is written; one transaction)."""
    from tolmach.service.beads import write_target

    idx = _index(store)
    plan: dict[int, tuple[str, str]] = {}  # bead id -> (target, matched_by)
    for unit in units:
        report.units += 1
        if not unit.target.strip(_BLANK):
            report.skipped_empty += 1
            continue
        bead_ids, how = _match(unit, idx)
        if not bead_ids:
            report.unmatched += 1
            if len(report.unmatched_examples) < 5:
                report.unmatched_examples.append(unit.source[:80])
            continue
        for bead_id in bead_ids:
            earlier = plan.get(bead_id)
            if earlier is not None and earlier[0] != unit.target:
                report.conflicts += 1
                if earlier[1] == "position" and how == "source":
                    continue
            plan[bead_id] = (unit.target, how)
    with store.read() if dry_run else store.transaction() as s:
        for bead_id, (target, how) in plan.items():
            bead = s.get(Bead, bead_id)
            if bead is None:
                continue
            if bead.target == target:
                report.unchanged += 1
                continue
            doc_name, number = idx.names[bead_id]
            report.changes.append(Change(doc_name, number, bead.target, target, how))
            if not dry_run:
                write_target(s, bead, target, status=BeadStatus.IMPORTED, origin=origin, action="import")
    return report


def _readable(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if not path.is_file():
        raise InputError(f"{path} is not a file.")
    return path


def import_tm(store: Store, path: Path | str, *, target_path: Path | str | None = None, dry_run: bool = False) -> ImportReport:
    """Update bead targets from a TMX, XLIFF, TSV or JSONL file (see the module doc).

    With ``target_path``, ``path`` and ``target_path`` are a Moses pair (source file,
    target file), matched by source text only.
    """
    path = _readable(Path(path))
    if target_path is not None:
        tgt = _readable(Path(target_path))
        report = ImportReport(path, "moses")
        return import_units(store, moses.read_moses(path, tgt), tgt.name, report=report, dry_run=dry_run)
    form = format_of_file(path)
    assert form.reader is not None  # format_of_file only returns readable formats
    report = ImportReport(path, form.name)
    return import_units(store, form.reader(path), path.name, report=report, dry_run=dry_run)


__all__ = ["Change", "ExportReport", "ImportReport", "export", "import_tm", "import_units", "iter_units", "FORMATS"]
