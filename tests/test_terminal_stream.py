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
