"""Alembic's entry point: always given an open connection by :mod:`tolmach.store.schema`."""

from alembic import context

from tolmach.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds the table
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
