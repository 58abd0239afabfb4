"""Workbench responsiveness at 100 and 20,000 beads: first screen and every kind of key.

Documents are generated from the sentences of seed Document I (repeated), every second
bead with an English draft.  In one run, for each size:

* **pilot** (Textual's test driver, headless 120×40): the Tolmach workbench and, as the
  reference, a bare Textual ``DataTable`` holding the same rows.  For each key: CPU time of
  the process (``time.process_time``) and wall time from ``press`` until the app is idle.
  Keys: ↓, PgDn, End, alt+↓ while editing (a save), merge ``m``, undo ``u`` (of a merge),
  boundary moves ``] [``, split ``s`` (of a merged two-sentence bead), and the filter picker
  (``f`` then a filter).
* **tmux** (the real program in a real terminal, 160×45): wall time from ``send-keys``
  until the captured screen changes, for ↓, merge + undo and a filter, and the time from
  start to the first screen.  The DataTable runs the same way (``--datatable`` below).

    .venv/bin/python benchmarks/tui_latency.py [--sizes 100 20000] [--presses 20] [--no-tmux]

Writes ``benchmarks/results/tui_latency.json``.  Goals: < 50 ms CPU per key, no key over
100 ms wall in the terminal, first screen < 1 s at 20,000 beads.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tolmach.service.beads import load_beads
from generated import add_generated_document
from tolmach.store import Store, open_store

RESULTS = ROOT / "benchmarks" / "results"
#: Seconds between the first screen and the first key in tmux: the rest of the document, the
#: misprints (a child process) and the document counts are read in the first seconds.
SETTLE_S = 3.0


def make_store(folder: Path, beads: int) -> tuple[Store, int]:
    store = open_store(folder / f"bench-{beads}.db")
    draft = "English draft of sentence {}, which runs long enough to wrap onto a second line."
    return store, add_generated_document(store, beads, lambda i: draft.format(i + 1))


class BareTable(App[None]):
    """The reference: every bead a row of a bare Textual DataTable."""

    def __init__(self, store: Store, doc_id: int) -> None:
        super().__init__()
        self.store, self.doc_id = store, doc_id

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Russian", "English")
        table.add_rows([(b.number, b.source, b.target) for b in load_beads(self.store, self.doc_id)])
        table.focus()


# ------------------------------------------------------------------ pilot


async def _key(pilot, keys: tuple[str, ...]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    await pilot.press(*keys)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def _stats(samples: list[tuple[float, float]]) -> dict[str, float]:
    cpu = [c for c, _ in samples]
    wall = [w for _, w in samples]
    return {
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "cpu_max_ms": round(max(cpu), 1),
        "wall_median_ms": round(statistics.median(wall), 1),
        "wall_max_ms": round(max(wall), 1),
        "n": len(samples),
    }


async def pilot_tolmach(store: Store, doc_id: int, presses: int) -> dict:
    from tolmach.tui.app import TolmachApp

    started, cpu = time.perf_counter(), time.process_time()
    app = TolmachApp(store, document=doc_id)
    out: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["first_screen_s"] = round(time.perf_counter() - started, 3)
        out["first_screen_cpu_s"] = round(time.process_time() - cpu, 3)
        await app.workers.wait_for_complete()  # the rest of the document, misprints, counts
        await pilot.pause(0.5)
        plan: list[tuple[str, tuple[str, ...], int]] = [
            ("down", ("down",), presses),
            ("pagedown", ("pagedown",), max(presses // 4, 3)),
            ("merge m", ("m",), max(presses // 4, 3)),
            ("undo u (merge)", ("u",), max(presses // 4, 3)),
            ("move ]", ("right_square_bracket",), 3),
            ("move [", ("left_square_bracket",), 3),
        ]
        for name, keys, count in plan:
            out[name] = _stats([await _key(pilot, keys) for _ in range(count)])
        samples = []
        for _ in range(3):  # a split of a two-sentence bead (made by an unmeasured merge) into two
            await _key(pilot, ("m",))
            samples.append(await _key(pilot, ("s",)))
        out["split s"] = _stats(samples)
        await pilot.press("enter")
        samples = []
        for i in range(max(presses // 4, 3)):
            await pilot.press(*f"x{i}")
            samples.append(await _key(pilot, ("alt+down",)))
        out["alt+down (save)"] = _stats(samples)
        await pilot.press("escape")
        samples = []
        for choice in ("2", "3", "1"):
            await pilot.press("f")
            await pilot.pause()
            samples.append(await _key(pilot, (choice,)))
        out["filter"] = _stats(samples)
        out["end"] = _stats([await _key(pilot, ("end",))])
    return out


async def pilot_table(store: Store, doc_id: int, presses: int) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    app = BareTable(store, doc_id)
    out: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["first_screen_s"] = round(time.perf_counter() - started, 3)
        out["first_screen_cpu_s"] = round(time.process_time() - cpu, 3)
        out["down"] = _stats([await _key(pilot, ("down",)) for _ in range(presses)])
        out["pagedown"] = _stats([await _key(pilot, ("pagedown",)) for _ in range(max(presses // 4, 3))])
        out["end"] = _stats([await _key(pilot, ("end",))])
    return out


# ------------------------------------------------------------------- tmux

TABLE_MAIN = """
import sys
sys.path.insert(0, {bench!r})
from tui_latency import BareTable
from tolmach.store import open_store
BareTable(open_store(sys.argv[1]), int(sys.argv[2])).run()
"""


class Tmux:
    def __init__(self, cmd: str, size=(160, 45)) -> None:
        self.sock = f"tolmach-bench-{uuid.uuid4().hex[:8]}"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TERM="xterm-256color")
        env.pop("TMUX", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env = env
        self.started = time.perf_counter()
        self.t("new-session", "-d", "-s", "b", "-x", str(size[0]), "-y", str(size[1]), cmd)

    def t(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], check=False, capture_output=True, text=True, env=self.env).stdout

    def screen(self) -> str:
        return self.t("capture-pane", "-p", "-e", "-t", "b")  # with colours: a moved highlight is a change

    def wait(self, pred, timeout=60.0) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if pred(self.screen()):
                return time.perf_counter() - t0
            time.sleep(0.005)
        raise RuntimeError("timeout; screen:\n" + self.screen())

    def key(self, *keys: str) -> float:
        """Wall ms from sending the key until the screen differs from before."""
        before = self.screen()
        t0 = time.perf_counter()
        self.t("send-keys", "-t", "b", *keys)
        while time.perf_counter() - t0 < 10:
            if self.screen() != before:
                return (time.perf_counter() - t0) * 1000
            time.sleep(0.002)
        return float("nan")

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the program in the pane has used so far."""
        pid = self.t("display-message", "-p", "-t", "b", "#{pane_pid}").strip()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.t("kill-server")


