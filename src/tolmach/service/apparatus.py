"""The historian's apparatus on stored documents: source errors and readings, [sic]
notes, names, dates, archival citations, and their QA checks.

Readings are what the tools read instead of the printed text: :func:`effective_source`
(one segment) and :func:`read_segments` (many) are the single entry point machine
translation, glossary matching, translation memory and alignment use; the printed text
stays as it is in ``segments``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tolmach.model import DEFAULT_PAIR
from tolmach.apparatus import readings as rd
from tolmach.apparatus.citations import Citation
from tolmach.apparatus.dates import DateMention
from tolmach.apparatus.names import NameMention
from tolmach.errors import InputError
from tolmach.fileio import display_name
from tolmach.model import NoteKind
from tolmach.store import POSITION_GAP, Bead, Document, Meta, Note, Segment, Store
from tolmach.store.models import Reading, RevisionBead

if TYPE_CHECKING:
    from pathlib import Path

    from tolmach.apparatus.dates import DateProblem
    from tolmach.glossary.match import Hit
    from tolmach.interchange.tei import Edition
    from tolmach.qa.checks import QAWarning
    from tolmach.service.beads import BeadView
    from tolmach.service.interchange import ExportReport

# --- project settings (kept in ``meta``) -------------------------------------------------

#: Setting keys and their defaults.
SETTINGS: dict[str, str] = {
    "sic-notes": "no",  # "yes": QA asks for a [sic] note on every confirmed source error
    "sic-text": "[sic]",  # the project's convention for the editorial note
    "romanisation": "ala_lc",  # an iuliia scheme name (ala_lc, bgn_pcgn, gost_779, scientific ...)
    "citation-style": "printed",  # printed | chicago
}


def _key(name: str) -> str:
    return f"apparatus.{name}"


def get_setting(store: Store, name: str) -> str:
    if name not in SETTINGS:
        raise InputError(f"Unknown apparatus setting {name!r}; known: {', '.join(SETTINGS)}.")
    with store.read() as s:
        row = s.get(Meta, _key(name))
        return row.value if row is not None else SETTINGS[name]


def set_setting(store: Store, name: str, value: str) -> None:
    if name not in SETTINGS:
        raise InputError(f"Unknown apparatus setting {name!r}; known: {', '.join(SETTINGS)}.")
    value = value.strip()
    if name == "sic-notes" and value not in ("yes", "no"):
        raise InputError(f"sic-notes is yes or no, not {value!r}.")
    if name == "citation-style" and value not in ("printed", "chicago"):
        raise InputError(f"citation-style is printed or chicago, not {value!r}.")
    if name == "romanisation":
        from tolmach.apparatus.names import scheme

        scheme(value)  # raises InputError naming the known schemes
    with store.transaction() as s:
        s.merge(Meta(key=_key(name), value=value))


def settings(store: Store) -> dict[str, str]:
    return {name: get_setting(store, name) for name in SETTINGS}


# --- readings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentText:
    """A segment as the tools read it (same fields the MT planner uses)."""

    id: int
    position: int
    kind: str
    lang: str
    text: str  # the read text
    printed: str  # the exact printed text


def spans_of(session: Session, segment_ids: Iterable[int]) -> dict[int, list[rd.Span]]:
    ids = list(segment_ids)
    out: dict[int, list[rd.Span]] = {}
    for i in range(0, len(ids), 500):
        for r in session.scalars(select(Reading).where(Reading.segment_id.in_(ids[i : i + 500]))):
            out.setdefault(r.segment_id, []).append(rd.Span(r.start, r.end, r.sic, r.reading))
    return out


def effective_source(session: Session, segment: Segment) -> str:
    """The text the tools read for ``segment``: its printed text with confirmed readings."""
    return rd.apply(segment.text, spans_of(session, [segment.id]).get(segment.id, ())).text


def read_segments(store: Store, segments: Sequence[Segment]) -> list[SegmentText]:
    """``segments`` (same order) with their text read through the confirmed readings."""
    with store.read() as s:
        spans = spans_of(s, [seg.id for seg in segments])
    return [
        SegmentText(seg.id, seg.position, seg.kind, seg.lang, rd.apply(seg.text, spans.get(seg.id, ())).text, seg.text)
        for seg in segments
    ]


def read_bead(session: Session, document_id: int, src_start: int, src_end: int) -> rd.ReadText:
    """A bead's source (segments joined by a space, as ``BeadView.source``) read through
    its readings, with the map back to the printed text."""
    segs = list(
        session.scalars(
            select(Segment)
            .where(Segment.document_id == document_id, Segment.position >= src_start, Segment.position < src_end)
            .order_by(Segment.position)
        )
    )
    spans = spans_of(session, [seg.id for seg in segs])
    shifted: list[rd.Span] = []
    offset = 0
    parts = []
    for seg in segs:
        shifted += [rd.Span(sp.start + offset, sp.end + offset, sp.sic, sp.reading) for sp in spans.get(seg.id, ())]
        parts.append(seg.text)
        offset += len(seg.text) + 1
    return rd.apply(" ".join(parts), shifted)


def read_sources(store: Store, view: BeadView) -> tuple[str, ...]:
    """A :class:`~tolmach.service.beads.BeadView`'s source sentences as the tools read them."""
    with store.read() as s:
        segs = list(
            s.scalars(
                select(Segment)
                .where(Segment.document_id == view.document_id, Segment.position >= view.src_start, Segment.position < view.src_end)
                .order_by(Segment.position)
            )
        )
        spans = spans_of(s, [seg.id for seg in segs])
    return tuple(rd.apply(seg.text, spans.get(seg.id, ())).text for seg in segs)


