"""Argos ``.argosmodel`` packages in Tolmach's own model folder.

An Argos package is a zip holding one top folder with ``metadata.json``, a CTranslate2
``model/`` directory and a tokenizer (``sentencepiece.model``, or ``bpe.model`` in old
packages).  We validate all of that *before* unpacking, unpack into a temporary folder
beside the destination and rename it into place, so a bad file never leaves a half-installed
package behind, and we never touch Argos' global package directory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tolmach import config
from tolmach.errors import ModelError

#: What to install when a pair has no package (shown in the error message).
SUGGESTED_PACKAGES = {
    ("ru", "en"): "translate-ru_en-1_9.argosmodel",
    ("zh", "en"): "translate-zh_en-1_9.argosmodel",
}

_TOKENIZERS = ("sentencepiece.model", "bpe.model")


@dataclass(frozen=True)
class ModelPackage:
    """An installed Argos translation package."""

    name: str  # folder name, e.g. "translate-ru_en-1_9"
    path: Path
    from_code: str
    to_code: str
    package_version: str
    argos_version: str
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        return (self.from_code, self.to_code)

    @property
    def origin(self) -> str:
        """Provenance written on every machine draft, e.g. ``argos:translate-ru_en@1.9``."""
        return f"argos:translate-{self.from_code}_{self.to_code}@{self.package_version or '?'}"

    @property
    def tokenizer_file(self) -> Path:
        for name in _TOKENIZERS:
            if (self.path / name).is_file():
                return self.path / name
        raise ModelError(f"The package {self.path} has no sentencepiece.model or bpe.model; reinstall it.")

    @property
    def sentence_splitter(self) -> str:
        """Which splitter argostranslate would use (Tolmach never runs it: it has sentences)."""
        for name in ("minisbd", "stanza", "spacy"):
            if (self.path / name).is_dir():
                return name
        return "none"


def _read_metadata(raw: bytes, where: str) -> dict:
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{where}: metadata.json is not valid JSON ({exc}).") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{where}: metadata.json must hold a JSON object.")
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"{where} is an Argos {meta.get('type')!r} package, not a translation package.")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise ModelError(f"{where}: metadata.json lacks {key!r}; this is not an Argos translation package.")
    return meta


def _package(path: Path, meta: dict) -> ModelPackage:
    return ModelPackage(
        name=path.name,
        path=path,
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        package_version=str(meta.get("package_version", "")),
        argos_version=str(meta.get("argos_version", "")),
        from_name=str(meta.get("from_name", "")),
        to_name=str(meta.get("to_name", "")),
        target_prefix=str(meta.get("target_prefix", "")),
    )


def load_package(path: Path) -> ModelPackage:
    """An installed package folder as a :class:`ModelPackage` (validated)."""
    meta_file = path / "metadata.json"
    if not meta_file.is_file():
        raise ModelError(f"{path} has no metadata.json; it is not an installed Argos package.")
    pkg = _package(path, _read_metadata(meta_file.read_bytes(), str(path)))
    if not (path / "model" / "model.bin").is_file():
        raise ModelError(f"{path} has no CTranslate2 model (model/model.bin); reinstall the package.")
    pkg.tokenizer_file  # noqa: B018 - raises when missing
    return pkg


#: A package unpacks to at most this many bytes, each member at most this ratio of its
#: compressed size: the real zh→en package is ~90 MB unpacked at a ratio under 2; a zip
#: bomb is refused before anything is written.
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_RATIO = 100


def _check_expansion(file: Path, zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ModelError(
                f"{file} is not a usable package: {info.filename} would unpack {info.file_size / info.compress_size:.0f}"
                f" times its size ({info.file_size / 2**20:.0f} MiB), as a zip bomb does; refusing to unpack it."
            )
    if total > MAX_UNPACKED_BYTES:
        raise ModelError(f"{file} would unpack to {total / 2**30:.1f} GiB, more than the {MAX_UNPACKED_BYTES / 2**30:.0f} GiB limit.")


def inspect_archive(file: Path) -> tuple[str, dict]:
    """Check an ``.argosmodel`` zip without unpacking it: its top folder and metadata."""
    from tolmach.errors import InputError
    from tolmach.fileio import check_input

    try:
        check_input(file, hint="give the .argosmodel file")
    except InputError as exc:
        raise ModelError(str(exc)) from None
    if not zipfile.is_zipfile(file):
        raise ModelError(f"{file} is not a readable zip archive (another kind of file, or truncated), so not an Argos package.")
    try:
        with zipfile.ZipFile(file) as zf:
            names = [n for n in zf.namelist() if n and not n.endswith("/")]
            _check_expansion(file, zf)
            if not names:
                raise ModelError(f"{file} is an empty zip archive, not an Argos package.")
            for n in names:
                p = PurePosixPath(n)
                if p.is_absolute() or ".." in p.parts:
                    raise ModelError(f"{file} contains an unsafe path {n!r}; refusing to unpack it.")
            tops = {PurePosixPath(n).parts[0] for n in names}
            if len(tops) != 1 or len(PurePosixPath(names[0]).parts) < 2:
                raise ModelError(f"{file} is not an Argos package: it must hold exactly one top folder with metadata.json.")
            top = tops.pop()
            members = set(names)
            if f"{top}/metadata.json" not in members:
                raise ModelError(f"{file} is not an Argos package: {top}/metadata.json is missing.")
            if f"{top}/model/model.bin" not in members:
                raise ModelError(f"{file} is not an Argos package: the CTranslate2 model {top}/model/model.bin is missing.")
            if not any(f"{top}/{t}" in members for t in _TOKENIZERS):
                raise ModelError(f"{file} is not an Argos package: {top}/sentencepiece.model is missing.")
            meta = _read_metadata(zf.read(f"{top}/metadata.json"), str(file))
            bad = zf.testzip()
            if bad is not None:
                raise ModelError(f"{file} is damaged: the member {bad} fails its checksum.")
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{file} is a damaged zip archive ({exc}).") from exc
    return top, meta


def install(file: Path | str, *, models_dir: Path | None = None, replace: bool = True) -> ModelPackage:
    """Install an ``.argosmodel`` file; an existing package of the same name is replaced."""
    file = Path(file)
    dest_root = models_dir or config.models_dir()
    top, meta = inspect_archive(file)
    try:
        dest_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"Cannot create the model folder {dest_root}: {exc.strerror or exc}.") from exc
    target = dest_root / top
    if target.exists() and not replace:
        raise ModelError(f"A package named {top} is already installed in {dest_root}.")
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=dest_root))
    try:
        with zipfile.ZipFile(file) as zf:
            zf.extractall(staging)
        pkg_dir = staging / top
        load_package(pkg_dir)  # validate what was unpacked
        old = None
        if target.exists():
            old = dest_root / f".old-{top}-{staging.name}"
            target.rename(old)
        pkg_dir.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"Installing {file} failed: {exc}.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from tolmach.mt.engine import forget

    forget(target)
    return _package(target, meta)


def installed(models_dir: Path | None = None) -> list[ModelPackage]:
    """Every valid package in the model folder, sorted by name (broken folders are skipped)."""
    root = models_dir or config.models_dir()
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            try:
                out.append(load_package(path))
            except ModelError:
                continue
    return out


def remove(name: str, *, models_dir: Path | None = None) -> ModelPackage:
    """Uninstall a package by folder name (``translate-ru_en-1_9``) or pair (``ru_en``, ``ru-en``)."""
    packages = installed(models_dir)
    key = name.strip().removesuffix(".argosmodel")
    matches = [p for p in packages if p.name == key]
    if not matches:
        pair = key.replace("-", "_").split("_")
        if len(pair) == 2:
            matches = [p for p in packages if p.pair == (pair[0], pair[1])]
    if not matches:
        have = ", ".join(p.name for p in packages) or "none"
        raise ModelError(f"No installed model named {name!r} (installed: {have}).")
    if len(matches) > 1:
        raise ModelError(f"{name!r} matches several packages ({', '.join(p.name for p in matches)}); give the full name.")
    pkg = matches[0]
    from tolmach.mt.engine import forget

    forget(pkg.path)
    shutil.rmtree(pkg.path)
    return pkg


def _version_key(pkg: ModelPackage) -> tuple[int, ...]:
    parts = []
    for piece in pkg.package_version.split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return tuple(parts)


def find_for_pair(from_code: str, to_code: str, *, models_dir: Path | None = None) -> ModelPackage:
    """The newest installed package for a language pair, or a ModelError saying what to install."""
    candidates = [p for p in installed(models_dir) if p.pair == (from_code, to_code)]
    if candidates:
        return max(candidates, key=_version_key)
    root = models_dir or config.models_dir()
    suggestion = SUGGESTED_PACKAGES.get((from_code, to_code), f"translate-{from_code}_{to_code}-*.argosmodel")
    raise ModelError(
        f"No machine-translation model for {from_code}→{to_code} is installed in {root}: "
        f"get the Argos package {suggestion} and run `tolmach model install {suggestion}`."
    )
