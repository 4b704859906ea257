"""PostgreSQL sources: read-only transactions, a statement timeout, a bounded wait to connect."""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa

from sources.kinds.sql import Dialect, register_dialect


@register_dialect
class PostgresqlDialect(Dialect):
    backends = ("postgresql",)
    driver_package = "psycopg[binary]"
    connect_args: ClassVar[dict[str, object]] = {
        "connect_timeout": 10,  # fail fast rather than hang a page
        # every transaction of the session read-only, even one begun after a smuggled COMMIT
        "options": "-c default_transaction_read_only=on",
    }

    sqlglot = "postgres"

    def limit(self, connection: sa.Connection, seconds: float) -> None:
        connection.execution_options(postgresql_readonly=True)  # BEGIN ... READ ONLY
        # set_config(..., true) is SET LOCAL: this transaction only, the value bound
        connection.execute(
            sa.text("SELECT set_config('statement_timeout', :ms, true)"),
            {"ms": str(max(1, round(seconds * 1000)))},
        )

    def timed_out(self, error: BaseException) -> bool:
        return getattr(error, "sqlstate", None) == "57014"  # query_canceled
