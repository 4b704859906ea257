"""The board's directives and the audit trail, on SQLite and on a real PostgreSQL: a conclusion
recorded during a meeting is listed the next day with its deadline, overdue the day after it if
not done, its history says who changed what and when; every action leaves one audit event,
written with the action or not at all, even when the process is killed mid-write."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from metrics.store import (
    OVERDUE,
    Audit,
    Directives,
    KpiAuditEvent,
    KpiDirective,
    KpiDirectiveUpdate,
    KpiSnapshot,
    KpiSnapshotValue,
    Store,
    StoreError,
)
from tests.conftest import PG_URL, REPO
from tests.test_store import publish, store  # noqa: F401 (the fixture)

MEETING = dt.datetime(2025, 11, 14, 9, 30, tzinfo=dt.UTC)
DUE = dt.date(2025, 11, 30)


def _directives(store: Store) -> Directives:  # noqa: F811
    return Directives(store.url, schema=store.schema)


def _add(directives: Directives, **changes: object):
    args = {
        "text": "Sở Y tế mở kết nối dữ liệu khám chữa bệnh trước 30/11",
        "metric": "datasets_shared_rate",
        "unit": "so_y_te",
        "responsible": "so_y_te",
        "due": DUE,
        "given_by": "Bí thư Thành ủy",
        "now": MEETING,
        **changes,
    }
    return directives.add(**args)  # type: ignore[arg-type]


def test_a_conclusion_is_listed_then_overdue_with_its_history(store: Store) -> None:  # noqa: F811
    snapshot = publish(store).snapshot
    directives = _directives(store)
    given = _add(directives, snapshot_id=snapshot.id)
    assert given.status == "open" and given.snapshot_id == snapshot.id

    [listed] = directives.find(as_of=dt.date(2025, 11, 15))
    assert listed.id == given.id and listed.due == DUE and listed.status_on(DUE) == "open"
    assert directives.find(status=OVERDUE, as_of=DUE) == []
    [late] = directives.find(status=OVERDUE, as_of=DUE + dt.timedelta(days=1))
    assert late.id == given.id and late.days_overdue(dt.date(2025, 12, 3)) == 3

    at = MEETING + dt.timedelta(days=2)
    directives.update(given.id, by="Sở Y tế", status="in_progress", text="Đang ký kết", now=at)
    done_at = MEETING + dt.timedelta(days=20)
    evidence = "https://hanoi.gov.vn/ket-noi/so-y-te"
    directives.update(given.id, by="Sở Y tế", status="done", evidence=evidence, now=done_at)
    history = directives.get(given.id)
    assert [(u.by, u.status_before, u.status_after) for u in history.updates] == [
        ("Sở Y tế", "open", "in_progress"),
        ("Sở Y tế", "in_progress", "done"),
    ]
    assert history.updates[0].at == at and history.evidence == evidence
    assert history.status_on(dt.date(2026, 1, 1)) == "done"  # done is never overdue
    assert directives.find(status=OVERDUE, as_of=dt.date(2026, 1, 1)) == []


def test_lists_narrow_by_unit_metric_and_status(store: Store) -> None:  # noqa: F811
    directives = _directives(store)
    health = _add(directives)
    finance = _add(
        directives,
        responsible="so_tai_chinh",
        metric="st_disbursement_rate",
        due=DUE.replace(day=20),
    )
    directives.update(finance.id, by="Sở Tài chính", status="cancelled")
    day = dt.date(2025, 12, 1)
    assert [d.id for d in directives.find(as_of=day)] == [finance.id, health.id]  # by due date
    assert [d.id for d in directives.find(responsible="so_y_te", as_of=day)] == [health.id]
    assert [d.id for d in directives.find(metric="st_disbursement_rate")] == [finance.id]
    assert [d.id for d in directives.find(status="cancelled", as_of=day)] == [finance.id]
    assert [d.id for d in directives.find(status=OVERDUE, as_of=day)] == [health.id]


def _count(store: Store, table: type) -> int:  # noqa: F811
    with store.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()[0]


def test_refusals_name_the_fault_and_write_nothing(store: Store) -> None:  # noqa: F811
    directives = _directives(store)
    given = _add(directives)
    before = [_count(store, t) for t in (KpiDirective, KpiDirectiveUpdate, KpiAuditEvent)]
    with pytest.raises(StoreError) as caught:
        directives.update(given.id, by="x", status="finished")
    assert "unknown status 'finished'" in caught.value.render("en")
    assert "open, in_progress, done, cancelled" in caught.value.render("en")
    with pytest.raises(StoreError, match="there is no directive 999"):
        directives.update(999, by="x", status="done")
    with pytest.raises(StoreError, match="no published snapshot 77"):
        _add(directives, snapshot_id=77)
    with pytest.raises(StoreError):
        _add(directives, text="   ")
    with pytest.raises(StoreError):
        _add(directives, period=(dt.date(2025, 12, 1), dt.date(2025, 11, 1)))
    after = [_count(store, t) for t in (KpiDirective, KpiDirectiveUpdate, KpiAuditEvent)]
    assert after == before


def test_every_action_leaves_one_audit_event(store: Store) -> None:  # noqa: F811
    snapshot = publish(store).snapshot
    publish(store)  # the same snapshot again: nothing new, no event
    directives = _directives(store)
    given = _add(directives, snapshot_id=snapshot.id, now=None)  # in the order they happen
    directives.update(given.id, by="Sở Y tế", status="done")
    audit = Audit(store.url, schema=store.schema)
    audit.record(actor="Văn phòng", action="briefing.exported", object_kind="board", object_id="b")
    events = audit.events()
    assert [(e.action, e.object_id) for e in events] == [
        ("snapshot.published", str(snapshot.id)),
        ("directive.created", str(given.id)),
        ("directive.updated", str(given.id)),
        ("briefing.exported", "b"),
    ]
    assert events[0].actor == "Văn phòng Thành ủy" and events[2].detail == {
        "status": ["open", "done"]
    }
    assert audit.events(since=dt.date.today() + dt.timedelta(days=1)) == []


def test_an_upgrade_from_the_first_revision_keeps_the_snapshots_for_directives(
    tmp_path: Path,
) -> None:
    from sqlalchemy import create_engine

    from metrics.store import schema as versions

    url = f"sqlite:///{tmp_path / 'first.sqlite'}"
    engine = create_engine(url)
    versions.upgrade(engine, engine, to=versions.FIRST_REVISION)
    with engine.begin() as connection:  # a snapshot and a figure, as the first store kept them
        connection.exec_driver_sql(
            "INSERT INTO kpi_snapshot (label, board_id, as_of, grain, config_hash, author, "
            "created_at, digest, layout) VALUES ('Hội nghị', 'b', '2025-11-14', 'month', 'h', "
            "'a', '2025-11-14 08:00:00.000000', 'd', '{}')"
        )
        connection.exec_driver_sql(
            "INSERT INTO kpi_snapshot_value (snapshot_id, position, role, metric, dimensions, "
            "value, status) VALUES (1, 0, 'card', 'm', '{}', 12.5, 'off_track')"
        )
    engine.dispose()
    store = Store(url)  # noqa: F811 (upgrades to the newest revision)
    kept = store.read(1)
    assert kept.info.label == "Hội nghị" and kept.values[0].value == 12.5
    assert _add(_directives(store), snapshot_id=1).snapshot_id == 1


# --------------------------------------------------------------------------- killed mid-write

_WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    sys.path.insert(0, {repo!r})
    from metrics.store import Directives, SnapshotValue, Store
    store = Store({url!r}, schema={schema!r})
    directives = Directives({url!r}, schema={schema!r})
    day = dt.date(2025, 11, 14)
    print("ready", flush=True)
    k = 0
    while True:
        k += 1
        values = [SnapshotValue(0, "card", f"m{{i}}", day, day, float(k), 0.0, 0.0, "ok", None)
                  for i in range(60)]
        store.publish(label=f"{{sys.argv[1]}} {{k}}", board_id="b", as_of=day, grain="month",
                      config_hash="h", author="a", layout={{}}, values=values)
        d = directives.add(text="t", metric="m", responsible="u", due=day, given_by="g")
        directives.update(d.id, by="u", status="in_progress", text="n")
    """
)


