"""The export/import formats as data: adding a format is adding a row to :data:`FORMATS`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from tolmach.errors import InputError
from tolmach.interchange import jsonl, moses, tei, tmx, tsv, xliff, xliff2
from tolmach.interchange.unit import Header, Unit


class Writer(Protocol):
    """Streams units into already opened text handles; ``close`` finishes the file(s)."""

    removed_chars: int

    def __init__(self, handles: list[TextIO], header: Header) -> None: ...
    def write(self, unit: Unit) -> None: ...
    def close(self) -> None: ...


def _single(out: Path, header: Header) -> list[Path]:
    return [out]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]  # recognised on import, first one suggested on export
    writer: Callable[[list[TextIO], Header], Writer]
    output_paths: Callable[[Path, Header], list[Path]]
    reader: Callable[[Path, frozenset[str]], Iterator[Unit]] | None  # (path, source languages); None: not from one file
    qa_notes: bool  # carries QA warnings as notes
    keeps_ids: bool  # carries document and bead number, so import can match by position
    to_stdout: bool = True  # one text file, so ``--out -`` can stream it


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("tmx", "TMX 1.4b translation memory", (".tmx",), tmx.TmxWriter, _single, tmx.read_tmx, False, True),
        Format("xliff", "XLIFF 1.2 bilingual file", (".xlf", ".xliff"), xliff.XliffWriter, _single, xliff.read_xliff, True, True),
        Format("xliff2", "XLIFF 2.0 bilingual file", (".xlf", ".xliff"), xliff2.Xliff2Writer, _single, xliff.read_xliff, True, True),
        Format("tsv", "tab-separated values with a header", (".tsv", ".tab"), tsv.TsvWriter, _single, tsv.read_units_tsv, False, True),
        Format("moses", "two line-aligned plain-text files", (), moses.MosesWriter, moses.output_paths, None, False, False, False),
        Format("jsonl", "JSON Lines, one object per bead", (".jsonl", ".ndjson"), jsonl.JsonlWriter, _single, jsonl.read_jsonl, True, True),
        Format("tei", "TEI P5 parallel edition", (".tei",), tei.TeiUnitWriter, _single, tei.read_units, False, True),
    )
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise InputError(f"Unknown format {name!r}; choose one of {', '.join(FORMATS)}.") from None


def _sniff(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "ignore")
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    low = head.lower()
    if "<tmx" in low:
        return "tmx"
    if "<xliff" in low:
        return "xliff"
    if "<tei" in head:
        return "tei"
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    if first.lstrip().startswith("{"):
        return "jsonl"
    if "\t" in first and "source" in first.split("\t") and "target" in first.split("\t"):
        return "tsv"
    return None


def format_of_file(path: Path) -> Format:
    """The readable format of an input file: by extension, else by its first bytes."""
    from tolmach.fileio import check_input

    check_input(path)
    suffix = path.suffix.lower()
    for f in FORMATS.values():
        if f.reader is not None and suffix in f.extensions:
            return f
    sniffed = _sniff(path)
    if sniffed:
        return FORMATS[sniffed]
    readable = ", ".join(dict.fromkeys(e for f in FORMATS.values() if f.reader for e in f.extensions))
    raise InputError(f"{path}: cannot tell its format; translation memories are read from {readable} files.")
