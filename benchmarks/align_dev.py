"""Tuning aid: the alignment of the *development* sets under a configuration, in-process.

Runs what `tolmach align SRC TGT` runs (:func:`tolmach.service.alignment.align_files`, one
document at a time, on an empty database with its bundled glossaries) on the Text+Berg
``dev`` document and the ru–en development set, and prints strict F1, the ROC AUC of the
bead score and precision per bead shape.  Configuration fields are given as
``name=value``; ``--dict PAIR=PATH`` adds a general dictionary, ``--installed-dict`` the
installed FreeDict one of each pair as `tolmach align` uses it by default (without either
no dictionary: the session-10 baselines were measured so), ``--no-glossary`` leaves the
bundled glossaries out.  Only dev data is read: the
test documents are left to ``align_textberg.py``.

    .venv/bin/python benchmarks/align_dev.py [skip_percentile=15 sim_weight=5 ...] [--dict de-fr=PATH | --installed-dict] [--no-glossary] [--pieces 2,3,4,6] [--pieces-project 3,4,6 [--oracle]] [--project [--bench-split]] [--dev2] [--against FIELD=VALUE ...] [--list 1:0]
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_textberg import RUEN, Doc, Run, evaluate, find_text_berg, load_set, shape_name  # noqa: E402

from tolmach.align import AlignConfig  # noqa: E402


DEFR = ROOT / "benchmarks" / "data" / "de-fr"


def dev_sets(dev2: bool = False) -> list[tuple[str, list, str, str]]:
    """The development sets: Text+Berg dev, ru–en dev and, with ``dev2``, the second
    German–French set (27 Bible narratives, Menge 1939 / Crampon 1923, built by
    ``align_make_defr.py``)."""
    out = []
    tb = find_text_berg()
    if tb is not None and tb.is_dir():
        out.append(("text-berg dev", load_set(tb, ["dev"], "de", "fr", "defr"), "de", "fr"))
    if (RUEN / "dev.names").is_file():
        names = (RUEN / "dev.names").read_text(encoding="utf-8").split()
        out.append(("ru-en dev", load_set(RUEN, names, "ru", "en", "ruen"), "ru", "en"))
    if dev2 and (DEFR / "dev.names").is_file():
        names = (DEFR / "dev.names").read_text(encoding="utf-8").split()
        out.append(("de-fr dev2", load_set(DEFR, names, "de", "fr", "defr"), "de", "fr"))
    return out


def coarsen(gold: list, beads: list) -> list:
    """The system's beads at the gold's granularity: dev2's gold bead is a run of whole
    verses (the publisher aligned verses, not sentences), so the beads a system makes inside
    one gold bead (two 1:1 beads of a verse whose gold is 2:2) are scored as one bead, with
    the lowest of their scores.  A bead across a gold boundary stays as it is (and is wrong),
    and so does a skip (1:0, 0:1): a verse is translated whole, so a sentence left out of a
    gold bead with sentences on both sides is an error, as the test documents' wrong 1:0
    beads (members of a gold 2:1 or 2:2) are."""
    owner = {(0, i): k for k, (a, _) in enumerate(gold) for i in a} | {(1, j): k for k, (_, b) in enumerate(gold) for j in b}
    inside: dict[int, list] = {}
    out = []
    for bead, sc in beads:
        ks = {owner.get((0, i)) for i in bead[0]} | {owner.get((1, j)) for j in bead[1]}
        if bead[0] and bead[1] and len(ks) == 1 and None not in ks:
            k = ks.pop()
            if k not in inside:
                inside[k] = []
                out.append(k)
            inside[k].append((bead, sc))
        else:
            out.append((bead, sc))
    return [
        x if not isinstance(x, int) else (
            (tuple(sorted(i for b, _ in inside[x] for i in b[0])), tuple(sorted(j for b, _ in inside[x] for j in b[1]))),
            min(sc for _, sc in inside[x]),
        )
        for x in out
    ]  # fmt: skip


def project_of(name: str, docs: list[Doc]) -> list[Doc]:
    """What ``--project`` aligns each document of a dev set with (`--with`): the ru–en and
    dev2 sets' other documents; for the Text+Berg dev document the seven test texts, as
    unlabelled project text (their gold is never read)."""
    if name.startswith("text-berg"):
        tb = docs[0].src.parent
        return [Doc(f"test{k}", tb / f"test{k}.de", tb / f"test{k}.fr", []) for k in range(7)]
    return docs


def pieces(doc: Doc, k: int, folder: Path, sl: str, tl: str) -> list[Doc]:
    """The document cut at gold bead boundaries into k documents of about the same number of
    gold beads, each written to ``folder`` and aligned alone: the Text+Berg test documents
    are 36-293 sentences, the dev document 468, and one document is too few beads to tell
    .01 of strict F1 from the noise of which beads the lexicon happens to learn from."""
    src = doc.src.read_text(encoding="utf-8").splitlines()
    tgt = doc.tgt.read_text(encoding="utf-8").splitlines()
    gold = doc.gold  # in document order
    out = []
    for p in range(k):
        part = gold[p * len(gold) // k : (p + 1) * len(gold) // k]
        s0 = min(i for a, _ in part for i in a)
        s1 = max(i for a, _ in part for i in a) + 1
        t0 = min(j for _, b in part for j in b)
        t1 = max(j for _, b in part for j in b) + 1
        name = f"{doc.name}-{k}-{p}"
        (folder / f"{name}.{sl}").write_text("\n".join(src[s0:s1]) + "\n", encoding="utf-8")
        (folder / f"{name}.{tl}").write_text("\n".join(tgt[t0:t1]) + "\n", encoding="utf-8")
        shifted = [(tuple(i - s0 for i in a), tuple(j - t0 for j in b)) for a, b in part]
        out.append(Doc(name, folder / f"{name}.{sl}", folder / f"{name}.{tl}", shifted))
    return out


def synthetic(doc: Doc, k: int, seed: int, folder: Path, sl: str, tl: str, rate: float = 0.05) -> list[Doc]:
    """The document cut into k pieces as :func:`pieces` does, each edited with real text as the
    ru–en set was built (``rate`` of the beads each): a German sentence's French dropped (a
    real 1:0 bead: German text with no translation, the shape the dev document has once and
    the test documents eleven times), two neighbouring beads' French sentences joined into
    one line (the beads become one larger bead, e.g. 1:1 + 1:1 → 2:1, 2:1 + 1:1 → 3:1), or
    their German sentences joined (1:2 …).  Built from the dev document's gold only."""
    import random

    rng = random.Random(seed)
    src = doc.src.read_text(encoding="utf-8").splitlines()
    tgt = doc.tgt.read_text(encoding="utf-8").splitlines()
    out = []
    for p in range(k):
        part = doc.gold[p * len(doc.gold) // k : (p + 1) * len(doc.gold) // k]
        beads = [([src[i] for i in a], [tgt[j] for j in b]) for a, b in part]
        edited: list[tuple[list[str], list[str]]] = []
        q = 0
        while q < len(beads):
            s, t = beads[q]
            x = rng.random()
            both = q + 1 < len(beads) and s and t and beads[q + 1][0] and beads[q + 1][1]
            if x < rate and len(s) == 1 and t:  # the French left out: a real 1:0 bead
                edited.append((s, []))
            elif x < 2 * rate and both:  # the French of two beads in one line
                s2, t2 = beads[q + 1]
                edited.append((s + s2, [" ".join(t + t2)]))
                q += 1
            elif x < 3 * rate and both:  # the German of two beads in one line
                s2, t2 = beads[q + 1]
                edited.append(([" ".join(s + s2)], t + t2))
                q += 1
            else:
                edited.append((s, t))
            q += 1
        ss: list[str] = []
        tt: list[str] = []
        gold = []
        for s, t in edited:
            if not s:  # 0:1 beads are one a sentence in the gold
                for line in t:
                    gold.append(((), (len(tt),)))
                    tt.append(line)
                continue
            if not t and len(s) > 1:
                for line in s:
                    gold.append(((len(ss),), ()))
                    ss.append(line)
                continue
            gold.append((tuple(range(len(ss), len(ss) + len(s))), tuple(range(len(tt), len(tt) + len(t)))))
            ss.extend(s)
            tt.extend(t)
        name = f"{doc.name}-syn{seed}-{k}-{p}"
        (folder / f"{name}.{sl}").write_text("\n".join(ss) + "\n", encoding="utf-8")
        (folder / f"{name}.{tl}").write_text("\n".join(tt) + "\n", encoding="utf-8")
        out.append(Doc(name, folder / f"{name}.{sl}", folder / f"{name}.{tl}", gold))
    return out


def oracle(parts: list[Doc], sl: str, tl: str, store, config: AlignConfig) -> Run:
    """The ceiling of a project's lexicon (``--oracle``): each piece aligned together with the
    other pieces, their gold beads fixed (anchors, what :meth:`Aligner.align_many` learns the
    lexicon and Model 1 from as certain), every pair kept (``project_confirm`` 0: the fixed
    beads' posteriors of 1 would leave the piece few confident beads of its own).  In-process,
    with the bundled glossary; crossing or non-contiguous gold beads are left unfixed."""
    from tolmach.align.aligner import Aligner, Text, usual_ratio
    from tolmach.service.alignment import glossary_pairs

    def runs(ids) -> bool:
        return bool(ids) and list(ids) == list(range(ids[0], ids[-1] + 1))

    def fixed(d: Doc) -> list:
        out, last = [], (-1, -1)
        for a, b in sorted((tuple(a), tuple(b)) for a, b in d.gold if runs(a) and runs(b)):
            if a[0] > last[0] and b[0] > last[1]:
                out.append((a, b))
                last = (a[-1], b[-1])
        return out

    texts = [
        (Text(d.src.read_text(encoding="utf-8").splitlines()), Text(d.tgt.read_text(encoding="utf-8").splitlines()))
        for d in parts
    ]
    every = replace(config, project_confirm=0)
    beads = []
    started = time.process_time()
    for q in range(len(parts)):
        anchors = [[] if r == q else fixed(d) for r, d in enumerate(parts)]
        aligner = Aligner(every, dictionary=glossary_pairs(store, sl, tl), ratio=usual_ratio(sl, tl))
        beads.append([((b.src, b.tgt), b.score) for b in aligner.align_many(texts, anchors)[q]])
    return Run(beads, time.process_time() - started)


def paired(docs: list[Doc], ran: Run, base: Run) -> dict:
    """Two configurations' runs on the same documents compared document by document: the
    pooled strict F1 of each, the mean of the per-document differences and its standard
    error (the noise of the difference: the documents vary far more than a change moves
    them), and how many documents' beads change at all."""
    import statistics

    mine = [evaluate([d], Run([b], 0))["scores"]["f1_strict"] for d, b in zip(docs, ran.beads)]
    theirs = [evaluate([d], Run([b], 0))["scores"]["f1_strict"] for d, b in zip(docs, base.beads)]
    diffs = [a - b for a, b in zip(mine, theirs)]
    return {
        "f1": evaluate(docs, ran)["scores"]["f1_strict"], "against": evaluate(docs, base)["scores"]["f1_strict"],
        "mean_difference": statistics.mean(diffs), "se": statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else None,
        "changed": sum([x for x, _ in a] != [x for x, _ in b] for a, b in zip(ran.beads, base.beads)), "documents": len(docs),
    }  # fmt: skip


def listing(docs: list[Doc], run: Run, shape: str) -> list[str]:
    """Every emitted bead of ``shape`` ("1:0", "larger" …), right or wrong, and what the gold
    has there: the gold beads its sentences belong to, and the system's beads of those
    sentences (a 1:0 bead that is a member of a gold 3:1, or a 1:1 whose partner the search
    glued elsewhere)."""
    out = []
    for d, beads in zip(docs, run.beads):
        src = d.src.read_text(encoding="utf-8").splitlines()
        tgt = d.tgt.read_text(encoding="utf-8").splitlines()
        gold = [(tuple(a), tuple(b)) for a, b in d.gold]
        gold_of = {(0, i): g for g in gold for i in g[0]} | {(1, j): g for g in gold for j in g[1]}
        ours = {(0, i): b for b, _ in beads for i in b[0]} | {(1, j): b for b, _ in beads for j in b[1]}
        for bead, score in beads:
            if shape_name(bead) != shape:
                continue
            there = sorted({gold_of[k] for k in [(0, i) for i in bead[0]] + [(1, j) for j in bead[1]] if k in gold_of})
            text = " | ".join(src[i].strip()[:60] for i in bead[0]) + " || " + " | ".join(tgt[j].strip()[:60] for j in bead[1])
            out.append(f"{'right' if bead in gold else 'WRONG'} {d.name} {bead} score {score:.2f}: {text}")
            if bead not in gold:
                for g in there:
                    mates = sorted({ours[k] for k in [(0, i) for i in g[0]] + [(1, j) for j in g[1]] if k in ours} - {bead})
                    out.append(f"    gold {g} {shape_name(g)}; the system's beads of its other sentences: {mates}")
    return out


def dev_store(path: Path):
    """An empty database with the bundled glossaries, as `tolmach --db NEW.db align` has
    (the CLI loads them on start-up; without them ru–en dev scores .01 higher than what
    the benchmark and a user get)."""
    from tolmach.service.glossary import ensure_loaded
    from tolmach.store import open_store

    store = open_store(path)
    ensure_loaded(store)
    return store


def run(
    docs, sl: str, tl: str, store, config: AlignConfig, dicts: list[Path], embed: bool, glossary: bool = True,
    project: list | None = None, installed: bool = False,
) -> Run:
    """Each document aligned alone or, with ``project`` (documents, unlabelled), as
    `tolmach align SRC TGT --with DIR` aligns it: DIR holding the project's documents other
    than itself (the ru–en set: the other dev documents; Text+Berg: the test texts, never scored)."""
    from tolmach.service.alignment import align_files

    beads = []
    started = time.process_time()
    for d in docs:
        with tempfile.TemporaryDirectory() as corpus:
            for other in project or ():
                if other is not d:
                    shutil.copy(other.src, Path(corpus) / f"{other.name}.{sl}")
                    shutil.copy(other.tgt, Path(corpus) / f"{other.name}.{tl}")
            r = align_files(
                store, d.src, d.tgt, sl, tl, use_mt=False, config=config, dictionaries=dicts, use_embed=embed,
                use_glossary=glossary, corpus=corpus if project else None, use_dict=installed,
            )  # fmt: skip
        beads.append([((b.src, b.tgt), b.score) for b in r.beads])
    return Run(beads, time.process_time() - started)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fields", nargs="*", help="AlignConfig fields, name=value")
    ap.add_argument("--dict", action="append", default=[], help="PAIR=PATH: a general dictionary for a pair (de-fr=...)")
    ap.add_argument("--installed-dict", action="store_true",
                    help="the installed FreeDict dictionary of each pair, as `tolmach align` uses it by default")
    ap.add_argument("--embed", action="store_true")
    ap.add_argument("--no-glossary", action="store_true", help="without the bundled glossaries (as `tolmach align --no-glossary`)")
    ap.add_argument("--only", help="text-berg, ru-en or de-fr")
    ap.add_argument("--dev2", action="store_true",
                    help="also the second German–French dev set (benchmarks/data/de-fr: 27 Bible narratives, "
                         "scored at the gold's verse granularity); --dev2 --only de-fr for it alone")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--project", action="store_true",
                    help="project mode: each ru–en document aligned with the other 23 (--with), each dev2 document with "
                         "the other 26, the Text+Berg dev document (and its pieces) with the seven test texts as "
                         "unlabelled project text")
    ap.add_argument("--bench-split", action="store_true",
                    help="with --project, the ru–en set as align_textberg.py's project row runs it: the 16 scored "
                         "documents each with the other 15 (per document and project printed)")
    ap.add_argument("--pieces", default="", help="also the Text+Berg dev document cut into k documents, e.g. 2,3,4,6")
    ap.add_argument("--pieces-project", default="", metavar="K,...",
                    help="also the Text+Berg dev document cut into k documents aligned as one project (each piece "
                         "with the other k-1, --with), beside the same pieces aligned alone, e.g. 3,4,6")
    ap.add_argument("--oracle", action="store_true",
                    help="with --pieces-project, also each piece aligned with the other pieces' gold beads fixed (the "
                         "ceiling of a lexicon shared by the project; every pair kept)")
    ap.add_argument("--synthetic", default="", help="also edited pieces of it (1:0 beads, joined lines) for these seeds, e.g. 1,2,3")
    ap.add_argument("--against", nargs="+", default=[], metavar="FIELD=VALUE",
                    help="also run each multi-document set (ru-en, de-fr) with these fields changed and compare document "
                         "by document: the F1 difference and its standard error, and how many documents change")
    ap.add_argument("--list", default="", metavar="SHAPE",
                    help="also list every emitted bead of this shape (1:0, 0:1, 2:1, larger …), right or wrong, and what the gold has there")
    args = ap.parse_args()
    overrides = {}
    for f in args.fields:
        k, v = f.split("=", 1)
        overrides[k] = ast.literal_eval(v)
    config = replace(AlignConfig(), **overrides)
    against = replace(config, **{k: ast.literal_eval(v) for k, v in (f.split("=", 1) for f in args.against)})
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = dev_store(Path(tmp) / "dev.db")
        for name, docs, sl, tl in dev_sets(args.dev2):
            if args.only and not name.startswith(args.only):
                continue
            dicts = [Path(p.split("=", 1)[1]) for p in args.dict if p.split("=", 1)[0] == f"{sl}-{tl}"]
            glossary = not args.no_glossary
            if args.bench_split and name.startswith("ru-en"):  # align_textberg.py: a third chooses the threshold
                docs = docs[len(docs) // 3 :]
                alone = evaluate(docs, run(docs, sl, tl, store, config, dicts, args.embed, glossary, None, args.installed_dict))
                print(f"{name + ' 16':14} F1 {alone['scores']['f1_strict']:.4f} per document (the 16 scored documents)")
            project = project_of(name, docs) if args.project else None
            ran = run(docs, sl, tl, store, config, dicts, args.embed, glossary, project, args.installed_dict)
            if name.startswith("de-fr"):
                ran = Run([coarsen(d.gold, b) for d, b in zip(docs, ran.beads)], ran.seconds)
            r = evaluate(docs, ran)
            out[name] = r
            shapes = " ".join(
                f"{k} {v['precision']:.2f}/{v['system']}({v['gold']})" for k, v in r["shapes"].items() if v["system"] or v["gold"]
                if v["precision"] is not None
            )
            print(f"{name:14} F1 {r['scores']['f1_strict']:.4f} lax {r['scores']['f1_lax']:.3f} AUC {r['auc']:.3f} "
                  f"cpu {r['seconds']:.1f}s | {shapes}")  # fmt: skip
            if args.against and len(docs) > 1:
                base = run(docs, sl, tl, store, against, dicts, args.embed, glossary, project, args.installed_dict)
                if name.startswith("de-fr"):
                    base = Run([coarsen(d.gold, b) for d, b in zip(docs, base.beads)], base.seconds)
                p = out[f"{name} against"] = paired(docs, ran, base)
                print(f"{'  against':14} {' '.join(args.against)}: F1 {p['against']:.4f}; this minus that {p['f1'] - p['against']:+.4f}, "
                      f"per document {p['mean_difference']:+.4f} (se {p['se']:.4f}), {p['changed']} of {p['documents']} documents change")  # fmt: skip
            listed = listing(docs, ran, args.list) if args.list else []
            if args.pieces and name.startswith("text-berg"):
                f1s = [r["scores"]["f1_strict"]]
                for k in (int(x) for x in args.pieces.split(",")):
                    parts = pieces(docs[0], k, Path(tmp), sl, tl)
                    ran_k = run(parts, sl, tl, store, config, dicts, args.embed, glossary, project, args.installed_dict)
                    rk = evaluate(parts, ran_k)
                    listed += listing(parts, ran_k, args.list) if args.list else []
                    out[f"{name} /{k}"] = rk
                    f1s.append(rk["scores"]["f1_strict"])
                    shapes = " ".join(f"{x} {v['precision']:.2f}/{v['system']}({v['gold']})" for x, v in rk["shapes"].items()
                                      if v["precision"] is not None and x in ("1:0", "larger"))  # fmt: skip
                    print(f"{name + ' /' + str(k):14} F1 {f1s[-1]:.4f} lax {rk['scores']['f1_lax']:.3f} AUC {rk['auc']:.3f} cpu {rk['seconds']:.1f}s | {shapes}")
                print(f"{'  mean':14} F1 {sum(f1s) / len(f1s):.4f} (the whole document and its pieces)")
            if args.pieces_project and name.startswith("text-berg"):
                means = {"alone": [], "project": [], "oracle": []}
                for k in (int(x) for x in args.pieces_project.split(",")):
                    parts = pieces(docs[0], k, Path(tmp), sl, tl)
                    for mode, with_ in (("alone", None), ("project", parts)):
                        ran_k = run(parts, sl, tl, store, config, dicts, args.embed, glossary, with_, args.installed_dict)
                        rk = evaluate(parts, ran_k)
                        out[f"{name} /{k} as a project" if with_ else f"{name} /{k} alone"] = rk
                        means[mode].append(rk["scores"]["f1_strict"])
                    if args.oracle:
                        ro = evaluate(parts, oracle(parts, sl, tl, store, config))
                        out[f"{name} /{k} oracle"] = ro
                        means["oracle"].append(ro["scores"]["f1_strict"])
                    print(f"{name + ' /' + str(k):14} F1 {means['project'][-1]:.4f} as a project (each piece with the "
                          f"other {k - 1}), alone {means['alone'][-1]:.4f}"
                          + (f", oracle {means['oracle'][-1]:.4f}" if args.oracle else ""))
                n = len(means["alone"])
                print(f"{'  mean':14} F1 {sum(means['project']) / n:.4f} as a project, alone {sum(means['alone']) / n:.4f}"
                      + (f", oracle {sum(means['oracle']) / n:.4f}" if args.oracle else ""))
            if args.synthetic and name.startswith("text-berg"):
                syn = [d for seed in args.synthetic.split(",") for k in (1, 2, 3) for d in synthetic(docs[0], k, int(seed), Path(tmp), sl, tl)]
                ran_s = run(syn, sl, tl, store, config, dicts, args.embed, glossary, project, args.installed_dict)
                rs = evaluate(syn, ran_s)
                listed += listing(syn, ran_s, args.list) if args.list else []
                out[f"{name} synthetic"] = rs
                shapes = " ".join(
                    f"{k} {v['precision']:.2f}/{v['system']}({v['gold']}, R {v['recall'] or 0:.2f})" for k, v in rs["shapes"].items()
                    if v["precision"] is not None
                )
                print(f"{'  synthetic':14} F1 {rs['scores']['f1_strict']:.4f} lax {rs['scores']['f1_lax']:.3f} AUC {rs['auc']:.3f} "
                      f"cpu {rs['seconds']:.1f}s {len(syn)} documents | {shapes}")  # fmt: skip
            for line in listed:
                print(line)
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
