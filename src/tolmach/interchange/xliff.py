"""XLIFF 1.2: the bilingual exchange file CAT tools open for review and post-editing.

1.2 is the default because it is what OmegaT, Trados, memoQ, Okapi and translate-toolkit
all read without conversion (XLIFF 2.0 is :mod:`tolmach.interchange.xliff2`; this
module's reader hands 2.x files to it).  One ``<file>`` per document (``original`` = the document's
name, its own source and target language), one ``<trans-unit>`` per bead with
``xml:space="preserve"``.  The bead's status becomes the target's ``state`` (and
``state-qualifier``/``approved``) through :data:`STATE_OF_STATUS`; a bead without a
translation has no ``<target>``; the bead's notes become ``<note>``, QA warnings
``<note from="tolmach-qa" annotates="target">``; the rest of the bead's metadata (and
who changed it, when) travels in a ``<context-group>`` of ``x-tolmach-*`` contexts (the schema's extension point), so
an XLIFF written here imports back onto the same beads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
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

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"

#: bead status -> (XLIFF ``state``, ``state-qualifier`` or None, ``approved``)
STATE_OF_STATUS: dict[str, tuple[str, str | None, bool]] = {
    BeadStatus.EMPTY: ("needs-translation", None, False),
    BeadStatus.MACHINE: ("needs-review-translation", "leveraged-mt", False),
    BeadStatus.IMPORTED: ("translated", "leveraged-inherited", False),
    BeadStatus.TM: ("needs-review-translation", "leveraged-tm", False),
    BeadStatus.EDITED: ("translated", None, False),
    BeadStatus.REVIEWED: ("signed-off", None, True),
}

#: XLIFF ``state`` -> bead status, for files written by other tools (no Tolmach context).
_E, _M, _R = BeadStatus.EDITED.value, BeadStatus.MACHINE.value, BeadStatus.REVIEWED.value
STATUS_OF_STATE: dict[str, str] = {
    "new": BeadStatus.EMPTY.value,
    "needs-translation": BeadStatus.EMPTY.value,
    "needs-adaptation": _E,
    "needs-l10n": _E,
    "needs-review-translation": _M,
    "needs-review-adaptation": _E,
    "needs-review-l10n": _E,
    "translated": _E,
    "signed-off": _R,
    "final": _R,
}

class XliffWriter(XmlOut):
    """Streams trans-units, opening a new ``<file>`` whenever the document changes."""

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        super().__init__()
        (self.fh,) = handles
        self.header = header
        self.current: str | None = None
        self.last_number = 0
        self.seq = 0
        self.fh.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{NAMESPACE}">\n')

    def _open_file(self, name: str, src: str | None, tgt: str | None) -> None:
        h = self.header
        tgt_attr = f' target-language="{bcp47(tgt)}"' if tgt else ""
        self.fh.write(
            f'  <file original="{self.attr(name)}" source-language="{bcp47(src)}"{tgt_attr} datatype="plaintext"'
            f' tool-id="{self.attr(h.tool_id)}" date="{h.created.strftime("%Y-%m-%dT%H:%M:%SZ")}">\n'
            f'    <header><tool tool-id="{self.attr(h.tool_id)}" tool-name="{self.attr(h.tool)}"'
            f' tool-version="{self.attr(h.tool_version)}"/></header>\n'
            "    <body>\n"
        )
        self.current, self.last_number, self.seq = name, 0, 0

    def _close_file(self) -> None:
        self.fh.write("    </body>\n  </file>\n")

    def write(self, unit: Unit) -> None:
        if self.current is None or unit.document != self.current:
            if self.current is not None:
                self._close_file()
            self._open_file(unit.document, unit.src_lang, unit.tgt_lang)
        self.seq += 1
        if unit.number is not None and unit.number > self.last_number:  # ids must be unique in a file
            uid, self.last_number = str(unit.number), unit.number
        else:
            uid = f"u{self.seq}"
        state, qualifier, approved = STATE_OF_STATUS.get(unit.status, ("translated", None, False))
        has_target = bool(clean(unit.target)[0].strip(" \t\r\n"))
        extra = f' state-qualifier="{qualifier}"' if qualifier else ""
        approval = ' approved="yes"' if approved and has_target else ""
        out = [
            f'      <trans-unit id="{uid}"{approval} xml:space="preserve">\n'
            f'        <source xml:lang="{bcp47(unit.src_lang)}">{self.text(unit.source)}</source>\n'
        ]
        if has_target:  # no empty <target>: tools take it for a deliberate empty translation
            out.append(
                f'        <target xml:lang="{bcp47(unit.tgt_lang)}" state="{state}"{extra}>{self.text(unit.target)}</target>\n'
            )
        out += [f"        <note>{self.text(n)}</note>\n" for n in unit.notes]
        out += [f'        <note from="tolmach-qa" annotates="target">{self.text(n)}</note>\n' for n in unit.qa_notes]
        contexts = [(f"x-tolmach-{k}", v) for k, v in metadata(unit) if k != "document"]  # <file original>
        contexts += [
            (f"x-tolmach-{k}", v)
            for k, v in (
                ("creationid", unit.creator),
                ("creationdate", tmx_date(unit.created)),
                ("changeid", unit.changer),
                ("changedate", tmx_date(unit.changed)),
            )
            if v
        ]
        if contexts:
            out.append('        <context-group purpose="information">\n')
            out += [f'          <context context-type="{t}">{self.text(v)}</context>\n' for t, v in contexts]
            out.append("        </context-group>\n")
        out.append("      </trans-unit>\n")
        self.fh.write("".join(out))

    def close(self) -> None:
        if self.current is None:  # XLIFF needs at least one <file>, even when nothing matched
            self._open_file("", self.header.src_lang, self.header.tgt_lang)
        self._close_file()
        self.fh.write("</xliff>\n")


#: XLIFF 1.2 inline elements: native codes (dropped) and text markup (tag dropped, text kept).
CODES = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it"})
WRAPS = frozenset({"g"})


def read_xliff(path: Path, source_langs: frozenset[str] = frozenset()) -> Iterator[Unit]:
    """Units of an XLIFF file (1.0-1.2, or 2.x), one trans-unit (segment) at a time.

    Inline codes are stripped and counted; a ``<seg-source>`` split into
    ``<mrk mtype="seg">`` gives one unit per segment, paired with the target's ``<mrk>``
    of the same ``mid``.
    """
    file_attrs: dict[str, str] = {}
    stack: list[ET.Element] = []
    for event, elem in iter_xml(path):
        if event == "start":
            if not stack and elem.tag == "xliff" and (elem.get("version") or "1.2").startswith("2"):
                from tolmach.interchange import xliff2

                yield from xliff2.read_xliff2(path, source_langs)
                return
            if elem.tag == "file":
                file_attrs = dict(elem.attrib)
            stack.append(elem)
            continue
        stack.pop()
        if elem.tag == "trans-unit":
            units = _units(elem, file_attrs)
            if stack:
                stack[-1].remove(elem)
            yield from units


def _segments(elem: ET.Element, mtype_seg: bool) -> list[tuple[str, str, int]]:
    """(mid, text, codes) of each ``<mrk mtype="seg">`` of a seg-source/target."""
    out = []
    for mrk in elem.iter("mrk"):
        if mrk.get("mtype") == "seg" or not mtype_seg:
            text, n = inline_text(mrk, CODES, WRAPS)
            out.append((mrk.get("mid", ""), text, n))
    return out


def _units(tu: ET.Element, file_attrs: dict[str, str]) -> list[Unit]:
    source_el = tu.find("source")
    seg_source = tu.find("seg-source")
    target_el = tu.find("target")
    ctx = {c.get("context-type", ""): (c.text or "") for c in tu.iter("context")}
    own = {k[len("x-tolmach-") :]: v for k, v in ctx.items() if k.startswith("x-tolmach-")}
    fields = from_metadata(own)
    fields["document"] = file_attrs.get("original", "")
    state = target_el.get("state", "") if target_el is not None else ""
    approved_attr = tu.get("approved")
    approved = None if approved_attr is None else approved_attr == "yes"
    if approved:
        fields["status"] = "reviewed"
    elif state in STATUS_OF_STATE and not (fields["status"] and STATE_OF_STATUS.get(fields["status"], ("",))[0] == state):
        fields["status"] = STATUS_OF_STATE[state]
    src_lang = (source_el.get("xml:lang") if source_el is not None else None) or file_attrs.get("source-language")
    tgt_lang = (target_el.get("xml:lang") if target_el is not None else None) or file_attrs.get("target-language")
    notes = tuple(
        (n.text or "").strip() for n in tu.findall("note") if n.get("from") != "tolmach-qa" and (n.text or "").strip()
    )
    qa = tuple((n.text or "").strip() for n in tu.findall("note") if n.get("from") == "tolmach-qa")
    common: dict[str, Any] = dict(
        src_lang=bcp47(src_lang),
        tgt_lang=bcp47(tgt_lang),
        notes=notes,
        qa_notes=qa,
        creator=own.get("creationid", ""),
        created=parse_date(own.get("creationdate")),
        changer=own.get("changeid", ""),
        changed=parse_date(own.get("changedate")),
        approved=approved,
    )
    if seg_source is not None and any(m.get("mtype") == "seg" for m in seg_source.iter("mrk")):
        sources = _segments(seg_source, True)
        targets = {mid: (text, n) for mid, text, n in _segments(target_el, True)} if target_el is not None else {}
        out = []
        for i, (mid, text, n) in enumerate(sources):
            target, m = targets.get(mid, ("", 0))
            f = dict(fields, number=fields["number"] if len(sources) == 1 else None)
            out.append(Unit(source=text, target=target, inline_codes=n + m, **common, **f))
        return out
    source, n = inline_text(source_el, CODES, WRAPS) if source_el is not None else ("", 0)
    target, m = inline_text(target_el, CODES, WRAPS) if target_el is not None else ("", 0)
    return [Unit(source=source, target=target, inline_codes=n + m, **common, **fields)]
