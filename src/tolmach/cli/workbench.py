"""``tolmach`` with no command: seed an empty database, then open the TUI.

The workbench takes over a terminal; without one (stdin or stdout a pipe or a file, as in
a script or a CI job) it would write escape codes into the pipe and wait for keys that
never come, so it refuses at once, before the database is even opened.
"""

from __future__ import annotations

import sys

import click

from tolmach import startup
from tolmach.cli.base import AppContext
from tolmach.errors import InputError
from tolmach.service import documents as doc_service


def has_terminal() -> bool:
    """Both stdin and stdout are terminals (what the workbench needs to run)."""
    try:
        return sys.stdin is not None and sys.stdout is not None and sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def ensure_seeded(app: AppContext) -> None:
    """On an empty database, import the bundled seeds so a newcomer sees documents."""
    if app.store.is_empty():
        click.echo(f"New database {app.db_path}: importing the bundled seed documents…", err=True)
        from tolmach.cli.documents import report_import

        for result in doc_service.import_seeds(app.store):
            report_import(result)


def open_workbench(app: AppContext) -> None:
    if not has_terminal():
        raise InputError(
            "The workbench needs a terminal, but stdin or stdout is not one: run `tolmach` in a terminal, "
            "or give a command (`tolmach --help` lists them)."
        )
    ensure_seeded(app)
    startup.pause()  # until the first screen is drawn (the workbench resumes it)
    try:
        from tolmach.tui.app import run_app  # Textual loads only when the workbench opens

        run_app(app.store)
    finally:
        startup.resume()
