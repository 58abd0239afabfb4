"""Aligning an existing translation into a document: file → sentences → beads in the store.

The target file goes through the same import pipeline as any document (any encoding,
PDF reflow, sentence splitting in the target language), the aligner pairs its sentences
with the document's segments, and the whole bead sequence is replaced in one journalled
transaction (:func:`~tolmach.service.beads.replace_run`), so one undo restores it.
Human work is never replaced silently: a document with edited or reviewed beads is
aligned only with ``force``, and then the old beads stay in the revision history.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tolmach.align import AlignConfig, Aligner, Text
from tolmach.align.aligner import usual_ratio
from tolmach.align.dictionary import general_dictionary
from tolmach.align.features import Cooccurrence, content_stems
from tolmach.errors import InputError, OptionError, TolmachError
from tolmach.fileio import display_name
from tolmach.model import SegmentKind, normalize_tag, same_language
from tolmach.text.sentences import split_sentences
from tolmach.service.beads import LOW_SCORE, BeadSpec, replace_run
from tolmach.service.documents import find_document, prepare_file
from tolmach.store import Bead, BeadStatus, Document, Segment, Store
from tolmach.store.models import AlignStats, TmMemory, TmUnit

if TYPE_CHECKING:
    from tolmach.align.aligner import AlignedBead
    from tolmach.align.embed import Embed
    from tolmach.mt.engine import ArgosTranslator, PivotTranslator

#: Bead statuses whose text is an aligned translation the project can learn from.
LEARN_FROM = (BeadStatus.IMPORTED.value, BeadStatus.EDITED.value, BeadStatus.REVIEWED.value)

Progress = Callable[[str], None]


@dataclass
class AlignReport:
    """What an alignment did, as counts (:func:`tolmach.wording.align_summary` words it)."""

    document: str
    target_file: str
    source_sentences: int
    target_sentences: int
    beads: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    replaced_human: int = 0
    used_mt: str = ""
    anchors: int = 0
    project_beads: int = 0
    flag_below: float = LOW_SCORE
    used_dict: str = ""


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


def _bead_rows(
    session: Session, src_lang: str, tgt_lang: str, since: dict[str, list[Any]] | None = None
) -> list[tuple[int, str, int, str | None, str]]:
    """(bead id, version, document id, source text, target text) of every learnable bead of
    the pair; the texts only for beads not already in ``since`` at the same version."""
    docs = {
        d.id
        for d in session.scalars(select(Document))
        if normalize_tag(d.source_lang) == src_lang and normalize_tag(d.target_lang) == tgt_lang
    }
    if not docs:
        return []
    beads = list(
        session.scalars(
            select(Bead).where(Bead.document_id.in_(docs), Bead.status.in_(LEARN_FROM), Bead.target != "")
        )
    )
    need = {b.document_id for b in beads if since is None or since.get(str(b.id), [None])[0] != _version(b)}
    texts: dict[int, list[str]] = {}
    for did in need:
        texts[did] = [x.text for x in session.scalars(select(Segment).where(Segment.document_id == did).order_by(Segment.position))]
    out = []
    for b in beads:
        src = " ".join(texts[b.document_id][b.src_start : b.src_end]) if b.document_id in texts else None
        out.append((b.id, _version(b), b.document_id, src, b.target))
    return out


def _version(b: Bead) -> str:
    return f"{b.updated_at.isoformat() if b.updated_at else ''}|{b.src_start}|{b.src_end}"


def project_counts(
    store: Store, src_lang: str, tgt_lang: str, *, exclude_document: int | None = None
) -> Cooccurrence:
    """What the project knows about aligning this pair: co-occurrence counts and lengths
    over every aligned bead of the database (imported, edited or reviewed) and every unit
    of the imported translation memories in the pair's languages (either way round); the
    glossary is used beside it as a dictionary.  Kept in the ``align_stats`` table and
    brought up to date incrementally: only beads added or changed since the last call are
    read, and the counts of beads changed or deleted are subtracted; only the units of
    memories imported since are read (a memory removed rebuilds the memories' share).
    ``exclude_document``: leave out the beads of the document about to be re-aligned (its
    old beads are not evidence)."""
    src_lang, tgt_lang = normalize_tag(src_lang), normalize_tag(tgt_lang)
    with store.transaction() as s:
        row = s.scalar(select(AlignStats).where(AlignStats.src_lang == src_lang, AlignStats.tgt_lang == tgt_lang))
        state = dict(row.state) if row is not None else {}
        counts = Cooccurrence.from_json(state.get("counts", {}))
        seen: dict[str, list[Any]] = dict(state.get("beads", {}))  # bead id → its JSON record
        current = _bead_rows(s, src_lang, tgt_lang, seen)
        alive = set()
        excluded = Cooccurrence()
        for bead_id, version, doc_id, src, tgt in current:
            key = str(bead_id)
            alive.add(key)
            old = seen.get(key)
            if old is not None and old[0] != version:
                counts.add_stems(old[2], old[3], old[4], old[5], -1)
                old = None
            if old is None:
                ss, ts = content_stems(src or ""), content_stems(tgt)
                old = [version, doc_id, ss, ts, len(src or ""), len(tgt)]
                counts.add_stems(ss, ts, old[4], old[5])
                seen[key] = old
            if doc_id == exclude_document:
                excluded.add_stems(old[2], old[3], old[4], old[5])
        for key in [k for k in seen if k not in alive]:  # deleted beads
            old = seen.pop(key)
            counts.add_stems(old[2], old[3], old[4], old[5], -1)
        memory, memories = _memory_counts(s, src_lang, tgt_lang, state)
        new_state = {"counts": counts.to_json(), "beads": seen, "memory": memory.to_json(), "memories": memories}
        if row is None:
            s.add(AlignStats(src_lang=src_lang, tgt_lang=tgt_lang, state=new_state))
        elif new_state != state:
            row.state = new_state
    if excluded.pairs:
        counts.update(excluded, -1)
    counts.update(memory)
    return counts


def _memory_counts(session: Session, src_lang: str, tgt_lang: str, state: dict[str, Any]) -> tuple[Cooccurrence, dict[str, str]]:
    """The translation memories' share of the project counts, from ``state`` plus the
    units of memories imported since; rebuilt when a memory counted before is gone.
    A unit counts when its languages are the pair's (a unit the other way round is
    turned round); units without languages (``und``) are left out."""
    now = {str(m_id): str(at) for m_id, at in session.execute(select(TmMemory.id, TmMemory.imported_at))}
    had: dict[str, str] = dict(state.get("memories", {}))
    counts = Cooccurrence.from_json(state.get("memory", {}))
    if any(now.get(k) != v for k, v in had.items()):
        counts, had = Cooccurrence(), {}
    new = [int(k) for k in now if k not in had]
    if new:
        units = select(TmUnit.source, TmUnit.target, TmUnit.src_lang, TmUnit.tgt_lang).where(TmUnit.memory_id.in_(new))
        for source, target, sl, tl in session.execute(units):
            if same_language(sl, src_lang) and same_language(tl, tgt_lang):
                counts.add(source, target)
            elif same_language(sl, tgt_lang) and same_language(tl, src_lang):
                counts.add(target, source)
    return counts, now


#: Longest line of a sentence-per-line file (``tolmach align SRC TGT``): a longer "sentence"
#: is a running text, which the aligner would hold whole in every bead it tries.
MAX_SENTENCE_LINE = 20_000


def read_lines(path: Path) -> list[str]:
    """One sentence per line, in any common encoding; line k is sentence k (0-based)."""
    from tolmach.service.documents import read_file_bytes
    from tolmach.text.decode import decode_bytes

    text, _encoding = decode_bytes(read_file_bytes(path), str(path))
    lines = text.splitlines()
    if lines and lines[-1] == "":
        lines.pop()
    longest = max(range(len(lines)), key=lambda k: len(lines[k]), default=None)
    if longest is not None and len(lines[longest]) > MAX_SENTENCE_LINE:
        raise InputError(
            f"{path}:{longest + 1}: the line is {len(lines[longest]):,} characters long; files aligned line by line "
            f"hold one sentence per line, at most {MAX_SENTENCE_LINE:,} characters (import a running text as a document)."
        )
    return lines


def corpus_pairs(folder: Path | str, src_lang: str, tgt_lang: str, *, skip: tuple[Path, ...] = ()) -> list[tuple[Text, Text]]:
    """The document pairs of a corpus folder: ``NAME.<src>`` beside ``NAME.<tgt>``, one
    sentence per line (as `tolmach align SRC TGT` reads them).  Files in ``skip`` (the
    pair being aligned) are left out.  A folder without a single pair is an error."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of NAME.{src_lang} / NAME.{tgt_lang} files.")
    skipped = {p.resolve() for p in skip}
    out = []
    for src in sorted(folder.glob(f"*.{src_lang}")):
        tgt = src.with_suffix(f".{tgt_lang}")
        if tgt.is_file() and src.resolve() not in skipped and tgt.resolve() not in skipped:
            out.append((Text(read_lines(src)), Text(read_lines(tgt))))
    if not out and not any(folder.glob(f"*.{src_lang}")):
        raise InputError(f"{folder} holds no NAME.{src_lang} / NAME.{tgt_lang} pairs of files.")
    return out


