"""A glossary entry and what every glossary file format shares.

The formats live in their own modules behind :mod:`tolmach.glossary.formats` (TSV, the
file people edit; TBX 2008 and TBX v3; OmegaT's glossary TSV).  Every reader validates
the *whole* input before returning anything, so a caller that imports the result in one
transaction never half-imports a file: the first problem is raised as one
:class:`~tolmach.errors.InputError` naming the file and line (or concept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tolmach.model import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG
from tolmach.errors import InputError

#: Column order of the bundled TSV files; ``term`` and ``preferred`` are required.
GLOSSARY_COLUMNS: tuple[str, ...] = ("term", "preferred", "variants", "abbreviation", "expansion", "type", "note", "source")
REQUIRED: tuple[str, ...] = ("term", "preferred")

#: Separator of several accepted English variants inside the ``variants`` cell.
VARIANT_SEP = "|"

#: Kinds of term a glossary may hold.  ``honorific`` terms (``т.``) only match before a
#: name or initial; the matcher reads that from here, not from special cases.
TYPES: frozenset[str] = frozenset(
    {
        "",
        "party",
        "party body",
        "state",
        "state body",
        "treaty",
        "organisation",
        "document",
        "meeting",
        "place",
        "person",  # authority form of a name (tolmach.apparatus.names)
        "title",
        "honorific",
        "concept",
        "people",
    }
)

_FILE_PAIR = re.compile(r"^(?P<name>.+)\.(?P<src>[a-z]{2,3})-(?P<tgt>[a-z]{2,3})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Entry:
    """One glossary term: a Russian form (with abbreviation/expansion) and its English."""

    term: str
    preferred: str
    variants: tuple[str, ...] = ()
    abbreviation: str = ""
    expansion: str = ""
    type: str = ""
    note: str = ""
    source: str = ""
    id: int | None = None
    glossary: str = "default"
    src_lang: str = DEFAULT_SOURCE_LANG
    tgt_lang: str = DEFAULT_TARGET_LANG
    #: The columns the file it was read from has (None: all).  An import updating a known
    #: term keeps the stored value of every other column: OmegaT's glossary has no type
    #: or source, a TSV may name only some columns, and neither means "now empty".
    carried: frozenset[str] | None = field(default=None, compare=False)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every source-language form the matcher should recognise, term first."""
        return tuple(dict.fromkeys(f for f in (self.term, self.abbreviation, self.expansion) if f))

    @property
    def renderings(self) -> tuple[str, ...]:
        """Every accepted target-language rendering, preferred first."""
        return tuple(dict.fromkeys(r for r in (self.preferred, *self.variants) if r))

    def as_row(self) -> dict[str, str]:
        return {
            "term": self.term,
            "preferred": self.preferred,
            "variants": f" {VARIANT_SEP} ".join(self.variants),
            "abbreviation": self.abbreviation,
            "expansion": self.expansion,
            "type": self.type,
            "note": self.note,
            "source": self.source,
        }


def form_key(text: str) -> str:
    """Identity of a form for duplicate detection: case- and spacing-insensitive."""
    return " ".join(text.split()).casefold()


def _clean(value: str) -> str:
    if not value:
        return value  # most cells of a large glossary are empty
    return " ".join(_CONTROL.sub(" ", value).split())


def make_entry(
    fields: dict[str, str | Sequence[str]], where: str, *, carried: Iterable[str] | None = None, **meta: object
) -> Entry:
    """Build a validated :class:`Entry` from loose fields; ``where`` prefixes any error.
    ``carried`` names the columns the file has (default: all)."""
    unknown = set(fields) - set(GLOSSARY_COLUMNS)
    if unknown:
        raise InputError(f"{where}: unknown field {sorted(unknown)[0]!r} (known: {', '.join(GLOSSARY_COLUMNS)}).")
    raw_variants = fields.get("variants", ())
    if isinstance(raw_variants, str):
        raw_variants = raw_variants.split(VARIANT_SEP)
    values = {k: _clean(str(v)) for k, v in fields.items() if k != "variants"}
    for name in REQUIRED:
        if not values.get(name):
            raise InputError(f"{where}: the {name!r} column is empty; every entry needs a {name}.")
    if values["term"].startswith("#"):
        raise InputError(f"{where}: a term cannot start with '#', which marks a comment line.")
    kind = values.get("type", "").lower()
    if kind not in TYPES:
        raise InputError(f"{where}: unknown type {kind!r} (use one of: {', '.join(sorted(t for t in TYPES if t))}).")
    variants = tuple(dict.fromkeys(v for v in (_clean(x) for x in raw_variants) if v and v != values["preferred"]))
    return Entry(
        term=values["term"],
        preferred=values["preferred"],
        variants=variants,
        abbreviation=values.get("abbreviation", ""),
        expansion=values.get("expansion", ""),
        type=kind,
        note=values.get("note", ""),
        source=values.get("source", ""),
        carried=None if carried is None else frozenset(carried),
        **meta,  # type: ignore[arg-type]
    )


