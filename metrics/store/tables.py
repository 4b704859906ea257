"""The store's tables (SQLModel, prefixed ``kpi_``): one row per published snapshot and one per
figure in it. Directives and the audit trail add theirs here, on the same ``StoreModel``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class StoreModel(SQLModel, registry=registry()):
    """The base of every table of the store (snapshots now; directives and audit next).

    Its own registry and metadata, not SQLModel's global ones: Streamlit re-imports a module
    whose file changed while the app runs, and a table defined a second time in one metadata
    fails. Each import gets fresh metadata instead; ``create_all`` on it makes the tables.
    """


class KpiSnapshot(StoreModel, table=True):
    """A published deck: what was shown, as of when, by whom."""

    __tablename__ = "kpi_snapshot"
    __table_args__ = (UniqueConstraint("label", "digest", name="kpi_snapshot_label_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(index=True, max_length=200)
    board_id: str = Field(index=True, max_length=64)
    as_of: dt.date
    grain: str = Field(max_length=16)
    config_hash: str = Field(max_length=64)
    author: str = Field(max_length=200)
    created_at: dt.datetime  # aware; SQLModel stores UTC and reads it back as UTC
    digest: str = Field(max_length=64)
    layout: str = Field(sa_column=Column(Text, nullable=False))  # JSON


class KpiSnapshotValue(StoreModel, table=True):
    """One figure of a snapshot: a card's value or one point or bar of a chart."""

    __tablename__ = "kpi_snapshot_value"

    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="kpi_snapshot.id", index=True)
    position: int  # keeps the order the figures were published in
    slide: int | None = None  # 0-based slide index; None for figures shared by the deck
    role: str = Field(max_length=8)  # card | chart
    metric: str = Field(max_length=64)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    dimensions: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    value: float | None = None
    target: float | None = None
    expected: float | None = None
    status: str = Field(max_length=16)
    delta: float | None = None
