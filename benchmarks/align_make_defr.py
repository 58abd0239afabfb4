"""Build the second German–French alignment development set in ``benchmarks/data/de-fr``.

Source: two public-domain Bible translations made independently from the Hebrew and Greek,
aligned by their publishers verse by verse: the Menge-Bibel (Hermann Menge, 1939 text) in
German and the Bible Augustin Crampon (1923) in French, as the SWORD modules
``GerMenge.zip`` and ``FreCrampon.zip`` of the public repository scrollmapper/bible_databases
(``sources/de/GerMenge``, ``sources/fr/FreCrampon``; both marked Public Domain there and in
the modules' own ``.conf``).  The verse is the publisher's alignment unit; the sentences
differ: one translation ends a sentence inside a verse where the other runs on across two,
so the gold has real 2:1, 1:2, 2:2 … beads, not only synthetic ones.

Each document is one to four chapters of narrative (the kind of prose Text+Berg's Alpine
reports are).  Every chapter's verses are joined into a running text and cut with Tolmach's
own sentence splitter (:func:`tolmach.text.sentences.sentence_spans`, the splitter a user's
document goes through), one sentence per line.  The gold bead is the smallest run of whole
verses that no sentence of either side crosses: its sentences on each side.  In the
documents listed in ``EDITED``, seeded, 8 % of the beads with one German sentence lose their
French (a real 1:0 bead: German text with no translation) and 4 % of those with one French
sentence their German (0:1), so the set measures 1:0 precision too.  Writes ``NAME.de``,
``NAME.fr``, the gold ``NAME.defr`` (Vecalign's format) and ``dev.names``; run again, it
writes the same files.

Needs ``pysword`` (pip install pysword; 0.2.8 was used) to read the SWORD modules, at build
time only:

    PYTHONPATH=src:PATH/TO/pysword .venv/bin/python benchmarks/align_make_defr.py GerMenge.zip FreCrampon.zip
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tolmach.text.sentences import sentence_spans  # noqa: E402

OUT = ROOT / "benchmarks" / "data" / "de-fr"
# name, OSIS book, chapters: narrative (a journey, a report in the first person, dialogue)
DOCS = [
    ("gen24", "Gen", [24]),
    ("gen37", "Gen", [37]),
    ("gen42", "Gen", [42, 43]),
    ("exod14", "Exod", [14]),
    ("ruth", "Ruth", [1, 2, 3, 4]),
    ("1sam17", "1Sam", [17]),
    ("2kgs5", "2Kgs", [5]),
    ("jonah", "Jonah", [1, 2, 3, 4]),
    ("neh1", "Neh", [1, 2]),
    ("mark5", "Mark", [5]),
    ("luke15", "Luke", [15]),
    ("luke24", "Luke", [24]),
    ("john9", "John", [9]),
    ("acts16", "Acts", [16]),
    ("acts27", "Acts", [27, 28]),
    ("gen27", "Gen", [27]),
    ("gen44", "Gen", [44, 45]),
    ("exod2", "Exod", [2, 3]),
    ("judg16", "Judg", [16]),
    ("1sam24", "1Sam", [24, 25]),
    ("2sam11", "2Sam", [11, 12]),
    ("1kgs18", "1Kgs", [18]),
    ("dan6", "Dan", [6]),
    ("luke10", "Luke", [10]),
    ("john11", "John", [11]),
    ("acts9", "Acts", [9]),
    ("acts12", "Acts", [12]),
]
# the documents with synthetic 1:0 / 0:1 beads
EDITED = {"gen37", "exod14", "1sam17", "jonah", "luke24", "acts27", "gen44", "2sam11", "dan6", "acts9"}
DROP_FR, DROP_DE = 0.08, 0.04  # of the beads with one German / one French sentence
MODULES = {"de": ("germenge", "luther"), "fr": ("frecrampon", "catholic2")}


def bible(zip_path: Path, lang: str, folder: Path):
    try:
        from pysword.bible import SwordBible
    except ImportError as exc:
        raise SystemExit("align_make_defr.py reads SWORD modules with pysword: pip install pysword") from exc
    module, versification = MODULES[lang]
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(folder / lang)
    return SwordBible(str(folder / lang / "modules" / "texts" / "ztext" / module), "ztext", versification, "utf-8", "OSIS")


def clean(verse: str) -> str:
    return re.sub(r"\s+", " ", verse).strip()


def verses(b, book: str, chapters: list[int]) -> list[str]:
    out = []
    for c in chapters:
        n = next(bk for t in b.get_structure().get_books().values() for bk in t if bk.osis_name == book).chapter_lengths[c - 1]
        out += [clean(b.get(books=[book], chapters=[c], verses=[v], clean=True)) for v in range(1, n + 1)]
    return out


QUOTES = '»«›‹"„“”‚‘'
CLOSING = {"de": "«‹“‘", "fr": "»›”"}  # Menge quotes »so«, Crampon « ainsi » or " ainsi "; a straight " by parity


def sentences(vs: list[str], lang: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The document's sentences and, for each, its first and last verse.  The splitter keeps
    a quotation whole (sentencex), which in dialogue gives paragraph-long units no user file
    has, so it reads the text with the quotation marks blanked; each mark then goes with the
    sentence it closes or opens."""
    text, starts = "", []
    for v in vs:
        starts.append(len(text))
        text += v + " "
    spans = sentence_spans(re.sub(f"[{QUOTES}]", " ", text), lang)
    cuts = [0]
    for (_, e), (s, _) in zip(spans, spans[1:]):
        closing = [p for p in range(e, s) if text[p] in CLOSING[lang] or (text[p] == '"' and text.count('"', 0, p) % 2)]
        cuts.append(closing[-1] + 1 if closing else e)
    cuts.append(len(text))
    out, where = [], []
    for a, b in zip(cuts, cuts[1:]):
        a += len(text[a:b]) - len(text[a:b].lstrip())
        b -= len(text[a:b]) - len(text[a:b].rstrip())
        first = max(k for k, s in enumerate(starts) if s <= a)
        last = max(k for k, s in enumerate(starts) if s < b)
        out.append(text[a:b])
        where.append((first, last))
    return out, where


