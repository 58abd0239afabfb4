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
    ('posterior', 4.64244, 2.57015, 1.11509),
    ('nodes', 4.89786, 2.56799, 0),
    ('similarity', 0.408829, 0.217906, 0),
    ('weakest', 0.334347, 0.233202, 0),
    ('margin', 0.263435, 0.21694, 0),
    ('evidence', 2.32945, 1.05486, 0),
    ('length_z', 0.483072, 0.488011, 0),
    ('vs_skip', 0.621534, 0.225568, 0),
    ('cost_rank', 0.453857, 0.310733, 0),
    ('one_one', 0.594637, 0.490962, 0),
    ('skip', 0.0922863, 0.28943, 0),
    ('merge', 0.204597, 0.403407, 0),
    ('larger', 0.10848, 0.310986, 0),
    ('skip_neighbours', 0.18405, 0.518584, 0),
    ('merge_neighbours', 0.619885, 0.690122, 0),
    ('edge_skip', 0.0006965, 0.0263821, 0),
    ('weak_cuts', 0.658541, 0.875439, 0),
    ('unexplained', 0.0732676, 0.0602926, 0),
    ('join_margin', -0.703887, 1.02034, 0),
    ('split_margin', 8.22183, 2.77894, 0),
    ('near_posterior', 3.47276, 2.23948, 0),
    ('shortest', 4.19407, 0.897167, 0),
    ('numbers_elsewhere', 0.00796582, 0.0738785, 0),
    ('anchors_elsewhere', 0.057598, 0.211508, -0.259451),
    ('letters', 0.898961, 0.144657, 0.478934),
    ('unexplained_gap', -0.261079, 0.247337, -0.792198),
    ('length_z_near', 0.837497, 0.590747, -0.468265),
    ('agreement', 0.861309, 0.287981, 0),
]
INTERCEPT = 2.4819

MODEL: Model = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
