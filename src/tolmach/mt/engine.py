"""Machine translation of *our* sentences with an installed Argos package, offline.

argostranslate 1.11 (``translate.apply_packaged_translation``) splits a paragraph into
sentences with Stanza or MiniSBD, both of which download data at translation time.  Tolmach
already has sentences, so we skip that step and do the rest exactly as argostranslate does
for one sentence: the package's own tokenizer (argostranslate's ``SentencePieceTokenizer``
/ ``BPETokenizer`` classes, which import nothing but the tokenizer library), CTranslate2's
``translate_batch`` with argostranslate's options (beam 4, length penalty 0.2, unknowns
replaced, target prefix from metadata), and argostranslate's detokenisation (prefix and
leading space removed).

Where the speed comes from (see docs/mt.md for the measurements):

* many sentences per CTranslate2 call instead of one, cut by a token budget
  (``batch_type="tokens"``) from the sentences in length order;
* several calls *in flight together* (``asynchronous=True``) on ``inter_threads``
  CTranslate2 workers of one thread each, so every core decodes; threads follow the
  machine's cores unless ``TOLMACH_MT_INTER_THREADS`` / ``TOLMACH_MT_INTRA_THREADS`` say
  otherwise;
* each distinct line translated once, however often it repeats.

Two modes.  ``identical`` (the default) only puts sentences of the *same token length* in a
batch: padding a batch can change int8 results, and without padding every sentence comes
out exactly as ``argostranslate.translate.translate`` gives it on the same machine.
``fast`` batches neighbours in length order with padding, as a tuned raw CTranslate2 run
does; its difference from ``identical`` is measured by benchmarks/mt_throughput.py.

Results are *streamed* (:meth:`ArgosTranslator.stream`): a caller gets each sentence as
soon as its batch is done, and a ``head`` of sentences is submitted first in batches of its
own, so a front-end can save a first draft while the rest is still decoding.

A segment containing line breaks is translated line by line and rejoined with ``\\n``, as
argostranslate treats each line as a paragraph.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from tolmach.errors import ModelError
from tolmach.mt.packages import ModelPackage

#: argostranslate 1.11's length penalty (settings.py).
LENGTH_PENALTY = 0.2
#: Source tokens per CTranslate2 call.  Small enough that there are always several calls
#: to share between the workers, big enough to fill CTranslate2's matrices (128–256 was
#: the sweet spot of the raw CTranslate2 runs on the zh→en package).
MAX_BATCH_TOKENS = 256
#: Source tokens of the head's calls (the first draft): one short call answers fast.
HEAD_BATCH_TOKENS = 64

IDENTICAL = "identical"
FAST = "fast"
MODES = (IDENTICAL, FAST)


def default_threads() -> tuple[int, int]:
    """``(inter_threads, intra_threads)``: one single-threaded worker per core, overridable."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    inter = _env_int("TOLMACH_MT_INTER_THREADS", max(1, min(cores, 8)))
    intra = _env_int("TOLMACH_MT_INTRA_THREADS", 1 if inter > 1 else 0)
    return inter, intra


def argos_settings() -> tuple[int, str, str]:
    """``(beam size, device, compute type)``: argostranslate 1.11's defaults, honouring its
    environment variables, read when a model loads (not when this module is imported)."""
    beam = _env_int("ARGOS_BEAM_SIZE", 4, "a whole number (the beam size)")
    return max(1, beam), os.environ.get("ARGOS_DEVICE_TYPE", "cpu"), os.environ.get("ARGOS_COMPUTE_TYPE", "auto")


def _env_int(name: str, default: int, what: str = "a whole number of threads") -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ModelError(f"${name} must be {what}, not {raw!r}.") from None
    if value < 0:
        raise ModelError(f"${name} must be 0 or more, not {raw!r}.")
    return value


@runtime_checkable
class Translator(Protocol):
    """Anything that turns source sentences into target sentences, one for one."""

    origin: str

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


@runtime_checkable
class StreamingTranslator(Translator, Protocol):
    """A translator that yields ``(index, draft)`` as sentences complete (the engine's own)."""

    def stream(self, sentences: Sequence[str], *, head: int = 0, mode: str = IDENTICAL) -> Iterator[tuple[int, str]]: ...


