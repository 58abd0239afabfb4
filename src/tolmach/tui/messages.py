"""Typed messages between the workbench's widgets.

Only what may arrive late goes through the message queue.  What decides where the next key
lands (the cursor moving, Enter confirming, a save replacing the bead) is a direct call
(``BitextView.on_cursor``, ``TargetEditor.on_confirm`` / ``on_saved``): a message would be
handled after keys already queued behind it, and those keys would reach the wrong bead.
"""

from __future__ import annotations

from textual.message import Message

from tolmach.errors import ConflictError


class SaveConflict(Message):
    """Someone else changed the bead since the editor loaded it; both texts are in ``error``."""

    def __init__(self, error: ConflictError) -> None:
        self.error = error
        super().__init__()


class SaveFailed(Message):
    """The editor could not save (``reason`` worded for the translator); the text stays."""

    def __init__(self, bead_id: int, reason: str) -> None:
        self.bead_id = bead_id
        self.reason = reason
        super().__init__()
