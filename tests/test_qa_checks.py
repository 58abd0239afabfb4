"""The pure QA checks on single source/target pairs."""

from __future__ import annotations

import pytest
from glossary_fixtures import bundled_matcher

from tolmach.qa import checks
from tolmach.qa.checks import check_balance, check_language, check_numbers, check_pair, find_rendering, numbers_in

SRC = "Наш посол сообщил, что 21 августа с. г. он был приглашен в ЦК РКП."


def codes(warnings: list[checks.QAWarning]) -> list[str]:
    return [w.code for w in warnings]


@pytest.mark.parametrize(
    ("target", "rendering", "found"),
    [
        ("the Central Committee of the RCP decided", "Central Committee of the RCP", True),
        ("the central committee of the rcp decided", "Central Committee of the RCP", True),
        ("the Politburo's decision", "Politburo", True),
        ("both fraternal parties", "fraternal party", True),
        ("all fraternal party members", "fraternal parties", False),
        ("the Warsaw Pact states", "Warsaw Pact", True),
        ("the Warsaw Treaty", "Warsaw Pact", False),
        ("the KSC leaders", "KSČ", True),  # accents folded
        ("anti socialist forces", "anti-socialist forces", True),
        ("the CPSUX", "CPSU", False),  # whole words only
        ("Cde. M. Dalea", "Cde.", True),
        ("the Soviet Union’s position", "Soviet Union", True),
    ],
)
def test_english_rendering_search_is_lenient_but_whole_word(target: str, rendering: str, found: bool) -> None:
    assert (find_rendering(target, rendering) is not None) is found


def test_missing_glossary_term_is_flagged_with_its_source_span() -> None:
    hits = bundled_matcher().find(SRC)
    good = "Our ambassador reported that on 21 August of this year he was invited to the Central Committee of the RCP."
    assert check_pair(SRC, good, hits) == []
    variant = good.replace("Central Committee of the RCP", "RCP CC")
    assert check_pair(SRC, variant, hits) == []  # a variant is accepted
    wrong = good.replace("Central Committee of the RCP", "Romanian party leadership")
    (w,) = check_pair(SRC, wrong, hits)
    assert w.code == checks.GLOSSARY_MISSING and w.side == "source"
    assert SRC[w.span[0] : w.span[1]] == "ЦК РКП"
    assert "'Central Committee of the RCP'" in w.message


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("21 августа 1968 года", "21 August 1968", []),
        ("21 августа 1968 года", "24 August 1968", [checks.NUMBERS, checks.NUMBERS]),
        ("21 августа 1968 года", "21 September 1968", [checks.DATES]),
        ("24 августа 1968 года", "August 24, 1968", []),
        ("ff. 25-28", "ff. 25–28", []),
        ("20 000 человек", "20,000 people", []),
        ("3,5 процента", "3.5 per cent", []),
        ("в мае 1968 года", "in May 1968", []),
        ("в мае 1968 года", "in March 1968", [checks.DATES]),
        ("мая не было", "there was no may", []),  # a month word needs a number beside it
        ("9-й съезд", "the 9th Congress", []),
    ],
)
def test_numbers_and_dates(source: str, target: str, expected: list[str]) -> None:
    assert codes(check_numbers(source, target, ("ru", "en"))) == expected


def test_numbers_are_compared_as_multisets() -> None:
    assert numbers_in("1968-1970, vol. II, 0061") == {"1968": 1, "1970": 1, "61": 1}
    assert codes(check_numbers("1968 и 1968", "1968", ("ru", "en"))) == [checks.NUMBERS]


def test_untranslated_target_is_flagged() -> None:
    russian = "Мы решительно отклоняем извращение принципиальной позиции Советского Союза."
    assert codes(check_language(russian, russian, ("ru", "en"))) == [checks.UNTRANSLATED]
    english = "We resolutely reject the distortion of the principled position of the Soviet Union."
    assert check_language(russian, english, ("ru", "en")) == []
    assert check_language("Да.", "Yes.", ("ru", "en")) == []


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("акцию «интервенцию»", "the action “intervention”", []),
        ("акцию «интервенцию»", "the action “intervention", ["quotes"]),
        ("акцию «интервенцию»", 'the action "intervention', ["quotes"]),
        ("(DANIC, f. 61)", "(DANIC, f. 61", ["parentheses"]),
        ("(DANIC, f. 61)", "[DANIC, f. 61)", ["brackets", "parentheses"]),
        ("«начало цитаты", "“start of a quote", []),  # the source has the same imbalance
        ("a) первое", "a) first", []),
    ],
)
def test_unbalanced_quotes_and_brackets(source: str, target: str, expected: list[str]) -> None:
    found = check_balance(source, target)
    assert sorted(w.message.split()[1] for w in found) == sorted(expected)
    assert all(w.span is not None and w.side == "target" for w in found)


def test_empty_target_gives_only_that_warning() -> None:
    assert codes(check_pair(SRC, "  ", bundled_matcher().find(SRC))) == [checks.EMPTY]
    assert check_pair("", "", []) == []


def test_consistency_across_beads() -> None:
    m = bundled_matcher()
    a = "Он был приглашен в ЦК РКП."
    b = "На заседании ЦК РКП."
    rows = [
        (1, a, "He was invited to the Central Committee of the RCP.", m.find(a)),
        (2, b, "At the session of the RCP CC.", m.find(b)),
        (3, b, "At the session of the Central Committee of the RCP.", m.find(b)),
    ]
    found = checks.check_consistency(rows)
    assert list(found) == [2]
    (w,) = found[2]
    assert w.code == checks.GLOSSARY_INCONSISTENT and "'RCP CC' here but 'Central Committee of the RCP'" in w.message
    consistent = [(i, s, t.replace("the Central Committee of the RCP", "the RCP CC"), h) for i, s, t, h in rows]
    assert checks.check_consistency(consistent) == {}
