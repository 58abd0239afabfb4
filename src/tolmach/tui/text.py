"""Text as the TUI shows it: literal, control characters made visible, wrapped to cells.

Documents are untrusted: a ``[bold]`` in an archival text is text, never Rich markup, and
an ESC byte must not reach the terminal.  Everything the TUI draws from the database goes
through :func:`visible` and is handed to Rich as plain :class:`~rich.text.Text`.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# C0 controls (except tab/newline, handled by the callers), DEL, C1 controls, and the
# bidirectional overrides that could reorder what the reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Unicode control pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """``text`` with tabs as spaces, line breaks as ``⏎`` and control characters as symbols."""
    if text.isprintable():  # no control, format (bidi) or line-break character: nothing to do
        return text
    text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(_picture, text.replace("\n", " \u23ce "))


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` terminal cells (words longer than a line are cut).

    Hand-rolled rather than :mod:`textwrap`: the bitext view wraps every bead of a
    20,000-bead document when the window is resized, and this is several times faster.
    Text without wide characters (Cyrillic, Latin) is measured with ``len``.
    """
    width = max(1, width)
    narrow = text.isascii() or cell_len(text) == len(text)
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
