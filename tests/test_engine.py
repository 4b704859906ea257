"""The engine on literal frames: periods, flow and stock, derived metrics, targets, isolation."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics.engine import Request, compute
from metrics.periods import Period
from sources.problems import Location, Problem, ProjectError
from tests.support import FrameCatalog, config_from

D = dt.date

SOURCES = """\
sources:
  - id: events
    title: Sự kiện
    owner: u1
    kind: csv
    path: events.csv
    columns: {day: date, unit: str, kind: str, amount: float?, done: date?}
  - id: other
    title: Khác
    owner: u1
    kind: csv
    path: other.csv
    columns: {day: date, n: int}
"""

EVENTS = pl.DataFrame(
    {
        "day": [
            D(2025, 9, 30),
            D(2025, 10, 1),
            D(2025, 10, 31),
            D(2025, 11, 1),
            D(2025, 11, 14),
            D(2025, 11, 15),
            D(2025, 11, 3),
        ],
        "unit": ["a", "a", "b", "a", "b", "a", "b"],
        "kind": ["x", "y", "x", "x", "y", "x", "x"],
        "amount": [1.0, 2.0, None, 4.0, 5.0, 100.0, 0.0],
        "done": [D(2025, 10, 5), None, D(2025, 11, 20), D(2025, 11, 2), None, None, None],
    }
)


def run(tmp_path, metric_yaml, frames=None, **request):
    config = config_from(tmp_path, sources=SOURCES, metrics=metric_yaml)
    assert not config.errors, [p.render("en") for p in config.errors]
    catalog = FrameCatalog(
        frames or {"events": EVENTS, "other": pl.DataFrame({"day": [D(2025, 11, 1)], "n": [1]})}
    )
    request.setdefault("as_of", D(2025, 11, 14))
    return compute(config, catalog, Request(**request)), catalog


def values(results, metric, *cols):
    frame = results.values.filter(pl.col("metric") == metric)
    return frame.select(cols).rows()


FLOW = """\
metrics:
  - id: n
    title: N
    theme: t
    source: events
    time: day
    value: count()
    format: count
    dimensions: [unit, kind]
  - id: total
    title: Tổng
    theme: t
    source: events
    time: day
    value: sum(amount)
    dimensions: [unit]
  - id: xshare
    title: Tỷ lệ x
    theme: t
    source: events
    time: day
    value: share(kind == "x")
    format: percent
    direction: up
    target: 0.5
    tolerance: 0.1
    dimensions: [unit]
"""


def test_flow_rows_fall_in_their_period_and_stop_at_the_as_of_date(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="month", periods=3)
    assert values(results, "n", "period_start", "period_end", "value") == [
        (D(2025, 9, 1), D(2025, 9, 30), 1.0),
        (D(2025, 10, 1), D(2025, 10, 31), 2.0),
        (D(2025, 11, 1), D(2025, 11, 14), 3.0),  # 15 Nov is after the as-of date
    ]
    assert values(results, "total", "value") == [(1.0,), (2.0,), (9.0,)]


def test_ratio_keeps_numerator_and_denominator_and_status(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="month", periods=2)
    assert values(results, "xshare", "value", "numerator", "denominator", "status", "delta") == [
        (0.5, 1.0, 2.0, "on_track", -0.5),  # September (1 of 1) came before
        # 1-14 November compares with 1-14 October (one 'y' event: 0 of 1)
        (pytest.approx(2 / 3), 2.0, 3.0, "on_track", pytest.approx(2 / 3 - 0.0)),
    ]


def test_empty_period_is_no_data_not_zero(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="month", periods=4)
    first = results.values.filter(pl.col("period_start") == D(2025, 8, 1))
    assert first["value"].to_list() == [None, None, None]
    assert first["status"].to_list() == ["no_data", "no_data", "no_data"]


def test_breakdown_and_filter(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="quarter", by=("unit",))
    assert values(results, "n", "unit", "value") == [("a", 2.0), ("b", 3.0)]
    results, _ = run(tmp_path, FLOW, grain="quarter", filters=(("unit", "b"),))
    assert values(results, "n", "value") == [(3.0,)]
    results, _ = run(tmp_path, FLOW, grain="quarter", by=("kind",))
    assert set(results.skipped) == {"total", "xshare"}


def test_metrics_over_one_source_share_one_plan_and_one_collect(tmp_path, monkeypatch):
    calls = []
    original = pl.collect_all

    def counting(plans, *args, **kwargs):
        calls.append(len(plans))
        return original(plans, *args, **kwargs)

    monkeypatch.setattr(pl, "collect_all", counting)
    results, _ = run(tmp_path, FLOW, grain="month", periods=3)
    # Three metrics over one source and time column: one plan, one collect_all; and one more for
    # the same days of October that the cut-short November is compared with.
    assert calls == [1, 1]
    assert results.compared_with == Period(D(2025, 10, 1), D(2025, 10, 14))


def test_a_whole_period_compares_with_the_whole_period_before(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="month", periods=2, as_of=D(2025, 10, 31))
    assert results.compared_with is None
    assert values(results, "n", "value", "delta") == [(1.0, None), (2.0, 1.0)]


def test_stock_metrics_compare_with_the_previous_period_end(tmp_path):
    results, _ = run(tmp_path, STOCK, grain="month", periods=2)
    assert values(results, "open_items", "value", "delta") == [(2.0, 1.0), (4.0, 2.0)]


STOCK = """\
metrics:
  - id: open_items
    title: Đang mở
    theme: t
    source: events
    value: count(day <= as_of and (done is null or done > as_of))
    format: count
    direction: down
    target: 1
    tolerance: 1
  - id: started
    title: Bắt đầu trong kỳ
    theme: t
    source: events
    value: count(day >= period_start and day <= period_end)
