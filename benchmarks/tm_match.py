"""Translation-memory fuzzy matching at scale: Tolmach against a plain rapidfuzz scan.

Generates a memory of ``--units`` (default 200,000) Russian-like sentences (words drawn
from a Zipf distribution over every inflected form of the seeds' Russian words, some
numbers), stores them as one external memory in a fresh SQLite file, and measures in one
run:

* **index build**: creating the FTS5 trigram index over the units (``ensure_index``);
* **tolmach**: :func:`tolmach.service.memory.match` (index candidates, then Tolmach's
  scorer), p50/p95 per query;
* **rapidfuzz**: ``rapidfuzz.process.extract(query, all_sources, scorer=fuzz.ratio,
  limit=5)`` over every unit in memory, what a user would otherwise write; same queries;
* **translate-toolkit**: ``translate.search.match.matcher`` (the matcher of tmserver),
  on the first ``--tt-queries`` queries (it is slow).

Queries are units of the memory with one to three words changed and a number changed
(the memory's own unit is then the expected best match).  "Same top match" counts
queries where Tolmach's best match is the same unit as rapidfuzz's, and where each finds
the unit the query was made from.

Prints a table and writes ``benchmarks/results/tm_match.json``.
Usage: ``.venv/bin/python benchmarks/tm_match.py [--units 200000] [--queries 200]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "tm_match.json"
sys.path.insert(0, str(ROOT / "src"))

_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Real Russian word forms: every form (pymorphy3 lexeme) of the seeds' Russian words."""
    from tolmach.text.morphology import analyzer as _morph

    lemmas: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        lemmas += [w.lower() for w in _WORD.findall(seed.read_text(encoding="utf-8")) if len(w) > 2]
    words: dict[str, None] = {}
    for w in dict.fromkeys(lemmas):
        for form in _morph().parse(w)[0].lexeme:
            words[form.word] = None
    out = list(words)
    rng.shuffle(out)
    return out[:size]


