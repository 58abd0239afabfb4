"""Installing, listing and removing Argos packages; bad files give one clear ModelError."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from mt_fixtures import build_argos_package, make_zip, tiny_argosmodel, tiny_installed  # noqa: F401

from tolmach import config
from tolmach.errors import ModelError
from tolmach.mt import packages


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}


def test_install_list_remove_in_tolmach_folder(tiny_argosmodel: Path) -> None:
    assert packages.installed() == []
    pkg = packages.install(tiny_argosmodel)
    assert pkg.path.parent == config.models_dir()
    assert pkg.name == "translate-ru_en-1_9"
    assert pkg.pair == ("ru", "en")
    assert pkg.origin == "argos:translate-ru_en@1.9"
    assert (pkg.path / "model" / "model.bin").is_file()
    assert [p.name for p in packages.installed()] == ["translate-ru_en-1_9"]
    assert packages.find_for_pair("ru", "en").path == pkg.path
    # no staging folders left behind
    assert sorted(p.name for p in config.models_dir().iterdir()) == ["translate-ru_en-1_9"]
    removed = packages.remove("ru_en")
    assert removed.name == pkg.name
    assert packages.installed() == []
    assert not pkg.path.exists()


def test_reinstall_replaces_the_package(tiny_argosmodel: Path) -> None:
    first = packages.install(tiny_argosmodel)
    (first.path / "marker").write_text("old")
    second = packages.install(tiny_argosmodel)
    assert second.path == first.path
    assert not (second.path / "marker").exists()
    assert sorted(p.name for p in config.models_dir().iterdir()) == ["translate-ru_en-1_9"]


def test_remove_unknown_name_says_what_is_installed(tiny_installed) -> None:
    with pytest.raises(ModelError, match="translate-ru_en-1_9"):
        packages.remove("translate-de_en-1_0")


def test_no_model_for_pair_names_the_argos_package_to_install() -> None:
    with pytest.raises(ModelError) as err:
        packages.find_for_pair("ru", "en")
    msg = str(err.value)
    assert "translate-ru_en-1_9.argosmodel" in msg
    assert "tolmach model install" in msg


def test_wrong_pair_installed_is_not_used(tmp_path: Path, tiny_argosmodel: Path) -> None:
    # a zh→en package under the same model files: installed fine, never used for Russian
    members = _members(tiny_argosmodel)
    renamed = {}
    for name, data in members.items():
        new = name.replace("translate-ru_en-1_9", "translate-zh_en-1_9")
        if name.endswith("metadata.json"):
            meta = json.loads(data)
            meta["from_code"] = "zh"
            data = json.dumps(meta).encode()
        renamed[new] = data
    zh = make_zip(tmp_path / "translate-zh_en-1_9.argosmodel", renamed)
    assert packages.install(zh).pair == ("zh", "en")
    with pytest.raises(ModelError, match="ru→en"):
        packages.find_for_pair("ru", "en")


def _bad_cases(tmp_path: Path, good: Path) -> dict[str, Path]:
    members = _members(good)
    top = "translate-ru_en-1_9"

    def without(suffix: str) -> dict[str, bytes]:
        return {n: d for n, d in members.items() if not n.endswith(suffix)}

    with_meta = lambda raw: {**members, f"{top}/metadata.json": raw}  # noqa: E731
    truncated = tmp_path / "truncated.argosmodel"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    corrupted = tmp_path / "corrupted.argosmodel"
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo(f"{top}/model/model.bin")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    corrupted.write_bytes(bytes(data))
    text = tmp_path / "notes.argosmodel"
    text.write_text("this is not a zip\n", encoding="utf-8")
    return {
        "not a zip": text,
        "truncated": truncated,
        "corrupted": corrupted,
        "empty zip": make_zip(tmp_path / "empty.argosmodel", {}),
        "no metadata": make_zip(tmp_path / "nometa.argosmodel", without("metadata.json")),
        "bad json": make_zip(tmp_path / "badjson.argosmodel", with_meta(b"{not json")),
        "no codes": make_zip(tmp_path / "nocodes.argosmodel", with_meta(b'{"package_version": "1.0"}')),
        "sbd package": make_zip(
            tmp_path / "sbd.argosmodel", with_meta(b'{"type": "sbd", "from_code": "ru", "to_code": "ru"}')
        ),
        "no model": make_zip(tmp_path / "nomodel.argosmodel", without("model.bin")),
        "no tokenizer": make_zip(tmp_path / "nosp.argosmodel", without("sentencepiece.model")),
        "two folders": make_zip(tmp_path / "two.argosmodel", {**members, "other/readme.txt": b"x"}),
        "flat": make_zip(tmp_path / "flat.argosmodel", {n.split("/", 1)[1]: d for n, d in members.items()}),
        "unsafe path": make_zip(tmp_path / "unsafe.argosmodel", {**members, f"{top}/../../evil.txt": b"x"}),
        "missing file": tmp_path / "absent.argosmodel",
        "directory": tmp_path,
    }


@pytest.mark.parametrize(
    "case",
    [
        "not a zip", "truncated", "corrupted", "empty zip", "no metadata", "bad json", "no codes",
        "sbd package", "no model", "no tokenizer", "two folders", "flat", "unsafe path", "missing file",
        "directory",
    ],
)
def test_bad_package_is_one_clear_error_and_installs_nothing(tmp_path: Path, tiny_argosmodel: Path, case: str) -> None:
    bad = _bad_cases(tmp_path, tiny_argosmodel)[case]
    with pytest.raises(ModelError) as err:
        packages.install(bad)
    msg = str(err.value)
    assert "\n" not in msg and msg.endswith(".")
    assert str(bad) in msg or bad.name in msg or "unsafe" in msg
    root = config.models_dir()
    assert not root.exists() or list(root.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_broken_installed_folder_is_ignored_by_listing(tiny_installed) -> None:
    broken = config.models_dir() / "translate-xx_en-1_0"
    broken.mkdir()
    (broken / "metadata.json").write_text("{}")
    assert [p.name for p in packages.installed()] == ["translate-ru_en-1_9"]


def test_newest_version_wins_for_a_pair(tmp_path: Path, tiny_argosmodel: Path) -> None:
    packages.install(tiny_argosmodel)
    newer = build_argos_package(tmp_path, package_version="1.10", name="translate-ru_en-1_10")
    packages.install(newer)
    assert packages.find_for_pair("ru", "en").package_version == "1.10"
