"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.50955, 2.43454, 0.565099),
    ('nodes', 4.72598, 2.46712, 0),
    ('similarity', 0.431147, 0.238763, 0),
    ('weakest', 0.38193, 0.254957, 0),
    ('margin', 0.267632, 0.236507, 0),
    ('evidence', 2.0159, 1.01716, 0),
    ('length_z', 0.477244, 0.452243, 0),
    ('vs_skip', 0.651152, 0.218008, 0),
    ('cost_rank', 0.462425, 0.307141, 0),
    ('one_one', 0.721443, 0.448289, 0),
    ('skip', 0.0751503, 0.263634, 0),
    ('merge', 0.155311, 0.362201, 0),
    ('larger', 0.0480962, 0.21397, 0),
    ('skip_neighbours', 0.148297, 0.443221, 0),
    ('merge_neighbours', 0.401804, 0.600498, 0),
    ('edge_skip', 0.00300601, 0.0547446, 0),
    ('weak_cuts', 0.488978, 0.823854, 0),
    ('unexplained', 0.0767278, 0.0683171, 0),
    ('join_margin', -0.648821, 1.15965, 0),
    ('split_margin', 8.90066, 2.30609, 0.442922),
    ('near_posterior', 3.40927, 2.16379, 0.346917),
    ('shortest', 4.32412, 0.845957, 0),
    ('numbers_elsewhere', 0.014297, 0.100756, 0),
    ('anchors_elsewhere', 0.0762426, 0.246747, -0.699422),
    ('agreement', 0.906814, 0.238637, 0),
]
INTERCEPT = 1.91152

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
