"""A team on one database: migrations, versions and conflicts, other people's changes,
copying a project between SQLite and PostgreSQL (each on both backends where it applies)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tolmach.errors import ConflictError, DatabaseError
from tolmach.service import beads as svc
from tolmach.service.documents import find_document
from tolmach.store import POSITION_GAP, Revision, Store, open_store, upgrade_database
from tolmach.store import schema

from conftest import REPO, downgrade

SCHEMA1 = REPO / "tests" / "fixtures" / "schema1.db"


def doc_id(store: Store, name: str = "Document I") -> int:
    with store.read() as s:
        return find_document(s, name).id


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "segments", "beads", "revisions", "glossary_entries")}
    finally:
        con.close()


# ----------------------------------------------------------------- migrations


def test_schema_head_is_the_one_head_of_the_migrations() -> None:
    """Opening a database compares its revision with ``schema.HEAD`` without Alembic: a new
    migration (or two unmerged branches) must show here."""
    assert schema.script().get_heads() == [schema.HEAD]


def test_released_schema1_file_is_upgraded_keeping_every_bead_and_revision(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(SCHEMA1, db)
    con = sqlite3.connect(db)
    beads_before = con.execute("SELECT id, document_id, position, src_start, src_end, target, status, origin FROM beads ORDER BY id").fetchall()
    revs_before = con.execute("SELECT id, bead_id, action, before, after FROM revisions ORDER BY id").fetchall()
    strings = con.execute("SELECT id, bead_ids FROM revisions ORDER BY id").fetchall()
    con.close()
    before = counts(db)
    assert before["revisions"] == 6 and before["beads"] > 200  # what the fixture holds (made by c97b690)

    report = upgrade_database(db)
    assert report.before == "schema 1" and report.after == schema.head()

    con = sqlite3.connect(db)
    # every bead kept, in its order; positions spread out (migration 0005: gaps for splits)
    ranks = {b[0]: i for d in {b[1] for b in beads_before}
             for i, b in enumerate(sorted((b for b in beads_before if b[1] == d), key=lambda b: b[2]))}
    assert con.execute("SELECT id, document_id, position, src_start, src_end, target, status, origin FROM beads ORDER BY id").fetchall() == [
        (b[0], b[1], ranks[b[0]] * POSITION_GAP, *b[3:]) for b in beads_before]
    assert con.execute("SELECT id, bead_id, action, before, after FROM revisions ORDER BY id").fetchall() == revs_before
    assert {a for (a,) in con.execute("SELECT author FROM revisions")} == {""}  # unknown before authors existed
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema.head(),)]
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("4",)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the ",id,id," strings became rows of the join table, and the column is gone
    assert sorted(con.execute("SELECT revision_id, bead_id FROM revision_beads")) == sorted(
        (rev, int(x)) for rev, ids in strings for x in ids.split(",") if x)
    assert len(strings) == 6 and all(ids.startswith(",") for _, ids in strings)
    assert "bead_ids" not in {r[1] for r in con.execute("PRAGMA table_info(revisions)")}
    con.close()
    assert counts(db) == before

    st = open_store(db, user="reviewer")
    d = 1  # the fixture's edits are in its first document
    first = svc.load_beads(st, d)[0]
    assert first.target.startswith("To the Executive Committee") and first.version == 1
    svc.undo(st, svc.load_beads(st, d)[2].id)  # the merge made by the old release undoes
    assert svc.history(st, first.id)[0].action == "edit"
    assert st.integrity_problems() == []
    st.close()


def test_opening_a_released_file_upgrades_it_automatically(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(SCHEMA1, db)
    n = counts(db)["beads"]
    st = open_store(db, user="x")
    assert sum(len(svc.load_beads(st, d)) for d in range(1, 6)) == n
    svc.edit_target(st, svc.load_beads(st, 1)[1].id, "Dear comrades, again!")
    assert svc.history(st, svc.load_beads(st, 1)[1].id)[0].author == "x"
    st.close()
    assert upgrade_database(db).changed is False


def test_migrations_build_the_models_schema(tmp_path: Path) -> None:
    """Running every migration from nothing gives what the models (create_all) give."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from tolmach.store.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)")
        conn.exec_driver_sql("INSERT INTO meta VALUES ('schema_version', '3')")
        conn.exec_driver_sql("DROP TABLE meta")
        from alembic import command

        command.upgrade(schema._config(conn), "head")
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # tables that no migration creates yet are made by create_all on open; columns are not
    extra_tables = {t for t in Base.metadata.tables} - {
        "meta", "imported_files", "documents", "segments", "beads", "revisions", "revision_beads", "notes", "glossary_entries",
        "glossary_words", "glossary_keys",
    }
    diff = [d for d in diff if not (d[0] == "add_table" and d[1].name in extra_tables)]
    diff = [d for d in diff if not (d[0] == "add_index" and d[1].table.name in extra_tables)]
    assert diff == [], f"the models differ from the migrations; add a migration: {diff}"


