"""The import pipeline on the real seeds: what must come out, and that it survives re-typesetting."""

from __future__ import annotations

import itertools

import pytest
from text_fixtures import (
    DATELINE_I,
    DATELINE_II,
    FIRST_SENTENCE,
    HEADING,
    REFERENCE_I,
    REFERENCE_II,
    SEED_EN,
    SEED_RU,
    SIGNATURE,
    narrow,
    render,
    segments,
)

from tolmach.text.model import ParsedDocument, SegmentKind
from tolmach.text.pipeline import parse_bytes, parse_text


@pytest.fixture(scope="module")
def parsed():
    return parse_bytes(SEED_RU.read_bytes(), SEED_RU.name)


@pytest.fixture(scope="module")
def russian(parsed) -> list[ParsedDocument]:
    return [d for d in parsed.documents if d.name.startswith("Document ")]


def _doc(parsed, name: str) -> ParsedDocument:
    return next(d for d in parsed.documents if d.name == name)


def _of_kind(doc: ParsedDocument, kind: SegmentKind) -> list[str]:
    return [s.text for s in doc.segments if s.kind == kind]


def test_seed_002_gives_the_article_and_two_documents(parsed):
    assert parsed.encoding == "utf-8"
    assert [d.name for d in parsed.documents] == ["002_089901b84e1e010c", "Document I", "Document II"]
    assert [d.lang for d in parsed.documents] == ["en", "ru", "ru"]


def test_document_i_structure(parsed):
    doc = _doc(parsed, "Document I")
    kinds = [s.kind for s in doc.segments]
    assert kinds == (
        [SegmentKind.HEADING, SegmentKind.SALUTATION]
        + [SegmentKind.BODY] * 29
        + [SegmentKind.SIGNATURE, SegmentKind.DATELINE, SegmentKind.REFERENCE]
    )
    assert _of_kind(doc, SegmentKind.HEADING) == [HEADING]
    assert _of_kind(doc, SegmentKind.SALUTATION) == ["Уважаемые товарищи!"]
    body = _of_kind(doc, SegmentKind.BODY)
    assert body[0] == FIRST_SENTENCE
    assert body[-1].endswith("практически предпринимаемые вами шаги.")
    assert _of_kind(doc, SegmentKind.SIGNATURE) == [SIGNATURE]
    assert _of_kind(doc, SegmentKind.DATELINE) == [DATELINE_I]
    assert _of_kind(doc, SegmentKind.REFERENCE) == [REFERENCE_I]


def test_document_ii_structure(parsed):
    doc = _doc(parsed, "Document II")
    assert [s.kind for s in doc.segments] == [SegmentKind.BODY] * 4 + [SegmentKind.DATELINE, SegmentKind.REFERENCE]
    body = _of_kind(doc, SegmentKind.BODY)
    assert body[0].startswith("ЦК КПСС не считает приемлемым")
    assert body[3].startswith("Что же касается предложения")  # the line after the page break, stray space gone
    assert _of_kind(doc, SegmentKind.DATELINE) == [DATELINE_II]
    assert _of_kind(doc, SegmentKind.REFERENCE) == [REFERENCE_II]


def test_texts_are_clean_and_keep_the_source_spelling(russian):
    texts = [s.text for d in russian for s in d.segments]
    for t in texts:
        assert t == t.strip() and "  " not in t and "\n" not in t and "\f" not in t
    joined = " ".join(texts)
    assert "совместые" in joined  # a typo of the published text is kept
    assert "социалистическими" in joined and "социалисти- " not in joined
    for compound in ("марксистско-ленинского", "советско-румынских", "марксизм-ленинизма", "советско-чехословацких"):
        assert compound in joined
    assert "во всем антиимпериалистическом фронте" in joined  # stray-space continuation line


def test_languages_keep_references_away_from_russian(russian):
    for doc in russian:
        for s in doc.segments:
            if s.kind == SegmentKind.REFERENCE:
                assert s.lang != "ru"
            else:
                assert s.lang == "ru", s


