"""Machine drafts for beads: a whole document in committed batches, or one bead.

The model runs *outside* any transaction (it is the slow part); each batch's drafts are then
written in one short transaction through the revision journal.  Before writing, every bead
is re-read and skipped if someone changed it while the model was busy, so a front-end may
keep editing during a run.  Interrupting (Ctrl-C, or the ``cancel`` Event set by the TUI)
loses only the batch in flight; a rerun picks up the beads that are still empty.

Model batches and save batches are decoupled: the engine streams each sentence back as
its batch finishes (several batches decode at once), and drafts are saved every
``batch_size`` finished beads.  The first ``FIRST_BEADS`` beads of the document go to the
model first, in small batches of their own, and are saved the moment they are done, so a
first draft appears within a second of the model being ready.

A pair without a package of its own is translated through a pivot language when two
installed packages chain (ro→en, en→ru); the drafts' origin names both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from tolmach.errors import InputError, ModelError, OptionError, UnknownDocument
from tolmach.model import LanguageTagError, same_language
from tolmach.mt.engine import StreamingTranslator, Translator
from tolmach.service.beads import BeadView, get_bead, lock_beads, write_target
from tolmach.store import Bead, BeadStatus, Document, Segment, Store

if TYPE_CHECKING:
    from tolmach.mt.engine import ArgosTranslator, PivotTranslator, Warm
    from tolmach.service.apparatus import SegmentText
    from tolmach.mt.packages import Route

#: Beads per committed batch: big enough for CTranslate2 to batch well, small enough
#: that an interruption loses little and progress moves often.
BATCH_BEADS = 32
#: Beads (from the document's start) drafted first and saved on their own: the first draft.
FIRST_BEADS = 2

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class _Planned:
    bead_id: int
    src_start: int
    src_end: int
    target: str
    status: str
    texts: tuple[str, ...]  # the bead's source segments
    translate: tuple[bool, ...]  # which of them are in the source language


@dataclass
class TranslationReport:
    """What a run did, as counts (:func:`tolmach.wording.translation_summary` words it)."""

    document: str
    pair: str
    origin: str = ""
    beads: int = 0  # beads in the document
    planned: int = 0  # beads this run set out to draft
    translated: int = 0
    skipped_other_language: int = 0  # no segment in the source language (references ...)
    kept_machine: int = 0  # machine drafts left alone (not asked to overwrite them)
    kept_human: int = 0  # edited/reviewed/imported targets left alone (not forced)
    changed_meanwhile: int = 0  # edited by someone else during the run, left alone
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        return not self.cancelled and self.translated + self.changed_meanwhile >= self.planned

    @property
    def source_lang(self) -> str:
        return self.pair.split("→")[0]


def _may_replace(status: str, target: str, *, overwrite: bool, force: bool) -> str | None:
    """None if the bead may be drafted, else which 'kept' counter it belongs to."""
    if not target.strip() or status == BeadStatus.EMPTY.value:
        return None
    if force:
        return None
    if status == BeadStatus.MACHINE.value:
        return None if overwrite else "kept_machine"
    return "kept_human"


def _load(store: Store, document_id: int) -> tuple[Document, list[Bead], list[Segment]]:
    with store.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise UnknownDocument(document_id)
        segs = list(s.scalars(select(Segment).where(Segment.document_id == document_id).order_by(Segment.position)))
        beads = list(s.scalars(select(Bead).where(Bead.document_id == document_id).order_by(Bead.position)))
        s.expunge_all()
        return doc, beads, segs


def _in_language(lang: str | None, source_lang: str) -> bool:
    """Whether a segment tagged ``lang`` is in the document's source language.

    Tags are compared as languages (``zh-cn`` is ``zh-Hans`` is ``zh``; ``ru-RU`` is ``ru``).
    """
    if not lang or lang == "und":
        return False
    if lang == source_lang:
        return True
    try:
        return same_language(lang, source_lang)
    except LanguageTagError:
        return False


def _plan_one(bead: Bead, segs: Sequence[SegmentText], source_lang: str) -> _Planned | None:
    run = segs[bead.src_start : bead.src_end]
    flags = tuple(_in_language(seg.lang, source_lang) and bool(seg.text.strip()) for seg in run)
    if not any(flags):
        return None
    return _Planned(bead.id, bead.src_start, bead.src_end, bead.target, bead.status, tuple(x.text for x in run), flags)


def _join(plan: _Planned, translated: Sequence[str]) -> str:
    """A bead's draft: its translated segments, other-language ones (references) as they are."""
    done = iter(translated)
    parts = [next(done) if ok else text for text, ok in zip(plan.texts, plan.translate)]
    return " ".join(x.strip() for x in parts if x.strip())


