"""Fixtures shared by every test area: real SQLite files and the real seed documents."""

from __future__ import annotations

import shutil
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
