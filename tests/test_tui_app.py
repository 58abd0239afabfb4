"""The workbench driven by real keys (Textual pilot) against a real SQLite file.

Every test asserts both what the screen shows and what the database holds.
"""

from __future__ import annotations

import sqlite3

from mt_fixtures import add_document, tiny_argosmodel, tiny_installed  # noqa: F401
from tui_fixtures import beads, opened, screen_text, settle

from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadSpec, replace_run
from tolmach.service.documents import find_document
from tolmach.service.drafts import drafts_in
from tolmach.store import Bead, open_store


def doc_id(store, name: str = "Document I") -> int:
    with store.read() as s:
        return find_document(s, name).id


def run(coro_fn):
    """Run an async pilot scenario (no pytest-asyncio needed)."""
    import asyncio

    return asyncio.run(coro_fn())


# ---------------------------------------------------------------------- opening


def test_opens_on_document_i_with_its_sentences(seeded_store):
    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            assert app.doc.name == "Document I"
            text = screen_text(app)
            assert "Document I" in text.splitlines()[0]
            assert "ИСПОЛКОМУ ЦЕНТРАЛЬНОГО КОМИТЕТА" in text
            assert "Уважаемые товарищи!" in text
            assert "0/34 sentences translated" in text
            # the glossary panel lights up for the addressee heading
            assert "Executive Committee" in text

    run(scenario)


def test_empty_database_says_how_to_import(store):
    async def scenario():
        async with opened(store, (100, 30)) as (app, pilot):
            assert "Tolmach" in screen_text(app).splitlines()[0]
            assert "holds no documents: import some with `tolmach import FILE`" in str(app.workbench.query_one("#source").render())
            assert app.editor.disabled

    run(scenario)


# ---------------------------------------------------------------------- editing


def test_edit_is_saved_when_the_row_changes(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "enter")
            await pilot.press(*"Our ambassador reported")
            assert beads(seeded_store, did)[2].target == ""  # not yet: still on the row
            await pilot.press("alt+down")
            await settle(pilot)
            saved = beads(seeded_store, did)[2]
            assert (saved.target, saved.status) == ("Our ambassador reported", "edited")
            assert app.current.number == 4
            assert "Our ambassador reported" in screen_text(app)
            assert "1/34 sentences translated" in screen_text(app)
            # escape saves too and returns to the list
            await pilot.press(*"You hastily")
            await pilot.press("escape")
            await settle(pilot)
            assert beads(seeded_store, did)[3].target == "You hastily"
            assert app.focused is app.bitext

    run(scenario)


def test_quit_saves_typed_text(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "enter", *"Dear comrades!")
            await pilot.press("ctrl+q")
            await pilot.pause()
        assert app.return_code == 0

    run(scenario)
    bead = beads(seeded_store, did)[1]
    assert (bead.target, bead.status) == ("Dear comrades!", "edited")


def test_ctrl_s_saves_without_moving(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("enter", *"To the Executive Committee", "ctrl+s")
            await settle(pilot)
            assert beads(seeded_store, did)[0].target == "To the Executive Committee"
            assert app.current.number == 1 and app.focused is app.editor

    run(scenario)


def test_markup_and_control_characters_are_shown_literally(store):
    hostile = "Текст [bold]жирный[/] и [link=https://example.org]ссылка[/link] \x1b[31mкрасный\x07."
    did = add_document(store, "Hostile [red]name[/]", [(hostile, "ru", "body"), ("Второе предложение.", "ru", "body")])

    async def scenario():
        async with opened(store, (120, 40)) as (app, pilot):
            await pilot.press("enter", *"[b]bold?[/b] [link=x]", "alt+down", "alt+up")
            await settle(pilot)
            text = screen_text(app)
            assert "Hostile [red]name[/]" in text
            assert "[bold]жирный[/]" in text
            source_panel = str(app.workbench.query_one("#source").render())
            assert "[link=https://example.org]ссылка[/link]" in source_panel  # too long for one column line
            assert "␛[31mкрасный␇" in source_panel
            assert "\x1b" not in text and "\x07" not in text
            assert "␛[31mкрасный␇" in text  # control characters shown as symbols
            assert "[b]bold?[/b] [link=x]" in text

    run(scenario)
    assert beads(store, did)[0].target == "[b]bold?[/b] [link=x]"


# --------------------------------------------------------------- bead structure


def test_merge_then_undo(seeded_store):
    did = doc_id(seeded_store)
    before = [(b.src_start, b.src_end) for b in beads(seeded_store, did)]

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "m")
            await settle(pilot)
            after = beads(seeded_store, did)
            assert len(after) == len(before) - 1
            assert (after[2].src_start, after[2].src_end) == (2, 4)
            assert app.current.shape == "2:0" and app.current.number == 3
            assert "Вы поспешно" in screen_text(app)
            await pilot.press("u")
            await settle(pilot)
            assert [(b.src_start, b.src_end) for b in beads(seeded_store, did)] == before

    run(scenario)


