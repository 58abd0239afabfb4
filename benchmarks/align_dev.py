"""Tuning aid: the alignment of the *development* sets under a configuration, in-process.

Runs what `tolmach align SRC TGT` runs (:func:`tolmach.service.alignment.align_files`, one
document at a time, on an empty database with its bundled glossaries) on the Text+Berg
``dev`` document and the ru–en development set, and prints strict F1, the ROC AUC of the
bead score and precision per bead shape.  Configuration fields are given as
``name=value``; ``--dict PATH`` adds a general dictionary.  Only dev data is read: the
test documents are left to ``align_textberg.py``.

    .venv/bin/python benchmarks/align_dev.py [skip_percentile=15 sim_weight=5 ...] [--dict PATH]
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_textberg import RUEN, Run, evaluate, find_text_berg, load_set  # noqa: E402

from tolmach.align import AlignConfig  # noqa: E402


def dev_sets() -> list[tuple[str, list, str, str]]:
    out = []
    tb = find_text_berg()
    if tb is not None and tb.is_dir():
        out.append(("text-berg dev", load_set(tb, ["dev"], "de", "fr", "defr"), "de", "fr"))
    if (RUEN / "dev.names").is_file():
        names = (RUEN / "dev.names").read_text(encoding="utf-8").split()
        out.append(("ru-en dev", load_set(RUEN, names, "ru", "en", "ruen"), "ru", "en"))
    return out


def run(docs, sl: str, tl: str, store, config: AlignConfig, dicts: list[Path], embed: bool) -> Run:
    from tolmach.service.alignment import align_files

    beads = []
    started = time.process_time()
    for d in docs:
        r = align_files(store, d.src, d.tgt, sl, tl, use_mt=False, config=config, dictionaries=dicts, use_embed=embed)
        beads.append([((b.src, b.tgt), b.score) for b in r.beads])
    return Run(beads, time.process_time() - started)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fields", nargs="*", help="AlignConfig fields, name=value")
    ap.add_argument("--dict", action="append", default=[], help="PAIR=PATH: a general dictionary for a pair (de-fr=...)")
    ap.add_argument("--embed", action="store_true")
    ap.add_argument("--only", help="text-berg or ru-en")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    overrides = {}
    for f in args.fields:
        k, v = f.split("=", 1)
        overrides[k] = ast.literal_eval(v)
    config = replace(AlignConfig(), **overrides)
    from tolmach.store import open_store

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "dev.db")
        for name, docs, sl, tl in dev_sets():
            if args.only and not name.startswith(args.only):
                continue
            dicts = [Path(p.split("=", 1)[1]) for p in args.dict if p.split("=", 1)[0] == f"{sl}-{tl}"]
            r = evaluate(docs, run(docs, sl, tl, store, config, dicts, args.embed))
            out[name] = r
            shapes = " ".join(
                f"{k} {v['precision']:.2f}/{v['system']}({v['gold']})" for k, v in r["shapes"].items() if v["system"] or v["gold"]
                if v["precision"] is not None
            )
            print(f"{name:14} F1 {r['scores']['f1_strict']:.4f} lax {r['scores']['f1_lax']:.3f} AUC {r['auc']:.3f} "
                  f"cpu {r['seconds']:.1f}s | {shapes}")  # fmt: skip
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
