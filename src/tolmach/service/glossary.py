"""The glossary in the database: import/export, editing, and fast matching for front-ends.

Entries live in :class:`~tolmach.store.GlossaryEntry`; the bundled ``glossaries/*.tsv``
are imported into an empty database by :func:`ensure_loaded`.  Every import validates
the whole file first and writes in one transaction, so a bad file changes nothing.

:func:`hits_for_text` keeps one :class:`~tolmach.glossary.match.Matcher` per store and
language pair, compiled only for the entries the texts asked about so far can contain:
the words of every term are analysed once, when they are imported (:func:`index_entries`),
and stored with each entry's match keys (``glossary_words``, ``glossary_keys``); a text's
keys select the entries to compile, so the first match after a 200,000-term import costs
what the text's words select, not the glossary.  Writes made through this module
invalidate the matcher at once; writes by another process are noticed through a cheap
fingerprint query, made at most once a second, so :func:`hits_for_text` can run on every
cursor move.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tolmach.model import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG
from tolmach import config
from tolmach.errors import DatabaseError, InputError
from tolmach.fileio import check_input
from tolmach.glossary.entries import (
    GLOSSARY_COLUMNS,
    Entry,
    atomic_write,
    check_duplicates,
    form_key,
    keep_uncarried,
    make_entry,
    with_meta,
)
from tolmach.glossary.formats import format_of_file
from tolmach.glossary.formats import get_format as get_glossary_format
from tolmach.glossary.tbx import read_tbx
from tolmach.glossary.tsv import read_glossary_tsv
from tolmach.glossary import match
from tolmach.glossary.match import Hit, Matcher
from tolmach.store import GlossaryEntry, Meta, Store
from tolmach.store.models import GlossaryKey, GlossaryWord
from tolmach.store.models import utcnow

#: Seconds between checks for glossary changes made by another process.
FINGERPRINT_TTL = 1.0

_FIELDS = tuple(c for c in GLOSSARY_COLUMNS)


@dataclass(frozen=True)
class GlossaryImport:
    """What an import did."""

    path: Path
    added: int
    updated: int
    unchanged: int
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def _to_entry(row: Any) -> Entry:
    """An entry from a stored row (ORM object or plain row)."""
    return Entry(
        term=row.term,
        preferred=row.preferred,
        variants=tuple(row.variants or ()),
        abbreviation=row.abbreviation or "",
        expansion=row.expansion or "",
        type=row.type or "",
        note=row.note or "",
        source=row.source or "",
        id=row.id,
        glossary=row.glossary,
        src_lang=row.src_lang,
        tgt_lang=row.tgt_lang,
    )


def _values(e: Entry) -> dict[str, Any]:
    return {
        "term": e.term,
        "preferred": e.preferred,
        "variants": list(e.variants),
        "abbreviation": e.abbreviation,
        "expansion": e.expansion,
        "type": e.type,
        "note": e.note,
        "source": e.source,
    }


# --- the word index -----------------------------------------------------------------------

#: ``meta`` key naming the analyser the stored lemmas came from; another one empties the index.
LEMMAS_KEY = "glossary_lemmas"

#: Stored words and keys are at most this long (a PostgreSQL index row holds about 2,700
#: bytes): keys are cut, which still finds every entry the whole keys would find, and a
#: longer word is analysed when it is needed instead of stored.
KEY_CHARS = 100

#: Entries indexed per transaction (and per progress step).
INDEX_BATCH = 5000

#: A language pair with at most this many entries is read whole at its first match (a
#: few tens of milliseconds), so a text with new words costs no query; a larger one is
#: read by the keys each text brings.
IN_MEMORY_ENTRIES = 10_000

#: Values per ``IN (...)`` look-up of the index (SQLite allows 32,766 bound values since
#: 3.32, PostgreSQL 65,535).
LOOKUP_ROWS = 5000


def _signature() -> str:
    import pymorphy3

    from tolmach.text.morphology import analyzer

    revision = analyzer().dictionary.meta.get("source_revision", "?")
    return f"pymorphy3 {pymorphy3.__version__}, dictionary {revision}, min score {match.MIN_READING_SCORE}"


def _check_analyser(store: Store) -> None:
    """Empty the index if its lemmas came from another analyser (an upgraded pymorphy3 or
    dictionary, a changed threshold): stored lemmas must be what :func:`match.analyse` says."""
    sig = _signature()
    with store.read() as s:
        row = s.get(Meta, LEMMAS_KEY)
        if row is not None and row.value == sig:
            return
    with store.transaction() as s:
        row = s.get(Meta, LEMMAS_KEY)
        if row is not None and row.value == sig:
            return
        s.execute(delete(GlossaryKey))
        s.execute(delete(GlossaryWord).where(GlossaryWord.word != BUILDER_ROW))
        s.merge(Meta(key=LEMMAS_KEY, value=sig))


# --- one builder per database ---------------------------------------------------------------

#: The row of ``glossary_words`` that says which process is building the index: its
#: ``lemmas`` are ``[owner, expiry]`` (a word never begins with a space).  It lives in the
#: index's own table because a translator's first match may build the index and may write
#: only there on a team database (store/roles.py).
BUILDER_ROW = " index builder"

#: Seconds a builder's claim lasts; it renews it with every batch it stores.  A builder
#: that died (kill -9, a lost connection) is replaced after this, or at once when it ran on
#: this machine and its process is gone.
LEASE_S = 60.0

#: Seconds between looks while another process builds.
WAIT_S = 0.25


class _LeaseLost(Exception):
    """Another process took the claim over (this one was silent longer than ``LEASE_S``)."""

    def __init__(self, done: int = 0) -> None:
        super().__init__()
        self.done = done  # entries indexed before it was lost


def _owner() -> str:
    return f"{socket.gethostname()} {os.getpid()} {uuid.uuid4().hex[:8]}"


def _gone(owner: str) -> bool:
    """Whether the claim's process ran on this machine and has ended."""
    host, _, rest = owner.partition(" ")
    pid = rest.partition(" ")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process: alive
        return False
    return False


