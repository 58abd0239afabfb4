"""The workbench: documents, bitext, editor, glossary and checks in one Textual app.

The app is a thin front-end over :mod:`tolmach.service`: every action calls one service
function, which writes one short transaction, and then redraws from what it returns or
from the database.  Nothing typed lives only in memory once the cursor leaves a bead:
moving, switching documents, structural actions and quitting all save the editor first,
and refuse to go on if the save fails (the text stays in the editor).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, ScreenStackError, SystemCommand
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, ProgressBar, Static, TextArea

from tolmach.errors import TolmachError
from tolmach.glossary.match import Hit
from tolmach.qa.checks import QAWarning, check_pair
from tolmach.service import beads as bead_service
from tolmach.service.beads import BeadView
from tolmach.service.documents import DocumentSummary, list_documents
from tolmach.service.glossary import ensure_loaded, hits_for_text
from tolmach.store import Store
from tolmach.tui.bitext import BitextView
from tolmach.tui.dialogs import ExportRequest, ExportScreen, HelpScreen, PromptScreen
from tolmach.tui.keys import ACTIONS, bindings, display_key
from tolmach.tui.panels import DocumentList, InfoPanel, glossary_text, qa_text, source_text, unique_hits
from tolmach.tui.text import visible

#: Filter name → which beads it keeps (``warnings`` maps bead id → QA warnings).
FILTERS: dict[str, Callable[[BeadView, dict[int, list[QAWarning]]], bool]] = {
    "all": lambda b, w: True,
    "empty": lambda b, w: not b.target.strip(),
    "machine": lambda b, w: b.status == "machine",
    "warnings": lambda b, w: bool(w.get(b.id)),
    "needs review": lambda b, w: b.flagged,
}

NARROW = 110  # below this many columns the panels shrink
WIDE = 150  # from this many columns the document list shows without asking


class TolmachApp(App[None]):
    """Translate and review one document at a time; the store is the only state that matters."""

    CSS_PATH = "app.tcss"
    TITLE = "Tolmach"
    BINDINGS = bindings("app")

    def __init__(self, store: Store, *, document: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.documents: list[DocumentSummary] = []
        self.doc: DocumentSummary | None = None
        self.requested_document = document
        self.current: BeadView | None = None
        self.hits: list[Hit] = []
        self.filter = "all"
        self.search_text = ""
        self.mt_cancel: threading.Event | None = None
        self._mt_last_reload = 0.0
        self._loading_editor = False
        self._quit_armed = False
        self._qa_timer: Any = None

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
                yield TextArea(id="editor", soft_wrap=True, show_line_numbers=False)
            with VerticalScroll(id="side"):
                yield InfoPanel(id="qa")
                yield InfoPanel(id="glossary")
        yield Footer()

    @property
    def bitext(self) -> BitextView:
        return self.query_one(BitextView)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    def on_mount(self) -> None:
        self.bitext.may_leave = self.save_current
        self.query_one("#mt-progress").display = False
        self._apply_width(self.size.width)
        self._guard(lambda: ensure_loaded(self.store))  # bundled glossaries, once per database
        self.documents = self._guard(lambda: list_documents(self.store)) or []
        if not self.documents:
            message = f"The database {self.store.path.name} holds no documents: import some with `tolmach import FILE`."
            self.query_one("#source", Static).update(Text(message, style="bold"))
            self.editor.disabled = True
            self._update_titlebar()
            return
        self.open_document(self._first_document())
        self.bitext.focus()

    def _first_document(self) -> int:
        ids = [d.id for d in self.documents]
        if self.requested_document in ids:
            return self.requested_document  # type: ignore[return-value]
        for d in self.documents:  # a document to translate, not one already in the target language
            if d.source_lang != d.target_lang and d.beads:
                return d.id
        return ids[0]

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < NARROW, "narrow")
        self.screen.set_class(width >= WIDE, "wide")

    # ----------------------------------------------------------------- helpers

    def _guard(self, call: Callable[[], Any]) -> Any:
        """Run a service call; a user-facing error becomes a notification and None."""
        try:
            return call()
        except TolmachError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return None

    def _set_status(self, message: str = "") -> None:
        parts = [f"filter: {self.filter}"]
        if self.search_text:
            parts.append(f"search: {visible(self.search_text)}")
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(Text("  ·  ".join(parts), style="dim"))

    def _update_titlebar(self) -> None:
        text = Text("Tolmach", style="bold")
        if self.doc is not None:
            beads = self.bitext.beads
            done = sum(1 for b in beads if b.target.strip())
            reviewed = sum(1 for b in beads if b.status == "reviewed")
            flagged = sum(1 for b in beads if b.flagged)
            text.append(f"  {visible(self.doc.name)}", style="bold")
            text.append(f"  {self.doc.source_lang}→{self.doc.target_lang}")
            text.append(f"  {done}/{len(beads)} translated · {reviewed} reviewed")
            if flagged:
                text.append(f" · {flagged} need review", style="bold red")
        self.query_one("#titlebar", Static).update(text)

    # ---------------------------------------------------------------- documents

    def open_document(self, doc_id: int) -> None:
        if not self.save_current():
            return
        self.doc = next(d for d in self.documents if d.id == doc_id)
        self.filter = "all"
        self._reload(keep=0)
        self._refresh_documents()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "docs" and event.option.id is not None:
            self.open_document(int(event.option.id))
            self.bitext.focus()

    def _reload(self, keep: int | None = None) -> None:
        """Read the document's beads again and show them through the current filter."""
        if self.doc is None:
            return
        beads = self._guard(lambda: bead_service.load_beads(self.store, self.doc.id)) or []
        if keep is None:
            keep = self.bitext.current if self.bitext.current is not None else 0
        warnings: dict[int, list[QAWarning]] = {}
        if self.filter == "warnings":
            from tolmach.service.qa import check_document

            warnings = self._guard(lambda: check_document(self.store, self.doc.id)) or {}
        keepf = FILTERS[self.filter]
        rows = [i for i, b in enumerate(beads) if keepf(b, warnings)]
        self.current = None  # the editor's text was saved before any reload
        self.bitext.set_beads(beads, rows, keep=keep)
        if not rows:
            self._show_bead(None)
        self._update_titlebar()
        self._set_status("" if rows or not beads else f"no bead matches the filter '{self.filter}' (f changes it)")

    def _refresh_documents(self) -> None:
        self.documents = self._guard(lambda: list_documents(self.store)) or self.documents
        self.query_one(DocumentList).show(self.documents, self.doc.id if self.doc else None)

    # -------------------------------------------------------------- the bead

    def on_bitext_view_cursor_moved(self, event: BitextView.CursorMoved) -> None:
        bead = self.bitext.beads[event.index] if event.index is not None else None
        self._show_bead(bead)

    def _show_bead(self, bead: BeadView | None) -> None:
        self.current = bead
        self._loading_editor = True
        self.editor.load_text(bead.target if bead else "")
        self.editor.disabled = bead is None
        self._loading_editor = False
        self.hits = []
        if bead is not None and bead.sources and self.doc is not None:
            self.hits = self._guard(lambda: hits_for_text(self.store, bead.source, self.doc.source_lang, self.doc.target_lang)) or []
        self.query_one("#source", Static).update(source_text(bead, self.hits))
        self.query_one("#glossary", Static).update(glossary_text(self.hits, notes=self.size.width >= NARROW))
        self._schedule_qa(0.1)  # language identification is slow: keep it off the key press

    def _update_qa(self) -> None:
        try:
            panel, target = self.query_one("#qa", Static), self.editor.text
        except (NoMatches, ScreenStackError):
            return  # a debounce timer that fired while the app was closing
        bead = self.current
        warnings: list[QAWarning] = []
        if bead is not None and bead.sources and self.doc is not None and target.strip():
            warnings = check_pair(bead.source, target, self.hits, (self.doc.source_lang, self.doc.target_lang))
        panel.update(qa_text(warnings, target))

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        if not self._loading_editor:
            self._schedule_qa(0.3)

    def _schedule_qa(self, delay: float) -> None:
        if self._qa_timer is not None:
            self._qa_timer.stop()
        self._qa_timer = self.set_timer(delay, self._update_qa)

    def save_current(self) -> bool:
        """Write the editor's text to the current bead; False (text kept) if that failed."""
        bead = self.current
        if bead is None or self.editor.text == bead.target:
            return True
        saved = self._guard(lambda: bead_service.edit_target(self.store, bead.id, self.editor.text))
        if saved is None:
            return False
        index = self.bitext.current
        if index is not None and self.bitext.beads[index].id == saved.id:
            self.bitext.update_bead(index, saved)
        self.current = saved
        self._update_titlebar()
        return True

    # ------------------------------------------------------------ actions: app

    def action_save(self) -> None:
        if self.save_current():
            self.notify("Saved.", timeout=1.5)

    def action_next_bead(self) -> None:
        self.bitext.move_to(self.bitext.cursor + 1)

    def action_prev_bead(self) -> None:
        self.bitext.move_to(self.bitext.cursor - 1)

    def action_edit(self) -> None:
        if self.current is not None:
            self.editor.focus()

    def action_leave_editor(self) -> None:
        if self.focused is self.editor and self.save_current():
            self.bitext.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        if self.save_current():
            self.exit()
            return
        if self._quit_armed:
            self.exit()
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
        path = self.store.path.with_name(f"{self.store.path.stem}.unsaved-bead{self.current.number}-{stamp}.txt")
        try:
            path.write_text(self.editor.text, encoding="utf-8")
        except OSError:
            return None
        return path

    def action_insert_term(self, index: int) -> None:
        hits = unique_hits(self.hits)
        if self.current is None or index >= len(hits):
            self.notify(f"No glossary term {index + 1} in this bead.", severity="warning", timeout=2)
            return
        self.editor.focus()
        self.editor.insert(hits[index].preferred)

    # --------------------------------------------------------- actions: beads

    def _structural(self, call: Callable[[BeadView], Any], keep: Callable[[BeadView], int] | None = None) -> None:
        """Save, run a merge/split/move/undo on the current bead, and redraw."""
        if self.current is None or not self.save_current():
            return
        bead = self.current
        index = self.bitext.current or 0
        if self._guard(lambda: call(bead) or True) is None:
            return
        self._reload(keep=keep(bead) if keep else index)

    def action_review(self) -> None:
        bead = self.current
        if bead is None or not self.save_current():
            return
        if not bead.target.strip() and not self.editor.text.strip():
            self.notify("This bead has no English to review yet.", severity="warning", timeout=3)
            return
        new_status = "edited" if bead.status == "reviewed" else "reviewed"
        saved = self._guard(lambda: bead_service.set_status(self.store, bead.id, new_status))
        if saved is not None:
            self._replace_current(saved)
            if new_status == "reviewed":
                self.action_next_bead()

    def _replace_current(self, saved: BeadView) -> None:
        index = self.bitext.current
        if index is not None:
            self.bitext.update_bead(index, saved)
        self._show_bead(saved)
        self._update_titlebar()

    def action_undo(self) -> None:
        result: list[BeadView | None] = [None]

        def run(bead: BeadView) -> bool:
            restored = bead_service.undo(self.store, bead.id)
            if restored is None:
                self.notify(f"Bead {bead.number} has no change left to undo.", timeout=3)
            result[0] = restored[0] if restored else None
            return True

        self._structural(run, keep=lambda b: result[0].position if result[0] else b.position)

    def action_merge(self) -> None:
        self._structural(lambda b: bead_service.merge_with_next(self.store, b.id), keep=lambda b: b.position)

    def action_split(self) -> None:
        self._structural(lambda b: bead_service.split_bead(self.store, b.id), keep=lambda b: b.position)

    def _move(self, side: str, direction: str) -> None:
        self._structural(
            lambda b: bead_service.move_boundary(self.store, b.id, side=side, direction=direction),
            keep=lambda b: b.position,
        )

    def action_source_to_prev(self) -> None:
        self._move("source", "prev")

    def action_source_to_next(self) -> None:
        self._move("source", "next")

    def action_target_to_prev(self) -> None:
        self._move("target", "prev")

    def action_target_to_next(self) -> None:
        self._move("target", "next")

    # ------------------------------------------------- actions: find and filter

    def action_cycle_filter(self) -> None:
        if not self.save_current():
            return
        names = list(FILTERS)
        self.filter = names[(names.index(self.filter) + 1) % len(names)]
        self._reload()
        self.notify(f"Showing {self.filter} beads ({len(self.bitext.rows)}).", timeout=2)

    def action_search(self) -> None:
        def done(text: str | None) -> None:
            if text:
                self.search_text = text
                self.action_search_next()

        self.push_screen(PromptScreen("Search Russian and English", "text to find", self.search_text), done)

    def action_search_next(self) -> None:
        if not self.search_text:
            self.action_search()
            return
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
        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            total = len(self.bitext.beads)
            if not text.strip().isdigit() or not 1 <= int(text) <= total:
                self.notify(f"There is no bead {text.strip()!r}; beads are numbered 1 to {total}.", severity="error", markup=False)
                return
            index = int(text) - 1
            if index not in self.bitext.rows:
                if not self.save_current():
                    return
                self.filter = "all"
                self._reload(keep=index)
            self.bitext.move_to(self.bitext.rows.index(index))

        self.push_screen(PromptScreen("Go to bead number", f"1–{len(self.bitext.beads)}"), done)

    def action_toggle_documents(self) -> None:
        self.screen.toggle_class("show-docs")
        self._refresh_documents()
        docs = self.query_one(DocumentList)
        if docs.display:
            docs.focus()
        else:
            self.bitext.focus()

    # ----------------------------------------------------------------- MT

    def _package_ready(self) -> bool:
        from tolmach.service.translation import package_for_document

        return self.doc is not None and self._guard(lambda: package_for_document(self.store, self.doc.id)) is not None

    def action_translate_bead(self) -> None:
        if self.current is None or not self.save_current() or not self._package_ready():
            return
        self._set_status("translating this bead…")
        self._translate_bead(self.current)

    @work(thread=True, exclusive=True, group="mt-bead")
    def _translate_bead(self, bead: BeadView) -> None:
        from tolmach.service.translation import translate_bead

        try:
            saved = translate_bead(self.store, bead.id, force=bead.status in ("machine", "empty"))
        except TolmachError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=8)
            self.call_from_thread(self._set_status)
            return
        self.call_from_thread(self._bead_translated, saved)

    def _bead_translated(self, saved: BeadView) -> None:
        self._set_status()
        index = next((i for i, b in enumerate(self.bitext.beads) if b.id == saved.id), None)
        if index is None:
            return
        self.bitext.update_bead(index, saved)
        if self.current is not None and self.current.id == saved.id and self.editor.text == self.current.target:
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

        def progress(done: int, total: int) -> None:
            self.call_from_thread(self._mt_progress, done, total)

        try:
            report = translate_document(self.store, doc_id, on_progress=progress, cancel=cancel)
            message, severity = report.message, "information"
        except TolmachError as exc:
            message, severity = str(exc), "error"
        self.call_from_thread(self._mt_finished, doc_id, message, severity)

    def _mt_progress(self, done: int, total: int) -> None:
        self.query_one("#mt-progress", ProgressBar).update(total=total, progress=done)
        self._set_status(f"drafting {done}/{total} (T stops)")
        if time.monotonic() - self._mt_last_reload > 1.0 and self.doc is not None:
            self._mt_last_reload = time.monotonic()
            self._reload_keep_editor()

    def _reload_keep_editor(self) -> None:
        """Show new drafts without touching what is being typed in the editor."""
        if self.current is not None and self.editor.text != self.current.target:
            if not self.save_current():
                return
        self._reload()

    def _mt_finished(self, doc_id: int, message: str, severity: str) -> None:
        self.mt_cancel = None
        self.query_one("#mt-progress").display = False
        self._set_status()
        if self.doc is not None and self.doc.id == doc_id:
            self._reload_keep_editor()
        self._refresh_documents()
        self.notify(message, severity=severity, markup=False, timeout=8)  # type: ignore[arg-type]

    # --------------------------------------------------------------- export

    def action_export(self) -> None:
        if self.doc is None or not self.save_current():
            return
        self.push_screen(ExportScreen(self.doc.name))

    def run_export(self, screen: ExportScreen, req: ExportRequest) -> None:
        from tolmach.service.interchange import export

        try:
            report = export(
                self.store, [self.doc.id], req.fmt, req.path,
                statuses={"reviewed"} if req.reviewed_only else None, force=req.overwrite,
            )  # fmt: skip
        except TolmachError as exc:
            screen.show_error(str(exc))
            return
        screen.dismiss(None)
        files = " and ".join(str(p) for p in report.paths)
        note = f" ({'; '.join(report.warnings)})" if report.warnings else ""
        self.notify(f"Wrote {report.units} unit(s) to {files}{note}", markup=False, timeout=8)

    # -------------------------------------------------------- command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for a in ACTIONS:
            if a.palette:
                yield SystemCommand(a.help, f"key: {display_key(a.keys)}", getattr(self, f"action_{a.action}"))


def run_app(store: Store, *, document: int | None = None) -> None:
    """Open the workbench on ``store`` (the CLI has already seeded an empty database)."""
    TolmachApp(store, document=document).run()
