"""Rebuild paragraphs from text extracted from PDFs.

What the extraction leaves behind, and what this module undoes:

* every line followed by a blank line (or not; the *typical* gap of the file is taken
  as "same paragraph", a larger gap as a break);
* sentences running across hard line breaks and page breaks, a continuation line
  sometimes starting with a stray space (the mark of a new page);
* words split by a line-end hyphen (``социалисти-`` + ``ческих``), which are joined,
  while real compounds (``марксистско-ленинского``) keep their hyphen;
* page furniture: bare page numbers, running heads (also heads printed only twice,
  alternating on odd and even pages, or with the page number on their line), footnote rules;
* blank lines around that furniture, which say nothing about paragraphs: whether a page
  break falls inside a sentence is read from the words (:func:`continues_sentence`: no
  terminal punctuation before the break, a lower-case letter after it), so neither half
  of a broken sentence becomes a paragraph or a heading of its own;
* footnotes in the middle of running text, which are set aside as their own blocks so
  the sentence they interrupt is rebuilt whole.

The result is a list of :class:`Block` s (a heading, a paragraph, a footnote, a
``DOCUMENT I`` marker ...); :mod:`tolmach.text.documents` decides what each one is.
All rules are data at the top of the module.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from tolmach.text.rules import KIND_RULES, STANDALONE_KINDS

#: Lines that are page furniture and are dropped (matched against the stripped line).
PAGE_NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[-–—]?\s*\d{1,4}\s*[-–—]?$"),
    re.compile(r"^(?:page|p\.|pp\.|стр\.|с\.)\s*\d{1,4}(?:\s*(?:of|из|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
)

#: A footnote rule: a long run of spaces (what a PDF's rule line extracts as) or of dashes.
FOOTNOTE_RULE = re.compile(r"^(?: {10,}|\s*[_—–-]{5,}\s*)$")

#: A line starting a document inside a file ("DOCUMENT I", "Document 2", "ДОКУМЕНТ № 3").
DOCUMENT_MARKER = re.compile(
    r"^(?:DOCUMENT|Document|ДОКУМЕНТ|Документ)\s*(?:№\s*)?(?P<number>[IVXLCDM]+|\d{1,4})\.?$"
)

#: Lines that always stand alone: they never continue or get continued.
STANDALONE_PATTERNS: tuple[re.Pattern[str], ...] = (
    DOCUMENT_MARKER,
    re.compile(r"^\(.*\)$"),  # fully parenthesised: archival reference, date range
    *(pattern for kind, pattern in KIND_RULES if kind in STANDALONE_KINDS),  # datelines, salutations
)

#: What may follow a standalone line on the next line without starting a new block:
#: the tail of a wrapped dateline.
DATELINE_CONTINUATION = re.compile(r"^(?:года|г\.|year)\.?$")

#: A footnote's first line inside a footnote zone: its number, then text.
FOOTNOTE_START = re.compile(r"^(?P<number>\d{1,3})\s+\S")

#: A running head occurs at least this often (with page numbers stripped).  Two is enough:
#: a short article has few pages, and odd and even pages carry different heads (the
#: journal's title, the author's name), so each may be printed only twice.
RUNNING_HEAD_MIN = 2
#: A running head is at most this long (a page number at its edge aside).
MAX_HEAD = 100

#: Hyphen characters that can end a line inside a split word (soft hyphen included).
LINE_END_HYPHENS = "-\u2010\u00ad¬"

#: Sentence-final punctuation, optionally followed by closing quotes/brackets.
_SENTENCE_END = re.compile(
    r"[.!?…。！？][»”\"’)\]」』）]*\d{0,3}$|[.!?…。！？]\d{0,3}[»”\"’)\]」』）]*$"
)
#: Words ending in a dot that do not end a paragraph ("т.", "гор.", "vol.").
_ABBREV_END = re.compile(r"(?:^|\s)(?:\w|т|г|гг|гор|с|тов|им|см|vol|no|pp?|ff?|cf|ed|eds|St|Mr|Dr)\.$", re.IGNORECASE)
_STARTS_LIKE_PARAGRAPH = re.compile(r"^[\W\d]*[A-ZА-ЯЁ0-9«“\"„(–—-]")
_WORD_CHARS = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Whitespace to collapse into one space: a run that is not already a single space (so a
#: line of single-spaced words is not rebuilt piece by piece: ``re.sub`` returns it as it is).
_SPACES = re.compile(r"[^\S ]\s*| \s+")
_EDGE_NUMBER = re.compile(r"^\d{1,4}\s+|\s+\d{1,4}$")

#: A paragraph ends on a line shorter than this share of the text's line width.
SHORT_LINE = 0.75
#: Files whose typical line is longer than this hold one paragraph per line.
MAX_WRAP_WIDTH = 160


@dataclass(slots=True)
class Line:
    """A non-blank line with what surrounded it in the source."""

    text: str  # whitespace collapsed, stripped
    gap: int  # blank lines before it (after page furniture is dropped)
    page_start: bool = False  # first line after a page break (or starting with a stray space)
    furniture: bool = False  # page furniture (a number, a running head, a form feed) was dropped before it
    after_rule: bool = False  # first line after a footnote rule


@dataclass(slots=True)
class Block:
    """A run of lines that belong together: a heading, a paragraph, a footnote, a marker."""

    lines: list[str] = field(default_factory=list)
    note: bool = False  # a footnote set aside from the running text
    marker: str | None = None  # "I", "II", ... for a DOCUMENT marker line
    paragraph: int = 0
    text: str = ""  # the lines joined (set once the whole text has been seen)


def normalize_newlines(text: str) -> str:
    """CRLF and CR to LF; form feeds become their own line (a page break)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")


