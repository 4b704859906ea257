"""Published snapshots: a meeting's figures as they were shown, kept to be shown again exactly
after the source data has moved on.

Publishing is idempotent: the same label with the same content keeps one snapshot. Callers get
plain frozen dataclasses, never ORM objects bound to a closed session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from metrics.store.audit import record
from metrics.store.engine import Database, StoreError, default_url
from metrics.store.tables import KpiSnapshot, KpiSnapshotValue
from sources.problems import Problem

if TYPE_CHECKING:
    from metrics.config import Config

ROLES = ("card", "chart")
MAX_ID = 2**63 - 1  # the largest id a database integer column holds


@dataclass(frozen=True)
class SnapshotValue:
    """One published figure, as the deck hands it in and gets it back."""

    slide: int | None
    role: str
    metric: str
    period_start: dt.date | None
    period_end: dt.date | None
    value: float | None
    target: float | None
    expected: float | None
    status: str
    delta: float | None
    dimensions: Mapping[str, str] = field(default_factory=dict)

    def canonical(self) -> dict[str, Any]:
        """A JSON-ready form with a fixed key order (the digest is computed over it)."""
        return {
            "slide": self.slide,
            "role": self.role,
            "metric": self.metric,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "dimensions": dict(sorted(self.dimensions.items())),
            "value": self.value,
            "target": self.target,
            "expected": self.expected,
            "status": self.status,
            "delta": self.delta,
        }


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    label: str
    board_id: str
    as_of: dt.date
    grain: str
    config_hash: str
    author: str
    created_at: dt.datetime
    digest: str


@dataclass(frozen=True)
class Snapshot:
    info: SnapshotInfo
    layout: dict[str, Any]
    values: tuple[SnapshotValue, ...]


@dataclass(frozen=True)
class Published:
    """The outcome of ``Store.publish``: the snapshot, and whether this call created it."""

    snapshot: SnapshotInfo
    created: bool


def content_digest(
    board_id: str,
    as_of: dt.date,
    grain: str,
    layout: Mapping[str, Any],
    values: Sequence[SnapshotValue],
) -> str:
    """SHA-256 over the content (never the author or the time), so a re-publish is recognised."""
    body = {
        "board_id": board_id,
        "as_of": as_of.isoformat(),
        "grain": grain,
        "layout": layout,
        "values": [v.canonical() for v in values],
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _info(row: KpiSnapshot) -> SnapshotInfo:
    assert row.id is not None
    return SnapshotInfo(
        id=row.id,
        label=row.label,
        board_id=row.board_id,
        as_of=row.as_of,
        grain=row.grain,
        config_hash=row.config_hash,
        author=row.author,
        created_at=row.created_at,
        digest=row.digest,
    )


def _value(row: KpiSnapshotValue) -> SnapshotValue:
    return SnapshotValue(
        slide=row.slide,
        role=row.role,
        metric=row.metric,
        period_start=row.period_start,
        period_end=row.period_end,
        value=row.value,
        target=row.target,
        expected=row.expected,
        status=row.status,
        delta=row.delta,
        dimensions=json.loads(row.dimensions or "{}"),
    )


class Store(Database):
    """Published snapshots in one database."""

    def publish(
        self,
        *,
        label: str,
        board_id: str,
        as_of: dt.date,
        grain: str,
        config_hash: str,
        author: str,
        layout: Mapping[str, Any],
        values: Sequence[SnapshotValue],
        now: dt.datetime | None = None,
    ) -> Published:
        """Store a snapshot, or return the one already stored with this label and content."""
        for item in values:
            if item.role not in ROLES:
                raise ValueError(f"role must be one of {ROLES}, not {item.role!r}")
        digest = content_digest(board_id, as_of, grain, layout, values)
        created_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        try:
            with self.session(write=True) as session:
                existing = self._find(session, label, digest)
                if existing is not None:
                    return Published(existing, created=False)
                row = KpiSnapshot(
                    label=label,
                    board_id=board_id,
                    as_of=as_of,
                    grain=grain,
                    config_hash=config_hash,
                    author=author,
                    created_at=created_at,
                    digest=digest,
                    layout=json.dumps(layout, ensure_ascii=False, sort_keys=True, allow_nan=False),
                )
                session.add(row)
                session.flush()
                assert row.id is not None
                record(
                    session,
                    actor=author,
                    action="snapshot.published",
                    object_kind="snapshot",
                    object_id=row.id,
                    detail={"label": label, "board": board_id, "as_of": as_of.isoformat()},
                    at=created_at,
                )
                session.add_all(
                    KpiSnapshotValue(
                        snapshot_id=row.id,
                        position=position,
                        slide=item.slide,
                        role=item.role,
                        metric=item.metric,
                        period_start=item.period_start,
                        period_end=item.period_end,
                        dimensions=json.dumps(
                            dict(sorted(item.dimensions.items())), ensure_ascii=False
                        ),
                        value=item.value,
                        target=item.target,
                        expected=item.expected,
                        status=item.status,
                        delta=item.delta,
                    )
                    for position, item in enumerate(values)
                )
                session.commit()
                return Published(_info(row), created=True)
        except StoreError as exc:
            # Two publishers raced past the check (only possible where writes are not
            # serialised up front, e.g. PostgreSQL): the unique constraint kept one.
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            with self.session() as session:
                existing = self._find(session, label, digest)
            if existing is None:
                raise
            return Published(existing, created=False)

    @staticmethod
    def _find(session: Session, label: str, digest: str) -> SnapshotInfo | None:
        row = session.exec(
            select(KpiSnapshot).where(KpiSnapshot.label == label, KpiSnapshot.digest == digest)
        ).first()
        return _info(row) if row is not None else None

    def find(self, label: str, board_id: str, as_of: dt.date) -> SnapshotInfo | None:
        """The first snapshot published with this label, for this board and as-of date."""
        query = (
            select(KpiSnapshot)
            .where(
                KpiSnapshot.label == label,
                KpiSnapshot.board_id == board_id,
                KpiSnapshot.as_of == as_of,
            )
            .order_by(KpiSnapshot.id)  # type: ignore[arg-type]
        )
        with self.session() as session:
            row = session.exec(query).first()
            return _info(row) if row is not None else None

    def latest(self, board_id: str, as_of: dt.date) -> SnapshotInfo | None:
        """The newest snapshot of this board as of this date, whatever its label."""
        query = (
            select(KpiSnapshot)
            .where(KpiSnapshot.board_id == board_id, KpiSnapshot.as_of == as_of)
            .order_by(KpiSnapshot.id.desc())  # type: ignore[union-attr]
        )
        with self.session() as session:
            row = session.exec(query).first()
            return _info(row) if row is not None else None

    def list_snapshots(self, board_id: str | None = None, limit: int = 200) -> list[SnapshotInfo]:
        """Snapshots, newest first; only one board's when ``board_id`` is given."""
        query = select(KpiSnapshot)
        if board_id is not None:
            query = query.where(KpiSnapshot.board_id == board_id)
        query = query.order_by(KpiSnapshot.created_at.desc(), KpiSnapshot.id.desc()).limit(limit)  # type: ignore[attr-defined,union-attr]
        with self.session() as session:
            return [_info(row) for row in session.exec(query)]

    def read(self, snapshot_id: int) -> Snapshot:
        """One snapshot with its layout and every figure, in the order they were published."""
        if not 0 < snapshot_id <= MAX_ID:  # no such row, and past what the database can hold
            raise StoreError(Problem("store.not_found", {"id": snapshot_id}))
        with self.session() as session:
            row = session.get(KpiSnapshot, snapshot_id)
            if row is None:
                raise StoreError(Problem("store.not_found", {"id": snapshot_id}))
            values = session.exec(
                select(KpiSnapshotValue)
                .where(KpiSnapshotValue.snapshot_id == snapshot_id)
                .order_by(KpiSnapshotValue.position)  # type: ignore[arg-type]
            ).all()
            return Snapshot(_info(row), json.loads(row.layout), tuple(_value(v) for v in values))


def open_store(config: Config) -> Store:
    """The store the configuration names (see ``default_url``)."""
    return Store(default_url(config))
