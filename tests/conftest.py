"""Fixtures shared by every test area: real databases and the real seed documents.

``store`` and ``seeded_store`` run each test that uses them twice: on a SQLite file and
on a real PostgreSQL server that the session starts itself (``tests/pg_cluster.py``,
Debian's ``postgresql``; skipped with a message naming the package when it is absent).
A test about SQLite files themselves is marked ``sqlite_only``.
``TOLMACH_TEST_BACKENDS=sqlite`` runs only the SQLite half.
"""

from __future__ import annotations

import itertools
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

BACKENDS = [b for b in os.environ.get("TOLMACH_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


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


# --- PostgreSQL: one server per test session, one database per test ------------------

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL server (skips, naming the package, when it is absent)."""
    from pg_cluster import PACKAGE_HINT, Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip(PACKAGE_HINT)
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


def new_pg_database(cluster, template: str | None = None) -> str:
    """A fresh database on ``cluster`` (a copy of ``template``); returns its URL."""
    name = f"t{os.getpid()}_{next(_names)}"
    cluster.sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return cluster.url(name)


def drop_pg_database(cluster, url: str) -> None:
    name = url.split("/")[3].split("?")[0]
    cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def _pg_templates(pg_cluster) -> dict[str, str]:
    """Template databases (empty schema, all seeds) that each test's database copies."""
    from tolmach.service.documents import import_seeds

    names = {}
    for kind in ("empty", "seeded"):
        name = f"tmpl{os.getpid()}_{kind}"
        pg_cluster.sql(f"CREATE DATABASE {name}")
        st = open_store(pg_cluster.url(name))
        if kind == "seeded":
            import_seeds(st, SEEDS)
        st.close()
        names[kind] = name
    return names


#: Test modules that stay on SQLite: the workbench's own tests (its screens do not
#: depend on the backend; the store and service under it are tested on both).
SQLITE_ONLY_MODULES = ("test_tui_", "test_smoke_")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    backends = BACKENDS
    if metafunc.definition.get_closest_marker("sqlite_only") or metafunc.module.__name__.startswith(SQLITE_ONLY_MODULES):
        backends = ["sqlite"]
    if backends == ["sqlite"]:
        return  # not parametrised: test ids (and snapshot names) stay as they were
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """``"sqlite"`` or ``"postgresql"``: which database the test's store lives in."""
    return getattr(request, "param", "sqlite")


def _pg_store(request: pytest.FixtureRequest, kind: str) -> Store:
    cluster = request.getfixturevalue("pg_cluster")
    url = new_pg_database(cluster, request.getfixturevalue("_pg_templates")[kind])
    st = open_store(url)
    request.addfinalizer(lambda: (st.close(), drop_pg_database(cluster, url)))
    return st


@pytest.fixture
def store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Store:
    """An empty Tolmach database: a real SQLite file, or a real PostgreSQL database."""
    if backend == "postgresql":
        yield _pg_store(request, "empty")
        return
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
def seeded_store(request: pytest.FixtureRequest, backend: str, tmp_path: Path, _seeded_template: Path) -> Store:
    """A database holding all bundled seeds (Documents I and II among them), fresh per test."""
    if backend == "postgresql":
        yield _pg_store(request, "seeded")
        return
    path = tmp_path / "seeded.db"
    shutil.copy(_seeded_template, path)
    st = open_store(path)
    yield st
    st.close()


def downgrade(store: Store, revision: str) -> None:
    """Take ``store``'s schema back to an older Alembic revision (to test upgrades from it),
    the way the upgrade itself runs (SQLite: foreign keys off, so rebuilt tables keep their children)."""
    from alembic import command

    from tolmach.store import schema

    with store.backend.migrating(store.engine) as conn:
        command.downgrade(schema._config(conn), revision)


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
@pytest.fixture
def pg_url(request: pytest.FixtureRequest, pg_cluster) -> str:
    """An empty PostgreSQL database (no Tolmach schema yet), dropped after the test."""
    url = new_pg_database(pg_cluster)
    request.addfinalizer(lambda: drop_pg_database(pg_cluster, url))
    return url
