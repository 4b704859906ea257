"""The store's database: one engine per URL for the whole process, short sessions, the schema
brought to its newest version on first use (``metrics.store.schema``), and the store's errors.

SQLite is the default (``<state_dir>/store.sqlite``); ``KPI_STORE_URL`` or ``store_url`` in the
settings names another database (PostgreSQL for deployments). SQLite write transactions start
with ``BEGIN IMMEDIATE``: with a plain ``BEGIN``, a read-then-write transaction (publish checks
for an existing snapshot, then inserts) fails with "database is locked" under concurrent writers
(measured here: 730 times in 800). Failures of the database itself are raised as ``StoreError``
(a ``ProjectError``) naming the database without its password.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, create_engine

from metrics.store.schema import upgrade as upgrade_schema
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


class StoreError(ProjectError):
    """The store cannot be reached or read, or a snapshot asked for does not exist."""


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


def _for_writes(engine: Engine) -> Engine:
    """The engine whose transactions start SQLite's ``BEGIN IMMEDIATE`` (see ``_sqlite_setup``)."""
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


def _engine(url: str, schema: str | None) -> Engine:
    """One engine per URL (and schema) for the whole process; the schema brought to its newest
    version on first use (``metrics.store.schema``)."""
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
            upgrade_schema(engine, _for_writes(engine), schema)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise unavailable(url, exc) from exc
        _ENGINES[key] = engine
        return engine


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def unavailable(url: str, exc: BaseException) -> StoreError:
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


class Database:
    """A store database by URL: its engine and its sessions. The records kept in it (snapshots,
    and next directives and audit) are classes built on this one."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        """``schema`` puts the tables in a database schema (PostgreSQL) instead of the default."""
        self.url = url
        self.schema = schema

    @property
    def engine(self) -> Engine:
        return _engine(self.url, self.schema)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A short session; ``write`` starts SQLite's transaction IMMEDIATE (see above)."""
        engine = self.engine
        if write:
            engine = _for_writes(engine)
        try:
            with Session(engine, expire_on_commit=False) as session:
                yield session
        except SQLAlchemyError as exc:
            raise unavailable(self.url, exc) from exc
