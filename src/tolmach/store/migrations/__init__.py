"""Alembic migrations of the Tolmach schema (run through :mod:`tolmach.store.schema`)."""
