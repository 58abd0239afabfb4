"""Export beads to exchange files and import translation memories back onto beads.

Export streams: one SQL query per document yields beads already joined to their source
segments, each becomes a :class:`~tolmach.interchange.Unit` and goes straight to the
writer, which writes into a temporary file renamed into place at the end (or to a
stream, for ``--out -``).  What is held per document is small: the first and last
author and date of each revised bead (from the revision journal) and the notes.

Import reads the whole file first (so a malformed or hostile file changes nothing),
matches every unit to beads, then writes all changes in one transaction through the
revision journal (``action="import"``, status ``imported``, or ``reviewed`` when the file
approves the unit), each under the file's author and date, so each is undoable.  A unit
that disagrees with a translated bead is settled by :data:`PREFER` (by default the more
recent side wins; see :func:`_settle`), and every such case is a :class:`Conflict`.
Matching, in order:

1. the unit names a document and bead number that exist, and that bead's source equals
   the unit's source (whitespace-insensitive) -> that bead;
2. otherwise, beads whose source equals the unit's source, within the named document if
   it has any, else in every document (a TM entry then fills every identical sentence).

A Moses pair carries no document or bead number, so it is matched by source only.
Units with an empty target (nothing but spaces, tabs and line breaks) are skipped (an import never erases a translation); a bead
whose target already equals the unit's is left alone, so importing twice changes nothing.
When several units match one bead, a position match beats a source match and otherwise
the later unit wins; both cases are reported as conflicts (``file-disagrees``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session
from sqlalchemy import ColumnElement, and_, func, select

from tolmach.errors import InputError, OptionError, UnknownDocument
from tolmach.service.beads import numbered
from tolmach.service.notices import Notice, NoticeKind
from tolmach.fileio import atomic_outputs, check_input, display_name
from tolmach.interchange import (
    Header,
    Unit,
    bcp47,
    format_of_file,
    get_format,
    moses,
)
from tolmach.interchange.formats import FORMATS
from tolmach.model import run_language
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
    notices: list[Notice] = field(default_factory=list)  # worded by tolmach.wording


def _filters(statuses: set[str] | None, skip_empty: bool) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
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
    by_id: dict[int, tuple[int, str, str, str]] = {r[0]: (r[0], r[1], r[2], r[3]) for r in rows}
    if document_ids is None:
        return [by_id[i] for i in by_id]
    missing = [i for i in document_ids if i not in by_id]
    if missing:
        raise UnknownDocument(missing[0])
    return [by_id[i] for i in dict.fromkeys(document_ids)]


def _counts(store: Store, doc_ids: list[int], conds: list[ColumnElement[bool]]) -> dict[int, int]:
    with store.read() as s:
        rows = s.execute(
            select(Bead.document_id, func.count()).where(Bead.document_id.in_(doc_ids), *conds).group_by(Bead.document_id)
        ).all()
    return {r[0]: r[1] for r in rows}


def _who_when(store: Store, doc_id: int) -> dict[int, tuple[str, datetime, str, datetime]]:
    """Per bead id: (first author, first date, last author, last date) from its revisions."""
    from tolmach.service.history import authorship

    return {b: (a.first_author, a.first_when, a.author, a.when) for b, a in authorship(store, doc_id).items()}


def last_changes(store: Store, doc_id: int) -> dict[int, datetime]:
    """When each bead of a document last changed (its latest revision), as aware UTC datetimes."""
    from tolmach.service.history import authorship

    return {b: _utc(a.when) for b, a in authorship(store, doc_id).items()}


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _bead_notes(store: Store, doc_id: int) -> dict[int, list[str]]:
    """Note lines per source segment position (notes, and the archival citation)."""
    from tolmach.service.apparatus import segment_note_lines

    return segment_note_lines(store, doc_id)


def _unit_lang(doc_lang: str, segment_langs: list[str]) -> str:
    return run_language(doc_lang, segment_langs)


def iter_units(
    store: Store,
    doc: tuple[int, str, str, str],
    conds: list[ColumnElement[bool]],
    notes: dict[int, list[str]] | None = None,
    *,
    details: bool = True,
) -> Iterator[Unit]:
    """The beads of one document as units, streamed from one ordered join.

    ``notes`` are QA warnings per bead id; with ``details`` every unit also carries its
    bead's notes and who created and last changed it, and when.
    """
    doc_id, name, src_lang, tgt_lang = doc
    src, tgt = bcp47(src_lang), bcp47(tgt_lang)
    who = _who_when(store, doc_id) if details else {}
    seg_notes = _bead_notes(store, doc_id) if details else {}
    numbers = numbered(doc_id)  # every bead's number, also of those the filters leave out
    stmt = (
        select(
            Bead.id, numbers.c.number, Bead.target, Bead.status, Bead.origin, Bead.score, Bead.flagged,
            Segment.text, Segment.lang, Segment.position, Bead.created_at, Bead.updated_at,
        )
        .select_from(Bead)
        .join(numbers, numbers.c.id == Bead.id)
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
        for _, grouped in itertools.groupby(s.execute(stmt), key=lambda r: r[0]):
            rows = list(grouped)
            bead_id, number, target, status, origin, score, flagged = rows[0][:7]
            created_at, updated_at = rows[0][10], rows[0][11]
            ww = who.get(bead_id)
            if details:
                creator, created, changer, changed = ww if ww else ("", created_at, "", updated_at)
            else:
                creator, created, changer, changed = "", None, "", None
            yield Unit(
                document=name,
                number=number,
                source=" ".join(r[7] for r in rows if r[7] is not None),  # as BeadView.source
                target=target,
                src_lang=_unit_lang(src, [r[8] for r in rows if r[8] is not None]),
                tgt_lang=tgt,
                status=status,
                origin=origin,
                score=score,
                flagged=bool(flagged),
                notes=tuple(n for r in rows if r[9] is not None for n in seg_notes.get(r[9], ())),
                qa_notes=tuple((notes or {}).get(bead_id, ())),
                bead_id=bead_id,
                document_id=doc_id,
                creator=creator,
                created=_utc(created) if created else None,
                changer=changer,
                changed=_utc(changed) if changed else None,
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
    stream: TextIO | None = None,
) -> ExportReport:
    """Write the beads of the given documents (None: all) in format ``fmt`` to ``out_path``.

    ``out_path`` ``"-"`` writes to ``stream`` (standard output) instead, for the formats
    that are one text file.  ``qa`` adds QA warnings as notes (default: for formats that
    carry notes, XLIFF and JSONL).  Documents with no bead passing the filters are left
    out of the file.
    """

    form = get_format(fmt)
    if form.name == "tei":  # an edition with its apparatus (readings, names, dates, citation, notes)
        from tolmach.service.apparatus import export_tei_report

        return export_tei_report(store, document_ids, out_path, force=force, report=ExportReport(form.name, [Path(out_path)]))
    to_stream = str(out_path) == "-"
    if to_stream and not form.to_stdout:
        raise OptionError("{form} writes two files, so it cannot go to standard output; give {option} a path prefix.", "out",
                          form=form.name)
    if to_stream and stream is None:
        raise InputError("Writing to standard output needs an output stream.")
    conds = _filters(statuses, skip_empty)
    docs = _documents(store, document_ids)
    counts = _counts(store, [d[0] for d in docs], conds)
    used = [d for d in docs if counts.get(d[0])]
    named = used or docs  # an empty export still names the languages of what was asked for
    header = Header(src_lang=_single(bcp47(d[2]) for d in named), tgt_lang=_single(bcp47(d[3]) for d in named))
    paths = [Path("-")] if to_stream else form.output_paths(Path(out_path), header)
    report = ExportReport(form.name, paths, documents=[d[1] for d in used])
    total = sum(counts.get(d[0], 0) for d in used)
    with_notes = form.qa_notes if qa is None else qa

    def run(handles: list[TextIO]) -> None:
        writer = form.writer(handles, header)
        for doc in used:
            notes = _qa_notes(store, doc[0]) if with_notes else None
            for unit in iter_units(store, doc, conds, notes):
                writer.write(unit)
                report.units += 1
                if on_progress is not None:
                    on_progress(report.units, total)
        writer.close()
        report.removed_chars = writer.removed_chars

    if to_stream:
        assert stream is not None
        run([stream])
        stream.flush()
    else:
        with atomic_outputs(paths, force=force) as handles:
            run(handles)
    if not report.units:
        report.notices.append(Notice(NoticeKind.NO_UNITS))
    if report.removed_chars:
        report.notices.append(Notice(NoticeKind.REMOVED_CHARS, report.removed_chars))
    return report


# --------------------------------------------------------------------------- import

#: How a unit that disagrees with a bead is settled: ``newer`` (the default) lets the
#: more recent side win (a unit with no date never overwrites a reviewed bead),
#: ``file`` always takes the file's, ``ours`` never replaces a translation.
PREFER = ("newer", "file", "ours")


@dataclass(frozen=True)
class Change:
    document: str
    number: int  # bead number after the import (unchanged by it)
    before: str
    after: str
    matched_by: str  # "position" or "source"
    status: str = BeadStatus.IMPORTED.value  # the bead's status after the import
    author: str = ""  # the file's changeid/creationid, recorded on the revision


class ConflictReason(str, Enum):
    """Why a unit and a bead disagreed."""

    NEWER_IN_TOLMACH = "newer-in-tolmach"  # the bead changed after the unit's date
    OLDER_IN_TOLMACH = "older-in-tolmach"  # --prefer file applied a unit older than the bead
    REVIEWED_IN_TOLMACH = "reviewed-in-tolmach"  # an undated unit over a reviewed bead
    TRANSLATED_IN_TOLMACH = "translated-in-tolmach"  # --prefer ours kept an existing translation
    FILE_DISAGREES = "file-disagrees"  # two units of the file for one bead


@dataclass(frozen=True)
class Conflict:
    """A unit that disagreed with the bead or with another unit, and which side was kept."""

    document: str
    number: int
    ours: str
    theirs: str
    reason: ConflictReason
    kept: str  # "ours" or "file"


@dataclass
class MemoryFileImport:
    path: Path
    format: str
    units: int = 0
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0  # matched beads that already had that target (and status)
    unmatched: int = 0
    skipped_empty: int = 0
    conflict_list: list[Conflict] = field(default_factory=list)
    unmatched_examples: list[str] = field(default_factory=list)
    notes_added: int = 0
    inline_codes: int = 0  # inline codes stripped from the units read
    prefer: str = "newer"

    @property
    def conflicts(self) -> int:
        return len(self.conflict_list)

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "format": self.format,
            "units": self.units,
            "updated": len(self.changes),
            "unchanged": self.unchanged,
            "unmatched": self.unmatched,
            "skipped_empty": self.skipped_empty,
            "conflicts": self.conflicts,
            "notes_added": self.notes_added,
            "inline_codes_stripped": self.inline_codes,
            "prefer": self.prefer,
            "changes": [
                {"document": c.document, "bead": c.number, "before": c.before, "after": c.after,
                 "matched_by": c.matched_by, "status": c.status, "author": c.author}
                for c in self.changes
            ],
            "conflict_list": [
                {"document": c.document, "bead": c.number, "ours": c.ours, "theirs": c.theirs,
                 "reason": c.reason.value, "kept": c.kept}
                for c in self.conflict_list
            ],
            "unmatched_examples": self.unmatched_examples,
        }


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
    changed: dict[int, datetime]  # bead id -> last change
    source_langs: frozenset[str]


def _index(store: Store) -> _Index:
    docs = _documents(store, None)
    idx = _Index({}, {}, {d[1]: d[0] for d in docs}, {}, {}, frozenset(bcp47(d[2]) for d in docs))
    with store.read() as s:  # beads never revised: their own update time
        idx.changed.update({i: _utc(t) for i, t in s.execute(select(Bead.id, Bead.updated_at)) if t is not None})
    for doc in docs:
        idx.changed.update(last_changes(store, doc[0]))
        for u in iter_units(store, doc, [], details=False):
            assert u.bead_id is not None and u.number is not None  # units of stored beads have both
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


def _reviewed(unit: Unit) -> bool:
    return bool(unit.approved) or unit.status == BeadStatus.REVIEWED.value


def _settle(bead: Bead, unit: Unit, last: datetime | None, prefer: str) -> tuple[bool, ConflictReason | None]:
    """Whether the unit may replace the bead's translation, and the conflict reason if any."""
    if not bead.target.strip(_BLANK):
        return True, None
    if prefer == "file":
        older = last is not None and unit.changed is not None and unit.changed <= last.replace(microsecond=0)
        return True, ConflictReason.OLDER_IN_TOLMACH if older else None
    if prefer == "ours":
        return False, ConflictReason.TRANSLATED_IN_TOLMACH
    when = unit.changed or unit.created
    if when is not None and last is not None:
        # Files keep whole seconds: a unit dated the very second of the bead's last change
        # cannot be shown newer, so it does not overwrite it either.
        return (True, None) if when > last.replace(microsecond=0) else (False, ConflictReason.NEWER_IN_TOLMACH)
    if bead.status == BeadStatus.REVIEWED.value and not _reviewed(unit):
        return False, ConflictReason.REVIEWED_IN_TOLMACH
    return True, None


