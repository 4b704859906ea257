"""The project's own database: published snapshots of a deck's figures (next: directives and an
audit trail), in SQLModel tables prefixed ``kpi_``.

- :mod:`~metrics.store.engine`: engines, sessions, the database URL and ``StoreError``;
- :mod:`~metrics.store.tables`: the tables;
- :mod:`~metrics.store.snapshots`: publishing and reading snapshots (``Store``).

Only ``dashboard/data.py`` opens a store on the dashboard's side (``tests/test_rooms.py``).
"""

from __future__ import annotations

from metrics.store.engine import ENV_URL, STORE_FILE, Database, StoreError, default_url
from metrics.store.snapshots import (
    MAX_ID,
    ROLES,
    Published,
    Snapshot,
    SnapshotInfo,
    SnapshotValue,
    Store,
    content_digest,
    open_store,
)
from metrics.store.tables import KpiSnapshot, KpiSnapshotValue, StoreModel

__all__ = [
    "ENV_URL",
    "MAX_ID",
    "ROLES",
    "STORE_FILE",
    "Database",
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
