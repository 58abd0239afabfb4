"""Workbench responsiveness: time to first screen and key-press latency, 100 vs 20,000 beads.

Documents are generated from the sentences of seed Document I (repeated), every second
bead with an English draft.  Each is opened in the Tolmach workbench and, in the same
run, in the app a developer would otherwise write: a Textual ``DataTable`` holding every
bead as a row (source, target).  Both run headless at 120×40 through Textual's pilot.
Key latency is the wall time of ``press(key)`` + ``pause()`` (until the screen is idle).

    .venv/bin/python benchmarks/tui_latency.py [--sizes 100 20000] [--presses 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from tolmach.service.beads import load_beads  # noqa: E402
from tolmach.service.documents import find_document, import_file  # noqa: E402
from tolmach.store import Bead, Document, Segment, Store, open_store  # noqa: E402
from tolmach.tui.app import TolmachApp  # noqa: E402

SEED = ROOT / "seeds" / "002_089901b84e1e010c.txt"
RESULTS = ROOT / "benchmarks" / "results"


def make_store(folder: Path, beads: int) -> tuple[Store, int]:
    store = open_store(folder / f"bench-{beads}.db")
    import_file(store, SEED)
    with store.read() as s:
        doc1 = find_document(s, "Document I").id
    sentences = [src for b in load_beads(store, doc1) for src in b.sources]
    with store.transaction() as s:
        doc = Document(name=f"Generated {beads}", source_lang="ru", target_lang="en")
        s.add(doc)
        s.flush()
        s.bulk_insert_mappings(Segment, [
            dict(document_id=doc.id, position=i, kind="body", lang="ru", paragraph=i // 5, text=sentences[i % len(sentences)])
            for i in range(beads)
        ])  # fmt: skip
        s.bulk_insert_mappings(Bead, [
            dict(document_id=doc.id, position=i, src_start=i, src_end=i + 1,
                 target=f"English draft of sentence {i + 1}, which runs long enough to wrap onto a second line." if i % 2 else "",
                 status="machine" if i % 2 else "empty", origin="bench" if i % 2 else "")
            for i in range(beads)
        ])  # fmt: skip
        return store, doc.id


class NaiveTable(App[None]):
    """What one writes first: every bead a DataTable row."""

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


async def measure(make_app, presses: int) -> dict[str, float]:
    started = time.perf_counter()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = time.perf_counter() - started
        out = {"first_screen_s": first}
        for key, count in (("down", presses), ("pagedown", presses // 5)):
            times = []
            for _ in range(count):
                t = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times.append((time.perf_counter() - t) * 1000)
            out[f"{key}_median_ms"] = statistics.median(times)
            out[f"{key}_p95_ms"] = sorted(times)[int(0.95 * (len(times) - 1))]
        t = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        out["end_ms"] = (time.perf_counter() - t) * 1000
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 20_000])
    ap.add_argument("--presses", type=int, default=100)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            store, doc_id = make_store(Path(tmp), size)
            tolmach = asyncio.run(measure(lambda: TolmachApp(store, document=doc_id), args.presses))
            naive = asyncio.run(measure(lambda: NaiveTable(store, doc_id), args.presses))
            rows.append({"beads": size, "tolmach": tolmach, "datatable": naive})
            store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{'beads':>6} | {'app':9} | {'first screen':>12} | {'↓ median':>9} | {'↓ p95':>7} | {'PgDn med':>8} | {'End':>7}")
    for r in rows:
        for name in ("tolmach", "datatable"):
            m = r[name]
            print(
                f"{r['beads']:>6} | {name:9} | {m['first_screen_s']:>10.2f} s | {m['down_median_ms']:>6.0f} ms"
                f" | {m['down_p95_ms']:>4.0f} ms | {m['pagedown_median_ms']:>5.0f} ms | {m['end_ms']:>4.0f} ms"
            )
    for r in rows:
        t, d = r["tolmach"], r["datatable"]
        print(
            f"{r['beads']} beads: DataTable / Tolmach = {d['first_screen_s'] / t['first_screen_s']:.1f}× first screen, "
            f"{d['down_median_ms'] / t['down_median_ms']:.1f}× key press (median)"
        )
    if len(rows) >= 2:
        small, big = rows[0]["tolmach"], rows[-1]["tolmach"]
        print(
            f"Tolmach {rows[-1]['beads']} vs {rows[0]['beads']} beads: key press median "
            f"{big['down_median_ms'] / small['down_median_ms']:.2f}×, first screen {big['first_screen_s'] / small['first_screen_s']:.1f}×"
        )
    print(f"peak RSS of the whole run: {rss:.0f} MiB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tui_latency.json").write_text(
        json.dumps({"terminal": "120x40", "presses": args.presses, "rows": rows, "peak_rss_mib": round(rss)}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
