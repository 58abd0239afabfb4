"""Reading input files and checking output paths: one place for both.

Every command that reads a file the user names calls :func:`read_input` (or
:func:`check_input` when a library opens it), so "missing", "a directory", "a device",
"unreadable" and "too large" are said the same way everywhere, in one sentence naming
the file.  Every output path goes through :func:`check_output` before anything is
written: Tolmach replaces only regular files, never a symbolic link, a device, a pipe or
a directory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tolmach.errors import InputError

#: Largest input file read whole (bytes); larger files are refused with a sentence.
MAX_INPUT_BYTES = 512 * 1024 * 1024


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


def read_input(path: Path | str, *, hint: str = "", max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, or one sentence saying why not."""
    path = check_input(path, hint=hint)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path} is {size / 2**20:.0f} MiB; Tolmach reads files up to {max_bytes / 2**20:.0f} MiB.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from exc


def check_output(path: Path | str, *, force: bool) -> Path:
    """Fail early, with one sentence, if ``path`` cannot or must not be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"Cannot write {path}: the folder {folder} does not exist.")
    if path.is_symlink():
        raise InputError(f"Cannot write {path}: it is a symbolic link, not a regular file, and Tolmach only ever replaces regular files.")
    if path.exists():
        if path.is_dir():
            raise InputError(f"Cannot write {path}: it is a directory.")
        if not path.is_file():
            raise InputError(
                f"Cannot write {path}: it is a device or pipe, not a regular file, and Tolmach only ever replaces regular files"
                " (use --out - to write to standard output)."
            )
        if not force:
            raise InputError(f"{path} already exists; use --force to overwrite it.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"Cannot write {path}: the folder {folder} is not writable.")
    return path
