"""Build the Russian–English alignment development set in ``benchmarks/data/ru-en``.

Source: the WMT15 news translation test set, Russian→English (``newstest2015``, 2,818
sentence pairs of news published in 2014, one sentence per line, tokenised and with the
first letter lower-cased; released by the WMT shared task for research use).  The copy
used is the plain-text one in the public repository alvations/USAAR-WMT2015
(``test.ru`` / ``test.en``).  This script detokenises the lines, cuts them into
documents at their headlines, keeps DOCS documents, and makes the alignment harder and
known with synthetic edits (seeded, so the set is reproducible): two Russian sentences
joined (gold 1:2), two English sentences joined (2:1), an English sentence dropped (1:0)
and a Russian one dropped (0:1).  It writes ``NAME.ru``, ``NAME.en``, the gold
``NAME.ruen`` (Vecalign format) and ``dev.names``.

    .venv/bin/python benchmarks/align_make_ruen.py newstest2015.ru newstest2015.en
"""

from __future__ import annotations

import argparse
import html
import random
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "ru-en"
DOCS = 24
EDIT_RATE = 0.05  # of each kind, per sentence


def detok(line: str) -> str:
    s = html.unescape(html.unescape(line.strip()))
    s = re.sub(r" ([,.;:?!%)\]])", r"\1", s)
    s = re.sub(r"([(\[]) ", r"\1", s)
    s = re.sub(r" ' (s|t|re|ve|ll|d|m)\b", r"'\1", s)
    s = re.sub(r"(\d) / (\d)", r"\1/\2", s)
    s = s.replace(" - ", " – ") if s.count(" - ") else s
    return s[:1].upper() + s[1:]


def documents(ru: list[str], en: list[str]) -> list[list[tuple[str, str]]]:
    """Cut at headlines: a line without final punctuation on both sides starts a document."""
    docs: list[list[tuple[str, str]]] = []
    for r, e in zip(ru, en):
        headline = not re.search(r"[.?!\"»:;)]$", e.strip()) and not re.search(r"[.?!\"»:;)]$", r.strip())
        if headline or not docs:
            docs.append([])
        docs[-1].append((detok(r), detok(e)))
    return [d for d in docs if 12 <= len(d) <= 60]


def edit(doc: list[tuple[str, str]], rng: random.Random):
    src: list[str] = []
    tgt: list[str] = []
    gold: list[tuple[list[int], list[int]]] = []
    k = 0
    while k < len(doc):
        r, e = doc[k]
        x = rng.random()
        if x < EDIT_RATE and k + 1 < len(doc):  # two Russian sentences joined: 1:2
            r2, e2 = doc[k + 1]
            gold.append(([len(src)], [len(tgt), len(tgt) + 1]))
            src.append(f"{r} {r2}")
            tgt.extend([e, e2])
            k += 2
            continue
        if x < 2 * EDIT_RATE and k + 1 < len(doc):  # two English sentences joined: 2:1
            r2, e2 = doc[k + 1]
            gold.append(([len(src), len(src) + 1], [len(tgt)]))
            src.extend([r, r2])
            tgt.append(f"{e} {e2}")
            k += 2
            continue
        if x < 3 * EDIT_RATE and k > 0:  # English sentence dropped: 1:0
            gold.append(([len(src)], []))
            src.append(r)
        elif x < 4 * EDIT_RATE and k > 0:  # Russian sentence dropped: 0:1
            gold.append(([], [len(tgt)]))
            tgt.append(e)
        else:
            gold.append(([len(src)], [len(tgt)]))
            src.append(r)
            tgt.append(e)
        k += 1
    return src, tgt, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ru", type=Path)
    ap.add_argument("en", type=Path)
    args = ap.parse_args()
    ru = args.ru.read_text(encoding="utf-8").splitlines()
    en = args.en.read_text(encoding="utf-8").splitlines()
    if len(ru) != len(en):
        raise SystemExit(f"{args.ru} and {args.en} differ in length ({len(ru)} / {len(en)} lines).")
    rng = random.Random(17)
    docs = documents(ru, en)
    rng.shuffle(docs)
    OUT.mkdir(parents=True, exist_ok=True)
    names = []
    for k, doc in enumerate(docs[:DOCS]):
        name = f"news{k:02d}"
        src, tgt, gold = edit(doc, rng)
        (OUT / f"{name}.ru").write_text("\n".join(src) + "\n", encoding="utf-8")
        (OUT / f"{name}.en").write_text("\n".join(tgt) + "\n", encoding="utf-8")
        (OUT / f"{name}.ruen").write_text("".join(f"{s}:{t}\n" for s, t in gold), encoding="utf-8")
        names.append(name)
    (OUT / "dev.names").write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} documents, {sum(len(d) for d in docs[:DOCS])} sentence pairs, in {OUT}")


if __name__ == "__main__":
    main()
