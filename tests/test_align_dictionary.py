"""General bilingual dictionaries (dictd/FreeDict and TSV) as alignment evidence.

The dictd files are written here as dictd writes them: ``NAME.index`` lines
``headword TAB offset TAB length`` with the numbers in dictd's base64, and the entries in
``NAME.dict`` (or gzip-compressed, ``NAME.dict.dz``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tolmach.align import Aligner
from tolmach.align import dictionary
from tolmach.align.dictionary import dictd_number, installed_dictionary, read_dictionary
from tolmach.align.io import parse_line, read_alignments
from tolmach.cli import main
from tolmach.errors import InputError

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
RUEN = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "ru-en"


def b64(n: int) -> str:
    out = ""
    while True:
        out = B64[n % 64] + out
        n //= 64
        if n == 0:
            return out


def write_dictd(folder, name: str, entries: list[tuple[str, str]], *, compress: bool = False):
    """A dictd dictionary: (index headword, entry text) pairs, with the database header."""
    entries = [("00databaseshort", "00-database-short\n   Test Dictionary\n"), *entries]
    body = b""
    index = []
    for head, text in entries:
        data = text.encode("utf-8")
        index.append(f"{head}\t{b64(len(body))}\t{b64(len(data))}")
        body += data
    (folder / f"{name}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    if compress:
        (folder / f"{name}.dict.dz").write_bytes(gzip.compress(body))
    else:
        (folder / f"{name}.dict").write_bytes(body)
    return folder / f"{name}.index"


#: Entries in the shape of FreeDict's German–French dictionary (wikdict): headword line
#: with pronunciation and part of speech, translations, definitions in German, numbered senses.
DEU_FRA = [
    ("haus", "Haus /haʊ̯s/ <n, neut>\nmaison, demeure\nGebäude, in dem Menschen wohnen\n"),
    ("gehen", "gehen /ˈɡeːən/ <v>\n1. aller, marcher\nsich zu Fuß fortbewegen\n2. partir\nweggehen\n"),
    ("die", "die <art>\nla, les, qui, que, laquelle, lesquelles\n"),
    ("ins bett gehen", "ins Bett gehen <v>\naller au lit, se coucher\n"),
    ("regierung", "Regierung /ʁeˈɡiːʁʊŋ/ <n, fem>\ngouvernement 2.\noberste Behörde eines Staates\n 3.\nHerrschaft\n"),
    ("sagen", "sagen <v>\ndire, raconter, affirmer, prétendre, déclarer\n"),
]


def test_dictd_numbers_are_base64_most_significant_first():
    assert dictd_number("A") == 0 and dictd_number("/") == 63
    assert dictd_number("BA") == 64
    assert dictd_number("C1C") == 2 * 64 * 64 + 53 * 64 + 2
    assert all(dictd_number(b64(n)) == n for n in (0, 1, 63, 64, 4095, 123_456_789))
    with pytest.raises(InputError, match="not a dictd base64 number"):
        dictd_number("C*")


@pytest.mark.parametrize("compress", [False, True])
def test_dictd_one_word_translations_with_capped_fan_out(tmp_path, compress):
    index = write_dictd(tmp_path, "freedict-deu-fra", DEU_FRA, compress=compress)
    pairs = read_dictionary(index, "de", "fr", max_per_word=2)
    assert ("Haus", "maison") in pairs and ("Haus", "demeure") in pairs
    # numbered senses are read, the German definitions under them are not
    assert ("gehen", "aller") in pairs and ("gehen", "marcher") in pairs and ("gehen", "partir") not in pairs
    assert not any(t in ("Gebäude", "sich", "weggehen", "Herrschaft", "oberste") for _, t in pairs)
    # the sense number dictd leaves at the end of a line is not part of the translation
    assert ("Regierung", "gouvernement") in pairs
    # phrase entries give nothing: "ins Bett gehen" is not paired word by word
    assert not any(s in ("ins", "Bett") or t in ("lit", "coucher") for s, t in pairs)
    # fan-out: "sagen" keeps its first two renderings; words shorter than 3 letters go
    assert [t for s, t in pairs if s == "sagen"] == ["dire", "raconter"]
    assert [t for s, t in pairs if s == "die"] == ["les", "qui"]
    assert not any(s.startswith("00") for s, _ in pairs)
    # the .dict(.dz) file names the same dictionary as its .index
    body = tmp_path / ("freedict-deu-fra.dict.dz" if compress else "freedict-deu-fra.dict")
    assert read_dictionary(body, "de", "fr", max_per_word=2) == pairs
    # by default one partner a word; longer words only, if asked
    assert read_dictionary(index, "de", "fr", min_length=4) == [
        ("Haus", "maison"), ("gehen", "aller"), ("Regierung", "gouvernement"), ("sagen", "dire"),
    ]  # fmt: skip
    assert [t for s, t in read_dictionary(index, "de", "fr") if s == "die"] == ["les"]
    # given the texts' words, only the entries of headwords they contain are read
    assert read_dictionary(index, "de", "fr", vocabulary=({"haus", "sagen"}, {"maison"})) == [("Haus", "maison"), ("sagen", "dire")]
    assert read_dictionary(index, "fr", "de", vocabulary=({"maison"}, {"haus"})) == [("maison", "Haus")]


def test_a_freedict_file_is_turned_round_for_the_reverse_pair_and_refused_for_another(tmp_path):
    index = write_dictd(tmp_path, "freedict-deu-fra", DEU_FRA)
    assert ("maison", "Haus") in read_dictionary(index, "fr", "de")
    with pytest.raises(InputError, match="is a de–fr dictionary; the texts are ru–en"):
        read_dictionary(index, "ru", "en")


def test_tsv_dictionary_and_clear_errors(tmp_path):
    tsv = tmp_path / "words.tsv"
    tsv.write_text("# ru → en\nкошка\tcat\tpussy\nсобака\tdog\nбелый медведь\tpolar bear\n", encoding="utf-8")
    assert read_dictionary(tsv, "ru", "en", max_per_word=2) == [("кошка", "cat"), ("кошка", "pussy"), ("собака", "dog")]
    (tmp_path / "bad.tsv").write_text("кошка\tcat\nсобака dog\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv, line 2: expected 'source TAB target'"):
        read_dictionary(tmp_path / "bad.tsv", "ru", "en")
    (tmp_path / "only.index").write_text("haus\tA\tB\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"needs both only.index and only.dict"):
        read_dictionary(tmp_path / "only.index", "de", "fr")
    broken = write_dictd(tmp_path, "broken", DEU_FRA[:1])
    broken.write_text(broken.read_text(encoding="utf-8") + "gehen\tZZZ\tB\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.index, line 3: the entry 'gehen' lies past the end"):
        read_dictionary(broken, "de", "fr")


#: Russian sentences and their English translations: no numbers, names or cognates and
#: close lengths, so only word translations tell which sentence goes with which.  The
#: fifth Russian sentence (the boy fishing) has no English.
RU = [
    "Серая кошка целый день спит на тёплой крыше старого сарая и не слышит, как её зовут.",
    "Большая собака громко лает во дворе, когда почтальон приносит газеты и письма.",
    "Старик каждый вечер читает толстую книгу у окна и пьёт крепкий горячий чай.",
    "Маленькая девочка рисует жёлтое солнце, зелёную траву и синее небо над лесом.",
    "Мальчик долго ловит большую рыбу в широкой реке у мельницы и несёт её домой.",
    "Бабушка печёт вкусный яблочный пирог для внуков, которые приедут в субботу.",
    "Холодный осенний ветер гонит серые облака над полями, и скоро пойдёт дождь.",
    "Усталая лошадь пьёт холодную воду из колодца после долгой дороги через лес.",
]
EN = [
    "The grey cat sleeps all day on the warm roof of the old barn and does not hear anyone calling her.",
    "The big dog barks loudly in the yard when the postman brings newspapers and letters.",
    "Every evening the old man reads a thick book by the window and drinks strong hot tea.",
    "The little girl draws a yellow sun, green grass and a blue sky above the forest.",
    "Grandmother bakes a tasty apple pie for her grandchildren, who will come on Saturday.",
    "A cold autumn wind drives grey clouds over the fields, and soon it will rain.",
    "The tired horse drinks cold water from the well after a long road through the forest.",
]
WORDS = [
    ("кошка", "cat"), ("спит", "sleeps"), ("крыше", "roof"), ("собака", "dog"), ("лает", "barks"),
    ("дворе", "yard"), ("старик", "old"), ("читает", "reads"), ("книгу", "book"), ("девочка", "girl"),
    ("рисует", "draws"), ("солнце", "sun"), ("мальчик", "boy"), ("ловит", "catches"), ("рыбу", "fish"),
    ("реке", "river"), ("бабушка", "grandmother"), ("печёт", "bakes"), ("пирог", "pie"), ("ветер", "wind"),
    ("облака", "clouds"), ("лошадь", "horse"), ("пьёт", "drinks"), ("воду", "water"), ("холодную", "cold"),
    ("газеты", "newspapers"), ("письма", "letters"), ("окна", "window"), ("траву", "grass"), ("небо", "sky"),
    ("лесом", "forest"), ("внуков", "grandchildren"), ("субботу", "Saturday"), ("полями", "fields"),
    ("дождь", "rain"), ("колодца", "well"), ("дороги", "road"), ("сарая", "barn"), ("почтальон", "postman"),
]


def test_a_dictionary_pairs_sentences_lengths_cannot(tmp_path, capsys):
    """Without evidence of meaning, lengths put the gap in the wrong place; with a
    dictionary every bead is right, by the API and by `tolmach align --dict`, the
    untranslated sentence left alone: what the dictionary adds to the similarity of the
    1:1 beside it no longer makes the merge with it cheaper than the skip (it was glued
    to that neighbour, ``(4, 5) : (4,)``)."""
    gold = {((i,), (i,)) for i in range(4)} | {((4,), ())} | {((i,), (i - 1,)) for i in range(5, 8)}

    def one_to_one(beads):
        return {(b.src, b.tgt) for b in beads if len(b.src) == len(b.tgt) == 1}

    alone = one_to_one(Aligner().align(RU, EN))
    beads = Aligner(general=WORDS).align(RU, EN)
    helped = one_to_one(beads)
    assert alone - gold  # lengths alone pair some sentences wrongly
    assert {(b.src, b.tgt) for b in beads} == gold

    (tmp_path / "ru.txt").write_text("\n".join(RU) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    index = write_dictd(tmp_path, "freedict-eng-rus", [(e.lower(), f"{e}\n{r}\n") for r, e in WORDS])
    base = ["--db", str(tmp_path / "t.db"), "align", str(tmp_path / "ru.txt"), str(tmp_path / "en.txt"), "--no-mt"]
    main([*base, "--dict", str(index)])
    beads = [parse_line(line) for line in capsys.readouterr().out.splitlines()]
    assert {b for b in beads if len(b[0]) == len(b[1]) == 1} == helped
    with pytest.raises(SystemExit) as exc:
        main([*base, "--dict", str(tmp_path / "missing.tsv")])
    assert exc.value.code == 1 and "missing.tsv: no such dictionary file." in capsys.readouterr().err


#: A general dictionary's common words, one partner each (as FreeDict's first senses):
#: pairs that hold in many sentences of any news text.
COMMON_RU_EN = [
    ("что", "that"), ("как", "how"), ("где", "where"), ("когда", "when"), ("потом", "then"), ("тоже", "too"),
    ("также", "also"), ("уже", "already"), ("только", "just"), ("даже", "even"), ("более", "more"),
    ("после", "after"), ("над", "over"), ("все", "all"), ("хорошо", "good"), ("должен", "should"),
    ("спрашивать", "ask"), ("делать", "make"), ("место", "place"), ("согласен", "agree"), ("высокий", "high"),
    ("Россия", "Russia"), ("время", "time"), ("год", "year"),
]  # fmt: skip


@pytest.mark.skipif(not (RUEN / "dev.names").is_file(), reason="benchmarks/data/ru-en is missing")
def test_common_word_pairs_do_not_glue_an_untranslated_line(tmp_path):
    """Three ru-en dev news documents, each with an English line the Russian lacks, aligned
    as `tolmach align SRC TGT --dict` does (bundled glossaries loaded): with a dictionary
    of common words the line stays a 0:1 bead, as without one.  Those pairs made the
    1:1 beside it more similar, and so (a merge's dissimilarity is priced per sentence,
    (a+b)/2) the 1:2 glueing the line to it cheaper than the 1:1 and a skip, and they moved
    the confident beads the lexicon is learned from: the line was glued in all three."""
    from tolmach.service.alignment import align_files
    from tolmach.service.glossary import ensure_loaded
    from tolmach.store import open_store

    store = open_store(tmp_path / "t.db")
    ensure_loaded(store)
    tsv = tmp_path / "ru-en.tsv"
    tsv.write_text("".join(f"{r}\t{e}\n" for r, e in COMMON_RU_EN), encoding="utf-8")
    for name, line in (("news20", 36), ("news23", 17), ("news17", 22)):
        assert ((), (line,)) in read_alignments(RUEN / f"{name}.ruen")
        src, tgt = RUEN / f"{name}.ru", RUEN / f"{name}.en"
        for dicts in ([], [tsv]):
            beads = [(b.src, b.tgt) for b in align_files(store, src, tgt, "ru", "en", use_mt=False, dictionaries=dicts, use_dict=False).beads]
            assert ((), (line,)) in beads, (name, dicts)


def test_align_document_with_a_dictionary_and_a_refused_one(seeded_store, tmp_path):
    """`tolmach align DOC --target FILE --dict`: a dictionary keeps Document II's right
    alignment right; a dictionary for another pair is one clear error and nothing changes."""
    from tolmach.service.alignment import align_document
    from tolmach.service.glossary import ensure_loaded

    from test_align_aligner import DATA
    from test_align_service import doc_beads

    ensure_loaded(seeded_store)
    plain = align_document(seeded_store, "Document II", DATA / "document-ii.en.txt", use_dict=False)
    before = [(b.src_start, b.src_end, b.target) for b in doc_beads(seeded_store)]
    tsv = tmp_path / "ru-en.tsv"
    tsv.write_text("предложение\tproposal\nсовещание\tmeeting\nсилами\tforces\nдекларации\tDeclaration\n", encoding="utf-8")
    report = align_document(seeded_store, "Document II", DATA / "document-ii.en.txt", dictionaries=[tsv])
    assert report.shapes == plain.shapes
    assert [(b.src_start, b.src_end, b.target) for b in doc_beads(seeded_store)] == before
    wrong = write_dictd(tmp_path, "freedict-deu-fra", DEU_FRA)
    with pytest.raises(InputError, match="is a de–fr dictionary; the texts are ru–en"):
        align_document(seeded_store, "Document II", DATA / "document-ii.en.txt", dictionaries=[wrong])
    assert [(b.src_start, b.src_end, b.target) for b in doc_beads(seeded_store)] == before


#: The first users' pair's FreeDict (Debian dict-freedict-eng-rus, in scripts/test-packages.txt).
ENG_RUS = installed_dictionary("ru", "en")
needs_eng_rus = pytest.mark.skipif(ENG_RUS is None, reason="Debian package dict-freedict-eng-rus is not installed")


@needs_eng_rus
@pytest.mark.parametrize("pair", ["ru-en", "en-ru"])
def test_the_installed_freedict_is_used_by_default_and_no_dict_leaves_it_out(tmp_path, capsys, pair):
    """`tolmach align SRC TGT` with no --dict finds the installed FreeDict English–Russian
    dictionary (either direction serves), says so on stderr, and with it every bead of the
    short text above is right; --no-dict aligns as lengths alone do (wrongly here)."""
    sl, tl = pair.split("-")
    texts = {"ru": RU, "en": EN}
    gold = {((i,), (i,)) for i in range(4)} | {((4,), ())} | {((i,), (i - 1,)) for i in range(5, 8)}
    if sl == "en":
        gold = {(t, s) for s, t in gold}
    for lang in (sl, tl):
        (tmp_path / f"t.{lang}").write_text("\n".join(texts[lang]) + "\n", encoding="utf-8")
    base = ["--db", str(tmp_path / "t.db"), "align", str(tmp_path / f"t.{sl}"), str(tmp_path / f"t.{tl}"),
            "--src-lang", sl, "--tgt-lang", tl, "--no-mt"]  # fmt: skip
    main(base)
    out = capsys.readouterr()
    assert {parse_line(line)[:2] for line in out.out.splitlines()} == gold
    assert f"using the installed dictionary {ENG_RUS}" in out.err
    main([*base, "--no-dict"])
    out = capsys.readouterr()
    alone = {parse_line(line)[:2] for line in out.out.splitlines()}
    assert alone != gold and alone == {(b.src, b.tgt) for b in Aligner().align(texts[sl], texts[tl])}
    assert "dictionary" not in out.err
    with pytest.raises(SystemExit) as exc:
        main([*base, "--no-dict", "--dict", str(ENG_RUS)])
    assert exc.value.code == 1 and "either --dict PATH or --no-dict" in capsys.readouterr().err


def test_the_finder_takes_either_direction_and_a_broken_default_is_no_error(tmp_path, monkeypatch, capsys):
    """The finder matches FreeDict's 3-letter names to the pair either way round (its own
    direction first) and wants the body beside the index; a pair with none aligns as
    before, and an installed dictionary that cannot be read is passed over with a note."""
    from tolmach.service.alignment import align_files

    assert installed_dictionary("de", "fr", (tmp_path,)) is None
    index = write_dictd(tmp_path, "freedict-deu-fra", DEU_FRA, compress=True)
    (tmp_path / "freedict-eng-rus.index").write_text("", encoding="utf-8")  # no body: not installed
    assert installed_dictionary("de", "fr", (tmp_path,)) == index
    assert installed_dictionary("fr-FR", "de", (tmp_path,)) == index
    assert installed_dictionary("ru", "en", (tmp_path,)) is None
    assert installed_dictionary("de", "fr", (tmp_path / "missing",)) is None
    turned = write_dictd(tmp_path, "freedict-fra-deu", DEU_FRA)
    assert installed_dictionary("fr", "de", (tmp_path,)) == turned

    monkeypatch.setattr(dictionary, "DICTD_FOLDERS", (tmp_path,))
    src, tgt = tmp_path / "t.de", tmp_path / "t.fr"
    src.write_text("Das Haus ist alt.\nWir gehen nach Hause.\n", encoding="utf-8")
    tgt.write_text("La maison est vieille.\nNous allons à la maison.\n", encoding="utf-8")
    notes: list[str] = []
    used = align_files(None, src, tgt, "de", "fr", use_mt=False, on_progress=notes.append)
    assert used.used_dict == str(index) and used.dictionary_pairs > 0 and "using the installed dictionary" in notes[0]
    index.with_name("freedict-deu-fra.dict.dz").write_bytes(b"not gzip")
    notes.clear()
    broken = align_files(None, src, tgt, "de", "fr", use_mt=False, on_progress=notes.append)
    assert broken.used_dict == "" and broken.dictionary_pairs == 0 and "could not be read" in notes[0]
    plain = align_files(None, src, tgt, "de", "fr", use_mt=False, use_dict=False)
    assert [(b.src, b.tgt) for b in broken.beads] == [(b.src, b.tgt) for b in plain.beads]
    with pytest.raises(InputError, match=r"freedict-deu-fra.dict.dz: cannot be read as a dictd dictionary body"):
        align_files(None, src, tgt, "de", "fr", use_mt=False, dictionaries=[index])  # named by the user: an error


@needs_eng_rus
def test_align_document_uses_the_installed_dictionary_and_says_so(seeded_store):
    """The service's document path (the workbench's and `tolmach align DOC --target`) has
    the same default, reported in its summary."""
    from tolmach import wording
    from tolmach.service.alignment import align_document

    from test_align_aligner import DATA

    notes: list[str] = []
    report = align_document(seeded_store, "Document II", DATA / "document-ii.en.txt", on_progress=notes.append)
    assert report.used_dict == str(ENG_RUS)
    assert f"dictionary {ENG_RUS} used as evidence" in wording.align_summary(report)
    assert any(f"using the installed dictionary {ENG_RUS}" in n for n in notes)
    report = align_document(seeded_store, "Document II", DATA / "document-ii.en.txt", use_dict=False)
    assert report.used_dict == ""


def test_the_installed_dictionary_is_found_and_read_without_the_store(tmp_path):
    """What a library caller (and ``benchmarks/align_scale.py``) pays to align with the
    installed dictionary: the finder and reader live in the aligner's package, so neither
    SQLAlchemy nor the store nor the service layer is imported (~34 MB of a process's
    memory).  Checked in a fresh interpreter, where nothing else has imported them."""
    import subprocess
    import sys

    write_dictd(tmp_path, "freedict-deu-fra", DEU_FRA, compress=True)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tolmach.align import Aligner, dictionary\n"
        f"dictionary.DICTD_FOLDERS = (Path({str(tmp_path)!r}),)\n"
        "src = ['Das Haus ist alt.', 'Wir gehen nach Hause.']\n"
        "tgt = ['La maison est vieille.', 'Nous allons à la maison.']\n"
        "pairs, used = dictionary.general_dictionary((), True, 'de', 'fr', [(src, tgt)])\n"
        "beads = Aligner(general=pairs).align(src, tgt)\n"
        "print(len(pairs), used.endswith('freedict-deu-fra.index'), [(b.src, b.tgt) for b in beads])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' or m.startswith(('tolmach.store', 'tolmach.service'))))\n"
    )
    src_dir = Path(__file__).resolve().parents[1] / "src"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(src_dir), "TOLMACH_DP": "numpy", "PATH": "/usr/bin:/bin"})  # fmt: skip
    found, loaded = out.stdout.strip().splitlines()
    assert found.split(" ", 2)[1:] == ["True", "[((0,), (0,)), ((1,), (1,))]"] and int(found.split()[0]) > 0
    assert loaded == "[]"


#: FreeDict's English–Russian shape: headword, then its translations.
ENG_RUS_ENTRIES = [("talk", "talk /tɔːk/\nговорить\n"), ("walk", "walk\nходить\n"), ("read", "read\nчитать\n")]


def test_an_inflected_word_of_the_texts_finds_its_headword(tmp_path):
    """English headwords are looked up less an inflection ("talking" → "talk"), the pair
    given as the text holds the word (its stem is what the aligner matches); a form whose
    shorter word is in the texts too, or a language without endings, is looked up as is."""
    index = write_dictd(tmp_path, "freedict-eng-rus", ENG_RUS_ENTRIES)
    words_of = ({"говоришь", "ходил"}, {"talking", "walked", "walk", "reads", "reading"})
    pairs = read_dictionary(index, "ru", "en", vocabulary=words_of)
    assert ("говорить", "talking") in pairs and ("ходить", "walk") in pairs
    assert ("ходить", "walked") not in pairs  # "walk" itself is in the text
    assert [t for s, t in pairs if s == "читать"] == ["reading"]  # one partner a word, as before
    assert not any(t in ("talk", "read") for _, t in pairs)
    # German headwords: no endings (they gained nothing on the dev sets)
    index = write_dictd(tmp_path, "freedict-deu-fra", DEU_FRA)
    assert read_dictionary(index, "de", "fr", vocabulary=({"hauses", "sagte"}, {"maison"})) == []


@needs_eng_rus
@pytest.mark.skipif(not (RUEN / "dev.names").is_file(), reason="benchmarks/data/ru-en is missing")
def test_the_installed_dictionary_reads_inflected_english(tmp_path):
    """ru–en dev news21 aligned as `tolmach align` does (the installed FreeDict, read
    ru→en): "talking" finds "talk" → говорить, which links « Не ругай это, пока ты не знаешь,
    о чем говоришь. » to its English line, and the untranslated Russian line after it
    stays a 1:0 bead; looked up as is (before), the word had no entry and the search
    shifted three beads (12 : 11 | 13, 14 : 12, 13 | 15 : 14)."""
    from tolmach.service.alignment import align_files
    from tolmach.service.glossary import ensure_loaded
    from tolmach.store import open_store

    store = open_store(tmp_path / "t.db")
    ensure_loaded(store)
    beads = {(b.src, b.tgt) for b in align_files(store, RUEN / "news21.ru", RUEN / "news21.en", "ru", "en", use_mt=False).beads}
    gold = read_alignments(RUEN / "news21.ruen")
    for bead in (((12,), (11, 12)), ((13,), (13,)), ((14,), (14,)), ((15,), ())):
        assert bead in gold and bead in beads, bead
