"""Hostile input, data-driven: every command that reads a file, every kind of bad file.

Each case runs the real CLI (``tolmach.cli.main``, the console script's entry point) on a
copy of one seeded template database, in an empty working folder, and asserts what a
user is promised:

- the exit status is 0, 1, or 2 (usage), never a crash;
- stderr has no traceback, and a failure says exactly one line that starts ``tolmach``;
- nothing a terminal would obey (ESC, C1 controls) reaches stdout or stderr;
- a failure leaves the database logically unchanged;
- nothing is written outside the intended place (the working folder holds only what the
  command is meant to write).

The inputs are generated here; the damaged databases are made from the template.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from conftest import SEED_RU
from tolmach.cli import main

TEXT_EN = (Path(__file__).parent / "data" / "document-ii.en.txt")

# --------------------------------------------------------------------------- inputs

XML_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n<lolz>&lol9;</lolz>"
)
TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="ru" creationtool="t" '
    'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>'
)


def _tmx_unit(src: str, tgt: str) -> str:
    return f'<tu><tuv xml:lang="ru"><seg>{src}</seg></tuv><tuv xml:lang="en"><seg>{tgt}</seg></tuv></tu>'


def _zip(members: dict[str, bytes], *, compress: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tbx(term: str, rendering: str, concept_id: str = "c1") -> bytes:
    return (
        '<?xml version="1.0"?><tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">'
        f'<text><body><conceptEntry id="{concept_id}"><langSec xml:lang="ru"><termSec><term>{term}</term></termSec></langSec>'
        f'<langSec xml:lang="en"><termSec><term>{rendering}</term></termSec></langSec></conceptEntry></body></text></tbx>'
    ).encode()


_META = json.dumps({"package_version": "1.0", "argos_version": "1.9", "from_code": "ru", "to_code": "en"}).encode()

#: name -> (file name, bytes).  Built lazily: some are large.
INPUTS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "empty": lambda: ("empty.txt", b""),
    "whitespace": lambda: ("blank.txt", b"  \n\t\n   \n"),
    "binary": lambda: ("random.bin", bytes(range(256)) * 40),
    "nul bytes": lambda: ("nul.txt", "Уважаемые товарищи!\x00\x00 Наш посол сообщил.".encode() * 50),
    "invalid utf-8 in the middle": lambda: (
        "broken.txt",
        ("Уважаемые товарищи! " * 300).encode() + b"\xff\xfe\xc3\x28" + ("Наш посол сообщил. " * 300).encode(),
    ),
    "utf-16 without BOM": lambda: ("u16.txt", ("Уважаемые товарищи! Наш посол сообщил.\n" * 40).encode("utf-16-le")),
    "terminal escapes": lambda: (
        "escapes.txt",
        ("Письмо\n\n\x1b]0;owned\x07Уважаемые \x1b[2Jтоварищи! \x1b]8;;http://x\x1b\\ссылка\x1b]8;;\x1b\\. "
         + "Наш посол сообщил о вашей реакции. " * 40).encode(),
    ),
    "rich markup": lambda: ("markup.txt", ("[bold red]Уважаемые[/] товарищи! [link=http://x]Наш[/link] посол сообщил. " * 40).encode()),
    "one long line": lambda: ("line.txt", ("Мы получили ваше письмо и внимательно его изучили, " * 8_000).encode()),
    "tmx malformed": lambda: ("bad.tmx", (TMX_HEAD + "<tu><tuv xml:lang='ru'><seg>Да.</seg></tuv").encode()),
    "tmx deeply nested": lambda: ("deep.tmx", (TMX_HEAD + "<tu>" + "<x>" * 5000 + "</x>" * 5000 + "</tu></body></tmx>").encode()),
    "tmx bomb": lambda: ("bomb.tmx", XML_BOMB.encode()),
    "tmx external entity": lambda: (
        "xxe.tmx",
        ('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         + TMX_HEAD[TMX_HEAD.index("<tmx"):] + _tmx_unit("Да.", "&x;") + "</body></tmx>").encode(),
    ),
    # sizes past the limits of xmlsafe and the import core, lowered for this module (see
    # _small_limits) so the inputs stay small; benchmarks/hostile_limits.py runs the real sizes
    "one long word": lambda: ("word.txt", ("ж" * 60_000).encode()),
    "tmx huge text": lambda: ("text.tmx", (TMX_HEAD + _tmx_unit("Да. " * 40_000, "Yes.") + "</body></tmx>").encode()),
    "tmx huge comment": lambda: ("comment.tmx", (TMX_HEAD + "<!--" + "x" * 700_000 + "-->" + _tmx_unit("Да.", "Yes.") + "</body></tmx>").encode()),
    "xliff huge attribute": lambda: (
        "attr.xlf",
        (f'<?xml version="1.0"?><xliff version="1.2"><file source-language="ru" target-language="en" original="{"o" * 100_000}">'
         '<body><trans-unit id="1"><source>Да.</source><target>Yes.</target></trans-unit></body></file></xliff>').encode(),
    ),
    "tbx huge attribute": lambda: ("attr.tbx", _tbx("Да", "Yes", concept_id="c" * 100_000)),
    "tbx huge text": lambda: ("text.tbx", _tbx("Да " * 40_000, "Yes")),
    "tmx huge attribute": lambda: ("attr.tmx", (TMX_HEAD + f'<tu tuid="{"a" * 3_000_000}">' + _tmx_unit("Да.", "Yes.")[4:] + "</body></tmx>").encode()),
    "xliff malformed": lambda: ("bad.xlf", b'<?xml version="1.0"?><xliff version="1.2"><file><body><trans-unit id="1">'),
    "xliff bomb": lambda: ("bomb.xlf", XML_BOMB.replace("lolz", "xliff").encode()),
    "tsv wrong columns": lambda: ("cols.tsv", "one column only\nand another\n".encode()),
    "tsv spreadsheet quotes": lambda: ("sheet.tsv", 'source\ttarget\n"Уважаемые товарищи!"\t"""Dear"" comrades!"\n'.encode()),
    "tbx malformed": lambda: ("bad.tbx", b"<?xml version='1.0'?><tbx><text><body><conceptEntry>"),
    "tbx bomb": lambda: ("bomb.tbx", XML_BOMB.replace("lolz", "tbx").encode()),
    "jsonl malformed": lambda: ("bad.jsonl", b'{"source": "\xd0\x94\xd0\xb0.", "target": \n'),
    "jsonl deeply nested": lambda: ("deep.jsonl", ('{"source": "Да.", "target": "Yes.", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}\n").encode()),
    "jsonl numeric notes": lambda: ("num.jsonl", b'{"source": "\xd0\x94\xd0\xb0.", "target": "Yes.", "notes": 42}\n'),
    "jsonl not an object": lambda: ("list.jsonl", b'[1, 2, 3]\n"text"\n'),
    "zip bomb model": lambda: (
        "bomb.argosmodel",
        _zip({
            "pkg/metadata.json": _META,
            "pkg/sentencepiece.model": b"x",
            "pkg/model/model.bin": b"\0" * (300 << 20),
        }),
    ),
    "path traversal model": lambda: (
        "evil.argosmodel",
        _zip({"pkg/metadata.json": _META, "pkg/model/model.bin": b"x", "pkg/sentencepiece.model": b"x", "../../evil.txt": b"owned"}),
    ),
    "zip that is no model": lambda: ("plain.argosmodel", _zip({"readme.txt": b"hello"})),
}

#: Commands that read one input file; ``{F}`` is the hostile file.
READERS: dict[str, list[str]] = {
    "import": ["import", "{F}"],
    "import-tm": ["import-tm", "{F}"],
    "glossary import": ["glossary", "import", "{F}"],
    "align files": ["align", "{F}", str(TEXT_EN)],
    "align gold": ["align", "{RU}", "{EN}", "--gold", "{F}"],
    "align document": ["align", "Document I", "--target", "{F}"],
    "model install": ["model", "install", "{F}"],
    "tm import": ["tm", "import", "{F}"],
    "import-tei": ["apparatus", "import-tei", "{F}"],
}

#: Inputs no command may accept.
ALWAYS_REFUSED = {"missing", "directory", "device", "pipe", "empty", "whitespace", "binary"}
_XMLISH = {k for k in INPUTS if k.endswith(("malformed", "bomb", "external entity"))} | {"jsonl deeply nested"}
#: Inputs a command must refuse because they are broken in the format it reads.
REFUSED_BY: dict[str, set[str]] = {
    "import-tm": _XMLISH | {"tmx huge attribute", "tmx huge text", "tmx huge comment", "xliff huge attribute", "one long word","tsv wrong columns", "jsonl not an object", "nul bytes", "terminal escapes",
                            "rich markup", "one long line", "invalid utf-8 in the middle", "utf-16 without BOM"},
    "glossary import": {k for k in _XMLISH if k.startswith(("tbx", "tsv"))} | {"tsv wrong columns", "tbx huge attribute", "tbx huge text"},
    "align gold": set(INPUTS) - {"tsv wrong columns"},
    "align files": {"one long line", "one long word"},  # one sentence per line, and these are not
    "import-tei": set(INPUTS),  # none of them is a TEI edition
}

#: File kinds that are not files at all.
SPECIAL = ["missing", "directory", "device", "pipe"]


# --------------------------------------------------------------------------- databases


def _damage_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 2)
        fh.write(os.urandom(8192))


