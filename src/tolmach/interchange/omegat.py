"""An OmegaT project made from Tolmach documents, so OmegaT segments exactly as Tolmach did.

OmegaT's default sentence rules split at Russian abbreviations Tolmach keeps whole
(``с. г.``, ``т. М.``, ``гор.``, ``ff.``), so a plain source file gives OmegaT segments
that never match Tolmach's translation memory.  Instead of SRX rules that would have to
reproduce Tolmach's segmenter (its abbreviation lists, its handling of initials, and
every later change to them), the project turns OmegaT's sentence segmentation off and
writes each bead's source as its own paragraph (paragraphs are separated by one blank
line, which is how OmegaT's plain-text filter splits by default).  OmegaT then has
exactly one segment per bead, with exactly the bead's source text, and every exact
match in ``tm/auto`` fills it.  The tests check it with OmegaT itself: segment count
equal to bead count, and every translated bead in ``target/``.

Layout written (OmegaT 3.x-6.x)::

    DIR/omegat.project          languages, sentence_seg=false
    DIR/source/<document>.txt   one paragraph per bead
    DIR/tm/auto/tolmach.tmx     the translated beads (OmegaT inserts the exact matches)
    DIR/glossary/glossary.txt   the glossary in OmegaT's tab-separated format
    DIR/omegat/, target/, dictionary/
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from tolmach.interchange.xmlsafe import escape_text

#: Characters that cannot appear in a file name on common systems.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def source_file_name(document: str) -> str:
    """A safe ``.txt`` file name for a document (``Document I`` -> ``Document I.txt``)."""
    name = _UNSAFE.sub("_", document).strip(" .") or "document"
    return f"{name[:120]}.txt"


def one_paragraph(text: str) -> str:
    """A bead's source as one OmegaT paragraph: line breaks inside become spaces (a blank
    line would split it), surrounding spaces removed (OmegaT trims them too)."""
    return " ".join(text.split())


def write_source(fh: TextIO, sources: Iterable[str]) -> int:
    """Write one paragraph per non-empty source, separated by blank lines; returns how many."""
    n = 0
    for text in sources:
        para = one_paragraph(text)
        if not para:
            continue
        if n:
            fh.write("\n")
        fh.write(para + "\n")
        n += 1
    return n


def read_target(text: str) -> list[str]:
    """The paragraphs of a file OmegaT wrote to ``target/`` (the inverse of :func:`write_source`)."""
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if p.strip()]


#: OmegaT's Lucene tokenizers by primary language subtag (others get the default one).
_TOKENIZERS = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "hi": "Hindi", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "lv": "Latvian", "nl": "Dutch", "no": "Norwegian",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
    "zh": "SmartChinese",
}  # fmt: skip


def tokenizer(lang: str) -> str:
    name = _TOKENIZERS.get(lang.split("-")[0].lower())
    return f"org.omegat.tokenizer.Lucene{name}Tokenizer" if name else "org.omegat.tokenizer.DefaultTokenizer"


def project_file(src_lang: str, tgt_lang: str) -> str:
    """``omegat.project``: default folders, sentence segmentation off."""
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes>
      <mask>**/.svn/**</mask>
      <mask>**/.git/**</mask>
    </source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{escape_text(src_lang)}</source_lang>
    <target_lang>{escape_text(tgt_lang)}</target_lang>
    <source_tok>{tokenizer(src_lang)}</source_tok>
    <target_tok>{tokenizer(tgt_lang)}</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""
