"""General bilingual dictionaries as alignment evidence: dictd (FreeDict) files or TSV.

A general dictionary differs from a project glossary: it is large, and most of its
entries are phrases, idioms or definitions.  Pairing the words of a phrase entry one by
one (as the glossary's terms are) floods common words with false partners: in FreeDict
German–French ``die`` alone would get hundreds, and alignment gets both worse and much
slower.  So only **one-word ↔ one-word** translations are taken, and each word keeps at
most ``max_per_word`` partners (the first ones the entry lists: the usual senses first).

Formats:

* **dictd** (FreeDict's Debian packages ``dict-freedict-*``): ``NAME.index`` beside
  ``NAME.dict`` or ``NAME.dict.dz`` (either file may be given).  Each index line is
  ``headword TAB offset TAB length``, the numbers in dictd's base64; the entry text starts
  with the headword line, then lines of translations (``1. a, b`` for numbered senses)
  and, in some dictionaries, definitions in the source language, which are not
  translations and are skipped (only the line after the headword and numbered lines are
  read);
* **TSV**: ``source TAB target`` per line (``#`` starts a comment; further columns are
  more renderings of the same source).

A file named after its pair (``freedict-eng-rus``, ``de-fr.tsv``) is turned round when
it is the reverse of the pair being aligned; a FreeDict file for another pair is refused.

:func:`installed_dictionary` finds the FreeDict dictionary a Debian package
(``dict-freedict-eng-rus``) installed for a pair, in either direction: the aligner's
default, as an installed MT package is.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from tolmach.align.features import words
from tolmach.errors import InputError, TolmachError

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

#: Partners a word keeps, from either side (FreeDict lists the usual senses first); chosen
#: on the dev sets (Text+Berg dev, ru–en dev) among 1, 2, 3 and 5.
MAX_PER_WORD = 1
#: Shorter words are left out (as the glossary's are): "la", "et" pair with every sentence.
MIN_LENGTH = 3
#: Endings taken off a word of the texts to find its headword when the word is not one
#: itself and the shorter form is not in the texts ("talking" → "talk": the pair is then
#: read as ("говорить", "talking"), whose stem the text holds), by the language of the
#: dictionary's headwords.  Chosen on the dev sets: English's gained ru–en dev .9707 →
#: .9771; German's (-e, -en, -n, -s, -es) gained nothing on Text+Berg dev.
HEAD_ENDINGS: dict[str, tuple[str, ...]] = {"en": ("ing", "ed", "es", "s", "d")}

_NUMBERED = re.compile(r"^\s*\d+\.\s+(\S.*)$")
_TRAILING_NUMBER = re.compile(r"\s+\d+\.\s*$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|/[^/]*/|\{[^}]*\}")
_PAIR_NAME = re.compile(r"(?:^|[^a-z])([a-z]{2,3})[-_]([a-z]{2,3})$")

#: Where Debian's dictd packages (FreeDict's ``dict-freedict-*``) put their files.
DICTD_FOLDERS = (Path("/usr/share/dictd"), Path("/usr/share/freedict"))


def installed_dictionary(src_lang: str, tgt_lang: str, folders: tuple[Path, ...] | None = None) -> Path | None:
    """The ``.index`` file of the installed FreeDict dictionary for the pair, or None
    (looked for in ``folders``, by default :data:`DICTD_FOLDERS`).

    Either direction serves (``freedict-eng-rus`` for ru–en, read turned round); the
    pair's own direction is preferred.  Only a dictionary with its body file beside it
    counts; nothing here raises (a folder that cannot be listed is passed over)."""
    from tolmach.model import language, normalize_tag

    try:
        want = (language(src_lang), language(tgt_lang))
    except ValueError:
        return None
    turned = None
    for folder in DICTD_FOLDERS if folders is None else folders:
        try:
            found = sorted(folder.glob("freedict-*.index"))
        except OSError:
            continue
        for index in found:
            m = _PAIR_NAME.search(index.name.removesuffix(".index").lower())
            if m is None or not any(index.with_name(index.name.removesuffix("index") + b).is_file() for b in ("dict.dz", "dict")):
                continue
            try:
                pair = (language(normalize_tag(m.group(1))), language(normalize_tag(m.group(2))))
            except ValueError:
                continue
            if pair == want:
                return index
            if pair[::-1] == want and turned is None:
                turned = index
    return turned


def dictd_number(text: str, where: str = "") -> int:
    """A dictd base64 number (``"C1C"`` → 11 586): most significant digit first."""
    value = 0
    for ch in text:
        k = B64.find(ch)
        if k < 0:
            raise InputError(f"{where}: {text!r} is not a dictd base64 number.")
        value = value * 64 + k
    return value


def read_dictionary(
    path: Path | str, src_lang: str, tgt_lang: str, *, max_per_word: int | None = None, min_length: int | None = None,
    vocabulary: tuple[set[str], set[str]] | None = None,
) -> list[tuple[str, str]]:
    """One-word (source, target) translations of a dictd or TSV dictionary for the pair.

    ``vocabulary``: the lower-cased words of the source and the target texts; a dictd
    entry whose headword is in neither is not read (a dictionary of 100,000 entries is
    read in a fraction of a second for a document of a few hundred sentences)."""
    max_per_word = MAX_PER_WORD if max_per_word is None else max_per_word
    min_length = MIN_LENGTH if min_length is None else min_length
    path = Path(path)
    files = _dictd_files(path)
    name = re.sub(r"(\.(index|dict|dz|tsv|txt))+$", "", path.name.lower())
    reverse = _direction(name, src_lang, tgt_lang, path)
    if files is not None:
        heads = None
        if vocabulary is not None:
            heads = vocabulary[1] if reverse else vocabulary[0]
        endings = HEAD_ENDINGS.get(_language(tgt_lang if reverse else src_lang), ())
        entries = _dictd_entries(*files, heads, endings)
    else:
        entries = _tsv_entries(path)
    pairs = [(t, s) for s, t in entries] if reverse else entries
    pairs = [(s, t) for s, t in pairs if len(s) >= min_length and len(t) >= min_length]
    return _capped(pairs, max_per_word)


def _language(tag: str) -> str:
    from tolmach.model import language

    try:
        return language(tag)
    except ValueError:
        return ""


def _dictd_files(path: Path) -> tuple[Path, Path] | None:
    """(index, body) of a dictd dictionary named by either file, or None for TSV."""
    if not path.is_file():
        raise InputError(f"{path}: no such dictionary file.")
    base = None
    for suffix in (".index", ".dict.dz", ".dict"):
        if path.name.endswith(suffix):
            base = path.with_name(path.name[: -len(suffix)])
    if base is None:
        return None
    index = base.with_name(base.name + ".index")
    for body in (base.with_name(base.name + ".dict.dz"), base.with_name(base.name + ".dict")):
        if body.is_file() and index.is_file():
            return index, body
    raise InputError(f"{path}: a dictd dictionary needs both {index.name} and {base.name}.dict(.dz) in {path.parent}.")


def _direction(name: str, src_lang: str, tgt_lang: str, path: Path) -> bool:
    """Whether the file is for the reverse pair (by its name; unnamed pairs are taken as given)."""
    from tolmach.model import language, normalize_tag

    m = _PAIR_NAME.search(name)
    if m is None:
        return False
    try:
        a, b = language(normalize_tag(m.group(1))), language(normalize_tag(m.group(2)))
    except ValueError:
        return False
    want = (language(src_lang), language(tgt_lang))
    if (a, b) == want:
        return False
    if (b, a) == want:
        return True
    if not name.startswith("freedict-"):
        return False  # a name that merely looks like a pair ("old-new.tsv") is taken as given
    raise InputError(f"{path} is a {a}–{b} dictionary; the texts are {want[0]}–{want[1]}.")


def _dictd_entries(
    index: Path, body: Path, heads: set[str] | None = None, endings: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(headword, translation) of the entries whose headword is one of ``heads`` (all
    without), or is a word of ``heads`` less one of ``endings``, the pair then given with
    that word in place of the headword (its stem is what the texts hold)."""
    forms: dict[str, list[str]] = {}
    for w in heads if heads is not None else ():
        for end in endings:
            if w.endswith(end) and len(w) - len(end) >= MIN_LENGTH and w[: -len(end)] not in (heads or ()):
                forms.setdefault(w[: -len(end)], []).append(w)
    try:
        raw = gzip.open(body).read() if body.name.endswith(".dz") else body.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{body}: cannot be read as a dictd dictionary body ({exc}).") from exc
    out: list[tuple[str, str]] = []
    with index.open(encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
                continue
            key = parts[0].lower()
            if heads is not None and key not in heads and key not in forms:
                continue
            where = f"{index}, line {n}"
            start, length = dictd_number(parts[1], where), dictd_number(parts[2], where)
            if start + length > len(raw):
                raise InputError(f"{where}: the entry {parts[0]!r} lies past the end of {body.name}.")
            text = raw[start : start + length].decode("utf-8", errors="replace")
            if heads is None or key in heads:
                out.extend(_entry_pairs(text))
            else:  # an inflected word of the texts: the pair as the texts hold it
                out.extend((form, t) for _, t in _entry_pairs(text) for form in sorted(forms[key]))
    return out


def _entry_pairs(text: str) -> list[tuple[str, str]]:
    """(headword, translation) of one dictd entry: the line after the headword line and
    numbered sense lines hold translations; other lines are definitions or examples."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) < 2:
        return []
    head = _single_word(_BRACKETS.sub(" ", lines[0]))
    if head is None:
        return []
    found = []
    for k, line in enumerate(lines[1:]):
        m = _NUMBERED.match(line)
        if m is not None:
            line = m.group(1)
        elif k > 0:
            continue
        line = _TRAILING_NUMBER.sub("", line)
        for item in re.split(r"[,;]", _BRACKETS.sub(" ", line)):
            word = _single_word(item)
            if word is not None:
                found.append((head, word))
    return found


def _tsv_entries(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}); a dictionary is dictd or TSV.") from exc
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise InputError(f"{path}, line {n}: expected 'source TAB target', got {line!r}.")
        head = _single_word(cols[0])
        if head is None:
            continue
        for col in cols[1:]:
            word = _single_word(col)
            if word is not None:
                out.append((head, word))
    return out


def _single_word(item: str) -> str | None:
    """The item when it is one word of letters (hyphenated words count as one), else None."""
    ws = words(item.strip().strip("\"'«»„“”.!?"))
    if len(ws) != 1 or not ws[0][0].isalpha():
        return None
    return ws[0]


def _capped(pairs: list[tuple[str, str]], max_per_word: int) -> list[tuple[str, str]]:
    """Distinct pairs in order, each word (lower-cased, either side) in at most ``max_per_word``."""
    seen: set[tuple[str, str]] = set()
    used_s: Counter[str] = Counter()
    used_t: Counter[str] = Counter()
    out = []
    for s, t in pairs:
        key = (s.lower(), t.lower())
        if key in seen or key[0] == key[1] or used_s[key[0]] >= max_per_word or used_t[key[1]] >= max_per_word:
            continue
        seen.add(key)
        used_s[key[0]] += 1
        used_t[key[1]] += 1
        out.append((s, t))
    return out


def general_dictionary(
    dictionaries: Sequence[Path | str], use_dict: bool, src_lang: str, tgt_lang: str,
    texts: Sequence[tuple[Sequence[str], Sequence[str]]], on_progress: Callable[[str], None] | None = None,
) -> tuple[list[tuple[str, str]], str]:
    """The general dictionary's one-word translations for the texts and what was used.

    Dictionaries named by the user are read, and a fault in one is an error; with none,
    the installed FreeDict dictionary of the pair (:func:`installed_dictionary`, either
    direction) is the default, as an installed MT package is: said on ``on_progress``,
    and one that cannot be read is passed over with a note, never an error."""
    if dictionaries:
        return pairs_for_texts(dictionaries, src_lang, tgt_lang, texts), ", ".join(str(p) for p in dictionaries)
    found = installed_dictionary(src_lang, tgt_lang) if use_dict else None
    if found is None:
        return [], ""
    note = on_progress or (lambda _msg: None)
    try:
        pairs = pairs_for_texts([found], src_lang, tgt_lang, texts)
    except (TolmachError, OSError, EOFError, ValueError, zlib.error) as exc:
        note(f"the installed dictionary {found} could not be read ({exc}); aligning without it")
        return [], ""
    note(f"using the installed dictionary {found} ({len(pairs)} one-word translation{'' if len(pairs) == 1 else 's'} of these words; --no-dict leaves it out)")
    return pairs, str(found)


def pairs_for_texts(
    paths: Sequence[Path | str], src_lang: str, tgt_lang: str, texts: Sequence[tuple[Sequence[str], Sequence[str]]] = ()
) -> list[tuple[str, str]]:
    """The one-word translations of general dictionaries for the pair (dictd or TSV); with
    ``texts`` (source and target sentences), only the entries of words they contain."""
    if not paths:
        return []
    vocabulary = None
    if texts:
        vocabulary = (
            {w.lower() for src, _ in texts for x in src for w in words(x)},
            {w.lower() for _, tgt in texts for x in tgt for w in words(x)},
        )
    return [pair for p in paths for pair in read_dictionary(p, src_lang, tgt_lang, vocabulary=vocabulary)]
