"""Beads get a version, so a save based on an older one is refused (no lost update).

Also moves ``meta.schema_version`` past every number a release before Alembic knows, so
such a release refuses the database instead of writing beads without a version.

Revision ID: 0002_bead_version
Revises: 0001_baseline
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_bead_version"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("beads") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def downgrade() -> None:
    with op.batch_alter_table("beads") as batch_op:
        batch_op.drop_column("version")
    op.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
