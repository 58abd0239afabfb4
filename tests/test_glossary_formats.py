"""Glossary file formats with the tools translators use: TBX 2008 (read by translate-toolkit's
``tbx2po``, valid against the TBX core structure OmegaT reads it with), TBX v3, OmegaT's
glossary TSV; re-importing one's own export; ``glossary list | head -1``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from tolmach.cli import main
from tolmach.glossary import formats
from tolmach.glossary.tsv import read_glossary_tsv

GLOSSARY = Path(__file__).resolve().parents[1] / "glossaries" / "party-state.ru-en.tsv"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def entries() -> list:
    return read_glossary_tsv(GLOSSARY)


@pytest.mark.parametrize("name", ["tbx", "tbx3", "tsv"])
def test_every_field_survives_the_format(entries: list, tmp_path: Path, name: str) -> None:
    form = formats.get_format(name)
    path = tmp_path / f"party-state.ru-en.{'tbx' if 'tbx' in name else 'tsv'}"
    path.write_text(form.dumps(entries), encoding="utf-8")
    back = form.read(path)
    strip = lambda e: e.as_row()
    assert [strip(e) for e in back] == [strip(e) for e in entries]


def test_tbx_2008_is_martif_without_namespace_and_v3_is_iso_2019(entries: list) -> None:
    old = formats.get_format("tbx").dumps(entries[:1])
    new = formats.get_format("tbx3").dumps(entries[:1])
    assert "<martif " in old and "xmlns" not in old and "<termEntry" in old and "<tig>" in old
    assert 'xmlns="urn:iso:std:iso:30042:ed-2"' in new and "<conceptEntry" in new


def test_omegat_glossary_has_no_header_and_one_line_per_entry(entries: list, tmp_path: Path) -> None:
    text = formats.get_format("omegat").dumps(entries)
    lines = text.splitlines()
    assert len(lines) == len(entries) and lines[0].split("\t")[:2] == [entries[0].term, entries[0].preferred]
    assert all(2 <= len(line.split("\t")) <= 3 for line in lines)
    path = tmp_path / "glossary.txt"
    path.write_text(text, encoding="utf-8")
    back = formats.format_of_file(path).read(path)
    # what the comment carries comes back out of it; type and source have no place there
    carried = lambda e: (e.term, e.preferred, e.variants, e.abbreviation, e.expansion, e.note)
    assert [carried(e) for e in back] == [carried(e) for e in entries]
    assert any(e.variants for e in back) and any(e.expansion for e in back) and any(e.abbreviation for e in back)


def test_tbx2po_reads_every_entry(entries: list, tmp_path: Path) -> None:
    tbx2po = shutil.which("tbx2po") or str(Path(sys.executable).parent / "tbx2po")
    if not Path(tbx2po).exists():
        pytest.skip("translate-toolkit is not installed (PyPI package translate-toolkit)")
    from translate.storage import pypo, tbx

    src = tmp_path / "g.tbx"
    src.write_text(formats.get_format("tbx").dumps(entries), encoding="utf-8")
    store = tbx.tbxfile.parsefile(str(src))
    assert [(u.source, u.target) for u in store.units] == [(e.term, e.preferred) for e in entries]
    po = tmp_path / "g.po"
    subprocess.run([tbx2po, str(src), str(po)], check=True, capture_output=True)
    units = [u for u in pypo.pofile.parsefile(str(po)).units if not u.isheader()]
    assert sorted((u.source, u.target) for u in units) == sorted((e.term, e.preferred) for e in entries)


def test_tbx_2008_is_valid_against_the_core_structure(entries: list, tmp_path: Path) -> None:
    """xmllint with the TBX core-structure schema OmegaT ships and reads TBX with."""
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed (Debian package libxml2-utils)")
    if not OMEGAT_JAR.exists():
        pytest.skip("OmegaT is not installed (Debian package omegat), whose TBX schema the test uses")
    with zipfile.ZipFile(OMEGAT_JAR) as jar:
        for name in ("schemas/tbx.xsd", "schemas/xml.xsd"):
            (tmp_path / Path(name).name).write_bytes(jar.read(name))
    good = tmp_path / "g.tbx"
    good.write_text(formats.get_format("tbx").dumps(entries), encoding="utf-8")
    ok = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(tmp_path / "tbx.xsd"), str(good)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr[-2000:]
    # the check is real: a TBX v3 file is not TBX 2008
    v3 = tmp_path / "g3.tbx"
    v3.write_text(formats.get_format("tbx3").dumps(entries[:2]), encoding="utf-8")
    bad = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(tmp_path / "tbx.xsd"), str(v3)],
                         capture_output=True, text=True)
    assert bad.returncode != 0


def test_tbx_v3_is_valid_against_the_tbx_core_rng(entries: list, tmp_path: Path) -> None:
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed (Debian package libxml2-utils)")
    rng = Path(__file__).resolve().parents[1] / "src" / "tolmach" / "interchange" / "schemas" / "TBXcoreStructV03.rng"
    v3 = tmp_path / "g3.tbx"
    v3.write_text(formats.get_format("tbx3").dumps(entries), encoding="utf-8")
    ok = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", str(rng), str(v3)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr[-2000:]
    old = tmp_path / "g.tbx"
    old.write_text(formats.get_format("tbx").dumps(entries[:2]), encoding="utf-8")
    bad = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", str(rng), str(old)], capture_output=True, text=True)
    assert bad.returncode != 0  # and TBX 2008 is not v3: the check is real


@pytest.mark.parametrize(("fmt", "name"), [("tbx", "mine.tbx"), ("tsv", "mine.tsv"), ("omegat", "mine.txt")])
def test_own_export_reimported_under_another_name_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str) -> None:
    db = str(tmp_path / "g.db")
    out = tmp_path / name
    code, _, err = run(capsys, "--db", db, "glossary", "export", "--format", fmt, "--out", str(out))
    assert code == 0, err
    n = len(read_glossary_tsv(GLOSSARY))
    code, before, _ = run(capsys, "--db", db, "glossary", "list", "--json")
    code, stdout, err = run(capsys, "--db", db, "glossary", "import", str(out), "--json")
    assert code == 0, err
    report = json.loads(stdout)
    assert (report["added"], report["removed"]) == (0, 0)
    assert (report["unchanged"], report["updated"]) == (n, 0)
    code, stdout, _ = run(capsys, "--db", db, "glossary", "list", "--json")
    assert stdout == before  # nothing added twice, nothing lost (OmegaT's has no type or source)


def test_terms_added_in_omegat_import_back_and_nothing_else_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The round trip through an OmegaT project: its glossary/glossary.txt gains a term and
    a changed translation; importing it adds the one, updates the other, keeps the rest."""
    db = str(tmp_path / "g.db")
    out = tmp_path / "glossary.txt"
    assert run(capsys, "--db", db, "glossary", "export", "--format", "omegat", "--out", str(out))[0] == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    kpss = next(i for i, ln in enumerate(lines) if ln.startswith("КПСС\t"))
    lines[kpss] = lines[kpss].replace("\tCPSU\t", "\tthe CPSU\t")
    lines.append("Даля\tDalea\tRomanian name, not transliterated")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stdout, err = run(capsys, "--db", db, "glossary", "import", str(out), "--json")
    assert code == 0, err
    report = json.loads(stdout)
    assert (report["added"], report["updated"], report["removed"]) == (1, 1, 0)
    code, stdout, _ = run(capsys, "--db", db, "glossary", "list", "--json")
    stored = {e["term"]: e for e in map(json.loads, stdout.splitlines())}
    bundled = {e.term: e for e in read_glossary_tsv(GLOSSARY)}
    kpss_entry = stored["КПСС"]
    assert kpss_entry["preferred"] == "the CPSU"
    assert tuple(kpss_entry["variants"]) == bundled["КПСС"].variants
    assert (kpss_entry["expansion"], kpss_entry["type"], kpss_entry["source"]) == (
        bundled["КПСС"].expansion, bundled["КПСС"].type, bundled["КПСС"].source)
    assert stored["Даля"]["note"] == "Romanian name, not transliterated"


