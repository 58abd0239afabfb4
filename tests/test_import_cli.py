"""End-to-end: `tolmach import`, `docs --json`, `show --json` on real files and real SQLite databases,
and every kind of bad input giving one sentence, a non-zero exit and an unchanged database."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from text_fixtures import DATELINE_I, FIRST_SENTENCE, HEADING, REFERENCE_I, SEED_EN, SEED_RU, SIGNATURE

from tolmach.cli import main
from tolmach.store.models import SCHEMA_VERSION


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the real entry point; (exit status, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(db: Path) -> object:
    """What the database holds (rows of every table), or that there is none."""
    if not db.exists():
        return None
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "work.db"


def test_import_docs_show_on_the_russian_seed(capsys, db):
    code, out, err = run(capsys, "--db", str(db), "import", str(SEED_RU))
    assert code == 0 and err == ""
    assert '3 document(s)' in out and '"Document I"' in out and '"Document II"' in out

    code, out, _ = run(capsys, "--db", str(db), "docs", "--json")
    docs = json_lines(out)
    assert [(d["name"], d["source_lang"], d["role"]) for d in docs] == [
        ("New Information on Romanian-Soviet Relations During the Czechoslovak Crisis", "en", "reference"),
        ("Document I", "ru", "translate"),
        ("Document II", "ru", "translate"),
    ]
    assert all(d["segments"] == d["beads"] and d["translated"] == 0 for d in docs)
    assert [d["untranslated"] for d in docs] == [0, 34, 6]  # the English article is never owed
    assert [d["segments"] for d in docs[1:]] == [34, 6]

    code, out, _ = run(capsys, "--db", str(db), "show", "Document I", "--json")
    rows = json_lines(out)
    assert code == 0 and len(rows) == 34
    for row in rows:
        assert {"position", "kind", "lang", "source", "target", "status"} <= set(row)
    assert [r["position"] for r in rows] == list(range(34))
    assert all(r["target"] == "" and r["status"] == "empty" for r in rows)  # one empty 1:1 bead each
    assert (rows[0]["kind"], rows[0]["source"]) == ("heading", HEADING)
    assert (rows[1]["kind"], rows[1]["source"]) == ("salutation", "Уважаемые товарищи!")
    assert (rows[2]["kind"], rows[2]["source"], rows[2]["lang"]) == ("body", FIRST_SENTENCE, "ru")
    assert sum(r["kind"] == "body" for r in rows) == 29
    assert [(r["kind"], r["source"]) for r in rows[-3:]] == [
        ("signature", SIGNATURE),
        ("dateline", DATELINE_I),
        ("reference", REFERENCE_I),
    ]
    assert rows[-1]["lang"] != "ru"


def test_show_by_id_and_plain_output(capsys, db):
    run(capsys, "--db", str(db), "import", str(SEED_RU))
    code, out, _ = run(capsys, "--db", str(db), "show", "3")
    assert code == 0 and "ЦК КПСС не считает приемлемым" in out
    code, out, _ = run(capsys, "--db", str(db), "docs")
    assert code == 0 and "Document II" in out and "ru→en" in out


def test_all_seeds_import_and_the_others_are_english(capsys, db, seeds_dir):
    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    code, out, err = run(capsys, "--db", str(db), "import", *files)
    assert code == 0 and err == ""
    docs = json_lines(run(capsys, "--db", str(db), "docs", "--json")[1])
    langs = {d["name"]: (d["source_lang"], d["role"]) for d in docs}
    # the English articles are reference material, named after their titles, not their files
    assert langs["Soviet Response to the Romanian Uprising"] == ("en", "reference")
    assert langs[
        "A lost chance for Balkan cooperation? The Romanian view on ‘regional micro-détente’, 196975"
    ] == ("en", "reference")
    assert langs["Document I"] == langs["Document II"] == ("ru", "translate")
    assert not any(d["name"].startswith(("000_", "002_", "004_")) for d in docs)
    code, out, _ = run(capsys, "--db", str(db), "docs")
    line = next(l for l in out.splitlines() if "Soviet Response to the Romanian Uprising" in l)
    assert "reference" in line and "0/" not in line and "→" not in line


def test_lang_option_is_stored(capsys, db, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("Товарищи! Мы получили ваше письмо и благодарим за него.\n", encoding="koi8_r")
    assert run(capsys, "--db", str(db), "import", "--lang", "uk", str(letter))[0] == 0
    rows = json_lines(run(capsys, "--db", str(db), "show", "letter", "--json")[1])
    assert {r["lang"] for r in rows} == {"uk"}


@pytest.mark.parametrize(("flag", "shown"), [("--lang", "--lang"), ("--target-lang", "--target-lang")])
def test_bad_language_names_the_flag_in_the_cli_and_the_option_elsewhere(capsys, db, tmp_path, flag, shown):
    """The service raises a typed option error; the CLI names its flag, str() (the workbench) the option."""
    from tolmach.errors import OptionError
    from tolmach.text.pipeline import language_option

    letter = tmp_path / "letter.txt"
    letter.write_text("Товарищи!\n", encoding="utf-8")
    before = snapshot(db)
    code, _, err = run(capsys, "--db", str(db), "import", flag, "x!y", str(letter))
    assert code == 1 and err == f"tolmach: error: {shown} 'x!y' is not a language tag (e.g. ru, en, de, zh-Hans, pt-BR).\n"
    assert snapshot(db) == before
    with pytest.raises(OptionError, match=r"^the lang option 'x!y' is not a language tag"):
        language_option("x!y")


def test_the_same_file_twice_is_not_duplicated(capsys, db, tmp_path):
    assert run(capsys, "--db", str(db), "import", str(SEED_RU))[0] == 0
    before = snapshot(db)
    copy = tmp_path / "renamed copy.txt"
    copy.write_bytes(SEED_RU.read_bytes())
    code, out, err = run(capsys, "--db", str(db), "import", str(copy))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "already imported" in err and str(SEED_RU) in err
    assert snapshot(db) == before


def test_duplicate_among_new_files_imports_the_new_ones(capsys, db):
    run(capsys, "--db", str(db), "import", str(SEED_EN[0]))
    code, out, err = run(capsys, "--db", str(db), "import", str(SEED_EN[0]), str(SEED_EN[1]))
    assert code == 1 and SEED_EN[1].stem in out and "already imported" in err
    assert len(json_lines(run(capsys, "--db", str(db), "docs", "--json")[1])) == 2


# --- bad input files ------------------------------------------------------------------

def _bad_file(tmp_path: Path, kind: str) -> Path:
    p = tmp_path / f"input-{kind}.txt"
    if kind == "missing":
        return p
    if kind == "directory":
        p.mkdir()
    elif kind == "binary":
        p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    elif kind == "empty":
        p.write_bytes(b"")
    elif kind == "blank":
        p.write_bytes(b" \r\n\r\n\t\n")
    elif kind == "undecodable":
        p.write_bytes("Наш посол сообщил, что".encode() + b"\xd0\x28\xff\xfe" + "помощи.".encode())
    elif kind == "no-encoding-fits":
        p.write_bytes(bytes(range(0x80, 0x100)) * 3)
    elif kind == "mixed-encodings":  # a UTF-8 file someone appended a cp1251 paragraph to
        p.write_bytes("Уважаемые товарищи! Это письмо.\n".encode() + "Второе предложение в другой кодировке.\n".encode("cp1251"))
    return p


BAD_FILES = {
    "missing": "does not exist",
    "directory": "is a directory",
    "binary": "binary",
    "empty": "is empty",
    "blank": "is empty",
    "undecodable": "damaged bytes on line 1",
    "no-encoding-fits": "cannot be decoded",
    "mixed-encodings": "mixes encodings: it is UTF-8 text up to line 2, where byte 58 is not UTF-8",
}


@pytest.mark.parametrize("existing_db", [False, True], ids=["new-db", "existing-db"])
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_input_file(capsys, db, tmp_path, kind, existing_db):
    if existing_db:
        assert run(capsys, "--db", str(db), "import", str(SEED_EN[0]))[0] == 0
    before = snapshot(db)
    bad = _bad_file(tmp_path, kind)
    # a good file first: nothing at all is imported when one of the files is bad
    code, out, err = run(capsys, "--db", str(db), "import", str(SEED_RU), str(bad))
    assert code == 1 and out == ""
    assert err.startswith("tolmach: error: ") and err.count("\n") == 1
    assert str(bad) in err and BAD_FILES[kind] in err
    assert "Traceback" not in err
    assert snapshot(db) == before


# --- bad databases ----------------------------------------------------------------------

def _foreign(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    con.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    con.commit()
    con.close()


def _newer(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()


BAD_DATABASES = {
    "corrupted": (lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(4096)), "not a readable SQLite database"),
    "truncated": (lambda p: p.write_bytes(b"SQLite format 3\x00\x10\x00\x01\x01"), "not a readable SQLite database"),
    "text file": (lambda p: p.write_text("just some notes\n"), "not a SQLite database"),
    "foreign": (_foreign, "not a Tolmach one"),
    "newer schema": (_newer, "newer Tolmach"),
}


@pytest.mark.parametrize("kind", list(BAD_DATABASES))
@pytest.mark.parametrize("command", [["import", str(SEED_RU)], ["docs"], ["show", "Document I"]], ids=lambda c: c[0])
def test_bad_database(capsys, tmp_path, kind, command):
    make, says = BAD_DATABASES[kind]
    path = tmp_path / "other.db"
    make(path)
    before = file_digest(path)
    code, out, err = run(capsys, "--db", str(path), *command)
    assert code == 1 and out == ""
    assert err.startswith("tolmach: error: ") and err.count("\n") == 1 and says in err
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal/-shm left beside it


@pytest.mark.parametrize("where", ["folder is a file", "folder missing", "path is a folder"])
def test_unusable_database_path(capsys, tmp_path, where):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder\n")
    target = {
        "folder is a file": blocker / "work.db",
        "folder missing": tmp_path / "no" / "such" / "work.db",
        "path is a folder": tmp_path,
    }[where]
    code, out, err = run(capsys, "--db", str(target), "import", str(SEED_EN[0]))
    assert code == 1 and out == ""
    assert err.startswith("tolmach: error: ") and err.count("\n") == 1 and str(target) in err
    assert blocker.read_text() == "a file, not a folder\n"


def test_read_only_database(capsys, db):
    from conftest import read_only_folder

    assert run(capsys, "--db", str(db), "import", str(SEED_EN[0]))[0] == 0
    before = snapshot(db)
    with read_only_folder(db.parent):
        code, _, err = run(capsys, "--db", str(db), "import", str(SEED_RU))
    assert code == 1 and err.count("\n") == 1 and str(db) in err
    assert snapshot(db) == before


def test_an_unknown_document_is_a_typed_error_the_cli_words(capsys, db):
    """The service raises UnknownDocument (no front-end named in it); the CLI adds where
    documents are listed."""
    from tolmach.errors import UnknownDocument
    from tolmach.service.documents import find_document
    from tolmach.store import open_store

    run(capsys, "--db", str(db), "import", str(SEED_RU))
    st = open_store(db)
    with st.read() as s, pytest.raises(UnknownDocument) as caught:
        find_document(s, "Nope")
    st.close()
    assert str(caught.value) == "No document named 'Nope'." and caught.value.ref == "Nope"
    code, out, err = run(capsys, "--db", str(db), "show", "Nope")
    assert code == 1 and err.strip() == "tolmach: error: No document named 'Nope'; `tolmach docs` lists them."


def test_an_unusable_option_is_named_by_each_front_end_its_own_way(capsys, db, tmp_path):
    """The service names the option neutrally (OptionError); the CLI says --name."""
    from tolmach import wording
    from tolmach.errors import OptionError
    from tolmach.service.documents import import_files
    from tolmach.store import open_store

    other = tmp_path / "other.txt"
    other.write_text("Уважаемые товарищи!\n", encoding="utf-8")
    st = open_store(db)
    with pytest.raises(OptionError) as caught:
        import_files(st, [SEED_RU, other], name="Both")
    st.close()
    assert str(caught.value) == "the name option names one document, but 2 files were given; import them one by one."
    assert wording.error_text(caught.value, wording.CLI).startswith("--name names one document, but 2 files")
    code, out, err = run(capsys, "--db", str(db), "import", "--name", "Both", str(SEED_RU), str(other))
    assert code == 1 and err.strip() == (
        "tolmach: error: --name names one document, but 2 files were given; import them one by one.")


# --- standard input (`tolmach import -`) --------------------------------------------------

def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_standard_input_gives_what_the_file_gives(capsys, monkeypatch, tmp_path):
    """The seed piped in as cp1251 (what an old archive's tool writes) is decoded and cut
    exactly as the same bytes in a file are; --name names its first document."""
    from_file, from_pipe = tmp_path / "file.db", tmp_path / "pipe.db"
    data = SEED_RU.read_text(encoding="utf-8").encode("cp1251", errors="replace")
    (tmp_path / "letter.txt").write_bytes(data)
    assert run(capsys, "--db", str(from_file), "import", str(tmp_path / "letter.txt"))[0] == 0
    _stdin(monkeypatch, data)
    code, out, err = run(capsys, "--db", str(from_pipe), "import", "-", "--name", "Piped letter")
    assert code == 0 and err == ""
    assert out.startswith("stdin: 3 document(s)") and '"Piped letter"' in out

    docs = json_lines(run(capsys, "--db", str(from_pipe), "docs", "--json")[1])
    assert [d["name"] for d in docs] == ["Piped letter", "Document I", "Document II"]
    for doc in ("Document I", "Document II"):
        assert json_lines(run(capsys, "--db", str(from_pipe), "show", doc, "--json")[1]) == json_lines(
            run(capsys, "--db", str(from_file), "show", doc, "--json")[1]
        )
    con = sqlite3.connect(from_pipe)
    assert con.execute("SELECT path, encoding FROM imported_files").fetchall() == [("stdin", "cp1251")]
    con.close()


def test_the_same_text_piped_twice_is_recognised(capsys, monkeypatch, db):
    _stdin(monkeypatch, SEED_EN[0].read_bytes())
    assert run(capsys, "--db", str(db), "import", "-")[0] == 0
    before = snapshot(db)
    _stdin(monkeypatch, SEED_EN[0].read_bytes())
    code, _, err = run(capsys, "--db", str(db), "import", "-")
    assert code == 1 and err.strip() == (
        "tolmach: error: stdin was already imported (same content as stdin); nothing was added for it.")
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("args", "data", "says"),
    [
        (["-"], b"", "tolmach: error: Standard input is empty; pipe the text in (e.g. `pdftotext letter.pdf - | tolmach import -`) or name a file."),
        (["-"], b" \n\n\t\n", "tolmach: error: stdin is empty: it holds no text."),
        (["-"], b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "tolmach: error: stdin is a PDF file"),
        (["-", "-"], b"text", "tolmach: error: Standard input (-) can be read only once; give - once."),
    ],
    ids=["empty", "blank", "pdf", "twice"],
)
def test_unusable_standard_input_is_refused_and_changes_nothing(capsys, monkeypatch, db, args, data, says):
    _stdin(monkeypatch, data)
    code, out, err = run(capsys, "--db", str(db), "import", str(SEED_EN[0]), *args)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith(says), err
    assert not db.exists()  # every input is read before the database is opened


def test_standard_input_past_the_size_limit_is_refused_without_reading_it_all():
    import io

    from tolmach.errors import InputError
    from tolmach.fileio import read_stdin

    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(InputError) as caught:
        read_stdin(stream, max_bytes=1000)
    assert str(caught.value).startswith("Standard input holds more than")
    assert stream.tell() == 1001  # one byte past the limit, not the whole stream
    assert read_stdin(io.BytesIO(b"x" * 1000), max_bytes=1000) == b"x" * 1000


def test_a_real_pipe_into_the_installed_entry_point(tmp_path):
    """Through a real pipe and process, as a shell runs it."""
    import subprocess
    import sys

    db = tmp_path / "pipe.db"
    proc = subprocess.run(
        [sys.executable, "-m", "tolmach", "--db", str(db), "import", "-", "--name", "Note"],
        input="Уважаемые товарищи! Посылаем вам письмо о положении в Чехословакии.\n".encode(),
        capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().strip() == 'stdin: 1 document(s), 2 segments: "Note"'
    proc = subprocess.run([sys.executable, "-m", "tolmach", "--db", str(db), "import", "-"], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode == 1 and proc.stderr.decode().startswith("tolmach: error: Standard input is empty")


def test_a_file_growing_while_it_is_read_is_not_read_past_the_limit(tmp_path, monkeypatch):
    """The size is checked before reading; a file that grows after that (a log still being
    written, `yes > file`) is read no further than one byte past the limit, then refused."""
    from tolmach import fileio
    from tolmach.errors import InputError

    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 5000)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: _small(real_stat(self, **kw)) if self == path else real_stat(self, **kw))
    with pytest.raises(InputError) as caught:
        fileio.read_input(path, max_bytes=1000)
    assert str(caught.value).startswith(f"{path} grew past 0 MiB while it was read")
    assert fileio.read_input(path, max_bytes=5000) == b"x" * 5000


def _small(st: os.stat_result) -> os.stat_result:
    """``st`` as it was when the file held 10 bytes."""
    values = list(st)
    values[6] = 10  # st_size
    return os.stat_result(values)
