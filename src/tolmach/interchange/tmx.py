"""TMX 1.4b: the translation-memory format every CAT tool imports.

One ``<tu>`` per bead; the bead's document, number, status, origin, score and database
ids travel as ``<prop type="x-...">`` (TMX reserves the ``x-`` prefix for tool-defined
properties), so a TMX written here can be imported back onto the exact beads.  The
header names the tool and version, ``segtype="sentence"`` and the source language
(``*all*`` when the exported documents differ).  The output is valid against the TMX
1.4b DTD (``schemas/tmx14b.dtd``), which the tests check with lxml.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tolmach.interchange.unit import Header, Unit, bcp47, from_metadata, metadata, same_language
from tolmach.interchange.xmlsafe import XmlOut, element_text, iter_xml

class TmxWriter(XmlOut):
    """Streams ``<tu>`` elements; the file is complete only after :meth:`close`."""

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        super().__init__()
        (self.fh,) = handles
        stamp = header.created.strftime("%Y%m%dT%H%M%SZ")
        srclang = bcp47(header.src_lang) if header.src_lang else "*all*"
        self.fh.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            '<tmx version="1.4">\n'
            f'  <header creationtool="{self.attr(header.tool)}" creationtoolversion="{self.attr(header.tool_version)}"'
            f' segtype="sentence" o-tmf="{self.attr(header.tool)}" adminlang="en" srclang="{srclang}"'
            f' datatype="plaintext" creationdate="{stamp}"/>\n'
            "  <body>\n"
        )

    def write(self, unit: Unit) -> None:
        tuid = f"{unit.document}#{unit.number}" if unit.number is not None else unit.document
        out = [f'    <tu tuid="{self.attr(tuid)}" srclang="{bcp47(unit.src_lang)}">\n']
        out += [f'      <prop type="x-{k}">{self.text(v)}</prop>\n' for k, v in metadata(unit)]
        out += [f"      <note>{self.text(n)}</note>\n" for n in unit.notes]  # DTD: notes and props before tuvs
        out.append(f'      <tuv xml:lang="{bcp47(unit.src_lang)}"><seg>{self.text(unit.source)}</seg></tuv>\n')
        out.append(f'      <tuv xml:lang="{bcp47(unit.tgt_lang)}"><seg>{self.text(unit.target)}</seg></tuv>\n')
        out.append("    </tu>\n")
        self.fh.write("".join(out))

    def close(self) -> None:
        self.fh.write("  </body>\n</tmx>\n")


def read_tmx(path: Path) -> Iterator[Unit]:
    """Units of a TMX file (ours or any CAT tool's), one ``<tu>`` at a time.

    The source variant is the one in the unit's (else the header's) ``srclang``; the
    target is the first other variant.  Props written by Tolmach restore the metadata.
    """
    header_src: str | None = None
    stack: list = []
    for event, elem in iter_xml(path):
        if event == "start":
            stack.append(elem)
            continue
        stack.pop()
        if elem.tag == "header":
            header_src = elem.get("srclang")
        elif elem.tag == "tu":
            unit = _unit(elem, header_src)
            if stack:
                stack[-1].remove(elem)  # keep memory flat: drop parsed units from the tree
            if unit is not None:
                yield unit


def _unit(tu, header_src: str | None) -> Unit | None:
    props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
    variants = [(tuv.get("xml:lang") or tuv.get("lang") or "", tuv.find("seg")) for tuv in tu.findall("tuv")]
    variants = [(lang, element_text(seg)) for lang, seg in variants if seg is not None]
    if not variants:
        return None
    srclang = tu.get("srclang") or header_src
    if srclang and srclang != "*all*":
        src_i = next((i for i, (lang, _) in enumerate(variants) if same_language(lang, srclang)), 0)
    else:
        src_i = 0
    src_lang, source = variants[src_i]
    others = [v for i, v in enumerate(variants) if i != src_i]
    tgt_lang, target = others[0] if others else ("und", "")
    fields = from_metadata({k[2:]: v for k, v in props.items() if k.startswith("x-")})
    return Unit(
        source=source,
        target=target,
        src_lang=bcp47(src_lang),
        tgt_lang=bcp47(tgt_lang),
        notes=tuple(n.text or "" for n in tu.findall("note")),
        **fields,
    )