def _drafts(translator: Translator, plans: Sequence[_Planned]) -> list[str]:
    """Translate every source-language segment of the planned beads in one model call."""
    wanted = [text for p in plans for text, ok in zip(p.texts, p.translate) if ok]
    done = iter(translator.translate(wanted))
    out = []
    for p in plans:
        out.append(_join(p, [next(done) for ok in p.translate if ok]))
    return out


def _batching_order(translator: Translator, plans: list[_Planned]) -> list[_Planned]:
    """Plans ordered so each committed batch holds sentences of few distinct lengths.

    The engine batches only equal-length sentences (padding would change its output), so
    batches cut from the document in length order are fuller and faster; each batch is
    still committed on its own, so Ctrl-C and resuming work as before.
    """
    length: Callable[[str], int] | None = getattr(translator, "token_count", None)
    if length is None:
        return plans

    def key(plan: _Planned) -> int:
        return max((length(t) for t, ok in zip(plan.texts, plan.translate) if ok), default=0)

    return sorted(plans, key=key)


def _write(store: Store, plans: Sequence[_Planned], drafts: Sequence[str], origin: str) -> tuple[int, int]:
    """Write one batch in one transaction; beads changed since planning are left alone."""
    written = changed = 0
    with store.transaction() as s:
        lock_beads(s, [p.bead_id for p in plans])  # a person's save in between is seen, not overwritten
        for plan, draft in zip(plans, drafts):
            bead = s.get(Bead, plan.bead_id)
            if (
                bead is None
                or (bead.src_start, bead.src_end, bead.target, bead.status)
                != (plan.src_start, plan.src_end, plan.target, plan.status)
            ):
                changed += 1
                continue
            if not draft.strip():  # the model produced nothing: leave the bead empty
                continue
            write_target(s, bead, draft, status=BeadStatus.MACHINE, origin=origin, action="machine")
            written += 1
    return written, changed


def _check_pair(doc: Document) -> None:
    if doc.source_lang in ("", "und"):
        raise OptionError(
            'The source language of "{name}" is undetermined; import it again with {option} CODE to translate it.', "lang",
            name=doc.name
        )
    if doc.source_lang == doc.target_lang:
        raise InputError(f'"{doc.name}" is already in {doc.target_lang}, the target language; there is nothing to translate.')


def route_for_document(store: Store, document_id: int) -> Route:
    """How this document would be drafted: a :class:`~tolmach.mt.packages.Route` of one
    package or two chained through a pivot (ModelError naming what to install).

    Cheap: reads metadata only, loads no model; front-ends use it to enable a translate action.
    """
    from tolmach.mt.packages import find_route

    with store.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise UnknownDocument(document_id)
        _check_pair(doc)
        pair = (doc.source_lang, doc.target_lang)
    return find_route(*pair)


#: Old name, kept for front-ends: returns the route (truthy when the document can be drafted).
package_for_document = route_for_document


def translator_for(source_lang: str, target_lang: str) -> ArgosTranslator | PivotTranslator:
    """The cached translator for a pair, direct or through a pivot (ModelError if none)."""
    from tolmach.mt.engine import translator_for_route
    from tolmach.mt.packages import find_route

    return translator_for_route(find_route(source_lang, target_lang).packages)


def warm_translator(store: Store, document_id: int) -> Warm:
    """Start loading this document's model in the background; returns an ``engine.Warm``.

    The workbench calls it when a document opens and keeps the object: the model stays
    loaded (once per process) while the workbench is open, and ``translate_document``
    accepts ``translator=warm.get()``.
    """
    from tolmach.mt.engine import Warm

    return Warm(route_for_document(store, document_id).packages).start()


