"""The project's own database: published snapshots of a deck's figures, the board's directives
and the audit trail, in SQLModel tables prefixed ``kpi_``.

- :mod:`~metrics.store.engine`: engines, sessions, the database URL and ``StoreError``;
- :mod:`~metrics.store.schema`: the schema's versions (Alembic), applied on first use;
- :mod:`~metrics.store.tables`: the tables;
- :mod:`~metrics.store.snapshots`: publishing and reading snapshots (``Store``);
- :mod:`~metrics.store.directives`: directives and their updates (``Directives``);
- :mod:`~metrics.store.audit`: the audit trail (``Audit``, ``record``);
- :mod:`~metrics.store.accounts`: accounts for password sign-in (``Accounts``).

Only ``dashboard/data.py`` opens a store on the dashboard's side (``tests/test_rooms.py``).
"""

from __future__ import annotations

from metrics.store.accounts import USER_ROLES, Account, Accounts, open_accounts
from metrics.store.audit import ACTIONS, Audit, AuditEvent, open_audit
from metrics.store.directives import (
    CLOSED,
    OVERDUE,
    STATUSES,
    Directive,
    Directives,
    DirectiveUpdate,
    check_status,
)
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
from metrics.store.tables import (
    KpiAccount,
    KpiAuditEvent,
    KpiDirective,
    KpiDirectiveUpdate,
    KpiSnapshot,
    KpiSnapshotValue,
    StoreModel,
)

__all__ = [
    "ACTIONS",
    "CLOSED",
    "ENV_URL",
    "MAX_ID",
    "OVERDUE",
    "ROLES",
    "STATUSES",
    "STORE_FILE",
    "USER_ROLES",
    "Account",
    "Accounts",
    "Audit",
    "AuditEvent",
    "Database",
    "Directive",
    "DirectiveUpdate",
    "Directives",
    "KpiAccount",
    "KpiAuditEvent",
    "KpiDirective",
    "KpiDirectiveUpdate",
    "KpiSnapshot",
    "KpiSnapshotValue",
    "Published",
    "Snapshot",
    "SnapshotInfo",
    "SnapshotValue",
    "Store",
    "StoreError",
    "StoreModel",
    "check_status",
    "content_digest",
    "default_url",
    "open_accounts",
    "open_audit",
    "open_store",
]
