"""The memory's PostgreSQL variant (pg_trgm) against a real, throw-away PostgreSQL server.

The store layer of this branch opens SQLite files only; the test builds a
:class:`~tolmach.store.db.Store` on a PostgreSQL engine directly, creates the schema from
the models and runs the same service functions as the SQLite tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from memory_fixtures import DOCUMENT_II_EN, document_id, translate_by_hand

from tolmach.service import memory
from tolmach.service.beads import edit_target, load_beads

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _as_server_user(cmd: str) -> list[str]:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        return ["su", "postgres", "-s", "/bin/sh", "-c", cmd]
    return ["/bin/sh", "-c", cmd]


@pytest.fixture(scope="module")
def pg_url():
    initdb = PG_BIN / "initdb" if (PG_BIN / "initdb").exists() else shutil.which("initdb")
    if initdb is None:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    pytest.importorskip("psycopg", reason="psycopg is not installed (PyPI package psycopg)")
    folder = Path(tempfile.mkdtemp(prefix="tolmach-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, bindir = folder / "data", Path(initdb).parent
    subprocess.run(_as_server_user(f"{bindir}/initdb -D {data} -A trust -U tolmach"), check=True, capture_output=True, timeout=300)
    subprocess.run(
        _as_server_user(f"{bindir}/pg_ctl -D {data} -o \"-k {folder} -c listen_addresses=''\" -l {folder}/log -w start"),
        check=True, capture_output=True, timeout=300,
    )
    try:
        yield f"postgresql+psycopg://tolmach@/postgres?host={folder}"
    finally:
        subprocess.run(_as_server_user(f"{bindir}/pg_ctl -D {data} -m immediate stop"), capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_store(pg_url):
    from sqlalchemy import create_engine

    from tolmach.service.documents import import_seeds
    from tolmach.store.db import Store
    from tolmach.store.models import Base

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    Base.metadata.create_all(engine)
    store = Store(Path("postgresql"), engine, user="pg-user")
    import_seeds(store, SEEDS)
    yield store
    engine.dispose()


def test_pg_trgm_match_search_fill_and_repetitions(pg_store) -> None:
    translate_by_hand(pg_store, "Document II", DOCUMENT_II_EN)
    doc_i = load_beads(pg_store, document_id(pg_store, "Document I"))
    (best,) = memory.match_bead(pg_store, doc_i[33].id)
    assert best.score == 93 and best.provenance.label == "Document II #6" and best.provenance.author == "pg-user"

    (hit,) = memory.search(pg_store, "Варшавский договор").hits
    assert hit.number == 4 and [hit.source[s:e] for s, e in hit.source_spans] == ["Варшавского Договора"]
    assert [h.number for h in memory.search(pg_store, "socialist countries", side="target").hits] == [4]

    report = memory.fill_from_tm(pg_store, document_id(pg_store, "Document I"), minimum=85)
    assert report.filled == [(34, 93, "tm: Document II #6 (93%)")]

    # a repetition: the salutation of Document I typed into a new bead of the same text
    edit_target(pg_store, doc_i[1].id, "Dear comrades!")
    assert memory.repetitions(pg_store, doc_i[1].id) == []  # no other "Уважаемые товарищи!" in the seeds