def test_split_a_merged_bead(seeded_store):
    did = doc_id(seeded_store)
    first = beads(seeded_store, did)[2]
    bead_service.merge_with_next(seeded_store, first.id)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "s")
            await settle(pilot)
            rows = beads(seeded_store, did)
            assert [(b.src_start, b.src_end) for b in rows[2:4]] == [(2, 3), (3, 4)]
            assert app.current.number == 3

    run(scenario)


def test_alignment_review_scores_flags_and_boundary_moves(seeded_store):
    """Beads from an imported translation: the score shows, a low one is flagged, keys
    move a sentence across the boundary and confirm."""
    did = doc_id(seeded_store)
    with seeded_store.transaction() as s:
        old = [b for b in s.query(Bead).filter_by(document_id=did).order_by(Bead.position)][2:5]
        replace_run(
            s, did, old,
            [
                BeadSpec(2, 4, "Our ambassador reported. You hastily and wrongly call it an intervention.", "imported", "file:en.txt", 0.31, True),
                BeadSpec(4, 5, "This view was confirmed.", "imported", "file:en.txt", 0.93, False),
            ],
            action="align", origin="file:en.txt",
        )  # fmt: skip

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            text = screen_text(app)
            assert "0.31" in text and "0.93" in text
            assert "1 need review" in text
            await pilot.press("down", "down")
            assert app.current.flagged
            await pilot.press("right_square_bracket")  # last Russian sentence to the next bead
            await settle(pilot)
            rows = beads(seeded_store, did)
            assert [(b.src_start, b.src_end) for b in rows[2:4]] == [(2, 3), (3, 5)]
            await pilot.press("right_curly_bracket")  # last English sentence to the next bead
            await settle(pilot)
            rows = beads(seeded_store, did)
            assert rows[2].target == "Our ambassador reported."
            assert rows[3].target.startswith("You hastily")
            await pilot.press("r")  # confirm: reviewed, flag cleared, cursor moves on
            await settle(pilot)
            rows = beads(seeded_store, did)
            assert rows[2].status == "reviewed" and not rows[2].flagged
            assert app.current.number == 4
            assert "need review" not in screen_text(app).splitlines()[0]

    run(scenario)


# ------------------------------------------------------------ find and filter


def test_filter_search_and_goto(seeded_store):
    did = doc_id(seeded_store)
    first = beads(seeded_store, did)[0]
    bead_service.edit_target(seeded_store, first.id, "To the Executive Committee")

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("f", "2")  # the filter picker: 2 = empty beads only
            await settle(pilot)
            assert app.filter == "empty"
            assert 0 not in app.bitext.rows and len(app.bitext.rows) == 33
            assert "To the Executive Committee" not in screen_text(app)
            await pilot.press("f", "down", "down", "up", "up", "up", "enter")  # back to "all" with the arrows
            await settle(pilot)
            assert app.filter == "all" and len(app.bitext.rows) == 34

            await pilot.press("slash", *"чсср", "enter")  # case-insensitive
            await settle(pilot)
            assert "ЧССР" in app.current.source and app.current.number == 4
            await pilot.press("n")
            await settle(pilot)
            assert "ЧССР" in app.current.source and app.current.number > 4
            await pilot.press("slash", *"Our ambassador", "enter")  # nothing has that text
            await settle(pilot)
            assert "No bead in this view contains 'Our ambassador'" in screen_text(app)

            await pilot.press("g", *"20", "enter")
            await settle(pilot)
            assert app.current.number == 20
            await pilot.press("g", *"999", "enter")
            await settle(pilot)
            assert app.current.number == 20  # refused with a message, cursor stays

    run(scenario)


