"""Page furniture inside sentences: every journal-page rendering of Documents I and II gives
the seed's segments exactly (the property), and the linguistic cues behind it (unit cases)."""

from __future__ import annotations

import os
import random

import pytest
from text_fixtures import SEED_RU, render_pages, segments

from tolmach.text.model import ParsedDocument, SegmentKind
from tolmach.text.pipeline import parse_bytes, parse_text

#: Renderings checked by the property (TOLMACH_RENDERINGS raises it for a long run).
RENDERINGS = int(os.environ.get("TOLMACH_RENDERINGS", "300"))


@pytest.fixture(scope="module")
def russian() -> list[ParsedDocument]:
    parsed = parse_bytes(SEED_RU.read_bytes(), SEED_RU.name)
    return [d for d in parsed.documents if d.name.startswith("Document ")]


def _check(russian: list[ParsedDocument], seed: int) -> None:
    rendering = render_pages(russian, random.Random(seed))
    result = parse_bytes(rendering.data, "pages.txt")
    assert [d.name for d in result.documents] == ["Document I", "Document II"], rendering
    notes: list[str] = []
    for want, got in zip(russian, result.documents):
        body = [s for s in segments(got) if s[0] != SegmentKind.NOTE.value]
        assert body == rendering.expected(segments(want)), (seed, rendering)
        assert got.lang == "ru", rendering
        notes += [s.text for s in got.segments if s.kind == SegmentKind.NOTE]
    assert notes == rendering.notes, (seed, rendering)


def test_every_rendering_gives_the_seed_segments(russian):
    """The property, over RENDERINGS seeded random layouts (seed = rendering number)."""
    failures = []
    for seed in range(RENDERINGS):
        try:
            _check(russian, seed)
        except AssertionError as exc:
            failures.append((seed, str(exc)[:300]))
    assert not failures, f"{len(failures)} of {RENDERINGS} renderings failed; first: {failures[:3]}"


def test_the_generator_really_makes_the_hard_cases(russian):
    """The layouts cover what the property is about (so it cannot pass vacuously)."""
    seen: dict[str, set[object]] = {}
    broken_inside_sentence = 0
    for seed in range(RENDERINGS):
        r = render_pages(russian, random.Random(seed))
        for key in ("heads", "number", "encoding", "newline", "footnotes", "hyphenate"):
            seen.setdefault(key, set()).add(r.params[key])
        text = r.data.decode("utf-16" if r.encoding == "utf-16" else r.encoding)
        broken_inside_sentence += "ИСТОРИЧЕСКИЙ ЕЖЕГОДНИК" in text or "HISTORICAL YEARBOOK" in text
    assert seen["heads"] == {"alternating", "single", "twice", "none"}
    assert seen["number"] == {"foot", "top", "head-line"}
    assert seen["encoding"] == {"utf-8", "cp1251", "koi8_r", "utf-16"}
    assert seen["newline"] == {"\n", "\r\n"} and seen["footnotes"] == {True, False}
    assert broken_inside_sentence > RENDERINGS // 4


# --- the cues, one case each ------------------------------------------------------------

FURNITURE = "\n\n127\n\n\fHISTORICAL YEARBOOK\n\n"


def _blocks(text: str) -> list[str]:
    from tolmach.text.reflow import reflow

    return [b.text for b in reflow(text)]


def test_a_preposition_before_the_break_carries_the_sentence_over_a_capital():
    text = (
        "Мы полагаем, что верный путь указан в Братиславской декларации и в документах по\n"
        + FURNITURE
        + "Московскому коммюнике о советско-чехословацких переговорах.\n\n"
        "Второй абзац письма.\n\n" + FURNITURE + "Третий абзац письма.\n"
    )
    assert _blocks(text)[0].endswith("в документах по Московскому коммюнике о советско-чехословацких переговорах.")


def test_a_heading_is_never_made_from_the_first_half_of_a_broken_sentence():
    parsed = parse_text(
        "Уважаемые товарищи!\n\nНаш посол сообщил, что секретарь ЦК\n"
        + "\n\n124    SIMION GHEORGHIU\n\n"
        + "сообщил ему о вашей реакции.\n\nЕще одно предложение письма.\n\n"
        + "\n\nSIMION GHEORGHIU    126\n\n"
        + "Последнее предложение письма.\n",
        "letter.txt",
    )
    doc = parsed.documents[0]
    assert [(s.kind, s.text) for s in doc.segments] == [
        (SegmentKind.SALUTATION, "Уважаемые товарищи!"),
        (SegmentKind.BODY, "Наш посол сообщил, что секретарь ЦК сообщил ему о вашей реакции."),
        (SegmentKind.BODY, "Еще одно предложение письма."),
        (SegmentKind.BODY, "Последнее предложение письма."),
    ]


def test_a_footnote_block_at_the_page_foot_between_two_halves():
    text = (
        "Вы поспешно и глубоко ошибочно квалифицируете интернационалистическую акцию,\n"
        "\n" + "_" * 20 + "\n1 Так в тексте.\n2 Подчеркнуто в оригинале.\n\n127\n\n"
        "социалистических стран как интервенцию.\n"
    )
    assert _blocks(text) == [
        "Вы поспешно и глубоко ошибочно квалифицируете интернационалистическую акцию, "
        "социалистических стран как интервенцию.",
        "1 Так в тексте.",
        "2 Подчеркнуто в оригинале.",
    ]


def test_a_year_closing_a_running_head_and_a_wrapped_reference_are_not_taken_apart():
    head = "СОВЕТСКИЕ ПИСЬМА РУМЫНСКОМУ РУКОВОДСТВУ, 1968"
    text = (
        f"Первая фраза идет на\n\n12\n\f\n{head}\n\nвторую страницу.\n\n"
        f"(DANIC, Fund CC al PCR, file\n\n13\n\f\n{head}\n\n3U/1968-1970, vol. II, f. 61)\n"
    )
    assert _blocks(text) == ["Первая фраза идет на вторую страницу.", "(DANIC, Fund CC al PCR, file 3U/1968-1970, vol. II, f. 61)"]


def test_an_indented_paragraph_after_a_heading_is_not_a_page_break():
    """A stray space (an indent) is not page furniture: only furniture makes a missing full
    stop enough to carry a line over."""
    text = "Introduction\n\n    The text begins here, after its heading.\n    It goes on.\n"
    assert _blocks(text) == ["Introduction", "The text begins here, after its heading. It goes on."]


def test_a_short_heading_at_the_foot_of_a_page_stays_a_heading():
    text = (
        "The first part of the article, which is about the first letter,\nends with this sentence, "
        "on a line of its own\nwhich is as long as the others are here.\n\nThe Second Letter\n\n"
        "211\n\f\nHISTORICAL YEARBOOK\n\nThe letter of 3 September was shorter,\nand it was "
        "delivered by the ambassador.\n\n"
        "212\n\f\nHISTORICAL YEARBOOK\n\nIt was read in Bucharest on the same day.\n"
    )
    assert _blocks(text)[1:3] == [
        "The Second Letter",
        "The letter of 3 September was shorter, and it was delivered by the ambassador.",
    ]