@dataclass
class FilesAlignment:
    beads: list[AlignedBead]
    source_sentences: int
    target_sentences: int
    corpus_pairs: int = 0
    project_beads: int = 0
    glossary_pairs: int = 0
    dictionary_pairs: int = 0
    used_mt: str = ""
    used_dict: str = ""


def align_files(
    store: Store | None,
    src_path: Path | str,
    tgt_path: Path | str,
    src_lang: str,
    tgt_lang: str,
    *,
    corpus: Path | str | None = None,
    use_db: bool = False,
    use_glossary: bool = True,
    use_mt: bool = True,
    use_embed: bool = False,
    dictionaries: Sequence[Path | str] = (),
    use_dict: bool = True,
    config: AlignConfig | None = None,
    on_progress: Progress | None = None,
) -> FilesAlignment:
    """Align two files of one sentence per line (what `tolmach align SRC TGT` does).

    The glossary of the pair is the dictionary; ``corpus``: a folder of further document
    pairs aligned together with this one, so the lexicon is learned from all of them;
    ``use_db``: the project's knowledge from the database (:func:`project_counts`);
    ``use_embed``: multilingual sentence embeddings as an extra cost term (the ``embed``
    extra, :mod:`tolmach.align.embed`); ``dictionaries``: general bilingual dictionaries
    (dictd/FreeDict or TSV, :mod:`tolmach.align.dictionary`) beside the glossary; without
    them the installed FreeDict dictionary of the pair is used unless ``use_dict`` is
    false (:func:`general_dictionary`)."""
    src_path, tgt_path = Path(src_path), Path(tgt_path)
    src, tgt = read_lines(src_path), read_lines(tgt_path)
    pairs = corpus_pairs(corpus, src_lang, tgt_lang, skip=(src_path, tgt_path)) if corpus is not None else []
    dictionary = glossary_pairs(store, src_lang, tgt_lang) if (store is not None and use_glossary) else []
    texts = [(s.sentences, t.sentences) for s, t in pairs] + [(src, tgt)]
    general, used_dict = general_dictionary(dictionaries, use_dict, src_lang, tgt_lang, texts, on_progress)
    project = project_counts(store, src_lang, tgt_lang) if (store is not None and use_db) else None
    translator = mt_translator(src_lang, tgt_lang) if use_mt else None
    aligner = Aligner(
        config,
        dictionary=dictionary,
        general=general,
        translate=translator.translate if translator is not None else None,
        project=project,
        ratio=project.ratio if project is not None and project.ratio else usual_ratio(src_lang, tgt_lang),
        embed=_encoder() if use_embed else None,
    )
    beads = aligner.align_many([*pairs, (Text(src), Text(tgt))])[-1]
    return FilesAlignment(
        beads, len(src), len(tgt), corpus_pairs=len(pairs), project_beads=project.pairs if project else 0,
        glossary_pairs=len(dictionary), dictionary_pairs=len(general), used_mt=translator.origin if translator is not None else "",
        used_dict=used_dict,
    )


