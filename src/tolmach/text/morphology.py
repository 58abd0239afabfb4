"""The Russian morphological analyser (pymorphy3): one per process, loaded on first use.

Reflowing (is a hyphenated word a known word?), glossary matching, the apparatus (misprints,
names) and the concordance all ask this one analyser; loading its dictionaries takes about
0.2 s and some tens of MB, so it happens once and only when Russian text is analysed.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_analyzer: Any = None


def analyzer() -> Any:
    """The shared ``pymorphy3.MorphAnalyzer`` for Russian."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                import pymorphy3

                _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer
