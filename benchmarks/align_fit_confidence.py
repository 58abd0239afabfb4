"""Fit the bead score (src/tolmach/align/confidence_model.py) on the development sets.

Aligns what `tolmach align SRC TGT` aligns (:func:`tolmach.service.alignment.align_files`,
one document at a time, on an empty database with its bundled glossaries) on the
Text+Berg ``dev`` document and the ru–en documents that choose the flag threshold in
``align_textberg.py`` (the first third of ``dev.names``; the other two thirds stay out
of the fit, as its scored documents), labels each bead right (in the gold) or wrong,
and fits a logistic regression in numpy (Newton's method, L2 penalty) on the features
of :mod:`tolmach.align.confidence`, each set weighing the same.  Prints the ROC AUC of
the posterior alone and of the fitted score per set, in-sample and with each set left
out of the fit, and the threshold each set would choose; then writes the model.

    .venv/bin/python benchmarks/align_fit_confidence.py [--dry-run]
"""

from __future__ import annotations

import argparse
import pprint
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_textberg import RUEN, auc, find_text_berg, load_set  # noqa: E402

from tolmach.align.confidence import FEATURES  # noqa: E402

MODEL_FILE = ROOT / "src" / "tolmach" / "align" / "confidence_model.py"
#: L2 penalty on the standardised coefficients (the dev sets hold a few hundred wrong beads)
PENALTY = 1.0


def fit_sets() -> list[tuple[str, list, str, str]]:
    """The documents the score is fitted on: Text+Berg dev, and the ru–en threshold third."""
    out = []
    tb = find_text_berg()
    if tb is not None and tb.is_dir():
        out.append(("text-berg dev", load_set(tb, ["dev"], "de", "fr", "defr"), "de", "fr"))
    if (RUEN / "dev.names").is_file():
        names = (RUEN / "dev.names").read_text(encoding="utf-8").split()
        out.append(("ru-en dev", load_set(RUEN, names[: max(1, len(names) // 3)], "ru", "en", "ruen"), "ru", "en"))
    return out


def collect(store, docs, sl: str, tl: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (1: the bead is in the gold) and posteriors of every bead of ``docs``."""
    from tolmach.service.alignment import align_files

    feats, labels, post = [], [], []
    for d in docs:
        gold = {(tuple(x), tuple(y)) for x, y in d.gold if x or y}
        r = align_files(store, d.src, d.tgt, sl, tl, use_mt=False)
        for b in r.beads:
            feats.append(b.features)
            labels.append((b.src, b.tgt) in gold)
            post.append(b.posterior)
    return np.array(feats, dtype=np.float64), np.array(labels, dtype=np.float64), np.array(post)


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, penalty: float = PENALTY) -> dict:
    """Weighted, L2-penalised logistic regression by Newton's method on standardised features."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], penalty)
    reg[-1] = 0.0  # the intercept is not penalised
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(Z @ beta)))
        grad = Z.T @ (w * (p - y)) + reg * beta
        hess = (Z * (w * p * (1 - p))[:, None]).T @ Z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": beta[:-1].tolist(), "intercept": float(beta[-1])}  # fmt: skip


def predict(model: dict, X: np.ndarray) -> np.ndarray:
    z = (X - np.asarray(model["mean"])) / np.asarray(model["scale"]) @ np.asarray(model["coef"]) + model["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def best_threshold(score: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 at finding wrong beads (as align_textberg.py chooses it)."""
    best, best_f = 0.5, -1.0
    wrong = y == 0
    for t in np.unique(score):
        flagged = score < t
        hit = (flagged & wrong).sum()
        p, r = hit / max(1, flagged.sum()), hit / max(1, wrong.sum())
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best_f:
            best, best_f = float(t), f
    return best


def weights(groups: np.ndarray) -> np.ndarray:
    """Each set weighs the same in the fit, whatever its number of beads."""
    w = np.ones(len(groups))
    for g in np.unique(groups):
        w[groups == g] = len(groups) / (len(np.unique(groups)) * (groups == g).sum())
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    args = ap.parse_args()
    from tolmach.align import confidence
    from tolmach.store import open_store

    # the features do not depend on the model; a stale one (other features) must not stop the fit
    k = len(FEATURES)
    confidence.MODEL = {"features": list(FEATURES), "mean": [0.0] * k, "scale": [1.0] * k, "coef": [0.0] * k, "intercept": 0.0}
    sets = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "fit.db")
        for name, docs, sl, tl in fit_sets():
            X, y, post = collect(store, docs, sl, tl)
            sets.append((name, X, y, post))
            print(f"{name}: {len(docs)} documents, {len(y)} beads, {int((y == 0).sum())} wrong")
    if not sets:
        raise SystemExit("no development set found (shared/data/text-berg, benchmarks/data/ru-en)")
    X = np.vstack([s[1] for s in sets])
    y = np.concatenate([s[2] for s in sets])
    groups = np.concatenate([[k] * len(s[2]) for k, s in enumerate(sets)])
    model = fit(X, y, weights(groups))
    print(f"\n{'set':16} {'posterior AUC':>13} {'score AUC':>9} {'left out':>9} {'threshold':>9} {'flags P/R at 0.5':>17}")
    for k, (name, Xs, ys, post) in enumerate(sets):
        s = predict(model, Xs)
        out = groups != k
        left = auc(predict(fit(X[out], y[out], weights(groups[out])), Xs)[ys == 1].tolist(),
                   predict(fit(X[out], y[out], weights(groups[out])), Xs)[ys == 0].tolist()) if len(sets) > 1 else float("nan")  # fmt: skip
        flagged = s < 0.5
        hit = (flagged & (ys == 0)).sum()
        print(f"{name:16} {auc(post[ys == 1].tolist(), post[ys == 0].tolist()):13.3f} "
              f"{auc(s[ys == 1].tolist(), s[ys == 0].tolist()):9.3f} {left:9.3f} {best_threshold(s, ys):9.3f} "
              f"{hit / max(1, flagged.sum()):8.2f}/{hit / max(1, (ys == 0).sum()):.2f}")  # fmt: skip
    print("\ncoefficients (standardised):")
    for f, c in sorted(zip(FEATURES, model["coef"]), key=lambda x: -abs(x[1])):
        print(f"  {f:18} {c:+.3f}")
    if args.dry_run:
        return 0
    text = (
        '"""The bead-score model: written by benchmarks/align_fit_confidence.py from the development\n'
        'sets (Text+Berg dev, the ru–en threshold documents); do not edit by hand."""\n\n'
        f"MODEL: dict = {pprint.pformat(model, width=100, sort_dicts=False)}\n"
    )
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"\nwrote {MODEL_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