def _claim(store: Store, owner: str) -> bool:
    """Claim the building (True), unless a live process holds an unexpired claim."""
    try:
        with store.transaction() as s:  # SQLite: BEGIN IMMEDIATE; PostgreSQL: the row locked
            row = s.get(GlossaryWord, BUILDER_ROW, with_for_update=True)
            if row is not None and row.lemmas[0] != owner and float(row.lemmas[1]) > time.time() and not _gone(row.lemmas[0]):
                return False
            claim = [owner, f"{time.time() + LEASE_S:.3f}"]
            if row is None:
                s.add(GlossaryWord(word=BUILDER_ROW, lemmas=claim))
            else:
                row.lemmas = claim
    except IntegrityError:  # PostgreSQL: another process inserted the row first
        return False
    return True


def _renew(session: Session, owner: str) -> None:
    row = session.get(GlossaryWord, BUILDER_ROW, with_for_update=True)
    if row is None or row.lemmas[0] != owner:
        raise _LeaseLost
    row.lemmas = [owner, f"{time.time() + LEASE_S:.3f}"]


def _release(store: Store, owner: str) -> None:
    try:
        with store.transaction() as s:
            row = s.get(GlossaryWord, BUILDER_ROW, with_for_update=True)
            if row is not None and row.lemmas[0] == owner:
                s.delete(row)
    except DatabaseError:  # the claim expires by itself
        pass


def _left_to_index(store: Store) -> int:
    """Entries without keys (all of them when the stored lemmas are another analyser's)."""
    with store.read() as s:
        row = s.get(Meta, LEMMAS_KEY)
        if row is None or row.value != _signature():
            return int(s.scalar(select(func.count(GlossaryEntry.id))) or 0) or 1
        return int(s.scalar(select(func.count(GlossaryEntry.id)).where(_not_indexed())) or 0)


def _stored_lemmas(session: Session, words: Iterable[str]) -> dict[str, frozenset[str]]:
    wanted = sorted(w for w in set(words) if len(w) <= KEY_CHARS)
    out: dict[str, frozenset[str]] = {}
    for i in range(0, len(wanted), LOOKUP_ROWS):
        q = select(GlossaryWord.word, GlossaryWord.lemmas).where(GlossaryWord.word.in_(wanted[i : i + LOOKUP_ROWS]))
        out.update((w, frozenset(lem)) for w, lem in session.execute(q))
    return out


