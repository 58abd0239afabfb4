"""Machine translation of *our* sentences with an installed Argos package, offline.

argostranslate 1.11 (``translate.apply_packaged_translation``) splits a paragraph into
sentences with Stanza or MiniSBD, both of which download data at translation time.  Tolmach
already has sentences, so we skip that step and do the rest exactly as argostranslate does
for one sentence: the package's own tokenizer (argostranslate's ``SentencePieceTokenizer``
/ ``BPETokenizer`` classes, which import nothing but the tokenizer library), CTranslate2's
``translate_batch`` with argostranslate's options (beam 4, length penalty 0.2, unknowns
replaced, target prefix from metadata), and argostranslate's detokenisation (prefix and
leading space removed).  The only difference is that we hand CTranslate2 many sentences at
once instead of one paragraph at a time, which is where the speed comes from.  Sentences
are batched with others of the same token length: padding a batch changes int8 results.

A segment containing line breaks is translated line by line and rejoined with ``\\n``, as
argostranslate treats each line as a paragraph.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from tolmach.errors import ModelError
from tolmach.mt.packages import ModelPackage

#: argostranslate 1.11 defaults (settings.py), honouring the same environment variables.
BEAM_SIZE = int(os.environ.get("ARGOS_BEAM_SIZE", "4"))
LENGTH_PENALTY = 0.2
DEVICE = os.environ.get("ARGOS_DEVICE_TYPE", "cpu")
COMPUTE_TYPE = os.environ.get("ARGOS_COMPUTE_TYPE", "auto")
INTER_THREADS = int(os.environ.get("ARGOS_INTER_THREADS", "1"))
INTRA_THREADS = int(os.environ.get("ARGOS_INTRA_THREADS", "0"))
#: Tokens per CTranslate2 batch.  argostranslate uses 32 for one paragraph; for a whole
#: batch of sentences a larger budget lets CTranslate2 fill its matrices.
MAX_BATCH_TOKENS = 2048


class Translator(Protocol):
    """Anything that turns source sentences into target sentences, one for one."""

    origin: str

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


class ArgosTranslator:
    """An installed Argos package loaded once: tokenizer + CTranslate2 model."""

    def __init__(self, package: ModelPackage) -> None:
        import ctranslate2
        from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer

        self.package = package
        self.origin = package.origin
        tok_file = package.tokenizer_file
        if tok_file.name == "sentencepiece.model":
            self.tokenizer: Any = SentencePieceTokenizer(tok_file)
        else:
            self.tokenizer = BPETokenizer(tok_file, package.from_code, package.to_code)
        try:
            self.model = ctranslate2.Translator(
                str(package.path / "model"),
                device=DEVICE,
                inter_threads=INTER_THREADS,
                intra_threads=INTRA_THREADS,
                compute_type=COMPUTE_TYPE,
            )
            self.tokenizer.encode("")  # load the tokenizer now, so a broken one fails here
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"The model in {package.path} cannot be loaded ({exc}); reinstall the package.") from exc
        self._lock = threading.Lock()

    def _decode(self, tokens: list[str]) -> str:
        value = self.tokenizer.decode(tokens)
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value

    def token_count(self, text: str) -> int:
        """Tokens of a text's longest line: what decides which batch it can share."""
        return max(len(self.tokenizer.encode(line)) for line in text.split("\n"))

    def translate_lines(self, lines: Sequence[str]) -> list[str]:
        """One-line texts in, translations out, in one CTranslate2 call."""
        wanted = [i for i, line in enumerate(lines) if line.strip()]
        out = [""] * len(lines)
        if not wanted:
            return out
        with self._lock:
            tokenized = {i: self.tokenizer.encode(lines[i]) for i in wanted}
            prefix = self.package.target_prefix
            for group in _same_length_groups(tokenized):
                batch = [tokenized[i] for i in group]
                results = self.model.translate_batch(
                    batch,
                    target_prefix=[[prefix]] * len(batch) if prefix else None,
                    replace_unknowns=True,
                    max_batch_size=MAX_BATCH_TOKENS,
                    batch_type="tokens",
                    beam_size=max(1, BEAM_SIZE),
                    num_hypotheses=1,
                    length_penalty=LENGTH_PENALTY,
                )
                for i, result in zip(group, results):
                    out[i] = self._decode(result.hypotheses[0])
        return out

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences one for one (multi-line ones line by line)."""
        flat: list[str] = []
        shape: list[int] = []
        for s in sentences:
            parts = s.split("\n")
            shape.append(len(parts))
            flat.extend(parts)
        done = self.translate_lines(flat)
        out, k = [], 0
        for n in shape:
            out.append("\n".join(done[k : k + n]).lstrip("\n"))
            k += n
        return out


def _same_length_groups(tokenized: dict[int, list[str]]) -> list[list[int]]:
    """Line indices grouped by token count, so no batch needs padding.

    With int8 weights, a padded batch can decode a sentence differently from the same
    sentence alone ("National Archives" / "national archives" with the zh→en package);
    batches of equal-length inputs give exactly argostranslate's one-at-a-time output.
    """
    groups: dict[int, list[int]] = {}
    for i, tokens in tokenized.items():
        groups.setdefault(len(tokens), []).append(i)
    return list(groups.values())


_cache: dict[str, ArgosTranslator] = {}
_cache_lock = threading.Lock()


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def get_translator(package: ModelPackage) -> ArgosTranslator:
    """The loaded model for a package, loading it only once per process."""
    key = _key(package.path)
    with _cache_lock:
        translator = _cache.get(key)
        if translator is None or translator.package != package:
            translator = ArgosTranslator(package)
            _cache[key] = translator
        return translator


def forget(path: Path) -> None:
    """Drop a cached model (its package was reinstalled or removed)."""
    with _cache_lock:
        _cache.pop(_key(path), None)


def loaded_count() -> int:
    return len(_cache)
