"""Language identification: deterministic, script-aware, and never Russian for Latin references."""

from __future__ import annotations

import functools

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


# --- the fast paths give langdetect's and the regexes' answers exactly ---------------------

def _real_texts() -> list[str]:
    """Paragraphs and lines of the seeds and the ru–en news data, some Chinese, and odd cases."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "seeds").glob("*.txt")) + sorted((root / "benchmarks" / "data" / "ru-en").glob("news0[0-4].ru"))
    files += sorted((root / "benchmarks" / "data" / "ru-en").glob("news0[0-4].en"))
    texts: list[str] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        texts += [p for p in text.split("\n\n") if p.strip()][:12]
        texts += [line for line in text.splitlines() if line.strip()][:15]
    zh = (root / "benchmarks" / "data" / "zh_sentences.txt").read_text(encoding="utf-8").splitlines()
    texts += zh[:20]
    texts += [
        "ЦК КПСС", "USSR USSR ЦК", "Thủ tướng Chính phủ Việt Nam", "السفارة السوفيتية في بوخارست",
        "Секція зовнішніх зносин", "Ştefan Andrei, Secţia Relaţii Externe", "... ---", "x" * 20_000,
        "Уважаемые товарищи! " * 800,
    ]
    return texts


@functools.lru_cache(maxsize=1)
def _langdetects_factory():
    """langdetect's own factory, its whole n-gram table built at start as it does."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from tolmach.text import langid

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(langid.SEED)
    return factory


def test_profile_rows_are_langdetects_table():
    """The lazily made rows are langdetect's, for every n-gram, with the same languages in
    the same order (the index of a probability in a row)."""
    from tolmach.text import langid

    real, ours = _langdetects_factory(), langid._factory()
    assert ours.langlist == real.langlist and len(ours.langlist) == 55
    assert set(ours.word_lang_prob_map) == set(real.word_lang_prob_map)
    rows = langid.ProfileRows(langid.PROFILES_DIRECTORY)
    assert all(rows[w] == row for w, row in real.word_lang_prob_map.items())
    assert "qqqq" not in rows and "а" in rows


def test_probabilities_are_langdetects_bit_for_bit():
    """``langid.probabilities`` (numpy, lazy rows) against langdetect's own factory and loop
    with the same detector set-up: the same languages with the same float probabilities,
    or the same refusal."""
    from langdetect.lang_detect_exception import LangDetectException

    from tolmach.text import langid

    ours, priors = langid._factory(), langid._priors()
    compared = 0
    for text in _real_texts():
        for prior, trials in ((priors["cyr"], 3), (priors["lat"], 3), (None, 7)):
            answers = []
            for fast in (False, True):
                d = (ours if fast else _langdetects_factory()).create()
                d.n_trial = trials
                if prior:
                    d.set_prior_map(prior)
                d.append(text.lower())
                try:
                    got = langid.probabilities(d) if fast else d.get_probabilities()
                    answers.append(([(x.lang, x.prob) for x in got], d.langprob))
                except LangDetectException as exc:
                    answers.append((str(exc), None))
            assert answers[0] == answers[1], text[:80]
            compared += 1
    assert compared > 700


def test_script_of_counts_as_the_regexes_do():
    """Counting each distinct character once gives what counting every match gave
    (letters are ``[^\\W\\d_]``: superscript digits and Roman numerals count, ``_`` does not)."""
    from tolmach.text import langid

    def by_regex(text: str) -> tuple[str, int]:
        text = langid.sample(text)
        letters = len(langid._LETTER.findall(text))
        if not letters:
            return "none", 0
        cyr, lat = len(langid._CYRILLIC.findall(text)), len(langid._LATIN.findall(text))
        return max((cyr, "cyr"), (lat, "lat"), (letters - cyr - lat, "other"))[1], letters

    odd = ["x²_³ Ⅻ ½ ٣", "ЦК\u0483\u0489 ҂1968", "中华人民共和国 1968", "ǅemal Đukić", "", "___", "Ａｂｃ ｱｲｳ"]
    for text in _real_texts() + odd:
        assert langid.script_of(text) == by_regex(text), text[:80]


def test_one_script_means_no_part_can_differ():
    """When ``one_script`` lets the pipeline skip judging each sentence of a paragraph, no
    sentence would have been judged another script; mixed paragraphs are still caught."""
    from tolmach.text import langid
    from tolmach.text.sentences import split_sentences

    skipped = mixed = 0
    for text in _real_texts() + ["Он цитирует: Veni, vidi, vici. Так и было.", "x² Ⅻ. Ⅻ x²."]:
        whole = langid.script_of(text)[0]
        if langid.one_script(text):
            skipped += 1
            assert all(langid.script_of(s)[0] in (whole, "none") for s in split_sentences(text, "ru")), text[:80]
        else:
            mixed += 1
    assert skipped > 100 and mixed > 10
    assert not langid.one_script("Он цитирует: Veni, vidi, vici.")
