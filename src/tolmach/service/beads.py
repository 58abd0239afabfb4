"""The bitext as beads: reading them, editing targets, merge/split, undo.

Every change goes through :func:`replace_run`, which swaps a contiguous run of beads for
new ones and journals both sides as one :class:`~tolmach.store.Revision`.  Edits, status
changes, merges, splits, boundary moves and alignments are all that one mechanism, and so
is undo: it replays a revision backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Subquery, func, insert, select, update
from sqlalchemy.orm import Session

from tolmach.errors import ConflictError, InputError
from tolmach.model import DEFAULT_TARGET_LANG, FLAG_BELOW
from tolmach.store import POSITION_GAP, Bead, BeadStatus, Document, Revision, RevisionBead, Segment, Store

#: Rows a bulk write sends in one executemany (bounded memory, few round trips).
_BATCH = 2000
#: What a bead gets for a field its spec or snapshot leaves out (the columns' defaults).
_BEAD_DEFAULTS: dict[str, Any] = {"target": "", "status": BeadStatus.EMPTY.value, "origin": "", "score": None, "flagged": False}

#: Alignment scores below this are flagged for review: the aligner's own threshold.
LOW_SCORE = FLAG_BELOW


@dataclass(frozen=True)
class BeadView:
    """A bead with its source text, detached from the database (what front-ends render)."""

    id: int
    document_id: int
    #: 0-based place in the document (the bead number minus one): the bead's rank, not the
    #: database's ``Bead.position``, which is only an ordering key with gaps
    position: int
    src_start: int
    src_end: int
    sources: tuple[str, ...]
    source_kinds: tuple[str, ...]
    source_langs: tuple[str, ...]
    target: str
    status: str
    origin: str
    score: float | None
    flagged: bool
    #: Raised by every change: pass it back as ``base_version`` when saving, and a save
    #: based on a version someone else has since replaced is refused (ConflictError).
    version: int = 1

    @property
    def number(self) -> int:
        """1-based bead number as shown to users and written to exports."""
        return self.position + 1

    @property
    def source(self) -> str:
        return " ".join(self.sources)

    @property
    def shape(self) -> str:
        """``n:m``: source segments to target sentences (the workbench shows it on every
        cursor move, so the sentence count of a target text is computed once)."""
        return f"{len(self.sources)}:{_target_sentences(self.target)}"


@lru_cache(maxsize=4096)
def _target_sentences(target: str) -> int:
    from tolmach.text.sentences import split_sentences

    return len(split_sentences(target, DEFAULT_TARGET_LANG)) if target.strip() else 0


@dataclass(frozen=True)
class BeadSpec:
    """A bead to create: source range, target and provenance."""

    src_start: int
    src_end: int
    target: str = ""
    status: str = BeadStatus.EMPTY.value
    origin: str = ""
    score: float | None = None
    flagged: bool = False


def _view(bead: Bead, segments: Sequence[Segment], offset: int, rank: int) -> BeadView:
    """``segments`` are the document's segments from position ``offset`` on; ``rank`` is
    the bead's 0-based place in its document."""
    segs = segments[bead.src_start - offset : bead.src_end - offset]
    return BeadView(
        id=bead.id,
        document_id=bead.document_id,
        position=rank,
        src_start=bead.src_start,
        src_end=bead.src_end,
        sources=tuple(s.text for s in segs),
        source_kinds=tuple(s.kind for s in segs),
        source_langs=tuple(s.lang for s in segs),
        target=bead.target,
        status=bead.status,
        origin=bead.origin,
        score=bead.score,
        flagged=bead.flagged,
        version=bead.version,
    )


def _views(session: Session, beads: Sequence[Bead]) -> list[BeadView]:
    """Views of a few beads of one document, reading only the segments they cover (an edit
    in a 20,000-sentence document must not load all of them)."""
    if not beads:
        return []
    start = min(b.src_start for b in beads)
    end = max(b.src_end for b in beads)
    segs = list(
        session.scalars(
            select(Segment)
            .where(Segment.document_id == beads[0].document_id, Segment.position >= start, Segment.position < end)
            .order_by(Segment.position)
        )
    )
    return [_view(b, segs, start, rank(session, b)) for b in beads]


