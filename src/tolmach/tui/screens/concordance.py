"""The concordance: how a word or phrase was translated before, across every document
and memory.

Type a query and press Enter; the search runs in a worker and fills a table with the
source and target of every hit side by side, the hit highlighted (Russian words in any
inflected form).  Enter on a bead's row closes the screen with a :class:`JumpTo` result
(document and bead) for the workbench to go to; Esc closes it with None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Select, Static

from tolmach.tui.text import visible
from tolmach.tui.widgets.inputs import SteadyInput
from tolmach.tui.widgets.tick import Tick

from tolmach.errors import TolmachError
from tolmach.store import Store

if TYPE_CHECKING:  # the memory service (rapidfuzz) loads with the first search, in the worker
    from tolmach.service.memory import ConcordanceHit, ConcordanceResult


@dataclass(frozen=True)
class JumpTo:
    document_id: int
    bead_id: int
    number: int


def _jump(h: ConcordanceHit) -> JumpTo | None:
    """Where Enter on a hit goes: a bead's row; a memory unit's row goes nowhere."""
    if h.kind != "bead" or h.document_id is None or h.bead_id is None or h.number is None:
        return None
    return JumpTo(h.document_id, h.bead_id, h.number)


def highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> Text:
    out = Text(visible(" ".join(text.split()) if not spans else text.replace("\r", " ").replace("\n", " ")))
    for s, e in spans:
        out.stylize("bold reverse", s, e)
    return out


HINT = "Enter searches; Enter on a row opens its bead; Esc goes back to the workbench."


class ConcordanceScreen(Screen["JumpTo | None"]):
    """Search every document and memory; jump to a bead."""

    BINDINGS = [Binding("escape", "close", "Close")]

    DEFAULT_CSS = """
    ConcordanceScreen #concordance-bar { height: auto; }
    ConcordanceScreen #concordance-query { width: 1fr; }
    ConcordanceScreen #concordance-side { width: 16; }
    ConcordanceScreen #concordance-regex { width: 14; }
    ConcordanceScreen #concordance-status { height: 1; color: $text-muted; }
    ConcordanceScreen DataTable { height: 1fr; }
    """

    def __init__(self, store: Store, query: str = "", *, limit: int = 200) -> None:
        super().__init__()
        self.store = store
        self.initial = query
        self.limit = limit
        self.rows: list[JumpTo | None] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="concordance-bar"):
                yield SteadyInput(value=self.initial, placeholder="word or phrase (Russian: any form)", id="concordance-query")
                yield Select([("both", "both"), ("source", "source"), ("target", "target")], value="both",
                             allow_blank=False, id="concordance-side")
                yield Tick("regex", id="concordance-regex")
            yield Static(HINT, id="concordance-status")
            yield DataTable(id="concordance-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        # source and target share the width and wrap, so both sides are read in full
        side = max(20, (self.app.size.width - 24) // 2)
        table = self.query_one("#concordance-table", DataTable)
        table.add_column("where", width=16)
        table.add_column("source", width=side)
        table.add_column("target", width=side)
        self.query_one("#concordance-query", Input).focus()
        if self.initial.strip():
            self.run_search()

    @on(Input.Submitted, "#concordance-query")
    def _submitted(self) -> None:
        self.run_search()

    def run_search(self) -> None:
        query = self.query_one("#concordance-query", Input).value
        side = str(self.query_one("#concordance-side", Select).value)
        regex = self.query_one("#concordance-regex", Tick).value
        self.query_one("#concordance-status", Static).update("searching …")
        self._search(query, side, regex)

    @work(thread=True, exclusive=True, group="concordance")
    def _search(self, query: str, side: str, regex: bool) -> None:
        from tolmach.service.memory import search

        try:
            result = search(self.store, query, side=side, regex=regex, limit=self.limit)
        except TolmachError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _failed(self, message: str) -> None:
        self.query_one("#concordance-status", Static).update(Text(message, style="bold red"))

    def _show(self, result: ConcordanceResult) -> None:
        table = self.query_one("#concordance-table", DataTable)
        table.clear()
        self.rows = []
        for h in result.hits:
            where = f"{h.document} #{h.number}" if h.kind == "bead" else f"memory {h.memory}"
            target = highlighted(h.target, h.target_spans) if h.target else Text("(untranslated)", style="dim")
            table.add_row(Text(visible(where), style="dim"), highlighted(h.source, h.source_spans), target, height=None)
            self.rows.append(_jump(h))
        more = " (more exist)" if result.truncated else ""
        self.query_one("#concordance-status", Static).update(Text(visible(f"{len(result.hits)} hit(s){more} for {result.query!r}")))
        if result.hits:
            table.focus()

    @on(DataTable.RowSelected, "#concordance-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        jump = self.rows[event.cursor_row] if 0 <= event.cursor_row < len(self.rows) else None
        if jump is not None:
            self.dismiss(jump)

    def action_close(self) -> None:
        self.dismiss(None)
