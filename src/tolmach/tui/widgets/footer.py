"""The workbench's footer: Textual's, rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` recomposes (removes and mounts a widget per
key, then restyles them) whenever its screen's bindings are updated: on every focus change
and whenever a modal screen opens or closes over the workbench.  Closing the filter picker
at 20,000 beads spent about half of its CPU there (docs/tui.md, "Large documents") for a
footer that shows the same keys as before.  This footer compares what it would show with
what it shows and recomposes only on a difference (the editor taking the focus, say).

The keys that work everywhere (Help, Quit: :data:`tolmach.tui.keys.ACTIONS` with scope "app"
shown in the footer) come first, before the keys of the focused widget, so a narrow terminal
(40, 60 columns) cuts the bead list's keys rather than the ones a newcomer needs most.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tolmach.tui.keys import ACTIONS

#: Shown first, whatever has the focus.
FIRST = frozenset(k for a in ACTIONS if a.scope == "app" and a.footer for k in a.keys.split(","))


def _cells(key: Widget) -> int:
    """The cells a footer key draws (its label with its padding)."""
    shown = key.render()
    return cell_len(shown.plain if isinstance(shown, Text) else str(shown))


class KeysFooter(Footer):
    """A :class:`Footer` that skips rebuilding itself for the same keys."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None
        self._pending = False  # a rebuild is scheduled
        #: how many times the keys were rebuilt (what the tests watch)
        self.rebuilds = 0

    def _keys(self) -> tuple[tuple[str, str, str, bool, str], ...]:
        """What :meth:`Footer.compose` would draw, as plain values."""
        return tuple(
            (b.key, b.action, b.description, enabled, tooltip)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values()
            if b.show or b.key == self.app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        self._pending = False
        if self._bindings_ready:
            self._shown = self._keys()
            self.rebuilds += 1
        keys = list(super().compose())
        first = [w for w in keys if getattr(w, "key", None) in FIRST and not w.has_class("-command-palette")]
        self.call_after_refresh(self._fit)
        return iter(first + [w for w in keys if not any(w is f for f in first)])

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Show the keys that fit whole, in order; a key cut from its label ("r▏") is hidden."""
        palette, room = None, self.size.width
        for w in self.children:
            if w.has_class("-command-palette"):
                palette = w
        if palette is not None:
            room -= palette.outer_size.width or _cells(palette) + 2
        for w in self.children:
            if w is palette or not hasattr(w, "key"):
                continue
            need = _cells(w) + w.styles.margin.left + w.styles.margin.right
            w.display = need <= room
            room = room - need if w.display else 0

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual's rule (rebuild after the next refresh, if the app has the focus), but
        not for the keys already shown, and once for several changes before a rebuild."""
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._pending or self._keys() == self._shown:
            return
        self._pending = True
        self.call_after_refresh(self.recompose)
