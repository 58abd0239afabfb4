"""``tolmach glossary import|export|list|match`` and ``tolmach qa``.

Services are imported inside the commands so ``tolmach --help`` never loads pymorphy3.
A database with no glossary entries first gets the bundled ``glossaries/*.tsv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tolmach.cli.base import AppContext, cli, pass_app


@cli.group("glossary")
def glossary_group() -> None:
    """The glossary of party and state terms: import, export, list, match."""


def _loaded(app: AppContext) -> None:
    """Import the bundled glossaries into a database that never had one."""
    from tolmach.service import glossary as service

    service.ensure_loaded(app.store)


@glossary_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Remove the glossary's entries that the file does not have.")
@click.option("--format", "fmt", type=click.Choice(["tsv", "tbx", "omegat"]), help="Override the format told by the file name.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@pass_app
def import_cmd(app: AppContext, file: Path, replace: bool, fmt: str | None, as_json: bool) -> None:
    """Import a glossary: Tolmach TSV (columns: see glossaries/README.md), TBX 2008 or v3
    (.tbx), or OmegaT's glossary (.txt/.utf8, or a .tsv without Tolmach's header).

    The whole file is checked first; any problem is reported with its line and nothing
    is imported.  Known terms are updated, new ones added; a term already stored under
    another glossary name (your own export saved as a new file) is compared with it, not
    added twice.
    """
    from tolmach.cli.base import progress_bar
    from tolmach.service import glossary as service

    with progress_bar("Indexing the terms' words", min_total=service.INDEX_BATCH) as progress:
        report = service.import_glossary_file(app.store, file, replace=replace, fmt=fmt, on_progress=progress)
    if as_json:
        click.echo(json.dumps({"path": str(file), "added": report.added, "updated": report.updated,
                               "unchanged": report.unchanged, "removed": report.removed}))
        return
    removed = f", {report.removed} removed" if replace else ""
    click.echo(f"{file}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged{removed}.")


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tsv", "tbx", "omegat"]), required=True,
              help="tsv (Tolmach's, with a header), tbx (TBX-Basic 2008 unless --tbx-version 3), omegat.")
@click.option("--tbx-version", type=click.Choice(["2008", "3"]), default="2008", show_default=True,
              help="TBX edition: 2008 (martif; what OmegaT and translate-toolkit read) or 3 (ISO 30042:2019).")
@click.option("--out", "out", type=click.Path(path_type=Path, allow_dash=True), required=True,
              help="File to write, or - for standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing (regular) file.")
@pass_app
def export_cmd(app: AppContext, fmt: str, tbx_version: str, out: Path, force: bool) -> None:
    """Export every glossary entry (written atomically).

    \b
    tsv     Tolmach's TSV, the columns of glossaries/*.tsv
    tbx     TBX-Basic: 2008 edition (martif) by default, v3 with --tbx-version 3
    omegat  OmegaT's glossary: term, translation, comment; no header row;
            save it as glossary/*.txt in an OmegaT project
    """
    from tolmach.service import glossary as service

    _loaded(app)
    name = "tbx3" if fmt == "tbx" and tbx_version == "3" else fmt
    if str(out) == "-":
        _, text = service.export_glossary(app.store, name, None)
        click.echo(text, nl=False)
        return
    n, _ = service.export_glossary(app.store, name, out, force=force)
    label = f"tbx {tbx_version}" if fmt == "tbx" else fmt
    click.echo(f"{out}: {n} entries written ({label}).")


@glossary_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry.")
@pass_app
def list_cmd(app: AppContext, as_json: bool) -> None:
    """List the glossary entries."""
    from tolmach.service import glossary as service

    _loaded(app)
    entries = service.list_entries(app.store)
    if as_json:
        for row in service.entries_as_rows(entries):
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not entries:
        click.echo("The glossary is empty: `tolmach glossary import FILE` adds entries.")
        return
    width = min(40, max(len(e.term) for e in entries))
    for e in entries:
        variants = f"  (also: {'; '.join(e.variants)})" if e.variants else ""
        click.echo(f"{e.id:>4}  {e.term:<{width}}  {e.preferred}{variants}")


@glossary_group.command("match")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@pass_app
def match_cmd(app: AppContext, text: str, as_json: bool) -> None:
    """Show the glossary terms found in TEXT (Russian, any inflection)."""
    from tolmach.service import glossary as service

    _loaded(app)
    hits = service.hits_for_text(app.store, text)
    for h in hits:
        if as_json:
            row = {
                "start": h.start,
                "end": h.end,
                "surface": h.surface,
                "entry": h.entry_id,
                "term": h.term,
                "preferred": h.preferred,
                "variants": list(h.variants),
                "note": h.note,
            }
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{h.start:>5}-{h.end:<5} {' '.join(h.surface.split())}  →  {h.preferred}  [{h.term}]")
    if not hits and not as_json:
        click.echo("No glossary terms found.")


@cli.command("qa")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per warning.")
@pass_app
def qa_cmd(app: AppContext, doc: str, as_json: bool) -> None:
    """Check a document's translation: glossary terms, numbers and dates, untranslated
    or empty targets, unbalanced quotes and brackets.  Exit status 0 either way."""
    from tolmach.model import DocumentRole
    from tolmach.service import documents as doc_service
    from tolmach.service.beads import load_beads
    from tolmach.service.qa import check_document

    _loaded(app)
    with app.store.read() as s:
        document = doc_service.find_document(s, doc)
        doc_id, name, role = document.id, document.name, document.role
    if role == DocumentRole.REFERENCE.value:
        click.echo(f'"{name}" is reference material, read beside the translations, not translated: there is nothing to check.')
        return
    numbers = {b.id: b.number for b in load_beads(app.store, doc_id)}
    results = check_document(app.store, doc_id)
    total = 0
    for bead_id, warnings in results.items():
        for w in warnings:
            total += 1
            if as_json:
                click.echo(json.dumps(dict(w.to_json(), bead=numbers[bead_id], bead_id=bead_id), ensure_ascii=False))
            else:
                click.echo(f"bead {numbers[bead_id]:>4}  {w.code:<22} {w.message}")
    if not as_json:
        flagged = sum(1 for w in results.values() if w)
        click.echo(f"{name}: {total} warning(s) in {flagged} of {len(results)} beads.")
