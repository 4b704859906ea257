"""Every unit is accounted for: a unit with no rows is listed as "did not report", not dropped.

Engine on literal frames (with and without ``default:``, kinds declared or inferred, a unit
filter, a derived metric), the CLI's JSON, and a source that names kinds for a column it does
not list as a unit column.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
import pytest

from metrics.cli import main
from metrics.engine import Request, compute
from tests.support import FrameCatalog, config_from, write_config

D = dt.date

UNITS = """\
units:
  - {id: hanoi, name: Hà Nội, kind: city}
  - {id: so_a, name: Sở A, kind: department, parent: hanoi}
  - {id: so_b, name: Sở B, kind: department, parent: hanoi}
  - {id: phuong_a, name: Phường A, kind: ward, parent: hanoi}
  - {id: phuong_b, name: Phường B, kind: ward, parent: hanoi}
  - {id: xa_c, name: Xã C, kind: commune, parent: hanoi}
"""

SOURCES = """\
sources:
  - id: events
    title: Sự kiện
    owner: so_a
    kind: csv
    path: events.csv
    columns: {day: date, unit: str, late: bool}
    unit_columns: [unit]
KINDS"""

METRICS = """\
metrics:
  - id: late_count
    title: Số việc trễ
    theme: t
    source: events
    time: day
    value: count(late)
    direction: down
    target: 0
    dimensions: [unit]
DEFAULT
  - id: late_share
    title: Tỷ lệ trễ
    theme: t
    source: events
    time: day
    value: share(late)
    dimensions: [unit]
  - id: on_time_share
    title: Tỷ lệ đúng hạn
    theme: t
    value: 1 - metric("late_share")
    dimensions: [unit]
"""

# Only the wards a and b and department a send anything; department b and commune c send nothing.
EVENTS = pl.DataFrame(
    {
        "day": [D(2025, 11, 3), D(2025, 11, 4), D(2025, 11, 5), D(2025, 11, 6)],
        "unit": ["phuong_a", "phuong_a", "phuong_b", "so_a"],
        "late": [True, False, True, False],
    }
)


def run(tmp_path, *, kinds="", default="", **request):
    config = config_from(
        tmp_path,
        sources=SOURCES.replace("KINDS", kinds),
        metrics=METRICS.replace("DEFAULT\n", default),
        units=UNITS,
    )
    assert not config.errors, [p.render("en") for p in config.errors]
    request.setdefault("as_of", D(2025, 11, 14))
    return compute(config, FrameCatalog({"events": EVENTS}), Request(**request))


def by_unit(results, metric):
    rows = results.values.filter(pl.col("metric") == metric)
    return {r["unit"]: (r["value"], r["status"], r["reason"]) for r in rows.iter_rows(named=True)}


def test_a_unit_without_rows_is_listed_as_not_reported(tmp_path):
    rows = by_unit(run(tmp_path, by=("unit",)), "late_count")
    # kinds not declared: those found in the data (ward, department), never the city
    assert set(rows) == {"so_a", "so_b", "phuong_a", "phuong_b"}
    assert rows["so_b"] == (None, "no_data", "not_reported")
    assert rows["phuong_a"] == (1.0, "off_track", None)
    assert rows["so_a"] == (0.0, "on_track", None)


def test_declared_kinds_decide_which_units_are_listed(tmp_path):
    kinds = "    unit_kinds: {unit: [ward, commune]}\n"
    rows = by_unit(run(tmp_path, kinds=kinds, by=("unit",)), "late_share")
    assert set(rows) == {"phuong_a", "phuong_b", "xa_c", "so_a"}  # so_a has rows: kept
    assert rows["xa_c"] == (None, "no_data", "not_reported")
    assert rows["phuong_b"][0] == pytest.approx(1.0)


def test_a_default_stands_where_a_unit_has_no_rows(tmp_path):
    rows = by_unit(run(tmp_path, default="    default: 0\n", by=("unit",)), "late_count")
    assert rows["so_b"] == (0.0, "on_track", None)
    assert by_unit(run(tmp_path, default="    default: 0\n", by=("unit",)), "late_share")[
        "so_b"
    ] == (None, "no_data", "not_reported")


def test_a_derived_metric_lists_the_unit_too(tmp_path):
    rows = by_unit(run(tmp_path, by=("unit",)), "on_time_share")
    assert rows["so_b"] == (None, "no_data", "not_reported")
    assert rows["phuong_a"][0] == pytest.approx(0.5)


def test_viewed_for_one_unit_without_rows_it_did_not_report(tmp_path):
    results = run(tmp_path, filters=(("unit", "so_b"),))
    row = results.values.filter(pl.col("metric") == "late_share").row(0, named=True)
    assert (row["value"], row["reason"]) == (None, "not_reported")


def test_without_a_breakdown_an_empty_period_has_no_rows_not_a_missing_unit(tmp_path):
    results = run(tmp_path, as_of=D(2025, 10, 31))
    row = results.values.filter(pl.col("metric") == "late_share").row(0, named=True)
    assert (row["value"], row["reason"]) == (None, "no_rows")


def test_the_cli_json_lists_units_that_did_not_report(tmp_path):
    folder = write_config(
        tmp_path,
        sources=SOURCES.replace("KINDS", "    unit_kinds: {unit: [department]}\n"),
        metrics=METRICS.replace("DEFAULT\n", ""),
        units=UNITS,
    )
    (folder / "data").mkdir()
    EVENTS.write_csv(folder / "data" / "events.csv")
    out = io.StringIO()
    code = main(["compute", "--config", str(folder), "--format", "json", "--by", "unit"], out=out)
    assert code == 0
    rows = [r for r in json.loads(out.getvalue())["results"] if r["metric"] == "late_count"]
    reported = {r["dims"]["unit"]: r["reason"] for r in rows}
    assert reported == {"so_a": None, "so_b": "not_reported", "phuong_a": None, "phuong_b": None}


def test_unit_kinds_for_a_column_that_is_not_a_unit_column_is_an_error(tmp_path):
    config = config_from(
        tmp_path,
        sources=SOURCES.replace("KINDS", "    unit_kinds: {day: [ward]}\n"),
        metrics=METRICS.replace("DEFAULT\n", ""),
        units=UNITS,
    )
    assert any(
        "'unit_kinds' names column 'day', which is not in 'unit_columns' (unit)" in p.render("en")
        for p in config.errors
    )


def test_a_silent_unit_counts_against_it_in_its_theme(tmp_path):
    results = run(tmp_path, by=("unit",), metrics=("late_share",))
    themes = {r["unit"]: r for r in results.themes.iter_rows(named=True)}
    assert (themes["so_b"]["status"], themes["so_b"]["not_reported"]) == ("off_track", 1)
    assert themes["phuong_a"]["not_reported"] == 0
