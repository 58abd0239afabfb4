"""Whole-document work in a child process (tui/offload.py): the result comes back, and a
failure is an OSError naming what failed with the child's last error line."""

from __future__ import annotations

import pytest

from tolmach.service.apparatus import find_source_errors
from tolmach.service.documents import find_document
from tolmach.tui.offload import in_child, misprints


def test_misprints_found_in_a_child_equal_those_found_here(seeded_store):
    with seeded_store.read() as s:
        doc_id = find_document(s, "Document I").id
    here = find_source_errors(seeded_store, doc_id)
    assert here  # Document I has probable misprints ("Соверского", "совместые" …)
    assert in_child(misprints, seeded_store.url, doc_id) == here


def test_a_failure_in_the_child_names_it(tmp_path):
    with pytest.raises(OSError, match=r"misprints failed in a child process: .*"):
        in_child(misprints, str(tmp_path / "no-such-folder" / "x.db"), 1)
