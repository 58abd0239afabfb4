"""The synthetic development documents of benchmarks/align_dev.py (``--synthetic``): pieces
of the Text+Berg dev document with real 1:0 beads (German sentences whose French was left
out) and lines joined on either side, each with a gold alignment that is exact."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from test_align_aligner import TEXT_BERG

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_synthetic_dev_documents_have_real_omissions_and_joins_with_an_exact_gold(tmp_path):
    from align_dev import dev_sets, synthetic

    name, docs, sl, tl = next(s for s in dev_sets() if s[0].startswith("text-berg"))
    dev = docs[0]
    orig_src = dev.src.read_text(encoding="utf-8").splitlines()
    orig_tgt = dev.tgt.read_text(encoding="utf-8").splitlines()
    built = synthetic(dev, 2, 1, tmp_path, sl, tl)
    assert len(built) == 2 and built == synthetic(dev, 2, 1, tmp_path, sl, tl)  # seeded: the same documents
    shapes: Counter = Counter()
    for d in built:
        src = d.src.read_text(encoding="utf-8").splitlines()
        tgt = d.tgt.read_text(encoding="utf-8").splitlines()
        # the gold tiles both sides in order, every sentence once
        assert [i for a, _ in d.gold for i in a] == list(range(len(src)))
        assert [j for _, b in d.gold for j in b] == list(range(len(tgt)))
        for a, b in d.gold:
            shapes[(len(a), len(b))] += 1
            if a and not b:  # a real omission: German text of the dev document, not a blank
                assert len(a) == 1 and src[a[0]] in orig_src
            if len(b) == 1 and len(a) >= 2 and tgt[b[0]] not in orig_tgt:
                shapes["joined French"] += 1  # two beads' French in one line
                assert all(x in orig_src for i in a for x in [src[i]])
            if len(a) == 1 and src[a[0]] not in orig_src:
                shapes["joined German"] += 1
                assert all(tgt[j] in orig_tgt for j in b)
    # the dev document has one 1:0 bead; its pieces here have many, and joins of both kinds
    assert shapes[(1, 0)] >= 10
    assert shapes["joined French"] >= 5 and shapes["joined German"] >= 5
