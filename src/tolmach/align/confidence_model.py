"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.52379, 2.43156, 0.717571),
    ('nodes', 4.7431, 2.46097, 0),
    ('similarity', 0.433239, 0.23738, 0),
    ('weakest', 0.381642, 0.255074, 0.343859),
    ('margin', 0.269208, 0.23568, 0),
    ('evidence', 2.02613, 1.00962, 0),
    ('length_z', 0.483109, 0.453085, -0.196526),
    ('vs_skip', 0.65387, 0.213475, 0),
    ('cost_rank', 0.464753, 0.306151, 0),
    ('one_one', 0.721047, 0.448484, 0.34012),
    ('skip', 0.0704935, 0.255977, 0),
    ('merge', 0.159114, 0.365782, 0),
    ('larger', 0.0493454, 0.216588, 0),
    ('skip_neighbours', 0.138973, 0.43375, 0),
    ('merge_neighbours', 0.411883, 0.605896, 0),
    ('edge_skip', 0.00302115, 0.0548819, 0),
    ('weak_cuts', 0.489426, 0.823949, 0),
    ('unexplained', 0.0767914, 0.0682793, 0),
    ('join_margin', -0.615863, 1.13773, 0),
    ('split_margin', 8.86464, 2.34437, 0),
    ('near_posterior', 3.41972, 2.16363, 0),
    ('shortest', 4.32204, 0.847189, 0),
    ('numbers_elsewhere', 0.014369, 0.101005, 0),
    ('anchors_elsewhere', 0.0759284, 0.246544, -0.616899),
    ('agreement', 0.916415, 0.221144, 0),
]
INTERCEPT = 1.81022

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