def _lemma_source(table: dict[str, frozenset[str]]) -> Callable[[str], frozenset[str]]:
    """Lemmas from the stored table, the analyser for a word it does not hold."""

    def lemma_of(word: str) -> frozenset[str]:
        found = table.get(match.fold(word))
        return found if found is not None else match.lemmas(word)

    return lemma_of


def _not_indexed() -> ColumnElement[bool]:
    return ~exists().where(GlossaryKey.entry_id == GlossaryEntry.id)


def index_entries(store: Store, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Index every entry that has no keys yet: analyse its words not stored before (once
    per word, ever), store them and the entry's keys, ``INDEX_BATCH`` entries per
    transaction (an interrupted run keeps what it finished).  Returns the entries this
    process indexed.

    One process per database builds (:data:`BUILDER_ROW`): another one that needs the index
    meanwhile (a second workbench, the CLI) waits for it, reporting the builder's progress,
    and finds nothing left; it takes over if the builder dies.  Nothing to index: no write.

    Imports call it at once; the first match calls it too, for entries written otherwise.
    """
    owner, done, total = _owner(), 0, 0
    while True:
        left = _left_to_index(store)
        if not left:
            return done
        total = max(total, left + done)
        if not _claim(store, owner):
            if on_progress is not None:
                on_progress(total - left, total)
            time.sleep(WAIT_S)
            continue
        try:
            done += _build_index(store, owner, on_progress, done, total, left)
            return done
        except _LeaseLost as lost:
            done += lost.done
            continue  # another process took over: wait for it
        finally:
            _release(store, owner)


def _build_index(store: Store, owner: str, on_progress: Callable[[int, int], None] | None, before: int, expected: int,
                 total: int) -> int:
    """The batches of :func:`index_entries`, the claim held (``total``: entries left when it was taken)."""
    _check_analyser(store)
    done, last, clashes = 0, 0, 0
    while True:
        with store.read() as s:
            rows = s.execute(
                select(GlossaryEntry.id, GlossaryEntry.term, GlossaryEntry.abbreviation, GlossaryEntry.expansion)
                .where(GlossaryEntry.id > last, _not_indexed())
                .order_by(GlossaryEntry.id)
                .limit(INDEX_BATCH)
            ).all()
            if not rows:
                break
            entries = [Entry(r.term, "", abbreviation=r.abbreviation or "", expansion=r.expansion or "", id=r.id) for r in rows]
            words = set().union(*(match.term_words(e) for e in entries))
            table = _stored_lemmas(s, words)
        new = {w: match.analyse(w) for w in sorted(words) if w not in table and len(w) <= KEY_CHARS}
        table.update(new)
        lemma_of = _lemma_source(table)
        key_rows = [
            {"entry_id": e.id, "key": k}
            for e in entries
            for k in sorted({k[:KEY_CHARS] for k in match.anchor_keys(e, lemma_of)}) or [""]
        ]
        try:
            with store.transaction() as s:
                _renew(s, owner)
                if new:
                    s.execute(insert(GlossaryWord), [{"word": w, "lemmas": sorted(lem)} for w, lem in new.items()])
                s.execute(insert(GlossaryKey), key_rows)
        except _LeaseLost:
            raise _LeaseLost(done) from None
        except IntegrityError:  # an entry deleted meanwhile (or a builder that lost its claim)
            clashes += 1
            if clashes > 3:
                raise
            continue  # the same batch again: what is stored now is skipped
        done, last = done + len(rows), rows[-1].id
        if on_progress is not None:
            on_progress(min(before + done, max(expected, total)), max(expected, total, before + done))
    return done


# --- matching -----------------------------------------------------------------------------


class _PairMatcher:
    """The matcher of one language pair, compiled only for the entries that the texts asked
    about so far can contain (:func:`match.could_match` on every key they offered, and the
    keys of the entries with subterms).  A text with keys not seen before fetches the
    entries indexed under them; an entry fetched but not yet possible waits, filed under
    the keys it lacks, and is looked at again when one of them comes.  Finds what a matcher
    of the whole pair's glossary finds.  A small glossary is read whole at once (the same
    waiting, no query per text)."""

    def __init__(self, store: Store, src_lang: str, tgt_lang: str) -> None:
        self.store = store
        self.pair = (GlossaryEntry.src_lang == src_lang, GlossaryEntry.tgt_lang == tgt_lang)
        self.lock = threading.Lock()
        self.compiled: set[int] = set()
        self.pending: dict[int, tuple[Entry, match.Requirements]] = {}
        self.waiting: dict[str, list[int]] = {}
        self.words: dict[str, frozenset[str]] = {}
        self.lemma_of = _lemma_source(self.words)
        try:
            index_entries(store)
            indexed = True
        except DatabaseError:  # a read-only (or busy) database: the analyser, as before the index
            indexed = False
        with store.read() as s:
            several = or_(GlossaryEntry.abbreviation != "", GlossaryEntry.expansion != "")
            rows = s.scalars(select(GlossaryEntry).where(*self.pair, several).order_by(GlossaryEntry.id))
            subterms = [e for e in map(_to_entry, rows) if match.has_subterms(e)]
            if indexed:
                self.words.update(_stored_lemmas(s, set().union(*(match.term_words(e) for e in subterms))))
        self.matcher = Matcher((), subterms=subterms, lemma_of=self.lemma_of)
        # a word can also be matched by being rewritten as another entry's form
        self.allowed: set[str] = set().union(*(match.entry_keys(e, self.lemma_of) for e in subterms))
        self.seen: set[str] = set()
        every: list[Entry] = []
        with store.read() as s:
            size = s.scalar(select(func.count(GlossaryEntry.id)).where(*self.pair)) or 0
            self.whole = not indexed or size <= IN_MEMORY_ENTRIES
            if self.whole:
                table = cast(Table, GlossaryEntry.__table__)
                q = select(table).where(table.c.src_lang == src_lang, table.c.tgt_lang == tgt_lang).order_by(table.c.id)
                every = [_to_entry(r) for r in s.execute(q)]
                if indexed:
                    self.words.update(_stored_lemmas(s, set().union(*(match.term_words(e) for e in every))))
        self._consider(every if self.whole else self._fetch(self.allowed))

    def _fetch(self, keys: Iterable[str]) -> list[Entry]:
        """The entries indexed under ``keys`` not compiled or waiting yet."""
        cut = sorted({k[:KEY_CHARS] for k in keys})
        ids: set[int] = set()
        with self.store.read() as s:
            for i in range(0, len(cut), LOOKUP_ROWS):
                q = (
                    select(GlossaryKey.entry_id)
                    .join(GlossaryEntry, GlossaryEntry.id == GlossaryKey.entry_id)
                    .where(GlossaryKey.key.in_(cut[i : i + LOOKUP_ROWS]), *self.pair)
                )
                ids.update(s.scalars(q))
            wanted = sorted(ids - self.compiled - self.pending.keys())
            entries: list[Entry] = []
            table = cast(Table, GlossaryEntry.__table__)
            for i in range(0, len(wanted), LOOKUP_ROWS):  # plain rows: no ORM objects for thousands of entries
                entries += map(_to_entry, s.execute(select(table).where(table.c.id.in_(wanted[i : i + LOOKUP_ROWS]))))
            words = set().union(*(match.term_words(e) for e in entries)) - self.words.keys()
            self.words.update(_stored_lemmas(s, words))
        return entries

    def _consider(self, entries: Iterable[Entry | tuple[Entry, match.Requirements]]) -> None:
        chosen = []
        for item in entries:
            e, reqs = item if isinstance(item, tuple) else (item, match.form_requirements(item, self.lemma_of))
            entry_id = cast(int, e.id)
            if match.possible(reqs, self.allowed):
                chosen.append(e)
                self.pending.pop(entry_id, None)
            else:
                self.pending[entry_id] = (e, reqs)
                for k in match.lacking(reqs, self.allowed):
                    self.waiting.setdefault(k, []).append(entry_id)
        if chosen:
            self.matcher.add(sorted(chosen, key=lambda e: cast(int, e.id)))
            self.compiled.update(cast(int, e.id) for e in chosen)

    def find(self, text: str) -> list[Hit]:
        with self.lock:
            new = match.text_key_set(text) - self.seen
            if new:
                self.seen |= new
                fresh = new - self.allowed
                self.allowed |= fresh
                woken = sorted({i for k in fresh for i in self.waiting.pop(k, ())})
                fetched = [] if self.whole else self._fetch(fresh)
                self._consider([*fetched, *(self.pending[i] for i in woken if i in self.pending)])
            return self.matcher.find(text)


class _Build:
    """One language pair's matcher being built: whoever asks meanwhile waits for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.matcher: _PairMatcher | None = None
        self.error: BaseException | None = None


