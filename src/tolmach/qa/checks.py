"""Quality checks on one source/target pair, and on a document's beads together.

Pure functions over strings and glossary hits: the service layer feeds them beads from
the database, the TUI shows what they return.  Each finding is a :class:`QAWarning`
with a stable ``code`` (for filtering and JSON) and one sentence for people.

The English side is searched leniently on purpose: case-insensitive, accents folded,
hyphen or space interchangeable, and an English plural or possessive allowed on every
word, so a check fails only when the rendering is really absent.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Protocol

from tolmach.model import DEFAULT_PAIR

#: Codes a warning can carry (documented in docs/glossary.md).
EMPTY = "empty-target"
GLOSSARY_MISSING = "glossary-missing"
GLOSSARY_INCONSISTENT = "glossary-inconsistent"
NUMBERS = "number-mismatch"
DATES = "date-mismatch"
UNTRANSLATED = "untranslated"
UNBALANCED = "unbalanced"


@dataclass(frozen=True)
class QAWarning:
    """One finding.  ``span`` is a character range in the ``side`` text (source or target)."""

    code: str
    message: str
    span: tuple[int, int] | None = None
    side: str = "target"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = list(self.span) if self.span else None
        return data


class HitLike(Protocol):
    """What the checks need of a glossary hit (see :class:`tolmach.glossary.match.Hit`)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def entry_id(self) -> int | None: ...
    @property
    def term(self) -> str: ...
    @property
    def preferred(self) -> str: ...
    @property
    def variants(self) -> tuple[str, ...]: ...


# --- finding English renderings ---------------------------------------------------------


def accent_fold(text: str) -> str:
    """Accents stripped and curly apostrophes straightened, one character per character,
    so spans found in the folded text are spans in the original."""
    return "".join(unicodedata.normalize("NFD", c)[0] if c != "’" else "'" for c in text)


def _word_rx(word: str) -> str:
    """A word with an optional English plural/possessive ending."""
    pieces = [re.escape(p) for p in word.split("-")]
    core = r"[-\s]?".join(pieces)
    if not word[-1:].isalpha():
        return core
    if re.search(r"[^aeiou]y$", word, re.I):
        return core[:-1] + r"(?:y|ies)(?:'s?)?"
    return core + r"(?:e?s)?(?:'s?)?"


