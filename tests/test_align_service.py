"""Aligning an existing English translation into a stored document (service and CLI)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tolmach.cli import main
from tolmach import wording
from tolmach.errors import InputError
from tolmach.service import beads as bead_service
from tolmach.service.alignment import align_document
from tolmach.service.documents import find_document
from tolmach.service.glossary import ensure_loaded
from tolmach.store import Bead, Revision

from test_align_aligner import DATA


def doc_beads(store, name="Document II"):
    with store.read() as s:
        did = find_document(s, name).id
        return list(s.scalars(select(Bead).where(Bead.document_id == did).order_by(Bead.position)))


@pytest.fixture
def store2(seeded_store):
    ensure_loaded(seeded_store)
    return seeded_store


def test_align_document_stores_scored_beads(store2):
    report = align_document(store2, "Document II", DATA / "document-ii.en.txt")
    rows = doc_beads(store2)
    assert [(b.src_start, b.src_end) for b in rows] == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]
    assert rows[2].target.startswith("The CPSU CC proceeds") and rows[2].target.endswith("situation in the country.")
    assert {b.status for b in rows[:5]} == {"imported"} and rows[5].status == "empty"
    assert all(b.origin == "file:document-ii.en.txt" for b in rows[:5])
    assert all(b.score is not None for b in rows)
    assert not rows[5].flagged  # the Romanian archival reference is expected to stay untranslated
    assert report.shapes == {"1:1": 4, "1:2": 1, "1:0": 1}
    assert "6 beads" in wording.align_summary(report)


def test_human_edits_are_kept_unless_forced(store2):
    first = doc_beads(store2)[0]
    bead_service.edit_target(store2, first.id, "My own careful translation.")
    with pytest.raises(InputError, match=r"1 bead\(s\) translated or reviewed by a person.*the force option") as refused:
        align_document(store2, "Document II", DATA / "document-ii.en.txt")
    assert "(use --force to replace them;" in wording.error_text(refused.value, wording.CLI)
    assert doc_beads(store2)[0].target == "My own careful translation."

    report = align_document(store2, "Document II", DATA / "document-ii.en.txt", force=True)
    assert report.replaced_human == 1
    rows = doc_beads(store2)
    assert rows[0].target.startswith("The CPSU CC does not consider")
    # one journalled change: undo on any bead brings the human translation back
    bead_service.undo(store2, rows[3].id)
    assert doc_beads(store2)[0].target == "My own careful translation."
    with store2.read() as s:
        assert s.scalar(select(Revision.action).order_by(Revision.id.desc()).limit(1)) == "undo"


def test_target_in_another_encoding_and_with_markers(store2, tmp_path):
    text = (DATA / "document-ii.en.txt").read_text(encoding="utf-8")
    path = tmp_path / "doc2.cp1252.txt"
    path.write_bytes(text.replace("communiqué", "communiqué").encode("cp1252"))
    align_document(store2, "Document II", path)
    assert "communiqué" in doc_beads(store2)[1].target


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\n\n  \n", "is empty"), (b"\xff\xfe\x00\xd8", "bad.txt")],
)
def test_bad_target_files(store2, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = [(b.id, b.target) for b in doc_beads(store2)]
    with pytest.raises(InputError, match=message):
        align_document(store2, "Document II", path)
    assert [(b.id, b.target) for b in doc_beads(store2)] == before


def test_missing_file_and_unknown_document(store2, tmp_path):
    with pytest.raises(InputError, match="no-such.txt"):
        align_document(store2, "Document II", tmp_path / "no-such.txt")
    with pytest.raises(InputError, match="Document IX"):
        align_document(store2, "Document IX", DATA / "document-ii.en.txt")


# ----------------------------------------------------------------------------- CLI


def test_cli_two_files_prints_vecalign_beads_and_scores(tmp_path, capsys):
    src = tmp_path / "ru.txt"
    tgt = tmp_path / "en.txt"
    gold = tmp_path / "gold.txt"
    src.write_text("Наш посол сообщил об этом 21 августа.\nВторое предложение, 1968 год.\nТретье.\n", encoding="utf-8")
    tgt.write_text("Our ambassador reported it on 21 August.\nThe second sentence, the year 1968.\nThird.\n", encoding="cp1251")
    gold.write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n", encoding="utf-8")
    main(["--db", str(tmp_path / "t.db"), "align", str(src), str(tgt)])
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit(":", 1)[0] for line in lines] == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    assert all(0 <= float(line.rsplit(":", 1)[1]) <= 1 for line in lines)
    main(["--db", str(tmp_path / "t.db"), "align", str(src), str(tgt), "--gold", str(gold)])
    out = capsys.readouterr().out
    assert "strict" in out and "lax" in out and "1.000" in out


def test_cli_document_target_and_errors(seeded_store, tmp_path, capsys):
    db = seeded_store.url
    main(["--db", db, "align", "Document II", "--target", str(DATA / "document-ii.en.txt")])
    assert "6 beads" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "align", "Document II"])
    assert exc.value.code == 1
    assert "Give two files (SRC TGT), or a document and --target FILE or --realign." in capsys.readouterr().err
    gold = tmp_path / "gold.txt"
    gold.write_text("[0]:[0]\n[7]:[1]\n", encoding="utf-8")
    one = tmp_path / "one.txt"
    one.write_text("Один.\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--db", db, "align", str(one), str(one), "--gold", str(gold)])
    assert "names source sentence 7" in capsys.readouterr().err


def test_align_summary_says_each_clause_only_when_it_counts():
    from collections import Counter

    from tolmach.service.alignment import AlignReport
    from tolmach.wording import align_summary

    full = AlignReport("Document I", "t.txt", 34, 30, 31, Counter({"1:1": 28, "2:1": 3}), 2, 1, "argos", 3, 40, 0.5)
    assert align_summary(full) == (
        'Aligned "Document I" (34 segments) with t.txt (30 sentences): 31 beads (28 × 1:1, 3 × 2:1); '
        "2 with a score below 0.5 flagged for review; 1 human translations replaced (kept in the history); "
        "3 anchor(s) kept fixed; learned from 40 aligned pairs of the project (beads and memory units); "
        "machine translation by argos used as evidence."
    )
    bare = AlignReport("Document I", "t.txt", 34, 34, 34, Counter({"1:1": 34}), 0, 0, "", 0, 0, 0.5)
    assert align_summary(bare) == 'Aligned "Document I" (34 segments) with t.txt (34 sentences): 34 beads (34 × 1:1).'
