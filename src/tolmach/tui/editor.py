"""The target editor: typing, saving, autosaved drafts, Enter to confirm.

The editor owns what is typed until it is a saved edit:

* :meth:`TargetEditor.save` writes it (``edit_target``, one journalled transaction);
* about :data:`AUTOSAVE_S` after the last keystroke the text goes to the ``drafts`` table
  on a background writer thread (never on the key press, never stalled by a busy
  database), so a terminal killed mid-sentence loses at most that second;
* Enter and ctrl+Enter call ``on_confirm`` (save and go on) instead of inserting a line
  break; pasted line breaks become spaces (a target is one line when stored).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from textual import events
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import TextArea

from tolmach.errors import ConflictError, TolmachError
from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadView
from tolmach.service.drafts import discard_draft, save_draft
from tolmach.service.worklist import single_line
from tolmach.store import Store
from tolmach.tui.keys import focus_left, hand_on
from tolmach.tui.messages import SaveConflict, SaveFailed
from tolmach.tui.text import steady_strip

AUTOSAVE_S = 0.7
CONFIRM_KEYS = {"enter", "ctrl+enter", "ctrl+j", "ctrl+m", "shift+enter"}


class TargetEditor(TextArea):
    """The English of the current bead."""

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False)
        self.store = store
        self.bead: BeadView | None = None
        self._loading = False
        self._timer: Timer | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tolmach-drafts")
        self.drafts_written = 0
        #: Called at once, not through the message queue: the keys typed after Enter or
        #: after a save must reach the editor only once the workbench has acted on them.
        self.on_confirm: Callable[[], None] = lambda: None
        self.on_saved: Callable[[BeadView], None] = lambda bead: None
        #: Workbench keys that work while typing (alt+down, ctrl+s, alt+1 …), run here in
        #: the order they were typed: a binding checked elsewhere could run before the
        #: characters typed ahead of it reach the editor, or after the ones typed behind it.
        self.commands: dict[str, Callable[[], None]] = {}
        #: bead id → (its text, the cursor) when the editor left it: where to put the cursor back
        self._cursors: dict[int, tuple[str, tuple[int, int]]] = {}

    def render_line(self, y: int) -> Strip:
        # emoji modifiers, VS16, ZWJ: drawn at Rich's width, so the border stays put (tui/text.py)
        return steady_strip(super().render_line(y))

    # ------------------------------------------------------------------ state

    def show(self, bead: BeadView | None, text: str | None = None) -> None:
        """Edit ``bead``; ``text`` (a restored draft) instead of its target if given.  The
        cursor goes where it was left on this bead in this session, if its text is the same,
        else to the end (translators go on from the end of a draft, not type before it)."""
        self._cancel_timer()
        if self.bead is not None:  # remembered only where the end would not put it back
            if self.cursor_location != self.document.end:
                self._cursors[self.bead.id] = (self.text, self.cursor_location)
            else:
                self._cursors.pop(self.bead.id, None)
        self.bead = bead
        self._loading = True
        self.load_text(bead.target if text is None and bead else text or "")
        self._loading = False
        self.disabled = bead is None
        if bead is not None:
            left, where = self._cursors.get(bead.id, (None, None))
            self.move_cursor(where if left == self.text and where is not None else self.document.end)

    @property
    def value(self) -> str:
        return single_line(self.text)

    @property
    def dirty(self) -> bool:
        return self.bead is not None and self.value != self.bead.target

    def save(self) -> bool:
        """Write the text to the bead; False (text kept, reason posted) if that failed."""
        bead = self.bead
        if bead is None or not self.dirty:
            return True
        self._cancel_timer()
        text = self.value
        try:
            # based on the version on screen: a change someone made meanwhile is a conflict
            saved = bead_service.edit_target(self.store, bead.id, text, base_version=bead.version)
        except ConflictError as exc:
            self.post_message(SaveConflict(exc))
            self._queue(save_draft, bead.document_id, bead.id, self.text, bead.target)
            return False
        except TolmachError as exc:
            self.post_message(SaveFailed(bead.id, str(exc)))
            self._queue(save_draft, bead.document_id, bead.id, self.text, bead.target)
            return False
        self.bead = saved
        self._queue(discard_draft, bead.id)
        self.on_saved(saved)
        return True

    # --------------------------------------------------------------- autosave

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._loading or self.bead is None:
            return
        self._cancel_timer()
        self._timer = self.set_timer(AUTOSAVE_S, self.write_draft)

    def write_draft(self) -> None:
        """Hand the current text to the background writer as the bead's draft."""
        self._timer = None
        bead = self.bead
        if bead is None:
            return
        if self.dirty:
            self._queue(save_draft, bead.document_id, bead.id, self.text, bead.target)
        else:
            self._queue(discard_draft, bead.id)

    def forget_draft(self, bead_id: int) -> None:
        """Drop the bead's draft (a conflict settled by "mine" or "theirs" leaves none behind)."""
        self._queue(discard_draft, bead_id)

    def _queue(self, fn: Callable[..., object], *args: object) -> None:
        store = self.store

        def run() -> None:
            try:
                fn(store, *args)
                self.drafts_written += 1
            except Exception:  # noqa: BLE001, S110  (a busy or vanished database: the next pause writes again)
                pass

        self._writer.submit(run)

    def flush_drafts(self, timeout: float = 10.0) -> None:
        """Wait for queued draft writes (used at exit and by tests)."""
        self._writer.submit(lambda: None).result(timeout=timeout)

    def on_unmount(self) -> None:
        self._writer.shutdown(wait=True)

    # ------------------------------------------------------------------ keys

    def _command(self, key: str) -> bool:
        """Run the workbench command or the confirm of ``key``; False if it is neither."""
        command = self.commands.get(key)
        if command is not None:
            command()
            return True
        if key in CONFIRM_KEYS:
            self.on_confirm()
            return True
        return False

    def take_key(self, event: events.Key) -> bool:
        """A key typed for the editor that reached another widget's queue first (typed
        right behind the Enter that opened the editor): run or insert it now, in order."""
        if self._command(event.key):
            return True
        if event.is_printable and event.character is not None:
            self.insert(event.character)
            return True
        return False

    async def _on_key(self, event: events.Key) -> None:
        if focus_left(self):  # queued behind the Escape (or key) that moved the focus: not typing
            hand_on(self, event)
            return
        if self._command(event.key):
            event.stop()
            event.prevent_default()
            return
        if event.key in ("tab", "shift+tab"):  # would move the focus, and the typing after it
            event.stop()  # (into the side column, lost, or to the bead list, as commands)
            event.prevent_default()
            self.notify("Tab stays in the editor: Esc goes back to the bead list, alt+↓ saves and moves on.",
                        markup=False, timeout=3)
        # other keys: Textual calls TextArea._on_key next (handlers run along the MRO)

    async def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text or "\r" in event.text:
            event.stop()
            event.prevent_default()
            self.insert(single_line(event.text))
