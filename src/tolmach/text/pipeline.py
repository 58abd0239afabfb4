"""The import pipeline: bytes → text → blocks → documents → segments with kind and language.

Pure functions, no database: :func:`parse_bytes` is what the import service stores.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import PurePath

from tolmach.errors import InputError, OptionError
from tolmach.model import LanguageTagError, names_a_language, normalize_tag
from tolmach.text.decode import decode_bytes
from tolmach.text.documents import KindedBlock, split_documents, title_of
from tolmach.text.langid import detect_language, one_script, script_of
from tolmach.text.model import UNDETERMINED, ParsedDocument, ParsedFile, ParsedSegment, SegmentKind
from tolmach.text.reflow import reflow
from tolmach.text.sentences import bounded_spans, split_sentences

#: Kinds that are cut into sentences; the others are one segment each.
SENTENCE_KINDS = frozenset({SegmentKind.BODY, SegmentKind.NOTE})

#: Kinds sent to machine translation and counted for a document's language.
TRANSLATABLE = frozenset(
    {
        SegmentKind.HEADING,
        SegmentKind.SALUTATION,
        SegmentKind.BODY,
        SegmentKind.SIGNATURE,
        SegmentKind.DATELINE,
        SegmentKind.NOTE,
    }
)


def _dominant(weighted: Counter[str]) -> str:
    weighted.pop(UNDETERMINED, None)
    return weighted.most_common(1)[0][0] if weighted else UNDETERMINED


#: ``advance(chars)``: called as the blocks of a document are worked through.
Advance = Callable[[int], None]


def _nothing(chars: int) -> None:
    pass


def _block_languages(blocks: list[KindedBlock], advance: Advance = _nothing) -> tuple[list[str], str]:
    """A language per block and the document's language.

    Long running text is identified first, on its own; everything shorter is then judged
    with the document's language as the default, so "3 сентября 1968 года" is Russian in
    a Russian letter.  References get no default: they keep their own language or ``und``.
    """
    langs: list[str | None] = [None] * len(blocks)
    weight: Counter[str] = Counter()
    for i, b in enumerate(blocks):
        if b.kind == SegmentKind.BODY:
            langs[i] = detect_language(b.text)
            weight[langs[i]] += len(b.text)  # type: ignore[index]
            advance(len(b.text))
    doc_lang = _dominant(weight.copy())
    for i, b in enumerate(blocks):
        if langs[i] is None:
            default = None if b.kind == SegmentKind.REFERENCE else doc_lang
            langs[i] = detect_language(b.text, default=default)
            advance(len(b.text))
    if doc_lang == UNDETERMINED:
        doc_lang = _dominant(Counter({l: len(b.text) for l, b in zip(langs, blocks) if l and b.kind in TRANSLATABLE}))
    return [l or UNDETERMINED for l in langs], doc_lang


def segment_document(
    blocks: list[KindedBlock], lang: str | None = None, advance: Advance = _nothing
) -> tuple[list[ParsedSegment], str]:
    """Segments of one document and its source language (``lang`` forces the language).

    ``advance(chars)`` is told of each block twice: once its language is known, once it
    is cut into segments."""
    block_langs, doc_lang = _block_languages(blocks, advance)
    segments: list[ParsedSegment] = []
    paragraphs = {p: i for i, p in enumerate(sorted({b.paragraph for b in blocks}))}
    for b, block_lang in zip(blocks, block_langs):
        if lang and b.kind != SegmentKind.REFERENCE:
            block_lang = lang
        if b.kind in SENTENCE_KINDS:
            pieces = split_sentences(b.text, block_lang)
        else:  # one segment, unless it is longer than any segment may be
            pieces = [b.text[x:y] for x, y in bounded_spans(b.text, 0, len(b.text))]
        block_script = script_of(b.text)[0]
        mixed = not lang and len(pieces) > 1 and not one_script(b.text)  # else no piece can differ
        for piece in pieces:
            piece_lang = block_lang
            if mixed and script_of(piece)[0] not in (block_script, "none"):
                piece_lang = detect_language(piece)  # a Latin citation inside Russian text, say
            segments.append(ParsedSegment(b.kind, piece, piece_lang, paragraphs[b.paragraph]))
        advance(len(b.text))
    if lang:
        doc_lang = lang
    else:
        weight: Counter[str] = Counter()
        for s in segments:
            if s.kind in TRANSLATABLE:
                weight[s.lang] += len(s.text)
        doc_lang = _dominant(weight) if weight else doc_lang
    return segments, doc_lang


def language_option(lang: str | None, option: str = "lang") -> str | None:
    """A language given by a person (``zh-cn``, ``RU_ru``, ``zt``) as a normalised tag.

    Raises :class:`OptionError` naming the option and the value when it is not a language
    tag (each front-end names the option its own way).
    """
    if lang is None or not lang.strip():
        return None
    try:
        tag = normalize_tag(lang)
    except LanguageTagError as exc:
        raise OptionError("{option} {value!r} is not a language tag (e.g. ru, en, de, zh-Hans, pt-BR).", option, value=lang) from exc
    if not names_a_language(tag):
        raise OptionError("{option} {value!r} is not a language tag (e.g. ru, en, de, zh-Hans, pt-BR).", option, value=lang)
    return tag


#: ``on_progress(done, total)`` in characters of a file's text (after reflow).
Progress = Callable[[int, int], None]

#: Progress is reported in steps of this share of the text (and at the end).
PROGRESS_STEP = 1 / 500


def _progress(total: int, on_progress: Progress | None) -> Advance:
    """An :data:`Advance` for a file whose blocks hold ``total`` characters, each counted
    twice (language, then segments), reporting to ``on_progress`` in :data:`PROGRESS_STEP`s."""
    if on_progress is None:
        return _nothing
    step = max(1, int(2 * total * PROGRESS_STEP))
    seen = 0
    due = step

    def advance(chars: int) -> None:
        nonlocal seen, due
        seen += chars
        if seen >= due or seen >= 2 * total:
            due = seen + step
            on_progress(min(seen // 2, total), total)

    on_progress(0, total)
    return advance


def parse_text(
    text: str, source_name: str, lang: str | None = None, encoding: str = "utf-8", on_progress: Progress | None = None
) -> ParsedFile:
    """Documents and segments of already decoded text (``lang`` in any spelling);
    ``on_progress(done, total)`` follows the work in characters of the reflowed text."""
    lang = language_option(lang)
    stem = PurePath(source_name).stem or source_name
    documents: list[ParsedDocument] = []
    raws = split_documents(reflow(text), stem)
    advance = _progress(sum(len(b.text) for raw in raws for b in raw.blocks), on_progress)
    for raw in raws:
        segments, doc_lang = segment_document(raw.blocks, lang, advance)
        if segments:
            title = None if raw.marker else title_of(raw.blocks)
            documents.append(ParsedDocument(raw.name, doc_lang, segments, title=title))
    if not documents:
        raise InputError(f"{source_name} holds no text to import.")
    return ParsedFile(encoding, documents)


def parse_bytes(
    data: bytes, source_name: str, lang: str | None = None, on_progress: Progress | None = None
) -> ParsedFile:
    """Decode, reflow, split into documents and segments; ``lang`` overrides detection."""
    lang = language_option(lang)  # a bad --lang is reported before the bytes are looked at
    text, encoding = decode_bytes(data, source_name)
    return parse_text(text, source_name, lang, encoding, on_progress)