def _whole(url: str, schema: str | None) -> None:
    """Only whole records: every snapshot has all its figures and its event; every directive's
    status is its last update's, and each directive and update has its event."""
    store = Store(url, schema=schema)  # noqa: F811
    with store.session() as session:
        sizes = session.exec(
            select(KpiSnapshot.id, func.count(KpiSnapshotValue.id))
            .join(KpiSnapshotValue, KpiSnapshotValue.snapshot_id == KpiSnapshot.id, isouter=True)
            .group_by(KpiSnapshot.id)
        ).all()
        assert {n for _, n in sizes} <= {60}, sizes
        directives = session.scalars(select(KpiDirective)).all()
        updates = session.scalars(select(KpiDirectiveUpdate)).all()
        events = session.scalars(select(KpiAuditEvent)).all()
    last = {u.directive_id: u.status_after for u in updates}
    assert all(d.status == last.get(d.id, "open") for d in directives)
    by_action: dict[str, int] = {}
    for event in events:
        by_action[event.action] = by_action.get(event.action, 0) + 1
    assert by_action.get("snapshot.published", 0) == len(sizes)
    assert by_action.get("directive.created", 0) == len(directives)
    assert by_action.get("directive.updated", 0) == len(updates)


def _kill_repeatedly(url: str, schema: str | None, times: int, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(repo=str(REPO), url=url, schema=schema), encoding="utf-8")
    Store(url, schema=schema).list_snapshots()  # the schema made once, before the kills
    chance = random.Random(57)
    for attempt in range(times):
        writer = subprocess.Popen(
            [sys.executable, str(script), f"run {attempt}"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(chance.uniform(0.0, 0.25))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        _whole(url, schema)


def test_a_writer_killed_at_random_leaves_only_whole_records_on_sqlite(tmp_path: Path) -> None:
    _kill_repeatedly(f"sqlite:///{tmp_path / 'killed.sqlite'}", None, 30, tmp_path)


def test_a_writer_killed_at_random_leaves_only_whole_records_on_postgresql(
    pg_schema: str, tmp_path: Path
) -> None:
    _kill_repeatedly(PG_URL, pg_schema, 20, tmp_path)  # 50 kills with the SQLite test
