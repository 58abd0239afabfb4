"""A source text read through its confirmed readings, and the way back to the exact text.

A *reading* replaces the characters ``[start, end)`` of a segment (which must still be
``sic``, the word as printed) by ``reading``.  The segment itself never changes; machine
translation, glossary matching, translation memory and alignment are given the *read*
text, and spans found in it (glossary hits) are mapped back onto the printed text with
:meth:`ReadText.to_source`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """One reading of a segment: ``text[start:end]`` is printed ``sic`` and read ``reading``."""

    start: int
    end: int
    sic: str
    reading: str


@dataclass(frozen=True)
class ReadText:
    """``text`` with readings applied; ``edits`` are ``(read_start, read_end, src_start, src_end)``."""

    source: str
    text: str
    edits: tuple[tuple[int, int, int, int], ...]

    def to_source(self, pos: int, *, end: bool = False) -> int:
        """The printed-text offset of a read-text offset (a position inside a replaced
        word maps to the word's start, or its end when ``end``)."""
        starts = [e[0] for e in self.edits]
        k = bisect_right(starts, pos) - 1
        if k < 0:
            return pos
        rs, re_, ss, se = self.edits[k]
        if pos < re_ or (pos == re_ and end and pos > rs):
            return se if end else ss
        return pos - re_ + se

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        return self.to_source(start), self.to_source(end, end=True)


def valid(text: str, span: Span) -> bool:
    """Whether a reading still applies to ``text`` (the printed word is where it was)."""
    return 0 <= span.start < span.end <= len(text) and text[span.start : span.end] == span.sic


def apply(text: str, spans: Iterable[Span]) -> ReadText:
    """``text`` read through ``spans``; a span that no longer fits, or overlaps an earlier
    one, is ignored (the printed text wins)."""
    chosen: list[Span] = []
    for sp in sorted(spans, key=lambda s: (s.start, s.end)):
        if not valid(text, sp) or (chosen and sp.start < chosen[-1].end):
            continue
        chosen.append(sp)
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    pos = 0
    length = 0
    for sp in chosen:
        out.append(text[pos : sp.start])
        length += sp.start - pos
        edits.append((length, length + len(sp.reading), sp.start, sp.end))
        out.append(sp.reading)
        length += len(sp.reading)
        pos = sp.end
    out.append(text[pos:])
    return ReadText(text, "".join(out), tuple(edits))


def read_all(texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> list[str]:
    """Each text read through its own spans."""
    return [apply(t, s).text for t, s in zip(texts, spans)]
