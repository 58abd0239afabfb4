"""The memory panel and the concordance screen in a tiny test App (Textual pilot), on the
seed documents with Document II translated by hand."""

from __future__ import annotations

import asyncio
import time

from memory_fixtures import DOCUMENT_II_EN, document_id, translate_by_hand
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import TextArea
from tui_fixtures import screen_text, settle

from tolmach.service.beads import load_beads
from tolmach.store import Store
from tolmach.tui.screens.concordance import ConcordanceScreen, JumpTo
from tolmach.tui.widgets.memory import KEYS, MemoryPanel


class PanelApp(App[None]):
    """What the workbench does with the panel: show the bead, bind the keys, insert."""

    BINDINGS = [Binding(key, f"panel('{method}')", show=False, priority=True) for key, method, _ in KEYS]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.chosen: list[MemoryPanel.MatchChosen] = []
        self.shown: list[int] = []

    def compose(self) -> ComposeResult:
        yield TextArea(id="editor")
        yield MemoryPanel(self.store, id="memory")

    def action_panel(self, method: str) -> None:
        getattr(self.query_one(MemoryPanel), method)()

    def on_memory_panel_match_chosen(self, event: MemoryPanel.MatchChosen) -> None:
        self.chosen.append(event)
        self.query_one(TextArea).text = event.proposal.target

    def on_memory_panel_matches_shown(self, event: MemoryPanel.MatchesShown) -> None:
        self.shown.append(event.bead_id)


def run(coro_fn):
    return asyncio.run(coro_fn())


def test_panel_shows_matches_with_diff_and_provenance_and_inserts(seeded_store: Store) -> None:
    seeded_store.user = "translator-a"
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    doc_i = load_beads(seeded_store, document_id(seeded_store, "Document I"))

    async def scenario():
        app = PanelApp(seeded_store)
        async with app.run_test(size=(120, 30)) as pilot:
            panel = app.query_one(MemoryPanel)
            app.query_one(TextArea).focus()
            panel.show_bead(doc_i[33])
            await pilot.pause(0.3)
            await settle(pilot)
            text = screen_text(app)
            assert "Document II #6 · translator-a" in text
            assert "% " in text and "→ (DANIC" in text
            assert "61 → 25,28 check it" in text  # f. 61 / ff. 25-28: not substituted, flagged
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert app.chosen and app.chosen[0].bead_id == doc_i[33].id
            assert app.query_one(TextArea).text == DOCUMENT_II_EN[5]
            # a body sentence without counterpart: the panel says so
            panel.show_bead(doc_i[5])
            await pilot.pause(0.3)
            await settle(pilot)
            assert "no match of 50% or more" in screen_text(app)

    run(scenario)


def test_cursor_moves_do_not_wait_for_the_memory(seeded_store: Store) -> None:
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    doc_i = load_beads(seeded_store, document_id(seeded_store, "Document I"))

    async def scenario():
        app = PanelApp(seeded_store)
        async with app.run_test(size=(120, 30)) as pilot:
            panel = app.query_one(MemoryPanel)
            started = time.perf_counter()
            for bead in doc_i:  # a held-down arrow key over the whole document
                panel.show_bead(bead)
            elapsed = time.perf_counter() - started
            await pilot.pause(0.3)
            await settle(pilot)
            # only the bead the cursor rests on was looked up and shown
            assert app.shown == [doc_i[-1].id]
            assert "Document II #6" in screen_text(app)
            assert elapsed < 1.0, f"{len(doc_i)} cursor moves took {elapsed:.2f} s"

    run(scenario)


class ConcordanceApp(App[None]):
    def __init__(self, store: Store, query: str) -> None:
        super().__init__()
        self.store = store
        self.query_text = query
        self.result: list[JumpTo | None] = []

    def on_mount(self) -> None:
        self.push_screen(ConcordanceScreen(self.store, self.query_text), self.result.append)


def test_concordance_screen_finds_inflected_forms_and_jumps(seeded_store: Store) -> None:
    async def scenario():
        app = ConcordanceApp(seeded_store, "")
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"Варшавский договор")
            await pilot.press("enter")
            await settle(pilot)
            text = screen_text(app)
            assert "1 hit(s) for 'Варшавский договор'" in text
            assert "Document I #4" in text and "(untranslated)" in text
            await pilot.press("enter")  # on the row: jump to the bead
            await settle(pilot)
            (jump,) = app.result
            assert jump.number == 4 and jump.document_id == document_id(seeded_store, "Document I")

    run(scenario)


def test_concordance_screen_reports_a_bad_regex_and_closes_with_escape(seeded_store: Store) -> None:
    async def scenario():
        app = ConcordanceApp(seeded_store, "")
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.pause()
            await pilot.click("#concordance-regex")
            app.screen.query_one("#concordance-query").value = "(["
            app.screen.run_search()
            await settle(pilot)
            assert "not a valid regular expression" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert app.result == [None]

    run(scenario)


def test_concordance_shows_a_query_with_square_brackets_as_typed(seeded_store: Store) -> None:
    """Editorial brackets are what a historian searches for: "[sic]" typed into an English
    is found, and the status line repeats the query as typed (as markup it read "for ''")."""
    from tolmach.service.beads import edit_target

    bead = load_beads(seeded_store, document_id(seeded_store, "Document I"))[3]
    edit_target(seeded_store, bead.id, "You hastily and deeply wrongly [sic] describe the action.")

    async def scenario():
        app = ConcordanceApp(seeded_store, "")
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"[sic]")
            await pilot.press("enter")
            await settle(pilot)
            text = screen_text(app)
            assert "1 hit(s) for '[sic]'" in text
            assert "Document I #4" in text and "wrongly [sic] describe" in text

    run(scenario)


def test_concordance_says_how_to_use_it_and_fits_an_80_column_terminal(seeded_store: Store) -> None:
    """Opened by C, the screen tells a newcomer what Enter and Esc do (a footer and a hint
    until the first search), and its regex box keeps its label whole at 80x24."""

    async def scenario():
        app = ConcordanceApp(seeded_store, "")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "Enter on a row opens its bead; Esc goes back" in text
            assert "regex " in text and "reg…" not in text
            assert "esc Close" in text.splitlines()[-1]

    run(scenario)
