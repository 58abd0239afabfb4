"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 3.98133, 2.14863, 0.859452),
    ('nodes', 4.21301, 2.19543, 0),
    ('similarity', 0.46058, 0.252902, 0),
    ('weakest', 0.403545, 0.272422, 0),
    ('margin', 0.28543, 0.248436, 0),
    ('evidence', 1.99989, 1.00386, 0),
    ('length_z', 0.486011, 0.451668, -0.285717),
    ('vs_skip', 0.663337, 0.218679, 0),
    ('cost_rank', 0.465622, 0.305775, 0),
    ('one_one', 0.716886, 0.450511, 0),
    ('skip', 0.0687563, 0.253039, -0.560678),
    ('merge', 0.163802, 0.370096, 0),
    ('larger', 0.0505561, 0.219089, 0),
    ('skip_neighbours', 0.13549, 0.431149, 0),
    ('merge_neighbours', 0.422649, 0.609441, 0),
    ('edge_skip', 0.00303337, 0.0549924, 0),
    ('weak_cuts', 0.499494, 0.832389, 0),
    ('unexplained', 0.0786528, 0.0744992, 0),
    ('join_margin', -0.706389, 1.1327, 0),
    ('split_margin', 8.81624, 2.40677, 0.470748),
    ('near_posterior', 3.0526, 1.98766, 0.45085),
    ('shortest', 4.31724, 0.845472, 0.430694),
    ('numbers_elsewhere', 0.0159479, 0.110232, -0.637319),
    ('agreement', 0.893832, 0.23976, 0),
]
INTERCEPT = 3.01507

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
