#!/usr/bin/env python3
"""Machine-translation throughput: Tolmach's batched path vs argostranslate per segment.

Same model (the Argos zh→en 1.9 package), same sentences (benchmarks/data/zh_sentences.txt,
repeated), one run.  Each contender runs in its own fresh process so its peak memory
(ru_maxrss) is its own:

* ``argostranslate``  — ``argostranslate.translate.translate(segment, "zh", "en")`` once
  per segment, as a user scripting argostranslate would (given our splitter, one segment =
  one sentence, because its own Stanza/MiniSBD splitter needs the network);
* ``tolmach engine``  — :class:`tolmach.mt.engine.ArgosTranslator` on batches of 32
  segments cut in token-length order (what the service does per committed batch);
* ``tolmach translate_document`` — the whole service path: a document in a real SQLite
  file, drafts written through the revision journal, one transaction per batch.

Model loading is timed separately and excluded from sentences/second.  Outputs are compared
for identity.  Prints a table and writes benchmarks/results/mt_throughput.json.

    python benchmarks/mt_throughput.py [--model FILE.argosmodel] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SENTENCES = HERE / "data" / "zh_sentences.txt"
RESULTS = HERE / "results" / "mt_throughput.json"
BATCH = 32


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process (all threads): less disturbed by other load than wall time."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(kind: str, root: Path, sentences: list[str]) -> dict:
    warm = "这是预热句子。"
    if kind == "argostranslate":
        from tolmach.mt.reference import argos_translate_fn

        t0 = time.perf_counter()
        translate = argos_translate_fn(root, "zh", "en")
        translate(warm)  # argostranslate loads its model on first use
        load = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), cpu_seconds()
        outputs = [translate(s) for s in sentences]
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    elif kind == "tolmach engine":
        from tolmach.mt import engine, packages

        t0 = time.perf_counter()
        tr = engine.get_translator(packages.find_for_pair("zh", "en", models_dir=root))
        tr.translate([warm])
        load = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), cpu_seconds()
        # as the service does: cut batches from the sentences in token-length order
        order = sorted(range(len(sentences)), key=lambda i: tr.token_count(sentences[i]))
        outputs = [""] * len(sentences)
        for i in range(0, len(order), BATCH):
            chunk = order[i : i + BATCH]
            for k, out in zip(chunk, tr.translate([sentences[k] for k in chunk])):
                outputs[k] = out
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    elif kind == "tolmach translate_document":
        from tolmach.mt import engine, packages
        from tolmach.service.beads import load_beads
        from tolmach.service.translation import translate_document
        from tolmach.store import Bead, Document, Segment, open_store

        t0 = time.perf_counter()
        tr = engine.get_translator(packages.find_for_pair("zh", "en", models_dir=root))
        tr.translate([warm])
        load = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "bench.db")
            with store.transaction() as s:
                doc = Document(name="bench", source_lang="zh", target_lang="en")
                s.add(doc)
                for i, text in enumerate(sentences):
                    doc.segments.append(Segment(position=i, kind="body", lang="zh", text=text))
                    doc.beads.append(Bead(position=i, src_start=i, src_end=i + 1))
                s.flush()
                doc_id = doc.id
            t0, c0 = time.perf_counter(), cpu_seconds()
            translate_document(store, doc_id, translator=tr, batch_size=BATCH)
            seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            outputs = [b.target for b in load_beads(store, doc_id)]
            store.close()
    else:
        raise SystemExit(f"unknown worker {kind}")
    return {"outputs": outputs, "seconds": seconds, "cpu_seconds": cpu, "load_seconds": load, "peak_rss_mb": peak_rss_mb()}


def find_model(explicit: Path | None) -> Path:
    if explicit:
        return explicit
    sys.path.insert(0, str(REPO / "scripts"))
    from get_zh_model import default_output

    for c in (os.environ.get("TOLMACH_TEST_MODEL"), REPO.parent / "shared" / "models" / "translate-zh_en-1_9.argosmodel", default_output()):
        if c and Path(c).is_file():
            return Path(c)
    print("mt_throughput: SKIPPED, no zh→en model: run `python scripts/get_zh_model.py` (fetches it from PyPI) "
          "or pass --model FILE.argosmodel.")
    raise SystemExit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description="MT throughput: Tolmach batched vs argostranslate per segment")
    parser.add_argument("--model", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="times the sentence list is repeated")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sentences = SENTENCES.read_text(encoding="utf-8").splitlines() * args.repeat
    if args.worker:
        print(json.dumps(worker(args.worker, args.root, sentences), ensure_ascii=False))
        return

    from tolmach.mt import packages

    model = find_model(args.model)
    kinds = ["argostranslate", "tolmach engine", "tolmach translate_document"]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "models"
        packages.install(model, models_dir=root)
        for kind in kinds:
            out = subprocess.run(
                [sys.executable, __file__, "--worker", kind, "--root", str(root), "--repeat", str(args.repeat)],
                capture_output=True, text=True, check=True,
            )
            results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    base = results["argostranslate"]
    n = len(sentences)
    rows = []
    for kind in kinds:
        r = results[kind]
        mismatches = sum(a != b for a, b in zip(r["outputs"], base["outputs"])) + abs(len(r["outputs"]) - n)
        rows.append(
            {
                "path": kind,
                "sentences": n,
                "seconds": round(r["seconds"], 3),
                "sentences_per_s": round(n / r["seconds"], 2),
                "speedup_vs_argostranslate": round(base["seconds"] / r["seconds"], 2),
                "cpu_seconds": round(r["cpu_seconds"], 2),
                "cpu_ratio_vs_argostranslate": round(base["cpu_seconds"] / r["cpu_seconds"], 2),
                "model_load_s": round(r["load_seconds"], 2),
                "peak_rss_mb": round(r["peak_rss_mb"], 1),
                "outputs_identical": mismatches == 0,
                "mismatches": mismatches,
            }
        )
    header = f"{'path':<28} {'sent/s':>8} {'speedup':>8} {'CPU s':>7} {'CPU gain':>8} {'load s':>7} {'peak MB':>8}  identical"
    print(f"zh→en {model.name}, {n} segments ({len(set(sentences))} distinct), batch {BATCH}, {os.cpu_count()} CPUs")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['path']:<28} {r['sentences_per_s']:>8.2f} {r['speedup_vs_argostranslate']:>7.2f}x "
            f"{r['cpu_seconds']:>7.2f} {r['cpu_ratio_vs_argostranslate']:>7.2f}x "
            f"{r['model_load_s']:>7.2f} {r['peak_rss_mb']:>8.1f}  {'yes' if r['outputs_identical'] else 'NO (%d)' % r['mismatches']}"
        )
    import argostranslate  # noqa: F401  (version only)
    import ctranslate2
    from importlib.metadata import version

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": "mt_throughput",
        "model": model.name,
        "segments": n,
        "distinct_segments": len(set(sentences)),
        "batch": BATCH,
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg()[0],
        "python": platform.python_version(),
        "argostranslate": version("argostranslate"),
        "ctranslate2": ctranslate2.__version__,
        "rows": rows,
        "sample": [{"source": s, "target": t} for s, t in list(zip(sentences, base["outputs"]))[:5]],
    }
    tmp_out = RESULTS.with_suffix(".json.part")
    tmp_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp_out.replace(RESULTS)
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
