"""``tolmach db``: check a database, recover a damaged one, list and restore backups."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tolmach.cli.base import AppContext, cli, pass_app


@cli.group("db")
def db_group() -> None:
    """The database file itself: check, recover, backups, restore."""


@db_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
@pass_app
def check_cmd(app: AppContext, as_json: bool) -> None:
    """Check the database: SQLite's integrity and foreign keys, beads tiling the segments,
    linear revision chains.  Exit status 1 when anything is wrong."""
    from tolmach.store.health import check

    report = check(app.db_path)
    if as_json:
        click.echo(json.dumps({"path": str(report.path), "ok": report.ok, "sqlite": report.sqlite,
                               "foreign_keys": report.foreign_keys, "tiling": report.tiling,
                               "chains": report.chains, "counts": report.counts}, ensure_ascii=False))
    else:
        counts = ", ".join(f"{n} {t}" for t, n in report.counts.items())
        click.echo(f"{report.path}: {'ok' if report.ok else 'PROBLEMS FOUND'}" + (f" ({counts})" if counts else ""))
        for line in report.sqlite[:20]:
            click.echo(f"  sqlite: {line}")
        if report.foreign_keys:
            click.echo(f"  {report.foreign_keys} row(s) point to a missing parent")
        for line in report.tiling:
            click.echo(f"  beads: {line}")
        if report.chains:
            click.echo(f"  {report.chains} revision(s) record a 'before' that is not the previous 'after'")
        if not report.ok:
            click.echo(f"  `tolmach db recover {report.path} NEW.db` copies what is intact into a new file.")
    if not report.ok:
        raise SystemExit(1)


@db_group.command("recover")
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("dst", type=click.Path(path_type=Path))
def recover_cmd(src: Path, dst: Path) -> None:
    """Copy every intact row of the damaged database SRC into a new database DST.

    Segments whose beads were lost get empty beads, flagged for review; SRC is not changed.
    """
    from tolmach.store.health import recover

    report = recover(src, dst, on_progress=lambda m: click.echo(f"… {m}", err=True))
    kept = ", ".join(f"{report.copied[t]} {t}" for t in ("documents", "segments", "beads", "revisions") if t in report.copied)
    lost = sum(report.lost.values())
    click.echo(f"Recovered {kept} into {dst}; {lost} unreadable row(s) left behind"
               + (f"; {report.beads_added} empty bead(s) added where beads were lost, flagged." if report.beads_added else "."))
    if report.check is not None and not report.check.ok:
        click.echo(f"{dst} still has problems; `tolmach --db {dst} db check` lists them.")


@db_group.command("backups")
@pass_app
def backups_cmd(app: AppContext) -> None:
    """List the automatic backups of the database, newest first."""
    from tolmach.store.health import backups_dir, list_backups

    found = list_backups(app.db_path)
    if not found:
        click.echo(f"No backups yet (they are made in {backups_dir(app.db_path)} before risky operations).")
    for p in found:
        click.echo(f"{p.name}  {p.stat().st_size / 2**20:.1f} MiB")


@db_group.command("restore")
@click.argument("name")
@pass_app
def restore_cmd(app: AppContext, name: str) -> None:
    """Put backup NAME (from `tolmach db backups`, or `latest`) in place of the database.

    The current database is backed up first, so a restore can itself be undone.
    """
    from tolmach.store.health import restore

    app.close()
    chosen, saved = restore(app.db_path, name)
    click.echo(f"Restored {chosen.name} into {app.db_path}" + (f"; the previous state is {saved.name}." if saved else "."))