def test_warnings_filter_uses_qa(seeded_store):
    did = doc_id(seeded_store)
    rows = beads(seeded_store, did)
    bead_service.edit_target(seeded_store, rows[2].id, "Our ambassador reported that on 22 August he was invited.")
    bead_service.edit_target(seeded_store, rows[1].id, "Dear comrades!")

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("f", "5")  # the picker's fifth filter
            await settle(pilot)
            assert app.filter == "warnings"
            shown = {app.bitext.beads[i].number for i in app.bitext.rows}
            assert 3 in shown and 2 not in shown
            await pilot.press("g", *"3", "enter")
            await settle(pilot)
            assert "21" in screen_text(app)  # the date warning names the number

    run(scenario)


# ------------------------------------------------------------------- glossary


def test_glossary_hit_inserted_at_cursor(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "enter", *"He was invited to the ")
            await pilot.pause(0.3)  # glossary look-up runs just after the cursor stops, in a worker
            await settle(pilot)
            from tolmach.tui.panels import unique_hits

            assert "ЦК РКП" in [h.term for h in app.hits]
            index = [h.term for h in unique_hits(app.hits)].index("ЦК РКП")
            await pilot.press(f"alt+{index + 1}", "alt+down")
            await settle(pilot)

    run(scenario)
    assert beads(seeded_store, did)[2].target == "He was invited to the Central Committee of the RCP"