def import_units(
    store: Store,
    units: Iterable[Unit],
    origin: str,
    *,
    report: MemoryFileImport,
    dry_run: bool = False,
    prefer: str = "newer",
) -> MemoryFileImport:
    """Apply units read from a file (all read before anything is written; one transaction).

    A unit's translation lands with status ``reviewed`` when the file approves it
    (XLIFF ``approved``/``signed-off``/``final``, a Tolmach ``reviewed`` status), else
    ``imported``; its author (``changeid``, else ``creationid``) and date are recorded on
    the revision.  Its notes become imported notes on the bead (once).  See
    :data:`PREFER` for a unit that disagrees with the bead.
    """
    from tolmach.model import NoteKind
    from tolmach.service.notes import add_note_in, notes_in

    if prefer not in PREFER:
        raise OptionError("Unknown {option} {value!r}; choose one of {choices}.", "prefer", value=prefer,
                          choices=", ".join(PREFER))
    report.prefer = prefer
    idx = _index(store)
    plan: dict[int, tuple[Unit, str]] = {}  # bead id -> (unit, matched_by)
    for unit in units:
        report.units += 1
        report.inline_codes += unit.inline_codes
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
            if earlier is not None and earlier[0].target != unit.target:
                doc_name, number = idx.names[bead_id]
                keep_earlier = earlier[1] == "position" and how == "source"
                report.conflict_list.append(
                    Conflict(doc_name, number, earlier[0].target, unit.target, ConflictReason.FILE_DISAGREES, "file")
                )
                if keep_earlier:
                    continue
            plan[bead_id] = (unit, how)
    with store.read() if dry_run else store.transaction() as s:
        default_author = s.info.get("author", "")
        exported: dict[int, dict[int, list[str]]] = {}  # document id -> note lines its export writes
        for bead_id, (unit, how) in plan.items():
            bead = s.get(Bead, bead_id)
            if bead is None:
                continue
            doc_name, number = idx.names[bead_id]
            status = BeadStatus.REVIEWED.value if _reviewed(unit) else BeadStatus.IMPORTED.value
            if not dry_run and unit.notes:
                from tolmach.service.apparatus import note_line

                # what Tolmach's own export wrote for this bead is not news: notes in their
                # export form, and the citation line of a reference
                mine = notes_in(s, bead)
                have = {n.text for n in mine} | {note_line(n.kind.value, n.anchor, n.text) for n in mine}
                if bead.document_id not in exported:  # read once per document, not per unit
                    exported[bead.document_id] = _bead_notes(store, bead.document_id)
                have |= {line for pos, lines in exported[bead.document_id].items()
                         if bead.src_start <= pos < bead.src_end for line in lines}
                for text in dict.fromkeys(n.strip() for n in unit.notes):
                    if text and text not in have:
                        add_note_in(s, bead, text, kind=NoteKind.IMPORTED)
                        report.notes_added += 1
            if bead.target == unit.target:
                if status == BeadStatus.REVIEWED.value and bead.status != status:
                    report.changes.append(Change(doc_name, number, bead.target, unit.target, how, status, unit.changer or unit.creator))
                    if not dry_run:
                        _write(s, bead, unit, status, origin, "status", default_author)
                else:
                    report.unchanged += 1
                continue
            ok, reason = _settle(bead, unit, idx.changed.get(bead_id), prefer)
            if reason:
                report.conflict_list.append(Conflict(doc_name, number, bead.target, unit.target, reason, "file" if ok else "ours"))
            if not ok:
                continue
            report.changes.append(Change(doc_name, number, bead.target, unit.target, how, status, unit.changer or unit.creator))
            if not dry_run:
                _write(s, bead, unit, status, origin, "import", default_author)
    return report


