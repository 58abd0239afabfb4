"""The workbench in a real terminal (tmux): keys as terminals send them, kill -9, a busy database.

The Textual pilot skips the terminal's byte stream, so alt+digit arriving as ESC+digit,
Cyrillic letters from a Russian layout and a killed terminal can only be tested here.
"""

from __future__ import annotations

import re
import time

import pytest
from tui_terminal import Terminal, bead_rows, draft_rows, hold_write_lock, needs_tmux

pytestmark = needs_tmux


@pytest.fixture
def term(seeded_store):
    seeded_store.engine.dispose()
    t = Terminal(seeded_store.path)
    yield t
    t.close()


def test_alt_digit_and_ctrl_g_insert_glossary_terms(term):
    term.start()
    term.keys("Down", "Down", "Enter")
    term.type("He was invited to the ")
    term.wait_for("ЦК РКП")
    # the glossary panel numbers the terms; find the number of ЦК РКП
    n = term.wait_until(lambda: re.search(r"alt\+(\d) ЦК РКП", term.screen()), what="the glossary panel").group(1)
    term.keys(f"M-{n}")  # what tmux (and xterm, GNOME Terminal, Konsole) send for alt+N: ESC N
    term.type(" and to the ")
    term.keys("C-g", n)  # the picker: a plain control byte every terminal delivers, then N
    term.keys("M-Down")
    term.wait_until(lambda: bead_rows(term.db)[2][2], what="bead 3 saved")
    target = bead_rows(term.db)[2][2]
    assert target == "He was invited to the Central Committee of the RCP and to the Central Committee of the RCP"
    assert not set("¡™£¢∞§¶•ª") & set(target)


def test_cyrillic_layout_keys_work(term):
    """ЙЦУКЕН: о/л move (j/k), у edits (e), к reviews (r), г undoes (u), а opens the filter (f)."""
    term.start()
    term.keys("о", "о")  # j j: down twice
    term.keys("у")  # e: edit
    term.type("Our ambassador reported")
    term.keys("Escape")
    term.wait_until(lambda: bead_rows(term.db)[2][2] == "Our ambassador reported", what="bead 3 saved")
    term.wait_for("⏎ Edit")  # the bead list has the keys again
    term.keys("л")  # k: back up to bead 2
    term.keys("о")  # j: down to bead 3
    term.keys("к")  # r: reviewed, moves on
    term.wait_until(lambda: bead_rows(term.db)[2][1] == "reviewed", what="bead 3 reviewed")
    term.keys("л")  # back to bead 3
    term.keys("г")  # u: undo the review
    term.wait_until(lambda: bead_rows(term.db)[2][1] == "edited", what="review undone")
    term.wait_for("Undid the status change of bead 3")
    term.keys("а")  # f: the filter picker
    term.wait_for("Show which beads?")
    term.keys("2")
    term.wait_for("filter: empty")


def test_enter_confirms_and_moves_on_without_line_breaks(term):
    term.start()
    term.keys("Enter")
    term.type("To the Executive Committee")
    term.keys("Enter")  # saves, next bead, still typing
    term.type("Dear comrades!")
    term.keys("C-s")
    term.wait_until(lambda: bead_rows(term.db)[1][2] == "Dear comrades!", what="bead 2 saved")
    rows = bead_rows(term.db)
    assert rows[0][2] == "To the Executive Committee"
    assert not any("\n" in r[2] for r in rows)


def test_text_typed_in_the_same_burst_as_enter_reaches_the_editor(term):
    """Enter and the English arrive in one read (a loaded machine, a fast typist): the
    English must not be lost on the way from the bead list to the editor (#15/#21)."""
    term.start()
    term.tmux("send-keys", "-t", "t", "Enter", "To the Executive Committee", "Enter", "Dear comrades!", "C-s")
    term.wait_until(lambda: bead_rows(term.db)[1][2] == "Dear comrades!", what="bead 2 saved")
    assert [r[2] for r in bead_rows(term.db)[:2]] == ["To the Executive Committee", "Dear comrades!"]


def test_drafts_survive_kill_9(term):
    """Typed text reaches the database within about a second; kill -9; reopen: it is back."""
    term.start()
    term.keys("Down", "Down", "Enter")
    text = "Our ambassador reported that on 21 August he was"
    term.type(text)
    time.sleep(1.8)  # ~1 s after the last keystroke the draft is written
    term.kill9()
    drafts = draft_rows(term.db)
    assert [t for _, t in drafts] == [text]
    assert bead_rows(term.db)[2][2] == ""  # a draft, not a saved edit
    term.close()

    again = Terminal(term.db)
    try:
        again.start()
        again.keys("Down", "Down")
        again.wait_for("your unsaved draft is back")
        again.wait_for(text)  # in the editor
        again.keys("Enter", "End")  # into the editor, at the end of the restored text
        again.type(" invited.")
        again.keys("M-Down")
        again.wait_until(lambda: bead_rows(term.db)[2][2] == text + " invited.", what="draft saved as an edit")
        again.wait_until(lambda: not draft_rows(term.db), what="draft discarded after the save")
    finally:
        again.close()


def test_alt_down_on_the_last_bead_saves(term):
    term.start()
    term.keys("End", "Enter")
    term.type("The last sentence.")
    term.keys("M-Down")
    term.wait_until(lambda: bead_rows(term.db)[-1][2] == "The last sentence.", what="last bead saved")


