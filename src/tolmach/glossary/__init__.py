"""Bilingual glossary: entries, their TSV/TBX forms, and matching through inflection."""