def _encoder() -> Embed:
    from tolmach.align.embed import encoder

    return encoder()


def mt_translator(src_lang: str, tgt_lang: str) -> ArgosTranslator | PivotTranslator | None:
    """The installed MT package for the pair, or None (alignment works without it)."""
    from tolmach.service.translation import translator_for

    try:
        return translator_for(src_lang, tgt_lang)
    except TolmachError:
        return None


def _norm(text: str) -> str:
    return " ".join(text.split())


def _digits(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", text))


def _find_run(sentences: list[str], text: str, start: int = 0) -> tuple[int, int] | None:
    """The one run of consecutive sentences whose joined text is ``text`` (spacing aside)."""
    want = _norm(text)
    found = None
    for i in range(start, len(sentences)):
        joined = ""
        for j in range(i, len(sentences)):
            joined = _norm(f"{joined} {sentences[j]}")
            if joined == want:
                if found is not None:
                    return None  # ambiguous
                found = (i, j + 1)
            if len(joined) >= len(want):
                break
    return found


def _in_order(anchors: list[tuple[range, range, object]]) -> list[tuple[range, range, object]]:
    """The anchors that keep both sides in order (earliest first; a clash drops the later)."""
    out: list[tuple[range, range, object]] = []
    for a in sorted(anchors, key=lambda x: (x[0].start, x[1].start)):
        if not out or (a[0].start >= out[-1][0].stop and a[1].start >= out[-1][1].stop):
            out.append(a)
    return out


def align_document(
    store: Store,
    document: str | int,
    target_path: Path | str | None = None,
    *,
    force: bool = False,
    use_mt: bool = True,
    use_db: bool = True,
    use_embed: bool = False,
    dictionaries: Sequence[Path | str] = (),
    use_dict: bool = True,
    on_progress: Progress | None = None,
) -> AlignReport:
    """Replace a document's beads by an alignment of its segments with a translation.

    ``target_path``: a translation file; without it the document's own target text is
    re-aligned (InterText's "realign": the English the beads hold now, split into
    sentences).  Anchors stay fixed and only the stretches between them are aligned:
    beads confirmed by a reviewer (when their text is found in the translation),
    archival references (a reference segment whose numbers occur in exactly one target
    sentence) and paragraph boundaries both sides share.  ``use_db``: learn from the
    rest of the project (every other aligned document of the pair); ``dictionaries``:
    general bilingual dictionaries beside the glossary (dictd/FreeDict or TSV); without them
    the installed FreeDict dictionary of the pair unless ``use_dict`` is false."""
    note = on_progress or (lambda _msg: None)
    with store.read() as s:
        doc = find_document(s, document)
        doc_id, name, src_lang, tgt_lang = doc.id, doc.name, doc.source_lang, doc.target_lang
        segs = list(s.scalars(select(Segment).where(Segment.document_id == doc_id).order_by(Segment.position)))
        old_beads = list(s.scalars(select(Bead).where(Bead.document_id == doc_id).order_by(Bead.position)))
    if not segs:
        raise InputError(f'Document "{name}" has no segments to align.')
    confirmed = [b for b in old_beads if b.status == BeadStatus.REVIEWED.value and b.target.strip()]
    anchors: list[tuple[range, range, object]] = []
    if target_path is None:
        label = "its own translation"
        sentences: list[str] = []
        paragraphs = None
        for b in old_beads:
            run = split_sentences(b.target, tgt_lang) if b.target.strip() else []
            first = len(sentences)
            sentences.extend(run)
            if b in confirmed and run and b.src_end > b.src_start:
                anchors.append((range(b.src_start, b.src_end), range(first, len(sentences)), b))
        if not sentences:
            raise InputError(f'"{name}" holds no translation to re-align; give a translation file.')
    else:
        target_path = Path(target_path)
        label = display_name(target_path.name)
        note(f"reading {label}")
        sentences, paragraphs = read_target(target_path, tgt_lang)
        if not sentences:
            raise InputError(f"{target_path} holds no sentences to align.")
        for b in confirmed:
            at = _find_run(sentences, b.target)
            if at is not None and b.src_end > b.src_start:
                anchors.append((range(b.src_start, b.src_end), range(*at), b))
    # archival references: numbers that occur in one target sentence only
    by_digits: dict[tuple[str, ...], list[int]] = {}
    for j, sent in enumerate(sentences):
        by_digits.setdefault(_digits(sent), []).append(j)
    for i, seg in enumerate(segs):
        key = _digits(seg.text)
        if seg.kind == SegmentKind.REFERENCE.value and len(key) >= 2 and len(by_digits.get(key, [])) == 1:
            anchors.append((range(i, i + 1), range(by_digits[key][0], by_digits[key][0] + 1), None))
    anchors = _in_order(anchors)
    kept = {id(a[2]) for a in anchors if a[2] is not None}
    human = sum(1 for b in old_beads if BeadStatus(b.status).is_human and b.target.strip() and id(b) not in kept)
    if human and not force:
        raise OptionError(
            '"{name}" has {human} bead(s) translated or reviewed by a person; aligning would replace them, '
            "so nothing was changed (use {option} to replace them; they stay in the revision history).", "force",
            name=name, human=human
        )

    translate = None
    report = AlignReport(name, label, len(segs), len(sentences), replaced_human=human, anchors=len(anchors))
    if use_mt:
        translator = mt_translator(src_lang, tgt_lang)
        if translator is not None:
            note(f"machine-translating {len(segs)} segments as alignment evidence")
            translate = translator.translate
            report.used_mt = translator.origin
    project = project_counts(store, src_lang, tgt_lang, exclude_document=doc_id) if use_db else None
    report.project_beads = project.pairs if project is not None else 0
    note(f"aligning {len(segs)} segments with {len(sentences)} sentences")
    from tolmach.service.apparatus import read_segments

    read = [r.text for r in read_segments(store, segs)]  # confirmed readings of misprints, not the printed text
    general, report.used_dict = general_dictionary(dictionaries, use_dict, src_lang, tgt_lang, [(read, sentences)], note)
    aligner = Aligner(
        dictionary=glossary_pairs(store, src_lang, tgt_lang),
        general=general,
        translate=translate,
        project=project,
        ratio=project.ratio if project is not None and project.ratio else usual_ratio(src_lang, tgt_lang),
        embed=_encoder() if use_embed else None,
    )
    report.flag_below = aligner.config.flag_below
    beads = aligner.align_many(
        [(Text(read, [x.paragraph for x in segs]), Text(sentences, paragraphs))],
        [[(list(a), list(b)) for a, b, _ in anchors]],
    )[0]
    fixed = {(tuple(a), tuple(b)): old for a, b, old in anchors}

    origin = f"file:{label}" if target_path is not None else "realign"
    specs: list[BeadSpec] = []
    pos = 0
    for bead in beads:
        start = bead.src[0] if bead.src else pos
        end = bead.src[-1] + 1 if bead.src else pos
        pos = end
        old = fixed.get((bead.src, bead.tgt))
        if isinstance(old, Bead):  # a confirmed bead stays as it is
            specs.append(BeadSpec(start, end, old.target, old.status, old.origin, old.score, old.flagged))
            report.shapes[f"{len(bead.src)}:{len(bead.tgt)}"] += 1
            continue
        text = " ".join(sentences[j] for j in bead.tgt)
        # a segment in another language (an archival reference) is expected to stay untranslated
        foreign = not bead.tgt and all(segs[i].lang != src_lang for i in bead.src)
        flagged = bead.score < aligner.config.flag_below and not foreign
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
    # what the search needed is not needed to save: a long document's text, features and
    # rows go before its beads and their revision are written (several copies of the text)
    del segs, old_beads, confirmed, anchors, fixed, read, beads, sentences, aligner, project, translate
    with store.transaction() as s:
        old = list(s.scalars(select(Bead).where(Bead.document_id == doc_id).order_by(Bead.position)))
        replace_run(s, doc_id, old, specs, action="align", origin=origin, start=0, returning=False)
    report.beads = len(specs)
    return report
