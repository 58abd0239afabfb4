"""TSV and TBX: the bundled glossary, round trips, and bad or hostile input refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from glossary_fixtures import GLOSSARY
from hypothesis import given, settings
from hypothesis import strategies as st

from tolmach.errors import InputError
from tolmach.glossary.entries import GLOSSARY_COLUMNS, TYPES, Entry, dumps_tsv, read_tbx, read_glossary_tsv, write_tbx, write_tsv
from tolmach.service import glossary as service

HEADER = "\t".join(GLOSSARY_COLUMNS)


def row(term: str = "ЦК", preferred: str = "Central Committee", **kw: str) -> str:
    cells = {"term": term, "preferred": preferred, **kw}
    return "\t".join(cells.get(c, "") for c in GLOSSARY_COLUMNS)


# --- the bundled glossary ---------------------------------------------------------------


def test_bundled_glossary_is_valid_and_large_enough() -> None:
    entries = read_glossary_tsv(GLOSSARY)
    assert len(entries) >= 60
    assert {(e.glossary, e.src_lang, e.tgt_lang) for e in entries} == {("party-state", "ru", "en")}
    terms = {e.term for e in entries}
    for required in ("ЦК", "КПСС", "ЦК КПСС", "РКП", "ЦК РКП", "Исполком ЦК РКП", "Политбюро", "КПЧ", "ЧССР", "СРР",
                     "ГДР", "Великое Национальное Собрание", "Варшавский Договор", "пленум ЦК",
                     "Братиславская декларация", "Московское коммюнике", "т.", "социалистическое содружество",
                     "пролетарский интернационализм", "братские партии", "антисоциалистические силы"):
        assert required in terms, required


def test_every_entry_has_a_source_and_choices_are_marked() -> None:
    """Each preferred rendering cites an attested source or says it is a choice."""
    attested = (Path(__file__).resolve().parents[2] / "shared" / "reference" / "attested-terms.ru-en.tsv")
    for e in read_glossary_tsv(GLOSSARY):
        assert e.source, e.term
        assert e.source.startswith(("attested:", "not in attested-terms", "same as")), e.term
        assert e.type in TYPES and e.type
    if attested.exists():  # every cited address really is in the reference file
        reference = attested.read_text(encoding="utf-8")
        for e in read_glossary_tsv(GLOSSARY):
            if e.source.startswith("attested:"):
                for cited in e.source.removeprefix("attested:").split(" ; "):
                    url = cited.strip().split(" ")[0]
                    assert url in reference, (e.term, url)


# --- bad TSV ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"{HEADER}\n{row()}\nЦК КПСС\tCPSU CC\n", r":3: malformed line: expected 8 tab-separated columns, found 2"),
        (f"{HEADER}\n{row()}\n{row(term='  ')}\n", r":3: the 'term' column is empty"),
        (f"{HEADER}\n{row()}\n{row(preferred='')}\n", r":3: the 'preferred' column is empty"),
        (f"{HEADER}\n{row()}\n{row(term='цк ')}\n", r":3: duplicate entry: 'цк' is already defined at .*:2"),
        (f"{HEADER}\n{row(expansion='Центральный Комитет')}\n{row(term='Центральный  комитет')}\n", r":3: duplicate entry"),
        (f"{HEADER}\tcolour\n", r":1: unknown column 'colour'"),
        ("term\tvariants\n", r":1: the header has no 'preferred' column"),
        (f"{HEADER}\n{row(type='party organ')}\n", r":2: unknown type 'party organ'"),
        ("", r"the file is empty"),
    ],
)
def test_bad_tsv_is_refused_with_file_and_line(tmp_path: Path, store, body: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.ru-en.tsv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        service.import_tsv(store, path)
    assert str(path) in str(info.value)
    assert service.list_entries(store) == []  # nothing half-imported


def test_non_utf8_tsv_names_the_line(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cp1251.tsv"
    path.write_bytes(f"{HEADER}\n{row()}\n".encode() + row(term="Политбюро").encode("cp1251") + b"\n")
    with pytest.raises(InputError, match=r"cp1251.tsv:3: not valid UTF-8"):
        service.import_tsv(store, path)
    assert service.count_entries(store) == 0


def test_a_bad_line_late_in_a_big_file_imports_nothing(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    good = GLOSSARY.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path = tmp_path / "big.ru-en.tsv"
    path.write_text("\n".join(good + ["broken line without tabs"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf":{len(good) + 1}: malformed line"):
        service.import_tsv(store, path)
    assert service.count_entries(store) == 0


def test_comments_blank_lines_and_column_order(tmp_path: Path) -> None:
    path = tmp_path / "x.ru-en.tsv"
    path.write_text("# a comment\n\npreferred\tterm\tvariants\nCPSU\tКПСС\tCommunist Party of the Soviet Union | \n", encoding="utf-8")
    (e,) = read_glossary_tsv(path)
    assert (e.term, e.preferred, e.variants, e.glossary) == ("КПСС", "CPSU", ("Communist Party of the Soviet Union",), "x")


# --- round trips ----------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\t\n\r|\x85"),
    min_size=1,
    max_size=30,
).map(lambda s: " ".join(s.split())).filter(lambda s: s and not s.startswith("#"))

_ENTRIES = st.lists(
    st.builds(
        lambda term, preferred, variants, kind, note: Entry(
            term, preferred, tuple(dict.fromkeys(v for v in variants if v != preferred)), type=kind, note=note,
            glossary="g", src_lang="ru", tgt_lang="en",
        ),
        _TEXT, _TEXT, st.lists(_TEXT, max_size=3), st.sampled_from(sorted(TYPES)), st.just("") | _TEXT,
    ),
    max_size=8,
    unique_by=lambda e: e.term.casefold(),
).filter(lambda es: len({" ".join(e.term.split()).casefold() for e in es}) == len(es))


@settings(max_examples=60, deadline=None)
@given(_ENTRIES)
def test_tsv_and_tbx_round_trip(tmp_path_factory, entries: list[Entry]) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("rt")
    write_tsv(folder / "g.ru-en.tsv", entries)
    if entries:
        assert read_glossary_tsv(folder / "g.ru-en.tsv") == entries
        write_tbx(folder / "g.tbx", entries)
        assert read_tbx(folder / "g.tbx", glossary="g") == entries


def test_bundled_glossary_round_trips_through_tbx(tmp_path: Path) -> None:
    entries = read_glossary_tsv(GLOSSARY)
    write_tbx(tmp_path / "party-state.tbx", entries)
    assert read_tbx(tmp_path / "party-state.tbx") == entries
    assert dumps_tsv(entries) == dumps_tsv(read_glossary_tsv(GLOSSARY))


def test_tbx_import_into_the_database_matches_tsv_import(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    write_tbx(tmp_path / "party-state.tbx", read_glossary_tsv(GLOSSARY))
    report = service.import_tbx(store, tmp_path / "party-state.tbx")
    assert report.added == len(read_glossary_tsv(GLOSSARY))
    assert [e.term for e in service.list_entries(store)] == [e.term for e in read_glossary_tsv(GLOSSARY)]


def test_older_martif_tbx_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.tbx"
    path.write_text(
        """<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1"><descrip type="subjectField">treaty</descrip>
 <langSet xml:lang="ru-RU"><tig><term>Варшавский Договор</term></tig></langSet>
 <langSet xml:lang="en-GB"><tig><term>Warsaw Pact</term></tig><tig><term>Warsaw Treaty</term></tig></langSet>
