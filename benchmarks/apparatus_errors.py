"""Source-error detection on Documents I and II of seed 002: found, missed, false alarms.

The reference is the list of typesetting errors named in issue 20 (14 words, ``ха`` in
``ха них`` counted as one).  Measured in one run, on the segments the import pipeline
makes:

* ``tolmach``: :func:`tolmach.apparatus.errors.find_errors` (unknown word close to a known
  one by OCR/keyboard edits and fitting the context; н-pronoun and agreement rules);
* ``spell-check``: what a user would otherwise use, a dictionary spell-check: every word
  the same dictionary (pymorphy3's) does not know is flagged.  It cannot see errors that
  are real words (``ха``, ``странны``) and flags names and abbreviations.

Prints a table and writes ``benchmarks/results/apparatus_errors.json``.
Usage: ``.venv/bin/python benchmarks/apparatus_errors.py``
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SEED = ROOT / "seeds" / "002_089901b84e1e010c.txt"
OUT = ROOT / "benchmarks" / "results" / "apparatus_errors.json"

LISTED = [
    "совместые", "окозанию", "ощибочно", "нарущение", "событями", "исполъзован", "странны",
    "сушествовала", "резведывательными", "ха них", "Соверского", "пологаем", "периговорах", "выражерие",
]


def main() -> None:
    from tolmach.apparatus.errors import (
        _CYRILLIC,
        _WORD,
        SourceError,
        document_lemmas,
        find_errors,
        is_known,
        measure,
    )
    from tolmach.text.pipeline import parse_bytes

    parsed = parse_bytes(SEED.read_bytes(), source_name=SEED.name)
    texts = [s.text for d in parsed.documents if d.name in ("Document I", "Document II") for s in d.segments
             if s.lang == "ru"]
    find_errors("прогрев анализатора")  # load the dictionaries outside the timing
    t0 = time.perf_counter()
    lemmas = document_lemmas(texts)
    ours = [e for t in texts for e in find_errors(t, lemmas)]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = [
        SourceError(m.start(), m.end(), m.group(), "", 0.0, "unknown")
        for t in texts for m in _WORD.finditer(t)
        if _CYRILLIC.match(m.group().lower()) and not is_known(m.group().lower())
    ]
    t_naive = time.perf_counter() - t0
    rows = []
    for name, found, secs in (("tolmach", ours, t_ours), ("spell-check", naive, t_naive)):
        m = measure(found, LISTED)
        rows.append({
            "method": name, "listed": len(m.expected), "found": len(m.found), "missed": list(m.missed),
            "false_alarms": len(m.false_alarms), "false_alarm_words": sorted({e.word for e in m.false_alarms}),
            "seconds": round(secs, 3),
        })
    print(f"Documents I and II of seed 002: {len(texts)} Russian segments; machine shared by other jobs.")
    print(f"{'method':<12} {'found':>8} {'false alarms':>13} {'seconds':>8}  false-alarm words")
    for r in rows:
        print(f"{r['method']:<12} {r['found']:>3}/{r['listed']:<4} {r['false_alarms']:>13} {r['seconds']:>8}  "
              f"{', '.join(r['false_alarm_words'])}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"python": platform.python_version(), "segments": len(texts), "results": rows},
                              ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
