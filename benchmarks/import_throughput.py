"""Import throughput: ``tolmach import`` of a big text against razdel alone on the same text.

**Per use** (first table): what a person waits for.  Seed 002 (an English article
around two Russian letters, 21 kB) is repeated to ``--mb`` megabytes (default 1 and 20),
and each of these runs in its own process, peak resident memory and CPU time (user +
system) of that process alone taken from ``os.wait4``:

* ``tolmach import FILE`` into a new SQLite database: decode, reflow, documents, kinds,
  sentences, language of every segment, storing documents, segments and beads;
* ``razdel alone``: what a user would otherwise run to get sentences out of the file
  (read it, ``razdel.sentenize`` the whole text, count): no decoding guesses, no
  reflow, no documents, no language, nothing stored.  The ratio is against this;
* with ``--before REV``, the same import by the code of git revision ``REV`` (its ``src/``
  unpacked with ``git archive`` into a temporary folder), in the same run, and whether its
  database holds the same documents, segments, languages and beads (a digest of the rows).

**Inside one process** (second table): the seeds joined and repeated ``--copies`` times;
``parse_bytes`` with and without language identification, and the sentence libraries
alone, CPU seconds (``time.process_time``), best of ``--repeat``.

Prints both tables and writes ``benchmarks/results/import_throughput.json``.
Usage: ``.venv/bin/python benchmarks/import_throughput.py [--mb 1 20] [--before 40b218e]
[--copies 10] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "002_089901b84e1e010c.txt"
OUT = ROOT / "benchmarks" / "results" / "import_throughput.json"

RAZDEL = """
import sys, razdel
text = open(sys.argv[1], encoding="utf-8").read()
print(sum(1 for _ in razdel.sentenize(text)))
"""


def corpus(copies: int) -> str:
    seeds = "\n\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return "\n\n\n".join([seeds] * copies)


def big_file(folder: Path, mb: float) -> Path:
    """Seed 002 repeated (three blank lines between copies) to at least ``mb`` megabytes."""
    seed = SEED.read_text(encoding="utf-8")
    copies = int(mb * 1_000_000 // len(seed.encode("utf-8"))) + 1
    path = folder / f"seed002x{copies}.txt"
    path.write_text("\n\n\n".join([seed] * copies), encoding="utf-8")
    return path


def measured(argv: list[str], src: Path | None, cwd: Path) -> dict:
    """One process: exit status, CPU seconds and peak RSS (MB) from ``os.wait4``, last line it printed."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace").strip() or err.read().decode(errors="replace").strip()
    return {
        "exit": proc.returncode,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "said": (text.splitlines() or [""])[-1][:120],
    }


def digest(db: Path) -> tuple[str, int]:
    """A digest of every document, segment and bead row an import stored, and the segments."""
    con = sqlite3.connect(db)
    h = hashlib.sha256()
    n = 0
    try:
        for row in con.execute(
            "SELECT d.name, d.source_lang, d.role, d.position_in_file, s.position, s.kind, s.lang, s.paragraph, s.text "
            "FROM segments s JOIN documents d ON d.id = s.document_id ORDER BY d.id, s.position"
        ):
            h.update(repr(row).encode())
            n += 1
        for row in con.execute(
            "SELECT d.name, b.position, b.src_start, b.src_end, b.target, b.status "
            "FROM beads b JOIN documents d ON d.id = b.document_id ORDER BY d.id, b.position"
        ):
            h.update(repr(row).encode())
    finally:
        con.close()
    return h.hexdigest()[:16], n


