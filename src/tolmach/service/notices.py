"""What an export tells besides its counts: typed notices, worded by :mod:`tolmach.wording`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class NoticeKind(str, Enum):
    NO_UNITS = "no-units"  # no bead matched the filters
    REMOVED_CHARS = "removed-chars"  # characters XML 1.0 cannot carry were dropped
    UNTRANSLATED = "untranslated"  # beads shown as bracketed source
    MERGED_PARAGRAPHS = "merged-paragraphs"  # source paragraphs joined because a bead spans them


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    n: int = 0  # how many
    which: tuple[int, ...] = ()  # bead numbers, where it names beads
