"""A long document made from the seed's sentences, for benchmarks that need N beads.

Document I's sentences repeated to ``beads`` segments (5 per paragraph), every second
bead with a machine draft: what a translator's half-done archive file looks like.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tolmach.service.beads import load_beads
from tolmach.service.documents import find_document, import_file
from tolmach.store import POSITION_GAP, Bead, Document, Segment, Store

SEED = Path(__file__).resolve().parents[1] / "seeds" / "002_089901b84e1e010c.txt"


def add_generated_document(store: Store, beads: int, draft: Callable[[int], str]) -> int:
    """Import the seed, then add ``Generated N`` with ``beads`` 1:1 beads; its id.
    ``draft(i)`` is the machine draft of bead i (odd beads only)."""
    import_file(store, SEED)
    with store.read() as s:
        doc1 = find_document(s, "Document I").id
    sentences = [src for b in load_beads(store, doc1) for src in b.sources]
    with store.transaction() as s:
        doc = Document(name=f"Generated {beads}", source_lang="ru", target_lang="en")
        s.add(doc)
        s.flush()
        s.bulk_insert_mappings(Segment, [
            dict(document_id=doc.id, position=i, kind="body", lang="ru", paragraph=i // 5, text=sentences[i % len(sentences)])
            for i in range(beads)
        ])  # fmt: skip
        s.bulk_insert_mappings(Bead, [
            dict(document_id=doc.id, position=i * POSITION_GAP, src_start=i, src_end=i + 1, target=draft(i) if i % 2 else "",
                 status="machine" if i % 2 else "empty", origin="bench" if i % 2 else "", version=1)
            for i in range(beads)
        ])  # fmt: skip
        return doc.id
