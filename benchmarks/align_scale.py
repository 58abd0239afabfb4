"""Time, memory and accuracy of the aligner on long generated documents, beside hunalign's.

Each document is built from the Text+Berg gold beads (test and dev), drawn at random with
replacement until the source side has N sentences, so it carries real 1:2, 2:1, 0:1 ...
beads with a known alignment; random omitted passages (5–30 beads) add long 1:0 runs.
The pool holds 1,456 German and 1,558 French sentences, so a long document would repeat
them (~14 times at 20,000) and the aligner's per-sentence caches would always hit; so every
sentence of a document is made distinct, as in a real text, by leaving one word out of
each repeated copy (on each side independently: the pair stays a translation but for a
word).  ``--repeated`` keeps the repeated copies (the session-9 default, kinder to caches).
Tolmach aligns as ``tolmach align`` does by default: with the installed FreeDict German–French
dictionary (Debian ``dict-freedict-deu-fra``) when there is one, read for the document's
words inside the timed part; ``--no-dict`` leaves it out (each row says which).
Every size runs in a fresh process (peak RSS is the process's own), Tolmach first, then
hunalign on the same sentences (one per line, no dictionary, ``-realign``: its own
lexicon bootstrap, as Tolmach learns one) when a hunalign binary is given in ``$HUNALIGN``
or is on PATH.  hunalign is not part of Tolmach and is never downloaded or built here:
without it its columns say "skipped".

    .venv/bin/python benchmarks/align_scale.py [--sizes 5000,10000,20000[,80000]] [--hunalign-max 20000] [--repeated] [--no-dict]

Prints a table (wall and CPU seconds, the latter with the aligner's forked helper process
when a second core was idle, peak RSS and the helper's, strict/lax F1, CPU seconds per
1,000 sentences to show how the cost grows, and hunalign's time over Tolmach's) and writes
``benchmarks/results/align_scale.json`` (``align_scale_repeated.json`` with ``--repeated``, ``_no_dict`` added with ``--no-dict``).  The build machine has 2 cores shared with
other jobs: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tolmach.align import Aligner, Text, score  # noqa: E402
from tolmach.align.io import read_alignments  # noqa: E402

DATA = next(
    (p / "shared" / "data" / "text-berg" for p in ROOT.parents if (p / "shared" / "data" / "text-berg").is_dir()),
    ROOT.parent / "shared" / "data" / "text-berg",
)
RESULTS = ROOT / "benchmarks" / "results"


def gold_beads() -> list[tuple[list[str], list[str]]]:
    beads = []
    for name in ["dev"] + [f"test{k}" for k in range(7)]:
        src = (DATA / f"{name}.de").read_text(encoding="utf-8").splitlines()
        tgt = (DATA / f"{name}.fr").read_text(encoding="utf-8").splitlines()
        for s, t in read_alignments(DATA / f"{name}.defr"):
            beads.append(([src[i] for i in s], [tgt[j] for j in t]))
    return beads


def _fresh(sentence: str, seen: set[str], rng: random.Random) -> str:
    """``sentence``, or, if it was used already, a copy with one word left out that was not."""
    words = sentence.split()
    for k in rng.sample(range(len(words)), len(words)) if sentence in seen and len(words) > 1 else ():
        variant = " ".join(words[:k] + words[k + 1 :])
        if variant not in seen:
            sentence = variant
            break
    seen.add(sentence)
    return sentence


def synthetic(size: int, seed: int = 1, distinct: bool = True) -> tuple[list[str], list[str], list]:
    rng = random.Random(seed)
    pool = gold_beads()
    seen_src: set[str] = set()
    seen_tgt: set[str] = set()

    def draw(beads: list[tuple[list[str], list[str]]]) -> tuple[list[str], list[str]]:
        s, t = rng.choice(beads)
        if not distinct:
            return s, t
        # every sentence of the document distinct (see the module's docstring)
        return [_fresh(x, seen_src, rng) for x in s], [_fresh(x, seen_tgt, rng) for x in t]

    src: list[str] = []
    tgt: list[str] = []
    gold = []
    while len(src) < size:
        s, t = draw(pool)
        if rng.random() < 0.002:  # an omitted passage: 5-30 target beads missing
            for _ in range(rng.randint(5, 30)):
                s2, _t2 = draw(pool)
                gold.append((tuple(range(len(src), len(src) + len(s2))), ()))
                src.extend(s2)
            continue
        gold.append((tuple(range(len(src), len(src) + len(s))), tuple(range(len(tgt), len(tgt) + len(t)))))
        src.extend(s)
        tgt.extend(t)
    return src, tgt, gold


def run_tolmach(size: int, distinct: bool = True, use_dict: bool = True) -> dict:
    """One size, in this process (the parent starts a fresh one per size); with the
    installed dictionary as `tolmach align` finds it unless ``use_dict`` is false (the
    finder needs no store: the command's project database, opened for its glossary, is
    not part of this figure)."""
    from tolmach.align.dictionary import general_dictionary

    src, tgt, gold = synthetic(size, distinct=distinct)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0, k0 = time.perf_counter(), time.process_time(), os.times()
    general, used = general_dictionary((), use_dict, "de", "fr", [(src, tgt)])
    beads = Aligner(general=general).align_many([(Text(src), Text(tgt))])[0]
    seconds, cpu, k1 = time.perf_counter() - t0, time.process_time() - c0, os.times()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # the aligner may fork a child for half of the window searches (a second core idle):
    # its CPU counts, and its peak RSS (most of it pages shared with this process)
    child_cpu = (k1.children_user + k1.children_system) - (k0.children_user + k0.children_system)
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sc = score([gold], [[(b.src, b.tgt) for b in beads]])
    from tolmach.align import dp

    return {
        "dp": "numba" if dp.compiled() is not None else "numpy",
        "source_sentences": len(src), "target_sentences": len(tgt),
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu + child_cpu, 2), "child_cpu_seconds": round(child_cpu, 2),
        "peak_rss_mb": round(rss / 1024, 1), "rss_growth_mb": round((rss - rss0) / 1024, 1),
        "child_peak_rss_mb": round(child_rss / 1024, 1),
        "f1_strict": round(sc.f1_strict, 4), "f1_lax": round(sc.f1_lax, 4),
        "dictionary": used or None, "dictionary_pairs": len(general),
    }  # fmt: skip


def find_hunalign() -> tuple[Path | None, str]:
    """A hunalign binary: ``$HUNALIGN`` or ``hunalign`` on PATH; else None and why."""
    given = os.environ.get("HUNALIGN")
    if given:
        if not os.access(given, os.X_OK):
            return None, f"$HUNALIGN={given} is not an executable file"
        return Path(given), f"$HUNALIGN={given}"
    found = shutil.which("hunalign")
    if found:
        return Path(found), f"{found} on PATH"
    return None, "skipped: no hunalign binary in $HUNALIGN or on PATH (it is not downloaded or built here)"


def run_hunalign(binary: Path, size: int, work: Path, distinct: bool = True) -> dict:
    src, tgt, gold = synthetic(size, distinct=distinct)
    s_path, t_path, d_path = work / "src.txt", work / "tgt.txt", work / "empty.dic"
    s_path.write_text("\n".join(src) + "\n", encoding="utf-8")
    t_path.write_text("\n".join(tgt) + "\n", encoding="utf-8")
    d_path.write_text("", encoding="utf-8")
    started = time.perf_counter()
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", str(binary), "-utf", "-realign", str(d_path), str(s_path), str(t_path)],
        capture_output=True, text=True, cwd=work,  # -realign leaves a translate.txt in its working folder
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if out.returncode:
        return {"error": out.stderr.strip()[-300:]}
    ladder = [tuple(int(x) for x in line.split("\t")[:2]) for line in out.stdout.splitlines() if line.strip()]
    beads = [
        (tuple(range(a0, a1)), tuple(range(b0, b1)))
        for (a0, b0), (a1, b1) in zip(ladder, ladder[1:])
        if a1 > a0 or b1 > b0
    ]
    rss_kb, user, system = out.stderr.strip().splitlines()[-1].split()
    sc = score([gold], [beads])
    return {
        "seconds": round(seconds, 2), "cpu_seconds": round(float(user) + float(system), 2),
        "peak_rss_mb": round(int(rss_kb) / 1024, 1), "f1_strict": round(sc.f1_strict, 4),
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,10000,20000", help="source sentences per document, comma-separated")
    ap.add_argument("--hunalign-max", type=int, default=20000, help="run hunalign on sizes up to this (it is slow beyond)")
    ap.add_argument(
        "--dp", choices=["both", "installed", "numpy"], default="both",
        help="the DP's backend: the one installed (numba when the 'fast' extra is), numpy, or both (default; numpy only without numba)",
    )  # fmt: skip
    ap.add_argument(
        "--repeated", action="store_true",
        help="let the document repeat the pool's sentences (~14 times at 20,000; by default each repeated copy loses a word, so every sentence is distinct, as in a real text)",
    )  # fmt: skip
    ap.add_argument("--no-dict", action="store_true", help="align without the installed FreeDict dictionary (tolmach align --no-dict)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON out
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_tolmach(args.one, not args.repeated, not args.no_dict)))
        return
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not there (it comes with shared/).")
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    binary, how = find_hunalign()
    print(f"hunalign: {how}")
    from tolmach.align.dictionary import installed_dictionary

    fd = None if args.no_dict else installed_dictionary("de", "fr")
    print(f"Tolmach's dictionary: {fd or 'none'}" + (" (--no-dict)" if args.no_dict else " (the installed one, as tolmach align uses by default)" if fd else " installed (Debian dict-freedict-deu-fra)"))
    print(f"machine: 2 cores shared with other jobs (load average {os.getloadavg()[0]:.1f}); compare ratios of this run\n")
    print(
        f"{'DP':>5} {'sentences':>17} {'wall s':>7} {'CPU s':>6} {'s/1k':>5} {'RSS MB':>7} {'child':>5} {'F1':>6} {'lax':>6}   "
        f"hunalign: {'wall s':>7} {'CPU s':>6} {'RSS MB':>7} {'F1':>6}   its time / ours (CPU, wall)"
    )
    has_numba = importlib.util.find_spec("numba") is not None
    backends = {"both": ["numba", "numpy"] if has_numba else ["numpy"], "installed": ["numba" if has_numba else "numpy"], "numpy": ["numpy"]}[args.dp]
    base = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    if "numba" in backends:  # the compiled DP's cache (the first alignment after installing compiles, ~9 s, once)
        subprocess.run([sys.executable, __file__, "--one", "2000"], capture_output=True, text=True, env=base, check=True)
    hun: dict[int, dict | None] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size, backend in [(size, b) for size in sizes for b in backends]:
            env = dict(base, TOLMACH_DP=backend)
            extra = ["--repeated"] * args.repeated + ["--no-dict"] * args.no_dict
            out = subprocess.run([sys.executable, __file__, "--one", str(size), *extra], capture_output=True, text=True, env=env)
            if out.returncode:
                print(f"{size}: failed: {out.stderr.strip()[-300:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            first = backend == backends[0]  # hunalign once a size
            if first:
                hun[size] = run_hunalign(binary, size, Path(tmp), not args.repeated) if binary and size <= args.hunalign_max else None
            h = hun[size]
            r["hunalign"] = h
            rows.append(r)
            per_k = r["cpu_seconds"] / (r["source_sentences"] / 1000)
            if h and "error" not in h:
                r["ratio_cpu"] = round(h["cpu_seconds"] / r["cpu_seconds"], 2)
                r["ratio_wall"] = round(h["seconds"] / r["seconds"], 2)
                hs = (
                    f"{h['seconds']:7.1f} {h['cpu_seconds']:6.1f} {h['peak_rss_mb']:7.0f} {h['f1_strict']:6.3f}   "
                    f"{r['ratio_cpu']:.1f}x, {r['ratio_wall']:.1f}x"
                )
            else:
                hs = f"failed: {h['error']}" if h else "skipped" if not binary else f"not run above --hunalign-max {args.hunalign_max}"
            print(
                f"{r['dp']:>5} {r['source_sentences']:>7} x {r['target_sentences']:<7} {r['seconds']:7.1f} {r['cpu_seconds']:6.1f} "
                f"{per_k:5.2f} {r['peak_rss_mb']:7.0f} {r['child_peak_rss_mb']:5.0f} {r['f1_strict']:6.3f} {r['f1_lax']:6.3f}   hunalign: {hs}"
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "machine": f"2-core build machine shared with other jobs, load average {os.getloadavg()[0]:.1f}",
        "hunalign": how, "distinct_sentences": not args.repeated, "dictionary": str(fd) if fd else None, "runs": rows,
    }  # fmt: skip
    name = "align_scale" + "_repeated" * args.repeated + "_no_dict" * args.no_dict
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
