"""``tolmach export`` and ``tolmach import-tm``: parallel text out and back in."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tolmach import wording

from tolmach.cli.base import AppContext, LazyChoice, cli, pass_app, progress_bar
from tolmach.errors import InputError
from tolmach.model import BeadStatus

if TYPE_CHECKING:
    from tolmach.interchange.document import DocumentFormat
    from tolmach.interchange.formats import Format

#: How conflict reasons read in the report.
_REASONS = {
    "newer-in-tolmach": "changed in Tolmach after the file's date",
    "older-in-tolmach": "the file's unit is older than Tolmach's",
    "reviewed-in-tolmach": "reviewed in Tolmach, and the file's unit has no date",
    "translated-in-tolmach": "already translated in Tolmach (--prefer ours)",
    "file-disagrees": "the file has two translations for it",
}


def _formats() -> dict[str, Format]:
    from tolmach.interchange.formats import FORMATS  # the writers and readers load when a command needs them

    return FORMATS


def _document_formats() -> dict[str, DocumentFormat]:
    from tolmach.interchange.document import DOCUMENT_FORMATS

    return DOCUMENT_FORMATS


def _emit_json(obj: object) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@cli.command("export")
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option("--all", "all_docs", is_flag=True, help="Export every document.")
@click.option("--format", "fmt", required=True, type=LazyChoice(lambda: [*_formats(), *_document_formats()], case_sensitive=False),
              help="tmx, xliff (1.2), xliff2 (2.0), tsv, moses, jsonl or tei; or the translated document: text, markdown, html, docx.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, allow_dash=True), metavar="PATH",
              help="Output file, or - for standard output; for moses the common prefix of the two files.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in BeadStatus]),
              help="Only beads with this status (repeatable).")
@click.option("--include-empty", is_flag=True, help="Also export beads without a translation (source only).")
@click.option("--force", is_flag=True, help="Overwrite existing output files (regular files only).")
@click.option("--no-qa", is_flag=True, help="Leave QA warnings out of XLIFF/JSONL notes (faster).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object (on stderr with --out -).")
@click.option("--bilingual", is_flag=True, help="html/docx: reading edition, source and target side by side.")
@click.option("--complete", is_flag=True, help="text/markdown/html/docx: refuse if any bead is untranslated.")
@pass_app
def export_cmd(
    app: AppContext,
    docs: tuple[str, ...],
    all_docs: bool,
    fmt: str,
    out: Path,
    statuses: tuple[str, ...],
    include_empty: bool,
    force: bool,
    no_qa: bool,
    as_json: bool,
    bilingual: bool = False,
    complete: bool = False,
) -> None:
    """Export documents as parallel text, one unit per bead.

    DOC is a document name or id (several may be given), or use --all.  Beads without a
    translation are skipped unless --include-empty (they are then written with their
    source only: never as an empty target).  An existing file is only replaced with
    --force, and only if it is a regular file; output is written to a temporary file and
    renamed into place.  --out - writes to standard output (all formats but moses).

    \b
    Formats:
      tmx     TMX 1.4b; per unit creationid/creationdate and changeid/changedate
              (who translated and last changed the bead, when), notes, and
              props x-document, x-bead, x-status, x-origin ...
      xliff   XLIFF 1.2, one <file> per document; reviewed beads approved="yes",
              the others a state from their status; notes and QA warnings
      xliff2  XLIFF 2.0, segment state initial/translated/final
      tsv     RFC 4180 with tabs (what csv, pandas and spreadsheets read):
              header, fields with tabs, line breaks or quotes in "quotes"
      jsonl   one JSON object per bead with all metadata
      moses   two line-aligned files PATH.<src> and PATH.<tgt>, e.g.
              --out corpus/doc1 writes corpus/doc1.ru and corpus/doc1.en;
              a line break or tab inside a segment becomes a space
      tei     TEI P5 parallel edition of one document: source and translation
              as two texts, sentences linked per bead, readings, names, dates,
              notes and the archival citation (docs/edition.md)

    \b
    The translated document (one DOC), in the source's structure:
      text, markdown, html (one self-contained file), docx; --bilingual
      (html, docx) puts source and target side by side per paragraph
    """
    from tolmach.service import documents as doc_service
    from tolmach.service.interchange import export

    if fmt.lower() in _document_formats():
        from tolmach.cli.memory import export_document_cmd

        return export_document_cmd(app, docs, all_docs, fmt.lower(), out, bilingual, complete, force)
    if all_docs and docs:
        raise InputError("Give document names or --all, not both.")
    if not all_docs and not docs:
        raise InputError("Name the document(s) to export, or use --all.")
    ids: list[int] | None = None
    if not all_docs:
        with app.store.read() as s:
            ids = [doc_service.find_document(s, d).id for d in docs]
    to_stdout = str(out) == "-"
    stream = sys.stdout if to_stdout else None
    with progress_bar("Exporting", min_total=5000) as progress:
        report = export(
            app.store, ids, fmt.lower(), out,
            statuses=set(statuses) or None, skip_empty=not include_empty, force=force,
            qa=False if no_qa else None, on_progress=progress, stream=stream,
        )
    warnings = wording.notices(report.notices)
    for warning in warnings:
        click.echo(f"tolmach: warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps({
            "format": report.format, "paths": [str(p) for p in report.paths], "units": report.units,
            "documents": report.documents, "removed_chars": report.removed_chars, "warnings": warnings,
        }, ensure_ascii=False), err=to_stdout)
        return
    if to_stdout:
        return
    files = " and ".join(str(p) for p in report.paths)
    click.echo(f"Wrote {report.units} unit(s) from {len(report.documents)} document(s) to {files}.")


@cli.command("import-tm")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.argument("target_file", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=LazyChoice(lambda: [n for n, f in _formats().items() if f.reader], case_sensitive=False),
              help="The file's format, when neither its name nor its first bytes tell.")
@click.option("--prefer", type=click.Choice(["newer", "file", "ours"]), default="newer", show_default=True,
              help="When a unit disagrees with a translated bead: the more recent wins, the file's, or Tolmach's.")
@click.option("--dry-run", is_flag=True, help="Report what would change without changing anything.")
@click.option("--verbose", "-v", is_flag=True, help="List every changed bead and every conflict.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_app
def import_tm_cmd(
    app: AppContext, file: Path, target_file: Path | None, fmt: str | None, prefer: str,
    dry_run: bool, verbose: bool, as_json: bool,
) -> None:
    """Update bead targets from a translation memory (TMX, XLIFF 1.2/2.0, TSV or JSONL).

    FILE - reads standard input.  With two files, FILE and TARGET_FILE are a Moses pair
    (source lines, target lines), matched by source text.

    \b
    A unit updates the bead with its document and bead number when the source text
    matches, otherwise every bead with the same source text (in the named document if
    it has one).  Empty targets are ignored; changes are journalled (undoable) under the
    file's author (TMX changeid) and date, written in one transaction; importing the
    same file twice changes nothing.  Approved units (XLIFF approved/signed-off/final,
    Tolmach's reviewed) land as reviewed, the others as imported; the file's notes
    become imported notes.  A unit older than the bead's last change, or an undated
    one over a reviewed bead, is not applied but reported as a conflict (--prefer).
    Inline codes (TMX <bpt>/<ph>, XLIFF <g>/<x/>) are stripped and counted.
    """
    import shutil
    import tempfile

    from tolmach.service.interchange import import_tm

    with app.backup_if_changed("import-tm") as changed:
        if str(file) == "-":
            if target_file is not None:
                raise InputError("A Moses pair is read from two files, not from standard input.")
            with tempfile.NamedTemporaryFile(prefix="tolmach-stdin-", delete=False) as tmp:
                shutil.copyfileobj(sys.stdin.buffer, tmp)
            try:
                report = import_tm(app.store, tmp.name, dry_run=dry_run, prefer=prefer, fmt=fmt, name="-")
            finally:
                Path(tmp.name).unlink(missing_ok=True)
        else:
            report = import_tm(app.store, file, target_path=target_file, dry_run=dry_run, prefer=prefer, fmt=fmt)
        changed(bool(report.changes) and not dry_run)
    if as_json:
        _emit_json(dict(report.to_json(), dry_run=dry_run))
        return
    if verbose or dry_run:
        for c in report.changes:
            who = f" by {c.author}" if c.author else ""
            click.echo(f"{c.document} #{c.number} ({c.matched_by}{who}, {c.status}): {c.before!r} -> {c.after!r}")
    if verbose or dry_run:
        for k in report.conflict_list:
            why = _REASONS.get(k.reason.value, k.reason.value)
            kept = "Tolmach's kept" if k.kept == "ours" else "the file's taken"
            click.echo(f"conflict: {k.document} #{k.number} ({why}; {kept}): Tolmach {k.ours!r}, file {k.theirs!r}")
    verb = "would update" if dry_run else "updated"
    extra = ""
    if report.conflicts:
        extra += f", {report.conflicts} conflict(s) (see --verbose)"
    if report.notes_added:
        extra += f", {report.notes_added} note(s) added"
    if report.inline_codes:
        extra += f", {report.inline_codes} inline code(s) stripped"
    click.echo(
        f"{report.path}: {report.units} unit(s) read; {verb} {len(report.changes)} bead(s), "
        f"{report.unchanged} already up to date, {report.unmatched} unmatched, "
        f"{report.skipped_empty} with empty target skipped{extra}."
    )
    for example in report.unmatched_examples:
        click.echo(f"  unmatched: {example}", err=True)


@cli.command("review")
@click.argument("doc")
@click.argument("beads", nargs=-1, metavar="[BEAD]...")
@click.option("--all", "all_beads", is_flag=True, help="Every translated bead of the document.")
@click.option("--unreview", is_flag=True, help="Take the review back: reviewed beads become edited.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@pass_app
def review_cmd(app: AppContext, doc: str, beads: tuple[str, ...], all_beads: bool, unreview: bool, as_json: bool) -> None:
    """Mark beads of DOC as reviewed (or, with --unreview, no longer reviewed).

    BEAD is a bead number as shown in the workbench (1, 2 ...) or a range (3-7).  A bead
    without a translation cannot be reviewed and is reported.  One transaction; each
    change is journalled under --user and undoable.
    """
    from tolmach.service import documents as doc_service
    from tolmach.service.review import review

    if all_beads and beads:
        raise InputError("Give bead numbers or --all, not both.")
    if not all_beads and not beads:
        raise InputError("Name the bead(s) to review (e.g. 3 or 3-7), or use --all.")
    numbers: list[int] | None = None
    if not all_beads:
        numbers = []
        for raw in beads:
            a, _, b = raw.partition("-")
            if not a.isdigit() or (b and not b.isdigit()):
                raise InputError(f"{raw!r} is not a bead number or range (e.g. 3 or 3-7).")
            lo, hi = int(a), int(b or a)
            if lo < 1 or hi < lo:
                raise InputError(f"{raw!r} is not a valid bead range.")
            numbers.extend(range(lo, hi + 1))
    with app.store.read() as s:
        document = doc_service.find_document(s, doc)
        doc_id, name = document.id, document.name
    report = review(app.store, doc_id, numbers, unreview=unreview)
    if report.missing:  # nothing was written: say so before any summary, in either form
        raise InputError(f"{name} has no bead {report.missing[0]} (it has {report.total}); nothing was changed.")
    if as_json:
        _emit_json({"document": name, "changed": report.changed, "unchanged": report.unchanged,
                    "untranslated": report.untranslated, "missing": report.missing})
        return
    verb = "unreviewed" if unreview else "reviewed"
    click.echo(f"{name}: {len(report.changed)} bead(s) {verb}, {len(report.unchanged)} already so"
               + (f", {len(report.untranslated)} without translation skipped" if report.untranslated else "") + ".")


@cli.command("omegat-project")
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option("--all", "all_docs", is_flag=True, help="Every document (they must share one language pair).")
@click.option("--dir", "folder", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="The project folder to create (empty or new).")
@click.option("--force", is_flag=True, help="Refresh Tolmach's files in an existing project folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@pass_app
def omegat_project_cmd(app: AppContext, docs: tuple[str, ...], all_docs: bool, folder: Path, force: bool, as_json: bool) -> None:
    """Make an OmegaT project from documents: open DIR in OmegaT and translate.

    \b
    DIR/omegat.project         sentence segmentation off: one segment per bead
    DIR/source/<doc>.txt       each bead's source as its own paragraph
    DIR/tm/auto/tolmach.tmx    the translated beads, inserted by OmegaT on opening
    DIR/glossary/glossary.txt  the glossary (OmegaT's tab-separated format)

    Bring the work back with `tolmach import-tm DIR/omegat/project_save.tmx`.
    """
    from tolmach.service import documents as doc_service
    from tolmach.service.omegat import make_project

    if all_docs and docs:
        raise InputError("Give document names or --all, not both.")
    if not all_docs and not docs:
        raise InputError("Name the document(s) for the project, or use --all.")
    ids: list[int] | None = None
    if not all_docs:
        with app.store.read() as s:
            ids = [doc_service.find_document(s, d).id for d in docs]
    report = make_project(app.store, ids, folder, force=force)
    if as_json:
        _emit_json({"folder": str(report.folder), "documents": report.documents, "segments": report.segments,
                    "tm_units": report.tm_units, "glossary_entries": report.glossary_entries,
                    "files": [str(f) for f in report.files]})
        return
    click.echo(
        f"{folder}: OmegaT project with {len(report.documents)} document(s), {report.segments} segment(s), "
        f"{report.tm_units} translation(s) in tm/auto, {report.glossary_entries} glossary entries."
    )
