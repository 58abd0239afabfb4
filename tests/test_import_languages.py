"""Importing texts in other languages: normalised BCP-47 tags everywhere import stores them,
`--lang`/`--target-lang` in any spelling, document roles and human names, `docs rename`.

The texts are small real paragraphs (Chinese, Romanian, German) about the events of the
seed letters, saved in the encodings such files arrive in.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tolmach.cli import main
from tolmach.text.langid import detect_language
from tolmach.text.pipeline import parse_bytes

ZH = """苏共中央致罗马尼亚共产党中央执行委员会的信

1968年8月21日，华沙条约组织五国的军队进入捷克斯洛伐克。罗马尼亚共产党总书记齐奥塞斯库
当天在布加勒斯特中央委员会大楼的阳台上发表讲话，谴责这次入侵。

苏联领导层对此非常不满。8月24日，苏共中央政治局给罗马尼亚共产党中央执行委员会写了一封信。
信中说，罗马尼亚方面的反应是“仓促的和错误的”。9月3日，苏联大使又转交了第二封信。
"""

ZH_HANT = "一九六八年八月，華沙條約組織的軍隊進入捷克斯洛伐克。羅馬尼亞領導人在布加勒斯特發表講話，譴責這次入侵。蘇聯領導層對此非常不滿。"

RO = """Scrisoarea Comitetului Central al PCUS din 24 august 1968

În dimineaţa zilei de 21 august 1968, Nicolae Ceauşescu a ţinut un discurs de la balconul
Comitetului Central. El a condamnat invazia Cehoslovaciei de către trupele a cinci state
ale Tratatului de la Varşovia. Mulţimea adunată în piaţă l-a aplaudat îndelung.

Conducerea sovietică a reacţionat printr-o scrisoare severă, trimisă la Bucureşti trei zile
mai târziu. Documentul se păstrează astăzi la Arhivele Naţionale Istorice Centrale.
"""

DE = """Die rumänische Haltung im August 1968

Am 21. August 1968 marschierten Truppen von fünf Staaten des Warschauer Paktes in die
Tschechoslowakei ein. Der rumänische Parteichef Nicolae Ceauşescu verurteilte die Invasion
noch am selben Tag in einer Rede vom Balkon des Zentralkomitees.

Die sowjetische Führung antwortete drei Tage später mit einem scharfen Brief. Darin hieß es,
die Reaktion der Rumänen sei übereilt und zutiefst falsch gewesen.
"""

RU_LETTER = "Уважаемые товарищи!\n\nМы получили ваше письмо от 26 августа и внимательно его изучили.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The three texts as they arrive: UTF-8 Chinese, cp1250 Romanian, UTF-16 German."""
    out = {}
    for name, text, encoding in (("zh", ZH, "utf-8"), ("ro", RO, "cp1250"), ("de", DE, "utf-16")):
        path = tmp_path / f"{name}-letter.txt"
        path.write_bytes(text.encode(encoding))
        out[name] = path
    return out


def test_detector_labels_never_leave_langid():
    assert detect_language(ZH) == "zh-Hans"  # langdetect says zh-cn
    assert detect_language(ZH_HANT) == "zh-Hant"  # langdetect says zh-tw
    assert detect_language("短", default="zh-cn") == "zh-Hans"  # a default in any spelling


def test_chinese_romanian_german_import_with_their_tags(capsys, tmp_path, files):
    db = str(tmp_path / "langs.db")
    code, out, err = run(capsys, "--db", db, "import", *(str(p) for p in files.values()))
    assert code == 0 and err == "", err
    docs = {d["source_lang"]: d for d in json_lines(run(capsys, "--db", db, "docs", "--json")[1])}
    assert set(docs) == {"zh-Hans", "ro", "de"}
    assert docs["zh-Hans"]["name"] == "苏共中央致罗马尼亚共产党中央执行委员会的信"
    assert docs["ro"]["name"] == "Scrisoarea Comitetului Central al PCUS din 24 august 1968"
    assert docs["de"]["name"] == "Die rumänische Haltung im August 1968"
    assert {d["role"] for d in docs.values()} == {"translate"}
    assert {d["target_lang"] for d in docs.values()} == {"en"}
    for tag, doc in docs.items():
        rows = json_lines(run(capsys, "--db", db, "show", str(doc["id"]), "--json")[1])
        assert {r["lang"] for r in rows} == {tag}, rows
    zh = json_lines(run(capsys, "--db", db, "show", str(docs["zh-Hans"]["id"]), "--json")[1])
    assert [r["source"] for r in zh[1:3]] == [
        "1968年8月21日，华沙条约组织五国的军队进入捷克斯洛伐克。",
        "罗马尼亚共产党总书记齐奥塞斯库当天在布加勒斯特中央委员会大楼的阳台上发表讲话，谴责这次入侵。",  # no space at the wrap
    ]
    de = json_lines(run(capsys, "--db", db, "show", str(docs["de"]["id"]), "--json")[1])
    assert de[1]["source"].startswith("Am 21. August 1968 marschierten")  # "21." does not end a sentence
    # what is in the database itself, not only what the CLI prints
    with sqlite3.connect(db) as con:
        stored = {r[0] for r in con.execute("SELECT lang FROM segments")} | {
            r[0] for r in con.execute("SELECT source_lang FROM documents")
        }
    assert stored == {"zh-Hans", "ro", "de"}


