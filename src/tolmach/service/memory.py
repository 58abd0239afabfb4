"""Translation memory, concordance and repetitions over the whole database.

The memory is every bead with a human or imported target (``edited``, ``reviewed``,
``imported``) in every document, plus the units of external memories imported with
:func:`import_memory` (tables ``tm_memories`` and ``tm_units``; no bead is touched).

Candidates come from the database's own trigram machinery, kept behind
:func:`ensure_index`, :func:`_fuzzy_candidates` and :func:`_concordance_candidates`:

* SQLite: FTS5 tables with the ``trigram`` tokenizer over ``segments.text``,
  ``beads.target`` and ``tm_units(source, target)`` (external content, kept current by
  triggers, so the index is never rebuilt by hand);
* PostgreSQL: ``pg_trgm`` GIN indexes on the same columns, queried with ``%``,
  ``similarity()`` and ``ILIKE`` (written to the same contract; see docs/memory.md).

The candidates are then scored by :mod:`tolmach.memory` (pure).
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from tolmach.errors import InputError, OptionError, UnknownDocument
from tolmach.fileio import check_input, display_name
from tolmach.memory import Candidate, Proposal, Query, compile_query, normalize, rank
from tolmach.model import BeadStatus, run_language, same_language
from tolmach.store import Bead, Document, Revision, Segment, Store
from tolmach.store.models import ChangeGroup, TmMemory, TmUnit

#: Bead statuses whose target belongs in the memory.
MEMORY_STATUSES = (BeadStatus.EDITED.value, BeadStatus.REVIEWED.value, BeadStatus.IMPORTED.value)

#: Bead statuses a repetition or a TM fill may overwrite (never a person's work).
REPLACEABLE = (BeadStatus.EMPTY.value, BeadStatus.MACHINE.value, BeadStatus.TM.value)

#: Candidates fetched from the index per fuzzy query, before scoring.
CANDIDATES = 40

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


# --------------------------------------------------------------------------- index

_SQLITE_INDEX = [
    ("tm_segment_fts", "segments", ["text"]),
    ("tm_target_fts", "beads", ["target"]),
    ("tm_unit_fts", "tm_units", ["source", "target"]),
]

_PG_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_segments_text_trgm ON segments USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_beads_target_trgm ON beads USING gin (target gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_tm_units_source_trgm ON tm_units USING gin (source gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_tm_units_target_trgm ON tm_units USING gin (target gin_trgm_ops)",
]

#: Finding the bead that covers a segment is an index seek with this (not a scan of the
#: document's beads).
_BEAD_RANGE_INDEX = "CREATE INDEX IF NOT EXISTS ix_beads_document_src ON beads (document_id, src_start)"


def _dialect(store: Store) -> str:
    return store.engine.dialect.name


def _sqlite_ddl(fts: str, table: str, cols: list[str]) -> list[str]:
    names = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    delete_old = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert_new = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete_old} END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN {delete_old} {insert_new} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE VIRTUAL TABLE {fts}_vocab USING fts5vocab({fts}, 'row')",
    ]


#: Stores whose database has the indexes (checked once per store).
_INDEXED: weakref.WeakSet[Store] = weakref.WeakSet()


def _pg_missing(store: Store) -> list[str]:
    """The statements of :data:`_PG_INDEX` and the bead range index whose object is not
    in the PostgreSQL database yet."""
    with store.read() as s:
        have = set(s.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")).scalars())
        if s.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None:
            have.add("pg_trgm")
    wanted = [*_PG_INDEX, _BEAD_RANGE_INDEX]
    return [st for st in wanted if st.split(" EXISTS ", 1)[1].split()[0] not in have]


def ensure_index(store: Store) -> None:
    """Create the trigram indexes (and their triggers) once per database; quick when they
    exist.  Building them over an existing database reads every segment and target once."""
    if store in _INDEXED:
        return
    if _dialect(store) == "postgresql" and not _pg_missing(store):
        # built already (by the owner): a translator's login may not run even a DDL
        # statement that would change nothing ("must be owner of table segments")
        _INDEXED.add(store)
        return
    with store.transaction() as s:
        if _dialect(store) == "postgresql":
            for statement in _pg_missing(store):
                s.execute(text(statement))
        else:
            have = set(s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
            for fts, table, cols in _SQLITE_INDEX:
                ddl = _sqlite_ddl(fts, table, cols)
                for statement in ddl[:-1] if fts not in have else []:
                    s.execute(text(statement))
                if f"{fts}_vocab" not in have:
                    s.execute(text(ddl[-1]))
            s.execute(text(_BEAD_RANGE_INDEX))
    _INDEXED.add(store)


# --------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Provenance:
    """Where a memory entry comes from: a bead of a document, or a unit of a memory."""

    kind: str  # "bead" or "memory"
    document: str = ""
    number: int | None = None  # bead number, 1-based
    bead_id: int | None = None
    document_id: int | None = None
    memory: str = ""
    unit_id: int | None = None
    author: str = ""
    date: datetime | None = None
    status: str = ""
    src_lang: str = "und"
    tgt_lang: str = "und"

    @property
    def label(self) -> str:
        """``Document II #3`` or ``memory NAME``."""
        return f"{self.document} #{self.number}" if self.kind == "bead" else f"memory {self.memory}"


