"""The workbench's work per key does not grow with the document: structure edits issue
the same SQL statements at 2,000 beads as at 200 and never read the whole document
again; another process's changes and machine drafts are applied row by row."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from long_fixtures import counting, long_document
from tui_fixtures import beads, screen_text, settle

from tolmach.service import beads as bead_service
from tolmach.store import Store, open_store


@asynccontextmanager
async def workbench(store: Store, doc_id: int) -> AsyncIterator[tuple]:
    from tolmach.tui.app import TolmachApp

    app = TolmachApp(store, document=doc_id)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        yield app, pilot


@pytest.fixture
def no_full_reads(monkeypatch):
    """Fail the test if the workbench reads every bead of the document again."""
    reads = []
    real = bead_service.load_beads

    def load_beads(store, document_id, **kwargs):  # type: ignore[no-untyped-def]
        found = real(store, document_id, **kwargs)
        if len(found) > 400:  # more than the first screen's worth
            reads.append(document_id)
        return found

    monkeypatch.setattr(bead_service, "load_beads", load_beads)
    return reads


KEYS = [("m",), ("u",), ("s",), ("right_square_bracket",), ("left_square_bracket",), ("u",), ("U",)]


def key_statements(store: Store, size: int, reads: list[int]) -> list[int]:
    doc_id = long_document(store, size)

    async def scenario() -> list[int]:
        async with workbench(store, doc_id) as (app, pilot):
            reads.clear()
            await pilot.press("down", "down", "down")
            await settle(pilot)
            out = []
            for keys in KEYS:
                with counting(store) as seen:
                    await pilot.press(*keys)
                    await settle(pilot)
                out.append(len(seen))
            assert [b.id for b in app.bitext.beads] == [b.id for b in beads(store, doc_id)]
            assert not reads, "a structure edit read the whole document again"
            return out

    return asyncio.run(scenario())


def test_structure_keys_issue_the_same_statements_at_2000_beads_as_at_200(store, no_full_reads, monkeypatch):
    monkeypatch.setattr("tolmach.tui.workbench.POLL_S", 3600.0)  # no poll of the revision in the middle of a count
    at_200 = key_statements(store, 200, no_full_reads)
    at_2000 = key_statements(store, 2000, no_full_reads)
    assert at_200 == at_2000, (at_200, at_2000)
    assert all(n < 60 for n in at_2000), at_2000


def test_another_process_and_machine_drafts_are_applied_row_by_row(store, no_full_reads):
    doc_id = long_document(store, 2000)

    async def scenario():
        async with workbench(store, doc_id) as (app, pilot):
            no_full_reads.clear()
            await pilot.press("down", "enter", *"Typing here")
            shown = list(app.bitext.beads)
            typed = app.editor.text
            assert typed.endswith("Typing here")  # after the bead's English: the cursor opens at its end
            other = open_store(store.url, user="colleague")
            try:
                bead_service.merge_with_next(other, shown[5].id)
                bead_service.edit_target(other, shown[1500].id, "A colleague's English.")
            finally:
                other.close()
            await pilot.pause(1.5)  # the poll runs once a second
            await settle(pilot)
            assert app.editor.text == typed and app.focused is app.editor  # kept
            assert "changed by another process" in " ".join(str(n.message) for n in app._notifications)
            view = app.bitext
            assert [b.id for b in view.beads] == [b.id for b in beads(store, doc_id)]
            assert view.beads[1499].target == "A colleague's English."
            assert sum(a is b for a, b in zip(view.beads[1000:], shown[1001:])) == 999 - 1  # the same rows (all but the edited one), not read again

            # machine drafts written by a worker (as `T` does), shown when the worker reports progress
            await pilot.press("escape")
            await settle(pilot)
            with store.transaction() as s:
                from tolmach.store import Bead

                for b in view.beads[2:5]:
                    bead_service.write_target(s, s.get(Bead, b.id), f"Machine {b.id}.", status="machine", origin="mt", action="machine")
            app.screen._mt_progress(3, 10)
            await settle(pilot)
            assert [b.target for b in view.beads[2:5]] == [f"Machine {b.id}." for b in view.beads[2:5]]
            assert f"Machine {view.beads[2].id}." in screen_text(app)
            assert not no_full_reads, "the workbench read the whole document again"

    asyncio.run(scenario())


def test_the_first_screen_reads_the_first_rows_and_the_rest_follows(store, monkeypatch):
    from tolmach.tui.workbench import FIRST_ROWS, Workbench

    doc_id = long_document(store, 2000)
    calls = []
    real = bead_service.load_beads

    def load_beads(store, document_id, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return real(store, document_id, **kwargs)

    monkeypatch.setattr(bead_service, "load_beads", load_beads)

    async def rest_in_a_worker():
        async with workbench(store, doc_id) as (app, pilot):
            assert calls[0] == {"limit": FIRST_ROWS + 1} and calls[1] == {"start": FIRST_ROWS}
            assert [b.id for b in app.bitext.beads] == [b.id for b in beads(store, doc_id)]
            assert "1000/2000 sentences translated" in screen_text(app)

    asyncio.run(rest_in_a_worker())

    # a key that needs the whole document before the worker has read it (End) reads it then
    calls.clear()
    monkeypatch.setattr(Workbench, "_load_rest", lambda self, *args: None)

    async def rest_on_demand():
        async with workbench(store, doc_id) as (app, pilot):
            assert len(app.bitext.beads) == FIRST_ROWS and "counting…" in screen_text(app)
            await pilot.press("down", "m")  # a structure edit meanwhile
            await settle(pilot)
            await pilot.press("end")
            await settle(pilot)
            assert calls[-1] == {"start": FIRST_ROWS - 1}
            assert app.current.number == 1999 and app.current.id == beads(store, doc_id)[-1].id
            assert [b.id for b in app.bitext.beads] == [b.id for b in beads(store, doc_id)]
            assert "1001/2000 sentences translated" in screen_text(app)  # bead 2 (English) took bead 3's sentence

    asyncio.run(rest_on_demand())


def test_a_structure_edit_updates_the_view_in_place(store):
    """Merge, split and undo at 2,000 beads change the view's rows where the edit is: the
    row list is the same list (not 2,000 indices rebuilt per key), the prefix sums of the
    row heights stay right, and with a filter on the filtered rows are right too."""
    from itertools import accumulate

    doc_id = long_document(store, 2000)

    async def scenario():
        async with workbench(store, doc_id) as (app, pilot):
            view = app.bitext
            await pilot.press("down", "down", "down")
            await settle(pilot)
            rows = view.rows
            for key in ("m", "u", "s", "m", "u"):
                await pilot.press(key)
                await settle(pilot)
                assert view.rows is rows and rows == list(range(len(view.beads)))
                assert view._offsets == list(accumulate(view._heights, initial=0))
                assert len(view._heights) == len(rows) and view.virtual_size.height == view._offsets[-1]
                assert [b.id for b in view.beads] == [b.id for b in beads(store, doc_id)]
            assert f"{view.cursor + 1:>5} " in screen_text(app)  # the number drawn is the row's
            # a filter: the empty beads (every second one); a merge of an empty bead with a drafted one
            await pilot.press("f")
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            assert app.screen.filter != "all"
            shown = list(view.rows)
            await pilot.press("m")
            await settle(pilot)
            assert view.rows == [i for i in range(len(view.beads)) if not view.beads[i].target.strip()] != shown
            assert view._offsets == list(accumulate(view._heights, initial=0))

    asyncio.run(scenario())
