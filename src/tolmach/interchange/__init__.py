"""Parallel text out and back in: TMX, XLIFF 1.2 and 2.0, TSV, Moses, JSONL; OmegaT projects.

Pure code on :class:`Unit` records (no database): streaming writers, readers, the format
registry and the atomic file helper.  :mod:`tolmach.service.interchange` feeds beads in.
"""

from tolmach.interchange.atomic import atomic_outputs, check_targets
from tolmach.interchange.formats import FORMATS, Format, format_of_file, get_format
from tolmach.interchange.unit import Header, Unit, bcp47

__all__ = ["FORMATS", "Format", "Header", "Unit", "atomic_outputs", "bcp47", "check_targets", "format_of_file", "get_format"]
