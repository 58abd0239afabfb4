"""Sentence splitting on the seeds' own sentences, and that it never changes a character."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from text_fixtures import FIRST_SENTENCE

from tolmach.text.sentences import sentence_spans, split_sentences


@pytest.mark.parametrize(
    "abbreviated",
    [
        FIRST_SENTENCE,  # "с. г.", "т. М. Даля"
        "Встреча прошла в гор. Москве 24 августа 1968 года.",
        "См. т. II, с. 5, и т. д., а также ф. 3, оп. 1, д. 15 и другие.",
    ],
)
def test_russian_abbreviations_do_not_end_sentences(abbreviated):
    text = f"Первое предложение. {abbreviated} Последнее предложение."
    assert split_sentences(text, "ru") == ["Первое предложение.", abbreviated, "Последнее предложение."]


@pytest.mark.parametrize(
    "abbreviated",
    [
        "On 21 August 1968, M. Dalea informed the Soviet ambassador in Bucharest A. V. Basov.",
        "See “Izvestia ŢK KPSS,” 1990, no. 7, pp. 84-85.",
        "DANIC, fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, f. 4.",
        "Issue 3, Fall 1993, pp. 2-13, 54-55; n. 108, p. 55.",
        "Vojtech Mastny and Malcolm Byrne, eds., A Cardboard Castle?",
    ],
)
def test_english_citations_stay_whole(abbreviated):
    text = f"It was a poor choice. {abbreviated} He added nothing."
    assert split_sentences(text, "en") == ["It was a poor choice.", abbreviated, "He added nothing."]


def test_footnote_numbers_glued_to_a_sentence_end_stay_with_it():
    text = "It is the weakest Soviet leadership we have ever had.”3 The inconclusive dialogue prompted a meeting."
    assert split_sentences(text, "en") == [
        "It is the weakest Soviet leadership we have ever had.”3",
        "The inconclusive dialogue prompted a meeting.",
    ]


def test_unknown_language_uses_the_general_rules():
    assert split_sentences("Un. Deux trois. Quatre!", "und") == ["Un.", "Deux trois.", "Quatre!"]


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("", "ru") == [] and split_sentences(" \n ", "en") == []


_words = st.text(
    alphabet=st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗabcdefgXYZ0123456789")),
    min_size=1,
    max_size=9,
)
_seps = st.sampled_from([" ", "  ", ". ", "! ", "? ", ", ", "… ", ".» ", ".” ", " – ", "\n", ". \n", " с. г. ", " т. "])


@st.composite
def _texts(draw) -> str:
    parts = draw(st.lists(st.tuples(_words, _seps), min_size=1, max_size=30))
    return "".join(w + s for w, s in parts)


@settings(max_examples=150, deadline=None)
@given(text=_texts(), lang=st.sampled_from(["ru", "en", "de", "und"]))
def test_splitting_never_loses_or_invents_characters(text, lang):
    spans = sentence_spans(text, lang)
    pieces = [text[a:b] for a, b in spans]
    assert pieces == split_sentences(text, lang)
    # in order, not overlapping, stripped, and together they are the text minus whitespace
    assert all(a < b for a, b in spans) and all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    assert all(p == p.strip() for p in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)
