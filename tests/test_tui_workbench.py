"""The rebuilt workbench under the pilot: undo wording and redo, another process changing
the document, progress in sentences, next-unconfirmed/flagged, the filter picker, search
highlighting, structure edits updating only the affected rows.  Every test checks the
screen and the database."""

from __future__ import annotations

import asyncio

from tui_fixtures import beads, opened, screen_text, settle

from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadSpec, replace_run
from tolmach.service.documents import find_document
from tolmach.store import Bead, open_store


def doc_id(store, name: str = "Document I") -> int:
    with store.read() as s:
        return find_document(s, name).id


def run(coro_fn):
    return asyncio.run(coro_fn())


def notices(app) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


def test_undo_says_what_it_undid_asks_before_dropping_a_translation_and_redo(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "enter", *"Our ambassador reported.", "escape")
            await pilot.press("r")  # reviewed, moves on
            await pilot.press("up", "m")  # merge 3+4
            await settle(pilot)
            assert len(beads(seeded_store, did)) == 33
            await pilot.press("u")
            await settle(pilot)
            assert "Undid the merge of bead 3" in notices(app)
            assert len(beads(seeded_store, did)) == 34
            await pilot.press("u")
            await settle(pilot)
            assert "Undid the status change of bead 3" in notices(app)
            assert beads(seeded_store, did)[2].status == "edited"
            await pilot.press("u")  # would drop the typed translation: asks first
            await settle(pilot)
            assert "Press u again to undo a person's translation" in notices(app)
            assert beads(seeded_store, did)[2].target == "Our ambassador reported."
            await pilot.press("u")
            await settle(pilot)
            assert "Undid the edit of bead 3: English “Our ambassador reported.” → nothing." in notices(app)
            assert beads(seeded_store, did)[2].target == ""
            assert app.editor.text == ""
            await pilot.press("U")  # redo brings it back
            await settle(pilot)
            assert beads(seeded_store, did)[2].target == "Our ambassador reported."
            assert "Redid" in notices(app) and "Our ambassador reported." in screen_text(app)

    run(scenario)


def test_external_change_reloads_rows_and_keeps_typed_text(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "enter", *"My text in progress")
            # another process merges beads 2 and 3 (the open one vanishes) and translates bead 1
            other = open_store(seeded_store.path, user="colleague")
            rows = beads(other, did)
            bead_service.merge_with_next(other, rows[1].id)
            bead_service.edit_target(other, rows[0].id, "To the Executive Committee")
            other.close()
            await pilot.pause(1.5)  # the poll runs once a second
            await settle(pilot)
            assert app.editor.text == "My text in progress"  # kept
            assert app.current.shape.startswith("2:")  # the bead that now holds its sentence
            assert "changed by someone else" in notices(app)
            assert app.focused is app.editor
            assert "To the Executive Committee" in screen_text(app)
            await pilot.press("escape")  # saving is not stuck on a vanished bead id
            await settle(pilot)
            now = beads(seeded_store, did)
            assert len(now) == 33 and now[1].target == "My text in progress"

    run(scenario)


def test_progress_counts_sentences_and_next_keys(seeded_store):
    did = doc_id(seeded_store)
    rows = beads(seeded_store, did)
    with seeded_store.transaction() as s:  # beads 5-7 become one 3:1 bead with English; bead 9 flagged and empty
        old = list(s.query(Bead).filter_by(document_id=did).order_by(Bead.position))[4:7]
        replace_run(s, did, old, [BeadSpec(4, 7, "Three sentences in one.", "imported", "file", 0.9)], action="align")
    rows = beads(seeded_store, did)
    bead_service.set_flag(seeded_store, rows[6].id, True)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            assert "3/34 sentences translated (9%)" in screen_text(app)
            await pilot.press("c")  # next unconfirmed after bead 1: bead 2 (empty)
            assert app.current.number == 2
            await pilot.press("exclamation_mark")  # next flagged
            assert app.current.number == 7 and app.current.flagged
            await pilot.press("r")  # a flagged empty bead: review clears the flag
            await settle(pilot)
            assert not beads(seeded_store, did)[6].flagged
            await pilot.press("f")
            await settle(pilot)
            picker = screen_text(app)
            assert "Show which beads?" in picker and "unconfirmed" in picker
            await pilot.press("3")  # unconfirmed
            await settle(pilot)
            assert app.filter == "unconfirmed" and len(app.bitext.rows) == 32

    run(scenario)


def test_search_hits_are_highlighted(seeded_store):
    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("slash", *"чсср", "enter")
            await settle(pilot)
            view = app.bitext
            y = view._offsets[view.cursor] - int(view.scroll_offset.y)
            hit = view.get_component_rich_style("bitext--hit", partial=True)
            styled = [seg for k in range(view._heights[view.cursor]) for seg in view.render_line(y + k) if seg.text.casefold() == "чсср"]
            assert styled and all(seg.style.bgcolor == hit.bgcolor for seg in styled)

    run(scenario)


def test_current_row_is_highlighted_across_its_whole_width(seeded_store):
    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            view = app.bitext
            y = view._offsets[view.cursor] - int(view.scroll_offset.y)
            bg = {seg.style.bgcolor for seg in view.render_line(y) if seg.text}
            assert len(bg) == 1  # text, gaps and gutter share the cursor background
            assert sum(seg.cell_length for seg in view.render_line(y)) == view.scrollable_content_region.width

    run(scenario)


