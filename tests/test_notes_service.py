"""Notes hang on source segments, so they follow their sentence through merge and split."""

from __future__ import annotations

import pytest

from tolmach.errors import InputError
from tolmach.model import NoteKind
from tolmach.service.beads import load_beads, merge_with_next, undo
from tolmach.service.notes import add_note, delete_note, notes_for
from tolmach.store import Store


def test_note_survives_merge_and_undo(seeded_store: Store) -> None:
    b = load_beads(seeded_store, 1)
    add_note(seeded_store, b[3].id, "Dalea: Mihai Dalea, CC secretary", kind=NoteKind.FOOTNOTE, anchor="Dalea")
    merged = merge_with_next(seeded_store, b[2].id)
    notes = notes_for(seeded_store, merged.id)
    assert [(n.kind, n.anchor, n.text) for n in notes] == [(NoteKind.FOOTNOTE, "Dalea", "Dalea: Mihai Dalea, CC secretary")]
    undo(seeded_store, merged.id)
    again = load_beads(seeded_store, 1)
    assert notes_for(seeded_store, again[2].id) == []
    assert [n.text for n in notes_for(seeded_store, again[3].id)] == ["Dalea: Mihai Dalea, CC secretary"]


def test_note_records_author_and_can_be_deleted(seeded_store: Store) -> None:
    seeded_store.user = "editor"
    bead = load_beads(seeded_store, 1)[0]
    nid = add_note(seeded_store, bead.id, "[sic]", kind="editorial")
    (note,) = notes_for(seeded_store, bead.id)
    assert note.author == "editor" and note.kind is NoteKind.EDITORIAL
    delete_note(seeded_store, nid)
    assert notes_for(seeded_store, bead.id) == []


def test_empty_note_and_missing_bead_are_refused(seeded_store: Store) -> None:
    bead = load_beads(seeded_store, 1)[0]
    with pytest.raises(InputError):
        add_note(seeded_store, bead.id, "   ")
    with pytest.raises(InputError):
        add_note(seeded_store, 10**9, "x")
