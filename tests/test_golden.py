"""Golden results for a small fixture configuration, and an independent check of their numbers.

The expected JSON is checked in. When a change to the engine is meant to change results, regenerate
it on purpose with ``GOLDEN_UPDATE=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from metrics.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "golden"
CASES = {
    "month_3": ["--as-of", "2025-11-14", "--grain", "month", "--periods", "3"],
    "quarter_by_unit": ["--as-of", "2025-11-14", "--grain", "quarter", "--by", "unit"],
    "year_2": ["--as-of", "2025-06-30", "--grain", "year", "--periods", "2"],
}


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        ["compute", "--config", str(FIXTURE / "config"), "--format", "json", *args], out=out
    )
    return code, out.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case):
    code, text = run_cli(*CASES[case])
    assert code == 0
    path = FIXTURE / "expected" / f"{case}.json"
    if os.environ.get("GOLDEN_UPDATE"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))


def rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURE / "data" / f"{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def result(case: str, metric: str, **dims: str) -> list[dict]:
    payload = json.loads((FIXTURE / "expected" / f"{case}.json").read_text(encoding="utf-8"))
    return [r for r in payload["results"] if r["metric"] == metric and r["dims"] == dims]


def test_online_rate_agrees_with_plain_python():
    for item in result("month_3", "online_rate"):
        start, end = day(item["period_start"]), day(item["period_end"])
        inside = [r for r in rows("dossiers") if start <= day(r["received"]) <= end]
        assert item["value"] == pytest.approx(
            sum(r["channel"] == "online" for r in inside) / len(inside)
        )


def test_on_time_rate_by_unit_agrees_with_plain_python():
    for unit in ("phuong_a", "phuong_b", "xa_c"):
        (item,) = result("quarter_by_unit", "on_time_rate", unit=unit)
        inside = [
            r
            for r in rows("dossiers")
            if r["unit"] == unit
            and r["finished"]
            and dt.date(2025, 10, 1) <= day(r["received"]) <= dt.date(2025, 11, 14)
        ]
        good = [
            r for r in inside if day(r["finished"]) <= day(r["due"]) and int(r["supplements"]) <= 1
        ]
        assert item["value"] == pytest.approx(len(good) / len(inside))


def test_overdue_stock_agrees_with_plain_python():
    for item in result("month_3", "overdue_central"):
        as_of = day(item["period_end"])
        expected = sum(
            1
            for r in rows("tasks")
            if r["level"] == "central"
            and day(r["deadline"]) < as_of
            and (not r["completed_on"] or day(r["completed_on"]) > as_of)
        )
        assert item["value"] == expected


def test_disbursement_agrees_with_plain_python():
    for item in result("year_2", "st_disbursement"):
        year = day(item["period_end"]).year
        lines = [r for r in rows("budget") if int(r["year"]) == year and r["program"] == "st"]
        assert item["value"] == pytest.approx(
            sum(int(r["disbursed"]) for r in lines) / sum(int(r["allocated"]) for r in lines)
        )


def test_mean_days_and_derived_index_agree_with_plain_python():
    (days,) = [r for r in result("quarter_by_unit", "mean_days", unit="xa_c")]
    inside = [
        r
        for r in rows("dossiers")
        if r["unit"] == "xa_c"
        and r["finished"]
        and dt.date(2025, 10, 1) <= day(r["received"]) <= dt.date(2025, 11, 14)
    ]
    assert days["value"] == pytest.approx(
        sum((day(r["finished"]) - day(r["received"])).days for r in inside) / len(inside)
    )
    (index,) = result("quarter_by_unit", "service_index", unit="xa_c")
    (online,) = result("quarter_by_unit", "online_rate", unit="xa_c")
    (on_time,) = result("quarter_by_unit", "on_time_rate", unit="xa_c")
    assert index["value"] == pytest.approx(0.5 * online["value"] + 0.5 * on_time["value"])


def test_current_period_compares_with_the_same_days_before():
    *_, november = result("month_3", "online_rate")
    inside = [
        r
        for r in rows("dossiers")
        if dt.date(2025, 10, 1) <= day(r["received"]) <= dt.date(2025, 10, 14)
    ]
    october_to_date = sum(r["channel"] == "online" for r in inside) / len(inside)
    assert november["delta"] == pytest.approx(november["value"] - october_to_date)
