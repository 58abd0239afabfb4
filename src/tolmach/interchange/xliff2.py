"""XLIFF 2.0: the current OASIS bilingual format (Okapi, Trados, memoQ, Matecat read it).

One ``<file>`` per document, one ``<unit>`` with one ``<segment>`` per bead.  The bead's
status becomes the segment ``state`` (``initial``, ``translated``, ``reviewed``,
``final``) through :data:`STATE_OF_STATUS`, with ``subState="tolmach:<status>"`` so
Tolmach gets its own status back; bead notes become ``<note>``, QA warnings ``<note
category="tolmach-qa">``; the rest of the metadata travels in the Metadata module
(``<mda:metaGroup category="tolmach">``).  A bead without a translation has no
``<target>``.  XLIFF 2.0 puts one source language on the whole file, so a segment in
another language (a Romanian reference) keeps its tag only in XLIFF 1.2, TMX and JSONL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO
from xml.etree import ElementTree as ET

from tolmach.interchange.unit import (
    Header,
    Unit,
    bcp47,
    from_metadata,
    metadata,
    parse_date,
    tmx_date,
)
from tolmach.model import BeadStatus
from tolmach.interchange.xmlsafe import XmlOut, clean, inline_text, iter_xml

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"

STATE_OF_STATUS: dict[str, str] = {
    BeadStatus.EMPTY: "initial", BeadStatus.MACHINE: "initial", BeadStatus.IMPORTED: "translated",
    BeadStatus.TM: "translated", BeadStatus.EDITED: "translated", BeadStatus.REVIEWED: "final",
}  # fmt: skip
STATUS_OF_STATE: dict[str, str] = {
    "initial": BeadStatus.EMPTY.value, "translated": BeadStatus.EDITED.value,
    "reviewed": BeadStatus.REVIEWED.value, "final": BeadStatus.REVIEWED.value,
}  # fmt: skip

CODES = frozenset({"ph", "sc", "ec", "cp", "sm", "em"})
WRAPS = frozenset({"pc"})


class Xliff2Writer(XmlOut):
    def __init__(self, handles: list[TextIO], header: Header) -> None:
        super().__init__()
        (self.fh,) = handles
        self.header = header
        self.current: str | None = None
        self.files = 0
        self.seq = 0
        tgt = f' trgLang="{bcp47(header.tgt_lang)}"' if header.tgt_lang else ""
        self.fh.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<xliff xmlns="{NAMESPACE}" xmlns:mda="{MDA}" version="2.0" srcLang="{bcp47(header.src_lang)}"{tgt}>\n'
        )

    def _open_file(self, name: str) -> None:
        self.files += 1
        self.fh.write(f'  <file id="f{self.files}" original="{self.attr(name)}">\n')
        self.current = name

    def write(self, unit: Unit) -> None:
        if self.current is None or unit.document != self.current:
            if self.current is not None:
                self.fh.write("  </file>\n")
            self._open_file(unit.document)
        self.seq += 1
        meta = [(k, v) for k, v in metadata(unit) if k != "document"]
        meta += [
            (k, v)
            for k, v in (
                ("creationid", unit.creator),
                ("creationdate", tmx_date(unit.created)),
                ("changeid", unit.changer),
                ("changedate", tmx_date(unit.changed)),
            )
            if v
        ]
        name = f' name="{unit.number}"' if unit.number is not None else ""
        out = [f'    <unit id="u{self.seq}"{name}>\n']
        if meta:
            out.append('      <mda:metadata><mda:metaGroup category="tolmach">\n')
            out += [f'        <mda:meta type="{k}">{self.text(v)}</mda:meta>\n' for k, v in meta]
            out.append("      </mda:metaGroup></mda:metadata>\n")
        if unit.notes or unit.qa_notes:
            out.append("      <notes>\n")
            out += [f"        <note>{self.text(n)}</note>\n" for n in unit.notes]
            out += [f'        <note category="tolmach-qa" appliesTo="target">{self.text(n)}</note>\n' for n in unit.qa_notes]
            out.append("      </notes>\n")
        has_target = bool(clean(unit.target)[0].strip(" \t\r\n"))
        state = STATE_OF_STATUS.get(unit.status, "translated") if has_target else "initial"
        sub = f' subState="tolmach:{self.attr(unit.status)}"' if unit.status else ""
        out.append(f'      <segment state="{state}"{sub}>\n')
        out.append(f'        <source xml:space="preserve">{self.text(unit.source)}</source>\n')
        if has_target:
            out.append(f'        <target xml:space="preserve">{self.text(unit.target)}</target>\n')
        out.append("      </segment>\n    </unit>\n")
        self.fh.write("".join(out))

    def close(self) -> None:
        if self.current is None:
            self._open_file("")
        self.fh.write("  </file>\n</xliff>\n")


def read_xliff2(path: Path, source_langs: frozenset[str] = frozenset()) -> Iterator[Unit]:
    """Units of an XLIFF 2.x file: one per ``<segment>`` (a Tolmach unit has exactly one)."""
    langs: dict[str, str] = {}
    original = ""
    stack: list[ET.Element] = []
    for event, elem in iter_xml(path):
        if event == "start":
            if elem.tag == "xliff":
                langs = {"src": elem.get("srcLang", ""), "tgt": elem.get("trgLang", "")}
            elif elem.tag == "file":
                original = elem.get("original", "") or elem.get("id", "")
            stack.append(elem)
            continue
        stack.pop()
        if elem.tag == "unit":
            units = _units(elem, original, langs)
            if stack:
                stack[-1].remove(elem)
            yield from units


def _units(unit_el: ET.Element, original: str, langs: dict[str, str]) -> list[Unit]:
    own = {m.get("type", ""): (m.text or "") for m in unit_el.iter("meta")}
    fields = from_metadata(own)
    fields["document"] = original
    name = unit_el.get("name") or ""
    if fields["number"] is None and name.isdigit():
        fields["number"] = int(name)
    notes_el = unit_el.find("notes")
    notes = [n for n in notes_el.findall("note")] if notes_el is not None else []
    segments = unit_el.findall("segment")
    out = []
    for seg in segments:
        src_el, tgt_el = seg.find("source"), seg.find("target")
        source, n = inline_text(src_el, CODES, WRAPS) if src_el is not None else ("", 0)
        target, m = inline_text(tgt_el, CODES, WRAPS) if tgt_el is not None else ("", 0)
        state = seg.get("state", "")
        sub = seg.get("subState", "")
        status = fields["status"]
        if sub.startswith("tolmach:") and STATE_OF_STATUS.get(sub[8:]) == state:
            status = sub[8:]
        elif state in STATUS_OF_STATE:
            status = STATUS_OF_STATE[state]
        f = dict(fields, status=status, number=fields["number"] if len(segments) == 1 else None)
        out.append(
            Unit(
                source=source,
                target=target,
                src_lang=bcp47((src_el.get("xml:lang") if src_el is not None else None) or langs.get("src")),
                tgt_lang=bcp47((tgt_el.get("xml:lang") if tgt_el is not None else None) or langs.get("tgt")),
                notes=tuple((x.text or "").strip() for x in notes if x.get("category") != "tolmach-qa" and (x.text or "").strip()),
                qa_notes=tuple((x.text or "").strip() for x in notes if x.get("category") == "tolmach-qa"),
                creator=own.get("creationid", ""),
                created=parse_date(own.get("creationdate")),
                changer=own.get("changeid", ""),
                changed=parse_date(own.get("changedate")),
                approved=True if state == "final" or state == "reviewed" else None,
                inline_codes=n + m,
                **f,
            )
        )
    return out
