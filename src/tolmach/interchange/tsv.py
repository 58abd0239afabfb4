"""TSV: one bead per record, for spreadsheets, scripts and corpus tools.

The dialect is RFC 4180 with a tab as the separator, exactly what Python's
``csv.reader(f, dialect="excel-tab")``, ``pandas.read_csv(f, sep="\\t")``, LibreOffice
and Excel read and write by default: UTF-8, the header :data:`UNIT_COLUMNS` first, fields
separated by one tab; a field holding a tab, a line break or a double quote is written
in double quotes with its own quotes doubled (``"He said ""no"" twice"``), every other field
as it is.  A record may therefore span several physical lines (inside quotes).  Files
saved back by a spreadsheet (every field quoted, CRLF line ends) read the same.
TSV files written by earlier Tolmach builds used backslash escapes (``\\t``, ``\\n``);
those escapes are now read as literal text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tolmach.errors import InputError
from tolmach.interchange.unit import Header, Unit, bcp47

UNIT_COLUMNS = (
    "document", "bead", "src_lang", "tgt_lang", "source", "target",
    "status", "origin", "score", "flagged", "notes", "bead_id", "document_id",
)  # fmt: skip


class Dialect(csv.Dialect):
    """RFC 4180 with tabs: exactly ``csv``'s ``excel-tab`` (CRLF record ends, quotes doubled)."""

    delimiter = "\t"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


class TsvWriter:
    removed_chars = 0

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        (self.fh,) = handles
        self.out = csv.writer(self.fh, dialect=Dialect)
        self.out.writerow(UNIT_COLUMNS)

    def write(self, unit: Unit) -> None:
        self.out.writerow(
            (
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
                "\n".join(" ".join(n.split()) for n in unit.notes),  # notes: one per line
                "" if unit.bead_id is None else str(unit.bead_id),
                "" if unit.document_id is None else str(unit.document_id),
            )
        )

    def close(self) -> None:
        pass


def _int(value: str, where: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{where}{value!r} is not a whole number.") from None


def read_units_tsv(path: Path, source_langs: frozenset[str] = frozenset()) -> Iterator[Unit]:
    """Units of a TSV with a header naming at least ``source`` and ``target`` (see the module doc)."""
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    with fh:
        reader = csv.reader(fh, dialect=Dialect)
        try:
            head = next(reader, None)
            if not head or "source" not in head or "target" not in head:
                raise InputError(f"{path}: the first line must be a header with 'source' and 'target' columns.")
            index = {name: i for i, name in enumerate(head)}
            for row in reader:
                where = f"{path}, line {reader.line_num}: "
                if not row or row == [""]:
                    continue
                if len(row) != len(head):
                    raise InputError(f"{where}{len(row)} fields where the header has {len(head)}.")
                f = {name: row[i] for name, i in index.items()}
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
                    notes=tuple(n for n in f.get("notes", "").splitlines() if n),
                    bead_id=_int(f.get("bead_id", ""), where),
                    document_id=_int(f.get("document_id", ""), where),
                )
        except csv.Error as exc:
            raise InputError(f"{path}, line {reader.line_num}: not valid TSV ({exc}); fields with tabs, line breaks or quotes must be in double quotes.") from None
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text.") from None
