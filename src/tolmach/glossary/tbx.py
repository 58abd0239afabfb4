"""TBX: the terminology exchange standard, in its two editions.

* TBX 2008 (ISO 30042:2008, ``<martif type="TBX-Basic">``, no namespace): what OmegaT
  (every version), translate-toolkit (``tbx2po``), Trados MultiTerm and most CAT tools
  read.  The default export; valid against the TBX core structure (the tests check it
  with the schema OmegaT itself reads TBX with).
* TBX v3 (ISO 30042:2019, ``<tbx type="TBX-Basic">`` in ``urn:iso:std:iso:30042:ed-2``):
  the current edition, exported with ``--tbx-version 3``.

:func:`read_tbx` reads both.  TBX arrives from outside, so it is parsed by
:func:`tolmach.interchange.xmlsafe.parse_xml` (defusedxml, as every XML Tolmach reads),
which refuses entity declarations (billion laughs) and external references outright.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from tolmach.model import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG
from tolmach.errors import InputError
from tolmach.glossary.entries import (
    Entry,
    _clean,
    atomic_write,
    check_duplicates,
    make_entry,
    pair_from_filename,
)

TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"


#: TBX editions Tolmach writes: ``2008`` (martif, the default) and ``3``.
VERSIONS = ("2008", "3")


def dumps_tbx(entries: Sequence[Entry], *, title: str = "Tolmach glossary", version: str = "2008") -> str:
    """TBX-Basic text of the entries, in the 2008 edition (default) or v3."""
    if str(version) == "3":
        return _dumps_v3(entries, title=title)
    if str(version) != "2008":
        raise InputError(f"Unknown TBX version {version!r}; choose 2008 or 3.")
    return _dumps_2008(entries, title=title)


def _lang_secs(entry: Entry) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(text, termType, administrativeStatus) of the source and target terms of an entry."""
    src = [
        (text, kind, status)
        for text, kind, status in (
            (entry.term, "", _PREFERRED),
            (entry.abbreviation, "abbreviation", _ADMITTED),
            (entry.expansion, "fullForm", _ADMITTED),
        )
        if text
    ]
    tgt = [(text, "", _PREFERRED if j == 0 else _ADMITTED) for j, text in enumerate(entry.renderings)]
    return src, tgt


def _dumps_2008(entries: Sequence[Entry], *, title: str) -> str:
    """TBX 2008 (ISO 30042:2008, TBX-Basic): ``martif`` > ``termEntry`` > ``langSet`` > ``tig``.

    Element order follows the core structure: in a ``termEntry`` the concept-level
    ``descrip``/``admin``/``note`` come before the ``langSet``s; in a ``tig`` the
    ``term``, then its ``termNote``s.  No DOCTYPE, so no reader tries to fetch a DTD.
    """
    tgt = entries[0].tgt_lang if entries else DEFAULT_TARGET_LANG
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: tgt})
    header = ET.SubElement(root, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "titleStmt"), "title").text = title
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = "Exported by Tolmach"
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for i, e in enumerate(entries, start=1):
        concept = ET.SubElement(body, "termEntry", {"id": f"c{e.id or i}"})
        if e.type:
            ET.SubElement(concept, "descrip", {"type": "subjectField"}).text = e.type
        if e.source:
            ET.SubElement(concept, "admin", {"type": "source"}).text = e.source
        if e.note:
            ET.SubElement(concept, "note").text = e.note
        src_terms, tgt_terms = _lang_secs(e)
        for lang, terms in ((e.src_lang, src_terms), (e.tgt_lang, tgt_terms)):
            lang_set = ET.SubElement(concept, "langSet", {_XML_LANG: lang})
            for text, kind, status in terms:
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = text
                if kind:
                    ET.SubElement(tig, "termNote", {"type": "termType"}).text = kind
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _dumps_v3(entries: Sequence[Entry], *, title: str = "Tolmach glossary") -> str:
    """TBX (ISO 30042:2019, TBX-Basic dialect) with one conceptEntry per entry.

    Source language: the term (preferred status), its abbreviation (termType
    ``abbreviation``) and expansion (termType ``fullForm``).  Target language: the
    preferred rendering then the admitted variants.  Type → ``subjectField``, note →
    ``note``, source → ``admin type="source"``.
    """
    tgt = entries[0].tgt_lang if entries else DEFAULT_TARGET_LANG
    ET.register_namespace("", TBX_NS)

    def q(tag: str) -> str:
        return f"{{{TBX_NS}}}{tag}"

    root = ET.Element(q("tbx"), {"type": "TBX-Basic", "style": "dca", _XML_LANG: tgt})
    header = ET.SubElement(ET.SubElement(ET.SubElement(root, q("tbxHeader")), q("fileDesc")), q("sourceDesc"))
    ET.SubElement(header, q("p")).text = title
    body = ET.SubElement(ET.SubElement(root, q("text")), q("body"))
    for i, e in enumerate(entries, start=1):
        concept = ET.SubElement(body, q("conceptEntry"), {"id": f"c{e.id or i}"})
        if e.type:
            ET.SubElement(concept, q("descrip"), {"type": "subjectField"}).text = e.type
        if e.source:
            ET.SubElement(concept, q("admin"), {"type": "source"}).text = e.source
        if e.note:
            ET.SubElement(concept, q("note")).text = e.note
        ru = ET.SubElement(concept, q("langSec"), {_XML_LANG: e.src_lang})
        for text, kind, status in (
            (e.term, "", _PREFERRED),
            (e.abbreviation, "abbreviation", _ADMITTED),
            (e.expansion, "fullForm", _ADMITTED),
        ):
            if not text:
                continue
            sec = ET.SubElement(ru, q("termSec"))
            ET.SubElement(sec, q("term")).text = text
            if kind:
                ET.SubElement(sec, q("termNote"), {"type": "termType"}).text = kind
            ET.SubElement(sec, q("termNote"), {"type": "administrativeStatus"}).text = status
        en = ET.SubElement(concept, q("langSec"), {_XML_LANG: e.tgt_lang})
        for j, text in enumerate(e.renderings):
            sec = ET.SubElement(en, q("termSec"))
            ET.SubElement(sec, q("term")).text = text
            ET.SubElement(sec, q("termNote"), {"type": "administrativeStatus"}).text = _PREFERRED if j == 0 else _ADMITTED
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_tbx(path: Path | str, entries: Sequence[Entry], *, version: str = "2008") -> None:
    atomic_write(Path(path), dumps_tbx(entries, version=version))


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, *names: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) in names]


