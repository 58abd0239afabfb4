"""Every file in and out: reading input files, checking output paths, writing outputs
atomically.  One place for each.

Every command that reads a file the user names calls :func:`read_input` (or
:func:`check_input` when a library opens it), so "missing", "a directory", "a device",
"unreadable" and "too large" are said the same way everywhere, in one sentence naming
the file.  Every output path goes through :func:`check_output` before anything is
written: Tolmach replaces only regular files, never a symbolic link, a device, a pipe or
a directory.

Outputs are written by :func:`atomic_outputs`, so that a reader never sees half of one:
Each output is written to a temporary file in the target's own folder (so the final
rename stays on one file system and is atomic), flushed to disk, then moved into place.
Only regular files are ever replaced, with or without ``force``: a symbolic link (say
``/dev/stdout``), a device or a pipe at the target name is refused.  Without ``force`` an
existing file is never replaced: the move is a hard link, which
fails if the name appeared meanwhile, instead of a check-then-rename race.  On any error
every temporary file is removed and nothing at the target names changes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from tolmach.errors import InputError, OptionError

#: Largest input file read whole (bytes); larger files are refused with a sentence.
MAX_INPUT_BYTES = 512 * 1024 * 1024

#: The argument that means standard input, where a command offers it (``tolmach import -``) ...
STDIN = "-"
#: ... and what the documents, records and messages call it.
STDIN_NAME = "stdin"


def is_stdin(path: Path | str) -> bool:
    """``path`` is the argument ``-`` (a file really named so is ``./-``)."""
    return str(path) == STDIN


def input_name(path: Path | str) -> str:
    """What an input is called in messages and records: ``stdin`` for ``-``, else
    :func:`display_name`."""
    return STDIN_NAME if is_stdin(path) else display_name(path)


def display_name(path: Path | str) -> str:
    """``path`` as text any encoder takes.  A file name whose bytes are not UTF-8 (a
    Latin-1 or cp1251 name from an old archive) reaches Python with surrogates, which
    neither the database nor a log file can store; its undecodable bytes become U+FFFD."""
    return os.fsencode(str(path)).decode("utf-8", errors="replace")


def check_input(path: Path | str, *, hint: str = "") -> Path:
    """``path`` if it names a readable regular file, else one clear :class:`InputError`."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path} is a directory{'; ' + hint if hint else ''}.")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path} is not a regular file (a device, pipe or socket); give a file.")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path} cannot be read: permission denied.")
    return path


def read_stdin(stream: BinaryIO | None = None, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """All of standard input (``stream``), under the same size limit as a file, or one
    sentence saying why not: closed, unreadable, empty or too large.  Read in chunks, so
    a stream larger than the limit is refused after ``max_bytes`` bytes, not held whole."""
    if stream is None:
        stream = sys.stdin.buffer if sys.stdin is not None and not sys.stdin.closed else None
    if stream is None:
        raise InputError("Standard input is closed; pipe the text in or name a file.")
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes:
            chunk = stream.read(min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"Standard input cannot be read: {exc.strerror or exc}.") from None
    if size > max_bytes:
        raise InputError(f"Standard input holds more than {max_bytes / 2**20:.0f} MiB; Tolmach reads inputs up to {max_bytes / 2**20:.0f} MiB.")
    if not size:
        raise InputError("Standard input is empty; pipe the text in (e.g. `pdftotext letter.pdf - | tolmach import -`) or name a file.")
    return b"".join(chunks)


def read_input(path: Path | str, *, hint: str = "", max_bytes: int = MAX_INPUT_BYTES, stdin: bool = False) -> bytes:
    """The bytes of an input file, or one sentence saying why not; with ``stdin``, the
    argument ``-`` reads standard input (:func:`read_stdin`)."""
    if stdin and is_stdin(path):
        return read_stdin(max_bytes=max_bytes)
    path = check_input(path, hint=hint)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path} is {size / 2**20:.0f} MiB; Tolmach reads files up to {max_bytes / 2**20:.0f} MiB.")
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # a file still growing is never read past the limit
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path} grew past {max_bytes / 2**20:.0f} MiB while it was read; Tolmach reads files up to "
                         f"{max_bytes / 2**20:.0f} MiB (import it once it is complete).")
    return data


