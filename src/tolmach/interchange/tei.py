"""A TEI P5 parallel edition of one document, written and read back without loss.

Layout (valid against TEI's ``tei_all`` schema)::

    TEI
      teiHeader   title, who worked on it (respStmt), the archival citation in msDesc
                  (repository, fund, file, volume, folios; printed and Chicago forms)
      standOff    listPerson / listPlace  (authority and romanised forms of names)
                  interpGrp               (bead status, origin, score, flag)
                  linkGrp type=alignment  one <link> per bead, as InterText writes them:
                                          target="#s3 #s4 #t3" (a 2:1 bead)
      text/group
        text xml:lang=ru   <p n=paragraph><s xml:id=s3 type=kind>... with
                           <choice><sic>окозанию</sic><corr>оказанию</corr></choice>,
                           <persName ref=#person-1>, <placeName>, <date when=1968-08-21>
        text xml:lang=en   <p><s xml:id=t3>target, <seg type=anchor>word</seg>
                           <note type=editorial target=#...>[sic]</note></s></p>

A probable misprint nobody has confirmed is written ``<corr cert="low">``; a confirmed
reading has no ``cert`` and names who confirmed it.  :func:`read_tei` rebuilds the same
:class:`Edition` from the file; :func:`read_units` gives one unit per bead for
``tolmach import-tm``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO
from xml.etree import ElementTree as ET

from tolmach.errors import InputError
from tolmach.interchange.unit import TOOL_NAME, TOOL_VERSION, Header, Unit, bcp47
from tolmach.interchange.xmlsafe import clean, iter_xml

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XID = f"{{{XML_NS}}}id"
_XLANG = f"{{{XML_NS}}}lang"


# --- the edition as plain data -------------------------------------------------------------


@dataclass
class Reading:
    start: int
    end: int
    reading: str
    confirmed: bool = True
    author: str = ""


@dataclass
class Name:
    start: int
    end: int
    kind: str  # "person" | "place"
    key: str  # the nominative, lower case: what authority forms are looked up by
    rendering: str  # authority form, else the scheme's romanisation
    authority: bool = False


@dataclass
class Date:
    start: int
    end: int
    when: str  # 1968-08-21 or --08-21


@dataclass
class Segment:
    position: int
    kind: str
    lang: str
    paragraph: int
    text: str  # exactly as printed
    readings: list[Reading] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    dates: list[Date] = field(default_factory=list)


@dataclass
class Note:
    kind: str
    anchor: str
    text: str
    author: str = ""


@dataclass
class EditionBead:
    number: int  # 1-based
    src_start: int
    src_end: int
    target: str
    status: str = ""
    origin: str = ""
    score: float | None = None
    flagged: bool = False
    notes: list[Note] = field(default_factory=list)


@dataclass
class CitationInfo:
    """The archival citation as the header carries it (parts plus the chosen forms)."""

    archive: str = ""
    archive_name: str = ""
    place: str = ""
    fund: str = ""
    section: str = ""
    inventory: str = ""
    file: str = ""
    volume: str = ""
    folios: str = ""
    verso: bool = False
    printed: str = ""
    chicago: str = ""


@dataclass
class Edition:
    title: str
    source_lang: str
    target_lang: str
    segments: list[Segment] = field(default_factory=list)
    beads: list[EditionBead] = field(default_factory=list)
    citation: CitationInfo | None = None
    scheme: str = ""
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


# --- writing ---------------------------------------------------------------------------------


class _Clean:
    def __init__(self) -> None:
        self.removed = 0

    def __call__(self, value: str) -> str:
        value, n = clean(value)
        self.removed += n
        return value


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    attrib = {}
    for k, v in attrs.items():
        if v is None or v == "":
            continue
        key = {"xml_id": _XID, "xml_lang": _XLANG}.get(k, k)
        attrib[key] = v
    e = ET.Element(_T + tag, attrib) if parent is None else ET.SubElement(parent, _T + tag, attrib)
    if text:
        e.text = text
    return e


def _append_text(parent: ET.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_Span = Reading | Name | Date


def _spans(seg: Segment) -> list[tuple[int, int, str, _Span]]:
    """Non-overlapping inline spans of a segment: readings first, then names, then dates."""
    taken: list[tuple[int, int, str, _Span]] = []
    groups: list[tuple[str, Sequence[_Span]]] = [("reading", seg.readings), ("name", seg.names), ("date", seg.dates)]
    for kind, items in groups:
        for it in sorted(items, key=lambda x: x.start):
            if 0 <= it.start < it.end <= len(seg.text) and not any(it.start < b and a < it.end for a, b, _, _ in taken):
                taken.append((it.start, it.end, kind, it))
    return sorted(taken, key=lambda t: t[0])


class _Ids:
    def __init__(self) -> None:
        self.persons: dict[tuple[str, str], str] = {}
        self.places: dict[tuple[str, str], str] = {}
        self.resp: dict[str, str] = {}
        self.interp: dict[tuple[str, str], str] = {}

    def person(self, name: Name) -> str:
        table = self.persons if name.kind == "person" else self.places
        if (name.key, name.rendering) not in table:
            table[(name.key, name.rendering)] = f"{name.kind}-{len(table) + 1}"
        return table[(name.key, name.rendering)]

    def who(self, author: str) -> str:
        if author not in self.resp:
            self.resp[author] = f"resp-{len(self.resp) + 1}"
        return self.resp[author]

    def ana(self, kind: str, value: str) -> str:
        if (kind, value) not in self.interp:
            self.interp[(kind, value)] = f"{kind}-{len(self.interp) + 1}"
        return self.interp[(kind, value)]


def _source_s(parent: ET.Element, seg: Segment, ids: _Ids, c: _Clean) -> None:
    s = _el(parent, "s", xml_id=f"s{seg.position + 1}", type=seg.kind, xml_lang=bcp47(seg.lang) if seg.lang else "")
    pos = 0
    for start, end, kind, it in _spans(seg):
        _append_text(s, c(seg.text[pos:start]))
        printed = c(seg.text[start:end])
        if isinstance(it, Reading):
            ch = _el(s, "choice")
            _el(ch, "sic", printed)
            if it.confirmed:
                _el(ch, "corr", c(it.reading), resp=f"#{ids.who(it.author)}" if it.author else "")
            else:
                _el(ch, "corr", c(it.reading), cert="low")
        elif isinstance(it, Name):
            tag = "persName" if it.kind == "person" else "placeName"
            _el(s, tag, printed, ref=f"#{ids.person(it)}")
        else:
            _el(s, "date", printed, when=it.when)
        pos = end
    _append_text(s, c(seg.text[pos:]))


def _target_s(parent: ET.Element, bead: EditionBead, ids: _Ids, c: _Clean) -> None:
    s = _el(parent, "s", xml_id=f"t{bead.number}", n=str(bead.number))
    text = bead.target
    anchored: list[tuple[int, int, int]] = []  # (start, end, note index)
    whole: list[int] = []
    for k, note in enumerate(bead.notes):
        at = text.find(note.anchor) if note.anchor else -1
        if at < 0 or any(at < b and a < at + len(note.anchor) for a, b, _ in anchored):
            whole.append(k)
        else:
            anchored.append((at, at + len(note.anchor), k))
    anchored.sort()
    pos = 0
    for order, (start, end, k) in enumerate(anchored, 1):
        _append_text(s, c(text[pos:start]))
        aid = f"t{bead.number}-a{order}"  # numbered in text order, so a re-export is identical
        _el(s, "seg", c(text[start:end]), type="anchor", xml_id=aid)
        _note(s, bead.notes[k], ids, c, target=f"#{aid}")
        pos = end
    _append_text(s, c(text[pos:]))
    for k in whole:
        _note(s, bead.notes[k], ids, c)


def _note(parent: ET.Element, note: Note, ids: _Ids, c: _Clean, target: str = "") -> None:
    _el(parent, "note", c(note.text), type=note.kind, target=target, resp=f"#{ids.who(note.author)}" if note.author else "")


def _header(root: ET.Element, ed: Edition, ids: _Ids, c: _Clean) -> ET.Element:
    header = _el(root, "teiHeader")
    fd = _el(header, "fileDesc")
    ts = _el(fd, "titleStmt")
    _el(ts, "title", c(ed.title))
    ps = _el(fd, "publicationStmt")
    pp = _el(ps, "p", f"Parallel edition written by {TOOL_NAME} {TOOL_VERSION} on ")
    _el(pp, "date", ed.created.date().isoformat(), when=ed.created.date().isoformat()).tail = "."
    sd = _el(fd, "sourceDesc")
    cit = ed.citation
    if cit is None:
        _el(sd, "p", "No archival citation recorded.")
    else:
        ms = _el(sd, "msDesc")
        ident = _el(ms, "msIdentifier")
        if cit.place:
            _el(ident, "settlement", c(cit.place))
        _el(ident, "repository", c(cit.archive))
        for typ, value in (("fund", cit.fund), ("section", cit.section), ("inventory", cit.inventory)):
            if value:
                _el(ident, "collection", c(value), type=typ)
        for typ, value in (("file", cit.file), ("volume", cit.volume)):
            if value:
                _el(ident, "idno", c(value), type=typ)
        if cit.archive_name:
            alt = _el(ident, "altIdentifier")
            _el(alt, "repository", c(cit.archive_name))
            _el(alt, "idno", c(cit.archive), type="abbreviation")
        if cit.folios:
            contents = _el(ms, "msContents")
            item = _el(contents, "msItem")
            m = re.fullmatch(r"(\d+)\D+(\d+)", cit.folios)
            _el(item, "locus", c(cit.folios + (" verso" if cit.verso else "")),
                **({"from": m.group(1), "to": m.group(2)} if m else {"from": cit.folios, "to": cit.folios}))
            _el(item, "title", c(ed.title))
        add = _el(ms, "additional")
        lb = _el(add, "listBibl")
        _el(lb, "bibl", c(cit.printed), type="printed")
        _el(lb, "bibl", c(cit.chicago), type="chicago")
    return header


def _resp(header: ET.Element, ids: _Ids, c: _Clean) -> None:
    if not ids.resp:
        return
    ts = header.find(f"{_T}fileDesc/{_T}titleStmt")
    assert ts is not None
    for author, rid in ids.resp.items():
        rs = _el(ts, "respStmt", xml_id=rid)
        _el(rs, "resp", "translation, readings and notes")
        _el(rs, "name", c(author))


def build(ed: Edition) -> tuple[ET.Element, int]:
    """The TEI tree of an edition and the count of characters XML forbade (removed)."""
    c = _Clean()
    ids = _Ids()
    root = _el(None, "TEI", xml_lang=bcp47(ed.target_lang))
    header = _header(root, ed, ids, c)
    stand = _el(root, "standOff")
    outer = _el(root, "text")
    group = _el(outer, "group")
    src = _el(group, "text", xml_lang=bcp47(ed.source_lang), type="source")
    src_body = _el(src, "body")
    tgt = _el(group, "text", xml_lang=bcp47(ed.target_lang), type="translation")
    tgt_body = _el(tgt, "body")
    empty_sources: dict[int, list[int]] = {b.src_start: [] for b in ed.beads if b.src_end <= b.src_start}
    for b in ed.beads:
        if b.src_end <= b.src_start:
            empty_sources[b.src_start].append(b.number)
    p: ET.Element | None = None
    para = None
    for seg in ed.segments:
        if p is None or seg.paragraph != para:
            p = _el(src_body, "p", n=str(seg.paragraph))
            para = seg.paragraph
        for number in empty_sources.pop(seg.position, []):
            _el(p, "anchor", xml_id=f"b{number}-src")
        _source_s(p, seg, ids, c)
    if empty_sources:
        p = p if p is not None else _el(src_body, "p")
        for numbers in empty_sources.values():
            for number in numbers:
                _el(p, "anchor", xml_id=f"b{number}-src")
    if not ed.segments and p is None:
        _el(src_body, "p")
    tp = _el(tgt_body, "p")
    links = []
    for b in ed.beads:
        _target_s(tp, b, ids, c)
        srcs = [f"#s{k + 1}" for k in range(b.src_start, b.src_end)] or [f"#b{b.number}-src"]
        ana: list[str] = [f"#{ids.ana('status', b.status)}"] if b.status else []
        if b.origin:
            ana.append(f"#{ids.ana('origin', b.origin)}")
        if b.score is not None:
            ana.append(f"#{ids.ana('score', repr(b.score))}")
        if b.flagged:
            ana.append(f"#{ids.ana('flag', 'flagged')}")
        links.append((f"{b.src_end - b.src_start}:{1 if b.target else 0}", " ".join([*srcs, f"#t{b.number}"]), " ".join(ana)))
    # stand-off parts: names, interpretations, then the alignment
    if ids.persons:
        lp = _el(stand, "listPerson")
        for (key, rendering), pid in ids.persons.items():
            person = _el(lp, "person", xml_id=pid)
            _el(person, "persName", c(rendering), type="regularised")
            _el(person, "persName", c(key), type="nominative", xml_lang=bcp47(ed.source_lang))
    if ids.places:
        lp = _el(stand, "listPlace")
        for (key, rendering), pid in ids.places.items():
            place = _el(lp, "place", xml_id=pid)
            _el(place, "placeName", c(rendering), type="regularised")
            _el(place, "placeName", c(key), type="nominative", xml_lang=bcp47(ed.source_lang))
    kinds: dict[str, ET.Element] = {}
    for (kind, value), iid in ids.interp.items():
        grp = kinds.get(kind)
        if grp is None:
            grp = kinds[kind] = _el(stand, "interpGrp", type=kind)
        _el(grp, "interp", c(value), xml_id=iid)
    lg = _el(stand, "linkGrp", type="alignment", subtype=ed.scheme and f"romanisation-{ed.scheme}")
    for shape, target, analysis in links:
        _el(lg, "link", type=shape, target=target, ana=analysis)
    if not links:
        lg.set("n", "0")  # an edition without beads still has its (empty) alignment
        _el(lg, "ptr", target="#s1" if ed.segments else "#t1")
    _resp(header, ids, c)
    return root, c.removed


#: Elements whose content is running text: never indented (whitespace there is text).
_MIXED = frozenset({"s", "note", "seg", "choice", "sic", "corr", "persName", "placeName", "date", "title",
                    "p", "bibl", "locus", "resp", "name", "repository", "collection", "idno", "settlement", "interp"})


def _indent(elem: ET.Element, level: int = 0) -> None:
    """Pretty-print the structure only: line breaks between elements that hold no text."""
    if elem.tag.split("}")[-1] in _MIXED and not (elem.tag.endswith("}p") and not (elem.text or "").strip()
                                                  and all(ch.tag.endswith(("}s", "}anchor")) for ch in elem)):
        return
    if not len(elem):
        return
    pad = "\n" + " " * (level + 1)
    elem.text = pad
    for ch in elem:
        _indent(ch, level + 1)
        ch.tail = pad
    elem[-1].tail = "\n" + " " * level


def write_tei(handle: TextIO, ed: Edition) -> int:
    """Write ``ed`` as TEI to an open text handle; returns removed (non-XML) characters."""
    root, removed = build(ed)
    ET.register_namespace("", TEI_NS)
    _indent(root)
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    handle.write(ET.tostring(root, encoding="unicode"))
    handle.write("\n")
    return removed


# --- reading ---------------------------------------------------------------------------------


def _load(path: Path) -> ET.Element:
    root = None
    for event, elem in iter_xml(path):
        if event == "start" and root is None:
            root = elem
    if root is None or root.tag != "TEI":
        raise InputError(f"{path} is not a TEI file (its root element is not <TEI>).")
    return root


def _find(elem: ET.Element, path: str) -> ET.Element | None:
    return elem.find(path)


def _children_text(elem: ET.Element, skip: set[str]) -> str:
    out = [elem.text or ""]
    for ch in elem:
        if ch.tag not in skip:
            out.append(_children_text(ch, skip))
        out.append(ch.tail or "")
    return "".join(out)


def _read_source_s(s: ET.Element, persons: dict[str, tuple[str, str]], resp: dict[str, str]) -> Segment:
    sid = s.get("xml:id", "")
    if not re.fullmatch(r"s\d+", sid):
        raise InputError(f"source sentence id {sid!r} is not of the form s<number>")
    seg = Segment(int(sid[1:]) - 1, s.get("type", "body"), s.get("xml:lang", ""), 0, "")
    parts = [s.text or ""]
    pos = len(parts[0])
    for ch in s:
        if ch.tag == "choice":
            sic = ch.find("sic")
            corr = ch.find("corr")
            printed = "".join(sic.itertext()) if sic is not None else ""
            if corr is not None:
                seg.readings.append(Reading(pos, pos + len(printed), "".join(corr.itertext()),
                                            corr.get("cert") != "low", resp.get(corr.get("resp", "").lstrip("#"), "")))
        else:
            printed = "".join(ch.itertext())
            if ch.tag in ("persName", "placeName"):
                key, rendering = persons.get(ch.get("ref", "").lstrip("#"), ("", ""))
                seg.names.append(Name(pos, pos + len(printed), "person" if ch.tag == "persName" else "place", key, rendering))
            elif ch.tag == "date":
                seg.dates.append(Date(pos, pos + len(printed), ch.get("when", "")))
        parts.append(printed)
        pos += len(printed)
        parts.append(ch.tail or "")
        pos += len(ch.tail or "")
    seg.text = "".join(parts)
    return seg


def _read_target_s(s: ET.Element, resp: dict[str, str]) -> tuple[str, list[Note]]:
    anchors: dict[str, str] = {}
    notes: list[Note] = []
    parts = [s.text or ""]
    for ch in s:
        if ch.tag == "note":
            target = ch.get("target", "").lstrip("#")
            notes.append(Note(ch.get("type", ""), anchors.get(target, ""), "".join(ch.itertext()),
                              resp.get(ch.get("resp", "").lstrip("#"), "")))
        else:
            text = "".join(ch.itertext())
            if ch.tag == "seg" and ch.get("type") == "anchor":
                anchors[ch.get("xml:id", "")] = text
            parts.append(text)
        parts.append(ch.tail or "")
    return "".join(parts), notes


def read_tei(path: Path | str) -> Edition:
    """An :class:`Edition` from a TEI file written by :func:`write_tei` (or shaped like it)."""
    path = Path(path)
    root = _load(path)
    try:
        return _read(root)
    except (ValueError, KeyError, AttributeError, StopIteration, IndexError, TypeError) as exc:
        raise InputError(f"{path} is not a Tolmach TEI edition: {type(exc).__name__} {exc}.") from None
    except InputError as exc:
        raise InputError(f"{path}: {exc}.") from None


def _text(el: ET.Element | None) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _read(root: ET.Element) -> Edition:
    header = root.find("teiHeader")
    if header is None:
        raise ValueError("no teiHeader")
    title = _text(header.find("fileDesc/titleStmt/title"))
    resp = {}
    for rs in header.findall("fileDesc/titleStmt/respStmt"):
        name = rs.find("name")
        resp[rs.get("xml:id", "")] = "".join(name.itertext()) if name is not None else ""
    created = datetime.now(timezone.utc)
    when = header.find("fileDesc/publicationStmt/p/date")
    if when is not None and (stamp := when.get("when")):
        created = datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc)
    citation = None
    ms = header.find("fileDesc/sourceDesc/msDesc")
    if ms is not None:
        ident = ms.find("msIdentifier")
        if ident is None:
            ident = ET.Element("msIdentifier")

        def get(path: str) -> str:
            return _text(ident.find(path))

        collections = {c.get("type"): "".join(c.itertext()) for c in ident.findall("collection")}
        idnos = {i.get("type"): "".join(i.itertext()) for i in ident.findall("idno")}
        locus = ms.find("msContents/msItem/locus")
        folios = "".join(locus.itertext()) if locus is not None else ""
        bibl = {b.get("type"): "".join(b.itertext()) for b in ms.findall("additional/listBibl/bibl")}
        citation = CitationInfo(
            archive=get("repository"), archive_name=get("altIdentifier/repository"), place=get("settlement"),
            fund=collections.get("fund", ""), section=collections.get("section", ""), inventory=collections.get("inventory", ""),
            file=idnos.get("file", ""), volume=idnos.get("volume", ""),
            folios=folios.removesuffix(" verso"), verso=folios.endswith(" verso"),
            printed=bibl.get("printed", ""), chicago=bibl.get("chicago", ""),
        )
    stand = root.find("standOff")
    persons: dict[str, tuple[str, str]] = {}
    interp: dict[str, tuple[str, str]] = {}
    links: list[ET.Element] = []
    scheme = ""
    if stand is not None:
        for tag, name_tag in (("listPerson/person", "persName"), ("listPlace/place", "placeName")):
            for p in stand.findall(tag):
                forms = {n.get("type"): "".join(n.itertext()) for n in p.findall(name_tag)}
                persons[p.get("xml:id", "")] = (forms.get("nominative", ""), forms.get("regularised", ""))
        for grp in stand.findall("interpGrp"):
            for i in grp.findall("interp"):
                interp[i.get("xml:id", "")] = (grp.get("type", ""), "".join(i.itertext()))
        lg = stand.find("linkGrp")
        if lg is not None:
            links = lg.findall("link")
            scheme = (lg.get("subtype") or "").removeprefix("romanisation-")
    texts = root.findall("text/group/text")
    if len(texts) != 2:
        raise ValueError("expected two texts (source and translation) in text/group")
    src, tgt = texts
    ed = Edition(title, src.get("xml:lang", "und"), tgt.get("xml:lang", "und"), scheme=scheme, created=created, citation=citation)
    anchors: dict[str, int] = {}
    for p in src.findall("body/p"):
        para = int(p.get("n", "0") or 0)
        for ch in p:
            if ch.tag == "anchor":
                anchors[ch.get("xml:id", "")] = len(ed.segments)
            elif ch.tag == "s":
                seg = _read_source_s(ch, persons, resp)
                seg.paragraph = para
                if seg.position != len(ed.segments):
                    raise ValueError(f"source sentence {ch.get('xml:id')} is out of order")
                ed.segments.append(seg)
    targets: dict[str, tuple[str, list[Note]]] = {}
    for s in tgt.iter("s"):
        targets[s.get("xml:id", "")] = _read_target_s(s, resp)
    for number, link in enumerate(links, 1):
        refs = [r.lstrip("#") for r in (link.get("target") or "").split()]
        srcs = [int(r[1:]) - 1 for r in refs if re.fullmatch(r"s\d+", r)]
        tid = next(r for r in refs if re.fullmatch(r"t\d+", r))
        if srcs:
            start, end = min(srcs), max(srcs) + 1
        else:
            start = end = anchors[next(r for r in refs if r.endswith("-src"))]
        target, notes = targets[tid]
        props = {k: v for k, v in (interp[a.lstrip("#")] for a in (link.get("ana") or "").split())}
        ed.beads.append(EditionBead(
            int(tid[1:]), start, end, target, props.get("status", ""), props.get("origin", ""),
            float(props["score"]) if "score" in props else None, "flag" in props, notes,
        ))
    expected = 0
    for k, b in enumerate(ed.beads, 1):
        if b.number != k or b.src_start != expected or b.src_end < b.src_start:
            raise ValueError(f"the alignment is not a sequence of beads covering the source in order (bead {k})")
        expected = b.src_end
    if expected != len(ed.segments):
        raise ValueError("the alignment does not cover every source sentence")
    return ed


def read_units(path: Path, source_langs: frozenset[str] = frozenset()) -> Iterator[Unit]:
    """One unit per bead (for ``tolmach import-tm``): document, bead number, the printed
    source of its segments, the target, status, origin and notes."""
    ed = read_tei(path)
    for b in ed.beads:
        yield Unit(
            document=ed.title, number=b.number,
            source=" ".join(s.text for s in ed.segments[b.src_start : b.src_end]),
            target=b.target, src_lang=bcp47(ed.source_lang), tgt_lang=bcp47(ed.target_lang),
            status=b.status, origin=b.origin, score=b.score, flagged=b.flagged,
            notes=tuple(n.text for n in b.notes),
        )


class TeiUnitWriter:
    """The export registry's streaming interface: units collected per document and
    written as one edition each (one bead = one source and one target sentence).  The
    full edition with readings, names, dates and the citation comes from
    ``tolmach.service.apparatus.export_tei``, which ``tolmach export --format tei`` uses."""

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        self.handle = handles[0]
        self.header = header
        self.removed_chars = 0
        self.units: list[Unit] = []

    def write(self, unit: Unit) -> None:
        self.units.append(unit)

    def close(self) -> None:
        ed = edition_from_units(self.units, self.header)
        self.removed_chars = write_tei(self.handle, ed)


def edition_from_units(units: Iterable[Unit], header: Header) -> Edition:
    units = list(units)
    titles = sorted({u.document for u in units})
    ed = Edition(" + ".join(titles) or "Tolmach export", header.src_lang or "und", header.tgt_lang or "und")
    for k, u in enumerate(units):
        ed.segments.append(Segment(k, "body", u.src_lang, k, u.source))
        ed.beads.append(EditionBead(k + 1, k, k + 1, u.target, u.status, u.origin, u.score, u.flagged,
                             [Note("imported", "", n) for n in u.notes]))
    return ed