class ArgosTranslator:
    """An installed Argos package loaded once: tokenizer + CTranslate2 model."""

    def __init__(self, package: ModelPackage, *, inter_threads: int | None = None, intra_threads: int | None = None) -> None:
        import ctranslate2
        from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer

        self.package = package
        self.origin = package.origin
        self.packages = (package,)
        inter, intra = default_threads()
        self.beam_size, device, compute_type = argos_settings()
        self.inter_threads = inter if inter_threads is None else inter_threads
        self.intra_threads = intra if intra_threads is None else intra_threads
        tok_file = package.tokenizer_file
        if tok_file.name == "sentencepiece.model":
            self.tokenizer: Any = SentencePieceTokenizer(tok_file)
        else:
            self.tokenizer = BPETokenizer(tok_file, package.from_code, package.to_code)
        try:
            self.model = ctranslate2.Translator(
                str(package.path / "model"),
                device=device,
                inter_threads=max(1, self.inter_threads),
                intra_threads=self.intra_threads,
                compute_type=compute_type,
            )
            self.tokenizer.encode("")  # load the tokenizer now, so a broken one fails here
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"The model in {package.path} cannot be loaded ({exc}); reinstall the package.") from exc
        self._tok_lock = threading.Lock()

    # --- pieces --------------------------------------------------------------------------

    def _encode(self, line: str) -> list[str]:
        with self._tok_lock:
            tokens: list[str] = self.tokenizer.encode(line)
            return tokens

    def _decode(self, tokens: list[str]) -> str:
        with self._tok_lock:
            value: str = self.tokenizer.decode(tokens)
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value

    def token_count(self, text: str) -> int:
        """Tokens of a text's longest line: what decides which batch it can share."""
        return max(len(self._encode(line)) for line in text.split("\n"))

    def _submit(self, batch: list[list[str]]) -> Any:
        prefix = self.package.target_prefix
        return self.model.translate_batch(
            batch,
            target_prefix=[[prefix]] * len(batch) if prefix else None,
            replace_unknowns=True,
            max_batch_size=0,  # we cut the batches ourselves
            asynchronous=True,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=LENGTH_PENALTY,
        )

    # --- the streaming core ----------------------------------------------------------------

    def stream_lines(self, lines: Sequence[str], *, head: int = 0, mode: str = IDENTICAL) -> Iterator[tuple[int, str]]:
        """``(index, translation)`` of one-line texts, each as soon as its batch is done.

        Blank lines come back as ``""`` at once; a repeated line is translated once and
        reported for each index.  Lines ``[:head]`` are submitted first, in small batches of
        their own; the rest follow in length order.  Batches are kept in flight
        ``2 × inter_threads`` at a time, so closing the iterator early wastes little.
        """
        if mode not in MODES:
            raise ModelError(f"Unknown translation mode {mode!r}; use one of {', '.join(MODES)}.")
        where: dict[str, list[int]] = {}
        for i, line in enumerate(lines):
            if not line.strip():
                yield i, ""
            else:
                where.setdefault(line, []).append(i)
        if not where:
            return
        distinct = list(where)
        first_at = {line: idx[0] for line, idx in where.items()}
        tokens = {line: self._encode(line) for line in distinct}
        head_lines = [x for x in distinct if first_at[x] < head]
        rest = [x for x in distinct if first_at[x] >= head]
        jobs = _batches(head_lines, tokens, HEAD_BATCH_TOKENS, mode) + _batches(rest, tokens, MAX_BATCH_TOKENS, mode)
        window = max(2, 2 * max(1, self.inter_threads))
        pending: deque[tuple[list[str], Any]] = deque()
        todo = iter(jobs)
        for job in todo:
            pending.append((job, self._submit([tokens[x] for x in job])))
            if len(pending) >= window:
                break
        while pending:
            job, futures = pending.popleft()
            for line, future in zip(job, futures):
                text = self._decode(future.result().hypotheses[0])
                for i in where[line]:
                    yield i, text
            nxt = next(todo, None)
            if nxt is not None:
                pending.append((nxt, self._submit([tokens[x] for x in nxt])))

    def stream(self, sentences: Sequence[str], *, head: int = 0, mode: str = IDENTICAL) -> Iterator[tuple[int, str]]:
        """``(index, translation)`` per sentence as soon as all its lines are translated."""
        flat: list[str] = []
        owner: list[int] = []
        missing: list[int] = []
        head_lines = 0
        for k, s in enumerate(sentences):
            parts = s.split("\n")
            if k < head:
                head_lines += len(parts)
            missing.append(len(parts))
            flat.extend(parts)
            owner.extend([k] * len(parts))
        starts, pos = [], 0
        for n in missing:
            starts.append(pos)
            pos += n
        done: list[str] = [""] * len(flat)
        for i, text in self.stream_lines(flat, head=head_lines, mode=mode):
            done[i] = text
            k = owner[i]
            missing[k] -= 1
            if missing[k] == 0:
                yield k, "\n".join(done[starts[k] : starts[k] + len(sentences[k].split("\n"))]).lstrip("\n")

    def translate(self, sentences: Sequence[str], *, mode: str = IDENTICAL) -> list[str]:
        """Translate sentences one for one (multi-line ones line by line)."""
        out = [""] * len(sentences)
        for k, text in self.stream(sentences, mode=mode):
            out[k] = text
        return out

    def translate_lines(self, lines: Sequence[str], *, mode: str = IDENTICAL) -> list[str]:
        out = [""] * len(lines)
        for i, text in self.stream_lines(lines, mode=mode):
            out[i] = text
        return out


