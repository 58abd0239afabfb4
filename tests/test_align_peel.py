"""After the search, a sentence at the end of a merged run that nothing links to the other
run, and that the lengths fit better without, is left out as a skip (issue #17)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tolmach.align import AlignConfig
from tolmach.align.aligner import _Side, _unlinked_member
from tolmach.align.io import read_alignments

RUEN = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "ru-en"


def _side(vectors, lengths) -> _Side:
    return _Side(np.array(vectors, dtype=np.float32), np.array(lengths, dtype=np.float32), None)


def test_the_unlinked_edge_sentence_whose_length_the_other_run_lacks_is_left_alone():
    cfg = AlignConfig()
    # source: two sentences, the second shares nothing with the target and its length is not there
    src = _side([[1, 0, 0], [0, 0, 1]], [100, 80])
    tgt = _side([[1, 0, 0]], [105])
    assert _unlinked_member(src, tgt, 0, 2, 0, 1, cfg, 1.05) == (0, -1)
    # the same sentence linked to the target (a concept product of its own): kept in the bead
    linked = _side([[1, 0, 0], [0, 0, 1]], [100, 80])
    assert _unlinked_member(linked, _side([[1, 0, 1]], [105]), 0, 2, 0, 1, cfg, 1.05) is None
    # unlinked, but the target is as long as both (a translation the concepts miss): kept
    assert _unlinked_member(src, _side([[1, 0, 0]], [190]), 0, 2, 0, 1, cfg, 1.05) is None
    # the target side likewise: a first target sentence with nothing of the source
    assert _unlinked_member(_side([[1, 0]], [100]), _side([[0, 1], [1, 0]], [70, 105]), 0, 1, 0, 2, cfg, 1.05) == (1, 0)


@pytest.mark.skipif(not (RUEN / "dev.names").is_file(), reason="benchmarks/data/ru-en is missing")
def test_untranslated_lines_glued_to_a_neighbour_are_skips_on_ru_en_dev(tmp_path):
    """ru-en dev documents aligned as `tolmach align SRC TGT` does: the search glues an
    English line with no Russian original (news02, news06) and a Russian sentence with no
    English (news21) to the neighbouring bead; cut off, each is the gold's skip and its
    neighbour the gold's 1:1 bead."""
    from tolmach.service.alignment import align_files
    from tolmach.service.glossary import ensure_loaded
    from tolmach.store import open_store

    store = open_store(tmp_path / "t.db")
    ensure_loaded(store)
    cases = {
        "news02": [((), (11,)), ((14,), (12,))],
        "news06": [((), (22,)), ((21,), (21,))],
        "news21": [((10,), ()), ((9,), (9,))],
    }
    for name, beads in cases.items():
        gold = read_alignments(RUEN / f"{name}.ruen")
        src, tgt = RUEN / f"{name}.ru", RUEN / f"{name}.en"
        found = [(b.src, b.tgt) for b in align_files(store, src, tgt, "ru", "en", use_mt=False).beads]
        glued = [(b.src, b.tgt) for b in align_files(store, src, tgt, "ru", "en", use_mt=False,
                                                     config=replace(AlignConfig(), peel_link=-1.0)).beads]  # fmt: skip
        for bead in beads:
            assert bead in gold and bead in found, (name, bead)
            assert bead not in glued, (name, bead)
