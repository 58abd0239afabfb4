"""Glossary entries and their two interchange formats: TSV (what people edit) and TBX.

Both readers validate the *whole* input before returning anything, so a caller that
imports the result in one transaction never half-imports a file: the first problem is
raised as one :class:`~tolmach.errors.InputError` naming the file and line (or concept).
TBX arrives from outside, so it is parsed with :mod:`defusedxml`, which refuses entity
declarations (billion laughs) and external references outright.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree as ET

from tolmach.errors import InputError

#: Column order of the bundled TSV files; ``term`` and ``preferred`` are required.
COLUMNS: tuple[str, ...] = ("term", "preferred", "variants", "abbreviation", "expansion", "type", "note", "source")
REQUIRED: tuple[str, ...] = ("term", "preferred")

#: Separator of several accepted English variants inside the ``variants`` cell.
VARIANT_SEP = "|"

#: Kinds of term a glossary may hold.  ``honorific`` terms (``т.``) only match before a
#: name or initial; the matcher reads that from here, not from special cases.
TYPES: frozenset[str] = frozenset(
    {
        "",
        "party",
        "party body",
        "state",
        "state body",
        "treaty",
        "organisation",
        "document",
        "meeting",
        "place",
        "person",  # authority form of a name (tolmach.apparatus.names)
        "title",
        "honorific",
        "concept",
        "people",
    }
)

_FILE_PAIR = re.compile(r"^(?P<name>.+)\.(?P<src>[a-z]{2,3})-(?P<tgt>[a-z]{2,3})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Entry:
    """One glossary term: a Russian form (with abbreviation/expansion) and its English."""

    term: str
    preferred: str
    variants: tuple[str, ...] = ()
    abbreviation: str = ""
    expansion: str = ""
    type: str = ""
    note: str = ""
    source: str = ""
    id: int | None = None
    glossary: str = "default"
    src_lang: str = "ru"
    tgt_lang: str = "en"

    @property
    def forms(self) -> tuple[str, ...]:
        """Every source-language form the matcher should recognise, term first."""
        return tuple(dict.fromkeys(f for f in (self.term, self.abbreviation, self.expansion) if f))

    @property
    def renderings(self) -> tuple[str, ...]:
        """Every accepted target-language rendering, preferred first."""
        return tuple(dict.fromkeys(r for r in (self.preferred, *self.variants) if r))

    def as_row(self) -> dict[str, str]:
        return {
            "term": self.term,
            "preferred": self.preferred,
            "variants": f" {VARIANT_SEP} ".join(self.variants),
            "abbreviation": self.abbreviation,
            "expansion": self.expansion,
            "type": self.type,
            "note": self.note,
            "source": self.source,
        }


def form_key(text: str) -> str:
    """Identity of a form for duplicate detection: case- and spacing-insensitive."""
    return " ".join(text.split()).casefold()


def _clean(value: str) -> str:
    return " ".join(_CONTROL.sub(" ", value).split())


def make_entry(fields: dict[str, str | Sequence[str]], where: str, **meta: object) -> Entry:
    """Build a validated :class:`Entry` from loose fields; ``where`` prefixes any error."""
    unknown = set(fields) - set(COLUMNS)
    if unknown:
        raise InputError(f"{where}: unknown field {sorted(unknown)[0]!r} (known: {', '.join(COLUMNS)}).")
    raw_variants = fields.get("variants", ())
    if isinstance(raw_variants, str):
        raw_variants = raw_variants.split(VARIANT_SEP)
    values = {k: _clean(str(v)) for k, v in fields.items() if k != "variants"}
    for name in REQUIRED:
        if not values.get(name):
            raise InputError(f"{where}: the {name!r} column is empty; every entry needs a {name}.")
    if values["term"].startswith("#"):
        raise InputError(f"{where}: a term cannot start with '#', which marks a comment line.")
    kind = values.get("type", "").lower()
    if kind not in TYPES:
        raise InputError(f"{where}: unknown type {kind!r} (use one of: {', '.join(sorted(t for t in TYPES if t))}).")
    variants = tuple(dict.fromkeys(v for v in (_clean(x) for x in raw_variants) if v and v != values["preferred"]))
    return Entry(
        term=values["term"],
        preferred=values["preferred"],
        variants=variants,
        abbreviation=values.get("abbreviation", ""),
        expansion=values.get("expansion", ""),
        type=kind,
        note=values.get("note", ""),
        source=values.get("source", ""),
        **meta,  # type: ignore[arg-type]
    )


def check_duplicates(entries: Iterable[tuple[Entry, str]]) -> None:
    """Refuse two entries sharing a source form (term, abbreviation or expansion)."""
    seen: dict[tuple[str, str, str], str] = {}
    for entry, where in entries:
        for form in entry.forms:
            key = (entry.src_lang, entry.tgt_lang, form_key(form))
            if key in seen:
                raise InputError(f"{where}: duplicate entry: {form!r} is already defined at {seen[key]}.")
            seen[key] = where


def pair_from_filename(path: Path) -> tuple[str, str, str]:
    """``party-state.ru-en.tsv`` → (``party-state``, ``ru``, ``en``); other names → ru-en."""
    stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    m = _FILE_PAIR.match(stem)
    if m:
        return m["name"], m["src"], m["tgt"]
    return stem, "ru", "en"


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a glossary file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8; save the glossary as UTF-8.") from exc


def read_tsv(
    path: Path | str, *, glossary: str | None = None, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[Entry]:
    """All entries of a TSV glossary, or an InputError for its first problem.

    The first non-comment line is the header naming the columns (any order); lines
    starting with ``#`` and blank lines are ignored; every other line must have exactly as
    many tab-separated cells as the header.
    """
    path = Path(path)
    name, src, tgt = pair_from_filename(path)
    meta = {"glossary": glossary or name, "src_lang": src_lang or src, "tgt_lang": tgt_lang or tgt}
    header: list[str] | None = None
    located: list[tuple[Entry, str]] = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{path}:{number}"
        if header is None:
            header = [c.strip().lower() for c in cells]
            unknown = [c for c in header if c not in COLUMNS]
            if unknown:
                raise InputError(f"{where}: unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)}).")
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise InputError(f"{where}: the header has no {missing[0]!r} column.")
            if len(set(header)) != len(header):
                raise InputError(f"{where}: a column is named twice in the header.")
            continue
        if len(cells) != len(header):
            raise InputError(
                f"{where}: malformed line: expected {len(header)} tab-separated columns, found {len(cells)}."
            )
        located.append((make_entry(dict(zip(header, cells)), where, **meta), where))
    if header is None:
        raise InputError(f"{path}: the file is empty; a glossary needs a header line and entries.")
    check_duplicates(located)
    return [e for e, _ in located]


def atomic_write(path: Path, data: str) -> None:
    """Write via a temporary file in the same folder and rename, so a failure leaves nothing."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"Cannot write {path}: the folder {folder} does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dumps_tsv(entries: Iterable[Entry]) -> str:
    lines = ["\t".join(COLUMNS)]
    for e in entries:
        row = e.as_row()
        lines.append("\t".join(_clean(row[c]) for c in COLUMNS))
    return "\n".join(lines) + "\n"


