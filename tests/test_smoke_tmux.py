"""The terminal smoke test: the real console script in tmux (scripts/tui_smoke.sh)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (scripts/setup.sh test installs it)")
def test_tui_in_tmux_types_saves_and_quits():
    tolmach = Path(sys.executable).with_name("tolmach")
    result = subprocess.run(
        [str(REPO / "scripts" / "tui_smoke.sh")],
        capture_output=True, text=True, timeout=240,
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin", "TOLMACH": str(tolmach), "PYTHON": sys.executable, "HOME": str(Path.home()),
            "PYTHONPATH": str(REPO / "src"),  # this tree's code, whichever checkout installed the console script
        },
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "tui_smoke: OK" in result.stdout
    assert "[bold]this[/]" in result.stdout  # shown literally, not as bold
