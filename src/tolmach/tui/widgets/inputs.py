"""An input field that draws emoji clusters at Rich's width (``tui/text.py``: steady_strip),
so a query or path with a skin-tone emoji leaves the dialog's border in place."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import Input

from tolmach.tui.text import steady_strip


class SteadyInput(Input):
    def render_line(self, y: int) -> Strip:
        return steady_strip(super().render_line(y))
