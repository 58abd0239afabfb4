"""The glossary TSV people edit (``glossaries/*.tsv``): a header naming the columns, one
entry per line, ``#`` comments.  Cells never hold tabs or line breaks (they are cleaned
to spaces on the way in and out).  A cell wholly in double quotes, with its own quotes
doubled, is read without them: a spreadsheet saving "text" cells quoted writes that.  A
value that is itself wholly in quotes is written so, and reads back the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tolmach.errors import InputError
from tolmach.glossary.entries import (
    GLOSSARY_COLUMNS,
    REQUIRED,
    Entry,
    _clean,
    atomic_write,
    check_duplicates,
    make_entry,
    pair_from_filename,
    read_text,
)


_QUOTED = re.compile(r'"((?:[^"]|"")*)"')


def unquote(cell: str) -> str:
    """``cell`` without the double quotes a spreadsheet puts around it (if it has them)."""
    m = _QUOTED.fullmatch(cell.strip())
    return m.group(1).replace('""', '"') if m else cell


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if _QUOTED.fullmatch(value) else value


def read_glossary_tsv(
    path: Path | str, *, glossary: str | None = None, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[Entry]:
    """All entries of a TSV glossary, or an InputError for its first problem.

    The first non-comment line is the header naming the columns (any order); lines
    starting with ``#`` and blank lines are ignored; every other line must have exactly as
    many tab-separated cells as the header.
    """
    path = Path(path)
    name, src, tgt = pair_from_filename(path)
    meta = {"glossary": glossary or name, "src_lang": src_lang or src, "tgt_lang": tgt_lang or tgt}
    header: list[str] | None = None
    located: list[tuple[Entry, str]] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [unquote(c) for c in line.split("\t")]
        where = f"{path}:{number}"
        if header is None:
            header = [c.strip().lower() for c in cells]
            unknown = [c for c in header if c not in GLOSSARY_COLUMNS]
            if unknown:
                raise InputError(f"{where}: unknown column {unknown[0]!r} (known: {', '.join(GLOSSARY_COLUMNS)}).")
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise InputError(f"{where}: the header has no {missing[0]!r} column.")
            if len(set(header)) != len(header):
                raise InputError(f"{where}: a column is named twice in the header.")
            continue
        if len(cells) != len(header):
            raise InputError(
                f"{where}: malformed line: expected {len(header)} tab-separated columns, found {len(cells)}."
            )
        located.append((make_entry(dict(zip(header, cells)), where, carried=header, **meta), where))
    if header is None:
        raise InputError(f"{path}: the file is empty; a glossary needs a header line and entries.")
    check_duplicates(located)
    return [e for e, _ in located]


def dumps_tsv(entries: Iterable[Entry]) -> str:
    lines = ["\t".join(GLOSSARY_COLUMNS)]
    for e in entries:
        row = e.as_row()
        lines.append("\t".join(_quote(_clean(row[c])) for c in GLOSSARY_COLUMNS))
    return "\n".join(lines) + "\n"


def write_tsv(path: Path | str, entries: Iterable[Entry]) -> None:
    atomic_write(Path(path), dumps_tsv(entries))


