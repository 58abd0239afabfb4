"""Fixtures shared by every test area: real SQLite files and the real seed documents."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tolmach.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_RU = SEEDS / "002_089901b84e1e010c.txt"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads or writes the user's database, model folder or Argos directories."""
    data = tmp_path_factory.mktemp("tolmach-data")
    monkeypatch.setenv("TOLMACH_DATA_DIR", str(data))
    monkeypatch.setenv("TOLMACH_STATE_DIR", str(data / "state"))
    monkeypatch.delenv("TOLMACH_DB", raising=False)
    monkeypatch.delenv("TOLMACH_MODELS_DIR", raising=False)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty Tolmach database in a real SQLite file."""
    st = open_store(tmp_path / "test.db")
    yield st
    st.close()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tolmach.service.documents import import_seeds

    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    st = open_store(path)
    import_seeds(st, SEEDS)
    st.engine.dispose()
    return path


@pytest.fixture
def seeded_store(tmp_path: Path, _seeded_template: Path) -> Store:
    """A database holding all bundled seeds (Documents I and II among them), fresh per test."""
    path = tmp_path / "seeded.db"
    shutil.copy(_seeded_template, path)
    st = open_store(path)
    yield st
    st.close()


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only even for root: a read-only bind mount over itself (root
    ignores file modes, not EROFS); for other users, plain modes.  Skips the test when
    neither is possible."""
    import subprocess

    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    bound = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode == 0
    if not bound:
        pytest.skip("root cannot bind-mount here to make a read-only folder (util-linux mount)")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True).returncode:
            pytest.skip("root cannot remount a folder read-only here")
        yield
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)
