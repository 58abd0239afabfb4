"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 4.4334, 2.47435, 0.541213),
    ('nodes', 4.64007, 2.49852, 0),
    ('similarity', 0.460892, 0.252357, 0),
    ('weakest', 0.402654, 0.272428, 0.335665),
    ('margin', 0.285944, 0.247794, 0),
    ('evidence', 2.00475, 0.999341, 0),
    ('length_z', 0.484537, 0.451903, -0.158142),
    ('vs_skip', 0.667629, 0.218265, 0),
    ('cost_rank', 0.465587, 0.30579, 0),
    ('one_one', 0.716599, 0.450649, 0.377649),
    ('skip', 0.0688259, 0.253158, 0),
    ('merge', 0.162955, 0.369325, 0),
    ('larger', 0.0516194, 0.221257, 0),
    ('skip_neighbours', 0.135628, 0.431345, 0),
    ('merge_neighbours', 0.423077, 0.611259, 0),
    ('edge_skip', 0.00303644, 0.0550202, 0),
    ('weak_cuts', 0.493927, 0.82776, 0),
    ('unexplained', 0.0780789, 0.073294, 0),
    ('join_margin', -0.694331, 1.11065, 0),
    ('split_margin', 8.8368, 2.36702, 0),
    ('near_posterior', 3.31677, 2.19202, 0.340905),
    ('shortest', 4.31717, 0.847568, 0.376069),
    ('numbers_elsewhere', 0.0151433, 0.103528, -0.242102),
    ('anchors_elsewhere', 0.0777158, 0.248634, -0.644438),
    ('agreement', 0.895243, 0.238941, 0),
]
INTERCEPT = 2.29319

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
