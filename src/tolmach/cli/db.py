"""``tolmach db upgrade|copy|check|roles|grant`` and ``tolmach history``."""

from __future__ import annotations

import json

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
@pass_app
def check_cmd(app: AppContext) -> None:
    """Check the database (SQLite integrity_check and foreign keys, bead numbering)."""
    problems = app.store.integrity_problems()
    for p in problems:
        click.echo(p)
    if problems:
        raise click.ClickException(f"{app.store.label}: {len(problems)} problem(s) found.")
    click.echo(f"{app.store.label}: no problems found.")


@db_group.group("roles")
def roles_group() -> None:
    """Team roles on a PostgreSQL database (translator, reviewer): PostgreSQL grants."""


@roles_group.command("enable")
@pass_app
def roles_enable(app: AppContext) -> None:
    """Switch roles on (run by the database's owner; harmless to repeat)."""
    from tolmach.store.roles import REVIEWER, TRANSLATOR, enable_roles

    report = enable_roles(app.store)
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
