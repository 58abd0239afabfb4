"""Import throughput: Tolmach's pipeline against razdel alone on the same text.

The corpus is the three seed files joined and repeated ``--copies`` times (one text of
about ``copies × 41 kB``).  Measured in one run, on the same text:

* ``razdel.sentenize`` alone: what a user would otherwise run to get Russian sentences
  (no decoding, no reflow, no document split, no language id), the reference point;
* ``sentencex`` alone: the splitter Tolmach uses for non-Russian text;
* ``tolmach parse_bytes``: decode + reflow + documents + kinds + sentences + language id;
* ``tolmach parse_bytes, no langdetect``: the same with language identification replaced by
  a constant, to show where the time goes;
* ``tolmach import``: ``parse_bytes`` plus storing documents, segments and beads in a real
  SQLite file (one transaction), as ``tolmach import`` does.

Each is run ``--repeat`` times; the best run counts.  Prints a table and writes
``benchmarks/results/import_throughput.json``.
Usage: ``.venv/bin/python benchmarks/import_throughput.py [--copies 10] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OUT = ROOT / "benchmarks" / "results" / "import_throughput.json"


def corpus(copies: int) -> str:
    seeds = "\n\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return "\n\n\n".join([seeds] * copies)


def best_of(repeat: int, fn: Callable[[], int]) -> tuple[float, int]:
    """(best seconds, units counted by fn)."""
    best, units = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        units = fn()
        best = min(best, time.perf_counter() - t0)
    return best, units


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import razdel
    import sentencex

    from tolmach.service.documents import PreparedFile, store_file
    from tolmach.store import open_store
    from tolmach.text import pipeline
    from tolmach.text.pipeline import parse_bytes

    text = corpus(args.copies)
    data = text.encode("utf-8")
    mb = len(data) / 1e6
    parse_bytes(data[:50_000], "warm-up.txt")  # load langdetect profiles and pymorphy3 once

    rows: dict[str, dict[str, float]] = {}

    def record(name: str, seconds: float, sentences: int) -> None:
        rows[name] = {
            "seconds": round(seconds, 3),
            "MB_per_s": round(mb / seconds, 4),
            "sentences": sentences,
            "sentences_per_s": round(sentences / seconds, 1),
        }

    record("razdel.sentenize alone", *best_of(args.repeat, lambda: sum(1 for _ in razdel.sentenize(text))))
    record("sentencex alone", *best_of(args.repeat, lambda: sum(1 for _ in sentencex.segment("en", text))))

    def tolmach_parse() -> int:
        return sum(len(d.segments) for d in parse_bytes(data, "corpus.txt").documents)

    record("tolmach parse_bytes", *best_of(args.repeat, tolmach_parse))

    with mock.patch.object(pipeline, "detect_language", lambda text, default=None: default or "en"):
        record("tolmach parse_bytes, no langdetect", *best_of(args.repeat, tolmach_parse))

    with tempfile.TemporaryDirectory() as tmp:
        runs = iter(range(args.repeat))

        def tolmach_import() -> int:
            store = open_store(Path(tmp) / f"bench-{next(runs)}.db")
            try:
                parsed = parse_bytes(data, "corpus.txt")
                result = store_file(store, PreparedFile(Path("corpus.txt"), "bench", parsed))
                return result.segments
            finally:
                store.close()

        record("tolmach import (parse + SQLite)", *best_of(args.repeat, tolmach_import))

    reference = rows["razdel.sentenize alone"]["MB_per_s"]
    for row in rows.values():
        row["MB_per_s_vs_razdel"] = round(row["MB_per_s"] / reference, 4)

    width = max(map(len, rows))
    print(f"corpus: seeds × {args.copies} = {mb:.2f} MB, best of {args.repeat}")
    print(f"{'method':<{width}}  {'s':>7}  {'MB/s':>8}  {'sentences':>9}  {'sent/s':>9}  {'vs razdel':>9}")
    for name, r in rows.items():
        print(
            f"{name:<{width}}  {r['seconds']:>7.3f}  {r['MB_per_s']:>8.3f}  {r['sentences']:>9}  "
            f"{r['sentences_per_s']:>9.0f}  {r['MB_per_s_vs_razdel']:>9.3f}"
        )

    OUT.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "import_throughput",
        "corpus": f"seeds/*.txt joined and repeated {args.copies} times",
        "bytes": len(data),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "methods": rows,
    }
    tmp_out = OUT.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp_out.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
