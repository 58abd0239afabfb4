"""xmllint (Debian package libxml2-utils) validates what Tolmach writes: TMX against the
TMX 1.4b DTD, XLIFF 1.2 against the official OASIS strict schema, on the seed documents."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from interchange_fixtures import SCHEMAS
from sqlalchemy import select

from tolmach.service import beads as bead_service
from tolmach.service.interchange import export
from tolmach.service.notes import add_note
from tolmach.store import Document, Store

pytestmark = pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint is not installed (Debian package libxml2-utils)")


def _catalog(folder: Path) -> Path:
    """An XML catalog sending the schema's w3.org import of xml.xsd to the local copy."""
    cat = folder / "catalog.xml"
    cat.write_text(
        '<?xml version="1.0"?>\n<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f'  <uri name="http://www.w3.org/2001/xml.xsd" uri="{(SCHEMAS / "xml.xsd").as_uri()}"/>\n'
        f'  <system systemId="http://www.w3.org/2001/xml.xsd" uri="{(SCHEMAS / "xml.xsd").as_uri()}"/>\n'
        "</catalog>\n",
        encoding="utf-8",
    )
    return cat


def xmllint(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"XML_CATALOG_FILES": str(_catalog(folder)), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["xmllint", "--noout", "--nonet", *args], capture_output=True, text=True, env=env)


@pytest.fixture
def worked(seeded_store: Store) -> Store:
    """Documents I and II with translations, a reviewed bead, an empty one and notes."""
    with seeded_store.read() as s:
        ids = [s.scalar(select(Document.id).where(Document.name == n)) for n in ("Document I", "Document II")]
    for doc_id in ids:
        beads = bead_service.load_beads(seeded_store, doc_id)
        for b in beads:
            if b.number % 4:
                bead_service.edit_target(seeded_store, b.id, f"Sentence {b.number} & <b>CPSU</b>\tand «quotes»")
        bead_service.set_status(seeded_store, beads[0].id, "reviewed")
        add_note(seeded_store, beads[1].id, "Translator's note: keep the salutation formal.")
    return seeded_store


def test_tmx_is_valid_against_the_tmx14b_dtd(worked: Store, tmp_path: Path) -> None:
    out = tmp_path / "seed.tmx"
    export(worked, None, "tmx", out, skip_empty=False)
    proc = xmllint(tmp_path, "--dtdvalid", str(SCHEMAS / "tmx14b.dtd"), str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "<seg></seg>" not in text and 'changeid="' in text and "<note>Translator&apos;s note" not in text
    # notes travel in their export form, kind first (service.apparatus.segment_note_lines)
    assert "<note>translator: Translator's note: keep the salutation formal.</note>" in text
    assert 'xml:lang="ro"' in text  # the Romanian archival reference keeps its own tag
    broken = tmp_path / "broken.tmx"
    broken.write_text(text.replace("<body>", "<body><tu><seg>x</seg></tu>", 1), encoding="utf-8")
    assert xmllint(tmp_path, "--dtdvalid", str(SCHEMAS / "tmx14b.dtd"), str(broken)).returncode != 0


def test_xliff_is_valid_against_the_oasis_strict_schema(worked: Store, tmp_path: Path) -> None:
    out = tmp_path / "seed.xlf"
    export(worked, None, "xliff", out, skip_empty=False)
    proc = xmllint(tmp_path, "--schema", str(SCHEMAS / "xliff-core-1.2-strict.xsd"), str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert 'approved="yes"' in text and "<target " in text and "></target>" not in text
    broken = tmp_path / "broken.xlf"
    broken.write_text(text.replace('state="translated"', 'state="done"', 1), encoding="utf-8")
    assert xmllint(tmp_path, "--schema", str(SCHEMAS / "xliff-core-1.2-strict.xsd"), str(broken)).returncode != 0


def test_translate_toolkit_reads_every_unit_with_the_right_state(worked: Store, tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile
    from translate.storage.xliff import xlifffile

    export(worked, None, "xliff", tmp_path / "s.xlf")
    export(worked, None, "tmx", tmp_path / "s.tmx")
    with worked.read() as s:
        ids = [s.scalar(select(Document.id).where(Document.name == n)) for n in ("Document I", "Document II")]
    beads = [b for i in ids for b in bead_service.load_beads(worked, i) if b.target]
    xl = xlifffile.parsefile(str(tmp_path / "s.xlf")).units
    assert [(u.source, u.target) for u in xl] == [(b.source, b.target) for b in beads]
    for u, b in zip(xl, beads):
        assert u.isapproved() == (b.status == "reviewed")
        # translate-toolkit's rule: a translated unit that is not approved is fuzzy, so
        # exactly the reviewed beads are not
        assert u.isfuzzy() == (b.status != "reviewed")
    tm = tmxfile.parsefile(str(tmp_path / "s.tmx")).units
    assert [(u.source, u.target) for u in tm] == [(b.source, b.target) for b in beads]


def test_translate_toolkit_reads_xliff_2_with_the_right_state(worked: Store, tmp_path: Path) -> None:
    xliff2 = pytest.importorskip("translate.storage.xliff2", reason="translate-toolkit >= 3.17 reads XLIFF 2.0 (PyPI translate-toolkit)")
    with worked.read() as s:
        ids = [s.scalar(select(Document.id).where(Document.name == n)) for n in ("Document I", "Document II")]
    export(worked, ids, "xliff2", tmp_path / "s2.xlf", skip_empty=False)
    beads = [b for i in ids for b in bead_service.load_beads(worked, i)]
    units = xliff2.Xliff2File.parsefile(str(tmp_path / "s2.xlf")).units
    assert [(u.source, u.target or "") for u in units] == [(b.source, b.target) for b in beads]
    for u, b in zip(units, beads):
        assert u.isapproved() == (b.status == "reviewed" and bool(b.target))
