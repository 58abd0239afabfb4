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

import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from tolmach.model import LanguageTagError, language, normalize_tag
from tolmach.text.model import UNDETERMINED

#: Fixed seed: the same text always gets the same language.
SEED = 0

#: Random restarts per text (langdetect's default is 7).  The prior already narrows the
#: field; 3 gives the same answers on the seeds at less than half the cost.
TRIALS = 3

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
_WORDS = re.compile(r"[^\W\d_]+")

#: Letters only Russian writes (among langdetect's Cyrillic languages) ...
RUSSIAN_ONLY = frozenset("ыэё")
#: ... and letters Russian never writes (Ukrainian, Belarusian, Serbian, Macedonian).
NOT_RUSSIAN = frozenset("іїєґўјљњћђџѓќѕ")
#: English function words; a share of ENGLISH_SHARE of the words settles that text is English.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is was that for by with on as at from it be were this which his their "
    "have has had not are but an they he its would been".split()
)
ENGLISH_SHARE = 0.25


class ProfileRows(Mapping[str, list[float]]):
    """langdetect's ``word_lang_prob_map`` (an n-gram's probability in each language), made
    row by row as n-grams are looked up instead of all ~170,000 rows at start.

    ``DetectorFactory.load_profile`` builds a 55-float list for every n-gram of every
    profile: 0.3 s and 60 MB in every process that detects a language, for the few
    thousand n-grams a text draws.  Here the profiles are read the same way (the same
    files in the same order, so the same language index), only their n-gram sets are
    joined, and a row is computed when asked, with langdetect's own arithmetic
    (``tests/test_text_langid.py`` compares every row with langdetect's).
    """

    def __init__(self, directory: str) -> None:
        names = os.listdir(directory)
        self.size = len(names)  # langdetect sizes rows by the folder's entries
        self.langlist: list[str] = []
        self._profiles: list[tuple[dict[str, int], list[int]]] = []
        for name in names:
            path = os.path.join(directory, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            self.langlist.append(data["name"])
            self._profiles.append((data["freq"], data["n_words"]))
        self._keys: set[str] = set().union(*(freq for freq, _ in self._profiles))

    def __contains__(self, word: object) -> bool:
        return word in self._keys

    def __getitem__(self, word: str) -> list[float]:
        if word not in self._keys:
            raise KeyError(word)
        row = [0.0] * self.size
        length = len(word)
        if 1 <= length <= 3:
            for index, (freq, n_words) in enumerate(self._profiles):
                if word in freq:
                    row[index] = 1.0 * freq[word] / n_words[length - 1]
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    """A langdetect factory whose n-gram table is :class:`ProfileRows` (read lazily)."""
    rows = ProfileRows(PROFILES_DIRECTORY)
    factory = DetectorFactory()
    factory.langlist = rows.langlist
    factory.word_lang_prob_map = rows
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


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


#: Characters of a text that language identification looks at: a longer text is judged
#: on a sample of this size (its beginning, middle and end), so a 50 MB line costs no
#: more than a page.  langdetect itself reads only the first 10,000.
SAMPLE_CHARS = 30_000


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """``text`` itself when it is short, else its beginning, middle and end (cut at spaces)."""
    if len(text) <= size:
        return text
    third = size // 3
    pieces = []
    for start in (0, (len(text) - third) // 2, len(text) - third):
        piece = text[start : start + third]
        if start:
            piece = piece.split(None, 1)[-1]  # drop a word cut in half at the start ...
        if start + third < len(text):
            piece = piece.rsplit(None, 1)[0]  # ... and at the end
        pieces.append(piece)
    return "\n".join(pieces)


@lru_cache(maxsize=8192)
def _char_class(ch: str) -> tuple[bool, bool, bool]:
    """Whether the character is a letter (``_LETTER``), Cyrillic, Latin."""
    return bool(_LETTER.match(ch)), bool(_CYRILLIC.match(ch)), bool(_LATIN.match(ch))


def one_script(text: str) -> bool:
    """Every substring of ``text`` has the script :func:`script_of` gives ``text`` (or
    ``none``): the text is judged whole (no longer than a sample) and all its letters and
    script characters are of one kind."""
    if len(text) > SAMPLE_CHARS:
        return False
    kinds = {k for k in map(_char_class, set(text)) if any(k)}
    return len(kinds) <= 1


def script_of(text: str) -> tuple[str, int]:
    """The dominant writing system of the letters in ``text`` and how many letters there are
    (in its :func:`sample`, for a long text).  Each distinct character is classed once
    (a text holds a few dozen), and its occurrences counted in C."""
    letters = cyr = lat = 0
    for ch, n in Counter(sample(text)).items():
        is_letter, is_cyr, is_lat = _char_class(ch)
        letters += n if is_letter else 0
        cyr += n if is_cyr else 0
        lat += n if is_lat else 0
    if not letters:
        return "none", 0
    other = letters - cyr - lat
    script = max((cyr, "cyr"), (lat, "lat"), (other, "other"))[1]
    return script, letters


#: Common characters written differently in simplified and traditional Chinese, pair by pair.
SIMPLIFIED = "这们国来说时个为会发经对现产进动后义员党联华军书记领导议关门问长东车马鸟语读话认让请转达边过还"
TRADITIONAL = "這們國來說時個為會發經對現產進動後義員黨聯華軍書記領導議關門問長東車馬鳥語讀話認讓請轉達邊過還"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u1100-\u11ff\uac00-\ud7af]")
#: Han characters in a text with no kana or hangul: Chinese, once there are this many.
MIN_HAN = 4


def _chinese(text: str) -> str | None:
    """Chinese, told by its writing alone: Han characters without Japanese kana or Korean
    hangul; simplified or traditional by which of the paired characters it uses
    (langdetect, asked about traditional text, may answer Korean)."""
    han = _HAN.findall(text)
    if len(han) < MIN_HAN or _KANA_HANGUL.search(text):
        return None
    simplified = sum(c in SIMPLIFIED for c in han)
    traditional = sum(c in TRADITIONAL for c in han)
    if simplified == traditional:
        return "zh" if not simplified else "zh-Hans"  # Chinese for sure; which script, unproven
    return "zh-Hans" if simplified > traditional else "zh-Hant"


def _orthography(text: str, script: str, letters: int) -> str | None:
    """A language the spelling alone proves, so langdetect need not be asked.

    Russian is the only language langdetect knows that writes ы, э or ё and none of the
    letters of its Cyrillic neighbours; running English is full of its function words.
    """
    if letters < SHORT_LETTERS:
        return None
    lowered = text.lower()
    if script == "cyr":
        if any(c in lowered for c in RUSSIAN_ONLY) and not any(c in lowered for c in NOT_RUSSIAN):
            return "ru"
        return None
    if script == "lat":
        words = _WORDS.findall(lowered)
        if len(words) >= 8 and sum(w in ENGLISH_FUNCTION_WORDS for w in words) >= ENGLISH_SHARE * len(words):
            return "en"
    return None


def _langdetect(text: str, script: str) -> tuple[str, float] | None:
    detector = _factory().create()
    detector.n_trial = TRIALS
    prior = _priors().get(script)
    if prior:
        detector.set_prior_map(prior)
    # langdetect's profiles are mostly lower-case; all-caps headings read better lowered
    detector.append(text.lower())
    try:
        probs = probabilities(detector)
    except LangDetectException:
        return None
    if not probs:
        return None
    best = probs[0]
    return best.lang, best.prob


#: Between two convergence checks langdetect takes this many n-grams (its loop checks at
#: every fifth step, and once after the first).
_CHECK_EVERY = 5


@lru_cache(maxsize=4096)
def _normal(ch: str) -> str:
    """langdetect's character normalisation (a pure function of the character), remembered."""
    return str(NGram.normalize(ch))


def _ngrams(text: str, known: Mapping[str, list[float]]) -> list[str]:
    """langdetect's ``Detector._extract_ngrams`` on ``text``: the same n-grams in the same
    order (its ``NGram`` buffer inlined, each character's normalisation remembered)."""
    found: list[str] = []
    grams, capital = " ", False
    for ch in text:
        ch = _normal(ch)
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if ch == " ":
                continue
        elif len(grams) >= NGram.N_GRAM:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in range(1, min(len(grams), NGram.N_GRAM) + 1):
            w = grams[-n:]
            if w != " " and w in known:
                found.append(w)
    return found


#: The n-grams' probabilities as arrays, made on their first draw and kept (at most
#: _MAX_ROWS, about 11 MB; the common n-grams come back all the time), by profile table.
_ROWS: dict[int, dict[str, np.ndarray]] = {}
_MAX_ROWS = 20_000


def probabilities(detector: Detector) -> list[Any]:
    """``detector.get_probabilities()``, bit for bit, at a fraction of the cost.

    langdetect updates its 55 language probabilities one Python float at a time for each
    n-gram it draws; here each update is one numpy operation over the same doubles, in
    the same order (``prob[i] *= weight + p[i]``, then the sum, division and maximum of
    its convergence check), with the same random draws from the detector's own seeded
    generator, so the answer is the one langdetect gives (``tests/test_text_langid.py``
    compares them on the paragraphs and sentences of the seeds and the ru–en and
    Text+Berg data).  Only the n-grams drawn are made arrays (and kept, :data:`_ROWS`).
    """
    if detector.langprob is not None:
        done: list[Any] = detector.get_probabilities()
        return done
    detector.cleaning_text()
    known: Mapping[str, list[float]] = detector.word_lang_prob_map
    ngrams = _ngrams(detector.text, known)
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")  # as langdetect does
    rows = _ROWS.setdefault(id(known), {})
    if len(rows) > _MAX_ROWS or len(_ROWS) > 1:  # kept for one profile table at a time
        _ROWS.clear()
        rows = _ROWS.setdefault(id(known), {})
    langs = len(detector.langlist)
    langprob = np.zeros(langs)
    rand = detector.random
    rand.seed(detector.seed)
    choice = rand.choice
    for _ in range(detector.n_trial):
        if detector.prior_map is not None:
            prob = np.array(detector.prior_map, dtype=np.float64)
        else:
            prob = np.full(langs, 1.0 / langs)
        alpha = detector.alpha + rand.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        weight = alpha / detector.BASE_FREQ
        i = 0
        steps = 1  # the first check comes after one draw, the others after five
        while True:
            for _ in range(steps):
                w = choice(ngrams)
                row = rows.get(w)
                if row is None:
                    row = rows[w] = np.array(known[w], dtype=np.float64)
                prob *= weight + row  # langdetect: prob[i] *= weight + p[i]
            i += steps - 1
            prob /= sum(prob.tolist())  # Python's own sum, in langdetect's order
            if float(prob.max()) > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT:
                break
            i += 1
            steps = _CHECK_EVERY
        langprob += prob / detector.n_trial
    detector.langprob = langprob.tolist()
    found: list[Any] = detector.get_probabilities()  # langdetect's Language objects, sorted
    return found


def detect_language(text: str, default: str | None = None) -> str:
    """The normalised BCP-47 tag of ``text``'s language (``ru``, ``zh-Hans``), or ``und``.

    ``default`` (e.g. the surrounding document's language) wins when the text is too
    short or the detector unsure, as long as it fits the text's script.  langdetect's
    own labels (``zh-cn``, ``zh-tw``) never leave this module: every answer goes through
    :func:`tolmach.model.normalize_tag`.
    """
    return _tag(_detect(text, _tag(default) if default else None))


@lru_cache(maxsize=256)
def _tag(code: str) -> str:
    try:
        return normalize_tag(code)
    except LanguageTagError:
        return UNDETERMINED


def _detect(text: str, default: str | None) -> str:
    text = sample(text)
    script, letters = script_of(text)
    if script == "none":
        return UNDETERMINED
    if script == "other":
        chinese = _chinese(text)
        if chinese == "zh" and default and _tag(default).split("-")[0] == "zh":
            return default  # no variant-telling character: the document's Chinese decides
        if chinese:
            return chinese
    fallback = SCRIPT_DEFAULT.get(script, UNDETERMINED)
    if default and default != UNDETERMINED and _fits_script(default, script):
        fallback = default
    if letters < MIN_LETTERS or (letters < SHORT_LETTERS and fallback == default):
        return fallback  # a few words say less about their language than their context does
    proven = _orthography(text, script, letters)
    if proven:
        return proven
    found = _langdetect(text, script)
    if found is None:
        return fallback
    label, prob = found
    lang = _tag(label)  # zh-cn -> zh-Hans, so it compares with a normalised default
    if script == "cyr" and lang not in CYRILLIC_LANGS:
        return fallback
    if script == "lat" and lang in CYRILLIC_LANGS:
        return fallback
    needed = MIN_CONFIDENCE_SHORT if letters < SHORT_LETTERS and lang != fallback else MIN_CONFIDENCE
    return lang if prob >= needed else fallback


def _fits_script(lang: str, script: str) -> bool:
    try:
        lang = language(lang)
    except LanguageTagError:
        return False
    if script == "cyr":
        return lang in CYRILLIC_LANGS
    if script == "lat":
        return lang not in CYRILLIC_LANGS
    return True
