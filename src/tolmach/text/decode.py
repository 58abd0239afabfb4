"""Bytes to text: BOMs, UTF-8, UTF-16, and the single-byte encodings of Russian archives.

General detectors guess badly on exactly our files: a short KOI8-R letter comes out as
Shift-JIS, and an English article with a Russian appendix in cp1251 comes out as
cp1250.  So the decision here is small and explicit: a BOM wins; strict UTF-8 next; then
every candidate in :data:`SINGLE_BYTE` that decodes cleanly is scored by how plausible
its *words* are (one script per word, a sane letter case, few accented Latin letters),
which is what separates cp1251 from KOI8-R from cp1252 at once.  Nothing plausible
means an error naming the file, never mojibake.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

from tolmach.errors import InputError

#: Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Single-byte encodings tried when the bytes are not UTF-8, in order of preference on ties.
SINGLE_BYTE: tuple[str, ...] = ("cp1251", "koi8_r", "cp1252", "cp1250", "cp866")

#: Below this share of plausible words a decoding is rejected.
MIN_PLAUSIBLE = 0.75


_WORD = re.compile(r"[^\W\d_]+")

#: The most common letter pairs of Russian running text (general frequency lists).
_RU_COMMON_PAIRS = frozenset(
    """ст но то на ен ов ни ра во ко ос по ро ал пр ре ер ли ан ет ол од ле ка го ор ва те он не
    ть ел ла ит ом да ск ри ин де ат ки об ем нн ес ог ам от тр ви ак ма ой ие из за ль ны ми ия
    их ил ме ве чт ед сл бы мо ир ти мы се ду ло ча ую ое ая ый ий ые ся ис че ци со ру тв ар
    ег ей ож жи ши ше щи ще юч зн ди пе па до ок ку ум нт ав ев бо бе ба ук уд ут ус ых ям ях ют
    му мн гл гр др кр зв зд вс вн вы жд ац""".split()
)
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


#: Control characters (Unicode category Cc) other than the allowed ones.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _controls(text: str, enough: int | None = None) -> int:
    """How many disallowed control characters ``text`` has (counting stops past ``enough``)."""
    found = _CONTROL.finditer(text)
    return sum(1 for _ in (found if enough is None else itertools.islice(found, enough + 1)))


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("CYRILLIC"):
        return "cyr"
    if name.startswith("LATIN"):
        return "lat"
    if name.startswith("GREEK"):
        return "grk"
    return "other"


def _word_ok(word: str) -> bool:
    """One script, a normal case pattern, and not mostly accented Latin letters."""
    scripts = {_script(c) for c in word}
    if len(scripts) != 1 or "other" in scripts:
        return False
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    if "lat" in scripts:
        accented = sum(1 for c in word if ord(c) > 0x7F)
        if accented * 3 > len(word):
            return False
    return True


def plausibility(text: str) -> float:
    """Share of letters that sit in plausible words (1.0 for text with no letters)."""
    # symbols outside ASCII (box drawing, math signs) are what a wrong code page makes of letters
    total = sum(1 for c in text if ord(c) > 0x7F and unicodedata.category(c)[0] in "SC")
    good = 0
    for m in _WORD.finditer(text):
        w = m.group()
        if all(ord(c) < 0x80 for c in w):
            continue  # ASCII words read the same in every candidate; they decide nothing
        total += len(w)
        if _word_ok(w):
            good += len(w)
    return good / total if total else 1.0


def cyrillic_fit(text: str) -> float:
    """How Russian the Cyrillic words look: the share of their letter pairs that are common.

    cp1251 read as KOI8-R (or the reverse) still gives Cyrillic words of one case, but with
    the letters permuted, and permuted letters make rare pairs.  Text without Cyrillic
    letter pairs is neutral (1.0).
    """
    pairs = common = 0
    for word in _CYRILLIC_WORD.findall(text.lower()):
        for a, b in zip(word, word[1:]):
            pairs += 1
            common += (a + b) in _RU_COMMON_PAIRS
    return (0.2 + common / pairs) if pairs else 1.0


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _check_text(text: str, source_name: str) -> str:
    allowed = max(2, len(text) // 1000)
    if _controls(text, allowed) > allowed:
        raise InputError(f"{source_name} looks like a binary file, not text; nothing was imported.")
    return text


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a BOM shows NUL bytes in every other position."""
    if len(data) % 2 or len(data) < 4:
        return None
    halves = {"utf-16-le": data[1::2], "utf-16-be": data[0::2]}  # the high byte of each unit
    for enc, high in halves.items():
        # a script's high byte repeats (0x00 for Latin, 0x04 for Cyrillic, ...)
        common = max(high.count(0), *(high.count(b) for b in set(high))) if high else 0
        if high.count(0) and (high.count(0) + common) / len(high) > 0.6:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(text) and plausibility(text) >= MIN_PLAUSIBLE:
                return text, enc
    return None