def _damage_header(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(16)
        fh.write(b"\xff" * 84)


def _drop_table(table: str) -> Callable[[Path], None]:
    def run(path: Path) -> None:
        con = sqlite3.connect(path)
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute(f"DROP TABLE {table}")
        con.commit()
        con.close()

    return run


def _newer(path: Path) -> None:
    """What a newer Tolmach leaves: a migration this one does not know."""
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    con.commit()
    con.close()


def _foreign(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "zero bytes": lambda p: p.write_bytes(b""),
    "header damaged": _damage_header,
    "middle damaged": _damage_middle,
    "no beads table": _drop_table("beads"),
    "no revisions table": _drop_table("revisions"),
    "newer schema": _newer,
    "foreign sqlite": _foreign,
    "text file": lambda p: p.write_text("not a database\n"),
}

#: Commands run against a damaged database.
ON_DATABASE: dict[str, list[str]] = {
    "docs": ["docs"],
    "show": ["show", "Document I"],
    "glossary list": ["glossary", "list"],
    "qa": ["qa", "Document I"],
    "export": ["export", "Document I", "--format", "tmx", "--out", "{W}/out.tmx"],
    "import": ["import", str(SEED_RU)],
    "import-tm": ["import-tm", "{GOOD_TMX}"],
    "translate": ["translate", "Document I"],
    "align document": ["align", "Document I", "--target", str(TEXT_EN)],
}

#: Commands that write into the database.
WRITERS = {"import", "import-tm", "translate", "align document"}

#: Output paths that must be refused (``{W}`` the working folder).
OUTPUTS: dict[str, str] = {
    "missing folder": "{W}/no/such/folder/out",
    "a directory": "{W}/adir",
    "a device": "{W}/fifo",  # a named pipe stands for a device: harmless if ever replaced
    "a symlink": "{W}/link",
}
EXPORTERS: dict[str, list[str]] = {
    "export": ["export", "Document I", "--format", "tsv", "--out", "{O}", "--force"],
    "glossary export": ["glossary", "export", "--format", "tsv", "--out", "{O}", "--force"],
}


# --------------------------------------------------------------------------- running


def _logical(db: Path) -> str | None:
    """A digest of every row of every table (None when the file cannot be read as SQLite)."""
    if not db.exists():
        return "absent"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        h = hashlib.sha256()
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            h.update(t.encode())
            for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1'):
                h.update(repr(row).encode())
        con.close()
        return h.hexdigest()
    except sqlite3.DatabaseError:
        return hashlib.sha256(db.read_bytes()).hexdigest()


def run_cli(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def _assert_contract(code: int, out: str, err: str, *, must_fail: bool) -> None:
    assert "Traceback" not in err and "Traceback" not in out, err[-2000:]
    assert code in (0, 1, 2), (code, err)
    if must_fail:
        assert code in (1, 2), f"expected a refusal, got exit {code}: {out[:300]!r}"
    if code:
        # progress lines ("… reading X") may come before; the failure itself is one line
        lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("… ")]
        assert len(lines) == 1 and lines[0].startswith("tolmach"), err
    for stream in (out, err):
        assert "\x1b" not in stream and not any(0x80 <= ord(c) < 0xA0 for c in stream), repr(stream[:300])


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The size limits, scaled down with the inputs: the same refusals and splits as a
    50 MB line or a gigabyte attribute, on files of a few hundred kilobytes."""
    from tolmach.interchange import xmlsafe
    from tolmach.text import sentences

    monkeypatch.setattr(xmlsafe, "MAX_TEXT_CHARS", 100_000)
    monkeypatch.setattr(xmlsafe, "MAX_TOKEN_BYTES", 512 * 1024)
    monkeypatch.setattr(sentences, "WINDOW", 5_000)


#: Inputs refused for their size, and a word of the sentence that says so.
SIZE_REFUSALS = {
    "tmx huge attribute": "was refused",  # 3 MB: past the (lowered) token limit before it ends
    "xliff huge attribute": "characters long",
    "tbx huge attribute": "characters long",
    "tmx huge text": "without markup",
    "tbx huge text": "without markup",
    "tmx huge comment": "MiB",
}


@pytest.fixture
def workdir(tmp_path: Path, _seeded_template: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(_seeded_template, work / "tolmach.db")
    # the first command on a database loads the bundled glossaries: settle that first
    assert run_cli(["--db", str(work / "tolmach.db"), "docs"], work)[0] == 0
    return work


def _files(work: Path) -> set[str]:
    return {str(p.relative_to(work)) for p in work.rglob("*")} - {"tolmach.db-wal", "tolmach.db-shm"}


def _fill(argv: list[str], **values: str) -> list[str]:
    return [a.format(**values) for a in argv]


def _good_pair(work: Path) -> tuple[Path, Path]:
    ru, en = work / "ru.snt", work / "en.snt"
    ru.write_text("Уважаемые товарищи!\nНаш посол сообщил.\n", encoding="utf-8")
    en.write_text("Dear comrades!\nOur ambassador reported.\n", encoding="utf-8")
    return ru, en


@contextlib.contextmanager
def _eof_to_readers(fifo: Path | None) -> Iterator[None]:
    """While the block runs, a reader that opens ``fifo`` gets end-of-file at once, so a
    command that reads a pipe instead of refusing it fails the test instead of hanging."""
    if fifo is None:
        yield
        return
    done = threading.Event()

    def unblock() -> None:
        while not done.wait(0.05):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # ENXIO: nobody is reading
                pass

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.parametrize("kind", [*INPUTS, *SPECIAL])
@pytest.mark.parametrize("command", list(READERS))
def test_reader_refuses_or_accepts_cleanly(command: str, kind: str, workdir: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    if kind == "missing":
        hostile = inputs / "missing.txt"
    elif kind == "directory":
        hostile = inputs / "adir"
        hostile.mkdir()
    elif kind == "device":
        hostile = Path("/dev/zero")
    elif kind == "pipe":
        hostile = inputs / "pipe.tmx"
        os.mkfifo(hostile)
    else:
        name, data = INPUTS[kind]()
        hostile = inputs / name
        hostile.write_bytes(data)
    ru, en = _good_pair(inputs)
    before_db, before_files = _logical(workdir / "tolmach.db"), _files(workdir)
    with _eof_to_readers(hostile if kind == "pipe" else None):
        code, out, err = run_cli(
            ["--db", str(workdir / "tolmach.db"), *_fill(READERS[command], F=str(hostile), RU=str(ru), EN=str(en))], workdir
        )
    if kind in ("device", "pipe"):  # refused as what it is, not read (a pipe would block)
        assert "not a regular file" in err, err
    must_fail = kind in ALWAYS_REFUSED or kind in REFUSED_BY.get(command, ()) or command == "model install"
    _assert_contract(code, out, err, must_fail=must_fail)
    if kind == "empty" and command in ("align files", "align document"):  # of the file, not of importing
        assert "holds no text" in err and "import" not in err, err
    if kind in SIZE_REFUSALS and must_fail and command in ("import-tm", "glossary import"):
        assert hostile.name in err and SIZE_REFUSALS[kind] in err, err
    if code:
        assert _logical(workdir / "tolmach.db") == before_db, "a refused command changed the database"
    after_files = _files(workdir)
    if code == 0:  # a change that landed may leave its automatic backup (docs/reliability.md)
        after_files = {f for f in after_files if not f.startswith("tolmach.db.backups")}
    assert after_files == before_files, "a command wrote into the working folder"
    assert not (tmp_path.parent / "evil.txt").exists() and not (inputs.parent / "evil.txt").exists()


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("command", list(ON_DATABASE))
def test_damaged_database_is_refused_in_one_sentence(command: str, damage: str, workdir: Path, tmp_path: Path) -> None:
    db = workdir / "tolmach.db"
    DAMAGE[damage](db)
    good_tmx = tmp_path / "good.tmx"
    good_tmx.write_text(TMX_HEAD + _tmx_unit("Уважаемые товарищи!", "Dear comrades!") + "</body></tmx>", encoding="utf-8")
    before = _logical(db)
    before_bytes = db.read_bytes()
    code, out, err = run_cli(["--db", str(db), *_fill(ON_DATABASE[command], W=str(workdir), GOOD_TMX=str(good_tmx))], workdir)
    # damage in the middle of the file may lie where a read never looks: reading what is
    # intact is fine, writing into the file is not
    _assert_contract(code, out, err, must_fail=damage != "middle damaged" or command in WRITERS)
    assert _logical(db) == before
    if damage in ("zero bytes", "text file", "foreign sqlite", "newer schema", "header damaged"):
        assert db.read_bytes() == before_bytes, "a refused database file was rewritten"
    if code:
        assert not (workdir / "out.tmx").exists()


@pytest.mark.parametrize("where", list(OUTPUTS))
@pytest.mark.parametrize("command", list(EXPORTERS))
def test_output_path_that_is_not_a_regular_file_is_refused(command: str, where: str, workdir: Path, tmp_path: Path) -> None:
    (workdir / "adir").mkdir()
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me\n")
    (workdir / "link").symlink_to(elsewhere)
    os.mkfifo(workdir / "fifo")
    before = _logical(workdir / "tolmach.db")
    code, out, err = run_cli(
        ["--db", str(workdir / "tolmach.db"), *_fill(EXPORTERS[command], O=OUTPUTS[where].format(W=workdir))], workdir
    )
    _assert_contract(code, out, err, must_fail=True)
    assert elsewhere.read_text() == "keep me\n", "a symlink's target was overwritten"
    assert (workdir / "link").is_symlink()
    assert stat.S_ISFIFO((workdir / "fifo").lstat().st_mode), "a device/pipe was replaced by a file"
    assert (workdir / "adir").is_dir() and not any((workdir / "adir").iterdir())
    assert _logical(workdir / "tolmach.db") == before


def test_read_only_folder_is_refused(workdir: Path, tmp_path: Path) -> None:
    """A folder nobody can write, root included: a read-only tmpfs mount (root's file-mode
    override does not apply to EROFS); as another user, a plain 0555 folder."""
    import subprocess

    locked = tmp_path / "locked"
    locked.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(locked)],
                                 capture_output=True).returncode == 0
        if not mounted:
            pytest.skip("root cannot mount a read-only tmpfs here, and root writes anywhere else")
    else:
        os.chmod(locked, 0o555)
    try:
        for argv in (["export", "Document I", "--format", "tmx", "--out", str(locked / "o.tmx")],
                     ["glossary", "export", "--format", "tsv", "--out", str(locked / "g.tsv")]):
            before = _logical(workdir / "tolmach.db")
            code, out, err = run_cli(["--db", str(workdir / "tolmach.db"), *argv], workdir)
            _assert_contract(code, out, err, must_fail=True)
            assert "locked" in err and "not writable" in err, err
            assert _logical(workdir / "tolmach.db") == before
        assert list(locked.iterdir()) == []
    finally:
        if mounted:
            subprocess.run(["umount", str(locked)], check=False)


def test_a_file_name_that_is_not_utf8_is_read_and_named(workdir: Path, tmp_path: Path) -> None:
    """A Latin-1 file name from an old archive reaches Python with surrogates: every
    command that stores a file's name (document, memory, origin) crashed writing it, and
    the error boundary crashed again writing its log."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    odd = lambda stem, ext: folder / os.fsdecode(stem.encode("utf-8") + b"\xe9" + ext.encode())  # noqa: E731
    letter = odd("lettre", ".txt")
    letter.write_text("Уважаемые товарищи!\nНаш посол сообщил о вашей реакции.\n", encoding="utf-8")
    memory = odd("m", ".tmx")
    memory.write_text(TMX_HEAD + _tmx_unit("Уважаемые товарищи!", "Dear comrades!") + "</body></tmx>", encoding="utf-8")
    translation = odd("en", ".txt")
    translation.write_text("To the Executive Committee.\nDear comrades!\n", encoding="utf-8")
    db = str(workdir / "tolmach.db")
    for argv in (["import", str(letter)], ["tm", "import", str(memory)], ["import-tm", str(memory)],
                 ["align", "Document II", "--target", str(translation), "--no-mt", "--force"]):
        code, out, err = run_cli(["--db", db, *argv], workdir)
        _assert_contract(code, out, err, must_fail=False)
        assert code == 0, (argv, err)
    code, out, _ = run_cli(["--db", db, "docs"], workdir)
    assert "lettre\ufffd" in out


def test_the_error_log_takes_arguments_that_are_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tolmach.cli import log_unexpected

    monkeypatch.setenv("TOLMACH_STATE_DIR", str(tmp_path))
    log = log_unexpected(ValueError("boom"), ["import", os.fsdecode(b"caf\xe9.txt")])
    assert log is not None and "caf\\udce9.txt" in log.read_text(encoding="utf-8")