def test_type_ahead_with_a_locked_database_loses_nothing(term):
    """Keys sent faster than saves, while another process holds the write lock for 2 s:
    every character lands on the bead it was typed for, none is lost or duplicated."""
    term.start()
    term.keys("Down", "Down", "Enter")
    texts = [f"Sentence {i} typed ahead, with ЁжЫ and 21 August." for i in range(3, 9)]
    locker = hold_write_lock(term.db, 2.0)
    for t in texts:  # no pauses: all of it is in the terminal's input before the first save ends
        term.type(t)
        term.keys("M-Down", pause=0)
    locker.wait(timeout=10)
    term.wait_until(lambda: bead_rows(term.db)[2 + len(texts) - 1][2] == texts[-1] or None, timeout=20, what="all saved")
    rows = bead_rows(term.db)
    assert [r[2] for r in rows[2 : 2 + len(texts)]] == texts
    assert rows[2 + len(texts)][2] == ""  # nothing spilled onto the bead after


def test_a_query_typed_with_the_key_that_opens_the_concordance_reaches_it(term):
    """A busy moment (here the program is stopped, as a loaded machine stops it for a while)
    and C with the query arrive together: the query's keys are queued at the bead list before
    the dialog opens; they must reach the dialog's input, not be lost."""
    import os
    import signal

    term.start()
    for _ in range(3):  # how Textual interleaves the app's and the bead list's queues varies
        os.kill(term.pid, signal.SIGSTOP)
        try:
            term.type("CВаршавский договор\r")
            time.sleep(0.3)
        finally:
            os.kill(term.pid, signal.SIGCONT)
        term.wait_for("1 hit(s) for 'Варшавский договор'")
        term.keys("Escape")
        term.wait_until(lambda: "hit(s) for" not in term.screen(), what="the concordance closed")
        time.sleep(0.3)


def test_misprint_readings_and_sic_through_a_real_terminal(term):
    """Bead 3 prints `окозанию`: shown with its reading; R (shift+r) confirms it; alt+s (ESC s,
    as terminals send it) puts [sic] on the English word at the cursor."""
    import sqlite3

    term.start()
    term.keys("Down", "Down")
    term.wait_for("окозанию →")
    term.keys("R")
    term.wait_until(
        lambda: sqlite3.connect(term.db).execute("SELECT count(*) FROM readings").fetchone()[0] >= 2,
        what="readings confirmed",
    )
    term.keys("Enter")
    term.type("The joint measures")
    term.keys("Left", "Left", "Left")  # the cursor inside "measures"
    term.keys("M-s")
    term.wait_until(
        lambda: sqlite3.connect(term.db).execute("SELECT anchor, text FROM notes").fetchall() == [("measures", "[sic]")],
        what="[sic] attached",
    )
    assert bead_rows(term.db)[2][2] == "The joint measures"  # saved first, no 's' typed


def test_memory_match_and_concordance_through_a_real_terminal(seeded_store):
    """Document II translated by hand; on Document I's archival reference (bead 34) ctrl+r
    puts the memory's match into the editor; C opens the concordance on an inflected form."""
    from memory_fixtures import DOCUMENT_II_EN, translate_by_hand

    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN)
    seeded_store.engine.dispose()
    t = Terminal(seeded_store.path)
    try:
        t.start()
        t.keys("End")
        # the memory panel, after the cursor rests (the match's line may wrap in a narrow panel)
        t.wait_until(lambda: re.search(r"\d+% Document II", t.screen()), what="the memory panel's match")
        t.keys("C-r")
        t.keys("M-Down")  # save and move on
        t.wait_until(lambda: bead_rows(t.db)[-1][2].startswith("(DANIC"), what="match used and saved")
        t.keys("Escape")  # back to the bead list (alt+down keeps the editor)
        # a lone ESC: a key read together with it arrives as alt+key, as in any terminal, so
        # wait until the bead list has the keys (its footer offers Enter to edit)
        t.wait_for("⏎ Edit")
        time.sleep(0.3)
        t.keys("C")
        t.type("Варшавский договор")
        t.keys("Enter")
        t.wait_for("Варшавского Договора")
    finally:
        t.close()


def test_filter_picker_and_footer_at_80x24(seeded_store):
    """At 80×24 in a real terminal: the filter picker opens and closes on real keys, the
    footer keeps Help and Quit, loses the bead list's keys while typing and gets them back
    (the footer is rebuilt only when its keys change: tui/widgets/footer.py)."""
    seeded_store.engine.dispose()
    t = Terminal(seeded_store.path, size=(80, 24))
    try:
        t.start()
        footer = lambda: t.screen().rstrip("\n").splitlines()[-1]  # noqa: E731
        assert "Help" in footer() and "Quit" in footer() and "Filter" in footer()
        t.keys("f")
        t.wait_for("Show which beads?")
        t.keys("2")
        t.wait_for("filter: empty")
        assert "Show which beads?" not in t.screen()
        assert "Help" in footer() and "Quit" in footer() and "Filter" in footer()
        t.keys("Enter")  # the editor: the bead list's keys leave the footer
        t.wait_until(lambda: "Filter" not in footer(), what="the editor's footer")
        assert "Help" in footer() and "Quit" in footer()
        t.keys("Escape")
        t.wait_until(lambda: "Filter" in footer(), what="the bead list's footer again")
        t.keys("f", "1")
        t.wait_for("filter: all")
    finally:
        t.close()