class HeldGlossary:
    """The pair's matcher build held until :meth:`release` (a large glossary takes a second),
    and whether the UI thread looked terms up meanwhile (it must not wait for them)."""

    def __init__(self, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        import threading

        from tolmach.service import apparatus
        from tolmach.service import glossary as service

        self.store, self.service, self.gate, self.on_ui = store, service, threading.Event(), 0
        self.held = False
        build, find = service._PairMatcher.__init__, apparatus.hits_for_bead

        def held_build(matcher, *args, **kwargs):  # type: ignore[no-untyped-def]
            if self.held:
                self.gate.wait(10)  # bounded: the old blocking key would hang here, then fail below
            build(matcher, *args, **kwargs)

        def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
            if threading.current_thread() is threading.main_thread() and not self.gate.is_set():
                self.on_ui += 1
            return find(*args, **kwargs)

        monkeypatch.setattr(service._PairMatcher, "__init__", held_build)
        monkeypatch.setattr(apparatus, "hits_for_bead", watched)

    def hold(self) -> None:
        self.service.invalidate(self.store)  # the next look-up builds the matcher again
        self.held = True

    def release(self) -> None:
        self.gate.set()


def test_a_term_key_pressed_before_the_look_up_returns_at_once_and_the_term_lands_in_place(seeded_store, monkeypatch):
    did = doc_id(seeded_store)
    glossary = HeldGlossary(seeded_store, monkeypatch)

    async def scenario():
        from tolmach.tui.panels import unique_hits

        async with opened(seeded_store, (120, 40)) as (app, pilot):
            glossary.hold()
            await pilot.press("down", "down", "enter", *"He was invited to the ", "alt+1", *" at once")
            await pilot.pause(0.3)
            editor = app.workbench.editor
            assert glossary.on_ui == 0  # the key did not look the terms up on the UI thread
            assert editor.text == "He was invited to the  at once"  # typing went on meanwhile
            glossary.release()
            await settle(pilot)
            first = unique_hits(app.hits)[0].preferred
            assert editor.text == f"He was invited to the {first} at once"  # where the key was pressed
            await pilot.press("alt+down")
            await settle(pilot)
            return first

    first = run(scenario)
    assert beads(seeded_store, did)[2].target == f"He was invited to the {first} at once"


def test_the_term_picker_opens_before_the_terms_are_found_and_a_digit_typed_chooses(seeded_store, monkeypatch):
    did = doc_id(seeded_store)
    glossary = HeldGlossary(seeded_store, monkeypatch)

    async def scenario():
        from tolmach.tui.dialogs import PickScreen
        from tolmach.tui.panels import unique_hits

        async with opened(seeded_store, (120, 40)) as (app, pilot):
            glossary.hold()
            await pilot.press("down", "down", "enter", *"To the ", "ctrl+g")
            await pilot.pause(0.2)
            assert isinstance(app.screen, PickScreen) and "Looking them up" in screen_text(app)
            await pilot.press("2")
            assert glossary.on_ui == 0 and app.workbench.editor.text == "To the "
            glossary.release()
            await settle(pilot)
            second = unique_hits(app.hits)[1].preferred
            assert not isinstance(app.screen, PickScreen)
            assert app.workbench.editor.text == f"To the {second}"
            await pilot.press("alt+down")
            await settle(pilot)
            return second

    second = run(scenario)
    assert beads(seeded_store, did)[2].target == f"To the {second}"


def test_keys_typed_in_one_burst_with_the_pickers_digit_reach_the_editor(seeded_store, monkeypatch):
    """ctrl+g before the terms are found, then the digit and the words after it arriving in
    one read (a fast typist, a loaded machine): the words were queued at the picker behind
    the digit that closed it; they must reach the editor after the term, not be lost."""
    from textual import events

    did = doc_id(seeded_store)
    glossary = HeldGlossary(seeded_store, monkeypatch)

    async def scenario():
        from tolmach.tui.dialogs import PickScreen
        from tolmach.tui.panels import unique_hits

        async with opened(seeded_store, (120, 40)) as (app, pilot):
            glossary.hold()
            await pilot.press("down", "down", "enter", *"To the ", "ctrl+g")
            await pilot.pause(0.2)
            assert isinstance(app.screen, PickScreen)
            for key in ["2", "space", *"at", "space", *"once"]:  # posted together, as read together
                app.post_message(events.Key(key, " " if key == "space" else key))
            await pilot.pause(0.3)
            assert not isinstance(app.screen, PickScreen)
            assert app.workbench.editor.text == "To the  at once"
            glossary.release()
            await settle(pilot)
            second = unique_hits(app.hits)[1].preferred
            assert app.workbench.editor.text == f"To the {second} at once"
            await pilot.press("alt+down")
            await settle(pilot)
            return second

    second = run(scenario)
    assert beads(seeded_store, did)[2].target == f"To the {second} at once"


def test_the_glossary_panel_does_not_show_the_last_beads_terms_while_looking_up(seeded_store, monkeypatch):
    """Moving on while the next bead's terms are being looked up (a large glossary, a
    loaded machine): the panel showed the previous bead's numbered terms, so alt+2 read off
    it inserted something else.  It says it is looking up, then shows the new terms."""
    from textual.widgets import Static

    glossary = HeldGlossary(seeded_store, monkeypatch)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            panel = app.workbench.query_one("#glossary", Static)
            await pilot.press("down", "down")
            await pilot.pause(0.8)  # the panels follow once the cursor rests
            await settle(pilot)
            assert "ЦК РКП → Central Committee of the RCP" in str(panel.content)  # bead 3's terms
            glossary.hold()
            await pilot.press("down")
            await pilot.pause(0.8)
            shown = str(panel.content)
            assert "ЦК РКП" not in shown and "looking up bead 4's terms" in shown
            glossary.release()
            await settle(pilot)
            await pilot.pause(0.3)
            shown = str(panel.content)
            assert "ЧССР" in shown and "ЦК РКП" not in shown and "looking up" not in shown

    run(scenario)


def test_a_term_asked_for_is_inserted_before_the_bead_is_left(seeded_store, monkeypatch):
    """alt+1 then alt+↓ at once: the bead waits for its term rather than being saved without it."""
    did = doc_id(seeded_store)
    glossary = HeldGlossary(seeded_store, monkeypatch)

    async def scenario():
        import threading

        async with opened(seeded_store, (120, 40)) as (app, pilot):
            glossary.hold()
            await pilot.press("down", "down", "enter")
            source = app.workbench.current.source
            threading.Timer(0.5, glossary.release).start()
            await pilot.press("alt+1", "alt+down")
            await settle(pilot)
            return source

    source = run(scenario)
    from tolmach.service.glossary import hits_for_text

    terms = [h.preferred for h in hits_for_text(seeded_store, source)]
    assert terms and beads(seeded_store, did)[2].target == terms[0]


def test_the_picker_lists_every_term_and_arrows_reach_the_tenth(seeded_store):
    """Nine digits, but a bead can hold more terms: the picker lists them all."""
    from tolmach.service import glossary as service

    words = ["сообщил", "августа", "приглашен", "секретарь", "реакции", "меры", "пятью", "братскому", "народу",
             "неотложной", "помощи", "включая"]
    for w in words:
        service.add_entry(seeded_store, {"term": w, "preferred": f"<{w}>"})
    did = doc_id(seeded_store)

    async def scenario():
        from tolmach.tui.panels import unique_hits

        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "enter")
            await pilot.pause(0.3)
            await settle(pilot)
            hits = unique_hits(app.hits)
            assert len(hits) >= 12
            await pilot.press("ctrl+g", *["down"] * 9, "enter", "alt+down")
            await settle(pilot)
            return hits[9].preferred

    tenth = run(scenario)
    assert beads(seeded_store, did)[2].target == tenth


