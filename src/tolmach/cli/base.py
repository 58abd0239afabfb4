"""The ``tolmach`` command group and what every sub-command shares.

Sub-commands live in sibling modules (one per capability) and register themselves on
:data:`cli`.  They stay thin: parse arguments, call :mod:`tolmach.service`, print.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from functools import update_wrapper
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tolmach import __version__, config, startup
from tolmach.terminal import SafeTextStream

if TYPE_CHECKING:
    from tolmach.store import Store

R = TypeVar("R")


#: Flags the error boundary in :func:`tolmach.cli.main` reads after a command ends.
RUN: dict[str, object] = {"debug": False, "db": None}


class AppContext:
    """Lazily opened database shared by the command that runs."""

    def __init__(self, db: str | None, user: str | None = None) -> None:
        #: A SQLite file's path, or a database URL (``postgresql+psycopg://...``).
        self.db_path: Path | str = config.db_path(db)
        RUN["db"] = self.db_path
        self.user = config.user_name(user)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The database, opened on first use; a database's first opening also gets the
        bundled glossaries, so matching and QA work from the first command on."""
        if self._store is None:
            from tolmach.service.glossary import ensure_loaded
            from tolmach.store import open_store  # SQLAlchemy loads with the first command that needs it

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
            self._store = None

    @property
    def is_file(self) -> bool:
        """The database is a SQLite file (which backups are made of), not a server's."""
        return isinstance(self.db_path, Path)

    def backup(self, reason: str) -> Path | None:
        """Snapshot the database before a risky operation (`tolmach db backups` lists them)."""
        from tolmach.store.health import backup

        return backup(self.db_path, reason)

    @contextmanager
    def backup_if_changed(self, reason: str) -> Iterator[Callable[[bool], None]]:
        """A backup taken before the block and kept only if the block reports a change
        (call the yielded function with True); a failed or no-op block leaves none."""
        from tolmach.store.health import discard

        made = self.backup(reason)
        changed = False

        def report(flag: bool) -> None:
            nonlocal changed
            changed = changed or flag

        try:
            yield report
        finally:
            if made is not None and not changed:
                discard(made)


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
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error instead of one sentence.")
@click.option(
    "--raw",
    is_flag=True,
    help="Print document text as it is, control characters included (for pipelines); "
    "by default they are shown as \\xNN so nothing can drive the terminal.",
)
@click.version_option(__version__, prog_name="tolmach")
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None, debug: bool, raw: bool) -> None:
    """Tolmach: translate archival documents and align them sentence by sentence.

    Run without a command to open the workbench; an empty database first imports the
    bundled seed documents.
    """
    RUN["debug"] = debug
    # click would strip escape sequences from what it prints when stdout is not a
    # terminal: document text in a pipeline must come out as it is (--raw) or shown as
    # \x1b (below), never silently shortened
    ctx.color = True
    if not raw and not isinstance(sys.stdout, SafeTextStream):
        safe = SafeTextStream(sys.stdout)
        original = sys.stdout
        sys.stdout = safe

        def restore() -> None:
            if sys.stdout is safe:
                sys.stdout = original

        ctx.call_on_close(restore)
    app = AppContext(db, user)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        load_database_stack()
        from tolmach.cli.workbench import open_workbench

        open_workbench(app)


def load_database_stack() -> None:
    """Import SQLAlchemy, the store and the document service with the cyclic collector
    paused (:mod:`tolmach.startup`), as the CLI's own imports are: what nearly every
    command and the workbench need, loaded when a command's arguments are parsed, so
    ``--help`` goes without."""
    if "tolmach.service.documents" not in sys.modules:
        startup.pause()
        import tolmach.service.documents  # noqa: F401

        startup.resume()


def pass_app(f: Callable[..., R]) -> Callable[..., R]:
    """Pass the :class:`AppContext` as the command's first argument (as
    ``click.make_pass_decorator`` does), the database stack loaded first."""

    @click.pass_context
    def new_func(ctx: click.Context, /, *args: Any, **kwargs: Any) -> R:
        load_database_stack()
        return ctx.invoke(f, ctx.find_object(AppContext), *args, **kwargs)

    return update_wrapper(new_func, f)


