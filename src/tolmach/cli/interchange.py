"""``tolmach export`` and ``tolmach import-tm``: parallel text out and back in."""

from __future__ import annotations

from pathlib import Path

import click

from tolmach.cli.base import AppContext, cli, pass_app, progress_bar
from tolmach.errors import InputError
from tolmach.interchange.document import DOCUMENT_FORMATS
from tolmach.interchange.formats import FORMATS
from tolmach.store import BeadStatus


@cli.command("export")
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option("--all", "all_docs", is_flag=True, help="Export every document.")
@click.option("--format", "fmt", required=True, type=click.Choice([*FORMATS, *DOCUMENT_FORMATS], case_sensitive=False),
              help="tmx, xliff (1.2), tsv, moses or jsonl; or the translated document: text, markdown, html, docx.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), metavar="PATH",
              help="Output file; for moses the common prefix of the two files (see Formats).")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in BeadStatus]),
              help="Only beads with this status (repeatable).")
@click.option("--include-empty", is_flag=True, help="Also export beads without a translation.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--no-qa", is_flag=True, help="Leave QA warnings out of XLIFF/JSONL notes (faster).")
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
    bilingual: bool = False,
    complete: bool = False,
) -> None:
    """Export documents as parallel text, one unit per bead.

    DOC is a document name or id (several may be given), or use --all.  Beads without a
    translation are skipped unless --include-empty.  An existing file is only replaced
    with --force; output is written to a temporary file and renamed into place.

    \b
    Formats:
      tmx    TMX 1.4b, props x-document, x-bead, x-status, x-origin ...
      xliff  XLIFF 1.2, one <file> per document, state from the bead status,
             QA warnings as notes
      tsv    header + one line per bead; \\t \\n \\r \\\\ escaped
      jsonl  one JSON object per bead with all metadata
      moses  two line-aligned files PATH.<src> and PATH.<tgt>, e.g.
             --out corpus/doc1 writes corpus/doc1.ru and corpus/doc1.en;
             a line break inside a segment becomes a space

    \b
    The translated document (one DOC), in the source's structure:
      text, markdown, html (one self-contained file), docx; --bilingual
      (html, docx) puts source and target side by side per paragraph
    """
    from tolmach.service import documents as doc_service
    from tolmach.service.interchange import export

    if fmt.lower() in DOCUMENT_FORMATS:
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
    with progress_bar("Exporting", min_total=5000) as progress:
        report = export(
            app.store, ids, fmt.lower(), out,
            statuses=set(statuses) or None, skip_empty=not include_empty, force=force,
            qa=False if no_qa else None, on_progress=progress,
        )
    for warning in report.warnings:
        click.echo(f"tolmach: warning: {warning}", err=True)
    files = " and ".join(str(p) for p in report.paths)
    click.echo(f"Wrote {report.units} unit(s) from {len(report.documents)} document(s) to {files}.")


@cli.command("import-tm")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("target_file", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change without changing anything.")
@click.option("--verbose", "-v", is_flag=True, help="List every changed bead.")
@pass_app
def import_tm_cmd(app: AppContext, file: Path, target_file: Path | None, dry_run: bool, verbose: bool) -> None:
    """Update bead targets from a translation memory (TMX, XLIFF 1.2, TSV or JSONL).

    With two files, FILE and TARGET_FILE are a Moses pair (source lines, target lines),
    matched by source text.

    A unit updates the bead with its document and bead number when the source text
    matches, otherwise every bead with the same source text (in the named document if
    it has one).  Empty targets are ignored; changes are journalled (undoable) and
    written in one transaction; importing the same file twice changes nothing.
    """
    from tolmach.service.interchange import import_tm

    report = import_tm(app.store, file, target_path=target_file, dry_run=dry_run)
    if verbose or dry_run:
        for c in report.changes:
            click.echo(f"{c.document} #{c.number} ({c.matched_by}): {c.before!r} -> {c.after!r}")
    verb = "would update" if dry_run else "updated"
    click.echo(
        f"{file}: {report.units} unit(s) read; {verb} {len(report.changes)} bead(s), "
        f"{report.unchanged} already up to date, {report.unmatched} unmatched, "
        f"{report.skipped_empty} with empty target skipped"
        + (f", {report.conflicts} conflicting" if report.conflicts else "")
        + "."
    )
    for example in report.unmatched_examples:
        click.echo(f"  unmatched: {example}", err=True)
