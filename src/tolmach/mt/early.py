"""Start loading the model of ``tolmach translate DOC`` before the CLI has even imported.

Importing the CLI (SQLAlchemy, Click, every command) takes most of a second; loading the
CTranslate2 model takes a few tenths more and runs in C++ on the other core.  So when the
process was started as ``tolmach [--db PATH] [--user NAME] translate DOC ...``, this module
(standard library only) reads the document's languages straight from the SQLite file,
finds the package route and loads it into the engine's cache on a background thread.  The
command then finds the model ready, or waits for the load already under way.

Anything unusual (another command, a database URL rather than a SQLite file, a missing
file, an unknown document, no package) makes this do nothing: the command itself reports such problems in its own words.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from pathlib import Path

_started: threading.Thread | None = None


def _invoked_as_tolmach(argv0: str) -> bool:
    p = Path(argv0)
    return p.name == "tolmach" or (p.name == "__main__.py" and p.parent.name == "tolmach")


def parse(argv: list[str]) -> tuple[str | None, str] | None:
    """``(db, doc)`` of a ``translate`` invocation, or None for anything else."""
    db: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--db", "--user"):
            if i + 1 >= len(argv):
                return None
            if arg == "--db":
                db = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--db="):
            db = arg.split("=", 1)[1]
        elif arg.startswith("--user="):
            pass
        elif arg == "translate":
            rest = [a for a in argv[i + 1 :] if not a.startswith("-")]
            return (db, rest[0]) if rest else None
        else:
            return None
        i += 1
    return None


def _languages(db: Path, ref: str) -> tuple[str, str] | None:
    if not db.is_file():
        return None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
    try:
        row = con.execute("select source_lang, target_lang from documents where name = ?", (ref,)).fetchone()
        if row is None and ref.strip().isdigit():
            row = con.execute("select source_lang, target_lang from documents where id = ?", (int(ref),)).fetchone()
        if row is None:
            row = con.execute("select source_lang, target_lang from documents where lower(name) = lower(?)", (ref,)).fetchone()
        return (row[0], row[1]) if row else None
    finally:
        con.close()


def _load(db: str | None, ref: str) -> None:
    try:
        from tolmach import config

        where = config.db_path(db or os.environ.get("TOLMACH_DB") or None)
        if isinstance(where, str):  # a database URL (PostgreSQL): the command loads the model itself
            return
        langs = _languages(where, ref)
        if langs is None:
            return
        from tolmach.mt.engine import translator_for_route
        from tolmach.mt.packages import find_route

        translator_for_route(find_route(*langs).packages)
    except Exception:  # noqa: BLE001 - the command reports problems itself
        return


def preload_from_argv(argv: list[str] | None = None) -> threading.Thread | None:
    """Start the background load when this process is ``tolmach ... translate DOC``."""
    global _started
    argv = sys.argv if argv is None else argv
    if _started is not None or not argv or not _invoked_as_tolmach(argv[0]):
        return None
    found = parse(argv[1:])
    if found is None:
        return None
    _started = threading.Thread(target=_load, args=found, name="tolmach-mt-preload", daemon=True)
    _started.start()
    return _started
