"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document and its synthetic pieces, the ru–en dev documents); do not
edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

from typing import TypedDict


class Model(TypedDict):
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float


#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.61789, 2.68016, 1.17428),
    ('nodes', 4.82461, 2.6943, 0),
    ('similarity', 0.396139, 0.225117, 0),
    ('weakest', 0.317879, 0.235346, 0),
    ('margin', 0.267657, 0.224447, 0),
    ('evidence', 2.17445, 1.09324, 0),
    ('length_z', 0.498539, 0.498184, -0.441065),
    ('vs_skip', 0.608313, 0.241368, 0),
    ('cost_rank', 0.443157, 0.31468, 0),
    ('one_one', 0.563355, 0.49597, 0),
    ('skip', 0.113687, 0.31743, 0),
    ('merge', 0.222517, 0.415936, 0),
    ('larger', 0.100442, 0.300588, 0),
    ('skip_neighbours', 0.226932, 0.571724, 0),
    ('merge_neighbours', 0.64106, 0.696627, 0),
    ('edge_skip', 0.000662252, 0.0257257, 0),
    ('weak_cuts', 0.65872, 0.942307, 0),
    ('unexplained', 0.0716465, 0.0659598, 0),
    ('join_margin', -0.689965, 1.07302, 0),
    ('split_margin', 8.2243, 2.71341, 0),
    ('near_posterior', 3.39784, 2.32504, 0),
    ('shortest', 4.13073, 0.951704, 0),
    ('numbers_elsewhere', 0.030822, 0.150893, 0),
    ('anchors_elsewhere', 0.114327, 0.306484, -0.857818),
    ('letters', 0.889394, 0.160841, 0.734838),
    ('unexplained_gap', -0.246233, 0.249289, -0.943507),
    ('agreement', 0.861921, 0.281074, 0),
]
INTERCEPT = 2.94779

MODEL: Model = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