def is_page_number(stripped: str) -> bool:
    return any(p.match(stripped) for p in PAGE_NUMBER_PATTERNS)


def _head_key(line: str) -> str:
    """A line without the page number at its edge; a year closing a title stays
    ("SOVIET LETTERS TO THE ROMANIAN LEADERSHIP, 1968")."""
    key = _EDGE_NUMBER.sub("", line)
    return line if key.endswith(",") else key


_WIDE_EDGE_NUMBER = re.compile(r"^\s*\d{1,4}(?:\s{2,}|\t)\S|\S(?:\s{2,}|\t)\d{1,4}\s*$")
_RIGHT_EDGE_NUMBER = re.compile(r"\s\d{1,4}\s*$")


def _page_number_edge(raw_line: str, key: str) -> bool:
    """Is the number at the edge of this line a page number, not a footnote's number?

    A page number is set apart from the head by a wide gap (``HISTORICAL YEARBOOK    127``),
    or stands at the right edge, or the head is in capitals; a footnote's number starts
    its line with one space ("2 Так в тексте").
    """
    return bool(_WIDE_EDGE_NUMBER.search(raw_line) or _RIGHT_EDGE_NUMBER.search(raw_line)) or is_caps(key)


def _running_heads(raw: list[str]) -> set[str]:
    """Lines repeated next to page breaks (or carrying changing page numbers)."""
    stripped = [_SPACES.sub(" ", r).strip() for r in raw]
    nonblank = [i for i, s in enumerate(stripped) if s]
    near_break: Counter[str] = Counter()
    numbers: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for k, i in enumerate(nonblank):
        s = stripped[i]
        if s == "\f" or is_page_number(s) or len(s) > MAX_HEAD:
            continue
        key = _head_key(s)
        counts[key] += 1
        if key != s and _page_number_edge(raw[i], key):
            numbers.setdefault(key, set()).add(s)
        neighbours = [stripped[nonblank[j]] for j in (k - 1, k + 1) if 0 <= j < len(nonblank)]
        if any(n == "\f" or is_page_number(n) for n in neighbours) or k == 0:
            near_break[key] += 1
    return {
        key
        for key, n in counts.items()
        if n >= RUNNING_HEAD_MIN
        # a head is a title, never a sentence: a repeated footnote ("2 Так в тексте.",
        # "20 Ibid.") at a page's foot next to its number is not one
        and not _SENTENCE_END.search(key)
        # ... nor a piece of one: a wrapped reference "(DANIC, ... file" is not a title
        and not _open_bracket(key)
        and not _OPEN_PUNCTUATION.search(key)
        and (
            near_break[key] >= RUNNING_HEAD_MIN
            # "124 HISTORICAL YEARBOOK" style heads: a title-like text with changing numbers
            or (len(numbers.get(key, ())) >= RUNNING_HEAD_MIN and len(_letters(key)) >= 8)
        )
        and not DOCUMENT_MARKER.match(key)
    }


def lines_of(text: str) -> list[Line]:
    """Non-blank lines with gaps, page furniture dropped, page starts and footnote rules marked."""
    raw = normalize_newlines(text).split("\n")
    heads = _running_heads(raw)
    out: list[Line] = []
    gap = 0
    gap_before_break = 0  # blank lines before the page furniture started
    page_break = False
    rule = False
    for r in raw:
        if FOOTNOTE_RULE.match(r):
            rule = True
            gap += 1
            continue
        s = _SPACES.sub(" ", r).strip()
        if not s:
            gap += 1
            continue
        if s == "\f" or is_page_number(s) or (heads and len(s) <= MAX_HEAD + 10 and _head_key(s) in heads):
            if not page_break:
                gap_before_break = gap
            page_break = True
            gap = 0  # blank lines between furniture lines say nothing about the text
            continue
        stray = r[:1].isspace()
        if page_break:  # a paragraph break shows on one side of the furniture or the other
            gap = max(gap, gap_before_break)
        out.append(Line(s, gap, page_start=page_break or stray, after_rule=rule, furniture=page_break))
        gap, page_break, rule = 0, False, False
    return out


