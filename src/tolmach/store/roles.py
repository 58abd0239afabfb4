"""Roles on a PostgreSQL team database: PostgreSQL's own grants plus one trigger.

Two group roles, shared by every Tolmach database of the server:

* ``tolmach_translator`` may read everything and change beads, their history and notes;
* ``tolmach_reviewer`` is a translator who may also mark a bead *reviewed*.

A person's database login is made a member of one of them (``tolmach db grant``).  Table
rights are plain ``GRANT``s; "only a reviewer marks a bead reviewed" is a row rule, which
a trigger on ``beads`` enforces (a bead is replaced, not updated, by every change, so
column privileges cannot say it).  The server checks all of it for every client, psql
included; there is no users table or password of Tolmach's own.  A SQLite file has no
roles: whoever may write the file may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tolmach.errors import DatabaseError
from tolmach.model import BeadStatus
from tolmach.store.db import Store

TRANSLATOR = "tolmach_translator"
REVIEWER = "tolmach_reviewer"
ROLES = {"translator": TRANSLATOR, "reviewer": REVIEWER}

#: Tables a translator writes while working (beads and their journal, notes, readings of
#: misprints, the aligner's project statistics, the glossary's word index a first match may fill);
#: the rest is the owner's.
WORK_TABLES = ("beads", "revisions", "revision_beads", "notes", "readings", "align_stats", "glossary_words", "glossary_keys")

_TRIGGER = f"""
CREATE OR REPLACE FUNCTION tolmach_only_reviewers_review() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = '{BeadStatus.REVIEWED.value}'
       AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status)
       AND NOT pg_has_role(current_user, '{REVIEWER}', 'MEMBER')
       AND current_user <> (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'beads')
    THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('%s is not a reviewer, so cannot mark bead %s reviewed', current_user,
                             (SELECT count(*) + 1 FROM beads b WHERE b.document_id = NEW.document_id AND b.position < NEW.position));
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS tolmach_only_reviewers_review ON beads;
CREATE TRIGGER tolmach_only_reviewers_review BEFORE INSERT OR UPDATE ON beads
    FOR EACH ROW EXECUTE FUNCTION tolmach_only_reviewers_review();
"""


@dataclass(frozen=True)
class RolesReport:
    database: str
    created: tuple[str, ...]  # group roles that did not exist yet


def _need_postgres(store: Store) -> None:
    if store.dialect != "postgresql":
        raise DatabaseError(
            f"{store.label} is a SQLite file: it has no roles (whoever may write the file may do everything); "
            "roles need a PostgreSQL database."
        )


def _run(store: Store, statements: list[str]) -> None:
    try:
        with store.engine.begin() as conn:
            for st in statements:
                conn.execute(text(st))
    except DBAPIError as exc:
        raise store.explain(exc) from exc


def enable_roles(store: Store) -> RolesReport:
    """Create the two group roles (if missing), grant them this database, add the trigger.

    Run by the database's owner; running it again is harmless (after new tables appear,
    it grants them too)."""
    _need_postgres(store)
    with store.engine.connect() as conn:
        existing = {r for (r,) in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname IN (:a, :b)"), {"a": TRANSLATOR, "b": REVIEWER})}
        db = conn.execute(text("SELECT current_database()")).scalar()
    created = tuple(r for r in (TRANSLATOR, REVIEWER) if r not in existing)
    statements = [f"CREATE ROLE {r} NOLOGIN" for r in created]
    if REVIEWER in created or TRANSLATOR in created:
        statements.append(f"GRANT {TRANSLATOR} TO {REVIEWER}")
    statements += [
        f'GRANT CONNECT ON DATABASE "{db}" TO {TRANSLATOR}',
        f"GRANT USAGE ON SCHEMA public TO {TRANSLATOR}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {TRANSLATOR}",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(WORK_TABLES)} TO {TRANSLATOR}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {TRANSLATOR}",
        # tables and sequences the owner creates later (migrations, new features) are readable too
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {TRANSLATOR}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {TRANSLATOR}",
        _TRIGGER,
    ]
    _run(store, statements)
    return RolesReport(str(db), created)


def disable_roles(store: Store) -> None:
    """Drop the trigger (the grants stay until revoked; the group roles may serve other databases)."""
    _need_postgres(store)
    _run(store, ["DROP TRIGGER IF EXISTS tolmach_only_reviewers_review ON beads", "DROP FUNCTION IF EXISTS tolmach_only_reviewers_review()"])


def grant(store: Store, login: str, role: str) -> None:
    """Make the database login ``login`` a translator or a reviewer (replacing the other)."""
    _need_postgres(store)
    if role not in ROLES:
        raise DatabaseError(f"Unknown role {role!r}: choose translator or reviewer.")
    if not login.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise DatabaseError(f"{login!r} is not a database login name Tolmach will quote safely.")
    with store.engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first() is None:
            raise DatabaseError(f"There is no database login {login!r}; create it first (`createuser {login}`).")
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": TRANSLATOR}).first() is None:
            raise DatabaseError("Roles are not switched on for this database; run `tolmach db roles enable` first.")
    other = REVIEWER if role == "translator" else TRANSLATOR
    statements = [f'GRANT {ROLES[role]} TO "{login}"']
    if role == "translator":
        statements.insert(0, f'REVOKE {other} FROM "{login}"')
    _run(store, statements)


def members(store: Store) -> list[tuple[str, str]]:
    """(login, role) for every member of the two roles."""
    _need_postgres(store)
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname IN (:a, :b) AND m.rolname NOT IN (:a, :b) ORDER BY 1"
            ),
            {"a": TRANSLATOR, "b": REVIEWER},
        ).all()
    best: dict[str, str] = {}
    for login, group in rows:
        if group == REVIEWER or login not in best:
            best[login] = "reviewer" if group == REVIEWER else "translator"
    return sorted(best.items())
