"""argostranslate itself, run offline on our sentences: the yardstick for tests and benchmarks.

``argostranslate.translate.translate`` splits its input into sentences with Stanza or
MiniSBD, which fetch data from the network on first use.  Tolmach's segments are already
sentences, so here argostranslate is given our splitter (each segment is one sentence) and
pointed at a given package folder; everything else (tokenisation, CTranslate2 call,
detokenisation, paragraph handling, caching) is argostranslate's own code.

This patches argostranslate's module state for the whole process; it is meant for
verification scripts and tests, never for the workbench.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def _import_argos_quietly() -> None:
    """Import argostranslate without creating folders in the user's home directory."""
    if "argostranslate.settings" in sys.modules:
        return
    scratch = tempfile.mkdtemp(prefix="tolmach-argos-")
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR")}
    try:
        os.environ.update(
            XDG_DATA_HOME=f"{scratch}/data",
            XDG_CONFIG_HOME=f"{scratch}/config",
            XDG_CACHE_HOME=f"{scratch}/cache",
            ARGOS_PACKAGES_DIR=f"{scratch}/packages",
        )
        import argostranslate.settings  # noqa: F401
        import argostranslate.translate  # noqa: F401
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def argos_translate_fn(packages_dir: Path, from_code: str, to_code: str) -> Callable[[str], str]:
    """``argostranslate.translate.translate`` bound to the packages in ``packages_dir``."""
    _import_argos_quietly()
    from argostranslate import sbd, settings, translate

    def one_sentence(self, text: str) -> list[str]:  # our splitter: a segment is a sentence
        return [text]

    for cls in (sbd.StanzaSentencizer, sbd.MiniSBDSentencizer, sbd.SpacySentencizerSmall):
        cls.split_sentences = one_sentence
    settings.package_dirs = [Path(packages_dir)]
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()

    def run(text: str) -> str:
        return translate.translate(text, from_code, to_code)

    return run
