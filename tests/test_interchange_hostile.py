"""Untrusted translation memories: hostile XML is refused with one sentence, nothing changes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import func, select

from interchange_fixtures import make_document, targets
from tolmach.errors import InputError
from tolmach.service.interchange import import_tm
from tolmach.store import Revision, Store

TU = '<tu><tuv xml:lang="ru"><seg>Да.</seg></tuv><tuv xml:lang="en"><seg>{}</seg></tuv></tu>'
HEAD = '<header srclang="ru" creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>'

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
    + f'<tmx version="1.4">{HEAD}<body>{TU.format("&lol9;")}</body></tmx>'
)

HOSTILE = {
    "billion laughs": (BILLION_LAUGHS, "declares XML entities"),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<tmx version="1.4">{HEAD}<body>{TU.format("&xxe;")}</body></tmx>',
        "declares XML entities",
    ),
    "parameter entity": (
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>'
        f'<tmx version="1.4">{HEAD}<body>{TU.format("Yes.")}</body></tmx>',
        "declares XML entities",
    ),
    "DTD fetch": (
        '<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">'
        f'<tmx version="1.4">{HEAD}<body>{TU.format("Yes.")}</body></tmx>',
        "points to a DTD on the network or elsewhere by URL",
    ),
    "xliff external entity": (
        '<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="A" source-language="ru"'
        ' datatype="plaintext"><body><trans-unit id="1"><source>Да.</source><target>&xxe;</target></trans-unit>'
        "</body></file></xliff>",
        "declares XML entities",
    ),
}


def _revisions(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Revision))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the parser tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_xml_is_refused_and_nothing_changes(store: Store, tmp_path: Path, case: str, no_network: None) -> None:
    make_document(store, "A", ["Да."], targets=["Kept."])
    before, revs = targets(store), _revisions(store)
    text, reason = HOSTILE[case]
    path = tmp_path / ("tm.xlf" if "xliff" in case else "tm.tmx")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_tm(store, path)
    message = str(info.value)
    assert message.startswith(f"{path} was refused: it {reason}") and message.count(". ") == 0
    assert targets(store) == before and _revisions(store) == revs


def test_hostile_unit_after_good_ones_changes_nothing(store: Store, tmp_path: Path) -> None:
    """The whole file is read before the first write: a bad tail leaves earlier units unapplied."""
    make_document(store, "A", ["Да."])
    path = tmp_path / "tm.tmx"
    path.write_text(f'<?xml version="1.0"?><tmx version="1.4">{HEAD}<body>{TU.format("Yes.")}<tu>&undefined;</tu></body></tmx>')
    with pytest.raises(InputError, match="not well-formed XML"):
        import_tm(store, path)
    assert targets(store) == [("A", 1, "")]


def test_a_plain_doctype_with_a_local_dtd_name_is_accepted(store: Store, tmp_path: Path, no_network: None) -> None:
    make_document(store, "A", ["Да."])
    path = tmp_path / "tm.tmx"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4">{HEAD}<body>{TU.format("Yes.")}</body></tmx>')
    assert len(import_tm(store, path).changes) == 1
    assert targets(store) == [("A", 1, "Yes.")]


# --- size limits of the one safe XML parser (xmlsafe), at their real values --------------


def _tmx(body: str) -> str:
    return f'<?xml version="1.0"?><tmx version="1.4">{HEAD}<body>{body}</body></tmx>'


@pytest.mark.parametrize(
    ("what", "body", "says"),
    [
        ("attribute", f'<tu tuid="{"a" * 70_000}">' + TU.format("Yes.")[4:], "is 70,000 characters long"),
        ("text", TU.format("Да " * 340_000), "without markup"),
        ("comment", "<!--" + "x" * (5 * 2**20) + "-->" + TU.format("Yes."), "runs past 4 MiB"),
    ],
)
def test_oversized_xml_is_refused_in_one_sentence(tmp_path: Path, what: str, body: str, says: str) -> None:
    from tolmach.interchange.xmlsafe import iter_xml, parse_xml

    path = tmp_path / f"{what}.tmx"
    path.write_text(_tmx(body), encoding="utf-8")
    for read in (lambda: list(iter_xml(path)), lambda: parse_xml(path.read_bytes(), str(path))):
        with pytest.raises(InputError) as refused:
            read()
        message = str(refused.value)
        assert message.startswith(f"{path} was refused: ") and says in message and "\n" not in message


def test_a_huge_attribute_is_refused_before_it_is_read_whole(tmp_path: Path) -> None:
    """expat holds an unfinished tag whole; the parser gives up a few MiB into it, so a
    40 MB attribute costs the memory of the limit, not of the attribute."""
    import tracemalloc

    from tolmach.interchange.xmlsafe import MAX_TOKEN_BYTES, iter_xml

    path = tmp_path / "attr.tmx"
    path.write_text(_tmx(f'<tu tuid="{"a" * 40_000_000}">' + TU.format("Yes.")[4:]), encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="runs past 4 MiB"):
            list(iter_xml(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_TOKEN_BYTES


def test_a_file_of_unknown_format_is_refused_naming_each_readable_extension_once(tmp_path: Path) -> None:
    from tolmach.interchange.formats import format_of_file

    unknown = tmp_path / "notes.txt"
    unknown.write_text("nothing a translation memory holds\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        format_of_file(unknown)
    message = str(refused.value)
    assert message.startswith(f"{unknown}: cannot tell its format")
    named = message.split("read from ", 1)[1].removesuffix(" files.").split(", ")
    assert ".tmx" in named and ".xliff" in named
    assert len(named) == len(set(named)), message