# --- line-end hyphens -----------------------------------------------------------------

#: First halves of Russian compound adjectives ("марксистско-", "советско-", "научно-").
_COMPOUND_FIRST_PART = re.compile(r"(?:ск|цк|н|ч|ьн)о$")
#: Particles written after a hyphen ("кто-то", "как-нибудь", "скажи-ка").
HYPHEN_PARTICLES = frozenset({"то", "либо", "нибудь", "ка", "таки", "де"})
#: A whole word as the first half of a compound ("марксизм-ленинизм") has at least this many letters.
MIN_COMPOUND_WORD = 5


def _known_ru(word: str) -> bool:
    from tolmach.text.morphology import analyzer

    return bool(word) and bool(analyzer().word_is_known(word.lower()))


def keeps_hyphen(left: str, right: str, vocabulary: Counter[str] | None = None) -> bool:
    """Is ``left-`` + ``right`` (split at a line end) a real compound, not a hyphenated word?

    The text itself is the first dictionary (the word seen elsewhere whole or hyphenated);
    for Russian pymorphy3's dictionary decides; otherwise a capital after the hyphen
    ("Romanian-Soviet") means a compound and anything else a split word.
    """
    if not left or not right:
        return True
    vocab = vocabulary or Counter()
    joined, hyphened = (left + right).lower(), f"{left}-{right}".lower()
    if vocab[hyphened] > 0 and vocab[hyphened] >= vocab[joined]:
        return True
    if vocab[joined] > 0:
        return False
    caps = left.isupper() and right.isupper()  # a heading in capitals: judge the words lowered
    if (right[0].isupper() and not caps) or right[0].isdigit() or left[-1].isdigit():
        return True
    if re.search(r"[а-яё]", joined):
        if _known_ru(joined):
            return False
        if len(right) < 3 and right.lower() not in HYPHEN_PARTICLES:
            return False  # "полога-" + "ем" (a misspelt "полагаем"): no compound ends so short
        first_part = bool(_COMPOUND_FIRST_PART.search(left.lower())) or (
            len(left) >= MIN_COMPOUND_WORD and _known_ru(left)
        )  # short known words ("пери", "под") are far more often prefixes than compound halves
        return first_part and _known_ru(right)
    return False


_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHENATED_END = re.compile(r"([^\W\d_]+)[" + LINE_END_HYPHENS + r"]$")
#: What a text must end with for _HYPHENATED_END to match (``$`` also matches before a final newline).
_HYPHEN_ENDS = (*LINE_END_HYPHENS, "\n")


def hyphenated_end(text: str) -> re.Match[str] | None:
    """``_HYPHENATED_END.search(text)``, asked only of a text that ends in a hyphen: the
    search tries every position of the text, and most lines end otherwise."""
    return _HYPHENATED_END.search(text) if text.endswith(_HYPHEN_ENDS) else None

_FIRST_WORD = re.compile(r"[^\W\d_]+")
#: How much of the end of a joined text is looked at for the word before a hyphen.
TAIL = 200


def hyphen_breaks(blocks: list[Block]) -> set[str]:
    """The words :func:`join_lines` will look up: for each line of a block that ends in a
    word and a hyphen, that word with the next line's first word, joined and hyphenated.

    Counting only these keeps the vocabulary as small as the number of hyphenated line
    ends, whatever the size of the text.
    """
    wanted: set[str] = set()
    for b in blocks:
        for left, right in zip(b.lines, b.lines[1:]):
            m, n = hyphenated_end(left[-TAIL:]), _FIRST_WORD.match(right)
            if m and n:
                word, following = m.group(1).lower(), n.group(0).lower()
                wanted.update((word + following, f"{word}-{following}"))
    return wanted


def vocabulary_of(lines: list[Line], wanted: set[str]) -> Counter[str]:
    """How often each word of ``wanted`` (lower case, hyphenated compounds whole) occurs
    inside the lines (not at their ends)."""
    vocab: Counter[str] = Counter()
    if not wanted:
        return vocab
    for ln in lines:
        body = ln.text[:-1] if ln.text.endswith(tuple(LINE_END_HYPHENS)) else ln.text
        for m in _COMPOUND.finditer(body):
            w = m.group().lower()
            if w in wanted:
                vocab[w] += 1
    return vocab


