"""The translation memory on real data: Documents I and II translated by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from memory_fixtures import (
    DOCUMENT_I_EN,
    DOCUMENT_II_EN,
    document_id,
    translate_by_hand,
)
from sqlalchemy import select

from tolmach.errors import InputError
from tolmach.memory import compile_query
from tolmach.model import BeadStatus
from tolmach.service import memory
from tolmach.service.beads import edit_target, get_bead, load_beads, undo
from tolmach.service.documents import import_file
from tolmach.service.interchange import export
from tolmach.store import Store
from tolmach.store.models import TmUnit


def test_document_i_matched_from_document_ii_with_provenance(seeded_store: Store) -> None:
    seeded_store.user = "translator-a"
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    doc_i = load_beads(seeded_store, document_id(seeded_store, "Document I"))
    reference = doc_i[33]
    assert reference.source_kinds == ("reference",)
    (best, *_) = memory.match_bead(seeded_store, reference.id)
    assert 85 <= best.score < 100
    prov = best.provenance
    assert (prov.kind, prov.document, prov.number, prov.status) == ("bead", "Document II", 6, "edited")
    assert prov.author == "translator-a" and prov.date is not None
    assert best.original_target == DOCUMENT_II_EN[5]
    assert best.flagged  # f. 61 became ff. 25-28: numbers to check
    assert any(d.kind == "changed" and "61" in d.text for d in best.diff)

    # the dateline: a weak match, but the day is substituted and flagged
    dateline = doc_i[32]
    (m,) = memory.match_bead(seeded_store, dateline.id, minimum=30, limit=1)
    assert m.provenance.number == 5
    assert m.target == "24 September 1968" and m.numbers[0].substituted

    # a body sentence of Document I has no counterpart in Document II: nothing above 50 %
    assert memory.match_bead(seeded_store, doc_i[5].id) == []
    # machine drafts and empty beads are not memory
    assert all(p.provenance.document != "Document I" for p in memory.match(seeded_store, doc_i[8].source))


def test_similar_sentences_within_document_i(seeded_store: Store) -> None:
    """"It was obvious that ..." recurs in Document I with different continuations."""
    ids = translate_by_hand(seeded_store, "Document I", DOCUMENT_I_EN, only=range(8, 9))
    found = memory.match_bead(seeded_store, ids[10], minimum=30)
    assert found and found[0].provenance.number == 9
    assert found[0].score < 90
    assert [d.text for d in found[0].diff if d.kind == "same"][0].startswith("Было очевидно, что")


def test_fill_from_tm_exact_and_fuzzy(seeded_store: Store, tmp_path: Path) -> None:
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "Что же касается предложения о двусторонней встрече представителей КПСС и РКП, то, как это очевидно, ее "
        "проведение требует иной атмосферы, нежели та, которая создана в настоящее время недружественными "
        "акциями руководства РКП в отношении Советского Союза и других социалистических стран.\n\n"
        "3 сентября 1969 года\n",
        encoding="utf-8",
    )
    (result,) = [import_file(seeded_store, copy)]
    new_id = document_id(seeded_store, result.documents[0])
    report = memory.fill_from_tm(seeded_store, new_id, minimum=100)
    assert [(n, s) for n, s, _ in report.filled] == [(1, 100)]
    beads = load_beads(seeded_store, new_id)
    assert beads[0].target == DOCUMENT_II_EN[3]
    assert beads[0].status == BeadStatus.TM.value and beads[0].origin == "tm: Document II #4 (100%)"
    assert beads[1].status == "empty"
    report = memory.fill_from_tm(seeded_store, new_id, minimum=90)
    beads = load_beads(seeded_store, new_id)
    assert beads[1].target == "3 September 1969" and beads[1].flagged and report.flagged == 1
    undo(seeded_store, beads[1].id)
    assert get_bead(seeded_store, beads[1].id).status == "empty"
    with pytest.raises(InputError):
        memory.fill_from_tm(seeded_store, new_id, minimum=0)


def test_repetitions_propagate_and_undo_as_one_change(seeded_store: Store, tmp_path: Path) -> None:
    sentence = "ЦК КПСС не считает приемлемым предложение ЦК РКП о созыве совещания представителей компартий " \
               "европейских стран по вопросу о положении в Чехословакии."
    f = tmp_path / "drafts.txt"
    f.write_text(f"{sentence}\n\nДругое предложение.\n\n{sentence.upper().replace(' ', '  ')}\n", encoding="utf-8")
    (other,) = import_file(seeded_store, f).documents
    other_id = document_id(seeded_store, other)
    other_beads = load_beads(seeded_store, other_id)
    # a person's translation of one repetition is never replaced
    edit_target(seeded_store, other_beads[2].id, "Kept: a person's work.")
    ii = load_beads(seeded_store, document_id(seeded_store, "Document II"))
    edit_target(seeded_store, ii[0].id, DOCUMENT_II_EN[0])
    reps = memory.repetitions(seeded_store, ii[0].id)
    assert sorted((d, n) for _, d, n, _ in reps) == [(other, 1), (other, 3)]

    report = memory.propagate_repetitions(seeded_store, ii[0].id)
    assert report.changed == [(other, 1)] and report.kept == 1 and report.group_id
    after = load_beads(seeded_store, other_id)
    assert after[0].target == DOCUMENT_II_EN[0] and after[0].status == "tm"
    assert after[0].origin == "tm: repetition of Document II #1"
    assert after[2].target == "Kept: a person's work."

    assert memory.undo_group(seeded_store, report.group_id) == 1
    restored = load_beads(seeded_store, other_id)
    assert restored[0].target == "" and restored[0].status == "empty"
    assert get_bead(seeded_store, ii[0].id).target == DOCUMENT_II_EN[0]  # the confirmed bead stays
    with pytest.raises(InputError, match="already undone"):
        memory.undo_group(seeded_store, report.group_id)


def test_propagation_to_several_documents_undoes_together_and_guards_later_edits(seeded_store: Store, tmp_path: Path) -> None:
    sentence = "Уважаемые товарищи!"
    names = []
    for i in range(2):
        f = tmp_path / f"letter{i}.txt"
        f.write_text(f"{sentence}\n\nПисьмо номер {i}.\n", encoding="utf-8")
        names += import_file(seeded_store, f).documents
    doc_i = load_beads(seeded_store, document_id(seeded_store, "Document I"))
    edit_target(seeded_store, doc_i[1].id, "Dear comrades!")
    report = memory.propagate_repetitions(seeded_store, doc_i[1].id)
    assert sorted(report.changed) == [(names[0], 1), (names[1], 1)]
    # a later edit of one of them: the group is no longer one change to take back
    first = load_beads(seeded_store, document_id(seeded_store, names[0]))[0]
    edit_target(seeded_store, first.id, "Dear Comrades!")
    with pytest.raises(InputError, match="changed after"):
        memory.undo_group(seeded_store, report.group_id)
    undo(seeded_store, first.id)
    assert memory.undo_group(seeded_store, report.group_id) == 2
    for n in names:
        assert load_beads(seeded_store, document_id(seeded_store, n))[0].status == "empty"


def test_external_memory_import_match_remove(seeded_store: Store, tmp_path: Path) -> None:
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    tmx = tmp_path / "doc2.tmx"
    export(seeded_store, [document_id(seeded_store, "Document II")], "tmx", tmx)
    # the memory must answer on its own: take the beads' translations away again
    for bead in load_beads(seeded_store, document_id(seeded_store, "Document II")):
        undo(seeded_store, bead.id)
    before = [b.target for b in load_beads(seeded_store, document_id(seeded_store, "Document II"))]
    rep = memory.import_memory(seeded_store, tmx, name="doc2")
    assert rep.units == 6 and rep.format == "tmx"
    assert [b.target for b in load_beads(seeded_store, document_id(seeded_store, "Document II"))] == before
    (info,) = memory.list_memories(seeded_store)
    assert (info.name, info.units, info.src_lang, info.tgt_lang) == ("doc2", 6, "ru", "en")
    doc_i = load_beads(seeded_store, document_id(seeded_store, "Document I"))
    (best, *_) = memory.match_bead(seeded_store, doc_i[33].id)
    assert best.provenance.kind == "memory" and best.provenance.memory == "doc2"
    assert best.provenance.label == "memory doc2"
    with pytest.raises(InputError, match="exists already"):
        memory.import_memory(seeded_store, tmx, name="doc2")
    assert memory.remove_memory(seeded_store, "doc2") == 6
    assert memory.match_bead(seeded_store, doc_i[33].id) == []
    with seeded_store.read() as s:
        assert s.scalars(select(TmUnit)).first() is None
    with pytest.raises(InputError, match="no memory called"):
        memory.remove_memory(seeded_store, "doc2")


def test_concordance_inflected_forms_both_sides_and_memories(seeded_store: Store) -> None:
    translate_by_hand(seeded_store, "Document I", DOCUMENT_I_EN, only=range(3, 4))
    r = memory.search(seeded_store, "Варшавский договор")
    (hit,) = r.hits
    assert (hit.document, hit.number) == ("Document I", 4)
    assert [hit.source[s:e] for s, e in hit.source_spans] == ["Варшавского Договора"]
    r = memory.search(seeded_store, "warsaw treaty", side="target")
    assert [(h.number, [h.target[s:e] for s, e in h.target_spans]) for h in r.hits] == [(4, ["Warsaw Treaty"])]
    assert memory.search(seeded_store, "Варшавский договор", side="target").hits == []
    # inflected forms of a common phrase across both documents
    r = memory.search(seeded_store, "социалистическая страна", side="source")
    docs = {h.document for h in r.hits}
    assert docs == {"Document I", "Document II"}
    forms = {h.source[s:e].lower() for h in r.hits for s, e in h.source_spans}
    assert {"социалистических стран", "социалистическими странами"} <= forms
    only_ii = memory.search(seeded_store, "социалистическая страна", document_id=document_id(seeded_store, "Document II"))
    assert {h.document for h in only_ii.hits} == {"Document II"}
    limited = memory.search(seeded_store, "социалистическая страна", limit=2)
    assert len(limited.hits) == 2 and limited.truncated
    rx = memory.search(seeded_store, r"ff?\. \d+", regex=True)
    found = {(h.document, h.number) for h in rx.hits}
    assert {("Document I", 34), ("Document II", 6)} <= found  # the English articles cite folios too
    assert all(re.fullmatch(r"ff?\. \d+", h.source[s:e], re.IGNORECASE) for h in rx.hits for s, e in h.source_spans)


def test_index_follows_edits_merges_and_deletes(seeded_store: Store) -> None:
    from tolmach.service.beads import merge_with_next

    doc_i = load_beads(seeded_store, document_id(seeded_store, "Document I"))
    memory.ensure_index(seeded_store)  # index first, then change things: triggers keep it current
    edit_target(seeded_store, doc_i[1].id, "Dear comrades!")
    assert [h.number for h in memory.search(seeded_store, "comrades", side="target").hits] == [2]
    edit_target(seeded_store, doc_i[1].id, "Esteemed comrades!")
    assert [h.target for h in memory.search(seeded_store, "comrades", side="target").hits] == ["Esteemed comrades!"]
    merged = merge_with_next(seeded_store, doc_i[1].id)
    (hit,) = memory.search(seeded_store, "Уважаемые товарищи").hits
    assert hit.bead_id == merged.id and "Наш посол" in hit.source


@pytest.mark.parametrize("query", ['"', '"""', "NEAR(товарищи договор)", "*", "'; DROP TABLE segments; --", "ЦК", "товарищи OR", "a AND"])
def test_hostile_concordance_queries_are_plain_text(seeded_store: Store, query: str) -> None:
    r = memory.search(seeded_store, query)
    for h in r.hits:  # whatever is found really contains the query (case-insensitively or as lemmas)
        assert h.source_spans or h.target_spans
    assert memory.search(seeded_store, "Уважаемые товарищи").hits  # the database is intact


