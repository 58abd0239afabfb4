"""Snapshots of the workbench (pytest-textual-snapshot): the main screen at 160×45 and 80×24.

The database holds the seeds plus one bead of each status, so every marker, the glossary
panel and a QA warning are on screen.  After an intended change of the look, regenerate
with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and inspect the SVGs.
"""

from __future__ import annotations

import pytest
from tui_fixtures import beads

from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadSpec, replace_run
from tolmach.service.documents import find_document
from tolmach.store import Bead
from tolmach.tui.app import TolmachApp


@pytest.fixture
def workbench(seeded_store) -> TolmachApp:
    with seeded_store.read() as s:
        did = find_document(s, "Document I").id
    rows = beads(seeded_store, did)
    bead_service.edit_target(seeded_store, rows[0].id, "To the Executive Committee of the Central Committee of the Romanian Communist Party")
    bead_service.edit_target(seeded_store, rows[1].id, "Dear comrades!")
    bead_service.set_status(seeded_store, rows[1].id, "reviewed")
    bead_service.edit_target(
        seeded_store, rows[2].id,
        "Our ambassador reported that on 22 August he was invited to the CC of the RCP, where Comrade M. Dalea told him of your reaction.",
    )  # fmt: skip
    with seeded_store.transaction() as s:
        old = list(s.query(Bead).filter_by(document_id=did).order_by(Bead.position))[3:5]
        replace_run(
            s, did, old,
            [BeadSpec(3, 5, "You hastily and deeply mistakenly describe the action as an intervention.", "imported", "file:en.txt", 0.34, True)],
            action="align", origin="file:en.txt",
        )  # fmt: skip
    return TolmachApp(seeded_store)


async def on_bead_3(pilot) -> None:
    """Go to bead 3 and let the debounced checks panel catch up (it runs 0.1 s after a move)."""
    await pilot.press("down", "down")
    await pilot.pause(0.4)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_160x45(workbench, snap_compare):
    assert snap_compare(workbench, run_before=on_bead_3, terminal_size=(160, 45))


async def editing_bead_3(pilot) -> None:
    """Editing: the neighbouring beads stay in view above and below the current one."""
    await on_bead_3(pilot)
    await pilot.press("enter")
    await pilot.pause(0.2)


def test_editing_80x24(workbench, snap_compare):
    assert snap_compare(workbench, run_before=editing_bead_3, terminal_size=(80, 24))


def test_main_screen_80x24(workbench, snap_compare):
    assert snap_compare(workbench, run_before=on_bead_3, terminal_size=(80, 24))
