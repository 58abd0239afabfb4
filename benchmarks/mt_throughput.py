#!/usr/bin/env python3
"""Machine-translation throughput against argostranslate and against the hardware's limit.

Same model (the Argos zh→en 1.9 package), same sentences (benchmarks/data/zh_sentences_300.txt:
the 50 sentences of zh_sentences.txt, each alone, with two different openings, and joined
in pairs; 300 distinct, 8–60 tokens), same machine.  Contenders:

* ``argostranslate``   — ``argostranslate.translate.translate(segment, "zh", "en")`` once per
  segment, as a user scripting argostranslate would (given our splitter, one segment = one
  sentence, because its own Stanza/MiniSBD splitter needs the network);
* ``tolmach identical`` — :class:`tolmach.mt.engine.ArgosTranslator` in its default mode
  (batches of equal-length sentences only, several in flight);
* ``tolmach fast``     — the same in ``fast`` mode (padded batches in length order);
* ``tolmach document`` — the whole service path in identical mode: a document in a real
  SQLite file, drafts streamed and saved through the revision journal;
* ``raw ctranslate2``  — the tuned reference: the same tokenizer, every sentence
  length-sorted in *one* ``translate_batch`` call, ``batch_type="tokens"``,
  ``max_batch_size`` 256, ``asynchronous=True``, the same threads (one single-threaded
  worker per core), argostranslate's decoding options.

Every contender runs in a fresh process (its own peak memory, ru_maxrss), in *interleaved*
rounds (A B C D E, A B C D E, ...), and the median of the rounds is reported: on a shared
machine that keeps slow spells from landing on one contender.  Model loading is timed
separately and excluded from sentences/second; CPU time is reported beside wall time.

Also measured: the first-draft latency of ``tolmach translate`` (a subprocess, from its
start until the first draft is visible in the database, polled from outside), and how far
the ``fast`` mode's output is from the identical one (sacrebleu chrF and BLEU).

Writes benchmarks/results/mt_throughput.json with ``ratio_to_limit`` (Tolmach identical ÷
raw CTranslate2, sentences/s medians).

    python benchmarks/mt_throughput.py [--model FILE.argosmodel] [--rounds 3] [--sentences 300]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SENTENCES = HERE / "data" / "zh_sentences_300.txt"
RESULTS = HERE / "results" / "mt_throughput.json"
RAW_BATCH_TOKENS = 256
WARM = "这是预热句子。"
KINDS = ["argostranslate", "tolmach identical", "tolmach fast", "tolmach document", "raw ctranslate2"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn):
    t0, c0 = time.perf_counter(), cpu_seconds()
    out = fn()
    return out, time.perf_counter() - t0, cpu_seconds() - c0


def worker(kind: str, root: Path, sentences: list[str]) -> dict:
    from tolmach.mt import engine, packages

    t0 = time.perf_counter()
    if kind == "argostranslate":
        sys.path.insert(0, str(REPO / "tests"))
        from mt_reference import argos_translate_fn

        translate = argos_translate_fn(root, "zh", "en")
        translate(WARM)  # argostranslate loads its model on first use
        load = time.perf_counter() - t0
        outputs, seconds, cpu = _timed(lambda: [translate(s) for s in sentences])
    elif kind in ("tolmach identical", "tolmach fast"):
        tr = engine.get_translator(packages.find_route("zh", "en", models_dir=root).packages[0])
        tr.translate([WARM])
        load = time.perf_counter() - t0
        outputs, seconds, cpu = _timed(lambda: tr.translate(sentences, mode=kind.split()[1]))
    elif kind == "tolmach document":
        from tolmach.service.beads import load_beads
        from tolmach.service.translation import translate_document
        from tolmach.store import Bead, Document, Segment, open_store

        tr = engine.get_translator(packages.find_route("zh", "en", models_dir=root).packages[0])
        tr.translate([WARM])
        load = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "bench.db")
            with store.transaction() as s:
                doc = Document(name="bench", source_lang="zh-Hans", target_lang="en")
                s.add(doc)
                for i, text in enumerate(sentences):
                    doc.segments.append(Segment(position=i, kind="body", lang="zh-Hans", text=text))
                    doc.beads.append(Bead(position=i, src_start=i, src_end=i + 1))
                s.flush()
                doc_id = doc.id
            _, seconds, cpu = _timed(lambda: translate_document(store, doc_id, translator=tr))
            outputs = [b.target for b in load_beads(store, doc_id)]
            store.close()
    elif kind == "raw ctranslate2":
        import ctranslate2
        from argostranslate.tokenizer import SentencePieceTokenizer

        pkg = packages.find_route("zh", "en", models_dir=root).packages[0]
        inter, intra = engine.default_threads()
        sp = SentencePieceTokenizer(pkg.path / "sentencepiece.model")  # argostranslate's own
        model = ctranslate2.Translator(str(pkg.path / "model"), device="cpu", compute_type="auto",
                                       inter_threads=inter, intra_threads=intra)
        opts = dict(replace_unknowns=True, beam_size=engine.argos_settings()[0], num_hypotheses=1,
                    length_penalty=engine.LENGTH_PENALTY)
        model.translate_batch([sp.encode(WARM)], **opts)
        load = time.perf_counter() - t0

        def run() -> list[str]:
            toks = [sp.encode(s) for s in sentences]
            order = sorted(range(len(toks)), key=lambda i: len(toks[i]))
            futures = model.translate_batch([toks[i] for i in order], max_batch_size=RAW_BATCH_TOKENS,
                                            batch_type="tokens", asynchronous=True, **opts)
            out = [""] * len(toks)
            for i, f in zip(order, futures):
                out[i] = sp.decode(f.result().hypotheses[0]).removeprefix(" ")
            return out

        outputs, seconds, cpu = _timed(run)
    else:
        raise SystemExit(f"unknown worker {kind}")
    return {"outputs": outputs, "seconds": seconds, "cpu_seconds": cpu, "load_seconds": load,
            "peak_rss_mb": peak_rss_mb()}


def first_draft(root: Path, sentences: list[str], tmp: Path, round_no: int) -> dict:
    """``tolmach translate`` as a user runs it: seconds from its start to the first saved draft."""
    from tolmach.store import Bead, Document, Segment, open_store

    db = tmp / f"first-{round_no}.db"
    store = open_store(db)
    with store.transaction() as s:
        doc = Document(name="telegrams", source_lang="zh-Hans", target_lang="en")
        s.add(doc)
        for i, text in enumerate(sentences):
            doc.segments.append(Segment(position=i, kind="body", lang="zh-Hans", text=text))
            doc.beads.append(Bead(position=i, src_start=i, src_end=i + 1))
    store.close()
    env = dict(os.environ, TOLMACH_MODELS_DIR=str(root), PYTHONPATH=str(REPO / "src"))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tolmach", "--db", str(db), "translate", "telegrams"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    first = None
    con = None
    while proc.poll() is None:
        try:
            con = con or sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
            n = con.execute("select count(*) from beads where status = 'machine'").fetchone()[0]
        except sqlite3.Error:
            n = 0
        if n and first is None:
            first = time.perf_counter() - t0
            first_count = n
        time.sleep(0.01)
    total = time.perf_counter() - t0
    if con:
        con.close()
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"tolmach translate failed: {err.strip()}")
    if first is None:  # finished between two polls
        first, first_count = total, len(sentences)
    return {"first_draft_s": first, "first_draft_beads": first_count, "whole_document_s": total}


def find_model(explicit: Path | None) -> Path:
    if explicit:
        return explicit
    sys.path.insert(0, str(REPO / "scripts"))
    from get_zh_model import default_output

    shared = [up / "shared" / "models" / "translate-zh_en-1_9.argosmodel" for up in (REPO.parent, REPO.parent.parent)]
    for c in (os.environ.get("TOLMACH_TEST_MODEL"), *shared, default_output()):
        if c and Path(c).is_file():
            return Path(c)
    print("mt_throughput: SKIPPED, no zh→en model: run `python scripts/get_zh_model.py` (fetches it from PyPI) "
          "or pass --model FILE.argosmodel.")
    raise SystemExit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description="MT throughput: Tolmach vs argostranslate vs raw CTranslate2")
    parser.add_argument("--model", type=Path)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are reported")
    parser.add_argument("--sentences", type=int, default=300, help="how many of the 300 sentences to use")
    parser.add_argument("--skip", action="append", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sentences = SENTENCES.read_text(encoding="utf-8").splitlines()[: args.sentences]
    if args.worker:
        print(json.dumps(worker(args.worker, args.root, sentences), ensure_ascii=False))
        return

    import sacrebleu

    from tolmach.mt import engine, packages

    model = find_model(args.model)
    kinds = [k for k in KINDS if k not in args.skip]
    runs: dict[str, list[dict]] = {k: [] for k in kinds}
    drafts: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        root = tmp / "models"
        pkg = packages.install(model, models_dir=root)
        import sentencepiece as spm

        sp = spm.SentencePieceProcessor(model_file=str(pkg.path / "sentencepiece.model"))
        source_tokens = sum(len(sp.encode(s)) for s in sentences)
        for r in range(args.rounds):
            for kind in kinds:
                out = subprocess.run(
                    [sys.executable, __file__, "--worker", kind, "--root", str(root), "--sentences", str(args.sentences)],
                    capture_output=True, text=True, check=True,
                )
                runs[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(f"  round {r + 1} {kind:<18} {len(sentences) / runs[kind][-1]['seconds']:7.2f} sent/s", flush=True)
            drafts.append(first_draft(root, sentences, tmp, r))
            print(f"  round {r + 1} first draft {drafts[-1]['first_draft_s']:.2f} s", flush=True)

    n = len(sentences)
    med = {k: statistics.median(x["seconds"] for x in v) for k, v in runs.items()}
    reference = runs["argostranslate"][0]["outputs"] if "argostranslate" in runs else runs["tolmach identical"][0]["outputs"]
    raw = med.get("raw ctranslate2")
    argos = med.get("argostranslate")
    rows = []
    for kind in kinds:
        rs = runs[kind]
        outputs = rs[0]["outputs"]
        mismatches = sum(a != b for a, b in zip(outputs, reference)) + abs(len(outputs) - n)
        unstable = sum(any(x["outputs"][i] != outputs[i] for x in rs[1:]) for i in range(len(outputs)))
        rows.append({
            "path": kind,
            "sentences": n,
            "seconds_median": round(med[kind], 3),
            "seconds_all": [round(x["seconds"], 3) for x in rs],
            "sentences_per_s": round(n / med[kind], 2),
            "tokens_per_s": round(source_tokens / med[kind], 1),
            "cpu_seconds_median": round(statistics.median(x["cpu_seconds"] for x in rs), 2),
            "ratio_to_argostranslate": round(argos / med[kind], 2) if argos else None,
            "ratio_to_raw_ctranslate2": round(raw / med[kind], 3) if raw else None,
            "cpu_ratio_to_raw_ctranslate2": (round(statistics.median(x["cpu_seconds"] for x in runs["raw ctranslate2"])
                                                   / statistics.median(x["cpu_seconds"] for x in rs), 3) if raw else None),
            "model_load_s": round(statistics.median(x["load_seconds"] for x in rs), 2),
            "peak_rss_mb": round(max(x["peak_rss_mb"] for x in rs), 1),
            "identical_to_argostranslate": mismatches == 0,
            "changed_vs_argostranslate": mismatches,
            "changed_between_rounds": unstable,
        })
    fast_vs_identical = None
    if "tolmach fast" in runs and "tolmach identical" in runs:
        hyp, ref = runs["tolmach fast"][0]["outputs"], runs["tolmach identical"][0]["outputs"]
        fast_vs_identical = {
            "changed": sum(a != b for a, b in zip(hyp, ref)),
            "chrF": round(sacrebleu.corpus_chrf(hyp, [ref]).score, 2),
            "BLEU": round(sacrebleu.corpus_bleu(hyp, [ref]).score, 2),
        }
    inter, intra = engine.default_threads()
    print()
    print(f"zh→en {model.name}: {n} distinct sentences, {source_tokens} source tokens; {os.cpu_count()} CPUs "
          f"(shared machine, load {os.getloadavg()[0]:.1f}); inter_threads={inter} intra_threads={intra}; "
          f"medians of {args.rounds} interleaved rounds")
    header = (f"{'path':<18} {'sent/s':>7} {'tok/s':>7} {'×argos':>7} {'÷raw':>6} {'CPU s':>7} {'CPU÷raw':>8} "
              f"{'load s':>6} {'peak MB':>8}  identical")
    print(header)
    print("-" * len(header))
    for r in rows:
        ident = "yes" if r["identical_to_argostranslate"] else f"no ({r['changed_vs_argostranslate']})"
        print(f"{r['path']:<18} {r['sentences_per_s']:>7.2f} {r['tokens_per_s']:>7.1f} "
              f"{(r['ratio_to_argostranslate'] or 0):>6.2f}x {(r['ratio_to_raw_ctranslate2'] or 0):>6.3f} "
              f"{r['cpu_seconds_median']:>7.2f} {(r['cpu_ratio_to_raw_ctranslate2'] or 0):>8.3f} "
              f"{r['model_load_s']:>6.2f} {r['peak_rss_mb']:>8.1f}  {ident}")
    fd = {
        "first_draft_s_median": round(statistics.median(d["first_draft_s"] for d in drafts), 2),
        "first_draft_s_all": [round(d["first_draft_s"], 2) for d in drafts],
        "first_draft_beads": drafts[0]["first_draft_beads"],
        "whole_document_s_median": round(statistics.median(d["whole_document_s"] for d in drafts), 2),
    }
    print(f"tolmach translate ({n} beads): first draft saved after {fd['first_draft_s_median']:.2f} s "
          f"(median; {fd['first_draft_beads']} beads), whole document {fd['whole_document_s_median']:.2f} s")
    if fast_vs_identical:
        print(f"fast vs identical: {fast_vs_identical['changed']}/{n} sentences differ, "
              f"chrF {fast_vs_identical['chrF']}, BLEU {fast_vs_identical['BLEU']}")
    by = {r["path"]: r for r in rows}
    ratio = by["tolmach identical"]["ratio_to_raw_ctranslate2"] if raw and "tolmach identical" in by else None
    per_round = None
    if raw and "tolmach identical" in runs:
        per_round = [round(a["seconds"] / b["seconds"], 3) for a, b in zip(runs["raw ctranslate2"], runs["tolmach identical"])]
    print(f"ratio_to_limit (tolmach identical ÷ raw ctranslate2): {ratio} of the medians; "
          f"per round {per_round}, CPU time {by['tolmach identical']['cpu_ratio_to_raw_ctranslate2'] if raw else None}")

    import ctranslate2
    from importlib.metadata import version

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": "mt_throughput",
        "model": model.name,
        "sentences": n,
        "source_tokens": source_tokens,
        "rounds": args.rounds,
        "interleaved": True,
        "statistic": "median",
        "cpus": os.cpu_count(),
        "shared_machine": True,
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "inter_threads": inter,
        "intra_threads": intra,
        "raw_max_batch_tokens": RAW_BATCH_TOKENS,
        "python": platform.python_version(),
        "argostranslate": version("argostranslate"),
        "ctranslate2": ctranslate2.__version__,
        "ratio_to_limit": ratio,
        "ratio_to_limit_per_round": per_round,
        "ratio_to_limit_per_round_median": statistics.median(per_round) if per_round else None,
        "ratio_to_limit_cpu": by["tolmach identical"]["cpu_ratio_to_raw_ctranslate2"] if raw else None,
        "fast_ratio_to_limit": by["tolmach fast"]["ratio_to_raw_ctranslate2"] if raw and "tolmach fast" in by else None,
        "fast_vs_identical": fast_vs_identical,
        "first_draft": fd,
        "rows": rows,
        "sample": [{"source": s, "target": t} for s, t in list(zip(sentences, reference))[:5]],
    }
    tmp_out = RESULTS.with_suffix(".json.part")
    tmp_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp_out.replace(RESULTS)
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
