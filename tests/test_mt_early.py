"""`tolmach translate DOC` starts loading its model before the CLI has imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mt_fixtures import add_document, tiny_argosmodel, tiny_installed  # noqa: F401

from tolmach.mt import early


def test_parse_finds_translate_and_its_document_only() -> None:
    assert early.parse(["translate", "Document I"]) == (None, "Document I")
    assert early.parse(["--db", "x.db", "--user", "ann", "translate", "Doc", "--batch", "8"]) == ("x.db", "Doc")
    assert early.parse(["--db=x.db", "translate", "--overwrite", "Doc"]) == ("x.db", "Doc")
    assert early.parse(["show", "translate"]) is None
    assert early.parse(["model", "list"]) is None
    assert early.parse(["translate"]) is None
    assert early.parse([]) is None


def test_preload_puts_the_documents_model_in_the_cache(tmp_path: Path, tiny_installed, monkeypatch) -> None:
    from tolmach.mt import engine
    from tolmach.store import open_store

    store = open_store(tmp_path / "early.db")  # the preload reads SQLite files only

    engine.forget(tiny_installed.path)
    add_document(store, "Письмо", [("Уважаемые товарищи!", "ru", "body")])
    monkeypatch.setattr(early, "_started", None)
    thread = early.preload_from_argv(["/usr/bin/tolmach", "--db", store.url, "translate", "Письмо"])
    assert thread is not None
    thread.join(60)
    assert len(engine._cache) >= 1
    assert engine._cache[engine._key(tiny_installed.path)].package == tiny_installed
    # another program's argv, or another command, starts nothing
    monkeypatch.setattr(early, "_started", None)
    assert early.preload_from_argv(["/usr/bin/pytest", "translate", "Письмо"]) is None
    assert early.preload_from_argv(["/usr/bin/tolmach", "--db", store.url, "show", "Письмо"]) is None
    assert early.preload_from_argv(["/usr/bin/tolmach", "--db", "postgresql+psycopg://u@h/db", "translate", "X"]) is not None
    store.close()


def test_preload_ignores_unknown_documents_and_missing_databases(tmp_path: Path, monkeypatch) -> None:
    early._load(str(tmp_path / "missing.db"), "Doc")  # returns quietly
    probe = (
        "import sys; sys.argv = ['/usr/bin/tolmach', '--db', sys.argv[1], 'translate', 'nothing'];"
        "import tolmach.cli, tolmach.mt.early as e; e._started.join(30); print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "none.db")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
