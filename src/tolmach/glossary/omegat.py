"""OmegaT's glossary format: tab-separated ``term<TAB>translation<TAB>comment``, UTF-8.

No header row (OmegaT would take it for an entry) and no quoting: OmegaT splits each line
at tabs, so cells are cleaned of tabs and line breaks.  OmegaT reads ``.txt`` and
``.utf8`` files as UTF-8 (``.tab`` in the system encoding), so Tolmach writes ``.txt``.
The comment column carries what OmegaT has no column for: the accepted variants
("also: …"), the abbreviation or expansion, the note.  Reading back takes them out of the
comment again, so Tolmach's own export (say an OmegaT project's ``glossary/glossary.txt``
with the terms a translator added there) imports back as it was; the type and source,
which the file does not carry, are left as they are stored.  Lines starting with ``#``
are comments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from tolmach.errors import InputError
from tolmach.glossary.entries import (
    Entry,
    _clean,
    atomic_write,
    check_duplicates,
    make_entry,
    pair_from_filename,
    read_text,
)


#: The comment's parts before the note, in order: (label, field).
_LABELS = (("also: ", "variants"), ("abbreviation: ", "abbreviation"), ("in full: ", "expansion"))
_PART_SEP = " · "
_VARIANTS_SEP = "; "
#: The columns an OmegaT glossary line carries.
CARRIED = frozenset({"term", "preferred", "variants", "abbreviation", "expansion", "note"})


def _comment(e: Entry) -> str:
    parts = []
    if e.variants:
        parts.append("also: " + _VARIANTS_SEP.join(e.variants))
    if e.abbreviation:
        parts.append(f"abbreviation: {e.abbreviation}")
    if e.expansion:
        parts.append(f"in full: {e.expansion}")
    if e.note:
        parts.append(e.note)
    return _PART_SEP.join(parts)


def _fields_of_comment(comment: str) -> dict[str, str | Sequence[str]]:
    """The inverse of :func:`_comment`: labelled parts in their order, then the note."""
    parts = comment.split(_PART_SEP) if comment else []
    fields: dict[str, str | Sequence[str]] = {}
    for label, name in _LABELS:
        if parts and parts[0].startswith(label):
            value = parts.pop(0)[len(label):]
            fields[name] = value.split(_VARIANTS_SEP) if name == "variants" else value
    fields["note"] = _PART_SEP.join(parts)
    return fields


def dumps_omegat(entries: Iterable[Entry]) -> str:
    lines = [f"{_clean(e.term)}\t{_clean(e.preferred)}\t{_clean(_comment(e))}".rstrip("\t") for e in entries]
    return "".join(line + "\n" for line in lines)


def write_omegat(path: Path | str, entries: Iterable[Entry]) -> None:
    atomic_write(Path(path), dumps_omegat(entries))


def read_omegat(
    path: Path | str, *, glossary: str | None = None, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[Entry]:
    """Entries of an OmegaT glossary file (term, translation, optional comment per line)."""
    path = Path(path)
    name, src, tgt = pair_from_filename(path)
    meta = {"glossary": glossary or name, "src_lang": src_lang or src, "tgt_lang": tgt_lang or tgt}
    located: list[tuple[Entry, str]] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{path}:{number}"
        if len(cells) < 2:
            raise InputError(f"{where}: an OmegaT glossary line needs a term, a tab and its translation.")
        comment = " ".join(c for c in cells[2:] if c.strip())
        fields = {"term": cells[0], "preferred": cells[1], **_fields_of_comment(comment.strip())}
        located.append((make_entry(fields, where, carried=CARRIED, **meta), where))
    if not located:
        raise InputError(f"{path} holds no glossary entries.")
    check_duplicates(located)
    return [e for e, _ in located]
