"""The audit trail: what was done in the app, by whom and when, append-only.

An action and its event are written in one transaction (``record`` takes the action's session),
so neither is kept without the other. Actions are named ``object.verb``: ``snapshot.published``,
``briefing.exported``, ``directive.created``, ``directive.updated``; sign-ins and definition
changes will use the same table, with the file's content hashes before and after.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from metrics.store.engine import Database, default_url
from metrics.store.tables import KpiAuditEvent

if TYPE_CHECKING:
    from metrics.config import Config

ACTIONS = (
    "snapshot.published",
    "briefing.exported",
    "directive.created",
    "directive.updated",
    "account.created",
    "account.reset",
    "account.disabled",
    "sign_in",
    "sign_in.failed",
    "sign_in.locked",
    "sign_in.refused",
)


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_kind: str
    object_id: str
    before_hash: str | None = None
    after_hash: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_kind: str,
    object_id: str | int,
    detail: Mapping[str, Any] | None = None,
    before_hash: str | None = None,
    after_hash: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an event to the action's own transaction (committed with it, or not at all)."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}, not {action!r}")
    session.add(
        KpiAuditEvent(
            at=(at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
            actor=actor,
            action=action,
            object_kind=object_kind,
            object_id=str(object_id),
            before_hash=before_hash,
            after_hash=after_hash,
            detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True),
        )
    )


def _event(row: KpiAuditEvent) -> AuditEvent:
    assert row.id is not None
    return AuditEvent(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        object_kind=row.object_kind,
        object_id=row.object_id,
        before_hash=row.before_hash,
        after_hash=row.after_hash,
        detail=json.loads(row.detail or "{}"),
    )


def open_audit(config: Config) -> Audit:
    """The audit trail of the store the configuration names (see ``default_url``)."""
    return Audit(default_url(config))


class Audit(Database):
    """The audit trail of one store."""

    def record(self, **event: Any) -> None:
        """An event for an action that writes nothing else to the store (a briefing exported)."""
        with self.session(write=True) as session:
            record(session, **event)
            session.commit()

    def events(self, since: dt.date | None = None, limit: int = 1000) -> list[AuditEvent]:
        """Events oldest first, from the start of ``since`` (UTC) when given."""
        query = select(KpiAuditEvent)
        if since is not None:
            start = dt.datetime.combine(since, dt.time(), dt.UTC)
            query = query.where(KpiAuditEvent.at >= start)
        query = query.order_by(KpiAuditEvent.at, KpiAuditEvent.id).limit(limit)  # type: ignore[arg-type]
        with self.session() as session:
            return [_event(row) for row in session.exec(query)]
