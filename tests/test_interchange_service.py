"""Export from and import into real SQLite databases: round trips, filters, safety, journal."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from interchange_fixtures import make_document, targets, validate_tmx, validate_xliff
from tolmach import wording
from tolmach.service.notices import NoticeKind
from tolmach.errors import InputError
from tolmach.interchange import get_format
from tolmach.interchange.moses import one_line, read_moses
from tolmach.interchange.xmlsafe import clean
from tolmach.service import beads as bead_service
from tolmach.service.interchange import export, import_tm
from tolmach.store import Bead, Document, Revision, Store, open_store

EXT = {"tmx": ".tmx", "xliff": ".xlf", "tsv": ".tsv", "jsonl": ".jsonl", "moses": ""}
BLANK = " \t\r\n"


def backup(store: Store, path: Path) -> Store:
    """A fresh, independent copy of a database (SQLite or PostgreSQL) in a SQLite file."""
    from tolmach.store.copy import copy_database

    copy_database(store, path)
    return open_store(path)


def export_and_import(src: Store, dst: Store, fmt: str, folder: Path, *, qa: bool | None = None) -> None:
    out = folder / f"export{EXT[fmt]}"
    report = export(src, None, fmt, out, qa=qa)
    if fmt == "moses":
        import_tm(dst, report.paths[0], target_path=report.paths[1])
    else:
        import_tm(dst, out)


def doc_ids(store: Store, *names: str) -> list[int]:
    with store.read() as s:
        return [s.scalar(select(Document.id).where(Document.name == n)) for n in names]


def translate_seeds(store: Store) -> None:
    """Give Documents I and II realistic targets (with markup-like and awkward text)."""
    for doc_id in doc_ids(store, "Document I", "Document II"):
        for b in bead_service.load_beads(store, doc_id):
            if b.number % 4 == 0:
                continue  # leave some beads untranslated
            text = f"Sentence {b.number} of the translation: «{b.source[:30]}» & <b>CPSU</b> [bold]\ttab"
            if b.number % 3 == 0:
                text += "\nsecond line"
            bead_service.edit_target(store, b.id, text)
        first = bead_service.load_beads(store, doc_id)[0]
        bead_service.set_status(store, first.id, "reviewed")


# ------------------------------------------------------------------ the seeds as a fixture


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "tsv", "jsonl", "moses"])
def test_seed_documents_round_trip(seeded_store: Store, tmp_path: Path, fmt: str) -> None:
    fresh = backup(seeded_store, tmp_path / "fresh.db")
    translate_seeds(seeded_store)
    export_and_import(seeded_store, fresh, fmt, tmp_path)
    expected = targets(seeded_store)
    if fmt == "moses":
        expected = [(d, n, one_line(t)) for d, n, t in expected]
    assert targets(fresh) == expected
    assert sum(1 for *_, t in targets(fresh) if t) > 25
    fresh.close()


def test_seed_export_units_match_the_beads(seeded_store: Store, tmp_path: Path) -> None:
    translate_seeds(seeded_store)
    ids = doc_ids(seeded_store, "Document I", "Document II")
    for fmt in ("tmx", "xliff", "jsonl", "tsv"):
        out = tmp_path / f"seed{EXT[fmt]}"
        report = export(seeded_store, ids, fmt, out, skip_empty=False)
        units = list(get_format(fmt).reader(out))
        beads = [(name, b) for name, i in zip(("Document I", "Document II"), ids) for b in bead_service.load_beads(seeded_store, i)]
        assert report.units == len(units) == len(beads) == 40
        for u, (name, b) in zip(units, beads):
            assert (u.document, u.number, u.source, u.target, u.status, u.bead_id) == (name, b.number, b.source, b.target, b.status, b.id)
            own = set(b.source_langs) - {"und"}  # a Romanian reference keeps its own tag
            src = own.pop() if len(own) == 1 else "ru"
            assert (u.src_lang, u.tgt_lang) == (src, "en" if u.target or fmt != "tmx" else "und")
        if fmt != "tsv":
            assert "ro" in {u.src_lang for u in units}  # the seeds' archival reference
    assert validate_tmx(tmp_path / "seed.tmx") == []
    assert validate_xliff(tmp_path / "seed.xlf") == []


# ------------------------------------------------------------------ property round trip

texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=15) | st.sampled_from(
    ["<b>x</b>", "[bold]", "&amp;", "a\tb", "a\nb", "a\r\nb", "\u2028", "\x01", "   ", "", "\\n"]
)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty Tolmach database file, copied per example (creating the schema is the slow part)."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    open_store(path).close()
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.lists(st.tuples(texts, texts), min_size=1, max_size=6), fmt=st.sampled_from(list(EXT)))
def test_any_text_survives_export_and_import(empty_db: Path, data: list[tuple[str, str]], fmt: str) -> None:
    sources = [f"{i}: {s}" for i, (s, _) in enumerate(data)]  # distinct, so source matching is unambiguous
    tgts = [t for _, t in data]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(empty_db, folder / "a.db")
        shutil.copy(empty_db, folder / "b.db")
        a, b = open_store(folder / "a.db"), open_store(folder / "b.db")
        make_document(a, "Doc <&>\t\"x\"", sources, targets=tgts)
        make_document(b, "Doc <&>\t\"x\"", sources)
        export_and_import(a, b, fmt, folder, qa=False)  # QA notes are tested separately
        got = [t for *_, t in targets(b)]
        a.close()
        b.close()
    expected = []
    for t in tgts:
        if not t.strip(BLANK):
            expected.append("")  # blank beads are not exported
            continue
        v = clean(t)[0] if fmt in ("tmx", "xliff") else one_line(t) if fmt == "moses" else t
        expected.append(v if v.strip(BLANK) else "")
    assert got == expected


# ------------------------------------------------------------------ export behaviour


@pytest.fixture
def doc_store(store: Store) -> Store:
    make_document(
        store, "Document I",
        ["Уважаемые товарищи!", "ЦК КПСС.", "Москва, 1968.", "Первая часть", "вторая часть."],
        targets=["Dear comrades!", "CC CPSU.", "", "First part second part.", "Added line."],
        statuses=["reviewed", "machine", "empty", "edited", "imported"],
        ranges=[(0, 1), (1, 2), (2, 3), (3, 5), (5, 5)],  # a 2:1 bead and a 0:1 bead
        origin="argos ru-en",
    )
    return store


def test_filters_by_status_and_emptiness(doc_store: Store, tmp_path: Path) -> None:
    assert export(doc_store, None, "jsonl", tmp_path / "a.jsonl").units == 4
    assert export(doc_store, None, "jsonl", tmp_path / "b.jsonl", skip_empty=False).units == 5
    r = export(doc_store, None, "jsonl", tmp_path / "c.jsonl", statuses={"reviewed", "edited"})
    units = list(get_format("jsonl").reader(tmp_path / "c.jsonl"))
    assert r.units == 2 and [u.status for u in units] == ["reviewed", "edited"]
    assert units[1].source == "Первая часть вторая часть."
    with pytest.raises(InputError, match="Unknown bead status 'done'"):
        export(doc_store, None, "tsv", tmp_path / "d.tsv", statuses={"done"})


def test_zero_to_one_bead_exports_with_empty_source(doc_store: Store, tmp_path: Path) -> None:
    export(doc_store, None, "tmx", tmp_path / "a.tmx")
    last = list(get_format("tmx").reader(tmp_path / "a.tmx"))[-1]
    assert (last.number, last.source, last.target) == (5, "", "Added line.")


def test_existing_file_needs_force_and_no_temp_files_remain(doc_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    out.write_text("precious")
    with pytest.raises(InputError, match="already exists; use the force option"):
        export(doc_store, None, "tmx", out)
    assert out.read_text() == "precious"
    export(doc_store, None, "tmx", out, force=True)
    assert validate_tmx(out) == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("test.db")) == ["out.tmx"]


def test_failure_while_writing_leaves_nothing(doc_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tolmach.interchange import tmx

    calls = []

    def boom(self, unit):  # noqa: ANN001
        calls.append(unit)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, unit)

    original = tmx.TmxWriter.write
    monkeypatch.setattr(tmx.TmxWriter, "write", boom)
    with pytest.raises(RuntimeError):
        export(doc_store, None, "tmx", tmp_path / "out.tmx")
    assert not any(p.name.startswith(".out.tmx") or p.name == "out.tmx" for p in tmp_path.iterdir())


def test_missing_folder_is_one_clear_error(doc_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        export(doc_store, None, "tsv", tmp_path / "nowhere" / "x.tsv")


def test_moses_names_files_by_language_and_refuses_mixed_pairs(doc_store: Store, tmp_path: Path) -> None:
    r = export(doc_store, None, "moses", tmp_path / "corpus")
    assert [p.name for p in r.paths] == ["corpus.ru", "corpus.en"]
    assert [(u.source, u.target) for u in read_moses(*r.paths)][0] == ("Уважаемые товарищи!", "Dear comrades!")
    make_document(doc_store, "Article", ["Hello."], targets=["Hello again."], src_lang="en", tgt_lang="en")
    with pytest.raises(InputError, match="mix language pairs"):
        export(doc_store, None, "moses", tmp_path / "mixed")
    with pytest.raises(InputError, match="both 'en'"):
        export(doc_store, doc_ids(doc_store, "Article"), "moses", tmp_path / "same")


def test_mixed_languages_give_tmx_srclang_all(doc_store: Store, tmp_path: Path) -> None:
    make_document(doc_store, "Article", ["Hallo."], targets=["Hello."], src_lang="de", tgt_lang="en")
    export(doc_store, None, "tmx", tmp_path / "all.tmx")
    assert 'srclang="*all*"' in (tmp_path / "all.tmx").read_text()
    assert validate_tmx(tmp_path / "all.tmx") == []
    units = list(get_format("tmx").reader(tmp_path / "all.tmx"))
    assert (units[-1].src_lang, units[-1].source, units[-1].target) == ("de", "Hallo.", "Hello.")


def test_xml_illegal_characters_are_removed_and_counted(store: Store, tmp_path: Path) -> None:
    if store.dialect == "postgresql":  # PostgreSQL cannot store NUL: refused with a clear message instead
        from tolmach.errors import DatabaseError

        with pytest.raises(DatabaseError, match="NUL"):
            make_document(store, "D", ["a\x07b"], targets=["c\x00d\x1be"])
        return
    make_document(store, "D", ["a\x07b"], targets=["c\x00d\x1be"])
    r = export(store, None, "xliff", tmp_path / "x.xlf")
    assert r.removed_chars == 3 and [(n.kind, n.n) for n in r.notices] == [(NoticeKind.REMOVED_CHARS, 3)]
    assert "3 character(s) that XML 1.0 does not allow" in wording.notice(r.notices[0])
    assert validate_xliff(tmp_path / "x.xlf") == []
    assert export(store, None, "jsonl", tmp_path / "x.jsonl").removed_chars == 0


def test_xliff_notes_carry_qa_warnings_and_export_survives_without_qa(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    make_document(store, "D", ["В 1968 году было 5 писем."], targets=["In 1969 there were letters."])
    export(store, None, "xliff", tmp_path / "qa.xlf")
    (unit,) = get_format("xliff").reader(tmp_path / "qa.xlf")
    assert unit.qa_notes and any("1968" in n or "number" in n for n in unit.qa_notes)
    monkeypatch.setitem(sys.modules, "tolmach.service.qa", None)  # import now raises ImportError
    export(store, None, "xliff", tmp_path / "noqa.xlf")
    (unit,) = get_format("xliff").reader(tmp_path / "noqa.xlf")
    assert unit.qa_notes == ()


def test_progress_reports_every_unit(doc_store: Store, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export(doc_store, None, "tsv", tmp_path / "p.tsv", on_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_unknown_document_id(doc_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No document with id 99"):
        export(doc_store, [99], "tsv", tmp_path / "x.tsv")


# ------------------------------------------------------------------ import behaviour


def _revisions(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Revision))


def _bead_count(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Bead))


def test_import_is_journalled_undoable_and_idempotent(doc_store: Store, tmp_path: Path) -> None:
    fresh = backup(doc_store, tmp_path / "fresh.db")
    with fresh.transaction() as s:
        for b in s.scalars(select(Bead)):
            b.target, b.status = "", "empty"
    export(doc_store, None, "tmx", tmp_path / "tm.tmx")
    beads_before, revs_before = _bead_count(fresh), _revisions(fresh)
    report = import_tm(fresh, tmp_path / "tm.tmx")
    assert len(report.changes) == 4 and {c.matched_by for c in report.changes} == {"position"}
    assert _bead_count(fresh) == beads_before  # never duplicates
    assert _revisions(fresh) == revs_before + 4
    bead = bead_service.load_beads(fresh, 1)[0]
    assert (bead.target, bead.status, bead.origin) == ("Dear comrades!", "reviewed", "tm.tmx")  # reviewed stays reviewed
    assert bead_service.history(fresh, bead.id)[0].action == "import"
    again = import_tm(fresh, tmp_path / "tm.tmx")
    assert (len(again.changes), again.unchanged) == (0, 4)
    assert _revisions(fresh) == revs_before + 4
    bead_service.undo(fresh, bead.id)
    assert bead_service.load_beads(fresh, 1)[0].target == ""
    fresh.close()


def test_import_follows_the_source_when_bead_numbers_moved(doc_store: Store, tmp_path: Path) -> None:
    """A merge after export renumbers beads; the source check stops a wrong position match."""
    fresh = backup(doc_store, tmp_path / "fresh.db")
    with fresh.transaction() as s:
        for b in s.scalars(select(Bead)):
            b.target, b.status = "", "empty"
    export(doc_store, None, "xliff", tmp_path / "tm.xlf")
    first = bead_service.load_beads(fresh, 1)[0]
    bead_service.merge_with_next(fresh, first.id)  # beads 1+2 -> 1; old 3.. become 2..
    report = import_tm(fresh, tmp_path / "tm.xlf")
    got = {b.number: b.target for b in bead_service.load_beads(fresh, 1)}
    assert got[3] == "First part second part."  # old bead 4, found by its source
    assert got[1] == ""  # the merged bead's source matches no unit
    assert report.unmatched == 3  # beads 1 and 2 (merged away) and the 0:1 bead, whose number moved
    assert [(c.number, c.matched_by) for c in report.changes] == [(3, "source")]
    fresh.close()


def test_foreign_tm_fills_every_identical_source(store: Store, tmp_path: Path) -> None:
    make_document(store, "A", ["Уважаемые товарищи!", "Иное."])
    make_document(store, "B", ["Уважаемые  товарищи!"])
    tm = tmp_path / "omegat.tmx"
    tm.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="ru" creationtool="x" creationtoolversion="1"'
        ' segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="ru"><seg>Уважаемые товарищи!</seg></tuv><tuv xml:lang="en"><seg>Dear comrades!</seg></tuv></tu>'
        '<tu><tuv xml:lang="ru"><seg>Нет такого.</seg></tuv><tuv xml:lang="en"><seg>No such.</seg></tuv></tu>'
        '<tu><tuv xml:lang="ru"><seg>Иное.</seg></tuv><tuv xml:lang="en"><seg></seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    report = import_tm(store, tm)
    assert (len(report.changes), report.unmatched, report.skipped_empty) == (2, 1, 1)
    assert report.unmatched_examples == ["Нет такого."]
    assert [t for *_, t in targets(store)] == ["Dear comrades!", "", "Dear comrades!"]


def test_conflicting_units_are_counted(store: Store, tmp_path: Path) -> None:
    make_document(store, "A", ["Да."])
    tm = tmp_path / "c.tsv"
    tm.write_text("source\ttarget\nДа.\tYes.\nДа.\tIndeed.\n", encoding="utf-8")
    report = import_tm(store, tm)
    assert report.conflicts == 1 and [t for *_, t in targets(store)] == ["Indeed."]


def test_dry_run_changes_nothing(doc_store: Store, tmp_path: Path) -> None:
    export(doc_store, None, "jsonl", tmp_path / "tm.jsonl")
    with doc_store.transaction() as s:
        s.scalars(select(Bead).where(Bead.position == 0)).one().target = "old"
    revs = _revisions(doc_store)
    # The bead changed after the export, within the same second or not: --prefer file makes
    # the unit apply whatever the clock (under "newer" a second boundary decides).
    report = import_tm(doc_store, tmp_path / "tm.jsonl", dry_run=True, prefer="file")
    assert [(c.before, c.after) for c in report.changes] == [("old", "Dear comrades!")]
    assert targets(doc_store)[0][2] == "old" and _revisions(doc_store) == revs


def test_import_errors_are_one_sentence(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.tmx does not exist"):
        import_tm(store, tmp_path / "missing.tmx")
    with pytest.raises(InputError, match="is a directory; give a memory or parallel-text file"):
        import_tm(store, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a", "target": "b"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: not valid JSON"):
        import_tm(store, bad)
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu></body></tmx>")
    with pytest.raises(InputError, match="not well-formed XML"):
        import_tm(store, broken)
    x2 = tmp_path / "v2.xlf"
    x2.write_text('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru"></xliff>')
    assert import_tm(store, x2).units == 0  # XLIFF 2.0 is read (an empty one holds nothing)
