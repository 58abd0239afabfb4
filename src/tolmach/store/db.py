"""Opening a Tolmach database: a SQLite file or a PostgreSQL server, checked and migrated.

``open_store`` takes what ``--db`` / ``$TOLMACH_DB`` hold: a file path (SQLite, as
before) or a SQLAlchemy URL (``postgresql+psycopg://user@host/db``).  Before anything is
written the schema is inspected: a foreign database or one written by a newer Tolmach is
refused, an older one is migrated (see :mod:`tolmach.store.schema`).  What differs
between the two backends lives in :mod:`tolmach.store.backends`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from tolmach.config import state_dir
from tolmach.errors import DatabaseError
from tolmach.store import schema
from tolmach.store.backends import (
    CHANNEL,
    WRITE,
    Backend,
    SQLiteBackend,
    Target,
    backend_for,
    parse_target,
)

#: Seconds a writer waits for another session's lock before giving up ("busy").
BUSY_TIMEOUT_S = 5.0


def _is_db_trouble(exc: BaseException) -> bool:
    """Errors that are about the database (busy, rights, connection, a value it cannot
    store), not about our SQL."""
    if isinstance(exc, (OperationalError, DataError)):
        return True
    if isinstance(exc, ProgrammingError):
        return getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501"  # insufficient privilege
    return False


@dataclass(frozen=True)
class Change:
    """One journalled change, as another session's workbench needs to hear of it."""

    revision_id: int
    document_id: int
    bead_ids: tuple[int, ...]
    action: str
    author: str
    created_at: datetime


