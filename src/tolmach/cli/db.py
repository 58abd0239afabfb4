"""``tolmach db upgrade|copy|check|recover|backups|restore|roles|grant`` and ``tolmach history``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tolmach.cli.base import AppContext, cli, pass_app


@cli.group("db")
def db_group() -> None:
    """The database itself: schema upgrades, copies, checks, team roles.

    --db (or $TOLMACH_DB) is a SQLite file or a PostgreSQL URL such as
    postgresql+psycopg://ana@archive-server/romania1968 (docs/team.md).
    """


@db_group.command("upgrade")
@pass_app
def upgrade_cmd(app: AppContext) -> None:
    """Migrate the database to this Tolmach's schema (back it up first).

    A SQLite file is also upgraded when it is opened; a PostgreSQL database only by this
    command, run once by its owner.
    """
    from tolmach.store import upgrade_database

    report = upgrade_database(app.db_path)
    if report.changed:
        click.echo(f"Upgraded {report.database} from {report.before} to {report.after}.")
    else:
        click.echo(f"{report.database} is already at {report.after}; nothing to do.")


@db_group.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
def copy_cmd(source: str, destination: str) -> None:
    """Copy a whole project from SRC to the empty database DST, verified.

    SRC and DST are file paths (SQLite) or URLs (postgresql+psycopg://user@host/db); e.g.
    move a translator's tolmach.db into the team's PostgreSQL database.  Row counts and a
    checksum of every table are compared before the copy commits; any difference leaves
    DST without the copied rows.
    """
    from tolmach.store.copy import copy_database

    report = copy_database(source, destination)
    for t in report.tables:
        click.echo(f"{t.table:<20} {t.rows:>9} rows  sha256 {t.checksum[:16]}")
    click.echo(f"Copied {report.rows} rows from {report.source} to {report.destination}; counts and checksums match.")


@db_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
@pass_app
def check_cmd(app: AppContext, as_json: bool) -> None:
    """Check the database: its engine's own integrity check and foreign keys, beads tiling
    the segments, linear revision chains.  Exit status 1 when anything is wrong.

    A SQLite file is checked as a file (it need not open: a damaged one is reported, not
    refused); a PostgreSQL database through its connection.
    """
    from tolmach.store.health import check

    if not isinstance(app.db_path, Path):
        problems = app.store.integrity_problems()
        for p in problems:
            click.echo(p)
        if problems:
            raise click.ClickException(f"{app.store.label}: {len(problems)} problem(s) found.")
        click.echo(f"{app.store.label}: no problems found.")
        return
    report = check(app.db_path)
    if as_json:
        click.echo(json.dumps({"path": str(report.path), "ok": report.ok, "sqlite": report.sqlite,
                               "foreign_keys": report.foreign_keys, "tiling": report.tiling,
                               "chains": report.chains, "counts": report.counts}, ensure_ascii=False))
    else:
        counts = ", ".join(f"{n} {t}" for t, n in report.counts.items())
        click.echo(f"{report.path}: {'no problems found' if report.ok else 'PROBLEMS FOUND'}" + (f" ({counts})" if counts else ""))
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


def _sqlite_only(app: AppContext, what: str) -> None:
    if not isinstance(app.db_path, Path):
        raise click.ClickException(f"Tolmach keeps {what} of SQLite files; back up a PostgreSQL database with pg_dump (docs/team.md).")


@db_group.command("backups")
@pass_app
def backups_cmd(app: AppContext) -> None:
    """List the automatic backups of the database, newest first."""
    _sqlite_only(app, "backups")
    from tolmach.store.health import backups_dir, list_backups

    found = list_backups(app.db_path)
    if not found:
        click.echo(f"No backups yet (they are made in {backups_dir(Path(app.db_path))} before risky operations).")
    for p in found:
        click.echo(f"{p.name}  {p.stat().st_size / 2**20:.1f} MiB")


@db_group.command("restore")
@click.argument("name")
@pass_app
def restore_cmd(app: AppContext, name: str) -> None:
    """Put backup NAME (from `tolmach db backups`, or `latest`) in place of the database.

    The current database is backed up first, so a restore can itself be undone.
    """
    _sqlite_only(app, "backups")
    from tolmach.store.health import restore

    app.close()
    chosen, saved = restore(app.db_path, name)
    click.echo(f"Restored {chosen.name} into {app.db_path}" + (f"; the previous state is {saved.name}." if saved else "."))


@db_group.group("roles")
def roles_group() -> None:
    """Team roles on a PostgreSQL database (translator, reviewer): PostgreSQL grants."""


@roles_group.command("enable")
@pass_app
def roles_enable(app: AppContext) -> None:
    """Switch roles on (run by the database's owner; harmless to repeat)."""
    from tolmach.service.memory import ensure_index
    from tolmach.store.roles import REVIEWER, TRANSLATOR, enable_roles

    report = enable_roles(app.store)
    ensure_index(app.store)  # the memory's search indexes: only the owner may build them
    made = f" (created {', '.join(report.created)})" if report.created else ""
    click.echo(
        f"Roles are on for {report.database}{made}: members of {TRANSLATOR} may edit, of {REVIEWER} also review. "
        "Give people a role with `tolmach db grant LOGIN translator|reviewer`."
    )


@roles_group.command("disable")
@pass_app
def roles_disable(app: AppContext) -> None:
    """Switch the reviewer rule off (grants stay until revoked with REVOKE)."""
    from tolmach.store.roles import disable_roles

    disable_roles(app.store)
    click.echo(f"Anyone who may write {app.store.label} may now also mark beads reviewed.")


@roles_group.command("list")
@pass_app
def roles_list(app: AppContext) -> None:
    """Database logins with a Tolmach role."""
    from tolmach.store.roles import members

    rows = members(app.store)
    for login, role in rows:
        click.echo(f"{login}\t{role}")
    if not rows:
        click.echo("Nobody has a Tolmach role yet (`tolmach db grant LOGIN translator|reviewer`).")


@db_group.command("grant")
@click.argument("login")
@click.argument("role", type=click.Choice(["translator", "reviewer"]))
@pass_app
def grant_cmd(app: AppContext, login: str, role: str) -> None:
    """Make the database login LOGIN a translator or a reviewer."""
    from tolmach.store.roles import grant

    grant(app.store, login, role)
    click.echo(f"{login} is now a {role} on {app.store.label}.")


@cli.command("history")
@click.argument("document", metavar="DOC")
@click.argument("number", metavar="BEAD", type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per change.")
@pass_app
def history_cmd(app: AppContext, document: str, number: int, as_json: bool) -> None:
    """Who changed bead BEAD (its number) of DOC, what and when, newest first."""
    from tolmach.service.history import bead_history

    entries = bead_history(app.store, document, number)
    for e in entries:
        if as_json:
            click.echo(json.dumps(e.as_json(), ensure_ascii=False))
            continue
        who = e.author or "(unknown)"
        undone = " (undone)" if e.undone else ""
        click.echo(f"{e.when:%Y-%m-%d %H:%M:%S}  {who}  {e.action}{undone}  [{e.before_status or '-'} → {e.after_status or '-'}]")
        if e.before != e.after:
            click.echo(f"    - {e.before}" if e.before else "    - (empty)")
            click.echo(f"    + {e.after}" if e.after else "    + (empty)")
    if not entries and not as_json:
        click.echo(f"Bead {number} has not been changed since it was imported.")