def test_article_before_the_first_marker_is_english_with_notes(parsed):
    article = parsed.documents[0]
    assert article.lang == "en"
    notes = _of_kind(article, SegmentKind.NOTE)
    assert any(n.startswith("1 See Document I.") for n in notes)
    body = _of_kind(article, SegmentKind.BODY)
    # the footnotes sat between two pages of running text; they are out of it
    assert (
        "The inconclusive Bodnăraş-Aristov dialogue prompted the leadership in Bucharest to ask for a "
        "bilateral meeting." in body
    )
    assert not any("Falling into disgrace" in s or "See Document I" in s for s in body)
    assert "NEW INFORMATION ON ROMANIAN-SOVIET RELATIONS DURING THE CZECHOSLOVAK CRISIS" in _of_kind(
        article, SegmentKind.HEADING
    )


@pytest.mark.parametrize("path", SEED_EN, ids=lambda p: p.name)
def test_other_seeds_are_english_documents(path):
    parsed = parse_bytes(path.read_bytes(), path.name)
    assert [d.name for d in parsed.documents] == [path.stem]
    doc = parsed.documents[0]
    assert doc.lang == "en"
    body = [s for s in doc.segments if s.kind == SegmentKind.BODY]
    assert len(body) >= 20
    assert sum(s.lang == "en" for s in body) / len(body) > 0.9


LAYOUTS = list(itertools.product([34, 52, 71], [0, 1], [False, True]))


@pytest.mark.parametrize(("width", "line_gap", "form_feed"), LAYOUTS)
def test_same_segments_when_retypeset(russian, width, line_gap, form_feed):
    text = render(russian, width=width, line_gap=line_gap, form_feed=form_feed, page_lines=9 + width % 7)
    assert "123\n" in text and "-\n" in text  # the variant really has page numbers and hyphens
    again = parse_text(text, "retypeset.txt")
    assert [d.name for d in again.documents] == ["Document I", "Document II"]
    for want, got in zip(russian, again.documents):
        assert segments(got) == segments(want)
        assert got.lang == "ru"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_same_segments_in_other_encodings_and_line_ends(russian, encoding, newline):
    text = narrow(render(russian, width=58, line_gap=1), encoding).replace("\n", newline)
    result = parse_bytes(text.encode(encoding), "variant.txt")
    assert result.encoding == {"utf-16": "utf-16-le"}.get(encoding, encoding)
    for want, got in zip(russian, result.documents):
        expected = [(k, narrow(t, encoding), l) for k, t, l in segments(want)]
        assert segments(got) == expected


def test_original_seed_in_cp1251_with_crlf(parsed):
    text = narrow(SEED_RU.read_text(encoding="utf-8"), "cp1251").replace("\n", "\r\n")
    result = parse_bytes(text.encode("cp1251", errors="replace"), SEED_RU.name)  # the article has ă, ş ...
    assert result.encoding == "cp1251"
    for want, got in zip(parsed.documents[1:], result.documents[1:]):
        assert segments(got) == [(k, narrow(t, "cp1251"), l) for k, t, l in segments(want)]


def test_lang_option_overrides_detection_but_not_references():
    result = parse_bytes(SEED_RU.read_bytes(), SEED_RU.name, lang="uk")
    doc = _doc(result, "Document I")
    assert doc.lang == "uk"
    assert {s.lang for s in doc.segments if s.kind != SegmentKind.REFERENCE} == {"uk"}
    assert all(s.lang != "uk" for s in doc.segments if s.kind == SegmentKind.REFERENCE)


def test_file_without_markers_is_one_document_named_after_it():
    text = "Первая фраза письма. Вторая фраза письма!\n\nТретья фраза, новый абзац.\n"
    result = parse_bytes(text.encode("koi8_r"), "letter.txt")
    assert [(d.name, d.lang) for d in result.documents] == [("letter", "ru")]
    assert [s.text for s in result.documents[0].segments] == [
        "Первая фраза письма.",
        "Вторая фраза письма!",
        "Третья фраза, новый абзац.",
    ]
