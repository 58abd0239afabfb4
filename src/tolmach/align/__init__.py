"""Sentence alignment: n:m beads between a source and a target text, and their scoring."""

from tolmach.align.aligner import AlignConfig, Aligner, AlignedBead, Text, align
from tolmach.align.score import Scores, score, score_one

__all__ = ["AlignConfig", "Aligner", "AlignedBead", "Scores", "Text", "align", "score", "score_one"]