def hits_for_bead(store: Store, view: BeadView, langs: tuple[str, str] = DEFAULT_PAIR) -> list[Hit]:
    """Glossary hits of a bead found in its *read* source, with spans on the printed
    ``view.source`` (so ``Соверского Союза`` read ``Советского`` matches ``Советский Союз``)."""
    from dataclasses import replace

    from tolmach.service.glossary import hits_for_text

    with store.read() as s:
        read = read_bead(s, view.document_id, view.src_start, view.src_end)
    if not read.edits:
        return hits_for_text(store, view.source, *langs)
    out = []
    for h in hits_for_text(store, read.text, *langs):
        a, b = read.span_to_source(h.start, h.end)
        out.append(replace(h, start=a, end=b, surface=view.source[a:b]))
    return out


def _document(session: Session, ref: str | int) -> Document:
    from tolmach.service.documents import find_document

    return find_document(session, ref)


def _segment_at(session: Session, document_id: int, position: int) -> Segment:
    seg = session.scalar(select(Segment).where(Segment.document_id == document_id, Segment.position == position))
    if seg is None:
        raise InputError(f"The document has no segment {position + 1}.")
    return seg


def add_reading(
    store: Store, document: str | int, position: int, start: int, end: int, reading: str, *, reason: str = ""
) -> int:
    """Confirm that ``text[start:end]`` of segment ``position`` (0-based) reads ``reading``."""
    reading = reading.strip()
    if not reading:
        raise InputError("A reading needs some text.")
    with store.transaction() as s:
        doc = _document(s, document)
        seg = _segment_at(s, doc.id, position)
        if not (0 <= start < end <= len(seg.text)):
            raise InputError(f"Characters {start}–{end} are outside segment {position + 1}.")
        sic = seg.text[start:end]
        for other in s.scalars(select(Reading).where(Reading.segment_id == seg.id)):
            if other.start < end and start < other.end:
                s.delete(other)  # a new reading of the same word replaces the old one
        s.flush()
        row = Reading(
            document_id=doc.id, segment_id=seg.id, start=start, end=end, sic=sic, reading=reading,
            reason=reason, author=s.info.get("author", ""),
        )
        s.add(row)
        s.flush()
        return row.id


def remove_reading(store: Store, reading_id: int) -> None:
    with store.transaction() as s:
        if s.execute(delete(Reading).where(Reading.id == reading_id)).rowcount == 0:  # type: ignore[attr-defined]
            raise InputError(f"There is no reading with id {reading_id}.")


