"""The patterns that say what a line or block of an archival text is.

One table, used twice: :mod:`tolmach.text.reflow` keeps a line matching a dateline or a
salutation on its own (it never runs on into the next line), and
:mod:`tolmach.text.documents` gives blocks their kind from it.
"""

from __future__ import annotations

import re

from tolmach.text.model import SegmentKind

_MONTHS = (
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    "January|February|March|April|May|June|July|August|September|October|November|December"
)

#: (kind, pattern) tried in order on a block's whole text; the first match wins.
KIND_RULES: tuple[tuple[SegmentKind, re.Pattern[str]], ...] = (
    (
        SegmentKind.REFERENCE,
        re.compile(
            r"^\((?=.*(?:DANIC|ANR|AVPRF|RGANI|RGASPI|GARF|АВП|РГАНИ|РГАСПИ|ГАРФ|ЦХСД|Fund|fond|"
            r"dosar|file|ff?\.\s*\d|л\.\s*\d|ф\.\s*\d|оп\.\s*\d|д\.\s*\d)).*\)\.?$"
        ),
    ),
    (
        SegmentKind.DATELINE,
        re.compile(
            rf"^(?:(?:гор\.|г\.|город)\s*[А-ЯЁ][\w-]+,?\s*|[A-Z][a-z]+,\s*)?"
            rf"\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}(?:\s*(?:года|г\.))?\.?$"
        ),
    ),
    (
        SegmentKind.SALUTATION,
        re.compile(
            r"^(?:(?:Многоуважаемы[йе]|Уважаемы[йе]|Дороги[ей]|Товарищи|Dear|Esteemed)\b[^.?]{0,80}[!,:]"
            r"|Товарищи!)$"
        ),
    ),
)

#: Kinds whose pattern, matching a whole line, makes that line a block of its own.
STANDALONE_KINDS = frozenset({SegmentKind.DATELINE, SegmentKind.SALUTATION, SegmentKind.REFERENCE})
