"""SQLite files (``kind: sql`` with ``path``): opened read-only, so never created or written,
with ``query_only`` on and a progress handler that stops a read past its timeout."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from sources.kinds.sql import Dialect, register_dialect


@register_dialect
class SqliteDialect(Dialect):
    backends = ("sqlite",)
    sqlglot = "sqlite"

    def file_engine(self, path: Path) -> sa.Engine:
        uri = path.as_uri() + "?mode=ro"  # read-only: never create or write
        return sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True),
            poolclass=NullPool,
        )

    def limit(self, connection: sa.Connection, seconds: float) -> None:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("PRAGMA query_only = ON")
        deadline = time.monotonic() + seconds
        # called every 10,000 virtual-machine steps; a true result interrupts the statement
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)

    def timed_out(self, error: BaseException) -> bool:
        return isinstance(error, sqlite3.OperationalError) and "interrupted" in str(error)