@dataclass(frozen=True)
class ReadingView:
    id: int
    position: int  # segment position (0-based)
    bead_number: int
    start: int
    end: int
    sic: str
    reading: str
    reason: str
    author: str


def _bead_numbers(session: Session, document_id: int) -> dict[int, int]:
    """Segment position → the number of the bead that holds it."""
    out = {}
    rows = session.execute(
        select(Bead.src_start, Bead.src_end).where(Bead.document_id == document_id).order_by(Bead.position)
    )
    for number, (start, end) in enumerate(rows, 1):
        for p in range(start, end):
            out[p] = number
    return out


def list_readings(store: Store, document: str | int) -> list[ReadingView]:
    with store.read() as s:
        doc = _document(s, document)
        rows = s.execute(
            select(Reading, Segment.position)
            .join(Segment, Reading.segment_id == Segment.id)
            .where(Reading.document_id == doc.id)
            .order_by(Segment.position, Reading.start)
        ).all()
        numbers = _bead_numbers(s, doc.id)
        return [
            ReadingView(r.id, pos, numbers.get(pos, 0), r.start, r.end, r.sic, r.reading, r.reason, r.author)
            for r, pos in rows
        ]


# --- source errors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorFinding:
    """A probable misprint of a stored segment; ``confirmed`` once a reading records it."""

    position: int  # segment position (0-based)
    bead_number: int
    start: int
    end: int
    word: str
    reading: str
    reason: str
    confirmed: bool


def _source_lang_segments(session: Session, doc: Document) -> list[Segment]:
    return [
        seg
        for seg in session.scalars(select(Segment).where(Segment.document_id == doc.id).order_by(Segment.position))
        if seg.lang.split("-")[0] == "ru"
    ]


def find_source_errors(store: Store, document: str | int) -> list[ErrorFinding]:
    """Probable misprints of a document's Russian segments, with their readings (those
    already confirmed are included with ``confirmed=True``)."""
    from tolmach.apparatus.errors import document_lemmas, find_errors

    with store.read() as s:
        doc = _document(s, document)
        segs = _source_lang_segments(s, doc)
        spans = spans_of(s, [seg.id for seg in segs])
        lemmas = document_lemmas(seg.text for seg in segs)
        numbers = _bead_numbers(s, doc.id)
        out = []
        for seg in segs:
            confirmed = {(sp.start, sp.end): sp.reading for sp in spans.get(seg.id, ())}
            for e in find_errors(seg.text, lemmas):
                out.append(
                    ErrorFinding(
                        seg.position, numbers.get(seg.position, 0), e.start, e.end, e.word,
                        confirmed.get((e.start, e.end), e.reading), e.reason, (e.start, e.end) in confirmed,
                    )
                )
        return out


def confirm_errors(store: Store, document: str | int, words: Sequence[str] | None = None) -> list[ErrorFinding]:
    """Confirm the detector's readings (all, or those of the given printed words) in one
    transaction; returns what was newly confirmed.  A named word that is not a probable
    misprint of the document is refused before anything is written."""
    wanted = {w.lower() for w in words} if words else None
    found = find_source_errors(store, document)
    if wanted:
        missing = wanted - {f.word.lower() for f in found}
        if missing:
            raise InputError(f"No probable source error {', '.join(sorted(missing))} in this document.")
    todo = [f for f in found if not f.confirmed and (wanted is None or f.word.lower() in wanted)]
    with store.transaction() as s:
        doc = _document(s, document)
        for f in todo:
            seg = _segment_at(s, doc.id, f.position)
            s.add(Reading(document_id=doc.id, segment_id=seg.id, start=f.start, end=f.end, sic=f.word,
                          reading=f.reading, reason=f.reason, author=s.info.get("author", "")))
    return todo