def unpack(rev: str, folder: Path) -> Path:
    """``src/`` of git revision ``rev``, unpacked under ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def per_use(sizes: list[float], before: str | None, src: Path) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "before").mkdir()
        old_src = unpack(before, tmp / "before") if before else None
        for mb in sizes:
            path = big_file(tmp, mb)
            size_mb = path.stat().st_size / 1e6
            ref = measured([sys.executable, "-c", RAZDEL, str(path)], None, tmp)
            row: dict = {"file_mb": round(size_mb, 2), "razdel alone": ref}
            runs = [("tolmach import", src)] + ([(f"tolmach import at {before}", old_src)] if old_src else [])
            for name, code in runs:
                db = tmp / f"{name.replace(' ', '_')}-{mb}.db"
                got = measured([sys.executable, "-m", "tolmach", "--db", str(db), "import", str(path)], code, tmp)
                got["MB_per_cpu_s"] = round(size_mb / got["cpu_s"], 3) if got["cpu_s"] else None
                got["cpu_vs_razdel"] = round(got["cpu_s"] / ref["cpu_s"], 2) if ref["cpu_s"] else None
                got["peak_vs_razdel"] = round(got["peak_mb"] / ref["peak_mb"], 2) if ref["peak_mb"] else None
                if got["exit"] == 0:
                    got["rows_digest"], got["segments"] = digest(db)
                db.unlink(missing_ok=True)
                row[name] = got
            if old_src:
                now, then = row["tolmach import"], row[f"tolmach import at {before}"]
                row["same_rows_as_before"] = now.get("rows_digest") == then.get("rows_digest")
            rows.append(row)
            path.unlink()
    return rows


def best_of(repeat: int, fn: Callable[[], int]) -> tuple[float, int]:
    """(best CPU seconds, units counted by fn)."""
    best, units = float("inf"), 0
    for _ in range(repeat):
        t0 = time.process_time()
        units = fn()
        best = min(best, time.process_time() - t0)
    return best, units


def in_process(copies: int, repeat: int) -> tuple[float, dict[str, dict[str, float]]]:
    import razdel
    import sentencex

    from tolmach.text import pipeline
    from tolmach.text.pipeline import parse_bytes

    text = corpus(copies)
    data = text.encode("utf-8")
    mb = len(data) / 1e6
    parse_bytes(data[:50_000], "warm-up.txt")  # load langdetect profiles and pymorphy3 once
    rows: dict[str, dict[str, float]] = {}

    def record(name: str, seconds: float, sentences: int) -> None:
        rows[name] = {
            "cpu_s": round(seconds, 3),
            "MB_per_cpu_s": round(mb / seconds, 4),
            "sentences": sentences,
            "sentences_per_cpu_s": round(sentences / seconds, 1),
        }

    record("razdel.sentenize alone", *best_of(repeat, lambda: sum(1 for _ in razdel.sentenize(text))))
    record("sentencex alone", *best_of(repeat, lambda: sum(1 for _ in sentencex.segment("en", text))))

    def tolmach_parse() -> int:
        return sum(len(d.segments) for d in parse_bytes(data, "corpus.txt").documents)

    record("tolmach parse_bytes", *best_of(repeat, tolmach_parse))
    with mock.patch.object(pipeline, "detect_language", lambda text, default=None: default or "en"):
        record("tolmach parse_bytes, no langdetect", *best_of(repeat, tolmach_parse))
    reference = rows["razdel.sentenize alone"]["cpu_s"]
    for row in rows.values():
        row["cpu_vs_razdel"] = round(row["cpu_s"] / reference, 2)
    return mb, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[1.0, 20.0], help="sizes of the per-use files")
    ap.add_argument("--before", metavar="REV", help="also import with the code of this git revision")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the code measured as now (default: this checkout's)")
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    uses = per_use(args.mb, args.before, args.src.resolve())
    print("per use (each its own process; CPU = user + system; peak = max RSS)")
    print(f"{'file':>8}  {'command':<32}  {'CPU s':>7}  {'MB/CPU s':>8}  {'peak MB':>8}  {'CPU ×razdel':>11}  {'peak ×razdel':>12}")
    for row in uses:
        for name, r in row.items():
            if not isinstance(r, dict):
                continue
            rate = f"{r['MB_per_cpu_s']:>8.3f}" if r.get("MB_per_cpu_s") else f"{'':>8}"
            ratios = f"{r.get('cpu_vs_razdel', 1.0):>11.2f}  {r.get('peak_vs_razdel', 1.0):>12.2f}"
            print(f"{row['file_mb']:>6.1f}MB  {name:<32}  {r['cpu_s']:>7.2f}  {rate}  {r['peak_mb']:>8.0f}  {ratios}")
        if "same_rows_as_before" in row:
            print(f"{'':>8}  same rows as before: {row['same_rows_as_before']}")

    mb, rows = in_process(args.copies, args.repeat)
    width = max(map(len, rows))
    print(f"\ninside one process: seeds × {args.copies} = {mb:.2f} MB, best of {args.repeat}")
    print(f"{'method':<{width}}  {'CPU s':>7}  {'MB/CPU s':>8}  {'sentences':>9}  {'×razdel':>7}")
    for name, r in rows.items():
        print(f"{name:<{width}}  {r['cpu_s']:>7.3f}  {r['MB_per_cpu_s']:>8.3f}  {r['sentences']:>9}  {r['cpu_vs_razdel']:>7.2f}")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "import_throughput",
        "per_use": {"file": "seeds/002 repeated to the size", "before": args.before, "runs": uses},
        "in_process": {
            "corpus": f"seeds/*.txt joined and repeated {args.copies} times",
            "MB": round(mb, 3),
            "repeat": args.repeat,
            "methods": rows,
        },
        "python": platform.python_version(),
        "machine": platform.machine(),
        "load_average": os.getloadavg(),
    }
    tmp_out = OUT.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp_out.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