def rank(session: Session, bead: Bead) -> int:
    """A bead's 0-based place in its document (its number minus one): the beads before it.

    ``Bead.position`` only orders the beads (with gaps, so a split renumbers nothing); every
    number shown to a person or written to a file is a rank, counted on the position index.
    """
    return session.scalar(
        select(func.count()).select_from(Bead).where(Bead.document_id == bead.document_id, Bead.position < bead.position)
    ) or 0


def bead_number(session: Session, bead: Bead) -> int:
    """The 1-based number of a bead as people see it."""
    return rank(session, bead) + 1


def bead_by_number(session: Session, document_id: int, number: int) -> Bead | None:
    """The bead a person calls #``number`` (1-based) in a document, if there is one."""
    if number < 1:
        return None
    return session.scalar(
        select(Bead).where(Bead.document_id == document_id).order_by(Bead.position).offset(number - 1).limit(1)
    )


def numbered(document_id: int) -> Subquery:
    """A subquery of the document's beads' ``id`` and ``number`` (1-based rank), for a
    query that numbers beads it does not read all of."""
    return (
        select(Bead.id.label("id"), func.row_number().over(order_by=Bead.position).label("number"))
        .where(Bead.document_id == document_id)
        .subquery()
    )


def load_beads(store: Store, document_id: int, *, start: int = 0, limit: int | None = None) -> list[BeadView]:
    """The beads of a document in order (from the ``start``-th, 0-based, at most ``limit``
    of them), with their source sentences; their ``position`` is their place (rank).

    Reads plain rows rather than ORM objects: the workbench loads whole documents, and
    building 20,000 tracked objects costs several times more than the query.  The views
    are filled without the frozen dataclass's per-field ``__setattr__`` (the same objects,
    built faster).
    """
    with store.read() as s:
        c = Bead.__table__.c
        query = (
            select(c.id, c.document_id, c.position, c.src_start, c.src_end, c.target, c.status, c.origin, c.score, c.flagged,
                   c.version)
            .where(c.document_id == document_id)
            .order_by(c.position)
        )  # fmt: skip
        if start:
            query = query.offset(start)
        rows = s.execute(query if limit is None else query.limit(limit)).all()
        seg_cols = Segment.__table__.c
        seg_query = select(seg_cols.text, seg_cols.kind, seg_cols.lang).where(seg_cols.document_id == document_id)
        first = 0
        if start or limit is not None:  # only the sentences these beads cover
            spans = [(r[3], r[4]) for r in rows if r[4] > r[3]]
            first = min((a for a, _ in spans), default=0)
            last = max((b for _, b in spans), default=0)
            seg_query = seg_query.where(seg_cols.position >= first, seg_cols.position < last)
        segments = s.execute(seg_query.order_by(seg_cols.position)).all()
        texts = [r[0] for r in segments]
        kinds = [r[1] for r in segments]
        langs = [r[2] for r in segments]
    new = object.__new__
    out = []
    for pos, (bid, did, _key, a, b, target, status, origin, score, flagged, version) in enumerate(rows, start):
        v = new(BeadView)
        a0, b0 = a - first, b - first
        v.__dict__.update(
            id=bid, document_id=did, position=pos, src_start=a, src_end=b,
            sources=tuple(texts[a0:b0]), source_kinds=tuple(kinds[a0:b0]), source_langs=tuple(langs[a0:b0]),
            target=target, status=status, origin=origin, score=score, flagged=bool(flagged), version=version,
        )  # fmt: skip
        out.append(v)
    return out


def get_bead(store: Store, bead_id: int) -> BeadView:
    with store.read() as s:
        return _views(s, [_bead(s, bead_id)])[0]


def _bead(session: Session, bead_id: int) -> Bead:
    """The bead, read after locking its document when ``session`` writes (so what is
    checked before a change is what the change replaces, whatever other sessions do)."""
    if session.info.get("writes"):  # a write transaction (Store.transaction)
        doc = session.scalar(select(Bead.document_id).where(Bead.id == bead_id))
        if doc is not None:
            _lock(session, doc)
            bead = session.get(Bead, bead_id, populate_existing=True)
        else:
            bead = None
    else:
        bead = session.get(Bead, bead_id)
    if bead is None:
        raise InputError(f"Bead {bead_id} does not exist (it may have been merged away).")
    return bead