def add_sic_note(store: Store, bead_id: int, anchor: str, text: str | None = None) -> int:
    """Attach the project's editorial note (``[sic]`` by default) to a target word."""
    from tolmach.service.beads import bead_number
    from tolmach.service.notes import add_note

    with store.read() as s:
        bead = s.get(Bead, bead_id)
        if bead is None:
            raise InputError(f"There is no bead with id {bead_id}.")
        if anchor and anchor not in bead.target:
            raise InputError(f"{anchor!r} is not in the translation of bead {bead_number(s, bead)}.")
    return add_note(store, bead_id, text or get_setting(store, "sic-text"), kind=NoteKind.EDITORIAL, anchor=anchor)


# --- QA ----------------------------------------------------------------------------------------

#: QA codes of the apparatus (documented in docs/edition.md).
SOURCE_ERROR = "source-error"
SIC_MISSING = "sic-note-missing"
NAME_RENDERING = "name-rendering"
DATE_DAY = "date-day-mismatch"


@dataclass
class ApparatusReport:
    """Per-bead warnings of the apparatus checks, by bead id."""

    warnings: dict[int, list[QAWarning]] = field(default_factory=dict)

    def add(self, bead_id: int, warning: QAWarning) -> None:
        self.warnings.setdefault(bead_id, []).append(warning)


def check_document(store: Store, document_id: int) -> dict[int, list[QAWarning]]:
    """Apparatus QA for every bead of a document: unconfirmed source errors, confirmed
    errors without a [sic] note (when the project asks for them), names not rendered by
    their authority form or the scheme, and dates whose day differs in the target."""
    from tolmach.qa.checks import QAWarning
    from tolmach.service.beads import load_beads

    beads = load_beads(store, document_id)
    report = ApparatusReport()
    by_position: dict[int, tuple[int, int]] = {}  # segment position → (bead id, offset in bead.source)
    for b in beads:
        off = 0
        for k, text in enumerate(b.sources):
            by_position[b.src_start + k] = (b.id, off)
            off += len(text) + 1
    want_sic = get_setting(store, "sic-notes") == "yes"
    for f in find_source_errors(store, document_id):
        bead_id, off = by_position.get(f.position, (None, 0))
        if bead_id is None:
            continue
        if not f.confirmed:
            report.add(
                bead_id,
                QAWarning(SOURCE_ERROR, f"Probable misprint {f.word!r} in the source, read {f.reading!r}; confirm the reading.",
                          (off + f.start, off + f.end), "source"),
            )
    if want_sic:
        sic = get_setting(store, "sic-text")
        views = list_readings(store, document_id)
        by_pos: dict[int, list[ReadingView]] = {}
        for v in views:
            by_pos.setdefault(v.position, []).append(v)
        with store.read() as s:
            for bead in beads:
                mine = [v for p in range(bead.src_start, bead.src_end) for v in by_pos.get(p, ())]
                if not mine or not bead.target.strip():
                    continue
                notes = s.scalars(
                    select(Note)
                    .join(Segment, Note.segment_id == Segment.id)
                    .where(Segment.document_id == document_id, Segment.position >= bead.src_start, Segment.position < bead.src_end)
                ).all()
                have = sum(1 for n in notes if sic.lower() in n.text.lower())
                for v in mine[have:]:  # one note per confirmed error of the bead
                    report.add(
                        bead.id,
                        QAWarning(SIC_MISSING, f"The source error {v.sic!r} (read {v.reading!r}) has no {sic} note in the translation."),
                    )
    year = dateline_year(store, document_id)
    for bead in beads:
        if not bead.sources or not bead.target.strip():
            continue
        for p in check_dates(bead.source, bead.target, year):
            if p.kind in ("day", "year"):
                span = (p.source.start, p.source.end)
                report.add(bead.id, QAWarning(DATE_DAY, p.message, span, "source"))
    for bead_id, w in name_warnings(store, document_id, beads):
        report.add(bead_id, w)
    return report.warnings


# --- dates ------------------------------------------------------------------------------------


