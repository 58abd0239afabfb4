"""Matching a large glossary by its index: only the entries a text's words select are
compiled, and what is found is exactly what the whole glossary's matcher finds.

Compared on the seed documents with the bundled glossary and with a generated one (terms
in dictionary form made from the seed's own word sequences, abbreviations and expansions
that stand for one another inside longer terms, and unrelated words), both in memory
(:func:`could_match`) and through the service, whose term words' lemmas come from the
database instead of the analyser.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import pytest
from glossary_fixtures import GLOSSARY, raw_document

from tolmach.glossary import match
from tolmach.glossary.entries import GLOSSARY_COLUMNS, Entry, form_key, read_glossary_tsv, with_meta
from tolmach.glossary.match import Matcher, could_match, entry_keys, has_subterms, text_key_set
from tolmach.service import glossary as service
from tolmach.store.models import GlossaryKey, Meta
from tolmach.text.morphology import analyzer

WORD = re.compile(r"[а-яёА-ЯЁ]+")


def texts() -> list[str]:
    """The seed's paragraphs (original line breaks kept), then both whole documents."""
    out = []
    for name in ("I", "II"):
        doc = raw_document(name)
        out += [p for p in re.split(r"\n\s*\n", doc) if p.strip()]
    return out + [raw_document("I"), raw_document("II")]


def bundled() -> list[Entry]:
    return [with_meta(e, id=i) for i, e in enumerate(read_glossary_tsv(GLOSSARY), start=1)]


@lru_cache(maxsize=1)
def generated(n: int = 3000, seed: int = 7) -> tuple[Entry, ...]:
    """``n`` entries: one to three consecutive words of the seed in dictionary form, a
    quarter of them with an abbreviation (their initials) or an expansion, some terms
    written with another entry's abbreviation inside, and unrelated made-up words."""
    rng = random.Random(seed)
    runs = [[w for w in WORD.findall(line)] for t in texts()[:-2] for line in re.split(r"[.,;:!?()«»\n-]", t)]
    runs = [r for r in runs if r]
    morph = analyzer()
    out: list[Entry] = []
    seen: set[str] = set()

    def add(term: str, **fields: str) -> bool:
        forms = [term, *fields.values()]
        keys = [form_key(f) for f in forms if f]
        if any(k in seen for k in keys) or len(set(keys)) < len(keys):
            return False
        seen.update(keys)
        out.append(Entry(term=term, preferred=f"term {len(out) + 1}", id=len(out) + 1, **fields))
        return True

    while len(out) < n:
        roll = rng.random()
        if roll < 0.15:  # unrelated words: never in the text
            add(" ".join("".join(rng.choice("абвгдежзиклмнопрстуфхцчшщыэюя") for _ in range(rng.randint(4, 9)))
                         for _ in range(rng.randint(1, 3))))
            continue
        run = rng.choice(runs)
        k = rng.randint(1, min(3, len(run)))
        i = rng.randrange(len(run) - k + 1)
        words = [morph.parse(w)[0].normal_form for w in run[i : i + k]]
        term = " ".join(words)
        short = "".join(w[0] for w in words).upper() + "Р"
        if roll < 0.25 and k >= 2:  # the initials as an abbreviation, or as a term with its expansion
            fields = {"abbreviation": short} if roll < 0.2 else {"expansion": term}
            if add(term if roll < 0.2 else short, **fields) and i > 0:
                # a longer term written with the short form: the text has it written out
                add(f"{morph.parse(run[i - 1])[0].normal_form} {short}")
        else:
            add(term)
    return tuple(out)


def prefiltered(entries: list[Entry] | tuple[Entry, ...], text: str) -> Matcher:
    subterms = [e for e in entries if has_subterms(e)]
    keys = text_key_set(text).union(*(entry_keys(e) for e in subterms))
    return Matcher([e for e in entries if could_match(e, keys)], subterms=subterms)