</termEntry></body></text></martif>""",
        encoding="utf-8",
    )
    (e,) = read_tbx(path)
    assert (e.term, e.preferred, e.variants, e.type) == ("Варшавский Договор", "Warsaw Pact", ("Warsaw Treaty",), "treaty")


# --- hostile or broken XML -------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tbx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<tbx><text><body><conceptEntry id="c1"><langSec xml:lang="ru"><termSec><term>&lol4;</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>x</term></termSec></langSec></conceptEntry></body></text></tbx>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tbx><text><body><conceptEntry id="c1"><langSec xml:lang="ru"><termSec><term>&secret;</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>x</term></termSec></langSec></conceptEntry></body></text></tbx>"""

VALID_THEN_BROKEN = """<?xml version="1.0"?>
<tbx><text><body><conceptEntry id="c1"><langSec xml:lang="ru"><termSec><term>ЦК</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>Central Committee</term></termSec></langSec></conceptEntry>
<conceptEntry id="c2"><langSec xml:lang="ru"><termSec><term>КПСС</term></termSec></langSec>
</body></text></tbx>"""

MISSING_ENGLISH = """<?xml version="1.0"?>
<tbx><text><body><conceptEntry id="c1"><langSec xml:lang="ru"><termSec><term>ЦК</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>Central Committee</term></termSec></langSec></conceptEntry>
<conceptEntry id="c2"><langSec xml:lang="ru"><termSec><term>КПСС</term></termSec></langSec></conceptEntry>
</body></text></tbx>"""


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (BILLION_LAUGHS, r"bad.tbx was refused: it declares XML entities"),
        (EXTERNAL_ENTITY, r"bad.tbx was refused: it (declares XML entities|refers to an external entity)"),
        (VALID_THEN_BROKEN, r"bad.tbx is not well-formed XML at line 5"),
        (MISSING_ENGLISH, r"concept 2 \(id=c2\): no 'en' term"),
        ("<html><body>not a glossary</body></html>", r"is XML but not TBX: its root element is <html>"),
        ('<?xml version="1.0"?><tbx><text><body/></text></tbx>', r"holds no TBX concept entries"),
    ],
)
def test_hostile_or_bad_tbx_is_refused_and_nothing_imported(tmp_path: Path, store, xml: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.tbx"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        service.import_tbx(store, path)
    assert service.count_entries(store) == 0


def test_tbx_duplicate_concepts_are_refused(tmp_path: Path) -> None:
    e = Entry("ЦК", "Central Committee")
    write_tbx(tmp_path / "dup.tbx", [e, Entry("цк", "CC")])
    with pytest.raises(InputError, match=r"concept 2 .*duplicate entry: 'цк'"):
        read_tbx(tmp_path / "dup.tbx")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_tsv_saved_as_unicode_text_with_a_bom_is_read(tmp_path: Path, store, encoding: str) -> None:  # type: ignore[no-untyped-def]
    """Excel's "Unicode Text" is UTF-16 (little-endian) with a byte-order mark and CRLF
    line ends: the BOM names the encoding, so the glossary is read as written."""
    path = tmp_path / "excel.ru-en.tsv"
    body = f"{HEADER}\r\n{row()}\r\n{row(term='Политбюро', preferred='Politburo')}\r\n"
    data = body.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    service.import_tsv(store, path)
    assert sorted((e.term, e.preferred) for e in service.list_entries(store)) == [
        ("Политбюро", "Politburo"), ("ЦК", "Central Committee")]


def test_tsv_with_a_utf16_bom_and_broken_bytes_is_refused(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.ru-en.tsv"
    path.write_bytes(b"\xff\xfe" + f"{HEADER}\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(InputError, match="UTF-16-LE byte-order mark but byte"):
        service.import_tsv(store, path)
    assert service.list_entries(store) == []
