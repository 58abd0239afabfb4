"""Hand documents to OmegaT: a ready project whose segments are exactly Tolmach's beads.

See :mod:`tolmach.interchange.omegat` for why the project has sentence segmentation off
and one paragraph per bead.  Bringing the work back is ``import-tm`` on the project's
``omegat/project_save.tmx`` (authors and dates kept, older units never revert newer edits).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from tolmach.errors import InputError, OptionError
from tolmach.fileio import atomic_outputs
from tolmach.interchange import Header, bcp47, omegat
from tolmach.interchange.tmx import TmxWriter
from tolmach.service.interchange import _documents, _filters, iter_units
from tolmach.store import Store


@dataclass
class OmegatReport:
    folder: Path
    documents: list[str] = field(default_factory=list)
    segments: int = 0  # paragraphs written to source/ (= OmegaT segments)
    tm_units: int = 0  # translated beads in tm/auto
    glossary_entries: int = 0
    files: list[Path] = field(default_factory=list)


def make_project(store: Store, document_ids: list[int] | None, folder: Path | str, *, force: bool = False) -> OmegatReport:
    """Write an OmegaT project for the documents (None: all) into ``folder``.

    ``folder`` must not exist, or be empty, unless ``force`` (then Tolmach's own files in
    it are replaced and everything else is left alone).
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"Cannot make an OmegaT project at {folder}: it is a file.")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise OptionError("{folder} is not empty; use {option} to refresh Tolmach's files in it.", "force", folder=folder)
    docs = _documents(store, document_ids)
    pairs = {(bcp47(d[2]), bcp47(d[3])) for d in docs}
    if len(pairs) != 1:
        raise InputError("An OmegaT project has one language pair, but these documents have several; make one project per pair.")
    ((src, tgt),) = pairs
    for sub in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    report = OmegatReport(folder, documents=[d[1] for d in docs])
    names = [omegat.source_file_name(d[1]) for d in docs]
    if len(set(names)) != len(names):
        raise InputError("Two documents would get the same source file name; rename one of them.")
    project = folder / "omegat.project"
    with atomic_outputs([project], force=True) as (fh,):
        fh.write(omegat.project_file(src, tgt))
    report.files.append(project)
    for doc, name in zip(docs, names):
        path = folder / "source" / name
        with atomic_outputs([path], force=True) as (fh,):
            report.segments += omegat.write_source(fh, (u.source for u in iter_units(store, doc, [], details=False)))
        report.files.append(path)
    tm = folder / "tm" / "auto" / "tolmach.tmx"
    with atomic_outputs([tm], force=True) as (fh,):
        writer = TmxWriter([fh], Header(src_lang=src, tgt_lang=tgt))
        for doc in docs:
            for unit in iter_units(store, doc, _filters(None, True)):
                source = omegat.one_paragraph(unit.source)
                if source:  # the same text and language as the paragraph OmegaT reads: an exact match
                    writer.write(dataclasses.replace(unit, source=source, src_lang=src))
                    report.tm_units += 1
        writer.close()
    report.files.append(tm)
    try:
        from tolmach.service.glossary import export_omegat_glossary
    except ImportError:  # pragma: no cover - glossary formats not available
        return report
    gloss = folder / "glossary" / "glossary.txt"
    report.glossary_entries = export_omegat_glossary(store, gloss, src_lang=src, tgt_lang=tgt, force=True)
    report.files.append(gloss)
    return report
