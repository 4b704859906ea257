"""Freshness against the cadence on literal dates, and each health status through the catalogue."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sources.health import deadline, lateness
from tests.sources_support import AS_OF, catalog, source

D = dt.date


@pytest.mark.parametrize(
    ("cadence", "day", "start", "due"),
    [
        ("daily", 1, D(2025, 11, 13), D(2025, 11, 14)),
        ("weekly", 1, D(2025, 11, 3), D(2025, 11, 10)),
        ("monthly", 5, D(2025, 10, 1), D(2025, 11, 5)),
        ("monthly", 1, D(2025, 12, 1), D(2026, 1, 1)),
        ("quarterly", 15, D(2025, 7, 1), D(2025, 10, 15)),
        ("yearly", 28, D(2024, 1, 1), D(2025, 1, 28)),
    ],
)
def test_deadlines(cadence: str, day: int, start: dt.date, due: dt.date) -> None:
    assert deadline(start, cadence, day) == due  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("newest", "cadence", "day", "expected"),
    [
        # records of 13/11 (the demo's last day) are on time for a daily source on 14/11
        (D(2025, 11, 13), "daily", 1, ("ok", 0)),
        (
            D(2025, 11, 12),
            "daily",
            1,
            ("ok", 0),
        ),  # 13/11's data is due by the end of 14/11
        (D(2025, 11, 11), "daily", 1, ("late", 1)),  # 12/11's was due on 13/11
        (D(2025, 11, 10), "daily", 1, ("stale", 2)),
        (
            D(2025, 11, 3),
            "weekly",
            1,
            ("ok", 0),
        ),  # week of 3/11 is due on Monday 10/11 ...
        (
            D(2025, 11, 2),
            "weekly",
            1,
            ("late", 4),
        ),  # ... so a week ending 2/11 misses 10/11
        (D(2025, 10, 20), "weekly", 1, ("stale", 11)),
        (D(2025, 10, 31), "monthly", 5, ("ok", 0)),  # October is in, November due 5/12
        (D(2025, 10, 1), "monthly", 5, ("ok", 0)),
        (D(2025, 9, 30), "monthly", 5, ("late", 9)),  # October was due on 5/11
        (
            D(2025, 8, 15),
            "monthly",
            5,
            ("stale", 40),
        ),  # September due 5/10, October 5/11
        (D(2025, 11, 20), "monthly", 5, ("ok", 0)),  # data ahead of the as-of day
        (D(2025, 9, 30), "quarterly", 15, ("ok", 0)),  # Q4 due 15/01/2026
        (D(2025, 6, 30), "quarterly", 15, ("late", 30)),  # Q3 was due on 15/10
        (D(2024, 12, 31), "yearly", 1, ("ok", 0)),
        (D(2023, 12, 31), "yearly", 1, ("late", 317)),  # 2024 was due on 1/1/2025
        (dt.datetime(2025, 11, 13, 23, 59), "daily", 1, ("ok", 0)),
    ],
)
def test_lateness_of_data_dates(
    newest: dt.date, cadence: str, day: int, expected: tuple[str, int]
) -> None:
    assert lateness(newest, AS_OF, cadence, day) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "cadence", "day", "expected"),
    [
        (
            D(2025, 11, 3),
            "monthly",
            5,
            ("ok", 0),
        ),  # written in November: October delivered
        (
            D(2025, 10, 28),
            "monthly",
            5,
            ("late", 9),
        ),  # written in October: October missing
        (D(2025, 9, 28), "monthly", 5, ("stale", 40)),
        (D(2025, 11, 13), "daily", 1, ("ok", 0)),  # written on 13/11: 12/11 delivered
        (D(2025, 11, 12), "daily", 1, ("late", 1)),
        (D(2026, 11, 25), "monthly", 5, ("ok", 0)),  # generated after the as-of day
    ],
)
def test_lateness_of_file_times(
    written: dt.date, cadence: str, day: int, expected: tuple[str, int]
) -> None:
    assert lateness(written, AS_OF, cadence, day, file_time=True) == expected  # type: ignore[arg-type]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "data"
    root.mkdir()
    (root / "reports.csv").write_text(
        "unit,submitted_on\nso_y_te,2025-09-20\nso_tu_phap,2025-10-31\n"
    )
    (root / "broken.csv").write_text("unit,submitted_on\nso_y_te,31/10/2025\n")
    old = root / "old.csv"
    old.write_text("unit,submitted_on\nso_y_te,2025-10-31\n")
    stamp = dt.datetime(2025, 9, 2, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
    os.utime(old, (stamp, stamp))
    return root


def test_each_status_through_the_catalogue(root: Path) -> None:
    columns = {"unit": "str", "submitted_on": "date"}
    by_column = {"column": "submitted_on", "cadence": "monthly", "day": 5}
    books = catalog(
        root,
        source("reports", path="reports.csv", columns=columns, freshness=by_column),
        source(
            "reports_daily",
            path="reports.csv",
            columns=columns,
            freshness={**by_column, "cadence": "daily"},
        ),
        source(
            "by_file_time",
            path="old.csv",
            columns=columns,
            freshness={"cadence": "monthly", "day": 5},
        ),
        source("broken", path="broken.csv", columns=columns, freshness=by_column),
        source(
            "closed",
            path="closed.csv",
            columns=columns,
            sharing={"status": "refused", "reason": "Bảo mật"},
        ),
    )
    health = {item.id: item for item in books.health(AS_OF)}
    summary = {name: (h.status, h.rows, h.late_by) for name, h in health.items()}
    assert summary == {
        "reports": ("ok", 2, 0),
        "reports_daily": ("stale", 2, 12),  # 1/11 was due on 2/11
        "by_file_time": ("stale", 1, 40),  # written 2/9: September and October missing
        "broken": ("failed", None, None),
        "closed": ("refused", None, None),
    }
    assert health["reports"].newest == D(2025, 10, 31)
    assert health["by_file_time"].newest == dt.datetime(2025, 9, 2, 10, 0)  # Hanoi time
    assert health["by_file_time"].file_time == dt.datetime(2025, 9, 2, 10, 0)
    assert health["reports"].last_read is not None
    assert health["closed"].as_dict("vi") == {
        "id": "closed",
        "kind": "csv",
        "status": "refused",
        "rows": None,
        "newest": None,
        "late_by": None,
        "error": "warning: nguồn 'closed': đơn vị 'so_y_te' từ chối chia sẻ dữ liệu này: Bảo mật",
    }
    assert health["reports"].as_dict("en")["newest"] == "2025-10-31"


def test_a_declared_freshness_column_without_values_is_stale(root: Path) -> None:
    (root / "empty.csv").write_text("unit,submitted_on\n")
    spec = source(
        path="empty.csv",
        columns={"unit": "str", "submitted_on": "date?"},
        freshness={"column": "submitted_on"},
    )
    [health] = catalog(root, spec).health(AS_OF)
    assert (health.status, health.rows, health.newest, health.late_by) == (
        "stale",
        0,
        None,
        None,
    )


def test_a_freshness_column_must_be_a_date(root: Path) -> None:
    spec = source(
        path="reports.csv",
        columns={"unit": "str", "submitted_on": "str"},
        freshness={"column": "submitted_on"},
    )
    [health] = catalog(root, spec).health(AS_OF)
    assert health.status == "failed"
    assert health.error is not None
    assert health.error.render("en") == (
        "error: source 's': freshness column 'submitted_on' must be a date or datetime column "
        "of the contract"
    )


def test_health_as_of_a_past_day_ignores_later_values(root: Path) -> None:
    (root / "later.csv").write_text(
        "unit,submitted_on,at\n"
        "a,2025-11-10,2025-11-14 23:30:00\n"
        "b,2025-11-20,2025-11-15 00:00:00\n"
        "c,2026-01-31,2025-11-20 08:00:00\n"
    )
    columns = {"unit": "str", "submitted_on": "date", "at": "datetime"}
    books = catalog(
        root,
        source(
            "dates",
            path="later.csv",
            columns=columns,
            freshness={"column": "submitted_on", "cadence": "daily"},
        ),
        source(
            "times",
            path="later.csv",
            columns=columns,
            freshness={"column": "at", "cadence": "daily"},
        ),
    )
    health = {item.id: item for item in books.health(AS_OF)}
    # as of 14/11 the data of 20/11 did not exist: 11/11 (due 12/11) and 12/11 are missing
    assert (health["dates"].status, health["dates"].newest, health["dates"].late_by) == (
        "stale",
        D(2025, 11, 10),
        2,
    )
    assert (health["times"].status, health["times"].newest) == (
        "ok",
        dt.datetime(2025, 11, 14, 23, 30),
    )
    later = {item.id: item for item in books.health(D(2025, 11, 25))}
    assert (later["dates"].status, later["dates"].newest) == ("stale", D(2025, 11, 20))
    assert later["times"].newest == dt.datetime(2025, 11, 20, 8)
    early = {item.id: item for item in books.health(D(2025, 11, 1))}
    assert (early["dates"].status, early["dates"].newest, early["dates"].late_by) == (
        "stale",
        None,
        None,
    )


def test_a_file_written_after_the_day_is_not_counted(root: Path) -> None:
    """Viewed as of a past day, a source is never "updated" on a later day."""
    written = dt.datetime(2025, 12, 3, 9, 0)
    stamp = written.replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
    os.utime(root / "reports.csv", (stamp, stamp))
    spec = source(path="reports.csv", columns={"unit": "str"}, freshness={"cadence": "daily"})
    [health] = catalog(root, spec).health(AS_OF)
    assert (health.status, health.newest, health.file_time) == ("unknown", None, None)
    [later] = catalog(root, spec).health(dt.date(2025, 12, 3))
    assert (later.status, later.newest) == ("ok", written)


def test_of_several_files_only_those_written_by_the_day_count(root: Path) -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    (root / "monthly").mkdir()
    for name, written in (
        ("a.csv", dt.datetime(2025, 11, 3, 8)),
        ("b.csv", dt.datetime(2025, 12, 2, 8)),
    ):
        (root / "monthly" / name).write_text("unit\nx\n", encoding="utf-8")
        stamp = written.replace(tzinfo=zone).timestamp()
        os.utime(root / "monthly" / name, (stamp, stamp))
    spec = source(path="monthly/*.csv", columns={"unit": "str"}, freshness={"cadence": "monthly"})
    [health] = catalog(root, spec).health(AS_OF)
    assert (health.status, health.newest) == ("ok", dt.datetime(2025, 11, 3, 8))
