"""Tolmach and OmegaT (Debian package ``omegat``), both directions, with OmegaT itself.

One OmegaT run per module (console mode, a project made by ``tolmach omegat-project``):
a Groovy script, run by OmegaT's own ``--script`` option, plays the translator who edits
one segment, and saves ``project_save.tmx`` the way OmegaT does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tolmach.cli import main
from tolmach.interchange.omegat import read_target
from tolmach.service import beads as bead_service
from tolmach.service.documents import import_seeds
from tolmach.store import open_store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

pytestmark = pytest.mark.skipif(
    shutil.which("omegat") is None, reason="OmegaT is not installed (Debian package omegat)"
)

EDITED_SOURCE = "Уважаемые товарищи!"
EDIT = "Dear Comrades! (edited in OmegaT)"

SCRIPT = r"""
import org.omegat.core.Core
import org.omegat.core.data.PrepareTMXEntry
import org.omegat.core.data.RealProject
// console mode has no autosave thread and no main window; give saving what it needs
def f = Core.class.getDeclaredField("saveThread"); f.setAccessible(true)
f.set(null, [disable: {}, enable: {}] as org.omegat.core.threads.IAutoSave)
def project = Core.getProject()
def ste = project.getAllEntries().find { it.getSrcText() == SOURCE }
def current = project.getTranslationInfo(ste)
if (current == null || current.translation != EDIT) {
  def t = new PrepareTMXEntry()
  t.source = ste.getSrcText()
  t.translation = EDIT
  project.setTranslation(ste, t, true, null)
}
def ptf = RealProject.class.getDeclaredField("projectTMX"); ptf.setAccessible(true)
def props = project.getProjectProperties()
ptf.get(project).save(props, props.getProjectInternal() + "project_save.tmx", true)
// what OmegaT's own glossary readers make of Tolmach's TBX 2008 and OmegaT-TSV exports
def out = new File(props.getProjectRoot(), "glossary-read.tsv")
out.withWriter("UTF-8") { w ->
  org.omegat.gui.glossary.GlossaryReaderTBX.read(new File(props.getGlossaryRoot(), "tolmach.tbx"), false).each {
    w << "tbx\t" << it.getSrcText() << "\t" << it.getLocText() << "\n" }
  org.omegat.gui.glossary.GlossaryReaderTSV.read(new File(props.getGlossaryRoot(), "glossary.txt"), false).each {
    w << "txt\t" << it.getSrcText() << "\t" << it.getLocText() << "\n" }
}
"""


def run(db: Path, *args: str) -> int:
    try:
        main(["--db", str(db), *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _groovy(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


@pytest.fixture(scope="module")
def omegat_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("omegat")
    db = tmp / "t.db"
    old_user = os.environ.get("TOLMACH_USER")
    os.environ["TOLMACH_USER"] = "tester"
    try:
        st = open_store(db, user="tester")
        import_seeds(st, SEEDS)
        expected: dict[str, list] = {}
        with st.read() as s:
            from sqlalchemy import select

            from tolmach.store import Document

            ids = {n: i for n, i in s.execute(select(Document.name, Document.id))}
        for name in ("Document I", "Document II"):
            for b in bead_service.load_beads(st, ids[name]):
                if b.number % 5 == 0:
                    continue  # leave some untranslated
                bead_service.edit_target(st, b.id, f"{name}, sentence {b.number}: a translation with «quotes» & <tags>.")
            bead_service.set_status(st, bead_service.load_beads(st, ids[name])[0].id, "reviewed")
        for name in ("Document I", "Document II"):
            expected[name] = bead_service.load_beads(st, ids[name])
        st.close()
        project = tmp / "project"
        assert run(db, "omegat-project", "Document I", "Document II", "--dir", str(project)) == 0
        assert run(db, "glossary", "export", "--format", "tbx", "--out", str(project / "glossary" / "tolmach.tbx")) == 0
        # the translator's worst case: a TMX with every bead, the empty ones included
        assert run(db, "export", "Document I", "Document II", "--format", "tmx", "--include-empty",
                   "--out", str(project / "tm" / "auto" / "with-empty.tmx")) == 0
        # after the hand-off, Tolmach keeps working: bead 3 of Document I changes
        st = open_store(db, user="tester")
        third = bead_service.load_beads(st, ids["Document I"])[2]
        bead_service.edit_target(st, third.id, "Our ambassador reported (newer edit in Tolmach).")
        st.close()
        script = tmp / "edit.groovy"
        script.write_text(f"SOURCE = {_groovy(EDITED_SOURCE)}\nEDIT = {_groovy(EDIT)}\n" + SCRIPT, encoding="utf-8")
        env = dict(os.environ, JAVA_TOOL_OPTIONS="-Duser.name=anna")
        proc = subprocess.run(
            ["omegat", str(project), "--mode=console-translate", f"--script={script}",
             f"--config-dir={tmp / 'omegat-config'}"],  # never the user's own OmegaT settings
            capture_output=True, text=True, timeout=300, env=env,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "Exception" not in proc.stdout + proc.stderr, (proc.stdout + proc.stderr)[-3000:]
    finally:
        if old_user is None:
            os.environ.pop("TOLMACH_USER", None)
        else:
            os.environ["TOLMACH_USER"] = old_user
    return {"db": db, "project": project, "expected": expected, "ids": ids, "log": proc.stdout + proc.stderr}


def test_every_translated_bead_comes_out_of_omegat_exactly(omegat_run: dict) -> None:
    project: Path = omegat_run["project"]
    for name, beads in omegat_run["expected"].items():
        paragraphs = read_target((project / "target" / f"{name}.txt").read_text(encoding="utf-8"))
        with_source = [b for b in beads if b.source.strip()]
        assert len(paragraphs) == len(with_source)  # no paragraph lost, none blanked
        for b, para in zip(with_source, paragraphs):
            if b.source == EDITED_SOURCE:
                assert para == EDIT
            elif b.target:
                assert para == b.target, b.number
            else:
                assert para == " ".join(b.source.split())  # untranslated: OmegaT keeps the source, never ""
        assert all(p.strip() for p in paragraphs)


def test_omegat_segments_exactly_as_tolmach(omegat_run: dict) -> None:
    """One OmegaT segment per bead: at с. г., т. М., гор. and ff. OmegaT does not split."""
    stats = (omegat_run["project"] / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = next(line for line in stats.splitlines() if line.startswith("Total:"))
    segments = int(total.split("\t")[1])
    beads = sum(1 for bs in omegat_run["expected"].values() for b in bs if b.source.strip())
    assert segments == beads == 40


def test_project_save_imports_back_with_author_and_date(omegat_run: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "t.db"
    shutil.copy(omegat_run["db"], db)
    save = omegat_run["project"] / "omegat" / "project_save.tmx"
    tree = etree.parse(str(save))
    tuv = next(t for t in tree.iter("tuv") if t.findtext("seg") == EDIT)
    assert tuv.get("changeid") == "anna"
    capsys.readouterr()
    assert run(db, "import-tm", str(save), "--json") == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["updated"] == 1 and report["changes"][0]["after"] == EDIT and report["changes"][0]["author"] == "anna"
    # the newer Tolmach edit of bead 3 is not reverted by OmegaT's older copy: a conflict, ours kept
    assert [(c["bead"], c["reason"], c["kept"]) for c in report["conflict_list"]] == [(3, "newer-in-tolmach", "ours")]
    st = open_store(db)
    doc = omegat_run["ids"]["Document I"]
    beads = bead_service.load_beads(st, doc)
    assert beads[2].target == "Our ambassador reported (newer edit in Tolmach)."
    edited = next(b for b in beads if b.source == EDITED_SOURCE)
    assert (edited.target, edited.status) == (EDIT, "imported")
    last = bead_service.history(st, edited.id)[0]
    assert (last.action, last.author, last.origin) == ("import", "anna", "project_save.tmx")
    st.close()
    # authors and dates are kept: Tolmach's own TMX now names anna and OmegaT's date
    out = tmp_path / "again.tmx"
    assert run(db, "export", "Document I", "--format", "tmx", "--out", str(out)) == 0
    ours = etree.parse(str(out))
    tu = next(t for t in ours.iter("tu") if t.findtext("tuv/seg") == EDITED_SOURCE)
    assert (tu.get("changeid"), tu.get("changedate")) == ("anna", tuv.get("changedate"))
    assert tu.get("creationid") == "tester"
    # and importing the same file again changes nothing
    capsys.readouterr()
    assert run(db, "import-tm", str(save), "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert again["updated"] == 0


def test_omegat_reads_every_glossary_entry_from_tbx_2008_and_its_own_tsv(omegat_run: dict) -> None:
    from tolmach.glossary.tsv import read_glossary_tsv

    entries = read_glossary_tsv(Path(__file__).resolve().parents[1] / "glossaries" / "party-state.ru-en.tsv")
    rows = [line.split("\t") for line in (omegat_run["project"] / "glossary-read.tsv").read_text(encoding="utf-8").splitlines()]
    for kind in ("tbx", "txt"):
        got = {(r[1], r[2]) for r in rows if r[0] == kind}
        for e in entries:
            # OmegaT joins a term's renderings with ", "; the preferred one comes first
            assert any(src == e.term and loc.split(", ")[0] == e.preferred for src, loc in got), (kind, e.term)
        # from TBX OmegaT also indexes each abbreviation and full form; its TSV has the terms only
        forms = {f for e in entries for f in e.forms} if kind == "tbx" else {e.term for e in entries}
        assert {src for src, _ in got} == forms
