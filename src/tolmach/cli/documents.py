"""``tolmach import``, ``docs`` and ``show``."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tolmach import config
from tolmach.cli.base import AppContext, cli, load_database_stack, pass_app, progress_per_file
from tolmach.errors import InputError
from tolmach.fileio import input_name, is_stdin
from tolmach.model import DocumentRole

if TYPE_CHECKING:
    from tolmach.service.documents import ImportResult


#: A file with fewer characters than this is read without a progress bar (about a second's work).
PROGRESS_MIN_CHARS = 300_000


def duplicates_sentence(results: list[ImportResult]) -> str | None:
    """One sentence about the files skipped because their content was imported before."""
    dups = [r for r in results if r.duplicate_of is not None]
    if not dups:
        return None
    if len(dups) == 1:
        r = dups[0]
        return f"{input_name(r.path)} was already imported (same content as {r.duplicate_of}); nothing was added for it."
    names = ", ".join(input_name(r.path) for r in dups)
    return f"{len(dups)} files were already imported ({names}); nothing was added for them."


def report_import(result: ImportResult) -> None:
    if result.duplicate_of is not None:
        return  # reported once, as an error, when all files are done
    names = ", ".join(
        f'"{n}"' + (" (reference)" if role == DocumentRole.REFERENCE.value else "")
        for n, role in zip(result.documents, result.roles or ("",) * len(result.documents))
    )
    click.echo(f"{input_name(result.path)}: {len(result.documents)} document(s), {result.segments} segments: {names}")


@cli.command("import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--seeds", is_flag=True, help="Also import the bundled seed documents (what the workbench does on a new database)."
)
@click.option(
    "--lang",
    metavar="CODE",
    help="Source language of the files, in any spelling (ru, zh-cn, ro_RO); default: detected per segment.",
)
@click.option(
    "--target-lang",
    metavar="CODE",
    default=config.DEFAULT_TARGET_LANG,
    show_default=True,
    help="Language to translate into; a document already in it is imported as reference material.",
)
@click.option(
    "--role",
    type=click.Choice([r.value for r in DocumentRole], case_sensitive=False),
    help="translate, or reference (context material never counted as untranslated); default: from the languages.",
)
@click.option("--name", metavar="NAME", help="Name of the (first) document; default: its title, else the file name.")
@pass_app
def import_cmd(
    app: AppContext,
    files: tuple[Path, ...],
    seeds: bool,
    lang: str | None,
    target_lang: str,
    role: str | None,
    name: str | None,
) -> None:
    """Import text files (any common encoding) as documents; FILE - reads standard input.

    \b
    pdftotext -layout letter.pdf - | tolmach import - --name "Letter of 3 September"

    Standard input is read whole, under the same size limit, decoding and refusals as a
    file, and called `stdin` (the document takes --name, else its title, else `stdin`);
    an empty one is refused.

    A file may hold several documents: a line `DOCUMENT I`, `DOCUMENT II` ... starts
    each.  A document is named after its title (else the file) and is *reference*
    material when it is already in the target language. A file imported before (same bytes) is
    recognised and not duplicated; that is reported as an error (exit status 1) after the
    other files are imported.
    """
    from tolmach.service import documents as doc_service

    if seeds:
        files = (*doc_service.seed_files(), *files)
    if not files:
        raise click.UsageError("Give the text files to import, - for standard input (or --seeds for the bundled seed documents).")
    if any(map(is_stdin, files)) and sys.stdin is not None and sys.stdin.isatty():
        click.echo("Reading the text from the terminal; end it with Ctrl-D (or pipe a file in).", err=True)
    # every file is read and parsed before the database is opened: a bad file changes nothing
    with progress_per_file("Reading", min_total=PROGRESS_MIN_CHARS) as progress:
        results = doc_service.import_files(
            lambda: app.store,
            files,
            lang=lang,
            target_lang=target_lang,
            role=role,
            name=name,
            on_result=report_import,
            on_progress=progress,
        )
    duplicates = duplicates_sentence(results)
    if duplicates:
        raise InputError(duplicates)


@cli.group("docs", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.pass_context
def docs_cmd(ctx: click.Context, as_json: bool) -> None:
    """List documents with their role, language pair and progress (`docs rename`, `docs set-lang`, `docs delete`).

    Reference documents (context material in the target language) are never counted as
    untranslated: their progress column says "reference".
    """
    if ctx.invoked_subcommand is not None:
        return
    load_database_stack()
    from tolmach.service import documents as doc_service

    app = ctx.find_object(AppContext)
    assert app is not None  # made by the group's callback
    docs = doc_service.list_documents(app.store)
    if as_json:
        for d in docs:
            click.echo(
                json.dumps(
                    {
                        "id": d.id,
                        "name": d.name,
                        "role": d.role,
                        "source_lang": d.source_lang,
                        "target_lang": d.target_lang,
                        "segments": d.segments,
                        "beads": d.beads,
                        "translated": d.translated,
                        "untranslated": d.untranslated,
                        "reviewed": d.reviewed,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not docs:
        click.echo("No documents yet: `tolmach import FILE` adds some.")
        return
    width = max(_columns(d.name) for d in docs)
    pairs = [d.source_lang if d.is_reference else f"{d.source_lang}→{d.target_lang}" for d in docs]
    pw = max(5, *(len(p) for p in pairs))
    click.echo(f"{'id':>3}  {'name':<{width}}  {'pair':<{pw}}  segments  translated  reviewed")
    for d, pair in zip(docs, pairs):
        progress = f"{'reference':>10}" if d.is_reference else f"{d.translated:>5}/{d.beads:<4}"
        name = d.name + " " * (width - _columns(d.name))
        click.echo(f"{d.id:>3}  {name}  {pair:<{pw}}  {d.segments:>8}  {progress}  {d.reviewed:>8}")


def _columns(text: str) -> int:
    """Terminal columns of ``text`` (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@docs_cmd.command("rename")
@click.argument("old")
@click.argument("new")
@pass_app
def docs_rename_cmd(app: AppContext, old: str, new: str) -> None:
    """Rename document OLD (a name or an id) to NEW."""
    from tolmach.service import documents as doc_service

    before, after = doc_service.rename_document(app.store, old, new)
    click.echo(f'Renamed "{before}" to "{after}".')


@cli.command("show")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line per segment.")
@pass_app
def show_cmd(app: AppContext, doc: str, as_json: bool) -> None:
    """Show a document's segments with their targets.

    With --json, one object per line per segment:
    {"position", "kind", "lang", "source", "target", "status", "bead"}; a bead covering
    several segments gives its target on its first segment.
    """
    from tolmach.service import beads as bead_service
    from tolmach.service import documents as doc_service

    with app.store.read() as s:
        document = doc_service.find_document(s, doc)
        doc_id = document.id
    for bead in bead_service.load_beads(app.store, doc_id):
        if not bead.sources:  # 0:n bead: target with no source
            rows: list[tuple[int, str | None, str | None, str]] = [(bead.src_start, None, None, "")]
        else:
            rows = [
                (bead.src_start + i, kind, lang, text)
                for i, (kind, lang, text) in enumerate(zip(bead.source_kinds, bead.source_langs, bead.sources))
            ]
        for i, (position, kind, lang, text) in enumerate(rows):
            target = bead.target if i == 0 else ""
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "position": position,
                            "kind": kind,
                            "lang": lang,
                            "source": text,
                            "target": target,
                            "status": bead.status,
                            "bead": bead.number,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                click.echo(f"{bead.number:>4} {kind or '-':<10} {lang or '-':<4} {text}")
                if target:
                    click.echo(f"{'':>4} {'→ ' + bead.status:<15} {target}")


@docs_cmd.command("set-lang")
@click.argument("doc")
@click.argument("code")
@pass_app
def docs_set_lang(app: AppContext, doc: str, code: str) -> None:
    """Set a document's source language (CODE such as ru, zh, zh-Hans) when detection got it wrong.

    Its segments in the old language (or undetermined) take the new one; references and
    quotations detected as a third language keep theirs.  Running it again with the old
    code puts the label back.
    """
    from tolmach.service import documents as doc_service

    change = doc_service.set_document_language(app.store, doc, code)
    click.echo(
        f'"{change.document}": source language {change.old} → {change.new}; '
        f"{change.relabelled} segment(s) relabelled, {change.kept} kept their own language."
    )


@docs_cmd.command("delete")
@click.argument("doc")
@click.option("--yes", is_flag=True, help="Delete without asking (needed when not on a terminal).")
@pass_app
def docs_delete(app: AppContext, doc: str, yes: bool) -> None:
    """Delete a document with its segments, translations, notes and history (asks first).

    If it was the last document of its file, the file can then be imported again.  A
    database file is backed up first (`tolmach db backups`, `db restore latest`).
    """
    from tolmach.service import documents as doc_service

    summary = doc_service.describe_document(app.store, doc)
    what = f'"{summary.name}" ({summary.segments} segments, {summary.translated} of {summary.beads} beads translated)'
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(f"Deleting {what} cannot be undone: add --yes to confirm.")
        if not click.confirm(f"Delete {what}? This cannot be undone", default=False):
            click.echo("Nothing deleted.")
            return
    with app.backup_if_changed("docs-delete") as changed:
        gone = doc_service.delete_document(app.store, summary.id)
        changed(True)
    tail = " Its file can be imported again." if gone.file_forgotten else ""
    saved = " The database as it was is a backup: `tolmach db restore latest` brings it back." if app.is_file else ""
    click.echo(f'Deleted "{gone.name}" ({gone.segments} segments, {gone.beads} beads).{tail}{saved}')
