"""Pivot translation (ro→en→ru with two tiny real packages) and lookup by normalised tag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mt_fixtures import (  # noqa: F401
    add_document,
    tiny_argosmodel,
    tiny_pivot_argosmodels,
    tiny_zh_argosmodel,
)

from tolmach.cli import main
from tolmach.errors import ModelError
from tolmach.mt import packages
from mt_reference import argos_translate_fn
from tolmach.service import beads as bead_service
from tolmach.service.translation import route_for_document, translate_document
from tolmach.store import Store

ROMANIAN = [
    "Ambasadorul a informat ministerul despre vizita delegației.",
    "Documentul se află în arhiva națională.",
    "Comitetul Central a luat o decizie importantă.",
    "Ambasadorul a informat ministerul despre vizita delegației.",  # repeated
    "Da.",
]


def _run(capsys, *args: str) -> str:
    try:
        main(list(args))
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.fixture
def pivot_installed(tiny_pivot_argosmodels: tuple[Path, Path]):
    ro_en, en_ru = (packages.install(p) for p in tiny_pivot_argosmodels)
    return ro_en, en_ru


def test_route_chains_two_packages_through_english(pivot_installed) -> None:
    ro_en, en_ru = pivot_installed
    route = packages.find_route("ro", "ru")
    assert route.packages == (ro_en, en_ru)
    assert route.pivot == "en"
    assert route.origin == "argos:translate-ro_en@1.9+argos:translate-en_ru@1.9"
    assert route.how == "via en (translate-ro_en-1_9 + translate-en_ru-1_9)"
    # the direct pairs stay direct, and a tag with a region still finds them
    assert packages.find_route("ro-RO", "en").packages == (ro_en,)
    # no chain back: en→ro is not reachable with these two
    with pytest.raises(ModelError, match="translate-en_ro"):
        packages.find_route("en", "ro")


def test_pivot_drafts_equal_the_two_models_chained_and_origin_names_both(store: Store, pivot_installed) -> None:
    ro_en, en_ru = pivot_installed
    doc = add_document(store, "Scrisoare", [(t, "ro", "body") for t in ROMANIAN], source_lang="ro", target_lang="ru")
    route = route_for_document(store, doc)
    assert route.pivot == "en"
    report = translate_document(store, doc)
    assert report.translated == len(ROMANIAN)
    assert report.origin == "argos:translate-ro_en@1.9+argos:translate-en_ru@1.9"
    # what argostranslate itself gives with each package, one sentence at a time, chained
    first = argos_translate_fn(ro_en.path.parent, "ro", "en")
    second = argos_translate_fn(en_ru.path.parent, "en", "ru")
    expected = [second(first(t)) for t in ROMANIAN]
    beads = bead_service.load_beads(store, doc)
    assert [b.target for b in beads] == expected
    assert {b.origin for b in beads} == {report.origin}
    assert {b.status for b in beads} == {"machine"}
    # the pivot really went through both models: not the first model's English alone
    assert [b.target for b in beads] != [first(t) for t in ROMANIAN]
    assert len(set(expected)) >= 2  # and the output still depends on the input


def test_model_list_shows_reachable_pairs_and_how(capsys, pivot_installed) -> None:
    out = _run(capsys, "model", "list")
    assert "ro→en  direct (translate-ro_en-1_9)" in out
    assert "en→ru  direct (translate-en_ru-1_9)" in out
    assert "ro→ru  via en (translate-ro_en-1_9 + translate-en_ru-1_9)" in out
    rows = [json.loads(line) for line in _run(capsys, "model", "list", "--pairs", "--json").splitlines()]
    pairs = {r["pair"]: r for r in rows if "pair" in r}
    assert pairs["ro→ru"]["pivot"] == "en"
    assert pairs["ro→ru"]["packages"] == ["translate-ro_en-1_9", "translate-en_ru-1_9"]


def test_detector_tag_zh_cn_finds_the_zh_package(tiny_zh_argosmodel: Path) -> None:
    with pytest.raises(ModelError) as missing:
        packages.find_route("zh-cn", "en")
    assert "translate-zh_en-1_9.argosmodel" in str(missing.value)  # names the package that would serve
    pkg = packages.install(tiny_zh_argosmodel)
    for tag in ("zh-cn", "zh-Hans", "zh", "zh_CN"):
        assert packages.find_route(tag, "en").packages == (pkg,), tag
    # traditional Chinese is another package (Argos "zt"), and says so
    with pytest.raises(ModelError, match="translate-zt_en"):
        packages.find_route("zh-Hant", "en")


def test_document_tagged_zh_hans_is_drafted_with_the_zh_package(store: Store, tiny_zh_argosmodel: Path) -> None:
    pkg = packages.install(tiny_zh_argosmodel)
    rows = [("中央委员会作出了重要决定。", "zh-cn", "body"), ("会议在友好的气氛中进行。", "zh-Hans", "body"), ("ЦГАНИ. Ф. 5.", "ru", "reference")]
    doc = add_document(store, "电报", rows, source_lang="zh-Hans", target_lang="en")
    report = translate_document(store, doc)
    assert report.translated == 2 and report.skipped_other_language == 1
    assert report.origin == pkg.origin


def test_missing_pivot_half_is_named(tiny_pivot_argosmodels: tuple[Path, Path]) -> None:
    packages.install(tiny_pivot_argosmodels[0])  # ro→en only
    with pytest.raises(ModelError) as err:
        packages.find_route("ro", "ru")
    assert "translate-ro_ru" in str(err.value) and "translate-en_ru" in str(err.value)
    assert "translate-ro_en" not in str(err.value).split("(or")[1]  # installed already, not asked for
