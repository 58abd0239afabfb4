"""A revision's beads become rows of a join table instead of a ``",id,id,"`` string
searched with LIKE: ``revision_beads(revision_id, bead_id)``, indexed by bead.

Revision ID: 0004_revision_beads
Revises: 0003_document_role
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_revision_beads"
down_revision = "0003_document_role"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    conn = op.get_bind()
    # read first, then drop the column: SQLite rebuilds ``revisions`` to drop it, which
    # would cascade into a join table that already referenced it
    rows = [{"revision_id": rev_id, "bead_id": int(x)}
            for rev_id, ids in conn.execute(sa.text("SELECT id, bead_ids FROM revisions ORDER BY id"))
            for x in dict.fromkeys((ids or "").split(",")) if x.strip()]
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.drop_column("bead_ids")
    join = op.create_table(
        "revision_beads",
        sa.Column("revision_id", sa.Integer(), sa.ForeignKey("revisions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("bead_id", sa.Integer(), primary_key=True),
    )
    op.create_index("ix_revision_beads_bead", "revision_beads", ["bead_id"])
    for i in range(0, len(rows), BATCH):
        conn.execute(join.insert(), rows[i : i + BATCH])
    if conn.dialect.name == "postgresql" and conn.execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'tolmach_translator'")
    ).first() is not None:  # roles switched on (store/roles.py): translators write the journal
        op.execute("GRANT INSERT, UPDATE, DELETE ON revision_beads TO tolmach_translator")


def downgrade() -> None:
    conn = op.get_bind()
    ids: dict[int, list[int]] = {}
    for rev_id, bead_id in conn.execute(sa.text("SELECT revision_id, bead_id FROM revision_beads ORDER BY revision_id, bead_id")):
        ids.setdefault(rev_id, []).append(bead_id)
    op.drop_index("ix_revision_beads_bead", table_name="revision_beads")
    op.drop_table("revision_beads")
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.add_column(sa.Column("bead_ids", sa.Text(), nullable=False, server_default=""))
    for rev_id, beads in ids.items():
        conn.execute(sa.text("UPDATE revisions SET bead_ids = :v WHERE id = :id"),
                     {"v": "," + ",".join(map(str, beads)) + ",", "id": rev_id})
