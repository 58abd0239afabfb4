"""Keys typed faster than the workbench handles them (issues #15/#21): Enter on the bead
list opens the editor, and the English typed right behind it, already queued when the
focus moved, must reach the editor, in order, with the next Enter confirming it."""

from __future__ import annotations

from test_tui_app import doc_id, run
from textual import events
from tui_fixtures import beads, opened, settle


def _typed_at_once(app, *keys: str) -> None:
    """Post the keys to the app in one go, as a terminal delivers a burst (a loaded machine,
    a fast typist, tmux send-keys): none waits for the one before it to be handled."""
    for key in keys:
        char = key if len(key) == 1 else {"space": " "}.get(key)
        app.post_message(events.Key(key, char))


def test_keys_typed_right_behind_enter_reach_the_editor(seeded_store):
    did = doc_id(seeded_store)

    async def scenario():
        async with opened(seeded_store, (120, 40)) as (app, pilot):
            assert app.focused is app.bitext
            first = [("space" if c == " " else c) for c in "To the Executive Committee"]
            second = [("space" if c == " " else c) for c in "Dear comrades!"]
            _typed_at_once(app, "enter", *first, "enter", *second, "ctrl+s")
            await settle(pilot)
            rows = beads(seeded_store, did)
            assert [rows[0].target, rows[1].target] == ["To the Executive Committee", "Dear comrades!"]
            assert app.focused is app.editor
            assert app.current.number == 2

    run(scenario)
