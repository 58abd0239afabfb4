"""Names (recognition, two schemes, authority forms, QA) and dates (с. г. resolved from
the dateline, a wrong day caught) on Documents I and II."""

from __future__ import annotations

import pytest
from mt_fixtures import add_document, document_id

from tolmach.apparatus.dates import (
    check_dates,
    dateline_year,
    find_dates,
    find_english_dates,
)
from tolmach.apparatus.names import PERSON, PLACE, find_names, render, romanise
from tolmach.errors import InputError
from tolmach.service import apparatus
from tolmach.service import beads as bead_service
from tolmach.service.glossary import add_entry
from tolmach.service.qa import check_document
from tolmach.store import Store


def test_names_of_documents_i_and_ii_under_two_schemes(seeded_store: Store) -> None:
    names = apparatus.document_names(seeded_store, "Document I", "ala_lc") + apparatus.document_names(seeded_store, "Document II", "ala_lc")
    people = [n for n in names if n.mention.kind == PERSON]
    places = {n.mention.lemma for n in names if n.mention.kind == PLACE}
    assert [(n.mention.surface, n.rendering) for n in people] == [("М. Даля", "M. Dali͡a")]
    assert {"Москва", "Румыния", "Чехословакия", "Болгария", "Венгрия", "Польша", "Европа"} <= places
    bgn = {n.mention.surface: n.rendering for n in apparatus.document_names(seeded_store, "Document I", "bgn_pcgn")}
    assert bgn["М. Даля"] == "M. Dalya" and bgn["Чехословакии"] == "Chekhoslovakiya"
    gost = {n.mention.surface: n.rendering for n in apparatus.document_names(seeded_store, "Document I", "gost_779")}
    assert gost["М. Даля"] == "M. Dalâ" and gost["Чехословакии"] == "Čehoslovakiâ"
    # the glossary's authority form overrides every scheme
    add_entry(seeded_store, {"term": "Даля", "preferred": "Dalea", "type": "person"})
    for scheme in ("ala_lc", "bgn_pcgn"):
        person = [n for n in apparatus.document_names(seeded_store, "Document I", scheme) if n.mention.kind == PERSON]
        assert [(n.rendering, n.authority) for n in person] == [("M. Dalea", True)]


def test_names_in_running_text() -> None:
    found = find_names("Посол А. В. Басов встретился с Брежневым в Москве.")
    assert [(n.surface, n.lemma, n.kind) for n in found] == [
        ("А. В. Басов", "А. В. Басов", PERSON), ("Брежневым", "Брежнев", PERSON), ("Москве", "Москва", PLACE)]
    assert [render(n, "ala_lc") for n in found] == ["A. V. Basov", "Brezhnev", "Moskva"]
    assert [render(n, "scientific") for n in found] == ["A. V. Basov", "Brežnev", "Moskva"]
    assert render(found[2], "ala_lc", {"москва": "Moscow"}) == "Moscow"
    assert find_names("Мы решительно отклоняем извращение позиции.") == []
    assert romanise("Басов", "iso_9_1968") and romanise("Latin", "ala_lc") == "Latin"
    with pytest.raises(InputError):
        romanise("Басов", "klingon")


def test_qa_flags_a_person_not_rendered_by_authority_or_scheme(seeded_store: Store) -> None:
    doc = document_id(seeded_store, "Document I")
    bead = next(b for b in bead_service.load_beads(seeded_store, doc) if "Даля" in b.source)
    bead_service.edit_target(seeded_store, bead.id, "... where the CC secretary Cde. M. Dalya told him about your reaction.")
    names = lambda: [w for w in check_document(seeded_store, doc).get(bead.id, []) if w.code == apparatus.NAME_RENDERING]
    assert names()[0].message.endswith("'M. Dali͡a' (ala_lc).")
    apparatus.set_setting(seeded_store, "romanisation", "bgn_pcgn")
    assert names() == []  # Dalya is the BGN/PCGN form
    add_entry(seeded_store, {"term": "Даля", "preferred": "Dalea", "type": "person"})
    (w,) = names()
    assert "'M. Dalea' (authority form)" in w.message and bead.source[w.span[0] : w.span[1]] == "М. Даля"
    bead_service.edit_target(seeded_store, bead.id, "... where the CC secretary Cde. M. Dalea told him about your reaction.")
    assert names() == []
    # across documents: the same person rendered two ways is reported
    doc2 = document_id(seeded_store, "Document II")
    bead2 = bead_service.load_beads(seeded_store, doc2)[0]
    bead_service.edit_target(seeded_store, bead2.id, "As Cde. M. Dalya said ...")
    assert apparatus.name_consistency(seeded_store) == []  # Document II's source does not name him
    with pytest.raises(InputError):
        apparatus.set_setting(seeded_store, "romanisation", "morse")


