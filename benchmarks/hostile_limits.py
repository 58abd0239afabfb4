"""Peak memory and time of hostile sizes: a 50 MB file on one line, a 200,000-term glossary.

Each step runs the real command (``python -m tolmach ...``) in its own process; the peak
resident memory (max RSS) and CPU time (user + system) of that process alone come from
``os.wait4``.  Inputs are generated into a temporary folder:

* ``line.txt``: the clause "Мы получили ваше письмо и внимательно его изучили, " repeated
  to ``--mb`` megabytes on one line (no sentence end anywhere), the campaign's case;
* ``terms.ru-en.tsv``: ``--terms`` random Russian-looking terms of one to three words.

Steps: ``import`` the line; ``align DOC --target line.txt`` (the same text as its own
translation: 1:1 everywhere, the largest alignment the line can make; ``--no-mt``: the
model's drafts as evidence would cost what ``translate`` costs); ``translate`` it
(the imported document, every bead empty) with the tiny real Argos model the tests build (``tests/mt_fixtures.py``: CTranslate2 +
SentencePiece, random weights; its speed is not a real model's, its memory pattern is);
``align line.txt line.txt`` (sentence-per-line files: refused, one sentence); ``glossary
import`` of the terms into a fresh database, then again (every term unchanged); with
``--match``, one ``glossary match`` after the big import (the import analysed every word
of the terms once and stored it; the match reads only the entries its text selects:
``benchmarks/glossary_scale.py`` compares it with compiling the whole glossary).

The "before" column holds the figures the hostile-input campaign measured (issue #21,
same sizes, before these limits); they are not re-run here (the old ``align`` needed
6.6 GB, more than a shared build machine can spare).  The goal is at most 500 MB for the
50 MB line.  Prints a table and writes ``benchmarks/results/hostile_limits.json``.

    .venv/bin/python benchmarks/hostile_limits.py [--mb 50] [--terms 200000] [--match]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CLAUSE = "Мы получили ваше письмо и внимательно его изучили, "

#: Issue #21's campaign, before the limits: (wall seconds, peak MB); None = not reported.
BEFORE: dict[str, tuple[float | None, float | None]] = {
    "import": (71.0, 2300.0),
    "align DOC --target": (113.0, 6600.0),
    "translate": (None, 6700.0),
    "glossary import": (230.0, None),
}


def run(argv: list[str], env: dict[str, str], cwd: Path) -> dict:
    """One command in its own process: exit status, wall and CPU seconds, peak RSS in MB."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tolmach", *argv], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out = proc.stdout.read() if proc.stdout else b""  # type: ignore[union-attr]
    err = proc.stderr.read() if proc.stderr else b""  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    last = (err.decode(errors="replace").strip().splitlines() or out.decode(errors="replace").strip().splitlines() or [""])[-1]
    return {
        "exit": proc.returncode,
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "said": last[:160],
    }


def make_line(path: Path, mb: float) -> None:
    clause = CLAUSE.encode()
    path.write_bytes(clause * int(mb * 1_000_000 / len(clause)))


def make_glossary(path: Path, terms: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    letters = "абвгдежзиклмнопрстуфхцчшщыэюя"
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("term\tpreferred\tvariants\tabbreviation\texpansion\ttype\tnote\tsource\n")
        while len(seen) < terms:
            term = " ".join(
                "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(rng.randint(1, 3))
            )
            if term not in seen:
                seen.add(term)
                fh.write(f"{term}\tterm {len(seen)}\t\t\t\tconcept\t\t\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the one-line file (MB)")
    ap.add_argument("--terms", type=int, default=200_000, help="terms in the glossary")
    ap.add_argument("--match", action="store_true", help="also time one glossary match after the big import")
    args = ap.parse_args()

    steps: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="tolmach-hostile-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TOLMACH_DATA_DIR=str(work / "data"),
                   TOLMACH_STATE_DIR=str(work / "state"), TOLMACH_MT_INTER_THREADS="1")  # fmt: skip
        (work / "model").mkdir()
        line, glossary = work / "line.txt", work / "terms.ru-en.tsv"
        make_line(line, args.mb)
        make_glossary(glossary, args.terms)

        # built in a process of its own: this one stays small, so the children it forks
        # start small too (a child's peak RSS counts what it was forked with)
        build = f"from mt_fixtures import build_argos_package as b; print(b(__import__('pathlib').Path({str(work / 'model')!r})))"
        model = subprocess.run(
            [sys.executable, "-c", build], env=dict(env, PYTHONPATH=f"{ROOT / 'tests'}:{ROOT / 'src'}"),
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]  # fmt: skip
        db = ["--db", str(work / "line.db")]
        steps.append(("model install (tiny)", run(["model", "install", str(model)], env, work)))
        steps.append(("import", run([*db, "import", str(line)], env, work)))
        shutil.copy(work / "line.db", work / "drafts.db")  # translate works on beads align has not filled
        steps.append(("align DOC --target", run([*db, "align", "line", "--target", str(line), "--no-mt"], env, work)))
        steps.append(("translate", run(["--db", str(work / "drafts.db"), "translate", "line"], env, work)))
        steps.append(("align SRC TGT (refused)", run([*db, "align", str(line), str(line)], env, work)))
        gdb = ["--db", str(work / "terms.db")]
        steps.append(("glossary import", run([*gdb, "glossary", "import", str(glossary)], env, work)))
        steps.append(("glossary import again", run([*gdb, "glossary", "import", str(glossary)], env, work)))
        if args.match:
            steps.append(("glossary match (first)", run([*gdb, "glossary", "match", "Центральный Комитет КПСС"], env, work)))

    print(f"{args.mb:g} MB on one line, {args.terms:,} glossary terms; one process per step (peak RSS of that process)")
    print(f"{'step':26} {'exit':>4} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}   {'before: s / MB':>16}  ratio (peak)")
    for name, r in steps:
        before = BEFORE.get(name) if (args.mb, args.terms) == (50.0, 200_000) else None  # same sizes only
        was = ""
        ratio = ""
        if before:
            was = f"{before[0] or '–'} / {before[1] or '–'}"
            if before[1]:
                ratio = f"{before[1] / max(r['peak_mb'], 1):.1f}× less"
            elif before[0]:  # the campaign's wall time on a quiet machine against CPU time here
                ratio = f"{before[0] / max(r['cpu_s'], 0.01):.0f}× less time (CPU)"
        print(f"{name:26} {r['exit']:>4} {r['wall_s']:>8.1f} {r['cpu_s']:>8.1f} {r['peak_mb']:>8.0f}   {was:>16}  {ratio}")
    for name, r in steps:
        if r["exit"]:
            print(f"  {name}: {r['said']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other jobs while measuring",
        "python": platform.python_version(),
        "line_mb": args.mb,
        "terms": args.terms,
        "goal_peak_mb_for_the_line": 500,
        "before_campaign": {k: {"wall_s": v[0], "peak_mb": v[1]} for k, v in BEFORE.items()},
        "steps": {name: r for name, r in steps},
    }
    (RESULTS / "hostile_limits.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'hostile_limits.json'}")


if __name__ == "__main__":
    main()
