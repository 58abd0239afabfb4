"""QA on stored documents: a draft that follows the glossary passes, an inconsistent one
is flagged; the same through ``tolmach qa``."""

from __future__ import annotations

import json

import pytest

from tolmach.cli import main
from tolmach.qa import checks
from tolmach.service import beads as bead_service
from tolmach.service.documents import find_document
from tolmach.service.glossary import add_entry, ensure_loaded
from tolmach.service import apparatus
from tolmach.service.qa import check_bead, check_document

#: A draft of Document II that uses the glossary's preferred renderings throughout.
DOC_II_DRAFT = [
    "The CPSU Central Committee does not consider acceptable the proposal of the Central Committee of the RCP to "
    "convene a conference of representatives of the Communist parties of European countries on the situation in "
    "Czechoslovakia.",
    "We believe that the right way to solve the problems connected with the struggle against anti-socialist forces "
    "in Czechoslovakia is set out in the Bratislava Declaration and in the Moscow Communiqué on the Soviet-"
    "Czechoslovak talks.",
    "The CPSU Central Committee proceeds from the view that under present conditions genuine internationalism must "
    "find its expression in broad support for the legitimate leading bodies of the Czechoslovak party and state in "
    "organising resistance to the anti-socialist, counterrevolutionary forces, in the struggle to strengthen the "
    "positions of socialism and for the normalization of the situation in the country.",
    "As for the proposal of a bilateral meeting of representatives of the CPSU and the RCP, it is evident that "
    "holding it requires a different atmosphere from the one created at present by the unfriendly actions of the "
    "RCP leadership towards the Soviet Union and other socialist countries.",
    "3 September 1968",
    "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, f. 61)",
]

#: Beads 3 and 5 of Document I, the two that name ЦК РКП.
DOC_I_BEAD_3 = (
    "Our ambassador reported that on 21 August of this year he was invited to the Central Committee of the RCP, "
    "where the secretary of the Central Committee, Cde. M. Dalea, informed him of your reaction to the joint "
    "measures taken by the five socialist states to render urgent assistance to the fraternal Czechoslovak people, "
    "including assistance with armed forces."
)
DOC_I_BEAD_5 = (
    "This point of view was confirmed at the joint session of the Central Committee of the RCP and the government "
    "of the Socialist Republic of Romania, at the extraordinary session of the Grand National Assembly of the "
    "Socialist Republic of Romania, and is widely propagated inside the country and beyond its borders."
)


def _doc(store, name: str) -> tuple[int, list[bead_service.BeadView]]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        doc_id = find_document(s, name).id
    return doc_id, bead_service.load_beads(store, doc_id)


@pytest.fixture
def qa_store(seeded_store):  # type: ignore[no-untyped-def]
    ensure_loaded(seeded_store)
    for name in ("Document I", "Document II"):  # the seeds' misprints read as confirmed (else QA reports them)
        apparatus.confirm_errors(seeded_store, name)
    add_entry(seeded_store, {"term": "Даля", "preferred": "Dalea", "type": "person"})  # the name's authority form
    return seeded_store


def test_document_ii_draft_following_the_glossary_passes(qa_store) -> None:  # type: ignore[no-untyped-def]
    doc_id, beads = _doc(qa_store, "Document II")
    assert len(beads) == len(DOC_II_DRAFT)
    for bead, text in zip(beads, DOC_II_DRAFT):
        bead_service.edit_target(qa_store, bead.id, text)
    assert check_document(qa_store, doc_id) == {b.id: [] for b in beads}


def test_document_ii_faults_are_reported_per_bead(qa_store) -> None:  # type: ignore[no-untyped-def]
    doc_id, beads = _doc(qa_store, "Document II")
    draft = list(DOC_II_DRAFT)
    draft[0] = draft[0].replace("Central Committee of the RCP", "Romanian party")
    draft[2] = ""  # left empty
    draft[3] = (
        "Что же касается предложения о двусторонней встрече представителей КПСС и РКП, то, как это очевидно, ее "
        "проведение требует иной атмосферы."
    )
    draft[4] = "3 October 1969"
    draft[1] = draft[1].replace("Moscow Communiqué", "Moscow communiqué (“August”")
    for bead, text in zip(beads, draft):
        bead_service.edit_target(qa_store, bead.id, text)
    found = {b.position: sorted({w.code for w in ws}) for b, ws in zip(beads, check_document(qa_store, doc_id).values())}
    assert found == {
        0: [checks.GLOSSARY_MISSING],
        1: [checks.UNBALANCED],
        2: [checks.EMPTY],
        3: [checks.GLOSSARY_MISSING, checks.UNTRANSLATED],
        4: [checks.DATES, checks.NUMBERS],
        5: [],
    }


def test_inconsistent_rendering_of_ck_rkp_is_flagged(qa_store) -> None:  # type: ignore[no-untyped-def]
    doc_id, beads = _doc(qa_store, "Document I")
    b3, b5 = beads[2], beads[4]
    assert "ЦК РКП" in b3.source and "ЦК РКП" in b5.source
    bead_service.edit_target(qa_store, b3.id, DOC_I_BEAD_3)
    bead_service.edit_target(qa_store, b5.id, DOC_I_BEAD_5)
    result = check_document(qa_store, doc_id)
    assert result[b3.id] == [] and result[b5.id] == []  # consistent and complete
    assert {w.code for b in beads if b.id not in (b3.id, b5.id) for w in result[b.id]} == {checks.EMPTY}

    bead_service.edit_target(qa_store, b5.id, DOC_I_BEAD_5.replace("the Central Committee of the RCP", "the RCP CC"))
    result = check_document(qa_store, doc_id)
    assert result[b3.id] == []
    (w,) = result[b5.id]
    assert w.code == checks.GLOSSARY_INCONSISTENT
    assert b5.source[w.span[0] : w.span[1]] == "ЦК РКП"
    # the per-bead check alone accepts the variant: consistency is a document-wide finding
    assert check_bead(qa_store, bead_service.get_bead(qa_store, b5.id)) == []


def test_check_bead_spans_refer_to_the_bead_source(qa_store) -> None:  # type: ignore[no-untyped-def]
    _, beads = _doc(qa_store, "Document II")
    view = bead_service.edit_target(qa_store, beads[0].id, DOC_II_DRAFT[0].replace("CPSU Central Committee", "Soviet party"))
    (w,) = check_bead(qa_store, view)
    assert (w.code, view.source[w.span[0] : w.span[1]]) == (checks.GLOSSARY_MISSING, "ЦК КПСС")


def test_qa_cli_json(qa_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    _, beads = _doc(qa_store, "Document II")
    for bead, text in zip(beads, DOC_II_DRAFT[:-1]):
        bead_service.edit_target(qa_store, bead.id, text)
    path = qa_store.url
    qa_store.close()
    main(["--db", path, "qa", "Document II", "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["bead"], r["code"], r["span"]) for r in rows] == [(6, checks.EMPTY, None)]
    main(["--db", path, "qa", "Document II"])
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "Document II: 1 warning(s) in 1 of 6 beads."