def gold(de_where, fr_where, empty: list[bool]) -> list[tuple[list[int], list[int]]]:
    """The smallest runs of whole verses no sentence crosses, as beads of sentence ids.  A
    verse empty on one side (its text joined to a neighbour's: "7-8") is one run with both
    neighbours."""
    n = len(empty)
    crossed = [False] * n  # crossed[v]: verse v and v + 1 are in one run
    for v in range(n):
        if empty[v]:
            crossed[v] = True
            crossed[max(v - 1, 0)] = True
    for where in (de_where, fr_where):
        for first, last in where:
            for v in range(first, last):
                crossed[v] = True
    run_of, run = [], 0
    for v in range(n):
        run_of.append(run)
        run += not crossed[v]
    beads: list[tuple[list[int], list[int]]] = [([], []) for _ in range(run_of[-1] + 1)]
    for side, where in ((0, de_where), (1, fr_where)):
        for k, (first, _) in enumerate(where):
            beads[run_of[first]][side].append(k)
    return [b for b in beads if b[0] or b[1]]


def edit(de, fr, beads, rng: random.Random):
    """Drop the French of DROP_FR of the beads with one German sentence (a 1:0 bead is left)
    and the German of DROP_DE of those with one French sentence (0:1)."""
    src, tgt, out = [], [], []
    for a, b in beads:
        x = rng.random()
        keep_fr = not (len(a) == 1 and x < DROP_FR)
        keep_de = not (len(b) == 1 and DROP_FR <= x < DROP_FR + DROP_DE)
        na = [len(src) + k for k in range(len(a))] if keep_de else []
        nb = [len(tgt) + k for k in range(len(b))] if keep_fr else []
        src += [de[i] for i in a] if keep_de else []
        tgt += [fr[j] for j in b] if keep_fr else []
        out.append((na, nb))
    return src, tgt, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("menge", type=Path, help="GerMenge.zip (SWORD module)")
    ap.add_argument("crampon", type=Path, help="FreCrampon.zip (SWORD module)")
    args = ap.parse_args()
    rng = random.Random(23)
    OUT.mkdir(parents=True, exist_ok=True)
    totals = [0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        de_bible, fr_bible = bible(args.menge, "de", Path(tmp)), bible(args.crampon, "fr", Path(tmp))
        for name, book, chapters in DOCS:
            de_v, fr_v = verses(de_bible, book, chapters), verses(fr_bible, book, chapters)
            if len(de_v) != len(fr_v):
                raise SystemExit(f"{name}: {book} {chapters} has {len(de_v)} German and {len(fr_v)} French verses.")
            de, de_where = sentences(de_v, "de")
            fr, fr_where = sentences(fr_v, "fr")
            beads = gold(de_where, fr_where, [not x or not y for x, y in zip(de_v, fr_v)])
            if name in EDITED:
                de, fr, beads = edit(de, fr, beads, rng)
            (OUT / f"{name}.de").write_text("\n".join(de) + "\n", encoding="utf-8")
            (OUT / f"{name}.fr").write_text("\n".join(fr) + "\n", encoding="utf-8")
            (OUT / f"{name}.defr").write_text("".join(f"{a}:{b}\n" for a, b in beads), encoding="utf-8")
            totals[0] += len(de)
            totals[1] += len(fr)
    (OUT / "dev.names").write_text("\n".join(n for n, _, _ in DOCS) + "\n", encoding="utf-8")
    print(f"{len(DOCS)} documents, {totals[0]} German and {totals[1]} French sentences, in {OUT}")


if __name__ == "__main__":
    main()
