"""The translation-memory panel: the best matches of the current bead.

The workbench calls :meth:`MemoryPanel.show_bead` on every cursor move.  The look-up runs
in a thread worker after a short pause (a held-down arrow key starts none), the newest
bead cancels older look-ups, and a result that arrives for a bead the cursor has left is
dropped, so the cursor never waits for the memory.  Each match shows its percentage, the
TM source with the words that differ from the current source marked, the proposal
(changed numbers substituted, or flagged) and where it comes from.

Choosing a match posts :class:`MemoryPanel.MatchChosen`; the workbench puts the proposal
into the editor.  The keys are in :data:`KEYS` for the workbench's action table (they
must work while the editor has the focus, so the App binds them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from tolmach.service.beads import BeadView
from tolmach.store import Store
from tolmach.tui.text import visible

if TYPE_CHECKING:  # the matching itself (rapidfuzz) loads with the first look-up, in the worker
    from tolmach.memory import Proposal
    from tolmach.service.memory import Provenance

#: (key, method of the panel, help line) for the workbench's action table.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("ctrl+r", "use_selected", "Use the selected memory match as the English of the bead"),
    ("alt+n", "select_next", "Select the next memory match"),
    ("alt+p", "select_previous", "Select the previous memory match"),
)

_DIFF_STYLE = {"same": "", "changed": "bold red", "extra": "red strike", "missing": "green"}


def provenance(p: Proposal) -> Provenance:
    """Where a match comes from (``match_bead`` gives every proposal a :class:`Provenance`)."""
    from tolmach.service.memory import Provenance  # loaded already: the proposal came from there

    assert isinstance(p.provenance, Provenance)
    return p.provenance


def render_matches(proposals: list[Proposal], selected: int, *, pending: bool = False) -> Text:
    """The panel's text (a pure function, so it is tested without an App)."""
    out = Text("Memory", style="bold")
    if pending:
        out.append(" …", style="dim")
    out.append("\n")
    if not proposals:
        out.append("no match of 50% or more" if not pending else "", style="dim")
        return out
    for i, p in enumerate(proposals):
        prov = provenance(p)
        mark = "▶" if i == selected else " "
        when = prov.date.strftime("%Y-%m-%d") if prov.date else "?"
        colour = "green" if p.score == 100 else "yellow" if p.score >= 75 else "red"
        out.append(f"{mark}{p.score:>3}% ", style=f"bold {colour}")
        out.append(visible(f"{prov.label} · {prov.author or '?'} · {when} · {prov.status}") + "\n", style="dim")
        out.append("   ")
        for part in p.diff:
            text = part.text if part.kind != "missing" else f"+{part.text.strip()} "
            out.append(visible(text.replace("\n", " ")), style=_DIFF_STYLE[part.kind])
        out.append("\n   → ")
        out.append(visible(p.target.replace("\n", " ")), style="bold" if i == selected else "")
        out.append("\n")
        for n in p.numbers:
            state = "substituted" if n.substituted else "check it"
            out.append(f"   ! {n.old} → {n.new or '?'} {state}\n", style="yellow")
    return out


class MemoryPanel(Static):
    """Best memory matches of one bead, looked up in a worker."""

    DEFAULT_CSS = """
    MemoryPanel { height: auto; padding: 0 1; }
    """

    #: Seconds the cursor must rest on a bead before the look-up starts.
    DELAY = 0.12

    class MatchChosen(Message):
        """The translator chose a match for a bead."""

        def __init__(self, bead_id: int, proposal: Proposal) -> None:
            super().__init__()
            self.bead_id = bead_id
            self.proposal = proposal

    class MatchesShown(Message):
        """Matches of a bead are on screen (for tests and status lines)."""

        def __init__(self, bead_id: int, count: int) -> None:
            super().__init__()
            self.bead_id = bead_id
            self.count = count

    def __init__(self, store: Store, *, limit: int = 3, id: str | None = None) -> None:
        super().__init__(render_matches([], 0), id=id)
        self.store = store
        self.limit = limit
        self.bead: BeadView | None = None
        self.proposals: list[Proposal] = []
        self.selected = 0
        self._timer: Timer | None = None

    def show_bead(self, bead: BeadView | None) -> None:
        """The cursor is on ``bead``: clear the panel now, look up after a short pause."""
        self.bead = bead
        self.proposals, self.selected = [], 0
        self.update(render_matches([], 0, pending=bead is not None))
        if self._timer is not None:
            self._timer.stop()
        if bead is not None and bead.sources:
            self._timer = self.set_timer(self.DELAY, lambda b=bead: self._lookup(b))

    @work(thread=True, exclusive=True, group="tm-match")
    def _lookup(self, bead: BeadView) -> None:
        from tolmach.errors import TolmachError
        from tolmach.service.memory import match_bead

        try:
            found = match_bead(self.store, bead.id, limit=self.limit)
        except TolmachError:  # a bead merged away meanwhile, a busy database: nothing to show
            found = []
        self.app.call_from_thread(self._show, bead.id, found)

    def _show(self, bead_id: int, proposals: list[Proposal]) -> None:
        if self.bead is None or self.bead.id != bead_id:
            return  # the cursor has moved on
        self.proposals, self.selected = proposals, 0
        self.update(render_matches(proposals, 0))
        self.post_message(self.MatchesShown(bead_id, len(proposals)))

    def select_next(self) -> None:
        if self.proposals:
            self.selected = (self.selected + 1) % len(self.proposals)
            self.update(render_matches(self.proposals, self.selected))

    def select_previous(self) -> None:
        if self.proposals:
            self.selected = (self.selected - 1) % len(self.proposals)
            self.update(render_matches(self.proposals, self.selected))

    def use_selected(self) -> None:
        if self.bead is not None and self.proposals:
            self.post_message(self.MatchChosen(self.bead.id, self.proposals[self.selected]))
