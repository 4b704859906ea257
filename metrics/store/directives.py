"""The board's directives (chỉ đạo / kết luận) and their history.

A directive is about a metric (and optionally a unit, a task and a period), names the unit that
must act and a due date, and may be given at a meeting (a published snapshot). Its status is
one of ``STATUSES``; *overdue* is read against a date (``Directive.status_on``), never stored,
so a directive is overdue the day after its deadline without anyone writing anything. Every
change is an update row (append-only: text, status before and after, evidence, who, when),
written in one transaction with the directive's new status and its audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from metrics.store.audit import record
from metrics.store.engine import Database, StoreError
from metrics.store.snapshots import MAX_ID
from metrics.store.tables import KpiDirective, KpiDirectiveUpdate, KpiSnapshot
from sources.problems import Problem, did_you_mean, register_messages

register_messages(
    {
        "directive.unknown_status": {
            "vi": "tình trạng '{status}' không hợp lệ; dùng một trong: {allowed}",
            "en": "unknown status '{status}'; use one of: {allowed}",
        },
        "directive.not_found": {
            "vi": "không có chỉ đạo số {id}",
            "en": "there is no directive {id}",
        },
        "directive.empty_text": {
            "vi": "nội dung chỉ đạo không được để trống",
            "en": "the directive's text must not be empty",
        },
        "directive.bad_period": {
            "vi": "kỳ không hợp lệ: ngày bắt đầu {start} sau ngày kết thúc {end}",
            "en": "invalid period: it starts on {start}, after its end {end}",
        },
    }
)

STATUSES = ("open", "in_progress", "done", "cancelled")
CLOSED = ("done", "cancelled")
OVERDUE = "overdue"  # a status read against a date, never stored
MAX_TEXT = 4000


@dataclass(frozen=True)
class DirectiveUpdate:
    at: dt.datetime
    by: str
    text: str | None
    status_before: str | None
    status_after: str | None
    evidence: str | None


@dataclass(frozen=True)
class Directive:
    id: int
    text: str
    metric: str
    unit: str | None
    task_id: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    responsible: str
    due: dt.date
    status: str
    given_by: str
    snapshot_id: int | None
    created_at: dt.datetime
    updates: tuple[DirectiveUpdate, ...] = ()

    def status_on(self, day: dt.date) -> str:
        """The status as of ``day``: ``overdue`` when past its due date and not closed."""
        if self.status not in CLOSED and day > self.due:
            return OVERDUE
        return self.status

    def days_overdue(self, day: dt.date) -> int:
        return (day - self.due).days if self.status_on(day) == OVERDUE else 0

    @property
    def evidence(self) -> str | None:
        """The latest evidence of completion given (minh chứng)."""
        return next((u.evidence for u in reversed(self.updates) if u.evidence), None)


def check_status(status: str) -> str:
    """``status`` if it is one of ``STATUSES``; a ``StoreError`` naming the allowed ones."""
    if status not in STATUSES:
        raise StoreError(
            Problem(
                "directive.unknown_status",
                {"status": status, "allowed": ", ".join(STATUSES)},
                suggestion=did_you_mean(status, STATUSES),
            )
        )
    return status


def _directive(row: KpiDirective, updates: list[KpiDirectiveUpdate]) -> Directive:
    assert row.id is not None
    return Directive(
        id=row.id,
        text=row.text,
        metric=row.metric,
        unit=row.unit,
        task_id=row.task_id,
        period_start=row.period_start,
        period_end=row.period_end,
        responsible=row.responsible,
        due=row.due,
        status=row.status,
        given_by=row.given_by,
        snapshot_id=row.snapshot_id,
        created_at=row.created_at,
        updates=tuple(
            DirectiveUpdate(u.at, u.by, u.text, u.status_before, u.status_after, u.evidence)
            for u in updates
        ),
    )


class Directives(Database):
    """The directives of one store."""

    def add(
        self,
        *,
        text: str,
        metric: str,
        responsible: str,
        due: dt.date,
        given_by: str,
        unit: str | None = None,
        task_id: str | None = None,
        period: tuple[dt.date, dt.date] | None = None,
        snapshot_id: int | None = None,
        now: dt.datetime | None = None,
    ) -> Directive:
        """Record a directive (status ``open``) and its audit event; the new directive."""
        text = text.strip()
        if not text:
            raise StoreError(Problem("directive.empty_text"))
        if period is not None and period[0] > period[1]:
            start, end = (d.isoformat() for d in period)
            raise StoreError(Problem("directive.bad_period", {"start": start, "end": end}))
        at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        with self.session(write=True) as session:
            if snapshot_id is not None and (
                not 0 < snapshot_id <= MAX_ID or session.get(KpiSnapshot, snapshot_id) is None
            ):
                raise StoreError(Problem("store.not_found", {"id": snapshot_id}))
            row = KpiDirective(
                text=text[:MAX_TEXT],
                metric=metric,
                unit=unit,
                task_id=task_id,
                period_start=period[0] if period else None,
                period_end=period[1] if period else None,
                responsible=responsible,
                due=due,
                status="open",
                given_by=given_by,
                snapshot_id=snapshot_id,
                created_at=at,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            record(
                session,
                actor=given_by,
                action="directive.created",
                object_kind="directive",
                object_id=row.id,
                detail={"metric": metric, "responsible": responsible, "due": due.isoformat()},
                at=at,
            )
            session.commit()
            return _directive(row, [])

    def update(
        self,
        directive_id: int,
        *,
        by: str,
        status: str | None = None,
        text: str | None = None,
        evidence: str | None = None,
        now: dt.datetime | None = None,
    ) -> Directive:
        """Append an update (a note, a new status, evidence) and its audit event."""
        if status is not None:
            check_status(status)
        at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        with self.session(write=True) as session:
            row = self._row(session, directive_id, lock=True)
            before = row.status
            session.add(
                KpiDirectiveUpdate(
                    directive_id=directive_id,
                    at=at,
                    by=by,
                    text=text.strip()[:MAX_TEXT] if text and text.strip() else None,
                    status_before=before if status else None,
                    status_after=status,
                    evidence=evidence.strip()[:1000] if evidence and evidence.strip() else None,
                )
            )
            if status is not None:
                row.status = status
                session.add(row)
            record(
                session,
                actor=by,
                action="directive.updated",
                object_kind="directive",
                object_id=directive_id,
                detail={"status": [before, status or before]},
                at=at,
            )
            session.commit()
        return self.get(directive_id)

    def get(self, directive_id: int) -> Directive:
        """One directive with its updates, oldest first."""
        with self.session() as session:
            row = self._row(session, directive_id)
            return _directive(row, self._updates(session, [directive_id]).get(directive_id, []))

    def find(
        self,
        *,
        responsible: str | None = None,
        metric: str | None = None,
        status: str | None = None,
        as_of: dt.date | None = None,
    ) -> list[Directive]:
        """Directives by due date (then id), narrowed by the unit that must act, the metric and
        the status as of ``as_of`` (``overdue`` included; today when not given)."""
        if status is not None and status != OVERDUE:
            check_status(status)
        query = select(KpiDirective)
        if responsible is not None:
            query = query.where(KpiDirective.responsible == responsible)
        if metric is not None:
            query = query.where(KpiDirective.metric == metric)
        query = query.order_by(KpiDirective.due, KpiDirective.id)  # type: ignore[arg-type]
        with self.session() as session:
            rows = session.exec(query).all()
            updates = self._updates(session, [r.id for r in rows if r.id is not None])
            found = [_directive(r, updates.get(r.id, [])) for r in rows if r.id is not None]
        day = as_of or dt.date.today()
        return [d for d in found if status is None or d.status_on(day) == status]

    @staticmethod
    def _row(session: Session, directive_id: int, *, lock: bool = False) -> KpiDirective:
        if not 0 < directive_id <= MAX_ID:
            raise StoreError(Problem("directive.not_found", {"id": directive_id}))
        query = select(KpiDirective).where(KpiDirective.id == directive_id)
        row = session.exec(query.with_for_update() if lock else query).first()
        if row is None:
            raise StoreError(Problem("directive.not_found", {"id": directive_id}))
        return row

    @staticmethod
    def _updates(session: Session, ids: list[int]) -> dict[int, list[KpiDirectiveUpdate]]:
        if not ids:
            return {}
        query = (
            select(KpiDirectiveUpdate)
            .where(KpiDirectiveUpdate.directive_id.in_(ids))  # type: ignore[union-attr]
            .order_by(KpiDirectiveUpdate.at, KpiDirectiveUpdate.id)  # type: ignore[arg-type]
        )
        found: dict[int, list[KpiDirectiveUpdate]] = {}
        for row in session.exec(query):
            found.setdefault(row.directive_id, []).append(row)
        return found
