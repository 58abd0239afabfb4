"""``tolmach db copy SRC DST``: move a project between SQLite and PostgreSQL, verified.

Every table of the models is copied row by row with its ids (revisions name beads by id),
in dependency order and in one transaction on the destination.  Before that transaction
commits, each table's row count and a SHA-256 over its rows (ordered by primary key,
values normalised: timestamps to UTC, JSON with sorted keys) are computed on both sides;
any difference rolls the whole copy back.  The destination must hold no Tolmach data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, delete, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from tolmach.errors import DatabaseError
from tolmach.store.db import Store, open_store
from tolmach.store.models import Base

BATCH = 2000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str  # the same on both sides, or the copy was rolled back


@dataclass
class CopyReport:
    source: str
    destination: str
    tables: list[TableCopy] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _ordered(table: Table) -> Select[Any]:
    return select(table).order_by(*table.primary_key.columns)


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    """(rows, SHA-256 of the normalised rows in primary-key order) of one table."""
    h = hashlib.sha256()
    n = 0
    for row in conn.execute(_ordered(table).execution_options(yield_per=BATCH)):
        h.update(json.dumps([_norm(v) for v in row], sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(b"\n")
        n += 1
    return n, h.hexdigest()


def _rows(conn: Connection, table: Table) -> Iterable[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in conn.execute(_ordered(table).execution_options(yield_per=BATCH)):
        batch.append(dict(row._mapping))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _has_data(conn: Connection) -> bool:
    from tolmach.store.models import Document, GlossaryEntry

    return any(conn.scalar(select(func.count()).select_from(t)) for t in (Document.__table__, GlossaryEntry.__table__))


def copy_database(
    source: Path | str | Store,
    destination: Path | str,
    *,
    on_table: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every Tolmach table from ``source`` to an empty ``destination``; verified."""
    src = source if isinstance(source, Store) else open_store(source, create=False)
    dst = open_store(destination)
    report = CopyReport(src.label, dst.label)
    tables = [t for t in Base.metadata.sorted_tables]
    try:
        with src.engine.connect() as sconn, dst.engine.connect() as dconn:
            dconn = dconn.execution_options(**{"tolmach_write": True})
            with dconn.begin():
                if _has_data(dconn):
                    raise DatabaseError(f"{dst.label} already holds Tolmach documents or glossary entries; copy into an empty database.")
                existing = set(inspect(sconn).get_table_names())
                for table in tables:
                    if table.name not in existing:
                        continue
                    if table.name == "meta":
                        dconn.execute(delete(table))
                    for batch in _rows(sconn, table):
                        dconn.execute(table.insert(), batch)
                    before = table_digest(sconn, table)
                    after = table_digest(dconn, table)
                    if before != after:
                        raise DatabaseError(
                            f"The copy of table {table.name} does not match its source "
                            f"({before[0]} rows in {src.label}, {after[0]} in {dst.label}); nothing was copied."
                        )
                    report.tables.append(TableCopy(table.name, after[0], after[1]))
                    if on_table:
                        on_table(table.name, after[0])
                dst.backend.after_copy(dconn, [t.name for t in tables if "id" in t.c and t.name in existing])
            sconn.rollback()
    except (OperationalError, SADatabaseError) as exc:
        raise dst.explain(exc) from exc
    finally:
        if not isinstance(source, Store):
            src.close()
        dst.close()
    return report


def verify_copy(source: Path | str | Store, destination: Path | str | Store) -> list[str]:
    """Tables whose counts or checksums differ between two databases (empty: identical)."""
    a = source if isinstance(source, Store) else open_store(source, create=False)
    b = destination if isinstance(destination, Store) else open_store(destination, create=False)
    try:
        with a.engine.connect() as ac, b.engine.connect() as bc:
            return [t.name for t in Base.metadata.sorted_tables if table_digest(ac, t) != table_digest(bc, t)]
    finally:
        if not isinstance(source, Store):
            a.close()
        if not isinstance(destination, Store):
            b.close()
