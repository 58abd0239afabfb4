"""Whole-document work for the workbench in a child process, not a thread.

A thread worker shares the interpreter lock with the screen: finding the probable
misprints of a 20,000-sentence document takes about 3 s of CPU, and while a thread did
it every key and every SQL statement of the screen waited for the lock (merges took
0.5 s in a real terminal).  A child process has its own; the worker thread that waits
for it holds nothing.  A plain ``python -c`` child with pickles over its stdin and
stdout (``multiprocessing`` reads ``sys.stderr.fileno()``, which Textual replaces).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the child process imports the apparatus, the workbench does not
    from tolmach.service.apparatus import ErrorFinding

T = TypeVar("T")

_CHILD = "from tolmach.tui.offload import _child; _child()"
_PARENT = "TOLMACH_OFFLOAD_PARENT"  # the workbench's pid, so the child can notice it is gone


def in_child(call: Callable[..., T], *args: object) -> T:
    """``call(*args)`` in a fresh Python process; ``call`` must be a module-level function
    and its arguments and result picklable.  A failure raises OSError with the child's
    last line of error output."""
    src = str(Path(__file__).resolve().parents[2])  # the folder holding the tolmach package
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p))
    env[_PARENT] = str(os.getpid())
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD], input=pickle.dumps((call.__module__, call.__qualname__, args)),
        capture_output=True, env=env, check=False, start_new_session=True,
    )  # fmt: skip
    if proc.returncode:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OSError(f"{call.__qualname__} failed in a child process: {lines[-1] if lines else proc.returncode}")
    try:
        result: T = pickle.loads(proc.stdout)
    except Exception as exc:  # something printed to stdout besides the result
        raise OSError(f"{call.__qualname__} in a child process returned no result ({exc}).") from exc
    return result


def _child() -> None:
    import importlib

    _exit_with_parent(int(os.environ.get(_PARENT, "0")))
    module, name, args = pickle.loads(sys.stdin.buffer.read())
    result = getattr(importlib.import_module(module), name)(*args)
    sys.stdout.buffer.write(pickle.dumps(result))


def _exit_with_parent(parent: int, every: float = 0.2) -> None:
    """Leave as soon as the workbench that started this child is gone (its terminal was
    closed or the process killed): the child runs in a session of its own, so no signal
    reaches it, and seconds of whole-document work for nobody would slow the next start."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    if parent:
        threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def misprints(url: str, document_id: int) -> list[ErrorFinding]:
    """The document's probable misprints (``service.apparatus.find_source_errors``), read
    through a store of its own."""
    from tolmach.service.apparatus import find_source_errors
    from tolmach.store import open_store

    store = open_store(url)
    try:
        return find_source_errors(store, document_id)
    finally:
        store.close()
