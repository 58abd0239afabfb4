"""Limits of the import core on hostile text: overlong lines and "sentences" are cut at
safe places into bounded segments, the libraries see the text in windows, and nothing
is lost or changed on the way.  Small inputs exercise the same code paths as a 50 MB
line (the window and the cap are lowered for the test); benchmarks/hostile_limits.py
measures the real thing."""

from __future__ import annotations

import re

import pytest
from text_fixtures import SEED_EN, SEED_RU

from tolmach.text import langid, sentences
from tolmach.text.pipeline import parse_bytes
from tolmach.text.reflow import join_lines, reflow
from tolmach.text.sentences import MAX_SEGMENT_CHARS, bounded_spans, sentence_spans, split_sentences

CLAUSE = "Мы получили ваше письмо и внимательно его изучили, "


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_line_without_a_sentence_end_becomes_bounded_segments_cut_after_commas():
    text = CLAUSE * 400  # 20,000 characters, no sentence end
    parsed = parse_bytes(text.encode(), "line.txt")
    segs = [s.text for d in parsed.documents for s in d.segments]
    assert len(segs) > 1
    assert all(len(s) <= MAX_SEGMENT_CHARS for s in segs)
    assert all(s.endswith("изучили,") for s in segs[:-1])  # cut after a comma, never mid-word
    assert _letters("".join(segs)) == _letters(text)  # every character kept, in order
    assert {s.lang for d in parsed.documents for s in d.segments} == {"ru"}


@pytest.mark.parametrize(
    ("text", "piece_end"),
    [
        ("Во-первых; " * 300, ";"),  # a semicolon beats a comma
        ("слово " * 500, "слово"),  # no punctuation: a space
        ("ж" * 2500, "ж"),  # no space at all: a bare cut
    ],
)
def test_overlong_pieces_are_cut_at_the_best_place(text, piece_end):
    spans = list(bounded_spans(text, 0, len(text)))
    pieces = [text[a:b] for a, b in spans]
    assert all(0 < len(p) <= MAX_SEGMENT_CHARS for p in pieces)
    assert all(p.endswith(piece_end) and p == p.strip() for p in pieces)
    assert _letters("".join(pieces)) == _letters(text)
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))


def test_reference_and_heading_kinds_are_bounded_too():
    text = "(DANIC, fond CC, " + "dosar 3, f. 4, " * 300 + "file 2)"  # one reference block
    parsed = parse_bytes(text.encode(), "ref.txt")
    segs = [s for d in parsed.documents for s in d.segments]
    assert len(segs) > 1 and all(len(s.text) <= MAX_SEGMENT_CHARS for s in segs)


def _joined(seed) -> str:
    return " ".join(b.text for b in reflow(seed.read_text(encoding="utf-8")))


def test_windows_give_the_same_sentences_as_the_whole_text(monkeypatch):
    """The Russian seed's paragraphs run together into one text (many sentences), split
    in small windows: exactly the sentences razdel finds in the whole text."""
    text = _joined(SEED_RU)
    whole = sentence_spans(text, "ru")
    monkeypatch.setattr(sentences, "WINDOW", 700)
    assert sentence_spans(text, "ru") == whole
    assert len(whole) > 20


@pytest.mark.parametrize("seed", SEED_EN)
def test_windows_agree_with_the_whole_text_in_english(monkeypatch, seed):
    """sentencex keeps a long quotation whole when it sees where it opened (the Aboimov
    quotation in seed 000 comes out as one 980-character "sentence"); a window starting
    inside it cuts it into its real sentences.  Elsewhere the sentences are the same."""
    text = _joined(seed)
    whole = sentence_spans(text, "en")
    monkeypatch.setattr(sentences, "WINDOW", 700)
    windowed = sentence_spans(text, "en")
    same = len(set(whole) & set(windowed))
    assert len(whole) > 10 and same >= 0.7 * len(whole)
    assert max(b - a for a, b in windowed) <= max(b - a for a, b in whole)


def test_sentences_stay_exact_substrings_in_windows(monkeypatch):
    monkeypatch.setattr(sentences, "WINDOW", 300)
    text = ("Первое предложение. " + CLAUSE * 20 + "конец. ") * 5
    pieces = split_sentences(text, "ru")
    pos = 0
    for p in pieces:
        pos = text.index(p, pos) + len(p)
    assert _letters("".join(pieces)) == _letters(text)


def test_language_of_a_long_text_is_judged_on_a_sample():
    text = ("The committee met in Bucharest and the delegation of the party was received. " * 2000)
    sample = langid.sample(text)
    assert len(sample) <= langid.SAMPLE_CHARS
    assert langid.detect_language(text) == langid.detect_language(sample) == "en"
    assert langid.script_of(text)[0] == "lat"
    short = "Короткий текст."
    assert langid.sample(short) is short


def test_joining_many_wrapped_lines_keeps_every_rule():
    lines = ["социалисти-", "ческими странами и", "1968-", "1970 гг."] * 2000
    joined = join_lines(lines)
    assert joined == " ".join(["социалистическими странами и 1968-1970 гг."] * 2000)
