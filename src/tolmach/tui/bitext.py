"""The bitext view: one row per bead, Russian left, English right, drawn line by line.

A document may hold 20,000 beads, so the view is a :class:`ScrollView` using Textual's
line API: it keeps the wrapped lines of each bead for the current width and a prefix sum
of row heights, and renders only the terminal lines on screen (``render_line``).
Moving the cursor costs a bisect and a repaint of what is visible, whatever the length.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tolmach.service.beads import LOW_SCORE, BeadView
from tolmach.tui.keys import bindings
from tolmach.tui.text import visible, wrap

#: Status → (marker, component class that colours it).  ``flagged`` wins over status.
MARKERS: dict[str, tuple[str, str]] = {
    "empty": ("·", "bitext--empty"),
    "machine": ("M", "bitext--machine"),
    "imported": ("I", "bitext--imported"),
    "edited": ("E", "bitext--edited"),
    "reviewed": ("✓", "bitext--reviewed"),
    "flagged": ("!", "bitext--flagged"),
}

GUTTER = 7  # "  123 ✓" : bead number and status marker
GAP = 2  # between the two text columns


def marker(bead: BeadView) -> tuple[str, str]:
    return MARKERS.get("flagged" if bead.flagged else bead.status, ("?", "bitext--empty"))


class BitextView(ScrollView, can_focus=True):
    """Bead rows; the app owns the data and decides whether the cursor may move."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        *bindings("bitext"),
    ]

    COMPONENT_CLASSES = {
        "bitext--cursor",
        "bitext--cursor-blurred",
        "bitext--odd",
        "bitext--number",
        "bitext--source",
        "bitext--target",
        "bitext--low",
        *(cls for _, cls in MARKERS.values()),
    }

    DEFAULT_CSS = """
    BitextView { background: $surface; }
    BitextView > .bitext--cursor { background: $accent 40%; }
    BitextView > .bitext--cursor-blurred { background: $accent 20%; }
    BitextView > .bitext--odd { background: $boost; }
    BitextView > .bitext--number { color: $text-muted; }
    BitextView > .bitext--low { color: $error; text-style: bold; }
    BitextView > .bitext--empty { color: $text-muted; }
    BitextView > .bitext--machine { color: $secondary; }
    BitextView > .bitext--imported { color: $primary; }
    BitextView > .bitext--edited { color: $warning; }
    BitextView > .bitext--reviewed { color: $success; }
    BitextView > .bitext--flagged { color: $error; text-style: bold; }
    """

    class CursorMoved(Message):
        """The cursor is on another bead (``index`` into the document's beads), or none."""

        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.beads: list[BeadView] = []
        self.rows: list[int] = []  # indices into ``beads`` that pass the filter
        self.cursor = 0  # index into ``rows``
        self.may_leave: Callable[[], bool] = lambda: True
        self._width = -1
        self._lines: list[tuple[list[str], list[str]]] = []  # per row: wrapped source, target
        self._offsets: list[int] = [0]

    # ------------------------------------------------------------------ data

    def set_beads(self, beads: Sequence[BeadView], rows: Sequence[int] | None = None, *, keep: int | None = None) -> None:
        """Show ``beads`` (only ``rows`` of them, if given) and put the cursor on bead ``keep``."""
        self.beads = list(beads)
        self.rows = list(range(len(self.beads))) if rows is None else list(rows)
        self._width = -1
        self._relayout()
        target = 0
        if keep is not None and self.rows:
            target = min(bisect_right(self.rows, keep) - 1, len(self.rows) - 1)
            target = max(target, 0)
            if self.rows[target] < keep and target + 1 < len(self.rows):
                target += 1
        self.cursor = target
        self._announce()
        self.scroll_to_cursor(animate=False)

    def update_bead(self, index: int, bead: BeadView) -> None:
        """Replace one bead whose source range is unchanged (an edit or status change)."""
        self.beads[index] = bead
        if index in self._row_of():
            row = self._row_of()[index]
            self._lines[row] = self._wrap(bead)
            self._offsets = [0, *accumulate(self._height(r) for r in range(len(self.rows)))]
            self.virtual_size = Size(self.size.width, self._offsets[-1])
        self.refresh()

    def _row_of(self) -> dict[int, int]:
        return {b: r for r, b in enumerate(self.rows)}

    @property
    def current(self) -> int | None:
        """Index into ``beads`` of the bead under the cursor."""
        return self.rows[self.cursor] if self.rows else None

    # ---------------------------------------------------------------- layout

    def _columns(self) -> tuple[int, int]:
        text = max(2, self.scrollable_content_region.width - GUTTER - GAP - 1)
        left = text // 2
        return left, text - left

    def _wrap(self, bead: BeadView, columns: tuple[int, int] | None = None) -> tuple[list[str], list[str]]:
        left, right = columns or self._columns()
        src = wrap(visible(bead.source), left) if bead.sources else ["—"]
        tgt = wrap(visible(bead.target), right)
        return src, tgt

    def _height(self, row: int) -> int:
        src, tgt = self._lines[row]
        bead = self.beads[self.rows[row]]
        return max(len(src), len(tgt), 2 if bead.score is not None else 1)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width == self._width:
            return
        if width < GUTTER + GAP + 4:  # not laid out yet: one line per row until the first resize
            self._width = -1
            self._lines = [([], [])] * len(self.rows)
            self._offsets = list(range(len(self.rows) + 1))
            return
        self._width = width
        columns = self._columns()
        beads = self.beads
        self._lines = [self._wrap(beads[b], columns) for b in self.rows]
        self._offsets = [0, *accumulate(self._height(r) for r in range(len(self.rows)))]
        self.virtual_size = Size(width, self._offsets[-1])
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()
        self.scroll_to_cursor(animate=False)

    # ---------------------------------------------------------------- render

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        vy = y + int(self.scroll_offset.y)
        if not self.rows or vy >= self._offsets[-1]:
            return Strip.blank(width, self.rich_style)
        row = bisect_right(self._offsets, vy) - 1
        k = vy - self._offsets[row]
        bead = self.beads[self.rows[row]]
        src, tgt = self._lines[row]
        left, right = self._columns()

        base = self.rich_style
        if row == self.cursor:
            base = base + self.get_component_rich_style("bitext--cursor" if self.has_focus else "bitext--cursor-blurred")
        elif self.rows[row] % 2:
            base = base + self.get_component_rich_style("bitext--odd")

        if k == 0:
            mark, cls = marker(bead)
            gutter = [
                Segment(f"{self.rows[row] + 1:>5} ", base + self.get_component_rich_style("bitext--number")),
                Segment(mark, base + self.get_component_rich_style(cls)),
            ]
        elif k == 1 and bead.score is not None:
            low = bead.score < LOW_SCORE
            style = base + self.get_component_rich_style("bitext--low" if low else "bitext--number")
            gutter = [Segment(f"{bead.score:>6.2f}"[-6:] + " ", style)]
        else:
            gutter = [Segment(" " * GUTTER, base)]
        s = src[k] if k < len(src) else ""
        t = tgt[k] if k < len(tgt) else ""
        segments = [
            *gutter,
            Segment(" ", base),
            Segment(s, base + self.get_component_rich_style("bitext--source")),
            Segment(" " * (GAP + left - _cells(s)), base),
            Segment(t, base + self.get_component_rich_style("bitext--target")),
        ]
        strip = Strip(segments).adjust_cell_length(width, base)
        return strip

    # -------------------------------------------------------------- movement

    def move_to(self, row: int) -> bool:
        """Put the cursor on row ``row`` if the app lets the current bead go (saved)."""
        if not self.rows:
            return False
        row = max(0, min(row, len(self.rows) - 1))
        if row == self.cursor:
            return True
        if not self.may_leave():
            return False
        old = self.cursor
        self.cursor = row
        self._refresh_row(old)
        self._refresh_row(row)
        self.scroll_to_cursor()
        self._announce()
        return True

    def _refresh_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            top = self._offsets[row] - int(self.scroll_offset.y)
            height = self._offsets[row + 1] - self._offsets[row]
            self.refresh_lines(max(0, top), height)

    def scroll_to_cursor(self, animate: bool = False) -> None:
        if not self.rows:
            return
        top, bottom = self._offsets[self.cursor], self._offsets[self.cursor + 1]
        view = self.scrollable_content_region.height
        y = int(self.scroll_offset.y)
        if top < y:
            self.scroll_to(y=top, animate=animate, immediate=True)
        elif bottom > y + view:
            self.scroll_to(y=max(top, bottom - view), animate=animate, immediate=True)
        self.refresh()

    def _announce(self) -> None:
        self.post_message(self.CursorMoved(self.current))

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        view = max(1, self.scrollable_content_region.height)
        target_y = self._offsets[self.cursor] + direction * view
        row = bisect_right(self._offsets, max(0, target_y)) - 1
        self.move_to(row if row != self.cursor else self.cursor + direction)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def on_click(self, event) -> None:
        vy = event.y + int(self.scroll_offset.y)
        if self.rows and vy < self._offsets[-1]:
            self.move_to(bisect_right(self._offsets, vy) - 1)


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return len(text) if text.isascii() else cell_len(text)
