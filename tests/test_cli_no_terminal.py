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


# --- progress without a terminal ---------------------------------------------------------

def test_progress_without_a_terminal_is_a_line_every_few_seconds(capsys, monkeypatch):
    """A script or CI log gets `LABEL: done/total (n%)` every PROGRESS_LINE_SECONDS and
    where the work ended, not a bar (click draws nothing there but the label)."""
    from tolmach.cli import base

    clock = [100.0]
    monkeypatch.setattr(base.time, "monotonic", lambda: clock[0])
    with base.progress_bar("Translating") as progress:
        for second in range(13):  # one unit per second, 12 in all
            clock[0] = 100.0 + second
            progress(second, 12)
    assert capsys.readouterr().err.splitlines() == [
        "Translating",
        "Translating: 5/12 (41%)",
        "Translating: 10/12 (83%)",
        "Translating: 12/12 (100%)",
    ]
    with base.progress_bar("Exporting") as progress:  # done within the interval: the label only
        progress(0, 12)
        progress(12, 12)
    assert capsys.readouterr().err == "Exporting\n"


def test_import_of_a_long_file_reports_progress_in_a_log(capsys, monkeypatch, tmp_path):
    from tolmach.cli import base, documents, main

    monkeypatch.setattr(base, "PROGRESS_LINE_SECONDS", 0.0)  # a line at every step
    monkeypatch.setattr(documents, "PROGRESS_MIN_CHARS", 1_000)
    seed = Path(__file__).resolve().parents[1] / "seeds" / "002_089901b84e1e010c.txt"
    try:
        main(["--db", str(tmp_path / "w.db"), "import", str(seed)])
    except SystemExit as exc:
        assert not exc.code
    label, *lines = capsys.readouterr().err.splitlines()
    assert label == f"Reading {seed}"
    assert len(lines) > 20 and all(line.startswith(f"Reading {seed}: ") for line in lines)
    counts = [tuple(int(n.replace(",", "")) for n in line.split(": ")[1].split(" ")[0].split("/")) for line in lines]
    assert [done for done, _ in counts] == sorted(done for done, _ in counts)  # forward only
    total = counts[0][1]
    assert {t for _, t in counts} == {total} and counts[-1][0] == total and lines[-1].endswith("(100%)")
    assert 10_000 < total < len(seed.read_text(encoding="utf-8"))  # the reflowed text's characters


def test_a_terminal_on_stderr_still_gets_the_bar(tmp_path):
    """The same import with stderr on a terminal draws click's bar (redrawn with CR), no lines."""
    seed = Path(__file__).resolve().parents[1] / "seeds" / "002_089901b84e1e010c.txt"
    code = (
        "import sys; from tolmach.cli import documents, main; documents.PROGRESS_MIN_CHARS = 1000; "
        f"sys.argv = ['tolmach', '--db', {str(tmp_path / 'w.db')!r}, 'import', {str(seed)!r}]; main()"
    )
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=follower, env=_env(TERM="xterm-256color"), cwd=tmp_path)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(leader)
    assert proc.returncode == 0 and b"document(s)" in out
    text = seen.decode()
    assert f"Reading {seed}" in text and "#" in text and "\r" in text  # click's bar, redrawn in place
    assert "(100%)" not in text  # not the log lines
