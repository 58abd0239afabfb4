"""The translated document: the English of Documents I and II in the source's structure,
written as text, Markdown, HTML (rendered by headless Chromium) and DOCX (re-opened)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from memory_fixtures import (
    DOCUMENT_I_EN,
    DOCUMENT_II_EN,
    document_id,
    translate_by_hand,
)
from sqlalchemy import select

from tolmach import wording
from tolmach.service.notices import NoticeKind
from tolmach.errors import InputError
from tolmach.interchange.document import BeadRow, assemble, write_markdown
from tolmach.service.assembly import export_document
from tolmach.service.beads import load_beads, merge_with_next
from tolmach.store import Segment, Store

DOCS = {"Document I": DOCUMENT_I_EN, "Document II": DOCUMENT_II_EN}


def expected_paragraphs(store: Store, name: str, english: list[str]) -> list[tuple[str, str]]:
    """(kind, English) per source paragraph, in order, from the segments' own paragraph
    numbers (the reference verbatim: it is the source text)."""
    with store.read() as s:
        segs = s.execute(
            select(Segment.paragraph, Segment.kind, Segment.text)
            .where(Segment.document_id == document_id(store, name))
            .order_by(Segment.position)
        ).all()
    out: list[tuple[int, str, list[str]]] = []
    for (para, kind, text), en in zip(segs, english, strict=True):
        if not out or out[-1][0] != para:
            out.append((para, kind, []))
        out[-1][2].append(text if kind == "reference" else en)
    return [(kind, " ".join(parts)) for _, kind, parts in out]


@pytest.fixture
def translated(seeded_store: Store) -> Store:
    for name, english in DOCS.items():
        translate_by_hand(seeded_store, name, english)
    return seeded_store


@pytest.mark.parametrize("name", list(DOCS))
def test_text_has_the_source_paragraphs_in_order(translated: Store, tmp_path: Path, name: str) -> None:
    out = tmp_path / "doc.txt"
    report = export_document(translated, document_id(translated, name), "text", out, complete=True)
    got = out.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    want = [text for _, text in expected_paragraphs(translated, name, DOCS[name])]
    assert got == want
    assert report.paragraphs == report.source_paragraphs == len(want)
    assert not report.untranslated and not report.notices


def test_document_i_structure_in_markdown(translated: Store, tmp_path: Path) -> None:
    out = tmp_path / "doc1.md"
    export_document(translated, document_id(translated, "Document I"), "markdown", out)
    blocks = out.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    want = expected_paragraphs(translated, "Document I", DOCUMENT_I_EN)
    assert len(blocks) == len(want) == 17
    assert blocks[0] == "# " + DOCUMENT_I_EN[0]
    assert blocks[1] == "Dear comrades!"
    assert blocks[-3] == DOCUMENT_I_EN[31]  # signature
    assert blocks[-2] == "Moscow, 24 August 1968"  # dateline
    assert blocks[-1] == "*(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, ff. 25-28)*"


def test_untranslated_beads_bracketed_counted_or_refused(seeded_store: Store, tmp_path: Path) -> None:
    translate_by_hand(seeded_store, "Document II", DOCUMENT_II_EN, only=range(3))
    doc = document_id(seeded_store, "Document II")
    out = tmp_path / "doc2.txt"
    report = export_document(seeded_store, doc, "text", out)
    assert report.untranslated == [4, 5]  # the reference is verbatim, not untranslated
    assert [(n.kind, n.n, n.which) for n in report.notices] == [(NoticeKind.UNTRANSLATED, 2, (4, 5))]
    assert wording.notices(report.notices) == ["2 bead(s) are untranslated and shown as bracketed source (4, 5)."]
    paras = out.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    assert paras[1].startswith("[untranslated: Что же касается предложения")
    assert paras[2] == "[untranslated: 3 сентября 1968 года]"
    refused = tmp_path / "refused.txt"
    with pytest.raises(InputError, match="2 untranslated bead"):
        export_document(seeded_store, doc, "text", refused, complete=True)
    assert not refused.exists() and not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".refused*"))


def test_merged_beads_keep_their_paragraph(translated: Store, tmp_path: Path) -> None:
    doc = document_id(translated, "Document I")
    beads = load_beads(translated, doc)
    merge_with_next(translated, beads[2].id)  # two sentences of one paragraph: 2:2
    out = tmp_path / "m.txt"
    export_document(translated, doc, "text", out)
    got = out.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    assert got == [t for _, t in expected_paragraphs(translated, "Document I", DOCUMENT_I_EN)]


def test_bead_spanning_paragraphs_is_reported() -> None:
    rows = [
        BeadRow(1, ("А.", "Б."), ("body", "body"), (0, 1), ("ru", "ru"), "A. B."),
        BeadRow(2, ("В.",), ("body",), (2,), ("ru", ), "C."),
        BeadRow(3, (), (), (), (), "Added."),  # 0:1 continues the paragraph
    ]
    doc = assemble("t", "ru", "en", rows)
    assert [p.text for p in doc.paragraphs] == ["A. B.", "C. Added."]
    assert doc.source_paragraphs == 3 and doc.merged_paragraphs == 1


def test_markdown_escapes_what_would_become_markup() -> None:
    rows = [BeadRow(1, ("x",), ("body",), (0,), ("ru",), "1. *not* a [link](x) # or <b>tag</b>")]
    md = write_markdown(assemble("t", "ru", "en", rows))
    assert md == "1\\. \\*not\\* a \\[link\\](x) # or \\<b\\>tag\\</b\\>\n"


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("headless Chromium is not installed (Debian package chromium)")
    return exe


def rendered_text(page: Path) -> str:
    """The text headless Chromium renders for ``page`` (innerText of its body, read by a
    wrapper page that loads it in a frame)."""
    exe = _chromium()
    wrapper = page.parent / "wrapper.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><body><pre id="out"></pre>'
        f'<iframe src="{page.name}" onload="document.getElementById(\'out\').textContent = '
        "this.contentDocument.body.innerText\"></iframe></body></html>",
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--allow-file-access-from-files",
             f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", wrapper.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert m, dom[:500]
    return html.unescape(m.group(1))


def test_html_renders_the_translation_in_chromium(translated: Store, tmp_path: Path) -> None:
    page = tmp_path / "doc1.html"
    export_document(translated, document_id(translated, "Document I"), "html", page)
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source and "http" not in source.split("<body")[1]  # self-contained
    lines = [x for x in rendered_text(page).split("\n") if x.strip()]
    want = [t for _, t in expected_paragraphs(translated, "Document I", DOCUMENT_I_EN)]
    assert lines == want


def test_bilingual_html_two_columns_with_bead_numbers(translated: Store, tmp_path: Path) -> None:
    page = tmp_path / "doc2.html"
    export_document(translated, document_id(translated, "Document II"), "html", page, bilingual=True)
    rows = [r.split("\t") for r in rendered_text(page).split("\n") if "\t" in r]
    assert rows[0] == ["#", "ru", "en"]
    body = rows[1:]
    assert [r[0] for r in body] == ["1–3", "4", "5", "6"]  # bead numbers in the margin, per paragraph
    assert body[0][1].startswith("1 ЦК КПСС не считает приемлемым")
    assert body[0][2].startswith("1 " + DOCUMENT_II_EN[0])
    assert body[2][1:] == ["5 3 сентября 1968 года", "5 3 September 1968"]


def test_docx_reopened(translated: Store, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "doc1.docx"
    export_document(translated, document_id(translated, "Document I"), "docx", out)
    d = docx.Document(str(out))
    paras = [p for p in d.paragraphs if p.text]
    want = expected_paragraphs(translated, "Document I", DOCUMENT_I_EN)
    assert [p.text for p in paras] == [t for _, t in want]
    assert paras[0].style.name == "Heading 1"
    assert paras[-2].alignment is not None and paras[-2].text == "Moscow, 24 August 1968"

    bi = tmp_path / "doc2-bilingual.docx"
    export_document(translated, document_id(translated, "Document II"), "docx", bi, bilingual=True)
    (table,) = docx.Document(str(bi)).tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["#", "ru", "en"]
    assert [r[0] for r in cells[1:]] == ["1–3", "4", "5", "6"]
    assert cells[2][2] == DOCUMENT_II_EN[3] and cells[2][1].startswith("Что же касается")
    assert cells[4][1] == cells[4][2]  # the archival reference, verbatim on both sides


def test_bad_requests(translated: Store, tmp_path: Path) -> None:
    doc = document_id(translated, "Document II")
    with pytest.raises(InputError, match="html or docx"):
        export_document(translated, doc, "text", tmp_path / "x.txt", bilingual=True)
    (tmp_path / "exists.html").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        export_document(translated, doc, "html", tmp_path / "exists.html")
    assert (tmp_path / "exists.html").read_text(encoding="utf-8") == "keep"
    with pytest.raises(InputError, match="folder"):
        export_document(translated, doc, "docx", tmp_path / "missing" / "x.docx")


def test_notes_become_footnotes_and_sic_stands_after_its_word(translated: Store, tmp_path: Path) -> None:
    """Document I bead 3 (Dalea) gets a footnote and an editorial [sic]: every format of the
    translated document calls the footnote after its word and lists it at the end."""
    from tolmach.model import NoteKind
    from tolmach.service.notes import add_note

    bead = load_beads(translated, document_id(translated, "Document I"))[2]
    assert "Dalea" in bead.target
    add_note(translated, bead.id, "Mihai Dalea (1909–1980), secretary of the RCP CC.", kind=NoteKind.FOOTNOTE, anchor="Dalea")
    word = bead.target.split()[1]
    add_note(translated, bead.id, "[sic]", kind=NoteKind.EDITORIAL, anchor=word)
    doc = document_id(translated, "Document I")
    outs = {}
    for fmt, ext in (("text", "txt"), ("markdown", "md"), ("html", "html"), ("docx", "docx")):
        outs[fmt] = tmp_path / f"doc.{ext}"
        export_document(translated, doc, fmt, outs[fmt])
    text = outs["text"].read_text(encoding="utf-8")
    assert "Dalea[1]" in text and text.rstrip().endswith("[1] Mihai Dalea (1909–1980), secretary of the RCP CC.")
    assert f"{word} [sic]" in text and "\u2063" not in text
    md = outs["markdown"].read_text(encoding="utf-8")
    assert "Dalea[^1]" in md and "[^1]: Mihai Dalea (1909–1980), secretary of the RCP CC." in md
    page = outs["html"].read_text(encoding="utf-8")
    assert 'Dalea<sup class="fn"><a href="#fn-1" id="fnref-1">1</a></sup>' in page
    assert '<li id="fn-1">Mihai Dalea (1909–1980), secretary of the RCP CC.' in page and "\u2063" not in page
    import docx

    d = docx.Document(str(outs["docx"]))
    runs = [r for p in d.paragraphs for r in p.runs]
    assert any(r.text == "1" and r.font.superscript for r in runs)
    assert d.paragraphs[-1].text == "1 Mihai Dalea (1909–1980), secretary of the RCP CC."
    assert not any("\u2063" in p.text for p in d.paragraphs)