class _Cache:
    def __init__(self) -> None:
        self.generation = 0
        self.fingerprint: tuple[Any, ...] | None = None
        self.checked_at = 0.0
        self.seen_generation = -1
        self.matchers: dict[tuple[str, str], _PairMatcher] = {}
        self.building: dict[tuple[str, str], _Build] = {}  # at most one build per pair

    def forget(self) -> None:
        """Drop the matchers, and the builds under way (they finish for those waiting on
        them, but are not kept: a new question builds from what is stored now)."""
        self.matchers.clear()
        self.building.clear()


_CACHES: weakref.WeakKeyDictionary[Store, _Cache] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _cache(store: Store) -> _Cache:
    with _LOCK:
        c = _CACHES.get(store)
        if c is None:
            c = _CACHES[store] = _Cache()
        return c


def _fingerprint(store: Store) -> tuple[Any, ...]:
    with store.read() as s:
        row = s.execute(
            select(func.count(GlossaryEntry.id), func.max(GlossaryEntry.id), func.max(GlossaryEntry.updated_at))
        ).one()
    return tuple(row)


def invalidate(store: Store) -> None:
    """Forget compiled matchers (called after every write made through this module)."""
    c = _cache(store)
    with _LOCK:
        c.generation += 1
        c.forget()


def _matcher(store: Store, src_lang: str, tgt_lang: str) -> _PairMatcher:
    """The pair's matcher, built once however many threads ask at once (single-flight: the
    first builds, the others wait for its result)."""
    c = _cache(store)
    now = time.monotonic()
    if c.seen_generation != c.generation or now - c.checked_at > FINGERPRINT_TTL:
        fp = _fingerprint(store)
        with _LOCK:
            if fp != c.fingerprint or c.seen_generation != c.generation:
                c.forget()
            c.fingerprint, c.checked_at, c.seen_generation = fp, now, c.generation
    key = (src_lang, tgt_lang)
    with _LOCK:
        found = c.matchers.get(key)
        if found is not None:
            return found
        build = c.building.get(key)
        mine = build is None
        if build is None:
            build = c.building[key] = _Build()
    if not mine:
        build.done.wait()
        if build.error is not None:
            raise build.error
        return cast(_PairMatcher, build.matcher)
    try:
        build.matcher = _PairMatcher(store, src_lang, tgt_lang)
    except BaseException as exc:
        build.error = exc
        raise
    finally:
        with _LOCK:
            if c.building.get(key) is build:  # not forgotten meanwhile (an edit, another process)
                del c.building[key]
                if build.matcher is not None:
                    c.matchers[key] = build.matcher
        build.done.set()
    return build.matcher