@lru_cache(maxsize=4096)
def rendering_regex(rendering: str) -> re.Pattern[str]:
    words = accent_fold(rendering).split()
    body = r"\s+".join(_word_rx(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def find_rendering(target: str, rendering: str, folded: str | None = None) -> tuple[int, int] | None:
    """Span of ``rendering`` in ``target`` (lenient, see module docstring), or None."""
    m = rendering_regex(rendering).search(folded if folded is not None else accent_fold(target))
    return (m.start(), m.end()) if m else None


def used_rendering(target: str, renderings: Sequence[str], folded: str | None = None) -> str | None:
    """Which accepted rendering the target uses (the longest one found), or None."""
    folded = accent_fold(target) if folded is None else folded
    best: tuple[int, str] | None = None
    for r in renderings:
        span = find_rendering(target, r, folded)
        if span and (best is None or span[1] - span[0] > best[0]):
            best = (span[1] - span[0], r)
    return best[1] if best else None


# --- individual checks --------------------------------------------------------------------


def check_empty(source: str, target: str) -> list[QAWarning]:
    if source.strip() and not target.strip():
        return [QAWarning(EMPTY, "The target is empty.", None, "target")]
    return []


def _distinct_terms(hits: Iterable[HitLike]) -> Iterable[tuple[object, HitLike]]:
    """The first hit of each glossary entry (a term found twice is checked once)."""
    seen: set[object] = set()
    for h in hits:
        key = h.entry_id if h.entry_id is not None else h.term
        if key not in seen:
            seen.add(key)
            yield key, h


def check_glossary(source: str, target: str, hits: Iterable[HitLike]) -> list[QAWarning]:
    """A glossary term in the source whose preferred English and variants are all absent."""
    out: list[QAWarning] = []
    folded = accent_fold(target)
    for _, h in _distinct_terms(hits):
        if used_rendering(target, (h.preferred, *h.variants), folded) is None:
            out.append(
                QAWarning(
                    GLOSSARY_MISSING,
                    f"{source[h.start:h.end]!s} ({h.term}) should be rendered {h.preferred!r}"
                    + (f" or a variant ({', '.join(repr(v) for v in h.variants)})" if h.variants else "")
                    + "; none is in the target.",
                    (h.start, h.end),
                    "source",
                )
            )
    return out


#: Month names as they appear next to a day or year.  Data, not code: add languages here.
MONTHS: dict[str, dict[int, tuple[str, ...]]] = {
    "ru": {
        1: ("январь", "января", "январе"),
        2: ("февраль", "февраля", "феврале"),
        3: ("март", "марта", "марте"),
        4: ("апрель", "апреля", "апреле"),
        5: ("май", "мая", "мае"),
        6: ("июнь", "июня", "июне"),
        7: ("июль", "июля", "июле"),
        8: ("август", "августа", "августе"),
        9: ("сентябрь", "сентября", "сентябре"),
        10: ("октябрь", "октября", "октябре"),
        11: ("ноябрь", "ноября", "ноябре"),
        12: ("декабрь", "декабря", "декабре"),
    },
    "en": {
        1: ("january", "jan"),
        2: ("february", "feb"),
        3: ("march", "mar"),
        4: ("april", "apr"),
        5: ("may",),
        6: ("june", "jun"),
        7: ("july", "jul"),
        8: ("august", "aug"),
        9: ("september", "sept", "sep"),
        10: ("october", "oct"),
        11: ("november", "nov"),
        12: ("december", "dec"),
    },
}

_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0\u202f,]\d{3})+)(?![\d]|[.,]\d)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def numbers_in(text: str) -> Counter[str]:
    """The numbers of a text, with thousands separators removed and decimal commas as points."""
    joined = _THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)
    return Counter(n.replace(",", ".").lstrip("0") or "0" for n in _NUMBER.findall(joined))


def months_in(text: str, lang: str) -> Counter[int]:
    """Months named next to a number (``21 августа``, ``August 1968``, ``Aug. 24``)."""
    table = {form: month for month, forms in MONTHS.get(lang, {}).items() for form in forms}
    tokens = _WORD.findall(text.lower())
    found: Counter[int] = Counter()
    for i, tok in enumerate(tokens):
        month = table.get(tok)
        if month is None:
            continue
        neighbours = tokens[max(0, i - 1) : i] + tokens[i + 1 : i + 2]
        if any(t.isdigit() for t in neighbours):
            found[month] += 1
    return found


def check_numbers(source: str, target: str, langs: tuple[str, str]) -> list[QAWarning]:
    out: list[QAWarning] = []
    src_n, tgt_n = numbers_in(source), numbers_in(target)
    missing, extra = src_n - tgt_n, tgt_n - src_n
    if missing:
        out.append(QAWarning(NUMBERS, f"Number(s) {', '.join(sorted(missing.elements()))} of the source are missing from the target."))
    if extra:
        out.append(QAWarning(NUMBERS, f"Number(s) {', '.join(sorted(extra.elements()))} in the target are not in the source."))
    src_m, tgt_m = months_in(source, langs[0]), months_in(target, langs[1])
    if (src_m or tgt_m) and src_m != tgt_m and langs[0] in MONTHS and langs[1] in MONTHS:
        def names(c: Counter[int]) -> str:
            return ", ".join(MONTHS["en"][m][0].title() for m in sorted(c.elements())) or "none"

        out.append(QAWarning(DATES, f"Dates differ: the source names {names(src_m)}, the target {names(tgt_m)}."))
    return out


