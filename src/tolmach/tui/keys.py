"""Every workbench action in one table: key, action, label, where it applies, palette help.

The bindings of the workbench and of the bitext view, the help screen and the command
palette are all generated from :data:`ACTIONS`, so a key shown anywhere is a key that works.

Keys are chosen so that ordinary terminals deliver them:

* ``alt+1`` … ``alt+9`` arrive from tmux, xterm, GNOME Terminal and Konsole as ESC then the
  digit; Textual maps those pairs to macOS Option characters (``¡ ™ £ ¢``), so
  :func:`deliver_alt_digits` teaches the parser that they are ``alt+N``.  ``ctrl+g`` (a
  plain control byte every terminal sends) opens the glossary picker as well.
* With a Russian (ЙЦУКЕН) layout the letter keys send Cyrillic letters; every one-key
  command is also bound to the letter at the same place (:func:`cyrillic_bindings`).

Textual hands each key to the widget focused when the app *reads* it; on a busy moment keys
typed behind one that moves the focus (Escape, then ``C`` and a query) are already queued at
the old widget.  The bead list hands keys typed behind Enter to the editor
(``TargetEditor.take_key``); every other such key is given back to the app with
:func:`hand_on`, which delivers it where the focus is now, in the order typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from textual import events
from textual.binding import Binding
from textual.widget import Widget


@dataclass(frozen=True)
class Action:
    keys: str  # Textual key names, comma-separated
    action: str  # method ``action_<name>`` of the workbench screen
    label: str  # short, for the footer
    help: str  # one line, for the help screen and the command palette
    scope: str = "bitext"  # "app": works everywhere, also while typing; "bitext": the bead list
    footer: bool = True
    palette: bool = True


ACTIONS: tuple[Action, ...] = (
    # anywhere, also while typing (the first two are what a narrow footer keeps)
    Action("f1", "help", "Help", "Show all keys", "app"),
    Action("ctrl+q", "quit", "Quit", "Save and quit", "app"),
    Action("ctrl+s", "save", "Save", "Save the English of the current bead now", "app", footer=False),
    Action("alt+down", "next_bead", "Next", "Save and go to the next bead (also while typing)", "app", footer=False),
    Action("alt+up", "prev_bead", "Prev", "Save and go to the previous bead (also while typing)", "app", footer=False),
    Action("ctrl+g", "pick_term", "Term", "Pick a glossary term to insert (then its number, or arrows and Enter)", "app", footer=False),
    Action("ctrl+t", "translate_bead", "MT bead", "Machine-translate the current bead", "app", footer=False),
    Action("ctrl+r", "use_match", "Use TM", "Put the selected translation-memory match into the editor", "app", footer=False),
    Action("alt+s", "sic", "[sic]", "Attach the project's editorial note ([sic]) to the selected English word, or the word at the cursor", "app", footer=False),
    Action("alt+n", "next_match", "TM next", "Select the next translation-memory match", "app", footer=False),
    Action("alt+p", "prev_match", "TM prev", "Select the previous translation-memory match", "app", footer=False),
    Action("escape", "leave_editor", "List", "Save and go back to the bead list", "app", footer=False, palette=False),
    # bead list
    Action("question_mark", "help", "Help", "Show all keys", footer=False, palette=False),
    Action("enter,e", "edit", "Edit", "Edit the English of the current bead"),
    Action("R", "confirm_readings", "Read", "Confirm the proposed readings of the bead's misprints (the source stays as printed)", footer=False),
    Action("r", "review", "Review", "Mark reviewed and move on (again: back to edited; on a flagged empty bead: clear the flag)"),
    Action("c", "next_unconfirmed", "Todo", "Go to the next bead no person has confirmed (empty, machine, imported, flagged)", footer=False),
    Action("exclamation_mark", "next_flagged", "Next !", "Go to the next bead flagged for review", footer=False),
    Action("u", "undo", "Undo", "Undo the last change of the current bead (says what it undid)"),
    Action("U", "redo", "Redo", "Redo what the last undo of the current bead reversed", footer=False),
    Action("m", "merge", "Merge", "Merge the bead with the next one", footer=False),
    Action("s", "split", "Split", "Split the bead at a sentence boundary", footer=False),
    Action("left_square_bracket", "source_to_prev", "Src↑", "Move the first Russian sentence to the previous bead", footer=False),
    Action("right_square_bracket", "source_to_next", "Src↓", "Move the last Russian sentence to the next bead", footer=False),
    Action("left_curly_bracket", "target_to_prev", "Tgt↑", "Move the first English sentence to the previous bead", footer=False),
    Action("right_curly_bracket", "target_to_next", "Tgt↓", "Move the last English sentence to the next bead", footer=False),
    Action("f", "pick_filter", "Filter", "Choose which beads to show (all, empty, unconfirmed, machine, warnings, needs review, reviewed)"),
    Action("slash", "search", "Search", "Search Russian and English text (hits are highlighted)"),
    Action("n", "search_next", "Next hit", "Go to the next search hit", footer=False),
    Action("g", "goto", "Go to", "Jump to a bead number", footer=False),
    Action("C", "concordance", "Concordance", "Search every document and memory (inflected forms too) and jump to a bead", footer=False),
    Action("T", "translate_all", "MT all", "Machine-translate all empty beads (press again to stop)", footer=False),
    Action("x", "export", "Export", "Export the document: bilingual (TMX, XLIFF, XLIFF2, TSV, Moses, JSONL, TEI) or the translation alone (text, Markdown, HTML, DOCX)", footer=False),
    Action("d", "toggle_documents", "Docs", "Show or hide the document list", footer=False),
)

#: ``alt+1`` … ``alt+9`` insert the preferred English of glossary hit N at the cursor.
GLOSSARY_KEYS = tuple(f"alt+{n}" for n in range(1, 10))

#: A key of the Latin (QWERTY) layout → the key name the same key sends with the Russian
#: ЙЦУКЕН layout (Textual names a Cyrillic letter by itself; ``.`` is ``full_stop``).
CYRILLIC: dict[str, str] = {
    **dict(zip("qwertyuiopasdfghjklzxcvbnm", "йцукенгшщзфывапролдячсмить")),
    **dict(zip("QWERTYUIOPASDFGHJKLZXCVBNM", "ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ")),
    "left_square_bracket": "х",
    "right_square_bracket": "ъ",
    "left_curly_bracket": "Х",
    "right_curly_bracket": "Ъ",
    "slash": "full_stop",
    "question_mark": "comma",
}


def cyrillic_bindings(latin: list[Binding]) -> list[Binding]:
    """The same actions on the keys at the same places of a Russian keyboard."""
    out = []
    for b in latin:
        keys = [CYRILLIC[k] for k in b.key.split(",") if k in CYRILLIC]
        if keys:
            out.append(Binding(",".join(keys), b.action, b.description, show=False, priority=b.priority))
    return out


def bindings(scope: str) -> list[Binding]:
    """Bindings of one scope.  None is a priority binding: a priority binding runs when the
    key arrives, before keys typed ahead of it have reached the editor (see
    ``TargetEditor.commands``, which runs the "app" keys in order while typing)."""
    out = [
        Binding(a.keys, ("screen." if scope == "bitext" else "") + a.action, a.label, show=a.footer)
        for a in ACTIONS
        if a.scope == scope
    ]
    if scope == "app":
        out += [Binding(k, f"insert_term({i})", f"Term {i + 1}", show=False) for i, k in enumerate(GLOSSARY_KEYS)]
    return out


class _KeyName(str):
    """Stands in for a :class:`textual.keys.Keys` member in Textual's sequence table."""

    @property
    def value(self) -> str:
        return str(self)


