"""Parallel text out and back in: TMX, XLIFF 1.2 and 2.0, TSV, Moses, JSONL; OmegaT projects.

Pure code on :class:`Unit` records (no database): streaming writers, readers, the format
registry (outputs are written by :func:`tolmach.fileio.atomic_outputs`).  :mod:`tolmach.service.interchange` feeds beads in.
"""

from tolmach.interchange.formats import FORMATS, Format, format_of_file, get_format
from tolmach.interchange.unit import Header, Unit, bcp47

__all__ = ["FORMATS", "Format", "Header", "Unit", "bcp47", "format_of_file", "get_format"]
