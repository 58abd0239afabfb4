"""The memory's PostgreSQL variant (pg_trgm) against a real, throw-away PostgreSQL server.

It runs on the PostgreSQL half of the shared store fixtures (``tests/conftest.py``).
"""

from __future__ import annotations


import pytest
from memory_fixtures import DOCUMENT_II_EN, document_id, translate_by_hand

from tolmach.service import memory
from tolmach.service.beads import edit_target, load_beads

@pytest.fixture
def pg_store(seeded_store):
    """The seeds in a throw-away PostgreSQL database (tests/pg_cluster.py starts the server)."""
    if seeded_store.dialect != "postgresql":
        pytest.skip("this is the pg_trgm variant; the SQLite run of the same calls is test_memory_service.py")
    seeded_store.user = "pg-user"
    return seeded_store


def test_pg_trgm_match_search_fill_and_repetitions(pg_store) -> None:
    translate_by_hand(pg_store, "Document II", DOCUMENT_II_EN)
    doc_i = load_beads(pg_store, document_id(pg_store, "Document I"))
    (best,) = memory.match_bead(pg_store, doc_i[33].id)
    assert best.score == 93 and best.provenance.label == "Document II #6" and best.provenance.author == "pg-user"

    (hit,) = memory.search(pg_store, "Варшавский договор").hits
    assert hit.number == 4 and [hit.source[s:e] for s, e in hit.source_spans] == ["Варшавского Договора"]
    assert [h.number for h in memory.search(pg_store, "socialist countries", side="target").hits] == [4]

    report = memory.fill_from_tm(pg_store, document_id(pg_store, "Document I"), minimum=85)
    assert report.filled == [(34, 93, "tm: Document II #6 (93%)")]

    # a repetition: the salutation of Document I typed into a new bead of the same text
    edit_target(pg_store, doc_i[1].id, "Dear comrades!")
    assert memory.repetitions(pg_store, doc_i[1].id) == []  # no other "Уважаемые товарищи!" in the seeds