def test_a_filter_description_that_wraps_at_80_columns_stays_in_its_column(seeded_store):
    """At 80 columns "unconfirmed"'s description wraps; its second line must not start where
    the filter names do (it read as a filter called "machine, imported)")."""

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("f")
            await settle(pilot)
            lines = screen_text(app).splitlines()
            first = next(line for line in lines if "beads no person has confirmed" in line)
            second = lines[lines.index(first) + 1]
            assert "imported) or flagged" in second
            column = first.index("beads no person")
            assert second.index(second[column:].strip()) == column and not second[:column].strip("│ ")

    run(scenario)


# ------------------------------------------------------------------------- MT


def test_translate_all_with_tiny_model(seeded_store, tiny_installed):
    did = doc_id(seeded_store)
    bead_service.edit_target(seeded_store, beads(seeded_store, did)[1].id, "Dear comrades!")

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("T")
            await settle(pilot)
            await settle(pilot)
            assert app.mt_cancel is None
            assert not app.workbench.query_one("#mt-progress").display
            rows = beads(seeded_store, did)
            assert rows[1].target == "Dear comrades!"  # the human edit is kept
            drafted = [b for b in rows if b.status == "machine"]
            assert len(drafted) >= 30 and all(b.target.strip() for b in drafted)
            from tolmach.service.translation import package_for_document

            assert {b.origin for b in drafted} == {package_for_document(seeded_store, did).origin}
            assert f"{sum(1 for b in rows if b.target.strip())}/34 sentences translated" in screen_text(app)

    run(scenario)


def test_translate_one_bead_with_tiny_model(seeded_store, tiny_installed):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("down", "down", "ctrl+t")
            await settle(pilot)
            rows = beads(seeded_store, did)
            assert rows[2].status == "machine" and rows[2].target.strip()
            assert sum(1 for b in rows if b.status == "machine") == 1
            assert app.editor.text == rows[2].target

    run(scenario)


def test_translate_without_model_says_what_to_install(seeded_store):
    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("T")
            await settle(pilot)
            assert app.mt_cancel is None
            assert "translate-ru_en" in screen_text(app)

    run(scenario)


# --------------------------------------------------------------------- export


def test_export_dialog_writes_tmx(seeded_store, tmp_path):
    did = doc_id(seeded_store)
    bead_service.edit_target(seeded_store, beads(seeded_store, did)[1].id, "Dear comrades!")
    out = tmp_path / "doc1.tmx"

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("x")
            await settle(pilot)
            path = app.screen.query_one("#export-path")
            assert path.value == "document-i.tmx"  # relative to the working directory
            path.value = str(out)
            await pilot.click("#export-go")
            await settle(pilot)
            assert out.exists()
            # a second export to the same file is refused in the dialog unless overwrite is ticked
            await pilot.press("x")
            await settle(pilot)
            app.screen.query_one("#export-path").value = str(out)
            await pilot.click("#export-go")
            await settle(pilot)
            assert "exists" in screen_text(app)
            await pilot.press("escape")

    run(scenario)
    from defusedxml import ElementTree

    tree = ElementTree.parse(out)
    segs = [seg.text for seg in tree.iter("seg")]
    assert "Dear comrades!" in segs and "Уважаемые товарищи!" in segs


# ---------------------------------------------------------------------- safety


