"""One translator's day through the real ``tolmach`` entry point, on a SQLite file and on
PostgreSQL: import, docs, show, glossary, QA, align, export, import-tm, history, and
the one-sentence errors.  The outputs must not depend on the backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tolmach.cli import main
from tolmach.store import Store

from conftest import REPO, SEED_RU

DOC_II_EN = REPO / "tests" / "data" / "document-ii.en.txt"


def run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    try:
        main(["--db", db, "--user", "day-tester", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_day_of_work_through_the_cli(store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = store.url
    store.close()
    code, out, err = run(capsys, db, "import", str(SEED_RU))
    assert code == 0, err
    assert '"Document I"' in out and '"Document II"' in out

    code, out, _ = run(capsys, db, "docs", "--json")
    docs = {d["name"]: d for d in map(json.loads, out.splitlines())}
    assert docs["Document I"]["beads"] == 34 and docs["Document I"]["translated"] == 0

    code, out, _ = run(capsys, db, "glossary", "match", "Исполкому ЦК РКП")
    assert code == 0 and "Executive Committee" in out

    code, out, err = run(capsys, db, "align", "Document II", "--target", str(DOC_II_EN))
    assert code == 0, err
    shown = [json.loads(x) for x in run(capsys, db, "show", "Document II", "--json")[1].splitlines()]
    assert sum(1 for r in shown if r["target"]) == 5 and {r["status"] for r in shown if r["target"]} == {"imported"}

    code, out, err = run(capsys, db, "qa", "Document II", "--json")
    assert code in (0, 1) and not err.startswith("Traceback")

    out_tmx = tmp_path / "ii.tmx"
    code, _, err = run(capsys, db, "export", "Document II", "--format", "tmx", "--out", str(out_tmx))
    assert code == 0, err
    assert out_tmx.read_text(encoding="utf-8").count("<tu>") + out_tmx.read_text(encoding="utf-8").count("<tu ") >= 5

    tsv = tmp_path / "reviewed.tsv"
    first = next(r for r in map(json.loads, run(capsys, db, "show", "Document I", "--json")[1].splitlines()) if r["source"])
    tsv.write_text(f"source\ttarget\n{first['source']}\tTo the Executive Committee of the CC of the RCP\n", encoding="utf-8")
    code, out, err = run(capsys, db, "import-tm", str(tsv))
    assert code == 0, err

    code, out, err = run(capsys, db, "history", "Document I", "1", "--json")
    rows = [json.loads(x) for x in out.splitlines()]
    assert [(r["author"], r["action"], r["after"]) for r in rows] == [("day-tester", "import", "To the Executive Committee of the CC of the RCP")]

    code, out, err = run(capsys, db, "translate", "Document I")
    assert code == 1 and err.count("\n") == 1  # no model installed: one sentence

    code, out, err = run(capsys, db, "show", "No such document")
    assert code == 1 and "No document named" in err and err.count("\n") == 1

    code, out, err = run(capsys, db, "db", "check")
    assert code == 0 and "no problems" in out
