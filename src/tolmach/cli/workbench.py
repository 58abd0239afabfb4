"""``tolmach`` with no command: seed an empty database, then open the TUI."""

from __future__ import annotations

import click

from tolmach.cli.base import AppContext
from tolmach.service import documents as doc_service


def ensure_seeded(app: AppContext) -> None:
    """On an empty database, import the bundled seeds so a newcomer sees documents."""
    if app.store.is_empty():
        click.echo(f"New database {app.db_path}: importing the bundled seed documents…", err=True)
        from tolmach.cli.documents import report_import

        for result in doc_service.import_seeds(app.store):
            report_import(result)


def open_workbench(app: AppContext) -> None:
    ensure_seeded(app)
    try:
        from tolmach.tui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("tolmach.tui"):
            from tolmach.cli.documents import docs_cmd

            click.echo("The workbench TUI is not built yet; documents in the database:")
            click.get_current_context().invoke(docs_cmd, as_json=False)
            return
        raise
    run_app(app.store)