def translate_document(
    store: Store,
    document_id: int,
    *,
    overwrite: bool = False,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    batch_size: int = BATCH_BEADS,
    translator: Translator | Warm | None = None,
    mode: str = "identical",
    first_beads: int = FIRST_BEADS,
) -> TranslationReport:
    """Fill a document's beads with machine drafts, committing every ``batch_size`` beads.

    Empty beads are drafted; ``overwrite`` also replaces machine drafts; ``force`` also
    replaces human and imported translations (the old text stays in the revision history).
    ``on_progress(done, total)`` is called after each committed batch (and once at 0);
    setting ``cancel`` stops after the batch in flight is saved.  ``mode`` is the engine's
    (``identical``: drafts exactly as argostranslate gives them; ``fast``: padded batches,
    see docs/mt.md).  ``translator`` may be any object with ``origin`` and
    ``translate(sentences)``; one with ``stream`` (the engine's) gets the streamed path.
    """
    from tolmach.service.apparatus import read_segments  # not on `tolmach align`'s way to an MT package

    doc, beads, printed = _load(store, document_id)
    segs = read_segments(store, printed)  # confirmed readings of misprints, not the printed text
    report = TranslationReport(document=doc.name, pair=f"{doc.source_lang}→{doc.target_lang}", beads=len(beads))
    if not segs or not beads:
        raise InputError(f'Document "{doc.name}" has no segments, so there is nothing to translate.')
    _check_pair(doc)
    plans: list[_Planned] = []
    for bead in beads:
        plan = _plan_one(bead, segs, doc.source_lang)
        if plan is None:
            if bead.src_end > bead.src_start:
                report.skipped_other_language += 1
            continue
        kept = _may_replace(bead.status, bead.target, overwrite=overwrite, force=force)
        if kept:
            setattr(report, kept, getattr(report, kept) + 1)
            continue
        plans.append(plan)
    report.planned = len(plans)
    if not plans:
        return report
    if translator is None:
        translator = translator_for(doc.source_lang, doc.target_lang)
    elif not isinstance(translator, Translator):
        translator = translator.get()  # an engine.Warm: loaded meanwhile, wait for it now
    report.origin = translator.origin
    if isinstance(translator, StreamingTranslator):
        _run_streamed(store, translator, plans, report, batch_size, first_beads, mode, on_progress, cancel)
        return report
    plans = _batching_order(translator, plans)
    done = 0
    if on_progress:
        on_progress(0, len(plans))
    for start in range(0, len(plans), max(1, batch_size)):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        batch = plans[start : start + batch_size]
        drafts = _drafts(translator, batch)
        written, changed = _write(store, batch, drafts, translator.origin)
        report.translated += written
        report.changed_meanwhile += changed
        done += len(batch)
        if on_progress:
            on_progress(done, len(plans))
    return report


def _run_streamed(
    store: Store,
    translator: StreamingTranslator,
    plans: list[_Planned],
    report: TranslationReport,
    batch_size: int,
    first_beads: int,
    mode: str,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> None:
    """Drafts streamed from the engine, saved as beads complete (head first, then batches)."""
    texts: list[str] = []
    owner: list[int] = []  # plan index per sentence sent to the model
    head = 0
    for k, plan in enumerate(plans):
        for text, ok in zip(plan.texts, plan.translate):
            if ok:
                texts.append(text)
                owner.append(k)
        if k + 1 == min(first_beads, len(plans)):
            head = len(texts)
    missing = [sum(p.translate) for p in plans]
    got: list[list[tuple[int, str]]] = [[] for _ in plans]
    head_plans = set(range(min(first_beads, len(plans))))
    ready: list[int] = []
    done = 0
    if on_progress:
        on_progress(0, len(plans))

    def save() -> None:
        nonlocal done
        if not ready:
            return
        batch = [plans[k] for k in ready]
        drafts = [_join(plans[k], [t for _, t in sorted(got[k])]) for k in ready]
        written, changed = _write(store, batch, drafts, translator.origin)
        report.translated += written
        report.changed_meanwhile += changed
        done += len(ready)
        ready.clear()
        if on_progress:
            on_progress(done, len(plans))

    results = translator.stream(texts, head=head, mode=mode)
    try:
        for i, text in results:
            k = owner[i]
            got[k].append((i, text))
            missing[k] -= 1
            if missing[k] == 0:
                ready.append(k)
                head_plans.discard(k)
                if (head and not head_plans and len(ready) and done == 0) or len(ready) >= batch_size:
                    save()
            if cancel is not None and cancel.is_set():
                save()
                report.cancelled = done < len(plans)
                return
        save()
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def translate_bead(store: Store, bead_id: int, *, force: bool = False, translator: Translator | None = None) -> BeadView:
    """Draft one bead now (replacing its machine draft); a human translation needs ``force``."""
    from tolmach.service.apparatus import read_sources

    view = get_bead(store, bead_id)
    with store.read() as s:
        doc = s.get(Document, view.document_id)
        assert doc is not None  # the bead was just read
        _check_pair(doc)
        source_lang, target_lang = doc.source_lang, doc.target_lang
    if not any(lang == source_lang for lang in view.source_langs):
        raise InputError(f"Bead {view.number} has no {source_lang} source sentence to translate.")
    kept = _may_replace(view.status, view.target, overwrite=True, force=force)
    if kept:
        raise InputError(
            f"Bead {view.number} holds a {view.status} translation; replace it with force (it stays in the history)."
        )
    if translator is None:
        translator = translator_for(source_lang, target_lang)
    plan = _Planned(
        view.id,
        view.src_start,
        view.src_end,
        view.target,
        view.status,
        read_sources(store, view),
        tuple(lang == source_lang and bool(t.strip()) for lang, t in zip(view.source_langs, view.sources)),
    )
    (draft,) = _drafts(translator, [plan])
    if not draft.strip():
        raise ModelError(f"The model {translator.origin} produced no translation for bead {view.number}.")
    written, _ = _write(store, [plan], [draft], translator.origin)
    if not written:
        raise InputError(f"Bead {view.number} changed while it was being translated; nothing was replaced.")
    return get_bead(store, bead_id)
