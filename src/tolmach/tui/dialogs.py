"""Modal screens: help, a one-line prompt (search, go to), pickers (filter, glossary term), export."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from tolmach.tui.widgets.inputs import SteadyInput
from tolmach.tui.widgets.tick import Tick
from textual.widgets.option_list import Option

from tolmach.interchange.document import DOCUMENT_FORMATS
from tolmach.interchange.formats import FORMATS
from tolmach.tui.bitext import MARKERS
from tolmach.tui.keys import ACTIONS, CYRILLIC, GLOSSARY_KEYS, display_key, hand_on
from tolmach.tui.text import visible


class KeyTable:
    """Keys beside what they do; in a narrow window (under :data:`STACK_BELOW` cells) each key
    above its description, which then gets the whole width instead of a word a line."""

    STACK_BELOW = 60

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.STACK_BELOW:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold cyan", no_wrap=True)
            grid.add_column()
            for key, help in self.rows:
                grid.add_row(key, Text(help))  # plain text: "[sic]" is not markup
            yield grid
            return
        for key, help in self.rows:
            yield Text(key, style="bold cyan")
            yield Padding(Text(help), (0, 0, 0, 2))


class Narrow:
    """``wide`` in a window of at least ``cells`` cells, else ``narrow`` (a picker's row whose
    columns would squeeze its description to a word a line)."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, cells: int) -> None:
        self.wide, self.narrow, self.cells = wide, narrow, cells

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.cells else self.narrow


class HelpScreen(ModalScreen[None]):
    """Every key of the workbench, generated from the action table."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        rows = [("↑ ↓ j k", "Move between beads (the edit is saved first)"),
                ("PgUp PgDn Home End", "Move by a page, to the first or last bead")]
        for a in ACTIONS:
            if a.action != "help" or a.keys == "f1":
                rows.append((display_key(a.keys), a.help))
        rows.append((f"{GLOSSARY_KEYS[0]} … {GLOSSARY_KEYS[-1]}", "Insert the English of glossary term N at the cursor (or ctrl+g, then N)"))
        rows.append(("Enter (in the editor)", "Save and go on to the next bead (no line breaks are stored)"))
        rows.append(("ЙЦУКЕН", "With a Russian layout the same keys work (" + ", ".join(f"{display_key(k)}={v}" for k, v in list(CYRILLIC.items())[:4]) + " …)"))
        rows.append(("ctrl+p", "Command palette: every action by name"))
        keys = KeyTable(rows)
        legend = Text("Status markers: ")
        for status, (mark, _) in MARKERS.items():
            legend.append(f" {mark} {status} ")
        with VerticalScroll(id="help-body"):
            yield Static(Text("Tolmach workbench: keys", style="bold"))
            yield Static(keys)
            yield Static(legend)
            yield Static(Text("Esc closes this window.", style="dim"))


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line (search text, a bead number); Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self._title, self._placeholder, self._value = title, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-body"):
            yield Label(Text(visible(self._title), style="bold"))
            yield SteadyInput(value=self._value, placeholder=self._placeholder, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: Path
    reviewed_only: bool
    overwrite: bool
    bilingual: bool = False


def _extension(fmt: str) -> str:
    """The file ending a format suggests: parallel formats, then the translated document's."""
    if fmt in FORMATS:
        ext = FORMATS[fmt].extensions
        return ext[0] if ext else ""
    return DOCUMENT_FORMATS[fmt].extension


def default_export_path(document: str, fmt: str) -> str:
    """``Document I`` + tmx → ``document-i.tmx`` (Moses: the stem; two files are written)."""
    stem = re.sub(r"[^\w.-]+", "-", document.lower(), flags=re.UNICODE).strip("-.") or "export"
    return stem + _extension(fmt)


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Choose a format and a path; the app runs the export and reports."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, document: str, run: Callable[[ExportScreen, ExportRequest], None]) -> None:
        super().__init__()
        self.document = document
        self._run = run  # the workbench's export: closes this screen, or shows its error here

    def compose(self) -> ComposeResult:
        with Vertical(id="export-body"):
            yield Label(Text(f"Export {visible(self.document)}", style="bold"))
            choices = [(f"{f.name.upper()}: {f.description}", f.name) for f in FORMATS.values()]
            choices += [(f"{f.name.upper()}: {f.description}", f.name) for f in DOCUMENT_FORMATS.values()]
            yield Select(choices, value="tmx", allow_blank=False, id="export-format")
            yield SteadyInput(value=default_export_path(self.document, "tmx"), id="export-path")
            yield Tick("Reviewed beads only", id="export-reviewed", compact=True)
            yield Tick("Overwrite an existing file", id="export-overwrite", compact=True)
            yield Tick("Bilingual reading edition (HTML, DOCX)", id="export-bilingual", compact=True)
            yield Static("", id="export-error")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        stem = Path(path.value).stem if Path(path.value).suffix else path.value
        path.value = stem + _extension(str(event.value))

    def show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(message, style="bold red"))

    def request(self) -> ExportRequest | None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.show_error("Give a file name to write.")
            return None
        return ExportRequest(
            fmt=str(self.query_one("#export-format", Select).value),
            path=Path(raw).expanduser().resolve(),
            reviewed_only=self.query_one("#export-reviewed", Tick).value,
            overwrite=self.query_one("#export-overwrite", Tick).value,
            bilingual=self.query_one("#export-bilingual", Tick).value,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-cancel":
            self.dismiss(None)
        else:
            self._submit()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._submit()

    def _submit(self) -> None:
        req = self.request()
        if req is not None:
            self._run(self, req)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickScreen(ModalScreen[str | None]):
    """Choose one of a few named options: arrows and Enter, a digit, or Esc to cancel.
    ``options=None``: they are still being found (a worker) and their keys are their indexes
    (``"0"``, ``"1"``, …); :meth:`fill` shows them.  A digit typed before that chooses at once
    (the picker closes, so what is typed next goes where it was typed; whoever opened the
    picker waits for the options itself)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, RenderableType]] | None, current: str | None = None) -> None:
        super().__init__()
        self._title, self._options, self._current = title, list(options or []), current
        self._loading = options is None
        #: chosen before the options came and closing: keys read meanwhile are for the screen
        #: under it (``TolmachApp.on_event`` holds them until it is back)
        self.closing = False

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-body"):
            yield Label(Text(visible(self._title), style="bold"))
            if self._loading:
                yield Label("Looking them up…", id="pick-loading")
            yield OptionList(*(Option(label, id=key) for key, label in self._options), id="pick-list")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        keys = [k for k, _ in self._options]
        if self._current in keys:
            ol.highlighted = keys.index(self._current)
        ol.focus()

    def fill(self, options: Sequence[tuple[str, RenderableType]]) -> None:
        """The options, found; a digit typed meanwhile chooses now."""
        self._options, self._loading = list(options), False
        try:
            self.query_one("#pick-loading").remove()
        except NoMatches:
            pass
        ol = self.query_one(OptionList)
        ol.add_options([Option(label, id=key) for key, label in options])
        ol.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        if self.closing:  # queued here behind the digit that closed it: for the screen under it
            hand_on(self, event)
            return
        if event.character and event.character.isdecimal() and int(event.character) > 0:
            k = int(event.character) - 1
            if self._loading:
                event.stop()
                self.closing = True
                self.dismiss(str(k))
            elif k < len(self._options):
                event.stop()
                self.dismiss(self._options[k][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