def test_busy_database_keeps_the_text_and_the_row(seeded_store, monkeypatch):
    from tolmach.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)
    path = seeded_store.path
    seeded_store.close()
    store = open_store(path)
    did = doc_id(store)

    async def scenario():
        async with opened(store, (120, 40)) as (app, pilot):
            await pilot.press("enter", *"To the Executive Committee")
            other = sqlite3.connect(path, timeout=0.1)
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            await pilot.press("alt+down")
            await settle(pilot)
            assert app.current.number == 1  # the cursor did not move on
            assert app.editor.text == "To the Executive Committee"
            assert "busy" in screen_text(app)
            other.rollback()
            other.close()
            await pilot.press("alt+down")
            await settle(pilot)
            assert app.current.number == 2

    run(scenario)
    assert beads(store, did)[0].target == "To the Executive Committee"
    store.close()


def test_quit_with_locked_database_rescues_the_text(seeded_store, monkeypatch):
    from tolmach.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)
    path = seeded_store.path
    seeded_store.close()
    store = open_store(path)
    other = sqlite3.connect(path, timeout=0.1)

    async def scenario():
        async with opened(store, (120, 40)) as (app, pilot):
            await pilot.press("enter", *"Typed but not saved")
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert app.is_running
            rescued = list(path.parent.glob("*.unsaved-bead1-*.txt"))
            assert [p.read_text(encoding="utf-8") for p in rescued] == ["Typed but not saved"]
            await pilot.press("ctrl+q")  # second press quits anyway
            await pilot.pause()

    run(scenario)
    other.rollback()
    other.close()
    store.close()


# ------------------------------------------------------------------ documents


def test_switch_document_from_the_list(seeded_store):
    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("d")
            await settle(pilot)
            docs = app.workbench.query_one("#docs")
            assert docs.display and app.focused is docs
            names = [str(docs.get_option_at_index(i).prompt).split("\n")[0] for i in range(docs.option_count)]
            await pilot.press(*["down"] * (names.index("Document II") - docs.highlighted), "enter")
            await settle(pilot)
            assert app.doc.name == "Document II"
            assert "Document II" in screen_text(app).splitlines()[0]
            assert app.focused is app.bitext

    run(scenario)


def test_help_lists_every_key_and_closes(seeded_store):
    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("question_mark")
            await settle(pilot)
            text = screen_text(app)
            body = app.screen.query_one("#help-body")
            body.scroll_end(animate=False)  # the list is longer than the window: it scrolls
            await settle(pilot)
            text += screen_text(app)
            for words in ("Merge the bead with the next one", "Machine-translate all empty beads", "Jump to a bead number",
                          "translation-memory match", "Search every document and memory"):
                assert words in text
            await pilot.press("escape")
            await settle(pilot)
            assert "Jump to a bead number" not in screen_text(app)

    run(scenario)


def test_command_palette_runs_an_action_by_name(seeded_store):
    did = doc_id(seeded_store)
    count = len(beads(seeded_store, did))

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"Merge the bead")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await settle(pilot)
            assert len(beads(seeded_store, did)) == count - 1
            assert app.current.shape == "2:0"

    run(scenario)


def test_export_dialog_writes_the_translated_document_as_docx(seeded_store, tmp_path):
    """The dialog offers the translated document too; the DOCX is opened again with python-docx."""
    did = doc_id(seeded_store)
    bead_service.edit_target(seeded_store, beads(seeded_store, did)[1].id, "Dear comrades!")
    out = tmp_path / "doc1.docx"

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            await pilot.press("x")
            await settle(pilot)
            app.screen.query_one("#export-format").value = "docx"
            await settle(pilot)
            path = app.screen.query_one("#export-path")
            assert path.value == "document-i.docx"
            path.value = str(out)
            app.screen.query_one("#export-bilingual").value = True
            await pilot.click("#export-go")
            await settle(pilot)
            assert "Wrote Document I" in screen_text(app)

    run(scenario)
    import docx

    cells = [c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells]
    assert "Dear comrades!" in cells and "Уважаемые товарищи!" in cells


