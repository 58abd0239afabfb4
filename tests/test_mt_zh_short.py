"""Short Chinese sentences take Chinese, not ``und``, and such a document finds the zh package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mt_fixtures import REPO, tiny_zh_argosmodel  # noqa: F401

from tolmach.cli import main
from tolmach.text.langid import detect_language

ZH = (REPO / "benchmarks" / "data" / "zh_sentences_300.txt").read_text(encoding="utf-8").splitlines()
#: Sentences langdetect alone leaves undetermined (12 characters and fewer).
SHORT = ["会议在友好的气氛中进行。", "我们同意你们的建议。", "双方交换了意见。", "代表团已经出发。", "请立即答复。"]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("text", ["会议在友好的气氛中进行。", "我们同意你们的建议。", "中央委员会作出了重要决定。"])
def test_short_chinese_sentence_is_chinese_without_context(text: str) -> None:
    assert detect_language(text) == "zh-Hans"
    assert detect_language(text, default="zh-Hans") == "zh-Hans"
    assert detect_language(text, default="ru") == "zh-Hans"  # the script proves a Russian default wrong


def test_chinese_without_a_variant_telling_character_is_still_chinese() -> None:
    # 双方交换了意见 has no character that differs between simplified and traditional
    assert detect_language("双方交换了意见。") == "zh"
    assert detect_language("双方交换了意见。", default="zh-Hant") == "zh-Hant"  # the document decides the variant
    assert detect_language("双方交换了意见。", default="ru") == "zh"


def test_traditional_characters_prove_the_variant() -> None:
    assert detect_language("中國共產黨中央委員會") == "zh-Hant"
    assert detect_language("中國共產黨中央委員會", default="zh-Hans") == "zh-Hant"


def test_imported_chinese_document_has_no_und_and_is_drafted_in_full(capsys, tmp_path: Path, tiny_zh_argosmodel: Path) -> None:
    src = tmp_path / "telegrams.txt"
    lines = SHORT + ZH[:40] + SHORT
    src.write_text("\n\n".join(lines) + "\n", encoding="utf-8")  # one sentence per paragraph
    db = str(tmp_path / "t.db")
    assert _run(capsys, "--db", db, "import", str(src))[0] == 0
    code, out, _ = _run(capsys, "--db", db, "show", "telegrams", "--json")
    langs = [json.loads(line)["lang"] for line in out.splitlines()]
    assert len(langs) >= len(lines) and all(lang in ("zh", "zh-Hans") for lang in langs), set(langs)
    assert _run(capsys, "model", "install", str(tiny_zh_argosmodel))[0] == 0
    code, out, err = _run(capsys, "--db", db, "translate", "telegrams")
    assert code == 0, err
    assert f"{len(langs)} of {len(langs)} beads drafted" in out and "skipped" not in out
