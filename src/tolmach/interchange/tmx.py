"""TMX 1.4b: the translation-memory format every CAT tool imports.

One ``<tu>`` per bead; the bead's document, number, status, origin, score and database
ids travel as ``<prop type="x-...">`` (TMX reserves the ``x-`` prefix for tool-defined
properties), so a TMX written here can be imported back onto the exact beads.  Who
first translated the bead and when (``creationid``/``creationdate``), who changed it
last and when (``changeid``/``changedate``) are on the ``<tu>`` and on the target
``<tuv>``, where OmegaT reads and keeps them; the bead's notes are ``<note>``s.  A bead
without a translation has its source variant only: never an empty target ``<seg>``.
The header names the tool and version, ``segtype="sentence"`` and the source language
(``*all*`` when the exported documents differ).  The output is valid against the TMX
1.4b DTD (``schemas/tmx14b.dtd``), which the tests check with lxml and xmllint.
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
    same_language,
    tmx_date,
)
from tolmach.interchange.xmlsafe import XmlOut, clean, inline_text, iter_xml

#: TMX inline elements holding native codes (their content is code, not text).
CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})


def _who_when(unit: Unit, x: XmlOut) -> str:
    """TMX change-tracking attributes of a unit (empty values left out)."""
    pairs = (
        ("creationdate", tmx_date(unit.created)),
        ("creationid", unit.creator),
        ("changedate", tmx_date(unit.changed)),
        ("changeid", unit.changer),
    )
    return "".join(f' {k}="{x.attr(v)}"' for k, v in pairs if v)


class TmxWriter(XmlOut):
    """Streams ``<tu>`` elements; the file is complete only after :meth:`close`.

    A bead without a translation becomes a ``<tu>`` with the source variant only (TMX
    allows one ``<tuv>``): an empty target ``<seg/>`` is what CAT tools take for a
    deliberate empty translation, so one is never written.
    """

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
        src = bcp47(unit.src_lang)
        who = _who_when(unit, self)
        out = [f'    <tu tuid="{self.attr(tuid)}" srclang="{src}"{who}>\n']
        out += [f"      <note>{self.text(n)}</note>\n" for n in unit.notes]  # DTD: notes and props before tuvs
        out += [f'      <prop type="x-{k}">{self.text(v)}</prop>\n' for k, v in metadata(unit)]
        out.append(f'      <tuv xml:lang="{src}"><seg>{self.text(unit.source)}</seg></tuv>\n')
        if clean(unit.target)[0].strip(" \t\r\n"):
            out.append(f'      <tuv xml:lang="{bcp47(unit.tgt_lang)}"{who}><seg>{self.text(unit.target)}</seg></tuv>\n')
        out.append("    </tu>\n")
        self.fh.write("".join(out))

    def close(self) -> None:
        self.fh.write("  </body>\n</tmx>\n")


def read_tmx(path: Path, source_langs: frozenset[str] = frozenset()) -> Iterator[Unit]:
    """Units of a TMX file (ours or any CAT tool's, 1.1 to 1.4), one ``<tu>`` at a time.

    The source variant is the one in the unit's (else the header's) ``srclang``; with
    ``*all*`` (or none), the first variant in one of ``source_langs`` (the languages of
    the documents it is meant for), else the first.  The target is the first other
    variant.  Props written by Tolmach restore the metadata; ``creationid``/
    ``changeid``/dates come from the target variant, else the ``<tu>``; inline codes are
    stripped and counted.
    """
    header_src: str | None = None
    stack: list[ET.Element] = []
    for event, elem in iter_xml(path):
        if event == "start":
            stack.append(elem)
            continue
        stack.pop()
        if elem.tag == "header":
            header_src = elem.get("srclang")
        elif elem.tag == "tu":
            unit = _unit(elem, header_src, source_langs)
            if stack:
                stack[-1].remove(elem)  # keep memory flat: drop parsed units from the tree
            if unit is not None:
                yield unit


def _unit(tu: ET.Element, header_src: str | None, source_langs: frozenset[str]) -> Unit | None:
    props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
    variants = []
    codes = 0
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        if seg is None:
            continue
        text, n = inline_text(seg, CODES)
        codes += n
        variants.append((tuv.get("xml:lang") or tuv.get("lang") or "", text, tuv))
    if not variants:
        return None
    srclang = tu.get("srclang") or header_src
    if srclang and srclang != "*all*":
        src_i = next((i for i, v in enumerate(variants) if same_language(v[0], srclang)), 0)
    else:
        wanted = {bcp47(x).split("-")[0] for x in source_langs}
        src_i = next((i for i, v in enumerate(variants) if bcp47(v[0]).split("-")[0] in wanted), 0)
    src_lang, source, _ = variants[src_i]
    others = [v for i, v in enumerate(variants) if i != src_i]
    tgt_lang, target, tgt_tuv = others[0] if others else ("und", "", None)

    def attr(name: str) -> str:
        return (tgt_tuv.get(name) if tgt_tuv is not None else None) or tu.get(name) or ""

    fields = from_metadata({k[2:]: v for k, v in props.items() if k.startswith("x-")})
    notes = [n.text or "" for n in tu.findall("note")]
    if tgt_tuv is not None:
        notes += [n.text or "" for n in tgt_tuv.findall("note")]
    return Unit(
        source=source,
        target=target,
        src_lang=bcp47(src_lang),
        tgt_lang=bcp47(tgt_lang),
        notes=tuple(n.strip() for n in notes if n.strip()),
        creator=attr("creationid"),
        created=parse_date(attr("creationdate")),
        changer=attr("changeid"),
        changed=parse_date(attr("changedate")),
        inline_codes=codes,
        **fields,
    )
