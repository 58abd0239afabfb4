"""The matcher on real seed text: inflection, abbreviations, line breaks, spans, overlaps."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from glossary_fixtures import DOC_I_HITS, DOC_II_HITS, bundled_matcher, expected_spans, raw_document, spans

from tolmach.glossary.entries import Entry
from tolmach.glossary.match import Matcher, lemmas


def find(text: str) -> list[tuple[str, str]]:
    return [(h.surface, h.term) for h in bundled_matcher().find(text)]


@pytest.mark.parametrize(
    ("text", "surface", "term"),
    [
        ("решения Центрального Комитета", "Центрального Комитета", "ЦК"),
        ("сессии Великого Национального Собрания СРР", "Великого Национального Собрания", "Великое Национальное Собрание"),
        ("нарушение положений Варшавского Договора", "Варшавского Договора", "Варшавский Договор"),
        ("дружбы с Советскому Союзу", "Советскому Союзу", "Советский Союз"),
        ("ИСПОЛКОМУ ЦЕНТРАЛЬНОГО КОМИТЕТА РУМЫНСКОЙ КОММУНИСТИЧЕСКОЙ ПАРТИИ",
         "ИСПОЛКОМУ ЦЕНТРАЛЬНОГО КОМИТЕТА РУМЫНСКОЙ КОММУНИСТИЧЕСКОЙ ПАРТИИ", "Исполком ЦК РКП"),
        ("письмо Центральному Комитету КПСС", "Центральному Комитету КПСС", "ЦК КПСС"),
        ("в Братиславской декларации", "Братиславской декларации", "Братиславская декларация"),
    ],
)
def test_inflected_forms_match_their_dictionary_entry(text: str, surface: str, term: str) -> None:
    assert (surface, term) in find(text)


def test_abbreviations_match_across_original_line_breaks() -> None:
    text = "Московском коммюнике о советско-чехословацких периговорах. ЦК \n\nКПСС исходит из того"
    hits = bundled_matcher().find(text)
    ck = [h for h in hits if h.term == "ЦК КПСС"]
    assert len(ck) == 1
    assert text[ck[0].start : ck[0].end] == "ЦК \n\nКПСС"


def test_longest_term_covers_the_shorter_ones_inside_it() -> None:
    assert find("ЦК КПСС не считает приемлемым предложение ЦК РКП") == [("ЦК КПСС", "ЦК КПСС"), ("ЦК РКП", "ЦК РКП")]
    assert find("на сессии Великого Национального Собрания") == [
        ("Великого Национального Собрания", "Великое Национальное Собрание")
    ]


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("после ввода войск", "посол"),  # 'после' is 'after', not the locative of 'посол'
        ("т. е. в этом году", "т."),  # 'т.' before a lower-case word is not 'comrade'
        ("цк и кпсс в нижнем регистре", "ЦК"),  # abbreviations match only as written
        ("цк и кпсс в нижнем регистре", "КПСС"),
        ("ЦК, КПСС", "ЦК КПСС"),  # a comma between the words breaks the term
        ("ЦК КПСС", "ЦК"),  # covered by the longer term
    ],
)
def test_no_spurious_hits_on_ordinary_words(text: str, forbidden: str) -> None:
    assert forbidden not in [h.term for h in bundled_matcher().find(text)]


def test_comrade_only_before_a_name_or_initial() -> None:
    assert ("т.", "т.") in find("секретарь ЦК т. М. Даля сообщил")
    assert ("тт.", "тт.") in find("тт. Брежнев и Косыгин")
    assert ("т.", "т.") not in find("то есть, т. е. всё")


@pytest.mark.parametrize("name, expected", [("I", DOC_I_HITS), ("II", DOC_II_HITS)])
def test_every_term_of_the_raw_documents_is_found_with_its_span(name: str, expected: dict) -> None:
    """The raw seed text, original line breaks and blank lines included."""
    text = raw_document(name)
    want: list[tuple[int, int, str]] = []
    pos = 0
    got = spans(bundled_matcher().find(text))
    for position in sorted(expected):
        for surface, term in expected[position]:
            pattern = r"\s+".join(re.escape(w) for w in surface.split())
            m = re.compile(pattern).search(text, pos)
            assert m, (surface, term)
            want.append((m.start(), m.end(), term))
            pos = m.end()
    assert got == want


def test_hits_carry_entry_fields() -> None:
    (hit,) = bundled_matcher().find("правительства СРР")[1:]
    assert (hit.term, hit.preferred) == ("СРР", "Socialist Republic of Romania")
    assert "SRR" in hit.variants
    assert hit.renderings[0] == hit.preferred


def test_translations_gives_spans_and_english() -> None:
    text = "ЦК КПСС не считает приемлемым предложение ЦК РКП"
    assert bundled_matcher().translations(text) == [
        (0, 7, "CPSU Central Committee", bundled_matcher().find(text)[0].variants),
        (text.index("ЦК РКП"), len(text), "Central Committee of the RCP", bundled_matcher().find(text)[1].variants),
    ]


def test_composed_forms_use_sub_entries_forms() -> None:
    """A form containing another entry's form also matches that part's other forms."""
    m = Matcher(
        [
            Entry("ЦК", "Central Committee", expansion="Центральный Комитет"),
            Entry("РКП", "RCP", expansion="Румынская коммунистическая партия"),
            Entry("ЦК РКП", "Central Committee of the RCP"),
        ]
    )
    for text in ("Центральный Комитет РКП", "ЦК Румынской коммунистической партии", "Центрального Комитета Румынской Коммунистической Партии"):
        assert [h.term for h in m.find(text)] == ["ЦК РКП"], text


def test_lemmas_keep_plausible_readings_only() -> None:
    assert "посол" not in lemmas("после")
    assert "великий" in lemmas("Великого") & lemmas("Великое")


def test_empty_and_termless_text() -> None:
    assert bundled_matcher().find("") == []
    assert bundled_matcher().find("— 1968 —") == []


def test_pipeline_segments_get_the_expected_hits(seeded_store) -> None:  # type: ignore[no-untyped-def]
    """The same expectations on the segments the import pipeline stores."""
    from tolmach.service.beads import load_beads
    from tolmach.service.documents import find_document
    from tolmach.service.glossary import ensure_loaded, hits_for_text

    ensure_loaded(seeded_store)
    for name, expected in (("Document I", DOC_I_HITS), ("Document II", DOC_II_HITS)):
        with seeded_store.read() as s:
            doc_id = find_document(s, name).id
        beads = load_beads(seeded_store, doc_id)
        named = {b.position for b in beads if hits_for_text(seeded_store, b.source)}
        assert named == set(expected), name
        for b in beads:
            if b.position in expected:
                assert spans(hits_for_text(seeded_store, b.source)) == expected_spans(b.source, expected[b.position])


_WS = st.lists(st.sampled_from([" ", "  ", " \n", "\n\n ", "\t", " \n \n"]), min_size=1, max_size=200)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["I", "II"]), _WS)
def test_hits_do_not_depend_on_line_breaks(name: str, spaces: list[str]) -> None:
    """Re-flowing a document (any whitespace between words) finds the same terms, and
    every span is exactly its surface, in order and without overlaps."""
    words = raw_document(name).split()
    text = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words))
    flat = " ".join(words)
    hits = bundled_matcher().find(text)
    assert [h.term for h in hits] == [h.term for h in bundled_matcher().find(flat)]
    assert [" ".join(h.surface.split()) for h in hits] == [h.surface for h in bundled_matcher().find(flat)]
    for a, b in zip(hits, hits[1:]):
        assert a.end <= b.start
    assert all(text[h.start : h.end] == h.surface for h in hits)
