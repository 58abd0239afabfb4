"""The glossary in SQLite: first-run import, merges, edits, cache invalidation, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from glossary_fixtures import GLOSSARY

from tolmach.cli import main
from tolmach.errors import InputError
from tolmach.glossary.entries import GLOSSARY_COLUMNS, read_glossary_tsv
from tolmach.service import glossary as service
from tolmach.store import open_store

N_BUNDLED = len(read_glossary_tsv(GLOSSARY))


def write(path: Path, *rows: tuple[str, ...]) -> Path:
    path.write_text("\n".join(["\t".join(GLOSSARY_COLUMNS[: len(rows[0])]), *("\t".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def test_ensure_loaded_imports_the_bundled_glossary_once(store) -> None:  # type: ignore[no-untyped-def]
    assert service.ensure_loaded(store) == N_BUNDLED
    assert service.ensure_loaded(store) == 0
    assert service.count_entries(store) == N_BUNDLED
    hits = service.hits_for_text(store, "на чрезвычайной сессии Великого Национального Собрания СРР")
    assert [(h.surface, h.preferred) for h in hits][-2:] == [
        ("Великого Национального Собрания", "Grand National Assembly"),
        ("СРР", "Socialist Republic of Romania"),
    ]
    assert all(isinstance(h.entry_id, int) for h in hits)


def test_import_merges_and_replace_removes(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = write(tmp_path / "mine.ru-en.tsv", ("ЦК", "Central Committee"), ("КПСС", "CPSU"))
    assert service.import_tsv(store, first).added == 2
    second = write(tmp_path / "mine.ru-en.tsv", ("ЦК", "CC"), ("КПСС", "CPSU"), ("РКП", "RCP"))
    report = service.import_tsv(store, second)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 1)
    assert {e.term: e.preferred for e in service.list_entries(store)} == {"ЦК": "CC", "КПСС": "CPSU", "РКП": "RCP"}
    third = write(tmp_path / "mine.ru-en.tsv", ("РКП", "Romanian Communist Party"))
    report = service.import_tsv(store, third, replace=True)
    assert (report.added, report.updated, report.removed) == (0, 1, 2)
    assert [(e.term, e.preferred) for e in service.list_entries(store)] == [("РКП", "Romanian Communist Party")]


def test_import_clashing_with_a_stored_form_changes_nothing(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service.import_tsv(store, write(tmp_path / "g.ru-en.tsv", ("ЦК", "Central Committee", "", "", "Центральный Комитет")))
    clash = write(tmp_path / "g.ru-en.tsv", ("КПСС", "CPSU", "", "", ""), ("центральный комитет", "CC", "", "", ""))
    with pytest.raises(InputError, match="duplicate entry: 'центральный комитет' is already defined at stored entry"):
        service.import_tsv(store, clash)
    assert [e.term for e in service.list_entries(store)] == ["ЦК"]


def test_edits_invalidate_the_cached_matcher(store) -> None:  # type: ignore[no-untyped-def]
    text = "тт. Дубчек и Черник"
    assert [h.term for h in service.hits_for_text(store, text)] == []
    added = service.add_entry(store, {"term": "Дубчек", "preferred": "Dubček", "type": "people"})
    assert [h.preferred for h in service.hits_for_text(store, text)] == ["Dubček"]
    service.edit_entry(store, added.id, preferred="Dubcek", variants=["Dubček"])
    (hit,) = service.hits_for_text(store, text)
    assert (hit.preferred, hit.variants, hit.entry_id) == ("Dubcek", ("Dubček",), added.id)
    service.delete_entry(store, added.id)
    assert service.hits_for_text(store, text) == []


def test_edit_and_add_are_validated(store) -> None:  # type: ignore[no-untyped-def]
    e = service.add_entry(store, {"term": "ЦК", "preferred": "Central Committee"})
    with pytest.raises(InputError, match="already has an entry 'ЦК'"):
        service.add_entry(store, {"term": "ЦК", "preferred": "CC"})
    with pytest.raises(InputError, match="'term' column is empty"):
        service.edit_entry(store, e.id, term=" ")
    with pytest.raises(InputError, match="Unknown glossary field 'colour'"):
        service.edit_entry(store, e.id, colour="red")
    with pytest.raises(InputError, match="no glossary entry with id 999"):
        service.delete_entry(store, 999)
    assert service.get_entry(store, e.id).term == "ЦК"


def test_changes_by_another_process_are_noticed(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(service, "FINGERPRINT_TTL", 0.0)
    assert service.hits_for_text(store, "Исполком заседал") == []
    other = open_store(store.url)
    try:
        service.add_entry(other, {"term": "Исполком", "preferred": "Executive Committee"})
    finally:
        other.close()
    assert [h.preferred for h in service.hits_for_text(store, "Исполком заседал")] == ["Executive Committee"]


def test_export_then_import_with_replace_is_identity(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service.ensure_loaded(store)
    before = service.list_entries(store)
    assert service.export_tsv(store, tmp_path / "party-state.ru-en.tsv") == N_BUNDLED
    assert service.export_tbx(store, tmp_path / "party-state.tbx") == N_BUNDLED
    for name in ("party-state.ru-en.tsv", "party-state.tbx"):
        report = service.import_glossary_file(store, tmp_path / name, replace=True)
        assert (report.unchanged, report.added, report.removed) == (N_BUNDLED, 0, 0)
    assert service.list_entries(store) == before
    with pytest.raises(InputError, match="already exists; use the force option"):
        service.export_tsv(store, tmp_path / "party-state.ru-en.tsv", force=False)


# --- CLI -------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_list_match_export_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    code, out, _ = run(capsys, "--db", db, "glossary", "list", "--json")
    assert code == 0 and len(out.splitlines()) == N_BUNDLED
    assert json.loads(out.splitlines()[0])["term"] == "ЦК"

    code, out, _ = run(capsys, "--db", db, "glossary", "match", "секретарь ЦК т. М. Даля в ЦК\nРКП", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["term"], r["start"], r["end"]) for r in rows] == [("секретарь ЦК", 0, 12), ("т.", 13, 15), ("ЦК РКП", 26, 32)]

    target = tmp_path / "out.tbx"
    assert run(capsys, "--db", db, "glossary", "export", "--format", "tbx", "--out", str(target))[0] == 0
    size = target.stat().st_size
    code, _, err = run(capsys, "--db", db, "glossary", "export", "--format", "tsv", "--out", str(target))
    assert code == 1 and "already exists; use --force" in err and target.stat().st_size == size
    assert run(capsys, "--db", db, "glossary", "export", "--format", "tsv", "--out", str(target), "--force")[0] == 0

    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tpreferred\nЦК\tCC\nРКП\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "glossary", "import", str(bad))
    assert code == 1
    assert err.strip() == f"tolmach: error: {bad}:3: malformed line: expected 2 tab-separated columns, found 1."
    code, out, _ = run(capsys, "--db", db, "glossary", "import", str(GLOSSARY))
    assert code == 0 and f"0 added, 0 updated, {N_BUNDLED} unchanged" in out


def test_a_form_belongs_to_one_entry_across_glossaries(store) -> None:  # type: ignore[no-untyped-def]
    service.ensure_loaded(store)
    with pytest.raises(InputError, match=r"duplicate entry: 'Центральный Комитет' is already defined at stored entry \d+ \(ЦК, glossary 'party-state'\)"):
        service.add_entry(store, {"term": "Центральный Комитет", "preferred": "CC"}, glossary="mine")
    assert service.count_entries(store) == N_BUNDLED


def test_first_command_loads_the_glossary_and_deletions_stay_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "first.db"
    seed = Path(__file__).resolve().parents[1] / "seeds" / "002_089901b84e1e010c.txt"
    code, _, _ = run(capsys, "--db", str(db), "import", str(seed))
    assert code == 0
    store = open_store(db)
    try:
        assert service.count_entries(store) == N_BUNDLED  # `import` was the first command
        for entry_id in [e.id for e in service.list_entries(store)]:
            service.delete_entry(store, entry_id)
    finally:
        store.close()
    assert run(capsys, "--db", str(db), "docs")[0] == 0
    code, out, _ = run(capsys, "--db", str(db), "glossary", "list", "--json")
    assert code == 0 and out == ""  # the user's deletions are not undone by a later command


def test_a_large_import_is_a_few_bulk_statements_not_one_query_per_term(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """5,000 terms: imported, re-imported unchanged, then with changes, in a number of SQL
    statements that does not grow with the terms (the 200,000-term case is in
    benchmarks/hostile_limits.py)."""
    from sqlalchemy import event

    rows = [(f"термин{i} слово{i % 97}", f"term {i}") for i in range(5_000)]
    path = write(tmp_path / "big.ru-en.tsv", *rows)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert service.import_tsv(store, path).added == 5_000
    first = len(statements)
    assert service.import_tsv(store, path).unchanged == 5_000
    changed = write(tmp_path / "big.ru-en.tsv", *[(t, p + " (rev.)" if i % 2 else p) for i, (t, p) in enumerate(rows[:4_000])])
    report = service.import_tsv(store, changed, replace=True)
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 2_000, 2_000, 1_000)
    assert first < 45 and len(statements) < 120  # (five of them claim and release the index's building)
    stored = {e.term: e.preferred for e in service.list_entries(store)}
    assert len(stored) == 4_000 and stored["термин1 слово1"] == "term 1 (rev.)" and stored["термин2 слово2"] == "term 2"


def test_threads_asking_at_once_build_the_matcher_once(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The workbench's look-up worker and a key that needs the terms at once ask together:
    one builds the pair's matcher, the others wait for it and use the same one."""
    import threading
    import time

    service.ensure_loaded(store)
    built: list[str] = []
    real_init = service._PairMatcher.__init__

    def slow_init(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        built.append(threading.current_thread().name)
        time.sleep(0.3)  # a large glossary: the others arrive while this one builds
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(service._PairMatcher, "__init__", slow_init)
    text = "на чрезвычайной сессии Великого Национального Собрания СРР"
    start = threading.Barrier(4)
    found: dict[int, list[str]] = {}

    def ask(i: int) -> None:
        start.wait()
        found[i] = [h.preferred for h in service.hits_for_text(store, text)]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(built) == 1, built
    assert len(found) == 4 and all(f == found[0] for f in found.values())
    assert found[0][-2:] == ["Grand National Assembly", "Socialist Republic of Romania"]
    # an edit while nothing is built: the next question builds once more, with the edit
    service.add_entry(store, {"term": "Дубчек", "preferred": "Dubček"})
    assert "Dubček" in [h.preferred for h in service.hits_for_text(store, "тт. Дубчек и Черник")]
    assert len(built) == 2


def test_a_failed_build_fails_those_waiting_for_it_and_the_next_question_builds_again(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import threading
    import time

    from tolmach.errors import DatabaseError

    service.ensure_loaded(store)
    real_init = service._PairMatcher.__init__
    calls: list[int] = []

    def failing_once(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.3)  # the second thread arrives and waits for this build
            raise DatabaseError("the database is locked")
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(service._PairMatcher, "__init__", failing_once)
    errors: list[str] = []
    start = threading.Barrier(2)

    def ask() -> None:
        start.wait()
        try:
            service.hits_for_text(store, "СРР")
        except DatabaseError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == ["the database is locked"] * 2 and len(calls) == 1  # one build, its error for both
    assert [h.preferred for h in service.hits_for_text(store, "СРР")] == ["Socialist Republic of Romania"]
    assert len(calls) == 2
