"""Helpers for the text/import tests: the expected seed facts and re-typeset variants.

A *variant* is the same documents laid out again the way another PDF extraction would
give them: another line width, words hyphenated at line ends, page numbers and a running
head at every page break, a stray space starting each page, another blank-line habit,
another encoding, CRLF line ends.  The pipeline must give the same segments back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tolmach.text.model import ParsedDocument

REPO = Path(__file__).resolve().parents[1]
SEED_RU = REPO / "seeds" / "002_089901b84e1e010c.txt"
SEED_EN = [REPO / "seeds" / "000_dd116a87eeae70b9.txt", REPO / "seeds" / "004_69bf23d452ef932a.txt"]

FIRST_SENTENCE = (
    "Наш посол сообщил, что 21 августа с. г. он был приглашен в ЦК РКП, где секретарь ЦК т. М. Даля "
    "сообщил ему о вашей реакции на совместые меры, предпринятые пятью социалистическими странами по "
    "окозанию братскому чехословацкому народу неотложной помощи, включая помощь вооруженными силами."
)
HEADING = "ИСПОЛКОМУ ЦЕНТРАЛЬНОГО КОМИТЕТА РУМЫНСКОЙ КОММУНИСТИЧЕСКОЙ ПАРТИИ"
SIGNATURE = "Политбюро Центрального Комитета Коммунистической Партии Советского Союза"
DATELINE_I = "гор. Москва, 24 августа 1968 года"
DATELINE_II = "3 сентября 1968 года"
REFERENCE_I = "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, ff. 25-28)"
REFERENCE_II = "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, f. 61)"

RUNNING_HEAD = "SOVIET LETTERS TO THE ROMANIAN LEADERSHIP, 1968"
_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")

#: Characters cp1251 / KOI8-R cannot hold, and what a typist in that encoding would use.
NARROW = {"ţ": "t", "ş": "s", "«": '"', "»": '"', "–": "-", "—": "-"}


def narrow(text: str, encoding: str) -> str:
    """``text`` with the characters ``encoding`` lacks replaced (for cp1251/KOI8-R variants)."""
    for a, b in NARROW.items():
        try:
            a.encode(encoding)
        except UnicodeEncodeError:
            text = text.replace(a, b)
    return text


def _hyphen_split(word: str, room: int) -> tuple[str, str] | None:
    """Split a Russian word after a vowel so that ``left-`` fits in ``room`` characters."""
    if "-" in word:
        left, _, right = word.partition("-")
        return (left + "-", right) if len(left) + 1 <= room and right else None
    if not re.fullmatch(r"[А-Яа-яЁё]{6,}[,.;:!?»]*", word):
        return None
    core = word.rstrip(",.;:!?»")
    for k in range(min(room - 1, len(core) - 2), 1, -1):
        if core[k - 1] in _VOWELS and any(c in _VOWELS for c in core[k:]):
            return core[:k] + "-", word[k:]
    return None


def wrap(text: str, width: int, hyphenate: bool = True) -> list[str]:
    """Greedy wrap at ``width``, hyphenating long Russian words at line ends."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while True:
            candidate = f"{line} {word}" if line else word
            if len(candidate) <= width or not line and len(word) > width and not hyphenate:
                line = candidate
                break
            room = width - len(line) - 1 if line else width
            split = _hyphen_split(word, room) if hyphenate and room > 3 else None
            if split:
                left, word = split
                lines.append(f"{line} {left}" if line else left)
                line = ""
                continue
            if not line:  # a word longer than the width that cannot be split
                line = word
                break
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return lines


def blocks_of(documents: Iterable[ParsedDocument]) -> list[tuple[str | None, list[str]]]:
    """(document name, paragraph texts) as the seed lays them out."""
    out: list[tuple[str | None, list[str]]] = []
    for doc in documents:
        paragraphs: dict[int, list[str]] = {}
        for seg in doc.segments:
            paragraphs.setdefault(seg.paragraph, []).append(seg.text)
        out.append((doc.name, [" ".join(p) for _, p in sorted(paragraphs.items())]))
    return out


