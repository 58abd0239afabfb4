"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document and its synthetic pieces, the ru–en dev documents, the
de–fr dev2 documents); do not edit by hand.

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
    ('posterior', 4.64287, 2.57137, 1.16549),
    ('nodes', 4.89816, 2.56867, 0),
    ('similarity', 0.409186, 0.217887, 0),
    ('weakest', 0.334786, 0.233238, 0),
    ('margin', 0.263822, 0.216832, 0),
    ('evidence', 2.33086, 1.05424, 0),
    ('length_z', 0.483332, 0.488735, 0),
    ('vs_skip', 0.621705, 0.225642, 0),
    ('cost_rank', 0.453857, 0.310733, 0),
    ('one_one', 0.594637, 0.490962, 0),
    ('skip', 0.0922863, 0.28943, 0),
    ('merge', 0.204597, 0.403407, 0),
    ('larger', 0.10848, 0.310986, 0),
    ('skip_neighbours', 0.18405, 0.518584, 0),
    ('merge_neighbours', 0.619885, 0.690122, 0),
    ('edge_skip', 0.0006965, 0.0263821, 0),
    ('weak_cuts', 0.658889, 0.875575, 0),
    ('unexplained', 0.0732929, 0.0601444, 0),
    ('join_margin', -0.705129, 1.02091, 0),
    ('split_margin', 8.22146, 2.77981, 0),
    ('near_posterior', 3.47168, 2.23955, 0),
    ('shortest', 4.19392, 0.897113, 0),
    ('numbers_elsewhere', 0.00796582, 0.0738785, 0),
    ('anchors_elsewhere', 0.0573566, 0.211178, -0.255879),
    ('letters', 0.898959, 0.144656, 0.463497),
    ('unexplained_gap', -0.261493, 0.247137, -0.932851),
    ('length_z_near', 0.838531, 0.591831, -0.491709),
    ('agreement', 0.8607, 0.288819, 0),
]
INTERCEPT = 2.93889

MODEL: Model = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
