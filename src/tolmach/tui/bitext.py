"""The bitext view: one row per bead, Russian left, English right, drawn line by line.

A document may hold 20,000 beads, so the view is a :class:`ScrollView` using Textual's
line API: it keeps the wrapped lines of each row for the current width and a prefix sum
of row heights, and renders only the terminal lines on screen (``render_line``).
Moving the cursor costs a bisect and a repaint of what is visible, whatever the length;
a structure edit (merge, split, sentence move, undo) splices the affected rows
(:meth:`BitextView.splice`) instead of rebuilding the document.

The view owns the cursor; whether it may leave the current bead (the editor's text was
saved) is asked through ``may_leave``.  When the text columns would be narrower than
:data:`MIN_COLUMN` cells the rows are stacked (Russian above, English below, full width),
so a narrow terminal never squeezes the text into a few characters.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tolmach.model import BeadStatus
from tolmach.service.beads import LOW_SCORE, BeadView
from tolmach.tui.keys import bindings, cyrillic_bindings, hand_on
from tolmach.tui.text import visible, wrap

#: Status → (marker, component class that colours it).  ``flagged`` wins over status.
#: Every status of the vocabulary has one (a test checks).
MARKERS: dict[str, tuple[str, str]] = {
    BeadStatus.EMPTY: ("·", "bitext--empty"),
    BeadStatus.MACHINE: ("M", "bitext--machine"),
    BeadStatus.IMPORTED: ("I", "bitext--imported"),
    BeadStatus.TM: ("T", "bitext--tm"),
    BeadStatus.EDITED: ("E", "bitext--edited"),
    BeadStatus.REVIEWED: ("✓", "bitext--reviewed"),
    "flagged": ("!", "bitext--flagged"),
}

GUTTER = 7  # "  123 ✓" : bead number and status marker
GAP = 2  # between the two text columns
MIN_COLUMN = 24  # narrower text columns than this: stack source above target
ARROW = "→ "  # before each line of English when stacked


def marker(bead: BeadView) -> tuple[str, str]:
    return MARKERS.get("flagged" if bead.flagged else bead.status, ("?", "bitext--empty"))


_MOVE_BINDINGS = [
    Binding("up,k", "move(-1)", "Up", show=False),
    Binding("down,j", "move(1)", "Down", show=False),
    Binding("pageup", "page(-1)", show=False),
    Binding("pagedown", "page(1)", show=False),
    Binding("home", "first", show=False),
    Binding("end", "last", show=False),
]


class BitextView(ScrollView, can_focus=True):
    """Bead rows; the workbench owns the data and decides whether the cursor may move."""

    BINDINGS = [*_MOVE_BINDINGS, *bindings("bitext"), *cyrillic_bindings([*_MOVE_BINDINGS, *bindings("bitext")])]

    COMPONENT_CLASSES = {
        "bitext--cursor",
        "bitext--cursor-blurred",
        "bitext--odd",
        "bitext--number",
        "bitext--source",
        "bitext--target",
        "bitext--low",
        "bitext--hit",
        *(cls for _, cls in MARKERS.values()),
    }

    DEFAULT_CSS = """
    BitextView { background: $surface; scrollbar-gutter: stable; overflow-x: hidden; overflow-y: auto; }
    BitextView > .bitext--cursor { background: $accent 45%; }
    BitextView > .bitext--cursor-blurred { background: $accent 25%; }
    BitextView > .bitext--odd { background: $boost; }
    BitextView > .bitext--number { color: $text-muted; }
    BitextView > .bitext--low { color: $error; text-style: bold; }
    BitextView > .bitext--hit { background: $warning 60%; color: $text; text-style: bold; }
    BitextView > .bitext--empty { color: $text-muted; }
    BitextView > .bitext--machine { color: $secondary; }
    BitextView > .bitext--imported { color: $primary; }
    BitextView > .bitext--tm { color: $accent; }
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
        #: called at once (not through the message queue) when the cursor changes bead, so
        #: a key typed right after a move can never reach the editor before the new bead
        self.on_cursor: Callable[[int | None], None] | None = None
        #: called before the cursor goes to the last row: the workbench reads the rest of a
        #: document it showed the first screen of
        self.need_more: Callable[[], None] | None = None
        self.search = ""  # highlighted (case-insensitive) in both columns
        self._width = -1
        self._stacked = False
        self._cols = (1, 1)  # text column widths at this width
        #: per bead, at this width: its wrapped lines (None: not wrapped yet, only rows near
        #: the viewport are) and its row height (> 0 exact, < 0 minus an estimate, 0 none yet)
        self._cache: list[tuple[list[str], list[str]] | None] = []
        self._hb: list[int] = []
        self._heights: list[int] = []  # per row
        self._offsets: list[int] = [0]  # prefix sums of the row heights
        self._settle_pending = False

    # ------------------------------------------------------------------ data

    def set_beads(
        self, beads: Sequence[BeadView], rows: Sequence[int] | None = None, *, keep: int | None = None, reuse: bool = False
    ) -> None:
        """Show ``beads`` (only ``rows`` of them, if given) and put the cursor on bead ``keep``;
        with ``reuse``, beads that are the very objects shown before keep their wrapped lines
        (another process changed a few rows)."""
        previous = self.beads
        self.beads = list(beads)
        if reuse and self._width > 0:
            known = {id(b): (lines, h) for b, lines, h in zip(previous, self._cache, self._hb)}
            kept = [known.get(id(b), (None, 0)) for b in self.beads]
            self._cache = [lines for lines, _ in kept]
            self._hb = [h for _, h in kept]
        else:
            self._cache = [None] * len(self.beads)
            self._hb = [0] * len(self.beads)
            self._width = -1
        self.set_rows(rows, keep=keep)

    def set_rows(self, rows: Sequence[int] | None = None, *, keep: int | None = None) -> None:
        """Show only ``rows`` (indices into the beads) and put the cursor on bead ``keep``
        (a filter: rows already wrapped at this width are not wrapped again)."""
        self.rows = list(range(len(self.beads))) if rows is None else list(rows)
        if self._width > 0:
            self._layout_rows()
        else:
            self._relayout()
        self.cursor = self._row_near(keep)
        self._announce()
        self.scroll_to_cursor(animate=False)

    def _row_near(self, keep: int | None) -> int:
        """The row of bead ``keep``, or of the first shown bead after it."""
        if keep is None or not self.rows:
            return 0
        target = max(min(bisect_right(self.rows, keep) - 1, len(self.rows) - 1), 0)
        if self.rows[target] < keep and target + 1 < len(self.rows):
            target += 1
        return target

    def extend(self, beads: Sequence[BeadView], rows: Sequence[int] | None = None) -> None:
        """Append ``beads`` (the rest of the document) and, of them, ``rows`` (indices into
        all beads; None: every one); the cursor and what is on screen stay."""
        n = len(self.beads)
        self.beads.extend(beads)
        self._cache.extend([None] * len(beads))
        self._hb.extend([0] * len(beads))
        added = list(range(n, len(self.beads))) if rows is None else list(rows)
        self.rows.extend(added)
        if self._width > 0:
            heights = [self._row_height(b) for b in added]
            self._heights.extend(heights)
            self._offsets.extend(list(accumulate(heights, initial=self._offsets[-1]))[1:])
            self._set_height(self._offsets[-1])
        else:
            self._heights = [1] * len(self.rows)
            self._offsets = list(range(len(self.rows) + 1))
        self.refresh()

    def update_bead(self, index: int, bead: BeadView) -> None:
        """Replace one bead whose source range is unchanged (an edit or status change)."""
        self.beads[index] = bead
        self._cache[index] = None
        self._hb[index] = 0
        row = self.row_of(index)
        if row is not None and self._width > 0:
            self._measure(row, row + 1)
        self.refresh()

    def splice(self, start: int, count: int, new: Sequence[BeadView], rows: Sequence[int] | None = None, *, keep: int | None = None) -> None:
        """Replace beads ``start … start+count-1`` with ``new`` (a structure edit); only the
        new rows are measured again; ``rows`` is the new filter result (None: every bead)."""
        self.beads[start : start + count] = new
        self._cache[start : start + count] = [None] * len(new)
        self._hb[start : start + count] = [0] * len(new)
        delta = len(new) - count
        old_rows = self.rows
        everything = rows is None and len(old_rows) == len(self.beads) - delta  # no filter, before and after
        if everything:  # rows are 0..n-1: only their number changes (no list of 20,000 rebuilt)
            lo, hi, new_lo, new_hi = start, start + count, start, start + len(new)
            if delta > 0:
                old_rows.extend(range(len(old_rows), len(self.beads)))
            else:
                del old_rows[len(self.beads) :]
        else:
            self.rows = list(range(len(self.beads))) if rows is None else list(rows)
            lo = bisect_right(old_rows, start - 1)
            hi = bisect_right(old_rows, start + count - 1)
            new_lo = bisect_right(self.rows, start - 1)
            new_hi = bisect_right(self.rows, start + len(new) - 1)
        if self._width > 0:
            # rows before the run keep their heights; rows after it keep them shifted by delta
            same_tail = everything or (
                old_rows[:lo] == self.rows[:new_lo] and [b + delta for b in old_rows[hi:]] == self.rows[new_hi:]
            )
            if same_tail:
                heights = [self._row_height(b) for b in self.rows[new_lo:new_hi]]
                offsets = list(accumulate(heights, initial=self._offsets[lo]))
                self._heights[lo:hi] = heights
                if offsets[-1] == self._offsets[hi]:  # the same height in all: later offsets stand
                    self._offsets[lo : hi + 1] = offsets
                else:
                    self._reoffset(new_lo)
            else:  # the filter result changed elsewhere too: lay the rows out again (cached)
                self._layout_rows()
        self.cursor = self._row_near(keep)
        self._announce()
        self.scroll_to_cursor(animate=False)
        self.refresh()

    def _reoffset(self, row: int = 0) -> None:
        self._offsets[row + 1 :] = list(accumulate(self._heights[row:], initial=self._offsets[row]))[1:]
        self._set_height(self._offsets[-1])

    def _set_height(self, height: int) -> None:
        """The scrollable height.  While the vertical scrollbar stays (the rows overflow the
        view before and after), only this widget and its scrollbar are updated: setting
        ``virtual_size`` lays the whole screen out again, a third of a merge's time at
        20,000 beads."""
        size = Size(0, height)
        view = self.scrollable_content_region.height
        if size == self.virtual_size:
            return
        if self.virtual_size.height > view and height > view and self.show_vertical_scrollbar:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)  # Textual's own update of the scrollbars (as on a resize)
            self.refresh()
        else:
            self.virtual_size = size

    def row_of(self, index: int) -> int | None:
        """The row showing bead ``index`` (None if the filter hides it)."""
        k = bisect_right(self.rows, index) - 1
        return k if k >= 0 and self.rows[k] == index else None

    @property
    def current(self) -> int | None:
        """Index into ``beads`` of the bead under the cursor."""
        return self.rows[self.cursor] if self.rows else None

    # ---------------------------------------------------------------- layout

    def _columns(self) -> tuple[int, int]:
        text = max(2, self.scrollable_content_region.width - GUTTER - GAP - 1)
        if text // 2 < MIN_COLUMN:
            return text + GAP, text + GAP - len(ARROW)  # stacked: the whole width (the English after its arrow)
        left = text // 2
        return left, text - left

    def _wrap(self, bead: BeadView, columns: tuple[int, int] | None = None) -> tuple[list[str], list[str]]:
        left, right = columns or self._cols
        src = wrap(visible(bead.source), left) if bead.sources else ["—"]
        tgt = wrap(visible(bead.target), right) if bead.target or not self._stacked else []
        return src, tgt

    def _lines_of(self, index: int) -> tuple[list[str], list[str]]:
        """Bead ``index`` wrapped at this width (wrapped now if it was not yet)."""
        lines = self._cache[index]
        if lines is None:
            lines = self._cache[index] = self._wrap(self.beads[index], self._cols)
        return lines

    def _exact_height(self, index: int) -> int:
        src, tgt = self._lines_of(index)
        if self._stacked:
            return max(len(src) + max(len(tgt), 1), 2)
        return max(len(src), len(tgt), 2 if self.beads[index].score is not None else 1)

    def _estimate(self, index: int) -> int:
        """A row height without wrapping: the text length over the column width (a word
        wrap needs a few more cells per line than that)."""
        bead = self.beads[index]
        left, right = self._cols
        ls = sum(map(len, bead.sources)) + len(bead.sources) - 1 if bead.sources else 1
        lt = len(bead.target)
        ls, lt = ls + ls // 10, lt + lt // 10
        if self._stacked:
            return max(-(-ls // left) + max(-(-lt // right), 1), 2)
        return max(-(-ls // left), -(-lt // right), 2 if bead.score is not None else 1)

    def _row_height(self, index: int) -> int:
        """Bead ``index``'s height as known (exact if measured, else estimated once)."""
        h = self._hb[index]
        if not h:
            h = self._hb[index] = -self._estimate(index)
        return abs(h)

    def _measure(self, lo: int, hi: int) -> bool:
        """Wrap rows ``lo … hi-1`` not wrapped yet and put their exact heights in place of
        the estimates; True if a height changed (the offsets after it are recomputed)."""
        if self._width <= 0 or not self.rows:
            return False
        first = None
        rows, hb, heights = self.rows, self._hb, self._heights
        for r in range(max(lo, 0), min(hi, len(rows))):
            b = rows[r]
            if hb[b] <= 0:
                h = hb[b] = self._exact_height(b)
                if h != heights[r]:
                    heights[r] = h
                    first = r if first is None else first
        if first is None:
            return False
        self._reoffset(first)
        return True

    def _visible_rows(self, y: int | None = None) -> tuple[int, int]:
        """The rows on screen when scrolled to ``y`` (first, last + 1)."""
        y = int(self.scroll_offset.y) if y is None else y
        view = max(1, self.scrollable_content_region.height)
        first = max(bisect_right(self._offsets, y) - 1, 0)
        return first, bisect_right(self._offsets, y + view - 1)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width == self._width:
            return
        if width < GUTTER + GAP + 4:  # not laid out yet: one line per row until the first resize
            self._width = -1
            self._heights = [1] * len(self.rows)
            self._offsets = list(range(len(self.rows) + 1))
            return
        self._width = width
        self._stacked = (width - GUTTER - GAP - 1) // 2 < MIN_COLUMN
        self._cols = self._columns()
        self._cache = [None] * len(self.beads)
        self._hb = [0] * len(self.beads)
        self._layout_rows()

    def _layout_rows(self) -> None:
        """Heights of the shown rows: known ones kept, the others estimated (not wrapped)."""
        height = self._row_height
        self._heights = [height(b) for b in self.rows]
        self._offsets = [0]
        self._reoffset(0)
        self._measure(*self._visible_rows())
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()
        self.scroll_to_cursor(animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # rows scrolled into view are wrapped before they are drawn (the mouse, the scrollbar)
        self._measure(*self._visible_rows(int(new_value)))
        super().watch_scroll_y(old_value, new_value)

    def _settle(self) -> None:
        """Rows drawn with an estimated height get their exact one (drawn again)."""
        self._settle_pending = False
        if self._measure(*self._visible_rows()):
            self.refresh()

    # ---------------------------------------------------------------- render

    def _highlight(self, text: str, style: Style, hit: Style) -> list[Segment]:
        if not self.search or not text:
            return [Segment(text, style)]
        folded, needle = text.casefold(), self.search.casefold()
        if len(folded) != len(text) or needle not in folded:
            return [Segment(text, style)]
        out, pos = [], 0
        while (found := folded.find(needle, pos)) >= 0:
            if found > pos:
                out.append(Segment(text[pos:found], style))
            out.append(Segment(text[found : found + len(needle)], style + hit))
            pos = found + len(needle)
        if pos < len(text):
            out.append(Segment(text[pos:], style))
        return out

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        vy = y + int(self.scroll_offset.y)
        if not self.rows or vy >= self._offsets[-1]:
            return Strip.blank(width, self.rich_style)
        row = bisect_right(self._offsets, vy) - 1
        k = vy - self._offsets[row]
        index = self.rows[row]
        bead = self.beads[index]
        if self._width <= 0:
            return Strip.blank(width, self.rich_style)
        if self._hb[index] <= 0:
            if not self._settle_pending:  # drawn at its estimated height until the next frame
                self._settle_pending = True
                self.call_after_refresh(self._settle)
        src, tgt = self._lines_of(index)
        left = self._cols[0]
        part = self.get_component_rich_style

        base = self.rich_style
        if row == self.cursor:
            base = base + part("bitext--cursor" if self.has_focus else "bitext--cursor-blurred")
        elif self.rows[row] % 2:
            base = base + part("bitext--odd")
        hit = part("bitext--hit", partial=True)

        if k == 0:
            mark, cls = marker(bead)
            gutter = [
                Segment(f"{self.rows[row] + 1:>5} ", base + part("bitext--number", partial=True)),
                Segment(mark, base + part(cls, partial=True)),
            ]
        elif k == 1 and bead.score is not None:
            low = bead.score < LOW_SCORE
            gutter = [Segment(f"{bead.score:>6.2f}"[-6:] + " ", base + part("bitext--low" if low else "bitext--number", partial=True))]
        else:
            gutter = [Segment(" " * GUTTER, base)]
        src_style = base + part("bitext--source", partial=True)
        tgt_style = base + part("bitext--target", partial=True)
        if self._stacked:
            if k < len(src):
                body = self._highlight(src[k], src_style, hit)
            else:
                j = k - len(src)
                body = [Segment(ARROW, base + part("bitext--number", partial=True)), *self._highlight(tgt[j] if j < len(tgt) else "", tgt_style, hit)]
            segments = [*gutter, Segment(" ", base), *body]
        else:
            s = src[k] if k < len(src) else ""
            t = tgt[k] if k < len(tgt) else ""
            segments = [
                *gutter,
                Segment(" ", base),
                *self._highlight(s, src_style, hit),
                Segment(" " * (GAP + left - _cells(s)), base),
                *self._highlight(t, tgt_style, hit),
            ]
        return Strip(segments).adjust_cell_length(width, base)

    # -------------------------------------------------------------- movement

    def move_to(self, row: int) -> bool:
        """Put the cursor on row ``row`` if the workbench lets the current bead go (saved)."""
        if not self.rows:
            return False
        if row >= len(self.rows) - 1 and self.need_more is not None:
            self.need_more()
        row = max(0, min(row, len(self.rows) - 1))
        if row == self.cursor:
            return self.may_leave()  # nothing to move to, but the text is saved all the same
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
        if 0 <= row < len(self.rows) and row + 1 < len(self._offsets):
            top = self._offsets[row] - int(self.scroll_offset.y)
            height = self._offsets[row + 1] - self._offsets[row]
            self.refresh_lines(max(0, top), height)

    def scroll_to_cursor(self, animate: bool = False) -> None:
        """Keep the current row in view with a neighbour above and below it when they fit."""
        if not self.rows or self.cursor + 1 >= len(self._offsets):
            return
        view = max(1, self.scrollable_content_region.height)
        self._measure(self.cursor - view, self.cursor + view + 1)  # every row that can share the screen with it
        top, bottom = self._offsets[self.cursor], self._offsets[self.cursor + 1]
        above = self._offsets[max(self.cursor - 1, 0)]
        below = self._offsets[min(self.cursor + 2, len(self.rows))]
        lo, hi = (above, below) if below - above <= view else (top, min(bottom, top + view))
        y = int(self.scroll_offset.y)
        if lo < y:
            self.scroll_to(y=lo, animate=animate, immediate=True)
        elif hi > y + view:
            self.scroll_to(y=hi - view, animate=animate, immediate=True)
        self.refresh()

    def _announce(self) -> None:
        if self.on_cursor is not None:
            self.on_cursor(self.current)
        else:
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
        if self.need_more is not None:
            self.need_more()
        self.move_to(len(self.rows) - 1)

    async def on_key(self, event: events.Key) -> None:
        """The bead list's keys run here, in the order they were typed (issues #15/#21).
        Textual would run a binding only once the key has bubbled up to the app, and by then
        keys typed right behind it (Enter, then the English) have been queued here already;
        when they bubbled up in turn the focus was in the editor, where they bind nothing,
        and were lost.  So a key of this view runs its binding at once, and a key queued
        here before a key of this queue moved the focus is handed to the focused widget
        (the editor takes typing, Enter and its commands) instead of running as a command."""
        if self.app.screen is not self.screen:  # queued behind a key that opened a dialog: the dialog's
            hand_on(self, event)
            return
        focused = self.screen.focused  # (has_focus changes only once the Blur event is handled)
        if focused is not self:
            take = getattr(focused, "take_key", None)
            if take is not None and take(event):
                event.stop()
                event.prevent_default()
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            event.stop()
            event.prevent_default()
            await self.app.run_action(binding.action, self)
            return

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def on_click(self, event: events.Click) -> None:
        vy = event.y + int(self.scroll_offset.y)
        if self.rows and vy < self._offsets[-1]:
            self.move_to(bisect_right(self._offsets, vy) - 1)


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return len(text) if text.isascii() else cell_len(text)
