"""Segment kinds from the rule table, on small letters laid out like the seed's."""

from __future__ import annotations

from tolmach.text.documents import split_documents
from tolmach.text.langid import detect_language
from tolmach.text.model import SegmentKind
from tolmach.text.reflow import reflow

LETTER = """\
 DOCUMENT 3

ЦЕНТРАЛЬНОМУ КОМИТЕТУ

ВЕНГЕРСКОЙ СОЦИАЛИСТИЧЕСКОЙ РАБОЧЕЙ ПАРТИИ



Дорогие товарищи!



Мы получили ваше письмо. Благодарим вас за

подробную информацию о положении в стране.



ЦК КПСС



гор. Москва, 5 октября 1968 года



(RGANI, fond 3, opis 72, delo 210, l. 4)
"""

ENGLISH = """\
DOCUMENT IV

Dear Comrade Brezhnev,

We have received your message and we thank you for it. The Political Executive
Committee discussed it on the same day.

Nicolae Ceauşescu

Bucharest, 26 August 1968
"""


def _kinds(text: str, stem: str = "file") -> list[tuple[str, list[tuple[SegmentKind, str]]]]:
    return [(d.name, [(b.kind, b.text) for b in d.blocks]) for d in split_documents(reflow(text), stem)]


def test_a_russian_letter_gets_every_kind():
    [(name, blocks)] = _kinds(LETTER)
    assert name == "Document 3"
    assert blocks == [
        (SegmentKind.HEADING, "ЦЕНТРАЛЬНОМУ КОМИТЕТУ ВЕНГЕРСКОЙ СОЦИАЛИСТИЧЕСКОЙ РАБОЧЕЙ ПАРТИИ"),
        (SegmentKind.SALUTATION, "Дорогие товарищи!"),
        (SegmentKind.BODY, "Мы получили ваше письмо. Благодарим вас за подробную информацию о положении в стране."),
        (SegmentKind.SIGNATURE, "ЦК КПСС"),
        (SegmentKind.DATELINE, "гор. Москва, 5 октября 1968 года"),
        (SegmentKind.REFERENCE, "(RGANI, fond 3, opis 72, delo 210, l. 4)"),
    ]


def test_an_english_letter_gets_salutation_signature_and_dateline():
    [(name, blocks)] = _kinds(ENGLISH)
    assert name == "Document IV"
    assert [k for k, _ in blocks] == [
        SegmentKind.SALUTATION,
        SegmentKind.BODY,
        SegmentKind.SIGNATURE,
        SegmentKind.DATELINE,
    ]


def test_text_before_the_first_marker_is_named_after_the_file():
    docs = _kinds("Some introduction to the letters.\n\n" + ENGLISH, stem="intro-file")
    assert [name for name, _ in docs] == ["intro-file", "Document IV"]


def test_neighbouring_cyrillic_languages_are_not_forced_to_russian():
    ukrainian = "Ми отримали ваш лист і щиро дякуємо за докладну інформацію про становище в країні."
    assert detect_language(ukrainian) == "uk"
    assert detect_language("Мы получили ваше письмо и благодарим за подробную информацию о положении.") == "ru"
