"""Archival references: every reference of every seed parses; Russian ciphers; styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mt_fixtures import document_id

from tolmach.apparatus.citations import cite, expand_range, parse, parse_notes
from tolmach.service import apparatus
from tolmach.service.documents import prepare_file
from tolmach.store import Store

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

#: What marks an archival reference in a printed note, independent of the parser:
#: a fund/fond word, or a Russian cipher.
_MARK = re.compile(r"\b(?:fund|Fund|Fond|fond)\b|Ф\.\s*\d")


def _notes(path: Path) -> list[str]:
    """The notes and reference lines of a seed as the import pipeline cuts them."""
    return [s.text.strip().strip("()") for d in prepare_file(path).parsed.documents for s in d.segments
            if s.kind.value in ("note", "reference")]


def test_every_archival_reference_of_every_seed_parses() -> None:
    total = ibids = 0
    for path in SEEDS:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
        expected = sum(1 for ln in raw_lines if _MARK.search(ln))
        notes = _notes(path)
        found = parse_notes(notes)
        direct = [c for _, c in found if not c.ibid]
        assert len(direct) == expected, (path.name, len(direct), expected)
        for c in direct:
            assert c.archive and c.fund and c.file, c
            assert c.folios or c.archive == "Central State Archive", c  # the Sofia note gives no folio
        total += len(direct)
        ibids += sum(c.ibid for _, c in found)
    assert total == 3 + 27  # seed 002: note 6 and the two documents' references; seed 004: 27 notes
    assert ibids == 14  # seed 004: the 14 of its 17 "Ibid." notes that follow an archival note ("Ibid., 298." is a book)


def test_seed_004_notes_parts() -> None:
    found = dict(parse_notes(_notes(SEEDS[-1])))
    by_file = {c.file: c for c in found.values() if not c.ibid}
    c = by_file["73/1967"]
    assert (c.archive, c.fund, c.section, c.folios) == ("ANR", "CC al PCR", "section Foreign Relations", "12")
    assert c.title.endswith("Suleyman Demirel, 14 September 1967")
    first = by_file["62/1969"]
    assert (first.archive, first.archive_name, first.section, first.folios) == (
        "ANR", "Arhivele Naționale ale României", "section Chancellery", "11–5")
    sofia = by_file["360"]
    assert (sofia.archive, sofia.place, sofia.fund) == ("Central State Archive", "Sofia", "378-B")
    ibid = [c for c in found.values() if c.ibid and c.file == "80/1972"]
    assert [(c.printed, c.folios) for c in ibid] == [("Ibid., ff. 96–7", "96–7")]
    assert cite(ibid[0], "chicago").endswith("file 80/1972, ff. 96–97, fond CC al PCR, section Foreign Relations, ANR.")


def test_seed_002_references_and_document_citation(seeded_store: Store) -> None:
    c = apparatus.document_citation(seeded_store, "Document I")
    assert (c.archive, c.fund, c.section, c.file, c.volume, c.folios) == (
        "DANIC", "CC al PCR", "Secţia Relaţii Externe", "3U/1968-1970", "II", "25-28")
    assert cite(c) == "DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, ff. 25-28"
    assert cite(c, "chicago") == "file 3U/1968-1970, vol. II, ff. 25–28, fond CC al PCR, Secţia Relaţii Externe, DANIC."
    c2 = apparatus.document_citation(seeded_store, "Document II")
    assert (c2.folios, cite(c2, "chicago")[-30:]) == ("61", "CC al PCR, Secţia Relaţii Externe, DANIC."[-30:])
    note6 = [c for _, c in apparatus.document_notes_citations(seeded_store, document_id(seeded_store, "002_089901b84e1e010c"))]
    assert [(n.archive, n.archive_name, n.place, n.folios) for n in note6] == [
        ("DANIC", "Direcţia Arhivelor Naţionale Istorice Centrale", "Bucureşti", "4")]


@pytest.mark.parametrize(
    ("text", "parts", "chicago"),
    [
        ("РГАНИ. Ф. 3. Оп. 72. Д. 200. Л. 1–5 об.", ("РГАНИ", "3", "72", "200", "", "1–5", True),
         "RGANI, f. 3, op. 72, d. 200, ll. 1–5ob."),
        ("РГАСПИ. Ф. 17. Оп. 3. Д. 1045. Л. 12.", ("РГАСПИ", "17", "3", "1045", "", "12", False),
         "RGASPI, f. 17, op. 3, d. 1045, l. 12."),
        ("АВП РФ. Ф. 0125. Оп. 58. Д. 5. Т. 2. Лл. 10–12 об.", ("АВП РФ", "0125", "58", "5", "2", "10–12", True),
         "AVP RF, f. 0125, op. 58, d. 5, t. 2, ll. 10–12ob."),
    ],
)
def test_russian_ciphers(text: str, parts: tuple, chicago: str) -> None:
    c = parse(text)
    assert (c.archive, c.fund, c.inventory, c.file, c.volume, c.folios, c.verso) == parts
    assert cite(c) == text.rstrip(".") or cite(c) == text
    assert cite(c, "chicago") == chicago


def test_not_archival() -> None:
    assert parse("Viktor Suvorov, Inside the Soviet Army, New York, 1986, p. 3 sqq.") is None
    assert parse_notes(["10 Mastny and Byrne, A Cardboard Castle (Budapest, 2005), 240.", "11 Ibid., 298."]) == []
    assert expand_range("11–5") == "11–15" and expand_range("96–7") == "96–97" and expand_range("25-28") == "25–28"
    assert expand_range("251") == "251"
