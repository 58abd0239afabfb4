"""The glossary's word index: ``glossary_words`` (each term word's lemmas, analysed once)
and ``glossary_keys`` (what each entry's words can be matched by, indexed), so the first
glossary match after a large import analyses only what the text selects.  Both are derived
data: the service fills them for entries that have none (``tolmach glossary import`` does
it at once, with progress), so this step only creates the tables.

Revision ID: 0006_glossary_keys
Revises: 0005_bead_position_gaps
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_glossary_keys"
down_revision = "0005_bead_position_gaps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    if not inspector.has_table("glossary_words"):  # created on open by a Tolmach that had the model first
        op.create_table(
            "glossary_words",
            sa.Column("word", sa.Text(), primary_key=True),
            sa.Column("lemmas", sa.JSON(), nullable=False),
        )
    if not inspector.has_table("glossary_keys"):
        op.create_table(
            "glossary_keys",
            sa.Column("entry_id", sa.Integer(), sa.ForeignKey("glossary_entries.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("key", sa.Text(), primary_key=True),
        )
        op.create_index("ix_glossary_keys_key", "glossary_keys", ["key"])
    if conn.dialect.name == "postgresql" and conn.execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'tolmach_translator'")
    ).first() is not None:  # roles switched on (store/roles.py): a translator's first match may index
        op.execute("GRANT INSERT, UPDATE, DELETE ON glossary_words, glossary_keys TO tolmach_translator")


def downgrade() -> None:
    op.drop_index("ix_glossary_keys_key", table_name="glossary_keys")
    op.drop_table("glossary_keys")
    op.drop_table("glossary_words")
