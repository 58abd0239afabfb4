"""Tolmach: a terminal workbench for translating archival documents and aligning them."""

__version__ = "0.1.0"