"""


def test_stock_metrics_are_evaluated_at_each_period_end(tmp_path):
    results, _ = run(tmp_path, STOCK, grain="month", periods=3)
    # 30 Sep: the 30/9 row is open. 31 Oct: 30/9 done 5/10; 1/10 and 31/10 open.
    # 14 Nov: 1/10, 31/10 (done 20/11), 14/11 and 3/11 open; 1/11 done 2/11.
    assert values(results, "open_items", "value", "status") == [
        (1.0, "on_track"),
        (2.0, "at_risk"),
        (4.0, "off_track"),
    ]
    assert values(results, "started", "value") == [(1.0,), (2.0,), (3.0,)]


DERIVED = (
    FLOW
    + """\
  - id: twice
    title: Gấp đôi
    theme: t
    value: 2 * metric("xshare") + metric("n") / metric("n")
    dimensions: [unit]
"""
)


def test_derived_metrics_align_on_period_and_dimension(tmp_path):
    results, _ = run(tmp_path, DERIVED, grain="quarter", by=("unit",), metrics=("twice",))
    assert values(results, "twice", "unit", "value") == [
        ("a", pytest.approx(2 * 1 / 2 + 1)),
        ("b", pytest.approx(2 * 2 / 3 + 1)),
    ]
    assert results.values["metric"].unique().to_list() == ["twice"]


def test_division_by_zero_is_no_data(tmp_path):
    metrics = """\
    metrics:
      - id: ratio
        title: R
        theme: t
        source: events
        time: day
        value: sum(amount) / sum(amount, where=kind == "none")
        direction: up
        target: 1
    """
    results, _ = run(tmp_path, metrics, grain="month")
    assert values(results, "ratio", "value", "status") == [(None, "no_data")]


def test_target_path_gives_the_expected_value_at_period_end(tmp_path):
    metrics = FLOW.replace(
        "target: 0.5", "target: {value: 1.0, by: 2026-01-01, from: {value: 0.0, on: 2025-01-01}}"
    )
    results, _ = run(tmp_path, metrics, grain="month", periods=2)
    expected = [
        (D(2025, 10, 31) - D(2025, 1, 1)).days / 365,
        (D(2025, 11, 14) - D(2025, 1, 1)).days / 365,
    ]
    got = values(results, "xshare", "target", "expected", "status")
    assert [row[0] for row in got] == [1.0, 1.0]
    assert [row[1] for row in got] == pytest.approx(expected)
    assert [row[2] for row in got] == ["off_track", "off_track"]


def test_a_failing_source_costs_only_its_metrics(tmp_path):
    metrics = (
        FLOW
        + """\
  - id: other_n
    title: Khác
    theme: t
    source: other
    time: day
    value: sum(n)
"""
    )
    broken = ProjectError(
        Problem(
            "source.failed",
            {"detail": "x"},
            Location("data/events.csv", 3, 1),
            subject_kind="source",
            subject_id="events",
        )
    )
    results, _ = run(
        tmp_path,
        metrics,
        frames={"events": broken, "other": pl.DataFrame({"day": [D(2025, 11, 1)], "n": [7]})},
    )
    assert {e.metric for e in results.errors} == {"n", "total", "xshare"}
    assert results.errors[0].problem.location == Location("data/events.csv", 3, 1)
    assert values(results, "other_n", "value") == [(7.0,)]


def test_a_metric_failing_at_run_time_costs_only_itself(tmp_path):
    frames = {
        "events": EVENTS.with_columns(pl.col("amount").cast(pl.String)),
        "other": pl.DataFrame({"day": [D(2025, 11, 1)], "n": [1]}),
    }
    results, _ = run(tmp_path, FLOW, frames=frames)
    assert [e.metric for e in results.errors] == ["total"]
    assert values(results, "n", "value") == [(3.0,)]


def test_broken_and_unknown_metrics_are_errors_with_their_place(tmp_path):
    metrics = (
        FLOW
        + """\
  - id: bad
    title: Hỏng
    theme: t
    source: events
    time: day
    value: sum(chanel)
"""
    )
    config = config_from(tmp_path, sources=SOURCES, metrics=metrics)
    results = compute(
        config,
        FrameCatalog({"events": EVENTS}),
        Request(as_of=D(2025, 11, 14), metrics=("bad", "nope", "n")),
    )
    errors = {e.metric: e.problem for e in results.errors}
    assert errors["bad"].render("en").startswith("config/metrics/m.yaml:") or "m.yaml:" in errors[
        "bad"
    ].render("en")
    assert "unknown column" in errors["bad"].render("en")
    assert "there is no metric 'nope'" in errors["nope"].render("en")
    assert values(results, "n", "value") == [(3.0,)]


def test_theme_rolls_up_from_its_metrics(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="month", periods=1)
    assert results.themes.select("theme", "status", "on_track").rows() == [("t", "on_track", 1)]


def test_derived_metrics_may_read_the_period(tmp_path):
    metrics = (
        FLOW
        + """\
  - id: per_day
    title: Mỗi ngày
    theme: t
    value: metric("n") / (days_between(period_start, period_end) + 1)
"""
    )
    results, _ = run(tmp_path, metrics, grain="month", periods=2, metrics=("per_day",))
    assert values(results, "per_day", "value") == [
        (pytest.approx(2 / 31),),
        (pytest.approx(3 / 14),),
    ]


def test_no_rows_in_the_same_days_means_no_change_not_the_whole_period(tmp_path):
    results, _ = run(tmp_path, FLOW, grain="month", periods=1, by=("kind",))
    # November 1-14: x twice, y once. October 1-14: y once, no x at all (x only on 31 October).
    assert values(results, "n", "kind", "value", "delta") == [("x", 2.0, None), ("y", 1.0, 0.0)]