def dateline_year(store: Store, document: str | int) -> int | None:
    """The year of a document's dateline (``гор. Москва, 24 августа 1968 года``), else of
    the last dated segment of the document; None when nothing is dated."""
    from tolmach.apparatus.dates import dateline_year as year_of
    from tolmach.model import SegmentKind

    with store.read() as s:
        doc = _document(s, document)
        segs = list(s.scalars(select(Segment).where(Segment.document_id == doc.id).order_by(Segment.position)))
    for kinds in ((SegmentKind.DATELINE.value,), (SegmentKind.SIGNATURE.value, SegmentKind.BODY.value)):
        for seg in reversed(segs):
            if seg.kind in kinds and (y := year_of(seg.text)) is not None:
                return y
    return None


def document_dates(store: Store, document: str | int) -> list[tuple[int, DateMention]]:
    """``(segment position, date)`` of every date in a document's Russian segments."""
    from tolmach.apparatus.dates import find_dates

    year = dateline_year(store, document)
    with store.read() as s:
        doc = _document(s, document)
        segs = _source_lang_segments(s, doc)
    return [(seg.position, d) for seg in segs for d in find_dates(seg.text, year)]


def check_dates(source: str, target: str, year: int | None) -> list[DateProblem]:
    from tolmach.apparatus.dates import check_dates as check

    return check(source, target, year)


# --- names --------------------------------------------------------------------------------------

#: Glossary entry types that hold authority forms of names.
AUTHORITY_TYPES = frozenset({"person", "place", "name"})


def authority_forms(store: Store, src_lang: str = DEFAULT_PAIR[0], tgt_lang: str = DEFAULT_PAIR[1]) -> dict[str, str]:
    """Authority forms from the glossary: the lower-case nominative → the form to print
    (entries of type ``person``, ``place`` or ``name``)."""
    from tolmach.service.glossary import list_entries

    out = {}
    for e in list_entries(store, src_lang=src_lang, tgt_lang=tgt_lang):
        if e.type in AUTHORITY_TYPES:
            out[e.term.strip().lower()] = e.preferred
    return out


@dataclass(frozen=True)
class NameView:
    position: int  # segment position
    mention: NameMention
    rendering: str  # authority form, else the scheme's
    authority: bool


def document_names(store: Store, document: str | int, scheme_name: str | None = None) -> list[NameView]:
    """Every name of a document's Russian segments with how the project renders it."""
    from tolmach.apparatus.names import find_names, render

    scheme_name = scheme_name or get_setting(store, "romanisation")
    auth = authority_forms(store)
    with store.read() as s:
        doc = _document(s, document)
        segs = _source_lang_segments(s, doc)
    out = []
    for seg in segs:
        for m in find_names(seg.text):
            out.append(NameView(seg.position, m, render(m, scheme_name, auth), m.key in auth))
    return out


def _surname_in(target: str, rendering: str) -> bool:
    from tolmach.qa.checks import find_rendering

    return find_rendering(target, rendering.split()[-1]) is not None


def name_warnings(store: Store, document_id: int, beads: Sequence[BeadView]) -> list[tuple[int, QAWarning]]:
    """People whose name the target does not give in the authority form or the scheme's."""
    from tolmach.apparatus.names import PERSON
    from tolmach.qa.checks import QAWarning

    scheme_name = get_setting(store, "romanisation")
    out = []
    by_position: dict[int, list[NameView]] = {}
    for n in document_names(store, document_id):
        if n.mention.kind == PERSON:
            by_position.setdefault(n.position, []).append(n)
    for bead in beads:
        if not bead.target.strip():
            continue
        off = 0
        for k, text in enumerate(bead.sources):
            offset, off = off, off + len(text) + 1
            for n in by_position.get(bead.src_start + k, ()):
                if _surname_in(bead.target, n.rendering):
                    continue
                start = offset + n.mention.start
                out.append((bead.id, QAWarning(
                    NAME_RENDERING,
                    f"The name {n.mention.surface!r} should be rendered {n.rendering!r}"
                    + (" (authority form)." if n.authority else f" ({scheme_name})."),
                    (start, start + len(n.mention.surface)), "source",
                )))
    return out


@dataclass(frozen=True)
class NameUse:
    lemma: str
    renderings: dict[str, list[str]]  # rendering found in a target → documents using it


