"""Drafting documents and beads for real: seeds, tiny model, SQLite file, revision journal."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from mt_fixtures import add_document, document_id, tiny_argosmodel, tiny_installed  # noqa: F401
from sqlalchemy import select

from tolmach import wording
from tolmach.errors import DatabaseError, InputError, ModelError
from tolmach.mt import engine
from tolmach.service import beads as bead_service
from tolmach.service.translation import FIRST_BEADS, translate_bead, translate_document
from tolmach.store import Revision, Store, open_store

ORIGIN = "argos:translate-ru_en@1.9"


def _expected(tiny_installed, beads) -> dict[int, str]:
    """What the model says for each bead's source, translated on its own."""
    tr = engine.get_translator(tiny_installed)
    return {b.id: tr.translate([b.source])[0] for b in beads if b.source_langs == ("ru",)}


def test_document_i_gets_machine_drafts_references_skipped(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document I")
    before = bead_service.load_beads(seeded_store, doc)
    expected = _expected(tiny_installed, before)
    report = translate_document(seeded_store, doc)
    after = bead_service.load_beads(seeded_store, doc)
    foreign = [b for b in after if "ru" not in b.source_langs]
    assert foreign and all(b.status == "empty" and b.target == "" for b in foreign)
    drafted = [b for b in after if b.id in expected]
    assert len(drafted) == report.translated == report.planned == len(after) - len(foreign)
    for b in drafted:
        assert (b.status, b.origin, b.target) == ("machine", ORIGIN, expected[b.id])
    assert report.skipped_other_language == len(foreign)
    assert "drafted with argos:translate-ru_en@1.9" in wording.translation_summary(report)
    with seeded_store.read() as s:
        revs = list(s.scalars(select(Revision).where(Revision.document_id == doc)))
    assert len(revs) == len(drafted) and {r.action for r in revs} == {"machine"}
    assert all(r.before[0]["target"] == "" and r.after[0]["status"] == "machine" for r in revs)


def test_progress_is_reported_per_committed_batch(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document I")
    seen: list[tuple[int, int]] = []
    committed: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        committed.append(sum(b.status == "machine" for b in bead_service.load_beads(seeded_store, doc)))

    report = translate_document(seeded_store, doc, on_progress=progress, batch_size=10)
    total = report.planned
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    # the first draft (the document's first FIRST_BEADS beads) is saved on its own, then every 10
    assert [d for d, _ in seen[1:-1]] == list(range(FIRST_BEADS, total, 10))
    assert committed == [d for d, _ in seen]  # each reported batch is already in the database


def test_cancel_keeps_finished_batches_and_rerun_resumes(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document I")
    cancel = threading.Event()

    def stop_after_first(done: int, total: int) -> None:
        if done > 0:
            cancel.set()

    report = translate_document(seeded_store, doc, on_progress=stop_after_first, cancel=cancel, batch_size=8)
    # the first draft was saved, then the run stopped at the next finished bead (saved too)
    assert report.cancelled and FIRST_BEADS <= report.translated < report.planned
    assert "stopped early" in wording.translation_summary(report)
    first = {b.id: b for b in bead_service.load_beads(seeded_store, doc) if b.status == "machine"}
    assert len(first) == report.translated
    saved = report.translated

    again = translate_document(seeded_store, doc, batch_size=8)
    assert again.planned == report.planned - saved and again.translated == again.planned
    after = {b.id: b for b in bead_service.load_beads(seeded_store, doc)}
    assert all(after[i].target == first[i].target for i in first)
    # the resumed run did not touch the first batch again
    per_bead = [len(bead_service.history(seeded_store, i)) for i in first]
    assert per_bead == [1] * saved


def test_interrupt_inside_a_batch_loses_only_that_batch(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document I")
    real = engine.get_translator(tiny_installed)

    class CtrlC:
        origin = real.origin
        calls = 0

        def translate(self, sentences):
            CtrlC.calls += 1
            if CtrlC.calls == 2:
                raise KeyboardInterrupt
            return real.translate(sentences)

    with pytest.raises(KeyboardInterrupt):
        translate_document(seeded_store, doc, batch_size=5, translator=CtrlC())
    statuses = [b.status for b in bead_service.load_beads(seeded_store, doc)]
    assert statuses.count("machine") == 5
    report = translate_document(seeded_store, doc, batch_size=5)
    assert report.translated == report.planned == sum(s == "empty" for s in statuses) - 1  # minus the reference


def test_overwrite_replaces_machine_drafts_only_and_force_replaces_edits(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document II")
    translate_document(seeded_store, doc)
    beads = [b for b in bead_service.load_beads(seeded_store, doc) if b.status == "machine"]
    edited = bead_service.edit_target(seeded_store, beads[0].id, "The CC of the CPSU does not consider it acceptable.")
    reviewed = bead_service.set_status(seeded_store, beads[1].id, "reviewed")

    nothing = translate_document(seeded_store, doc)
    assert nothing.planned == 0 and nothing.kept_machine == len(beads) - 2 and nothing.kept_human == 2
    # the report is counts; each front-end words the remedy its own way
    cli, workbench = wording.translation_summary(nothing, wording.CLI), wording.translation_summary(nothing, wording.WORKBENCH)
    assert cli.startswith('"Document II" needs no machine drafts') and "(--overwrite replaces them)" in cli
    assert "(--force replaces them)" in cli and f"{len(beads) - 2} machine drafts kept" in cli
    assert "--" not in workbench and "ctrl+t re-drafts one bead" in workbench and "2 human translations kept" in workbench

    over = translate_document(seeded_store, doc, overwrite=True)
    assert over.translated == len(beads) - 2 and over.kept_human == 2
    now = {b.id: b for b in bead_service.load_beads(seeded_store, doc)}
    assert now[edited.id].target == edited.target and now[edited.id].status == "edited"
    assert now[reviewed.id].status == "reviewed"
    assert len(bead_service.history(seeded_store, beads[2].id)) == 2  # first draft + overwrite

    forced = translate_document(seeded_store, doc, force=True)
    assert forced.translated == len(beads)
    now = {b.id: b for b in bead_service.load_beads(seeded_store, doc)}
    assert now[edited.id].status == "machine" and now[edited.id].target != edited.target
    # the human edit is in the history and one undo brings it back
    bead_service.undo(seeded_store, edited.id)
    assert bead_service.get_bead(seeded_store, edited.id).target == edited.target


def test_bead_edited_during_the_run_is_left_alone(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document II")
    beads = bead_service.load_beads(seeded_store, doc)
    real = engine.get_translator(tiny_installed)

    class EditsMeanwhile:
        origin = real.origin

        def translate(self, sentences):
            bead_service.edit_target(seeded_store, beads[1].id, "Typed by a person meanwhile.")
            return real.translate(sentences)

    report = translate_document(seeded_store, doc, translator=EditsMeanwhile())
    assert report.changed_meanwhile == 1 and report.translated == report.planned - 1
    got = bead_service.get_bead(seeded_store, beads[1].id)
    assert (got.target, got.status) == ("Typed by a person meanwhile.", "edited")


def test_translate_bead(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document II")
    beads = bead_service.load_beads(seeded_store, doc)
    expected = _expected(tiny_installed, beads)
    view = translate_bead(seeded_store, beads[0].id)
    assert (view.status, view.origin, view.target) == ("machine", ORIGIN, expected[beads[0].id])
    again = translate_bead(seeded_store, beads[0].id)  # a machine draft may be redrafted
    assert again.target == view.target
    bead_service.edit_target(seeded_store, beads[0].id, "Mine.")
    with pytest.raises(InputError, match="force"):
        translate_bead(seeded_store, beads[0].id)
    assert translate_bead(seeded_store, beads[0].id, force=True).status == "machine"
    reference = [b for b in beads if "ru" not in b.source_langs][0]
    with pytest.raises(InputError, match="no ru source"):
        translate_bead(seeded_store, reference.id)


def test_two_beads_merged_are_drafted_sentence_by_sentence(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document II")
    beads = bead_service.load_beads(seeded_store, doc)
    expected = _expected(tiny_installed, beads)
    merged = bead_service.merge_with_next(seeded_store, beads[0].id)
    translate_document(seeded_store, doc)
    got = bead_service.get_bead(seeded_store, merged.id)
    assert got.target == f"{expected[beads[0].id]} {expected[beads[1].id]}"


def test_empty_document_is_a_clear_error(store: Store, tiny_installed) -> None:
    doc = add_document(store, "Blank", [])
    with pytest.raises(InputError, match='"Blank" has no segments'):
        translate_document(store, doc)


def test_fully_drafted_document_needs_nothing(store: Store, tiny_installed) -> None:
    doc = add_document(store, "Short", [("Да.", "ru", "body"), ("(DANIC, f. 61)", "ro", "reference")])
    assert translate_document(store, doc).translated == 1
    report = translate_document(store, doc)
    assert report.planned == 0 and wording.translation_summary(report).startswith('"Short" needs no machine drafts')


def test_no_model_names_the_package_and_changes_nothing(seeded_store: Store) -> None:
    doc = document_id(seeded_store, "Document I")
    with pytest.raises(ModelError, match="translate-ru_en-1_9.argosmodel"):
        translate_document(seeded_store, doc)
    assert {b.status for b in bead_service.load_beads(seeded_store, doc)} == {"empty"}


def test_document_already_in_target_language(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "000_dd116a87eeae70b9")
    with pytest.raises(InputError, match="already in en"):
        translate_document(seeded_store, doc)


def test_locked_database_is_one_sentence_and_loses_nothing(
    tmp_path: Path, tiny_installed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tolmach.store.db.BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "locked.db"
    st = open_store(path)
    doc = add_document(st, "Locked", [("Да.", "ru", "body"), ("Нет.", "ru", "body")])
    other = sqlite3.connect(path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError, match="busy"):
            translate_document(st, doc)
    finally:
        other.rollback()
        other.close()
    assert {b.status for b in bead_service.load_beads(st, doc)} == {"empty"}
    assert translate_document(st, doc).translated == 2
    st.close()


def test_concurrent_runs_from_threads_do_not_corrupt(seeded_store: Store, tiny_installed) -> None:
    """The TUI runs this in a worker thread; two workers at once still draft each bead once."""
    docs = [document_id(seeded_store, "Document I"), document_id(seeded_store, "Document II")]
    errors: list[BaseException] = []

    def work(d: int) -> None:
        try:
            translate_document(seeded_store, d, batch_size=4)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for d in docs:
        beads = bead_service.load_beads(seeded_store, d)
        assert all(b.status == "machine" for b in beads if "ru" in b.source_langs)
        assert all(len(bead_service.history(seeded_store, b.id)) == 1 for b in beads if b.status == "machine")


def test_package_for_document_needs_no_model_load(seeded_store: Store, tiny_installed) -> None:
    from tolmach.service.translation import package_for_document

    doc = document_id(seeded_store, "Document I")
    assert package_for_document(seeded_store, doc).origin == ORIGIN
    english = document_id(seeded_store, "000_dd116a87eeae70b9")
    with pytest.raises(InputError, match="already in en"):
        package_for_document(seeded_store, english)