def sentence(rng: random.Random, vocab: list[str], cum_weights: list[float]) -> str:
    n = rng.randint(8, 24)
    ws = rng.choices(vocab, cum_weights=cum_weights, k=n)
    if rng.random() < 0.4:
        ws.insert(rng.randrange(len(ws)), str(rng.randint(1, 2000)))
    ws[0] = ws[0].capitalize()
    if n > 12:
        ws[n // 2] += ","
    return " ".join(ws) + "."


def mutate(rng: random.Random, s: str, vocab: list[str]) -> str:
    ws = s[:-1].split(" ")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(ws))
        ws[i] = rng.choice(vocab)
    nums = [i for i, w in enumerate(ws) if w.isdigit()]
    if nums:
        ws[nums[0]] = str(int(ws[nums[0]]) + 1)
    return " ".join(ws) + "."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--tt-queries", type=int, default=20, help="queries also run through translate-toolkit's matcher (slow)")
    args = ap.parse_args()

    from rapidfuzz import fuzz, process
    from sqlalchemy import insert

    from tolmach.service.memory import ensure_index, match
    from tolmach.store import open_store
    from tolmach.store.models import TmMemory, TmUnit

    rng = random.Random(14)
    vocab = vocabulary(rng, 30_000)
    cum = list(itertools.accumulate(1.0 / (r + 10) for r in range(len(vocab))))  # Zipf-like
    sources = list(dict.fromkeys(sentence(rng, vocab, cum) for _ in range(args.units)))
    picks = rng.sample(range(len(sources)), args.queries)
    queries = [(i, mutate(rng, sources[i], vocab)) for i in picks]

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "tm.db")
        t0 = time.perf_counter()
        with store.transaction() as s:
            mem = TmMemory(name="bench", src_lang="ru", tgt_lang="en")
            s.add(mem)
            s.flush()
            rows = [{"memory_id": mem.id, "source": src, "target": f"target {k}", "src_lang": "ru", "tgt_lang": "en"}
                    for k, src in enumerate(sources)]
            for i in range(0, len(rows), 20_000):
                s.execute(insert(TmUnit), rows[i : i + 20_000])
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ensure_index(store)
        index_s = time.perf_counter() - t0
        db_mb = (Path(tmp) / "tm.db").stat().st_size / 2**20

        match(store, queries[0][1])  # warm the connection and caches
        ours, theirs = [], []
        same, ours_right, theirs_right = 0, 0, 0
        for i, q in queries:
            t = time.perf_counter()
            found = match(store, q, limit=5, minimum=50)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            ref = process.extract(q, sources, scorer=fuzz.ratio, limit=5)
            theirs.append(time.perf_counter() - t)
            top = found[0].source if found else None
            same += top == ref[0][0]
            ours_right += top == sources[i]
            theirs_right += ref[0][0] == sources[i]
        store.close()

    # translate-toolkit's matcher (what tmserver and pootle used): Levenshtein over candidates
    # pre-filtered by length, in Python; on a subset of the queries
    from translate.search import match as tt_match
    from translate.storage import base as tt_base

    t0 = time.perf_counter()
    tt_store = tt_base.TranslationStore()
    for k, src in enumerate(sources):
        unit = tt_base.TranslationUnit(src)
        unit.target = f"target {k}"
        tt_store.addunit(unit)
    matcher = tt_match.matcher(tt_store, max_candidates=5, min_similarity=50, max_length=1000)
    tt_build_s = time.perf_counter() - t0
    tt_times, tt_right = [], 0
    for i, q in queries[: args.tt_queries]:
        t = time.perf_counter()
        found_tt = matcher.matches(q)
        tt_times.append(time.perf_counter() - t)
        tt_right += bool(found_tt) and found_tt[0].source == sources[i]
    ours_subset = ours[: args.tt_queries]

    def pct(xs: list[float], p: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000

    result = {
        "units": len(sources),
        "queries": len(queries),
        "load_s": round(load_s, 2),
        "index_build_s": round(index_s, 2),
        "database_mb": round(db_mb, 1),
        "tolmach_p50_ms": round(pct(ours, 0.5), 2),
        "tolmach_p95_ms": round(pct(ours, 0.95), 2),
        "rapidfuzz_p50_ms": round(pct(theirs, 0.5), 2),
        "rapidfuzz_p95_ms": round(pct(theirs, 0.95), 2),
        "speedup_p50": round(statistics.median(theirs) / statistics.median(ours), 1),
        "same_top_match": f"{same}/{len(queries)}",
        "translate_toolkit_build_s": round(tt_build_s, 1),
        "translate_toolkit_p50_ms": round(statistics.median(tt_times) * 1000, 1),
        "translate_toolkit_queries": len(tt_times),
        "translate_toolkit_finds_origin": f"{tt_right}/{len(tt_times)}",
        "speedup_vs_translate_toolkit_p50": round(statistics.median(tt_times) / statistics.median(ours_subset), 1),
        "tolmach_finds_origin": f"{ours_right}/{len(queries)}",
        "rapidfuzz_finds_origin": f"{theirs_right}/{len(queries)}",
        "machine": f"{platform.machine()} {platform.python_version()}, shared 2-core build machine",
    }
    print(f"memory of {result['units']:,} units: loaded in {load_s:.1f} s, trigram index built in {index_s:.1f} s ({db_mb:.0f} MB file)")
    print(f"{'':<22}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'tolmach match':<22}{result['tolmach_p50_ms']:>10}{result['tolmach_p95_ms']:>10}")
    print(f"{'rapidfuzz extract':<22}{result['rapidfuzz_p50_ms']:>10}{result['rapidfuzz_p95_ms']:>10}")
    print(f"{'translate-toolkit':<22}{result['translate_toolkit_p50_ms']:>10}{'':>10}  ({len(tt_times)} queries; "
          f"finds the origin {result['translate_toolkit_finds_origin']}; {result['speedup_vs_translate_toolkit_p50']}x slower than tolmach)")
    print(f"speed-up at p50: {result['speedup_p50']}x; same top match: {result['same_top_match']}; "
          f"finds the unit the query came from: tolmach {result['tolmach_finds_origin']}, rapidfuzz {result['rapidfuzz_finds_origin']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
