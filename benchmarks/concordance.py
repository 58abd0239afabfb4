"""Concordance over a million segments: Tolmach's search against a plain SQL ``LIKE`` scan.

Generates ``--segments`` (default 1,000,000) Russian-like sentences (every inflected
form of the seeds' Russian words, Zipf-distributed, as in ``tm_match.py``) in documents
of 10,000 segments with one bead each, a third of them with an English target, in a
fresh SQLite file, then measures in one run:

* **index build**: the FTS5 trigram indexes (``ensure_index``);
* **tolmach**: :func:`tolmach.service.memory.search` on the source side (first 200 hits,
  inflected forms included: a query word in its dictionary form finds every case);
* **LIKE**: ``SELECT ... FROM segments WHERE text LIKE '%stem%' LIMIT 200`` and the same
  without the limit (every hit, a full scan), what a user of the database would
  otherwise type, for the query's first stem (no inflection check, no second word).

Word queries of a rare, a middling and a common word, and a two-word phrase; each run
``--repeat`` times, p50 reported.  Prints a table and writes
``benchmarks/results/concordance.json``.
Usage: ``.venv/bin/python benchmarks/concordance.py [--segments 1000000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "concordance.json"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

PER_DOC = 10_000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from sqlalchemy import insert
    from tm_match import sentence, vocabulary

    from tolmach.text.morphology import analyzer as _morph
    from tolmach.memory.concordance import stem
    from tolmach.service.memory import ensure_index, search
    from tolmach.store import Bead, Document, Segment, open_store

    rng = random.Random(1968)
    vocab = vocabulary(rng, 30_000)
    cum = list(itertools.accumulate(1.0 / (r + 10) for r in range(len(vocab))))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "concordance.db"
        store = open_store(path)
        t0 = time.perf_counter()
        made = 0
        while made < args.segments:
            n = min(PER_DOC, args.segments - made)
            with store.transaction() as s:
                doc = Document(name=f"doc {made // PER_DOC + 1}", source_lang="ru", target_lang="en")
                s.add(doc)
                s.flush()
                segs = [{"document_id": doc.id, "position": i, "kind": "body", "lang": "ru", "paragraph": i // 5,
                         "text": sentence(rng, vocab, cum)} for i in range(n)]
                s.execute(insert(Segment), segs)
                s.execute(insert(Bead), [{"document_id": doc.id, "position": i, "src_start": i, "src_end": i + 1,
                                          "target": f"translation {made + i}" if i % 3 == 0 else "",
                                          "status": "edited" if i % 3 == 0 else "empty"} for i in range(n)])
            made += n
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ensure_index(store)
        index_s = time.perf_counter() - t0
        db_mb = path.stat().st_size / 2**20

        # words by rank: rare, middling, common (lemmas: the query is the dictionary form)
        def lemma(i: int) -> str:
            return _morph().parse(vocab[i])[0].normal_form

        queries = {
            "rare word": lemma(len(vocab) - 50),
            "middling word": lemma(2_000),
            "common word": lemma(30),
            "two-word phrase": f"{lemma(40)} {lemma(41)}",
        }
        rows = []
        with store.read() as s:
            conn = s.connection().connection.driver_connection
            for label, q in queries.items():
                ours, like, scan = [], [], []
                hits = 0
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    r = search(store, q, side="source", limit=200)
                    ours.append(time.perf_counter() - t)
                    hits = len(r.hits)
                    needle = stem(q.split()[0])
                    t = time.perf_counter()
                    conn.execute("SELECT id, text FROM segments WHERE text LIKE ? LIMIT 200", (f"%{needle}%",)).fetchall()
                    like.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    conn.execute("SELECT count(*) FROM segments WHERE text LIKE ?", (f"%{needle}%",)).fetchall()
                    scan.append(time.perf_counter() - t)
                rows.append({"query": label, "text": q, "hits": hits,
                             "tolmach_ms": round(statistics.median(ours) * 1000, 1),
                             "like_ms": round(statistics.median(like) * 1000, 1),
                             "like_all_ms": round(statistics.median(scan) * 1000, 1)})
        store.close()

    result = {
        "segments": args.segments,
        "load_s": round(load_s, 1),
        "index_build_s": round(index_s, 1),
        "database_mb": round(db_mb),
        "queries": rows,
        "machine": f"{platform.machine()} {platform.python_version()}, shared 2-core build machine",
    }
    print(f"{args.segments:,} segments: loaded in {load_s:.0f} s, trigram indexes built in {index_s:.0f} s ({db_mb:.0f} MB)")
    print(f"{'query':<18}{'text':<34}{'hits':>6}{'tolmach ms':>12}{'LIKE 200':>10}{'LIKE all':>10}{'ratio':>8}")
    for r in rows:
        ratio = r["like_all_ms"] / r["tolmach_ms"] if r["tolmach_ms"] else float("inf")
        r["ratio_like_all"] = round(ratio, 1)
        print(f"{r['query']:<18}{r['text']:<34}{r['hits']:>6}{r['tolmach_ms']:>12}{r['like_ms']:>10}{r['like_all_ms']:>10}{ratio:>7.1f}x")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
