"""The translation memory and the concordance inside the workbench (pilot, real database).

Document II is translated by hand; on Document I's archival reference the memory panel
proposes Document II's reference (a fuzzy match, numbers flagged), ctrl+r puts it into
the editor, and `C` opens the concordance, whose Enter jumps to the bead in its document.
"""

from __future__ import annotations

import asyncio

from memory_fixtures import DOCUMENT_II_EN, translate_by_hand
from tui_fixtures import opened, screen_text, settle


def _doc(store, name):
    from tolmach.service.documents import find_document

    with store.read() as s:
        return find_document(s, name).id


async def go_to_reference(pilot) -> None:
    """Go to bead 34 (Document I's archival reference) and let the memory panel look up."""
    await pilot.press("g")
    await pilot.pause()
    for ch in "34":
        await pilot.press(ch)
    await pilot.press("enter")
    await asyncio.sleep(0.6)  # the panel looks up after a pause
    await settle(pilot)


def test_memory_panel_proposes_and_ctrl_r_inserts(seeded_store):
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)

    async def scenario():
        async with opened(seeded_store, (160, 45)) as (app, pilot):
            wb = app.screen
            await go_to_reference(pilot)
            text = screen_text(app)
            assert "Document II #6" in text, text
            from tolmach.tui.widgets.memory import MemoryPanel

            best = wb.query_one(MemoryPanel).proposals[0]
            assert best.provenance.label.startswith("Document II #6") and best.score >= 80
            assert wb.editor.text == ""
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert wb.editor.has_focus
            assert wb.editor.text == best.target and "DANIC" in best.target

    asyncio.run(scenario())


def test_concordance_finds_an_inflected_form_and_jumps(seeded_store):
    async def scenario():
        async with opened(seeded_store, (160, 45)) as (app, pilot):
            wb = app.screen
            await pilot.press("C")
            await settle(pilot)
            screen = app.screen
            assert type(screen).__name__ == "ConcordanceScreen"
            for ch in "Варшавский договор":
                await pilot.press(ch if ch != " " else "space")
            await pilot.press("enter")
            await settle(pilot)
            await asyncio.sleep(0.3)
            await settle(pilot)
            assert "Варшавского Договора" in screen_text(app)
            from textual.widgets import DataTable

            app.screen.query_one(DataTable).focus()
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is wb
            assert "Варшавского Договора" in wb.current.source

    asyncio.run(scenario())


def test_the_match_notice_names_a_bracketed_document_as_it_is_named(seeded_store):
    """A document named "Letter [draft]": the notice after ctrl+r names it whole (as markup,
    "[draft]" was read as a style tag and dropped)."""
    from tolmach.service.documents import rename_document

    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    rename_document(seeded_store, "Document II", "Letter [draft]")

    async def scenario():
        async with opened(seeded_store, (160, 45)) as (app, pilot):
            await go_to_reference(pilot)
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert "match from Letter [draft] #6" in screen_text(app)

    asyncio.run(scenario())
