"""PostgreSQL sources: read-only transactions, a bounded wait for the server."""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa

from sources.kinds.sql import Dialect, register_dialect


@register_dialect
class PostgresqlDialect(Dialect):
    backends = ("postgresql",)
    driver_package = "psycopg[binary]"
    connect_args: ClassVar[dict[str, object]] = {
        "connect_timeout": 10
    }  # fail fast rather than hang a page

    def begin(self, connection: sa.Connection) -> None:
        connection.execution_options(postgresql_readonly=True)
