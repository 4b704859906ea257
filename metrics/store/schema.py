"""The store's schema versions: Alembic migrations in ``migrations/versions/``, applied when a
process first opens the store, by one process at a time.

The store is the product's own data (the board's snapshots, next its directives) and must
outlive every upgrade, so its tables are never made with ``create_all``: each change is a
revision, and a store is brought to the newest one under a lock (PostgreSQL: an advisory lock
held by the migrating transaction; SQLite: the migrating transaction starts ``BEGIN
IMMEDIATE``, the database's one writer). Before taking the lock a process looks whether the
store is already current, so a store in use costs one read per process. A store made before
there were versions (its tables there, no version table) is stamped with the first revision,
whose tables are the ones it has, then upgraded.

To change the schema: change ``tables.py``, then add a revision file to
``migrations/versions/`` (``down_revision`` the last one) that makes the same change;
``tests/test_store_schema.py`` fails while the newest revision and the tables disagree.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "kpi_alembic_version"
FIRST_REVISION = "0001"
FIRST_TABLE = "kpi_snapshot"  # a store made before versions has this table and no version


def _alembic(connection: Connection, schema: str | None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["schema"] = schema
    return config


def head() -> str:
    """The newest revision."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    revision = ScriptDirectory.from_config(config).get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection, schema: str | None) -> str | None:
    """The store's revision; None for a store without a version (new, or made before them)."""
    opts = {"version_table": VERSION_TABLE, "version_table_schema": schema}
    return MigrationContext.configure(connection, opts=opts).get_current_revision()


def _lock(connection: Connection, schema: str | None) -> None:
    """Hold the migration lock until the connection's transaction ends."""
    if connection.dialect.name == "postgresql":
        key = f"kpi_store_schema:{schema or ''}"
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    # SQLite: the transaction began IMMEDIATE, which is the lock


def upgrade(engine: Engine, writes: Engine, schema: str | None = None, to: str = "heads") -> None:
    """Bring the store to ``to`` (the newest revision by default), one process at a time.

    ``writes`` is the engine whose transactions take SQLite's write lock (``engine`` itself
    for PostgreSQL), used for the migration; ``engine`` for the look before it."""
    newest = head() if to == "heads" else to
    with engine.connect() as connection:
        if current(connection, schema) == newest:
            return
    with writes.begin() as connection:
        _lock(connection, schema)
        found = current(connection, schema)
        if found == newest:  # another process did it while this one waited
            return
        config = _alembic(connection, schema)
        if found is None and inspect(connection).has_table(FIRST_TABLE, schema=schema):
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, to)
