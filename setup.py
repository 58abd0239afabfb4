"""Build hook (all other metadata is in pyproject.toml).

The bundled seed documents (``seeds/``) and glossaries (``glossaries/``) live at the top of
the repository, where people and tests find them; this copies them into the package as
``tolmach/bundled/seeds`` and ``tolmach/bundled/glossaries`` when a wheel is built, so that
``pip install .`` or ``pipx install tolmach-*.whl`` gives a ``tolmach`` whose new database
imports the seeds and loads the glossaries (see ``tolmach.config.seeds_dir``).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Top-level folder -> the files of it that ship inside the package.
BUNDLED = {"seeds": "*.txt", "glossaries": "*"}


class BuildWithBundledData(build_py):
    """``build_py`` that also copies the bundled folders into ``tolmach/bundled/``."""

    def run(self) -> None:
        super().run()
        for folder, pattern in BUNDLED.items():
            target = Path(self.build_lib) / "tolmach" / "bundled" / folder
            self.mkpath(str(target))
            for path in sorted((ROOT / folder).glob(pattern)):
                if path.is_file():
                    self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildWithBundledData})