#: Files people mistake for text, known by their first bytes: (magic, what it is, what to do).
#: Said instead of "binary" or "cannot be decoded", which would not tell them what to do.
NOT_TEXT_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF file", "extract its text first (pdftotext -layout FILE) and import the text file"),
    (b"PK\x03\x04", "a zip archive (as a Word .docx or OpenDocument .odt document is)",
     "save the document as plain text (.txt) and import that"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office (.doc) file", "save the document as plain text (.txt) and import that"),
    (b"{\\rtf", "an RTF document", "save the document as plain text (.txt) and import that"),
)

#: Markup files, known by their root element: (tag, what it is, what to do).
NOT_TEXT_ROOTS: dict[str, tuple[str, str]] = {
    "tmx": ("a TMX translation memory", "import it as a translation memory instead"),
    "xliff": ("an XLIFF file", "import it as a translation memory instead"),
    "tei": ("a TEI edition", "import it as a TEI edition instead"),
    "martif": ("a TBX glossary", "import it into the glossary instead"),
    "tbx": ("a TBX glossary", "import it into the glossary instead"),
    "html": ("an HTML page", "save the page as plain text (.txt) and import that"),
}
_ROOT = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+(\w+)|<(\w+))", re.S | re.I)


def _not_text(data: bytes, source_name: str) -> None:
    """Refuse a file of a known non-text format, saying what it is and what to do."""
    for magic, what, todo in NOT_TEXT_MAGIC:
        if data.startswith(magic):
            raise InputError(f"{source_name} is {what}, not a text file; {todo}.")
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")
    m = _ROOT.match(head)
    if m:
        found = NOT_TEXT_ROOTS.get((m.group(1) or m.group(2)).lower())
        if found:
            raise InputError(f"{source_name} is {found[0]}, not a running text; {found[1]}.")


def decode_bytes(data: bytes, source_name: str) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name).

    Raises :class:`InputError` for empty, binary or undecodable input, naming the file,
    and for a known format that is not plain text (PDF, DOCX, TMX ...), saying what to do.
    """
    if not data or data.isspace():
        raise InputError(f"{source_name} is empty: it holds no text.")
    _not_text(data, source_name)
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{source_name} starts with a {enc.upper().replace('-SIG', '')} byte-order mark "
                    f"but byte {exc.start + len(bom)} is not valid {enc.replace('-sig', '').upper()}."
                ) from exc
            return _check_text(text, source_name), enc
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is None:
            raise InputError(f"{source_name} looks like a binary file, not text (it contains NUL bytes).")
        return found
    utf8_until = None  # where UTF-8 first fails, when what comes before it is UTF-8 text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if any(b > 0x7F for b in data[max(0, exc.start - 4096) : exc.start]):
            utf8_until = exc.start
        lenient = data.decode("utf-8", errors="replace")
        bad = lenient.count("\ufffd")
        good = sum(1 for ch in lenient if ord(ch) > 0x7F and ch != "\ufffd")
        if good >= max(3, bad):
            raise InputError(
                f"{source_name} is UTF-8 text with damaged bytes on line {_line_of(data, exc.start)} "
                f"(byte {exc.start}); it cannot be decoded safely."
            ) from exc
    else:
        return _check_text(text, source_name), "utf-8"

    best: tuple[float, str, str] | None = None
    for enc in SINGLE_BYTE:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            continue
        plausible = plausibility(text)
        if plausible < MIN_PLAUSIBLE:
            continue
        score = plausible * cyrillic_fit(text)
        if best is None or score > best[0]:
            best = (score, enc, text)
    if best is None and utf8_until is not None:
        raise InputError(
            f"{source_name} mixes encodings: it is UTF-8 text up to line {_line_of(data, utf8_until)}, where byte "
            f"{utf8_until} is not UTF-8; re-save the whole file in one encoding (UTF-8)."
        )
    if best is None:
        raise InputError(
            f"{source_name} cannot be decoded: it is not UTF-8, UTF-16, cp1251, KOI8-R or another "
            "common encoding; re-save it as UTF-8."
        )
    return best[2], best[1]
