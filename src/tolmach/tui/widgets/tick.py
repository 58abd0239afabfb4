"""A checkbox whose state can be read without colour.

Textual's checkbox always draws an ``X`` and tells on from off by colour alone, so on a
monochrome terminal (``NO_COLOR``), in a screen capture or to a screen reader every box
reads as ticked.  :class:`Tick` draws ``X`` when ticked and a blank when not.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox


class Tick(Checkbox):
    """A :class:`~textual.widgets.Checkbox` showing its state in its text, not only its colour."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = "X" if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
        self.refresh()