def hits_for_text(store: Store, text: str, src_lang: str = DEFAULT_SOURCE_LANG, tgt_lang: str = DEFAULT_TARGET_LANG) -> list[Hit]:
    """Glossary terms in ``text`` with their character spans, in text order."""
    return _matcher(store, src_lang, tgt_lang).find(text)


# --- reading and writing ------------------------------------------------------------------


def list_entries(
    store: Store, *, glossary: str | None = None, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[Entry]:
    """Entries in the order they were added (which is also their match priority)."""
    q = select(GlossaryEntry).order_by(GlossaryEntry.id)
    if glossary is not None:
        q = q.where(GlossaryEntry.glossary == glossary)
    if src_lang is not None:
        q = q.where(GlossaryEntry.src_lang == src_lang)
    if tgt_lang is not None:
        q = q.where(GlossaryEntry.tgt_lang == tgt_lang)
    with store.read() as s:
        return [_to_entry(r) for r in s.scalars(q)]


def count_entries(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count(GlossaryEntry.id))) or 0)


def _stored(session: Session, pairs: Iterable[tuple[str, str]]) -> list[Any]:
    """Every stored entry of these language pairs, as plain rows in id order: one query
    per pair, whatever the size of the glossary."""
    table = cast(Table, GlossaryEntry.__table__)
    rows: list[Any] = []
    for src, tgt in sorted(set(pairs)):
        rows += session.execute(
            select(table).where(table.c.src_lang == src, table.c.tgt_lang == tgt).order_by(table.c.id)
        ).all()
    return rows


