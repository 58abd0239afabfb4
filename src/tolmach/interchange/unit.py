"""One exported translation unit and the facts shared by every format.

A :class:`Unit` is what a bead becomes on its way out (and what a file gives back on its
way in): plain strings and numbers, no database objects, so writers and readers are pure
and can be tested on literals.  Writers receive units one at a time, which is what keeps
memory flat on large projects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tolmach import __version__

TOOL_NAME = "Tolmach"
TOOL_ID = "tolmach"
TOOL_VERSION = __version__

#: Characters that some reader somewhere treats as the end of a line (Python's
#: ``str.splitlines``, Unicode line/paragraph separators, NEL, vertical tab, form feed,
#: file/group/record separators).  Line-based formats must not emit them raw.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@dataclass(frozen=True, slots=True)
class Unit:
    """One bead as exported: the text pair plus everything needed to find it again."""

    document: str
    number: int | None  # 1-based bead number in its document
    source: str
    target: str
    src_lang: str = "und"
    tgt_lang: str = "und"
    status: str = ""
    origin: str = ""
    score: float | None = None
    flagged: bool = False
    notes: tuple[str, ...] = ()  # the bead's own notes (translator, editorial, imported ...)
    bead_id: int | None = None
    document_id: int | None = None
    # Who and when (TMX creationid/creationdate, changeid/changedate); None when unknown.
    creator: str = ""
    created: datetime | None = None
    changer: str = ""
    changed: datetime | None = None
    qa_notes: tuple[str, ...] = ()  # QA warnings (XLIFF/JSONL notes from "tolmach-qa")
    inline_codes: int = 0  # inline codes (TMX bpt/ph..., XLIFF g/x...) stripped when reading
    approved: bool | None = None  # XLIFF approved="yes" (None: the file does not say)


#: Unit fields that XML formats carry as named strings (TMX ``prop``s ``x-<name>``, XLIFF
#: ``context``s ``x-tolmach-<name>``), in the order they are written.
METADATA = ("document", "bead", "status", "origin", "score", "flagged", "bead-id", "document-id")


def metadata(unit: Unit) -> list[tuple[str, str]]:
    """The unit's metadata as (name, text) pairs, empty values left out."""
    values = {
        "document": unit.document,
        "bead": "" if unit.number is None else str(unit.number),
        "status": unit.status,
        "origin": unit.origin,
        "score": "" if unit.score is None else repr(unit.score),
        "flagged": "yes" if unit.flagged else "",
        "bead-id": "" if unit.bead_id is None else str(unit.bead_id),
        "document-id": "" if unit.document_id is None else str(unit.document_id),
    }
    return [(k, values[k]) for k in METADATA if values[k] != ""]


def tmx_date(value: datetime | None) -> str:
    """A datetime as TMX writes it (``YYYYMMDDThhmmssZ``, UTC); naive values are UTC."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.strftime("%Y%m%dT%H%M%SZ")


def parse_date(value: str | None) -> datetime | None:
    """A TMX (``20261125T082723Z``) or ISO 8601 date as an aware UTC datetime; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().lstrip("-").isdigit() else None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def from_metadata(values: dict[str, str]) -> dict[str, Any]:
    """:class:`Unit` keyword arguments from metadata read back; unreadable numbers are None
    (files from other tools may carry anything there)."""
    return {
        "document": values.get("document", ""),
        "number": _int(values.get("bead")),
        "status": values.get("status", ""),
        "origin": values.get("origin", ""),
        "score": _float(values.get("score")),
        "flagged": values.get("flagged") == "yes",
        "bead_id": _int(values.get("bead-id")),
        "document_id": _int(values.get("document-id")),
    }


@dataclass(frozen=True)
class Header:
    """File-level facts a writer needs before the first unit.

    ``src_lang``/``tgt_lang`` are None when the exported documents mix languages; TMX
    then writes ``*all*`` and every unit still carries its own codes.
    """

    src_lang: str | None
    tgt_lang: str | None
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    tool: str = TOOL_NAME
    tool_id: str = TOOL_ID
    tool_version: str = TOOL_VERSION


_SUBTAG = re.compile(r"^[A-Za-z0-9]{1,8}$")
_UNKNOWN = {"", "und", "unknown", "xx", "zxx", "mul", "none", "?"}


def bcp47(code: str | None) -> str:
    """A language code in BCP-47 shape (``ru``, ``en-GB``, ``sr-Latn``); ``und`` if unknown.

    Documents store whatever language identification produced (``ru``, ``en_US``, ``RU``);
    exchange formats want the canonical casing: language lower, script title, region upper.
    """
    from tolmach.model import LanguageTagError, normalize_tag

    raw = (code or "").strip()
    if raw.lower() in _UNKNOWN:
        return "und"
    try:
        tag = normalize_tag(raw)
    except LanguageTagError:
        return "und"
    return tag if 2 <= len(tag.split("-")[0]) <= 3 else "und"


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two codes name the same language (primary subtags equal)."""
    return bcp47(a).split("-")[0] == bcp47(b).split("-")[0]
