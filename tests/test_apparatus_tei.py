"""The TEI parallel edition of Documents I and II: valid against TEI's published tei_all
schema, and read back without loss (export → import into a new database → export gives
the same file and the same rows)."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from mt_fixtures import document_id
from sqlalchemy import select

from tolmach.errors import InputError
from tolmach.interchange.tei import read_tei
from tolmach.service import apparatus
from tolmach.service import beads as bead_service
from tolmach.service.glossary import add_entry, ensure_loaded
from tolmach.service.interchange import export, import_tm
from tolmach.service.notes import add_note
from tolmach.store import Note, Segment, Store, open_store
from tolmach.store.models import Reading

SCHEMA = Path(__file__).parent / "data" / "tei" / "tei_all-4.3.0.rng.gz"


@pytest.fixture(scope="module")
def tei_all():
    etree = pytest.importorskip("lxml.etree", reason="lxml (PyPI: lxml) validates against the RELAX NG schema")
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def _prepare(store: Store) -> None:
    """An edition in progress: readings, notes, an authority form, drafts of several shapes."""
    ensure_loaded(store)
    add_entry(store, {"term": "Даля", "preferred": "Dalea", "type": "person"})
    apparatus.confirm_errors(store, "Document I", ["окозанию", "Соверского"])
    apparatus.confirm_errors(store, "Document II")
    doc1 = document_id(store, "Document I")
    beads = bead_service.load_beads(store, doc1)
    b3 = next(b for b in beads if "окозанию" in b.source)
    bead_service.edit_target(
        store, b3.id,
        "Our ambassador reported that on 21 August [1968] he was invited to the CC of the RCP, where the "
        "secretary of the CC, Cde. M. Dalea, told him of your reaction to the joint measures taken by five "
        "socialist countries to render <urgent> help & “aid”.")
    apparatus.add_sic_note(store, b3.id, "render")
    add_note(store, b3.id, "Mihai Dalea (1909–1980), secretary of the RCP CC.", kind="footnote", anchor="Dalea")
    add_note(store, b3.id, "Check the ambassador's report.", kind="translator")
    bead_service.set_flag(store, b3.id, True)
    b4 = next(b for b in bead_service.load_beads(store, doc1) if b.position == b3.position + 1)
    merged = bead_service.merge_with_next(store, b4.id)  # a 2:1 bead
    bead_service.edit_target(store, merged.id, "You hastily and deeply mistakenly describe it. This view was confirmed.")
    doc2 = document_id(store, "Document II")
    for b in bead_service.load_beads(store, doc2)[:3]:
        bead_service.edit_target(store, b.id, f"Draft of bead {b.number}.")
        bead_service.set_status(store, b.id, "reviewed")


def _rows(store: Store, name: str) -> dict:
    doc = document_id(store, name)
    with store.read() as s:
        segs = [(x.position, x.kind, x.lang, x.paragraph, x.text) for x in
                s.scalars(select(Segment).where(Segment.document_id == doc).order_by(Segment.position))]
        readings = sorted((pos, r.start, r.end, r.sic, r.reading, r.author) for r, pos in s.execute(
            select(Reading, Segment.position).join(Segment, Reading.segment_id == Segment.id).where(Reading.document_id == doc)))
        notes = sorted((pos, n.kind, n.anchor, n.text, n.author) for n, pos in s.execute(
            select(Note, Segment.position).join(Segment, Note.segment_id == Segment.id).where(Note.document_id == doc)))
    beads = [(b.position, b.src_start, b.src_end, b.target, b.status, b.origin, b.score, b.flagged)
             for b in bead_service.load_beads(store, doc)]
    return {"segments": segs, "readings": readings, "notes": notes, "beads": beads}


def test_documents_i_and_ii_validate_and_round_trip(seeded_store: Store, tmp_path: Path, tei_all) -> None:
    from lxml import etree

    _prepare(seeded_store)
    other = open_store(tmp_path / "other.db")
    try:
        ensure_loaded(other)
        add_entry(other, {"term": "Даля", "preferred": "Dalea", "type": "person"})
        for name in ("Document I", "Document II"):
            first = tmp_path / f"{name}.tei"
            report = export(seeded_store, [document_id(seeded_store, name)], "tei", first)
            assert report.units == len(bead_service.load_beads(seeded_store, document_id(seeded_store, name)))
            assert tei_all.validate(etree.parse(str(first))), tei_all.error_log
            doc_id, new_name = apparatus.import_tei(other, first)
            assert new_name == name
            assert _rows(other, name) == _rows(seeded_store, name)
            again = tmp_path / f"{name}.again.tei"
            export(other, [doc_id], "tei", again)
            assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    finally:
        other.close()


def test_edition_content(seeded_store: Store, tmp_path: Path) -> None:
    _prepare(seeded_store)
    out = tmp_path / "doc1.tei"
    apparatus.export_tei(seeded_store, "Document I", out)
    xml = out.read_text(encoding="utf-8")
    assert '<choice><sic>окозанию</sic><corr resp="#resp-1">оказанию</corr></choice>' in xml
    assert '<choice><sic>совместые</sic><corr cert="low">совместные</corr></choice>' in xml  # not confirmed
    assert '<persName ref="#person-1">М. Даля</persName>' in xml
    assert '<persName type="regularised">M. Dalea</persName>' in xml
    assert '<date when="1968-08-21">21 августа с. г.</date>' in xml and '<date when="1968-08-24">24 августа 1968 года</date>' in xml
    assert '<seg type="anchor" xml:id="t3-a2">render</seg><note type="editorial" target="#t3-a2" resp="#resp-1">[sic]</note>' in xml
    assert '<link type="2:1" target="#s4 #s5 #t4"' in xml
    assert "<repository>DANIC</repository>" in xml and '<locus from="25" to="28">25-28</locus>' in xml
    assert "&lt;urgent&gt; help &amp; “aid”" in xml
    ed = read_tei(out)
    assert ed.citation.chicago == "file 3U/1968-1970, vol. II, ff. 25–28, fond CC al PCR, Secţia Relaţii Externe, DANIC."
    notes = [n for b in ed.beads for n in b.notes]
    assert {(n.kind, n.anchor) for n in notes} == {("editorial", "render"), ("footnote", "Dalea"), ("translator", "")}


def test_import_tm_reads_targets_from_a_tei_edition(seeded_store: Store, tmp_path: Path, _seeded_template: Path) -> None:
    _prepare(seeded_store)
    out = tmp_path / "doc2.tei"
    export(seeded_store, [document_id(seeded_store, "Document II")], "tei", out)
    fresh = open_store(tmp_path / "fresh.db")
    try:
        from tolmach.service.documents import import_seeds

        import_seeds(fresh, Path(__file__).resolve().parents[1] / "seeds")
        report = import_tm(fresh, out)
        assert len(report.changes) == 3 and report.unmatched == 0
        targets = [b.target for b in bead_service.load_beads(fresh, document_id(fresh, "Document II"))]
        assert targets[:3] == ["Draft of bead 1.", "Draft of bead 2.", "Draft of bead 3."]
    finally:
        fresh.close()


def test_hostile_and_wrong_files(tmp_path: Path, store: Store) -> None:
    bad = tmp_path / "bad.tei"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", encoding="utf-8")
    with pytest.raises(InputError, match="bad.tei is not well-formed XML"):
        apparatus.import_tei(store, bad)
    other = tmp_path / "other.tei"
    other.write_text("<tmx version='1.4'/>", encoding="utf-8")
    with pytest.raises(InputError, match="not a TEI file"):
        apparatus.import_tei(store, other)
    bomb = tmp_path / "bomb.tei"
    bomb.write_text('<!DOCTYPE TEI [<!ENTITY a "aaaa">]><TEI>&a;</TEI>', encoding="utf-8")
    with pytest.raises(InputError, match="declares XML entities"):
        apparatus.import_tei(store, bomb)
    with store.read() as s:
        assert s.scalars(select(Segment)).first() is None  # nothing half-written


def test_cli_export_tei_and_import(tmp_path: Path, seeded_store: Store) -> None:
    db = seeded_store.url
    out = tmp_path / "doc1.tei"
    env_run = lambda *a: subprocess.run([sys.executable, "-m", "tolmach", "--db", str(db), *a],
                                        capture_output=True, text=True, check=False)
    r = env_run("export", "Document I", "--format", "tei", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<TEI')
    r = env_run("export", "Document I", "Document II", "--format", "tei", "--out", str(tmp_path / "two.tei"))
    assert r.returncode == 1 and "one document" in r.stderr and not (tmp_path / "two.tei").exists()
    r = env_run("apparatus", "import-tei", str(out), "--name", "Document I (edition)")
    assert r.returncode == 0, r.stderr
    assert "Document I (edition)" in r.stdout
    with gzip.open(SCHEMA) as fh:
        assert b"relaxng" in fh.read(200)


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "jsonl"])
def test_notes_survive_every_export(seeded_store: Store, tmp_path: Path, fmt: str) -> None:
    _prepare(seeded_store)
    out = tmp_path / f"doc1.{fmt}"
    export(seeded_store, [document_id(seeded_store, "Document I")], fmt, out, qa=False, skip_empty=False)
    text = out.read_text(encoding="utf-8")
    assert "footnote [Dalea]: Mihai Dalea (1909–1980), secretary of the RCP CC." in text
    assert "editorial [render]: [sic]" in text and "translator: Check the ambassador" in text
    assert "citation (printed): DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, ff. 25-28" in text
    apparatus.set_setting(seeded_store, "citation-style", "chicago")
    export(seeded_store, [document_id(seeded_store, "Document I")], fmt, out, qa=False, skip_empty=False, force=True)
    assert "citation (chicago): file 3U/1968-1970, vol. II, ff. 25–28, fond CC al PCR" in out.read_text(encoding="utf-8")


def test_a_damaged_edition_is_refused_whole(seeded_store: Store, tmp_path: Path) -> None:
    good = tmp_path / "doc2.tei"
    apparatus.export_tei(seeded_store, "Document II", good)
    text = good.read_text(encoding="utf-8")
    for name, damaged in {
        "missing-target.tei": text.replace('#t2"', '#t99"', 1),
        "gap.tei": text.replace('target="#s2 #t2"', 'target="#s3 #t2"', 1),
        "no-link-target.tei": text.replace('target="#s1 #t1"', 'target="#s1"', 1),
    }.items():
        assert damaged != text, name
        path = tmp_path / name
        path.write_text(damaged, encoding="utf-8")
        with pytest.raises(InputError, match=f"{name} is not a Tolmach TEI edition"):
            apparatus.import_tei(seeded_store, path)
    with seeded_store.read() as s:
        assert len(s.scalars(select(Segment).where(Segment.document_id == document_id(seeded_store, "Document II"))).all()) > 0
    from tolmach.service.documents import list_documents

    assert not [d for d in list_documents(seeded_store) if d.name.startswith("Document II (")]
