"""The first-draft path: a small head batch goes to the model first and is saved first;
model batches are independent of save batches; repeats are translated once; the model is
loaded once and can be held warm.  (Latency itself is measured by benchmarks/mt_throughput.py,
never asserted on the clock here.)"""

from __future__ import annotations

import pytest
from mt_fixtures import add_document, document_id, seed_lines, tiny_argosmodel, tiny_installed  # noqa: F401

from tolmach.mt import engine
from tolmach.service import beads as bead_service
from tolmach.service.translation import FIRST_BEADS, translate_document, warm_translator
from tolmach.store import Store

LINES = seed_lines()[40:120]


class SpySubmit:
    """Records every CTranslate2 call the engine makes (the real call still runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tr: engine.ArgosTranslator) -> None:
        self.calls: list[list[list[str]]] = []
        real = tr._submit

        def submit(batch):
            self.calls.append(batch)
            return real(batch)

        monkeypatch.setattr(tr, "_submit", submit)


def test_head_is_submitted_first_in_small_batches_and_comes_back_first(monkeypatch, tiny_installed) -> None:
    tr = engine.get_translator(tiny_installed)
    spy = SpySubmit(monkeypatch, tr)
    head = 3
    order = [i for i, _ in tr.stream_lines(LINES, head=head)]
    assert sorted(order) == list(range(len(LINES)))
    assert set(order[:head]) == set(range(head))  # the head's drafts arrive before any other
    head_tokens = [tr._encode(x) for x in LINES[:head]]
    # the head's calls come first and hold only head lines, within the small head budget
    n_head_calls = 0
    for batch in spy.calls:
        if all(b in head_tokens for b in batch):
            n_head_calls += 1
            assert len(batch) == 1 or sum(map(len, batch)) <= engine.HEAD_BATCH_TOKENS
        else:
            break
    assert n_head_calls >= 1 and sum(len(b) for b in spy.calls[:n_head_calls]) == head
    # the rest went in bigger batches: fewer calls than lines
    assert len(spy.calls) - n_head_calls < len(LINES) - head


def test_fast_and_identical_batches_differ_only_in_padding(tiny_installed) -> None:
    tr = engine.get_translator(tiny_installed)
    tokens = {x: tr._encode(x) for x in LINES}
    for batch in engine._batches(list(tokens), tokens, engine.MAX_BATCH_TOKENS, engine.IDENTICAL):
        assert len({len(tokens[x]) for x in batch}) == 1  # no padding at all
    fast = engine._batches(list(tokens), tokens, engine.MAX_BATCH_TOKENS, engine.FAST)
    assert any(len({len(tokens[x]) for x in b}) > 1 for b in fast)
    for batch in fast:
        assert len(batch) == 1 or max(len(tokens[x]) for x in batch) * len(batch) <= engine.MAX_BATCH_TOKENS
    assert sorted(x for b in fast for x in b) == sorted(tokens)


def test_first_draft_is_saved_before_the_rest_is_translated(seeded_store: Store, tiny_installed) -> None:
    doc = document_id(seeded_store, "Document I")
    real = engine.get_translator(tiny_installed)
    yielded: list[int] = []
    at_first_save: dict[str, object] = {}

    class Counting:
        origin = real.origin

        def translate(self, sentences, **kw):
            return real.translate(sentences, **kw)

        def stream(self, sentences, **kw):
            at_first_save["total"] = len(sentences)
            at_first_save["head"] = kw.get("head")
            for item in real.stream(sentences, **kw):
                yielded.append(item[0])
                yield item

    def progress(done: int, total: int) -> None:
        if done and "done" not in at_first_save:
            at_first_save["done"] = done
            at_first_save["yielded"] = len(yielded)
            at_first_save["machine"] = [
                b.position for b in bead_service.load_beads(seeded_store, doc) if b.status == "machine"
            ]

    report = translate_document(seeded_store, doc, translator=Counting(), batch_size=10, on_progress=progress)
    assert report.translated == report.planned > 2 * FIRST_BEADS
    assert at_first_save["done"] == FIRST_BEADS
    # saved while most sentences were still to come from the model
    assert at_first_save["yielded"] < at_first_save["total"] // 2
    # the first draft is the document's start: its first FIRST_BEADS translatable beads
    translatable = [b.position for b in bead_service.load_beads(seeded_store, doc) if b.status == "machine"]
    assert at_first_save["machine"] == translatable[:FIRST_BEADS]
    assert 0 < at_first_save["head"] < at_first_save["total"]


def test_repeated_segments_are_translated_once(store: Store, monkeypatch, tiny_installed) -> None:
    tr = engine.get_translator(tiny_installed)
    spy = SpySubmit(monkeypatch, tr)
    rows = [(LINES[i % 5], "ru", "body") for i in range(40)]
    doc = add_document(store, "Повторы", rows)
    report = translate_document(store, doc)
    assert report.translated == 40
    sent = [tuple(t) for batch in spy.calls for t in batch]
    assert len(sent) == len(set(sent)) == 5
    beads = bead_service.load_beads(store, doc)
    assert [b.target for b in beads] == [tr.translate([LINES[i % 5]])[0] for i in range(40)]


def test_warm_model_is_loaded_once_and_shared(store: Store, tiny_installed) -> None:
    engine.forget(tiny_installed.path)
    doc = add_document(store, "Письмо", [(LINES[0], "ru", "body"), (LINES[1], "ru", "body")])
    warm = warm_translator(store, doc)
    again = warm_translator(store, doc)
    assert warm.get() is again.get() is engine.get_translator(tiny_installed)
    assert warm.ready
    report = translate_document(store, doc, translator=warm)
    assert report.translated == 2 and report.origin == tiny_installed.origin


def test_threads_follow_the_cores_unless_overridden(monkeypatch) -> None:
    monkeypatch.delenv("TOLMACH_MT_INTER_THREADS", raising=False)
    monkeypatch.delenv("TOLMACH_MT_INTRA_THREADS", raising=False)
    inter, intra = engine.default_threads()
    assert inter >= 1 and (intra == 1 if inter > 1 else intra == 0)
    monkeypatch.setenv("TOLMACH_MT_INTER_THREADS", "3")
    assert engine.default_threads() == (3, 1)
    monkeypatch.setenv("TOLMACH_MT_INTER_THREADS", "lots")
    with pytest.raises(Exception, match="TOLMACH_MT_INTER_THREADS"):
        engine.default_threads()