def _batches(lines: list[str], tokens: dict[str, list[str]], budget: int, mode: str) -> list[list[str]]:
    """Lines cut into CTranslate2 calls of at most ``budget`` source tokens (or one line).

    ``identical``: only lines of equal token length share a call (no padding, so each comes
    out as it does alone: with int8 weights a padded batch can decode a sentence differently,
    "National Archives" / "national archives" with the zh→en package).  ``fast``: neighbours
    in length order share a call, padded to the longest.  Longest calls go first so the
    workers finish together.
    """
    ordered = sorted(lines, key=lambda x: len(tokens[x]))
    out: list[list[str]] = []
    current: list[str] = []
    width = 0
    for line in ordered:
        n = max(1, len(tokens[line]))
        joins = current and (mode == FAST or len(tokens[current[0]]) == len(tokens[line]))
        if joins and max(width, n) * (len(current) + 1) <= budget:
            current.append(line)
            width = max(width, n)
            continue
        if current:
            out.append(current)
        current, width = [line], n
    if current:
        out.append(current)
    out.sort(key=lambda job: -max(len(tokens[x]) for x in job) * len(job))
    return out


class PivotTranslator:
    """Two packages chained through a pivot language (ro→en then en→ru).

    The first model's output for each sentence goes to the second model as soon as its
    batch is done; ``origin`` names both packages (``argos:translate-ro_en@1.9+argos:translate-en_ru@1.9``).
    """

    def __init__(self, first: ArgosTranslator, second: ArgosTranslator) -> None:
        self.first, self.second = first, second
        self.packages = first.packages + second.packages
        self.origin = f"{first.origin}+{second.origin}"
        self.pivot = first.package.to_code

    def token_count(self, text: str) -> int:
        return self.first.token_count(text)

    def stream(self, sentences: Sequence[str], *, head: int = 0, mode: str = IDENTICAL) -> Iterator[tuple[int, str]]:
        middle = self.first.translate(sentences[:head], mode=mode) if head else []
        if head:
            yield from self.second.stream(middle, mode=mode)
        rest = self.first.translate(sentences[head:], mode=mode)
        for k, text in self.second.stream(rest, mode=mode):
            yield head + k, text

    def translate(self, sentences: Sequence[str], *, mode: str = IDENTICAL) -> list[str]:
        return self.second.translate(self.first.translate(sentences, mode=mode), mode=mode)


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


def translator_for_route(route: Sequence[ModelPackage]) -> ArgosTranslator | PivotTranslator:
    """The cached translator for a direct package or a two-package pivot route."""
    if len(route) == 1:
        return get_translator(route[0])
    if len(route) == 2:
        return PivotTranslator(get_translator(route[0]), get_translator(route[1]))
    raise ModelError(f"A route of {len(route)} packages is not supported; at most one pivot language.")


def forget(path: Path) -> None:
    """Drop a cached model (its package was reinstalled or removed)."""
    with _cache_lock:
        _cache.pop(_key(path), None)


class Warm:
    """A model held loaded for a front-end: ``start()`` loads it in the background.

    The workbench makes one when a document opens (``Warm(route).start()``) and asks
    ``get()`` when the translator is wanted; loading happens once per process (the cache
    above), so a second ``Warm`` for the same route is free.
    """

    def __init__(self, route: Sequence[ModelPackage]) -> None:
        self.route = tuple(route)
        self._thread: threading.Thread | None = None
        self._result: ArgosTranslator | PivotTranslator | None = None
        self._error: BaseException | None = None

    def start(self) -> Warm:
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name="tolmach-mt-warm", daemon=True)
            self._thread.start()
        return self

    def _load(self) -> None:
        try:
            self._result = translator_for_route(self.route)
        except BaseException as exc:  # handed to whoever calls get()
            self._error = exc

    @property
    def ready(self) -> bool:
        return self._result is not None

    def get(self) -> ArgosTranslator | PivotTranslator:
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
