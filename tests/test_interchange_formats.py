"""Writers and readers of every format on plain units: round trips, escaping, validity."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interchange_fixtures import validate_tmx, validate_xliff
from tolmach.errors import InputError
from tolmach.interchange import FORMATS, Header, Unit, bcp47, format_of_file, get_format
from tolmach.interchange.moses import one_line, read_moses
from tolmach.interchange.xmlsafe import clean
from tolmach.store import BeadStatus

MARKUP = ["[bold]", "<b>", "</b>", "&amp;", "&", "<", ">", '"', "'", "]]>", "<![CDATA[x]]>", "<!-- c -->", "&#0;", "\\", "\\n", "\t", "\n", "\r", "\r\n", "\u2028", "\x85", "\x0b", "\x00", "\x1f", "\ufffe", "\U0001F600", "  "]

#: Arbitrary Unicode without lone surrogates (they cannot be stored or encoded as UTF-8),
#: mixed with markup-like and escape-like fragments.
text = st.lists(
    st.one_of(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12), st.sampled_from(MARKUP)),
    max_size=6,
).map("".join)

units = st.builds(
    Unit,
    document=text,
    number=st.one_of(st.none(), st.integers(1, 10**6)),
    source=text,
    target=text,
    src_lang=st.just("ru"),
    tgt_lang=st.just("en"),
    status=st.sampled_from([s.value for s in BeadStatus]),
    origin=text,
    score=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    flagged=st.booleans(),
    notes=st.lists(text, max_size=3).map(tuple),
    bead_id=st.one_of(st.none(), st.integers(1, 10**9)),
    document_id=st.one_of(st.none(), st.integers(1, 10**6)),
)

HEADER = Header(src_lang="ru", tgt_lang="en")


def write(fmt: str, items: list[Unit], folder: Path, name: str = "out") -> list[Path]:
    form = get_format(fmt)
    paths = form.output_paths(folder / name, HEADER)
    handles = [p.open("w", encoding="utf-8", newline="\n") for p in paths]
    try:
        writer = form.writer(handles, HEADER)
        for u in items:
            writer.write(u)
        writer.close()
    finally:
        for h in handles:
            h.close()
    return paths


def read(fmt: str, paths: list[Path]) -> list[Unit]:
    if fmt == "moses":
        return list(read_moses(*paths))
    return list(get_format(fmt).reader(paths[0]))


def xml_expected(u: Unit) -> Unit:
    """What an XML format gives back: XML-illegal characters removed, nothing else changed."""
    c = lambda s: clean(s)[0]  # noqa: E731
    target = c(u.target) if c(u.target).strip(" \t\r\n") else ""  # no empty target is ever written
    return Unit(
        document=c(u.document), number=u.number, source=c(u.source), target=target,
        src_lang=u.src_lang, tgt_lang=u.tgt_lang, status=u.status, origin=c(u.origin),
        score=u.score, flagged=u.flagged, notes=tuple(c(n).strip() for n in u.notes if c(n).strip()),
        bead_id=u.bead_id, document_id=u.document_id,
    )


def xliff_expected(u: Unit) -> Unit:
    x = xml_expected(u)
    return Unit(**{**{f: getattr(x, f) for f in Unit.__slots__}, "approved": True if u.status == "reviewed" and x.target else None})  # noqa: E501


def tsv_expected(u: Unit) -> Unit:
    notes = tuple(x for x in (" ".join(n.split()) for n in u.notes) if x)
    return Unit(**{**{f: getattr(u, f) for f in Unit.__slots__}, "notes": notes})


def tmx_expected(u: Unit) -> Unit:
    x = xml_expected(u)  # a unit without a translation has the source variant only
    return x if x.target else Unit(**{**{f: getattr(x, f) for f in Unit.__slots__}, "tgt_lang": "und"})


EXPECTED = {
    "tmx": tmx_expected,
    "xliff": xliff_expected,
    "tsv": tsv_expected,
    "jsonl": lambda u: u,
}


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "tsv", "jsonl"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(units, max_size=8))
def test_round_trip_gives_the_same_units(fmt: str, items: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write(fmt, items, Path(tmp))
        back = read(fmt, paths)
        if fmt == "tmx":
            assert validate_tmx(paths[0]) == []
        if fmt == "xliff":
            assert validate_xliff(paths[0]) == []
    assert back == [EXPECTED[fmt](u) for u in items]


@settings(max_examples=60, deadline=None)
@given(items=st.lists(units, max_size=8))
def test_moses_files_stay_line_aligned(items: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write("moses", items, Path(tmp))
        lines = [p.read_bytes().decode("utf-8").split("\n") for p in paths]
        back = read("moses", paths)
    assert [len(x) for x in lines] == [len(items) + 1, len(items) + 1]  # + the empty piece after the last \n
    assert all(len(line.splitlines()) <= 1 for part in lines for line in part)
    assert [(u.source, u.target) for u in back] == [(one_line(u.source), one_line(u.target)) for u in items]


@settings(max_examples=60, deadline=None)
@given(items=st.lists(units, max_size=8))
def test_tsv_read_by_the_csv_module_gives_exactly_the_texts(items: list[Unit]) -> None:
    """The dialect is what csv's excel-tab reads: no private escapes to undo."""
    import csv

    with tempfile.TemporaryDirectory() as tmp:
        (path,) = write("tsv", items, Path(tmp))
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, dialect="excel-tab"))
    assert rows[0][4:6] == ["source", "target"]
    assert [(r[4], r[5]) for r in rows[1:]] == [(u.source, u.target) for u in items]


