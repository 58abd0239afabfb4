"""Glossary matching speed: Tolmach's matcher against the matcher a user would write.

The document is Document I of seed 002 (as segmented by the import pipeline), repeated
to 20,000 sentences.  Measured in one run:

* ``tolmach matcher``: :class:`tolmach.glossary.match.Matcher` with its per-text cache off
  and its lemma cache emptied first, so every sentence is matched from scratch;
* ``tolmach service``: :func:`tolmach.service.glossary.hits_for_text` on a real SQLite
  store, as the TUI calls it on a cursor move: on sentences made distinct (a number
  appended, so its per-text cache never helps) and on revisited sentences;
* ``naive``: what a user would otherwise write: terms lemmatised once, but every token of
  every sentence lemmatised by pymorphy3 without a cache, then every entry's every form
  tried at every position.  It is run on the first ``--naive-sentences`` sentences only.

Prints a table and writes ``benchmarks/results/glossary_match.json``.
Usage: ``.venv/bin/python benchmarks/glossary_match.py [--sentences 20000] [--naive-sentences 2000]``
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_089901b84e1e010c.txt"
GLOSSARY = ROOT / "glossaries" / "party-state.ru-en.tsv"
OUT = ROOT / "benchmarks" / "results" / "glossary_match.json"

_TOKEN = re.compile(r"[^\W_]+")


def document_i_sentences() -> list[str]:
    from tolmach.text.pipeline import parse_bytes

    parsed = parse_bytes(SEED.read_bytes(), source_name=SEED.name)
    (doc,) = [d for d in parsed.documents if d.name == "Document I"]
    return [s.text for s in doc.segments]


class NaiveMatcher:
    """The baseline: no lemma cache, no index, every entry tried everywhere."""

    def __init__(self, entries, morph) -> None:  # type: ignore[no-untyped-def]
        self.morph = morph
        self.forms = [
            (e.preferred, [morph.parse(w.lower())[0].normal_form for w in _TOKEN.findall(f)])
            for e in entries
            for f in e.forms
        ]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        toks = [(m.start(), m.end(), self.morph.parse(m.group().lower())[0].normal_form) for m in _TOKEN.finditer(text)]
        lemmas = [t[2] for t in toks]
        out = []
        for preferred, want in self.forms:
            n = len(want)
            for i in range(len(toks) - n + 1):
                if lemmas[i : i + n] == want:
                    out.append((toks[i][0], toks[i + n - 1][1], preferred))
        return out


def timed(fn, items) -> tuple[float, list[float], int]:  # type: ignore[no-untyped-def]
    per: list[float] = []
    hits = 0
    start = time.perf_counter()
    for text in items:
        t0 = time.perf_counter()
        hits += len(fn(text))
        per.append(time.perf_counter() - t0)
    return time.perf_counter() - start, per, hits


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=20_000)
    ap.add_argument("--naive-sentences", type=int, default=2_000)
    args = ap.parse_args(argv)

    from tolmach.glossary import match
    from tolmach.text import morphology
    from tolmach.glossary.entries import read_glossary_tsv
    from tolmach.service import glossary as service
    from tolmach.store import open_store

    base = document_i_sentences()
    sentences = (base * (args.sentences // len(base) + 1))[: args.sentences]
    entries = read_glossary_tsv(GLOSSARY)

    t0 = time.perf_counter()
    morphology.analyzer()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    matcher = match.Matcher(entries, cache_size=0)
    build_s = time.perf_counter() - t0

    match.lemmas.cache_clear()
    match.text_keys.cache_clear()
    cold_total, cold_per, cold_hits = timed(matcher.find, sentences)
    # the first pass over Document I pays for pymorphy3 (cache misses): measured separately
    match.lemmas.cache_clear()
    match.text_keys.cache_clear()
    first_pass_total, first_per, _ = timed(matcher.find, base)

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        service.import_tsv(store, GLOSSARY)
        service.hits_for_text(store, "ЦК")  # compile once
        svc_total, svc_per, svc_hits = timed(lambda t: service.hits_for_text(store, t), sentences)
        distinct = [f"{t} №{i}" for i, t in enumerate(sentences)]  # defeats the per-text cache
        new_total, new_per, _ = timed(lambda t: service.hits_for_text(store, t), distinct)
        store.close()

    import pymorphy3

    naive = NaiveMatcher(entries, pymorphy3.MorphAnalyzer())
    naive_items = sentences[: args.naive_sentences]
    naive_total, naive_per, naive_hits = timed(naive.find, naive_items)
    doc_hits_naive = sum(len(naive.find(s)) for s in base)
    doc_hits_ours = sum(len(matcher.find(s)) for s in base)
    ours = {(i, h.start, h.end) for i, s in enumerate(base) for h in matcher.find(s)}
    theirs = {(i, a, b) for i, s in enumerate(base) for a, b, _ in naive.find(s)}
    naive_recall = len(ours & theirs) / max(1, len(ours))

    ms = lambda total, n: 1000.0 * total / max(n, 1)  # noqa: E731
    rows = [
        ("tolmach matcher (lemma cache, no text cache)", len(sentences), ms(cold_total, len(sentences)), 1000 * pct(cold_per, 0.95)),
        ("tolmach first pass, empty lemma cache", len(base), ms(first_pass_total, len(base)), 1000 * pct(first_per, 0.95)),
        ("tolmach service, new sentences", len(distinct), ms(new_total, len(distinct)), 1000 * pct(new_per, 0.95)),
        ("tolmach service, revisited sentences", len(sentences), ms(svc_total, len(sentences)), 1000 * pct(svc_per, 0.95)),
        ("naive (pymorphy3 per token, scan all)", len(naive_items), ms(naive_total, len(naive_items)), 1000 * pct(naive_per, 0.95)),
    ]
    naive_ms = rows[-1][2]
    print(f"Glossary: {len(entries)} entries, {len(matcher._patterns)} compiled forms; "
          f"pymorphy3 load {load_s * 1000:.0f} ms, matcher build {build_s * 1000:.0f} ms")
    print(f"{'method':<46} {'sentences':>9} {'ms/sentence':>12} {'p95 ms':>8} {'naive ÷ this':>13}")
    for name, n, per, p95 in rows:
        print(f"{name:<46} {n:>9} {per:>12.4f} {p95:>8.4f} {naive_ms / per:>12.1f}x")
    print(
        f"hits on Document I ({len(base)} segments): tolmach {doc_hits_ours}, naive {doc_hits_naive} "
        f"(overlapping sub-terms included); naive finds {naive_recall:.0%} of tolmach's spans"
    )

    result = {
        "benchmark": "glossary_match",
        "document": "Document I of seeds/002 (pipeline segments), repeated",
        "sentences": len(sentences),
        "entries": len(entries),
        "compiled_forms": len(matcher._patterns),
        "pymorphy3_load_ms": round(load_s * 1000, 1),
        "matcher_build_ms": round(build_s * 1000, 1),
        "methods": {
            name: {"sentences": n, "ms_per_sentence": round(per, 5), "p95_ms": round(p95, 5), "speedup_vs_naive": round(naive_ms / per, 1)}
            for name, n, per, p95 in rows
        },
        "hits_document_i": {"tolmach": doc_hits_ours, "naive": doc_hits_naive, "naive_recall_of_tolmach_spans": round(naive_recall, 3)},
        "mean_sentence_chars": round(statistics.mean(len(s) for s in base), 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
