"""Cell widths: what Textual lays out and what the terminal draws must agree.

Emoji with skin-tone modifiers, the emoji variation selector (U+FE0F) and zero-width joiners
are measured by Rich one way and drawn by tmux (glibc's ``wcwidth`` per code point) another;
every cell after one was off, borders included (``tui/text.py``).  Checked on the real screen
of tmux (``capture-pane``), cells counted with the C library's ``wcwidth`` as tmux does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import re

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip
from tui_fixtures import opened, screen_text, settle
from tui_terminal import Terminal, needs_tmux

from tolmach.service import beads as bead_service
from tolmach.service.documents import find_document
from tolmach.tui.text import steady, steady_strip, visible, wrap

HOSTILE = [
    "Thumbs 👍🏽 up",  # skin-tone modifier
    "family 👨‍👩‍👧 here",  # ZWJ sequence
    "flag 🇫🇷 and 🏴󠁧󠁢󠁳󠁣󠁴󠁿",  # regional indicators, tag sequence
    "heart ❤️ keycap 1️⃣ smile ☺️",  # VS16
    "coder 👩🏽‍💻 rainbow 🏳️‍🌈",  # modifier and ZWJ together
    "accents é and й̆, 中文 wide",  # combining marks, CJK
    "a\u200db joined",
]
UNSTEADY = re.compile("[\u200d\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")


def test_visible_keeps_length_and_drops_nothing_steady():
    for text in HOSTILE:
        shown = visible(text)
        assert len(shown) == len(text)  # spans (glossary terms, search hits) still index it
        assert not UNSTEADY.search(shown)
    assert visible("Thumbs 👍🏽 up") == "Thumbs 👍\u200b up"
    assert visible("accents é and й̆, 中文 wide") == "accents é and й̆, 中文 wide"  # steady: kept


def test_steady_keeps_richs_width_and_draws_it_safely():
    for text in HOSTILE:
        drawn = steady(text)
        assert cell_len(drawn) == cell_len(text), text
        assert not UNSTEADY.search(drawn)
    assert steady("❤️!") == "❤\u200b !"  # Rich gives the heart 2 cells: the second is a space
    assert steady("👨‍👩‍👧") == "👨\u200b"  # Rich's 2 cells: the first member
    strip = Strip([Segment("I "), Segment("👍", None), Segment("🏽"), Segment(" ok")])  # the cursor splits a cluster
    out = steady_strip(strip)
    assert out.cell_length == strip.cell_length and out.text == "I 👍\u200b ok"


def test_wrap_measures_cyrillic_with_marks_and_wide_characters_by_cells():
    # each word's length in characters equals its cells only on the whole, not word by word
    text = "ab 中中中 e\u0301\u0301\u0301"  # 11 characters, 11 cells
    assert wrap(text, 6) == ["ab", "中中中", "e\u0301\u0301\u0301"]  # not "ab 中中中": 9 cells
    assert wrap("Наш посол «сообщил» — №5", 10) == ["Наш посол", "«сообщил»", "— №5"]


def test_a_stacked_english_line_loses_no_letters_at_80_columns(seeded_store):
    """Stacked rows (80 columns) put "→ " before each line of English; a line wrapped to the
    whole width lost its last two cells ("…aaaaYZ" showed "…aaaa")."""
    with seeded_store.read() as s:
        did = find_document(s, "Document I").id
    first = bead_service.load_beads(seeded_store, did, limit=1)[0]
    bead_service.edit_target(seeded_store, first.id, "a" * 44 + "YZ next")

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await settle(pilot)
            # the bead list's English, left of the side panel
            view = [line.split("│")[0].strip() for line in screen_text(app).splitlines() if line.startswith("        → ")]
            assert view[:2] == ["→ " + "a" * 44, "→ YZ next"], view  # a word longer than the line is cut

    from test_tui_app import run

    run(scenario)


# ------------------------------------------------------------------ real terminal


def _wcwidth():
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.wcwidth.argtypes = [ctypes.c_wchar]
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    return lambda ch: max(0, libc.wcwidth(ch))


def _columns(line: str, ch: str, width) -> list[int]:
    """The cells at which ``ch`` is drawn on a captured line."""
    out, x = [], 0
    for c in line:
        if c == ch:
            out.append(x)
        x += width(c)
    return out


@needs_tmux
@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_emoji_and_graphemes_leave_the_borders_in_place_in_tmux(seeded_store, size):
    with seeded_store.read() as s:
        did = find_document(s, "Document I").id
    rows = bead_service.load_beads(seeded_store, did, limit=len(HOSTILE))
    for bead, text in zip(rows, HOSTILE):
        bead_service.edit_target(seeded_store, bead.id, text)
    bead_service.edit_target(seeded_store, rows[0].id, " ".join(HOSTILE))  # the editor shows all of them
    seeded_store.engine.dispose()
    t = Terminal(seeded_store.path, size=size)
    width = _wcwidth()
    try:
        t.start(wait_for="#1 · ")
        t.keys("Enter")
        t.wait_for("Thumbs")
        t.wait_until(lambda: "╰" in t.screen(), what="the editor's box")
        screen = t.screen()
        body = screen.rstrip("\n").splitlines()[1:-1]  # between the title and the footer
        # the side panel's left border: one column, on every row of the body
        first = _columns(body[0], "│", width)
        assert first, screen
        border = first[-1]
        for line in body:
            assert border in _columns(line, "│", width), f"{line!r} at {size}:\n{screen}"
        # the editor's box: its right edge one column left of the side panel's border
        box = [line for line in body if "╭" in line or "╰" in line]
        assert box and all(_columns(line, "╮" if "╭" in line else "╯", width) == [border - 1] for line in box), screen
        assert not UNSTEADY.search(screen)  # no character whose width the terminal decides
        assert "👍" in screen and "🇫🇷" in screen and "中文" in screen  # shown, not dropped
    finally:
        t.close()


def test_the_search_prompt_draws_an_emoji_query_at_richs_width(seeded_store):
    from textual.widgets import Input

    async def scenario():
        async with opened(seeded_store, (80, 24)) as (app, pilot):
            await pilot.press("slash")
            await settle(pilot)
            field = app.screen.query_one(Input)
            field.value = "coder 👩🏽‍💻 ❤️ end"
            await settle(pilot)
            line = next(line for line in screen_text(app).splitlines() if "coder" in line)
            assert "coder 👩\u200b\u200b ❤\u200b  end" in line and not UNSTEADY.search(line)

    from test_tui_app import run

    run(scenario)

