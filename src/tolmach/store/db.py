"""Opening the SQLite database safely.

WAL journal and foreign keys are switched on for every connection; a busy timeout lets a
second Tolmach process wait briefly for a writer instead of failing at once.  The schema
version is recorded in ``meta`` and checked on open, so a foreign file or a database
written by a newer Tolmach is refused before anything touches it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tolmach import __version__
from tolmach.errors import DatabaseError
from tolmach.store.models import SCHEMA_VERSION, Base, Meta

#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 5.0

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # the driver must not open transactions behind SQLAlchemy's back (pysqlite would issue
    # BEGIN only at the first INSERT, after the reads that decided the write): _on_begin does
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


#: Execution option that makes a connection's transaction a writer from its first statement.
WRITE = "tolmach_write"


def _on_begin(conn: Any) -> None:
    """Writers take SQLite's write lock at BEGIN (``BEGIN IMMEDIATE``), so every read that
    decides a write sees the state the write lands on: no lost update between processes.
    Readers begin deferred and never block writers (WAL)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def explain_operational_error(exc: BaseException, path: Path) -> DatabaseError:
    """Turn SQLite's low-level complaints into one sentence a user can act on."""
    msg = str(getattr(exc, "orig", exc)).lower()
    if "locked" in msg or "busy" in msg:
        return DatabaseError(
            f"The database {path} is busy: another Tolmach process is writing to it; try again in a moment."
        )
    if "readonly" in msg or "read-only" in msg:
        return DatabaseError(f"The database {path} is read-only: check the file's permissions.")
    if "unable to open" in msg:
        return DatabaseError(f"Cannot open the database {path}: check that its folder exists and is writable.")
    if "not a database" in msg or "malformed" in msg or "file is encrypted" in msg:
        return DatabaseError(f"{path} is not a readable SQLite database (corrupted or another kind of file).")
    return DatabaseError(f"The database {path} could not be used: {getattr(exc, 'orig', exc)}.")


#: Tables every Tolmach database has had since schema 1; a database without one is damaged.
CORE_TABLES = frozenset({"meta", "documents", "segments", "beads", "revisions", "glossary_entries", "imported_files"})


class Store:
    """An open Tolmach database: the engine plus short transactions on it."""

    def __init__(self, path: Path, engine: Engine, *, user: str = "") -> None:
        self.path = path
        self.engine = engine
        #: Who the changes made through this store are by; every revision records it.
        self.user = user
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._checked = False

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on any error."""
        if not self._checked:
            self.check_before_writing()
        session = self._sessions()
        session.info["author"] = self.user
        try:
            with session.begin():
                session.connection(execution_options={WRITE: True})
                yield session
        except OperationalError as exc:
            raise explain_operational_error(exc, self.path) from exc
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (no commit)."""
        session = self._sessions()
        try:
            yield session
        except OperationalError as exc:
            raise explain_operational_error(exc, self.path) from exc
        finally:
            session.close()

    def check_before_writing(self) -> None:
        """Refuse to write into a damaged file: SQLite's quick_check once per process.

        It reads every page (about 0.1 s for 20,000 beads), so it runs before the first
        write, not on every open: reading what is intact stays possible.
        """
        try:
            with self.engine.connect() as conn:
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(3)")]
        except (OperationalError, SADatabaseError) as exc:
            raise DatabaseError(
                f"{self.path} is damaged ({str(exc.orig or exc).splitlines()[0]}); nothing was written. "
                "`tolmach db check` tells more and `tolmach db recover` saves what is intact."
            ) from exc
        if rows != ["ok"]:
            raise DatabaseError(
                f"{self.path} is damaged ({rows[0]}); nothing was written. "
                "`tolmach db check` tells more and `tolmach db recover` saves what is intact."
            )
        self._checked = True

    def is_empty(self) -> bool:
        from tolmach.store.models import Document

        with self.read() as s:
            return s.scalar(select(Document.id).limit(1)) is None

    def close(self) -> None:
        self.engine.dispose()


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(f"The database path {path} is a directory, not a file.")
    if path.exists() and not path.is_file():
        raise DatabaseError(f"The database path {path} is not a regular file.")
    if path.exists() and path.stat().st_size == 0:
        raise DatabaseError(
            f"{path} is an empty file, not a Tolmach database; delete it (or name another file) to start a new one."
        )
    if path.exists():
        with path.open("rb") as fh:
            head = fh.read(16)
        if head != _SQLITE_MAGIC:
            raise DatabaseError(f"{path} is not a SQLite database; refusing to overwrite it.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise DatabaseError(f"Cannot create the database {path}: the folder {parent} does not exist.")


#: Upgrades from an older schema version, each one transaction of DDL: version -> statements.
_UPGRADES: dict[int, list[str]] = {
    1: ["ALTER TABLE revisions ADD COLUMN author TEXT NOT NULL DEFAULT ''"],
    2: [],  # the notes table: created by create_all below like any missing table
}


def _upgrade(engine: Engine, found: int) -> None:
    with engine.begin() as conn:
        for version in range(found, SCHEMA_VERSION):
            for statement in _UPGRADES[version]:
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))


def open_store(path: Path | str, *, create: bool = True, user: str | None = None) -> Store:
    """Open (and if needed create) the database at ``path``, checking its schema version.

    ``user`` names the person whose changes these are (default: ``$TOLMACH_USER`` or the
    login name); an older schema is upgraded in place.
    """
    from tolmach import config

    path = Path(path)
    _check_file(path)
    if not path.exists() and not create:
        raise DatabaseError(f"There is no database at {path}.")
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        # look before touching: switching the journal mode rewrites the file header, which
        # must not happen to a foreign or newer database we are about to refuse
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if not tables:
            Base.metadata.create_all(engine)
            with Session(engine) as s, s.begin():
                s.add_all(
                    [
                        Meta(key="schema_version", value=str(SCHEMA_VERSION)),
                        Meta(key="created_by", value=f"tolmach {__version__}"),
                    ]
                )
        elif "meta" not in tables:
            raise DatabaseError(f"{path} is a SQLite database but not a Tolmach one; refusing to change it.")
        else:
            with Session(engine) as s:
                raw = s.scalar(select(Meta.value).where(Meta.key == "schema_version"))
            if raw is None or not raw.isdigit():
                raise DatabaseError(f"{path} has no Tolmach schema version; it may be damaged.")
            if int(raw) > SCHEMA_VERSION:
                raise DatabaseError(
                    f"{path} was written by a newer Tolmach (schema {raw}, this one reads {SCHEMA_VERSION}); upgrade Tolmach."
                )
            if int(raw) < SCHEMA_VERSION:
                from tolmach.store.health import backup

                backup(path, f"before-schema-{SCHEMA_VERSION}")
                _upgrade(engine, int(raw))
            lost = CORE_TABLES - tables
            if lost:
                raise DatabaseError(
                    f"{path} lacks Tolmach's {', '.join(sorted(lost))} table(s); it is damaged. "
                    "`tolmach db check` tells more and `tolmach db recover` saves what is intact."
                )
            missing = set(Base.metadata.tables) - tables
            if missing:  # tables a newer release added: created empty
                Base.metadata.create_all(engine)
        with engine.connect() as conn:  # outside any transaction: the driver connection itself
            conn.connection.driver_connection.execute("PRAGMA journal_mode=WAL")
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise explain_operational_error(exc, path) from exc
    except DatabaseError:
        engine.dispose()
        raise
    return Store(path, engine, user=config.user_name(user))
