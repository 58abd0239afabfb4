"""After the search, a sentence at the end of a merged run that nothing links to the other
run, and that the lengths fit better without, is left out as a skip (issue #17)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tolmach.align import AlignConfig
from tolmach.align.aligner import _Side, _idle_member
from tolmach.align.io import read_alignments

RUEN = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "ru-en"


def _side(vectors, lengths) -> _Side:
    return _Side(np.array(vectors, dtype=np.float32), np.array(lengths, dtype=np.float32), None)


def test_the_unlinked_edge_sentence_whose_length_the_other_run_lacks_is_left_alone():
    cfg = AlignConfig()
    # source: two sentences, the second shares nothing with the target and its length is not there
    src = _side([[1, 0, 0], [0, 0, 1]], [100, 80])
    tgt = _side([[1, 0, 0]], [105])
    assert _idle_member(src, tgt, 0, 2, 0, 1, cfg, 1.05) == (0, -1)
    # the same sentence linked to the target (a concept product of its own): kept in the bead
    linked = _side([[1, 0, 0], [0, 0, 1]], [100, 80])
    assert _idle_member(linked, _side([[1, 0, 1]], [105]), 0, 2, 0, 1, cfg, 1.05) is None
    # unlinked, but the target is as long as both (a translation the concepts miss): kept
    assert _idle_member(src, _side([[1, 0, 0]], [190]), 0, 2, 0, 1, cfg, 1.05) is None
    # the target side likewise: a first target sentence with nothing of the source
    assert _idle_member(_side([[1, 0]], [100]), _side([[0, 1], [1, 0]], [70, 105]), 0, 1, 0, 2, cfg, 1.05) == (1, 0)


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
                                                     config=replace(AlignConfig(), edge_link=-1.0)).beads]  # fmt: skip
        for bead in beads:
            assert bead in gold and bead in found, (name, bead)
            assert bead not in glued, (name, bead)


def test_an_edge_member_that_only_repeats_what_the_rest_links_is_left_out_when_it_resembles_the_other_run():
    cfg = AlignConfig()
    src = _side([[3, 3, 0, 0]], [100])
    # the second target sentence links the source only by a concept the first holds too
    # (own products 0, a third of the bead's) and resembles it strongly (similarity .54):
    # a repeat, left out when the lengths clearly favour the cut (Gale–Church 4.2 lower) ...
    assert _idle_member(src, _side([[3, 3, 0, 0], [3, 0, 0, 0]], [105, 90]), 0, 1, 0, 2, cfg, 1.05) == (1, -1)
    # ... but not when they favour it a little (.58): a repeat must be paid for in length
    assert _idle_member(src, _side([[3, 3, 0, 0], [3, 0, 0, 0]], [105, 30]), 0, 1, 0, 2, cfg, 1.05) is None
    # the same link in a sentence of other concepts resembles the source weakly (.15): it
    # carries a share of the bead's links out of proportion to its resemblance, and stays
    assert _idle_member(src, _side([[3, 3, 0, 0], [3, 0, 9, 9]], [105, 90]), 0, 1, 0, 2, cfg, 1.05) is None
    # linked by nothing, it goes for a small gain already (.58 >= edge_length .2)
    assert _idle_member(src, _side([[3, 3, 0, 0], [0, 0, 0, 0]], [105, 30]), 0, 1, 0, 2, cfg, 1.05) == (1, -1)
    # ... but only when the cut explains the lengths: the rest must fit (its Gale–Church term
    # at most edge_fit .3); a first sentence 130 characters long for 100 fits badly on its
    # own (.41), so leaving the unlinked one out (a gain of 3.4) is no evidence of a skip
    assert _idle_member(src, _side([[3, 3, 0, 0], [0, 0, 0, 0]], [120, 60]), 0, 1, 0, 2, cfg, 1.05) == (1, -1)
    assert _idle_member(src, _side([[3, 3, 0, 0], [0, 0, 0, 0]], [130, 60]), 0, 1, 0, 2, cfg, 1.05) is None


@pytest.mark.skipif(not (RUEN / "dev.names").is_file(), reason="benchmarks/data/ru-en is missing")
def test_a_repeating_edge_member_of_a_2_2_bead_is_a_skip_on_ru_en_dev(tmp_path):
    """ru-en dev document news11 aligned as `tolmach align SRC TGT` does: the search glues
    Russian sentence 6, which has no English, to the bead 5 : 8, 9 (a 2:2 bead).  It links
    the English only by concepts sentence 5 links too (a tenth of the bead's products), so
    neither session 9 rule cut it (the cut of unlinked members wants at most 3 % of the
    products, the cut of repeating members took 1:k beads only); it resembles the English
    run (similarity .21) and the lengths fit 5 : 8, 9 far better (Gale–Church 2.0 lower),
    so it is the gold's skip.  Priced as if its repeated links were its own, it stays glued."""
    from tolmach.service.alignment import align_files
    from tolmach.service.glossary import ensure_loaded
    from tolmach.store import open_store

    store = open_store(tmp_path / "t.db")
    ensure_loaded(store)
    gold = read_alignments(RUEN / "news11.ruen")
    right = [((5,), (8, 9)), ((6,), ())]
    src, tgt = RUEN / "news11.ru", RUEN / "news11.en"
    found = [(b.src, b.tgt) for b in align_files(store, src, tgt, "ru", "en", use_mt=False).beads]
    glued = [(b.src, b.tgt) for b in align_files(store, src, tgt, "ru", "en", use_mt=False,
                                                 config=replace(AlignConfig(), edge_shared=1e9)).beads]  # fmt: skip
    for bead in right:
        assert bead in gold and bead in found, bead
    assert ((5, 6), (8, 9)) in glued
