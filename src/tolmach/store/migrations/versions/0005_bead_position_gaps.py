"""Bead positions get gaps: ``position`` becomes ``rank * 1024`` (``POSITION_GAP``), so a
split or an undone merge takes a position between its neighbours instead of renumbering
every later bead.  The bead number stays the rank (1 + the beads before it).

Revision snapshots keep the positions they were written with: only their order matters
(undo restores a run where its beads are now, not at the recorded position).

Revision ID: 0005_bead_position_gaps
Revises: 0004_revision_beads
Create Date: 2026-12-07
"""
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0005_bead_position_gaps"
down_revision = "0004_revision_beads"
branch_labels = None
depends_on = None

#: POSITION_GAP in tolmach.store.models when this migration was written (fixed here: a later
#: change of the constant must not change what this step did)
GAP = 1024
BATCH = 5000


def _renumber(conn: sa.Connection, key: Callable[[int], int]) -> None:
    """Every document's beads at ``key(rank)``, in their current order."""
    rows = conn.execute(sa.text("SELECT id, document_id FROM beads ORDER BY document_id, position, id")).all()
    updates, doc, rank = [], None, 0
    for bead_id, document_id in rows:
        rank = rank + 1 if document_id == doc else 0
        doc = document_id
        updates.append({"p": key(rank), "id": bead_id})
    stmt = sa.text("UPDATE beads SET position = :p WHERE id = :id")
    for i in range(0, len(updates), BATCH):
        conn.execute(stmt, updates[i : i + BATCH])


def upgrade() -> None:
    conn = op.get_bind()
    _renumber(conn, lambda rank: rank * GAP)
    if conn.dialect.name == "postgresql" and conn.execute(
        sa.text("SELECT 1 FROM pg_proc WHERE proname = 'tolmach_only_reviewers_review'")
    ).first() is not None:  # roles switched on: its refusal names the bead by rank now
        from tolmach.store.roles import _TRIGGER

        op.execute(_TRIGGER)


def downgrade() -> None:
    _renumber(op.get_bind(), lambda rank: rank)
