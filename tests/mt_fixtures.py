"""A tiny but real Argos package for tests: SentencePiece + CTranslate2 Marian Transformer.

The package is built the way OPUS-MT models become Argos packages: a Marian ``.npz``
checkpoint (here randomly initialised, 1 encoder and 1 decoder layer, d=32) is converted by
CTranslate2's own :class:`~ctranslate2.converters.MarianConverter`, the SentencePiece model
is trained on the seed text, and ``metadata.json`` + ``model/`` + ``sentencepiece.model``
are zipped under one top folder as an ``.argosmodel``.

Two weights are set by hand so the random model behaves usefully in tests: a learned
position table ``Wpos`` pushes the end-of-sentence token to win after a few steps (so
drafts are short and never empty), and the rest is random enough that different source
sentences give different outputs (so a batch mixed up in order would be noticed).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

D_MODEL = 32
FFN = 64
HEADS = 2
#: Decoding step from which the end-of-sentence token dominates.
EOS_FROM_STEP = 5


def seed_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


def train_sentencepiece(out: Path, vocab_size: int = 400) -> Path:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(seed_lines()),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    out.write_bytes(model.getvalue())
    return out


def _marian_vocab(sp_path: Path, out: Path) -> int:
    """Marian's vocabulary: ``</s>`` 0, ``<unk>`` 1, then every SentencePiece piece."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    pieces = ["</s>", "<unk>"] + [
        sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))
    ]
    with out.open("w", encoding="utf-8") as fh:
        for i, piece in enumerate(pieces):
            fh.write(f"{json.dumps(piece, ensure_ascii=False)}: {i}\n")
    return len(pieces)


