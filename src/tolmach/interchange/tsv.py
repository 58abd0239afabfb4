"""TSV: one bead per line, for spreadsheets, scripts and corpus tools.

Escaping is backslash-based and unambiguous: ``\\\\`` for a backslash, ``\\t`` tab,
``\\n`` line feed, ``\\r`` carriage return, and ``\\uXXXX`` for the other characters some
reader treats as a line end (vertical tab, form feed, U+001C..U+001E, NEL, U+2028,
U+2029).  So every record is exactly one physical line and every field is free of tabs;
:func:`unescape` inverts :func:`escape` exactly.  The first line is the header
:data:`COLUMNS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tolmach.errors import InputError
from tolmach.interchange.unit import LINE_BREAKS, Header, Unit, bcp47

COLUMNS = (
    "document", "bead", "src_lang", "tgt_lang", "source", "target",
    "status", "origin", "score", "flagged", "notes", "bead_id", "document_id",
)  # fmt: skip

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPES.update({c: f"\\u{ord(c):04x}" for c in LINE_BREAKS if c not in _ESCAPES})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_UNESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SIMPLE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def escape(text: str) -> str:
    return text.translate(_ESCAPE_TABLE)


def unescape(field: str, where: str = "") -> str:
    def sub(m: re.Match[str]) -> str:
        code = m.group(1)
        if code in _SIMPLE:
            return _SIMPLE[code]
        if len(code) == 5:
            return chr(int(code[1:], 16))
        raise InputError(f"{where}unknown escape \\{code} (write a backslash as \\\\).")

    if (len(field) - len(field.rstrip("\\"))) % 2:
        raise InputError(f"{where}a field ends with a lone backslash.")
    return _UNESCAPE.sub(sub, field)


class TsvWriter:
    removed_chars = 0

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        (self.fh,) = handles
        self.fh.write("\t".join(COLUMNS) + "\n")

    def write(self, unit: Unit) -> None:
        row = (
            unit.document,
            "" if unit.number is None else str(unit.number),
            bcp47(unit.src_lang),
            bcp47(unit.tgt_lang),
            unit.source,
            unit.target,
            unit.status,
            unit.origin,
            "" if unit.score is None else repr(unit.score),
            "yes" if unit.flagged else "",
            "\n".join(" ".join(n.split()) for n in unit.notes),  # notes: one per (escaped) line
            "" if unit.bead_id is None else str(unit.bead_id),
            "" if unit.document_id is None else str(unit.document_id),
        )
        self.fh.write("\t".join(escape(f) for f in row) + "\n")

    def close(self) -> None:
        pass


def _int(value: str, where: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{where}{value!r} is not a whole number.") from None


def read_tsv(path: Path) -> Iterator[Unit]:
    """Units of a TSV written by Tolmach (a header naming at least source and target)."""
    try:
        fh = path.open(encoding="utf-8-sig", newline="\n")
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    with fh:
        try:
            head = fh.readline().rstrip("\n").split("\t")
            if "source" not in head or "target" not in head:
                raise InputError(f"{path}: the first line must be a header with 'source' and 'target' columns.")
            index = {name: i for i, name in enumerate(head)}
            for lineno, line in enumerate(fh, start=2):
                line = line.rstrip("\n")
                if not line:
                    continue
                where = f"{path}, line {lineno}: "
                raw = line.split("\t")
                if len(raw) != len(head):
                    raise InputError(f"{where}{len(raw)} fields where the header has {len(head)}.")
                f = {name: unescape(raw[i], where) for name, i in index.items()}
                score = f.get("score", "")
                try:
                    score_v = float(score) if score else None
                except ValueError:
                    raise InputError(f"{where}score {score!r} is not a number.") from None
                yield Unit(
                    document=f.get("document", ""),
                    number=_int(f.get("bead", ""), where),
                    source=f["source"],
                    target=f["target"],
                    src_lang=bcp47(f.get("src_lang")),
                    tgt_lang=bcp47(f.get("tgt_lang")),
                    status=f.get("status", ""),
                    origin=f.get("origin", ""),
                    score=score_v,
                    flagged=f.get("flagged", "") == "yes",
                    notes=tuple(n for n in f.get("notes", "").split("\n") if n),
                    bead_id=_int(f.get("bead_id", ""), where),
                    document_id=_int(f.get("document_id", ""), where),
                )
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text.") from None
