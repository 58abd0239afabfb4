"""The bead score: how likely a bead is right, from what the aligner knows about it.

The DP's posterior alone saturates: a bead the search had no close rival for scores ~1
even when it is wrong (a merge that should have been a skip, a gold 2:2 split into two
plausible 1:1s).  The score combines it with evidence the DP does not weigh as such, in
a small logistic model (:data:`tolmach.align.confidence_model.TABLE`) fitted on the
development sets only by ``benchmarks/align_fit_confidence.py``, which chooses among:

* the bead's posterior and that of the nodes it starts and ends at (``-log(1 - p)``);
* the similarity of its two runs, the weakest member of a merged run (its similarity to
  the other run), the **margin** over the nearest rival (the runs against the sentences
  just outside the bead), the concepts such a neighbour shares that the bead leaves
  unexplained, and how many concepts the runs share;
* the **unexplained gap**: those concepts a neighbour shares (their similarity) less the
  weakest member's similarity to the other run (for a 1:1 bead, the runs' own): a
  sentence beside the bead explains part of it better than the bead explains its weakest
  sentence (half of a gold 2:2 cut in two, a skipped sentence its neighbour translates);
* the margin to the nearest local alternatives, shape priors aside: the bead joined with
  a neighbour, and a merged bead without its first or last sentence (left unaligned);
* the length z-score (Gale–Church), and the largest of it and the two neighbouring
  beads' (a neighbour whose lengths do not fit has often taken a sentence of this bead),
  the bead's cost per sentence against the skip level and its rank among the document's beads;
* the numbers and cognates of either run that the other run lacks and a sentence just
  outside it has (the neighbour translates part of this bead), and the numbers alone;
  the lower posterior of the two neighbouring beads; the bead's shortest sentence; the
  least share of letters in its sentences (OCR debris, reference lists, tables);
* the shape, and whether its neighbours are skips or merges; whether a skip lies where
  the other text has not started or has ended (a partial translation); doubtful
  sentence cuts at the bead's ends; whether the earlier passes found the bead too.

Only the features with a non-zero coefficient are computed.  The fit moves the threshold
that catches half of the development sets' wrong beads at the best precision (on
cross-validated scores) to ``AlignConfig.flag_below`` (0.5): below it a bead is flagged
for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np

from tolmach.align.confidence_model import MODEL

if TYPE_CHECKING:
    from tolmach.align.aligner import AlignConfig, _Rows, _Side

_T = TypeVar("_T")

#: The features :func:`bead_features` computes from one alignment of a text.
TEXT_FEATURES: tuple[str, ...] = (
    "posterior", "nodes", "similarity", "weakest", "margin", "evidence", "length_z",
    "vs_skip", "cost_rank", "one_one", "skip", "merge", "larger", "skip_neighbours",
    "merge_neighbours", "edge_skip", "weak_cuts", "unexplained", "join_margin", "split_margin",
    "near_posterior", "shortest", "numbers_elsewhere", "anchors_elsewhere", "letters",
    "unexplained_gap", "length_z_near",
)  # fmt: skip
#: The features of the model, in the order of its coefficients: then ``agreement``, the
#: share of the aligner's earlier passes (before the lexicon was learned) that found the bead too.
FEATURES: tuple[str, ...] = (*TEXT_FEATURES, "agreement")

#: A sentence that ends without a full stop (or with a one- or two-letter abbreviation:
#: "Ch .", "J ."), or a sentence that starts in lower case: the sentence splitter may have
#: cut there, and a translator's sentence often spans the cut.
_FULL_STOP = re.compile(r"[.!?…»\"'”)\]]\s*$")
_ABBREVIATION = re.compile(r"(^|[\s(.\-])\w{1,2}\s?\.\s*$")


def weak_cuts(sentences: Sequence[str]) -> np.ndarray:
    """For every node k (0..n): is the cut between sentences k-1 and k doubtful?"""
    out = np.zeros(len(sentences) + 1, dtype=bool)
    for k in range(1, len(sentences)):
        before, after = sentences[k - 1].strip(), sentences[k].strip()
        out[k] = not _FULL_STOP.search(before) or bool(_ABBREVIATION.search(before)) or after[:1].islower()
    return out


def continued_cuts(sentences: Sequence[str]) -> np.ndarray:
    """For every node k (0..n): does sentence k continue sentence k-1, the sentence splitter
    having cut inside a sentence?  So when k-1 ends without a full stop and a bracket opened
    in it or before it is still open (« … ( Zürich : » | « Orell Füssli 1956 ) vorliegt … »),
    or k starts in lower case after a k-1 that ends without any mark of a clause's end (a
    lower-case start after « ; » or « : » is a clause of its own, often translated alone)."""
    out = np.zeros(len(sentences) + 1, dtype=bool)
    depth = 0  # brackets open since the last full stop
    prev = ""
    for k, line in enumerate(sentences):
        text = line.strip()
        if k and not _FULL_STOP.search(prev):
            out[k] = depth > 0 or (text[:1].islower() and (prev[-1:].isalnum() or prev.endswith(",")))
        opened = text.count("(") + text.count("[") - text.count(")") - text.count("]")
        depth = 0 if _FULL_STOP.search(text) else max(0, depth + opened)
        prev = text
    return out


_LETTER: np.ndarray | None = None  # is each code point of the Basic Multilingual Plane a letter?


def letter_share(sentences: Sequence[str]) -> np.ndarray:
    """For every sentence: the share of letters (``str.isalpha``) among its characters other
    than spaces (OCR debris, reference lists, numbers and tables are low; a sentence
    without any: 1), on the code points of all sentences at once (half the CPU of a loop)."""
    global _LETTER
    if _LETTER is None:
        _LETTER = np.array([chr(c).isalpha() for c in range(0x10000)], dtype=bool)
    if not sentences:
        return np.ones(0)
    cp = np.frombuffer("\n".join(sentences).encode("utf-32-le"), dtype=np.uint32)
    cut = cp == 10
    owner = np.cumsum(cut) - cut  # the sentence of each code point (a sentence has no newline)
    letter = _LETTER[np.minimum(cp, 0xFFFF)] & (cp < 0x10000)
    chars = np.bincount(owner, weights=~cut & (cp != 32), minlength=len(sentences))
    have = np.bincount(owner, weights=letter, minlength=len(sentences))
    return np.where(chars > 0, have / np.maximum(chars, 1), 1.0)


_EPS = 1e-4


def _surprise(p: np.ndarray) -> np.ndarray:
    """-log(1 - p), clipped: a posterior's distance from certainty (0 .. 9.2)."""
    return -np.log(np.clip(1.0 - p, _EPS, 1.0))


