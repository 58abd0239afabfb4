"""Text core: bytes in, segmented documents out (no database, no UI)."""
