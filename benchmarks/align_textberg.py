"""Text+Berg German–French: Tolmach's aligner against the published figures.

Aligns the seven test documents of ``../shared/data/text-berg`` (one sentence per line,
gold in ``.defr``), scores them pooled as Vecalign's ``score.py`` does, and prints strict
and lax precision / recall / F1 and time beside the published results.  No MT and no
neural embeddings: length, anchors, cognates and a lexicon learned from the documents
themselves.  The weights were tuned on ``dev`` only.

    .venv/bin/python benchmarks/align_textberg.py
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tolmach.align import Aligner, Text, score  # noqa: E402
from tolmach.align.io import read_alignments  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "text-berg"
RESULTS = ROOT / "benchmarks" / "results"

PUBLISHED = [  # (system, strict F1, lax F1), from the data set's README
    ("Gale–Church (length only)", 0.68, 0.80),
    ("Bleualign (with MT)", 0.81, 0.95),
    ("Vecalign (LASER embeddings)", 0.90, 0.99),
    ("Bertalign (LaBSE embeddings)", 0.94, 0.99),
]


def load(name: str) -> tuple[list[str], list[str], list]:
    src = (DATA / f"{name}.de").read_text(encoding="utf-8").splitlines()
    tgt = (DATA / f"{name}.fr").read_text(encoding="utf-8").splitlines()
    return src, tgt, read_alignments(DATA / f"{name}.defr")


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not there (it comes with ../shared).")
        return 0
    docs = [load(f"test{k}") for k in range(7)]
    started = time.perf_counter()
    cpu = time.process_time()
    results = Aligner().align_many([(Text(s), Text(t)) for s, t, _ in docs])
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    system = [[(b.src, b.tgt) for b in beads] for beads in results]
    gold = [g for _, _, g in docs]
    scores = score(gold, system)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sentences = sum(len(s) + len(t) for s, t, _ in docs)
    print(f"Text+Berg de–fr, 7 test documents, {sentences} sentences in all\n")
    print(f"{'system':34} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} {'P lax':>6} {'R lax':>6} {'F1 lax':>6}")
    s = scores.as_dict()
    print(
        f"{'Tolmach (no MT, no embeddings)':34} {s['precision_strict']:8.3f} {s['recall_strict']:8.3f} "
        f"{s['f1_strict']:9.3f} {s['precision_lax']:6.3f} {s['recall_lax']:6.3f} {s['f1_lax']:6.3f}"
    )
    for name, strict, lax in PUBLISHED:
        print(f"{name:34} {'':8} {'':8} {strict:9.2f} {'':6} {'':6} {lax:6.2f}")
    print(f"\ntime {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU; peak RSS {rss:.0f} MiB")
    print(f"strict F1 vs Gale–Church: {s['f1_strict'] / 0.68:.2f}×; target ≥ 0.85: {'met' if s['f1_strict'] >= 0.85 else 'NOT met'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {
        "documents": 7,
        "sentences": sentences,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "peak_rss_mib": round(rss, 1),
        "scores": {k: round(v, 4) for k, v in s.items()},
        "published": [{"system": n, "f1_strict": a, "f1_lax": b} for n, a, b in PUBLISHED],
    }
    (RESULTS / "align_textberg.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
