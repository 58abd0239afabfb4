"""The bead-score model, written by benchmarks/align_fit_confidence.py from the development
sets (the Text+Berg dev document, the ru–en dev documents); do not edit by hand.

score = 1 / (1 + exp(-(intercept + sum of coefficient × (feature − mean) / scale)))
"""

#: (feature, mean, scale, coefficient); a feature of coefficient 0 is not computed
TABLE: list[tuple[str, float, float, float]] = [
    ('posterior', 3.74955, 1.95765, 1.10062),
    ('nodes', 3.9928, 2.02452, 0),
    ('similarity', 0.464156, 0.250153, 0),
    ('weakest', 0.404464, 0.271943, 0),
    ('margin', 0.284625, 0.248932, 0.456009),
    ('evidence', 2.0237, 0.986793, 0),
    ('length_z', 0.491806, 0.445178, -0.260423),
    ('vs_skip', 0.669876, 0.207007, 0),
    ('cost_rank', 0.471766, 0.30304, 0),
    ('one_one', 0.717659, 0.450138, 0),
    ('skip', 0.0564682, 0.230824, 0),
    ('merge', 0.169405, 0.375109, 0),
    ('larger', 0.0564682, 0.230824, 0),
    ('skip_neighbours', 0.110883, 0.362549, 0),
    ('merge_neighbours', 0.445585, 0.618516, 0),
    ('edge_skip', 0.00308008, 0.055413, 0),
    ('weak_cuts', 0.494867, 0.83646, 0),
    ('unexplained', 0.0812909, 0.0756511, 0),
    ('join_margin', -0.712865, 1.12862, 0),
    ('split_margin', 8.74093, 2.47447, 0.554425),
    ('agreement', 0.88963, 0.242728, 0),
]
INTERCEPT = 2.13936

MODEL: dict = {
    "features": [t[0] for t in TABLE],
    "mean": [t[1] for t in TABLE],
    "scale": [t[2] for t in TABLE],
    "coef": [t[3] for t in TABLE],
    "intercept": INTERCEPT,
}
