"""Documents get a role (translate | reference), and stored language codes become
normalised BCP-47 tags (langdetect's ``zh-cn``/``zh-tw`` → ``zh-Hans``/``zh-Hant``).

A document whose source language equals its target language was context material all
along (the seeds' English articles): it becomes ``reference``.

Revision ID: 0003_document_role
Revises: 0002_bead_version
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_document_role"
down_revision = "0002_bead_version"
branch_labels = None
depends_on = None

#: Old spellings → tags, for every language column Tolmach stores.
RETAG = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}
COLUMNS = [("documents", "source_lang"), ("documents", "target_lang"), ("segments", "lang"),
           ("glossary_entries", "src_lang"), ("glossary_entries", "tgt_lang")]


def upgrade() -> None:
    # a database made by a development build may have the column already
    if "role" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}:
        with op.batch_alter_table("documents") as batch_op:
            batch_op.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="translate"))
    for table, column in COLUMNS:
        for old, new in RETAG.items():
            op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE lower({column}) = :old").bindparams(new=new, old=old))
    op.execute("UPDATE documents SET role = 'reference' WHERE source_lang = target_lang")


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.drop_column("role")
