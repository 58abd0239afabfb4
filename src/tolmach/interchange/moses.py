"""Moses plain text: two line-aligned files, the usual input of MT training and corpus tools.

``--out corpus/doc`` writes ``corpus/doc.<src>`` and ``corpus/doc.<tgt>`` (BCP-47 codes,
e.g. ``doc.ru`` and ``doc.en``); line *i* of one file translates line *i* of the other.
The format has no escaping, so a line break inside a segment (any of
:data:`~tolmach.interchange.unit.LINE_BREAKS`, which covers what ``str.splitlines`` and
Unicode treat as line ends) and every tab becomes one space: alignment is never broken,
``paste``/``cut`` and other tab-separated tools see one field per file, and
:func:`one_line` says exactly what text a round trip gives back.  No metadata survives;
use TSV or JSONL when you need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from tolmach.errors import InputError
from tolmach.interchange.unit import LINE_BREAKS, Header, Unit, bcp47

_BREAKS = re.compile("\r\n|[\t" + re.escape(LINE_BREAKS) + "]")


def one_line(text: str) -> str:
    """The text as it appears on its Moses line: each line break and tab replaced by one space."""
    return _BREAKS.sub(" ", text)


def output_paths(out: Path, header: Header) -> list[Path]:
    src, tgt = bcp47(header.src_lang), bcp47(header.tgt_lang)
    if header.src_lang is None or header.tgt_lang is None:
        raise InputError("Moses files hold one language pair, but the documents to export mix language pairs; export the documents of each pair separately.")
    if src == tgt:
        raise InputError(f"Moses files are named by language, and source and target are both {src!r}; use TSV or JSONL instead.")
    return [out.with_name(f"{out.name}.{src}"), out.with_name(f"{out.name}.{tgt}")]


class MosesWriter:
    removed_chars = 0

    def __init__(self, handles: list[TextIO], header: Header) -> None:
        self.src_fh, self.tgt_fh = handles

    def write(self, unit: Unit) -> None:
        self.src_fh.write(one_line(unit.source) + "\n")
        self.tgt_fh.write(one_line(unit.target) + "\n")

    def close(self) -> None:
        pass


def read_moses(src_path: Path, tgt_path: Path) -> Iterator[Unit]:
    """Units from a pair of Moses files (source and target only); unequal lengths are an error."""
    src_lang = bcp47(src_path.suffix.lstrip("."))
    tgt_lang = bcp47(tgt_path.suffix.lstrip("."))
    try:
        with src_path.open(encoding="utf-8", newline="\n") as a, tgt_path.open(encoding="utf-8", newline="\n") as b:
            n = 0
            for n, (s, t) in enumerate(zip(a, b), start=1):
                yield Unit(document="", number=None, source=s.rstrip("\n"), target=t.rstrip("\n"), src_lang=src_lang, tgt_lang=tgt_lang)
            if a.readline() or b.readline():
                raise InputError(f"{src_path} and {tgt_path} have different numbers of lines (they differ after line {n}).")
    except OSError as exc:
        raise InputError(f"Cannot read Moses files: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{src_path} or {tgt_path} is not UTF-8 text.") from None