def _marian_weights(vocab: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    d, f = D_MODEL, FFN

    def m(*shape: int, scale: float = 0.4) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def ln(prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_ln_scale": np.ones((1, d), np.float32), f"{prefix}_ln_bias": np.zeros((1, d), np.float32)}

    # Feature 0 is a private "stop now" channel: no sublayer reads or writes it, so the
    # position table alone decides it, and only </s> (column 0 of the output projection)
    # responds to it positively.
    def attention(scope: str) -> dict[str, np.ndarray]:
        w: dict[str, np.ndarray] = {}
        for p in "qkvo":
            w[f"{scope}_W{p}"] = m(d, d)
            w[f"{scope}_W{p}"][0, :] = 0.0
            w[f"{scope}_W{p}"][:, 0] = 0.0
            w[f"{scope}_b{p}"] = m(1, d, scale=0.05)
        w[f"{scope}_bo"][0, 0] = 0.0
        w.update(ln(f"{scope}_Wo"))
        return w

    def ffn(scope: str) -> dict[str, np.ndarray]:
        w = {f"{scope}_W1": m(d, f), f"{scope}_b1": m(1, f, scale=0.05), f"{scope}_W2": m(f, d), f"{scope}_b2": m(1, d, scale=0.05)}
        w[f"{scope}_W1"][0, :] = 0.0
        w[f"{scope}_W2"][:, 0] = 0.0
        w[f"{scope}_b2"][0, 0] = 0.0
        w.update(ln(f"{scope}_ffn"))
        return w

    emb = m(vocab, d, scale=0.2)
    emb[:, 0] = 0.0
    pos = m(2048, d, scale=0.2)
    pos[:, 0] = -100.0
    pos[EOS_FROM_STEP:, 0] = 100.0
    out = m(d, vocab, scale=1.0)
    out[0, :] = -1.0
    out[0, 0] = 4.0
    weights = {
        "Wemb": emb,
        "Wpos": pos,
        "decoder_ff_logit_out_W": out,
        "decoder_ff_logit_out_b": np.zeros((1, vocab), np.float32),
    }
    weights.update(attention("encoder_l1_self"))
    weights.update(ffn("encoder_l1_ffn"))
    weights.update(attention("decoder_l1_self"))
    weights.update(attention("decoder_l1_context"))
    weights.update(ffn("decoder_l1_ffn"))
    # Damped decoder outputs keep the stop channel in charge (found by probing: drafts end
    # within EOS_FROM_STEP tokens) while cross-attention still makes outputs input-dependent.
    for scope, factor in (("decoder_l1_self", 0.1), ("decoder_l1_ffn", 0.1), ("decoder_l1_context", 0.2)):
        for key in (f"{scope}_Wo", f"{scope}_bo", f"{scope}_W2", f"{scope}_b2"):
            if key in weights:
                weights[key] = weights[key] * factor
    config = {
        "type": "transformer",
        "enc-depth": 1,
        "dec-depth": 1,
        "transformer-heads": HEADS,
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-ffn-activation": "relu",
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d",
        "transformer-guided-alignment-layer": "last",
    }
    import yaml

    raw = yaml.safe_dump(config).encode() + b"\0"
    weights["special:model.yml"] = np.frombuffer(raw, dtype=np.int8)
    return weights


def build_argos_package(
    out_dir: Path,
    *,
    from_code: str = "ru",
    to_code: str = "en",
    package_version: str = "1.9",
    name: str | None = None,
    seed: int = 7,
) -> Path:
    """Build ``<name>.argosmodel`` in ``out_dir`` and return its path."""
    from ctranslate2.converters import MarianConverter

    name = name or f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    work = out_dir / f"{name}.build"
    pkg = work / name
    pkg.mkdir(parents=True)
    sp_path = train_sentencepiece(pkg / "sentencepiece.model")
    vocab_path = work / "vocab.yml"
    n = _marian_vocab(sp_path, vocab_path)
    npz = work / "model.npz"
    np.savez(npz, **_marian_weights(n, np.random.default_rng(seed)))
    MarianConverter(str(npz), [str(vocab_path), str(vocab_path)]).convert(str(pkg / "model"), quantization=None)
    metadata = {
        "package_version": package_version,
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": {"ru": "Russian", "zh": "Chinese", "de": "German"}.get(from_code, from_code),
        "to_code": to_code,
        "to_name": {"en": "English", "ru": "Russian"}.get(to_code, to_code),
    }
    (pkg / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (pkg / "README.md").write_text("Tiny random test model built by tests/mt_fixtures.py.\n", encoding="utf-8")
    archive = out_dir / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pkg.rglob("*")):
            zf.write(path, path.relative_to(work).as_posix())
    return archive


def make_zip(path: Path, files: dict[str, bytes | str]) -> Path:
    """A zip with the given members (for bad-package tests)."""
    with zipfile.ZipFile(path, "w") as zf:
        for member, data in files.items():
            zf.writestr(member, data)
    return path


# --- pytest fixtures (import them into a test module to use them) -------------------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tiny_argosmodel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny ru→en ``.argosmodel`` file, built once per test session."""
    return build_argos_package(tmp_path_factory.mktemp("tiny-model"))


@pytest.fixture
def tiny_installed(tiny_argosmodel: Path):
    """The tiny model installed in this test's own Tolmach model folder."""
    from tolmach.mt.packages import install

    return install(tiny_argosmodel)


def add_document(store, name: str, rows: list[tuple[str, str, str]], *, source_lang: str = "ru", target_lang: str = "en") -> int:
    """A document made straight through the store: ``rows`` are (text, lang, kind), beads 1:1."""
    from tolmach.store import Bead, Document, Segment

    with store.transaction() as s:
        doc = Document(name=name, source_lang=source_lang, target_lang=target_lang)
        s.add(doc)
        for pos, (text, lang, kind) in enumerate(rows):
            doc.segments.append(Segment(position=pos, kind=kind, lang=lang, paragraph=0, text=text))
            doc.beads.append(Bead(position=pos, src_start=pos, src_end=pos + 1, target="", status="empty"))
        s.flush()
        return doc.id


def document_id(store, name: str) -> int:
    from tolmach.service.documents import find_document

    with store.read() as s:
        return find_document(s, name).id


@pytest.fixture(scope="session")
def tiny_pivot_argosmodels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two tiny packages that chain through English: ro→en and en→ru (different weights)."""
    root = tmp_path_factory.mktemp("tiny-pivot")
    return (
        build_argos_package(root, from_code="ro", to_code="en", seed=11),
        build_argos_package(root, from_code="en", to_code="ru", seed=13),
    )


@pytest.fixture(scope="session")
def tiny_zh_argosmodel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny package whose metadata says zh→en, as the real Argos Chinese package does."""
    return build_argos_package(tmp_path_factory.mktemp("tiny-zh"), from_code="zh", to_code="en", seed=5)
