"""Hostile and generated input: the apparatus never crashes and its spans index the text;
a TEI edition of odd shapes (0:1 and 1:0 beads, control characters, markup characters)
stays valid and round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mt_fixtures import add_document

from tolmach.apparatus.citations import parse, parse_notes
from tolmach.apparatus.dates import check_dates, find_dates, find_english_dates
from tolmach.apparatus.errors import find_errors
from tolmach.apparatus.names import find_names
from tolmach.service import apparatus
from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadSpec, replace_run
from tolmach.store import Bead, Store, open_store

TEXT = st.text(alphabet=st.sampled_from(list("абвгдежзийклмнопрстуфхцчшщъыьэюяАМДС .,;:-–()«»\n\t0123456789ФОпДЛоб.")) |
               st.characters(), max_size=120)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_core_functions_survive_any_text(text: str) -> None:
    for e in find_errors(text):
        assert text[e.start : e.end] == e.word and e.reading
    for n in find_names(text):
        assert text[n.start : n.end] == n.surface
    for d in find_dates(text, 1968):
        assert text[d.start : d.end] == d.surface and 1 <= d.month <= 12
    find_english_dates(text)
    check_dates(text, text, 1968)
    parse(text)
    parse_notes(text.splitlines())


@pytest.fixture(scope="module")
def tei_all():
    etree = pytest.importorskip("lxml.etree", reason="lxml (PyPI: lxml) validates against the RELAX NG schema")
    return etree.RelaxNG(etree.parse(str(Path(__file__).parent / "data" / "tei" / "tei_all-4.3.0.rng.gz")))


def test_odd_shapes_round_trip(store: Store, tmp_path: Path, tei_all) -> None:
    from lxml import etree

    doc = add_document(store, "Odd <&> \x01 document", [
        ("Мы пологаем, что ха них \x02 нельзя <b>&amp;</b>.", "ru", "body"),
        ("Второе предложение 3 сентября с. г.", "ru", "body"),
        ("(РГАНИ. Ф. 3. Оп. 72. Д. 200. Л. 1–5 об.)", "und", "reference"),
    ])
    beads = bead_service.load_beads(store, doc)
    bead_service.edit_target(store, beads[0].id, "We suppose <that> & \x03 “on them”.")
    with store.transaction() as s:  # an English sentence with no Russian counterpart (0:1)
        replace_run(s, doc, [], [BeadSpec(2, 2, "An added sentence.", "edited", "align", 0.25, True)],
                    action="align", start=2)
    apparatus.confirm_errors(store, doc, ["ха"])
    out = tmp_path / "odd.tei"
    report = apparatus.export_tei(store, doc, out)
    assert report.removed_chars == 4  # \x01 (title, twice), \x02, \x03: XML 1.0 cannot carry them
    assert tei_all.validate(etree.parse(str(out))), tei_all.error_log
    other = open_store(tmp_path / "other.db")
    try:
        new_id, _ = apparatus.import_tei(other, out)
        shapes = lambda st_, d: [(b.src_start, b.src_end, b.target, b.status, b.score, b.flagged)  # noqa: E731
                                 for b in bead_service.load_beads(st_, d)]
        got = shapes(other, new_id)
        assert got == [(s, e, t.replace("\x03", ""), st_, sc, fl) for s, e, t, st_, sc, fl in shapes(store, doc)]
        assert [(1, 0)] != [(b.src_start, b.src_end) for b in bead_service.load_beads(other, new_id)]
        assert [b.src_end - b.src_start for b in bead_service.load_beads(other, new_id)] == [1, 1, 0, 1]
        again = tmp_path / "again.tei"
        apparatus.export_tei(other, new_id, again)
        assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
        with other.read() as s:
            assert s.query(Bead).count() == 4
    finally:
        other.close()
    assert "РГАНИ" in out.read_text(encoding="utf-8") and "<repository>РГАНИ</repository>" in out.read_text(encoding="utf-8")
