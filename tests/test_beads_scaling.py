"""Structure edits cost the same at 2,000 beads as at 200: the same SQL statements, on
SQLite and PostgreSQL, and no later bead written (positions have gaps); when a gap is used
up, one indexed renumber that is not a change of the renumbered beads; undo reads and writes in one transaction; catching up
with another process reads only the beads it changed."""

from __future__ import annotations

from long_fixtures import counting, long_document
from sqlalchemy import select

from tolmach.service import beads as svc
from tolmach.service.undo import catch_up, latest_revision, redo_step, undo_step
from tolmach.store import POSITION_GAP, Bead, open_store


def edits(store, doc_id: int) -> dict[str, int]:
    """Statements of each structure edit near the start of the document."""
    out: dict[str, int] = {}
    rows = svc.load_beads(store, doc_id)
    b = rows[3]

    def count(name, call):
        with counting(store) as seen:
            result = call()
        out[name] = len(seen)
        return result

    merged = count("merge", lambda: svc.merge_with_next(store, b.id))
    count("undo merge", lambda: undo_step(store, merged.id))
    count("redo merge", lambda: redo_step(store, merged.id))
    left, _right = count("split", lambda: svc.split_bead(store, merged.id))
    count("move source next", lambda: svc.move_boundary(store, left.id, side="source", direction="next"))
    count("move source prev", lambda: svc.move_boundary(store, rows[10].id, side="source", direction="prev"))
    count("edit", lambda: svc.edit_target(store, rows[20].id, "A translation."))
    return out


def test_structure_edits_issue_the_same_statements_at_2000_beads_as_at_200(store):
    small, large = long_document(store, 200), long_document(store, 2000)
    at_200, at_2000 = edits(store, small), edits(store, large)
    assert at_200 == at_2000
    assert all(n < 40 for n in at_2000.values()), at_2000
    for doc_id, n in ((small, 200), (large, 2000)):
        beads = svc.load_beads(store, doc_id)
        assert [b.number for b in beads] == list(range(1, len(beads) + 1))
        assert [i for b in beads for i in range(b.src_start, b.src_end)] == list(range(n))


def _rows(store, doc_id: int) -> dict[int, tuple]:
    with store.read() as s:
        return {b.id: (b.position, b.updated_at, b.version) for b in s.scalars(select(Bead).where(Bead.document_id == doc_id))}


def test_merge_split_and_undo_write_no_later_bead(store):
    """Positions have gaps: a structure edit writes only its own beads, not the thousands
    after it (the renumber was most of a merge's time at 20,000 beads); numbers stay 1..n."""
    doc_id = long_document(store, 2000)
    rows = svc.load_beads(store, doc_id)
    before = _rows(store, doc_id)
    merged = svc.merge_with_next(store, rows[5].id)
    left, right = svc.split_bead(store, rows[21].id, source_at=1, target_at=0)
    undo_step(store, merged.id)
    after = _rows(store, doc_id)
    touched = {rows[5].id, rows[6].id, merged.id, rows[21].id, left.id, right.id}
    assert len(touched) == 4  # a merge and a split keep their first bead's id
    assert {i: v for i, v in after.items() if i not in touched} == {i: v for i, v in before.items() if i not in touched}
    shown = svc.load_beads(store, doc_id)
    assert [b.number for b in shown] == list(range(1, 2002))
    assert [b.id for b in shown[20:24]] == [rows[20].id, left.id, right.id, rows[22].id]
    assert [b.number for b in svc.load_beads(store, doc_id, start=1990)] == list(range(1991, 2002))
    assert store.integrity_problems() == []


def test_a_used_up_gap_moves_the_later_beads_once_leaving_them_unchanged(store):
    """Splitting at one place again and again uses up the room between two positions; then
    the later beads move along in one UPDATE that is not a change of them (neither
    ``updated_at`` nor version), and a database from before the gaps (positions 0..n-1)
    works the same way."""
    for gap in (POSITION_GAP, 1):
        doc_id = long_document(store, 300, name=f"gap {gap}", gap=gap)
        before = _rows(store, doc_id)
        bead = svc.load_beads(store, doc_id)[5]
        bead = svc.edit_target(store, bead.id, " ".join(f"Sentence {k}." for k in range(1, 22)))
        moved = 0
        for _ in range(20):  # each split takes the first sentence off the bead into a new one before it
            with counting(store) as seen:
                _, bead = svc.split_bead(store, bead.id, source_at=0)
            moved += any(sql.lstrip().upper().startswith("UPDATE BEADS") for sql in seen.sql)
        assert 1 <= moved <= 2, moved  # 2048 positions between beads 5 and 7 last 17 splits
        after = _rows(store, doc_id)
        later = [i for i, (pos, _, _) in before.items() if pos > 5 * gap]
        assert len(later) == 294
        assert all(after[i][1:] == before[i][1:] for i in later)
        beads = svc.load_beads(store, doc_id)
        assert [b.number for b in beads] == list(range(1, 321))
        assert [i for b in beads for i in range(b.src_start, b.src_end)] == list(range(300))
    assert store.integrity_problems() == []


def test_positions_between_neighbours():
    assert svc._positions(None, None, 3) == ([0, POSITION_GAP, 2 * POSITION_GAP], 0)
    assert svc._positions(4096, None, 2) == ([4096 + POSITION_GAP, 4096 + 2 * POSITION_GAP], 0)
    assert svc._positions(0, 1024, 1) == ([512], 0)
    assert svc._positions(0, 1024, 3) == ([256, 512, 768], 0)
    keys, shift = svc._positions(7, 8, 2)  # no room: the beads from 8 on move along first
    assert shift == 3 * POSITION_GAP - 1 and keys == [7 + POSITION_GAP, 7 + 2 * POSITION_GAP]
    assert svc._positions(None, 0, 1) == ([POSITION_GAP - 1], 2 * POSITION_GAP - 1)


def test_undo_describes_and_undoes_in_one_transaction(store):
    doc_id = long_document(store, 50)
    merged = svc.merge_with_next(store, svc.load_beads(store, doc_id)[2].id)
    with counting(store) as seen:
        step, restored = undo_step(store, merged.id)
    assert seen.begins == 1
    assert step.action == "merge" and [b.number for b in restored] == [3, 4]
    assert len(svc.load_beads(store, doc_id)) == 50


def test_catch_up_replays_another_process_row_by_row(store):
    doc_id = long_document(store, 2000)
    shown = svc.load_beads(store, doc_id)
    since = latest_revision(store, doc_id)
    other = open_store(store.url, user="colleague")
    try:
        svc.merge_with_next(other, shown[1].id)  # beads 2 and 3 become one
        svc.edit_target(other, shown[1500].id, "Colleague's English.")
        svc.split_bead(other, shown[11].id, source_at=1, target_at=0)  # a 1:0 and a 0:1 bead
    finally:
        other.close()
    with counting(store) as seen:
        done = catch_up(store, doc_id, shown, since)
    assert done is not None
    beads, latest = done
    assert latest == latest_revision(store, doc_id)
    truth = svc.load_beads(store, doc_id)
    assert [(b.id, b.sources, b.target, b.status) for b in beads] == [(b.id, b.sources, b.target, b.status) for b in truth]
    same = {id(b) for b in shown}
    assert sum(id(b) in same for b in beads) == 2000 - 4  # the rows nobody changed are the very objects shown
    assert len(seen) < 12  # the journal, the beads it produced and their sentences, a count
    # a journal that does not fit the rows shown (they are stale): None, read them all
    assert catch_up(store, doc_id, shown[:-1], since) is None