def test_short_and_abbreviated_queries_still_search(seeded_store: Store) -> None:
    r = memory.search(seeded_store, "ЦК КПСС", document_id=document_id(seeded_store, "Document II"))
    assert [h.number for h in r.hits] == [1, 3]
    assert memory.match(seeded_store, "   ") == []
    assert memory.match(seeded_store, "?!") == []


def test_document_filter_reaches_past_many_hits_elsewhere(seeded_store: Store, tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text("\n\n".join(f"Уважаемые товарищи номер {i}!" for i in range(700)) + "\n", encoding="utf-8")
    import_file(seeded_store, many)
    late = tmp_path / "late.txt"
    late.write_text("Дорогие товарищи из Бухареста.\n", encoding="utf-8")
    (name,) = import_file(seeded_store, late).documents
    r = memory.search(seeded_store, "товарищ", document_id=document_id(seeded_store, name), side="source")
    assert [(h.document, h.number) for h in r.hits] == [(name, 1)]
    everywhere = memory.search(seeded_store, "товарищ", side="source", limit=1000)
    assert len(everywhere.hits) == 700 + 1 + 1 and not everywhere.truncated  # + Document I's salutation


def test_phrase_through_the_near_index_query(seeded_store: Store, tmp_path: Path) -> None:
    from tolmach.memory.concordance import fts5_match

    assert fts5_match(compile_query("Варшавский договор")) == 'NEAR("варшавск" "договор", 16)'
    f = tmp_path / "phrases.txt"
    f.write_text(
        "Положения «Варшавского» — «Договора» нарушены.\n\n"  # punctuation between the words: still a hit
        "Варшавская делегация подписала договор.\n",  # both stems, not the phrase: not a hit
        encoding="utf-8",
    )
    (name,) = import_file(seeded_store, f).documents
    r = memory.search(seeded_store, "Варшавский договор", document_id=document_id(seeded_store, name))
    assert [(h.number, [h.source[s:e] for s, e in h.source_spans]) for h in r.hits] == [(1, ["Варшавского» — «Договора"])]
