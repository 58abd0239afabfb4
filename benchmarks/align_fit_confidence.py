"""Fit the bead score (src/tolmach/align/confidence_model.py) on the development sets.

Aligns what `tolmach align SRC TGT` aligns (:func:`tolmach.service.alignment.align_files`,
one document at a time, on an empty database with its bundled glossaries) on the
Text+Berg ``dev`` document and the ru–en documents that choose the flag threshold in
``align_textberg.py`` (the first third of ``dev.names``; the other two thirds stay out
of the fit, as its scored documents), and align_dev.py's edited pieces of the Text+Berg
dev document (``--synthetic``: real omissions and joined lines, the merges where the gold
has a 1:1 bead and a skip that the dev document itself hardly has), labels each bead right (in the gold) or wrong,
and fits a logistic regression in numpy (Newton's method, L2 penalty) on the features
of :mod:`tolmach.align.confidence`, each set weighing the same.  Prints the ROC AUC of
the posterior alone and of the fitted score per set, in-sample and with each set left
out of the fit, and the threshold each set would choose; then writes the model.

    .venv/bin/python benchmarks/align_fit_confidence.py [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_dev import dev_sets, dev_store  # noqa: E402  (the documents the score is fitted on: the dev sets)

from tolmach.align import AlignConfig  # noqa: E402
from tolmach.align.confidence import FEATURES  # noqa: E402

MODEL_FILE = ROOT / "src" / "tolmach" / "align" / "confidence_model.py"
#: L2 penalties tried on the standardised coefficients (the dev sets hold few wrong beads)
PENALTIES = (1.0, 3.0, 10.0, 30.0, 100.0)
FOLDS = 4
#: The direction each feature may push the score (+1: more of it, more likely right; 0:
#: either way).  Coefficients that the few dev beads would turn the other way are left
#: out instead: one Text+Berg document cannot teach that more similarity means "wrong".
SIGNS = {
    "posterior": 1, "nodes": 1, "similarity": 1, "weakest": 1, "margin": 1, "evidence": 1, "length_z": -1,
    "vs_skip": 1, "cost_rank": -1, "one_one": 1, "skip": 0, "merge": -1, "larger": -1, "skip_neighbours": -1,
    "merge_neighbours": -1, "edge_skip": 1, "weak_cuts": -1, "unexplained": -1, "join_margin": 1,
    "split_margin": 1, "agreement": 1, "near_posterior": 1, "shortest": 0, "numbers_elsewhere": -1,
    "anchors_elsewhere": -1,
}  # fmt: skip
#: Forward selection stops when the next feature adds less than this to the criterion.
MIN_GAIN = 0.002
#: ... and lower no set's cross-validated or across-set AUC by more than this.
MAX_LOSS = 0.01


#: What a bead is: right (in the gold), wrong inside one gold bead (the gold joins more),
#: or wrong across gold beads (it joins what the gold keeps apart, or is shifted)
RIGHT, INSIDE, ACROSS = 1, 0, 2


def collect(store, docs, sl: str, tl: str, places=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, kinds (:data:`RIGHT`, :data:`INSIDE`, :data:`ACROSS`), posteriors and
    cross-validation folds of every bead of ``docs`` (the documents in turn, or a lone
    document in contiguous blocks; ``places``: each document's (piece, pieces) of the
    Text+Berg dev document, whose folds are then the dev document's contiguous blocks, so
    that no fold is scored on text it was fitted on)."""
    from tolmach.service.alignment import align_files

    feats, labels, post, fold = [], [], [], []
    for k, d in enumerate(docs):
        gold = {(tuple(x), tuple(y)) for x, y in d.gold if x or y}
        src_of = {i: (tuple(x), tuple(y)) for x, y in d.gold for i in x}
        tgt_of = {j: (tuple(x), tuple(y)) for x, y in d.gold for j in y}
        r = align_files(store, d.src, d.tgt, sl, tl, use_mt=False)
        for i, b in enumerate(r.beads):
            feats.append(b.features)
            covering = {src_of.get(x) for x in b.src} | {tgt_of.get(x) for x in b.tgt}
            labels.append(RIGHT if (b.src, b.tgt) in gold else INSIDE if len(covering) == 1 and None not in covering else ACROSS)
            post.append(b.posterior)
            if places is not None:
                p, n = places[k]
                fold.append(min(FOLDS - 1, int((p + i / len(r.beads)) / n * FOLDS)))
            else:
                fold.append(k % FOLDS if len(docs) > 1 else i * FOLDS // len(r.beads))
    return np.array(feats, dtype=np.float64), np.array(labels), np.array(post), np.array(fold)


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, penalty: float, use: list[int] | None = None) -> dict:
    """Weighted, L2-penalised logistic regression by Newton's method on standardised
    features, on the columns ``use`` (the others get 0), each coefficient of the sign
    :data:`SIGNS` allows (a feature whose coefficient turns the other way is dropped)."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    active = list(range(X.shape[1])) if use is None else list(use)
    signs = np.array([SIGNS[f] for f in FEATURES])
    while True:
        Z = np.hstack([(X[:, active] - mean[active]) / scale[active], np.ones((len(X), 1))])
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
        if not (beta[:-1] * signs[active] < 0).any():
            break
        active.pop(int(np.argmin(beta[:-1] * signs[active])))
    coef = np.zeros(X.shape[1])
    coef[active] = beta[:-1]
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": coef.tolist(), "intercept": float(beta[-1])}  # fmt: skip


def fast_auc(score: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC (ties count half), as align_textberg.auc, in numpy."""
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    _, first, counts = np.unique(score[order], return_index=True, return_counts=True)
    for f, c in zip(first, counts):
        ranks[order[f : f + c]] = f + (c + 1) / 2.0
    pos = y == 1
    n1, n0 = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else float("nan")


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


