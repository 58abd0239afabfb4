"""Drive the real ``tolmach`` program in tmux: keys as a terminal sends them, the screen as
the terminal shows it (``capture-pane``), the process killable with SIGKILL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (Debian package tmux)")

_LOCKER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
"""


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the SQLite database's write lock for ``seconds``; returns
    once it holds it (``wait()`` on the result for its end)."""
    locker = subprocess.Popen([sys.executable, "-c", _LOCKER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    return locker


class Terminal:
    """One tmux server (private socket) running ``python -m tolmach --db DB``."""

    def __init__(self, db: Path, size: tuple[int, int] = (160, 45), *, args: tuple[str, ...] = ()) -> None:
        self.db = Path(db)
        self.socket = f"tolmach-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.size = size
        self.args = args
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
        env["TERM"] = "xterm-256color"
        env.pop("TMUX", None)
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], check=False, capture_output=True, text=True, env=self.env, timeout=30)
        if check and out.returncode:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def start(self, wait_for: str = "#1 · ", timeout: float = 60) -> Terminal:
        """Run the program and wait until ``wait_for`` is on screen (by default: the first
        bead is in the source panel, so the editor is ready)."""
        cmd = " ".join([f"exec {sys.executable} -m tolmach --db '{self.db}'", *self.args])
        w, h = self.size
        self.tmux("new-session", "-d", "-s", "t", "-x", str(w), "-y", str(h), cmd)
        self.tmux("set-option", "-t", "t", "window-size", "manual", check=False)
        self.tmux("resize-window", "-t", "t", "-x", str(w), "-y", str(h), check=False)
        self.wait_for(wait_for, timeout)
        time.sleep(0.3)
        return self

    @property
    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """tmux key names (``Enter``, ``M-1``, ``C-g``, ``Escape``), sent one call each."""
        for k in keys:
            self.tmux("send-keys", "-t", "t", k)
            if pause:
                time.sleep(pause)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def screen(self, *, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "t", check=False)

    def wait_for(self, text: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen:\n{screen}")

    def wait_until(self, predicate, timeout: float = 10, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"{what} not met within {timeout} s; the screen:\n{self.screen()}")

    def kill9(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        self.tmux("kill-server", check=False)


def bead_rows(db: Path, document: str = "Document I") -> list[tuple[int, str, str]]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute(
            "select b.position, b.status, b.target from beads b join documents d on d.id = b.document_id "
            "where d.name = ? order by b.position",
            (document,),
        ).fetchall()
    finally:
        con.close()


def draft_rows(db: Path) -> list[tuple[int, str]]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute("select bead_id, text from drafts order by bead_id").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()
