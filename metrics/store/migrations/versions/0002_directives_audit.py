"""The board's directives, their append-only updates, and the audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_directive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("metric", AutoString(length=64), nullable=False),
        sa.Column("unit", AutoString(length=64), nullable=True),
        sa.Column("task_id", AutoString(length=64), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("responsible", AutoString(length=64), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("given_by", AutoString(length=200), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["kpi_snapshot.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("metric", "unit", "responsible", "status", "snapshot_id"):
        op.create_index(f"ix_kpi_directive_{column}", "kpi_directive", [column])
    op.create_table(
        "kpi_directive_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", AutoString(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("status_before", AutoString(length=16), nullable=True),
        sa.Column("status_after", AutoString(length=16), nullable=True),
        sa.Column("evidence", AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["directive_id"], ["kpi_directive.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_kpi_directive_update_directive_id", "kpi_directive_update", ["directive_id"]
    )
    op.create_table(
        "kpi_audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", AutoString(length=200), nullable=False),
        sa.Column("action", AutoString(length=64), nullable=False),
        sa.Column("object_kind", AutoString(length=32), nullable=False),
        sa.Column("object_id", AutoString(length=200), nullable=False),
        sa.Column("before_hash", AutoString(length=64), nullable=True),
        sa.Column("after_hash", AutoString(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kpi_audit_event_at", "kpi_audit_event", ["at"])
    op.create_index("ix_kpi_audit_event_action", "kpi_audit_event", ["action"])


def downgrade() -> None:
    op.drop_table("kpi_audit_event")
    op.drop_table("kpi_directive_update")
    op.drop_table("kpi_directive")
