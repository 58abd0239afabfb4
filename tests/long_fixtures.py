"""Long documents for tests of how work grows with length, and an SQL statement counter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from tolmach.store import POSITION_GAP, Bead, Document, Segment, Store

SENTENCES = [
    "Уважаемые товарищи!",
    "Наш посол сообщил, что 21 августа с. г. он был приглашен в ЦК РКП.",
    "Мы решительно отклоняем извращение принципиальной позиции Советского Союза.",
    "Было очевидно, что ввод союзных войск будет использован международной реакцией.",
]


def long_document(store: Store, beads: int, name: str | None = None, *, gap: int = POSITION_GAP) -> int:
    """A ru→en document of ``beads`` 1:1 beads, every second one with a machine draft, their
    positions ``gap`` apart (as an import writes them; 1: as databases before schema 5 had them)."""
    with store.transaction() as s:
        doc = Document(name=name or f"Long {beads}", source_lang="ru", target_lang="en")
        s.add(doc)
        s.flush()
        s.bulk_insert_mappings(Segment, [
            dict(document_id=doc.id, position=i, kind="body", lang="ru", paragraph=i // 5, text=SENTENCES[i % 4])
            for i in range(beads)
        ])  # fmt: skip
        s.bulk_insert_mappings(Bead, [
            dict(document_id=doc.id, position=i * gap, src_start=i, src_end=i + 1, target=f"Draft {i + 1}." if i % 2 else "",
                 status="machine" if i % 2 else "empty", origin="mt" if i % 2 else "", version=1)
            for i in range(beads)
        ])  # fmt: skip
        return doc.id


class Statements:
    """SQL statements a store's engine executes (those of the calling thread only: the
    workbench's look-up workers run on their own schedule), and transactions begun."""

    def __init__(self) -> None:
        self.sql: list[str] = []
        self.begins = 0
        self.thread = threading.get_ident()

    def __len__(self) -> int:
        return len(self.sql)


@contextmanager
def counting(store: Store) -> Iterator[Statements]:
    seen = Statements()

    def on_execute(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() == seen.thread:
            seen.sql.append(statement)

    def on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() == seen.thread:
            seen.begins += 1

    event.listen(store.engine, "before_cursor_execute", on_execute)
    event.listen(store.engine, "begin", on_begin)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", on_execute)
        event.remove(store.engine, "begin", on_begin)
