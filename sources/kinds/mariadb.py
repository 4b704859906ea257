"""MariaDB and MySQL sources: read-only sessions, a bounded wait for the server."""

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

    def prepare(self, engine: sa.Engine) -> None:
        sa.event.listen(engine, "connect", _read_only_session)
