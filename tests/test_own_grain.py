"""Each metric at its own grain: a figure that comes once a year is read by year on any page."""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
import pytest

from metrics.cli import main
from metrics.engine import Request, compute
from tests.support import SETTINGS, FrameCatalog, config_from, write_config

D = dt.date

SOURCES = """\
sources:
  - id: budget
    title: Ngân sách
    owner: u1
    kind: csv
    path: budget.csv
    columns: {year: int, reported_on: date, allocated: float, disbursed: float}
    freshness: {column: reported_on, cadence: CADENCE}
  - id: events
    title: Sự kiện
    owner: u1
    kind: csv
    path: events.csv
    columns: {day: date, late: bool}
"""

METRICS = """\
metrics:
  - id: disbursed
    title: Giải ngân
    theme: t
    source: budget
GRAIN    where: year == year(as_of) and reported_on <= as_of
    value: sum(disbursed) / sum(allocated)
    format: percent
    direction: up
    target: 0.9
  - id: late
    title: Trễ
    theme: t
    source: events
    time: day
    value: count(late)
    direction: down
    target: 0
  - id: gap
    title: Còn thiếu
    theme: t
    value: 1 - metric("disbursed")
"""

BUDGET = pl.DataFrame(
    {
        "year": [2023, 2024, 2025],
        "reported_on": [D(2023, 12, 20), D(2024, 12, 20), D(2025, 11, 3)],
        "allocated": [100.0, 100.0, 100.0],
        "disbursed": [40.0, 50.0, 47.0],
    }
)
EVENTS = pl.DataFrame({"day": [D(2025, 10, 2), D(2025, 11, 3)], "late": [True, False]})


def run(tmp_path, own="    grain: year\n", cadence="monthly", **request):
    """The metrics with ``own`` (a ``grain:`` line for 'disbursed', or none) as requested."""
    config = config_from(
        tmp_path,
        settings=SETTINGS,
        sources=SOURCES.replace("CADENCE", cadence),
        metrics=METRICS.replace("GRAIN", own),
    )
    assert not config.errors, [p.render("en") for p in config.errors]
    request.setdefault("as_of", D(2025, 11, 14))
    catalog = FrameCatalog({"budget": BUDGET, "events": EVENTS})
    return compute(config, catalog, Request(**request))


def rows(results, metric):
    frame = results.values.filter(pl.col("metric") == metric)
    return frame.select("period_start", "grain", "value", "delta").rows()


def test_a_yearly_metric_on_a_monthly_request_is_read_by_year(tmp_path):
    results = run(tmp_path, grain="month", periods=3)  # the budget metric says grain: year
    assert rows(results, "disbursed") == [
        (D(2023, 1, 1), "year", 0.4, None),
        (D(2024, 1, 1), "year", 0.5, pytest.approx(0.1)),
        (D(2025, 1, 1), "year", 0.47, pytest.approx(-0.03)),
    ]
    # the monthly metric stays monthly; the derived one follows its yearly input
    assert [g for _, g, _, _ in rows(results, "late")] == ["month"] * 3
    assert [g for _, g, _, _ in rows(results, "gap")] == ["year"] * 3


def test_without_its_own_grain_a_month_before_the_report_has_no_value_never_zero(tmp_path):
    results = run(tmp_path, own="", periods=3)
    months = rows(results, "disbursed")
    assert [v for _, _, v, _ in months] == [None, None, pytest.approx(0.47)]


def test_the_source_cadence_gives_the_grain(tmp_path):
    results = run(tmp_path, own="", cadence="yearly")
    assert rows(results, "disbursed") == [(D(2025, 1, 1), "year", 0.47, pytest.approx(-0.03))]


def test_a_coarser_request_keeps_the_requests_grain(tmp_path):
    quarterly = "    grain: quarter\n"
    assert rows(run(tmp_path, own=quarterly), "disbursed")[0][1] == "quarter"
    assert rows(run(tmp_path, own=quarterly, grain="year"), "disbursed")[0][1] == "year"


def test_themes_roll_up_the_yearly_figure_in_every_month(tmp_path):
    results = run(tmp_path, periods=2)
    themes = results.themes.sort("period_start")
    assert themes["period_start"].to_list() == [D(2025, 10, 1), D(2025, 11, 1)]
    # November: disbursed 47% < 90% (off track) and one late event in October only
    assert themes["off_track"].to_list() == [2, 1]


def test_the_cli_says_the_grain_and_labels_the_period_by_it(tmp_path):
    folder = write_config(
        tmp_path,
        settings=SETTINGS,
        sources=SOURCES.replace("CADENCE", "monthly"),
        metrics=METRICS.replace("GRAIN", "    grain: year\n"),
    )
    (folder / "data").mkdir()
    BUDGET.write_csv(folder / "data" / "budget.csv")
    EVENTS.write_csv(folder / "data" / "events.csv")
    out = io.StringIO()
    assert main(["compute", "--config", str(folder), "--format", "json"], out=out) == 0
    row = next(r for r in json.loads(out.getvalue())["results"] if r["metric"] == "disbursed")
    assert (row["grain"], row["period_start"], row["delta"]) == (
        "year",
        "2025-01-01",
        pytest.approx(-0.03),
    )
    out = io.StringIO()
    main(["compute", "--config", str(folder), "--lang", "vi"], out=out)
    line = next(ln for ln in out.getvalue().splitlines() if ln.startswith("disbursed"))
    assert "Năm 2025" in line and "−3,0 điểm %" in line