def _origin_of(p: Proposal) -> str:
    assert isinstance(p.provenance, Provenance)
    return f"tm: {p.provenance.label} ({p.score}%)"


# --------------------------------------------------------------------------- candidates


def _fuzzy_terms(source: str, limit: int = 12) -> list[str]:
    """Index terms for a fuzzy query: words of 4+ letters, Russian ones cut to a stem-like
    prefix so another case ending still matches; the longest (rarest) first."""
    terms = []
    for w in _WORD.findall(source):
        w = w.casefold()
        if len(w) < 4:
            continue
        if _CYRILLIC.search(w) and len(w) > 5:
            w = w[: max(4, len(w) - 2)]
        terms.append(w)
    return sorted(dict.fromkeys(terms), key=len, reverse=True)[:limit]


#: Rows of index postings read per fuzzy query (the rarest terms first) ...
POSTINGS_BUDGET = 20_000

#: ... but at least this many terms: an edited sentence often has new rare words.
MIN_TERMS = 5

#: Rows sharing the most rare terms that are then checked for every term.
PRESELECT = 300

#: Seconds the per-trigram document counts are reused before being read again.
VOCAB_TTL = 600.0

_VOCAB: dict[tuple[int, str], tuple[float, dict[str, int]]] = {}


def _trigrams(word: str) -> set[str]:
    return {word[i : i + 3] for i in range(len(word) - 2)}


def _vocab(s: Session, fts: str) -> dict[str, int]:
    """How many rows each trigram of an FTS5 index occurs in (its ``fts5vocab`` table),
    cached per database for :data:`VOCAB_TTL` seconds: only used to order terms by
    rarity, so a slightly old count does no harm."""
    import time

    key = (id(s.get_bind()), fts)
    now = time.monotonic()
    hit = _VOCAB.get(key)
    if hit is None or now - hit[0] > VOCAB_TTL:
        rows = s.execute(text(f"SELECT term, doc FROM {fts}_vocab")).all()
        hit = (now, {r[0]: r[1] for r in rows})
        _VOCAB[key] = hit
    return hit[1]