def keep_uncarried(new: Entry, stored: Entry) -> Entry:
    """``new`` with the stored value of every column its file does not carry."""
    if new.carried is None:
        return new
    return replace(new, **{c: getattr(stored, c) for c in GLOSSARY_COLUMNS if c not in new.carried}, carried=None)


def check_duplicates(entries: Iterable[tuple[Entry, str]]) -> None:
    """Refuse two entries sharing a source form (term, abbreviation or expansion)."""
    seen: dict[tuple[str, str, str], str] = {}
    for entry, where in entries:
        for form in entry.forms:
            key = (entry.src_lang, entry.tgt_lang, form_key(form))
            if key in seen:
                raise InputError(f"{where}: duplicate entry: {form!r} is already defined at {seen[key]}.")
            seen[key] = where


def pair_from_filename(path: Path) -> tuple[str, str, str]:
    """``party-state.ru-en.tsv`` → (``party-state``, ``ru``, ``en``); other names → ru-en."""
    stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    m = _FILE_PAIR.match(stem)
    if m:
        return m["name"], m["src"], m["tgt"]
    return stem, DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG


def read_text(path: Path) -> str:
    from tolmach.fileio import read_input

    from tolmach.text.decode import BOMS

    data = read_input(path, hint="not a glossary file")
    # a byte-order mark says the encoding outright: Excel's "Unicode Text" (UTF-16 with a
    # BOM, tab-separated) is how a spreadsheet glossary is most often saved; without one,
    # UTF-8 only (a glossary guessed wrong would match nothing and say nothing)
    enc, body = next(((e.replace("-sig", ""), data[len(b):]) for b, e in BOMS if data.startswith(b)), ("utf-8", data))
    try:
        return body.decode(enc)
    except UnicodeDecodeError as exc:
        if enc == "utf-8":
            line = body[: exc.start].count(b"\n") + 1
            raise InputError(f"{path}:{line}: not valid UTF-8; save the glossary as UTF-8.") from exc
        raise InputError(f"{path} starts with a {enc.upper()} byte-order mark but byte {exc.start + len(data) - len(body)} "
                         f"is not valid {enc.upper()}.") from exc


def atomic_write(path: Path, data: str) -> None:
    """Write through the one atomic writer (``fileio.atomic_outputs``); replaces a regular file only."""
    from tolmach.fileio import atomic_outputs

    with atomic_outputs([Path(path)], force=True) as (fh,):
        fh.write(data)


def with_meta(entry: Entry, **changes: object) -> Entry:
    """A copy of ``entry`` with some fields changed (kept here so callers need no dataclasses)."""
    return replace(entry, **changes)  # type: ignore[arg-type]



#: Names that moved to the format modules, still importable from here.
_MOVED = {
    "read_glossary_tsv": "tsv", "dumps_tsv": "tsv", "write_tsv": "tsv",
    "read_tbx": "tbx", "dumps_tbx": "tbx", "write_tbx": "tbx", "TBX_NS": "tbx",
}  # fmt: skip


def __getattr__(name: str) -> object:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"tolmach.glossary.{module}"), name)


__all__ = [
    "GLOSSARY_COLUMNS",
    "TYPES",
    "Entry",
    "atomic_write",
    "check_duplicates",
    "form_key",
    "make_entry",
    "pair_from_filename",
    "read_text",
    "with_meta",
]
