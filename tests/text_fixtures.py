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
