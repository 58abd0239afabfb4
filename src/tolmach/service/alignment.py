"""Aligning an existing translation into a document: file → sentences → beads in the store.

The target file goes through the same import pipeline as any document (any encoding,
PDF reflow, sentence splitting in the target language), the aligner pairs its sentences
with the document's segments, and the whole bead sequence is replaced in one journalled
transaction (:func:`~tolmach.service.beads.replace_run`), so one undo restores it.
Human work is never replaced silently: a document with edited or reviewed beads is
aligned only with ``force``, and then the old beads stay in the revision history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from tolmach.align import Aligner, Text
from tolmach.errors import InputError, TolmachError
from tolmach.service.beads import LOW_SCORE, BeadSpec, replace_run
from tolmach.service.documents import find_document, prepare_file
from tolmach.store import Bead, BeadStatus, Segment, Store

Progress = Callable[[str], None]


@dataclass
class AlignReport:
    document: str
    target_file: str
    source_sentences: int
    target_sentences: int
    beads: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    replaced_human: int = 0
    used_mt: str = ""

    @property
    def message(self) -> str:
        shapes = ", ".join(f"{n} × {shape}" for shape, n in self.shapes.most_common())
        parts = [
            f'Aligned "{self.document}" ({self.source_sentences} segments) with {self.target_file} '
            f"({self.target_sentences} sentences): {self.beads} beads ({shapes})"
        ]
        if self.flagged:
            parts.append(f"{self.flagged} with a score below {LOW_SCORE} flagged for review")
        if self.replaced_human:
            parts.append(f"{self.replaced_human} human translations replaced (kept in the history)")
        if self.used_mt:
            parts.append(f"machine translation by {self.used_mt} used as evidence")
        return "; ".join(parts) + "."


def read_target(path: Path | str, lang: str) -> tuple[list[str], list[int]]:
    """Sentences of a translation file and the paragraph of each (in file order)."""
    prepared = prepare_file(path, lang=lang)
    sentences: list[str] = []
    paragraphs: list[int] = []
    base = 0
    for doc in prepared.parsed.documents:
        last = 0
        for seg in doc.segments:
            if seg.text.strip():
                sentences.append(seg.text)
                paragraphs.append(base + seg.paragraph)
                last = max(last, seg.paragraph)
        base += last + 1
    return sentences, paragraphs


def glossary_pairs(store: Store, src_lang: str, tgt_lang: str) -> list[tuple[str, str]]:
    """The glossary as a bilingual dictionary: every form of a term with every rendering."""
    from tolmach.service.glossary import list_entries

    pairs = []
    for e in list_entries(store, src_lang=src_lang, tgt_lang=tgt_lang):
        for form in e.forms:
            for rendering in (e.preferred, *e.variants):
                pairs.append((form, rendering))
    return pairs


def mt_translator(src_lang: str, tgt_lang: str):
    """The installed MT package for the pair, or None (alignment works without it)."""
    from tolmach.service.translation import translator_for

    try:
        return translator_for(src_lang, tgt_lang)
    except TolmachError:
        return None


def align_document(
    store: Store,
    document: str | int,
    target_path: Path | str,
    *,
    force: bool = False,
    use_mt: bool = True,
    on_progress: Progress | None = None,
) -> AlignReport:
    """Replace a document's beads by an alignment of its segments with a translation file."""
    note = on_progress or (lambda _msg: None)
    target_path = Path(target_path)
    with store.read() as s:
        doc = find_document(s, document)
        doc_id, name, src_lang, tgt_lang = doc.id, doc.name, doc.source_lang, doc.target_lang
        segs = list(s.scalars(select(Segment).where(Segment.document_id == doc_id).order_by(Segment.position)))
        human = sum(
            1
            for b in s.scalars(select(Bead).where(Bead.document_id == doc_id))
            if BeadStatus(b.status).is_human and b.target.strip()
        )
    if not segs:
        raise InputError(f'Document "{name}" has no segments to align.')
    if human and not force:
        raise InputError(
            f'"{name}" has {human} bead(s) translated or reviewed by a person; aligning would replace them, '
            "so nothing was changed (use --force to replace them; they stay in the revision history)."
        )
    note(f"reading {target_path.name}")
    sentences, paragraphs = read_target(target_path, tgt_lang)
    if not sentences:
        raise InputError(f"{target_path} holds no sentences to align.")

    translate = None
    report = AlignReport(name, target_path.name, len(segs), len(sentences), replaced_human=human)
    if use_mt:
        translator = mt_translator(src_lang, tgt_lang)
        if translator is not None:
            note(f"machine-translating {len(segs)} segments as alignment evidence")
            translate = translator.translate
            report.used_mt = translator.origin
    note(f"aligning {len(segs)} segments with {len(sentences)} sentences")
    aligner = Aligner(dictionary=glossary_pairs(store, src_lang, tgt_lang), translate=translate)
    beads = aligner.align_many(
        [(Text([x.text for x in segs], [x.paragraph for x in segs]), Text(sentences, paragraphs))]
    )[0]

    origin = f"file:{target_path.name}"
    specs: list[BeadSpec] = []
    pos = 0
    for bead in beads:
        start = bead.src[0] if bead.src else pos
        end = bead.src[-1] + 1 if bead.src else pos
        pos = end
        text = " ".join(sentences[j] for j in bead.tgt)
        # a segment in another language (an archival reference) is expected to stay untranslated
        foreign = not bead.tgt and all(segs[i].lang != src_lang for i in bead.src)
        flagged = bead.score < LOW_SCORE and not foreign
        specs.append(
            BeadSpec(
                src_start=start,
                src_end=end,
                target=text,
                status=(BeadStatus.IMPORTED if text.strip() else BeadStatus.EMPTY).value,
                origin=origin if text.strip() else "",
                score=round(bead.score, 4),
                flagged=flagged,
            )
        )
        report.shapes[f"{len(bead.src)}:{len(bead.tgt)}"] += 1
        report.flagged += flagged
    if pos != len(segs) or any(b.src_start < a.src_end for a, b in zip(specs, specs[1:]) if b.src_end > b.src_start):
        raise InputError(f'The alignment of "{name}" does not cover its segments in order; nothing was changed.')
    note("saving the beads")
    with store.transaction() as s:
        old = list(s.scalars(select(Bead).where(Bead.document_id == doc_id).order_by(Bead.position)))
        replace_run(s, doc_id, old, specs, action="align", origin=origin, start=0)
    report.beads = len(specs)
    return report
