"""Export memory: Tolmach's streaming writers against building the file in memory.

A project of N beads (one document, Russian sources cycled from the seeds with a
counter, English targets) is stored in a real SQLite file for each N.  Every export runs
in a fresh child process, which reports its resident memory just before the export and
its peak (``ru_maxrss``) just after; the difference is the export's peak memory.
Compared in the same run, on the same database:

* ``tolmach <fmt>``: :func:`tolmach.service.interchange.export` (QA notes off, so the
  writer alone is measured), for tmx, xliff, tsv, moses and jsonl;
* ``translate-toolkit tmx``: what a user would otherwise write: load the beads
  (``tolmach.service.beads.load_beads``), build a ``translate.storage.tmx.tmxfile`` in
  memory and serialise it.

Flat memory means the Tolmach columns stay roughly constant as N grows while the
in-memory column grows with N.  Prints a table and writes
``benchmarks/results/export_memory.json`` and ``.md``.
Usage: ``.venv/bin/python benchmarks/export_memory.py [--sizes 2500,5000,10000,20000]``
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "export_memory"
FORMATS = ("tmx", "xliff", "tsv", "moses", "jsonl")


def _rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() // 1024


def build_db(path: Path, beads: int) -> None:
    from sqlalchemy import insert

    from tolmach.store import Bead, Document, Segment, open_store

    lines = [
        ln.strip()
        for ln in (ROOT / "seeds" / "002_089901b84e1e010c.txt").read_text(encoding="utf-8").splitlines()
        if len(ln.strip()) > 20
    ]
    store = open_store(path)
    with store.transaction() as s:
        doc = Document(name="Big document", source_lang="ru", target_lang="en")
        s.add(doc)
        s.flush()
        for start in range(0, beads, 5000):
            rng = range(start, min(beads, start + 5000))
            s.execute(insert(Segment), [
                {"document_id": doc.id, "position": i, "kind": "body", "lang": "ru", "paragraph": i // 5,
                 "text": f"{lines[i % len(lines)]} ({i})"} for i in rng
            ])
            s.execute(insert(Bead), [
                {"document_id": doc.id, "position": i, "src_start": i, "src_end": i + 1,
                 "target": f"Translated sentence number {i}, with <markup> & \"quotes\" from the archive.",
                 "status": "edited", "origin": "user"} for i in rng
            ])
    store.close()


def child(mode: str, db: str, fmt: str, out: str) -> None:
    """Run one export in this (fresh) process and print its memory figures as JSON."""
    from tolmach.service.beads import load_beads
    from tolmach.service.interchange import export
    from tolmach.store import open_store

    if mode == "ttk":
        from translate.storage.tmx import tmxfile
    store = open_store(db)
    before = _rss_kib()
    t0 = time.perf_counter()
    if mode == "tolmach":
        export(store, None, fmt, out, qa=False, force=True)
    else:
        tm = tmxfile(sourcelanguage="ru", targetlanguage="en")
        for b in load_beads(store, 1):
            tm.addtranslation(b.source, "ru", b.target, "en")
        Path(out).write_bytes(bytes(tm))
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"before_kib": before, "peak_kib": peak, "seconds": seconds}))


def measure(mode: str, db: Path, fmt: str, folder: Path) -> dict:
    out = folder / f"out-{mode}-{fmt}"
    res = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(db), fmt, str(out)],
        check=True, capture_output=True, text=True,
    )
    data = json.loads(res.stdout.strip().splitlines()[-1])
    data["delta_mib"] = max(0, data["peak_kib"] - data["before_kib"]) / 1024
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2500,5000,10000,20000")
    ap.add_argument("--child", nargs=4, metavar=("MODE", "DB", "FMT", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            db = folder / f"p{n}.db"
            build_db(db, n)
            row: dict = {"beads": n}
            for fmt in FORMATS:
                m = measure("tolmach", db, fmt, folder)
                row[f"tolmach_{fmt}_mib"] = round(m["delta_mib"], 1)
                row[f"tolmach_{fmt}_s"] = round(m["seconds"], 2)
            m = measure("ttk", db, "tmx", folder)
            row["ttk_tmx_mib"] = round(m["delta_mib"], 1)
            row["ttk_tmx_s"] = round(m["seconds"], 2)
            row["ratio_ttk_over_tolmach_tmx"] = round(m["delta_mib"] / max(row["tolmach_tmx_mib"], 0.1), 1)
            rows.append(row)
            print(f"measured {n} beads", file=sys.stderr)

    head = ["beads", *[f"tolmach {f} MiB" for f in FORMATS], "ttk tmx MiB", "ttk/tolmach (tmx)", "tolmach tmx s", "ttk tmx s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["beads"], *[r[f"tolmach_{f}_mib"] for f in FORMATS], r["ttk_tmx_mib"],
                 f'{r["ratio_ttk_over_tolmach_tmx"]}×', r["tolmach_tmx_s"], r["ttk_tmx_s"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    table = "\n".join(lines)
    print(table)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "note":
            "peak RSS growth of a fresh process during one export (MiB); tolmach exports with QA notes off"}
    OUT.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    OUT.with_suffix(".md").write_text(
        "# Export memory\n\nPeak memory growth during one export of a one-document project "
        "(fresh process per cell; `benchmarks/export_memory.py`).\n\n" + table + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