def _lock(session: Session, document_id: int) -> None:
    store = session.info.get("store")
    locked = session.info.setdefault("locked_documents", set())
    if store is not None and document_id not in locked:
        store.lock_document(session, document_id)
        locked.add(document_id)


def lock_beads(session: Session, bead_ids: Sequence[int]) -> None:
    """Lock the documents of these beads (in id order) before reading what to change."""
    if not bead_ids:
        return
    docs = session.scalars(select(Bead.document_id).where(Bead.id.in_(list(bead_ids))).distinct())
    for doc in sorted(docs):
        _lock(session, doc)


def _conflict(session: Session, bead: Bead | None, bead_id: int, number: int, mine: str, base_version: int | None) -> ConflictError:
    rev = last_revision(session, bead_id) if bead is not None else None
    base = None
    if base_version is not None:  # the text the refused save was typed on
        for r in session.scalars(
            select(Revision).where(Revision.touching(bead_id)).order_by(Revision.id.desc()).limit(200)
        ):
            snap = next((x for x in r.after if x.get("id") == bead_id and x.get("version") == base_version), None)
            if snap is not None:
                base = snap.get("target", "")
                break
    return ConflictError(
        bead_id,
        number,
        mine=mine,
        theirs=bead.target if bead is not None else "",
        theirs_status=bead.status if bead is not None else "",
        theirs_author=rev.author if rev is not None else "",
        base_version=base_version,
        current_version=bead.version if bead is not None else None,
        base=base,
    )


def _neighbour(session: Session, bead: Bead, step: int) -> Bead | None:
    """The bead just after (``step`` 1) or just before (-1) ``bead`` in its document."""
    query = select(Bead).where(Bead.document_id == bead.document_id)
    if step > 0:
        return session.scalar(query.where(Bead.position > bead.position).order_by(Bead.position).limit(1))
    return session.scalar(query.where(Bead.position < bead.position).order_by(Bead.position.desc()).limit(1))


