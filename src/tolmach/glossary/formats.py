"""The glossary file formats as data: adding one is adding a row to :data:`FORMATS`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tolmach.errors import InputError
from tolmach.glossary import omegat, tbx, tsv
from tolmach.glossary.entries import Entry, read_text


@dataclass(frozen=True)
class GlossaryFormat:
    name: str
    description: str
    extensions: tuple[str, ...]  # recognised on import
    dumps: Callable[[Sequence[Entry]], str]
    read: Callable[..., list[Entry]]  # (path, *, glossary=None, src_lang=..., tgt_lang=...)


FORMATS: dict[str, GlossaryFormat] = {
    f.name: f
    for f in (
        GlossaryFormat("tsv", "Tolmach TSV with a header (glossaries/*.tsv)", (".tsv",), tsv.dumps_tsv, tsv.read_glossary_tsv),
        GlossaryFormat("tbx", "TBX-Basic 2008 (martif): OmegaT, translate-toolkit, MultiTerm", (".tbx", ".xml"),
                       lambda e: tbx.dumps_tbx(e, version="2008"), tbx.read_tbx),
        GlossaryFormat("tbx3", "TBX-Basic v3 (ISO 30042:2019)", (), lambda e: tbx.dumps_tbx(e, version="3"), tbx.read_tbx),
        GlossaryFormat("omegat", "OmegaT glossary: term, translation, comment; no header", (".txt", ".utf8", ".tab"),
                       omegat.dumps_omegat, omegat.read_omegat),
    )
}


def get_format(name: str) -> GlossaryFormat:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise InputError(f"Unknown glossary format {name!r}; choose one of {', '.join(FORMATS)}.") from None


def format_of_file(path: Path) -> GlossaryFormat:
    """By extension; a ``.tsv`` whose first line is not a Tolmach header is OmegaT's format."""
    suffix = path.suffix.lower()
    if suffix == ".tsv" and path.is_file():
        first = next((ln for ln in read_text(path).splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
        if "term" not in [tsv.unquote(c).strip().lower() for c in first.split("\t")]:
            return FORMATS["omegat"]
    for f in FORMATS.values():
        if suffix in f.extensions:
            return f
    return FORMATS["tsv"]
