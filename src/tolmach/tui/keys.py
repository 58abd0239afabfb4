"""Every workbench action in one table: key, action, label, where it applies, palette help.

The bindings of the app and of the bitext view, the help screen and the command palette
are all generated from :data:`ACTIONS`, so a key shown anywhere is a key that works.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    keys: str  # Textual key names, comma-separated
    action: str  # method ``action_<name>`` of the app
    label: str  # short, for the footer
    help: str  # one line, for the help screen and the command palette
    scope: str = "bitext"  # "app": works everywhere, also while typing; "bitext": the bead list
    footer: bool = True
    palette: bool = True


ACTIONS: tuple[Action, ...] = (
    # anywhere
    Action("ctrl+s", "save", "Save", "Save the English of the current bead now", "app", footer=False),
    Action("alt+down", "next_bead", "Next", "Save and go to the next bead (also while typing)", "app", footer=False),
    Action("alt+up", "prev_bead", "Prev", "Save and go to the previous bead (also while typing)", "app", footer=False),
    Action("ctrl+t", "translate_bead", "MT bead", "Machine-translate the current bead", "app"),
    Action("f1", "help", "Help", "Show all keys", "app", footer=False),
    Action("ctrl+q", "quit", "Quit", "Save and quit", "app"),
    Action("escape", "leave_editor", "List", "Save and go back to the bead list", "app", footer=False, palette=False),
    # bead list
    Action("enter,e", "edit", "Edit", "Edit the English of the current bead"),
    Action("r", "review", "Review", "Mark the bead reviewed (confirms an alignment, clears its flag)"),
    Action("u", "undo", "Undo", "Undo the last change of the current bead", footer=False),
    Action("m", "merge", "Merge", "Merge the bead with the next one"),
    Action("s", "split", "Split", "Split the bead at a sentence boundary"),
    Action("left_square_bracket", "source_to_prev", "Src↑", "Move the first Russian sentence to the previous bead", footer=False),
    Action("right_square_bracket", "source_to_next", "Src↓", "Move the last Russian sentence to the next bead", footer=False),
    Action("left_curly_bracket", "target_to_prev", "Tgt↑", "Move the first English sentence to the previous bead", footer=False),
    Action("right_curly_bracket", "target_to_next", "Tgt↓", "Move the last English sentence to the next bead", footer=False),
    Action("f", "cycle_filter", "Filter", "Show all / empty / machine / warnings / needs review"),
    Action("slash", "search", "Search", "Search Russian and English text"),
    Action("n", "search_next", "Next hit", "Go to the next search hit", footer=False),
    Action("g", "goto", "Go to", "Jump to a bead number", footer=False),
    Action("T", "translate_all", "MT all", "Machine-translate all empty beads (press again to stop)"),
    Action("x", "export", "Export", "Export the document (TMX, XLIFF, TSV, Moses, JSONL)"),
    Action("d", "toggle_documents", "Docs", "Show or hide the document list"),
    Action("question_mark", "help", "Help", "Show all keys", palette=False),
)

#: ``alt+1`` … ``alt+9`` insert the preferred English of glossary hit N at the cursor.
GLOSSARY_KEYS = tuple(f"alt+{n}" for n in range(1, 10))


def bindings(scope: str) -> list[Binding]:
    out = [
        Binding(a.keys, ("app." if scope == "bitext" else "") + a.action, a.label, show=a.footer, priority=a.scope == "app" and a.keys != "escape")
        for a in ACTIONS
        if a.scope == scope
    ]
    if scope == "app":
        out += [Binding(k, f"insert_term({i})", f"Term {i + 1}", show=False, priority=True) for i, k in enumerate(GLOSSARY_KEYS)]
    return out


def display_key(keys: str) -> str:
    """How a key is written on the help screen (``left_square_bracket`` → ``[``)."""
    names = {
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "left_curly_bracket": "{",
        "right_curly_bracket": "}",
        "slash": "/",
        "question_mark": "?",
    }
    return " / ".join(names.get(k, k) for k in keys.split(","))
