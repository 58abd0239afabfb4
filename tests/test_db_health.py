"""`tolmach db check|recover|backups|restore` on real damaged files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tolmach.service.beads import edit_target, load_beads
from tolmach.store import open_store
from tolmach.store.health import check, list_backups, recover


def doc_id(st, name: str = "Document I") -> int:  # type: ignore[no-untyped-def]
    from tolmach.service.documents import find_document

    with st.read() as s:
        return find_document(s, name).id


def tolmach(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tolmach", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ})


@pytest.fixture
def translated(tmp_path: Path, _seeded_template: Path) -> Path:
    """The seeds with every bead of Document I translated (a known text per bead)."""
    db = tmp_path / "t.db"
    shutil.copy(_seeded_template, db)
    st = open_store(db)
    doc = doc_id(st)
    for b in load_beads(st, doc):
        edit_target(st, b.id, f"English of bead {b.number}")
    edit_target(st, load_beads(st, doc)[0].id, "English of bead 1, revised")  # a second revision: a chain
    st.close()
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("VACUUM")
    con.close()
    return db


def test_check_passes_a_healthy_database(translated: Path) -> None:
    report = check(translated)
    assert report.ok, report
    assert report.counts["beads"] > 0


def test_check_finds_broken_tiling_and_chains(translated: Path) -> None:
    con = sqlite3.connect(translated)
    con.execute("UPDATE beads SET src_end = src_end + 1 WHERE id = (SELECT id FROM beads WHERE document_id = 3 ORDER BY position LIMIT 1 OFFSET 3)")
    rev = con.execute("SELECT id, before FROM revisions WHERE action='edit' ORDER BY id DESC LIMIT 1").fetchone()
    snaps = json.loads(rev[1])
    snaps[0]["target"] = "something nobody wrote"
    con.execute("UPDATE revisions SET before = ? WHERE id = ?", (json.dumps(snaps), rev[0]))
    con.commit()
    con.close()
    report = check(translated)
    assert not report.ok
    assert any("Document I" in line for line in report.tiling)
    assert report.chains == 1
    res = tolmach("--db", str(translated), "db", "check", cwd=translated.parent)
    assert res.returncode == 1 and "PROBLEMS FOUND" in res.stdout


def _page_of(db: Path, table: str) -> tuple[int, int]:
    """(page size, the first leaf page of ``table``) read with SQLite's dbstat."""
    con = sqlite3.connect(db)
    size = con.execute("PRAGMA page_size").fetchone()[0]
    pages = [p for (p,) in con.execute("SELECT pageno FROM dbstat WHERE name=? AND pagetype='leaf' ORDER BY pageno", (table,))]
    con.close()
    return size, pages[len(pages) // 2]


def test_recover_gets_every_intact_bead_back(translated: Path, tmp_path: Path) -> None:
    st = open_store(translated)
    doc = doc_id(st)
    expected = {(b.number, b.target) for b in load_beads(st, doc)}
    st.close()
    # damage one page of the segments table in the middle of the file
    size, page = _page_of(translated, "segments")
    with translated.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(os.urandom(size))
    assert not check(translated).ok
    out = tmp_path / "recovered.db"
    res = tolmach("db", "recover", str(translated), str(out), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Recovered" in res.stdout
    report = check(out)
    assert report.ok, report
    st = open_store(out)
    doc = doc_id(st)
    got = {(b.number, b.target) for b in load_beads(st, doc)}
    st.close()
    # every bead came back with its translation (the beads table was not damaged); the
    # lost segments are placeholders at their positions
    assert expected == got


def test_recover_when_beads_are_lost_covers_the_segments_again(translated: Path, tmp_path: Path) -> None:
    size, page = _page_of(translated, "beads")
    with translated.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(os.urandom(size))
    out = tmp_path / "recovered.db"
    report = recover(translated, out)
    assert report.lost["beads"] > 0 or report.copied["beads"] >= 0
    assert check(out).ok
    st = open_store(out)
    doc = doc_id(st)
    beads = load_beads(st, doc)
    survivors = [b for b in beads if b.target.startswith("English of bead")]
    assert survivors, "no intact bead came back"
    st.close()
    con = sqlite3.connect(out)
    made = con.execute("SELECT count(*) FROM beads WHERE origin='recovered' AND flagged=1 AND target=''").fetchone()[0]
    con.close()
    assert report.beads_added > 0 and made == report.beads_added


def test_recover_refuses_an_existing_target(translated: Path, tmp_path: Path) -> None:
    (tmp_path / "exists.db").write_text("x")
    res = tolmach("db", "recover", str(translated), str(tmp_path / "exists.db"), cwd=tmp_path)
    assert res.returncode == 1 and "already exists" in res.stderr
    assert (tmp_path / "exists.db").read_text() == "x"


def test_translate_force_makes_a_backup_and_restore_brings_it_back(translated: Path, tmp_path: Path) -> None:
    res = tolmach("--db", str(translated), "translate", "Document I", "--force", cwd=tmp_path)
    # no model is installed: translate refuses, but the backup was taken first
    assert res.returncode == 1
    backups = list_backups(translated)
    assert len(backups) == 1 and "translate-force" in backups[0].name
    st = open_store(translated)
    doc = doc_id(st)
    first = load_beads(st, doc)[0]
    edit_target(st, first.id, "a later edit")
    st.close()
    res = tolmach("--db", str(translated), "db", "restore", "latest", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    st = open_store(translated)
    assert load_beads(st, doc)[0].target == "English of bead 1, revised"
    st.close()
    names = [p.name for p in list_backups(translated)]
    assert any("before-restore" in n for n in names)
    res = tolmach("--db", str(translated), "db", "backups", cwd=tmp_path)
    assert "before-restore" in res.stdout


def test_import_tm_that_changes_nothing_leaves_no_backup(translated: Path, tmp_path: Path) -> None:
    tsv = tmp_path / "none.tsv"
    tsv.write_text("source\ttarget\nНет такого предложения.\tNo such sentence.\n", encoding="utf-8")
    res = tolmach("--db", str(translated), "import-tm", str(tsv), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert list_backups(translated) == []


def test_export_removes_parts_left_by_a_killed_export(tmp_path: Path, _seeded_template: Path) -> None:
    """A real export process killed with SIGKILL mid-write leaves a .part; the next export removes it."""
    import signal
    import time

    db = tmp_path / "s.db"
    shutil.copy(_seeded_template, db)
    out = tmp_path / "doc.tmx"
    # a part file of a process that no longer exists (as kill -9 leaves it) ...
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stale = tmp_path / f".doc.tmx.{victim.pid}.abc123.part"
    stale.write_text("<tmx half written")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    # ... and one of a live process, which must be left alone
    alive = tmp_path / f".doc.tmx.{os.getpid()}.def456.part"
    alive.write_text("in progress")
    time.sleep(0.01)
    res = tolmach("--db", str(db), "export", "Document I", "--format", "tmx", "--out", str(out), "--include-empty", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert out.exists() and not stale.exists() and alive.exists()
