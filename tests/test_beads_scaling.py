"""Structure edits cost the same at 2,000 beads as at 200: the same SQL statements (one
indexed renumber, not a row per later bead), on SQLite and PostgreSQL; a renumber is not
a change of the renumbered beads; undo reads and writes in one transaction; catching up
with another process reads only the beads it changed."""

from __future__ import annotations

from long_fixtures import counting, long_document
from sqlalchemy import select

from tolmach.service import beads as svc
from tolmach.service.undo import catch_up, latest_revision, redo_step, undo_step
from tolmach.store import Bead, open_store


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
        assert [b.position for b in beads] == list(range(len(beads)))
        assert [i for b in beads for i in range(b.src_start, b.src_end)] == list(range(n))


def test_a_renumber_leaves_the_renumbered_beads_unchanged(store):
    doc_id = long_document(store, 300)
    with store.read() as s:
        before = {b.id: (b.position, b.updated_at, b.version) for b in s.scalars(select(Bead).where(Bead.document_id == doc_id))}
    first = svc.load_beads(store, doc_id)[5]
    svc.merge_with_next(store, first.id)
    with store.read() as s:
        after = {b.id: (b.position, b.updated_at, b.version) for b in s.scalars(select(Bead).where(Bead.document_id == doc_id))}
    later = [i for i, (pos, _, _) in before.items() if pos > 6]
    assert len(later) == 293
    for i in later:
        assert after[i][0] == before[i][0] - 1  # moved up one place
        assert after[i][1:] == before[i][1:]  # neither updated_at nor version changed


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
