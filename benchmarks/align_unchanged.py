"""Does a speed-only change of the aligner leave its beads exactly as they were?

Runs the aligner of the working tree and the aligner of a git revision (``--against``,
default ``HEAD``: the last commit) on the same inputs, each in its own process, and
compares bead by bead: the beads (source and target sentence runs) must be identical;
the scores (posteriors) may differ by float rounding, up to ``--score-tol``.  Inputs:
every Text+Berg document (``shared/data/text-berg``, each aligned alone, as ``tolmach
align`` does) and generated pairs of the sizes given (:func:`align_scale.synthetic`:
Text+Berg gold beads drawn at random, with omitted passages, every sentence distinct; above ~1,300 sentences a
side they go through the coarse-to-fine search).  The revision's sources come from
``git archive`` into a temporary folder; nothing is written elsewhere.

    .venv/bin/python benchmarks/align_unchanged.py [--against main] [--sizes 3000,12000]
    .venv/bin/python benchmarks/align_unchanged.py --before-env TOLMACH_DP=numpy   # numba DP against numpy's
    .venv/bin/python benchmarks/align_unchanged.py --installed-dict   # with the installed FreeDict de-fr, as tolmach align

Prints one line per input (beads, differing beads, largest score difference, CPU
seconds and strict F1 against the gold of each side: what a change that does alter
beads costs) and exits 1 when any bead differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _inputs(sizes: list[int], installed_dict: bool = False) -> list[tuple[str, list[str], list[str], list, list]]:
    """(name, source, target, gold, general dictionary pairs) of every input; the pairs are
    the installed FreeDict de–fr's for the text (``installed_dict``), read here once, so
    both revisions align with the same ones."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from align_scale import DATA, synthetic
    from tolmach.align.dictionary import general_dictionary
    from tolmach.align.io import read_alignments

    def general(src: list[str], tgt: list[str]) -> list:
        return general_dictionary((), installed_dict, "de", "fr", [(src, tgt)])[0]

    out = []
    if DATA.is_dir():
        for name in ["dev"] + [f"test{k}" for k in range(7)]:
            src = (DATA / f"{name}.de").read_text(encoding="utf-8").splitlines()
            tgt = (DATA / f"{name}.fr").read_text(encoding="utf-8").splitlines()
            gold = [[list(a), list(b)] for a, b in read_alignments(DATA / f"{name}.defr")]
            out.append((f"text-berg {name}", src, tgt, gold, general(src, tgt)))
    else:
        print(f"Text+Berg skipped: {DATA} is not there (it comes with shared/).")
    for size in sizes:
        src, tgt, gold = synthetic(size)
        out.append((f"generated {size}", src, tgt, [[list(a), list(b)] for a, b in gold], general(src, tgt)))
    return out


def _child(inputs_path: str) -> None:
    """Align every input with the tolmach found on sys.path; JSON lines out."""
    from tolmach.align import Aligner, Text, score

    for name, src, tgt, gold, general in json.loads(Path(inputs_path).read_text(encoding="utf-8")):
        c0 = time.process_time()
        beads = Aligner(general=[tuple(p) for p in general]).align_many([(Text(src), Text(tgt))])[0]
        cpu = time.process_time() - c0
        f1 = score([[(tuple(a), tuple(b)) for a, b in gold]], [[(b.src, b.tgt) for b in beads]]).f1_strict
        print(json.dumps({"name": name, "cpu": cpu, "f1": f1, "beads": [[list(b.src), list(b.tgt), b.score] for b in beads]}))
        sys.stdout.flush()


def _run(src_dir: Path, inputs_path: Path, extra_env: dict[str, str]) -> dict[str, dict]:
    env = dict(os.environ, PYTHONPATH=str(src_dir), **extra_env)
    out = subprocess.run([sys.executable, __file__, "--child", str(inputs_path)], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"the aligner in {src_dir} failed: {out.stderr.strip()[-500:]}")
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return {r["name"]: r for r in rows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="HEAD", help="git revision to compare with (default HEAD)")
    ap.add_argument("--sizes", default="3000,12000", help="generated pairs, source sentences, comma-separated")
    ap.add_argument("--score-tol", type=float, default=1e-3, help="largest allowed score difference")
    ap.add_argument(
        "--before-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the revision's run only (e.g. TOLMACH_DP=numpy)",
    )
    ap.add_argument(
        "--installed-dict", action="store_true",
        help="align with the installed FreeDict de-fr dictionary (Debian dict-freedict-deu-fra), as tolmach align does by default",
    )  # fmt: skip
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child)
        return 0
    sizes = [int(x) for x in args.sizes.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "src"], capture_output=True)
        if archive.returncode:
            raise SystemExit(f"git archive {args.against} failed: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        inputs_path = Path(tmp) / "inputs.json"
        inputs_path.write_text(json.dumps(_inputs(sizes, args.installed_dict)), encoding="utf-8")
        before = _run(old / "src", inputs_path, dict(v.split("=", 1) for v in args.before_env))
        after = _run(ROOT / "src", inputs_path, {})
    with_env = f" run with {' '.join(args.before_env)}" if args.before_env else ""
    with_env += ", with the installed FreeDict de-fr" if args.installed_dict else ""
    print(f"working tree against {args.against}{with_env} (machine shared with other jobs: CPU seconds)\n")
    print(
        f"{'input':<20} {'beads':>6} {'differ':>6} {'max Δscore':>10} {'CPU before':>10} {'after':>7} {'F1 before':>9} {'after':>6}"
    )
    bad = False
    for name, b in before.items():
        a = after[name]
        old_beads = [(x[0], x[1]) for x in b["beads"]]
        new_beads = [(x[0], x[1]) for x in a["beads"]]
        differ = len(set(map(repr, old_beads)) ^ set(map(repr, new_beads)))
        dscore = max((abs(x[2] - y[2]) for x, y in zip(b["beads"], a["beads"])), default=0.0) if not differ else float("nan")
        bad |= bool(differ) or not dscore <= args.score_tol
        print(
            f"{name:<20} {len(old_beads):>6} {differ:>6} {dscore:>10.2e} {b['cpu']:>10.2f} {a['cpu']:>7.2f} {b['f1']:>9.4f} {a['f1']:>6.4f}"
        )
    print("\nUNCHANGED" if not bad else "\nCHANGED: beads or scores differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
