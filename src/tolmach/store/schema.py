"""The schema's version: Alembic revisions in ``store/migrations/versions``.

* A new database gets every table from the models (``create_all``) and is stamped with
  the head revision.
* A database from before Alembic (``meta.schema_version`` 1 to 3, no ``alembic_version``)
  is brought to schema 3 in place and stamped with the baseline revision, then migrated.
* A database at an older revision is migrated to the head: automatically when a SQLite
  file is opened (one person, one file, as before), and only by ``tolmach db upgrade`` on
  PostgreSQL (a shared database is upgraded once, deliberately, by its owner).
* A revision this Tolmach does not know was written by a newer one and is refused.

Tables added to the models after the head (new features not yet given a migration) are
created on open, so a feature's new table needs no migration until its columns change.

Opening a database that is already at the head reads its revision with one query and
compares it with :data:`HEAD`: Alembic (a tenth of a second to import, with Mako and every
SQL dialect) is imported only when something is to be created, stamped or migrated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from tolmach import __version__
from tolmach.errors import DatabaseError
from tolmach.store.models import SCHEMA_VERSION, Base

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001_baseline"
#: ``meta.schema_version`` of the last release before Alembic (the baseline's schema).
LEGACY_SCHEMA = 3
#: The newest revision in ``migrations/versions`` (``tests/test_store_team.py`` checks that it
#: is Alembic's one head): what a database opened without migrating must be at.
HEAD = "0006_glossary_keys"


def _config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The revision this Tolmach migrates to."""
    return HEAD


@dataclass(frozen=True)
class SchemaState:
    """What an opened database holds, before anything is changed."""

    kind: str  # "empty", "current", "older", "legacy", "newer", "foreign", "damaged"
    revision: str | None = None  # the Alembic revision found
    legacy_version: int | None = None  # meta.schema_version of a pre-Alembic database
    lost: tuple[str, ...] = ()  # core tables a Tolmach database has always had, missing here

    @property
    def needs_upgrade(self) -> bool:
        return self.kind in ("older", "legacy")


#: Tables every Tolmach database has had since schema 1; a database without one is damaged
#: (never silently recreated empty).
CORE_TABLES = frozenset({"meta", "documents", "segments", "beads", "revisions", "glossary_entries", "imported_files"})


def inspect_schema(conn: Connection) -> SchemaState:
    state = _inspect(conn)
    if state.kind in ("current", "older", "legacy"):  # a newer Tolmach may have other tables
        lost = tuple(sorted(CORE_TABLES - set(inspect(conn).get_table_names())))
        if lost:
            return SchemaState("damaged", state.revision, state.legacy_version, lost)
    return state


def _inspect(conn: Connection) -> SchemaState:
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return SchemaState("empty")
    if "meta" not in tables:
        return SchemaState("foreign")
    if "alembic_version" in tables:
        found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
        if len(found) != 1:  # none, or the heads of unmerged branches
            return SchemaState("damaged")
        rev = found[0]
        if rev == HEAD:
            return SchemaState("current", rev)
        return SchemaState("older" if _known(script(), rev) else "newer", rev)
    raw = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar()
    if raw is None or not str(raw).isdigit():
        return SchemaState("damaged")
    if int(raw) > LEGACY_SCHEMA:
        return SchemaState("newer", None, int(raw))
    return SchemaState("legacy", None, int(raw))


def _known(sd: ScriptDirectory, rev: str) -> bool:
    try:
        return sd.get_revision(rev) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False


def refusal(state: SchemaState, label: str) -> DatabaseError | None:
    """The one-sentence refusal for a database we must not touch (None: usable)."""
    if state.kind == "foreign":
        return DatabaseError(f"{label} is a database but not a Tolmach one; refusing to change it.")
    if state.kind == "damaged" and state.lost:
        return DatabaseError(
            f"{label} lacks Tolmach's {', '.join(state.lost)} table(s); it is damaged. "
            "`tolmach db check` tells more and `tolmach db recover` saves what is intact."
        )
    if state.kind == "damaged":
        return DatabaseError(f"{label} has no Tolmach schema version; it may be damaged.")
    if state.kind == "newer":
        found = state.revision or f"schema {state.legacy_version}"
        return DatabaseError(
            f"{label} was written by a newer Tolmach (schema {found}, this one knows up to {head()}); upgrade Tolmach."
        )
    return None


def create(conn: Connection) -> None:
    """A new database: every table from the models, stamped with the head revision."""
    from alembic import command
    from sqlalchemy.orm import Session

    from tolmach.store.models import Meta

    Base.metadata.create_all(conn)
    with Session(conn) as s:
        s.add_all(
            [
                Meta(key="schema_version", value=str(SCHEMA_VERSION)),
                Meta(key="created_by", value=f"tolmach {__version__}"),
            ]
        )
        s.flush()
    command.stamp(_config(conn), "head")


def adopt_legacy(conn: Connection, found: int) -> None:
    """Bring a pre-Alembic database (schema 1..3) to schema 3 and stamp the baseline."""
    from alembic import command

    if found < 2:
        conn.exec_driver_sql("ALTER TABLE revisions ADD COLUMN author TEXT NOT NULL DEFAULT ''")
    if found < 3:
        Base.metadata.tables["notes"].create(conn, checkfirst=True)
    command.stamp(_config(conn), BASELINE)


def upgrade(conn: Connection, state: SchemaState) -> None:
    """Migrate to the head inside the caller's transaction."""
    from alembic import command

    if state.kind == "legacy":
        assert state.legacy_version is not None
        adopt_legacy(conn, state.legacy_version)
    command.upgrade(_config(conn), "head")


def create_missing_tables(conn: Connection) -> list[str]:
    """Tables of the models that the database lacks (features newer than the head)."""
    missing = sorted(set(Base.metadata.tables) - set(inspect(conn).get_table_names()))
    if missing:
        Base.metadata.create_all(conn, tables=[Base.metadata.tables[t] for t in missing])
    return missing