def _text(el: ET.Element | None) -> str:
    return _clean("".join(el.itertext())) if el is not None else ""


def _parse_untrusted_xml(path: Path) -> ET.Element:
    from tolmach.fileio import read_input
    from tolmach.interchange.xmlsafe import parse_xml

    data = read_input(path, hint="not a glossary file")
    return parse_xml(data, str(path))  # the one safe parser: its size limits and its wording


def _lang_matches(el: ET.Element, lang: str) -> bool:
    value = (el.get(_XML_LANG) or el.get("lang") or "").lower()
    return value == lang or value.startswith(lang + "-") or value.startswith(lang + "_")


def _term_secs(lang_sec: ET.Element) -> list[tuple[str, str, str]]:
    """(term, termType, administrativeStatus) of each term container, in order."""
    out = []
    for sec in _children(lang_sec, "termSec", "tig", "ntig"):
        terms = [t for t in sec.iter() if _local(t.tag) == "term"]
        notes = {n.get("type", ""): _text(n) for n in sec.iter() if _local(n.tag) == "termNote"}
        if terms:
            out.append((_text(terms[0]), notes.get("termType", ""), notes.get("administrativeStatus", "")))
    return out


def read_tbx(
    path: Path | str, *, glossary: str | None = None, src_lang: str = DEFAULT_SOURCE_LANG, tgt_lang: str = DEFAULT_TARGET_LANG
) -> list[Entry]:
    """Entries of a TBX file (TBX v3 ``conceptEntry`` or older ``martif``/``termEntry``)."""
    path = Path(path)
    root = _parse_untrusted_xml(path)
    if _local(root.tag) not in ("tbx", "martif"):
        raise InputError(f"{path} is XML but not TBX: its root element is <{_local(root.tag)}>, not <tbx>.")
    name = glossary or pair_from_filename(path)[0]
    located: list[tuple[Entry, str]] = []
    concepts = [el for el in root.iter() if _local(el.tag) in ("conceptEntry", "termEntry")]
    for n, concept in enumerate(concepts, start=1):
        where = f"{path}: concept {n}" + (f" (id={concept.get('id')})" if concept.get("id") else "")
        lang_secs = _children(concept, "langSec", "langSet")
        src_terms = [t for ls in lang_secs if _lang_matches(ls, src_lang) for t in _term_secs(ls)]
        tgt_terms = [t for ls in lang_secs if _lang_matches(ls, tgt_lang) for t in _term_secs(ls)]
        if not src_terms:
            raise InputError(f"{where}: no {src_lang!r} term; every entry needs a term.")
        if not tgt_terms:
            raise InputError(f"{where}: no {tgt_lang!r} term; every entry needs a preferred rendering.")
        main = next((t for t in src_terms if t[2] == _PREFERRED), None) or next(
            (t for t in src_terms if t[1] not in ("abbreviation", "acronym", "fullForm")), src_terms[0]
        )
        abbreviation = next((t[0] for t in src_terms if t[1] in ("abbreviation", "acronym") and t is not main), "")
        expansion = next((t[0] for t in src_terms if t[1] == "fullForm" and t is not main), "")
        preferred = next((t for t in tgt_terms if t[2] == _PREFERRED), tgt_terms[0])
        descrips = {d.get("type", ""): _text(d) for d in concept.iter() if _local(d.tag) == "descrip"}
        admins = {d.get("type", ""): _text(d) for d in concept.iter() if _local(d.tag) == "admin"}
        notes = [_text(d) for d in _children(concept, "note")]
        fields = {
            "term": main[0],
            "preferred": preferred[0],
            "variants": [t[0] for t in tgt_terms if t is not preferred],
            "abbreviation": abbreviation,
            "expansion": expansion,
            "type": descrips.get("subjectField", ""),
            "note": " ".join(notes),
            "source": admins.get("source", ""),
        }
        located.append((make_entry(fields, where, glossary=name, src_lang=src_lang, tgt_lang=tgt_lang), where))
    if not concepts:
        raise InputError(f"{path} holds no TBX concept entries; nothing to import.")
    check_duplicates(located)
    return [e for e, _ in located]


