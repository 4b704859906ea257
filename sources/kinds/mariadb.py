"""MariaDB and MySQL sources: read-only sessions, a statement timeout, a bounded wait to connect."""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa

from sources.kinds.sql import Dialect, register_dialect


def _read_only_session(dbapi_connection: object, record: object) -> None:
    """Make a connection's transactions read-only from the start."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
    finally:
        cursor.close()


@register_dialect
class MariadbDialect(Dialect):
    backends = ("mysql", "mariadb")
    driver_package = "pymysql"
    connect_args: ClassVar[dict[str, object]] = {
        "connect_timeout": 10
    }  # fail fast rather than hang a page

    sqlglot = "mysql"

    def prepare(self, engine: sa.Engine) -> None:
        sa.event.listen(engine, "connect", _read_only_session)

    def limit(self, connection: sa.Connection, seconds: float) -> None:
        # MariaDB's max_statement_time (seconds); MySQL's max_execution_time (ms) would be the
        # equivalent there, but MySQL is read through the same module without a timeout of its own.
        connection.execute(sa.text("SET SESSION max_statement_time = :s"), {"s": seconds})

    def timed_out(self, error: BaseException) -> bool:
        code = error.args[0] if getattr(error, "args", None) else None
        return code == 1969  # ER_STATEMENT_TIMEOUT: max_statement_time exceeded
