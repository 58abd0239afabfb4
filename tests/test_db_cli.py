"""``tolmach db ...`` and ``tolmach history`` through the real command, on both backends;
roles on a real PostgreSQL server with real logins."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tolmach.service import beads as svc
from tolmach.store import Store, open_store

from conftest import REPO

SCHEMA1 = REPO / "tests" / "fixtures" / "schema1.db"


def tolmach(*args: str, user: str = "tester", db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TOLMACH_USER=user)
    env.pop("TOLMACH_DB", None)
    pre = ["--db", db] if db else []
    return subprocess.run([sys.executable, "-m", "tolmach", *pre, *args], capture_output=True, text=True, env=env, timeout=120)


def test_db_upgrade_on_a_released_file(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(SCHEMA1, db)
    res = tolmach("db", "upgrade", db=str(db))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"Upgraded {db} from schema 1 to ")
    res = tolmach("db", "upgrade", db=str(db))
    assert "already at" in res.stdout
    res = tolmach("db", "check", db=str(db))
    assert res.returncode == 0 and "no problems" in res.stdout


def test_history_names_who_changed_what(seeded_store: Store) -> None:
    url = seeded_store.url
    d = 3  # Document I
    assert tolmach("history", "Document I", "2", db=url).stdout.startswith("Bead 2 has not been changed")
    bead = svc.load_beads(seeded_store, d)[1]
    ana, bob = open_store(url, user="Ana Pauker"), open_store(url, user="bob")
    svc.edit_target(ana, bead.id, "Dear comrades!")
    svc.set_status(bob, bead.id, "reviewed")
    ana.close()
    bob.close()
    res = tolmach("history", "Document I", "2", db=url)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "bob  status  [edited → reviewed]" in lines[0]
    assert "Ana Pauker  edit  [empty → edited]" in lines[1]
    assert lines[2:4] == ["    - (empty)", "    + Dear comrades!"]
    rows = [json.loads(x) for x in tolmach("history", "Document I", "2", "--json", db=url).stdout.splitlines()]
    assert [(r["author"], r["action"], r["after"]) for r in rows] == [("bob", "status", "Dear comrades!"), ("Ana Pauker", "edit", "Dear comrades!")]
    bad = tolmach("history", "Document I", "999", db=url)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "no bead 999" in bad.stderr


def test_db_copy_sqlite_project_into_postgresql(tmp_path: Path, pg_url: str) -> None:
    src = tmp_path / "mine.db"
    shutil.copy(SCHEMA1, src)
    res = tolmach("db", "copy", str(src), pg_url)
    assert res.returncode == 0, res.stderr
    assert "counts and checksums match" in res.stdout
    rows = {line.split()[0]: int(line.split()[1]) for line in res.stdout.splitlines()[:-1]}
    assert rows["beads"] == 248 and rows["revisions"] == 6 and rows["glossary_entries"] == 110
    shown = tolmach("show", "1", "--json", db=pg_url)
    assert shown.returncode == 0, shown.stderr
    first = json.loads(shown.stdout.splitlines()[0])
    assert first["target"].startswith("To the Executive Committee")
    again = tolmach("db", "copy", str(src), pg_url)
    assert again.returncode == 1 and "already holds" in again.stderr


def test_roles_on_sqlite_say_they_need_postgresql(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("about SQLite")
    res = tolmach("db", "roles", "enable", db=store.url)
    assert res.returncode == 1 and "has no roles" in res.stderr


@pytest.mark.postgresql
def test_roles_translators_edit_reviewers_review_strangers_are_told(pg_cluster, seeded_store: Store, tmp_path: Path) -> None:
    if seeded_store.dialect != "postgresql":
        pytest.skip("roles are PostgreSQL grants")
    url = seeded_store.url
    for login in ("tr_ana", "rv_bob", "visitor"):
        pg_cluster.sql(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login}') THEN CREATE ROLE {login} LOGIN; END IF; END $$")
    pg_cluster.sql("REVOKE ALL ON DATABASE postgres FROM PUBLIC")
    res = tolmach("db", "roles", "enable", db=url)
    assert res.returncode == 0, res.stderr
    assert tolmach("db", "grant", "tr_ana", "translator", db=url).returncode == 0
    assert tolmach("db", "grant", "rv_bob", "reviewer", db=url).returncode == 0
    listed = tolmach("db", "roles", "list", db=url).stdout.splitlines()
    assert "tr_ana\ttranslator" in listed and "rv_bob\treviewer" in listed

    as_ana = url.replace("postgres@", "tr_ana@")
    as_bob = url.replace("postgres@", "rv_bob@")
    as_visitor = url.replace("postgres@", "visitor@")
    bead = svc.load_beads(seeded_store, 3)[1]
    ana = open_store(as_ana, user="ana")
    svc.edit_target(ana, bead.id, "Dear comrades!")  # a translator may edit
    from tolmach.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="tr_ana is not a reviewer") as err:
        svc.set_status(ana, bead.id, "reviewed")
    assert "tolmach db grant tr_ana" in str(err.value)
    assert svc.get_bead(ana, bead.id).status == "edited"  # nothing half-written
    bob = open_store(as_bob, user="bob")
    assert svc.set_status(bob, bead.id, "reviewed").status == "reviewed"  # a reviewer may review
    # a translator may still edit a reviewed bead (it becomes edited again) and merge next to it
    assert svc.edit_target(ana, bead.id, "Dear Comrades!").status == "edited"
    ana.close()
    bob.close()
    # a login without a role: one clear sentence through the CLI
    res = tolmach("show", "Document I", db=as_visitor)
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and "visitor may not do this" in res.stderr and "tolmach db grant visitor" in res.stderr
    # the translator role cannot import documents (the owner's work); nothing is half-written
    letter = tmp_path / "letter.txt"
    letter.write_text("Уважаемые товарищи!\nНаш посол сообщил о вашей реакции.\n", encoding="utf-8")
    res = tolmach("import", str(letter), db=as_ana)
    assert res.returncode == 1 and "tr_ana may not do this" in res.stderr and "imported_files" in res.stderr
    assert tolmach("import", str(letter), db=url).returncode == 0  # the owner may


@pytest.mark.postgresql
def test_a_translator_login_uses_the_translation_memory(pg_cluster, seeded_store: Store) -> None:
    """`tm match`, `search` and `translate --from-tm` as a translator: the memory's indexes
    are the owner's to build (`roles enable` builds them), and a translator's login must
    not try to create them again (PostgreSQL refuses even `CREATE ... IF NOT EXISTS` on
    a table one does not own)."""
    if seeded_store.dialect != "postgresql":
        pytest.skip("roles are PostgreSQL grants")
    url = seeded_store.url
    pg_cluster.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tr_tm') THEN CREATE ROLE tr_tm LOGIN; END IF; END $$")
    assert tolmach("db", "roles", "enable", db=url).returncode == 0
    assert tolmach("db", "grant", "tr_tm", "translator", db=url).returncode == 0
    bead = svc.load_beads(seeded_store, 4)[0]  # Document II's first bead, translated by a person
    svc.edit_target(seeded_store, bead.id, "The CC of the CPSU does not consider acceptable the proposal.")
    as_translator = url.replace("postgres@", "tr_tm@")
    res = tolmach("tm", "match", " ".join(bead.sources), db=as_translator)
    assert res.returncode == 0 and "does not consider acceptable" in res.stdout, res.stderr
    res = tolmach("search", "КПСС", db=as_translator)
    assert res.returncode == 0 and "hit(s)" in res.stdout, res.stderr
    res = tolmach("translate", "Document I", "--from-tm", db=as_translator)
    assert res.returncode == 0 and "Document I: filled" in res.stdout, res.stderr
