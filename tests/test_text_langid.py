"""Language identification: deterministic, script-aware, and never Russian for Latin references."""

from __future__ import annotations

import pytest
from text_fixtures import DATELINE_II, HEADING, REFERENCE_I, REFERENCE_II, SIGNATURE

from tolmach.text.langid import detect_language, script_of


@pytest.mark.parametrize("text", [HEADING, "Уважаемые товарищи!", SIGNATURE, "гор. Москва, 24 августа 1968 года"])
def test_short_russian_segments_are_russian(text):
    assert detect_language(text) == "ru"


def test_a_bare_date_follows_its_document():
    assert detect_language(DATELINE_II, default="ru") == "ru"


@pytest.mark.parametrize("text", [REFERENCE_I, REFERENCE_II])
def test_archival_references_are_never_russian(text):
    lang = detect_language(text)
    assert lang != "ru"
    assert lang == detect_language(text, default="ru")  # a Cyrillic default cannot apply to Latin text


def test_english_and_other_languages():
    assert detect_language("The meeting is mentioned in a letter by the Political Bureau of the CC.") == "en"
    assert detect_language("Politbüro der KPdSU hat beschlossen, dass die Lage sehr ernst ist.") == "de"
    assert detect_language("Ne exprimăm speranţa că relaţiile dintre partidele noastre vor continua.") == "ro"


def test_too_little_text_is_undetermined_or_the_default():
    assert detect_language("12345 — 678") == "und"
    assert detect_language("Ibid., 298.") == "und"
    assert detect_language("Ibid., 298.", default="en") == "en"
    assert detect_language("See Document I.", default="en") == "en"


def test_same_answer_every_time():
    text = "Совещание представителей"  # short and ambiguous between East Slavic languages
    assert len({detect_language(text) for _ in range(20)}) == 1


def test_script_of_counts_letters():
    assert script_of("ЦК КПСС, 1968") == ("cyr", 6)
    assert script_of("(DANIC, f. 61)") == ("lat", 6)
    assert script_of("1968 – 1970") == ("none", 0)