#: Fresh starts of the program whose first screens are timed (their median is reported).
STARTS = 3


def _first_screen(t: Tmux, pred) -> tuple[float, float]:
    """Wall seconds from starting ``t`` until its screen satisfies ``pred``, and the CPU
    seconds the program had used by then (a little after: the screen is polled)."""
    wall = t.wait(pred)
    return wall, t.cpu_s()


def _starts(cmd: str, pred) -> dict[str, float | list[float]]:
    """The first screens of STARTS fresh starts of ``cmd``, one at a time: each is closed
    (and its process gone) before the next, so no earlier start's background work (the
    rest of the document, the misprints' child process) competes with a later one."""
    runs = []
    for _ in range(STARTS):
        t = Tmux(cmd)
        try:
            runs.append(_first_screen(t, pred))
        finally:
            t.close()
        time.sleep(1.0)  # the closed program and its child leave
    walls = [w for w, _ in runs]
    return {
        "first_screen_s": round(statistics.median(walls), 3),
        "first_screen_cpu_s": round(statistics.median(c for _, c in runs), 3),
        "first_screen_runs_s": [round(w, 3) for w in walls],
    }


def tmux_tolmach(db: Path, doc_id: int, presses: int) -> dict:
    cmd = f"exec {sys.executable} -m tolmach --db '{db}'"
    ready = lambda s: "Generated" in s and "#1 · " in s  # noqa: E731
    out: dict = dict(_starts(cmd, ready))
    t = Tmux(cmd)  # the start whose keys are timed
    try:
        t.wait(ready)
        time.sleep(SETTLE_S)
        # open the generated document: it is the one with the most beads; Tolmach opens the first to translate
        out["down"] = _walls([t.key("Down") for _ in range(presses)])
        out["merge m"] = _walls([t.key("m") for _ in range(3)])
        samples = []
        for _ in range(3):
            samples.append(t.key("u"))
        out["undo u"] = _walls(samples)
        out["filter f 2"] = _walls([_two(t, "f", "2"), _two(t, "f", "1")])
    finally:
        t.close()
    return out


def _two(t: Tmux, a: str, b: str) -> float:
    t.key(a)
    time.sleep(0.2)
    return t.key(b)


