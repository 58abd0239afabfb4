"""Quality checks on stored beads: glossary, numbers and dates, language, balance.

The checks themselves are pure (:mod:`tolmach.qa.checks`); this module supplies the
glossary hits and the document's language pair.
"""

from __future__ import annotations

from tolmach.glossary.match import Hit
from tolmach.model import DEFAULT_PAIR
from tolmach.qa.checks import QAWarning, check_consistency, check_pair
from tolmach.service.beads import BeadView, load_beads
from tolmach.service.apparatus import check_document as apparatus_checks
from tolmach.service.apparatus import hits_for_bead
from tolmach.store import Document, Store

__all__ = ["QAWarning", "check_bead", "check_document", "document_langs"]


def document_langs(store: Store, document_id: int) -> tuple[str, str]:
    with store.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return DEFAULT_PAIR
        return (doc.source_lang or DEFAULT_PAIR[0], doc.target_lang or DEFAULT_PAIR[1])


def _check(store: Store, bead: BeadView, langs: tuple[str, str]) -> tuple[list[QAWarning], list[Hit]]:
    hits = hits_for_bead(store, bead, langs) if bead.sources else []  # read through confirmed readings
    if not bead.sources:  # 0:n bead: a target with no source has nothing to compare
        return [], hits
    return check_pair(bead.source, bead.target, hits, langs), hits


def check_bead(store: Store, bead: BeadView) -> list[QAWarning]:
    """Per-bead checks (spans on the ``source`` side refer to ``bead.source``)."""
    return _check(store, bead, document_langs(store, bead.document_id))[0]


def check_document(store: Store, document_id: int) -> dict[int, list[QAWarning]]:
    """Bead id → warnings for every bead of a document, in order, plus the document-wide
    check that each term is rendered the same way throughout."""
    langs = document_langs(store, document_id)
    out: dict[int, list[QAWarning]] = {}
    rows = []
    for bead in load_beads(store, document_id):
        warnings, hits = _check(store, bead, langs)
        out[bead.id] = warnings
        rows.append((bead.id, bead.source, bead.target, hits))
    for bead_id, extra in check_consistency(rows).items():
        out[bead_id].extend(extra)
    for bead_id, extra in apparatus_checks(store, document_id).items():  # source errors, [sic], names, dates
        out.setdefault(bead_id, []).extend(extra)
    return out
