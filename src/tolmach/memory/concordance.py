"""Concordance queries: what to ask a trigram index, and where a hit is in a text (pure).

A query is compiled once into

* **index terms**: substrings every hit must contain, for a trigram full-text index
  (SQLite FTS5 ``trigram``, PostgreSQL ``pg_trgm``) to narrow millions of segments down to
  a few candidates. For a Russian word that is its *stem*, the prefix shared by every form
  of its lemmas (``Варшавский`` → ``варшавск``), so inflected forms are candidates too;
* a **finder** that marks the hits in a candidate text: the query words as consecutive
  words sharing a lemma (the glossary's pymorphy3 machinery: ``Варшавский договор``
  finds ``Варшавского Договора``), or the query as a case-insensitive substring, or a
  regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tolmach.errors import InputError

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

#: Index terms shorter than this cannot use a trigram index.
MIN_TERM = 3


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The prefix shared by every form of the word's plausible lemmas (lower case, ё→е);
    the word itself for non-Cyrillic words."""
    w = word.lower().replace("ё", "е")
    if not _CYRILLIC.search(w):
        return w
    from tolmach.glossary.match import MIN_READING_SCORE
    from tolmach.text.morphology import analyzer

    parses = analyzer().parse(w)
    if not parses:
        return w
    best = max(p.score for p in parses)
    forms: list[str] = [w]
    for p in parses:
        if p.score < MIN_READING_SCORE and p.score != best:
            continue
        forms.extend(f.word.replace("ё", "е") for f in p.lexeme)
    prefix = forms[0]
    for f in forms[1:]:
        n = 0
        while n < len(prefix) and n < len(f) and prefix[n] == f[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def _lemmas(word: str) -> frozenset[str]:
    from tolmach.glossary.match import lemmas

    return lemmas(word)


@dataclass(frozen=True)
class Query:
    text: str
    regex: bool = False
    words: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # index terms, all required (empty: the index cannot help)
    _pattern: re.Pattern[str] | None = field(default=None, compare=False)

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every hit in ``text``, in order, without overlaps."""
        if self._pattern is not None:
            return [(m.start(), m.end()) for m in self._pattern.finditer(text) if m.end() > m.start()]
        spans: list[tuple[int, int]] = []
        low = text.casefold()
        needle = " ".join(self.text.split()).casefold()
        if needle:
            i = low.find(needle)
            while i >= 0:
                spans.append((i, i + len(needle)))
                i = low.find(needle, i + len(needle))
        if self.words:
            folded = text.replace("ё", "е").replace("Ё", "Е")  # same length: spans carry over
            want = [_lemmas(w) for w in self.words]
            stems = [stem(w) for w in self.words]
            # every form of a lemma starts with its stem: only such words are analysed
            first = re.compile(r"(?<![^\W_])" + re.escape(stems[0]) + r"[^\W_]*", re.IGNORECASE)
            for m in first.finditer(folded):
                if not want[0] & _lemmas(m.group()):
                    continue
                end, ok = m.end(), True
                for k in range(1, len(self.words)):
                    nxt = _WORD.search(folded, end)
                    if nxt is None or not nxt.group().lower().startswith(stems[k]) or not want[k] & _lemmas(nxt.group()):
                        ok = False
                        break
                    end = nxt.end()
                if ok:
                    spans.append((m.start(), end))
        spans.sort()
        out: list[tuple[int, int]] = []
        for s, e in spans:
            if out and s < out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], e))
            else:
                out.append((s, e))
        return out


def compile_query(text: str, *, regex: bool = False) -> Query:
    """Compile a concordance query; an empty query or a bad regular expression is an
    :class:`InputError` naming it."""
    if not text.strip():
        raise InputError("The search query is empty.")
    if regex:
        try:
            pattern = re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise InputError(f"{text!r} is not a valid regular expression: {exc}.") from None
        return Query(text, True, (), _regex_literals(text), pattern)
    words = tuple(_WORD.findall(text))
    terms = []
    for w in words:
        s = stem(w)
        if len(s) >= MIN_TERM:
            terms.append(s)
    if not words:  # punctuation only: a plain substring
        needle = " ".join(text.split())
        return Query(needle, False, (), (needle.casefold(),) if len(needle) >= MIN_TERM else ())
    return Query(" ".join(text.split()), False, words, tuple(dict.fromkeys(terms)))


def _regex_literals(pattern: str) -> tuple[str, ...]:
    """The plain runs (3+ letters, digits or spaces) of a regular expression with no
    alternation, which every match must contain; none when there is nothing to rely on."""
    if "|" in pattern or "(?" in pattern:
        return ()
    runs, run, i = [], "", 0

    def close() -> None:
        nonlocal run
        if len(run.strip()) >= MIN_TERM:
            runs.append(run.strip().casefold())
        run = ""

    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            close()
            i += 2
            continue
        if ch == "[":  # a character class: skip to its end
            end = pattern.find("]", i + 2)
            close()
            i = end + 1 if end > 0 else len(pattern)
            continue
        nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
        if (ch.isalnum() or ch == " ") and (not nxt or nxt not in "*?{"):
            run += ch
        else:
            close()
        i += 1
    close()
    return tuple(dict.fromkeys(runs))


#: Trigram tokens allowed between the stems of consecutive phrase words (an ending, a
#: space, a quotation mark or a dash: each character is one trigram token).
NEAR_GAP = 16


def fts5_match(query: Query) -> str:
    """An FTS5 MATCH expression (trigram tokenizer) every hit of ``query`` satisfies: each
    index term as a substring, and for a phrase whose words all have stems, the stems
    near each other (``NEAR``), so two common words do not bring every text holding both."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in query.terms]
    if not query.regex and len(query.words) > 1 and len(query.terms) == len(query.words):
        return f"NEAR({' '.join(quoted)}, {NEAR_GAP * (len(quoted) - 1)})"
    return " AND ".join(quoted)
