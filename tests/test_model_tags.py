"""The language-tag table: detector labels, Argos codes and TMX spellings become one tag."""

import pytest

from tolmach.model import (
    LanguageTagError,
    argos_code,
    language,
    normalize_tag,
    same_language,
)


@pytest.mark.parametrize(
    "raw, tag",
    [
        ("ru", "ru"),
        ("RU", "ru"),
        ("ru-RU", "ru-RU"),
        ("ru_ru", "ru-RU"),
        ("zh-cn", "zh-Hans"),  # langdetect
        ("zh-tw", "zh-Hant"),  # langdetect
        ("zt", "zh-Hant"),  # Argos
        ("zh", "zh"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("mo", "ro"),
        ("rum", "ro"),
        ("*all*", "und"),
    ],
)
def test_normalize(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "  ", "r", "ru RU", "1ru", "ru-toolongsubtag", "<script>"])
def test_not_a_tag(raw: str) -> None:
    with pytest.raises(LanguageTagError):
        normalize_tag(raw)


def test_same_language_ignores_region_not_script() -> None:
    assert same_language("ru-RU", "ru")
    assert same_language("zh-cn", "zh")  # a zh package serves langdetect's zh-cn
    assert not same_language("zh-Hant", "zh")
    assert not same_language("zh-Hant", "zh-Hans")
    assert same_language("zt", "zh-TW")
    assert not same_language("ro", "ru")
    assert not same_language("", "ru")


def test_argos_codes() -> None:
    assert argos_code("zh-Hans") == "zh"
    assert argos_code("zh-cn") == "zh"
    assert argos_code("zh-TW") == "zt"
    assert argos_code("ru-RU") == "ru"
    assert language("pt-BR") == "pt"
