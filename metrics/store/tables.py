"""The store's tables (SQLModel, prefixed ``kpi_``): published snapshots and their figures, the
board's directives and their updates, and the audit trail. Each change here needs its revision
in ``migrations/versions/`` (``tests/test_store_schema.py``)."""

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


class KpiDirective(StoreModel, table=True):
    """A conclusion of the board (chỉ đạo / kết luận): what must be done, by whom, by when.

    ``status`` is the latest of its updates (open, in_progress, done, cancelled); *overdue* is
    never stored, it is read against a date. Every change is a ``KpiDirectiveUpdate`` row."""

    __tablename__ = "kpi_directive"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    metric: str = Field(index=True, max_length=64)
    unit: str | None = Field(default=None, index=True, max_length=64)  # the figure it is about
    task_id: str | None = Field(default=None, max_length=64)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    responsible: str = Field(index=True, max_length=64)  # the unit that must act
    due: dt.date
    status: str = Field(index=True, max_length=16)
    given_by: str = Field(max_length=200)
    snapshot_id: int | None = Field(default=None, foreign_key="kpi_snapshot.id", index=True)
    created_at: dt.datetime


class KpiDirectiveUpdate(StoreModel, table=True):
    """One change to a directive, append-only: a note, a status change, evidence, who, when."""

    __tablename__ = "kpi_directive_update"

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="kpi_directive.id", index=True)
    at: dt.datetime
    by: str = Field(max_length=200)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status_before: str | None = Field(default=None, max_length=16)
    status_after: str | None = Field(default=None, max_length=16)
    evidence: str | None = Field(default=None, max_length=1000)  # a link or a file reference


class KpiAuditEvent(StoreModel, table=True):
    """What was done in the app, append-only: when, who, what, to which object, and for a file
    the content hashes before and after."""

    __tablename__ = "kpi_audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    actor: str = Field(max_length=200)
    action: str = Field(index=True, max_length=64)
    object_kind: str = Field(max_length=32)
    object_id: str = Field(max_length=200)
    before_hash: str | None = Field(default=None, max_length=64)
    after_hash: str | None = Field(default=None, max_length=64)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON


class KpiAccount(StoreModel, table=True):
    """A person who signs in with a password (``sign_in: password``): the password's Argon2 hash
    (never the password), roles and unit scope as comma-separated ids (no units: all), and the
    failed attempts that lock it for a while."""

    __tablename__ = "kpi_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=200)
    roles: str = Field(max_length=200)
    units: str = Field(default="", sa_column=Column(Text, nullable=False))
    disabled: bool = Field(default=False)
    failed: int = Field(default=0)
    failed_at: dt.datetime | None = Field(default=None)  # the last failure, for the growing delay
    locked_until: dt.datetime | None = Field(default=None)
    created_at: dt.datetime
    password_changed_at: dt.datetime
