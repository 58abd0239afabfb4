"""What differs between a SQLite file and a PostgreSQL server, in one place.

Everything backend-specific (PRAGMAs, the SQLite file-header check, write-transaction
start, locking, turning driver errors into one sentence, notifications) lives here; the
rest of Tolmach talks to :class:`Backend` and plain SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event, func, text, update
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from tolmach.errors import DatabaseError, PermissionDenied

#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 5.0

_SQLITE_MAGIC = b"SQLite format 3\x00"

#: The PostgreSQL channel a change to a document is announced on (payload: document id).
CHANNEL = "tolmach_changes"

#: First key of the advisory locks taking a document (``pg_advisory_xact_lock(k, doc)``).
ADVISORY_CLASS = 0x746F6C6D  # "tolm"

#: Execution option marking a connection that will write (SQLite then takes the write
#: lock at BEGIN, so two writers queue instead of failing half-way).
WRITE = "tolmach_write"


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and "://" in target


#: A JSON list this long (bytes) is streamed into its SQLite row rather than bound whole.
BLOB_JSON_BYTES = 1 << 20


def _json_utf8(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Target:
    """Where the database is: a SQLite file or a server URL, as the user gave it."""

    url: URL
    path: Path | None  # the SQLite file; None for a server

    @property
    def label(self) -> str:
        """How messages name the database (never with a password)."""
        return str(self.path) if self.path is not None else self.url.render_as_string(hide_password=True)


def parse_target(target: str | Path) -> Target:
    """``--db``'s value: a file path (SQLite), ``sqlite:///PATH`` or a SQLAlchemy URL."""
    if not is_url(target):
        path = Path(target)
        return Target(make_url("sqlite://").set(database=str(path)), path)
    try:
        url = make_url(str(target))
    except ArgumentError as exc:
        raise DatabaseError(f"{target!r} is not a database URL (expected postgresql+psycopg://user@host/db or a file path).") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        if not url.database:
            raise DatabaseError("An in-memory SQLite database cannot hold a project; give a file path.")
        return Target(url, Path(url.database))
    if url.drivername != "postgresql+psycopg":
        raise DatabaseError(
            f"Tolmach works with SQLite files and PostgreSQL (postgresql+psycopg://...), not {url.drivername}."
        )
    if not url.database:
        raise DatabaseError(f"The URL {url.render_as_string(hide_password=True)} names no database.")
    return Target(url, None)