def write_tsv(path: Path | str, entries: Iterable[Entry]) -> None:
    atomic_write(Path(path), dumps_tsv(entries))


# --- TBX ---------------------------------------------------------------------------

TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"


def dumps_tbx(entries: Sequence[Entry], *, title: str = "Tolmach glossary") -> str:
    """TBX (ISO 30042:2019, TBX-Basic dialect) with one conceptEntry per entry.

    Source language: the term (preferred status), its abbreviation (termType
    ``abbreviation``) and expansion (termType ``fullForm``).  Target language: the
    preferred rendering then the admitted variants.  Type → ``subjectField``, note →
    ``note``, source → ``admin type="source"``.
    """
    tgt = entries[0].tgt_lang if entries else "en"
    ET.register_namespace("", TBX_NS)
    q = lambda tag: f"{{{TBX_NS}}}{tag}"  # noqa: E731
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


def write_tbx(path: Path | str, entries: Sequence[Entry]) -> None:
    atomic_write(Path(path), dumps_tbx(entries))


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, *names: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) in names]


def _text(el: ET.Element | None) -> str:
    return _clean("".join(el.itertext())) if el is not None else ""


def _parse_untrusted_xml(path: Path) -> ET.Element:
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    if not path.is_file():
        _read_text(path)  # raises the right message (missing, or a directory)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(
            f"{path} declares XML entities or external references ({type(exc).__name__}); "
            "Tolmach refuses them for safety, so nothing was imported."
        ) from exc
    except ET.ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise InputError(f"{path}:{line}: not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc}).") from exc


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
    path: Path | str, *, glossary: str | None = None, src_lang: str = "ru", tgt_lang: str = "en"
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


def with_meta(entry: Entry, **changes: object) -> Entry:
    """A copy of ``entry`` with some fields changed (kept here so callers need no dataclasses)."""
    return replace(entry, **changes)  # type: ignore[arg-type]


__all__ = [
    "COLUMNS",
    "TYPES",
    "Entry",
    "check_duplicates",
    "dumps_tbx",
    "dumps_tsv",
    "form_key",
    "make_entry",
    "read_tbx",
    "read_tsv",
    "with_meta",
    "write_tbx",
    "write_tsv",
]

