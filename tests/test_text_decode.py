"""Decoding: every common encoding of the seed text comes back exactly; bad bytes are refused."""

from __future__ import annotations

import pytest
from text_fixtures import SEED_RU, narrow

from tolmach.errors import InputError
from tolmach.text.decode import decode_bytes

SEED = SEED_RU.read_text(encoding="utf-8")
LETTER = SEED[SEED.index("DOCUMENT I") :]


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-16-le", "utf-16-le"),
        ("cp1251", "cp1251"),
        ("koi8_r", "koi8_r"),
        ("cp866", "cp866"),
    ],
)
def test_the_letter_decodes_exactly_in_each_encoding(encoding, reported):
    text = narrow(LETTER, encoding)
    decoded, name = decode_bytes(text.encode(encoding), "letter.txt")
    assert decoded == text
    assert name == reported


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16-le"])
@pytest.mark.parametrize("size", [12, 25, 60])
def test_short_snippets_are_not_mistaken(encoding, size):
    """cp1251 and KOI8-R differ only in letter order; even a few words must tell them apart."""
    text = narrow(LETTER, encoding)
    wrong = []
    for offset in range(0, len(text) - size, 131):
        piece = text[offset : offset + size]
        if not piece.strip():
            continue
        try:
            got, _ = decode_bytes(piece.encode(encoding), "s.txt")
        except InputError:
            got = None
        if got != piece:
            wrong.append(piece)
    assert wrong == []


def test_whole_seed_in_cp1251_is_not_read_as_a_central_european_code_page():
    data = SEED.encode("cp1251", errors="replace")
    text, name = decode_bytes(data, "seed.txt")
    assert name == "cp1251" and "Уважаемые товарищи!" in text


def test_latin1_text_is_read_as_western():
    assert decode_bytes("café au lait, naïve façade".encode("cp1252"), "f.txt") == (
        "café au lait, naïve façade",
        "cp1252",
    )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty"),
        (b"  \n\r\n\t ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
        ("Проверка связи, приём".encode()[:-1] + b"\xff\xfe plain", "damaged bytes on line 1"),
        (b"line one\n" + "вторая строка".encode() + b"\n\xc3\x28\xa0\xa1 broken", "damaged bytes on line 3"),
        (bytes(range(0x80, 0x100)), "cannot be decoded"),
    ],
)
def test_bad_bytes_give_one_sentence_naming_the_file(data, says):
    with pytest.raises(InputError) as err:
        decode_bytes(data, "bad.bin")
    message = str(err.value)
    assert "bad.bin" in message and says in message
    assert message.count(". ") == 0 and message.endswith(".")


def _zip_bytes() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


NOT_TEXT = {
    "letter.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "is a PDF file", "pdftotext"),
    "letter.docx": (_zip_bytes(), "is a zip archive", "plain text"),
    "letter.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "is an old Microsoft Office", "plain text"),
    "letter.rtf": (b"{\\rtf1\\ansi \\f0 \\'cf\\'e8\\'f1\\'fc\\'ec\\'ee}", "is an RTF document", "plain text"),
    "memory.tmx": ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">'
                   "<body><tu><tuv xml:lang=\"ru\"><seg>Да.</seg></tuv></tu></body></tmx>\n".encode(),
                   "is a TMX translation memory", "translation memory"),
    "work.xlf": ('\ufeff<?xml version="1.0"?>\n<!-- from a CAT tool -->\n<xliff version="1.2"></xliff>'.encode(),
                 "is an XLIFF file", "translation memory"),
    "edition.tei": (b'<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>',
                    "is a TEI edition", "TEI edition"),
    "terms.tbx": (b'<?xml version="1.0"?><martif type="TBX-Basic"></martif>', "is a TBX glossary", "glossary"),
    "page.html": ("<!DOCTYPE html>\n<html lang=\"ru\"><body><p>Уважаемые товарищи!</p></body></html>".encode(),
                  "is an HTML page", "plain text"),
}


@pytest.mark.parametrize("name", list(NOT_TEXT))
def test_a_file_of_another_format_is_named_with_what_to_do(name: str) -> None:
    """A PDF, a Word file, Tolmach's own TMX ... given to import: one sentence saying what
    the file is and what to do (it was "binary", "cannot be decoded", or imported as text
    full of markup)."""
    data, what, todo = NOT_TEXT[name]
    with pytest.raises(InputError) as refused:
        decode_bytes(data, name)
    message = str(refused.value)
    assert message.startswith(f"{name} {what}") and todo in message, message


def test_text_that_mentions_markup_is_still_text() -> None:
    text = "В письме упомянут тег <html> и файл report.pdf.\nPK — инициалы.\n"
    assert decode_bytes(text.encode("utf-8"), "note.txt")[0] == text