@pytest.mark.parametrize(
    ("spelling", "stored"), [("zh-cn", "zh-Hans"), ("ZH_TW", "zh-Hant"), ("ro_RO", "ro-RO"), ("rum", "ro"), ("DE", "de")]
)
def test_lang_option_takes_any_spelling(capsys, tmp_path, files, spelling, stored):
    db = str(tmp_path / "lang.db")
    source = files["zh"] if spelling.lower().startswith("zh") else files["ro"] if "r" in spelling.lower() else files["de"]
    assert run(capsys, "--db", db, "import", "--lang", spelling, str(source))[0] == 0
    doc = json_lines(run(capsys, "--db", db, "docs", "--json")[1])[0]
    assert doc["source_lang"] == stored
    rows = json_lines(run(capsys, "--db", db, "show", str(doc["id"]), "--json")[1])
    assert {r["lang"] for r in rows} == {stored}


@pytest.mark.parametrize(("option", "value"), [("--lang", "x!"), ("--target-lang", "english language"), ("--lang", ""),
                                               ("--lang", "russian"), ("--target-lang", "English")])
def test_a_bad_language_is_one_sentence_and_creates_nothing(capsys, tmp_path, files, option, value):
    db = tmp_path / "bad.db"
    code, out, err = run(capsys, "--db", str(db), "import", option, value, str(files["de"]))
    if value == "":  # an empty --lang means "detect", as if it were not given
        assert code == 0
        return
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and repr(value) in err and "language tag" in err
    assert not db.exists()


def test_a_document_in_the_target_language_is_reference(capsys, tmp_path, files):
    db = str(tmp_path / "roles.db")
    assert run(capsys, "--db", db, "import", "--target-lang", "DE", str(files["de"]))[0] == 0
    assert run(capsys, "--db", db, "import", "--target-lang", "de", str(files["ro"]))[0] == 0
    docs = {d["source_lang"]: d for d in json_lines(run(capsys, "--db", db, "docs", "--json")[1])}
    assert (docs["de"]["role"], docs["de"]["target_lang"], docs["de"]["untranslated"]) == ("reference", "de", 0)
    assert (docs["ro"]["role"], docs["ro"]["target_lang"]) == ("translate", "de")
    assert docs["ro"]["untranslated"] == docs["ro"]["beads"] > 0
    table = run(capsys, "--db", db, "docs")[1]
    de_line = next(l for l in table.splitlines() if "Die rumänische Haltung" in l)
    ro_line = next(l for l in table.splitlines() if "Scrisoarea" in l)
    assert "reference" in de_line and "/" not in de_line.split("de", 1)[1]
    assert "ro→de" in ro_line and "0/" in ro_line


def test_role_and_name_options(capsys, tmp_path, files):
    db = str(tmp_path / "opts.db")
    letter = tmp_path / "letter.txt"
    letter.write_text(RU_LETTER, encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "import", "--role", "reference", "--name", "Ответ РКП", str(letter))
    assert code == 0 and '"Ответ РКП" (reference)' in out
    english = tmp_path / "note.txt"
    english.write_text("The letter of the Soviet leadership was delivered by the ambassador on 3 September.\n")
    assert run(capsys, "--db", db, "import", "--role", "TRANSLATE", "--target-lang", "ro", str(english))[0] == 0
    docs = {d["name"]: d for d in json_lines(run(capsys, "--db", db, "docs", "--json")[1])}
    assert (docs["Ответ РКП"]["role"], docs["Ответ РКП"]["source_lang"]) == ("reference", "ru")
    assert (docs["note"]["role"], docs["note"]["source_lang"], docs["note"]["target_lang"]) == ("translate", "en", "ro")
    # --name names one document
    code, out, err = run(capsys, "--db", db, "import", "--name", "X", str(files["de"]), str(files["ro"]))
    assert code == 1 and "--name names one document" in err
    code, _, err = run(capsys, "--db", db, "import", "--role", "archive", str(files["de"]))
    assert code == 2 and "archive" in err  # click refuses a role it does not know