#: Scripts written without spaces between words (CJK ideographs, kana, their punctuation).
_UNSPACED = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def join_lines(lines: list[str], vocabulary: Counter[str] | None = None) -> str:
    """Join wrapped lines with single spaces, undoing line-end hyphenation."""
    vocab = vocabulary if vocabulary is not None else Counter()
    pieces: list[str] = []  # joined once at the end: a block of many lines stays linear
    tail = ""  # the end of what is joined so far
    for ln in lines:
        if not pieces:
            pieces.append(ln)
            tail = ln[-TAIL:]
            continue
        sep = " "
        m, n = hyphenated_end(tail), _FIRST_WORD.match(ln)
        if m and n:
            sep = ""
            keep = keeps_hyphen(m.group(1), n.group(0), vocab)
            if not keep or tail[-1] != "-":
                pieces[-1], tail = pieces[-1][:-1], tail[:-1]  # the line-end hyphen goes ...
                if keep:
                    sep = "-"  # ... and a plain one takes its place in a compound
        elif tail[-1] in LINE_END_HYPHENS and not tail[-2:-1].isspace():
            sep = ""  # "1968-" + "1970": a hyphen glued to something that is not a word
        elif _UNSPACED.match(tail[-1]) and _UNSPACED.match(ln[0]):
            sep = ""  # Chinese and Japanese lines join without a space
        if sep:
            pieces.append(sep)
        pieces.append(ln)
        tail = (tail + sep + ln[-TAIL:])[-TAIL:]
    return "".join(pieces)


# --- blocks ---------------------------------------------------------------------------


def _letters(s: str) -> str:
    return "".join(_WORD_CHARS.findall(s))


def is_caps(s: str) -> bool:
    """An all-capitals line (headings), judged on its letters (at least three)."""
    if not s.isupper():  # no lower-case letter, and some upper-case one
        return False
    letters = 0
    for m in _WORD_CHARS.finditer(s):
        letters += len(m.group())
        if letters >= 3:
            return True
    return False


def _continues_standalone(line: str, nxt: str) -> bool:
    """A dateline wrapped before its last word ("... 24 августа 1968" + "года") goes on."""
    return bool(DATELINE_CONTINUATION.match(nxt)) and not DOCUMENT_MARKER.match(line)


def _standalone(s: str) -> bool:
    return any(p.match(s) for p in STANDALONE_PATTERNS)


def _ends_paragraph(prev: str, nxt: str, width: int) -> bool:
    """A short line ending a sentence, followed by a line that can start one."""
    if len(prev) >= SHORT_LINE * width:
        return False
    if not _SENTENCE_END.search(prev) or _ABBREV_END.search(prev):
        return False
    return bool(_STARTS_LIKE_PARAGRAPH.match(nxt))


#: Words that cannot end a sentence: prepositions, conjunctions and particles that always
#: lead into what follows ("по", "и", "of", "the").  A line ending in one goes on.
LEADING_WORDS = frozenset(
    """а без в во вместо для до за и из изо или к ко как между на над не ни о об обо от ото по
    под подо при про с со у через что чтобы но да либо то же ли бы
    a an and as at but by for from in into nor of on or than that the to with""".split()
)
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
_FIRST_LETTER = re.compile(r"[^\W\d_]")
#: Punctuation after which a sentence always goes on (a comma, a dash, a colon ...).
_OPEN_PUNCTUATION = re.compile(r"[,;:(«„“\u2013\u2014-]$")


def starts_lower(line: str) -> bool:
    """The line's first letter is lower case ("вооруженными силами.", "and the ...")."""
    m = _FIRST_LETTER.search(line)
    return m is not None and m.group().islower() and m.start() <= 2


def open_end(line: str) -> bool:
    """The line cannot end a sentence: no terminal punctuation, and it ends in a comma, a
    dash, a lower-case word or a word that always leads into more ("по", "of")."""
    if _SENTENCE_END.search(line) or is_caps(line):
        return False
    if _OPEN_PUNCTUATION.search(line) or line[-1:] in LINE_END_HYPHENS:
        return True
    m = _LAST_WORD.search(line)
    if not m:
        return False
    word = m.group(1)
    return word.islower() or word.lower() in LEADING_WORDS