def render(
    documents: Iterable[ParsedDocument],
    *,
    width: int,
    line_gap: int = 0,
    page_lines: int = 18,
    form_feed: bool = False,
    hyphenate: bool = True,
    first_page: int = 123,
) -> str:
    """Lay documents out again as an extracted PDF would give them."""
    body: list[tuple[str, int]] = []  # (line, blank lines before it)
    block_gap = line_gap + 2
    for name, paragraphs in blocks_of(documents):
        if name and name.startswith("Document "):
            body.append((f"DOCUMENT {name.split(' ', 1)[1]}", block_gap if body else 0))
        for p in paragraphs:
            for i, ln in enumerate(wrap(p, width, hyphenate)):
                body.append((ln, line_gap if i else block_gap))
    out: list[str] = []
    page = first_page
    for n, (ln, gap) in enumerate(body):
        if n and n % page_lines == 0:  # page break: number, then running head on the next page
            out.extend([""] * line_gap)
            out.append(str(page))
            out.append("\f" if form_feed else "")
            out.append(RUNNING_HEAD)
            out.extend([""] * line_gap)
            page += 1
            out.extend([""] * max(0, gap - line_gap))
            out.append(" " + ln)  # the stray space a new page starts with
            continue
        out.extend([""] * gap)
        out.append(ln)
    return "\n".join(out) + "\n"


def segments(doc: ParsedDocument) -> list[tuple[str, str, str]]:
    return [(s.kind.value, s.text, s.lang) for s in doc.segments]


# --- page re-renderings ------------------------------------------------------------------
#
# ``render_pages`` lays Documents I and II out as a journal's pages would come out of a PDF:
# the text re-wrapped at another width, hyphenated or not, and every 30-45 lines the page
# furniture of a real journal between two halves of whatever sentence the page ended in:
# a footnote block at the page's foot, the page number (on its own line, or on the line of
# the running head), a form feed or not, running heads that alternate on odd and even pages
# (the journal's title, the author's name) or occur only twice, blank lines on both sides,
# a stray space starting the new page; then another encoding and CRLF line ends.

import random  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

#: Running heads of the journal: (even pages, odd pages).
JOURNAL_HEADS = (
    ("HISTORICAL YEARBOOK", "SIMION GHEORGHIU"),
    ("Historical Yearbook, vol. VI", "Soviet Letters to the Romanian Leadership"),
    ("ИСТОРИЧЕСКИЙ ЕЖЕГОДНИК", "СОВЕТСКИЕ ПИСЬМА РУМЫНСКОМУ РУКОВОДСТВУ, 1968"),
)

#: Footnotes an editor might put at a page's foot (no digits inside: they would start a note).
PAGE_FOOTNOTES = (
    "Так в тексте.",
    "Подчеркнуто в оригинале.",
    "Здесь и далее сохранена орфография оригинала, опечатки не исправлены.",
    "Рукописная помета на полях: «Ознакомить членов Исполкома».",
    "Текст письма передан послом СССР в Бухаресте.",
)

ENCODINGS = ("utf-8", "cp1251", "koi8_r", "utf-16")


