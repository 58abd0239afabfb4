"""Entry point of the ``tolmach`` console script."""

from __future__ import annotations

import sys

import click

from tolmach.cli.base import cli
from tolmach.errors import TolmachError

# Each module registers its commands on ``cli`` when imported.
from tolmach.cli import align, documents, glossary, interchange, translate  # noqa: E402,F401


def _quiet_broken_pipe() -> None:
    """The reader went away (``tolmach glossary list | head -1``): that is not an error.

    Point stdout at /dev/null so the interpreter's final flush cannot fail again, exit 0.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (embedded use)
        pass
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one sentence on stderr and exit status 1."""
    try:
        cli.main(args=argv, prog_name="tolmach", standalone_mode=False)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except SystemExit as exc:
        # click turns a broken pipe (EPIPE) into exit 1 and wraps stdout; a closed pipe
        # is the reader's choice (`| head`), so it exits 0 like other Unix tools' readers.
        if exc.code == 1 and isinstance(sys.stdout, click.utils.PacifyFlushWrapper):
            _quiet_broken_pipe()
        raise
    except TolmachError as exc:
        click.echo(f"tolmach: error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("tolmach: interrupted; everything finished so far is saved.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("tolmach: interrupted; everything finished so far is saved.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
