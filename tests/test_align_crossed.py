"""After the search, two neighbouring beads are one when a name or number links them only
across their boundary (issue #17: the Text+Berg gold's 2:2 beads the search gave as two
1:1 beads, the translator having moved a clause, with its name, across the sentence cut)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tolmach.align import AlignConfig, Aligner, score_one
from tolmach.align.aligner import _join_crossed, _Side
from tolmach.align.io import read_alignments

TEXT_BERG = next(
    (p / "shared" / "data" / "text-berg" for p in Path(__file__).resolve().parents if (p / "shared" / "data" / "text-berg").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "text-berg",
)

# the dev document's sentences 395-396 and 465-466: "Abalakow" moved to the first French sentence
SRC = ["Erstersteigung 1933 durch B.M .", "Abalakow , seitdem wiederholt besucht ."]
TGT = ["première ascension en 1933 par E. M. Abalakow .", "Souvent visité depuis ."]


def _join(src: list[str], tgt: list[str], ranges, cfg: AlignConfig | None = None, fixed: set[int] = frozenset()):
    """``_join_crossed`` on these sentences, their anchors read as the aligner reads them."""
    from tolmach.align.features import _base_concepts

    ids: dict[str, int] = {}
    anchors = []
    for side in (src, tgt):
        rows, cid = [], []
        for k, x in enumerate(side):
            for c, _ in _base_concepts(x)[0]:
                if c[0] == "#" or c.startswith("C:"):
                    rows.append(k)
                    cid.append(ids.setdefault(c, len(ids)))
        anchors.append((np.array(rows, dtype=np.int64), np.array(cid, dtype=np.int64)))
    sides = [_Side(np.zeros((len(x), 1), np.float32), np.array([len(s) for s in x], np.float32), None) for x in (src, tgt)]
    got, post, node = _join_crossed(list(ranges), [0.9] * len(ranges), [0.8] * len(ranges), anchors, list(ids), (src, tgt),
                                    sides[0], sides[1], cfg or AlignConfig(), 1.05, set(fixed))  # fmt: skip
    return got, post


def test_two_beads_a_name_links_only_across_their_boundary_are_one():
    assert _join(SRC, TGT, [(0, 1, 0, 1), (1, 2, 1, 2)])[0] == [(0, 2, 0, 2)]
    # off, or across a bead fixed by a person, or with a skip between: left as they are
    two = [(0, 1, 0, 1), (1, 2, 1, 2)]
    assert _join(SRC, TGT, two, replace(AlignConfig(), join_cross=0))[0] == two
    assert _join(SRC, TGT, two, fixed={1})[0] == two
    assert _join(SRC, [*TGT[:1], "h * ", *TGT[1:]], [(0, 1, 0, 1), (1, 1, 1, 2), (1, 2, 2, 3)])[0] == [
        (0, 1, 0, 1), (1, 1, 1, 2), (1, 2, 2, 3)]


def test_a_name_its_own_bead_holds_too_joins_nothing():
    # "Abalakow" in both runs of the second bead: the first French sentence repeats it
    src = [SRC[0], "Abalakow , seitdem wiederholt besucht ."]
    tgt = [TGT[0], "Abalakow a souvent été visité depuis ."]
    assert _join(src, tgt, [(0, 1, 0, 1), (1, 2, 1, 2)])[0] == [(0, 1, 0, 1), (1, 2, 1, 2)]
    # a lower-case word is no name: "expedition" / "Expedition" across the cut joins nothing
    src = ["Die Gruppe kam 1933 an .", "Die Expedition war schwierig ."]
    tgt = ["Le groupe est arrivé en 1933 ; l' expédition fut difficile .", "Très difficile ."]
    assert _join(src, tgt, [(0, 1, 0, 1), (1, 2, 1, 2)])[0] == [(0, 1, 0, 1), (1, 2, 1, 2)]


@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_the_dev_document_s_2_2_beads_moved_names_join_are_found():
    """The Text+Berg dev document: two of the gold's 2:2 beads whose name crosses the
    sentence cut (Evans, Baltoro) were two 1:1 beads each; now the gold's, and strict F1
    rises (.904 -> .940 aligned without a dictionary, session 11)."""
    src = (TEXT_BERG / "dev.de").read_text(encoding="utf-8").splitlines()
    tgt = (TEXT_BERG / "dev.fr").read_text(encoding="utf-8").splitlines()
    gold = read_alignments(TEXT_BERG / "dev.defr")
    moved = {((419, 420), (496, 497)), ((376, 377), (436, 437))}
    assert moved <= set(gold)
    found = [(b.src, b.tgt) for b in Aligner().align(src, tgt)]
    before = [(b.src, b.tgt) for b in Aligner(replace(AlignConfig(), join_cross=0)).align(src, tgt)]
    assert moved <= set(found) and not moved & set(before)
    assert score_one(gold, found).f1_strict > score_one(gold, before).f1_strict + 0.02
