"""Glossary keys typed before a large glossary's terms have arrived, in a real terminal (tmux).

The database holds 20,000 generated terms that have no word index yet (a glossary written by
a Tolmach before the index, or straight into the tables), so the workbench's first look-up
indexes them in a worker, and another process (a ``glossary import`` in the next terminal)
holds the write lock for a few seconds meanwhile: the terms arrive seconds after the keys,
on a quiet machine as on a loaded one.  alt+1 (sent as ESC 1) and ctrl+g 2 are typed in the
middle of a sentence; what follows must appear at once, and each term must land where its
key was pressed, in the autosaved draft (SQLite) and on screen.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from glossary_fixtures import add_unindexed_terms
from tui_terminal import Terminal, draft_rows, hold_write_lock, needs_tmux

pytestmark = needs_tmux

TERMS = 20_000



def unindexed(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT count(*) FROM glossary_entries e WHERE NOT EXISTS (SELECT 1 FROM glossary_keys k WHERE k.entry_id = e.id)"
        ).fetchone()[0]
    finally:
        con.close()


def editor_text(screen: str) -> str:
    """The text in the editor's box (the lowest box on the screen), its wrapped lines joined."""
    rows = screen.splitlines()
    top = max(i for i, r in enumerate(rows) if "╭" in r)
    left = rows[top].index("╭")
    right = rows[top].index("╮", left)
    lines = []
    for r in rows[top + 1 :]:
        if len(r) > left and r[left] == "╰":
            break
        lines.append(r[left + 1 : right].strip())
    return " ".join(line for line in lines if line)


def bead_terms(store, number: int) -> list[str]:
    """The preferred renderings the glossary panel numbers for bead ``number`` of Document I."""
    from tolmach.service.apparatus import hits_for_bead
    from tolmach.service.beads import load_beads
    from tolmach.service.documents import find_document
    from tolmach.tui.panels import unique_hits

    with store.read() as s:
        did = find_document(s, "Document I").id
    return [h.preferred for h in unique_hits(hits_for_bead(store, load_beads(store, did)[number - 1]))]


@pytest.fixture
def big(seeded_store):
    from tolmach.service.glossary import ensure_loaded

    ensure_loaded(seeded_store)  # the bundled glossary first (a database with entries gets none)
    add_unindexed_terms(seeded_store, TERMS)
    seeded_store.engine.dispose()
    return seeded_store


def test_term_keys_typed_before_the_terms_arrive_land_in_place(big):
    db = big.path
    t = Terminal(db)
    locker = None
    try:
        t.start()
        locker = hold_write_lock(db, 4)
        t.keys("Down", "Down", "Enter")
        t.type("He was invited to the ")
        t.keys("M-1")  # alt+1 as terminals send it: ESC 1
        t.type(" and to the ")
        t.keys("C-g")  # the picker, before the terms are known
        t.tmux("send-keys", "-t", "t", "2", " at once.")  # its second term and the words after, in one burst
        # the typing is on screen while the terms are still being looked up
        t.wait_until(lambda: "to the  and to the  at once." in t.screen(), timeout=3, what="the typing on screen")
        assert unindexed(db) > 0, "the look-up finished before the keys: the test proves nothing"
        assert "Looking them up" not in t.screen()  # the picker closed on its digit
        locker.wait(timeout=10)
        t.wait_until(lambda: unindexed(db) == 0, timeout=240, what="the word index built")
        terms = bead_terms(big, 3)
        assert len(terms) >= 2, terms
        first, second = terms[:2]
        expected = f"He was invited to the {first} and to the {second} at once."
        t.wait_until(lambda: [text for _, text in draft_rows(db)] == [expected], timeout=15, what=f"the draft {expected!r}")
        t.wait_until(lambda: editor_text(t.screen()) == expected, timeout=5, what="the text on screen")
    finally:
        if locker is not None and locker.poll() is None:
            locker.kill()
        t.close()
