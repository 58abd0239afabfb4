"""Archival references parsed into their parts, and cited again in a chosen style.

Two families of form are read:

* **Romanian (and English) notes**: ``DANIC, Fund CC al PCR – Secţia Relaţii Externe,
  file 3U/1968-1970, vol. II, ff. 25-28``; ``Arhivele Naționale ale României [National
  Archives of Romania] – onwards ANR, fund CC al PCR – section Chancellery, dossier no.
  62/1969, ff. 11–5``; ``Central State Archive, Sofia, Fond 378-B, File 360``: archive
  (abbreviation and full name when the note gives one), fund, section, file, volume,
  folios;
* **Russian archival ciphers**: ``РГАНИ. Ф. 3. Оп. 72. Д. 200. Л. 1–5 об.``: archive,
  fond, opis, delo, tom, list(y) with ``об.`` (verso).

``Ibid.`` notes that follow an archival note are resolved to it (:func:`parse_notes`).
:func:`cite` writes a citation as printed or in the Chicago style (English words,
folio ranges written out, Russian romanised by ALA-LC).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

#: Citation styles :func:`cite` knows.
STYLES = ("printed", "chicago")

_DASH = "[-–—]"
_RANGE = rf"\d+[a-zA-Z]?(?:\s*{_DASH}\s*\d+[a-zA-Z]?)?"


@dataclass(frozen=True)
class Citation:
    """One archival reference.  Empty strings for parts the reference does not give."""

    printed: str  # the reference exactly as printed (without the note number)
    form: str  # "ro" (fund/file/ff.) or "ru" (Ф./Оп./Д./Л.)
    archive: str  # as cited: DANIC, ANR, РГАНИ, Central State Archive
    archive_name: str = ""  # the full name when the note spells it out
    place: str = ""  # Sofia, Bucureşti ...
    fund: str = ""  # fund / fond (Ф.)
    section: str = ""  # Secţia Relaţii Externe, section Foreign Relations
    inventory: str = ""  # opis (Оп.)
    file: str = ""  # file / dossier / dosar / delo (Д.)
    volume: str = ""  # vol. / tom (Т.)
    folios: str = ""  # 25-28, 12, 1–5
    verso: bool = False  # об. / v: the last folio's verso
    title: str = ""  # the archival item's title and date, when the note gives them
    ibid: bool = False  # printed as Ibid. and resolved to the note before

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @property
    def single_folio(self) -> bool:
        return not re.search(_DASH, self.folios)


# --- Russian ciphers ------------------------------------------------------------------------

_RU = re.compile(
    rf"(?P<archive>[А-ЯЁ]{{2,}}(?:\s[А-ЯЁ]{{2,}})*)\.?\s*"
    rf"Ф\.\s*(?P<fund>[\wА-Яа-я-]+)\.\s*"
    rf"(?:Оп\.\s*(?P<inv>[\w-]+)\.\s*)?"
    rf"(?:Д\.\s*(?P<file>[\w/-]+)\.\s*)?"
    rf"(?:Т\.\s*(?P<vol>[\w-]+)\.\s*)?"
    rf"(?:Лл?\.\s*(?P<folios>{_RANGE})(?P<verso>\s*об\.?)?)?"
)

# --- Romanian / English notes ----------------------------------------------------------------

_FUND = re.compile(r"\b(?:fund|fond|fondul)\b\s+", re.IGNORECASE)
_FILE = re.compile(r"\b(?:file|dossier|dosar|dosarul)\b(?:\s+(?:no|nr)\.)?\s*(?P<file>[\w/.-]+?)(?=[,;.)]?(?:\s|$))", re.IGNORECASE)
_VOL = re.compile(r"\bvol\.\s*(?P<vol>[IVXLC\d]+)", re.IGNORECASE)
_FOLIOS = re.compile(rf"\b(?P<kind>ff|f|fila|filele)\.?\s*(?P<folios>{_RANGE})(?P<verso>\s*v\b)?")
_ABBR_TAIL = re.compile(r"(?:^|[\s(])(?P<abbr>[A-ZĂÂÎȘŞȚŢ]{2,})\s*$")
_ONWARDS = re.compile(r"(?P<name>.+?)\s*(?:\[(?P<en>[^\]]+)\])?\s*(?:[–-]\s*onwards|\(hereafter:?|\(în continuare:?|hereafter:?)\s*(?P<abbr>[A-ZĂÂÎȘŞȚŢ]{2,})\)?\s*$")
_ARCHIVE_WORDS = re.compile(r"Archiv|Arhiv|Архив", re.IGNORECASE)
_IBID = re.compile(r"^\s*(?:Ibid|Ibidem|Там же)\.?\s*(?:,\s*(?P<rest>.*))?$", re.IGNORECASE)
_RU_FOLIOS = re.compile(rf"Лл?\.\s*(?P<folios>{_RANGE})(?P<verso>\s*об\.?)?")
_NOTE_NUMBER = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_DATE_TAIL = re.compile(r"(?P<title>.*?\d{4})\s*(?:în\s*)?$")


def _clean(part: str) -> str:
    return part.strip().strip(",;").strip()


def _parse_ru(text: str) -> Citation | None:
    m = _RU.search(text)
    if not m or not (m.group("file") or m.group("folios")):
        return None
    return Citation(
        printed=text[m.start() : m.end()].strip(),
        form="ru",
        archive=m.group("archive"),
        fund=m.group("fund"),
        inventory=m.group("inv") or "",
        file=m.group("file") or "",
        volume=m.group("vol") or "",
        folios=(m.group("folios") or "").replace(" ", ""),
        verso=bool(m.group("verso")),
    )


def _archive_before(head: str) -> tuple[str, str, str, str]:
    """``(archive, full name, place, title)`` from the text before ``fund``."""
    head = head.rstrip().rstrip(",").rstrip()
    m = _ONWARDS.search(head)
    if m:
        name = m.group("name").strip()
        # the full name is the last comma-part that names an archive; before it, the title
        parts = [p.strip() for p in name.split(",")]
        k = next((i for i in range(len(parts) - 1, -1, -1) if _ARCHIVE_WORDS.search(parts[i])), len(parts) - 1)
        full = ", ".join(parts[k:])
        place = ""
        if " – " in full:
            full, place = (x.strip() for x in full.rsplit(" – ", 1))
        title = ", ".join(parts[:k])
        return m.group("abbr"), full, place, title
    parts = [p.strip() for p in head.split(",")]
    # an archive spelled out: "Central State Archive, Sofia"
    for i in range(len(parts) - 1, -1, -1):
        if _ARCHIVE_WORDS.search(parts[i]) and not _ABBR_TAIL.search(parts[-1]):
            title = ", ".join(parts[:i])
            place = ", ".join(parts[i + 1 :])
            name = parts[i]
            # "… Digital Archive, Central State Archive": keep only the last archive phrase
            return name, "", place, title
    last = parts[-1].lstrip("(")
    m = _ABBR_TAIL.search(last)
    if m:
        before = last[: m.start("abbr")].strip()
        title = ", ".join([*parts[:-1], before] if before else parts[:-1])
        return m.group("abbr"), "", "", title.strip()
    return last, "", "", ", ".join(parts[:-1])


def _parse_ro(text: str) -> Citation | None:
    m = _FUND.search(text)
    if not m:
        return None
    head, tail = text[: m.start()], text[m.end() :]
    archive, full, place, title = _archive_before(head)
    if not archive:
        return None
    # fund runs to the next comma; "fund X – section Y" splits at the dash
    fund_part, _, rest = tail.partition(",")
    fund, section = fund_part, ""
    if re.search(rf"\s{_DASH}\s", fund_part):
        fund, section = re.split(rf"\s{_DASH}\s", fund_part, maxsplit=1)
    fm = _FILE.search(rest)
    vm = _VOL.search(rest)
    om = _FOLIOS.search(rest)
    end = max((x.end() for x in (fm, vm, om) if x), default=0)
    printed_start = len(head) - len(head.lstrip()) if not title else text.find(archive) if archive in text else 0
    printed = text[printed_start : m.end() + len(fund_part) + 1 + end].strip().rstrip(",").lstrip("(")
    title = re.sub(r"\s+", " ", title).strip()
    if title.lower().endswith(" în"):
        title = title[:-3].strip()
    return Citation(
        printed=printed,
        form="ro",
        archive=archive.strip().lstrip("("),
        archive_name=full,
        place=place,
        fund=_clean(fund),
        section=_clean(section),
        file=(fm.group("file") if fm else "").rstrip("."),
        volume=vm.group("vol") if vm else "",
        folios=(om.group("folios") if om else "").replace(" ", ""),
        verso=bool(om and om.group("verso")),
        title=title,
    )


def parse(text: str) -> Citation | None:
    """The archival reference in ``text`` (a note, a reference line), or None."""
    text = _NOTE_NUMBER.sub("", text.strip(), count=1)
    return _parse_ru(text) or _parse_ro(text)


def parse_notes(notes: Iterable[str]) -> list[tuple[int, Citation]]:
    """Archival citations of a sequence of notes (index in ``notes``, citation), with
    ``Ibid.`` notes resolved to the archival note right before them."""
    out: list[tuple[int, Citation]] = []
    prev: Citation | None = None
    for i, note in enumerate(notes):
        body = _NOTE_NUMBER.sub("", note.strip(), count=1)
        im = _IBID.match(body)
        if im:
            rest = (im.group("rest") or "").strip()
            fm = _FOLIOS.match(rest) or _RU_FOLIOS.match(rest)
            if prev is None or (rest and not fm):
                prev = None  # Ibid. of a book or an article ("Ibid., 298."): not archival
                continue
            folios = fm.group("folios").replace(" ", "") if fm else prev.folios
            verso = bool(fm.group("verso")) if fm else prev.verso
            printed = body[: body.index(rest) + fm.end()] if fm else body.split(" ")[0]
            out.append((i, replace(prev, printed=printed.strip(), folios=folios, verso=verso, ibid=True)))
            continue
        cit = parse(body)
        if cit is None and not _NOTE_NUMBER.match(note) and prev is not None:
            continue  # a further sentence of the same note ("Obtained by ..."): Ibid. still refers back
        prev = cit
        if cit is not None:
            out.append((i, cit))
    return out


# --- citing -----------------------------------------------------------------------------------


def expand_range(folios: str) -> str:
    """``11–5`` → ``11–15``, ``96–7`` → ``96–97``, ``25-28`` → ``25–28`` (an en dash, the
    second number written out)."""
    m = re.fullmatch(rf"(\d+)\s*{_DASH}\s*(\d+)", folios)
    if not m:
        return folios.replace("-", "–")
    a, b = m.groups()
    if len(b) < len(a) and int(a[: len(a) - len(b)] + b) > int(a):
        b = a[: len(a) - len(b)] + b
    return f"{a}–{b}"


_SECTION_WORDS = {"secţia": "", "secția": "", "section": "", "сектор": ""}


def _romanise(text: str) -> str:
    if not re.search("[А-Яа-яЁё]", text):
        return text
    from tolmach.apparatus.names import romanise

    return romanise(text, "ala_lc")


def cite(c: Citation, style: str = "printed") -> str:
    """The citation as printed (without note number), or Chicago-style English."""
    if style == "printed":
        return c.printed
    if style != "chicago":
        raise ValueError(f"unknown citation style {style!r}; known: {', '.join(STYLES)}")
    folios = expand_range(c.folios) if c.folios else ""
    if c.form == "ru":
        parts = [_romanise(c.archive), f"f. {_romanise(c.fund)}"]
        if c.inventory:
            parts.append(f"op. {_romanise(c.inventory)}")
        if c.file:
            parts.append(f"d. {_romanise(c.file)}")
        if c.volume:
            parts.append(f"t. {_romanise(c.volume)}")
        if folios:
            parts.append(("l. " if c.single_folio else "ll. ") + folios + ("ob." if c.verso else ""))
        out = ", ".join(parts)
        return out if out.endswith(".") else out + "."
    parts = []
    if c.title:
        parts.append(c.title)
    if c.file:
        parts.append(f"file {c.file}")
    if c.volume:
        parts.append(f"vol. {c.volume}")
    if folios:
        parts.append(("f. " if c.single_folio else "ff. ") + folios + ("v" if c.verso else ""))
    fund = c.fund + (f", {c.section}" if c.section else "")
    if fund:
        parts.append(f"fond {fund}")
    parts.append(c.archive + (f" ({c.archive_name})" if c.archive_name else "") + (f", {c.place}" if c.place else ""))
    return ", ".join(parts) + "."
