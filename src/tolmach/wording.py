"""What the services report, in words: one module, shared by the CLI and the workbench.

Services return data (counts and typed reasons: :class:`TranslationReport`,
``AlignReport``, the export reports' ``notices``, :class:`~tolmach.errors.UnknownDocument`)
and never name a command-line flag or a key.  The front-ends word them here.  What differs
between the CLI and the workbench is only how a user asks for the remedy; each passes its
own :class:`Remedies`.

This module imports no front-end, and the services do not import it
(``tests/test_architecture.py`` checks both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tolmach.errors import OptionError, TolmachError, UnknownDocument

if TYPE_CHECKING:
    from tolmach.service.alignment import AlignReport
    from tolmach.service.notices import Notice
    from tolmach.service.translation import TranslationReport


@dataclass(frozen=True)
class Remedies:
    """How a front-end lets the user do what a report says was not done ("" says nothing)."""

    replace_machine: str = ""  # machine drafts were kept
    replace_human: str = ""  # human translations were kept
    list_documents: str = ""  # a document was not found
    option: str = "the {} option"  # how an option of a command is named ({} is its name)


CLI = Remedies(
    replace_machine="--overwrite replaces them",
    replace_human="--force replaces them",
    list_documents="`tolmach docs` lists them",
    option="--{}",
)
WORKBENCH = Remedies(
    replace_machine="ctrl+t re-drafts one bead",
    replace_human="ctrl+t re-drafts one bead",
)


def count(n: int, noun: str) -> str:
    """``1 bead``, ``2 beads``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _kept(n: int, noun: str, remedy: str) -> str:
    return f"{count(n, noun)} kept" + (f" ({remedy})" if remedy else "")


def translation_summary(report: TranslationReport, remedies: Remedies = CLI) -> str:
    """One line for what a machine-translation run did."""
    if report.planned == 0:
        why = []
        if report.kept_machine:
            why.append(_kept(report.kept_machine, "machine draft", remedies.replace_machine))
        if report.kept_human:
            why.append(_kept(report.kept_human, "human translation", remedies.replace_human))
        if report.skipped_other_language:
            why.append(f"{count(report.skipped_other_language, 'bead')} not in {report.source_lang} skipped")
        detail = f": {'; '.join(why)}" if why else ""
        return f'"{report.document}" needs no machine drafts{detail}.'
    head = f'"{report.document}": {report.translated} of {count(report.planned, "bead")} drafted with {report.origin}'
    if report.cancelled:
        return f"{head}; stopped early, finished drafts are saved and a rerun continues."
    extra = _clauses(report, _TRANSLATION_CLAUSES)
    return head + (f" ({'; '.join(extra)})." if extra else ".")


#: A report's optional clauses: (count field, noun the count is of or "", the clause with
#: ``{count}`` for the count, and any other field of the report by name); a clause is
#: said only when its count is not 0.
Clause = tuple[str, str, str]

_TRANSLATION_CLAUSES: tuple[Clause, ...] = (
    ("skipped_other_language", "", "{count} not in the source language skipped"),
    ("kept_human", "human translation", "{count} kept"),
    ("kept_machine", "machine draft", "{count} kept"),
    ("changed_meanwhile", "", "{count} edited meanwhile and left alone"),
)

_ALIGN_CLAUSES: tuple[Clause, ...] = (
    ("flagged", "", "{count} with a score below {flag_below} flagged for review"),
    ("replaced_human", "", "{count} human translations replaced (kept in the history)"),
    ("anchors", "", "{count} anchor(s) kept fixed"),
    ("project_beads", "", "learned from {count} aligned pairs of the project (beads and memory units)"),
    ("used_mt", "", "machine translation by {count} used as evidence"),
    ("used_dict", "", "dictionary {count} used as evidence"),
)


def _clauses(report: object, table: tuple[Clause, ...]) -> list[str]:
    out = []
    for field, noun, template in table:
        n = getattr(report, field)
        if n:
            out.append(template.format_map({**vars(report), "count": count(n, noun) if noun else n}))
    return out


def align_summary(report: AlignReport) -> str:
    """One line for what an alignment did."""
    shapes = ", ".join(f"{n} × {shape}" for shape, n in report.shapes.most_common())
    parts = [
        f'Aligned "{report.document}" ({report.source_sentences} segments) with {report.target_file} '
        f"({report.target_sentences} sentences): {report.beads} beads ({shapes})"
    ]
    parts += _clauses(report, _ALIGN_CLAUSES)
    return "; ".join(parts) + "."


def numbers(values: Iterable[int], limit: int = 10) -> str:
    """``3, 5, 9`` (the first ``limit``, then ``…``)."""
    shown = list(values)
    text = ", ".join(str(n) for n in shown[:limit])
    return text + (", …" if len(shown) > limit else "")


#: The export reports' notices (:class:`tolmach.service.notices.Notice`), by kind;
#: ``{n}`` is the count, ``{which}`` the bead numbers.
NOTICES = {
    "no-units": "No bead matched the filters; the file holds no units.",
    "removed-chars": "{n} character(s) that XML 1.0 does not allow (control characters) were removed.",
    "untranslated": "{n} bead(s) are untranslated and shown as bracketed source ({which}).",
    "merged-paragraphs": "{n} source paragraph(s) are joined to the previous one because a bead spans them.",
}


def notice(item: Notice) -> str:
    return NOTICES[item.kind.value].format(n=item.n, which=numbers(item.which))


def notices(items: Iterable[Notice]) -> list[str]:
    return [notice(i) for i in items]


def error_text(exc: TolmachError, remedies: Remedies = CLI) -> str:
    """An error's sentence, with the front-end's remedy where the error has a typed one."""
    text = str(exc)
    if isinstance(exc, OptionError):
        return exc.worded(remedies.option.format(exc.option))
    if isinstance(exc, UnknownDocument) and remedies.list_documents:
        return f"{text.rstrip('.')}; {remedies.list_documents}."
    return text
