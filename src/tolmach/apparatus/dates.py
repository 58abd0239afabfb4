"""Dates of a Russian source, resolved against the document's dateline, and checked in
the English translation.

``21 августа с. г.`` ("of this year") takes its year from the dateline
(``гор. Москва, 24 августа 1968 года`` → 1968); a date printed without a year gets the
dateline's year too, marked as supplied so an edition prints it in brackets as editors
do (``21 August [1968]``).  :func:`check_dates` compares each source date with the dates
of the target and catches a wrong day (``22 August`` for ``21 августа``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS_RU = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_RU_MONTH = r"(?P<month>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь)"
_RU = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:\s*{'[-–—]'}\s*(?P<day2>\d{{1,2}}))?\s+{_RU_MONTH}"
    rf"(?:\s+(?P<year>\d{{4}})(?:\s*(?:года|год|г\.))?|\s+(?P<this>с\.\s*г\.|сего\s+года|т\.\s*г\.|текущего\s+года))?",
    re.IGNORECASE,
)
_EN_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_EN_DMY = re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_EN_MONTH}(?:,?\s+\[?(?P<year>\d{{4}})\]?)?")
_EN_MDY = re.compile(rf"{_EN_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+\[?(?P<year>\d{{4}})\]?)?")
_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")

#: How the year of a source date was known.
PRINTED = "printed"  # 24 августа 1968 года
THIS_YEAR = "this-year"  # с. г., resolved from the dateline
SUPPLIED = "supplied"  # no year printed; the dateline's year supplied in brackets
UNKNOWN = ""


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    surface: str
    day: int
    month: int  # 1..12
    year: int | None
    year_from: str  # PRINTED, THIS_YEAR, SUPPLIED or UNKNOWN

    @property
    def iso(self) -> str:
        """``1968-08-21`` (``--08-21`` when the year is unknown), as TEI's ``@when`` wants."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def english(self, *, brackets: bool = True) -> str:
        """``21 August 1968``; a year the source did not print is bracketed."""
        base = f"{self.day} {MONTHS_EN[self.month - 1]}"
        if self.year is None:
            return base
        if self.year_from == PRINTED or not brackets:
            return f"{base} {self.year}"
        return f"{base} [{self.year}]"

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "surface": self.surface, "when": self.iso, "year_from": self.year_from}


def _month_ru(word: str) -> int:
    w = word.lower()
    for i, stem in enumerate(MONTHS_RU):
        if w.startswith(stem) and (stem != "ма" or w in ("мая", "май")) and not (stem == "март" and w.startswith("марш")):
            return i + 1
    raise ValueError(word)


def _month_en(word: str) -> int:
    w = word.rstrip(".").lower()[:3]
    return [m[:3].lower() for m in MONTHS_EN].index(w) + 1


def dateline_year(text: str) -> int | None:
    """The year of a dateline (``гор. Москва, 24 августа 1968 года`` → 1968)."""
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def find_dates(text: str, year: int | None = None) -> list[DateMention]:
    """Dates in Russian ``text``; ``year`` (the dateline's) resolves ``с. г.`` and dates
    printed without a year."""
    out = []
    y: int | None
    for m in _RU.finditer(text):
        day, month = int(m.group("day")), _month_ru(m.group("month"))
        if not 1 <= day <= 31:
            continue
        if m.group("year"):
            y, how = int(m.group("year")), PRINTED
        elif m.group("this"):
            y, how = year, THIS_YEAR if year else UNKNOWN
        else:
            y, how = year, SUPPLIED if year else UNKNOWN
        out.append(DateMention(m.start(), m.end(), m.group().strip(), day, month, y, how))
    return out


@dataclass(frozen=True)
class EnglishDate:
    start: int
    end: int
    day: int
    month: int
    year: int | None


def find_english_dates(text: str) -> list[EnglishDate]:
    """``21 August 1968``, ``August 21, 1968``, ``21st of August`` ... in English text."""
    out: list[EnglishDate] = []
    for rx in (_EN_DMY, _EN_MDY):
        for m in rx.finditer(text):
            if any(e.start <= m.start() < e.end for e in out):
                continue
            year = int(m.group("year")) if m.group("year") else None
            out.append(EnglishDate(m.start(), m.end(), int(m.group("day")), _month_en(m.group("month")), year))
    return sorted(out, key=lambda e: e.start)


@dataclass(frozen=True)
class DateProblem:
    """A source date the target gets wrong: ``found`` is the target's date (or None)."""

    source: DateMention
    found: EnglishDate | None
    kind: str  # "day" (same month, other day), "year", "missing"

    @property
    def message(self) -> str:
        want = self.source.english(brackets=False)
        if self.found is None:
            return f"The source date {self.source.surface!r} ({want}) is not in the target."
        got = f"{self.found.day} {MONTHS_EN[self.found.month - 1]}" + (f" {self.found.year}" if self.found.year else "")
        return f"The source date {self.source.surface!r} is {want}; the target says {got}."


def check_dates(source: str, target: str, year: int | None = None) -> list[DateProblem]:
    """Source dates whose day (or printed year) the target gives differently.

    A date missing from a target that names no date at all is reported as ``missing``
    only when the target is non-empty; the number check of QA already covers digits.
    """
    problems: list[DateProblem] = []
    if not target.strip():
        return problems
    tgt = find_english_dates(target)
    used: set[int] = set()
    for d in find_dates(source, year):
        same = [i for i, e in enumerate(tgt) if i not in used and (e.day, e.month) == (d.day, d.month)]
        if same:
            i = same[0]
            used.add(i)
            e = tgt[i]
            if e.year is not None and d.year is not None and e.year != d.year:
                problems.append(DateProblem(d, e, "year"))
            continue
        month = [i for i, e in enumerate(tgt) if i not in used and e.month == d.month]
        if month:
            used.add(month[0])
            problems.append(DateProblem(d, tgt[month[0]], "day"))
        else:
            problems.append(DateProblem(d, None, "missing"))
    return problems