def name_consistency(store: Store) -> list[NameUse]:
    """Across all documents: people rendered in more than one way in the targets (the
    forms checked are the authority form and the romanisations of every known scheme)."""
    from tolmach.apparatus.names import PERSON, SCHEMES, find_names, render
    from tolmach.service.beads import load_beads

    auth = authority_forms(store)
    with store.read() as s:
        docs = [(d.id, d.name) for d in s.scalars(select(Document).order_by(Document.id))]
    uses: dict[str, dict[str, set[str]]] = {}
    for doc_id, name in docs:
        for bead in load_beads(store, doc_id):
            if not bead.target.strip():
                continue
            for m in find_names(bead.source):
                if m.kind != PERSON:
                    continue
                forms = {render(m, sch, {}).split()[-1] for sch in SCHEMES}  # every scheme's form
                if m.key in auth:
                    forms.add(auth[m.key])
                for f in forms:
                    if _surname_in(bead.target, f):
                        uses.setdefault(m.key, {}).setdefault(f, set()).add(name)
    return [
        NameUse(lemma, {f: sorted(d) for f, d in forms.items()})
        for lemma, forms in sorted(uses.items())
        if len({f.lower() for f in forms}) > 1
    ]


# --- archival citation ----------------------------------------------------------------------------


def document_citation(store: Store, document: str | int) -> Citation | None:
    """The archival citation a document carries (its reference segment), or None."""
    from tolmach.apparatus.citations import parse
    from tolmach.model import SegmentKind

    with store.read() as s:
        doc = _document(s, document)
        refs = list(
            s.scalars(
                select(Segment)
                .where(Segment.document_id == doc.id, Segment.kind == SegmentKind.REFERENCE.value)
                .order_by(Segment.position)
            )
        )
    for seg in refs:
        c = parse(seg.text.strip().strip("()"))
        if c is not None:
            return c
    return None


def document_notes_citations(store: Store, document: str | int) -> list[tuple[int, Citation]]:
    """``(segment position, citation)`` for the archival references in a document's notes
    and reference lines (``Ibid.`` resolved)."""
    from tolmach.apparatus.citations import parse_notes
    from tolmach.model import SegmentKind

    with store.read() as s:
        doc = _document(s, document)
        segs = list(
            s.scalars(
                select(Segment)
                .where(Segment.document_id == doc.id, Segment.kind.in_([SegmentKind.NOTE.value, SegmentKind.REFERENCE.value]))
                .order_by(Segment.position)
            )
        )
    found = parse_notes([seg.text.strip().strip("()") for seg in segs])
    return [(segs[i].position, c) for i, c in found]


# --- the TEI edition -------------------------------------------------------------------------------


