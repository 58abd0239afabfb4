"""The batched translator on a tiny real model: identical to argostranslate, offline, cached."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mt_fixtures import REPO, seed_lines, tiny_argosmodel, tiny_installed  # noqa: F401

from tolmach.errors import ModelError
from tolmach.mt import engine, packages
from mt_reference import argos_translate_fn

#: Seed sentences in both scripts plus edge shapes (punctuation only, digits, very short).
SENTENCES = seed_lines()[120:200] + ["Да.", "1968", "«»", "Уважаемые товарищи!", "ЦК КПСС"]


def test_batched_output_equals_argostranslate_sentence_by_sentence(tiny_installed) -> None:
    ours = engine.get_translator(tiny_installed).translate(SENTENCES)
    reference = argos_translate_fn(tiny_installed.path.parent, "ru", "en")
    theirs = [reference(s) for s in SENTENCES]
    assert ours == theirs
    assert all(o.strip() for o in ours)
    # the random model still depends on its input, so a batch mixed up in order would show
    assert len(set(ours)) > len(ours) // 5


def test_batch_equals_one_at_a_time_and_keeps_order(tiny_installed) -> None:
    tr = engine.get_translator(tiny_installed)
    batched = tr.translate(SENTENCES)
    single = [tr.translate([s])[0] for s in SENTENCES]
    assert batched == single
    assert tr.translate(list(reversed(SENTENCES))) == list(reversed(batched))


def test_multiline_segment_is_translated_line_by_line_like_argos(tiny_installed) -> None:
    tr = engine.get_translator(tiny_installed)
    text = "Уважаемые товарищи!\nНаш посол сообщил.\n\nЦК КПСС"
    reference = argos_translate_fn(tiny_installed.path.parent, "ru", "en")
    assert tr.translate([text]) == [reference(text)]
    assert tr.translate([text])[0].count("\n") == 3
    assert tr.translate(["", "   "]) == ["", ""]


def test_model_is_loaded_once_per_package_path(tiny_installed) -> None:
    first = engine.get_translator(tiny_installed)
    again = engine.get_translator(packages.find_for_pair("ru", "en"))
    assert again is first
    engine.forget(tiny_installed.path)
    assert engine.get_translator(tiny_installed) is not first


def test_reinstall_drops_the_cached_model(tiny_argosmodel: Path, tiny_installed) -> None:
    first = engine.get_translator(tiny_installed)
    packages.install(tiny_argosmodel)
    assert engine.get_translator(packages.find_for_pair("ru", "en")) is not first


def test_unloadable_model_is_a_model_error(tiny_installed) -> None:
    (tiny_installed.path / "model" / "model.bin").write_bytes(b"garbage" * 10)
    engine.forget(tiny_installed.path)
    with pytest.raises(ModelError, match="reinstall"):
        engine.get_translator(tiny_installed)


_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys
    calls = []
    def refuse(*args, **kwargs):
        calls.append(repr(args[:1]))
        raise OSError("networking is disabled in this test")
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    import urllib.request
    urllib.request.urlopen = refuse

    from tolmach.store import open_store
    from tolmach.service.translation import translate_document
    sys.path.insert(0, sys.argv[2])
    from mt_fixtures import add_document
    store = open_store(sys.argv[1])
    doc = add_document(store, "Offline", [("Уважаемые товарищи!", "ru", "salutation"),
                                          ("Наш посол сообщил.", "ru", "body")])
    report = translate_document(store, doc)
    print(json.dumps({
        "translated": report.translated,
        "network_calls": calls,
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in
                          ("stanza", "minisbd", "spacy", "requests", "urllib3")
                          or m in ("argostranslate.translate", "argostranslate.sbd",
                                   "argostranslate.networking", "argostranslate.settings")),
    }))
    """
)


def test_translation_runs_with_networking_disabled(tmp_path: Path, tiny_installed) -> None:
    """A fresh process with sockets refused drafts a document; no downloader is even imported."""
    script = tmp_path / "offline.py"
    script.write_text(_OFFLINE_SCRIPT, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "offline.db"), str(REPO / "tests")],
        capture_output=True, text=True, check=True, timeout=120,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"translated": 2, "network_calls": [], "modules": []}
