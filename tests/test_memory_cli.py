"""``tolmach tm``, ``tolmach search``, ``translate --from-tm`` and the document formats of
``tolmach export`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from memory_fixtures import DOCUMENT_II_EN, document_id, translate_by_hand

from tolmach.cli import main
from tolmach.service.beads import load_beads
from tolmach.store import Store


def run(db: Path, *args: str) -> int:
    try:
        main(["--db", str(db), *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def db(seeded_store: Store) -> Path:
    seeded_store.user = "translator-a"
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    return seeded_store.url


def test_tm_match_json_and_text(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, f. 62)"
    assert run(db, "tm", "match", ref, "--json") == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows[0]["score"] == 99 and rows[0]["target"].endswith("f. 62)")
    assert rows[0]["provenance"] == {**rows[0]["provenance"], "kind": "bead", "document": "Document II", "bead": 6,
                                     "author": "translator-a", "status": "edited"}
    assert rows[0]["numbers"] == [{"old": "61", "new": "62", "substituted": True}]
    assert run(db, "tm", "match", ref) == 0
    out = capsys.readouterr().out
    assert "99%  Document II #6 · translator-a" in out and "[-61-]" in out and "number 61 → 62 substituted" in out
    assert run(db, "tm", "match", "Совсем другое предложение без совпадений.") == 0
    assert "No match of 50% or more." in capsys.readouterr().out


def test_tm_import_list_remove(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tsv = tmp_path / "old.tsv"
    tsv.write_text("source\ttarget\nУважаемые товарищи!\tDear comrades!\n", encoding="utf-8")
    assert run(db, "tm", "import", str(tsv), "--name", "old") == 0
    assert "memory 'old' with 1 unit(s) (tsv)" in capsys.readouterr().out
    assert run(db, "tm", "list", "--json") == 0
    (row,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert (row["name"], row["units"]) == ("old", 1)
    assert run(db, "tm", "match", "Уважаемые товарищи!", "--json") == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["score"] == 100 and first["provenance"]["memory"] == "old"
    assert run(db, "tm", "remove", "old") == 0
    assert run(db, "tm", "list") == 0
    assert "No external memories" in capsys.readouterr().out


def test_tm_import_bad_file_is_one_sentence(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.tmx"
    bad.write_text("<tmx><body><tu><tuv xml:lang='ru'><seg>a</seg>", encoding="utf-8")
    assert run(db, "tm", "import", str(bad)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tolmach: error:") and "broken.tmx" in err and len(err.splitlines()) == 1
    assert run(db, "tm", "import", str(tmp_path / "missing.tmx")) == 1
    assert "missing.tmx does not exist." in capsys.readouterr().err
    assert run(db, "tm", "remove", "nothing") == 1


def test_search_json_and_errors(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "search", "Варшавский договор", "--json") == 0
    (hit,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert (hit["document"], hit["bead"]) == ("Document I", 4)
    s, e = hit["source_hits"][0]
    assert hit["source"][s:e] == "Варшавского Договора"
    assert run(db, "search", "socialist countries", "--in", "target", "--doc", "Document II") == 0
    out = capsys.readouterr().out
    assert "Document II #4 (edited)" in out and "[socialist countries]" in out and "1 hit(s)." in out
    assert run(db, "search", "(", "--regex") == 1
    assert "not a valid regular expression" in capsys.readouterr().err


def test_translate_from_tm_then_export_documents(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  seeded_store: Store) -> None:
    assert run(db, "translate", "Document I", "--from-tm", "--min", "85") == 0
    assert "Document I: filled 1 bead(s) from 85%+ memory matches (1 flagged: numbers changed)" in capsys.readouterr().out
    beads = load_beads(seeded_store, document_id(seeded_store, "Document I"))
    assert beads[33].status == "tm" and beads[33].origin.startswith("tm: Document II #6 (")
    out = tmp_path / "d2.html"
    assert run(db, "export", "Document II", "--format", "html", "--bilingual", "--out", str(out)) == 0
    assert f'Wrote the bilingual edition of "Document II" (4 paragraph(s)) as html to {out}.' in capsys.readouterr().out
    assert run(db, "export", "Document I", "--format", "docx", "--complete", "--out", str(tmp_path / "d1.docx")) == 1
    assert "--complete refuses" in capsys.readouterr().err and not (tmp_path / "d1.docx").exists()
    assert run(db, "export", "Document I", "--format", "markdown", "--out", str(tmp_path / "d1.md")) == 0
    said = capsys.readouterr()
    assert "33 bead(s) are untranslated" in said.err
    assert said.out == f'Wrote "Document I" (17 paragraph(s)) as markdown to {tmp_path / "d1.md"}.\n'  # not "the Document I"
    assert run(db, "export", "--all", "--format", "text", "--out", str(tmp_path / "all.txt")) == 1
    assert "name exactly one DOC" in capsys.readouterr().err
    assert run(db, "export", "Document II", "--format", "text", "--bilingual", "--out", str(tmp_path / "b.txt")) == 1


def test_console_script_round_trip(db: Path, tmp_path: Path) -> None:
    """The real ``python -m tolmach`` process, as a shell user runs it."""
    env = {**os.environ, "TOLMACH_DB": str(db)}
    out = tmp_path / "doc2.txt"
    res = subprocess.run([sys.executable, "-m", "tolmach", "export", "Document II", "--format", "text", "--out", str(out)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert out.read_text(encoding="utf-8").split("\n\n")[0] == " ".join(DOCUMENT_II_EN[:3])
    res = subprocess.run([sys.executable, "-m", "tolmach", "search", "Чехословакия", "--doc", "Document II"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0 and res.stdout.count("Document II #") == 2


def test_tm_propagate_and_undo(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], seeded_store: Store) -> None:
    f = tmp_path / "copy.txt"
    f.write_text("3 сентября 1968 года\n\nДругое.\n\n3  СЕНТЯБРЯ 1968 года\n", encoding="utf-8")
    assert run(db, "import", str(f), "--name", "copy") == 0
    capsys.readouterr()
    assert run(db, "tm", "propagate", "Document II", "5") == 0
    out = capsys.readouterr().out
    assert out.startswith("Filled 2 repetition(s): copy #1, copy #3.")
    group = out.split("`tolmach tm undo ")[1].split("`")[0]
    beads = load_beads(seeded_store, document_id(seeded_store, "copy"))
    assert [b.target for b in beads] == ["3 September 1968", "", "3 September 1968"]
    assert run(db, "tm", "undo", group) == 0
    assert "Restored 2 bead(s)." in capsys.readouterr().out
    assert [b.status for b in load_beads(seeded_store, document_id(seeded_store, "copy"))] == ["empty"] * 3
    assert run(db, "tm", "undo", group) == 1
    assert "already undone" in capsys.readouterr().err
    assert run(db, "tm", "propagate", "Document II", "99") == 1
    assert "has no bead 99" in capsys.readouterr().err


def test_reference_material_is_written_as_it_is_and_not_checked(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                seeded_store: Store) -> None:
    """A reference document (already in the target language) is never "untranslated": as
    a document it is its own text, and QA has no translation to check in it."""
    name = "Soviet Response to the Romanian Uprising"  # seed 000, English
    sources = [" ".join(b.sources) for b in load_beads(seeded_store, document_id(seeded_store, name))]
    out = tmp_path / "ref.txt"
    assert run(db, "export", name, "--format", "text", "--out", str(out)) == 0
    said = capsys.readouterr()
    assert "untranslated" not in said.err and "untranslated" not in out.read_text(encoding="utf-8")
    text = out.read_text(encoding="utf-8")
    assert all(s in text for s in sources if s.strip())
    assert run(db, "qa", name) == 0
    said = capsys.readouterr()
    assert said.out.strip() == f'"{name}" is reference material, read beside the translations, not translated: there is nothing to check.'
    assert "empty-target" not in said.out