def test_misprints_are_marked_and_one_key_confirms_their_readings(seeded_store):
    """Document I bead 3 prints `совместые` and `окозанию`: marked with their readings; R
    confirms them, the source text stays as printed, and the readings are stored."""
    from tolmach.service.apparatus import find_source_errors

    async def scenario():
        async with opened(seeded_store, (160, 45)) as (app, pilot):
            wb = app.screen
            await pilot.press("down", "down")
            await settle(pilot)
            text = screen_text(app)
            assert "misprints: совместые → совместные; окозанию → оказанию" in text, text
            await pilot.press("R")
            await settle(pilot)
            assert "(read)" in screen_text(app)
            assert "окозанию" in wb.current.source  # the printed text never changes

    run(scenario)
    confirmed = {f.word for f in find_source_errors(seeded_store, "Document I") if f.confirmed}
    assert {"совместые", "окозанию"} <= confirmed


def test_a_save_over_someone_elses_change_is_a_conflict_with_a_choice(seeded_store, monkeypatch):
    """Another person saves bead 2 while it is open here: the save is refused as a conflict
    (bead versions), the typed text stays, and the translator picks mine, theirs or merge."""
    from tolmach.store import open_store
    from tolmach.tui import workbench

    # the once-a-second poll could see ana's change before ctrl+s and take the other path
    # (the view reloads, the typed text stays: test_external_change_*); on a busy machine it did
    monkeypatch.setattr(workbench, "POLL_S", 3600.0)
    did = doc_id(seeded_store)
    other = open_store(seeded_store.url, user="ana")

    async def scenario(choice: str):
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            wb = app.screen
            await pilot.press("down", "enter")
            await pilot.press(*"Dear comrades")
            bead = wb.editor.bead
            bead_service.edit_target(other, bead.id, f"Esteemed comrades ({choice})")  # ana, meanwhile
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "changed by ana meanwhile" in screen_text(app)
            keys = {"mine": "1", "theirs": "2", "merge": "3"}
            await pilot.press(keys[choice])
            await settle(pilot)
            wb.editor.flush_drafts()
            return wb.editor.text

    # the conflict saved the typed text as a draft (a crash in the window loses nothing);
    # settling it by "theirs" or "mine" leaves no draft behind to be offered again later
    text = run(lambda: scenario("theirs"))
    assert text == "Esteemed comrades (theirs)" and beads(seeded_store, did)[1].target == "Esteemed comrades (theirs)"
    assert drafts_in(seeded_store, did) == {}
    text = run(lambda: scenario("mine"))  # typed at the end of the (first) theirs: the cursor opens there
    assert beads(seeded_store, did)[1].target == text == "Esteemed comrades (theirs)Dear comrades"
    assert drafts_in(seeded_store, did) == {}
    other.close()


def test_keep_mine_saves_when_the_poll_catches_up_while_the_conflict_window_is_open(seeded_store, monkeypatch):
    """The once-a-second poll notices ana's save while the conflict window is open (it
    reloads the rows and puts the typed text back on her version): "Keep mine" still saves
    the typed text, and the editor is then based on the saved version (a further save is
    no conflict)."""
    from tolmach.tui import workbench

    monkeypatch.setattr(workbench, "POLL_S", 3600.0)  # the poll is run by hand below, at the worst moment
    did = doc_id(seeded_store)
    other = open_store(seeded_store.url, user="ana")

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            wb = app.screen
            await pilot.press("down", "enter", *"Dear comrades")
            bead_service.edit_target(other, wb.editor.bead.id, "Esteemed comrades")  # ana, meanwhile
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "changed by ana meanwhile" in screen_text(app)
            wb._poll()  # the poll, while the window is open
            assert wb.editor.text == "Dear comrades" and wb.editor.bead.target == "Esteemed comrades"
            await settle(pilot)
            assert "changed by someone else meanwhile" in " | ".join(str(n.message) for n in app._notifications)
            await pilot.press("1")  # keep mine
            await settle(pilot)
            assert beads(seeded_store, did)[1].target == wb.editor.text == "Dear comrades"
            assert wb.editor.bead.version == beads(seeded_store, did)[1].version
            await pilot.press("end", *" and friends", "ctrl+s")
            await settle(pilot)
            assert app.screen is wb and "changed by ana" not in screen_text(app)  # no conflict window this time

    run(scenario)
    assert beads(seeded_store, did)[1].target == "Dear comrades and friends"
    other.close()


