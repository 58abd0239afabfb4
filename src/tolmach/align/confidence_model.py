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
    ('posterior', 4.62522, 2.68008, 1.20837),
    ('nodes', 4.83193, 2.69403, 0),
    ('similarity', 0.397381, 0.224378, 0),
    ('weakest', 0.31878, 0.235125, 0),
    ('margin', 0.268944, 0.223703, 0),
    ('evidence', 2.18272, 1.08811, 0),
    ('length_z', 0.509963, 0.531072, -0.382386),
    ('vs_skip', 0.609284, 0.240083, 0),
    ('cost_rank', 0.444531, 0.314197, 0),
    ('one_one', 0.565102, 0.495744, 0),
    ('skip', 0.110939, 0.314056, 0),
    ('merge', 0.220106, 0.414318, 0),
    ('larger', 0.103853, 0.30507, 0),
    ('skip_neighbours', 0.221435, 0.5687, 0),
    ('merge_neighbours', 0.643047, 0.696154, 0),
    ('edge_skip', 0.000664305, 0.0257655, 0),
    ('weak_cuts', 0.654562, 0.943149, 0),
    ('unexplained', 0.071308, 0.0657775, 0),
    ('join_margin', -0.712679, 1.10916, 0),
    ('split_margin', 8.20146, 2.76136, 0),
    ('near_posterior', 3.40165, 2.32653, 0),
    ('shortest', 4.12897, 0.951948, 0),
    ('numbers_elsewhere', 0.0309176, 0.151117, 0),
    ('anchors_elsewhere', 0.111612, 0.304549, -0.851186),
    ('letters', 0.889048, 0.160971, 0.73055),
    ('unexplained_gap', -0.247472, 0.248725, -0.860032),
    ('agreement', 0.860496, 0.282581, 0),
]
INTERCEPT = 2.80622

MODEL: Model = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