def replace_run(
    session: Session,
    document_id: int,
    old: Sequence[Bead],
    new: Sequence[BeadSpec | dict[str, Any]],
    *,
    action: str,
    origin: str = "",
    start: int | None = None,
    returning: bool = True,
    when: datetime | None = None,
) -> list[Bead]:
    """Replace the contiguous beads ``old`` with ``new``, journal it.

    ``when`` dates the revision (an imported unit's own date); by default, now.

    ``new`` items are specs, or snapshots (dicts) that may carry an ``id`` to restore.
    Returns the new Bead rows (``returning=False``: nothing, for a caller that writes a
    whole document and reads none of them back).  ``start`` is where an insertion goes
    when ``old`` is empty: before the first bead whose ``position`` is ``start`` or more.
    The new beads get positions between their neighbours' (:func:`_positions`).
    """
    old = sorted(old, key=lambda b: b.position)
    if old:
        start = old[0].position
    elif start is None:
        raise ValueError("replace_run needs a start position for an insertion")
    _lock(session, document_id)
    if old:
        # nothing is replaced on the strength of a stale read: the versions read earlier
        # must still be the committed ones (a fresh query, not the session's cache)
        fresh = dict(session.execute(select(Bead.id, Bead.version).where(Bead.id.in_([b.id for b in old]))).all())
        for b in old:
            if fresh.get(b.id) != b.version:
                current = session.get(Bead, b.id, populate_existing=True) if b.id in fresh else None
                raise _conflict(session, current, b.id, bead_number(session, current or b), "", b.version)
    c = Bead.__table__.c
    doc_beads = select(c.position).where(c.document_id == document_id)
    if old:
        inside = session.scalar(
            select(func.count()).select_from(Bead).where(c.document_id == document_id, c.position.between(start, old[-1].position))
        )
        if inside != len(old):
            raise ValueError("replace_run needs a contiguous run of beads")
    before_key = session.scalar(doc_beads.where(c.position < start).order_by(c.position.desc()).limit(1))
    after_key = session.scalar(
        doc_beads.where(c.position > old[-1].position if old else c.position >= start).order_by(c.position).limit(1)
    )
    base_version = max((b.version or 0 for b in old), default=0)
    before = [b.snapshot() for b in old]
    for b in old:
        session.delete(b)
    session.flush()
    keys = [b.position for b in old]
    if len(new) != len(old):
        keys, shift = _positions(before_key, after_key, len(new))
        if shift:  # the gap is used up: move the later beads along, once
            session.execute(
                update(Bead)
                .where(Bead.document_id == document_id, Bead.position >= after_key)
                # a renumber is not a change of those beads: their updated_at (and version) stay
                .values(position=Bead.position + shift, updated_at=Bead.updated_at)
                .execution_options(synchronize_session="evaluate")  # no RETURNING of every later row
            )
    # the new beads, their revision and its join rows go in as Core executemany batches:
    # an align of a long document writes tens of thousands of beads, and ORM objects for
    # them (and their snapshots) would hold the document's text several times over
    after = []
    for i, item in enumerate(new):
        fields = dict(item) if isinstance(item, dict) else dict(item.__dict__)
        # the same keys, in the same order, as Bead.snapshot()
        snap = {"id": fields.get("id"), "position": keys[i], "src_start": fields["src_start"], "src_end": fields["src_end"]}
        snap.update((k, fields.get(k, default)) for k, default in _BEAD_DEFAULTS.items())
        # versions only grow, also for an id an undo brings back
        snap["version"] = max(base_version, int(fields.get("version") or 0)) + 1
        after.append(snap)
    for chunk in range(0, len(after), _BATCH):
        rows = after[chunk : chunk + _BATCH]
        got = session.execute(
            insert(Bead).returning(Bead.id, sort_by_parameter_order=True),
            [{k: v for k, v in r.items() if k != "id" or v is not None} | {"document_id": document_id} for r in rows],
        ).scalars()
        for r, bead_id in zip(rows, got, strict=True):
            r["id"] = bead_id
    primary = after[0]["id"] if after else (before[0]["id"] if before else 0)
    revision_id = session.execute(
        insert(Revision).returning(Revision.id),
        {"document_id": document_id, "bead_id": primary, "action": action, "before": [], "after": [],
         "origin": origin, "author": session.info.get("author", ""), **({"created_at": when} if when else {})},
    ).scalar_one()  # fmt: skip
    # the snapshots go in through the backend, which streams a long list (a document's text)
    store = session.info.get("store")
    for column, items in (("before", before), ("after", after)):
        if store is not None:
            store.backend.put_json_list(session, Revision.__table__, column, revision_id, items)
        else:  # a bare session: bound whole
            session.execute(update(Revision).where(Revision.id == revision_id).values({column: items}))
    del before
    for chunk in range(0, len(after), _BATCH):
        session.execute(insert(RevisionBead), [{"revision_id": revision_id, "bead_id": r["id"]} for r in after[chunk : chunk + _BATCH]])
    store = session.info.get("store")
    notified = session.info.setdefault("notified_documents", set())
    if store is not None and document_id not in notified:
        store.backend.notify(session, document_id)  # PostgreSQL: delivered at commit
        notified.add(document_id)
    if not returning:
        return []
    ids = [r["id"] for r in after]
    by_id = {b.id: b for chunk in range(0, len(ids), _BATCH) for b in session.scalars(select(Bead).where(Bead.id.in_(ids[chunk : chunk + _BATCH])))}
    return [by_id[i] for i in ids]