def test_structure_edit_rewraps_only_the_affected_rows(seeded_store, monkeypatch):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            view = app.bitext
            await pilot.press("down", "down")
            await settle(pilot)

            def wrapped() -> set[int]:
                return {view.beads[i].id for i, lines in enumerate(view._cache) if lines is not None}

            calls = []
            real = view._wrap
            monkeypatch.setattr(view, "_wrap", lambda bead, columns=None: calls.append(bead.id) or real(bead, columns))
            before = wrapped()
            await pilot.press("m")
            await settle(pilot)
            merged = view.beads[view.current].id
            # the merged bead, and rows never wrapped before that the merge pulled into view
            assert merged in calls and not (set(calls) - {merged}) & before, calls
            assert len(view.beads) == 33 and [b.number for b in bead_service.load_beads(seeded_store, did)] == list(range(1, 34))
            assert view._offsets[-1] == sum(view._heights)
            calls.clear()
            before = wrapped()
            await pilot.press("u", "U", "right_square_bracket")  # undo, redo, a sentence move
            await settle(pilot)
            cur = view.current
            touched = {b.id for b in view.beads[max(cur - 2, 0) : cur + 3]}  # the beads the three edits replaced
            assert not (set(calls) - touched) & before and len(calls) <= 8, calls  # not the 33 beads
            assert [b.id for b in view.beads] == [b.id for b in beads(seeded_store, did)]
            assert view._offsets[-1] == sum(view._heights)

    run(scenario)


def test_narrow_terminal_stacks_rows_and_keeps_help_and_quit(seeded_store):
    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("d")  # the document list at 80 columns
            await settle(pilot)
            text = screen_text(app)
            footer = text.splitlines()[-1]
            assert "Help" in footer and "Quit" in footer
            assert app.bitext._stacked  # source above target, full width: no squeezed columns
            assert "Уважаемые товарищи!" in text
            assert app.bitext.scrollable_content_region.width >= 40

    run(scenario)


def test_footer_follows_the_focus_but_is_not_rebuilt_for_the_same_keys(seeded_store):
    """Closing a picker over the workbench leaves the footer's keys as they were, so it is not
    rebuilt (Textual's Footer rebuilt itself there: half the CPU of a filter choice at 20,000
    beads); moving into the editor changes the keys, and the footer shows the editor's."""

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            footer = app.screen.query_one("KeysFooter")
            footer_line = lambda: screen_text(app).splitlines()[-1]  # noqa: E731
            assert "Filter" in footer_line() and "Quit" in footer_line()
            keys = list(footer.children)
            rebuilds = footer.rebuilds
            for choice in ("2", "1"):
                await pilot.press("f", choice)
                await settle(pilot)
            await pilot.press("question_mark", "escape")  # the help screen, closed again
            await settle(pilot)
            assert app.filter == "all"
            assert footer.rebuilds == rebuilds and list(footer.children) == keys  # the same widgets
            assert "Filter" in footer_line() and "Quit" in footer_line()

            await pilot.press("enter")  # the editor: the bead list's keys leave the footer
            await settle(pilot)
            assert footer.rebuilds > rebuilds
            assert "Filter" not in footer_line() and "Quit" in footer_line()
            await pilot.press("escape")
            await settle(pilot)
            assert "Filter" in footer_line()

    run(scenario)


def test_tab_while_typing_keeps_the_focus_and_the_typing_in_the_editor(seeded_store):
    """At 80×24: Tab (or shift+Tab) in the editor moved the focus to the side column, where
    the words typed next were lost without a sign (or, backwards, to the bead list, where
    they ran as commands).  It stays in the editor and says how to leave it."""
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("enter", *"To the", "tab", *" Executive", "shift+tab", *" Committee")
            await settle(pilot)
            assert app.focused is app.editor
            assert app.editor.text == "To the Executive Committee"
            assert "Tab stays in the editor" in notices(app)
            await pilot.press("alt+down")
            await settle(pilot)

    run(scenario)
    assert beads(seeded_store, did)[0].target == "To the Executive Committee"


def test_go_to_a_bead_number_that_is_no_number_is_a_notice_not_a_crash(seeded_store):
    """At 80×24, `g` and a pasted 5,000-digit number (int() refuses more than 4,300 digits)
    or a superscript two (a digit to isdigit(), not to int()): the workbench died with
    ValueError; it says there is no such bead and stays where it was."""

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            for typed in ("9" * 5000, "²", "١٢"):  # the last: 12 in Arabic-Indic digits, a real number
                await pilot.press("g")
                await settle(pilot)
                app.screen.query_one("#prompt-input").value = typed
                await pilot.press("enter")
                await settle(pilot)
                assert app.is_running
            text = notices(app)
            assert "There is no bead '99999999999999999999…'; beads are numbered 1 to 34." in text
            assert "There is no bead '²'" in text
            assert app.workbench.current.number == 12

    run(scenario)


def test_a_superscript_two_in_a_picker_is_not_a_choice(seeded_store):
    """The ² key (top left on a French keyboard) in the filter picker: a digit to isdigit(),
    not to int(); the workbench died with ValueError.  It is ignored; '2' still chooses."""

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("f")
            await settle(pilot)
            await pilot.press("²")
            await settle(pilot)
            assert app.is_running and "Show which beads?" in screen_text(app)
            await pilot.press("2")
            await settle(pilot)
            assert "filter: empty" in screen_text(app)

    run(scenario)
