"""XML in and out without surprises.

Out: characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
removed and counted, because a single one makes the whole file unreadable to every CAT
tool; carriage returns and tabs in attributes are written as character references so a
parser's newline and attribute normalisation cannot change the text.

In: files come from other people's tools, so they are parsed with defusedxml: no entity
declarations (billion laughs, external entities, parameter entities), no DTD named by
URL (it would never be fetched, but such a file is not a plain TM either).  Sizes are
bounded too, so a file cannot make the parser hold what no TM, XLIFF or TBX file needs:
an attribute value of more than :data:`MAX_ATTR_CHARS`, a run of text without markup of
more than :data:`MAX_TEXT_CHARS`, or a single tag, comment or declaration still open
after :data:`MAX_TOKEN_BYTES` (expat buffers a token whole before reporting it, so this
is checked as the bytes are fed).  Every refusal becomes one
:class:`~tolmach.errors.InputError` sentence naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from tolmach.errors import InputError

_NOT_XML10 = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)


#: Control characters that separate words (vertical tab, form feed, the information
#: separators): XML cannot carry them, so they become a space rather than joining words.
_SPACING_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f]")


def clean(text: str) -> tuple[str, int]:
    """``text`` without the characters XML 1.0 cannot carry, and how many were changed:
    separators (form feed, vertical tab, ``\x1c``-``\x1f``) become a space, the rest go."""
    spaced, n = _SPACING_CONTROLS.subn(" ", text)
    cleaned, removed = _NOT_XML10.subn("", spaced)
    return cleaned, removed + n


def escape_text(text: str) -> str:
    return text.translate(_TEXT_ESCAPES)


def escape_attr(text: str) -> str:
    return text.translate(_ATTR_ESCAPES)


class XmlOut:
    """Shared by the XML writers: escaping with a running count of removed characters."""

    def __init__(self) -> None:
        self.removed_chars = 0

    def text(self, value: str) -> str:
        value, n = clean(value)
        self.removed_chars += n
        return escape_text(value)

    def attr(self, value: str) -> str:
        value, n = clean(value)
        self.removed_chars += n
        return escape_attr(value)


#: Longest attribute value accepted (characters): ids, dates, file names and properties
#: are short; a megabyte-long ``tuid`` is an attack or a broken file.
MAX_ATTR_CHARS = 65_536

#: Longest run of character data between two tags (characters): a segment, a note, a TEI
#: paragraph.  Tolmach's own segments are at most 1,000 characters.
MAX_TEXT_CHARS = 1_000_000

#: Bytes after which a tag, comment or declaration that has not ended is refused.
MAX_TOKEN_BYTES = 4 * 2**20


class XmlTooLarge(InputError):
    """A limit of :mod:`xmlsafe` was exceeded (the message names the file and line)."""


class _GuardedParser(DefusedXMLParser):  # type: ignore[misc]  # defusedxml has no types
    """defusedxml's parser, also refusing a DTD named by URL (``http:``, ``file:`` ...)
    and anything larger than the limits above.

    Entity declarations, in an internal subset or not, are refused by defusedxml itself.
    """

    def __init__(self, source_name: str = "the XML file") -> None:
        super().__init__(target=TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.source_name = source_name
        p = self.parser
        p.StartDoctypeDeclHandler = self._check_doctype
        self._guard_handlers()
        self._fed = 0  # bytes given to expat so far
        self._mark = 0  # byte offset of the last event expat reported
        self._text_run = 0  # characters of text since the last tag

    def _guard_handlers(self) -> None:
        """Put the limit checks in front of expat's handlers (again whenever
        ElementTree's pull parser installs its own)."""
        p = self.parser
        if p.StartElementHandler != self._guarded_start:
            self._start_handler, p.StartElementHandler = p.StartElementHandler, self._guarded_start
        if p.EndElementHandler != self._guarded_end:
            self._end_handler, p.EndElementHandler = p.EndElementHandler, self._guarded_end
        if p.CharacterDataHandler is not None and p.CharacterDataHandler != self._guarded_data:
            self._data_handler, p.CharacterDataHandler = p.CharacterDataHandler, self._guarded_data

    def _setevents(self, events_queue: object, events_to_report: object) -> None:
        super()._setevents(events_queue, events_to_report)
        self._guard_handlers()

    def _event(self) -> None:
        self._mark = self.parser.CurrentByteIndex

    def _guarded_start(self, tag: str, attrs: list[str]) -> object:
        for value in attrs[1::2]:
            if len(value) > MAX_ATTR_CHARS:
                name = tag.rsplit("}", 1)[-1]
                raise XmlTooLarge(
                    f"{self.source_name} was refused: an attribute of <{name}> on line "
                    f"{self.parser.CurrentLineNumber} is {len(value):,} characters long, more than the "
                    f"{MAX_ATTR_CHARS:,} a translation file needs."
                )
        self._event()
        self._text_run = 0
        return self._start_handler(tag, attrs)

    def _guarded_end(self, tag: str) -> object:
        self._event()
        self._text_run = 0
        return self._end_handler(tag)

    def _guarded_data(self, text: str) -> None:
        self._event()
        self._text_run += len(text)
        if self._text_run > MAX_TEXT_CHARS:
            raise XmlTooLarge(
                f"{self.source_name} was refused: the text before line {self.parser.CurrentLineNumber} runs to "
                f"more than {MAX_TEXT_CHARS:,} characters without markup, more than any segment needs."
            )
        self._data_handler(text)

    def feed(self, data: bytes | str) -> None:
        super().feed(data)
        self._fed += len(data)
        if self._fed - self._mark > MAX_TOKEN_BYTES:
            raise XmlTooLarge(
                f"{self.source_name} was refused: after line {self.parser.CurrentLineNumber} a single tag, "
                f"comment or declaration runs past {MAX_TOKEN_BYTES / 2**20:g} MiB, which no translation file needs."
            )

    def _check_doctype(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        if sysid and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", sysid):
            raise DTDForbidden(name, sysid, pubid)


def _refusal(path: Path | str, exc: Exception) -> InputError:
    """The one wording of an XML file refused by the safe parser (TMX, XLIFF, TBX alike)."""
    if isinstance(exc, DefusedXmlException):
        reason = {
            "EntitiesForbidden": "it declares XML entities",
            "ExternalReferenceForbidden": "it refers to an external entity",
            "DTDForbidden": "it points to a DTD on the network or elsewhere by URL",
        }.get(type(exc).__name__, "it uses unsafe XML features")
        return InputError(
            f"{path} was refused: {reason}, which translation memories and glossaries never need (possible XML attack)."
        )
    if isinstance(exc, ParseError):
        line, col = getattr(exc, "position", (0, 0))
        what = str(exc).split(":")[0]  # expat's reason without its own position suffix
        return InputError(f"{path} is not well-formed XML at line {line}, column {col} ({what}).")
    if isinstance(exc, OSError):
        return InputError(f"{path} cannot be read: {exc.strerror or exc}.")
    raise exc


def iter_xml(path: Path, handle: IO[bytes] | None = None) -> Iterator[tuple[str, Element]]:
    """``("start"|"end", element)`` events from an untrusted XML file, parsed safely.

    Namespaces are stripped from tags (``{urn:...}trans-unit`` -> ``trans-unit``) so
    readers match plain names; the ``xml:`` namespace becomes the ``xml:`` prefix.  A
    path is checked by :func:`tolmach.fileio.check_input` first, so a pipe or a device is
    refused instead of read (a pipe with no writer would block for ever).
    """
    if handle is None:
        from tolmach.fileio import check_input

        check_input(path)
    source: IO[bytes] | str = handle if handle is not None else str(path)
    try:
        for event, elem in iterparse(source, events=("start", "end"), parser=_GuardedParser(str(path))):
            if event == "start":
                if elem.tag[0] == "{":
                    elem.tag = elem.tag.split("}", 1)[1]
                for key in [k for k in elem.attrib if k[0] == "{"]:
                    ns, local = key[1:].split("}", 1)
                    prefix = "xml:" if ns == "http://www.w3.org/XML/1998/namespace" else ""
                    elem.attrib[prefix + local] = elem.attrib.pop(key)
            yield event, elem
    except (DefusedXmlException, ParseError, OSError) as exc:
        raise _refusal(path, exc) from None


def parse_xml(data: bytes, source_name: str) -> Element:
    """The root element of an untrusted XML document held in memory, parsed under the
    same rules and limits as :func:`iter_xml` (namespaces are kept).  Raises
    :class:`InputError` worded as :func:`iter_xml` words it (and :class:`XmlTooLarge`, a
    finished sentence, for a limit)."""
    parser = _GuardedParser(source_name)
    step = 64 * 1024
    try:
        for start in range(0, len(data), step):
            parser.feed(data[start : start + step])
        root: Element = parser.close()
    except (DefusedXmlException, ParseError) as exc:
        raise _refusal(source_name, exc) from None
    return root


def element_text(elem: Element) -> str:
    """All character data inside an element, inline markup flattened to its text."""
    return "".join(elem.itertext())


def inline_text(elem: Element, drop: frozenset[str], wrap: frozenset[str] = frozenset()) -> tuple[str, int]:
    """The text of a segment with its inline codes stripped, and how many codes there were.

    Elements named in ``drop`` hold native code (TMX ``<bpt>``/``<ph>``, XLIFF ``<x/>``):
    they and their content go.  Elements in ``wrap`` (XLIFF ``<g>``, ``<pc>``) mark up
    text: the tag goes, the text stays.  Every other element (``<mrk>``, ``<hi>``) is
    transparent and not counted.
    """
    parts = [elem.text or ""]
    count = 0
    for child in elem:
        if child.tag in drop:
            count += 1
        else:
            if child.tag in wrap:
                count += 1
            text, n = inline_text(child, drop, wrap)
            parts.append(text)
            count += n
        parts.append(child.tail or "")
    return "".join(parts), count