def _sqlite_fuzzy(s: Session, fts: str, table: str, column: str, source: str, k: int) -> list[int]:
    """Row ids of ``table`` sharing the most index terms with ``source``.

    The terms are looked up rarest first (rarity from the index's own trigram counts)
    until :data:`POSTINGS_BUDGET` rows have been read, at least :data:`MIN_TERMS`; the
    :data:`PRESELECT` rows containing most of them are then checked for every term of
    the query (each term is a substring of the text), and the best ``k`` returned.  Rare
    words are what a fuzzy match shares, and the budget bounds the cost of common ones.
    """
    terms = _fuzzy_terms(source, limit=24)
    if not terms:
        return []
    df = _vocab(s, fts)
    est = {w: min((df.get(t, 0) for t in _trigrams(w)), default=0) for w in terms}
    chosen: list[str] = []
    total = 0
    for w in sorted(terms, key=lambda w: (est[w], -len(w))):
        if len(chosen) >= MIN_TERMS and total + est[w] > POSTINGS_BUDGET:
            break
        chosen.append(w)
        total += est[w]
    prefix = "{" + column + "}: " if table == "tm_units" else ""
    parts, params = [], {}
    for i, w in enumerate(chosen):
        parts.append(f"SELECT rowid AS r FROM {fts} WHERE {fts} MATCH :m{i}")
        params[f"m{i}"] = prefix + '"' + w.replace('"', '""') + '"'
    sql = f"SELECT r FROM ({' UNION ALL '.join(parts)}) GROUP BY r ORDER BY count(*) DESC, r LIMIT {PRESELECT}"
    ids = list(s.execute(text(sql), params).scalars())
    if not ids:
        return []
    rows = s.execute(text(f"SELECT id, {column} FROM {table} WHERE id IN ({','.join(str(int(i)) for i in ids)})")).all()
    shared = []
    for row_id, body in rows:
        folded = body.casefold()
        shared.append((-sum(w in folded for w in terms), row_id))
    shared.sort()
    return [row_id for _, row_id in shared[:k]]


def _fuzzy_candidates(s: Session, dialect: str, source: str, k: int, minimum: int = 50) -> tuple[list[int], list[int]]:
    """(segment ids, tm unit ids) whose text shares the most with ``source``."""
    if dialect == "postgresql":
        # pg_trgm's similarity is lower than the match score: ask generously, score after
        s.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {max(0.1, min(0.3, minimum / 200)):.2f}"))
        seg = s.execute(
            text("SELECT id FROM segments WHERE text % :q ORDER BY similarity(text, :q) DESC LIMIT :k"), {"q": source, "k": k}
        ).scalars()
        units = s.execute(
            text("SELECT id FROM tm_units WHERE source % :q ORDER BY similarity(source, :q) DESC LIMIT :k"), {"q": source, "k": k}
        ).scalars()
        return list(seg), list(units)
    return (
        _sqlite_fuzzy(s, "tm_segment_fts", "segments", "text", source, k),
        _sqlite_fuzzy(s, "tm_unit_fts", "tm_units", "source", source, k),
    )


def _beads_of_segments(s: Session, segment_ids: list[int]) -> list[int]:
    """The beads covering the given segments (in the order given, each once)."""
    if not segment_ids:
        return []
    rows = s.execute(
        text(
            "SELECT s.id, (SELECT b.id FROM beads b WHERE b.document_id = s.document_id AND b.src_start <= s.position"
            " AND b.src_end > s.position ORDER BY b.src_start DESC LIMIT 1) FROM segments s WHERE s.id IN ("
            + ",".join(str(int(i)) for i in segment_ids)
            + ")"
        )
    ).all()
    by_seg = {r[0]: r[1] for r in rows}
    return list(dict.fromkeys(by_seg[i] for i in segment_ids if by_seg.get(i) is not None))


@dataclass(frozen=True)
class _BeadRow:
    id: int
    document_id: int
    document: str
    position: int  # 0-based place in the document (the bead number - 1)
    source: str
    target: str
    status: str
    updated_at: datetime | None
    src_lang: str
    tgt_lang: str


