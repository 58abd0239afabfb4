"""A team database: edits per second and document-open time, SQLite file vs PostgreSQL.

One document of N beads (default 20,000; Russian sources cycled from Document I, every
other bead with an English draft) is built in a SQLite file and in a PostgreSQL database
of a throw-away server started from Debian's ``postgresql`` (durable settings: fsync and
synchronous commit on, as a real server), or ``--pg-url`` for an existing one.  Then, on
each, in the same run:

* **open**: ``open_store`` + ``load_beads`` of the whole document (what the workbench does
  on opening it), median of 5;
* **edits/s, 1 client**: ``get_bead`` + ``edit_target(base_version=...)`` on random beads
  (each a checked, journalled, versioned save in its own transaction);
* **edits/s, 4 processes**: the same in 4 processes at once (aggregate saves per second;
  SQLite has one writer at a time, PostgreSQL locks per document).

The ratio column is PostgreSQL / SQLite.  Prints a table and writes
``benchmarks/results/team_db.json``.
Usage: ``.venv/bin/python benchmarks/team_db.py [--beads 20000] [--edits 400] [--pg-url URL]``
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from tolmach.service.beads import edit_target, get_bead, load_beads  # noqa: E402
from generated import add_generated_document
from tolmach.store import open_store  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def build(target: str, beads: int) -> tuple[int, list[int]]:
    store = open_store(target, user="bench")
    doc_id = add_generated_document(store, beads, lambda i: f"English draft of sentence {i + 1}.")
    ids = [b.id for b in load_beads(store, doc_id)]
    store.close()
    return doc_id, ids


def time_open(target: str, doc_id: int, reps: int = 5) -> float:
    times = []
    for _ in range(reps + 1):
        t = time.perf_counter()
        st = open_store(target, user="bench")
        n = len(load_beads(st, doc_id))
        times.append(time.perf_counter() - t)
        st.close()
    assert n > 0
    return statistics.median(times[1:])


def edit_loop(target: str, ids: list[int], edits: int, seed: int) -> tuple[int, int, float, float]:
    from tolmach.errors import ConflictError

    rng = random.Random(seed)
    st = open_store(target, user=f"bench{seed}")
    get_bead(st, ids[0])  # connected and warm before the clock starts
    saved = conflicts = 0
    began = time.time()
    for i in range(edits):
        bead_id = rng.choice(ids)
        seen = get_bead(st, bead_id)
        try:
            edit_target(st, bead_id, f"edit {seed}.{i}", base_version=seen.version)
            saved += 1
        except ConflictError:
            conflicts += 1
    ended = time.time()
    st.close()
    return saved, conflicts, began, ended


def _proc(target: str, ids: list[int], edits: int, seed: int, out) -> None:
    out.put(edit_loop(target, ids, edits, seed))


def edits_per_second(target: str, ids: list[int], edits: int, processes: int) -> dict[str, float]:
    if processes == 1:
        saved, conflicts, began, ended = edit_loop(target, ids, edits, 1)
        return {"edits_per_s": saved / (ended - began), "conflicts": conflicts}
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    per = edits // processes
    procs = [ctx.Process(target=_proc, args=(target, ids, per, 10 + k, out)) for k in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join()
    # from the first process's first edit to the last one's last (start-up not counted)
    wall = max(r[3] for r in results) - min(r[2] for r in results)
    return {"edits_per_s": sum(r[0] for r in results) / wall, "conflicts": sum(r[1] for r in results)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--beads", type=int, default=20_000)
    ap.add_argument("--edits", type=int, default=400)
    ap.add_argument("--pg-url", help="an existing, empty PostgreSQL database (default: a throw-away server)")
    args = ap.parse_args()

    cluster = None
    folder = Path(tempfile.mkdtemp(prefix="tolmach-team-bench-"))
    pg_url = args.pg_url
    if pg_url is None:
        from pg_cluster import PACKAGE_HINT, Cluster, find_bindir

        bindir = find_bindir()
        if bindir is None:
            print(PACKAGE_HINT, file=sys.stderr)
            return 1
        cluster = Cluster(bindir, durable=True).start()
        cluster.sql("CREATE DATABASE bench")
        pg_url = cluster.url("bench")
    targets = {"sqlite": str(folder / "bench.db"), "postgresql": pg_url}
    rows: dict[str, dict[str, float]] = {}
    try:
        for name, target in targets.items():
            t = time.perf_counter()
            doc_id, ids = build(target, args.beads)
            built = time.perf_counter() - t
            rows[name] = {
                "build_s": built,
                "open_s": time_open(target, doc_id),
                "edits_1": edits_per_second(target, ids, args.edits, 1)["edits_per_s"],
                "edits_4": edits_per_second(target, ids, args.edits, 4)["edits_per_s"],
            }
    finally:
        if cluster is not None:
            cluster.stop()

    metrics = [("open_s", "document open (open_store + load_beads), s"), ("edits_1", "edits/s, 1 client"), ("edits_4", "edits/s, 4 processes")]
    print(f"\n{args.beads} beads; {args.edits} edits per measurement; shared 2-core machine: compare the ratios\n")
    print(f"{'':44} {'SQLite':>10} {'PostgreSQL':>11} {'PG/SQLite':>10}")
    for key, label in metrics:
        a, b = rows["sqlite"][key], rows["postgresql"][key]
        print(f"{label:44} {a:>10.3f} {b:>11.3f} {b / a:>9.2f}×")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {
        "beads": args.beads,
        "edits": args.edits,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "postgresql": "throw-away server, durable settings" if args.pg_url is None else "given URL",
        "results": rows,
        "ratios_pg_over_sqlite": {k: rows["postgresql"][k] / rows["sqlite"][k] for k, _ in metrics},
    }
    (RESULTS / "team_db.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
