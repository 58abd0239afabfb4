"""Build the Chinese–English alignment set in ``benchmarks/data/zh-en`` (measures MT as evidence).

Source: the Tatoeba Chinese (Mandarin)–English sentence pairs as distributed by
manythings.org/anki (``cmn.txt``: ``English TAB Chinese TAB attribution`` per line;
CC-BY 2.0 France, each pair credited to its tatoeba.org sentence numbers and authors).
The copy read was the one in the public repository 13luoyu/Transformer-machine-translation.
Tatoeba pairs are independent sentences, not documents: this script keeps pairs whose
English has at least MIN_WORDS words (each English and each Chinese sentence once),
shuffles them (seed 17), cuts DOCS pseudo-documents of SIZE pairs and applies the same
seeded synthetic edits as the ru–en set (``align_make_ruen.edit``: joins and dropped
sentences).  Without cognates or shared names, and with the lengths of unrelated short
sentences alike, it is what machine translation as alignment evidence is for.  Writes
``NAME.zh``, ``NAME.en``, the gold ``NAME.zhen``, ``dev.names`` and ``sources.tsv`` (the
attribution of every pair used).

    .venv/bin/python benchmarks/align_make_zhen.py cmn.txt
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from align_make_ruen import edit  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "zh-en"
DOCS = 12
SIZE = 25
MIN_WORDS = 8


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cmn", type=Path, help="cmn.txt (English TAB Chinese TAB attribution)")
    args = ap.parse_args()
    pairs = []
    seen_en: set[str] = set()
    seen_zh: set[str] = set()
    for n, line in enumerate(args.cmn.read_text(encoding="utf-8").splitlines(), 1):
        cols = line.split("\t")
        if not line.strip():
            continue
        if len(cols) < 3:
            raise SystemExit(f"{args.cmn}, line {n}: expected 'English TAB Chinese TAB attribution'.")
        en, zh, credit = cols[0].strip(), cols[1].strip(), cols[2].strip()
        if len(en.split()) < MIN_WORDS or en in seen_en or zh in seen_zh:
            continue
        seen_en.add(en)
        seen_zh.add(zh)
        pairs.append((zh, en, credit))
    rng = random.Random(17)
    rng.shuffle(pairs)
    if len(pairs) < DOCS * SIZE:
        raise SystemExit(f"{args.cmn}: only {len(pairs)} pairs of {MIN_WORDS}+ English words, {DOCS * SIZE} needed.")
    OUT.mkdir(parents=True, exist_ok=True)
    names, credits = [], []
    for k in range(DOCS):
        doc = pairs[k * SIZE : (k + 1) * SIZE]
        name = f"tatoeba{k:02d}"
        src, tgt, gold = edit([(zh, en) for zh, en, _ in doc], rng)
        (OUT / f"{name}.zh").write_text("\n".join(src) + "\n", encoding="utf-8")
        (OUT / f"{name}.en").write_text("\n".join(tgt) + "\n", encoding="utf-8")
        (OUT / f"{name}.zhen").write_text("".join(f"{s}:{t}\n" for s, t in gold), encoding="utf-8")
        names.append(name)
        credits.extend(f"{name}\t{credit}" for _, _, credit in doc)
    (OUT / "dev.names").write_text("\n".join(names) + "\n", encoding="utf-8")
    (OUT / "sources.tsv").write_text("document\tattribution\n" + "\n".join(credits) + "\n", encoding="utf-8")
    print(f"{len(names)} documents of {SIZE} pairs in {OUT}")


if __name__ == "__main__":
    main()
