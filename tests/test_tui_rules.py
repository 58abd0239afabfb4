"""The service-layer rules the workbench uses (shared with the CLI): progress in source
sentences, filters, the review toggle, the MT overwrite rule, single-line targets,
drafts, undo reports and redo."""

from __future__ import annotations

import pytest
from tui_fixtures import beads

from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadSpec, load_beads, replace_run
from tolmach.service.documents import find_document
from tolmach.service.drafts import discard_draft, drafts_in, live_draft, save_draft
from tolmach.service.undo import (
    latest_revision,
    peek_redo,
    peek_undo,
    redo_step,
    undo_step,
)
from tolmach.service.worklist import (
    ReviewRefused,
    document_progress,
    filter_rows,
    is_unconfirmed,
    mt_may_overwrite,
    progress,
    single_line,
    toggle_review,
)
from tolmach.store import Bead


@pytest.fixture
def doc(seeded_store) -> int:
    with seeded_store.read() as s:
        return find_document(s, "Document I").id


def test_progress_counts_source_sentences_not_beads(seeded_store, doc):
    with seeded_store.transaction() as s:
        old = list(s.query(Bead).filter_by(document_id=doc).order_by(Bead.position))[0:3]
        replace_run(s, doc, old, [BeadSpec(0, 3, "Three in one.", "edited", "user")], action="align")
    views = load_beads(seeded_store, doc)
    p = progress(views)
    assert (p.segments, p.translated, p.beads) == (34, 3, 32)
    assert str(p) == "3/34 sentences translated (9%)"
    assert document_progress(seeded_store)[doc] == p


def test_filters_unconfirmed_and_review_toggle(seeded_store, doc):
    rows = beads(seeded_store, doc)
    bead_service.edit_target(seeded_store, rows[0].id, "Typed by a person")
    bead_service.set_flag(seeded_store, rows[1].id, True)
    views = load_beads(seeded_store, doc)
    assert not is_unconfirmed(views[0]) and is_unconfirmed(views[1]) and is_unconfirmed(views[2])
    assert filter_rows(views, "needs review") == [1]
    assert 0 not in filter_rows(views, "unconfirmed") and len(filter_rows(views, "empty")) == 33
    assert toggle_review(seeded_store, views[0]).status == "reviewed"
    cleared = toggle_review(seeded_store, views[1])  # flagged, no English: clears the flag
    assert not cleared.flagged and cleared.status == "empty"
    with pytest.raises(ReviewRefused, match="no English to review"):
        toggle_review(seeded_store, views[2])
    assert mt_may_overwrite(views[2]) and not mt_may_overwrite(load_beads(seeded_store, doc)[0])


def test_single_line():
    assert single_line("One line.\nSecond\r\n\nthird ") == "One line. Second third"
    assert single_line("no break") == "no break"


def test_drafts_round_trip_and_go_stale(seeded_store, doc):
    bead = beads(seeded_store, doc)[2]
    save_draft(seeded_store, doc, bead.id, "half a sent", "")
    save_draft(seeded_store, doc, bead.id, "half a sentence", "")
    d = drafts_in(seeded_store, doc)[bead.id]
    assert live_draft(d, "") == "half a sentence"
    assert live_draft(d, "someone else's text") is None  # typed over a target that changed
    discard_draft(seeded_store, bead.id)
    assert drafts_in(seeded_store, doc) == {}


def test_undo_reports_and_redo(seeded_store, doc):
    rows = beads(seeded_store, doc)
    bead_service.edit_target(seeded_store, rows[2].id, "Our ambassador reported.")
    merged = bead_service.merge_with_next(seeded_store, rows[2].id)
    before = latest_revision(seeded_store, doc)
    step = peek_undo(seeded_store, merged.id)
    assert step.action == "merge" and step.numbers == (3,) and not step.drops_human_text
    done, restored = undo_step(seeded_store, merged.id)
    assert done.describe() == "Undid the merge of bead 3."
    assert [b.position for b in restored] == [2, 3]
    assert latest_revision(seeded_store, doc) > before
    edit = peek_undo(seeded_store, rows[2].id)
    assert edit.action == "edit" and edit.drops_human_text
    assert edit.describe() == "Undid the edit of bead 3: English “Our ambassador reported.” → nothing."
    assert peek_redo(seeded_store, rows[2].id) is not None  # the merge can be redone
    done, created = redo_step(seeded_store, rows[2].id)
    assert len(created) == 1 and len(beads(seeded_store, doc)) == 33
    assert peek_redo(seeded_store, rows[2].id) is None
    undo_step(seeded_store, rows[2].id)  # undoing the redo splits them again
    assert len(beads(seeded_store, doc)) == 34


def test_every_status_has_its_own_marker_in_the_bead_list(seeded_store, doc):
    """A bead filled from the translation memory (status tm) showed '?' before: the bead
    list's markers are keyed by the vocabulary, one distinct mark for each status."""
    from tolmach.model import BeadStatus
    from tolmach.tui.bitext import MARKERS, marker

    assert set(BeadStatus) <= set(MARKERS)
    assert len({mark for mark, _ in MARKERS.values()}) == len(MARKERS)
    with seeded_store.transaction() as s:
        first = s.query(Bead).filter_by(document_id=doc, position=0).one()
        replace_run(s, doc, [first], [BeadSpec(first.src_start, first.src_end, "To the Executive Committee", "tm", "memory")], action="tm")
    assert marker(load_beads(seeded_store, doc)[0]) == ("T", "bitext--tm")
