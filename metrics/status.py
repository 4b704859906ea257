"""Status against a target, and the roll-up of a theme's metrics into one status.

Bands: for a metric where up is good, a value at or above the expected value is on track, within
``tolerance`` below it at risk, further below off track (mirrored when down is good). Without a
target the status is ``no_target``; without a value, ``no_data``.

Roll-up rules (a theme's ``rollup``), over the metrics that have a rated status (on track, at risk,
off track): ``worst`` takes the worst; ``majority`` the most common (a tie goes to the worse);
``weighted`` scores on track 1, at risk 0.5, off track 0, takes the weight-averaged score and calls
it on track from 0.75, at risk from 0.5, off track below. With no rated metric the theme is
``no_data`` (or ``no_target`` when its metrics have values but no targets).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import polars as pl

STATUSES = ("on_track", "at_risk", "off_track", "no_target", "no_data")
RATED = ("on_track", "at_risk", "off_track")
_SCORE = {"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}
_SEVERITY = {"on_track": 0, "at_risk": 1, "off_track": 2}


def status_expr(
    value: pl.Expr, expected: pl.Expr, direction: pl.Expr, tolerance: pl.Expr
) -> pl.Expr:
    """The status of each row from its value, expected value, direction and tolerance."""
    gap = pl.when(direction == "down").then(expected - value).otherwise(value - expected)
    return (
        pl.when(value.is_null() | value.is_nan())
        .then(pl.lit("no_data"))
        .when(expected.is_null() | direction.is_null())
        .then(pl.lit("no_target"))
        .when(gap >= -1e-12)
        .then(pl.lit("on_track"))
        .when(gap >= -tolerance - 1e-12)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )


def rollup(statuses: Sequence[str], weights: Sequence[float], rule: str) -> str:
    """One status for a theme from its metrics' statuses (see the module docstring)."""
    rated = [(s, w) for s, w in zip(statuses, weights, strict=True) if s in RATED]
    if not rated:
        return "no_target" if any(s == "no_target" for s in statuses) else "no_data"
    if rule == "worst":
        return max((s for s, _ in rated), key=_SEVERITY.__getitem__)
    if rule == "majority":
        counts = Counter(s for s, _ in rated)
        return max(counts, key=lambda s: (counts[s], _SEVERITY[s]))
    total = sum(w for _, w in rated)
    score = sum(_SCORE[s] * w for s, w in rated) / total
    return "on_track" if score >= 0.75 else "at_risk" if score >= 0.5 else "off_track"


STATUS_LABELS: dict[str, dict[str, str]] = {
    "on_track": {"vi": "Đạt", "en": "On track"},
    "at_risk": {"vi": "Có nguy cơ", "en": "At risk"},
    "off_track": {"vi": "Không đạt", "en": "Off track"},
    "no_target": {"vi": "Chưa có mục tiêu", "en": "No target"},
    "no_data": {"vi": "Chưa có số liệu", "en": "No data"},
}
