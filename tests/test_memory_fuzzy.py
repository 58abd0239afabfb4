"""Fuzzy scores, differing words, number substitution and concordance queries (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tolmach.errors import InputError
from tolmach.memory import (
    Candidate,
    compile_query,
    diff,
    rank,
    score,
    substitute_numbers,
)
from tolmach.memory.concordance import stem

REF_II = "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, f. 61)"
REF_I = "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, ff. 25-28)"
SENT = "Было очевидно, что международная реакция раздует антикоммунистическую истерию в связи с этой акцией."


def test_identical_is_100_and_spacing_does_not_matter() -> None:
    assert score(SENT, SENT) == 100
    assert score(SENT, "  " + SENT.replace(" ", "\n  ")) == 100


@pytest.mark.parametrize(
    "other",
    [
        SENT.lower(),  # case
        SENT.replace(".", "!"),  # punctuation
        SENT.replace(",", ""),
    ],
)
def test_case_and_punctuation_cost_little(other: str) -> None:
    assert 95 <= score(SENT, other) <= 99


def test_numbers_cost_little_words_cost_more() -> None:
    a = "Наш посол сообщил, что 21 августа он был приглашен в ЦК РКП."
    number = a.replace("21", "22")
    word = a.replace("посол", "министр")
    two_words = word.replace("приглашен", "вызван")
    assert 97 <= score(a, number) <= 99
    assert score(a, word) < score(a, number)
    assert score(a, two_words) < score(a, word)
    assert score(a, "Совершенно другое предложение о погоде.") < 40


def test_real_references_score_high_but_not_100() -> None:
    assert 85 <= score(REF_II, REF_I) < 100


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_score_is_a_percentage(a: str, b: str) -> None:
    s = score(a, b)
    assert 0 <= s <= 100
    assert score(a, a) == 100
    if s == 100:
        assert " ".join(a.split()) == " ".join(b.split())


def test_diff_marks_changed_extra_and_missing_words() -> None:
    parts = diff("The cat sat on the mat.", "The dog sat on a mat today.")
    assert "".join(p.text for p in parts if p.kind != "missing") == "The cat sat on the mat."
    assert [p.text for p in parts if p.kind == "changed"] == ["cat", "the"]
    assert [p.text.strip() for p in parts if p.kind == "missing"] == ["today"]
    parts = diff("один два три", "один три")
    assert [p.text for p in parts if p.kind == "extra"] == ["два"]


def test_diff_of_real_reference_marks_the_folio() -> None:
    parts = diff(REF_II, REF_I)
    changed = "".join(p.text for p in parts if p.kind == "changed")
    assert "61" in changed and "DANIC" not in changed


def test_numbers_substituted_when_unambiguous() -> None:
    out, changes = substitute_numbers("3 сентября 1968 года", "24 сентября 1968 года", "3 September 1968")
    assert out == "24 September 1968"
    assert [(c.old, c.new, c.substituted) for c in changes] == [("3", "24", True)]


def test_numbers_not_substituted_when_ambiguous() -> None:
    # the old number occurs twice in the target: which one is meant is unknown
    out, changes = substitute_numbers("5 из 5 голосов", "5 из 7 голосов", "5 of 5 votes")
    assert out == "5 of 5 votes"
    assert [(c.old, c.substituted) for c in changes] == [("5", False)]
    # one number became two (f. 61 → ff. 25-28): nothing certain, flagged
    out, changes = substitute_numbers(REF_II, REF_I, REF_II)
    assert out == REF_II and changes and not any(c.substituted for c in changes)


def test_rank_orders_dedupes_and_flags_numbers() -> None:
    cands = [
        Candidate("Мы получили 3 письма.", "We received 3 letters.", "a"),
        Candidate("Мы получили 3 письма.", "We received 3 letters.", "dup"),
        Candidate("Мы отправили 3 письма вчера.", "We sent 3 letters yesterday.", "b"),
        Candidate("Погода хорошая.", "The weather is fine.", "c"),
    ]
    out = rank("Мы получили 4 письма.", cands, minimum=50)
    assert [p.provenance for p in out] == ["a", "b"]
    assert out[0].target == "We received 4 letters." and out[0].flagged
    assert out[0].original_target == "We received 3 letters."
    assert out[0].score > out[1].score


def test_stem_covers_inflected_forms() -> None:
    assert stem("Варшавский") == "варшавск"
    assert stem("договор") == "договор"
    assert stem("Warsaw") == "warsaw"


def test_concordance_query_finds_inflected_phrase() -> None:
    q = compile_query("Варшавский договор")
    text = "вопиющее нарущение положений Варшавского Договора»."
    spans = q.find(text)
    assert [text[s:e] for s, e in spans] == ["Варшавского Договора"]
    assert set(q.terms) == {"варшавск", "договор"}
    assert q.find("Варшавская область и договор") == []  # not consecutive


def test_concordance_query_substring_and_regex() -> None:
    q = compile_query("Warsaw Treaty")
    assert compile_query("социалистич").find("социалистических стран") == [(0, 11)]  # a part of a word: the substring
    text = "violation of the provisions of the Warsaw treaty"
    assert [text[s:e] for s, e in q.find(text)] == ["Warsaw treaty"]
    r = compile_query(r"ф+\. \d+", regex=True)
    assert r.find("ф. 61 и фф. 25") == [(0, 5), (8, 14)]
    assert compile_query(r"Варш\w+ Дог", regex=True).terms == ("варш", "дог")
    assert compile_query(r"ab?c|Варшава", regex=True).terms == ()  # alternation: no required literal


@pytest.mark.parametrize("bad,regex", [("", False), ("   ", False), ("([", True)])
def test_bad_queries_are_one_sentence(bad: str, regex: bool) -> None:
    with pytest.raises(InputError):
        compile_query(bad, regex=regex)
