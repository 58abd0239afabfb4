"""Every revision records who made it; a schema-1 database is upgraded in place."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tolmach.service.beads import edit_target, history, load_beads
from tolmach.store import open_store

from conftest import SEED_RU, downgrade


def test_revision_records_the_store_user(tmp_path: Path) -> None:
    from tolmach.service.documents import import_seeds

    st = open_store(tmp_path / "a.db", user="Ana Pauker")
    import_seeds(st, SEED_RU.parent)
    bead = next(b for b in load_beads(st, 1))
    edit_target(st, bead.id, "To the Executive Committee")
    assert history(st, bead.id)[0].author == "Ana Pauker"
    st.close()


def test_user_from_environment_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    import os

    env = {"TOLMACH_USER": "m.dalea", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TOLMACH_DATA_DIR": str(tmp_path),
           "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "tolmach", "--db", str(db), *a], env=env, capture_output=True, text=True)  # noqa: E731
    assert run("import", str(SEED_RU)).returncode == 0
    bead = json.loads(run("show", "1", "--json").stdout.splitlines()[0])
    assert bead["source"]
    tsv = tmp_path / "t.tsv"
    st = open_store(db, user="someone else")
    first = load_beads(st, 1)[0]
    st.close()
    tsv.write_text(f"source\ttarget\n{first.source}\tTo the Executive Committee\n", encoding="utf-8")
    res = run("import-tm", str(tsv))
    assert res.returncode == 0, res.stderr
    con = sqlite3.connect(db)
    authors = {a for (a,) in con.execute("SELECT author FROM revisions")}
    con.close()
    assert authors == {"m.dalea"}


def test_schema_1_database_is_upgraded_with_its_beads(tmp_path: Path) -> None:
    from tolmach.service.documents import import_seeds

    db = tmp_path / "old.db"
    st = open_store(db)
    import_seeds(st, SEED_RU.parent)
    edit_target(st, load_beads(st, 1)[0].id, "Dear comrades")
    count = len(load_beads(st, 1))
    downgrade(st, "0001_baseline")
    st.close()
    # make it what schema 1 wrote: no author column, no notes, no Alembic, no bead versions, version 1
    # (tests/fixtures/schema1.db is a file written by the released code itself: test_store_team.py)
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE revisions DROP COLUMN author")
    con.execute("DROP TABLE notes")
    con.execute("DROP TABLE alembic_version")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    st = open_store(db, user="upgrader")
    assert len(load_beads(st, 1)) == count
    assert load_beads(st, 1)[0].target == "Dear comrades"
    edit_target(st, load_beads(st, 1)[0].id, "Dear Comrades!")
    assert history(st, load_beads(st, 1)[0].id)[0].author == "upgrader"
    st.close()
    con = sqlite3.connect(db)
    from tolmach.store.models import SCHEMA_VERSION

    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert con.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    con.close()
