"""Fit the bead score (src/tolmach/align/confidence_model.py) on the development sets.

Aligns what `tolmach align SRC TGT` aligns (:func:`tolmach.service.alignment.align_files`,
one document at a time, on an empty database with its bundled glossaries and, as the
command does by default, the installed FreeDict dictionary of the pair if there is one:
the script says which) on the
Text+Berg ``dev`` document, the 24 ru–en development documents, the 27 documents of the
second German–French development set (``align_dev.py --dev2``, Bible narratives whose gold
is no finer than the verse: :data:`COARSE`) and align_dev.py's edited
pieces of the Text+Berg dev document (``--synthetic``: real omissions and joined lines,
the merges where the gold has a 1:1 bead and a skip that the dev document itself hardly
has), labels each bead right (in the gold) or wrong, and fits a logistic regression in
numpy (Newton's method, L2 penalty) on the features of :mod:`tolmach.align.confidence`,
each set weighing the same.

The protocol (session 10; everything is chosen on the development sets, nothing on the
Text+Berg test documents, whose AUC ``align_textberg.py`` reports once, after the fit):

1. model family: a logistic regression on standardised features, each coefficient of the
   sign its meaning implies (:data:`SIGNS`); monotone piecewise-linear terms per feature
   (a monotone additive model) were tried and lost .01 cross-validated AUC, and so did
   (session 12) binned per-feature logit tables and boosted depth-2 trees, alone or on
   the linear model's residual (docs/align.md);
2. features: forward selection from the posterior by the mean of the cross-validated AUC
   of each set (four folds, each holding out the same quarter of the Text+Berg dev
   document in the document and in its synthetic pieces, and a quarter of the ru–en and
   of the dev2 documents, whole) and the across-set AUC (fitted on the other corpora only), no set's
   figure falling by more than :data:`MAX_LOSS`; then the penalty, by the same figure;
3. the flag threshold, for a stated purpose (:data:`FLAG_PURPOSE`), on the
   cross-validated scores of the real sets with a sentence-level gold (not the synthetic one, whose edits make
   wrong beads far more common, nor dev2, whose per-bead labels are a convention); the intercept is shifted so that it falls at
   ``AlignConfig.flag_below`` (0.5).

    .venv/bin/python benchmarks/align_fit_confidence.py [--dry-run] [--cache beads.npz] [--features posterior,...]

``--features`` fits the features given instead of step 2's selection (the penalty and the
threshold as above): session 12's model is ``posterior,length_z_near,unexplained_gap,
letters,anchors_elsewhere``, which the selection chose with dev2's first labelling, while on
the final one it stopped before ``anchors_elsewhere`` (mean .8959 against .8949), a model
that no longer flags the halves of a cut 2:2 whose number the neighbour holds (docs/align.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
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
PENALTIES = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
FOLDS = 4
#: The direction each feature may push the score (+1: more of it, more likely right; 0:
#: either way).  Coefficients that the few dev beads would turn the other way are left
#: out instead: one Text+Berg document cannot teach that more similarity means "wrong".
SIGNS = {
    "posterior": 1, "nodes": 1, "similarity": 1, "weakest": 1, "margin": 1, "evidence": 1, "length_z": -1,
    "vs_skip": 1, "cost_rank": -1, "one_one": 1, "skip": 0, "merge": -1, "larger": -1, "skip_neighbours": -1,
    "merge_neighbours": -1, "edge_skip": 1, "weak_cuts": -1, "unexplained": -1, "join_margin": 1,
    "split_margin": 1, "agreement": 1, "near_posterior": 1, "shortest": 0, "numbers_elsewhere": -1,
    "anchors_elsewhere": -1, "letters": 1, "unexplained_gap": -1, "length_z_near": -1,
}  # fmt: skip
#: Forward selection stops when the next feature adds less than this to the criterion.
MIN_GAIN = 0.002
#: ... and lower no set's cross-validated or across-set AUC by more than this.
MAX_LOSS = 0.01
#: What the flag (``AlignConfig.flag_below``) is for: a reviewer who goes through the
#: flagged beads should meet at least half of the wrong ones, and as few right ones as that allows
FLAG_RECALL = 0.5
FLAG_PURPOSE = f"catch at least {FLAG_RECALL:.0%} of the wrong beads, at the best precision"


#: The sets whose gold is no finer than the publisher's unit (dev2: the Bible's verse)
COARSE = ("de-fr dev2",)

#: What a bead is: right (in the gold), wrong inside one gold bead (the gold joins more),
#: or wrong across gold beads (it joins what the gold keeps apart, or is shifted)
RIGHT, INSIDE, ACROSS = 1, 0, 2


def label(gold: Sequence, beads: Sequence[tuple[tuple[int, ...], tuple[int, ...]]], coarse: bool = False) -> list[int]:
    """The kind of each bead (:data:`RIGHT`, :data:`INSIDE`, :data:`ACROSS`) against the
    gold beads.  ``coarse``: the gold is no finer than the publisher's unit (dev2's verses:
    a 2:2 verse may be two 1:1 pairs), so a bead of sentences on both sides inside one gold
    bead is right when the beads inside it make up the whole gold bead, and wrong inside it
    otherwise; a skip inside a gold bead with sentences on both sides is wrong (a verse is
    translated whole), as ``align_dev.coarsen`` scores it (which also scores the beads
    beside such a skip wrong, as one unit with it: here the skip is the error, they are not)."""
    exact = {(tuple(x), tuple(y)) for x, y in gold if x or y}
    owner = {(0, i): (tuple(x), tuple(y)) for x, y in gold for i in x} | {(1, j): (tuple(x), tuple(y)) for x, y in gold for j in y}
    inside: list = []  # the gold bead each bead lies inside, or None
    within: dict = {}  # gold bead -> the sentences of the beads lying inside it
    for src, tgt in beads:
        covering = {owner.get((0, i)) for i in src} | {owner.get((1, j)) for j in tgt}
        g = next(iter(covering)) if len(covering) == 1 and None not in covering else None
        inside.append(g)
        if g is not None:
            within.setdefault(g, (set(), set()))
            within[g][0].update(src)
            within[g][1].update(tgt)
    out = []
    for (src, tgt), g in zip(beads, inside):
        whole = coarse and g is not None and bool(src) and bool(tgt) and within[g] == (set(g[0]), set(g[1]))
        out.append(RIGHT if (tuple(src), tuple(tgt)) in exact or whole else INSIDE if g is not None else ACROSS)
    return out


def collect(
    store, docs, sl: str, tl: str, places=None, coarse: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, kinds (:data:`RIGHT`, :data:`INSIDE`, :data:`ACROSS`), posteriors and
    cross-validation folds of every bead of ``docs`` (the documents in turn, or a lone
    document in contiguous blocks; ``places``: each document's (piece, pieces) of the
    Text+Berg dev document, whose folds are then the dev document's contiguous blocks, so
    that no fold is scored on text it was fitted on); ``coarse``: see :func:`label`."""
    from tolmach.service.alignment import align_files

    feats, labels, post, fold, doc = [], [], [], [], []
    for k, d in enumerate(docs):
        r = align_files(store, d.src, d.tgt, sl, tl, use_mt=False)
        kinds = label(d.gold, [(b.src, b.tgt) for b in r.beads], coarse)
        for i, b in enumerate(r.beads):
            feats.append(b.features)
            labels.append(kinds[i])
            post.append(b.posterior)
            doc.append(k)
            if places is not None:
                p, n = places[k]
                fold.append(min(FOLDS - 1, int((p + i / len(r.beads)) / n * FOLDS)))
            else:
                fold.append(k % FOLDS if len(docs) > 1 else i * FOLDS // len(r.beads))
    return np.array(feats, dtype=np.float64), np.array(labels), np.array(post), np.array(fold), np.array(doc)


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


class Data:
    """The development sets' beads in one array, with what the protocol needs: labels,
    weights, the set (``groups``), the cross-validation fold and the corpus of each bead."""

    def __init__(self, sets: list[Set]) -> None:
        self.n_sets = len(sets)
        self.X = np.vstack([s[1] for s in sets])
        self.groups = np.concatenate([[k] * len(s[2]) for k, s in enumerate(sets)])
        self.folds = np.concatenate([s[4] for s in sets])
        self.kinds = np.concatenate([s[2] for s in sets])
        self.y = (self.kinds == RIGHT).astype(np.float64)
        self.w = weights(self.groups, self.kinds)
        self.families = [s[0].split()[0] for s in sets]
        self.family = np.array(self.families)[self.groups]


def judge(data: Data, use: list[int], penalty: float) -> tuple[float, list[float], list[float], np.ndarray]:
    """Cross-validated AUC per set, AUC of each set with the model fitted on the other
    corpus, their mean (a feature must help within a set and carry over to the other), and
    the cross-validated score of every bead.  A fold holds out the same quarter of the
    Text+Berg dev document in both the document and its synthetic pieces, and a quarter of
    the ru–en documents, whole."""
    X, y, w, groups = data.X, data.y, data.w, data.groups
    out = np.zeros(len(y))
    for f in range(FOLDS):
        test = data.folds == f
        out[test] = predict(fit(X[~test], y[~test], w[~test], penalty, use), X[test])
    cv = [fast_auc(out[groups == k], y[groups == k]) for k in range(data.n_sets)]
    across = []
    for k in range(data.n_sets) if len(set(data.families)) > 1 else []:
        other = data.family != data.families[k]  # fitted on the other corpus (the synthetic set is dev's text)
        m = fit(X[other], y[other], weights(groups[other], data.kinds[other]), penalty, use)
        across.append(fast_auc(predict(m, X[groups == k]), y[groups == k]))
    return float(np.mean(cv + across)), cv, across, out


def select(data: Data, offered: Sequence[str] = FEATURES) -> tuple[list[int], float]:
    """Forward selection from the posterior, then the penalty: a feature is admitted when it
    raises the mean of the cross-validated and across-set AUC by :data:`MIN_GAIN` and lowers
    no set's figure (within or across) by more than :data:`MAX_LOSS` (what helps one
    development set only is that set's peculiarity)."""
    use = [FEATURES.index("posterior")]
    best, cv, across, _ = judge(data, use, 10.0)
    print(f"\nforward selection (mean of cross-validated and across-set AUC), from the posterior: {best:.3f}")
    candidates = [FEATURES.index(f) for f in offered]
    while True:
        now = cv + across
        tried = {
            c: r for c in candidates if c not in use
            for r in [judge(data, use + [c], 10.0)] if min(np.subtract(r[1] + r[2], now)) > -MAX_LOSS
        }  # fmt: skip
        if not tried:
            break
        c = max(tried, key=lambda c: tried[c][0])
        if tried[c][0] < best + MIN_GAIN:
            break
        use.append(c)
        best, cv, across, _ = tried[c]
        print(f"  + {FEATURES[c]:18} {best:.3f}  cv " + " ".join(f"{a:.3f}" for a in cv) + "  across " + " ".join(f"{a:.3f}" for a in across))
    results = {p: judge(data, use, p)[0] for p in PENALTIES}
    penalty = max(PENALTIES, key=lambda p: results[p])
    print("penalty " + ", ".join(f"{p:g}: {results[p]:.3f}" for p in PENALTIES) + f"; kept {penalty:g}")
    return use, penalty


def flag_threshold(scores: list[np.ndarray], labels: list[np.ndarray]) -> float:
    """The flag threshold for its purpose (:data:`FLAG_PURPOSE`): among the thresholds at
    which the flag catches at least :data:`FLAG_RECALL` of the wrong beads (the mean over
    the sets), the one whose flagged beads are most often wrong (mean precision)."""
    grid = np.unique(np.concatenate(scores))
    best, best_p = float(grid[-1]), -1.0
    for t in grid:
        pr = [flag_f1(sc, ys, t)[:2] for sc, ys in zip(scores, labels)]
        if np.mean([r for _, r in pr]) >= FLAG_RECALL and np.mean([p for p, _ in pr]) > best_p:
            best, best_p = float(t), float(np.mean([p for p, _ in pr]))
    return best


#: One development set's beads: its name, features (rows of FEATURES), kinds, posteriors,
#: cross-validation folds and the document (in the set) of each bead, in document order
Set = tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def gather(seeds: str, cache: Path | None = None) -> list[Set]:
    """Align the development sets and collect their beads (``cache``: an ``.npz`` file the
    beads are read from if it exists and was written for the same features, and written to
    otherwise: trying models does not need the alignments again; delete it after changing
    the aligner)."""
    if cache is not None and cache.is_file():
        z = np.load(cache, allow_pickle=False)
        if list(z["features"]) == list(FEATURES) and str(z["seeds"]) == seeds:
            names = [str(x) for x in z["names"]]
            return [(n, *(z[f"{k}_{c}"] for c in ("X", "y", "post", "fold", "doc"))) for k, n in enumerate(names)]
    from tolmach.align import confidence

    # a model that weighs every feature, so the aligner computes them all (the features do
    # not depend on the model, and a stale model must not stop the fit)
    k = len(FEATURES)
    saved = confidence.MODEL
    confidence.MODEL = {"features": list(FEATURES), "mean": [0.0] * k, "scale": [1.0] * k, "coef": [1.0] * k, "intercept": 0.0}
    sets: list[Set] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = dev_store(Path(tmp) / "fit.db")  # with the bundled glossaries, as a user aligns
            for name, docs, sl, tl in dev_sets(dev2=True):
                sets.append((name, *collect(store, docs, sl, tl, coarse=name in COARSE)))
                if seeds and name.startswith("text-berg"):
                    from align_dev import synthetic

                    made = [(d, (p, k)) for seed in seeds.split(",") for k in (1, 2, 3)
                            for p, d in enumerate(synthetic(docs[0], k, int(seed), Path(tmp), sl, tl))]  # fmt: skip
                    sets.append((f"{name} synthetic", *collect(store, [d for d, _ in made], sl, tl, [q for _, q in made])))
    finally:
        confidence.MODEL = saved
    if cache is not None and sets:
        arrays = {f"{k}_{c}": a for k, st in enumerate(sets) for c, a in zip(("X", "y", "post", "fold", "doc"), st[1:])}
        np.savez(cache, features=np.array(FEATURES), seeds=np.array(seeds), names=np.array([st[0] for st in sets]), **arrays)
    return sets


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    ap.add_argument("--synthetic", default="1,2,3", help="a third set: align_dev.py's edited pieces of the Text+Berg dev document for these seeds ('': none)")
    ap.add_argument("--cache", default="", help="an .npz file to keep the aligned beads in between runs (delete it after changing the aligner)")
    ap.add_argument("--features", default="", help="fit these features (comma-separated) instead of selecting them; the penalty is still chosen")
    args = ap.parse_args()
    sets = gather(args.synthetic, Path(args.cache) if args.cache else None)
    if not sets:
        raise SystemExit("no development set found (shared/data/text-berg, benchmarks/data/ru-en)")
    from tolmach.align.dictionary import installed_dictionary

    for pair in (("de", "fr"), ("ru", "en")):
        print(f"installed dictionary {'-'.join(pair)} (used as `tolmach align` uses it): {installed_dictionary(*pair) or 'none'}")
    for name, _, ks, _, _, docs in sets:
        print(f"{name}: {len(np.unique(docs))} documents, {len(ks)} beads, {int((ks == INSIDE).sum())} wrong inside a gold "
              f"bead, {int((ks == ACROSS).sum())} across gold beads")  # fmt: skip
    data = Data(sets)
    if args.features:
        unknown = [f for f in args.features.split(",") if f not in FEATURES]
        if unknown:
            raise SystemExit(f"--features: {', '.join(unknown)} is not a feature of tolmach.align.confidence.FEATURES")
        use = [FEATURES.index(f) for f in args.features.split(",")]
        results = {p: judge(data, use, p)[0] for p in PENALTIES}
        penalty = max(PENALTIES, key=lambda p: results[p])
        print(f"\nthe features given: {args.features}; penalty " + ", ".join(f"{p:g}: {results[p]:.4f}" for p in PENALTIES) + f"; kept {penalty:g}")
    else:
        use, penalty = select(data)
    _, cv, across, oof = judge(data, use, penalty)
    model = fit(data.X, data.y, data.w, penalty, use)
    # the flag threshold, for its purpose, on the cross-validated scores of the real sets (the
    # synthetic set's edits make wrong beads far more common); the intercept is then shifted
    # so that it falls at AlignConfig.flag_below
    flag_below = AlignConfig().flag_below
    # (not on dev2's either: its per-bead labels are a convention of the coarse gold, not the
    # beads a reviewer is shown)
    real = [k for k, st in enumerate(sets) if not st[0].endswith("synthetic") and st[0] not in COARSE]
    chosen = flag_threshold([oof[data.groups == k] for k in real], [data.y[data.groups == k] for k in real])
    # the cross-validated score's threshold, carried to the model fitted on all beads (their
    # scores differ little): the same logit
    model["intercept"] += _logit(flag_below) - _logit(chosen)
    print(f"\nthe flag threshold (cross-validated scores of the real sets; {FLAG_PURPOSE}): {chosen:.3f}, moved to {flag_below}")
    print(f"\n{'set':24} {'posterior':>9} {'in-sample':>9} {'cv AUC':>7} {'across':>7} "
          f"{'flags P/R below ' + str(flag_below) + ', cv (in-sample)':>36}")  # fmt: skip
    for k, (name, Xs, ks, post, _, _) in enumerate(sets):
        ys = (ks == RIGHT).astype(np.float64)
        sc = predict(model, Xs)
        p, r, _ = flag_f1(sc, ys, flag_below)
        pc, rc, _ = flag_f1(oof[data.groups == k], ys, chosen)
        print(f"{name:24} {fast_auc(post, ys):9.3f} {fast_auc(sc, ys):9.3f} {cv[k]:7.3f} "
              f"{across[k] if across else float('nan'):7.3f} {pc:18.2f}/{rc:.2f} ({p:.2f}/{r:.2f})")  # fmt: skip
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
        "sets (the Text+Berg dev document and its synthetic pieces, the ru–en dev documents, the\n"
        "de–fr dev2 documents); do not edit by hand.\n\n"
        "score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))\n"
        '"""\n\n'
        "from typing import TypedDict\n\n\n"
        "class Model(TypedDict):\n"
        "    features: list[str]\n"
        "    mean: list[float]\n"
        "    scale: list[float]\n"
        "    coef: list[float]\n"
        "    intercept: float\n\n\n"
        "#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed\n"
        f"TABLE: list[tuple[str, float, float, float]] = [\n{rows}\n]\n"
        f"INTERCEPT = {model['intercept']:.6g}\n\n"
        "MODEL: Model = {\n"
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
