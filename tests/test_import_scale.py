"""A long file's import: rows go to the database in bounded batches, with the same result."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from tolmach.service import documents as doc_service
from tolmach.store import Bead, Segment

SEED = doc_service.seed_files()[1]  # 002: Documents I and II and the article around them


def _import(store, monkeypatch: pytest.MonkeyPatch, batch: int) -> list[tuple]:
    """Every segment and bead row of SEED imported with INSERT_BATCH = ``batch`` into the
    emptied store, document ids counted from 0 (a second import numbers them anew)."""
    monkeypatch.setattr(doc_service, "INSERT_BATCH", batch)
    with store.transaction() as s:
        for table in ("beads", "segments", "documents", "imported_files"):
            s.execute(text(f"DELETE FROM {table}"))
    doc_service.import_files(store, [SEED])
    with store.read() as s:
        rows = [tuple(r) for r in s.execute(select(Segment.document_id, Segment.position, Segment.kind, Segment.lang,
                                                   Segment.paragraph, Segment.text).order_by(Segment.id))]
        rows += [tuple(r) for r in s.execute(select(Bead.document_id, Bead.position, Bead.src_start, Bead.src_end,
                                                    Bead.status).order_by(Bead.id))]
    first = min(r[0] for r in rows)
    return [(r[0] - first, *r[1:]) for r in rows]


def test_segments_and_beads_are_inserted_in_bounded_batches(store, monkeypatch):
    """No statement carries more than INSERT_BATCH rows (a 50 MB file's rows were all made,
    then sent, at once: 450 MB), and the stored rows are those of a one-batch import."""
    whole = _import(store, monkeypatch, batch=10**9)
    sizes: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if statement.lstrip().upper().startswith(("INSERT INTO SEGMENTS", "INSERT INTO BEADS")):
            sizes.append(len(parameters) if executemany else 1)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        batched = _import(store, monkeypatch, batch=7)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert batched == whole and len(whole) > 150
    assert max(sizes) <= 7 and sum(sizes) == len(whole)
