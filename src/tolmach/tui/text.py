"""Text as the TUI shows it: literal, control characters made visible, wrapped to cells.

Documents are untrusted: a ``[bold]`` in an archival text is text, never Rich markup, and
an ESC byte must not reach the terminal.  Everything the TUI draws from the database goes
through :func:`visible` and is handed to Rich as plain :class:`~rich.text.Text`.

Cell widths.  Textual lays a screen out with Rich's width of each character; the terminal
draws with its own (tmux, xterm: glibc's ``wcwidth`` per code point, joining little).  They
disagree on the code points that only modify or join their neighbours: an emoji skin-tone
modifier (Rich 0 cells, tmux 2), the emoji variation selector U+FE0F (Rich adds a cell to
some symbols, tmux none) and the zero-width joiner of emoji families (Rich hides the joined
emoji, tmux draws some of them).  Every cell after such a character was drawn one or two
columns off, borders included.  What reaches the terminal therefore has them as a zero-width
space (U+200B, zero cells for Rich, glibc, tmux and the terminals that join graphemes):
:func:`visible` for text drawn from the database (same length, so spans still index it), and
:func:`steady_strip` for the editor and inputs, which must keep the real text and Rich's
measure of it.  Flags, combining accents and CJK measure the same everywhere and are kept.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len, split_graphemes
from rich.segment import Segment
from textual.strip import Strip

# C0 controls (except tab/newline, handled by the callers), DEL, C1 controls, and the
# bidirectional overrides that could reorder what the reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Drawn at a width the terminal decides (see the module's docstring): ZWJ, VS15/VS16, the
# emoji skin-tone modifiers, and the tags of subdivision flags.
_UNSTEADY = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_ZERO_WIDTH = "\u200b"


def _single_cell_chars() -> frozenset[str]:
    """Characters one cell wide for Rich and every terminal: Latin, Greek, Cyrillic and common
    punctuation (no combining marks), so text made of them is measured with ``len``."""
    ranges = [(0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x52F), (0x1E00, 0x1FFF), (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x214F)]
    chars = (chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    return frozenset(c for c in chars if not unicodedata.combining(c) and unicodedata.category(c)[0] != "C" and cell_len(c) == 1)


_single_cells = _single_cell_chars().issuperset


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Unicode control pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """``text`` with tabs as spaces, line breaks as ``⏎``, control characters as symbols and
    the characters terminals measure differently from Rich as zero-width spaces (the same
    length as ``text`` unless it has line breaks)."""
    if text.isascii() and text.isprintable():
        return text
    if not text.isprintable():  # a control, format (bidi) or line-break character
        text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL.sub(_picture, text.replace("\n", " \u23ce "))
    return _UNSTEADY.sub(_ZERO_WIDTH, text)


def steady(text: str) -> str:
    """``text`` drawn at exactly Rich's width of it in any terminal: each grapheme holding a
    character of unsteady width keeps Rich's cells, filled by what fits of it with those
    characters as zero-width spaces (``❤️`` → ``❤`` and a space; of an emoji family as Rich
    measures it, two cells, its first member), then spaces."""
    if text.isascii() or not _UNSTEADY.search(text):
        return text
    spans, _ = split_graphemes(text)
    out: list[str] = []
    for start, end, width in spans:
        cluster = text[start:end]
        if _UNSTEADY.search(cluster):
            cluster = _fit(_UNSTEADY.sub(_ZERO_WIDTH, cluster), width)
        out.append(cluster)
    return "".join(out)


def _fit(text: str, width: int) -> str:
    used, end = 0, 0
    for i, ch in enumerate(text):
        w = cell_len(ch)
        if used + w > width:
            break
        used, end = used + w, i + 1
    return text[:end] + " " * (width - used)


def steady_strip(strip: Strip) -> Strip:
    """A rendered line (the editor's, an input's) with each grapheme of unsteady width drawn
    :func:`steady`, in the segment where the grapheme starts (the cursor's segment may split
    one); the line keeps its cell length."""
    texts = [seg.text for seg in strip]
    line = "".join(texts)
    if line.isascii() or not _UNSTEADY.search(line):
        return strip
    spans, _ = split_graphemes(line)
    drawn = list(line)
    for start, end, _width in spans:
        if end - start > 1 or _UNSTEADY.match(line, start):
            drawn[start] = steady(line[start:end])
            drawn[start + 1 : end] = [""] * (end - start - 1)
    segments, pos = [], 0
    for seg, text in zip(strip, texts):
        segments.append(Segment("".join(drawn[pos : pos + len(text)]), seg.style, seg.control))
        pos += len(text)
    return Strip(segments, strip.cell_length)


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` terminal cells (words longer than a line are cut).

    Hand-rolled rather than :mod:`textwrap`: the bitext view wraps every bead of a
    20,000-bead document when the window is resized, and this is several times faster.
    Text without wide characters (Cyrillic, Latin) is measured with ``len``.
    """
    width = max(1, width)
    narrow = text.isascii() or _single_cells(text)
    if narrow and len(text) <= width:
        return [text]
    measure = len if narrow else cell_len
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        w = measure(word)
        while w > width:  # a word longer than the column: cut it
            if line:
                lines.append(line)
                line, used = "", 0
            cut = width if narrow else _cut(word, width)
            lines.append(word[:cut])
            word = word[cut:]
            w = measure(word)
        if not word:
            continue
        if not line:
            line, used = word, w
        elif used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
        else:
            lines.append(line)
            line, used = word, w
    if line or not lines:
        lines.append(line)
    return lines


def _cut(word: str, width: int) -> int:
    """How many characters of ``word`` fit in ``width`` cells (at least one)."""
    used = 0
    for i, ch in enumerate(word):
        used += cell_len(ch)
        if used > width:
            return max(1, i)
    return len(word)
