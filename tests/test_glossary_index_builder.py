"""One builder of the glossary's word index per database, with real processes.

Two processes that need the index at the same moment (two workbenches on one database, the
CLI and the workbench) must not both analyse the same 20,000 terms and then clash on
storing them: one builds, the other waits for it and finds nothing left.  A builder killed
with SIGKILL halfway does not keep the others waiting: its claim names a process that is
gone, and the next process takes over at once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from glossary_fixtures import add_unindexed_terms
from sqlalchemy import func, select

from tolmach.service import glossary as service
from tolmach.store.models import GlossaryEntry, GlossaryKey, GlossaryWord

REPO = Path(__file__).resolve().parents[1]
TERMS = 20_000

#: One process: open the database, wait for the start signal (a file), build the index.
#: ``LEASE_S`` is an hour, so waiting out a dead builder's claim would time the test out.
INDEXER = """
import json, sys, time
from pathlib import Path
from tolmach.service import glossary
from tolmach.store import open_store
glossary.LEASE_S = 3600.0
store = open_store(sys.argv[1])
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
seen = []
n = glossary.index_entries(store, lambda done, total: seen.append(done))
print(json.dumps({"indexed": n, "progress": seen[-1] if seen else None}), flush=True)
"""


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), e.get("PYTHONPATH", "")) if p)
    return e


def indexer(store, go: Path) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    t = store.target
    where = str(t.path) if t.path is not None else t.url.render_as_string(hide_password=False)
    return subprocess.Popen([sys.executable, "-c", INDEXER, where, str(go)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


def finished(p: subprocess.Popen[str]) -> dict[str, int]:
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    return json.loads(out)


def counts(store) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(entries, entries with keys, builder rows)."""
    with store.read() as s:
        return (
            s.scalar(select(func.count(GlossaryEntry.id))),
            s.scalar(select(func.count(func.distinct(GlossaryKey.entry_id)))),
            s.scalar(select(func.count()).select_from(GlossaryWord).where(GlossaryWord.word == service.BUILDER_ROW)),
        )


@pytest.fixture
def unindexed(store):  # type: ignore[no-untyped-def]
    n = add_unindexed_terms(store, TERMS)
    store.engine.dispose()
    return n


def test_two_processes_one_builder(store, unindexed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    go = tmp_path / "go"
    a, b = indexer(store, go), indexer(store, go)
    time.sleep(3)  # both have opened the database and wait for the signal
    go.touch()
    results = [finished(a), finished(b)]
    assert sorted(r["indexed"] for r in results) == [0, unindexed]  # one built them all
    waiter = next(r for r in results if r["indexed"] == 0)
    assert waiter["progress"] is not None  # it waited, reporting the builder's progress
    assert counts(store) == (unindexed, unindexed, 0)


def test_a_killed_builder_does_not_keep_the_next_one_waiting(store, unindexed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    go = tmp_path / "go"
    go.touch()
    first = indexer(store, go)
    deadline = time.monotonic() + 600
    while counts(store)[1] == 0:  # its first batch is stored: it holds the claim, midway
        assert time.monotonic() < deadline and first.poll() is None, "the builder stored nothing"
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    _, stored, claims = counts(store)
    assert 0 < stored < unindexed and claims == 1  # killed halfway, its claim left behind
    second = finished(indexer(store, go))  # an hour's lease: only "its process is gone" lets it in
    assert second["indexed"] == unindexed - stored
    assert counts(store) == (unindexed, unindexed, 0)


def test_a_builder_whose_claim_was_taken_over_waits_and_finishes_after_it(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A builder silent past its claim (a stopped process) finds another one's claim at its
    next batch: it stops, waits until that claim ends (here: expires), then indexes the rest;
    nothing is indexed twice and the count it returns is what it stored."""
    n = add_unindexed_terms(store, 200)
    monkeypatch.setattr(service, "INDEX_BATCH", 50)
    monkeypatch.setattr(service, "WAIT_S", 0.05)
    taken: list[int] = []

    def take_over(done: int, total: int) -> None:
        if not taken:  # after the first batch: a process on another machine claims it for 1 s
            taken.append(done)
            with store.transaction() as s:
                s.get(GlossaryWord, service.BUILDER_ROW).lemmas = ["elsewhere 1 x", f"{time.time() + 1:.3f}"]

    assert service.index_entries(store, take_over) == n
    assert taken == [50]
    assert counts(store) == (n, n, 0)
