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
    ('posterior', 4.68095, 2.67676, 1.14907),
    ('nodes', 4.93758, 2.66349, 0),
    ('similarity', 0.399356, 0.226168, 0),
    ('weakest', 0.314834, 0.235843, 0),
    ('margin', 0.275889, 0.224691, 0),
    ('evidence', 2.21133, 1.09793, 0),
    ('length_z', 0.490439, 0.512802, -0.411154),
    ('vs_skip', 0.607795, 0.242416, 0),
    ('cost_rank', 0.442847, 0.314786, 0),
    ('one_one', 0.548939, 0.497599, 0),
    ('skip', 0.114305, 0.318182, 0),
    ('merge', 0.209446, 0.406913, 0),
    ('larger', 0.12731, 0.33332, 0),
    ('skip_neighbours', 0.228154, 0.575935, 0),
    ('merge_neighbours', 0.668492, 0.706755, 0),
    ('edge_skip', 0.000684463, 0.0261533, 0),
    ('weak_cuts', 0.616929, 0.916777, 0),
    ('unexplained', 0.065044, 0.0585149, 0),
    ('join_margin', -0.66869, 1.10213, 0),
    ('split_margin', 8.12189, 2.80491, 0),
    ('near_posterior', 3.46544, 2.33467, 0),
    ('shortest', 4.12538, 0.955112, 0),
    ('numbers_elsewhere', 0.0104375, 0.0844145, 0),
    ('anchors_elsewhere', 0.066429, 0.228212, -0.259729),
    ('letters', 0.889219, 0.1631, 0.505293),
    ('unexplained_gap', -0.24979, 0.249031, -0.952947),
    ('length_z_near', 0, 1, 0),
    ('agreement', 0.849646, 0.299409, 0),
]
INTERCEPT = 2.51517

MODEL: Model = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