def _write(s: Session, bead: Bead, unit: Unit, status: str, origin: str, action: str, default_author: str) -> None:
    """Journal the unit's translation on the bead under the file's author and date."""
    from tolmach.service.beads import write_target

    s.info["author"] = unit.changer or unit.creator or default_author
    try:
        write_target(s, bead, unit.target, status=status, origin=origin, action=action, when=unit.changed or unit.created)
    finally:
        s.info["author"] = default_author


def import_tm(
    store: Store,
    path: Path | str,
    *,
    target_path: Path | str | None = None,
    dry_run: bool = False,
    prefer: str = "newer",
    fmt: str | None = None,
    name: str | None = None,
) -> MemoryFileImport:
    """Update bead targets from a TMX, XLIFF (1.2 or 2.0), TSV or JSONL file (see the module doc).

    With ``target_path``, ``path`` and ``target_path`` are a Moses pair (source file,
    target file), matched by source text only.  ``fmt`` overrides the format told by the
    extension or content; ``name`` is what the report and the beads' origin call the file
    (``-`` for standard input spooled to a temporary file).
    """
    path = check_input(path, hint="give a memory or parallel-text file")
    label = Path(name) if name else path
    if target_path is not None:
        tgt = check_input(target_path, hint="give the target file of the pair")
        report = MemoryFileImport(label, "moses")
        return import_units(store, moses.read_moses(path, tgt), display_name(tgt.name), report=report, dry_run=dry_run, prefer=prefer)
    form = get_format(fmt) if fmt else format_of_file(path)
    if form.reader is None:
        raise InputError(f"{form.name} cannot be imported from one file; give the source and target files.")
    report = MemoryFileImport(label, form.name)
    idx_langs = frozenset(bcp47(d[2]) for d in _documents(store, None))
    units = list(form.reader(path, idx_langs))  # read everything first: a bad file changes nothing
    origin = "stdin" if str(label) == "-" else display_name(label.name)
    return import_units(store, units, origin, report=report, dry_run=dry_run, prefer=prefer)


__all__ = ["FORMATS", "PREFER", "Change", "Conflict", "ConflictReason", "ExportReport", "MemoryFileImport", "export", "import_tm", "import_units", "iter_units"]
