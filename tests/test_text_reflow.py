"""Reflow and document split on the seed's lines; properties that no character is lost."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from text_fixtures import HEADING, RUNNING_HEAD, SEED_RU, SIGNATURE, wrap

from tolmach.text.documents import split_documents
from tolmach.text.model import SegmentKind
from tolmach.text.reflow import join_lines, keeps_hyphen, lines_of, reflow

SEED = SEED_RU.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def blocks():
    return reflow(SEED)


def test_heading_joined_from_two_lines_and_markers_found(blocks):
    texts = [b.text for b in blocks]
    assert HEADING in texts and SIGNATURE in texts
    assert [b.marker for b in blocks if b.marker] == ["I", "II"]


def test_footnotes_are_set_aside_from_running_text(blocks):
    notes = [b.text for b in blocks if b.note]
    assert notes[0] == "1 See Document I."
    assert notes[1].startswith("2 A. B. Aristov (1903-1973)") and notes[1].endswith("1990, no. 7, pp. 84-85.")
    assert len(notes) == 9
    assert not any(b.text.startswith("disgrace") for b in blocks)


def test_footnotes_in_the_middle_of_a_sentence_do_not_cut_it():
    text = (
        "The Executive Committee of the CC of the RCP answered on 26 August and\n"
        "reasserted Romania’s position, and the letter also included conciliatory\n"
        + " " * 40 + "\n"
        "1 See Document I.\n"
        "2 A. B. Aristov (1903-1973), secretary of the CC of the CPSU. Falling into\n"
        "disgrace, he was appointed ambassador.\n"
        " formulas and a call for dialogue.\n"
    )
    result = reflow(text)
    assert [(b.note, b.text) for b in result] == [
        (
            False,
            "The Executive Committee of the CC of the RCP answered on 26 August and reasserted Romania’s "
            "position, and the letter also included conciliatory formulas and a call for dialogue.",
        ),
        (True, "1 See Document I."),
        (True, "2 A. B. Aristov (1903-1973), secretary of the CC of the CPSU. Falling into disgrace, he was appointed ambassador."),
    ]


@pytest.mark.parametrize(
    ("left", "right", "keep"),
    [
        ("социалисти", "ческих", False),
        ("марксистско", "ленинского", True),
        ("советско", "румынских", True),
        ("марксизм", "ленинизма", True),
        ("национально", "освободительному", True),
        ("совмес", "тые", False),  # a typo of the source is still one word
        ("пери", "говорах", False),  # "периговорах" (sic): a short word is a prefix, not a half
        ("Romanian", "Soviet", True),
        ("interpre", "tations", False),
        ("РУМЫ", "НСКОЙ", False),
    ],
)
def test_line_end_hyphens(left, right, keep):
    assert keeps_hyphen(left, right) is keep


def test_the_text_itself_decides_first():
    vocab = Counter({"well-known": 2})
    assert keeps_hyphen("well", "known", vocab)
    assert not keeps_hyphen("well", "known")


def test_join_lines_makes_single_spaces_and_keeps_number_ranges():
    assert join_lines(["3U/1968-", "1970, vol. II"]) == "3U/1968-1970, vol. II"
    assert join_lines(["между государствами –", "принципам"]) == "между государствами – принципам"
    assert join_lines(["социалисти-", "ческими странами"]) == "социалистическими странами"


def test_page_furniture_is_dropped():
    pages = []
    words = ["первая", "вторая", "третья", "четвёртая", "пятая"]
    for n, word in enumerate(words):
        pages.append(f"{RUNNING_HEAD}\n\nстрока текста, {word} страница,\n\nи {word} строка продолжается\n\n{120 + n}\n")
    lines = lines_of("\f".join(pages))
    texts = [ln.text for ln in lines]
    assert RUNNING_HEAD not in texts and not any(t.isdigit() for t in texts)
    assert len(texts) == 10 and texts[-1] == "и пятая строка продолжается"


def test_a_repeated_footnote_is_not_a_running_head():
    text = "\n".join(f"{n} Ibid." for n in range(1, 8)) + "\n"
    assert [ln.text for ln in lines_of(text)] == [f"{n} Ibid." for n in range(1, 8)]


def test_documents_and_kinds_of_the_seed(blocks):
    docs = split_documents(blocks, "002")
    assert [d.name for d in docs] == ["002", "Document I", "Document II"]
    kinds = Counter(b.kind for b in docs[1].blocks)
    assert kinds[SegmentKind.HEADING] == 1 and kinds[SegmentKind.SALUTATION] == 1
    assert kinds[SegmentKind.SIGNATURE] == 1 and kinds[SegmentKind.DATELINE] == 1
    assert kinds[SegmentKind.REFERENCE] == 1


# --- properties -------------------------------------------------------------------------

_word = st.text(alphabet=st.sampled_from(list("абвгдежзиклмнопрстуфхцчшыюяАБВГДЕabcdefXYZ,.;:!?«»")), min_size=1, max_size=14)


def _visible(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]", "", text)


@st.composite
def _documents(draw):
    # distinct words, so no line repeats often enough to pass for a running head
    words = draw(st.lists(_word, min_size=1, max_size=120, unique=True))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(words) - 1)), max_size=5)))
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]) if words[a:b]]


@settings(max_examples=120, deadline=None)
@given(
    paragraphs=_documents(),
    width=st.integers(min_value=12, max_value=90),
    line_gap=st.integers(min_value=0, max_value=1),
    page_lines=st.integers(min_value=3, max_value=20),
    stray=st.booleans(),
)
def test_reflow_never_loses_or_invents_characters(paragraphs, width, line_gap, page_lines, stray):
    """Only whitespace, line-end hyphens and page furniture may change."""
    out, n, page = [], 0, 200
    for p in paragraphs:
        out.extend([""] * (line_gap + 2))
        for ln in wrap(p, width):
            if n and n % page_lines == 0:
                out += [str(page), "\f"]
                page += 1
                ln = (" " if stray else "") + ln
            out.extend([""] * line_gap)
            out.append(ln)
            n += 1
    text = "\n".join(out)
    result = "".join(b.text for b in reflow(text))
    assert _visible(result) == _visible("".join(paragraphs))
    # hyphens can only disappear (line-end joins), never appear
    assert result.count("-") <= text.count("-")
    assert "  " not in result and "\n" not in result