def test_alt_s_attaches_sic_to_the_word_at_the_cursor_and_notes_are_shown(seeded_store):
    """Bead 3's English: put the cursor on a word, alt+s: an editorial [sic] note on that word,
    stored on the bead and shown in the source panel."""
    from tolmach.service.notes import notes_for

    did = doc_id(seeded_store)
    third = beads(seeded_store, did)[2]
    bead_service.edit_target(seeded_store, third.id, "Our ambassador reported on the joint measures.")

    async def scenario():
        async with opened(seeded_store, (160, 45)) as (app, pilot):
            wb = app.screen
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            wb.editor.cursor_location = (0, len("Our ambassador reported on the jo"))
            await pilot.press("alt+s")
            await settle(pilot)
            await asyncio.sleep(0.2)
            await settle(pilot)
            assert "notes: editorial [joint]: [sic]" in screen_text(app)

    import asyncio

    run(scenario)
    (note,) = notes_for(seeded_store, beads(seeded_store, did)[2].id)
    assert (note.kind.value, note.anchor, note.text) == ("editorial", "joint", "[sic]")


def test_help_and_palette_show_square_brackets_as_typed(seeded_store):
    """An action's help is plain text: the alt+s line names the note "[sic]", which Rich and
    Textual would read as a style tag and drop ("editorial note ()") if it went in as markup."""

    async def scenario():
        async with opened(seeded_store, (160, 45)) as (app, pilot):
            await pilot.press("f1")
            await settle(pilot)
            assert "editorial note ([sic])" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"editorial")
            await pilot.pause(0.5)
            await settle(pilot)
            assert "editorial note ([sic])" in screen_text(app)

    run(scenario)


def test_the_export_key_names_every_format_the_export_dialog_offers():
    """The help line of x is written by hand; it must not fall behind the formats."""
    from tolmach.interchange.document import DOCUMENT_FORMATS
    from tolmach.interchange.formats import FORMATS
    from tolmach.tui.keys import ACTIONS

    (export,) = [a for a in ACTIONS if a.action == "export"]
    named = {w.strip("(),:").lower() for w in export.help.split()}
    assert set(FORMATS) | set(DOCUMENT_FORMATS) <= named


def test_export_dialog_fits_an_80x24_terminal(seeded_store, tmp_path):
    """At 80x24 every control of the export dialog is on the screen, the Export button too
    (the dialog was 31 rows tall: the buttons were below the last row), and it works there."""
    out = tmp_path / "small.tmx"

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("x")
            await settle(pilot)
            for widget in ("#export-format", "#export-path", "#export-bilingual", "#export-go", "#export-cancel"):
                region = app.screen.query_one(widget).region
                assert region.height > 0 and region.bottom <= 24, (widget, region)
            app.screen.query_one("#export-path").value = str(out)
            await pilot.click("#export-go")
            await settle(pilot)
            assert out.exists()

    run(scenario)


def test_export_to_a_name_too_long_for_the_file_system_is_an_error_in_the_dialog(seeded_store, tmp_path):
    """At 80x24, a file name of 400 bytes (200 Cyrillic letters; the limit is 255): the
    workbench died with OSError 'File name too long' and its traceback; the dialog says it."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / ("ы" * 200 + ".tmx")

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("x")
            await settle(pilot)
            app.screen.query_one("#export-path").value = str(out)
            await pilot.click("#export-go")
            await settle(pilot)
            assert app.is_running
            assert "File name too long" in screen_text(app)
            await pilot.press("escape")

    run(scenario)
    assert not any(folder.iterdir())


def test_export_options_show_their_state_in_text_not_only_colour(seeded_store):
    """A monochrome terminal (NO_COLOR) or a screen reader reads the text: an option that is
    off shows a blank box, one that is on an X (Textual's checkbox drew X for both)."""

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("x")
            await settle(pilot)
            text = screen_text(app)
            assert "▐ ▌ Reviewed beads only" in text and "▐ ▌ Overwrite an existing file" in text
            await pilot.click("#export-reviewed")
            await settle(pilot)
            text = screen_text(app)
            assert "▐X▌ Reviewed beads only" in text and "▐ ▌ Overwrite an existing file" in text
            assert app.screen.query_one("#export-reviewed").value is True

    run(scenario)