def tmux_table(db: Path, doc_id: int, presses: int) -> dict:
    script = Path(tempfile.mkdtemp()) / "table.py"
    script.write_text(TABLE_MAIN.format(bench=str(ROOT / "benchmarks")), encoding="utf-8")
    cmd = f"exec {sys.executable} {script} '{db}' {doc_id}"
    ready = lambda s: "Russian" in s and "ИСПОЛКОМУ" in s  # noqa: E731
    out: dict = dict(_starts(cmd, ready))
    t = Tmux(cmd)
    try:
        t.wait(ready)
        time.sleep(0.5)
        out["down"] = _walls([t.key("Down") for _ in range(presses)])
    finally:
        t.close()
    return out


def _walls(ms: list[float]) -> dict[str, float]:
    return {"wall_median_ms": round(statistics.median(ms), 1), "wall_max_ms": round(max(ms), 1), "n": len(ms)}


# ------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 20_000])
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--no-tmux", action="store_true", help="only the pilot measurements")
    args = ap.parse_args()
    use_tmux = not args.no_tmux and shutil.which("tmux") is not None
    if use_tmux:
        compileall.compile_dir(ROOT / "src", quiet=1)  # as installed (__pycache__ is ignored by git)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            store, doc_id = make_store(Path(tmp), size)
            row = {"beads": size, "pilot": {}, "tmux": {}}
            row["pilot"]["tolmach"] = asyncio.run(pilot_tolmach(store, doc_id, args.presses))
            row["pilot"]["datatable"] = asyncio.run(pilot_table(store, doc_id, args.presses))
            store.close()
            if use_tmux:
                # a fresh copy that opens on the generated document (the only one to translate)
                db = Path(tmp) / f"term-{size}.db"
                shutil.copy(Path(tmp) / f"bench-{size}.db", db)
                _only_generated(db)
                row["tmux"]["tolmach"] = tmux_tolmach(db, doc_id, args.presses)
                row["tmux"]["datatable"] = tmux_table(db, doc_id, args.presses)
            rows.append(row)

    print("pilot, 120x40 (CPU = process time of the key; wall = until idle)")
    print(f"{'beads':>6} | {'app':9} | {'key':16} | {'CPU med':>8} | {'CPU max':>8} | {'wall med':>8} | {'wall max':>8}")
    for r in rows:
        for app in ("tolmach", "datatable"):
            m = r["pilot"][app]
            first_cpu = m["first_screen_cpu_s"] * 1000
            print(f"{r['beads']:>6} | {app:9} | {'first screen':16} | {first_cpu:>6.0f}ms | {'':>8} | {m['first_screen_s'] * 1000:>6.0f}ms |")
            for key, s in m.items():
                if isinstance(s, dict):
                    print(f"{r['beads']:>6} | {app:9} | {key:16} | {s['cpu_median_ms']:>6.1f}ms | {s['cpu_max_ms']:>6.1f}ms | {s['wall_median_ms']:>6.1f}ms | {s['wall_max_ms']:>6.1f}ms")
    if use_tmux:
        print("\ntmux, 160x45, the real program (wall = send-keys until the screen changes)")
        for r in rows:
            for app in ("tolmach", "datatable"):
                m = r["tmux"].get(app, {})
                print(f"{r['beads']:>6} | {app:9} | first screen {m.get('first_screen_s', float('nan')):.2f} s "
                      f"(median of {STARTS} starts; {m.get('first_screen_cpu_s', float('nan')):.2f} s CPU)")
                for key, s in m.items():
                    if isinstance(s, dict):
                        print(f"{r['beads']:>6} | {app:9} | {key:16} | wall median {s['wall_median_ms']:>6.1f} ms | max {s['wall_max_ms']:>6.1f} ms")
    for r in rows:
        t, d = r["pilot"]["tolmach"], r["pilot"]["datatable"]
        print(
            f"{r['beads']} beads: first screen DataTable/Tolmach = {d['first_screen_s'] / t['first_screen_s']:.1f}x; "
            f"down CPU DataTable/Tolmach = {d['down']['cpu_median_ms'] / max(t['down']['cpu_median_ms'], 0.01):.1f}x"
        )
    print("(the machine was shared with other jobs: compare within this run)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tui_latency.json").write_text(json.dumps({"rows": rows, "presses": args.presses}, indent=2) + "\n", encoding="utf-8")
    return 0


def _only_generated(db: Path) -> None:
    """Make the generated document the one the workbench opens (the seed becomes en→en)."""
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("update documents set source_lang = target_lang where name not like 'Generated%'")
    con.commit()
    con.close()


if __name__ == "__main__":
    raise SystemExit(main())