@pytest.mark.parametrize("glossary", ["bundled", "generated"])
def test_the_prefiltered_matcher_finds_what_the_whole_glossary_finds(glossary: str) -> None:
    entries = bundled() if glossary == "bundled" else list(generated())
    full = Matcher(entries)
    growing = Matcher((), subterms=[e for e in entries if has_subterms(e)])
    compiled: set[int | None] = set()
    seen: set[str] = set()
    sizes = []
    found = 0
    for text in texts():
        want = full.find(text)
        part = prefiltered(entries, text)
        sizes.append(len(part))
        assert part.find(text) == want, text[:80]
        # the service's way: one matcher, more entries compiled as texts bring new words
        seen |= text_key_set(text)
        keys = seen.union(*(entry_keys(e) for e in entries if has_subterms(e)))
        more = [e for e in entries if e.id not in compiled and could_match(e, keys)]
        growing.add(more)
        compiled.update(e.id for e in more)
        assert growing.find(text) == want, text[:80]
        found += len(want)
    assert found > 100  # the comparison is about real hits
    if glossary == "generated":  # and a paragraph compiles a small part of the glossary
        assert sorted(sizes)[len(sizes) // 2] < len(entries) / 5, sizes


def test_the_generated_glossary_exercises_rewritten_subterms() -> None:
    """Hits through another entry's form (an abbreviation written out, or the reverse)
    are among those compared above."""
    entries = list(generated())
    full = Matcher(entries)
    by_id = {e.id: e for e in entries}
    rewritten = [
        h for t in texts()[:-2] for h in full.find(t)
        if form_key(h.surface) not in {form_key(f) for f in by_id[h.entry_id].forms}
        and any(w.isupper() for w in by_id[h.entry_id].term.split()) and not h.surface.isupper()
    ]
    assert rewritten, "no hit went through a rewritten subterm"


def write_tsv(path: Path, entries: list[Entry] | tuple[Entry, ...]) -> Path:
    rows = ["\t".join(GLOSSARY_COLUMNS)]
    rows += ["\t".join(e.as_row()[c] for c in GLOSSARY_COLUMNS) for e in entries]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("read", ["by keys", "whole"])
def test_the_service_matches_from_the_stored_index_as_the_whole_glossary_does(store, tmp_path: Path, read: str,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Read by the keys each text brings (a large glossary), or whole at once (a small one)."""
    monkeypatch.setattr(service, "IN_MEMORY_ENTRIES", 0 if read == "by keys" else 10**9)
    entries = generated()
    progress: list[tuple[int, int]] = []
    service.import_tsv(store, write_tsv(tmp_path / "big.ru-en.tsv", entries), on_progress=lambda d, t: progress.append((d, t)))
    assert progress[-1] == (len(entries), len(entries))
    stored = service.list_entries(store)
    full = Matcher(stored)
    # a new process: nothing cached; the analyser may see the text's words, not the terms'
    service.invalidate(store)
    match.lemmas.cache_clear()
    match.text_keys.cache_clear()
    analysed: list[str] = []
    real = match.analyse
    monkeypatch.setattr(match, "analyse", lambda w: analysed.append(w) or real(w))
    sample = max(texts()[:-2], key=len)
    assert service.hits_for_text(store, sample) == full.find(sample)
    text_words = {match.fold(w) for w in re.findall(r"[^\W_]+", sample)}
    assert analysed and {match.fold(w) for w in analysed} <= text_words
    for text in texts():
        assert service.hits_for_text(store, text) == full.find(text), text[:80]


def test_entries_written_without_their_index_are_indexed_at_the_first_match(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An entry edited, added one at a time, or stored before the index existed (a
    database from before migration 0006) has no keys: the next match indexes it."""
    from sqlalchemy import delete, func, select

    service.import_tsv(store, write_tsv(tmp_path / "b.ru-en.tsv", bundled()))
    text = "письмо Центральному Комитету КПСС и Исполкому ЦК РКП"
    want = service.hits_for_text(store, text)
    assert [h.term for h in want] == ["ЦК КПСС", "Исполком ЦК РКП"]
    with store.transaction() as s:  # as a database upgraded to 0006 is: entries, no index
        s.execute(delete(GlossaryKey))
    service.invalidate(store)
    assert service.hits_for_text(store, text) == want
    with store.read() as s:
        assert s.scalar(select(func.count(func.distinct(GlossaryKey.entry_id)))) == len(bundled())
    kpss = next(h.entry_id for h in want if h.term == "ЦК КПСС")
    service.edit_entry(store, kpss, term="Центральный Комитет КПСС")
    assert [h.term for h in service.hits_for_text(store, text)] == ["Центральный Комитет КПСС", "Исполком ЦК РКП"]
    added = service.add_entry(store, {"term": "письмо", "preferred": "letter"})
    assert added.term in [h.term for h in service.hits_for_text(store, text)]


def test_lemmas_from_another_analyser_are_thrown_away(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from tolmach.store.models import GlossaryWord

    service.import_tsv(store, write_tsv(tmp_path / "b.ru-en.tsv", bundled()))
    with store.transaction() as s:
        s.merge(Meta(key=service.LEMMAS_KEY, value="pymorphy3 0.0 (another)"))
        s.merge(GlossaryWord(word="комитет", lemmas=["wrong"]))
    service.invalidate(store)
    hits = service.hits_for_text(store, "решения Центрального Комитета")
    assert [h.term for h in hits] == ["ЦК"]
    with store.read() as s:
        assert s.get(GlossaryWord, "комитет").lemmas == ["комитет"]
        assert s.scalar(select(func.count()).select_from(GlossaryKey)) > 0


@pytest.mark.parametrize("read", ["by keys", "whole"])
def test_an_entry_whose_words_came_in_different_texts_is_found_when_they_meet(store, tmp_path: Path, read: str,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The index files an entry under its longest word; an entry fetched before its other
    words were seen waits for them, and a later text with every word known finds it."""
    monkeypatch.setattr(service, "IN_MEMORY_ENTRIES", 0 if read == "by keys" else 10**9)
    rows = [Entry("партийный комитет", "party committee", id=1), Entry("комитет", "committee", id=2)]
    service.import_tsv(store, write_tsv(tmp_path / "p.ru-en.tsv", rows))
    assert [h.term for h in service.hits_for_text(store, "партийного собрания")] == []
    assert [h.term for h in service.hits_for_text(store, "члены комитета")] == ["комитет"]
    assert [h.term for h in service.hits_for_text(store, "партийного комитета")] == ["партийный комитет"]


def test_a_paragraph_compiles_a_small_part_of_a_large_glossary(store, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(service, "IN_MEMORY_ENTRIES", 0)
    entries = generated()
    service.import_tsv(store, write_tsv(tmp_path / "big.ru-en.tsv", entries))
    paragraph = max(texts()[:-2], key=len)
    assert service.hits_for_text(store, paragraph)
    compiled = len(service._matcher(store, "ru", "en").matcher)
    assert 0 < compiled < len(entries) / 5, compiled


def test_a_database_that_cannot_be_written_is_matched_without_the_index(store, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Entries not indexed yet in a database this process cannot write (a read-only file,
    a role without the right): the analyser reads the terms, as before the index."""
    from sqlalchemy import delete

    from tolmach.errors import DatabaseError

    service.import_tsv(store, write_tsv(tmp_path / "b.ru-en.tsv", bundled()))
    with store.transaction() as s:
        s.execute(delete(GlossaryKey))
    service.invalidate(store)

    def refuse(*_a: object, **_k: object) -> int:
        raise DatabaseError("The database x is read-only: check the file's permissions.")

    monkeypatch.setattr(service, "index_entries", refuse)
    monkeypatch.setattr(service, "IN_MEMORY_ENTRIES", 0)
    text = raw_document("I")
    assert service.hits_for_text(store, text) == Matcher(service.list_entries(store)).find(text)
