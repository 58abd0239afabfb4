"""XML in and out without surprises.

Out: characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
removed and counted, because a single one makes the whole file unreadable to every CAT
tool; carriage returns and tabs in attributes are written as character references so a
parser's newline and attribute normalisation cannot change the text.

In: files come from other people's tools, so they are parsed with defusedxml: no entity
declarations (billion laughs, external entities, parameter entities), no DTD named by
URL (it would never be fetched, but such a file is not a plain TM either).  Every
refusal becomes one :class:`~tolmach.errors.InputError` sentence naming the file.
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


class _GuardedParser(DefusedXMLParser):  # type: ignore[misc]  # defusedxml has no types
    """defusedxml's parser, also refusing a DTD named by URL (``http:``, ``file:`` ...).

    Entity declarations, in an internal subset or not, are refused by defusedxml itself.
    """

    def __init__(self) -> None:
        super().__init__(target=TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.parser.StartDoctypeDeclHandler = self._check_doctype

    def _check_doctype(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        if sysid and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", sysid):
            raise DTDForbidden(name, sysid, pubid)


def _hostile(path: Path, exc: DefusedXmlException) -> InputError:
    kind = type(exc).__name__
    reason = {
        "EntitiesForbidden": "it declares XML entities",
        "ExternalReferenceForbidden": "it refers to an external entity",
        "DTDForbidden": "it points to a DTD on the network or elsewhere by URL",
    }.get(kind, "it uses unsafe XML features")
    return InputError(f"{path} was refused: {reason}, which translation memories never need (possible XML attack).")


def iter_xml(path: Path, handle: IO[bytes] | None = None) -> Iterator[tuple[str, Element]]:
    """``("start"|"end", element)`` events from an untrusted XML file, parsed safely.

    Namespaces are stripped from tags (``{urn:...}trans-unit`` -> ``trans-unit``) so
    readers match plain names; the ``xml:`` namespace becomes the ``xml:`` prefix.
    """
    source: IO[bytes] | str = handle if handle is not None else str(path)
    try:
        for event, elem in iterparse(source, events=("start", "end"), parser=_GuardedParser()):
            if event == "start":
                if elem.tag[0] == "{":
                    elem.tag = elem.tag.split("}", 1)[1]
                for key in [k for k in elem.attrib if k[0] == "{"]:
                    ns, local = key[1:].split("}", 1)
                    prefix = "xml:" if ns == "http://www.w3.org/XML/1998/namespace" else ""
                    elem.attrib[prefix + local] = elem.attrib.pop(key)
            yield event, elem
    except DefusedXmlException as exc:
        raise _hostile(path, exc) from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        what = str(exc).split(":")[0]  # expat's reason without its own position suffix
        raise InputError(f"{path} is not well-formed XML at line {line}, column {col} ({what}).") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None


def parse_xml(path: Path, data: bytes) -> Element:
    """A whole untrusted XML document (``data``, read from ``path``), parsed with the same
    guards and the same one-sentence refusals as :func:`iter_xml`; namespaces are kept."""
    parser = _GuardedParser()
    try:
        parser.feed(data)
        root: Element = parser.close()
        return root
    except DefusedXmlException as exc:
        raise _hostile(path, exc) from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        what = str(exc).split(":")[0]
        raise InputError(f"{path} is not well-formed XML at line {line}, column {col} ({what}).") from None


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