def edition(store: Store, document: str | int, *, scheme_name: str | None = None) -> Edition:
    """A document with its whole apparatus as a :class:`tolmach.interchange.tei.Edition`:
    segments with readings (and unconfirmed probable misprints), names and dates; beads
    with targets, provenance and notes; the archival citation in the chosen forms."""
    from tolmach.apparatus.citations import cite
    from tolmach.apparatus.dates import find_dates
    from tolmach.interchange import tei
    from tolmach.service.beads import load_beads

    scheme_name = scheme_name or get_setting(store, "romanisation")
    with store.read() as s:
        doc = _document(s, document)
        doc_id, title, src_lang, tgt_lang = doc.id, doc.name, doc.source_lang, doc.target_lang
        segs = list(s.scalars(select(Segment).where(Segment.document_id == doc_id).order_by(Segment.position)))
        readings = list(s.scalars(select(Reading).where(Reading.document_id == doc_id)))
        notes = s.execute(
            select(Note, Segment.position).join(Segment, Note.segment_id == Segment.id)
            .where(Note.document_id == doc_id).order_by(Segment.position, Note.id)
        ).all()
    year = dateline_year(store, doc_id)
    ed = tei.Edition(title, src_lang, tgt_lang, scheme=scheme_name)
    by_pos: dict[int, tei.Segment] = {}
    for seg in segs:
        t = tei.Segment(seg.position, seg.kind, seg.lang, seg.paragraph, seg.text)
        for r in readings:
            if r.segment_id == seg.id and rd.valid(seg.text, rd.Span(r.start, r.end, r.sic, r.reading)):
                t.readings.append(tei.Reading(r.start, r.end, r.reading, True, r.author))
        if seg.lang.split("-")[0] == "ru":
            t.dates = [tei.Date(d.start, d.end, d.iso) for d in find_dates(seg.text, year)]
        ed.segments.append(t)
        by_pos[seg.position] = t
    for f in find_source_errors(store, doc_id):
        if not f.confirmed:
            by_pos[f.position].readings.append(tei.Reading(f.start, f.end, f.reading, False))
    for n in document_names(store, doc_id, scheme_name):
        m = n.mention
        by_pos[n.position].names.append(tei.Name(m.start, m.end, m.kind, m.key, n.rendering, n.authority))
    for b in load_beads(store, doc_id):
        bead_notes = [
            tei.Note(note.kind, note.anchor, note.text, note.author)
            for note, pos in notes
            if b.src_start <= pos < b.src_end
        ]
        ed.beads.append(tei.EditionBead(b.number, b.src_start, b.src_end, b.target, b.status, b.origin, b.score, b.flagged, bead_notes))
    c = document_citation(store, doc_id)
    if c is not None:
        ed.citation = tei.CitationInfo(
            c.archive, c.archive_name, c.place, c.fund, c.section, c.inventory, c.file, c.volume, c.folios, c.verso,
            cite(c, "printed"), cite(c, "chicago"),
        )
    return ed


@dataclass
class TeiExportReport:
    path: object
    documents: list[str]
    beads: int = 0
    removed_chars: int = 0


def export_tei(store: Store, document: str | int, out_path: str | Path, *, force: bool = False) -> TeiExportReport:
    """Write one document's TEI parallel edition (atomically; an existing file needs ``force``)."""
    from pathlib import Path

    from tolmach.fileio import atomic_outputs
    from tolmach.interchange.tei import write_tei

    ed = edition(store, document)
    path = Path(out_path)
    with atomic_outputs([path], force=force) as (fh,):
        removed = write_tei(fh, ed)
    return TeiExportReport(path, [ed.title], len(ed.beads), removed)


def import_tei(store: Store, path: str | Path, *, name: str | None = None) -> tuple[int, str]:
    """Create a document from a TEI edition (segments, beads, targets, provenance, notes,
    confirmed readings); returns ``(document id, name)``.  A name already in use gets a
    number, as imports do."""
    from pathlib import Path

    from tolmach.interchange.tei import read_tei
    from tolmach.service.documents import _unique_name
    from tolmach.store import Revision

    ed = read_tei(Path(path))
    with store.transaction() as s:
        taken = set(s.scalars(select(Document.name)))
        doc = Document(name=_unique_name(name or ed.title, taken), source_lang=ed.source_lang, target_lang=ed.target_lang)
        s.add(doc)
        s.flush()
        seg_rows = []
        for t in ed.segments:
            seg = Segment(document_id=doc.id, position=t.position, kind=t.kind, lang=t.lang, paragraph=t.paragraph, text=t.text)
            s.add(seg)
            seg_rows.append((t, seg))
        s.flush()
        for t, seg in seg_rows:
            for r in t.readings:
                if r.confirmed:
                    s.add(Reading(document_id=doc.id, segment_id=seg.id, start=r.start, end=r.end,
                                  sic=t.text[r.start : r.end], reading=r.reading, author=r.author))
        for b in ed.beads:
            bead = Bead(document_id=doc.id, position=(b.number - 1) * POSITION_GAP, src_start=b.src_start, src_end=b.src_end,
                        target=b.target, status=b.status or "empty", origin=b.origin, score=b.score, flagged=b.flagged)
            s.add(bead)
            s.flush()
            s.add(Revision(document_id=doc.id, bead_id=bead.id, touched=[RevisionBead(bead_id=bead.id)], action="import",
                           before=[], after=[bead.snapshot()], origin=f"tei:{display_name(Path(path).name)}",
                           author=s.info.get("author", "")))
            owner = seg_rows[b.src_start][1] if b.src_start < b.src_end else None
            for n in b.notes:
                if owner is None:
                    raise InputError(f"{path}: bead {b.number} has notes but no source sentence to keep them on.")
                s.add(Note(document_id=doc.id, segment_id=owner.id, kind=n.kind or NoteKind.IMPORTED.value,
                           anchor=n.anchor, text=n.text, author=n.author))
        return doc.id, doc.name


