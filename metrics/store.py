"""The project's own database: published snapshots of a deck's figures (later: directives, audit).

A meeting's figures become the record of the meeting, so "Chốt số liệu" (publish) writes them
here, and they can be shown again exactly as presented after the source data has moved on.

- SQLModel tables prefixed ``kpi_``: one row per snapshot (label, as-of date, board, config
  hash, author, time, a digest of its content, the deck's layout as JSON) and one row per
  figure (slide, card or chart, metric, period, dimensions as JSON, value, target, expected,
  status, delta).
- SQLite by default at ``<state_dir>/store.sqlite``; ``KPI_STORE_URL`` or ``store_url`` in
  settings names another database. Tables are created on first use.
- One engine per URL for the whole process; every operation is a short session.
- SQLite write transactions start with ``BEGIN IMMEDIATE``: with a plain ``BEGIN``, a
  read-then-write transaction (publish checks for an existing snapshot, then inserts) fails
  with "database is locked" under concurrent writers (measured here: 730 times in 800).
- Publishing is idempotent: the same label with the same content keeps one snapshot.

Callers get plain frozen dataclasses, never ORM objects bound to a closed session. Failures of
the database itself are raised as ``StoreError`` (a ``ProjectError``) naming the database
without its password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Text, UniqueConstraint, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel, create_engine, select

from sources.problems import Problem, ProjectError, register_messages

if TYPE_CHECKING:
    from metrics.config import Config

register_messages(
    {
        "store.unavailable": {
            "vi": "không dùng được cơ sở dữ liệu lưu trữ {url}: {detail}",
            "en": "the store database {url} cannot be used: {detail}",
        },
        "store.not_found": {
            "vi": "không có bản chốt số liệu số {id}",
            "en": "there is no published snapshot {id}",
        },
    }
)

STORE_FILE = "store.sqlite"
ENV_URL = "KPI_STORE_URL"
ROLES = ("card", "chart")


class StoreError(ProjectError):
    """The store cannot be reached or read, or a snapshot asked for does not exist."""


# --------------------------------------------------------------------------- tables


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


# --------------------------------------------------------------------------- plain records


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


# --------------------------------------------------------------------------- engines


_ENGINES: dict[tuple[str, str | None], Engine] = {}
_ENGINES_LOCK = threading.Lock()
_BEGIN_OPTION = "kpi_sqlite_begin"


def _sqlite_setup(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, start transactions, and start writes IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN from the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _engine(url: str, schema: str | None) -> Engine:
    """One engine per URL (and schema) for the whole process; tables created on first use."""
    key = (url, schema)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is not None:
            return engine
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 10})
            _sqlite_setup(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        if schema:
            engine = engine.execution_options(schema_translate_map={None: schema})
        try:
            StoreModel.metadata.create_all(engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"}))
        except SQLAlchemyError as exc:
            engine.dispose()
            raise _unavailable(url, exc) from exc
        _ENGINES[key] = engine
        return engine


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _unavailable(url: str, exc: BaseException) -> StoreError:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return StoreError(
        Problem(
            "store.unavailable",
            {"url": _safe_url(url), "detail": detail[0] if detail else type(exc).__name__},
        )
    )


def default_url(config: Config) -> str:
    """``KPI_STORE_URL``, else the settings' ``store_url``, else SQLite under the state folder."""
    url = os.environ.get(ENV_URL) or config.settings.store_url
    if url:
        return url
    return f"sqlite:///{config.state_dir / STORE_FILE}"


def open_store(config: Config) -> Store:
    """The store the configuration names (see ``default_url``)."""
    return Store(default_url(config))


# --------------------------------------------------------------------------- the store


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


class Store:
    """Published snapshots in one database; see the module docstring."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        """``schema`` puts the tables in a database schema (PostgreSQL) instead of the default."""
        self.url = url
        self.schema = schema

    @property
    def engine(self) -> Engine:
        return _engine(self.url, self.schema)

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        engine = self.engine
        if write:
            engine = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        try:
            with Session(engine, expire_on_commit=False) as session:
                yield session
        except SQLAlchemyError as exc:
            raise _unavailable(self.url, exc) from exc

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
            with self._session(write=True) as session:
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
            with self._session() as session:
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

    def list_snapshots(self, board_id: str | None = None, limit: int = 200) -> list[SnapshotInfo]:
        """Snapshots, newest first; only one board's when ``board_id`` is given."""
        query = select(KpiSnapshot)
        if board_id is not None:
            query = query.where(KpiSnapshot.board_id == board_id)
        query = query.order_by(KpiSnapshot.created_at.desc(), KpiSnapshot.id.desc()).limit(limit)  # type: ignore[attr-defined,union-attr]
        with self._session() as session:
            return [_info(row) for row in session.exec(query)]

    def read(self, snapshot_id: int) -> Snapshot:
        """One snapshot with its layout and every figure, in the order they were published."""
        with self._session() as session:
            row = session.get(KpiSnapshot, snapshot_id)
            if row is None:
                raise StoreError(Problem("store.not_found", {"id": snapshot_id}))
            values = session.exec(
                select(KpiSnapshotValue)
                .where(KpiSnapshotValue.snapshot_id == snapshot_id)
                .order_by(KpiSnapshotValue.position)  # type: ignore[arg-type]
            ).all()
            return Snapshot(_info(row), json.loads(row.layout), tuple(_value(v) for v in values))


__all__ = [
    "KpiSnapshot",
    "KpiSnapshotValue",
    "Published",
    "Snapshot",
    "SnapshotInfo",
    "SnapshotValue",
    "Store",
    "StoreError",
    "StoreModel",
    "content_digest",
    "default_url",
    "open_store",
]
