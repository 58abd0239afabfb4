"""Entry point of the ``tolmach`` console script."""

from __future__ import annotations

import sys

import click

from tolmach.cli.base import cli
from tolmach.errors import TolmachError

# Each module registers its commands on ``cli`` when imported.
from tolmach.cli import align, documents, glossary, interchange, translate  # noqa: E402,F401
from tolmach.cli import memory  # noqa: E402,F401


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one sentence on stderr and exit status 1."""
    try:
        cli.main(args=argv, prog_name="tolmach", standalone_mode=False)
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