def export_tei_report(store: Store, document_ids: list[int] | None, out_path: str | Path, *, force: bool,
                      report: ExportReport) -> ExportReport:
    """``tolmach export --format tei``: one document's edition, reported like other exports."""
    if not document_ids or len(document_ids) != 1:
        raise InputError("A TEI edition holds one document; name exactly one.")
    done = export_tei(store, document_ids[0], out_path, force=force)
    report.units = done.beads
    report.documents = done.documents
    report.removed_chars = done.removed_chars
    if done.removed_chars:
        from tolmach.service.notices import Notice, NoticeKind

        report.notices.append(Notice(NoticeKind.REMOVED_CHARS, done.removed_chars))
    return report


# --- notes in every export -----------------------------------------------------------------------


def note_line(kind: str, anchor: str, text: str) -> str:
    """A note as one line of an export: ``footnote [Dalea]: Mihai Dalea (1909–1980) ...``."""
    return f"{kind} [{anchor}]: {text}" if anchor else f"{kind}: {text}"


def segment_note_lines(store: Store, document_id: int) -> dict[int, list[str]]:
    """Segment position → the notes on it as export lines (``footnote [Dalea]: ...``), and the
    archival reference's citation in the project's chosen form; what every export carries."""
    out: dict[int, list[str]] = {}
    with store.read() as s:
        for note, pos in s.execute(
            select(Note, Segment.position).join(Segment, Note.segment_id == Segment.id)
            .where(Note.document_id == document_id).order_by(Segment.position, Note.id)
        ).all():
            out.setdefault(pos, []).append(note_line(note.kind, note.anchor, note.text))
        from tolmach.apparatus.citations import cite, parse
        from tolmach.model import SegmentKind

        refs = s.execute(
            select(Segment.position, Segment.text)
            .where(Segment.document_id == document_id, Segment.kind == SegmentKind.REFERENCE.value)
        ).all()
        if refs:
            style = get_setting(store, "citation-style")
            for pos, text in refs:
                c = parse(text.strip().strip("()"))
                if c is not None:
                    out.setdefault(pos, []).append(f"citation ({style}): {cite(c, style)}")
    return out


# --- one bead at a time (what a workbench key calls) --------------------------------------------


@dataclass(frozen=True)
class BeadError:
    """A probable misprint of a bead, its span on the bead's joined source (``BeadView.source``)."""

    start: int
    end: int
    word: str
    reading: str
    confirmed: bool


def bead_errors(store: Store, bead_id: int) -> list[BeadError]:
    """The probable misprints of one bead's source, for marking them in the workbench."""
    from tolmach.service.beads import get_bead

    view = get_bead(store, bead_id)
    offsets, off = {}, 0
    for k, text in enumerate(view.sources):
        offsets[view.src_start + k] = off
        off += len(text) + 1
    return [
        BeadError(offsets[f.position] + f.start, offsets[f.position] + f.end, f.word, f.reading, f.confirmed)
        for f in find_source_errors(store, view.document_id)
        if f.position in offsets
    ]


def confirm_bead(store: Store, bead_id: int) -> list[ErrorFinding]:
    """Confirm every proposed reading of one bead (the workbench's one key)."""
    from tolmach.service.beads import get_bead

    view = get_bead(store, bead_id)
    done = []
    for f in find_source_errors(store, view.document_id):
        if view.src_start <= f.position < view.src_end and not f.confirmed:
            add_reading(store, view.document_id, f.position, f.start, f.end, f.reading, reason=f.reason)
            done.append(f)
    return done
