"""Confirmed readings are what the translation memory and the aligner read (the printed
text stays): Document I bead 3 prints `совместые` and `окозанию`."""

from __future__ import annotations

from pathlib import Path

from tolmach.service import memory
from tolmach.service.apparatus import confirm_bead
from tolmach.service.beads import load_beads
from tolmach.store import Store


def _doc(store: Store, name: str) -> int:
    from tolmach.service.documents import find_document

    with store.read() as s:
        return find_document(s, name).id


def test_memory_matches_the_read_text(seeded_store: Store, tmp_path: Path) -> None:
    bead = load_beads(seeded_store, _doc(seeded_store, "Document I"))[2]
    corrected = bead.source.replace("совместые", "совместные").replace("окозанию", "оказанию")
    assert corrected != bead.source
    tsv = tmp_path / "corrected.tsv"
    tsv.write_text(f"source\ttarget\n{corrected}\tOur ambassador reported ...\n", encoding="utf-8")
    memory.import_memory(seeded_store, tsv, name="corrected")
    before = memory.match_bead(seeded_store, bead.id)[0].score
    assert before < 100
    assert {f.word for f in confirm_bead(seeded_store, bead.id)} >= {"совместые", "окозанию"}
    assert memory.match_bead(seeded_store, bead.id)[0].score == 100
    assert "окозанию" in load_beads(seeded_store, _doc(seeded_store, "Document I"))[2].source  # printed text kept


def test_aligner_reads_the_readings(seeded_store: Store, tmp_path: Path, monkeypatch) -> None:
    from tolmach.align.aligner import Aligner
    from tolmach.service.alignment import align_document

    bead = load_beads(seeded_store, _doc(seeded_store, "Document I"))[2]
    confirm_bead(seeded_store, bead.id)
    seen: list[list[str]] = []
    real = Aligner.align_many

    def spy(self, pairs, anchors):  # type: ignore[no-untyped-def]
        seen.append(list(pairs[0][0].sentences))
        return real(self, pairs, anchors)

    monkeypatch.setattr(Aligner, "align_many", spy)
    target = tmp_path / "en.txt"
    target.write_text("To the Executive Committee.\nDear comrades!\nOur ambassador reported.\n", encoding="utf-8")
    align_document(seeded_store, "Document I", target, use_mt=False)
    joined = " ".join(seen[0])
    assert "оказанию" in joined and "окозанию" not in joined
