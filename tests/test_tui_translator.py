"""What a translator trips on in the workbench: the footer at any width, where the cursor
lands in the editor, hostile input (Textual pilot; tmux where the terminal matters)."""

from __future__ import annotations

from test_tui_app import doc_id, run
from tui_fixtures import beads, opened, screen_text, settle

from tolmach.service import beads as bead_service


def test_help_and_quit_stay_in_the_footer_at_40_60_and_80_columns(seeded_store):
    """The keys a newcomer needs most come first: at 60 columns the bead list's keys pushed
    Help and Quit off the footer."""

    async def scenario():
        seen = {}
        for size in ((40, 20), (60, 24), (80, 24)):
            async with opened(seeded_store, size) as (app, pilot):
                await settle(pilot)
                footer = screen_text(app).splitlines()[-1]
                await pilot.press("enter")  # the editor: its keys
                await settle(pilot)
                typing = screen_text(app).splitlines()[-1]
                seen[size] = footer, typing
        for size, (footer, typing) in seen.items():
            for line in (footer, typing):
                assert "f1 Help" in line and "^q Quit" in line and "^p" in line, (size, line)
        assert "Edit" in seen[(60, 24)][0]  # the bead list's keys follow while there is room
        assert "Filter" in seen[(80, 24)][0]

    run(scenario)


def test_the_cursor_opens_at_the_end_of_existing_english_and_where_it_was_left(seeded_store):
    """Opening a bead with English put the cursor at its start, so the first words typed went
    before the draft; now at its end, and on a bead edited before in this session where the
    translator left it."""
    did = doc_id(seeded_store)
    rows = beads(seeded_store, did)
    bead_service.edit_target(seeded_store, rows[2].id, "Our ambassador reported")
    bead_service.edit_target(seeded_store, rows[3].id, "You hastily")

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("down", "down", "enter")
            await pilot.press(*" that")
            await pilot.press("alt+down")  # saved; bead 4, cursor at its end as well
            await pilot.press(*" and deeply")
            await pilot.press("home", *"Yes. ")  # at the start of bead 4
            await pilot.press("alt+up", "alt+down")  # away and back: where it was left
            await pilot.press(*"Then ")
            await pilot.press("alt+down")
            await settle(pilot)

    run(scenario)
    rows = beads(seeded_store, did)
    assert rows[2].target == "Our ambassador reported that"
    assert rows[3].target == "Yes. Then You hastily and deeply"


def test_the_document_list_says_how_to_open_a_document_and_how_to_go_back(seeded_store):
    """`d` at 80 columns put the focus in the document list, whose footer showed no key of
    its own, and neither Esc nor `d` left it: a newcomer was stuck there."""

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            wb = app.screen
            docs = wb.query_one("#docs")
            for leave in ("escape", "d", "в"):  # в: d on a Russian keyboard
                await pilot.press("d")
                await settle(pilot)
                assert docs.display and app.focused is docs
                footer = screen_text(app).splitlines()[-1]
                assert "⏎ Open" in footer and "esc Back" in footer, footer
                await pilot.press(leave)
                await settle(pilot)
                assert not docs.display and app.focused is wb.bitext, leave
            await pilot.press("d", "down", "enter")  # Document II, after Document I
            await settle(pilot)
            assert wb.doc.name == "Document II" and not docs.display and app.focused is wb.bitext

    run(scenario)


def test_below_60_columns_the_text_gets_the_whole_width(seeded_store):
    """At 40 columns the side panel kept 24 of them and the Russian was wrapped to 6 letters
    a line ("сообщи / л, что"); below 60 the side panel gives way (ctrl+g still lists the
    bead's glossary terms), and comes back when the window grows."""

    async def scenario():
        async with opened(seeded_store, (40, 20)) as (app, pilot):
            wb = app.screen
            await pilot.press("down", "down")
            await settle(pilot)
            side = wb.query_one("#side")
            assert not side.display
            assert wb.bitext.scrollable_content_region.width >= 36
            assert "Наш посол сообщил, что 21" in screen_text(app)
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            assert side.display and "Glossary" in screen_text(app)

    run(scenario)