def _positions(before: int | None, after: int | None, n: int) -> tuple[list[int], int]:
    """Positions for ``n`` beads between the positions ``before`` and ``after`` (None: the
    start or the end of the document), spread evenly; and how far the beads from ``after``
    on must move first when there is no room (0: there is)."""
    if after is None:
        first = 0 if before is None else before + POSITION_GAP
        return [first + POSITION_GAP * i for i in range(n)], 0
    low = -1 if before is None else before
    shift = 0
    if after - low - 1 < n:
        shift = POSITION_GAP * (n + 1) - (after - low)
        after += shift
    return [low + (after - low) * (i + 1) // (n + 1) for i in range(n)], shift


def _change_one(
    store: Store, bead_id: int, action: str, author: str, changes: dict[str, Any], base_version: int | None = None
) -> BeadView:
    with store.transaction() as s:
        bead = _bead(s, bead_id)
        if base_version is not None and bead.version != base_version:
            raise _conflict(s, bead, bead_id, bead_number(s, bead), changes.get("target", bead.target), base_version)
        snap = bead.snapshot()
        if all(snap.get(k) == v for k, v in changes.items()):
            return _views(s, [bead])[0]
        snap.update(changes)
        (new,) = replace_run(s, bead.document_id, [bead], [snap], action=action, origin=author)
        return _views(s, [new])[0]


def edit_target(
    store: Store, bead_id: int, text: str, *, origin: str = "user", base_version: int | None = None
) -> BeadView:
    """Save a person's edit; an unchanged text writes nothing.

    ``base_version`` is the version of the bead the edit was typed on (``BeadView.version``);
    when someone else has changed the bead since, :class:`~tolmach.errors.ConflictError`
    is raised with both texts and nothing is written.  ``None`` saves over whatever is there.
    """
    with store.read() as s:
        current = _bead(s, bead_id)
        if current.target == text:
            return _views(s, [current])[0]
    status = BeadStatus.EDITED.value if text.strip() else BeadStatus.EMPTY.value
    return _change_one(store, bead_id, "edit", origin, {"target": text, "status": status, "origin": origin}, base_version)


def set_status(
    store: Store, bead_id: int, status: BeadStatus | str, *, origin: str = "user", base_version: int | None = None
) -> BeadView:
    """Change a bead's status (reviewing also clears its needs-review flag)."""
    status = BeadStatus(status)
    changes: dict[str, Any] = {"status": status.value}
    if status is BeadStatus.REVIEWED:
        changes["flagged"] = False
    return _change_one(store, bead_id, "status", origin, changes, base_version)


def set_flag(store: Store, bead_id: int, flagged: bool, *, origin: str = "user") -> BeadView:
    return _change_one(store, bead_id, "flag", origin, {"flagged": flagged})


def write_target(
    session: Session, bead: Bead, target: str, *, status: BeadStatus | str, origin: str, action: str,
    when: datetime | None = None,
) -> Bead:
    """Set a bead's target inside an open transaction (used by MT and TM import); ``when``
    dates the revision (a memory unit's own date), else now."""
    snap = bead.snapshot()
    snap.update(target=target, status=BeadStatus(status).value, origin=origin)
    (new,) = replace_run(session, bead.document_id, [bead], [snap], action=action, origin=origin, when=when)
    return new


def _merged_status(beads: Sequence[Bead]) -> str:
    statuses = [BeadStatus(b.status) for b in beads if b.target.strip()]
    if not statuses:
        return BeadStatus.EMPTY.value
    if any(s.is_human for s in statuses):
        return BeadStatus.EDITED.value
    return statuses[0].value


def _join(parts: Sequence[str]) -> str:
    return " ".join(p.strip() for p in parts if p.strip())


def merge_with_next(store: Store, bead_id: int, *, origin: str = "user") -> BeadView:
    """Join a bead and the next one into one bead (source ranges and targets joined)."""
    with store.transaction() as s:
        bead = _bead(s, bead_id)
        nxt = _neighbour(s, bead, 1)
        if nxt is None:
            raise InputError(f"Bead {bead_number(s, bead)} is the last one; there is nothing to merge it with.")
        pair = [bead, nxt]
        snap = bead.snapshot()
        snap.update(
            src_start=min(bead.src_start, nxt.src_start) if bead.src_end > bead.src_start else nxt.src_start,
            src_end=max(bead.src_end, nxt.src_end),
            target=_join([bead.target, nxt.target]),
            status=_merged_status(pair),
            origin=" + ".join(dict.fromkeys(o for o in (bead.origin, nxt.origin) if o)),
            score=None,
            flagged=bead.flagged or nxt.flagged,
        )
        if bead.src_end == bead.src_start:
            snap["src_start"] = nxt.src_start
        if nxt.src_end == nxt.src_start:
            snap["src_end"] = bead.src_end
        (new,) = replace_run(s, bead.document_id, pair, [snap], action="merge", origin=origin)
        return _views(s, [new])[0]


def target_sentence_offsets(text: str, lang: str) -> list[int]:
    """Character offsets where a target sentence after the first begins."""
    from tolmach.text.sentences import split_sentences

    offsets, pos = [], 0
    for i, sent in enumerate(split_sentences(text, lang)):
        found = text.find(sent, pos)
        if found < 0:
            continue
        if i > 0:
            offsets.append(found)
        pos = found + len(sent)
    return offsets


def split_bead(
    store: Store,
    bead_id: int,
    *,
    source_at: int | None = None,
    target_at: int | None = None,
    origin: str = "user",
) -> tuple[BeadView, BeadView]:
    """Split a bead in two: its first ``source_at`` source segments and the target up to
    character ``target_at`` go to the first bead, the rest to the second.

    With ``source_at`` omitted, a bead of several segments splits after its first one and a
    single-segment bead keeps its source (giving a 1:m / 0:n pair).  With ``target_at``
    omitted, the target splits at the sentence boundary closest to the source proportion.
    """
    with store.transaction() as s:
        bead = _bead(s, bead_id)
        doc = s.get(Document, bead.document_id)
        n = bead.src_end - bead.src_start
        if source_at is None:
            source_at = 1 if n > 1 else n
        if not 0 <= source_at <= n:
            raise InputError(f"Bead {bead_number(s, bead)} has {n} source sentences; cannot split after {source_at}.")
        target = bead.target
        if target_at is None:
            offsets = target_sentence_offsets(target, doc.target_lang if doc else "en")
            if not offsets:
                target_at = len(target) if source_at > 0 else 0
            else:
                segs = _views(s, [bead])[0].sources
                total = sum(len(x) for x in segs) or 1
                share = sum(len(x) for x in segs[:source_at]) / total
                target_at = min(offsets, key=lambda o: abs(o / max(len(target), 1) - share))
        if not 0 <= target_at <= len(target):
            raise InputError(f"Cannot split the target at character {target_at}; it has {len(target)}.")
        left_t, right_t = target[:target_at].strip(), target[target_at:].strip()
        if (source_at == 0 and not left_t) or (source_at == n and not right_t):
            raise InputError("That split would leave an empty bead; choose a point inside the bead.")
        base = bead.snapshot()
        base.pop("id")

        def part(a: int, b: int, text: str) -> dict[str, Any]:
            p = dict(base, src_start=a, src_end=b, target=text, score=None)
            if not text:
                p["status"] = BeadStatus.EMPTY.value
            return p

        mid = bead.src_start + source_at
        first = part(bead.src_start, mid, left_t)
        first["id"] = bead.id
        second = part(mid, bead.src_end, right_t)
        a, b = replace_run(s, bead.document_id, [bead], [first, second], action="split", origin=origin)
        first_view, second_view = _views(s, [a, b])
        return first_view, second_view


def move_boundary(store: Store, bead_id: int, *, side: str, direction: str, origin: str = "user") -> list[BeadView]:
    """Move one boundary sentence between a bead and its neighbour.

    ``side`` is ``"source"`` or ``"target"``; ``direction`` ``"next"`` moves this bead's last
    sentence to the start of the next bead, ``"prev"`` moves its first sentence to the end
    of the previous bead.  A bead left with nothing on either side disappears.
    """
    if side not in ("source", "target") or direction not in ("next", "prev"):
        raise InputError("side must be 'source' or 'target' and direction 'next' or 'prev'.")
    with store.transaction() as s:
        bead = _bead(s, bead_id)
        doc = s.get(Document, bead.document_id)
        step = 1 if direction == "next" else -1
        other = _neighbour(s, bead, step)
        if other is None:
            raise InputError(f"Bead {bead_number(s, bead)} has no {'previous' if step < 0 else 'next'} bead to move a sentence to.")
        me, nb = bead.snapshot(), other.snapshot()
        if side == "source":
            if bead.src_end == bead.src_start:
                raise InputError(f"Bead {bead_number(s, bead)} has no source sentence to move.")
            if direction == "next":
                me["src_end"] -= 1
                nb["src_start"] = me["src_end"]
                nb["src_end"] = max(nb["src_end"], nb["src_start"] + 1) if other.src_end == other.src_start else nb["src_end"]
            else:
                me["src_start"] += 1
                nb["src_end"] = me["src_start"]
                if other.src_end == other.src_start:
                    nb["src_start"] = bead.src_start
        else:
            from tolmach.text.sentences import split_sentences

            sents = split_sentences(bead.target, doc.target_lang if doc else "en")
            if not sents:
                raise InputError(f"Bead {bead_number(s, bead)} has no target sentence to move.")
            moved = sents[-1] if direction == "next" else sents[0]
            rest = sents[:-1] if direction == "next" else sents[1:]
            me["target"] = " ".join(rest)
            nb["target"] = _join([moved, other.target] if direction == "next" else [other.target, moved])
            for snap, was in ((me, bead), (nb, other)):
                if not snap["target"]:
                    snap["status"] = BeadStatus.EMPTY.value
                elif was.status == BeadStatus.EMPTY.value:
                    snap["status"] = BeadStatus.EDITED.value
        me["score"] = nb["score"] = None
        pair = sorted([(bead, me), (other, nb)], key=lambda x: x[0].position)
        keep = [snap for _, snap in pair if snap["src_end"] > snap["src_start"] or snap["target"].strip()]
        created = replace_run(s, bead.document_id, [b for b, _ in pair], keep, action="move", origin=origin)
        return _views(s, created)


def last_revision(session: Session, bead_id: int) -> Revision | None:
    """The latest change that produced this bead and has not been undone."""
    return session.scalar(
        select(Revision)
        .where(Revision.touching(bead_id), Revision.undone.is_(False), Revision.action != "undo")
        .order_by(Revision.id.desc())
        .limit(1)
    )


def _differs(now: dict[str, Any], then: dict[str, Any]) -> bool:
    """Whether a bead changed since snapshot ``then`` (its position may shift with its neighbours)."""
    return any(now.get(k) != then.get(k) for k in then if k not in ("position", "version"))


def undo(store: Store, bead_id: int, *, origin: str = "user") -> list[BeadView] | None:
    """Undo the latest change of a bead; None when it has no history left to undo."""
    with store.transaction() as s:
        rev = last_revision(s, bead_id)
        return None if rev is None else undo_revision(s, rev, bead_id, origin=origin)


def undo_revision(s: Session, rev: Revision, bead_id: int, *, origin: str = "user") -> list[BeadView]:
    """Replay ``rev`` backwards inside the open transaction ``s`` (refused when a later
    change built on it); the restored beads."""
    ids = [snap["id"] for snap in rev.after]
    found = [s.get(Bead, i) for i in ids]
    current = [b for b in found if b is not None]
    if len(current) < len(found):
        raise InputError(
            f"The last change of bead {bead_id} cannot be undone because a later merge or split replaced it; undo that first."
        )
    for now, then in zip(current, rev.after):
        if _differs(now.snapshot(), then):  # a later change built on this one: undoing would drop it
            raise InputError(
                f"Bead #{bead_number(s, now)} was changed after this {rev.action}; undo that change first "
                "(undoing out of order would lose it)."
            )
    restored = replace_run(
        s, rev.document_id, current, [dict(b) for b in rev.before], action="undo", origin=origin,
        start=rev.after[0]["position"] if rev.after else None,
    )
    rev.undone = True
    return _views(s, restored)


def history(store: Store, bead_id: int) -> list[Revision]:
    """Every journalled change that produced this bead, newest first."""
    with store.read() as s:
        return list(
            s.scalars(select(Revision).where(Revision.touching(bead_id)).order_by(Revision.id.desc()))
        )