def _bead_rows(s: Session, bead_ids: list[int]) -> list[_BeadRow]:
    """Beads with their joined source text, in the order of ``bead_ids`` (one query)."""
    if not bead_ids:
        return []
    ids = ",".join(str(int(i)) for i in dict.fromkeys(bead_ids))
    rows = s.execute(
        text(
            # the bead's place (its number - 1): the beads before it, on the position index
            "SELECT b.id, b.document_id, d.name, (SELECT count(*) FROM beads c WHERE c.document_id = b.document_id"
            " AND c.position < b.position), b.target, b.status, b.updated_at, d.source_lang,"
            " d.target_lang, g.text, g.lang FROM beads b JOIN documents d ON d.id = b.document_id"
            " LEFT JOIN segments g ON g.document_id = b.document_id AND g.position >= b.src_start"
            f" AND g.position < b.src_end WHERE b.id IN ({ids}) ORDER BY b.id, g.position"
        )
    ).all()
    out: dict[int, _BeadRow] = {}
    for bead_id, grouped in itertools.groupby(rows, key=lambda r: r[0]):
        group = list(grouped)
        r = group[0]
        updated = r[6]
        if isinstance(updated, str):  # raw SQL on SQLite returns the stored text
            updated = datetime.fromisoformat(updated)
        source = " ".join(g[9] for g in group if g[9] is not None)
        src_lang = run_language(r[7], [g[10] for g in group if g[10] is not None])  # a Romanian reference: ro
        out[bead_id] = _BeadRow(r[0], r[1], r[2], r[3], source, r[4], r[5], updated, src_lang, r[8])
    return [out[i] for i in bead_ids if i in out]


def _author_of(s: Session, bead_id: int) -> str:
    return s.scalar(
        select(Revision.author).where(Revision.touching(bead_id)).order_by(Revision.id.desc()).limit(1)
    ) or ""


def _unit_rows(s: Session, unit_ids: list[int]) -> list[tuple[TmUnit, TmMemory]]:
    if not unit_ids:
        return []
    rows = s.execute(select(TmUnit, TmMemory).join(TmMemory, TmMemory.id == TmUnit.memory_id).where(TmUnit.id.in_(unit_ids))).all()
    by_id = {u.id: (u, m) for u, m in rows}
    return [by_id[i] for i in unit_ids if i in by_id]


def _lang_ok(have: str, want: str | None) -> bool:
    return want is None or have in ("", "und") or same_language(have, want)


# --------------------------------------------------------------------------- matching


def match(
    store: Store,
    source: str,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    exclude_bead: int | None = None,
    limit: int = 5,
    minimum: int = 50,
) -> list[Proposal]:
    """The best memory matches for ``source``, best first; each proposal's
    ``provenance`` is a :class:`Provenance`.  ``exclude_bead`` leaves out the bead being
    translated."""
    if not source.strip():
        return []
    ensure_index(store)
    with store.read() as s:
        seg_ids, unit_ids = _fuzzy_candidates(s, _dialect(store), source, CANDIDATES, minimum)
        candidates: list[Candidate] = []
        for b in _bead_rows(s, _beads_of_segments(s, seg_ids)):
            if b.id == exclude_bead or b.status not in MEMORY_STATUSES or not b.target.strip():
                continue
            if not (_lang_ok(b.src_lang, src_lang) and _lang_ok(b.tgt_lang, tgt_lang)):
                continue
            prov = Provenance("bead", b.document, b.position + 1, b.id, b.document_id, date=b.updated_at,
                              status=b.status, src_lang=b.src_lang, tgt_lang=b.tgt_lang)
            candidates.append(Candidate(b.source, b.target, prov))
        for u, m in _unit_rows(s, unit_ids):
            if not (_lang_ok(u.src_lang, src_lang) and _lang_ok(u.tgt_lang, tgt_lang)):
                continue
            prov = Provenance("memory", memory=m.name, unit_id=u.id, author=u.origin or m.author, date=m.imported_at,
                              status=u.status or "imported", src_lang=u.src_lang, tgt_lang=u.tgt_lang)
            candidates.append(Candidate(u.source, u.target, prov))
        proposals = rank(source, candidates, limit=limit, minimum=minimum)
        out = []
        for p in proposals:  # the author of a bead's target: its latest revision
            given = p.provenance
            if isinstance(given, Provenance) and given.kind == "bead" and given.bead_id is not None:
                given = Provenance(**{**given.__dict__, "author": _author_of(s, given.bead_id)})
                p = Proposal(p.score, p.source, p.target, p.original_target, p.diff, p.numbers, given)
            out.append(p)
        return out


