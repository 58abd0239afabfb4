"""Starting without the cyclic garbage collector.

Importing SQLAlchemy, Textual and Tolmach and drawing the workbench's first screen create a
few hundred thousand objects that live as long as the program (modules, classes, functions,
styles, the first rows).  The cyclic collector's passes over them took about 0.1 s of the
0.7 s of CPU to the first screen, and reclaim nothing.  :func:`pause` holds the collector
off; :func:`resume` moves everything alive into the permanent generation
(``gc.freeze``), which later passes skip, and turns the collector back on.  Reference
counting frees objects as usual throughout.

The CLI pauses around its imports (:mod:`tolmach.cli`); ``tolmach`` with no command pauses
again until the workbench has drawn its first screen.
"""

from __future__ import annotations

import gc

_paused = False  # the collector is off because of pause()


def pause() -> None:
    """Turn the cyclic collector off, if it is on (a host program may have its own plan)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """After :func:`pause`: freeze what is alive now out of the collector's passes and turn
    it back on.  Without a pause (the workbench under a test driver), nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