def flag_f1(score: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of flagging the beads scored below ``threshold`` as wrong."""
    flagged = score < threshold
    hit = float((flagged & (y == 0)).sum())
    p, r = hit / max(1, flagged.sum()), hit / max(1, (y == 0).sum())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def weights(groups: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Each set weighs the same in the fit, whatever its number of beads; within a set the
    two kinds of wrong beads weigh the same (one document's gold decides which kind it
    has most of: Text+Berg dev's wrong beads are mostly inside a gold 2:2 or 3:2, the
    test documents' as often across two gold beads; the score should flag both)."""
    w = np.ones(len(groups))
    sets = np.unique(groups)
    for g in sets:
        here = groups == g
        w[here] = len(groups) / (len(sets) * here.sum())
        wrong = here & (kinds != RIGHT)
        present = [k for k in (INSIDE, ACROSS) if (here & (kinds == k)).any()]
        for k in present:
            one = here & (kinds == k)
            w[one] *= wrong.sum() / (len(present) * one.sum())
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    ap.add_argument("--synthetic", default="1,2,3", help="a third set: align_dev.py's edited pieces of the Text+Berg dev document for these seeds ('': none)")
    args = ap.parse_args()
    from tolmach.align import confidence

    # a model that weighs every feature, so the aligner computes them all (the features do
    # not depend on the model, and a stale model must not stop the fit)
    k = len(FEATURES)
    confidence.MODEL = {"features": list(FEATURES), "mean": [0.0] * k, "scale": [1.0] * k, "coef": [1.0] * k, "intercept": 0.0}
    sets = []
    with tempfile.TemporaryDirectory() as tmp:
        store = dev_store(Path(tmp) / "fit.db")  # with the bundled glossaries, as a user aligns
        for name, docs, sl, tl in dev_sets():
            X, y, post, fold = collect(store, docs, sl, tl)
            sets.append((name, X, y, post, fold))
            print(f"{name}: {len(docs)} documents, {len(y)} beads, {int((y == INSIDE).sum())} wrong inside a gold bead, "
                  f"{int((y == ACROSS).sum())} across gold beads")  # fmt: skip
            if args.synthetic and name.startswith("text-berg"):
                from align_dev import synthetic

                made = [(d, (p, k)) for seed in args.synthetic.split(",") for k in (1, 2, 3)
                        for p, d in enumerate(synthetic(docs[0], k, int(seed), Path(tmp), sl, tl))]  # fmt: skip
                X, y, post, fold = collect(store, [d for d, _ in made], sl, tl, [q for _, q in made])
                sets.append((f"{name} synthetic", X, y, post, fold))
                print(f"{name} synthetic: {len(made)} documents, {len(y)} beads, {int((y == INSIDE).sum())} wrong inside "
                      f"a gold bead, {int((y == ACROSS).sum())} across gold beads")  # fmt: skip
    if not sets:
        raise SystemExit("no development set found (shared/data/text-berg, benchmarks/data/ru-en)")
    X = np.vstack([s[1] for s in sets])
    groups = np.concatenate([[k] * len(s[2]) for k, s in enumerate(sets)])
    folds = np.concatenate([s[4] for s in sets])
    kinds = np.concatenate([s[2] for s in sets])
    y = (kinds == RIGHT).astype(np.float64)
    w = weights(groups, kinds)
    families = [s[0].split()[0] for s in sets]
    family = np.array(families)[groups]

    def judge(use: list[int], penalty: float) -> tuple[float, list[float], list[float]]:
        """Cross-validated AUC per set, AUC of each set with the model fitted on the others,
        and their mean: a feature must help within a set and carry over to the other."""
        out = np.zeros(len(y))
        for f in range(FOLDS):
            test = folds == f
            out[test] = predict(fit(X[~test], y[~test], w[~test], penalty, use), X[test])
        cv = [fast_auc(out[groups == k], y[groups == k]) for k in range(len(sets))]
        across = []
        for k in range(len(sets)) if len(families) > 1 else []:
            other = family != families[k]  # fitted on the other corpus (the synthetic set is dev's text)
            m = fit(X[other], y[other], weights(groups[other], kinds[other]), penalty, use)
            across.append(fast_auc(predict(m, X[groups == k]), y[groups == k]))
        return float(np.mean(cv + across)), cv, across

    use = [FEATURES.index("posterior")]
    best, cv, across = judge(use, 10.0)
    print(f"\nforward selection (mean of cross-validated and across-set AUC), from the posterior: {best:.3f}")
    while True:
        # a feature must raise the mean and lower no set's figure (within or across): what
        # helps one development set only is that set's peculiarity
        now = cv + across
        tried = {
            c: r for c in range(len(FEATURES)) if c not in use
            for r in [judge(use + [c], 10.0)] if min(np.subtract(r[1] + r[2], now)) > -MAX_LOSS
        }  # fmt: skip
        if not tried:
            break
        c = max(tried, key=lambda c: tried[c][0])
        if tried[c][0] < best + MIN_GAIN:
            break
        use.append(c)
        best, cv, across = tried[c]
        print(f"  + {FEATURES[c]:18} {best:.3f}  cv " + " ".join(f"{a:.3f}" for a in cv) + "  across " + " ".join(f"{a:.3f}" for a in across))
    results = {p: judge(use, p) for p in PENALTIES}
    penalty = max(PENALTIES, key=lambda p: results[p][0])
    print("penalty " + ", ".join(f"{p}: {results[p][0]:.3f}" for p in PENALTIES) + f"; kept {penalty}")
    model = fit(X, y, w, penalty, use)
    _, cv, across = results[penalty]
    # one threshold for both sets: the best mean F1 at finding the wrong beads; the
    # intercept is shifted so that it falls at AlignConfig.flag_below
    flag_below = AlignConfig().flag_below
    scores = [predict(model, Xs) for _, Xs, _, _, _ in sets]
    labels = [(ks == RIGHT).astype(np.float64) for _, _, ks, _, _ in sets]
    grid = np.unique(np.concatenate(scores))
    # ... over the real documents: the synthetic set's edits make wrong beads far more common
    real = [k for k, st in enumerate(sets) if not st[0].endswith("synthetic")]
    mean_f1 = [np.mean([flag_f1(scores[k], labels[k], t)[2] for k in real]) for t in grid]
    chosen = float(grid[int(np.argmax(mean_f1))])
    model["intercept"] += _logit(flag_below) - _logit(chosen)
    print(f"\none flag threshold for the real sets (best mean F1 at finding wrong beads): {chosen:.3f}, moved to {flag_below}")
    print(f"\n{'set':16} {'posterior AUC':>13} {'score AUC':>9} {'cv AUC':>7} {'across':>7} {'own threshold':>13} "
          f"{'flags P/R/F1 below ' + str(flag_below):>26}")  # fmt: skip
    for k, (name, Xs, ks, post, _) in enumerate(sets):
        ys = labels[k]
        sc = predict(model, Xs)
        p, r, f = flag_f1(sc, ys, flag_below)
        print(f"{name:16} {fast_auc(post, ys):13.3f} {fast_auc(sc, ys):9.3f} {cv[k]:7.3f} "
              f"{across[k] if across else float('nan'):7.3f} {best_threshold(sc, ys):13.3f} {p:12.2f}/{r:.2f}/{f:.2f}")  # fmt: skip
    print("\ncoefficients (standardised):")
    for f, c in sorted(zip(FEATURES, model["coef"]), key=lambda x: -abs(x[1])):
        if c:
            print(f"  {f:18} {c:+.3f}")
    if args.dry_run:
        return 0
    rows = "\n".join(
        f"    ({f!r}, {mu:.6g}, {sd:.6g}, {c:.6g}),"
        for f, mu, sd, c in zip(model["features"], model["mean"], model["scale"], model["coef"])
    )
    text = (
        '"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development\n'
        "sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.\n\n"
        "score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))\n"
        '"""\n\n'
        "#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed\n"
        f"TABLE: list[tuple[str, float, float, float]] = [\n{rows}\n]\n"
        f"INTERCEPT = {model['intercept']:.6g}\n\n"
        "MODEL: dict = {\n"
        '    "features": [t[0] for t in TABLE],\n'
        '    "mean": [t[1] for t in TABLE],\n'
        '    "scale": [t[2] for t in TABLE],\n'
        '    "coef": [t[3] for t in TABLE],\n'
        '    "intercept": INTERCEPT,\n'
        "}\n"
    )
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"\nwrote {MODEL_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
