"""The first glossary match after a very large import: the stored word index against
compiling the whole glossary (what every match process did before migration 0006).

``--terms`` random Russian-looking terms of one to three words (``hostile_limits.py``'s
generator: random words are the analyser's worst case), or with ``--vocabulary corpus``
terms of one to three words drawn from the 4,747 distinct words of the seeds and the ru-en
data (real words, many shared between terms, and many of them in the matched text), are
imported into a fresh SQLite database; then, each in a process of its own (peak RSS and CPU of that process alone,
from ``os.wait4``):

* ``import (today)``: ``glossary import`` without indexing the terms' words (the import
  as it was), into another fresh database;
* ``import``: ``glossary import``, which now also analyses each new word once and stores
  it with every entry's match keys;
* ``first match``: ``glossary match`` of Document I of the seed (about 5,000 characters)
  in a new process: only the entries the document's words select are compiled;
* ``repeat match``: the same command again;
* ``whole glossary (today)``: every entry read and compiled with the analyser, then the
  same text matched: the first match as it was.

The hits of ``first match`` and ``whole glossary`` must be the same (checked).  Prints a
table and writes ``benchmarks/results/glossary_scale_VOCABULARY.json``.

    .venv/bin/python benchmarks/glossary_scale.py [--terms 200000] [--vocabulary random|corpus]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from hostile_limits import make_glossary  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SEED = ROOT / "seeds" / "002_089901b84e1e010c.txt"

#: ``glossary import`` as it was: the same command with the indexing step left out.
IMPORT_TODAY = """
import sys
from tolmach.service import glossary
glossary.index_entries = lambda store, on_progress=None: 0
from tolmach.cli import main
sys.exit(main(sys.argv[1:]))
"""

#: The first match as it was: the whole glossary compiled with the analyser.
WHOLE = """
import json, sys
from pathlib import Path
from tolmach.glossary.match import Matcher
from tolmach.service.glossary import list_entries
from tolmach.store import open_store
store = open_store(Path(sys.argv[1]))
hits = Matcher(list_entries(store)).find(Path(sys.argv[2]).read_text(encoding="utf-8"))
for h in hits:
    print(json.dumps({"start": h.start, "end": h.end, "entry": h.entry_id}))
"""


def corpus_glossary(path: Path, terms: int, seed: int = 1) -> None:
    """``terms`` distinct terms of one to three words of the seeds' and ru-en data's vocabulary."""
    words: set[str] = set()
    for f in [*sorted((ROOT / "benchmarks" / "data" / "ru-en").glob("*.ru")), *sorted((ROOT / "seeds").glob("*.txt"))]:
        words |= {w.lower() for w in re.findall(r"[а-яёА-ЯЁ]{3,}", f.read_text(encoding="utf-8"))}
    vocabulary = sorted(words)
    rng = random.Random(seed)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("term\tpreferred\tvariants\tabbreviation\texpansion\ttype\tnote\tsource\n")
        while len(seen) < terms:
            term = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 3)))
            if term not in seen:
                seen.add(term)
                fh.write(f"{term}\tterm {len(seen)}\t\t\t\tconcept\t\t\n")


def run_measured(argv: list[str], env: dict[str, str], cwd: Path) -> dict:
    """One command in its own process: exit status, wall and CPU seconds, peak RSS in MB."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""  # type: ignore[union-attr]
    err = proc.stderr.read() if proc.stderr else b""  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(proc.pid, 0)
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "out": out.decode(errors="replace"),
        "said": (err.decode(errors="replace").strip().splitlines() or [""])[-1][:200],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--terms", type=int, default=200_000, help="terms in the glossary")
    ap.add_argument("--vocabulary", choices=["random", "corpus"], default="random", help="made-up words, or the corpus' words")
    args = ap.parse_args()
    raw = SEED.read_text(encoding="utf-8")
    document = raw[raw.index("DOCUMENT I \n") : raw.index("DOCUMENT II")]
    steps: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="tolmach-glossary-scale-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TOLMACH_DATA_DIR=str(work / "data"),
                   TOLMACH_STATE_DIR=str(work / "state"))  # fmt: skip
        terms, text = work / "terms.ru-en.tsv", work / "document.txt"
        (make_glossary if args.vocabulary == "random" else corpus_glossary)(terms, args.terms)
        text.write_text(document, encoding="utf-8")
        old_db, db = work / "today.db", work / "terms.db"
        steps["import (today)"] = run_measured(["-c", IMPORT_TODAY, "--db", str(old_db), "glossary", "import", str(terms)], env, work)
        steps["import"] = run_measured(["-m", "tolmach", "--db", str(db), "glossary", "import", str(terms)], env, work)
        match = ["-m", "tolmach", "--db", str(db), "glossary", "match", "--json", document]
        steps["first match"] = run_measured(match, env, work)
        steps["repeat match"] = run_measured(match, env, work)
        steps["whole glossary (today)"] = run_measured(["-c", WHOLE, str(db), str(text)], env, work)

    def hits(step: str) -> list[tuple[int, int, int]]:
        rows = [json.loads(line) for line in steps[step]["out"].splitlines() if line.strip()]
        return [(r["start"], r["end"], r["entry"]) for r in rows]

    same = hits("first match") == hits("whole glossary (today)")
    print(f"{args.terms:,} terms ({args.vocabulary} words); Document I of the seed ({len(document):,} characters); one process per step")
    print(f"{'step':24} {'exit':>4} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for name, r in steps.items():
        print(f"{name:24} {r['exit']:>4} {r['wall_s']:>8.1f} {r['cpu_s']:>8.1f} {r['peak_mb']:>8.0f}")
    for name, r in steps.items():
        if r["exit"]:
            print(f"  {name}: {r['said']}")
    first, whole = steps["first match"], steps["whole glossary (today)"]
    imp, imp_old = steps["import"], steps["import (today)"]
    print(f"first match: {whole['cpu_s'] / max(first['cpu_s'], 0.01):.0f}x less CPU, "
          f"{whole['peak_mb'] / max(first['peak_mb'], 1):.1f}x less peak memory than compiling the whole glossary; "
          f"same {len(hits('first match'))} hits: {'yes' if same else 'NO'}")  # fmt: skip
    print(f"import + first match: {imp['cpu_s'] + first['cpu_s']:.1f} s CPU, "
          f"against {imp_old['cpu_s'] + whole['cpu_s']:.1f} s before "
          f"({(imp_old['cpu_s'] + whole['cpu_s']) / max(imp['cpu_s'] + first['cpu_s'], 0.01):.1f}x)")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other jobs while measuring",
        "python": platform.python_version(),
        "terms": args.terms,
        "vocabulary": args.vocabulary,
        "text_chars": len(document),
        "same_hits": same,
        "steps": {k: {x: v for x, v in r.items() if x != "out"} for k, r in steps.items()},
    }
    (RESULTS / f"glossary_scale_{args.vocabulary}.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / f'glossary_scale_{args.vocabulary}.json'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
