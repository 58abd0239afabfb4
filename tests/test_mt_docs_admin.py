"""`tolmach docs set-lang` and `tolmach docs delete`: a document imported with the wrong
language can be relabelled (and then drafted) or deleted and imported again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from mt_fixtures import REPO, tiny_zh_argosmodel  # noqa: F401

from tolmach.cli import main

ZH = (REPO / "benchmarks" / "data" / "zh_sentences_300.txt").read_text(encoding="utf-8").splitlines()[:12]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _langs(capsys, db: str, doc: str) -> list[str]:
    code, out, _ = _run(capsys, "--db", db, "show", doc, "--json")
    assert code == 0
    return [json.loads(line)["lang"] for line in out.splitlines()]


def _wrongly_imported(capsys, tmp_path: Path) -> tuple[str, Path]:
    src = tmp_path / "telegram.txt"
    src.write_text("\n\n".join(ZH) + "\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    code, _, err = _run(capsys, "--db", db, "import", "--lang", "ru", str(src))
    assert code == 0, err
    return db, src


def test_set_lang_relabels_the_document_and_its_segments_then_it_translates(capsys, tmp_path: Path, tiny_zh_argosmodel: Path) -> None:
    db, _ = _wrongly_imported(capsys, tmp_path)
    before = _langs(capsys, db, "telegram")
    assert set(before) == {"ru"}
    _run(capsys, "model", "install", str(tiny_zh_argosmodel))
    code, _, err = _run(capsys, "--db", db, "translate", "telegram")
    assert code == 1 and "ru→en" in err  # no ru→en model: the wrong label blocks drafting

    code, out, err = _run(capsys, "--db", db, "docs", "set-lang", "telegram", "zh-cn")
    assert code == 0, err
    assert "ru → zh-Hans" in out and f"{len(before)} segment(s) relabelled, 0 kept" in out
    after = _langs(capsys, db, "telegram")
    assert set(after) == {"zh-Hans"}
    code, out, _ = _run(capsys, "--db", db, "docs", "--json")
    assert json.loads(out.splitlines()[0])["source_lang"] == "zh-Hans"
    code, out, err = _run(capsys, "--db", db, "translate", "telegram")
    assert code == 0, err
    assert f"{len(after)} of {len(after)} bead" in out and "drafted with argos:translate-zh_en@1.9" in out


def test_set_lang_keeps_references_and_third_languages(store) -> None:
    from mt_fixtures import add_document

    from tolmach.service.documents import set_document_language
    from tolmach.store import Segment

    rows = [("中央委员会作出了重要决定。", "ru", "body"), ("会议", "und", "heading"), ("Ibid.", "und", "body"),
            ("АВП РФ. Ф. 0100.", "ru", "reference"), ("Proletarier aller Länder, vereinigt euch!", "de", "body"),
            ("1968", "und", "body")]
    doc = add_document(store, "电报", rows, source_lang="ru")
    change = set_document_language(store, "电报", "zh")
    assert (change.old, change.new, change.relabelled, change.kept) == ("ru", "zh", 3, 3)
    with store.read() as s:
        langs = [seg.lang for seg in s.query(Segment).filter_by(document_id=doc).order_by(Segment.position)]
    assert langs == ["zh", "zh", "zh", "ru", "de", "und"]
    back = set_document_language(store, doc, "ru")  # and back again
    assert back.relabelled == 3


def test_set_lang_rejects_a_non_code_with_one_line(capsys, tmp_path: Path) -> None:
    db, _ = _wrongly_imported(capsys, tmp_path)
    code, out, err = _run(capsys, "--db", db, "docs", "set-lang", "telegram", "chinese!")
    assert code == 1 and err.count("\n") == 1 and "'chinese!'" in err
    code, _, err = _run(capsys, "--db", db, "docs", "set-lang", "no such doc", "zh")
    assert code == 1 and "No document named" in err
    assert set(_langs(capsys, db, "telegram")) == {"ru"}


def test_delete_asks_for_confirmation_then_removes_everything_and_the_file_can_come_again(capsys, tmp_path: Path) -> None:
    db, src = _wrongly_imported(capsys, tmp_path)
    code, _, err = _run(capsys, "--db", db, "import", "--lang", "zh", str(src))
    assert code == 1 and "already imported" in err
    code, _, err = _run(capsys, "--db", db, "docs", "delete", "telegram")  # stdin is not a terminal
    assert code == 1 and "--yes" in err and err.count("\n") == 1
    assert _langs(capsys, db, "telegram")  # still there
    from tolmach.service import beads as bead_service
    from tolmach.service.notes import add_note
    from tolmach.store import open_store

    st = open_store(Path(db))  # a human translation and a note: history that must go too
    with st.read() as s:
        from tolmach.service.documents import find_document

        doc_id = find_document(s, "telegram").id
    first = bead_service.load_beads(st, doc_id)[0]
    bead_service.edit_target(st, first.id, "A human translation.")
    add_note(st, first.id, "Check the date.")
    st.close()
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from revisions").fetchone()[0] == 1
    assert con.execute("select count(*) from notes").fetchone()[0] == 1
    con.close()
    code, out, err = _run(capsys, "--db", db, "docs", "delete", "telegram", "--yes")
    assert code == 0, err
    assert 'Deleted "telegram"' in out and "can be imported again" in out
    con = sqlite3.connect(db)
    for table in ("documents", "segments", "beads", "revisions", "notes", "imported_files"):
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
    con.close()
    code, _, err = _run(capsys, "--db", db, "import", "--lang", "zh", str(src))
    assert code == 0, err
    assert set(_langs(capsys, db, "telegram")) >= {"zh-Hans"} or set(_langs(capsys, db, "telegram")) >= {"zh"}


def test_a_deleted_document_comes_back_from_the_backup_made_first(capsys, tmp_path: Path) -> None:
    """`docs delete` cannot be undone in the history; the database file is backed up first
    (it was not), and `db restore latest` brings the document back with its translation."""
    db, _ = _wrongly_imported(capsys, tmp_path)
    from tolmach.service import beads as bead_service
    from tolmach.store import open_store

    st = open_store(Path(db))
    with st.read() as s:
        from tolmach.service.documents import find_document

        doc_id = find_document(s, "telegram").id
    bead_service.edit_target(st, bead_service.load_beads(st, doc_id)[0].id, "A human translation.")
    st.close()
    code, out, err = _run(capsys, "--db", db, "docs", "delete", "telegram", "--yes")
    assert code == 0, err
    assert "`tolmach db restore latest` brings it back" in out
    code, out, _ = _run(capsys, "--db", db, "db", "backups")
    assert code == 0 and "docs-delete" in out
    assert _run(capsys, "--db", db, "db", "restore", "latest")[0] == 0
    st = open_store(Path(db))
    with st.read() as s:
        doc_id = find_document(s, "telegram").id
    assert bead_service.load_beads(st, doc_id)[0].target == "A human translation."
    st.close()
    code, _, err = _run(capsys, "--db", db, "docs", "delete", "no such document", "--yes")
    assert code == 1 and "No document named" in err
    assert _run(capsys, "--db", db, "db", "backups")[1].count("docs-delete") == 1  # a refused delete leaves none