def match_bead(store: Store, bead_id: int, *, limit: int = 5, minimum: int = 50) -> list[Proposal]:
    """Matches for a bead's source (the bead itself left out), in its document's languages."""
    from tolmach.service.apparatus import read_bead

    with store.read() as s:
        rows = _bead_rows(s, [bead_id])
        bead = s.get(Bead, bead_id)
        # the source as the tools read it: confirmed readings of misprints, not the printed text
        source = read_bead(s, bead.document_id, bead.src_start, bead.src_end).text if bead is not None else ""
    if not rows:
        raise InputError(f"Bead {bead_id} does not exist (it may have been merged away).")
    b = rows[0]
    return match(store, source or b.source, src_lang=b.src_lang, tgt_lang=b.tgt_lang, exclude_bead=b.id, limit=limit,
                 minimum=minimum)


@dataclass
class FillReport:
    document: str
    filled: list[tuple[int, int, str]] = field(default_factory=list)  # (bead number, score, origin)
    flagged: int = 0  # filled with numbers changed: flagged for review
    no_match: int = 0
    kept: int = 0  # beads with a target, left alone


def fill_from_tm(store: Store, document_id: int, *, minimum: int = 100, overwrite_machine: bool = False) -> FillReport:
    """Fill a document's empty beads (and machine drafts with ``overwrite_machine``)
    from the best memory match scoring at least ``minimum``: status ``tm``, origin naming
    the match, flagged when numbers changed.  One transaction, each bead undoable."""
    from tolmach.service.beads import bead_number, load_beads, replace_run

    if not 1 <= minimum <= 100:
        raise OptionError("{option} must be a percentage from 1 to 100, not {value}.", "min", value=minimum)
    with store.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise UnknownDocument(document_id)
        name = doc.name
    report = FillReport(name)
    wanted = (BeadStatus.EMPTY.value, BeadStatus.MACHINE.value) if overwrite_machine else (BeadStatus.EMPTY.value,)
    plan: dict[int, Proposal] = {}
    for bead in load_beads(store, document_id):
        if bead.status not in wanted and bead.target.strip():
            report.kept += 1
            continue
        if not bead.sources:
            continue
        found = match_bead(store, bead.id, limit=1, minimum=minimum)
        if not found:
            report.no_match += 1
            continue
        plan[bead.id] = found[0]
    with store.transaction() as s:
        for bead_id, p in plan.items():
            row = s.get(Bead, bead_id)
            if row is None or (row.status not in wanted and row.target.strip()):
                continue
            snap = row.snapshot()
            origin = _origin_of(p)
            snap.update(target=p.target, status=BeadStatus.TM.value, origin=origin, score=p.score / 100, flagged=p.flagged or row.flagged)
            number = bead_number(s, row)
            replace_run(s, row.document_id, [row], [snap], action="tm", origin=origin)
            report.filled.append((number, p.score, origin))
            report.flagged += p.flagged
    report.filled.sort()
    return report


# --------------------------------------------------------------------------- repetitions


@dataclass
class RepetitionReport:
    group_id: int | None
    source: str
    changed: list[tuple[str, int]] = field(default_factory=list)  # (document, bead number)
    kept: int = 0  # identical sources with a person's or imported target, left alone