def _exists(path: Path) -> OptionError:
    return OptionError("{path} already exists; use {option} to overwrite it.", "force", path=path)


def check_output(path: Path | str, *, force: bool) -> Path:
    """Fail early, with one sentence, if ``path`` cannot or must not be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:  # a name too long for the file system, a folder that cannot be searched: a sentence
        folder_ok, link, exists = folder.is_dir(), path.is_symlink(), path.exists()
    except OSError as exc:
        raise InputError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    if not folder_ok:
        raise InputError(f"Cannot write {path}: the folder {folder} does not exist.")
    if link:
        raise InputError(f"Cannot write {path}: it is a symbolic link, not a regular file, and Tolmach only ever replaces regular files.")
    if exists:
        if path.is_dir():
            raise InputError(f"Cannot write {path}: it is a directory.")
        if not path.is_file():
            raise OptionError(
                "Cannot write {path}: it is a device or pipe, not a regular file, and Tolmach only ever replaces"
                " regular files (give {option} - to write to standard output).", "out", path=path,
            )  # fmt: skip
        if not force:
            raise _exists(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"Cannot write {path}: the folder {folder} is not writable.")
    return path


# --- writing outputs atomically ------------------------------------------------------


def check_targets(paths: Sequence[Path], *, force: bool) -> None:
    """Fail early, with one sentence, if any output cannot be written where asked."""
    for path in paths:
        check_output(path, force=force)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale_parts(path: Path) -> int:
    """Remove ``.NAME.PID.*.part`` files a killed export left beside ``path``; returns how many.

    A part file belongs to a live export while its process exists; once the process is
    gone (kill -9, power loss) nothing will ever finish it.
    """
    folder = path.parent if str(path.parent) else Path(".")
    removed = 0
    for part in folder.glob(f".{glob_escape(path.name)}.*.part"):
        pid_text = part.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            part.unlink(missing_ok=True)
            removed += 1
    return removed


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _default_mode() -> int:
    """Permissions a plainly created file would get (mkstemp makes private 0600 files)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _publish(tmp: Path, final: Path, force: bool) -> None:
    os.chmod(tmp, _default_mode())
    if force:
        os.replace(tmp, final)
        return
    try:
        os.link(tmp, final)
    except FileExistsError:
        raise _exists(final) from None
    except OSError:  # file systems without hard links: best effort check-then-rename
        if final.exists():
            raise _exists(final) from None
        os.replace(tmp, final)
        return
    tmp.unlink()


@contextlib.contextmanager
def atomic_outputs(paths: Sequence[Path], *, force: bool = False) -> Iterator[list[TextIO]]:
    """Text handles (UTF-8, ``\\n`` line ends) that become ``paths`` only if the block succeeds."""
    paths = [Path(p) for p in paths]
    check_targets(paths, force=force)
    handles: list[TextIO] = []
    temps: list[Path] = []
    try:
        for path in paths:
            clean_stale_parts(path)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent if str(path.parent) else ".")
            temps.append(Path(name))
            handles.append(os.fdopen(fd, "w", encoding="utf-8", newline="\n"))
        yield handles
        for fh in handles:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        published: list[Path] = []
        try:
            for tmp, final in zip(temps, paths):
                _publish(tmp, final, force)
                published.append(final)
        except BaseException:
            if not force:  # undo the part of a multi-file output that already landed
                for final in published:
                    final.unlink(missing_ok=True)
            raise
    finally:
        for fh in handles:
            if not fh.closed:
                fh.close()
        for tmp in temps:
            tmp.unlink(missing_ok=True)
