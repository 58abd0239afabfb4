"""The CLI's neutralising stdout wrapper behaves as the stream it wraps to libraries that
wrap it in turn (colorama, set up by sacrebleu and numba), also after that stream closed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")

SCRIPT = f"""
import io, sys
sys.path.insert(0, {SRC!r})
from tolmach.terminal import SafeTextStream
inner = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
sys.stdout = SafeTextStream(inner)
import colorama
colorama.init()          # wraps sys.stdout and registers a reset at exit
print("x\\x1b[2J")       # neutralised on its way through
sys.stdout.flush()
inner.close()            # as a test runner's captured stream is closed before exit
"""


def test_colorama_exit_hook_leaves_a_closed_wrapped_stream_alone(tmp_path):
    pytest.importorskip("colorama", reason="colorama (PyPI; installed with the test extra's sacrebleu)")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    # before: "Exception ignored in atexit callback ... ValueError: I/O operation on closed file", exit 120
    assert proc.returncode == 0, proc.stderr
    assert "Exception ignored" not in proc.stderr and "ValueError" not in proc.stderr


def test_the_wrapper_reports_its_inner_stream_closed():
    import io

    from tolmach.terminal import SafeTextStream

    inner = io.StringIO()
    safe = SafeTextStream(inner)
    safe.write("a\x07b")
    assert inner.getvalue() == "a\\x07b" and not safe.closed
    inner.close()
    assert safe.closed and not safe.isatty()
    safe.flush()  # nothing to flush into: no error


def _on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> bytes:
    """What ``tolmach ARGS`` writes to a terminal (a pseudo-terminal as its stdout)."""
    import os
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "tolmach", *args], stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=subprocess.PIPE, env=env, cwd=cwd)
        os.close(slave)
        slave = -1
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            out += chunk
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
        return out
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)


def test_search_hits_are_bold_on_a_terminal_and_the_documents_escapes_are_not(tmp_path: Path) -> None:
    """`tolmach search` on a terminal: the hit in bold (real escape sequences), while an
    escape sequence inside the document is shown as ``\\x1b`` and drives nothing.  The
    bold used to reach the terminal neutralised as the text ``\\x1b[1m``."""
    import os

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p),
           "TOLMACH_DB": str(tmp_path / "t.db"), "TERM": "xterm-256color"}
    letter = tmp_path / "letter.txt"
    letter.write_text("Посол \x1b]0;TITLE\x07 пришёл в ЦК. Второе предложение письма.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "tolmach", "import", str(letter)], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    shown = _on_a_terminal(["search", "пришёл"], env, tmp_path).decode("utf-8")
    assert "\x1b[1m\x1b[4mпришёл\x1b[0m" in shown, shown  # bold and underlined
    assert "\\x1b]0;TITLE\\x07" in shown and "\x1b]" not in shown and "\x07" not in shown
    assert "\\x1b[1m" not in shown


def test_document_escapes_in_a_pipeline_are_shown_or_kept_never_dropped(tmp_path: Path) -> None:
    """Into a pipe, `show` printed the text with its escape sequences silently cut out
    (click strips them when stdout is not a terminal), with and without --raw."""
    import os

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p),
           "TOLMACH_DB": str(tmp_path / "t.db")}
    letter = tmp_path / "letter.txt"
    letter.write_text("Текст с \x1b[31mкрасным\x1b[0m цветом. Второе предложение письма.\n", encoding="utf-8")

    def tolmach(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "tolmach", *args], env=env, cwd=tmp_path, check=True,
                              capture_output=True, timeout=120).stdout.decode("utf-8")

    tolmach("import", str(letter))
    assert "Текст с \\x1b[31mкрасным\\x1b[0m цветом." in tolmach("show", "letter")
    assert "Текст с \x1b[31mкрасным\x1b[0m цветом." in tolmach("--raw", "show", "letter")
