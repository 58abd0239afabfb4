"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.7197, 2.62666, 0.544536),
    ('nodes', 4.9096, 2.64821, 0),
    ('similarity', 0.460458, 0.252532, 0),
    ('weakest', 0.402875, 0.272422, 0.333409),
    ('margin', 0.285787, 0.247827, 0),
    ('evidence', 2.00132, 1.00118, 0),
    ('length_z', 0.48294, 0.451299, -0.156915),
    ('vs_skip', 0.670603, 0.219199, 0),
    ('cost_rank', 0.465152, 0.305979, 0),
    ('one_one', 0.717172, 0.450374, 0.360581),
    ('skip', 0.069697, 0.254636, 0),
    ('merge', 0.162626, 0.369024, 0),
    ('larger', 0.0505051, 0.218985, 0),
    ('skip_neighbours', 0.137374, 0.432654, 0),
    ('merge_neighbours', 0.420202, 0.610676, 0),
    ('edge_skip', 0.0030303, 0.0549647, 0),
    ('weak_cuts', 0.492929, 0.82722, 0),
    ('unexplained', 0.0779802, 0.0732362, 0),
    ('join_margin', -0.69569, 1.10537, 0),
    ('split_margin', 8.85295, 2.34627, 0),
    ('near_posterior', 3.51174, 2.32514, 0.348817),
    ('shortest', 4.31806, 0.847175, 0.3762),
    ('numbers_elsewhere', 0.0151127, 0.103426, -0.240269),
    ('anchors_elsewhere', 0.0775588, 0.248407, -0.63969),
    ('agreement', 0.892424, 0.243695, 0),
]
INTERCEPT = 2.23326

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