def test_a_tsv_naming_some_columns_updates_only_those(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The example of docs/edition.md, and a known term given with fewer columns: the
    columns the file does not have keep their stored values."""
    db = str(tmp_path / "g.db")
    edition = (Path(__file__).resolve().parents[1] / "docs" / "edition.md").read_text(encoding="utf-8")
    block = edition.split("$ cat names.ru-en.tsv", 1)[1].split("\n$ ", 1)[0]
    names = tmp_path / "names.ru-en.tsv"
    names.write_text(block.split("\n", 1)[1] + "\n", encoding="utf-8")
    assert run(capsys, "--db", db, "import", "--seeds")[0] == 0
    code, _, err = run(capsys, "--db", db, "glossary", "import", str(names))
    assert code == 0, err
    code, stdout, err = run(capsys, "--db", db, "apparatus", "names", "Document I")
    assert code == 0, err
    assert "М. Даля (М. Даля) → M. Dalea  [authority]" in stdout
    partial = tmp_path / "fix.ru-en.tsv"
    partial.write_text("term\tpreferred\nКПСС\tthe CPSU\n", encoding="utf-8")
    assert run(capsys, "--db", db, "glossary", "import", str(partial))[0] == 0
    code, stdout, _ = run(capsys, "--db", db, "glossary", "list", "--json")
    kpss = next(e for e in map(json.loads, stdout.splitlines()) if e["term"] == "КПСС")
    bundled = next(e for e in read_glossary_tsv(GLOSSARY) if e.term == "КПСС")
    assert kpss["preferred"] == "the CPSU" and kpss["type"] == bundled.type and kpss["source"] == bundled.source


def test_tbx_version_3_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "g.db")
    code, out, _ = run(capsys, "--db", db, "glossary", "export", "--format", "tbx", "--tbx-version", "3", "--out", "-")
    assert code == 0 and "urn:iso:std:iso:30042:ed-2" in out and out.count("<conceptEntry") == len(read_glossary_tsv(GLOSSARY))


@pytest.mark.parametrize("reader", ["head -1", "true"])
def test_glossary_list_into_a_closed_pipe_exits_zero_quietly(tmp_path: Path, reader: str) -> None:
    """``true`` has closed the pipe before tolmach writes, so the broken pipe is certain."""
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", ""))
    cmd = f"{sys.executable} -m tolmach --db {tmp_path / 'g.db'} glossary list | {reader}; echo \"status=${{PIPESTATUS[0]}}\""
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=120)
    assert proc.stdout.splitlines()[-1] == "status=0", proc.stderr
    assert proc.stderr == ""


def test_a_spreadsheet_saving_every_cell_quoted_reads_the_same(entries: list, tmp_path: Path) -> None:
    """LibreOffice/Excel "quote all text cells", CRLF and a BOM: the same entries as the
    plain file (it was taken for an OmegaT glossary and imported with its quotes)."""
    form = formats.get_format("tsv")
    quoted = tmp_path / "sheet.ru-en.tsv"
    rows = [line.split("\t") for line in form.dumps(entries).splitlines()]
    quoted.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(
        "\t".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows).encode("utf-8") + b"\r\n")
    assert formats.format_of_file(quoted).name == "tsv"
    back = formats.format_of_file(quoted).read(quoted)
    assert [e.as_row() for e in back] == [e.as_row() for e in entries]
    # a value that is itself wholly in quotes survives the plain format both ways
    odd = [replace(entries[0], note='"as printed"')]
    plain = tmp_path / "odd.ru-en.tsv"
    plain.write_text(form.dumps(odd), encoding="utf-8")
    assert form.read(plain)[0].note == '"as printed"'
