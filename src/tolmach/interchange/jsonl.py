"""JSON Lines: one object per bead with every piece of metadata, for scripts and datasets.

Keys: ``document, bead, source, target, src_lang, tgt_lang, status, origin, score,
flagged, notes, qa, bead_id, document_id, creator, created, changer, changed`` (dates in
ISO 8601, UTC).  Non-ASCII text is written as is (readable), but
U+0085, U+2028 and U+2029, which JSON allows raw inside strings and some line splitters
treat as line ends, are written as ``\\u`` escapes, so one object is always one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from tolmach.errors import InputError
from tolmach.interchange.unit import Header, Unit, bcp47, parse_date

_RAW_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_json(unit: Unit) -> dict[str, Any]:
    return {
        "document": unit.document,
        "bead": unit.number,
        "source": unit.source,
        "target": unit.target,
        "src_lang": bcp47(unit.src_lang),
        "tgt_lang": bcp47(unit.tgt_lang),
        "status": unit.status,
        "origin": unit.origin,
        "score": unit.score,
        "flagged": unit.flagged,
        "notes": list(unit.notes),
        "qa": list(unit.qa_notes),
        "bead_id": unit.bead_id,
        "document_id": unit.document_id,
        "creator": unit.creator,
        "created": unit.created.isoformat() if unit.created else None,
        "changer": unit.changer,
        "changed": unit.changed.isoformat() if unit.changed else None,
    }


class JsonlWriter:
    removed_chars = 0

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        (self.fh,) = handles

    def write(self, unit: Unit) -> None:
        # Only string contents can hold these characters, so replacing them keeps valid JSON.
        self.fh.write(json.dumps(to_json(unit), ensure_ascii=False).translate(_RAW_BREAKS) + "\n")

    def close(self) -> None:
        pass


def _str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}{key!r} must be a string.")
    return value


def read_jsonl(path: Path, source_langs: frozenset[str] = frozenset()) -> Iterator[Unit]:
    try:
        fh = path.open(encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    with fh:
        try:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                where = f"{path}, line {lineno}: "
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{where}not valid JSON ({exc.msg}).") from None
                if not isinstance(obj, dict) or "source" not in obj or "target" not in obj:
                    raise InputError(f"{where}expected an object with 'source' and 'target'.")
                bead, score = obj.get("bead"), obj.get("score")
                yield Unit(
                    document=_str(obj, "document", where),
                    number=bead if isinstance(bead, int) and not isinstance(bead, bool) else None,
                    source=_str(obj, "source", where),
                    target=_str(obj, "target", where),
                    src_lang=bcp47(_str(obj, "src_lang", where)),
                    tgt_lang=bcp47(_str(obj, "tgt_lang", where)),
                    status=_str(obj, "status", where),
                    origin=_str(obj, "origin", where),
                    score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
                    flagged=obj.get("flagged") is True,
                    notes=tuple(str(n) for n in obj.get("notes") or ()),
                    bead_id=obj.get("bead_id") if isinstance(obj.get("bead_id"), int) else None,
                    document_id=obj.get("document_id") if isinstance(obj.get("document_id"), int) else None,
                    creator=_str(obj, "creator", where),
                    created=parse_date(obj.get("created")) if isinstance(obj.get("created"), str) else None,
                    changer=_str(obj, "changer", where),
                    changed=parse_date(obj.get("changed")) if isinstance(obj.get("changed"), str) else None,
                )
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text.") from None
