"""Helpers for the interchange tests: documents built straight through the store, schema checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from tolmach.store import Bead, Document, Segment, Store

SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "tolmach" / "interchange" / "schemas"
_DTD = etree.DTD(str(SCHEMAS / "tmx14b.dtd"))



def _strict_xliff_schema() -> etree.XMLSchema:
    """The official OASIS XLIFF 1.2 strict schema, its xml.xsd import pointed at the local
    copy in memory (the file imports it from w3.org, and tests never use the network)."""
    doc = etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"))
    for imp in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if imp.get("namespace") == "http://www.w3.org/XML/1998/namespace":
            imp.set("schemaLocation", (SCHEMAS / "xml.xsd").as_uri())
    return etree.XMLSchema(doc)


_XSD = _strict_xliff_schema()


def make_document(
    store: Store,
    name: str,
    sources: Sequence[str],
    *,
    targets: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    ranges: Sequence[tuple[int, int]] | None = None,
    src_lang: str = "ru",
    tgt_lang: str = "en",
    origin: str = "",
) -> int:
    """A document with one segment per source and beads over ``ranges`` (default 1:1)."""
    ranges = list(ranges) if ranges is not None else [(i, i + 1) for i in range(len(sources))]
    targets = list(targets) if targets is not None else [""] * len(ranges)
    statuses = list(statuses) if statuses is not None else ["edited" if t.strip() else "empty" for t in targets]
    with store.transaction() as s:
        doc = Document(name=name, source_lang=src_lang, target_lang=tgt_lang)
        s.add(doc)
        for pos, text in enumerate(sources):
            doc.segments.append(Segment(position=pos, kind="body", lang=src_lang, paragraph=0, text=text))
        for pos, ((a, b), t, st) in enumerate(zip(ranges, targets, statuses)):
            doc.beads.append(Bead(position=pos, src_start=a, src_end=b, target=t, status=st, origin=origin))
        s.flush()
        return doc.id


def targets(store: Store, document_id: int | None = None) -> list[tuple[str, int, str]]:
    """(document name, bead number, target) of every bead, in order."""
    with store.read() as s:
        stmt = select(Document.name, Bead.target).join(Document, Bead.document_id == Document.id)
        if document_id is not None:
            stmt = stmt.where(Bead.document_id == document_id)
        out: list[tuple[str, int, str]] = []
        for n, t in s.execute(stmt.order_by(Document.id, Bead.position)):  # bead n of a document is its n-th
            out.append((n, out[-1][1] + 1 if out and out[-1][0] == n else 1, t))
        return out


def validate_tmx(path: Path) -> list[str]:
    """DTD errors of a TMX file (empty when valid)."""
    ok = _DTD.validate(etree.parse(str(path)))
    return [] if ok else [str(e) for e in _DTD.error_log]


def validate_xliff(path: Path) -> list[str]:
    """XLIFF 1.2 schema errors of a file (empty when valid)."""
    ok = _XSD.validate(etree.parse(str(path)))
    return [] if ok else [str(e) for e in _XSD.error_log]