class LazyChoice(click.Choice[str]):
    """A :class:`click.Choice` whose choices come from ``lookup()`` when first needed
    (parsing the option, its command's help, completion): a command module names a
    registry (the export formats) without importing it, so ``tolmach align`` and
    ``tolmach --help`` start without the modules behind it."""

    def __init__(self, lookup: Callable[[], Iterable[str]], case_sensitive: bool = True) -> None:
        self._lookup = lookup
        self._choices: tuple[str, ...] | None = None
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            self._choices = tuple(self._lookup())
        return self._choices

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        self._choices = value


def echo_styled(line: str) -> None:
    """Print a line of click styles (bold hits, coloured diffs) on a terminal: past the
    neutralising stream, which would show their escapes as ``\x1b[1m``.  The caller
    neutralises the document text inside it (:func:`tolmach.terminal.neutralise`)."""
    stream = sys.stdout.inner if isinstance(sys.stdout, SafeTextStream) else sys.stdout
    click.echo(line, file=stream, color=True)


#: Without a terminal on stderr (a script, a CI log), a progress line at most this often
#: (seconds), as pip and rsync do, instead of a bar that would fill the log with redraws.
PROGRESS_LINE_SECONDS = 5.0


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):  # closed
        return False


@contextmanager
def progress_bar(label: str, *, min_total: int = 1) -> Iterator[Callable[[int, int], None]]:
    """An ``on_progress(done, total)`` callback drawing a bar on stderr.

    The bar appears on the first call with ``total >= min_total`` (small jobs stay quiet)
    and is closed when the block ends, also on Ctrl-C or an error.  When stderr is not a
    terminal, it writes the label when the work starts (as click's bar does there), then a
    line ``LABEL: done/total (n%)`` every :data:`PROGRESS_LINE_SECONDS` while the work
    lasts, and a last one where it ended: a job done sooner writes only the label.
    """
    bar = None
    last = 0
    # without a terminal: the last total, the done of the last line written, when the next line is due
    total_seen, written, next_line = 0, -1, None

    def line(done: int, total: int) -> None:
        share = f" ({100 * done // total}%)" if total else ""
        click.echo(f"{label}: {done:,}/{total:,}{share}", err=True)

    def update(done: int, total: int) -> None:
        nonlocal bar, last, total_seen, written, next_line
        if bar is None and next_line is None:
            if total < min_total:
                return
            if _stderr_is_terminal():
                bar = click.progressbar(length=total, label=label, show_pos=True, file=sys.stderr)
                bar.__enter__()
            else:  # the label once, as click's bar does off a terminal; then a line now and then
                click.echo(label, err=True)
                next_line = time.monotonic() + PROGRESS_LINE_SECONDS
        if bar is not None:
            bar.update(done - last)
            last = done
            return
        last, total_seen = done, total
        now = time.monotonic()
        if next_line is not None and now >= next_line:
            written, next_line = done, now + PROGRESS_LINE_SECONDS
            line(done, total)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        elif written >= 0 and written != last:  # where it ended (also on Ctrl-C or an error)
            line(last, total_seen)


@contextmanager
def progress_per_file(verb: str, *, min_total: int = 1) -> Iterator[Callable[[Path, int, int], None]]:
    """An ``on_progress(path, done, total)`` callback: one :func:`progress_bar` per file,
    labelled ``VERB NAME``, each closed when the next file starts or the block ends."""
    from tolmach.fileio import input_name

    bars = ExitStack()  # the open bar; closed (and reused) when another file starts
    shown: Path | None = None
    report: Callable[[int, int], None] | None = None

    def update(path: Path, done: int, total: int) -> None:
        nonlocal shown, report
        if report is None or path != shown:
            bars.close()
            shown, report = path, bars.enter_context(progress_bar(f"{verb} {input_name(path)}", min_total=min_total))
        report(done, total)

    with bars:
        yield update
