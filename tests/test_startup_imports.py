"""What starting Tolmach imports: the first screen and ``tolmach --help`` load none of the
heavy stacks (the aligner's numpy, Alembic, the MT, morphology and fuzzy-matching
libraries); each loads where it is used.  Checked in a fresh interpreter's ``sys.modules``,
not by timing (docs/tui.md, "Large documents", has the figures).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tolmach.store import open_store
from tolmach.service.documents import import_seeds

SRC = Path(__file__).resolve().parents[1] / "src"

#: Loaded by some command or worker, never on the way to the first screen or the help.
HEAVY = (
    "numpy",
    "threadpoolctl",
    "alembic",
    "mako",
    "pymorphy3",
    "argostranslate",
    "ctranslate2",
    "sentencepiece",
    "rapidfuzz",
    "langdetect",
    "psycopg",
    "docx",
    "sqlalchemy.dialects.postgresql",
    "tolmach.align",
    "tolmach.mt.engine",
    "tolmach.memory",
    "tolmach.apparatus",
    "tolmach.text.langid",
)

#: What ``tolmach`` with no command does before its first screen is drawn: import the CLI
#: and the workbench, open the (current) database, read the documents and the first rows.
OPEN_WORKBENCH = """
import json, sys
import tolmach.cli, tolmach.cli.workbench, tolmach.tui.app
from tolmach.store import open_store
from tolmach.service.documents import list_documents
from tolmach.service.beads import load_beads
from tolmach.service.glossary import ensure_loaded
store = open_store(sys.argv[1])
ensure_loaded(store)
docs = list_documents(store)
beads = load_beads(store, docs[0].id, limit=401)
assert beads and "textual" in sys.modules
print(json.dumps(sorted(sys.modules)))
"""

HELP = """
import contextlib, io, json, sys
from tolmach.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code
assert "Commands:" in out.getvalue() and "export" in out.getvalue()
print(json.dumps(sorted(sys.modules)))
"""


def _modules(code: str, *args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=str(SRC)),
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(h for h in HEAVY if h in modules)


def test_opening_the_workbench_imports_none_of_the_heavy_stacks(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = open_store(db)  # a new database (Alembic stamps it): done before, as by `tolmach import`
    import_seeds(store)
    store.close()
    assert _heavy(_modules(OPEN_WORKBENCH, str(db))) == []


#: What ``tolmach align SRC TGT`` has no use for: the interchange formats (TMX, XLIFF, TEI,
#: docx ...), the export and review services, the edition apparatus, the workbench.
NOT_FOR_ALIGN = (
    "tolmach.interchange",
    "tolmach.service.interchange",
    "tolmach.service.review",
    "tolmach.apparatus",
    "tolmach.service.apparatus",
    "tolmach.tui",
    "textual",
    "docx",
)

ALIGN = """
import contextlib, io, json, sys
from tolmach.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(["--db", sys.argv[1], "align", "--src-lang", "de", "--tgt-lang", "fr", sys.argv[2], sys.argv[3]])
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code
assert [line.split(":")[:2] for line in out.getvalue().splitlines()] == [["[0]", "[0]"], ["[1]", "[1]"]], out.getvalue()
print(json.dumps(sorted(sys.modules)))
"""


def test_help_imports_neither_the_workbench_nor_the_heavy_stacks() -> None:
    modules = _modules(HELP)
    assert _heavy(modules) == []
    assert sorted(m for m in NOT_FOR_ALIGN if m in modules) == []
    assert "sqlalchemy" not in modules  # the commands load the database stack when they run


def test_align_imports_only_what_aligning_two_files_needs(tmp_path: Path) -> None:
    """`tolmach align SRC TGT` (with the MT and dictionary look-ups it makes by default)
    loads the aligner and the database, not the export formats, the apparatus or the workbench."""
    src, tgt = tmp_path / "a.de", tmp_path / "a.fr"
    src.write_text("Der Hund schläft im Garten.\nDie Katze spielt mit dem Ball.\n", encoding="utf-8")
    tgt.write_text("Le chien dort dans le jardin.\nLe chat joue avec la balle.\n", encoding="utf-8")
    modules = _modules(ALIGN, str(tmp_path / "t.db"), str(src), str(tgt))
    assert "tolmach.align.aligner" in modules  # it did align
    assert sorted(m for m in NOT_FOR_ALIGN if m in modules) == []


def test_the_heavy_list_names_real_modules() -> None:
    """The check above would pass vacuously on a misspelt name: each one is importable
    (the optional PostgreSQL driver and MT engine aside) and is what a command loads."""
    here = _modules("import json, sys, tolmach.align.aligner, tolmach.memory, tolmach.apparatus.readings, "
                    "tolmach.store.schema as s; s.script(); print(json.dumps(sorted(sys.modules)))")
    assert {"numpy", "threadpoolctl", "alembic", "mako", "rapidfuzz", "tolmach.align", "tolmach.memory",
            "tolmach.apparatus"} <= here


COLLECTOR = """
import gc, json, sys
if sys.argv[1] == "off":
    gc.disable()
import tolmach.cli
print(json.dumps([gc.isenabled(), gc.get_freeze_count()]))
"""


def test_the_cli_imports_without_the_cyclic_collector_and_leaves_it_on() -> None:
    """The objects the imports create are frozen out of the collector's passes (they live as
    long as the program) and the collector is on again afterwards; a host that turned it
    off keeps it off, and nothing is frozen."""
    for host, expect_on in (("on", True), ("off", False)):
        proc = subprocess.run([sys.executable, "-c", COLLECTOR, host], capture_output=True, text=True,
                              timeout=120, env=dict(os.environ, PYTHONPATH=str(SRC)))
        assert proc.returncode == 0, proc.stderr
        enabled, frozen = json.loads(proc.stdout)
        assert enabled is expect_on
        assert (frozen > 10_000) is expect_on  # click's and Tolmach's objects


def test_the_workbench_turns_the_collector_back_on_after_its_first_screen(seeded_store) -> None:
    import asyncio
    import gc

    from tolmach import startup
    from tolmach.tui.app import TolmachApp

    async def scenario() -> tuple[int, int, bool]:
        startup.pause()  # as `tolmach` does before opening the workbench
        before = gc.get_freeze_count()
        try:
            async with TolmachApp(seeded_store).run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                return before, gc.get_freeze_count(), gc.isenabled()
        finally:
            startup.resume()
            gc.enable()

    before, after, on = asyncio.run(scenario())
    assert on and after > before  # resumed: the start's objects frozen, the collector on


DATABASE_COMMAND = """
import gc, json, sys
from tolmach.cli import main
before = gc.get_freeze_count()
try:
    main(["--db", sys.argv[1], "search", "Hund"])
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(json.dumps([before, gc.get_freeze_count(), gc.isenabled()]))
"""


def test_a_database_command_loads_the_database_stack_with_the_collector_paused(tmp_path: Path) -> None:
    """SQLAlchemy and the store load when a command runs, not with the CLI; they are
    imported with the collector paused and then frozen out of its passes, as the CLI's
    own imports are (without that their passes cost ~0.05 s CPU a command)."""
    proc = subprocess.run([sys.executable, "-c", DATABASE_COMMAND, str(tmp_path / "t.db")], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(SRC)))
    assert proc.returncode == 0, proc.stderr
    before, after, enabled = json.loads(proc.stdout.splitlines()[-1])
    assert enabled and after > before + 50_000  # SQLAlchemy's, the store's and the services' objects
