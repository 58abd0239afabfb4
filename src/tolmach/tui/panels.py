"""The panels around the bitext: documents, the current bead's source, glossary and QA."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tolmach.glossary.match import Hit
from tolmach.qa.checks import QAWarning
from tolmach.service.beads import BeadView
from tolmach.service.documents import DocumentSummary
from tolmach.service.worklist import Progress
from tolmach.tui.keys import GLOSSARY_KEYS, cyrillic_bindings
from tolmach.tui.text import visible

if TYPE_CHECKING:  # found by workers, which load these services
    from tolmach.service.apparatus import ErrorFinding
    from tolmach.service.notes import NoteView

NOTE_CHARS = 70  # glossary notes are cut here in the side panel (the full note: `tolmach glossary list`)


class DocumentList(OptionList):
    """Documents with their language pair and how much is translated.  Its footer says how to
    open one and how to go back (Esc, or ``d`` again, as on the bead list)."""

    BINDINGS = [
        Binding("enter", "select", "Open"),
        Binding("escape", "screen.leave_documents", "Back"),
        Binding("d", "screen.toggle_documents", "Docs", show=False),
        *cyrillic_bindings([Binding("d", "screen.toggle_documents", "Docs", show=False)]),
    ]

    def show(self, docs: Sequence[DocumentSummary], current: int | None, progress: Mapping[int, Progress] | None = None) -> None:
        """One option per document; progress in source sentences (``progress``) when given."""
        self.clear_options()
        for d in docs:
            line = Text(visible(d.name), style="bold" if d.id == current else "")
            p = (progress or {}).get(d.id)
            if d.is_reference:  # context material: shown and searchable, never "0% translated"
                line.append(f"\n{d.source_lang}  reference", style="dim")
            else:
                counts = f"{p.translated}/{p.segments}  {p.ratio:.0%}" if p else f"{d.translated}/{d.beads}  {d.progress:.0%}"
                line.append(f"\n{d.source_lang}→{d.target_lang}  {counts}", style="dim")
            self.add_option(Option(line, id=str(d.id)))
        for k, d in enumerate(docs):
            if d.id == current:
                self.highlighted = k


def source_text(bead: BeadView | None, hits: Sequence[Hit], misprints: Sequence[ErrorFinding] = (), notes: Sequence[NoteView] = ()) -> Text:
    """The bead's source sentences, glossary terms underlined (spans index ``bead.source``),
    probable misprints of the printed source marked with their reading (the historian's
    apparatus; ``misprints`` are the document's findings, by segment position)."""
    if bead is None:
        return Text("No bead.", style="dim")
    if not bead.sources:
        return Text("(no source: this bead holds English with no Russian counterpart)", style="dim italic")
    text = Text(visible(bead.source))  # same length as bead.source except for line breaks
    if "\n" not in bead.source and "\r" not in bead.source:
        for h in hits:
            text.stylize("underline bold", h.start, h.end)
    offsets, off = {}, 0
    for k, piece in enumerate(bead.sources):
        offsets[bead.src_start + k] = off
        off += len(piece) + 1
    mine = [m for m in misprints if m.position in offsets]
    for m in mine:
        text.stylize("bold red" if not m.confirmed else "italic", offsets[m.position] + m.start, offsets[m.position] + m.end)
    head = Text(f"#{bead.number} · {bead.shape} · {bead.status}", style="dim")
    if bead.origin:
        head.append(f" · {visible(bead.origin)}", style="dim")
    if bead.score is not None:
        head.append(f" · score {bead.score:.2f}", style="dim")
    lines = [head]
    if mine:
        note = Text("misprints: ", style="dim")
        note.append("; ".join(f"{m.word} → {m.reading}" + (" (read)" if m.confirmed else "") for m in mine),
                    style="red" if any(not m.confirmed for m in mine) else "dim")
        if any(not m.confirmed for m in mine):
            note.append("  R confirms the readings", style="dim")
        lines.append(note)  # under the header: the source panel has a fixed height
    if notes:
        shown = Text("notes: ", style="dim")
        shown.append("; ".join(f"{n.kind.value}" + (f" [{n.anchor}]" if n.anchor else "") + f": {visible(n.text)}" for n in notes),
                     style="cyan")
        lines.append(shown)
    lines.append(text)
    return Text("\n").join(lines)


def glossary_text(hits: Sequence[Hit], *, notes: bool = True) -> Text:
    """Numbered hits; ``alt+N`` (or ctrl+g, N) inserts hit N's preferred English into the editor."""
    out = Text("Glossary", style="bold")
    out.append("  ctrl+g picks\n" if hits else "\n", style="dim")
    if not hits:
        out.append("no terms in this bead", style="dim")
        return out
    seen: list[Hit] = unique_hits(hits)
    for n, h in enumerate(seen, 1):
        key = GLOSSARY_KEYS[n - 1] if n <= len(GLOSSARY_KEYS) else ""
        out.append(f"{key:<6}", style="dim")
        out.append(visible(h.surface), style="bold")
        out.append(" → ")
        out.append(visible(h.preferred), style="green")
        if h.note and notes:
            note = visible(h.note)
            out.append(f"\n      {note[:NOTE_CHARS] + '…' if len(note) > NOTE_CHARS else note}", style="dim italic")
        out.append("\n")
    return out


def glossary_pending_text(number: int) -> Text:
    """The glossary panel while bead ``number``'s terms are being looked up: the previous
    bead's numbered terms would be read as this one's (alt+N inserts this bead's term N)."""
    out = Text("Glossary", style="bold")
    out.append(f"  looking up bead {number}'s terms…", style="dim")
    return out


def unique_hits(hits: Sequence[Hit]) -> list[Hit]:
    """One line per glossary entry, in order of first appearance."""
    seen: dict[object, Hit] = {}
    for h in hits:
        seen.setdefault(h.entry_id if h.entry_id is not None else h.term, h)
    return list(seen.values())


def qa_text(warnings: Sequence[QAWarning], target: str) -> Text:
    out = Text("Checks\n", style="bold")
    if not target.strip():
        out.append("no English yet", style="dim")
        return out
    if not warnings:
        out.append("✓ no warnings", style="green")
        return out
    for w in warnings:
        out.append("▲ ", style="yellow")
        out.append(visible(w.message))
        out.append("\n")
    return out


class InfoPanel(Static):
    """A static panel whose content is always a Text (never parsed as markup)."""