def test_moving_a_sentence_off_the_ends_says_so_in_plain_words(seeded_store):
    """`[` on bead 1 said "Bead 1 has no prev neighbour to move a sentence to.": the
    translator reads "previous bead", not an argument's value."""

    async def scenario():
        async with opened(seeded_store, (120, 30)) as (app, pilot):
            await pilot.press("left_square_bracket")
            await settle(pilot)
            first = screen_text(app)
            await pilot.press("end", "right_curly_bracket")
            await settle(pilot)
            return first, screen_text(app)

    first, last = run(scenario)
    assert "Bead 1 has no previous bead to move a sentence to." in first
    assert "Bead 34 has no next bead to move a sentence to." in last


def test_help_in_a_narrow_window_puts_each_key_above_its_description(seeded_store):
    """At 40 columns the help's key column kept 21 cells and the descriptions were wrapped a
    word a line ("Move / between / beads")."""

    async def scenario():
        async with opened(seeded_store, (40, 24)) as (app, pilot):
            await pilot.press("f1")
            await settle(pilot)
            narrow = screen_text(app)
            await pilot.press("escape")
            await pilot.resize_terminal(120, 40)
            await pilot.press("f1")
            await settle(pilot)
            return narrow, screen_text(app)

    narrow, wide = run(scenario)
    assert "Move between beads (the edit" in narrow and "↑ ↓ j k" in narrow
    assert any("↑ ↓ j k" in line and "Move between beads (the edit is saved first)" in line for line in wide.splitlines())


def test_a_narrow_footer_shows_whole_keys_only(seeded_store):
    """At 40 columns the footer ended in "⏎ Edit  r▏^p palette": a key cut from its label."""
    import re

    async def scenario():
        out = []
        for width in (40, 44, 52, 60):
            async with opened(seeded_store, (width, 20)) as (app, pilot):
                await settle(pilot)
                out.append(screen_text(app).splitlines()[-1])
        return out

    for footer in run(scenario):
        keys = footer.split("▏")[0]
        assert re.fullmatch(r"(\s*(f1 Help|\^q Quit|⏎ Edit|r Review|u Undo|f Filter|/ Search))*\s*", keys), footer


def test_the_filter_picker_in_a_narrow_window_keeps_its_descriptions_readable(seeded_store):
    """At 40 columns the picker's description column was 8 cells: "beads / with / no / Engl…"."""

    async def scenario():
        async with opened(seeded_store, (40, 30)) as (app, pilot):
            await pilot.press("f")
            await settle(pilot)
            text = screen_text(app)
            await pilot.press("2")
            await settle(pilot)
            return text, app.screen.filter

    text, chosen = run(scenario)
    assert "beads with no English yet" in text and "(empty, machine, imported) or" in text, text
    assert chosen == "empty"


def test_conflict_picker_export_title_and_concordance_draw_emoji_steadily(seeded_store, monkeypatch):
    """The conflict picker showed both texts, the export dialog the document's name and the
    concordance where a hit is, as they were: an emoji skin tone there shifted the dialog's
    border in the terminal (tui/text.py)."""
    from test_tui_cells import UNSTEADY

    from tolmach.service.documents import rename_document
    from tolmach.store import open_store
    from tolmach.tui import workbench

    monkeypatch.setattr(workbench, "POLL_S", 3600.0)
    rename_document(seeded_store, "Document I", "Letter 👍🏽 I")
    other = open_store(seeded_store.url, user="ana")

    async def scenario():
        async with opened(seeded_store, (100, 30)) as (app, pilot):
            wb = app.screen
            await pilot.press("down", "enter")
            wb.editor.insert("Dear 👍🏽 comrades")
            bead_service.edit_target(other, wb.editor.bead.id, "Esteemed ❤️ comrades")
            await pilot.press("ctrl+s")
            await settle(pilot)
            conflict = screen_text(app)
            await pilot.press("1", "escape")
            await settle(pilot)
            await pilot.press("x")
            await settle(pilot)
            export = screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("C")
            await settle(pilot)
            await pilot.press(*"товарищи", "enter")
            await settle(pilot)
            return conflict, export, screen_text(app)

    conflict, export, concordance = run(scenario)
    other.close()
    assert "Keep mine" in conflict and "Export Letter 👍" in export and "Letter 👍" in concordance
    for text in (conflict, export, concordance):
        assert not UNSTEADY.search(text), text
