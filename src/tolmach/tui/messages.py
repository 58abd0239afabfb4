"""Typed messages between the workbench's widgets (the editor, the bitext, the pickers)."""

from __future__ import annotations

from textual.message import Message

from tolmach.service.beads import BeadView


class Confirm(Message):
    """Enter (or ctrl+Enter) in the editor: save this bead and go on to the next one."""


class BeadSaved(Message):
    """The editor saved its text as an edit of ``bead`` (the view to show from now on)."""

    def __init__(self, bead: BeadView) -> None:
        self.bead = bead
        super().__init__()


class SaveFailed(Message):
    """The editor could not save (``reason`` worded for the translator); the text stays."""

    def __init__(self, bead_id: int, reason: str) -> None:
        self.bead_id = bead_id
        self.reason = reason
        super().__init__()
