"""The Vecalign/Bleualign alignment file format: one bead per line, ``[0, 1]:[2]:0.83``."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from tolmach.align.score import Alignment
from tolmach.errors import InputError


def format_bead(src: Iterable[int], tgt: Iterable[int], score: float | None = None) -> str:
    """Vecalign's own spelling: Python list syntax, score with six decimals."""
    head = f"{list(src)}:{list(tgt)}"
    return head if score is None else f"{head}:{score:.6f}"


def parse_line(line: str, where: str = "line") -> Alignment:
    fields = [f.strip() for f in line.split(":") if f.strip()]
    if len(fields) < 2:
        raise InputError(f"{where}: expected '[source ids]:[target ids]', got {line.strip()!r}.")
    try:
        src, tgt = ast.literal_eval(fields[0]), ast.literal_eval(fields[1])
        src_t, tgt_t = tuple(int(x) for x in src), tuple(int(x) for x in tgt)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise InputError(f"{where}: cannot read the bead {line.strip()!r}.") from exc
    return src_t, tgt_t


def read_alignments(path: Path | str) -> list[Alignment]:
    """All beads of an alignment file; a clear error naming the line that is wrong."""
    path = Path(path)
    from tolmach.fileio import read_input

    try:
        text = read_input(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}).") from exc
    out = []
    for k, line in enumerate(text.splitlines(), 1):
        if line.strip():
            out.append(parse_line(line, f"{path}:{k}"))
    if not out:
        raise InputError(f"{path} holds no alignment lines ('[source ids]:[target ids]').")
    return out
