"""The layers of ../shared/ARCHITECTURE.md and the linter, run as part of the test command.

import-linter checks the contracts in pyproject.toml (core imports neither the store, the
services, SQLAlchemy nor Textual; the workbench talks no SQL; front-ends do not import each
other); ruff checks for unused and undefined names; mypy checks types (the core packages
strictly; pyproject's [tool.mypy] says which).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (PyPI package {'import-linter' if name == 'lint-imports' else name}; `make test` installs it)")
    return found


def test_import_contracts_are_kept() -> None:
    res = subprocess.run([_tool("lint-imports")], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "BROKEN" not in res.stdout and "KEPT" in res.stdout


def test_ruff_finds_nothing() -> None:
    res = subprocess.run([_tool("ruff"), "check", "src", "tests", "benchmarks", "scripts"], cwd=REPO,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:]


def test_mypy_finds_nothing() -> None:
    res = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "Success: no issues found" in res.stdout
