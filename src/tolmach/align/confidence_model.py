"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document and its synthetic pieces, the ru–en dev documents); do not
edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.36227, 2.74616, 1.02175),
    ('nodes', 4.55559, 2.76576, 0),
    ('similarity', 0.40594, 0.244157, 0),
    ('weakest', 0.322829, 0.255734, 0.738495),
    ('margin', 0.257624, 0.243255, 0),
    ('evidence', 2.01297, 1.05562, 0),
    ('length_z', 0.49774, 0.495167, -0.395249),
    ('vs_skip', 0.61048, 0.247034, 0),
    ('cost_rank', 0.442835, 0.314792, 0),
    ('one_one', 0.559929, 0.496395, 0),
    ('skip', 0.11433, 0.318212, 0),
    ('merge', 0.22291, 0.416199, 0),
    ('larger', 0.102831, 0.303738, 0),
    ('skip_neighbours', 0.228218, 0.571024, 0),
    ('merge_neighbours', 0.646838, 0.7024, 0),
    ('edge_skip', 0.000663423, 0.0257485, 0),
    ('weak_cuts', 0.659, 0.939122, 0),
    ('unexplained', 0.0821211, 0.0701017, 0),
    ('join_margin', -0.782849, 1.12142, 0),
    ('split_margin', 8.1952, 2.74178, 0),
    ('near_posterior', 3.14147, 2.35097, 0.809551),
    ('shortest', 4.13016, 0.953952, 0),
    ('numbers_elsewhere', 0.032985, 0.156978, 0),
    ('anchors_elsewhere', 0.115183, 0.3077, -1.01378),
    ('letters', 0.889834, 0.159787, 0.706836),
    ('agreement', 0.869748, 0.270666, 0),
]
INTERCEPT = 2.9505

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