def test_dates_resolved_from_the_dateline(seeded_store: Store) -> None:
    assert apparatus.dateline_year(seeded_store, "Document I") == 1968
    dates = [d for _, d in apparatus.document_dates(seeded_store, "Document I")]
    assert [(d.surface, d.iso, d.year_from, d.english()) for d in dates] == [
        ("21 августа с. г.", "1968-08-21", "this-year", "21 August [1968]"),
        ("24 августа 1968 года", "1968-08-24", "printed", "24 August 1968"),
    ]
    (d2,) = [d for _, d in apparatus.document_dates(seeded_store, "Document II")]
    assert (d2.iso, d2.english()) == ("1968-09-03", "3 September 1968")


def test_date_check_catches_a_wrong_day(seeded_store: Store) -> None:
    doc = document_id(seeded_store, "Document I")
    bead = next(b for b in bead_service.load_beads(seeded_store, doc) if "21 августа" in b.source)
    bead_service.edit_target(seeded_store, bead.id, "Our ambassador reported that on 22 August he was invited to the CC of the RCP.")
    (w,) = [w for w in check_document(seeded_store, doc)[bead.id] if w.code == apparatus.DATE_DAY]
    assert w.message == "The source date '21 августа с. г.' is 21 August 1968; the target says 22 August."
    assert bead.source[w.span[0] : w.span[1]] == "21 августа с. г."
    for good in ("on 21 August he was invited", "on 21 August [1968] he was invited", "on August 21, 1968, he was invited"):
        bead_service.edit_target(seeded_store, bead.id, good)
        assert not [w for w in check_document(seeded_store, doc)[bead.id] if w.code == apparatus.DATE_DAY]
    bead_service.edit_target(seeded_store, bead.id, "on 21 August 1969 he was invited")
    assert [w.code for w in check_document(seeded_store, doc)[bead.id] if w.code == apparatus.DATE_DAY] == [apparatus.DATE_DAY]


def test_date_parsing_edges() -> None:
    assert dateline_year("гор. Москва, 24 августа 1968 года") == 1968 and dateline_year("Москва") is None
    assert [d.iso for d in find_dates("1 мая 1968 г., 21 августа с. г. и 7 ноября", 1970)] == ["1968-05-01", "1970-08-21", "1970-11-07"]
    assert [d.iso for d in find_dates("21 августа с. г.")] == ["--08-21"]
    assert find_dates("в 32 августа и 5 марша") == []
    assert [(e.day, e.month, e.year) for e in find_english_dates("On Aug. 24, 1968 and 3rd of September")] == [(24, 8, 1968), (3, 9, None)]
    assert [p.kind for p in check_dates("3 сентября 1968 года", "3 September 1968")] == []
    assert [p.kind for p in check_dates("3 сентября 1968 года", "on the third")] == ["missing"]


def test_a_person_rendered_two_ways_across_documents(seeded_store: Store) -> None:
    add_entry(seeded_store, {"term": "Даля", "preferred": "Dalea", "type": "person"})
    doc1 = document_id(seeded_store, "Document I")
    b3 = next(b for b in bead_service.load_beads(seeded_store, doc1) if "Даля" in b.source)
    bead_service.edit_target(seeded_store, b3.id, "... where Cde. M. Dalea told him ...")
    other = add_document(seeded_store, "Telegram", [("Тов. М. Даля принял посла.", "ru", "body")])
    (b,) = bead_service.load_beads(seeded_store, other)
    bead_service.edit_target(seeded_store, b.id, "Cde. M. Dalya received the ambassador.")
    (use,) = apparatus.name_consistency(seeded_store)
    assert use.lemma == "даля" and use.renderings == {"Dalea": ["Document I"], "Dalya": ["Telegram"]}
    bead_service.edit_target(seeded_store, b.id, "Cde. M. Dalea received the ambassador.")
    assert apparatus.name_consistency(seeded_store) == []
