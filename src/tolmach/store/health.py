"""A database's health: check it, recover what is intact, keep backups.

- :func:`check` runs SQLite's ``integrity_check`` and ``foreign_key_check`` and then
  Tolmach's own invariants: every document's beads tile its segments (positions
  0..n-1, each bead starting where the previous ended, the last ending at the last
  segment), and every revision chain is linear (a change's "before" of a bead is the
  previous change's "after").
- :func:`recover` copies every row that can still be read from a damaged file into a
  new database (rows are read by rowid ranges, halving a range that fails until single
  rows are skipped), then repairs the tiling: segments no intact bead covers get empty
  1:1 beads, flagged, so nothing of the source is lost.
- :func:`backup` snapshots a database with SQLite's online backup API before risky
  operations (``align --force``, ``import-tm``, ``translate --force``, schema upgrades);
  the newest :data:`KEEP` are kept beside the file in ``NAME.backups/``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tolmach.store.models import POSITION_GAP
from tolmach.errors import DatabaseError, InputError

#: Backups kept per database (the oldest are removed).
KEEP = 10

#: The text of a segment :func:`recover` could not read.
LOST_SEGMENT = "[segment lost in recovery]"

#: Tables copied by :func:`recover`, parents first.
TABLE_ORDER = ["meta", "imported_files", "documents", "segments", "beads", "revisions", "revision_beads", "notes",
               "glossary_entries"]


@dataclass
class CheckReport:
    """What :func:`check` found; ``ok`` when nothing."""

    path: Path
    sqlite: list[str] = field(default_factory=list)  # integrity_check lines other than "ok"
    foreign_keys: int = 0  # rows whose parent is missing
    tiling: list[str] = field(default_factory=list)  # one line per document whose beads do not tile
    chains: int = 0  # revisions whose "before" is not the previous "after"
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.sqlite or self.foreign_keys or self.tiling or self.chains)


def _connect_ro(path: Path) -> sqlite3.Connection:
    from tolmach.fileio import check_input

    check_input(path, hint="give the database file")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _tiling_problems(con: sqlite3.Connection) -> list[str]:
    problems = []
    seg_counts = dict(con.execute("SELECT document_id, count(*) FROM segments GROUP BY document_id"))
    names = dict(con.execute("SELECT id, name FROM documents"))
    beads: dict[int, list[tuple[int, int, int]]] = {}
    for doc, pos, a, b in con.execute("SELECT document_id, position, src_start, src_end FROM beads ORDER BY document_id, position"):
        beads.setdefault(doc, []).append((pos, a, b))
    for doc, name in names.items():
        rows = beads.get(doc, [])
        expected, last = 0, None
        for i, (pos, a, b) in enumerate(rows):  # positions only order the beads: bead i + 1 is the i-th
            if pos == last:
                problems.append(f"{name}: beads {i} and {i + 1} share the position {pos}")
                break
            if a != expected or b < a:
                problems.append(f"{name}: bead {i + 1} covers segments {a}..{b}, expected to start at {expected}")
                break
            expected, last = b, pos
        else:
            if expected != seg_counts.get(doc, 0):
                problems.append(f"{name}: beads cover {expected} of {seg_counts.get(doc, 0)} segments")
    return problems


def _chain_breaks(con: sqlite3.Connection) -> int:
    import json

    last_after: dict[int, Any] = {}
    breaks = 0
    for before_raw, after_raw in con.execute("SELECT before, after FROM revisions ORDER BY id"):
        before = {s["id"]: s for s in json.loads(before_raw) if isinstance(s, dict) and "id" in s}
        after = [s for s in json.loads(after_raw) if isinstance(s, dict) and "id" in s]
        for bead_id, snap in before.items():
            prev = last_after.get(bead_id)
            if prev is not None and prev != snap:
                breaks += 1
        for bead_id in before:
            last_after.pop(bead_id, None)
        for snap in after:
            last_after[snap["id"]] = snap
    return breaks


def check(path: Path | str) -> CheckReport:
    """Every problem of the database at ``path`` that SQLite or Tolmach can see."""
    path = Path(path)
    report = CheckReport(path)
    con = _connect_ro(path)
    try:
        try:
            lines = [r[0] for r in con.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            report.sqlite = [str(exc)]
            return report
        report.sqlite = [ln for ln in lines if ln != "ok"]
        try:
            report.foreign_keys = len(con.execute("PRAGMA foreign_key_check").fetchall())
            for table in ("documents", "segments", "beads", "revisions"):
                report.counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            report.tiling = _tiling_problems(con)
            report.chains = _chain_breaks(con)
        except sqlite3.DatabaseError as exc:
            report.sqlite.append(str(exc))
    finally:
        con.close()
    return report


# --------------------------------------------------------------------------- recovery


def _salvage(con: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple[Any, ...]], int]:
    """Columns, every readable row of ``table`` (by rowid ranges), and how many were lost."""
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    try:
        lo, hi = con.execute(f'SELECT min(rowid), max(rowid) FROM "{table}"').fetchone()
    except sqlite3.DatabaseError:
        lo, hi = 1, 1 << 20  # the index that knows the range is gone: probe a wide range
    if lo is None:
        return cols, [], 0
    rows: list[tuple[Any, ...]] = []
    lost = 0
    col_list = ", ".join(f'"{c}"' for c in cols)

    def read(a: int, b: int) -> None:
        nonlocal lost
        try:
            rows.extend(con.execute(f'SELECT {col_list} FROM "{table}" WHERE rowid BETWEEN ? AND ?', (a, b)).fetchall())
        except sqlite3.DatabaseError:
            if a == b:
                lost += 1
                return
            mid = (a + b) // 2
            read(a, mid)
            read(mid + 1, b)

    step = 4096
    for start in range(lo, hi + 1, step):
        read(start, min(start + step - 1, hi))
    return cols, rows, lost


@dataclass
class RecoverReport:
    source: Path
    target: Path
    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    beads_added: int = 0  # empty beads made for segments no intact bead covered
    check: CheckReport | None = None


def recover(src: Path | str, dst: Path | str, *, on_progress: Callable[[str], None] | None = None) -> RecoverReport:
    """Copy every intact row of ``src`` into a new database ``dst`` and repair the tiling."""
    from tolmach.store.db import open_store

    src, dst = Path(src), Path(dst)
    if dst.exists():
        raise InputError(f"{dst} already exists; recover into a new file.")
    if src.resolve() == dst.resolve():
        raise InputError("Recover into another file than the damaged one.")
    report = RecoverReport(src, dst)
    con = _connect_ro(src)
    salvaged: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    try:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        con.close()
        raise DatabaseError(f"{src} is damaged beyond recovery: its table list cannot be read ({exc}).") from exc
    for table in TABLE_ORDER:
        if table not in present:
            continue
        if on_progress:
            on_progress(f"reading {table}")
        cols, rows, lost = _salvage(con, table)
        salvaged[table] = (cols, rows)
        report.copied[table], report.lost[table] = len(rows), lost
    con.close()

    store = open_store(dst)  # a fresh database of this release's schema
    store.close()
    out = sqlite3.connect(dst)
    try:
        out.execute("PRAGMA foreign_keys=OFF")
        out.execute("DELETE FROM meta")
        for table, (cols, rows) in salvaged.items():
            if table == "meta":
                rows = [r for r in rows if r[cols.index("key")] != "schema_version"] if "key" in cols else []
            have = {r[1] for r in out.execute(f'PRAGMA table_info("{table}")')}
            keep = [i for i, c in enumerate(cols) if c in have]
            names = ", ".join(f'"{cols[i]}"' for i in keep)
            marks = ", ".join("?" for _ in keep)
            out.executemany(
                f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', ([r[i] for i in keep] for r in rows)
            )
        from tolmach.store.models import SCHEMA_VERSION

        out.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        # orphans of lost parents go; then every document's segments are covered again
        out.execute("DELETE FROM segments WHERE document_id NOT IN (SELECT id FROM documents)")
        out.execute("DELETE FROM beads WHERE document_id NOT IN (SELECT id FROM documents)")
        out.execute("DELETE FROM notes WHERE segment_id NOT IN (SELECT id FROM segments)")
        if "revision_beads" not in salvaged and "bead_ids" in salvaged.get("revisions", ([], []))[0]:
            # a file from before the join table (migration 0004): its ",id,id," strings
            rev_cols, revs = salvaged["revisions"]
            rid, ids = rev_cols.index("id"), rev_cols.index("bead_ids")
            out.executemany("INSERT OR IGNORE INTO revision_beads (revision_id, bead_id) VALUES (?, ?)",
                            ((r[rid], int(x)) for r in revs for x in str(r[ids] or "").split(",") if x.strip().isdigit()))
        out.execute("DELETE FROM revision_beads WHERE revision_id NOT IN (SELECT id FROM revisions)")
        report.beads_added = _retile(out)
        out.commit()
    finally:
        out.close()
    report.check = check(dst)
    return report


def _retile(con: sqlite3.Connection) -> int:
    """Keep the intact beads that still tile; cover every other segment with an empty flagged bead.

    A segment whose row was lost comes back as a placeholder (``LOST_SEGMENT``) at its
    position, so the beads around it keep their ranges and the gap is visible.
    """
    added = 0
    for (doc,) in con.execute("SELECT id FROM documents").fetchall():
        positions = {p for (p,) in con.execute("SELECT position FROM segments WHERE document_id=?", (doc,))}
        ends = con.execute("SELECT max(src_end) FROM beads WHERE document_id=?", (doc,)).fetchone()[0] or 0
        n = max(max(positions, default=-1) + 1, ends)
        for pos in sorted(set(range(n)) - positions):
            con.execute(
                "INSERT INTO segments (document_id, position, kind, lang, paragraph, text) VALUES (?, ?, 'body', 'und', 0, ?)",
                (doc, pos, LOST_SEGMENT),
            )
        beads = con.execute(
            "SELECT id, src_start, src_end FROM beads WHERE document_id=? ORDER BY src_start, position", (doc,)
        ).fetchall()
        keep: list[tuple[int | None, int, int]] = []
        covered = 0
        for bid, a, b in beads:
            if covered <= a <= b <= n:
                if a > covered:
                    keep.extend((None, k, k + 1) for k in range(covered, a))
                keep.append((bid, a, b))
                covered = max(covered, b)
            else:
                con.execute("DELETE FROM beads WHERE id=?", (bid,))
        keep.extend((None, k, k + 1) for k in range(covered, n))
        # renumber: move every kept bead out of the way, then to its final position
        con.execute("UPDATE beads SET position = -1 - position WHERE document_id=?", (doc,))
        for pos, (bid, a, b) in zip(range(0, len(keep) * POSITION_GAP, POSITION_GAP), keep):
            if bid is None:
                con.execute(
                    "INSERT INTO beads (document_id, position, src_start, src_end, target, status, origin, flagged,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, '', 'empty', 'recovered', 1, datetime('now'), datetime('now'))",
                    (doc, pos, a, b),
                )
                added += 1
            else:
                con.execute("UPDATE beads SET position=? WHERE id=?", (pos, bid))
    return added


# --------------------------------------------------------------------------- backups


def backups_dir(db: Path) -> Path:
    return db.with_name(db.name + ".backups")


def backup(db: Path | str, reason: str, *, keep: int = KEEP) -> Path | None:
    """Snapshot ``db`` (online backup API) as ``NAME.backups/<time>-<reason>.db``; None for a new file."""
    db = Path(db)
    if not db.is_file() or db.stat().st_size == 0:
        return None
    folder = backups_dir(db)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    safe_reason = "".join(c if c.isalnum() or c in "-_" else "-" for c in reason)[:40]
    target = folder / f"{stamp}-{safe_reason}.db"
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    for old in list_backups(db)[keep:]:
        old.unlink(missing_ok=True)
    return target


def discard(made: Path) -> None:
    """Remove a backup that turned out not to be needed (and its folder when empty)."""
    made.unlink(missing_ok=True)
    try:
        made.parent.rmdir()
    except OSError:
        pass


def list_backups(db: Path | str) -> list[Path]:
    """Backups of ``db``, newest first."""
    folder = backups_dir(Path(db))
    return sorted(folder.glob("*.db"), reverse=True) if folder.is_dir() else []


def restore(db: Path | str, name: str) -> tuple[Path, Path | None]:
    """Put backup ``name`` (a file name from :func:`list_backups`, or ``latest``) back in
    place of ``db``; the current file is backed up first.  Returns (restored, saved current)."""
    db = Path(db)
    found = list_backups(db)
    if not found:
        raise InputError(f"{db} has no backups ({backups_dir(db)} is empty).")
    chosen = found[0] if name == "latest" else next((p for p in found if p.name == name or p.stem == name), None)
    if chosen is None:
        raise InputError(f"No backup named {name!r}; `tolmach db backups` lists them.")
    saved = backup(db, "before-restore", keep=KEEP + 1)
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    tmp = db.with_name(f".{db.name}.restoring")
    shutil.copyfile(chosen, tmp)
    tmp.replace(db)
    return chosen, saved
