"""``tolmach apparatus ...`` and ``tolmach qa`` on a real database file, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tolmach.store import Store


def _run(db: Path | str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tolmach", "--db", str(db), "--user", "editor", *args],
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def db(seeded_store: Store) -> str:
    path = seeded_store.url
    seeded_store.close()
    return path


def test_errors_confirm_and_readings(db: Path) -> None:
    r = _run(db, "apparatus", "errors", "Document II")
    assert r.returncode == 0, r.stderr
    assert "пологаем → полагаем" in r.stdout and r.stdout.rstrip().endswith("3 probable misprint(s), 0 confirmed.")
    r = _run(db, "qa", "Document II", "--json")
    codes = [json.loads(line)["code"] for line in r.stdout.splitlines()]
    assert codes.count("source-error") == 3
    r = _run(db, "apparatus", "confirm", "Document II", "пологаем")
    assert r.returncode == 0 and "1 reading(s) confirmed." in r.stdout
    r = _run(db, "apparatus", "read", "Document II", "2", "периговорах", "переговорах")
    assert r.returncode == 0, r.stderr
    r = _run(db, "apparatus", "readings", "Document II")
    assert "пологаем → полагаем  (editor)" in r.stdout and "периговорах → переговорах  (editor)" in r.stdout
    rows = [json.loads(line) for line in _run(db, "apparatus", "errors", "Document II", "--json").stdout.splitlines()]
    assert [(x["word"], x["confirmed"]) for x in rows] == [("пологаем", True), ("периговорах", True), ("выражерие", False)]
    # bad input: one sentence on stderr, exit 1
    r = _run(db, "apparatus", "confirm", "Document II", "нетакогослова")
    assert r.returncode == 1 and r.stderr.startswith("tolmach: error:") and r.stderr.count("\n") == 1
    r = _run(db, "apparatus", "read", "Document II", "99", "x", "y")
    assert r.returncode == 1 and "has no bead 99" in r.stderr


def test_names_dates_cite_settings_sic(db: Path) -> None:
    r = _run(db, "apparatus", "names", "Document I", "--scheme", "bgn_pcgn")
    assert "person М. Даля (М. Даля) → M. Dalya" in r.stdout
    r = _run(db, "apparatus", "dates", "Document I")
    assert r.stdout.splitlines()[0] == "21 августа с. г. → 21 August [1968]  (when=1968-08-21)"
    r = _run(db, "apparatus", "cite", "Document I", "--style", "chicago")
    assert r.stdout.strip() == "file 3U/1968-1970, vol. II, ff. 25–28, fond CC al PCR, Secţia Relaţii Externe, DANIC."
    r = _run(db, "apparatus", "cite", "002_089901b84e1e010c", "--notes", "--json")
    (note6,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert (note6["archive"], note6["folios"]) == ("DANIC", "4")
    r = _run(db, "apparatus", "settings", "citation-style", "chicago")
    assert "citation-style = chicago" in r.stdout
    assert _run(db, "apparatus", "cite", "Document II").stdout.strip().startswith("file 3U/1968-1970, vol. II, f. 61")
    r = _run(db, "apparatus", "settings", "romanisation", "klingon")
    assert r.returncode == 1 and "Unknown romanisation 'klingon'" in r.stderr
    r = _run(db, "apparatus", "sic", "Document I", "3", "render")
    assert r.returncode == 1 and "is not in the translation of bead 3" in r.stderr
    r = _run(db, "apparatus", "cite", "Document I (none)")
    assert r.returncode == 1 and "No document named" in r.stderr