def check_language(source: str, target: str, langs: tuple[str, str]) -> list[QAWarning]:
    """A target still written in the source language."""
    src, tgt = langs
    if src == tgt or not target.strip():
        return []
    from tolmach.text.langid import detect_language  # langdetect loads its profiles on first use

    found = detect_language(target, default=tgt)
    if found == src:
        return [QAWarning(UNTRANSLATED, f"The target looks like {src!r} text, not {tgt!r}: it is still untranslated.")]
    return []


#: Bracket pairs checked for balance; kinds let «» in the source answer “” in the target.
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("«", "»", "quotes"),
    ("“", "”", "quotes"),
    ("„", "“", "quotes"),
    ("(", ")", "parentheses"),
    ("[", "]", "brackets"),
)


def unbalanced(text: str) -> dict[str, int]:
    """Kind → position of the first unbalanced mark in ``text``."""
    openers = {o: (c, k) for o, c, k in PAIRS if o != "“"}
    closers = {c: k for o, c, k in PAIRS if c != "“"}
    stack: list[tuple[str, int]] = []
    bad: dict[str, int] = {}
    for i, ch in enumerate(text):
        if ch == "“":  # opens in English, closes in German/Russian typesetting
            if stack and stack[-1][0] == "„":
                stack.pop()
            else:
                stack.append(("“", i))
        elif ch in openers:
            stack.append((ch, i))
        elif ch in closers or ch == "”":
            want = {"»": "«", "”": "“", ")": "(", "]": "["}.get(ch)
            if stack and stack[-1][0] == want:
                stack.pop()
            else:
                bad.setdefault(closers.get(ch, "quotes"), i)
    for ch, i in stack:
        kind = "quotes" if ch in "«“„" else openers[ch][1]
        bad.setdefault(kind, i)
    if text.count('"') % 2:
        bad.setdefault("quotes", text.index('"'))
    return bad


def check_balance(source: str, target: str) -> list[QAWarning]:
    """Unbalanced quotes or brackets in the target that the source does not share."""
    src_bad = unbalanced(source)
    return [
        QAWarning(UNBALANCED, f"Unbalanced {kind} in the target.", (pos, pos + 1), "target")
        for kind, pos in unbalanced(target).items()
        if kind not in src_bad
    ]


def check_pair(source: str, target: str, hits: Iterable[HitLike], langs: tuple[str, str] = DEFAULT_PAIR) -> list[QAWarning]:
    """Every per-bead check.  An empty target gives only that warning."""
    empty = check_empty(source, target)
    if empty or not target.strip():
        return empty
    return [
        *check_glossary(source, target, hits),
        *check_numbers(source, target, langs),
        *check_language(source, target, langs),
        *check_balance(source, target),
    ]


def check_consistency(beads: Sequence[tuple[int, str, str, Sequence[HitLike]]]) -> dict[int, list[QAWarning]]:
    """Across beads ``(id, source, target, hits)``: a term rendered in different accepted ways.

    The reference rendering is the preferred one if the document uses it anywhere, else
    the most frequent; beads that use another are flagged.
    """
    uses: dict[object, list[tuple[int, str, HitLike, str]]] = {}
    for bead_id, source, target, hits in beads:
        if not target.strip():
            continue
        folded = accent_fold(target)
        for key, h in _distinct_terms(hits):
            used = used_rendering(target, (h.preferred, *h.variants), folded)
            if used is not None:
                uses.setdefault(key, []).append((bead_id, source, h, used))
    out: dict[int, list[QAWarning]] = {}
    for rows in uses.values():
        counts = Counter(r[3] for r in rows)
        if len(counts) < 2:
            continue
        preferred = rows[0][2].preferred
        reference = preferred if preferred in counts else counts.most_common(1)[0][0]
        for bead_id, source, h, used in rows:
            if used != reference:
                out.setdefault(bead_id, []).append(
                    QAWarning(
                        GLOSSARY_INCONSISTENT,
                        f"{source[h.start:h.end]} ({h.term}) is rendered {used!r} here but {reference!r} elsewhere"
                        f" in the document (the glossary prefers {preferred!r}).",
                        (h.start, h.end),
                        "source",
                    )
                )
    return out
