"""Period boundaries, status bands and theme roll-ups, on literal values."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.periods import Period, period_start, periods_to, start_expr
from metrics.status import RATED, STATUSES, rollup_frame, status_expr

_SEVERITY = {"on_track": 0, "at_risk": 1, "off_track": 2}
_SCORE = {"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}


def rollup(statuses: list[str], weights: list[float], rule: str) -> str:
    """A plain-Python reference of the roll-up rules in metrics.status' docstring."""
    rated = [(s, w) for s, w in zip(statuses, weights, strict=True) if s in RATED]
    if not rated:
        return "no_target" if "no_target" in statuses else "no_data"
    if rule == "worst":
        return max((s for s, _ in rated), key=_SEVERITY.__getitem__)
    if rule == "majority":
        counts = Counter(s for s, _ in rated)
        return max(counts, key=lambda s: (counts[s], _SEVERITY[s]))
    score = sum(_SCORE[s] * w for s, w in rated) / sum(w for _, w in rated)
    return "on_track" if score >= 0.75 else "at_risk" if score >= 0.5 else "off_track"


def rolled(statuses: list[str], weights: list[float], rule: str) -> str:
    frame = pl.DataFrame(
        {"theme": ["t"] * len(statuses), "status": statuses, "weight": weights},
        schema={"theme": pl.String, "status": pl.String, "weight": pl.Float64},
    )
    return rollup_frame(frame, {"t": rule}, [])["status"].item()


D = dt.date


@pytest.mark.parametrize(
    ("grain", "expected"),
    [
        (
            "day",
            [Period(D(2025, 11, 13), D(2025, 11, 13)), Period(D(2025, 11, 14), D(2025, 11, 14))],
        ),
        (
            "week",
            [Period(D(2025, 11, 3), D(2025, 11, 9)), Period(D(2025, 11, 10), D(2025, 11, 14))],
        ),
        (
            "month",
            [Period(D(2025, 10, 1), D(2025, 10, 31)), Period(D(2025, 11, 1), D(2025, 11, 14))],
        ),
        (
            "quarter",
            [Period(D(2025, 7, 1), D(2025, 9, 30)), Period(D(2025, 10, 1), D(2025, 11, 14))],
        ),
        ("half", [Period(D(2025, 1, 1), D(2025, 6, 30)), Period(D(2025, 7, 1), D(2025, 11, 14))]),
        ("year", [Period(D(2024, 1, 1), D(2024, 12, 31)), Period(D(2025, 1, 1), D(2025, 11, 14))]),
    ],
)
def test_current_period_is_cut_at_the_as_of_date(grain, expected):
    assert periods_to(D(2025, 11, 14), grain, 2) == expected


def test_periods_cross_year_boundaries():
    periods = periods_to(D(2025, 2, 10), "month", 3)
    assert [p.start for p in periods] == [D(2024, 12, 1), D(2025, 1, 1), D(2025, 2, 1)]
    assert periods[1].end == D(2025, 1, 31)
    assert periods_to(D(2024, 3, 1), "month", 2)[0].end == D(2024, 2, 29)


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter", "half", "year"])
def test_polars_period_starts_match_python(grain):
    days = [D(2021, 1, 1) + dt.timedelta(days=i * 5) for i in range(400)]
    got = pl.DataFrame({"d": days}).select(start_expr(pl.col("d"), grain))["d"].to_list()
    assert got == [period_start(d, grain) for d in days]


def statuses(rows, direction):
    frame = pl.DataFrame(rows, schema={"value": pl.Float64, "expected": pl.Float64}, orient="row")
    return (
        frame.select(
            status_expr(pl.col("value"), pl.col("expected"), pl.lit(direction), pl.lit(0.05))
        )
        .to_series()
        .to_list()
    )


def test_status_bands_when_up_is_good():
    rows = [
        (0.95, 0.9),
        (0.9, 0.9),
        (0.86, 0.9),
        (0.85, 0.9),
        (0.84, 0.9),
        (None, 0.9),
        (0.5, None),
    ]
    assert statuses(rows, "up") == [
        "on_track",
        "on_track",
        "at_risk",
        "at_risk",
        "off_track",
        "no_data",
        "no_target",
    ]


def test_status_bands_when_down_is_good():
    rows = [(10.0, 12.0), (12.0, 12.0), (12.04, 12.0), (12.2, 12.0), (None, 12.0)]
    assert statuses(rows, "down") == ["on_track", "on_track", "at_risk", "off_track", "no_data"]


def test_no_direction_means_no_target():
    frame = pl.DataFrame({"value": [1.0], "expected": [2.0]})
    got = frame.select(
        status_expr(pl.col("value"), pl.col("expected"), pl.lit(None, pl.String), pl.lit(0.0))
    ).item()
    assert got == "no_target"


@pytest.mark.parametrize(
    ("statuses_", "weights", "rule", "expected"),
    [
        (["on_track", "at_risk", "off_track"], [1, 1, 1], "worst", "off_track"),
        (["on_track", "at_risk", "no_data"], [1, 1, 1], "worst", "at_risk"),
        (["on_track", "on_track", "off_track"], [1, 1, 1], "majority", "on_track"),
        (["on_track", "off_track"], [1, 1], "majority", "off_track"),
        (["on_track", "on_track", "off_track"], [1, 1, 1], "weighted", "at_risk"),
        (["on_track", "on_track", "off_track"], [3, 3, 1], "weighted", "on_track"),
        (["off_track", "on_track"], [3, 1], "weighted", "off_track"),
        (["no_data", "no_data"], [1, 1], "worst", "no_data"),
        (["no_target", "no_data"], [1, 1], "majority", "no_target"),
    ],
)
def test_rollup_rules(statuses_, weights, rule, expected):
    assert rollup(statuses_, weights, rule) == expected
    assert rolled(statuses_, [float(w) for w in weights], rule) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(STATUSES), st.sampled_from([0.5, 1.0, 2.0, 3.0])),
        min_size=1,
        max_size=9,
    ),
    st.sampled_from(["worst", "majority", "weighted"]),
)
def test_vectorised_rollup_agrees_with_the_reference(items, rule):
    statuses, weights = [s for s, _ in items], [w for _, w in items]
    assert rolled(statuses, weights, rule) == rollup(statuses, weights, rule)
