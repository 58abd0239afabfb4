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
    from tolmach.tui.app import run_app  # Textual loads only when the workbench opens

    run_app(app.store)
