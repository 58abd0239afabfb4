"""``tolmach translate`` and ``tolmach model install|list|remove``.

Model libraries (ctranslate2, sentencepiece) are imported inside the commands, so
``tolmach --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from tolmach import wording
from tolmach.cli.base import AppContext, cli, pass_app, progress_bar


@cli.command("translate")
@click.argument("doc")
@click.option("--overwrite", is_flag=True, help="Also replace existing machine drafts.")
@click.option("--force", is_flag=True, help="Also replace human and imported translations (kept in the history).")
@click.option("--batch", "batch_size", type=click.IntRange(1, 4096), default=32, show_default=True,
              help="Beads saved per batch (the model's own batches are independent of it).")
@click.option("--mode", type=click.Choice(["identical", "fast"]), default="identical", show_default=True,
              help="identical: drafts exactly as argostranslate gives them; fast: padded batches, "
                   "slightly different drafts (measured in docs/mt.md).")
@click.option("--from-tm", is_flag=True, help="Fill empty beads from the translation memory instead of MT (status tm).")
@click.option("--min", "tm_min", type=click.IntRange(1, 100), default=100, show_default=True,
              help="With --from-tm: lowest match score used (100: exact matches only).")
@click.option("--then-mt", is_flag=True, help="With --from-tm: machine drafts for the beads still empty.")
@pass_app
def translate_cmd(app: AppContext, doc: str, overwrite: bool, force: bool, batch_size: int, mode: str,
                  from_tm: bool, tm_min: int, then_mt: bool) -> None:
    """Fill a document's empty beads with machine drafts (offline, Argos model).

    Segments not in the document's source language (archival references ...) are skipped;
    a pair without a package of its own goes through a pivot language when two installed
    packages chain (ro→en→ru).  The document's first beads are saved first, then every
    --batch beads as they finish: Ctrl-C loses nothing finished, and running the command
    again continues where it stopped.  Threads: one per core, or $TOLMACH_MT_INTER_THREADS.

    With --from-tm, empty beads are filled from the best translation-memory match of at
    least --min percent instead (origin names the match; changed numbers flag the bead);
    add --then-mt for machine drafts of the rest.
    """
    if force:
        app.backup("translate-force")
    from tolmach.service import documents as doc_service
    from tolmach.service.translation import translate_document, warm_translator

    with app.store.read() as s:
        doc_id = doc_service.find_document(s, doc).id
    if from_tm:
        from tolmach.cli.memory import fill_from_tm_cmd

        fill_from_tm_cmd(app, doc_id, tm_min)
        if not then_mt:
            return
    warm = None
    try:
        warm = warm_translator(app.store, doc_id)  # the model loads while the beads are planned
    except Exception:  # noqa: BLE001 - translate_document reports the same problem in its own words
        warm = None
    with progress_bar("Translating") as progress:
        report = translate_document(
            app.store, doc_id, overwrite=overwrite, force=force, on_progress=progress,
            batch_size=batch_size, translator=warm, mode=mode,
        )
    click.echo(wording.translation_summary(report, wording.CLI))


@cli.group("model")
def model_group() -> None:
    """Install, list and remove Argos translation packages (.argosmodel files).

    Packages live in Tolmach's own folder ($TOLMACH_MODELS_DIR, else
    $TOLMACH_DATA_DIR/packages, else ~/.local/share/tolmach/packages), not in Argos' one.
    """


@model_group.command("install")
@click.argument("file", type=click.Path(path_type=Path))
def model_install(file: Path) -> None:
    """Install an Argos package from a .argosmodel file (no network needed)."""
    from tolmach.mt.packages import install

    pkg = install(file)
    click.echo(f"Installed {pkg.name} ({pkg.from_code}→{pkg.to_code}, version {pkg.package_version}) in {pkg.path.parent}.")


@model_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package (with --pairs: per reachable pair).")
@click.option("--pairs", is_flag=True, help="Only the reachable language pairs, direct or through a pivot.")
def model_list(as_json: bool, pairs: bool) -> None:
    """List installed packages and the language pairs they reach (directly or via a pivot)."""
    import json

    from tolmach import config
    from tolmach.mt.packages import installed, reachable

    packages = installed()
    routes = reachable()
    if as_json and pairs:
        for r in routes:
            click.echo(json.dumps({"pair": f"{r.source}→{r.target}", "from": r.source, "to": r.target,
                                   "pivot": r.pivot, "packages": [p.name for p in r.packages],
                                   "origin": r.origin}, ensure_ascii=False))
        return
    if as_json:
        for p in packages:
            click.echo(json.dumps({"name": p.name, "from": p.from_code, "to": p.to_code,
                                   "version": p.package_version, "origin": p.origin, "path": str(p.path)}))
        return
    if not packages:
        click.echo(f"No models installed in {config.models_dir()}: `tolmach model install FILE.argosmodel` adds one.")
        return
    if not pairs:
        width = max(len(p.name) for p in packages)
        for p in packages:
            click.echo(f"{p.name:<{width}}  {p.from_code}→{p.to_code}  version {p.package_version or '?'}")
        click.echo("")
    click.echo("Reachable pairs:")
    for r in routes:
        click.echo(f"  {r.source}→{r.target}  {r.how}")


@model_group.command("remove")
@click.argument("name")
def model_remove(name: str) -> None:
    """Remove an installed package by name (translate-ru_en-1_9) or pair (ru_en)."""
    from tolmach.mt.packages import remove

    pkg = remove(name)
    click.echo(f"Removed {pkg.name}.")