@dataclass
class Rendering:
    """One re-rendering: its bytes and what the pipeline must give back besides the seed."""

    data: bytes
    encoding: str
    notes: list[str]  # footnote texts (with their numbers), in order
    params: dict[str, object] = field(default_factory=dict)

    def expected(self, seed_segments: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        return [(k, narrow(t, self.encoding), l) for k, t, l in seed_segments]

    def __repr__(self) -> str:  # what a failing property prints
        return f"Rendering({self.params})"


def render_pages(documents: Iterable[ParsedDocument], rng: random.Random) -> Rendering:
    """A random journal-page layout of ``documents`` (see the comment above)."""
    p: dict[str, object] = {
        "width": rng.randint(55, 90),
        "hyphenate": rng.random() < 0.8,
        "line_gap": rng.choice([0, 0, 1]),
        "page_lines": rng.randint(30, 45),
        "heads": rng.choice(["alternating", "single", "twice", "none"]),
        "head_texts": rng.randrange(len(JOURNAL_HEADS)),
        "number": rng.choice(["foot", "top", "head-line"]),
        "pad": rng.randint(1, 2),
        "form_feed": rng.random() < 0.3,
        "stray": rng.random() < 0.5,
        "footnotes": rng.random() < 0.5,
        "encoding": rng.choice(ENCODINGS),
        "newline": rng.choice(["\n", "\r\n"]),
        "first_page": rng.randint(5, 400),
    }
    width, line_gap, pad = int(p["width"]), int(p["line_gap"]), int(p["pad"])  # type: ignore[call-overload]
    body: list[tuple[str, int]] = []  # (line, blank lines before it)
    block_gap = line_gap + 2
    for name, paragraphs in blocks_of(documents):
        if name and name.startswith("Document "):
            body.append((f"DOCUMENT {name.split(' ', 1)[1]}", block_gap if body else 0))
        for para in paragraphs:
            for i, ln in enumerate(wrap(para, width, bool(p["hyphenate"]))):
                body.append((ln, line_gap if i else block_gap))

    # cut into pages of page_lines output lines (blank lines count)
    page_lines = int(p["page_lines"])  # type: ignore[call-overload]
    pages: list[list[tuple[str, int]]] = [[]]
    used = 0
    for ln, gap in body:
        if used + gap + 1 > page_lines and pages[-1]:
            pages.append([])
            used = 0
        pages[-1].append((ln, gap))
        used += gap + 1
    breaks = len(pages) - 1
    scheme = str(p["heads"])
    if scheme == "alternating" and breaks < 4:
        scheme = "single"
    if scheme in ("single", "twice") and breaks < 2:
        scheme = "none"
    p["heads"], p["breaks"] = scheme, breaks
    even_head, odd_head = JOURNAL_HEADS[int(p["head_texts"])]  # type: ignore[call-overload]

    def head_of(page_index: int, number: int) -> str | None:
        if scheme == "none" or (scheme == "twice" and page_index > 2):
            return None
        if scheme == "alternating":
            return even_head if number % 2 == 0 else odd_head
        return even_head

    out: list[str] = []
    notes: list[str] = []
    first = int(p["first_page"])  # type: ignore[call-overload]
    for index, page in enumerate(pages):
        number = first + index
        if index:
            # the foot of the previous page, then the top of this one
            out.extend([""] * pad)
            if p["footnotes"] and rng.random() < 0.6:
                out.append(rng.choice(["_" * rng.randint(10, 30), " " * rng.randint(20, 49)]))
                for _ in range(rng.randint(1, 2)):
                    note = f"{len(notes) + 1} {rng.choice(PAGE_FOOTNOTES)}"
                    notes.append(note)
                    for k, ln in enumerate(wrap(note, width, False)):
                        out.extend([""] * (line_gap if k else 0))
                        out.append(ln)
                out.extend([""] * pad)
            head = head_of(index, number)
            where = str(p["number"]) if head or p["number"] != "head-line" else "foot"
            if where == "foot":
                out.append(str(number - 1))
                out.extend([""] * pad)
            out.append("\f" if p["form_feed"] else "")
            if where == "top":
                out.append(str(number))
                out.extend([""] * pad)
            if head:
                if where == "head-line":
                    spaces = " " * rng.randint(3, 12)
                    head = f"{number}{spaces}{head}" if number % 2 == 0 else f"{head}{spaces}{number}"
                out.append(head)
            out.extend([""] * pad)
        for k, (ln, gap) in enumerate(page):
            if k == 0 and index:
                out.extend([""] * max(0, gap - line_gap))
                out.append((" " if p["stray"] else "") + ln)
            else:
                out.extend([""] * gap)
                out.append(ln)
    encoding, newline = str(p["encoding"]), str(p["newline"])
    text = narrow("\n".join(out) + "\n", encoding).replace("\n", newline)
    return Rendering(text.encode(encoding), encoding, [narrow(n, encoding) for n in notes], p)
