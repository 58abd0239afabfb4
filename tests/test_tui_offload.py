"""Whole-document work in a child process (tui/offload.py): the result comes back, and a
failure is an OSError naming what failed with the child's last error line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tolmach.service.apparatus import find_source_errors
from tolmach.service.documents import find_document
from tolmach.tui import offload
from tolmach.tui.offload import in_child, misprints


def test_misprints_found_in_a_child_equal_those_found_here(seeded_store):
    with seeded_store.read() as s:
        doc_id = find_document(s, "Document I").id
    here = find_source_errors(seeded_store, doc_id)
    assert here  # Document I has probable misprints ("Соверского", "совместые" …)
    assert in_child(misprints, seeded_store.url, doc_id) == here


def test_a_failure_in_the_child_names_it(tmp_path):
    with pytest.raises(OSError, match=r"misprints failed in a child process: .*"):
        in_child(misprints, str(tmp_path / "no-such-folder" / "x.db"), 1)


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the child process")
def test_the_child_leaves_when_the_workbench_is_killed():
    # the workbench killed (kill -9, its terminal closed) while its child works: the child
    # runs in a session of its own, no signal reaches it; it must not work on for nobody
    parent = subprocess.Popen(
        [sys.executable, "-c", "import time; from tolmach.tui.offload import in_child; in_child(time.sleep, 60)"],
        env=dict(os.environ, PYTHONPATH=str(Path(offload.__file__).resolve().parents[2])),
    )
    try:
        deadline = time.monotonic() + 30
        while not (kids := _children(parent.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert kids, "the offload child did not start"
        time.sleep(0.5)  # the child is sleeping in its work
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while any(_alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(k) for k in kids), "the child went on after the workbench was killed"
    finally:
        parent.kill()