def repetitions(store: Store, bead_id: int) -> list[tuple[int, str, int, str]]:
    """Other beads, in any document, whose source is the same text as this bead's after
    whitespace and case normalisation: (bead id, document, number, status)."""
    ensure_index(store)
    with store.read() as s:
        rows = _bead_rows(s, [bead_id])
        if not rows:
            raise InputError(f"Bead {bead_id} does not exist (it may have been merged away).")
        me = rows[0]
        key = normalize(me.source)
        if not key:
            return []
        terms = _fuzzy_terms(me.source, limit=4)
        if terms and _dialect(store) == "sqlite":
            ids = s.execute(
                text("SELECT rowid FROM tm_segment_fts WHERE tm_segment_fts MATCH :m"),
                {"m": " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)},
            ).scalars()
            beads = _beads_of_segments(s, list(ids))
        else:  # short sentences (or another database): compare every first segment
            first = " ".join(me.source.split()[:1])
            ids = s.execute(select(Segment.id).where(func.lower(Segment.text).contains(first.lower()))).scalars()
            beads = _beads_of_segments(s, list(ids))
        out = []
        for b in _bead_rows(s, [i for i in beads if i != bead_id]):
            if normalize(b.source) == key and same_language(b.src_lang, me.src_lang) and same_language(b.tgt_lang, me.tgt_lang):
                out.append((b.id, b.document, b.position + 1, b.status))
        return out


def propagate_repetitions(store: Store, bead_id: int) -> RepetitionReport:
    """Offer a confirmed bead's target to every repetition of its source: beads that are
    empty, machine drafts or earlier TM fills get it with status ``tm``; a person's or an
    imported target is never replaced.  All changes are one :class:`ChangeGroup`, undone
    together by :func:`undo_group`."""
    from tolmach.service.beads import replace_run

    reps = repetitions(store, bead_id)
    with store.transaction() as s:
        me = _bead_rows(s, [bead_id])[0]
        report = RepetitionReport(None, me.source)
        if not me.target.strip():
            return report
        origin = f"tm: repetition of {me.document} #{me.position + 1}"
        revision_ids = []
        for other_id, doc, number, _status in reps:
            bead = s.get(Bead, other_id)
            if bead is None:
                continue
            if bead.status not in REPLACEABLE:
                report.kept += 1
                continue
            if bead.target == me.target:
                continue
            snap = bead.snapshot()
            snap.update(target=me.target, status=BeadStatus.TM.value, origin=origin, score=1.0)
            replace_run(s, bead.document_id, [bead], [snap], action="repetition", origin=origin)
            s.flush()
            revision_ids.append(s.scalar(select(func.max(Revision.id))))
            report.changed.append((doc, number))
        if revision_ids:
            group = ChangeGroup(kind="repetitions", bead_id=bead_id, revision_ids=revision_ids, author=s.info.get("author", ""))
            s.add(group)
            s.flush()
            report.group_id = group.id
    return report


def undo_group(store: Store, group_id: int) -> int:
    """Undo every change of a group in one transaction; returns how many beads it restored.
    Refused, changing nothing, if any of those beads changed since."""
    from tolmach.service.beads import bead_number, last_revision, replace_run

    with store.transaction() as s:
        group = s.get(ChangeGroup, group_id)
        if group is None:
            raise InputError(f"There is no change group {group_id}.")
        if group.undone:
            raise InputError(f"Change group {group_id} was already undone.")
        revs = [rev for rev in (s.get(Revision, r) for r in group.revision_ids) if rev is not None]
        for rev in revs:
            for snap in rev.after:
                latest = last_revision(s, snap["id"])
                if latest is None or latest.id != rev.id:
                    now = s.get(Bead, snap["id"])
                    which = f"Bead {bead_number(s, now)}" if now is not None else "A bead"
                    raise InputError(f"{which} changed after the repetitions were filled in; undo that change first.")
        restored = 0
        for rev in reversed(revs):
            current = [b for b in (s.get(Bead, snap["id"]) for snap in rev.after) if b is not None]
            replace_run(s, rev.document_id, current, [dict(b) for b in rev.before], action="undo", origin=s.info.get("author", ""))
            rev.undone = True
            restored += len(current)
        group.undone = True
        return restored


# --------------------------------------------------------------------------- external memories


@dataclass
class MemoryInfo:
    id: int
    name: str
    path: str
    format: str
    src_lang: str
    tgt_lang: str
    units: int
    imported_at: datetime | None


@dataclass
class MemoryImport:
    name: str
    path: Path
    format: str
    units: int = 0
    skipped_empty: int = 0


def import_memory(store: Store, path: Path | str, *, name: str | None = None) -> MemoryImport:
    """Store the units of a TMX, XLIFF, TSV or JSONL file as an external memory called
    ``name`` (default: the file name without extension).  The whole file is read before
    anything is written; no bead changes."""
    from tolmach.interchange import format_of_file
    from tolmach.interchange.unit import bcp47

    path = check_input(path, hint="give a translation memory file")
    form = format_of_file(path)
    assert form.reader is not None
    name = (name or display_name(path.stem)).strip()
    if not name:
        raise OptionError("A memory needs a name ({option}).", "name")
    report = MemoryImport(name, path, form.name)
    rows: list[dict[str, Any]] = []
    langs: dict[tuple[str, str], int] = {}
    assert form.reader is not None  # memory_format() offers only formats read from one file
    for unit in form.reader(path, frozenset()):
        if not unit.source.strip() or not unit.target.strip():
            report.skipped_empty += 1
            continue
        src, tgt = bcp47(unit.src_lang), bcp47(unit.tgt_lang)
        langs[(src, tgt)] = langs.get((src, tgt), 0) + 1
        origin = unit.origin or (f"{unit.document} #{unit.number}" if unit.document and unit.number else unit.document)
        rows.append({"source": unit.source, "target": unit.target, "src_lang": src, "tgt_lang": tgt,
                     "origin": origin, "status": unit.status})
    report.units = len(rows)
    ensure_index(store)
    src, tgt = max(langs, key=langs.__getitem__) if langs else ("und", "und")
    with store.transaction() as s:
        if s.scalar(select(TmMemory.id).where(TmMemory.name == name)) is not None:
            raise OptionError("A memory called {name!r} exists already; remove it first or choose another {option}.", "name",
                              name=name)
        mem = TmMemory(name=name, path=display_name(path), format=form.name, src_lang=src, tgt_lang=tgt, author=s.info.get("author", ""))
        s.add(mem)
        s.flush()
        for row in rows:
            row["memory_id"] = mem.id
        for i in range(0, len(rows), 5000):
            s.execute(insert(TmUnit), rows[i : i + 5000])
    return report


def list_memories(store: Store) -> list[MemoryInfo]:
    with store.read() as s:
        counts = dict(s.execute(select(TmUnit.memory_id, func.count()).group_by(TmUnit.memory_id)).all())
        return [
            MemoryInfo(m.id, m.name, m.path, m.format, m.src_lang, m.tgt_lang, counts.get(m.id, 0), m.imported_at)
            for m in s.scalars(select(TmMemory).order_by(TmMemory.id))
        ]


def remove_memory(store: Store, name: str) -> int:
    """Remove an external memory and its units; returns the number of units removed."""
    ensure_index(store)
    with store.transaction() as s:
        mem = s.scalar(select(TmMemory).where(TmMemory.name == name))
        if mem is None:
            raise InputError(f"There is no memory called {name!r}; `tolmach tm list` names them.")
        n = s.scalar(select(func.count()).select_from(TmUnit).where(TmUnit.memory_id == mem.id)) or 0
        s.execute(delete(TmUnit).where(TmUnit.memory_id == mem.id))  # the triggers keep the index
        s.delete(mem)
        return n


# --------------------------------------------------------------------------- concordance


@dataclass(frozen=True)
class ConcordanceHit:
    """One bead or memory unit containing the query, with the hits marked on each side."""

    kind: str  # "bead" or "memory"
    source: str
    target: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    document: str = ""
    number: int | None = None
    bead_id: int | None = None
    document_id: int | None = None
    memory: str = ""
    status: str = ""


@dataclass
class ConcordanceResult:
    query: str
    hits: list[ConcordanceHit]
    truncated: bool  # more hits exist than ``limit``


SIDES = ("source", "target", "both")


#: (table, id column, text column, document column or None) per concordance source.
_CONCORDANCE_SOURCES = {
    "segments": ("tm_segment_fts", "text", "document_id"),
    "beads": ("tm_target_fts", "target", "document_id"),
    "tm_units": ("tm_unit_fts", None, None),
}


def _concordance_candidates(
    s: Session, dialect: str, q: Query, table: str, column: str, after: int, chunk: int, document_id: int | None
) -> tuple[list[tuple[int, str]], int | None]:
    """``(id, text)`` of the next rows (id > ``after``, ascending) of ``table`` whose
    ``column`` contains every index term of the query (every row when it has none), and
    the id to continue after (None: nothing left)."""
    fts = _CONCORDANCE_SOURCES[table][0]
    params: dict[str, object] = {"a": after, "k": chunk}
    if not q.terms:
        sql = f"SELECT id FROM {table} WHERE id > :a ORDER BY id LIMIT :k"
    elif dialect == "postgresql":
        conds = "".join(f" AND {column} ILIKE :t{i}" for i in range(len(q.terms)))
        params.update({f"t{i}": "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                       for i, t in enumerate(q.terms)})
        sql = f"SELECT id FROM {table} WHERE id > :a{conds} ORDER BY id LIMIT :k"
    else:
        from tolmach.memory.concordance import fts5_match

        m = fts5_match(q)
        params["m"] = "{" + column + "}: (" + m + ")" if table == "tm_units" else m
        # the index walks its matches in rowid order from ``after``: a chunk costs its own size
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH :m AND rowid > :a ORDER BY rowid LIMIT :k"
    ids = list(s.execute(text(sql), params).scalars())
    if not ids:
        return [], None
    doc = f" AND document_id = {int(document_id)}" if document_id is not None and table != "tm_units" else ""
    rows = s.execute(text(f"SELECT id, {column} FROM {table} WHERE id IN ({','.join(str(int(i)) for i in ids)}){doc} ORDER BY id"))
    return [(r[0], r[1]) for r in rows], ids[-1]


def search(
    store: Store,
    query: str,
    *,
    side: str = "both",
    document_id: int | None = None,
    regex: bool = False,
    limit: int = 200,
) -> ConcordanceResult:
    """Every bead and memory unit whose source and/or target contains the query (see
    :mod:`tolmach.memory.concordance`), up to ``limit``, in database order."""
    if side not in SIDES:
        raise OptionError("{option} must be one of {choices}, not {side!r}.", "in", choices=", ".join(SIDES), side=side)
    q = compile_query(query, regex=regex)
    ensure_index(store)
    dialect = _dialect(store)
    hits: list[ConcordanceHit] = []
    seen_beads: set[int] = set()
    chunk = max(256, limit * 2)
    with store.read() as s:

        def bead_hits(bead_ids: list[int]) -> Iterator[ConcordanceHit]:
            for b in _bead_rows(s, [i for i in bead_ids if i not in seen_beads]):
                seen_beads.add(b.id)
                ss = tuple(q.find(b.source)) if side in ("source", "both") else ()
                ts = tuple(q.find(b.target)) if side in ("target", "both") else ()
                if ss or ts:
                    yield ConcordanceHit("bead", b.source, b.target, ss, ts, b.document, b.position + 1, b.id,
                                         b.document_id, status=b.status)

        tables = []
        if side in ("source", "both"):
            tables.append(("segments", "text"))
        if side in ("target", "both"):
            tables.append(("beads", "target"))
        if document_id is None:
            tables += [("tm_units", c) for c in (("source", "target") if side == "both" else (side,))]
        seen_units: set[int] = set()
        for table, column in tables:
            after = 0
            while len(hits) <= limit:
                rows, scanned = _concordance_candidates(s, dialect, q, table, column, after, chunk, document_id)
                if scanned is None:
                    break
                after = scanned
                # a row whose own text has no hit cannot make its bead or unit a hit
                found = []
                for i, t in rows:
                    if q.find(t):
                        found.append(i)
                        if len(hits) + len(found) > limit:
                            after = i  # enough: a next chunk (after duplicates) goes on from here
                            break
                if table == "segments":
                    hits.extend(bead_hits(_beads_of_segments(s, found)))
                elif table == "beads":
                    hits.extend(bead_hits(found))
                else:
                    for u, mem in _unit_rows(s, [i for i in found if i not in seen_units]):
                        seen_units.add(u.id)
                        ss = tuple(q.find(u.source)) if side in ("source", "both") else ()
                        ts = tuple(q.find(u.target)) if side in ("target", "both") else ()
                        if ss or ts:
                            hits.append(ConcordanceHit("memory", u.source, u.target, ss, ts, memory=mem.name, status=u.status))
    truncated = len(hits) > limit
    return ConcordanceResult(query, hits[:limit], truncated)
