"""Entry point of the ``tolmach`` console script, and the one error boundary of the CLI.

Every failure ends as one line on stderr and a non-zero exit: a :class:`TolmachError`
with its own sentence (exit 1), a usage error (exit 2), an interrupt (130), a damaged
database (1), and anything else as "an unexpected error" with the traceback written to
the error log in Tolmach's state directory (``--debug`` prints it instead).  A closed
pipe (``tolmach glossary list | head -1``) ends quietly with status 0.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from tolmach import startup
from tolmach.mt.early import preload_from_argv

preload_from_argv()  # `tolmach translate DOC`: the model loads while the CLI imports

startup.pause()  # what the imports create lives as long as the program

import click  # noqa: E402

from tolmach import config, wording  # noqa: E402
from tolmach.cli.base import RUN, cli  # noqa: E402
from tolmach.errors import TolmachError  # noqa: E402
from tolmach.terminal import one_line  # noqa: E402

# Each module registers its commands on ``cli`` when imported.
from tolmach.cli import align, apparatus, db, documents, glossary, interchange, memory, translate  # noqa: E402,F401

startup.resume()

if TYPE_CHECKING:
    from sqlalchemy.exc import DatabaseError

#: The error log is cut back to its last half when it grows past this.
LOG_LIMIT = 1_000_000


def _fail(message: str, status: int = 1) -> None:
    click.echo(f"tolmach: error: {one_line(message)}", err=True)
    sys.exit(status)


def log_unexpected(exc: BaseException, argv: list[str]) -> Path | None:
    """Append ``exc``'s traceback to ``<state>/errors.log``; the log's path, or None if unwritable."""
    try:
        folder = config.state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "errors.log"
        if log.exists() and log.stat().st_size > LOG_LIMIT:
            log.write_bytes(log.read_bytes()[-LOG_LIMIT // 2 :])
        with log.open("a", encoding="utf-8", errors="backslashreplace") as fh:  # argv may hold surrogates
            fh.write(f"--- {datetime.now(timezone.utc).isoformat()} tolmach {' '.join(argv)}\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return log
    except OSError:
        return None


def _database_error(exc: BaseException) -> TypeGuard[DatabaseError]:
    """SQLAlchemy's DatabaseError (a damaged or unreadable database).  Asked of
    ``sys.modules``: a command that raised one has imported SQLAlchemy, and the commands
    that never touch a database (``--help``, ``align --help``) start without it."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.DatabaseError)


def _quiet_broken_pipe() -> None:
    """The reader went away (``tolmach glossary list | head -1``): that is not an error.

    Point stdout at /dev/null so the interpreter's final flush cannot fail again, exit 0.
    """

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (embedded use)
        pass
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI behind the error boundary."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # make_context + invoke rather than cli.main: click's main turns a closed pipe into
        # exit status 1, and Tolmach's boundary decides every ending itself
        with cli.make_context("tolmach", args) as ctx:
            cli.invoke(ctx)
        sys.stdout.flush()
    except TolmachError as exc:
        _fail(wording.error_text(exc, wording.CLI))
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("tolmach: interrupted; everything finished so far is saved.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        path = exc.ctx.command_path if exc.ctx is not None else "tolmach"
        click.echo(f"{path}: {one_line(exc.format_message())} (see `{path} --help`)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Exception as exc:  # the boundary: anything else is a bug, said in one sentence
        if RUN["debug"]:
            raise
        log = log_unexpected(exc, args)
        if _database_error(exc):
            where_db = RUN["db"] or "the database"
            _fail(
                f"{where_db} cannot be read or written ({str(exc.orig or exc).splitlines()[0]}); "
                "`tolmach db check` tells what is damaged and `tolmach db recover` saves what is intact."
            )
        where = f"; the traceback is in {log}" if log else ""
        _fail(f"an unexpected error ({type(exc).__name__}: {str(exc)[:200]}){where}; run again with --debug to see it.")
