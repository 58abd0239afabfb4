"""``tolmach export`` and ``tolmach import-tm`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interchange_fixtures import make_document, targets, validate_tmx
from tolmach.cli import main
from tolmach.store import Store, open_store


def run(db: Path, *args: str) -> int:
    try:
        main(["--db", str(db), *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    st = open_store(path)
    make_document(st, "Document I", ["Уважаемые товарищи!", "ЦК КПСС.", "Москва."],
                  targets=["Dear comrades!", "CC CPSU.", ""], statuses=["reviewed", "machine", "empty"])
    make_document(st, "Document II", ["Да."], targets=["Yes."])
    st.close()
    return path


def test_export_one_document_then_all(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "doc1.tmx"
    assert run(db, "export", "Document I", "--format", "tmx", "--out", str(out)) == 0
    assert "Wrote 2 unit(s) from 1 document(s)" in capsys.readouterr().out
    assert validate_tmx(out) == []
    assert run(db, "export", "--all", "--format", "jsonl", "--out", str(tmp_path / "all.jsonl"), "--include-empty") == 0
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["document"], r["bead"]) for r in rows] == [("Document I", 1), ("Document I", 2), ("Document I", 3), ("Document II", 1)]


def test_status_filter_and_document_by_id(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.tsv"
    assert run(db, "export", "1", "--format", "tsv", "--out", str(out), "--status", "reviewed") == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].split("\t")[5] == "Dear comrades!"


def test_existing_output_needs_force(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.xlf"
    out.write_text("keep me")
    assert run(db, "export", "--all", "--format", "xliff", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"tolmach: error: {out} already exists; use --force to overwrite it."
    assert out.read_text() == "keep me"
    assert run(db, "export", "--all", "--format", "xliff", "--out", str(out), "--force") == 0
    assert out.read_text().startswith("<?xml")


def test_moses_writes_two_files_named_by_language(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = tmp_path / "corpus"
    assert run(db, "export", "--all", "--format", "moses", "--out", str(prefix)) == 0
    assert (tmp_path / "corpus.ru").read_text(encoding="utf-8").splitlines() == ["Уважаемые товарищи!", "ЦК КПСС.", "Да."]
    assert (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines() == ["Dear comrades!", "CC CPSU.", "Yes."]
    assert "corpus.ru and" in capsys.readouterr().out


def test_bad_arguments_are_clear(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "export", "--format", "tmx", "--out", str(tmp_path / "a.tmx")) == 1
    assert "Name the document(s) to export, or use --all." in capsys.readouterr().err
    assert run(db, "export", "Nope", "--format", "tmx", "--out", str(tmp_path / "a.tmx")) == 1
    assert "No document named 'Nope'" in capsys.readouterr().err
    assert run(db, "export", "--all", "--format", "pdf", "--out", str(tmp_path / "a.pdf")) == 2  # docx is a format now


def test_import_tm_round_trip_and_report(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tm = tmp_path / "tm.xlf"
    assert run(db, "export", "--all", "--format", "xliff", "--out", str(tm)) == 0
    other = tmp_path / "other.db"
    st = open_store(other)
    make_document(st, "Document I", ["Уважаемые товарищи!", "ЦК КПСС.", "Москва."])
    make_document(st, "Document II", ["Да."])
    st.close()
    capsys.readouterr()
    assert run(other, "import-tm", str(tm), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would update 3 bead(s)" in out and "Document I #1 (position, reviewed): '' -> 'Dear comrades!'" in out
    assert run(other, "import-tm", str(tm)) == 0
    assert "updated 3 bead(s), 0 already up to date, 0 unmatched" in capsys.readouterr().out
    st = open_store(other)
    assert targets(st) == [("Document I", 1, "Dear comrades!"), ("Document I", 2, "CC CPSU."),
                           ("Document I", 3, ""), ("Document II", 1, "Yes.")]
    st.close()


def test_import_tm_moses_pair(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "export", "--all", "--format", "moses", "--out", str(tmp_path / "c")) == 0
    other = tmp_path / "other.db"
    st: Store = open_store(other)
    make_document(st, "Elsewhere", ["ЦК КПСС."])
    st.close()
    assert run(other, "import-tm", str(tmp_path / "c.ru"), str(tmp_path / "c.en")) == 0
    assert "updated 1 bead(s)" in capsys.readouterr().out


def test_import_tm_hostile_file_exits_1(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx>&a;</tmx>')
    assert run(db, "import-tm", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.startswith("tolmach: error: ") and "declares XML entities" in err and err.count("\n") == 1
