"""The ``tolmach`` command group and what every sub-command shares.

Sub-commands live in sibling modules (one per capability) and register themselves on
:data:`cli`.  They stay thin: parse arguments, call :mod:`tolmach.service`, print.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from tolmach import __version__, config
from tolmach.store import Store, open_store


class AppContext:
    """Lazily opened database shared by the command that runs."""

    def __init__(self, db: str | None, user: str | None = None) -> None:
        #: A SQLite file's path, or a database URL (``postgresql+psycopg://...``).
        self.db_path: Path | str = config.db_path(db)
        self.user = config.user_name(user)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The database, opened on first use; a database's first opening also gets the
        bundled glossaries, so matching and QA work from the first command on."""
        if self._store is None:
            from tolmach.service.glossary import ensure_loaded

            store = open_store(self.db_path, user=self.user)
            try:
                ensure_loaded(store)
            except BaseException:
                store.close()
                raise
            self._store = store
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="TOLMACH_DB",
    help="SQLite file or PostgreSQL URL postgresql+psycopg://user@host/db (default: ./tolmach.db, or $TOLMACH_DB).",
)
@click.option(
    "--user",
    metavar="NAME",
    envvar="TOLMACH_USER",
    help="Who is working; every change records it (default: $TOLMACH_USER, else the login name).",
)
@click.version_option(__version__, prog_name="tolmach")
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None) -> None:
    """Tolmach: translate archival documents and align them sentence by sentence.

    Run without a command to open the workbench; an empty database first imports the
    bundled seed documents.
    """
    app = AppContext(db, user)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from tolmach.cli.workbench import open_workbench

        open_workbench(app)


pass_app = click.make_pass_decorator(AppContext)


@contextmanager
def progress_bar(label: str, *, min_total: int = 1) -> Iterator[Callable[[int, int], None]]:
    """An ``on_progress(done, total)`` callback drawing a bar on stderr.

    The bar appears on the first call with ``total >= min_total`` (small jobs stay quiet)
    and is closed when the block ends, also on Ctrl-C or an error.
    """
    bar = None
    last = 0

    def update(done: int, total: int) -> None:
        nonlocal bar, last
        if bar is None:
            if total < min_total:
                return
            bar = click.progressbar(length=total, label=label, show_pos=True, file=sys.stderr)
            bar.__enter__()
        bar.update(done - last)
        last = done

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
