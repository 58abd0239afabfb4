"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document and its synthetic pieces, the ru–en dev documents); do not
edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.36159, 2.74575, 1.02279),
    ('nodes', 4.554, 2.76588, 0),
    ('similarity', 0.40575, 0.244277, 0),
    ('weakest', 0.32277, 0.255761, 0.737074),
    ('margin', 0.257403, 0.243427, 0),
    ('evidence', 2.01206, 1.05621, 0),
    ('length_z', 0.496286, 0.493397, -0.374671),
    ('vs_skip', 0.610253, 0.247337, 0),
    ('cost_rank', 0.442639, 0.31486, 0),
    ('one_one', 0.55924, 0.496478, 0),
    ('skip', 0.114721, 0.318686, 0),
    ('merge', 0.224138, 0.417013, 0),
    ('larger', 0.101901, 0.302518, 0),
    ('skip_neighbours', 0.229001, 0.571338, 0),
    ('merge_neighbours', 0.647436, 0.701561, 0),
    ('edge_skip', 0.00066313, 0.0257428, 0),
    ('weak_cuts', 0.658709, 0.939017, 0),
    ('unexplained', 0.0821742, 0.0701366, 0),
    ('join_margin', -0.783196, 1.12101, 0),
    ('split_margin', 8.19626, 2.73956, 0),
    ('near_posterior', 3.14146, 2.35039, 0.815932),
    ('shortest', 4.13109, 0.954272, 0),
    ('numbers_elsewhere', 0.0329704, 0.156945, 0),
    ('anchors_elsewhere', 0.115132, 0.307642, -1.02135),
    ('letters', 0.8899, 0.159772, 0.713456),
    ('agreement', 0.8687, 0.27192, 0),
]
INTERCEPT = 2.94508

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