class Backend:
    name = ""

    def __init__(self, target: Target) -> None:
        self.target = target

    # --- opening -----------------------------------------------------------------
    def check_before_open(self, create: bool) -> None:  # pragma: no cover - per backend
        pass

    def engine(self, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:  # pragma: no cover - per backend
        raise NotImplementedError

    def after_schema(self, engine: Engine) -> None:
        """Run once the schema is known to be ours (e.g. switch SQLite to WAL)."""

    # --- transactions ------------------------------------------------------------
    def check_before_writing(self, engine: Engine) -> None:
        """Damage in a server's files is the server's to find (amcheck); nothing to do here."""

    def before_upgrade(self) -> None:
        """PostgreSQL upgrades run by `tolmach db upgrade`, after the owner's pg_dump."""

    @contextmanager
    def migrating(self, engine: Engine) -> Iterator[Connection]:
        """A transaction to run schema migrations in."""
        with engine.begin() as conn:
            yield conn

    def lock_document(self, session: Session, document_id: int) -> None:
        """Serialise writers of one document until the transaction ends."""

    def notify(self, session: Session, document_id: int) -> None:
        """Announce, at commit, that a document changed."""

    def put_json_list(self, session: Session, table: Table, column: str, row_id: int, items: list[Any]) -> None:
        """Set the JSON list in ``column`` of row ``row_id`` (a revision's bead snapshots)."""
        session.execute(update(table).where(table.c.id == row_id).values({column: items}))

    # --- errors and checks -------------------------------------------------------
    def explain(self, exc: BaseException) -> DatabaseError:  # pragma: no cover - per backend
        raise NotImplementedError

    def integrity_problems(self, conn: Connection) -> list[str]:
        return []

    def after_copy(self, conn: Connection, tables: list[str]) -> None:
        """Fix what a copy with explicit ids leaves behind (sequences)."""


def _sqlite_reads(path: Path) -> bool:
    """Whether SQLite reads ``path`` as a database (read-only, through SQLite itself).

    The file header is read with Python's ``open`` only when it does not: closing any
    descriptor of a file drops every POSIX lock this process holds on it, so a second
    ``open_store`` of a file already open here took the first one's locks away, and
    another process closing its last connection then deleted the WAL under it (a save
    failed with "disk I/O error", or went to the deleted file and was lost)."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        con.execute("PRAGMA schema_version").fetchone()
        return True
    except sqlite3.Error:
        return False
    finally:
        con.close()


class SQLiteBackend(Backend):
    name = "sqlite"

    @property
    def path(self) -> Path:
        assert self.target.path is not None
        return self.target.path

    def check_before_open(self, create: bool) -> None:
        path = self.path
        if path.is_dir():
            raise DatabaseError(f"The database path {path} is a directory, not a file.")
        if path.exists() and not path.is_file():
            raise DatabaseError(f"The database path {path} is not a regular file.")
        if path.exists() and path.stat().st_size == 0:
            raise DatabaseError(
                f"{path} is an empty file, not a Tolmach database; delete it (or name another file) to start a new one."
            )
        if path.exists() and not _sqlite_reads(path):
            with path.open("rb") as fh:
                head = fh.read(16)
            if head != _SQLITE_MAGIC:
                raise DatabaseError(f"{path} is not a SQLite database; refusing to overwrite it.")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            raise DatabaseError(f"Cannot create the database {path}: the folder {parent} does not exist.")
        if not path.exists() and not create:
            raise DatabaseError(f"There is no database at {path}.")

    def engine(self, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
        engine = create_engine(
            f"sqlite:///{self.path}",
            connect_args={"timeout": busy_timeout, "check_same_thread": False},
            # JSON values (revision snapshots) as UTF-8, not \uXXXX escapes: an align of a
            # long Russian document journals its text in a third of the bytes and memory
            json_serializer=_json_utf8,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A writer takes the lock at BEGIN: a deferred transaction that reads and then
            # writes fails at once ("database is locked") when another writer came first.
            immediate = conn.get_execution_options().get(WRITE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def put_json_list(self, session: Session, table: Table, column: str, row_id: int, items: list[Any]) -> None:
        """A long list is streamed into the row item by item (``blobopen``): binding it as
        one value costs the JSON text, its UTF-8 copy, SQLite's copy and the record (an
        align of a 50 MB line: about 200 MB at once).  It is stored as UTF-8 JSON bytes,
        which read back as the same list.  ``blobopen`` came with Python 3.11: on 3.10 the
        list is bound whole."""
        size = sum(len(_json_utf8(item).encode()) for item in items) + max(len(items) - 1, 0) + 2
        if size < BLOB_JSON_BYTES or sys.version_info < (3, 11):
            return super().put_json_list(session, table, column, row_id, items)
        session.execute(update(table).where(table.c.id == row_id).values({column: func.zeroblob(size)}))
        raw = session.connection().connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)  # this backend's driver is the sqlite3 module
        with raw.blobopen(table.name, column, row_id) as blob:
            blob.write(b"[")
            for n, item in enumerate(items):
                blob.write((b"," if n else b"") + _json_utf8(item).encode())
            blob.write(b"]")

    def check_before_writing(self, engine: Engine) -> None:
        """Refuse to write into a damaged file: SQLite's quick_check (reads every page,
        about 0.1 s for 20,000 beads), once per process before its first write."""
        damaged = f"{self.path} is damaged ({{}}); nothing was written. `tolmach db check` tells more and `tolmach db recover` saves what is intact."
        try:
            raw = engine.raw_connection()
            try:
                rows = [r[0] for r in raw.cursor().execute("PRAGMA quick_check(3)")]
            finally:
                raw.close()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(damaged.format(str(exc).splitlines()[0])) from exc
        if rows != ["ok"]:
            raise DatabaseError(damaged.format(rows[0]))

    @contextmanager
    def migrating(self, engine: Engine) -> Iterator[Connection]:
        """Migrations run with foreign keys off (set before BEGIN, where SQLite heeds it):
        batch mode rebuilds a table by dropping it, and with them on that drop would
        cascade into every child table (beads, revisions, notes of a rebuilt parent)."""
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    yield conn
            finally:
                raw.execute("PRAGMA foreign_keys=ON")

    def before_upgrade(self) -> None:
        from tolmach.store.health import backup

        backup(self.path, "before-schema-upgrade")

    def after_schema(self, engine: Engine) -> None:
        # switching the journal mode rewrites the file header: only once we know the file is ours
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()

    def explain(self, exc: BaseException) -> DatabaseError:
        path = self.path
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

    def integrity_problems(self, conn: Connection) -> list[str]:
        problems = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
        return problems


#: PostgreSQL error classes (SQLSTATE) and what a user can do about them.
_PG_STATES = {
    "3D000": "There is no database {db} on the server; create it with `createdb` (see docs/team.md).",
    "28P01": "The server refused the password of {user} for {db}.",
    "28000": "The server does not let {user} connect to {db} (pg_hba.conf or a missing role).",
    "55P03": "{db} is busy: another Tolmach session holds the lock; try again in a moment.",
    "57014": "{db} is busy: the statement waited too long for another session; try again in a moment.",
    "40P01": "{db} is busy: two sessions waited on each other; try again.",
    "40001": "{db} is busy: a concurrent change got in first; try again.",
    "53300": "{db} has too many connections; try again in a moment.",
}


class PostgresBackend(Backend):
    name = "postgresql"

    def engine(self, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise DatabaseError("PostgreSQL needs the Python package psycopg (pip install 'psycopg[binary]').") from exc
        return create_engine(
            self.target.url,
            pool_pre_ping=True,
            # a writer waits for another's lock this long, then gets a clear "busy" message
            connect_args={"options": f"-c lock_timeout={int(busy_timeout * 1000)} -c timezone=UTC", "connect_timeout": 10},
        )

    def lock_document(self, session: Session, document_id: int) -> None:
        # a transaction-scoped advisory lock: no table privilege needed (a translator may
        # not UPDATE documents), released at commit or rollback, subject to lock_timeout
        session.execute(text("SELECT pg_advisory_xact_lock(:k, :id)"), {"k": ADVISORY_CLASS, "id": document_id})

    def notify(self, session: Session, document_id: int) -> None:
        session.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": str(document_id)})

    def explain(self, exc: BaseException) -> DatabaseError:
        orig: Any = getattr(exc, "orig", exc)
        state = getattr(orig, "sqlstate", None)
        db = self.target.url.database
        user = self.target.url.username or "this user"
        if state == "42501":
            diag = getattr(orig, "diag", None)
            said = (getattr(diag, "message_primary", None) or str(orig).splitlines()[0]).rstrip(".")
            return PermissionDenied(
                f"{user} may not do this in {db} ({said}); ask the project's owner for a Tolmach role "
                f"(`tolmach db grant {user} translator` or `reviewer`, see docs/team.md)."
            )
        if state in _PG_STATES:
            return DatabaseError(_PG_STATES[state].format(user=user, db=db))
        if "NUL (0x00)" in str(orig):  # psycopg refuses it before the server sees it
            return DatabaseError(f"A text contains a NUL character (\\x00), which PostgreSQL cannot store; {db} is unchanged.")
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        if state is None and "FATAL:" in str(orig):  # refused at connection time: libpq's words
            fatal = str(orig).split("FATAL:", 1)[1].strip().splitlines()[0].strip()
            if fatal.startswith("database ") and fatal.endswith("does not exist"):
                return DatabaseError(f"There is no database {db} on the server; create it with `createdb {db}` (see docs/team.md).")
            if fatal.startswith("role ") and fatal.endswith("does not exist"):
                return DatabaseError(f"The server has no login {user}; ask its administrator to create it (`createuser {user}`).")
            if "password authentication failed" in fatal:
                return DatabaseError(_PG_STATES["28P01"].format(user=user, db=db))
            return DatabaseError(f"The server refused the connection to {self.target.label}: {fatal.rstrip('.')}.")
        if state is None and ("connect" in first.lower() or "connection" in first.lower()):
            return DatabaseError(f"Cannot reach the PostgreSQL server for {self.target.label}: {first}.")
        return DatabaseError(f"The database {self.target.label} could not be used: {first}.")

    def integrity_problems(self, conn: Connection) -> list[str]:
        problems = []
        # every foreign key is enforced by the server; check the indexes with amcheck where installed
        if conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'").first():
            for (name,) in conn.exec_driver_sql(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace"
            ):
                try:
                    conn.exec_driver_sql(f"SELECT bt_index_check('{name}'::regclass)")
                except Exception as exc:  # noqa: BLE001 - reported, not raised
                    problems.append(f"index {name}: {exc}")
        return problems

    def after_copy(self, conn: Connection, tables: list[str]) -> None:
        for table in tables:
            seq = conn.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table}', 'id')").scalar()
            if seq:
                conn.exec_driver_sql(
                    f"SELECT setval('{seq}', COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                )


def backend_for(target: Target) -> Backend:
    return SQLiteBackend(target) if target.path is not None else PostgresBackend(target)
