"""The wheel is a working `tolmach`: built from this checkout, installed into a fresh virtual
environment outside it, and run from another directory with no PYTHONPATH.

The fresh environment has no pip and no network: the wheel is installed with the test
interpreter's pip (``pip --python``) and ``--no-deps``, and the dependencies are borrowed
from the test interpreter's own site-packages through a ``.pth`` file.  Only the wheel's
copy of Tolmach is importable there, so the bundled seeds and glossaries must come from
the wheel itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: What a wheel is built from (the rest of the checkout plays no part in it).
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "src", "seeds", "glossaries")

pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the checkout (the build leaves nothing in the tree)."""
    try:
        import setuptools  # noqa: F401
    except ImportError:
        pytest.skip("building the wheel needs setuptools (PyPI package setuptools) in the test environment")
    src = tmp_path_factory.mktemp("checkout")
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        elif path.exists():
            shutil.copy2(path, src / name)
    out = tmp_path_factory.mktemp("wheels")
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(src), "-w", str(out)])
    assert done.returncode == 0, done.stderr
    (whl,) = out.glob("tolmach-*.whl")
    return whl


def test_the_wheel_carries_seeds_glossaries_and_styles(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        assert f"tolmach/bundled/seeds/{seed.name}" in names
    for glossary in sorted((REPO / "glossaries").iterdir()):
        assert f"tolmach/bundled/glossaries/{glossary.name}" in names
    assert "tolmach/tui/app.tcss" in names and "tolmach/interchange/schemas/tmx14b.dtd" in names
    assert any(n.endswith("entry_points.txt") for n in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with the wheel installed; returns its bin/."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    done = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "_tolmach_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)]
    )
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def _tolmach(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TOLMACH_"))}
    env.update(HOME=str(cwd), XDG_DATA_HOME=str(cwd / "data"), XDG_STATE_HOME=str(cwd / "state"))
    return _run([str(bin_dir / "tolmach"), *args], cwd=cwd, env=env)


def test_installed_tolmach_runs_from_another_directory(installed: Path, tmp_path: Path):
    where = _run([str(installed / "python"), "-c", "import tolmach, sys; print(tolmach.__file__)"], cwd=tmp_path,
                 env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)})
    assert where.returncode == 0 and str(installed.parent) in where.stdout, where  # the wheel's copy, not src/

    assert _tolmach(installed, tmp_path, "--version").stdout.strip().startswith("tolmach")
    done = _tolmach(installed, tmp_path, "import", "--seeds")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tolmach.db").is_file()  # ./tolmach.db of the directory it runs in
    docs = [json.loads(l) for l in _tolmach(installed, tmp_path, "docs", "--json").stdout.splitlines()]
    names = {d["name"]: d["role"] for d in docs}
    assert names["Document I"] == names["Document II"] == "translate"
    assert names["Soviet Response to the Romanian Uprising"] == "reference"
    assert len(docs) == 5
    glossary = _tolmach(installed, tmp_path, "glossary", "list")
    assert glossary.returncode == 0 and "Исполком" in glossary.stdout, glossary.stderr
    assert len(glossary.stdout.splitlines()) > 50
