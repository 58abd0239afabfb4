"""The second German–French development set (benchmarks/data/de-fr, `align_dev.py --dev2`):
its files parse, the gold tiles both sides in order with every sentence once, it has the real
larger beads and the 1:0 beads it is for, and the scoring at the gold's verse granularity
merges only beads with sentences on both sides that lie inside one gold bead."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_dev2_files_parse_and_the_gold_covers_every_sentence_once():
    from align_dev import DEFR, dev_sets

    sets = {name: docs for name, docs, _, _ in dev_sets(dev2=True)}
    docs = sets["de-fr dev2"]
    assert len(docs) == len((DEFR / "dev.names").read_text(encoding="utf-8").split()) >= 20
    shapes: Counter = Counter()
    sentences = 0
    for d in docs:
        src = d.src.read_text(encoding="utf-8").splitlines()
        tgt = d.tgt.read_text(encoding="utf-8").splitlines()
        assert all(line.strip() == line and line for line in src + tgt), d.name  # one stripped sentence a line
        assert [i for a, _ in d.gold for i in a] == list(range(len(src))), d.name
        assert [j for _, b in d.gold for j in b] == list(range(len(tgt))), d.name
        shapes.update((len(a), len(b)) for a, b in d.gold)
        sentences += len(src)
    assert sentences >= 1400
    # real sentence-boundary differences, not only 1:1; and omissions to measure 1:0 precision on
    assert shapes[(1, 2)] >= 50 and shapes[(2, 1)] >= 30 and shapes[(2, 2)] >= 50
    assert shapes[(1, 0)] >= 10 and shapes[(0, 1)] >= 10


def test_beads_inside_one_gold_bead_are_scored_as_one_and_crossing_beads_stay():
    from align_dev import coarsen

    gold = [((0,), (0,)), ((1, 2), (1, 2)), ((3,), ())]
    beads = [(((0,), (0,)), 0.9), (((1,), (1,)), 0.8), (((2,), (2,)), 0.6), (((3,), ()), 0.3)]
    assert coarsen(gold, beads) == [(((0,), (0,)), 0.9), (((1, 2), (1, 2)), 0.6), (((3,), ()), 0.3)]
    crossing = [(((0, 1), (0,)), 0.9), (((2,), (1, 2)), 0.5), (((3,), ()), 0.3)]
    assert coarsen(gold, crossing) == crossing
    # a skip inside a gold bead with sentences on both sides stays a (wrong) skip: a verse is translated whole
    skipped = [(((0,), (0,)), 0.9), (((1,), ()), 0.7), (((2,), (1, 2)), 0.6), (((3,), ()), 0.3)]
    assert coarsen(gold, skipped) == skipped


def test_a_paired_comparison_gives_the_per_document_difference_and_its_standard_error():
    from align_dev import paired
    from align_textberg import Doc, Run

    gold = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]
    docs = [Doc(f"d{k}", Path("x.de"), Path("x.fr"), gold) for k in range(3)]
    right = [(b, 1.0) for b in gold]
    half = [(((0, 1), (0, 1)), 1.0), (((2,), (2,)), 1.0), (((3,), (3,)), 1.0)]  # one wrong merge: P 2/3, R 2/4
    rescored = [(b, 0.5) for b, _ in right]  # the same beads with other scores are no change
    p = paired(docs, Run([right, right, half], 0), Run([rescored, half, half], 0))
    assert p["changed"] == 1 and p["documents"] == 3
    f1_half = 2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4)
    assert abs(p["mean_difference"] - (1 - f1_half) / 3) < 1e-3  # one document of three gained
    assert abs(p["se"] - (1 - f1_half) / 3) < 1e-3  # the stdev of (0, d, 0) is d/√3, over √3
    assert p["f1"] > p["against"]