def test_docs_rename(capsys, tmp_path, files):
    db = str(tmp_path / "rename.db")
    assert run(capsys, "--db", db, "import", str(files["de"]), str(files["ro"]))[0] == 0
    code, out, err = run(capsys, "--db", db, "docs", "rename", "Die rumänische Haltung im August 1968", "Haltung 1968")
    assert (code, out.strip(), err) == (0, 'Renamed "Die rumänische Haltung im August 1968" to "Haltung 1968".', "")
    names = [d["name"] for d in json_lines(run(capsys, "--db", db, "docs", "--json")[1])]
    assert names[0] == "Haltung 1968"
    # by id, and by the file name the document was named after before
    assert run(capsys, "--db", db, "docs", "rename", "2", "Scrisoarea")[0] == 0
    assert run(capsys, "--db", db, "docs", "rename", "de-letter", "Haltung")[0] == 0
    assert [d["name"] for d in json_lines(run(capsys, "--db", db, "docs", "--json")[1])] == ["Haltung", "Scrisoarea"]
    code, _, err = run(capsys, "--db", db, "docs", "rename", "Haltung", "Scrisoarea")
    assert code == 1 and "already a document named 'Scrisoarea'" in err
    code, _, err = run(capsys, "--db", db, "docs", "rename", "Nothing", "Else")
    assert code == 1 and "No document named 'Nothing'" in err
    code, _, err = run(capsys, "--db", db, "docs", "rename", "Haltung", "  ")
    assert code == 1 and "empty" in err


def test_parse_keeps_lang_override_normalised():
    doc = parse_bytes(ZH.encode("utf-8"), "zh.txt", lang="zh-cn").documents[0]
    assert doc.lang == "zh-Hans" and {s.lang for s in doc.segments} == {"zh-Hans"}


ZH_MODEL = Path(__file__).resolve().parents[2] / "shared" / "models" / "translate-zh_en-1_9.argosmodel"
if not ZH_MODEL.is_file():  # a worktree sits in /work/wt/issueN, the shared models in /work/shared
    ZH_MODEL = Path("/work/shared/models/translate-zh_en-1_9.argosmodel")


@pytest.mark.slow
@pytest.mark.skipif(
    not (ZH_MODEL.is_file() or os.environ.get("TOLMACH_TEST_MODEL")),
    reason="real model translate-zh_en-1_9.argosmodel not found: run `python scripts/get_zh_model.py` "
    "or set TOLMACH_TEST_MODEL=/path/to/it",
)
def test_chinese_file_translates_with_the_real_model_without_lang(tmp_path, files):
    """`import` (no --lang) then `translate`: the document is zh-Hans, the package is zh."""
    model = Path(os.environ.get("TOLMACH_TEST_MODEL") or ZH_MODEL)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p),
        "TOLMACH_MODELS_DIR": str(tmp_path / "models"),
        "TOLMACH_DB": str(tmp_path / "zh.db"),
    }

    def tolmach(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tolmach", *args], env=env, capture_output=True, text=True, timeout=600
        )

    assert tolmach("model", "install", str(model)).returncode == 0
    assert tolmach("import", str(files["zh"])).returncode == 0
    done = tolmach("translate", "苏共中央致罗马尼亚共产党中央执行委员会的信")
    assert done.returncode == 0, done.stderr
    rows = json_lines(tolmach("show", "zh-letter", "--json").stdout)
    assert {r["lang"] for r in rows} == {"zh-Hans"}
    assert all(r["status"] == "machine" and r["target"] for r in rows)
    english = " ".join(r["target"] for r in rows)
    assert "Romania" in english and not any("\u4e00" <= ch <= "\u9fff" for ch in english)


def test_set_lang_and_align_refuse_a_language_name(capsys, tmp_path, files):
    """`russian` is well-formed BCP-47 (5 to 8 letters), but no language's code: it was
    stored, and then nothing (glossary, models, QA) recognised the document's language."""
    db = str(tmp_path / "names.db")
    assert run(capsys, "--db", db, "import", str(files["de"]))[0] == 0
    doc = json_lines(run(capsys, "--db", db, "docs", "--json")[1])[0]
    code, _, err = run(capsys, "--db", db, "docs", "set-lang", str(doc["id"]), "german")
    assert code == 1 and "'german' is not a language code" in err
    assert json_lines(run(capsys, "--db", db, "docs", "--json")[1])[0]["source_lang"] == "de"
    code, out, err = run(capsys, "--db", db, "align", str(files["de"]), str(files["de"]), "--src-lang", "german")
    assert code == 1 and out == "" and "--src-lang 'german' is not a language tag" in err
