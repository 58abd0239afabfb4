"""Text that reaches a terminal is neutralised: no control character is written raw.

A document, a file name or a model package's metadata can carry escape sequences that
clear the screen, recolour it, set the window title or plant a hyperlink.  Everything
the CLI prints goes through :func:`neutralise`, which shows each control character as a
visible ``\\xNN`` (tab and newline are kept).  ``tolmach --raw`` turns this off for
pipelines that want the bytes; exports to files are never changed.
"""

from __future__ import annotations

import io
from typing import Any

#: C0 controls except tab and newline, DEL, and the C1 controls (U+0080..U+009F, which a
#: terminal may read as 8-bit CSI/OSC), each shown as ``\\xNN``.
_TABLE = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if c not in (0x09, 0x0A)}


def neutralise(text: str) -> str:
    """``text`` with every control character but tab and newline made visible."""
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """``text`` neutralised and folded onto one line (for messages that must stay one sentence)."""
    return neutralise(" ".join(str(text).split("\n")))


class SafeTextStream(io.TextIOBase):
    """A text stream that neutralises what is written to it before passing it on.

    Bytes written to ``.buffer`` (binary exports to stdout) pass unchanged.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        self._inner.write(neutralise(s))
        return len(s)

    def flush(self) -> None:
        if not self.closed:
            self._inner.flush()

    @property
    def closed(self) -> bool:
        """The stream it wraps is closed (a wrapper that outlives it, such as colorama's
        exit hook, then sees a closed stream and leaves it alone)."""
        return bool(getattr(self._inner, "closed", False))

    def isatty(self) -> bool:
        return not self.closed and bool(self._inner.isatty())

    def fileno(self) -> int:
        return int(self._inner.fileno())

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(self._inner.encoding)

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        errors: str | None = self._inner.errors
        return errors

    @property
    def buffer(self) -> Any:
        return self._inner.buffer

    @property
    def inner(self) -> Any:
        return self._inner
