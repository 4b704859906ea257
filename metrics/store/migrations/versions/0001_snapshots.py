"""The first schema: published snapshots and their figures, as the store made them before it
had versions (a store made then is stamped with this revision, not made again).

Revision ID: 0001
Revises:
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", AutoString(length=200), nullable=False),
        sa.Column("board_id", AutoString(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("grain", AutoString(length=16), nullable=False),
        sa.Column("config_hash", AutoString(length=64), nullable=False),
        sa.Column("author", AutoString(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("digest", AutoString(length=64), nullable=False),
        sa.Column("layout", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label", "digest", name="kpi_snapshot_label_digest"),
    )
    op.create_index("ix_kpi_snapshot_board_id", "kpi_snapshot", ["board_id"])
    op.create_index("ix_kpi_snapshot_label", "kpi_snapshot", ["label"])
    op.create_table(
        "kpi_snapshot_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slide", sa.Integer(), nullable=True),
        sa.Column("role", AutoString(length=8), nullable=False),
        sa.Column("metric", AutoString(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("dimensions", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("expected", sa.Float(), nullable=True),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("delta", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["snapshot_id"], ["kpi_snapshot.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kpi_snapshot_value_snapshot_id", "kpi_snapshot_value", ["snapshot_id"])


def downgrade() -> None:
    op.drop_table("kpi_snapshot_value")
    op.drop_table("kpi_snapshot")
