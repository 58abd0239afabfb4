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
from typing import Any

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


def _read_metadata(raw: bytes, where: str) -> dict[str, Any]:
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


def _package(path: Path, meta: dict[str, Any]) -> ModelPackage:
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


def inspect_archive(file: Path) -> tuple[str, dict[str, Any]]:
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


def _serves(code: str, tag: str) -> bool:
    """Whether a package side with Argos code ``code`` serves text tagged ``tag``."""
    from tolmach.model import LanguageTagError, from_argos, same_language

    try:
        return same_language(tag, from_argos(code))
    except LanguageTagError:
        return False


def _suggested(from_tag: str, to_tag: str) -> str:
    from tolmach.model import LanguageTagError, argos_code

    try:
        pair = (argos_code(from_tag), argos_code(to_tag))
    except LanguageTagError:
        pair = (from_tag, to_tag)
    return SUGGESTED_PACKAGES.get(pair, f"translate-{pair[0]}_{pair[1]}-*.argosmodel")


@dataclass(frozen=True)
class Route:
    """How a pair is translated: one package, or two chained through a pivot language."""

    packages: tuple[ModelPackage, ...]

    @property
    def origin(self) -> str:
        """Provenance of a draft: every package used, first to last, joined with ``+``."""
        return "+".join(p.origin for p in self.packages)

    @property
    def pivot(self) -> str | None:
        return self.packages[0].to_code if len(self.packages) > 1 else None

    @property
    def source(self) -> str:
        return self.packages[0].from_code

    @property
    def target(self) -> str:
        return self.packages[-1].to_code

    @property
    def how(self) -> str:
        """``direct (translate-zh_en-1_9)`` or ``via en (translate-ro_en-1_9 + translate-en_ru-1_9)``."""
        names = " + ".join(p.name for p in self.packages)
        return f"direct ({names})" if self.pivot is None else f"via {self.pivot} ({names})"


def find_route(from_tag: str, to_tag: str, *, models_dir: Path | None = None) -> Route:
    """How to translate ``from_tag`` → ``to_tag`` with the installed packages.

    Tags are compared as languages (:func:`tolmach.model.same_language`): a document tagged
    ``zh-Hans`` (langdetect's ``zh-cn``) is served by the Argos ``zh`` package, ``ru-RU`` by
    ``ru``.  A direct package wins; otherwise two packages chained through a pivot language
    (English first).  Newest versions are preferred.  A ModelError says what to install.
    """
    packages = installed(models_dir)
    direct = [p for p in packages if _serves(p.from_code, from_tag) and _serves(p.to_code, to_tag)]
    if direct:
        return Route((max(direct, key=_version_key),))
    firsts = [p for p in packages if _serves(p.from_code, from_tag) and not _serves(p.to_code, to_tag)]
    options: list[tuple[ModelPackage, ModelPackage]] = []
    for a in firsts:
        for b in packages:
            if b.from_code == a.to_code and _serves(b.to_code, to_tag) and not _serves(b.from_code, from_tag):
                options.append((a, b))
    if options:
        options.sort(key=lambda ab: (ab[0].to_code != "en", ab[0].to_code, [-x for x in _version_key(ab[0])], [-x for x in _version_key(ab[1])]))
        return Route(options[0])
    root = models_dir or config.models_dir()
    suggestion = _suggested(from_tag, to_tag)
    pivot_hint = ""
    if not any(_serves("en", t) for t in (from_tag, to_tag)):
        have_first = any(_serves(p.from_code, from_tag) and p.to_code == "en" for p in packages)
        have_second = any(p.from_code == "en" and _serves(p.to_code, to_tag) for p in packages)
        halves = [_suggested(from_tag, "en") if not have_first else "", _suggested("en", to_tag) if not have_second else ""]
        missing = " and ".join(h for h in halves if h)
        pivot_hint = f" (or {missing} to translate through English)"
    raise ModelError(
        f"No machine-translation model for {from_tag}→{to_tag} is installed in {root}: "
        f"get the Argos package {suggestion}{pivot_hint} and run `tolmach model install {suggestion}`."
    )


def find_for_pair(from_code: str, to_code: str, *, models_dir: Path | None = None) -> ModelPackage:
    """The newest installed *direct* package for a pair (tags or Argos codes), or a ModelError."""
    route = find_route(from_code, to_code, models_dir=models_dir)
    if len(route.packages) == 1:
        return route.packages[0]
    root = models_dir or config.models_dir()
    suggestion = _suggested(from_code, to_code)
    raise ModelError(
        f"No direct machine-translation model for {from_code}→{to_code} is installed in {root} "
        f"(it is reachable {route.how}): get {suggestion} for a direct one."
    )


def reachable(models_dir: Path | None = None) -> list[Route]:
    """Every pair the installed packages can translate: direct ones, then pivots."""
    packages = installed(models_dir)
    routes: dict[tuple[str, str], Route] = {}
    for p in packages:
        key = (p.from_code, p.to_code)
        if key not in routes or _version_key(p) > _version_key(routes[key].packages[0]):
            routes[key] = Route((p,))
    pivots: dict[tuple[str, str], Route] = {}
    for a in packages:
        for b in packages:
            key = (a.from_code, b.to_code)
            if b.from_code != a.to_code or a.from_code == b.to_code or key in routes or key in pivots:
                continue
            pivots[key] = find_route(*key, models_dir=models_dir)
    return sorted(routes.values(), key=lambda r: (r.source, r.target)) + sorted(
        pivots.values(), key=lambda r: (r.source, r.target)
    )