def _check_against_db(session: Session, entries: Sequence[Entry], label: str, stored: list[Any] | None = None) -> None:
    """Refuse a form that another stored entry of the same language pair already uses.

    Uniqueness is per language pair, not per glossary, because the matcher merges every
    glossary of a pair and one span of text can only show one entry.  ``stored`` is the
    pairs' entries when the caller has read them already.
    """
    if stored is None:
        stored = _stored(session, {(e.src_lang, e.tgt_lang) for e in entries})
    ids = {e.id for e in entries if e.id is not None}
    terms = {(e.glossary, e.src_lang, e.tgt_lang, e.term) for e in entries}
    located: list[tuple[Entry, str]] = [
        (_to_entry(r), f"stored entry {r.id} ({r.term}, glossary {r.glossary!r})")
        for r in stored
        if r.id not in ids and (r.glossary, r.src_lang, r.tgt_lang, r.term) not in terms
    ]
    located += [(e, label if len(entries) == 1 else f"{label}: {e.term}") for e in entries]
    check_duplicates(located)


def _same_terms_elsewhere(stored: list[Any], entries: list[Entry]) -> list[Entry]:
    """Entries whose term is already stored under another glossary name of the same pair
    (the file is, say, Tolmach's own export saved under a new name) become that stored
    entry: compared, updated if different, never a duplicate."""
    exact = {(r.glossary, r.src_lang, r.tgt_lang, r.term) for r in stored}
    by_form: dict[tuple[str, str, str], Any] = {}
    for r in stored:  # id order: the first stored entry with the form wins
        by_form.setdefault((r.src_lang, r.tgt_lang, form_key(r.term)), r)
    out = []
    for e in entries:
        if (e.glossary, e.src_lang, e.tgt_lang, e.term) not in exact:
            same = by_form.get((e.src_lang, e.tgt_lang, form_key(e.term)))
            if same is not None:
                e = with_meta(e, glossary=same.glossary, term=same.term)
        out.append(e)
    return out


#: Rows per statement of a bulk write (well under SQLite's limit of bound variables).
BULK_ROWS = 500


def _import(
    store: Store, path: Path, entries: list[Entry], replace: bool, on_progress: Callable[[int, int], None] | None = None
) -> GlossaryImport:
    """Write a validated file's entries: the stored entries of its language pairs are read
    once, then new entries are inserted and changed ones updated in bulk statements (a
    200,000-term file is a few seconds, not one query per term).  Then the new and changed
    entries are indexed for matching (:func:`index_entries`; ``on_progress(done, total)``)."""
    added = updated = unchanged = removed = 0
    table = cast(Table, GlossaryEntry.__table__)
    with store.transaction() as s:
        stored = _stored(s, {(e.src_lang, e.tgt_lang) for e in entries})
        if not replace:
            entries = _same_terms_elsewhere(stored, entries)
        wanted = {(e.glossary, e.src_lang, e.tgt_lang, e.term) for e in entries}
        if replace:  # first drop the glossary's terms the file no longer has
            files_glossaries = {(e.glossary, e.src_lang, e.tgt_lang) for e in entries}
            gone = [
                r.id
                for r in stored
                if (r.glossary, r.src_lang, r.tgt_lang) in files_glossaries
                and (r.glossary, r.src_lang, r.tgt_lang, r.term) not in wanted
            ]
            for i in range(0, len(gone), BULK_ROWS):
                s.execute(delete(table).where(table.c.id.in_(gone[i : i + BULK_ROWS])))
            removed = len(gone)
            dropped = set(gone)
            stored = [r for r in stored if r.id not in dropped]
        _check_against_db(s, entries, str(path), stored)
        by_term = {(r.glossary, r.src_lang, r.tgt_lang, r.term): r for r in stored}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        now = utcnow()
        for e in entries:
            row = by_term.get((e.glossary, e.src_lang, e.tgt_lang, e.term))
            if row is not None:
                e = keep_uncarried(e, _to_entry(row))
            if row is None:
                inserts.append(
                    dict(_values(e), glossary=e.glossary, src_lang=e.src_lang, tgt_lang=e.tgt_lang, updated_at=now)
                )
            elif _values(_to_entry(row)) == _values(e):
                unchanged += 1
            else:
                updates.append(dict(_values(e), b_id=row.id, updated_at=now))
        for i in range(0, len(inserts), BULK_ROWS):
            s.execute(insert(table), inserts[i : i + BULK_ROWS])
        if updates:
            columns: dict[str, Any] = {k: bindparam(k) for k in updates[0] if k != "b_id"}
            s.execute(update(table).where(table.c.id == bindparam("b_id")).values(columns), updates)
            # their forms may have changed: indexed again below
            keys = cast(Table, GlossaryKey.__table__)
            s.connection().execute(delete(keys).where(keys.c.entry_id == bindparam("b_id")), [{"b_id": u["b_id"]} for u in updates])
        added, updated = len(inserts), len(updates)
    invalidate(store)
    index_entries(store, on_progress)
    return GlossaryImport(path, added, updated, unchanged, removed)


