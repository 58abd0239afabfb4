"""Time and memory of the aligner on a synthetic 20,000-sentence document.

The document is built from the Text+Berg gold beads (test and dev), drawn at random
with replacement until the source side has 20,000 sentences, so it carries real 1:2,
2:1, 0:1 ... beads with a known alignment; a pass of random deletions on the target
side adds long omissions.  The whole-document alignment runs coarse-to-fine; its
time, peak RSS and strict/lax F1 are printed and written to
``benchmarks/results/align_scale.json``.

    .venv/bin/python benchmarks/align_scale.py [--sentences 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tolmach.align import Aligner, Text, score  # noqa: E402
from tolmach.align.io import read_alignments  # noqa: E402

DATA = next((p / "shared" / "data" / "text-berg" for p in ROOT.parents if (p / "shared" / "data" / "text-berg").is_dir()), ROOT.parent / "shared" / "data" / "text-berg")
RESULTS = ROOT / "benchmarks" / "results"


def gold_beads() -> list[tuple[list[str], list[str]]]:
    beads = []
    for name in ["dev"] + [f"test{k}" for k in range(7)]:
        src = (DATA / f"{name}.de").read_text(encoding="utf-8").splitlines()
        tgt = (DATA / f"{name}.fr").read_text(encoding="utf-8").splitlines()
        for s, t in read_alignments(DATA / f"{name}.defr"):
            beads.append(([src[i] for i in s], [tgt[j] for j in t]))
    return beads


def synthetic(size: int, seed: int = 1) -> tuple[list[str], list[str], list]:
    rng = random.Random(seed)
    pool = gold_beads()
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    while len(src) < size:
        s, t = rng.choice(pool)
        if rng.random() < 0.002:  # an omitted passage: 5-30 target beads missing
            for _ in range(rng.randint(5, 30)):
                s2, _t2 = rng.choice(pool)
                gold.append((tuple(range(len(src), len(src) + len(s2))), ()))
                src.extend(s2)
            continue
        gold.append((tuple(range(len(src), len(src) + len(s))), tuple(range(len(tgt), len(tgt) + len(t)))))
        src.extend(s)
        tgt.extend(t)
    return src, tgt, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=20_000)
    args = ap.parse_args()
    src, tgt, gold = synthetic(args.sentences)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    beads = Aligner().align_many([(Text(src), Text(tgt))])[0]
    seconds = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sc = score([gold], [[(b.src, b.tgt) for b in beads]])
    full_grid_mb = (len(src) + 1) * (len(tgt) + 1) * 4 * 2 / 2**20  # costs + back-pointers, float32
    result = {
        "source_sentences": len(src),
        "target_sentences": len(tgt),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(rss1 / 1024, 1),
        "rss_growth_mb": round((rss1 - rss0) / 1024, 1),
        "full_grid_would_need_mb": round(full_grid_mb, 1),
        "scores": {k: round(v, 4) for k, v in sc.as_dict().items()},
    }
    print(f"{'sentences (src x tgt)':28} {len(src)} x {len(tgt)}")
    print(f"{'time':28} {seconds:.1f} s")
    print(f"{'peak RSS (whole process)':28} {rss1 / 1024:.0f} MB   (grew {(rss1 - rss0) / 1024:.0f} MB while aligning)")
    print(f"{'a full DP grid would need':28} {full_grid_mb:.0f} MB for costs and back-pointers of one shape")
    print(f"{'strict F1 / lax F1':28} {sc.f1_strict:.3f} / {sc.f1_lax:.3f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_scale.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