def deliver_alt_digits() -> None:
    """Make ESC+digit (how most terminals send alt+digit) arrive as ``alt+N``, not as the
    macOS Option characters Textual maps it to (``¡ ™ £ ¢ ∞ § ¶ • ª``).  A real ``£``
    typed on a keyboard is a single character and still types ``£``."""
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
    from textual.keys import Keys

    table = ANSI_SEQUENCES_KEYS
    assert isinstance(table, dict)  # declared a Mapping, built as a dict: the parser reads it at each key
    for n in range(10):
        # the parser reads only ``.value`` of the tuple's items, which _KeyName has
        table[f"\x1b{n}"] = (cast(Keys, _KeyName(f"alt+{n}")),)


def display_key(keys: str) -> str:
    """How a key is written on the help screen (``left_square_bracket`` → ``[``)."""
    names = {
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "left_curly_bracket": "{",
        "right_curly_bracket": "}",
        "slash": "/",
        "question_mark": "?",
        "exclamation_mark": "!",
    }
    return " / ".join(names.get(k, k) for k in keys.split(","))


def focus_left(widget: Widget) -> bool:
    """Whether a key in ``widget``'s queue was typed for somewhere else: an earlier key of the
    queue moved the focus to another widget or opened a dialog."""
    return widget.app.screen is not widget.screen or widget.screen.focused is not widget


def hand_on(widget: Widget, event: events.Key) -> None:
    """Give a key that reached ``widget`` after the focus left it back to the app, which
    delivers it where the focus is now (``TolmachApp.type_ahead``), in order."""
    event.stop()
    event.prevent_default()
    type_ahead = getattr(widget.app, "type_ahead", None)
    if type_ahead is not None:
        type_ahead(event)
