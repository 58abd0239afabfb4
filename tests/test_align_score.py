"""The scorer against cases worked out by hand (definitions of Vecalign's score.py)."""

from __future__ import annotations

import pytest

from tolmach.align import score, score_one
from tolmach.align.io import format_bead, parse_line, read_alignments
from tolmach.errors import InputError

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3,))]
TEST = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ()), ((3,), (3,))]


def test_hand_checked_precision_recall_f1():
    s = score_one(GOLD, TEST)
    # precision over the 5 system beads: 3 exact (0, the deletion of 2, 3); lax adds [1]:[1]
    assert s.precision_strict == pytest.approx(3 / 5)
    assert s.precision_lax == pytest.approx(4 / 5)
    # recall over the 3 gold beads that are not deletions: [1]:[1,2] is missed strictly only
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.recall_lax == pytest.approx(1.0)
    assert s.f1_strict == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert s.f1_lax == pytest.approx(2 * 0.8 / 1.8)


def test_perfect_and_disjoint():
    assert score_one(GOLD, GOLD).f1_strict == 1.0
    wrong = [((0,), (3,)), ((1,), ()), ((2,), (0, 1, 2)), ((3,), ())]
    s = score_one(GOLD, wrong)
    assert s.precision_strict == 0.0 and s.recall_strict == 0.0 and s.f1_strict == 0.0


def test_counts_are_pooled_over_documents():
    """Two documents pooled: 3+1 hits over 5+2 system beads, not the mean of the ratios."""
    s = score([GOLD, [((0,), (0,)), ((1,), (1,))]], [TEST, [((0,), (0,)), ((1,), (2,))]])
    assert s.precision_strict == pytest.approx(4 / 7)


def test_vecalign_file_format_round_trip(tmp_path):
    assert format_bead((0, 1), (2,), 0.5) == "[0, 1]:[2]:0.500000"
    assert format_bead((), (4,)) == "[]:[4]"
    assert parse_line("[0, 1]:[2]:0.500000") == ((0, 1), (2,))
    path = tmp_path / "gold.defr"
    path.write_text("[0]:[0]\n\n[1, 2]:[]\n", encoding="utf-8")
    assert read_alignments(path) == [((0,), (0,)), ((1, 2), ())]
    path.write_text("[0]:[0]\n[1, x]:[1]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold.defr:2"):
        read_alignments(path)
