"""What broke when a translator tried Tolmach's files with other tools, as they would run it:
standard output and input, links, dated conflicts, statuses, notes, inline codes, XLIFF
segmentation and 2.0, Moses and tabs, ``tolmach review``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from interchange_fixtures import make_document, targets, validate_tmx

from tolmach.cli import main
from tolmach.service import beads as bead_service
from tolmach.service.interchange import export, import_tm
from tolmach.service.notes import notes_for
from tolmach.store import open_store


def tolmach(db: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tolmach", "--db", str(db), *args], input=stdin,
                          capture_output=True, env=dict(os.environ), timeout=120)


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
    st.close()
    return path


def test_out_dash_writes_to_stdout_and_import_dash_reads_stdin(db: Path, tmp_path: Path) -> None:
    out = tolmach(db, "export", "Document I", "--format", "tmx", "--out", "-")
    assert out.returncode == 0 and out.stdout.startswith(b"<?xml") and out.stdout.count(b"<tu ") == 2
    assert not (Path.cwd() / "-").exists()
    (tmp_path / "stdout.tmx").write_bytes(out.stdout)
    assert validate_tmx(tmp_path / "stdout.tmx") == []
    other = tmp_path / "other.db"
    st = open_store(other)
    make_document(st, "Document I", ["Уважаемые товарищи!", "ЦК КПСС.", "Москва."])
    st.close()
    back = tolmach(other, "import-tm", "-", "--json", stdin=out.stdout)
    assert back.returncode == 0, back.stderr
    report = json.loads(back.stdout)
    assert (report["path"], report["format"], report["updated"]) == ("-", "tmx", 2)
    # TSV on stdin needs no --format either: the header tells
    tsv = tolmach(db, "export", "Document I", "--format", "tsv", "--out", "-").stdout
    again = tolmach(other, "import-tm", "-", "--json", stdin=tsv)
    assert json.loads(again.stdout)["unchanged"] == 2


def test_only_regular_files_are_ever_replaced(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.tmx"
    target.write_text("keep")
    link = tmp_path / "link.tmx"
    link.symlink_to(target)
    for path in (link, Path("/dev/stdout"), Path("/dev/null")):
        proc = tolmach(db, "export", "Document I", "--format", "tmx", "--out", str(path), "--force")
        assert proc.returncode == 1 and b"not a regular file" in proc.stderr, proc.stderr
    assert link.is_symlink() and target.read_text() == "keep"
    assert Path("/dev/stdout").is_symlink() or Path("/dev/stdout").is_char_device()


def test_export_json_summary(db: Path, tmp_path: Path) -> None:
    proc = tolmach(db, "export", "Document I", "--format", "xliff", "--out", str(tmp_path / "x.xlf"), "--json")
    summary = json.loads(proc.stdout)
    assert (summary["format"], summary["units"], summary["documents"]) == ("xliff", 2, ["Document I"])
    piped = tolmach(db, "export", "Document I", "--format", "jsonl", "--out", "-", "--json")
    assert len(piped.stdout.splitlines()) == 2 and json.loads(piped.stderr)["units"] == 2  # summary on stderr


def test_moses_has_no_tabs(tmp_path: Path) -> None:
    st = open_store(tmp_path / "m.db")
    make_document(st, "D", ["а\tб", "в"], targets=["a\tb", "c\td"])
    export(st, None, "moses", tmp_path / "corpus")
    st.close()
    for suffix in ("ru", "en"):
        lines = (tmp_path / f"corpus.{suffix}").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2 and all("\t" not in line for line in lines)
    pasted = subprocess.run(["paste", str(tmp_path / "corpus.ru"), str(tmp_path / "corpus.en")], capture_output=True, text=True)
    assert [line.split("\t") for line in pasted.stdout.splitlines()] == [["а б", "a b"], ["в", "c d"]]


def _tmx(path: Path, body: str, srclang: str = "ru") -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" creationtoolversion="1"'
        f' segtype="sentence" o-tmf="x" adminlang="en" srclang="{srclang}" datatype="plaintext"/><body>{body}</body></tmx>',
        encoding="utf-8",
    )
    return path


def test_older_unit_does_not_revert_a_newer_edit_unless_asked(tmp_path: Path) -> None:
    st = open_store(tmp_path / "c.db", user="tolmach-user")
    doc = make_document(st, "D", ["Да.", "Нет."], targets=["", ""])
    first, second = bead_service.load_beads(st, doc)
    bead_service.edit_target(st, first.id, "Yes (edited today).")
    old = _tmx(tmp_path / "old.tmx",
               '<tu><tuv xml:lang="ru"><seg>Да.</seg></tuv><tuv xml:lang="en" changeid="anna" changedate="20200101T120000Z">'
               "<seg>Yes (2020).</seg></tuv></tu>"
               '<tu><tuv xml:lang="ru"><seg>Нет.</seg></tuv><tuv xml:lang="en" changeid="anna" changedate="20200101T120000Z">'
               "<note>From the 2020 project.</note><seg>No.</seg></tuv></tu>")
    report = import_tm(st, old)
    assert [(c.number, c.reason, c.kept) for c in report.conflict_list] == [(1, "newer-in-tolmach", "ours")]
    assert [t for *_, t in targets(st)] == ["Yes (edited today).", "No."]  # the empty bead is filled
    assert [n.text for n in notes_for(st, second.id)] == ["From the 2020 project."]  # notes kept, once
    rev = bead_service.history(st, second.id)[0]
    assert (rev.author, rev.created_at.year) == ("anna", 2020)  # who and when, from the file
    assert import_tm(st, old, prefer="ours").changes == []
    forced = import_tm(st, old, prefer="file")
    assert [c.after for c in forced.changes] == ["Yes (2020)."]
    assert [n.text for n in notes_for(st, second.id)] == ["From the 2020 project."]
    st.close()


def test_undated_unit_never_overwrites_a_reviewed_bead(tmp_path: Path) -> None:
    st = open_store(tmp_path / "r.db")
    make_document(st, "D", ["Да."], targets=["Yes."], statuses=["reviewed"])
    tsv = tmp_path / "u.tsv"
    tsv.write_text("source\ttarget\nДа.\tIndeed.\n", encoding="utf-8")
    report = import_tm(st, tsv)
    assert [(k.reason, k.kept) for k in report.conflict_list] == [("reviewed-in-tolmach", "ours")]
    assert [t for *_, t in targets(st)] == ["Yes."]
    st.close()


def test_xliff_approval_and_state_map_to_statuses(tmp_path: Path) -> None:
    st = open_store(tmp_path / "x.db")
    doc = make_document(st, "D", ["Один.", "Два.", "Три.", "Четыре."])
    xlf = tmp_path / "t.xlf"
    xlf.write_text(
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="other.docx" source-language="ru" target-language="en" datatype="plaintext"><body>'
        '<trans-unit id="1" approved="yes"><source>Один.</source><target>One.</target></trans-unit>'
        '<trans-unit id="2"><source>Два.</source><target state="final">Two.</target></trans-unit>'
        '<trans-unit id="3"><source>Три.</source><target state="translated">Three <g id="1">bold</g><x id="2"/>.</target>'
        "<note>Check the number.</note></trans-unit>"
        '<trans-unit id="4"><source>Четыре.</source><target state="signed-off">Four.</target></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    report = import_tm(st, xlf)
    beads = bead_service.load_beads(st, doc)
    assert [(b.target, b.status) for b in beads] == [
        ("One.", "reviewed"), ("Two.", "reviewed"), ("Three bold.", "imported"), ("Four.", "reviewed")]
    assert report.inline_codes == 2 and report.notes_added == 1
    st.close()


def test_seg_source_mrk_segments_become_units(tmp_path: Path) -> None:
    st = open_store(tmp_path / "s.db")
    make_document(st, "D", ["Первое предложение.", "Второе предложение."])
    xlf = tmp_path / "seg.xlf"
    xlf.write_text(
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="p.txt" source-language="ru" target-language="en" datatype="plaintext"><body>'
        '<trans-unit id="1"><source>Первое предложение. Второе предложение.</source>'
        '<seg-source><mrk mtype="seg" mid="1">Первое предложение.</mrk> <mrk mtype="seg" mid="2">Второе предложение.</mrk></seg-source>'
        '<target state="translated"><mrk mtype="seg" mid="1">First sentence.</mrk> <mrk mtype="seg" mid="2">Second sentence.</mrk></target>'
        "</trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    report = import_tm(st, xlf)
    assert report.units == 2 and [t for *_, t in targets(st)] == ["First sentence.", "Second sentence."]
    st.close()


def test_xliff_2_round_trip_and_all_srclang(tmp_path: Path) -> None:
    st = open_store(tmp_path / "a.db")
    make_document(st, "D", ["Да.", "Нет.", "Может быть."], targets=["Yes.", "", "Maybe."], statuses=["reviewed", "empty", "edited"])
    export(st, None, "xliff2", tmp_path / "d.xlf", skip_empty=False)
    text = (tmp_path / "d.xlf").read_text(encoding="utf-8")
    assert 'version="2.0"' in text and 'state="final"' in text and "<target xml:space=\"preserve\"></target>" not in text
    fresh = open_store(tmp_path / "b.db")
    make_document(fresh, "D", ["Да.", "Нет.", "Может быть."])
    report = import_tm(fresh, tmp_path / "d.xlf")
    assert [(c.number, c.status) for c in report.changes] == [(1, "reviewed"), (3, "imported")]
    # *all*: the source is the variant in the documents' language, whatever its position
    tmx = _tmx(tmp_path / "all.tmx", '<tu><tuv xml:lang="en"><seg>No.</seg></tuv><tuv xml:lang="ru"><seg>Нет.</seg></tuv></tu>',
               srclang="*all*")
    assert [c.after for c in import_tm(fresh, tmx).changes] == ["No."]
    st.close()
    fresh.close()


def test_review_command(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "--user", "rita", "review", "Document I", "2", "--json") == 0
    assert json.loads(capsys.readouterr().out)["changed"] == [2]
    assert run(db, "review", "Document I", "--all") == 0
    assert "0 bead(s) reviewed, 2 already so" in capsys.readouterr().out
    assert run(db, "review", "Document I", "3") == 0  # empty: cannot be reviewed
    assert "1 without translation skipped" in capsys.readouterr().out
    assert run(db, "review", "Document I", "1-2", "--unreview") == 0
    assert "2 bead(s) unreviewed" in capsys.readouterr().out
    assert run(db, "review", "Document I", "9") == 1
    out = capsys.readouterr()
    assert "has no bead 9" in out.err and "nothing was changed" in out.err
    assert out.out == ""  # no "0 bead(s) reviewed" summary before the error
    # a number that does not exist beside one that does: nothing written, and --json fails too
    assert run(db, "review", "Document I", "1", "9", "--json") == 1
    out = capsys.readouterr()
    assert out.out == "" and "has no bead 9" in out.err
    st = open_store(db)
    beads = bead_service.load_beads(st, 1)
    assert [b.status for b in beads] == ["edited", "edited", "empty"]
    assert bead_service.history(st, beads[1].id)[1].author == "rita"
    st.close()


def test_omegat_project_layout_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The project files themselves (OmegaT runs on them in tests/test_omegat.py)."""
    db = tmp_path / "p.db"
    st = open_store(db)
    make_document(st, "Doc/1", ["Первое  предложение.", "Второе\nпредложение.", "Третье."],
                  targets=["First sentence.", "", "Third."])
    make_document(st, "Other", ["Hola."], src_lang="es")
    st.close()
    project = tmp_path / "proj"
    assert run(db, "omegat-project", "Doc/1", "--dir", str(project), "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["segments"], summary["tm_units"]) == (3, 2)
    source = (project / "source" / "Doc_1.txt").read_text(encoding="utf-8")
    assert source == "Первое предложение.\n\nВторое предложение.\n\nТретье.\n"  # one paragraph per bead
    assert "<sentence_seg>false</sentence_seg>" in (project / "omegat.project").read_text(encoding="utf-8")
    assert validate_tmx(project / "tm" / "auto" / "tolmach.tmx") == []
    assert (project / "glossary" / "glossary.txt").read_text(encoding="utf-8").count("\n") > 50
    assert run(db, "omegat-project", "Doc/1", "--dir", str(project)) == 1
    assert "is not empty; use --force" in capsys.readouterr().err
    assert run(db, "omegat-project", "Doc/1", "--dir", str(project), "--force") == 0
    assert run(db, "omegat-project", "--all", "--dir", str(tmp_path / "mixed")) == 1
    assert "one language pair" in capsys.readouterr().err


def test_a_translation_never_revised_is_dated_by_the_bead_itself(tmp_path: Path) -> None:
    st = open_store(tmp_path / "n.db")
    make_document(st, "D", ["Да."], targets=["Yes."])  # translated at creation, no revision yet
    old = _tmx(tmp_path / "old.tmx", '<tu><tuv xml:lang="ru"><seg>Да.</seg></tuv><tuv xml:lang="en" changedate="19990101T000000Z">'
               "<seg>Yea.</seg></tuv></tu>")
    assert [k.reason.value for k in import_tm(st, old).conflict_list] == ["newer-in-tolmach"]
    new = _tmx(tmp_path / "new.tmx", '<tu><tuv xml:lang="ru"><seg>Да.</seg></tuv><tuv xml:lang="en" changedate="29990101T000000Z">'
               "<seg>Yes indeed.</seg></tuv></tu>")
    assert [c.after for c in import_tm(st, new).changes] == ["Yes indeed."]
    st.close()
