"""`tolmach` with no command and no terminal: one sentence, a non-zero exit, no escape codes,
no database created, and no hang (the real entry point in a real process)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

#: This checkout's code, whatever directory the process runs in.
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def _run(tmp_path: Path, stdin, stdout) -> tuple[int, bytes, bytes]:
    env = _env(TOLMACH_DB=str(tmp_path / "never.db"), TERM="xterm-256color")
    proc = subprocess.run(
        [sys.executable, "-m", "tolmach"], stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env,
        cwd=tmp_path, timeout=30,
    )
    return proc.returncode, proc.stdout or b"", proc.stderr


def _check(code: int, out: bytes, err: bytes, tmp_path: Path) -> None:
    assert code == 1
    assert b"\x1b" not in out and b"\x1b" not in err
    text = err.decode()
    assert text.count("\n") == 1 and text.startswith("tolmach: error: ")
    assert "terminal" in text and "tolmach --help" in text
    assert not (tmp_path / "never.db").exists()


@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
def test_piped_output_refuses_at_once(tmp_path, stdin):
    source = subprocess.DEVNULL if stdin == "devnull" else subprocess.PIPE
    code, out, err = _run(tmp_path, source, subprocess.PIPE)
    _check(code, out, err, tmp_path)
    assert out == b""


def test_a_terminal_on_stdout_but_not_stdin_refuses(tmp_path):
    master, slave = pty.openpty()
    try:
        code, _, err = _run(tmp_path, subprocess.DEVNULL, slave)
        os.close(slave)
        slave = -1
        os.set_blocking(master, False)
        try:
            written = os.read(master, 65536)
        except (BlockingIOError, OSError):
            written = b""
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    _check(code, written, err, tmp_path)


def test_a_terminal_on_stdin_but_output_piped_refuses(tmp_path):
    master, slave = pty.openpty()
    try:
        code, out, err = _run(tmp_path, slave, subprocess.PIPE)
    finally:
        os.close(slave)
        os.close(master)
    _check(code, out, err, tmp_path)
    assert out == b""


def test_commands_still_work_without_a_terminal(tmp_path):
    env = _env(TOLMACH_DB=str(tmp_path / "cmd.db"))
    proc = subprocess.run(
        [sys.executable, "-m", "tolmach", "docs"], stdin=subprocess.DEVNULL, capture_output=True, env=env,
        cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 0 and b"No documents yet" in proc.stdout