#: Beads whose products are taken at once (bounds the temporaries: rows × vector width)
CHUNK = 2048


@overload
def _run_sums(vec: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray: ...
@overload
def _run_sums(vec: _Rows, starts: np.ndarray, ends: np.ndarray) -> _Rows: ...
@overload
def _run_sums(vec: np.ndarray | _Rows, starts: np.ndarray, ends: np.ndarray) -> np.ndarray | _Rows: ...
def _run_sums(vec: np.ndarray | _Rows, starts: np.ndarray, ends: np.ndarray) -> np.ndarray | _Rows:
    """The summed rows ``vec[s:e]`` of each run (empty runs: zero), in float32; the runs
    are in order and tile the side (as beads do).  A matrix kept sparse is made dense
    ``CHUNK`` runs at a time (the same rows, summed alike), and so are the sums."""
    if not isinstance(vec, np.ndarray):
        from tolmach.align.aligner import _Rows

        parts = []
        for c in range(0, len(starts), CHUNK):
            lo, hi = int(starts[c]), int(ends[min(len(ends), c + CHUNK) - 1])
            dense = _run_sums(vec.dense(lo, min(hi, vec.shape[0])), starts[c : c + CHUNK] - lo, ends[c : c + CHUNK] - lo)
            parts.append(_Rows.of(dense))
        return _Rows.concat(parts, vec.shape[1])
    full = ends > starts
    if not (full.any() and vec.shape[0]):
        return np.zeros((len(starts), vec.shape[1]), dtype=np.float32)
    # every run that starts inside the side in one reduceat (an empty one gets the row it
    # starts at, zeroed after); runs starting at the end are empty and trail the others
    inside = int(np.searchsorted(starts, vec.shape[0]))
    out = np.add.reduceat(vec, starts[:inside], axis=0).astype(np.float32, copy=False)
    if inside < len(starts):
        out = np.concatenate([out, np.zeros((len(starts) - inside, vec.shape[1]), dtype=np.float32)])
    out[~full] = 0.0
    return out


def _rowdot(
    X: np.ndarray | _Rows, xi: np.ndarray | None, Y: np.ndarray | _Rows, yi: np.ndarray | None,
    unmasked: np.ndarray | _Rows | None = None,
) -> np.ndarray:  # fmt: skip
    """``X[xi[r]] · Y[yi[r]]`` for every r (an index outside its array gives 0; ``None``:
    the rows in order), a chunk at a time; ``unmasked``: only the columns where this
    array's row ``xi[r]`` is zero count."""
    k = len(xi) if xi is not None else len(yi) if yi is not None else X.shape[0]
    out = np.zeros(k, dtype=np.float64)
    for c in range(0, k, CHUNK):
        x, y = _chunk_rows(X, xi, c), _chunk_rows(Y, yi, c)
        if unmasked is not None:
            x = x * (_chunk_rows(unmasked, xi, c) == 0)
        out[c : c + CHUNK] = np.einsum("ij,ij->i", x, y)
    return out


def _chunk_rows(M: np.ndarray | _Rows, idx: np.ndarray | None, c: int) -> np.ndarray:
    """The rows ``M[idx[r]]`` for r in the chunk from ``c`` (an index outside ``M``: a row
    of 0; ``None``: the rows in order), dense."""
    if idx is None:
        return M[c : c + CHUNK] if isinstance(M, np.ndarray) else M.dense(c, min(M.shape[0], c + CHUNK))
    i = idx[c : c + CHUNK]
    ok = (i >= 0) & (i < M.shape[0])
    rows = M[np.where(ok, i, 0)]
    rows[~ok] = 0.0
    return rows


def bead_features(
    src: _Side,
    tgt: _Side,
    ranges: np.ndarray,
    posterior: np.ndarray,
    node: np.ndarray,
    cfg: AlignConfig,
    ratio: float,
    level: float,
    weak: tuple[np.ndarray, np.ndarray] | None = None,
    names: Sequence[str] = TEXT_FEATURES,
    anchors: tuple[Sequence[tuple[np.ndarray, np.ndarray]], np.ndarray] | None = None,
    letters: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """The features ``names`` (of :data:`TEXT_FEATURES`; the others are left 0) of every
    bead, one row per bead in the order of :data:`TEXT_FEATURES`; ``ranges`` ``(k, 4)``: the
    beads of a whole text in order (``src_start, src_end, tgt_start, tgt_end``), tiling
    both sides; ``posterior`` / ``node``: the bead's and its end node's posterior;
    ``weak``: the :func:`weak_cuts` of both sides; ``anchors``: each side's anchor concepts
    (numbers, cognates) as (sentence, concept id) arrays, each pair once, and whether each
    concept id is a number (``_Concepts.anchors`` of the aligner); ``letters``: the
    :func:`letter_share` of both sides' sentences.  Only what the asked
    features need is computed, with temporaries of a few thousand beads at a time."""
    from tolmach.align.aligner import _dense, _gale_church, _lag_dots, _similarity

    k = len(ranges)
    out = np.zeros((k, len(TEXT_FEATURES)), dtype=np.float64)
    if k == 0:
        return out
    s0, s1, t0, t1 = (ranges[:, c].astype(np.int64) for c in range(4))
    a, b = s1 - s0, t1 - t0
    n, m = src.size, tgt.size
    both = (a > 0) & (b > 0)
    skip = ~both
    sv, tv = src.vec, tgt.vec
    ns, nt = (_lag_dots(v, [0])[0].astype(np.float64) for v in (sv, tv))
    memo: dict[str, Any] = {}  # an array, or a pair of them

    def once(name: str, make: Callable[[], _T]) -> _T:
        if name not in memo:
            memo[name] = make()
        made: _T = memo[name]
        return made

    def runs() -> tuple[np.ndarray | _Rows, np.ndarray | _Rows]:  # sparse when the side's vectors are
        return once("A", lambda: _run_sums(sv, s0, s1)), once("B", lambda: _run_sums(tv, t0, t1))

    def norms() -> tuple[np.ndarray, np.ndarray]:
        A, B = runs()
        return (once("na", lambda: _lag_dots(A, [0])[0].astype(np.float64)),
                once("nb", lambda: _lag_dots(B, [0])[0].astype(np.float64)))  # fmt: skip

    def simil(dot: np.ndarray, n1: np.ndarray, n2: np.ndarray, a1: np.ndarray | int, b1: np.ndarray | int) -> np.ndarray:
        return np.asarray(_similarity(dot, n1, n2, np.maximum(a1, 1), np.maximum(b1, 1), cfg), dtype=np.float64)

    def sim() -> np.ndarray:
        def make() -> np.ndarray:
            A, B = runs()
            na, nb = norms()
            return np.where(both, simil(_rowdot(A, None, B, None), na, nb, a, b), 0.0)

        return once("sim", make)

    def lengths() -> tuple[np.ndarray, np.ndarray]:
        def make(length: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
            c = np.concatenate([[0.0], np.cumsum(length, dtype=np.float64)])
            run: np.ndarray = c[hi] - c[lo]
            return run

        return once("la", lambda: make(src.length, s0, s1)), once("lb", lambda: make(tgt.length, t0, t1))

    def gc() -> np.ndarray:
        la, lb = lengths()
        return once("gc", lambda: np.where(both, _gale_church(la, lb, ratio, cfg.length_variance), 0.0))

    def plain() -> np.ndarray:
        return once("plain", lambda: _costs(cfg, a, b, sim(), gc(), level, prior=False))

    def cost() -> np.ndarray:
        return once("cost", lambda: _costs(cfg, a, b, sim(), gc(), level, prior=True))

    def rival(masked: bool) -> np.ndarray:
        """The best similarity of a run to a sentence just outside the other run (``masked``:
        counting only concepts the other run lacks)."""
        A, B = runs()
        na, nb = norms()
        best = np.zeros(k)
        for run, nrun, size, other, vec, nv, idx in (
            (A, na, a, B, tv, nt, t0 - 1), (A, na, a, B, tv, nt, t1),
            (B, nb, b, A, sv, ns, s0 - 1), (B, nb, b, A, sv, ns, s1),
        ):  # fmt: skip
            ok = (size > 0) & (idx >= 0) & (idx < vec.shape[0])
            dot = _rowdot(run, np.arange(k), vec, idx, other if masked else None)
            nrow = np.where(ok, nv[np.clip(idx, 0, max(0, vec.shape[0] - 1))] if vec.shape[0] else 0.0, 0.0)
            best = np.maximum(best, np.where(ok, simil(dot, nrun, nrow, size, 1), 0.0))
        return best

    def weakest() -> np.ndarray:
        A, B = runs()
        na, nb = norms()
        low: np.ndarray = sim().copy()
        for vec, nv, run, nrun, own, osize in ((sv, ns, B, nb, a, b), (tv, nt, A, na, b, a)):
            bead_of = np.repeat(np.arange(k), own)  # the bead each sentence of this side is in
            if not len(bead_of):
                continue
            ms = simil(_rowdot(vec, None, run, bead_of), nv, nrun[bead_of], 1, osize[bead_of])
            least = np.full(k, np.inf)
            np.minimum.at(least, bead_of, ms)
            low = np.where(both & (own > 1), np.minimum(low, least), low)
        return low

    def join() -> np.ndarray:
        """The margin to the nearest local alternative, priors aside: the bead joined with
        a neighbour (a gold 2:2 the DP split into two 1:1s costs little more than the two)."""
        A, B = runs()
        na, nb = norms()
        la, lb = lengths()
        i, j = np.arange(k - 1), np.arange(1, k)
        ua, ub = a[:-1] + a[1:], b[:-1] + b[1:]
        nu = na[:-1] + na[1:] + 2 * _rowdot(A, i, A, j)
        nv = nb[:-1] + nb[1:] + 2 * _rowdot(B, i, B, j)
        dot = _rowdot(A, i, B, i) + _rowdot(A, i, B, j) + _rowdot(A, j, B, i) + _rowdot(A, j, B, j)
        joint = (ua > 0) & (ub > 0)
        usim = np.where(joint, simil(dot, nu, nv, ua, ub), 0.0)
        ugc = np.where(joint, _gale_church(la[:-1] + la[1:], lb[:-1] + lb[1:], ratio, cfg.length_variance), 0.0)
        step = _costs(cfg, ua, ub, usim, ugc, level, prior=False) - plain()[:-1] - plain()[1:]
        out = np.full(k, 10.0)
        out[:-1] = step
        out[1:] = np.minimum(out[1:], step)
        return out

    def split() -> np.ndarray:
        """For a merged run: the bead without its first or last sentence, left unaligned."""
        A, B = runs()
        na, nb = norms()
        la, lb = lengths()
        ab = _rowdot(A, None, B, None)
        out = np.full(k, 10.0)
        beads = np.arange(k)
        for run, nrun, other, size, osize, vec, nv, lens, first, last, is_src in (
            (A, na, B, a, b, sv, ns, src.length, s0, s1 - 1, True),
            (B, nb, A, b, a, tv, nt, tgt.length, t0, t1 - 1, False),
        ):
            for member in (first, last):
                ok = both & (size > 1)
                if not ok.any():
                    continue
                idx = np.where(ok, member, -1)
                rdot = ab - _rowdot(vec, idx, other, beads)
                nrest = nrun - 2 * _rowdot(vec, idx, run, beads) + np.where(ok, nv[np.clip(idx, 0, None)], 0.0)
                rsim = simil(rdot, nrest, nb if is_src else na, size - 1, osize)
                cut = np.where(ok, lens[np.clip(idx, 0, None)], 0.0)
                ra, rb = (size - 1, osize) if is_src else (osize, size - 1)
                rgc = _gale_church(la - cut, lb, ratio, cfg.length_variance) if is_src else _gale_church(la, lb - cut, ratio, cfg.length_variance)
                alt = _costs(cfg, np.where(ok, ra, 1), np.where(ok, rb, 1), rsim, rgc, level, prior=False) + level
                out = np.where(ok, np.minimum(out, alt - plain()), out)
        return out

    def evidence() -> np.ndarray:
        A, B = runs()
        shared = np.zeros(k)
        for c in range(0, k, CHUNK):
            shared[c : c + CHUNK] = ((_dense(A, c, c + CHUNK) != 0) & (_dense(B, c, c + CHUNK) != 0)).sum(axis=1)
        return np.log1p(np.where(both, shared, 0))

    def rank() -> np.ndarray:
        per = cost() / (a + b)
        out = np.zeros(k)
        if both.any():
            order = np.argsort(np.argsort(per[both]))
            out[both] = (order + 0.5) / both.sum()
        return out

    def neighbours(flag: np.ndarray) -> np.ndarray:
        both_sides: np.ndarray = np.concatenate([[0.0], flag[:-1]]) + np.concatenate([flag[1:], [0.0]])
        return both_sides

    def cuts() -> np.ndarray:
        ws, wt = weak if weak is not None else (np.zeros(n + 1, dtype=bool), np.zeros(m + 1, dtype=bool))
        return np.where(a > 0, ws[s0].astype(float) + ws[s1], 0.0) + np.where(b > 0, wt[t0].astype(float) + wt[t1], 0.0)

    def near(x: np.ndarray, edge: float) -> np.ndarray:
        """The lower of the two neighbours' values (the text's ends: ``edge``)."""
        lower: np.ndarray = np.minimum(np.concatenate([[edge], x[:-1]]), np.concatenate([x[1:], [edge]]))
        return lower

    def shortest() -> np.ndarray:
        """log of the bead's shortest sentence, in characters (the beads tile both sides)."""
        low = np.full(k, np.inf)
        for length, size in ((src.length, a), (tgt.length, b)):
            owner = np.repeat(np.arange(k), size)
            if len(owner):
                np.minimum.at(low, owner, length.astype(np.float64))
        logs: np.ndarray = np.log(np.maximum(low, 1.0))
        return logs

    def least_letters() -> np.ndarray:
        """The least :func:`letter_share` of the bead's sentences, both runs (a skip: 1: an
        omitted line of debris is what a skip is for)."""
        low = np.ones(k)
        for share, size in zip(letters if letters is not None else (np.ones(n), np.ones(m)), (a, b)):
            owner = np.repeat(np.arange(k), size)
            if len(owner):
                np.minimum.at(low, owner, share)
        return np.where(both, low, 1.0)

    def elsewhere() -> tuple[np.ndarray, np.ndarray]:
        """The anchor concepts (numbers, cognates) of either run that the other run lacks
        and a sentence just outside that other run has (log1p of their count), all and
        numbers only: the neighbour translates part of this bead (a gold 2:2 cut in two,
        a sentence glued to the wrong bead).  For a skip, whose other run is empty, only
        the neighbour's concepts its own bead leaves unmatched count (an omitted
        reference beside a dated sentence is not misplaced).  On integer keys
        (bead or sentence × concept), sorted, not on sets of strings."""

        def make() -> tuple[np.ndarray, np.ndarray]:
            if anchors is None:
                return np.zeros(k), np.zeros(k)
            pairs, numeric = anchors
            K = len(numeric)
            owner = [np.repeat(np.arange(k), a), np.repeat(np.arange(k), b)]  # the bead of each sentence
            sent = [_sorted_set(x[0] * K + x[1]) for x in pairs]  # (sentence, concept) keys, sorted
            run = [_sorted_set(owner[d][pairs[d][0]] * K + pairs[d][1]) for d in (0, 1)]  # (bead, concept)
            every, numbers = np.zeros(k), np.zeros(k)
            for d, near_lo, near_hi in ((0, t0 - 1, t1), (1, s0 - 1, s1)):
                o = 1 - d  # the other side, whose neighbouring sentences are looked at
                lack = run[d][~_member(run[d], run[o])]  # this run's concepts the other run lacks
                r, c = lack // K, lack % K
                hit = np.zeros(len(lack), dtype=bool)
                for idx in (near_lo[r], near_hi[r]):
                    ok = (idx >= 0) & (idx < len(owner[o]))
                    idx = np.where(ok, idx, 0)
                    has = ok & _member(idx * K + c, sent[o])
                    if len(owner[o]):  # a skip's neighbour: only what its own bead leaves unmatched
                        strict = skip[r] & _member(owner[o][idx] * K + c, run[d])
                        has &= ~strict
                    hit |= has
                every += np.bincount(r[hit], minlength=k)
                numbers += np.bincount(r[hit & numeric[c]], minlength=k)
            return np.log1p(every), np.log1p(numbers)

        return once("elsewhere", make)

    def gap() -> np.ndarray:
        """What a sentence just outside the bead explains of one of its runs that the other
        run does not (:func:`rival`, masked), less the weakest member's similarity to the
        other run (a 1:1 bead: the runs' own; a skip: none)."""
        diff: np.ndarray = rival(True) - weakest()
        return diff

    def length_z_near() -> np.ndarray:
        """The largest length z-score of the bead and its two neighbours: a bead beside one
        whose lengths do not fit has often lost a sentence to it or taken one from it
        (errors come in runs; a skip's is 0)."""
        z = np.sqrt(2.0 * gc())
        most: np.ndarray = np.maximum(z, -near(-z, 0.0))
        return most

    merge = both & (a + b == 3)
    larger = both & (a + b > 3)
    make = {
        "posterior": lambda: _surprise(posterior),
        "nodes": lambda: _surprise(np.minimum(np.concatenate([[1.0], node[:-1]]), node)),
        "similarity": sim,
        "weakest": weakest,
        "margin": lambda: np.where(both, sim(), 0.0) - rival(False),
        "evidence": evidence,
        "length_z": lambda: np.sqrt(2.0 * gc()),
        "vs_skip": lambda: np.where(both, (level * (a + b) - cost()) / (a + b) / max(level, 1e-6), 0.0),
        "cost_rank": rank,
        "one_one": lambda: (a == 1) & (b == 1),
        "skip": lambda: skip,
        "merge": lambda: merge,
        "larger": lambda: larger,
        "skip_neighbours": lambda: neighbours(skip.astype(float)),
        "merge_neighbours": lambda: neighbours((merge | larger).astype(float)),
        "edge_skip": lambda: skip & np.where(a > 0, (t0 == 0) | (t0 == m), (s0 == 0) | (s0 == n)),
        "weak_cuts": cuts,
        "unexplained": lambda: rival(True),
        "join_margin": lambda: np.clip(join(), -10.0, 10.0) if k > 1 else np.full(k, 10.0),
        "split_margin": lambda: np.clip(split(), -10.0, 10.0),
        "near_posterior": lambda: near(_surprise(posterior), _surprise(np.ones(1))[0]),
        "shortest": shortest,
        "numbers_elsewhere": lambda: elsewhere()[1],
        "anchors_elsewhere": lambda: elsewhere()[0],
        "letters": least_letters,
        "unexplained_gap": gap,
        "length_z_near": length_z_near,
    }
    for name in names:
        out[:, TEXT_FEATURES.index(name)] = make[name]()
    return out


def _sorted_set(keys: np.ndarray) -> np.ndarray:
    """The distinct keys, sorted (numpy 2's ``np.unique`` hashes first: ~8x slower here)."""
    x = np.sort(keys)
    return x[np.concatenate([[True], x[1:] != x[:-1]])] if len(x) else x


def _member(keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Is each key in ``table`` (sorted)?"""
    if not len(table):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    found: np.ndarray = table[at] == keys
    return found


def _costs(cfg: AlignConfig, a: np.ndarray, b: np.ndarray, sim: np.ndarray, gc: np.ndarray, level: float, prior: bool) -> np.ndarray:
    """:func:`.aligner.bead_cost` of beads of any shapes (with or without the shape prior);
    a skip costs the skip level a sentence."""
    from tolmach.align.aligner import bead_cost

    cost: np.ndarray = level * (a + b).astype(np.float64)
    both = (a > 0) & (b > 0)
    for x, y in {(int(x), int(y)) for x, y in zip(a[both], b[both])}:
        idx = both & (a == x) & (b == y)
        cost[idx] = bead_cost(cfg, x, y, sim[idx], gc[idx]) - (0.0 if prior else cfg.shape_cost.get((x, y), 3.0))
    return cost


def used() -> list[str]:
    """The features of :data:`TEXT_FEATURES` the model weighs (the others need not be computed)."""
    return [f for f, c in zip(MODEL["features"], MODEL["coef"]) if c and f in TEXT_FEATURES]


def bead_scores(features: np.ndarray) -> np.ndarray:
    """The score of each bead, from its row of :data:`FEATURES`."""
    if MODEL["features"] != list(FEATURES):
        raise RuntimeError("the bead-score model was fitted on other features: run benchmarks/align_fit_confidence.py")
    mean, scale = np.asarray(MODEL["mean"]), np.asarray(MODEL["scale"])
    z = (features - mean) / scale @ np.asarray(MODEL["coef"]) + float(MODEL["intercept"])
    scores: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return scores
