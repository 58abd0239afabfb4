"""The Tolmach workbench application: it assembles, the :class:`Workbench` screen works.

The app holds the store, installs the terminal key fixes (:func:`deliver_alt_digits`),
pushes the workbench screen and offers every action in the command palette.  What the
workbench does is described in :mod:`tolmach.tui.workbench`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.markup import escape
from textual.binding import Binding
from textual.screen import Screen

from tolmach.glossary.match import Hit
from tolmach.service.beads import BeadView
from tolmach.service.documents import DocumentSummary
from tolmach.store import Store
from tolmach.tui.bitext import BitextView
from tolmach.tui.editor import TargetEditor
from tolmach.tui.keys import ACTIONS, deliver_alt_digits, display_key
from tolmach.tui.workbench import Workbench


class TolmachApp(App[None]):
    """Translate and review one document at a time; the store is the only state that matters."""

    CSS_PATH = "app.tcss"
    TITLE = "Tolmach"
    #: not a priority binding (Textual's is): quitting must wait for the keys typed before it
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=False)]

    def __init__(self, store: Store, *, document: int | None = None) -> None:
        super().__init__()
        deliver_alt_digits()
        self.store = store
        self._workbench = Workbench(store, document=document)
        #: keys typed behind the one that opened a dialog, held until the dialog has its focus
        self._typed_ahead: deque[events.Key] = deque()
        self._typed_ahead_waits = 0

    def on_mount(self) -> None:
        self.push_screen(self._workbench)

    @property
    def workbench(self) -> Workbench:
        return self._workbench

    # what tests and the palette reach through the app
    @property
    def doc(self) -> DocumentSummary | None:
        return self._workbench.doc

    @property
    def current(self) -> BeadView | None:
        return self._workbench.current

    @property
    def bitext(self) -> BitextView:
        return self._workbench.bitext

    @property
    def editor(self) -> TargetEditor:
        return self._workbench.editor

    @property
    def filter(self) -> str:
        return self._workbench.filter

    @property
    def hits(self) -> list[Hit]:
        return self._workbench.hits

    @property
    def mt_cancel(self) -> threading.Event | None:
        return self._workbench.mt_cancel

    # --- keys that reached a widget after the focus left it (tui/keys.py: hand_on) ---
    #: refreshes to wait for a new dialog to focus its input before delivering anyway
    TYPED_AHEAD_WAITS = 50

    def type_ahead(self, key: events.Key) -> None:
        """Deliver ``key`` where the focus is now: at once, or, while a dialog that has just
        opened has no focused widget yet, once it has one; keys read meanwhile wait behind it."""
        self._typed_ahead.append(events.Key(key.key, key.character))
        if len(self._typed_ahead) == 1:
            self._deliver_typed_ahead()

    def _deliver_typed_ahead(self) -> None:
        waiting = self.screen.focused is None or getattr(self.screen, "closing", False)
        if waiting and self._typed_ahead_waits < self.TYPED_AHEAD_WAITS:
            self._typed_ahead_waits += 1
            self.call_after_refresh(self._deliver_typed_ahead)
            return
        self._typed_ahead_waits = 0
        keys, self._typed_ahead = list(self._typed_ahead), deque()
        for key in keys:
            self.post_message(key)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._typed_ahead:  # read while earlier ones wait for their dialog: behind them
                self._typed_ahead.append(event)
                return
            if getattr(self.screen, "closing", False):  # read behind the key that closed a dialog
                self.type_ahead(event)  # (PickScreen.closing): for the screen under it
                return
        await super().on_event(event)

    async def action_quit(self) -> None:
        self._workbench.action_quit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for a in ACTIONS:
            if a.palette:
                yield SystemCommand(escape(a.help), f"key: {display_key(a.keys)}", getattr(self._workbench, f"action_{a.action}"))


def run_app(store: Store, *, document: int | None = None) -> None:
    """Open the workbench on ``store`` (the CLI has already seeded an empty database)."""
    TolmachApp(store, document=document).run()