@settings(max_examples=40, deadline=None)
@given(items=st.lists(units, min_size=1, max_size=8))
def test_tsv_read_by_pandas_gives_exactly_the_texts(items: list[Unit]) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (PyPI package pandas)")
    with tempfile.TemporaryDirectory() as tmp:
        (path,) = write("tsv", items, Path(tmp))
        frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(zip(frame["source"], frame["target"])) == [(u.source, u.target) for u in items]


def test_tsv_saved_back_by_a_spreadsheet_reads_the_same(tmp_path: Path) -> None:
    """Every field quoted, quotes doubled, CRLF: what LibreOffice/Excel save."""
    import csv

    items = [Unit("D", 1, "«Правда»", '"Pravda" is a "newspaper"'), Unit("D", 2, "a\tb", 'tab\there\nand "more"')]
    (path,) = write("tsv", items, tmp_path, "t.tsv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, dialect="excel-tab"))
    saved = tmp_path / "saved.tsv"
    with saved.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, dialect="excel-tab", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    assert [(u.source, u.target) for u in read("tsv", [saved])] == [(u.source, u.target) for u in items]


def test_tsv_with_a_broken_quote_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text('source\ttarget\na\t"b"x\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.tsv, line 2: not valid TSV"):
        list(read("tsv", [path]))


def test_tmx_is_valid_and_translate_toolkit_reads_it(tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    items = [
        Unit("Document I", 1, "Уважаемые товарищи!", "Dear comrades!", "ru", "en", "reviewed", "user", 0.75),
        Unit("Document I", 2, "ЦК КПСС & <СМ>", "CC CPSU & <CM>\x01", "ru", "en", "machine", "argos ru-en 1.9"),
    ]
    (path,) = write("tmx", items, tmp_path, "tm.tmx")
    assert validate_tmx(path) == []
    text = path.read_text(encoding="utf-8")
    for needed in ('creationtool="Tolmach"', "creationtoolversion=", 'segtype="sentence"', 'srclang="ru"',
                   '<prop type="x-document">Document I</prop>', '<prop type="x-bead">2</prop>',
                   '<prop type="x-status">machine</prop>', '<prop type="x-origin">argos ru-en 1.9</prop>'):
        assert needed in text
    store = tmxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == [
        ("Уважаемые товарищи!", "Dear comrades!"),
        ("ЦК КПСС & <СМ>", "CC CPSU & <CM>"),
    ]


def test_xliff_state_follows_status_and_translate_toolkit_reads_notes(tmp_path: Path) -> None:
    from translate.storage.xliff import xlifffile

    items = [
        Unit("Doc", i + 1, f"s{i}", f"t{i}" if st_ != "empty" else "", "ru", "en", st_, qa_notes=("numbers: 1 missing",) if i == 0 else ())
        for i, st_ in enumerate(["empty", "machine", "imported", "edited", "reviewed"])
    ]
    (path,) = write("xliff", items, tmp_path, "doc.xlf")
    assert validate_xliff(path) == []
    from lxml import etree

    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    tree = etree.parse(str(path))
    states = [t.get("state") for t in tree.iterfind(".//x:target", ns)]
    assert states == ["needs-review-translation", "translated", "translated", "signed-off"]  # no empty <target>
    assert [u.get("approved") for u in tree.iterfind(".//x:trans-unit", ns)] == [None, None, None, None, "yes"]
    store = xlifffile.parsefile(str(path))
    assert [u.target for u in store.units] == [None, "t1", "t2", "t3", "t4"]  # no empty target to mistake
    reviewed = store.units[4]
    assert reviewed.isapproved() and not reviewed.isfuzzy()  # reviewed beads are approved, never fuzzy
    assert store.units[1].isfuzzy() and not store.units[1].isapproved()  # machine drafts need review
    assert "numbers: 1 missing" in store.units[0].getnotes()


def test_xliff_opens_one_file_per_document_and_keeps_ids_unique(tmp_path: Path) -> None:
    items = [Unit("A", 1, "a", "x"), Unit("A", 1, "b", "y"), Unit("B", 2, "c", "z"), Unit("A", 3, "d", "w")]
    (path,) = write("xliff", items, tmp_path, "x.xlf")
    assert validate_xliff(path) == []
    assert path.read_text().count("<file ") == 3
    assert [u.document for u in read("xliff", [path])] == ["A", "A", "B", "A"]


def test_empty_export_is_still_valid(tmp_path: Path) -> None:
    (tmx_path,) = write("tmx", [], tmp_path, "e.tmx")
    (xlf_path,) = write("xliff", [], tmp_path, "e.xlf")
    assert validate_tmx(tmx_path) == [] and validate_xliff(xlf_path) == []
    assert read("tmx", [tmx_path]) == [] and read("xliff", [xlf_path]) == []


def test_jsonl_is_one_object_per_line_even_with_unicode_separators(tmp_path: Path) -> None:
    u = Unit("D", 1, "a\u2028b\x85c", "d\u2029e\nf", "ru", "en", "edited")
    (path,) = write("jsonl", [u], tmp_path, "o.jsonl")
    raw = path.read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 1
    obj = json.loads(raw)
    assert set(obj) == {"document", "bead", "source", "target", "src_lang", "tgt_lang", "status", "origin",
                        "score", "flagged", "notes", "qa", "bead_id", "document_id", "creator", "created",
                        "changer", "changed"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ru", "ru"), ("RU", "ru"), ("en_us", "en-US"), ("sr-latn-rs", "sr-Latn-RS"), ("", "und"), (None, "und"),
     ("unknown", "und"), ("english", "und"), ("es-419", "es-419")],
)
def test_language_codes_are_bcp47(raw: str | None, expected: str) -> None:
    assert bcp47(raw) == expected


def test_format_registry_and_detection(tmp_path: Path) -> None:
    assert set(FORMATS) == {"tmx", "xliff", "xliff2", "tsv", "moses", "jsonl", "tei"}
    with pytest.raises(InputError, match="Unknown format 'docx'"):
        get_format("docx")
    odd = tmp_path / "memory.xml"
    odd.write_text('<?xml version="1.0"?><tmx version="1.4"><header/><body/></tmx>')
    assert format_of_file(odd).name == "tmx"
    unknown = tmp_path / "notes.txt"
    unknown.write_text("hello")
    with pytest.raises(InputError, match="cannot tell its format"):
        format_of_file(unknown)


def test_tmx_from_another_tool_is_read_by_srclang(tmp_path: Path) -> None:
    path = tmp_path / "omegat.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n<tmx version="1.1">'
        '<header creationtool="OmegaT" srclang="RU" segtype="sentence" o-tmf="x" adminlang="EN-US" datatype="plaintext"'
        ' creationtoolversion="6"/><body><tu><tuv lang="EN"><seg>Dear <bpt i="1">&lt;b&gt;</bpt>comrades'
        '<ept i="1">&lt;/b&gt;</ept>!</seg></tuv><tuv lang="RU"><seg>Уважаемые товарищи!</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    (u,) = read("tmx", [path])
    assert (u.source, u.target, u.src_lang, u.tgt_lang) == ("Уважаемые товарищи!", "Dear comrades!", "ru", "en")
    assert u.inline_codes == 2  # <bpt>/<ept> are codes, stripped and counted, never literal text


def test_tsv_reader_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("source\ttarget\na\tb\nc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3: 1 fields where the header has 2"):
        list(read("tsv", [path]))


def test_writers_stream_without_holding_units() -> None:
    """A writer's output grows as units arrive (nothing is buffered until close)."""
    for fmt in ("tmx", "xliff", "tsv", "jsonl"):
        buf = io.StringIO()
        writer = get_format(fmt).writer([buf], HEADER)
        writer.write(Unit("D", 1, "a", "b"))
        first = len(buf.getvalue())
        writer.write(Unit("D", 2, "c", "d"))
        assert len(buf.getvalue()) > first > 0