def test_files_beside_the_database_never_land_in_the_working_directory(store: Store, backend: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A SQLite store names its file; a server has no path, and what belongs with it (the
    workbench's rescue files) goes to the state folder, not to wherever the command ran."""
    import os

    from tolmach import config

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    beside = store.companion_path
    if backend == "sqlite":
        assert store.path is not None and beside == store.path
    else:
        assert store.path is None
        assert beside.parent == config.state_dir() / "databases" and beside.parent.is_dir()
        assert beside.name == store.engine.url.database
    rescue = beside.with_name(f"{beside.stem}.unsaved-bead1-x.txt")
    rescue.write_text("typed", encoding="utf-8")
    assert os.listdir(cwd) == []


def test_a_revisions_beads_move_between_the_string_and_the_join_table(seeded_store: Store) -> None:
    """Migration 0004 on both backends: down to 0003 (the ",id,id," string) and up again
    (the revision_beads rows) keeps which beads every revision produced; history and undo
    of a merge and a split then work on the upgraded database."""
    from sqlalchemy import text

    st = seeded_store
    d = doc_id(st)
    beads = svc.load_beads(st, d)
    svc.edit_target(st, beads[1].id, "Dear comrades!")
    merged = svc.merge_with_next(st, beads[3].id)
    svc.edit_target(st, merged.id, "Two sentences. Made one.")
    parts = svc.split_bead(st, merged.id, source_at=1, target_at=15)
    url = st.url
    with st.read() as s:
        want = sorted(s.execute(text("SELECT revision_id, bead_id FROM revision_beads")).all())
    assert {b for _, b in want} >= {beads[1].id, merged.id, *(p.id for p in parts)}
    downgrade(st, "0003_document_role")
    with st.engine.connect() as conn:
        strings = conn.execute(text("SELECT id, bead_ids FROM revisions")).all()
        assert "revision_beads" not in inspect_tables(conn)
    assert sorted((rev, int(x)) for rev, ids in strings for x in ids.split(",") if x) == want
    st.close()

    report = upgrade_database(url)
    assert report.before == "0003_document_role" and report.after == schema.head()
    st = open_store(url, user="x")
    with st.read() as s:
        assert sorted(s.execute(text("SELECT revision_id, bead_id FROM revision_beads")).all()) == want
    assert [r.action for r in svc.history(st, parts[0].id)][:2] == ["split", "edit"]
    svc.undo(st, parts[0].id)  # the split is undone: the merged bead is back
    assert svc.load_beads(st, d)[3].target == "Two sentences. Made one."
    st.close()


def inspect_tables(conn) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def test_newer_schema_is_refused_untouched(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    url = store.url
    store.close()
    with pytest.raises(DatabaseError, match="newer Tolmach"):
        open_store(url)
    with pytest.raises(DatabaseError, match="newer Tolmach"):
        upgrade_database(url)


def test_older_postgresql_database_waits_for_db_upgrade(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("a SQLite file is upgraded when opened")
    downgrade(store, schema.BASELINE)
    url = store.url
    store.close()
    with pytest.raises(DatabaseError, match="run `tolmach db upgrade`"):
        open_store(url)
    assert upgrade_database(url).before == "0001_baseline"
    open_store(url).close()


def test_foreign_database_is_refused(pg_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE invoices (id integer)")
    engine.dispose()
    with pytest.raises(DatabaseError, match="not a Tolmach one"):
        open_store(pg_url)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE invoices (id integer)")
    con.close()
    with pytest.raises(DatabaseError, match="not a Tolmach one"):
        open_store(other)


def test_missing_database_and_login_are_named(pg_cluster) -> None:
    with pytest.raises(DatabaseError, match="There is no database nosuchdb on the server; create it with `createdb nosuchdb`"):
        open_store(pg_cluster.url("nosuchdb"))
    with pytest.raises(DatabaseError, match="The server has no login nobody"):
        open_store(pg_cluster.url("postgres", user="nobody"))


def test_bad_urls_are_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="not mysql"):
        open_store("mysql://u@h/db")
    with pytest.raises(DatabaseError, match="names no database"):
        open_store("postgresql+psycopg://u@localhost")
    with pytest.raises(DatabaseError, match="Cannot reach|could not be used|no database"):
        open_store(f"postgresql+psycopg://nobody@/nodb?host={tmp_path}&port=1")


# ----------------------------------------------------------------- versions and conflicts


def test_a_save_based_on_an_older_version_is_refused_with_both_texts(seeded_store: Store) -> None:
    url = seeded_store.url
    ana = open_store(url, user="ana")
    bob = open_store(url, user="bob")
    bead = svc.load_beads(ana, doc_id(ana))[2]
    seen_by_ana = svc.get_bead(ana, bead.id)
    seen_by_bob = svc.get_bead(bob, bead.id)
    saved = svc.edit_target(bob, bead.id, "Our ambassador reported (Bob).", base_version=seen_by_bob.version)
    assert saved.version == seen_by_bob.version + 1
    with pytest.raises(ConflictError) as err:
        svc.edit_target(ana, bead.id, "Our ambassador said (Ana).", base_version=seen_by_ana.version)
    e = err.value
    assert (e.mine, e.theirs, e.theirs_author) == ("Our ambassador said (Ana).", "Our ambassador reported (Bob).", "bob")
    assert (e.base_version, e.current_version) == (seen_by_ana.version, saved.version)
    assert e.base is None  # typed on the imported text, which no revision records
    assert "Our ambassador said (Ana)." in str(e) and "Our ambassador reported (Bob)." in str(e)
    assert svc.get_bead(ana, bead.id).target == "Our ambassador reported (Bob)."
    # taking theirs and editing again, on the current version, saves
    again = svc.edit_target(ana, bead.id, "Our ambassador reported (Ana, after Bob).", base_version=e.current_version)
    assert again.version == saved.version + 1
    with pytest.raises(ConflictError) as err:  # Bob, still on his own version: the base is his text
        svc.edit_target(bob, bead.id, "Bob's second try.", base_version=saved.version)
    assert (err.value.base, err.value.theirs, err.value.theirs_author) == (
        "Our ambassador reported (Bob).", "Our ambassador reported (Ana, after Bob).", "ana")
    assert [r.author for r in svc.history(ana, bead.id)[:2]] == ["ana", "bob"]
    # a merge away is a conflict too
    svc.merge_with_next(bob, bead.id)
    with pytest.raises(ConflictError):
        svc.set_status(ana, bead.id, "reviewed", base_version=again.version)
    ana.close()
    bob.close()


def test_versions_only_grow_through_undo(seeded_store: Store) -> None:
    b = svc.load_beads(seeded_store, doc_id(seeded_store))[1]
    v1 = svc.edit_target(seeded_store, b.id, "one").version
    v2 = svc.edit_target(seeded_store, b.id, "two").version
    (restored,) = svc.undo(seeded_store, b.id)
    assert restored.target == "one" and restored.version > v2 > v1


def test_reviewed_bead_is_not_overwritten_by_a_machine_draft_from_another_session(seeded_store: Store) -> None:
    from tolmach.service.translation import translate_document

    url = seeded_store.url
    mt = open_store(url, user="mt-runner")
    reviewer = open_store(url, user="reviewer")
    d = doc_id(mt)
    target = svc.load_beads(mt, d)[3]
    assert target.status == "empty"

    class SlowMT:
        """A translator during whose work the reviewer saves and reviews bead 4."""

        origin = "test-mt"

        def translate(self, sentences):
            if target.sources[0] in sentences:
                svc.edit_target(reviewer, target.id, "Reviewed by a person.")
                svc.set_status(reviewer, target.id, "reviewed")
            return [f"MT {s[:10]}" for s in sentences]

    report = translate_document(mt, d, translator=SlowMT(), batch_size=1000)
    assert report.changed_meanwhile == 1
    after = svc.get_bead(mt, target.id)
    assert (after.target, after.status) == ("Reviewed by a person.", "reviewed")
    assert all(b.status == "machine" for b in svc.load_beads(mt, d) if b.id != target.id and b.target.startswith("MT "))
    mt.close()
    reviewer.close()


# ----------------------------------------------------------------- other people's changes


def test_changes_since_and_watch_see_another_sessions_edit(seeded_store: Store) -> None:
    url = seeded_store.url
    d = doc_id(seeded_store)
    start = seeded_store.latest_revision_id(d)
    other = open_store(url, user="colleague")
    bead = svc.load_beads(other, d)[5]
    watcher = seeded_store.watch(d)
    got: list = []
    t = threading.Thread(target=lambda: got.extend(watcher.wait(10.0)))
    t.start()
    time.sleep(0.3)
    began = time.monotonic()
    svc.edit_target(other, bead.id, "A colleague's sentence.")
    t.join(12)
    waited = time.monotonic() - began
    watcher.close()
    assert [(c.action, c.author, c.bead_ids) for c in got] == [("edit", "colleague", (bead.id,))]
    assert waited < 2.0  # "within a couple of seconds"
    assert [c.revision_id for c in seeded_store.changes_since(d, start)] == [got[0].revision_id]
    assert seeded_store.changes_since(d, got[0].revision_id) == []
    other.close()


def test_watch_times_out_quietly(seeded_store: Store) -> None:
    with seeded_store.watch(doc_id(seeded_store)) as w:
        began = time.monotonic()
        assert w.wait(0.6) == []
        assert 0.5 < time.monotonic() - began < 3


# ----------------------------------------------------------------- copy


@pytest.mark.parametrize("dst_kind", ["sqlite", "postgresql"])
def test_copy_to_an_empty_database_is_verified_and_complete(seeded_store: Store, dst_kind: str, tmp_path: Path, request) -> None:
    from tolmach.store.copy import copy_database, verify_copy

    first = svc.load_beads(seeded_store, 1)[0]
    svc.edit_target(seeded_store, first.id, "Пример «кавычки» — and 'quotes'")
    svc.undo(seeded_store, first.id)
    dst = request.getfixturevalue("pg_url") if dst_kind == "postgresql" else str(tmp_path / "copy.db")
    report = copy_database(seeded_store, dst)
    by_table = {t.table: t.rows for t in report.tables}
    with seeded_store.read() as s:
        assert by_table["revisions"] == len(list(s.scalars(select(Revision.id)))) == 2
    assert by_table["documents"] == 5 and by_table["segments"] > 200 and by_table["glossary_entries"] == 0
    assert verify_copy(seeded_store, dst) == []
    copied = open_store(dst, user="after-copy")
    assert [(b.id, b.target, b.version) for b in svc.load_beads(copied, 1)] == [
        (b.id, b.target, b.version) for b in svc.load_beads(seeded_store, 1)
    ]
    # new rows get ids after the copied ones (PostgreSQL's sequences were moved on)
    svc.edit_target(copied, first.id, "After the copy.")
    assert [r.id for r in svc.history(copied, first.id)] == [3, 2, 1]
    assert [r.action for r in svc.history(copied, first.id)] == ["edit", "undo", "edit"]  # the history came along
    copied.close()
    with pytest.raises(DatabaseError, match="already holds"):
        copy_database(seeded_store, dst)
    assert verify_copy(seeded_store, dst) == ["beads", "revisions", "revision_beads"]  # the edit above, nothing else


# ----------------------------------------------------------------- the workbench on both


def test_workbench_opens_and_saves_on_both_backends(seeded_store: Store) -> None:
    """The workbench itself does not know the backend: open Document I, type, save."""
    import asyncio

    from tui_fixtures import opened, screen_text, settle

    d = doc_id(seeded_store)

    async def scenario() -> None:
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            assert "Уважаемые товарищи" in screen_text(app)
            await pilot.press("enter", *"To the Executive Committee", "ctrl+s")
            await settle(pilot)

    asyncio.run(scenario())
    first = svc.load_beads(seeded_store, d)[0]
    assert first.target == "To the Executive Committee" and first.version == 2
    assert svc.history(seeded_store, first.id)[0].author == seeded_store.user


def test_authorship_names_the_first_and_last_author_of_each_bead(seeded_store: Store) -> None:
    from tolmach.service.history import authorship

    d = doc_id(seeded_store)
    beads = svc.load_beads(seeded_store, d)
    ana, bob = open_store(seeded_store.url, user="ana"), open_store(seeded_store.url, user="bob")
    svc.edit_target(ana, beads[0].id, "To the Executive Committee")
    svc.edit_target(ana, beads[1].id, "Dear comrades!")
    svc.set_status(bob, beads[1].id, "reviewed")
    merged = svc.merge_with_next(bob, beads[3].id)
    last = authorship(ana, d)
    assert {k: (v.author, v.action) for k, v in last.items()} == {
        beads[0].id: ("ana", "edit"), beads[1].id: ("bob", "status"), merged.id: ("bob", "merge")
    }
    assert (last[beads[1].id].first_author, last[merged.id].first_author) == ("ana", "bob")
    ana.close()
    bob.close()


@pytest.mark.parametrize("legacy", [2, 3])
def test_files_of_schema_2_and_3_are_adopted(tmp_path: Path, legacy: int) -> None:
    """What the code before Alembic wrote at schema 2 (authors) and 3 (notes)."""
    from tolmach.service.documents import import_seeds
    from tolmach.service.notes import add_note

    from conftest import SEED_RU

    db = tmp_path / "legacy.db"
    st = open_store(db, user="early")
    import_seeds(st, SEED_RU.parent)
    first = svc.load_beads(st, 1)[0]
    svc.edit_target(st, first.id, "Primary sources")
    if legacy == 3:
        add_note(st, first.id, "checked against the archive copy")
    downgrade(st, schema.BASELINE)  # back to the baseline (schema 3) that the old code wrote
    st.close()
    con = sqlite3.connect(db)
    con.execute("DROP TABLE alembic_version")
    if legacy == 2:
        con.execute("DROP TABLE notes")
    con.execute(f"UPDATE meta SET value='{legacy}' WHERE key='schema_version'")
    con.commit()
    con.close()
    assert upgrade_database(db).before == f"schema {legacy}"
    st = open_store(db)
    assert svc.load_beads(st, 1)[0].target == "Primary sources"
    assert svc.history(st, first.id)[0].author == "early"
    from tolmach.service.notes import notes_for

    assert len(notes_for(st, first.id)) == (1 if legacy == 3 else 0)
    st.close()
