"""Where Tolmach keeps things, resolved once from flags, environment and defaults.

Precedence is always: explicit argument (``--db``) > environment variable > default.
"""

from __future__ import annotations

import os
from pathlib import Path

from tolmach import model

DEFAULT_DB_NAME = "tolmach.db"

#: Target language of a new document (tolmach.model holds the default pair); documents carry
#: their own detected source language.
DEFAULT_TARGET_LANG = model.DEFAULT_TARGET_LANG


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """The database: ``--db``, else ``$TOLMACH_DB``, else ``./tolmach.db``.

    A file path (SQLite) comes back as a :class:`Path`; a URL such as
    ``postgresql+psycopg://user@host/db`` as the string itself.
    """
    value = os.fspath(explicit) if explicit else os.environ.get("TOLMACH_DB", "")
    if not value:
        return Path.cwd() / DEFAULT_DB_NAME
    return value if "://" in value else Path(value)


def user_name(explicit: str | None = None) -> str:
    """Who is working: ``--user``, else ``$TOLMACH_USER``, else the login name."""
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ.get("TOLMACH_USER", "").strip()
    if env:
        return env
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def data_dir() -> Path:
    """Tolmach's own data directory (models live here, not in Argos' global one).

    ``$TOLMACH_DATA_DIR``, else ``$XDG_DATA_HOME/tolmach``, else ``~/.local/share/tolmach``.
    """
    env = os.environ.get("TOLMACH_DATA_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "tolmach"


def state_dir() -> Path:
    """Logs of unexpected errors: ``$TOLMACH_STATE_DIR``, else ``$XDG_STATE_HOME/tolmach``,
    else ``~/.local/state/tolmach``."""
    env = os.environ.get("TOLMACH_STATE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_STATE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "state") / "tolmach"


def models_dir() -> Path:
    """Installed Argos packages: ``$TOLMACH_MODELS_DIR`` or ``<data_dir>/packages``."""
    env = os.environ.get("TOLMACH_MODELS_DIR")
    return Path(env) if env else data_dir() / "packages"


def project_root() -> Path:
    """The checkout this package runs from (for ``seeds/`` and ``glossaries/``)."""
    return Path(__file__).resolve().parents[2]


def _running_from_checkout() -> bool:
    """True when this package is ``src/tolmach`` of a checkout (a plain or editable run)."""
    here = Path(__file__).resolve().parent
    return here.parent.name == "src" and (here.parents[1] / "pyproject.toml").is_file()


def bundled_dir(folder: str) -> Path:
    """A bundled folder (``seeds``, ``glossaries``): the checkout's own top-level folder, or,
    in an installed wheel, the copy inside the package (``tolmach/bundled/<folder>``)."""
    if _running_from_checkout():
        return project_root() / folder
    return Path(__file__).resolve().parent / "bundled" / folder


def seeds_dir() -> Path:
    """Bundled seed documents imported into an empty database: ``$TOLMACH_SEEDS`` or ``seeds/``."""
    env = os.environ.get("TOLMACH_SEEDS")
    return Path(env) if env else bundled_dir("seeds")


def glossaries_dir() -> Path:
    """Bundled glossaries loaded into a new database: ``$TOLMACH_GLOSSARIES`` or ``glossaries/``."""
    env = os.environ.get("TOLMACH_GLOSSARIES")
    return Path(env) if env else bundled_dir("glossaries")
