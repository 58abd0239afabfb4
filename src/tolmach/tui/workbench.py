"""The workbench screen: documents, bitext, editor, glossary and checks for one document.

The screen wires the widgets together and turns keys into service calls; the widgets own
their state (the bitext its rows and cursor, the editor what is typed, saving and the
autosaved draft).  Rules (filters, progress, review, undo wording) live in
:mod:`tolmach.service`.  Nothing typed lives only in memory once the cursor leaves a bead:
moving, switching documents, structural actions and quitting save the editor first and
refuse to go on if the save fails (the text stays in the editor, and in its draft).

Another process (``tolmach align``, a colleague on the same database) is noticed by
polling the document's latest revision id once a second; the rows are read again, the
cursor stays on the same sentence, and the editor keeps what is being typed.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, ProgressBar, Static, TextArea
from textual.widgets.text_area import Location

from tolmach import startup, wording
from tolmach.errors import TolmachError
from tolmach.glossary.match import Hit
from tolmach.qa.checks import QAWarning, check_pair
from tolmach.model import BeadStatus
from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadView
from tolmach.service.documents import DocumentSummary, list_documents
from tolmach.service.drafts import DraftView, drafts_in, live_draft
from tolmach.service.undo import catch_up, latest_revision, peek_undo, redo_step, undo_step
from tolmach.service.worklist import (
    FILTERS,
    Progress,
    ReviewRefused,
    changed_progress,
    document_progress,
    filter_rows,
    is_unconfirmed,
    mt_may_overwrite,
    next_matching,
    progress,
    toggle_review,
)
from tolmach.store import Store
from tolmach.tui.bitext import BitextView
from tolmach.tui.dialogs import (
    ExportRequest,
    ExportScreen,
    HelpScreen,
    Narrow,
    PickScreen,
    PromptScreen,
)
from tolmach.tui.editor import TargetEditor
from tolmach.tui.keys import ACTIONS, GLOSSARY_KEYS, bindings
from tolmach.tui.widgets.footer import KeysFooter
from tolmach.tui.widgets.memory import MemoryPanel, provenance
from tolmach.tui.messages import SaveConflict, SaveFailed
from tolmach.tui.panels import (
    DocumentList,
    InfoPanel,
    glossary_pending_text,
    glossary_text,
    qa_text,
    source_text,
    unique_hits,
)
from tolmach.tui.text import visible

if TYPE_CHECKING:  # loaded by the workers that find them
    from tolmach.service.apparatus import ErrorFinding
    from tolmach.service.notes import NoteView

T = TypeVar("T")

#: Beads read before the first screen is drawn; the rest is read in a worker just after.
FIRST_ROWS = 400
POLL_S = 1.0  # how often the document's latest revision is compared with what is shown
UNDO_CONFIRM_S = 6.0  # a second `u` within this long undoes a person's translation


class Workbench(Screen[None]):
    """Translate and review one document at a time; the store is the only state that matters."""

    BINDINGS = [*bindings("app")]
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (110, "-normal"), (150, "-wide")]

    def __init__(self, store: Store, *, document: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.documents: list[DocumentSummary] = []
        self.doc: DocumentSummary | None = None
        self.requested_document = document
        self.hits: list[Hit] = []
        self.misprints: list[ErrorFinding] = []  # the apparatus's probable misprints of the open document
        self.notes: list[NoteView] = []  # notes of the bead the hits belong to (translator's, editorial, footnotes)
        self._hits_for: int | None = None  # bead id the hits belong to
        self._looking_up: int | None = None  # bead id of the look-up under way
        #: what keys asked of the terms before they were found: (bead id, what to do then, the
        #: editor place a term goes to, if one does)
        self._after_hits: list[tuple[int, Callable[[], None], Location | None]] = []
        self.filter = "all"
        self.search_text = ""
        self.mt_cancel: threading.Event | None = None
        self.progress = Progress(0, 0, 0, 0, 0)
        self.known_revision = 0
        self.drafts: dict[int, DraftView] = {}
        self._warnings: dict[int, list[QAWarning]] = {}
        self._mt_last_reload = 0.0
        self._quit_armed = False
        self._undo_armed: tuple[int, float] | None = None
        self._panel_timer: Timer | None = None
        self._docs_timer: Timer | None = None
        self._partial = False  # only the first FIRST_ROWS beads are read yet
        self._generation = 0  # raised whenever the rows shown change structure

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="titlebar")
        with Horizontal(id="main"):
            yield DocumentList(id="docs")
            with Vertical(id="centre"):
                yield BitextView(id="bitext")
                with Horizontal(id="statusline"):
                    yield Static(id="status")
                    yield ProgressBar(id="mt-progress", show_eta=False)
                yield InfoPanel(id="source")
                yield TargetEditor(self.store, id="editor")
            with VerticalScroll(id="side"):
                yield InfoPanel(id="glossary")
                yield InfoPanel(id="qa")
                with Vertical(id="side-extra"):
                    yield MemoryPanel(self.store, id="memory")
        yield KeysFooter()

    @property
    def bitext(self) -> BitextView:
        return self.query_one(BitextView)

    @property
    def editor(self) -> TargetEditor:
        return self.query_one(TargetEditor)

    @property
    def current(self) -> BeadView | None:
        """The bead in the editor (its number corrected for rows spliced above it)."""
        return self.editor.bead

    def on_mount(self) -> None:
        self.call_after_refresh(startup.resume)  # the collector, paused by `tolmach` until the first screen
        self.bitext.may_leave = self.save_current
        self.bitext.on_cursor = self._cursor_moved
        self.bitext.need_more = self._need_all
        self.editor.on_confirm = self.confirm
        self.editor.on_saved = self.bead_saved
        self.editor.commands = self._editor_commands()
        self.query_one("#mt-progress").display = False
        from tolmach.service.glossary import ensure_loaded

        self._guard(lambda: ensure_loaded(self.store))  # bundled glossaries, once per database
        self.documents = self._guard(lambda: list_documents(self.store)) or []
        if not self.documents:
            message = f"The database {self.store.label} holds no documents: import some with `tolmach import FILE`."
            self.query_one("#source", Static).update(Text(message, style="bold"))
            self.editor.disabled = True
            self._update_titlebar()
            return
        self.open_document(self._first_document())
        self.set_focus(self.bitext)
        self.set_interval(POLL_S, self._poll)

    def _editor_commands(self) -> dict[str, Callable[[], None]]:
        """The workbench keys that work while typing, for the editor to run in order."""
        out: dict[str, Callable[[], None]] = {}
        for a in ACTIONS:
            if a.scope == "app" and a.action != "leave_editor":
                for key in a.keys.split(","):
                    out[key] = getattr(self, f"action_{a.action}")
        for i, key in enumerate(GLOSSARY_KEYS):
            out[key] = partial(self.action_insert_term, i)
        out["escape"] = self.action_leave_editor
        return out

    def _first_document(self) -> int:
        ids = [d.id for d in self.documents]
        if self.requested_document in ids:
            return self.requested_document
        for d in self.documents:  # a document to translate, not one already in the target language
            if d.source_lang != d.target_lang and d.beads:
                return d.id
        return ids[0]

    # ----------------------------------------------------------------- helpers

    def _widgets_gone(self) -> bool:
        """A worker's result arrived after the app began closing (the widgets are gone)."""
        return not self.query(TargetEditor)

    def _guard(self, call: Callable[[], T]) -> T | None:
        """Run a service call; a user-facing error becomes a notification and None."""
        try:
            return call()
        except TolmachError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return None

    def _set_status(self, message: str = "") -> None:
        parts = [f"filter: {self.filter} ({len(self.bitext.rows)})"]
        if self.search_text:
            parts.append(f"search: {visible(self.search_text)}")
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(Text("  ·  ".join(parts), style="dim"), layout=False)  # one line, 1fr wide

    def _update_titlebar(self) -> None:
        text = Text("Tolmach", style="bold")
        if self.doc is not None and self._partial:
            text.append(f"  {visible(self.doc.name)}", style="bold")
            text.append(f"  {self.doc.source_lang}→{self.doc.target_lang}  counting…")
        elif self.doc is not None:
            p = self.progress
            text.append(f"  {visible(self.doc.name)}", style="bold")
            text.append(f"  {self.doc.source_lang}→{self.doc.target_lang}")
            text.append(f"  {p.translated}/{p.segments} sentences translated ({p.ratio:.0%}) · {p.reviewed} reviewed")
            if p.flagged:
                text.append(f" · {p.flagged} need review", style="bold red")
        self.query_one("#titlebar", Static).update(text, layout=False)  # one line, the screen's width

    def _number(self, bead: BeadView) -> int:
        index = self.bitext.current
        if index is not None and self.bitext.beads[index].id == bead.id:
            return index + 1
        return bead.number

    def _renumbered(self, bead: BeadView | None) -> BeadView | None:
        """``bead`` with its position as shown (rows spliced above it shift numbers)."""
        if bead is None:
            return None
        index = self.bitext.current
        if index is not None and self.bitext.beads[index].id == bead.id and bead.position != index:
            return dataclasses.replace(bead, position=index)
        return bead

    # ---------------------------------------------------------------- documents

    def open_document(self, doc_id: int) -> None:
        if not self.save_current():
            return
        self.doc = next(d for d in self.documents if d.id == doc_id)
        self.filter = "all"
        self._warnings = {}
        self.drafts = self._guard(lambda: drafts_in(self.store, doc_id)) or {}
        self.misprints = []
        self._reload(keep=0)
        # whole-document work starts once the first screen is drawn
        self.call_after_refresh(self._find_misprints, doc_id)
        self.call_after_refresh(self._refresh_documents)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "docs" and event.option.id is not None:
            self.open_document(int(event.option.id))
            self.remove_class("show-docs")  # opened with d: it gives the side panel back
            self.set_focus(self.bitext)

    def _rows(self, beads: Sequence[BeadView]) -> list[int] | None:
        return None if self.filter == "all" else filter_rows(beads, self.filter, self._warnings)

    def _reload(self, keep: int | None = None) -> None:
        """Read the document's beads again and show them through the current filter; with
        the cursor near the start, only the first screen's worth now and the rest in a worker."""
        if self.doc is None:
            return
        doc_id = self.doc.id
        self.known_revision = self._guard(lambda: latest_revision(self.store, doc_id)) or 0
        if keep is None:
            keep = self.bitext.current if self.bitext.current is not None else 0
        limit = FIRST_ROWS + 1 if keep < FIRST_ROWS // 2 else None
        beads = self._guard(lambda: bead_service.load_beads(self.store, doc_id, limit=limit)) or []
        self._partial = len(beads) > FIRST_ROWS
        self._generation += 1
        beads = beads[:FIRST_ROWS] if self._partial else beads
        self.progress = progress(beads)
        self.editor.bead = None  # (not show(None): disabling it would take the focus away)
        self.bitext.set_beads(beads, self._rows(beads), keep=keep)
        self._after_rows_changed()
        if self._partial:
            self.call_after_refresh(self._load_rest, doc_id, self._generation, len(beads))
        else:
            _freeze()

    @work(thread=True, exclusive=True, group="rest")
    def _load_rest(self, doc_id: int, generation: int, start: int) -> None:
        """The beads after the first screen's, read off the UI thread."""
        try:
            rest = bead_service.load_beads(self.store, doc_id, start=start)
        except TolmachError:
            return  # read when a key needs them (_need_all), where an error is shown
        self.app.call_from_thread(self._rest_loaded, doc_id, generation, start, rest)

    def _rest_loaded(self, doc_id: int, generation: int, start: int, rest: list[BeadView]) -> None:
        if not self._partial or self.doc is None or self.doc.id != doc_id or self._widgets_gone():
            return
        if generation != self._generation or start != len(self.bitext.beads):  # rows changed meanwhile: again
            self._load_rest(doc_id, self._generation, len(self.bitext.beads))
            return
        self._extend(rest)

    def _extend(self, rest: list[BeadView]) -> None:
        view = self.bitext
        n = len(view.beads)
        rows = None if self.filter == "all" else [n + i for i in filter_rows(rest, self.filter, self._warnings)]
        view.extend(rest, rows)
        self._partial = False
        self._generation += 1
        self.progress = progress(view.beads)
        self._update_titlebar()
        self._set_status()
        _freeze()

    def _need_all(self) -> None:
        """Every bead of the document now (a key that needs the whole document: End, go to,
        search, filter, next unconfirmed) when only the first screen's are read yet."""
        if not self._partial or self.doc is None:
            return
        doc_id, start = self.doc.id, len(self.bitext.beads)
        rest = self._guard(lambda: bead_service.load_beads(self.store, doc_id, start=start))
        if rest is not None:
            self._extend(rest)

    def _after_rows_changed(self) -> None:
        if not self.bitext.rows:
            self._show_bead(None)
        self._update_titlebar()
        empty = self.bitext.beads and not self.bitext.rows
        self._set_status(f"no bead matches the filter '{self.filter}' (f changes it)" if empty else "")

    def _refresh_documents(self) -> None:
        self._docs_timer = None
        self._read_documents()

    @work(thread=True, group="documents")
    def _read_documents(self) -> None:
        """Counts for the document list, read off the UI thread (whole-table aggregates)."""
        try:
            docs = list_documents(self.store)
            prog = document_progress(self.store)
        except TolmachError:
            return
        self.app.call_from_thread(self._show_documents, docs, prog)

    def _show_documents(self, docs: list[DocumentSummary], prog: dict[int, Progress]) -> None:
        self.documents = docs
        if self._widgets_gone():
            return
        self.query_one(DocumentList).show(self.documents, self.doc.id if self.doc else None, prog)

    def _schedule_documents(self) -> None:
        """Refresh the document list's progress a moment after saves (not on every key)."""
        if self._docs_timer is None and self.query_one(DocumentList).display:
            self._docs_timer = self.set_timer(1.0, self._refresh_documents)

    # -------------------------------------------------------------- the bead

    def _cursor_moved(self, index: int | None) -> None:
        bead = self.bitext.beads[index] if index is not None else None
        shown = self.editor.bead
        if bead is not None and shown is not None and (shown.id, shown.version, shown.position) == (bead.id, bead.version, index):
            return  # the same bead still (a filter kept it): editor and panels stay as they are
        self._show_bead(bead)

    def _show_bead(self, bead: BeadView | None) -> None:
        bead = self._renumbered(bead)
        restored = live_draft(self.drafts.get(bead.id), bead.target) if bead is not None else None
        self.editor.show(bead, restored)
        if restored is not None and bead is not None:
            self.notify(f"Bead {bead.number}: your unsaved draft is back in the editor (Esc or alt+↓ saves it).", timeout=5)
        if self._hits_for != (bead.id if bead else None):
            self.hits, self._hits_for = [], None
        self._render_source()
        self._schedule_panels(0.05)
        try:
            self.query_one(MemoryPanel).show_bead(bead)  # looks up after a pause, in a worker
        except NoMatches:
            pass

    def _render_source(self) -> None:
        notes = self.notes if self._hits_for == (self.current.id if self.current else None) else []
        try:
            panel = self.query_one("#source", Static)
        except NoMatches:
            return  # a worker's result that arrived while the app was closing
        panel.update(source_text(self.current, self.hits, self.misprints, notes))

    @work(thread=True, exclusive=True, group="misprints")
    def _find_misprints(self, doc_id: int) -> None:
        """The document's probable misprints (the apparatus), once per document, in a child
        process (``tui/offload.py``: seconds of CPU at 20,000 sentences, which a thread
        would take from the screen)."""
        from tolmach.tui.offload import in_child, misprints

        try:
            found = in_child(misprints, self.store.url, doc_id)
        except (TolmachError, OSError) as exc:  # the source panel then marks no misprint
            self.app.call_from_thread(self.notify, f"Probable misprints not found: {exc}", severity="warning", markup=False)
            found = []
        self.app.call_from_thread(self._misprints_found, doc_id, found)

    def _misprints_found(self, doc_id: int, found: list[ErrorFinding]) -> None:
        if self._widgets_gone():
            return
        if self.doc is not None and self.doc.id == doc_id:
            self.misprints = found
            self._render_source()

    def action_sic(self) -> None:
        """The editorial note ([sic] by default) on a word of the English: the selection, or the
        word at the cursor; the English must be saved first, since the note names its word."""
        import re

        from tolmach.service.apparatus import add_sic_note

        bead = self.current
        if bead is None or not self.save_current():
            return
        word = self.editor.selected_text.strip()
        if not word:
            row, col = self.editor.cursor_location
            line = self.editor.text.split("\n")[row] if self.editor.text else ""
            for m in re.finditer(r"\w[\w'’-]*", line):
                if m.start() <= col <= m.end():
                    word = m.group()
                    break
        if not word:
            self.notify("Select an English word (or put the cursor on one) to attach [sic] to.", severity="warning", timeout=3)
            return
        if self._guard(lambda: add_sic_note(self.store, bead.id, word)) is not None:
            self.notify(f"Editorial note attached to {word!r} in bead {bead.number}.", markup=False, timeout=3)
            self._hits_for = self._looking_up = None
            self._schedule_panels(0.01)  # hits and notes again

    def action_confirm_readings(self) -> None:
        """Confirm the proposed readings of this bead's misprints (the text itself never changes)."""
        from tolmach.service.apparatus import confirm_bead

        bead = self.current
        if bead is None or self.doc is None:
            return
        done = self._guard(lambda: confirm_bead(self.store, bead.id)) or []
        if not done:
            self.notify(f"Bead {bead.number} has no misprint to confirm.", timeout=2)
            return
        self.notify("Read " + "; ".join(f"{f.word} as {f.reading}" for f in done) + ": machine translation and the glossary use the readings.",
                    markup=False, timeout=4)
        self._hits_for = self._looking_up = None
        self._find_misprints(self.doc.id)

    def _schedule_panels(self, delay: float) -> None:
        """Glossary hits and checks, a moment after the cursor stops (off the key press)."""
        if self._panel_timer is not None:
            self._panel_timer.stop()
        self._panel_timer = self.set_timer(delay, self._update_panels)

    def _update_panels(self) -> None:
        self._panel_timer = None
        try:
            bead, target = self.current, self.editor.text
            qa, glossary = self.query_one("#qa", Static), self.query_one("#glossary", Static)
        except NoMatches:
            return  # a debounce timer that fired while the app was closing
        if bead is not None and self._hits_for != bead.id and bead.sources and self.doc is not None:
            self._start_look_up(bead)
            glossary.update(glossary_pending_text(bead.number))  # not the last bead's terms
            return  # the panels are drawn when the terms are found
        glossary.update(glossary_text(self.hits, notes=self.size.width >= 110))
        warnings: list[QAWarning] = []
        if bead is not None and bead.sources and self.doc is not None and target.strip():
            warnings = check_pair(bead.source, target, self.hits, (self.doc.source_lang, self.doc.target_lang))
        qa.update(qa_text(warnings, target))

    def _start_look_up(self, bead: BeadView) -> None:
        if self._looking_up != bead.id and self.doc is not None:
            self._looking_up = bead.id
            self._look_up(bead, self.doc.source_lang, self.doc.target_lang)

    @work(thread=True, group="glossary")  # not exclusive: a stale result is dropped by bead id
    def _look_up(self, bead: BeadView, source_lang: str, target_lang: str) -> None:
        """Glossary terms of a bead, off the UI thread (building the matcher takes a while)."""
        from tolmach.service.apparatus import hits_for_bead  # the glossary, read through confirmed readings
        from tolmach.service.notes import notes_for

        try:
            hits = hits_for_bead(self.store, bead, (source_lang, target_lang))
            notes = notes_for(self.store, bead.id)
        except TolmachError:
            hits, notes = [], []
        self.app.call_from_thread(self._hits_found, bead.id, hits, notes)

    def _hits_found(self, bead_id: int, hits: list[Hit], notes: list[NoteView] | None = None) -> None:
        if self._looking_up == bead_id:
            self._looking_up = None
        if self._widgets_gone():
            return
        if self.current is None or self.current.id != bead_id:
            return  # the cursor moved on meanwhile
        self.hits, self._hits_for = hits, bead_id
        self.notes = notes or []
        self._render_source()
        self._update_panels()
        self._run_after_hits()

    def _with_hits(self, then: Callable[[], None], place: Location | None = None) -> None:
        """Run ``then`` once the current bead's terms are found: now if they are, else when
        the look-up (in a worker) finishes; the key that asked returns at once.  ``place``:
        where in the editor ``then`` inserts (see :meth:`_run_after_hits`)."""
        bead = self.current
        if bead is None or self._hits_for == bead.id or not bead.sources or self.doc is None:
            if bead is not None and self._hits_for != bead.id:
                self.hits = []  # a bead without source text has no terms
            then()
            return
        self._after_hits.append((bead.id, then, place))
        self._start_look_up(bead)

    def _run_after_hits(self) -> None:
        """Run what waited for the current bead's terms.  Insertions go last place first, so
        the text before each place is still what it was when its key was pressed (alt+1 and
        ctrl+g 2 typed in one sentence before the terms came both land where they were typed)."""
        bead = self.current
        waiting, self._after_hits = self._after_hits, []
        ready = []
        for item in waiting:
            if bead is not None and bead.id == item[0] and self._hits_for == item[0]:
                ready.append(item)
            else:
                self._after_hits.append(item)
        ready.sort(key=lambda item: (item[2] is not None, tuple(-c for c in item[2] or ())))
        for _, then, _ in ready:
            then()
        if bead is not None:  # what was asked of a bead the cursor left is dropped
            self._after_hits = [item for item in self._after_hits if item[0] == bead.id]

    def _hits_now(self) -> None:
        """The current bead's terms found here, waiting for them: only when a key asked for
        them and the bead is being left before the look-up finished (its insertion then
        reaches the bead before it is saved)."""
        from tolmach.service.apparatus import hits_for_bead

        bead, doc = self.current, self.doc
        if not any(item[0] == (bead.id if bead else None) for item in self._after_hits):
            return
        if bead is not None and self._hits_for != bead.id and bead.sources and doc is not None:
            self.hits = self._guard(lambda: hits_for_bead(self.store, bead, (doc.source_lang, doc.target_lang))) or []
            self._hits_for = bead.id
            self._render_source()
        self._run_after_hits()

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self._schedule_panels(0.3)

    def save_current(self) -> bool:
        """Write the editor's text to the current bead; False (text kept) if that failed."""
        self._hits_now()  # a term asked for before the look-up finished goes in first
        wrote, doc = self.editor.dirty, self.doc
        if not self.editor.save():
            return False
        if wrote and doc is not None:  # our own revision: not a change by someone else
            self.known_revision = self._guard(lambda: latest_revision(self.store, doc.id)) or self.known_revision
        return True

    def bead_saved(self, saved: BeadView) -> None:
        self.drafts.pop(saved.id, None)
        index = self.bitext.current
        beads = self.bitext.beads
        if index is not None and beads[index].id == saved.id:
            self.progress = changed_progress(self.progress, [beads[index]], [saved])
            self.bitext.update_bead(index, saved)
        else:  # saved on the way out of a row the cursor already left
            index = self._index_of(saved.id)
            if index is not None:
                self.progress = changed_progress(self.progress, [beads[index]], [saved])
                self.bitext.update_bead(index, saved)
        self.known_revision = max(self.known_revision, self._guard(lambda: latest_revision(self.store, saved.document_id)) or 0)
        self._update_titlebar()
        self._render_source()
        self._schedule_documents()

    def on_save_conflict(self, message: SaveConflict) -> None:
        """Another person or process changed the bead first: keep the typed text, show both,
        and let the translator choose (nothing is lost whichever way: both are journalled)."""
        err = message.error
        mine = self.editor.text
        options = [
            ("mine", Text(f"Keep mine (save over theirs):  {visible(mine[:70])}")),
            ("theirs", Text(visible(f"Take theirs ({err.theirs_author or 'someone'}, {err.theirs_status}):  {err.theirs[:70]}"))),
            ("merge", Text("Merge by hand: keep editing mine; theirs is shown in the message line")),
        ]

        def done(choice: str | None) -> None:
            fresh = self._guard(lambda: bead_service.get_bead(self.store, err.bead_id))
            if fresh is None:
                return
            if choice in ("mine", "theirs"):
                self.editor.forget_draft(err.bead_id)  # the typed text is saved or given up
            if choice == "mine":
                saved = self._guard(lambda: bead_service.edit_target(self.store, err.bead_id, mine, base_version=fresh.version))
                if saved is not None:
                    self.editor.show(saved)
                    self.bead_saved(saved)
                return
            if choice == "theirs":
                self.editor.show(fresh)
                self.bead_saved(fresh)
                return
            self.editor.show(fresh, mine)  # the next save is based on their version
            self.notify(f"Theirs: {visible(err.theirs)}", markup=False, timeout=20)

        self.app.push_screen(PickScreen(f"Bead {err.number} was changed by {err.theirs_author or 'someone else'} meanwhile", options), done)

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(f"Not saved: {message.reason} Your text stays in the editor.", severity="error", markup=False, timeout=8)

    def _index_of(self, bead_id: int, near: int | None = None) -> int | None:
        beads = self.bitext.beads
        near = self.bitext.current if near is None else near
        if near is not None:
            for i in range(max(0, near - 64), min(len(beads), near + 64)):
                if beads[i].id == bead_id:
                    return i
        return next((i for i, b in enumerate(beads) if b.id == bead_id), None)

    # ------------------------------------------------------------ actions: app

    def action_save(self) -> None:
        if self.save_current():
            self.notify("Saved.", timeout=1.5)

    def action_next_bead(self) -> None:
        if self.bitext.move_to(self.bitext.cursor + 1) and self.bitext.cursor == len(self.bitext.rows) - 1:
            if self.current is not None and self.bitext.current == len(self.bitext.beads) - 1:
                self._set_status("last bead")

    def action_prev_bead(self) -> None:
        self.bitext.move_to(self.bitext.cursor - 1)

    def confirm(self) -> None:
        """Enter in the editor: save, go on to the next bead, keep typing."""
        if not self.save_current():
            return
        if self.bitext.cursor >= len(self.bitext.rows) - 1:
            self.notify("Saved: this was the last bead.", timeout=2)
            return
        self.bitext.move_to(self.bitext.cursor + 1)

    def action_edit(self) -> None:
        if self.current is not None:
            self.set_focus(self.editor)

    def action_leave_editor(self) -> None:
        if self.focused is self.editor and self.save_current():
            self.set_focus(self.bitext)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        if self.save_current() or self._quit_armed:
            self.editor.flush_drafts()
            self.app.exit()
            return
        path = self._rescue_text()
        self._quit_armed = True
        where = f"; your text is also in {path}" if path else ""
        self.notify(f"Not saved{where}. Press ctrl+q again to quit anyway.", severity="warning", markup=False, timeout=10)

    def _rescue_text(self) -> Path | None:
        """Keep typed text in a file beside the database when the database refuses it."""
        if self.current is None:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            beside = self.store.companion_path
            path = beside.with_name(f"{beside.stem}.unsaved-bead{self._number(self.current)}-{stamp}.txt")
            path.write_text(self.editor.text, encoding="utf-8")
        except OSError:
            return None
        return path

    def action_insert_term(self, index: int) -> None:
        """Term ``index`` of the bead at the cursor; if the terms are still being looked up,
        where the cursor was when the key came, once they are found."""
        editor = self.editor
        if self.current is not None:
            self.set_focus(editor)  # what is typed next goes after the term, as if it were there
        at = editor.cursor_location
        before = editor.get_text_range((0, 0), at)
        bead_id = self.current.id if self.current else None

        def insert() -> None:
            hits = unique_hits(self.hits)
            if self.current is None or self.current.id != bead_id or index >= len(hits):
                self.notify(f"No glossary term {index + 1} in this bead.", severity="warning", timeout=2)
                return
            same = editor.document.end >= at and editor.get_text_range((0, 0), at) == before
            editor.insert(hits[index].preferred, at if same else None)

        self._with_hits(insert, at)

    # --- translation memory and concordance (widgets/memory.py, screens/concordance.py) ---
    def action_use_match(self) -> None:
        self.query_one(MemoryPanel).use_selected()

    def action_next_match(self) -> None:
        self.query_one(MemoryPanel).select_next()

    def action_prev_match(self) -> None:
        self.query_one(MemoryPanel).select_previous()

    def on_memory_panel_match_chosen(self, event: MemoryPanel.MatchChosen) -> None:
        if self.current is None or self.current.id != event.bead_id:
            return  # the cursor moved on before the key
        self.set_focus(self.editor)
        self.editor.load_text(event.proposal.target)
        self.notify(f"{event.proposal.score}% match from {provenance(event.proposal).label}; Esc or alt+↓ saves it.", markup=False, timeout=3)

    def action_concordance(self) -> None:
        from tolmach.tui.screens.concordance import ConcordanceScreen, JumpTo

        def done(jump: JumpTo | None) -> None:
            if jump is None:
                return
            if self.doc is None or jump.document_id != self.doc.id:
                self.open_document(jump.document_id)
            self._need_all()
            index = self._index_of(jump.bead_id)
            if index is not None:
                self._go_to_index(index)

        self.app.push_screen(ConcordanceScreen(self.store, self.editor.selected_text or ""), done)

    def action_pick_term(self) -> None:
        """The picker opens at once; until the bead's terms are found it says so, and a digit
        typed meanwhile closes it and works as alt+digit (the term goes where the cursor is
        when they come; typing goes on in the editor)."""

        def options() -> list[tuple[str, Text]]:
            # every term: the first nine by their digit, the rest with arrows and Enter
            return [(str(i), Text(f"{i + 1 if i < 9 else ' '}  {visible(h.surface)} → {visible(h.preferred)}"))
                    for i, h in enumerate(unique_hits(self.hits))]

        def done(choice: str | None) -> None:
            if choice is not None:
                self.action_insert_term(int(choice))

        title = "Insert a glossary term (its number, or arrows and Enter)"
        ready = self.current is None or self._hits_for == self.current.id or not self.current.sources
        if ready:
            if not options():
                self.notify("No glossary term in this bead.", severity="warning", timeout=2)
                return
            self.app.push_screen(PickScreen(title, options()), done)
            return
        picker = PickScreen(title, None)
        self.app.push_screen(picker, done)

        def fill() -> None:
            if picker not in self.app.screen_stack:
                return  # closed (Esc) before the terms came
            if not options():
                picker.dismiss(None)
                self.notify("No glossary term in this bead.", severity="warning", timeout=2)
            else:
                picker.fill(options())

        self._with_hits(fill)

    # --------------------------------------------------------- actions: beads

    def _splice(self, old_ids: Sequence[int], new: Sequence[BeadView], keep: int | None = None) -> None:
        """Show a structure edit: the beads ``old_ids`` (a contiguous run) became ``new``."""
        view = self.bitext
        start = self._index_of(old_ids[0]) if old_ids else None
        count = len(old_ids)
        if start is None or not (
            [b.id for b in view.beads[start : start + count]] == list(old_ids) and (not new or new[0].position == start)
        ):
            self._reload(keep=keep)
            return
        self.progress = changed_progress(self.progress, view.beads[start : start + count], new)
        self._generation += 1  # positions after the run shifted: a rest read before is stale
        # the filter's rows of the document after the edit (no filter: no copy of 20,000 rows)
        rows = None if self.filter == "all" else self._rows(view.beads[:start] + list(new) + view.beads[start + count :])
        self.editor.bead = None  # (not show(None): disabling it would take the focus away)
        view.splice(start, count, new, rows, keep=start if keep is None else keep)
        doc = self.doc
        if doc is not None:
            self.known_revision = self._guard(lambda: latest_revision(self.store, doc.id)) or self.known_revision
        self._after_rows_changed()
        self._schedule_documents()

    def _saved_current(self) -> BeadView | None:
        """The current bead once the editor is saved (as saved); None if there is none or
        the save failed."""
        if self.current is None or not self.save_current():
            return None
        return self.current

    def _neighbour(self, step: int) -> BeadView | None:
        index = self.bitext.current
        if index is None or not 0 <= index + step < len(self.bitext.beads):
            return None
        return self.bitext.beads[index + step]

    def action_review(self) -> None:
        bead = self._saved_current()
        if bead is None:
            return
        try:
            saved = toggle_review(self.store, bead)
        except ReviewRefused as exc:
            self.notify(str(exc), severity="warning", timeout=3)
            return
        except TolmachError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        self.bead_saved(saved)
        self._show_bead(saved)
        if saved.status == BeadStatus.REVIEWED or (bead.flagged and not saved.flagged):
            self.bitext.move_to(self.bitext.cursor + 1)

    def action_undo(self) -> None:
        bead = self._saved_current()
        if bead is None:
            return
        step = self._guard(lambda: peek_undo(self.store, bead.id))
        if step is None:
            self.notify(f"Bead {self._number(bead)} has no change left to undo.", timeout=3)
            return
        armed = self._undo_armed is not None and self._undo_armed[0] == bead.id and time.monotonic() - self._undo_armed[1] < UNDO_CONFIRM_S
        if step.drops_human_text and not armed:
            self._undo_armed = (bead.id, time.monotonic())
            self.notify(f"Press u again to undo a person's translation — {step.describe('would undo')}", severity="warning", markup=False, timeout=UNDO_CONFIRM_S)
            return
        self._undo_armed = None
        old_ids = list(step.ids)
        result = self._guard(lambda: undo_step(self.store, bead.id))
        if result is None:
            return
        done, restored = result
        self._splice(old_ids, restored, keep=restored[0].position if restored else None)
        self.notify(done.describe("Undid") + " (U redoes)", markup=False, timeout=6)

    def action_redo(self) -> None:
        bead = self._saved_current()
        if bead is None:
            return
        from tolmach.service.undo import peek_redo

        step = self._guard(lambda: peek_redo(self.store, bead.id))
        if step is None:
            self.notify(f"Bead {self._number(bead)} has nothing to redo.", timeout=3)
            return
        old_ids = list(step.ids)
        result = self._guard(lambda: redo_step(self.store, bead.id))
        if result is None:
            return
        done, created = result
        self._splice(old_ids, created, keep=created[0].position if created else None)
        self.notify(done.describe("Redid"), markup=False, timeout=6)

    def _structural(self, old: Callable[[BeadView], list[BeadView | None]], call: Callable[[BeadView], Sequence[BeadView]]) -> None:
        bead = self._saved_current()
        if bead is None:
            return
        run = [b for b in old(bead) if b is not None]
        new = self._guard(lambda: call(bead))
        if new is None:
            return
        self._splice([b.id for b in run], list(new), keep=self.bitext.current)

    def action_merge(self) -> None:
        self._structural(lambda b: [b, self._neighbour(1)], lambda b: [bead_service.merge_with_next(self.store, b.id)])

    def action_split(self) -> None:
        self._structural(lambda b: [b], lambda b: list(bead_service.split_bead(self.store, b.id)))

    def _move(self, side: str, direction: str) -> None:
        step = 1 if direction == "next" else -1
        self._structural(
            lambda b: [self._neighbour(-1), b] if step < 0 else [b, self._neighbour(1)],
            lambda b: bead_service.move_boundary(self.store, b.id, side=side, direction=direction),
        )

    def action_source_to_prev(self) -> None:
        self._move("source", "prev")

    def action_source_to_next(self) -> None:
        self._move("source", "next")

    def action_target_to_prev(self) -> None:
        self._move("target", "prev")

    def action_target_to_next(self) -> None:
        self._move("target", "next")

    def _jump(self, keep: Callable[[BeadView], bool], what: str) -> None:
        self._need_all()
        index = self.bitext.current
        if index is None:
            return
        found = next_matching(self.bitext.beads, index, keep)
        if found is None:
            self.notify(f"No {what} bead in this document.", timeout=3)
            return
        row = self.bitext.row_of(found)
        if row is None:  # hidden by the filter: show everything
            if not self.save_current():
                return
            self.filter = "all"
            self.bitext.set_rows(None, keep=index)
            self._after_rows_changed()
            row = found
        self.bitext.move_to(row)

    def action_next_unconfirmed(self) -> None:
        self._jump(is_unconfirmed, "unconfirmed")

    def action_next_flagged(self) -> None:
        self._jump(lambda b: b.flagged, "flagged")

    # ------------------------------------------------- actions: find and filter

    def action_pick_filter(self) -> None:
        self._need_all()
        beads = self.bitext.beads
        options: list[tuple[str, RenderableType]] = []
        for name, (description, _) in FILTERS.items():
            count = "…" if name == "warnings" and not self._warnings else str(len(filter_rows(beads, name, self._warnings)))
            row = Table.grid(padding=(0, 1))  # a description that wraps stays in its column (80 columns)
            row.add_column(width=13)
            row.add_column(width=6, justify="right")
            row.add_column(ratio=1)
            row.add_row(name, count, description)
            stacked = Text.assemble((name, "bold"), f"  {count}\n", (description, "dim"))  # under 44 cells
            options.append((name, Narrow(row, stacked, 44)))

        def done(name: str | None) -> None:
            if name is not None:
                self.set_filter(name)

        self.app.push_screen(PickScreen("Show which beads?", options, self.filter), done)

    def set_filter(self, name: str) -> None:
        if not self.save_current():
            return
        self.filter = name
        if name == "warnings" and self.doc is not None:
            self._set_status("checking the whole document…")
            self._check_document(self.doc.id)
            return
        self._apply_filter()

    def _apply_filter(self) -> None:
        keep = self.bitext.current
        self.bitext.set_rows(self._rows(self.bitext.beads), keep=keep)
        self._after_rows_changed()
        # (no toast: the status line says which filter and how many beads; a toast is a widget
        # mounted over the screen and removed again, two more layouts under the closing picker)

    @work(thread=True, exclusive=True, group="qa-document")
    def _check_document(self, doc_id: int) -> None:
        from tolmach.service.qa import check_document

        try:
            warnings = check_document(self.store, doc_id)
        except TolmachError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._checked, doc_id, warnings)

    def _checked(self, doc_id: int, warnings: dict[int, list[QAWarning]]) -> None:
        if self.doc is None or self.doc.id != doc_id:
            return
        self._warnings = warnings
        if self.filter == "warnings":
            self._apply_filter()

    def action_search(self) -> None:
        def done(text: str | None) -> None:
            if text is not None:
                self.search_text = text
                self.bitext.search = text
                self.bitext.refresh()
                if text:
                    self.action_search_next()
                else:
                    self._set_status()

        self.app.push_screen(PromptScreen("Search Russian and English (empty: clear)", "text to find", self.search_text), done)

    def action_search_next(self) -> None:
        if not self.search_text:
            self.action_search()
            return
        self._need_all()
        needle = self.search_text.casefold()
        view = self.bitext
        n = len(view.rows)
        for step in range(1, n + 1):
            row = (view.cursor + step) % n
            bead = view.beads[view.rows[row]]
            if needle in bead.source.casefold() or needle in bead.target.casefold():
                view.move_to(row)
                self._set_status()
                return
        self.notify(f"No bead in this view contains {self.search_text!r}.", severity="warning", markup=False, timeout=3)

    def action_goto(self) -> None:
        self._need_all()

        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            total, number = len(self.bitext.beads), text.strip()
            # decimal digits only ('²' is a digit int() refuses), and short (int() refuses 4,301)
            if not (number.isdecimal() and len(number) <= 9 and 1 <= int(number) <= total):
                shown = number if len(number) <= 20 else number[:20] + "…"
                self.notify(f"There is no bead {shown!r}; beads are numbered 1 to {total}.", severity="error", markup=False)
                return
            self._go_to_index(int(number) - 1)

        self.app.push_screen(PromptScreen("Go to bead number", f"1–{len(self.bitext.beads)}"), done)

    def _go_to_index(self, index: int) -> None:
        """Put the cursor on bead ``index``; a filter that hides it is lifted."""
        if self.bitext.row_of(index) is None:
            if not self.save_current():
                return
            self.filter = "all"
            self.bitext.set_rows(None, keep=self.bitext.current)
            self._after_rows_changed()
        self.bitext.move_to(self.bitext.row_of(index) or 0)

    def action_toggle_documents(self) -> None:
        self.toggle_class("show-docs")
        self._refresh_documents()
        docs = self.query_one(DocumentList)
        if docs.display:
            docs.focus()
        else:
            self.set_focus(self.bitext)

    def action_leave_documents(self) -> None:
        """Esc in the document list: close it if ``d`` opened it, else back to the bead list."""
        if self.has_class("show-docs"):
            self.action_toggle_documents()
        else:
            self.set_focus(self.bitext)

    # ------------------------------------------------------ another process

    def _poll(self) -> None:
        """Reload when the document's latest revision is not one this screen made."""
        if self.doc is None or self.mt_cancel is not None:
            return
        try:
            latest = latest_revision(self.store, self.doc.id)
        except TolmachError:
            return
        if latest != self.known_revision:
            self.external_change()

    def _caught_up(self) -> list[BeadView] | None:
        """The document's beads with what was committed since ``known_revision``: replayed
        row by row from the journal (``service.undo.catch_up``), read in full only when
        the journal does not fit the rows shown."""
        if self.doc is None:
            return None
        view, doc_id = self.bitext, self.doc.id
        done = None if self._partial else self._guard(lambda: catch_up(self.store, doc_id, view.beads, self.known_revision))
        if done is not None:
            beads, self.known_revision = done
            return beads
        latest = self._guard(lambda: latest_revision(self.store, doc_id)) or 0
        loaded = self._guard(lambda: bead_service.load_beads(self.store, doc_id))
        if loaded is not None:
            self.known_revision = latest
        return loaded

    def external_change(self, *, quiet: bool = False) -> None:
        """Show what another process (or a worker) committed, row by row; keep the cursor on
        the same sentence and the typed text."""
        view, doc = self.bitext, self.doc
        old = self.current
        typed = self.editor.text if self.editor.dirty else None
        beads = self._caught_up()
        if beads is None or doc is None:
            return
        self._partial, self._generation = False, self._generation + 1
        keep = 0
        if old is not None:
            near = view.current or 0
            same = next((i for i in _outwards(near, len(beads)) if beads[i].id == old.id), None)
            if same is None:  # merged away or re-aligned: the bead that now holds its first sentence
                same = next((i for i in _outwards(near, len(beads)) if beads[i].src_start <= old.src_start < beads[i].src_end), None)
            keep = same if same is not None else min(near, max(len(beads) - 1, 0))
        self.progress = progress(beads)
        self.drafts = self._guard(lambda: drafts_in(self.store, doc.id)) or {}
        self.editor.bead = None  # (not show(None): disabling it would take the focus away)
        view.set_beads(beads, self._rows(beads), keep=keep, reuse=True)
        self._after_rows_changed()
        if quiet:
            return
        now = self.current
        if typed is not None and now is not None:
            self.editor.show(now, typed)  # the typed text stays; saving puts it on the bead shown
            changed = old is None or now.id != old.id or now.target != old.target
            if changed:
                self.notify(
                    f"Bead {self._number(now)} was changed by someone else meanwhile; your text is kept in the editor "
                    "(saving replaces theirs, which stays in the history: u brings it back).",
                    severity="warning", markup=False, timeout=10,
                )  # fmt: skip
                return
        self.notify("The document was changed by another process; the view is up to date.", timeout=4)
        self._refresh_documents()

    # ----------------------------------------------------------------- MT

    def _package_ready(self) -> bool:
        from tolmach.service.translation import package_for_document

        doc = self.doc
        return doc is not None and self._guard(lambda: package_for_document(self.store, doc.id)) is not None

    def action_translate_bead(self) -> None:
        if self.current is None or not self.save_current() or not self._package_ready():
            return
        self._set_status("translating this bead…")
        self._translate_bead(self.current)

    @work(thread=True, exclusive=True, group="mt-bead")
    def _translate_bead(self, bead: BeadView) -> None:
        from tolmach.service.translation import translate_bead

        try:
            saved = translate_bead(self.store, bead.id, force=mt_may_overwrite(bead))
        except TolmachError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=8)
            self.app.call_from_thread(self._set_status)
            return
        self.app.call_from_thread(self._bead_translated, saved)

    def _bead_translated(self, saved: BeadView) -> None:
        self._set_status()
        index = self._index_of(saved.id)
        if index is None:
            return
        self.progress = changed_progress(self.progress, [self.bitext.beads[index]], [saved])
        self.bitext.update_bead(index, saved)
        self.known_revision = self._guard(lambda: latest_revision(self.store, saved.document_id)) or self.known_revision
        if self.current is not None and self.current.id == saved.id and not self.editor.dirty:
            self._show_bead(saved)
        self._update_titlebar()

    def action_translate_all(self) -> None:
        if self.mt_cancel is not None:
            self.mt_cancel.set()
            self._set_status("stopping after the batch in flight…")
            return
        if self.doc is None or not self.save_current() or not self._package_ready():
            return
        self.mt_cancel = threading.Event()
        bar = self.query_one("#mt-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._set_status("loading the model… (T stops)")
        self._translate_all(self.doc.id, self.mt_cancel)

    @work(thread=True, exclusive=True, group="mt-all")
    def _translate_all(self, doc_id: int, cancel: threading.Event) -> None:
        from tolmach.service.translation import translate_document

        def on_progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._mt_progress, done, total)

        severity: SeverityLevel
        try:
            report = translate_document(self.store, doc_id, on_progress=on_progress, cancel=cancel)
            message, severity = wording.translation_summary(report, wording.WORKBENCH), "information"
        except TolmachError as exc:
            message, severity = str(exc), "error"
        self.app.call_from_thread(self._mt_finished, doc_id, message, severity)

    def _mt_progress(self, done: int, total: int) -> None:
        self.query_one("#mt-progress", ProgressBar).update(total=total, progress=done)
        self._set_status(f"drafting {done}/{total} (T stops)")
        if time.monotonic() - self._mt_last_reload > 1.0 and self.doc is not None:
            self._mt_last_reload = time.monotonic()
            self._reload_keep_editor()

    def _reload_keep_editor(self) -> None:
        """Show new drafts (row by row) without touching what is being typed in the editor."""
        if self.editor.dirty and not self.save_current():
            return
        self.external_change(quiet=True)

    def _mt_finished(self, doc_id: int, message: str, severity: SeverityLevel) -> None:
        self.mt_cancel = None
        self.query_one("#mt-progress").display = False
        self._set_status()
        if self.doc is not None and self.doc.id == doc_id:
            self._reload_keep_editor()
        self._refresh_documents()
        self.notify(message, severity=severity, markup=False, timeout=8)

    # --------------------------------------------------------------- export

    def action_export(self) -> None:
        if self.doc is None or not self.save_current():
            return
        self.app.push_screen(ExportScreen(self.doc.name, partial(self.run_export, self.doc.id)))

    def run_export(self, doc_id: int, screen: ExportScreen, req: ExportRequest) -> None:
        """Export document ``doc_id`` as ``req`` asks; the dialog closes, or shows the error."""
        from tolmach.interchange.document import DOCUMENT_FORMATS
        from tolmach.service.assembly import export_document
        from tolmach.service.interchange import export

        if req.fmt in DOCUMENT_FORMATS:  # the translated document itself
            try:
                doc_report = export_document(self.store, doc_id, req.fmt, req.path, bilingual=req.bilingual,
                                             force=req.overwrite)
            except TolmachError as exc:
                screen.show_error(str(exc))
                return
            screen.dismiss(None)
            note = f" ({'; '.join(wording.notices(doc_report.notices))})" if doc_report.notices else ""
            self.notify(f"Wrote {doc_report.document} ({doc_report.paragraphs} paragraph(s)) to {doc_report.path}{note}",
                        markup=False, timeout=8)
            return
        try:
            report = export(
                self.store, [doc_id], req.fmt, req.path,
                statuses={BeadStatus.REVIEWED.value} if req.reviewed_only else None, force=req.overwrite,
            )  # fmt: skip
        except TolmachError as exc:
            screen.show_error(str(exc))
            return
        screen.dismiss(None)
        files = " and ".join(str(p) for p in report.paths)
        note = f" ({'; '.join(wording.notices(report.notices))})" if report.notices else ""
        self.notify(f"Wrote {report.units} unit(s) to {files}{note}", markup=False, timeout=8)



def _outwards(start: int, n: int) -> Iterator[int]:
    """Indices 0 … n-1 nearest ``start`` first (the bead looked for is usually close)."""
    start = min(max(start, 0), max(n - 1, 0))
    yield from (i for k in range(n) for i in ((start + k, start - k) if k else (start,)) if 0 <= i < n)


def _freeze() -> None:
    """Leave the rows just read (and everything else alive now) out of the cyclic garbage
    collector's passes: with 20,000 beads a full pass over them took 100-200 ms in the
    middle of a key.  Reference counting still frees them when a document is closed."""
    gc.collect(1)
    gc.freeze()