def continues_sentence(prev: str, nxt: str, page_break: bool = False, width: int = 0) -> bool:
    """The linguistic cue that a break (blank lines, a page break) falls inside a sentence.

    ``prev`` has no terminal punctuation and ``nxt`` starts in lower case.  Across a page
    break, where the blank lines around the page furniture say nothing, the missing
    terminal punctuation alone is enough ("... по" + furniture + "Московском коммюнике",
    "... ЦК" + furniture + "КПСС исходит"), as long as ``prev`` does not look like a heading:
    it ends in a lower-case word, a comma or a preposition, or it fills the line (``width``).
    """
    if is_caps(prev) or _standalone(nxt) or DOCUMENT_MARKER.match(nxt):
        return False
    if _SENTENCE_END.search(prev) and not _ABBREV_END.search(prev) and not _open_bracket(prev):
        return False  # "vol. II, ff." + "25-28)": an abbreviation or an open bracket goes on
    if starts_lower(nxt):
        return True
    return page_break and (open_end(prev) or (width > 0 and len(prev) >= SHORT_LINE * width))


def _open_bracket(line: str) -> bool:
    return line.count("(") > line.count(")")


def _typical_gap(lines: list[Line]) -> int:
    gaps = Counter(min(ln.gap, 3) for ln in lines[1:] if not ln.page_start)
    # on a tie (a short file) the smaller gap is the line gap: a blank line between two
    # paragraphs of a typed letter is commoner than a blank after every line of a short PDF
    return max(gaps.items(), key=lambda kv: (kv[1], -kv[0]))[0] if gaps else 0


def _width(lines: list[Line]) -> int:
    """The text's line width: the 90th percentile of line lengths (the longest line of a few)."""
    lengths = sorted(len(ln.text) for ln in lines)
    return lengths[min(len(lengths) - 1, math.ceil(0.9 * len(lengths)))] if lengths else 0


def reflow(text: str) -> list[Block]:
    """The blocks of a text: paragraphs rebuilt, furniture gone, footnotes set aside."""
    lines = lines_of(text)
    if not lines:
        return []
    base_gap = _typical_gap(lines)
    width = _width(lines)
    wrapped = width <= MAX_WRAP_WIDTH

    blocks: list[Block] = []
    pending_notes: list[Block] = []
    current: Block | None = None  # the running-text block being built
    note: Block | None = None  # the footnote being built, inside a footnote zone
    last_note_number = 0
    paragraph = 0

    def close_current() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
            current = None
        if pending_notes:
            blocks.extend(pending_notes)
            pending_notes.clear()

    def new_block(s: str, **kw: object) -> Block:
        nonlocal paragraph
        b = Block([s], paragraph=paragraph, **kw)  # type: ignore[arg-type]
        paragraph += 1
        return b

    for ln in lines:
        s = ln.text
        marker = DOCUMENT_MARKER.match(s)
        hyphen_carry = current is not None and current.lines[-1][-1:] in LINE_END_HYPHENS

        # --- footnote zone: from a rule to the next page start or big gap
        start = FOOTNOTE_START.match(s)
        if ln.after_rule and start and not marker:
            note = Block([s], note=True, paragraph=paragraph)
            last_note_number = int(start.group("number"))
            pending_notes.append(note)
            continue
        if note is not None:
            ends_zone = marker or ln.page_start or ln.gap > base_gap
            if not ends_zone:
                if start and int(start.group("number")) == last_note_number + 1:
                    note = Block([s], note=True, paragraph=paragraph)
                    last_note_number += 1
                    pending_notes.append(note)
                else:
                    note.lines.append(s)
                continue
            note = None
            if current is not None and not marker and not _standalone(s):
                last = current.lines[-1]
                if hyphen_carry or (not _standalone(last) and continues_sentence(last, s, True, width)):
                    current.lines.append(s)  # the sentence the footnotes interrupted goes on
                    continue

        if marker:
            close_current()
            blocks.append(Block([s], marker=marker.group("number"), paragraph=paragraph))
            paragraph += 1
        elif current is None:
            current = new_block(s)
        else:
            last = current.lines[-1]
            goes_on = hyphen_carry or (wrapped and continues_sentence(last, s, ln.furniture, width))
            breaks = (
                (ln.gap > base_gap and not goes_on)
                or (not wrapped and not hyphen_carry)
                or (_standalone(last) and not _continues_standalone(last, s))
                or _standalone(s)
                or (is_caps(last) != is_caps(s) and not goes_on and not open_end(last))
                or (not hyphen_carry and _ends_paragraph(last, s, width))
            )
            if breaks:
                close_current()
                current = new_block(s)
            else:
                current.lines.append(s)
    close_current()
    vocab = vocabulary_of(lines, hyphen_breaks(blocks))
    for b in blocks:
        b.text = join_lines(b.lines, vocab)
    return blocks