class Store:
    """An open Tolmach database: the engine plus short transactions on it."""

    def __init__(self, target: Target, backend: Backend, engine: Engine, *, user: str = "") -> None:
        self.target = target
        self.backend = backend
        self.engine = engine
        #: Who the changes made through this store are by; every revision records it.
        self.user = user
        #: The SQLite file; None for a server database.
        self.path: Path | None = target.path
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._checked = False

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.backend.name

    @property
    def url(self) -> str:
        """What ``--db`` takes to open this database again (a path, or the full URL)."""
        if self.target.path is not None:
            return str(self.target.path)
        return self.target.url.render_as_string(hide_password=False)

    @property
    def companion_path(self) -> Path:
        """What files that belong with this database (the workbench's rescue files) are
        named after, ``companion_path.with_name(...)``: the SQLite file itself, or for a
        server ``$TOLMACH_STATE_DIR/databases/DBNAME`` (its folder made when needed), never
        the working directory."""
        if self.target.path is not None:
            return self.target.path
        folder = state_dir() / "databases"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / str(self.target.url.database or "database")

    @property
    def label(self) -> str:
        """How messages name this database (no password)."""
        return self.target.label

    def explain(self, exc: BaseException) -> DatabaseError:
        return self.backend.explain(exc)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on any error."""
        if not self._checked:  # never write into a damaged file (SQLite quick_check, once)
            try:
                self.backend.check_before_writing(self.engine)
            except (OperationalError, SADatabaseError) as exc:
                raise self.explain(exc) from exc
            self._checked = True
        session = self._sessions()
        session.info["author"] = self.user
        session.info["store"] = self
        session.info["writes"] = True
        try:
            with session.begin():
                session.connection(execution_options={WRITE: True})
                yield session
        except (OperationalError, ProgrammingError, DataError) as exc:
            if _is_db_trouble(exc):
                raise self.explain(exc) from exc
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (no commit)."""
        session = self._sessions()
        session.info["store"] = self
        try:
            yield session
        except (OperationalError, ProgrammingError) as exc:
            if _is_db_trouble(exc):
                raise self.explain(exc) from exc
            raise
        finally:
            session.close()

    def lock_document(self, session: Session, document_id: int) -> None:
        """Make other writers of this document wait until ``session`` commits.

        SQLite already has one writer at a time (write transactions begin IMMEDIATE);
        PostgreSQL locks the document's row.  Call it *before* reading what you will
        check and write, so the check sees the latest committed state.
        """
        self.backend.lock_document(session, document_id)

    def is_empty(self) -> bool:
        from tolmach.store.models import Document

        with self.read() as s:
            return s.scalar(select(Document.id).limit(1)) is None

    # --- other people's changes ---------------------------------------------------
    def latest_revision_id(self, document_id: int | None = None) -> int:
        from tolmach.store.models import Revision

        with self.read() as s:
            q = select(func.max(Revision.id))
            if document_id is not None:
                q = q.where(Revision.document_id == document_id)
            return s.scalar(q) or 0

    def changes_since(self, document_id: int, after_revision_id: int) -> list[Change]:
        """Every change to a document journalled after ``after_revision_id``, oldest first.

        Polling this (one indexed query) is how a workbench on SQLite sees other
        processes' edits; on PostgreSQL :meth:`watch` wakes it first.
        """
        from tolmach.store.models import Revision, RevisionBead

        with self.read() as s:
            rows = s.execute(
                select(Revision.id, Revision.action, Revision.author, Revision.created_at)
                .where(Revision.document_id == document_id, Revision.id > after_revision_id)
                .order_by(Revision.id)
            ).all()
            beads: dict[int, list[int]] = {}
            if rows:
                for rev_id, bead_id in s.execute(
                    select(RevisionBead.revision_id, RevisionBead.bead_id)
                    .where(RevisionBead.revision_id.in_([r.id for r in rows]))
                    .order_by(RevisionBead.revision_id, RevisionBead.bead_id)
                ):
                    beads.setdefault(rev_id, []).append(bead_id)
        return [Change(r.id, document_id, tuple(beads.get(r.id, ())), r.action, r.author, r.created_at) for r in rows]

    def watch(self, document_id: int, after_revision_id: int | None = None) -> ChangeWatcher:
        """A watcher whose ``wait(timeout)`` returns the document's new changes."""
        return ChangeWatcher(self, document_id, self.latest_revision_id(document_id) if after_revision_id is None else after_revision_id)

    # --- checks -----------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """What is wrong with the database: the backend's own check (SQLite
        ``integrity_check`` and foreign keys, PostgreSQL ``amcheck`` where installed) and
        Tolmach's invariants (no two beads of a document at one position, the beads tiling
        its segments)."""
        from sqlalchemy import text

        with self.engine.connect() as conn:
            problems = self.backend.integrity_problems(conn)
            rows = conn.execute(
                text("SELECT document_id, count(id), count(DISTINCT position) FROM beads GROUP BY document_id")
            ).all()
            for doc, n, distinct in rows:
                if distinct != n:
                    problems.append(f"document {doc}: {n - distinct} of its {n} beads share a position with another")
            # each bead and the next one (positions have gaps: the next is the next in order)
            gaps = conn.execute(
                text(
                    "SELECT document_id, number FROM (SELECT document_id, src_start, src_end,"
                    " row_number() OVER (PARTITION BY document_id ORDER BY position) AS number,"
                    " lead(src_start) OVER (PARTITION BY document_id ORDER BY position) AS next_start,"
                    " lead(src_end) OVER (PARTITION BY document_id ORDER BY position) AS next_end FROM beads) AS pairs"
                    " WHERE src_end > next_start AND next_end > next_start AND src_end > src_start"
                )
            ).all()
            problems += [f"document {d}: beads {n} and {n + 1} overlap in the source" for d, n in gaps]
        return problems

    def close(self) -> None:
        self.engine.dispose()


class ChangeWatcher:
    """Waits for changes to one document made by anyone (this process included).

    PostgreSQL: a dedicated connection ``LISTEN``s on :data:`CHANNEL` and wakes as soon
    as a change commits.  SQLite: the revisions table is polled every ``poll`` seconds.
    Either way what is returned comes from :meth:`Store.changes_since`, so nothing is
    missed if a notification is.
    """

    def __init__(self, store: Store, document_id: int, after_revision_id: int, *, poll: float = 0.5) -> None:
        self.store = store
        self.document_id = document_id
        self.after = after_revision_id
        self.poll = poll
        self._conn = None
        if store.dialect == "postgresql":
            import psycopg

            url = store.target.url
            params: dict[str, Any] = {"host": url.host, "port": url.port, "user": url.username, "password": url.password, "dbname": url.database}
            params.update({k: v for k, v in url.query.items() if isinstance(v, str)})
            self._conn = psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v is not None})
            self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> list[Change]:
        """New changes to the document, waiting up to ``timeout`` seconds for the first."""
        deadline = time.monotonic() + timeout
        while True:
            changes = self.store.changes_since(self.document_id, self.after)
            if changes:
                self.after = changes[-1].revision_id
                return changes
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            if self._conn is not None:
                for note in self._conn.notifies(timeout=left, stop_after=1):
                    if note.payload != str(self.document_id):
                        continue
            else:
                time.sleep(min(self.poll, left))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_engine(target: Target, create: bool) -> tuple[Backend, Engine]:
    backend = backend_for(target)
    backend.check_before_open(create)
    return backend, backend.engine(BUSY_TIMEOUT_S)


def open_store(
    target: Path | str, *, create: bool = True, user: str | None = None, upgrade: bool | None = None
) -> Store:
    """Open (and if needed create) the database ``target`` names, checking its schema.

    ``target`` is a file path (SQLite) or a URL.  ``user`` names the person whose changes
    these are (default: ``$TOLMACH_USER`` or the login name).  ``upgrade``: migrate an
    older schema (default: yes for a SQLite file; on PostgreSQL ``tolmach db upgrade``
    does it, and opening an older database says so).
    """
    from tolmach import config

    tgt = parse_target(target)
    backend, engine = _open_engine(tgt, create)
    if upgrade is None:
        upgrade = isinstance(backend, SQLiteBackend)
    try:
        with engine.connect() as conn:
            state = schema.inspect_schema(conn)
            conn.rollback()
        problem = schema.refusal(state, tgt.label)
        if problem:
            raise problem
        if state.kind == "empty":
            if not create:
                raise DatabaseError(f"{tgt.label} holds no Tolmach database.")
            with engine.begin() as conn:
                schema.create(conn)
        elif state.needs_upgrade:
            if not upgrade:
                found = state.revision or f"schema {state.legacy_version}"
                raise DatabaseError(
                    f"{tgt.label} has an older Tolmach schema ({found}, this Tolmach needs {schema.head()}); "
                    f"back it up and run `tolmach db upgrade`."
                )
            backend.before_upgrade()
            with backend.migrating(engine) as conn:
                schema.upgrade(conn, state)
        with engine.begin() as conn:
            schema.create_missing_tables(conn)
        backend.after_schema(engine)
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise backend.explain(exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(tgt, backend, engine, user=config.user_name(user))


@dataclass(frozen=True)
class UpgradeReport:
    database: str
    before: str  # the revision (or "schema N" of a pre-Alembic database) found
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade_database(target: Path | str) -> UpgradeReport:
    """``tolmach db upgrade``: migrate an existing database to this Tolmach's head."""
    tgt = parse_target(target)
    backend, engine = _open_engine(tgt, create=False)
    try:
        with engine.connect() as conn:
            state = schema.inspect_schema(conn)
            conn.rollback()
        if state.kind == "empty":
            raise DatabaseError(f"{tgt.label} holds no Tolmach database to upgrade.")
        problem = schema.refusal(state, tgt.label)
        if problem:
            raise problem
        before = state.revision or f"schema {state.legacy_version}"
        if state.needs_upgrade:
            with backend.migrating(engine) as conn:
                schema.upgrade(conn, state)
        with engine.begin() as conn:
            schema.create_missing_tables(conn)
        backend.after_schema(engine)
        return UpgradeReport(tgt.label, before, schema.head())
    except (OperationalError, SADatabaseError) as exc:
        raise backend.explain(exc) from exc
    finally:
        engine.dispose()


def explain_operational_error(exc: BaseException, path: Path) -> DatabaseError:
    """Kept for callers from before the backends: SQLite's complaints as one sentence."""
    return SQLiteBackend(parse_target(path)).explain(exc)
