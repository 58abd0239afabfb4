"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 3.99113, 2.14447, 0.916247),
    ('nodes', 4.22698, 2.1861, 0),
    ('similarity', 0.461786, 0.252003, 0),
    ('weakest', 0.402726, 0.27239, 0),
    ('margin', 0.286226, 0.248263, 0),
    ('evidence', 2.00574, 1.00064, 0),
    ('length_z', 0.486219, 0.450922, -0.293277),
    ('vs_skip', 0.663481, 0.218612, 0),
    ('cost_rank', 0.465517, 0.305819, 0),
    ('one_one', 0.713996, 0.451891, 0),
    ('skip', 0.0689655, 0.253395, -0.550858),
    ('merge', 0.163286, 0.369626, 0),
    ('larger', 0.0537525, 0.225529, 0),
    ('skip_neighbours', 0.135903, 0.431739, 0),
    ('merge_neighbours', 0.427992, 0.612072, 0),
    ('edge_skip', 0.0030426, 0.0550758, 0),
    ('weak_cuts', 0.501014, 0.833197, 0),
    ('unexplained', 0.0786753, 0.07452, 0),
    ('join_margin', -0.699685, 1.12542, 0),
    ('split_margin', 8.79903, 2.42137, 0.463332),
    ('near_posterior', 3.06191, 1.98436, 0.462724),
    ('shortest', 4.3162, 0.846172, 0.419063),
    ('numbers_elsewhere', 0.0174024, 0.11452, -0.630203),
    ('agreement', 0.894523, 0.239443, 0),
]
INTERCEPT = 3.03399

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