def import_tsv(
    store: Store,
    path: Path | str,
    *,
    replace: bool = False,
    glossary: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> GlossaryImport:
    """Import a TSV glossary: new terms are added, known terms updated; with ``replace``
    the glossary's other entries are removed.  All or nothing."""
    path = Path(path)
    entries = read_glossary_tsv(path, glossary=glossary)
    return _import(store, path, entries, replace, on_progress)


def import_tbx(
    store: Store,
    path: Path | str,
    *,
    replace: bool = False,
    glossary: str | None = None,
    src_lang: str = DEFAULT_SOURCE_LANG,
    tgt_lang: str = DEFAULT_TARGET_LANG,
    on_progress: Callable[[int, int], None] | None = None,
) -> GlossaryImport:
    """Import a TBX file (same rules as :func:`import_tsv`); hostile XML is refused."""
    path = Path(path)
    entries = read_tbx(path, glossary=glossary, src_lang=src_lang, tgt_lang=tgt_lang)
    return _import(store, path, entries, replace, on_progress)


def import_glossary_file(
    store: Store,
    path: Path | str,
    *,
    replace: bool = False,
    fmt: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> GlossaryImport:
    """Any glossary format (:mod:`tolmach.glossary.formats`), by ``fmt`` or the file's name."""
    path = check_input(path, hint="give a glossary file")
    form = get_glossary_format(fmt) if fmt else format_of_file(path)
    return _import(store, path, form.read(path), replace, on_progress)



def export_glossary(
    store: Store,
    fmt: str,
    path: Path | str | None,
    *,
    glossary: str | None = None,
    force: bool = True,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> tuple[int, str]:
    """Write the entries (of one glossary, or all; of one language pair, or all) in ``fmt``.

    ``path`` None returns the text instead of writing it (for standard output).  Only a
    regular file is ever replaced.  Returns (number of entries, text or "").
    """
    form = get_glossary_format(fmt)
    entries = [
        e for e in list_entries(store, glossary=glossary)
        if (src_lang is None or e.src_lang == src_lang) and (tgt_lang is None or e.tgt_lang == tgt_lang)
    ]
    text = form.dumps(entries)
    if path is None:
        return len(entries), text
    path = Path(path)
    from tolmach.fileio import check_targets

    check_targets([path], force=force)
    atomic_write(path, text)
    return len(entries), ""


def export_tsv(store: Store, path: Path | str, *, glossary: str | None = None, force: bool = True) -> int:
    return export_glossary(store, "tsv", path, glossary=glossary, force=force)[0]


def export_tbx(store: Store, path: Path | str, *, glossary: str | None = None, force: bool = True, version: str = "2008") -> int:
    return export_glossary(store, "tbx3" if str(version) == "3" else "tbx", path, glossary=glossary, force=force)[0]


def export_omegat_glossary(store: Store, path: Path | str, *, src_lang: str | None = None, tgt_lang: str | None = None, force: bool = True) -> int:
    return export_glossary(store, "omegat", path, force=force, src_lang=src_lang, tgt_lang=tgt_lang)[0]


#: ``meta`` key set once the bundled glossaries have been offered to a database.
GLOSSARY_LOADED_KEY = "bundled_glossaries_loaded"


def _mark_loaded(store: Store) -> None:
    with store.transaction() as s:
        s.merge(Meta(key=GLOSSARY_LOADED_KEY, value="(entries were already present)"))


def ensure_loaded(store: Store, folder: Path | None = None) -> int:
    """On a database that never had a glossary, import the bundled ``glossaries/*.tsv``.

    Returns the number of entries imported (0 when the database already had some, or had
    them once: a flag in ``meta`` keeps entries a user deleted from coming back).
    Every file is validated before anything is written; all files are one transaction.
    """
    with store.read() as s:
        if s.get(Meta, GLOSSARY_LOADED_KEY) is not None:
            return 0
    if count_entries(store):
        _mark_loaded(store)
        return 0
    folder = folder or config.glossaries_dir()
    files = sorted(folder.glob("*.tsv")) if folder.is_dir() else []
    entries: list[Entry] = []
    for f in files:
        entries.extend(read_glossary_tsv(f))
    if not entries:
        return 0
    with store.transaction() as s:
        if s.scalar(select(func.count(GlossaryEntry.id))):  # another process was quicker
            return 0
        _check_against_db(s, entries, "bundled glossaries")
        s.add_all(
            GlossaryEntry(glossary=e.glossary, src_lang=e.src_lang, tgt_lang=e.tgt_lang, **_values(e)) for e in entries
        )
        s.merge(Meta(key=GLOSSARY_LOADED_KEY, value=",".join(f.name for f in files)))
    invalidate(store)
    return len(entries)


# --- editing one entry --------------------------------------------------------------------


def add_entry(
    store: Store,
    fields: dict[str, Any],
    *,
    glossary: str = "default",
    src_lang: str = DEFAULT_SOURCE_LANG,
    tgt_lang: str = DEFAULT_TARGET_LANG,
) -> Entry:
    """Add one entry (fields as in the TSV columns; ``variants`` a list or ``|``-joined)."""
    e = make_entry(fields, "new entry", glossary=glossary, src_lang=src_lang, tgt_lang=tgt_lang)
    with store.transaction() as s:
        clash = s.scalar(
            select(GlossaryEntry.id).where(
                GlossaryEntry.glossary == glossary,
                GlossaryEntry.src_lang == src_lang,
                GlossaryEntry.tgt_lang == tgt_lang,
                GlossaryEntry.term == e.term,
            )
        )
        if clash is not None:
            raise InputError(f"The glossary already has an entry {e.term!r} (id {clash}); edit that one instead.")
        _check_against_db(s, [e], f"new entry {e.term!r}")
        row = GlossaryEntry(glossary=glossary, src_lang=src_lang, tgt_lang=tgt_lang, **_values(e))
        s.add(row)
        s.flush()
        result = _to_entry(row)
    invalidate(store)
    return result


def _row(session: Session, entry_id: int) -> GlossaryEntry:
    row = session.get(GlossaryEntry, entry_id)
    if row is None:
        raise InputError(f"There is no glossary entry with id {entry_id}.")
    return row


def get_entry(store: Store, entry_id: int) -> Entry:
    with store.read() as s:
        return _to_entry(_row(s, entry_id))


def edit_entry(store: Store, entry_id: int, **changes: Any) -> Entry:
    """Change some fields of one entry (validated like an imported line)."""
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise InputError(f"Unknown glossary field {sorted(unknown)[0]!r} (known: {', '.join(_FIELDS)}).")
    with store.transaction() as s:
        row = _row(s, entry_id)
        current = _to_entry(row)
        fields: dict[str, Any] = dict(_values(current), **changes)
        e = make_entry(
            fields, f"entry {entry_id}", id=entry_id, glossary=row.glossary, src_lang=row.src_lang, tgt_lang=row.tgt_lang
        )
        _check_against_db(s, [e], f"entry {entry_id} ({e.term})")
        for k, v in _values(e).items():
            setattr(row, k, v)
        s.execute(delete(GlossaryKey).where(GlossaryKey.entry_id == entry_id))  # indexed again at the next match
        s.flush()
        result = _to_entry(row)
    invalidate(store)
    return result


def delete_entry(store: Store, entry_id: int) -> None:
    with store.transaction() as s:
        s.delete(_row(s, entry_id))
    invalidate(store)


def entries_as_rows(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """JSON-ready dicts (for ``tolmach glossary list --json`` and the TUI)."""
    return [dict(e.as_row(), id=e.id, glossary=e.glossary, variants=list(e.variants)) for e in entries]
