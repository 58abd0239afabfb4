"""Language identification: langdetect made deterministic, with the script as a prior.

langdetect samples n-grams at random, so the same text can come out as two languages on
two runs; we give it a fixed seed.  Its guesses on a few words are poor ("Уважаемые
товарищи!" may come out Bulgarian), so the writing system sets a prior: Cyrillic text
starts out Russian, Latin text starts out English, and a language of another script is
impossible.  When the evidence is still too thin, the caller's ``default`` (the
document's language, say) or the script's own default decides, and text with no letters
to speak of is ``und``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from tolmach.text.model import UNDETERMINED

#: Fixed seed: the same text always gets the same language.
SEED = 0

#: Languages langdetect knows, by script.  Anything else is treated as its own script.
CYRILLIC_LANGS = frozenset({"ru", "uk", "bg", "mk"})

#: Prior weights per script; langdetect renormalises them.  The archive is Russian and the
#: scholarship around it English, so those lead; others keep a real chance.
PRIORS: dict[str, dict[str, float]] = {
    "cyr": {"ru": 0.85, "uk": 0.05, "bg": 0.05, "mk": 0.05},
    "lat": {"en": 0.4},  # the remaining 0.6 is spread over every other Latin-script language
}

#: The language a script falls back on when the text is too short to tell.
SCRIPT_DEFAULT: dict[str, str] = {"cyr": "ru", "lat": UNDETERMINED}

#: Fewer letters than this and langdetect is not asked at all ("Ibid., 298." is not Tagalog).
MIN_LETTERS = 12

#: langdetect's top probability must reach this for its answer to stand.
MIN_CONFIDENCE = 0.7

#: Below this many letters a caller's ``default`` wins outright, and without one a guess
#: that differs from the script's default needs MIN_CONFIDENCE_SHORT.
SHORT_LETTERS = 40
MIN_CONFIDENCE_SHORT = 0.95

_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


@lru_cache(maxsize=1)
def _priors() -> dict[str, dict[str, float]]:
    langs = _factory().get_lang_list()
    latin_others = [l for l in langs if l not in CYRILLIC_LANGS and l not in PRIORS["lat"]]
    latin = dict(PRIORS["lat"])
    share = (1.0 - sum(latin.values())) / max(1, len(latin_others))
    latin.update({l: share for l in latin_others})
    return {"cyr": PRIORS["cyr"], "lat": latin}


def script_of(text: str) -> tuple[str, int]:
    """The dominant writing system of the letters in ``text`` and how many letters there are."""
    counts: dict[str, int] = {}
    for ch in _LETTER.findall(text):
        name = unicodedata.name(ch, "")
        script = "cyr" if name.startswith("CYRILLIC") else "lat" if name.startswith("LATIN") else "other"
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "none", 0
    script = max(counts, key=lambda k: counts[k])
    return script, sum(counts.values())


def _langdetect(text: str, script: str) -> tuple[str, float] | None:
    detector = _factory().create()
    prior = _priors().get(script)
    if prior:
        detector.set_prior_map(prior)
    # langdetect's profiles are mostly lower-case; all-caps headings read better lowered
    detector.append(text.lower())
    try:
        probs = detector.get_probabilities()
    except LangDetectException:
        return None
    if not probs:
        return None
    best = probs[0]
    return best.lang, best.prob


def detect_language(text: str, default: str | None = None) -> str:
    """ISO 639-1 code of ``text``'s language, or ``und`` when it cannot be told.

    ``default`` (e.g. the surrounding document's language) wins when the text is too
    short or the detector unsure, as long as it fits the text's script.
    """
    script, letters = script_of(text)
    if script == "none":
        return UNDETERMINED
    fallback = SCRIPT_DEFAULT.get(script, UNDETERMINED)
    if default and default != UNDETERMINED and _fits_script(default, script):
        fallback = default
    if letters < MIN_LETTERS or (letters < SHORT_LETTERS and fallback == default):
        return fallback  # a few words say less about their language than their context does
    found = _langdetect(text, script)
    if found is None:
        return fallback
    lang, prob = found
    if script == "cyr" and lang not in CYRILLIC_LANGS:
        return fallback
    if script == "lat" and lang in CYRILLIC_LANGS:
        return fallback
    needed = MIN_CONFIDENCE_SHORT if letters < SHORT_LETTERS and lang != fallback else MIN_CONFIDENCE
    return lang if prob >= needed else fallback


def _fits_script(lang: str, script: str) -> bool:
    if script == "cyr":
        return lang in CYRILLIC_LANGS
    if script == "lat":
        return lang not in CYRILLIC_LANGS
    return True
