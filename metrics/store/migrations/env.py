"""Alembic's environment for the store: run by ``metrics.store.schema`` on the connection it
holds (under the migration lock), never from an ``alembic.ini``."""

from __future__ import annotations

from alembic import context

from metrics.store.tables import StoreModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=StoreModel.metadata,
    version_table="kpi_alembic_version",
    version_table_schema=context.config.attributes.get("schema"),
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
