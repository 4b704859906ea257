"""SQLite files (``kind: sql`` with ``path``): opened read-only, so never created or written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from sources.kinds.sql import Dialect, register_dialect


@register_dialect
class SqliteDialect(Dialect):
    backends = ("sqlite",)

    def file_engine(self, path: Path) -> sa.Engine:
        uri = path.as_uri() + "?mode=ro"  # read-only: never create or write
        return sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True),
            poolclass=NullPool,
        )
