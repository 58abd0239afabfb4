"""Source-error detection on Documents I and II of seed 002: found, missed, false alarms.

The reference is the list of typesetting errors named in issue 20 (14 words, ``ха`` in
``ха них`` counted as one).  Measured in one run, on the segments the import pipeline
makes:

* ``tolmach``: :func:`tolmach.apparatus.errors.find_errors` (unknown word close to a known
  one by OCR/keyboard edits and fitting the context; н-pronoun and agreement rules);
* ``spell-check``: what a user would otherwise use, a dictionary spell-check: every word
  the same dictionary (pymorphy3's) does not know is flagged.  It cannot see errors that
  are real words (``ха``, ``странны``) and flags names and abbreviations.

A second, held-out measure guards against fitting the detector to the seed: the text with
the 14 errors corrected gets one misprint per sentence injected at random (a confusion
from the detector's table, a dropped letter or a doubled one, always giving a word the
dictionary does not know), ``--trials`` times; it reports how many are found with the
original word as the reading, and any other word flagged.

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
    injected = inject(texts, ours, trials=200)
    print(f"injected misprints (held out, {injected['trials']} sentences): {injected['found']} found with the right "
          f"reading, {injected['wrong_reading']} with another, {injected['missed']} missed; "
          f"{injected['false_alarms']} other word(s) flagged")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"python": platform.python_version(), "segments": len(texts), "results": rows,
                               "injected": injected},
                              ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


def inject(texts: list[str], known_errors, *, trials: int, seed: int = 20) -> dict:
    """Inject one misprint into a random word of a random corrected sentence, ``trials`` times."""
    import random

    from tolmach.apparatus import readings as rd
    from tolmach.apparatus.errors import _WORD, OCR_CONFUSIONS, document_lemmas, find_errors, is_known

    rng = random.Random(seed)
    fixes: dict[str, list[rd.Span]] = {}
    for t in texts:
        fixes[t] = [rd.Span(e.start, e.end, e.word, e.reading) for e in find_errors(t)]
    clean = [rd.apply(t, fixes[t]).text for t in texts]
    lemmas = document_lemmas(clean)
    pairs = [tuple(p) for p in OCR_CONFUSIONS]
    out = {"trials": 0, "found": 0, "wrong_reading": 0, "missed": 0, "false_alarms": 0}
    while out["trials"] < trials:
        k = rng.randrange(len(clean))
        words = [m for m in _WORD.finditer(clean[k]) if m.group().islower() and len(m.group()) >= 5 and "-" not in m.group()]
        if not words:
            continue
        m = rng.choice(words)
        w = m.group()
        i = rng.randrange(len(w))
        kind = rng.choice(("confusion", "drop", "double"))
        if kind == "drop":
            bad = w[:i] + w[i + 1 :]
        elif kind == "double":
            bad = w[: i + 1] + w[i] + w[i + 1 :]
        else:
            options = [b if a == w[i] else a for a, b in pairs if w[i] in (a, b)]
            if not options:
                continue
            bad = w[:i] + rng.choice(options) + w[i + 1 :]
        if bad == w or is_known(bad):
            continue
        text = clean[k][: m.start()] + bad + clean[k][m.end() :]
        found = find_errors(text, lemmas)
        out["trials"] += 1
        hit = [e for e in found if e.start == m.start()]
        if hit and hit[0].reading == w:
            out["found"] += 1
        elif hit:
            out["wrong_reading"] += 1
        else:
            out["missed"] += 1
        out["false_alarms"] += len([e for e in found if e.start != m.start()])
    return out


if __name__ == "__main__":
    main()
