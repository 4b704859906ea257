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

import polars as pl

STATUSES = ("on_track", "at_risk", "off_track", "no_target", "no_data")
#: What a page shows as a status: the engine's, and a unit that did not report (``no_data``
#: with the reason ``not_reported``, shown as a status of its own where units are listed).
SHOWN_STATUSES = (*STATUSES, "not_reported")
#: Why a value is missing (the ``reason`` of a ``no_data`` row): too large to represent, not a
#: number (infinity minus infinity), a division by zero, no rows in the period, rows whose values
#: are all empty, or a unit that sent no rows at all (a breakdown lists it all the same).
NO_VALUE_REASONS = (
    "overflow",
    "undefined",
    "division_by_zero",
    "no_rows",
    "no_values",
    "not_reported",
)
RATED = ("on_track", "at_risk", "off_track")
_SCORE = {"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}


#: How far apart two figures may be and still count as equal (floating-point sums and paths).
EPSILON = 1e-12


def expected_differs(target: float | None, expected: float | None) -> bool:
    """Whether the value expected on the day is not the final target (a point on a target path,
    93,4% on the way to 100%): then cards, slides and briefings show it beside the target."""
    return expected is not None and (target is None or abs(expected - target) > EPSILON)


def status_expr(
    value: pl.Expr, expected: pl.Expr, direction: pl.Expr, tolerance: pl.Expr
) -> pl.Expr:
    """The status of each row from its value, expected value, direction and tolerance."""
    gap = pl.when(direction == "down").then(expected - value).otherwise(value - expected)
    return (
        pl.when(value.is_null() | ~value.is_finite())
        .then(pl.lit("no_data"))
        .when(expected.is_null() | direction.is_null())
        .then(pl.lit("no_target"))
        .when(gap >= -EPSILON)
        .then(pl.lit("on_track"))
        .when(gap >= -tolerance - EPSILON)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )


def finite(value: pl.Expr) -> pl.Expr:
    """``value`` with infinities and NaN as null: a figure that cannot be shown is no value."""
    return pl.when(value.is_finite()).then(value)


def reason_expr(value: pl.Expr, rows: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """Why ``value`` (as computed, before ``finite``) is missing; null when it is a number.

    ``rows`` is how many rows the metric chose in the period (null: none came at all);
    ``denominator`` the bottom of a ratio metric (null for other metrics).
    """
    return (
        pl.when(value.is_infinite())
        .then(pl.lit("overflow"))
        .when(value.is_nan())
        .then(pl.lit("undefined"))
        .when(value.is_not_null())
        .then(pl.lit(None, pl.String))
        .when(rows.is_null() | (rows == 0))
        .then(pl.lit("no_rows"))
        .when(denominator == 0)
        .then(pl.lit("division_by_zero"))
        .otherwise(pl.lit("no_values"))
    )


def rollup_frame(statuses: pl.DataFrame, rules: dict[str, str], keys: list[str]) -> pl.DataFrame:
    """One status per theme and group of ``keys`` from rows of ``theme``, ``status``, ``weight``
    (and ``reason``, when there is one).

    Vectorised, so a breakdown by unit over many periods rolls up in one pass (see the module
    docstring for the rules). A unit that did not report (reason ``not_reported``) counts
    against it: as off track in the roll-up, and in a ``not_reported`` count of its own.
    """
    silent = (
        (pl.col("reason") == "not_reported").fill_null(False)
        if "reason" in statuses.columns
        else pl.lit(False)
    )
    statuses = statuses.with_columns(
        pl.when(silent).then(pl.lit("off_track")).otherwise(pl.col("status")).alias("status"),
        silent.alias("_silent"),
    )
    group = ["theme", *keys]
    counts = [(pl.col("status") == s).sum().cast(pl.Int64).alias(s) for s in STATUSES]
    rated = pl.col("status").is_in(RATED)
    score = pl.col("status").replace_strict(_SCORE, default=None, return_dtype=pl.Float64)
    summary = statuses.group_by(group, maintain_order=True).agg(
        *counts,
        pl.col("_silent").sum().cast(pl.Int64).alias("not_reported"),
        ((score * pl.col("weight")).sum() / pl.col("weight").filter(rated).sum()).alias("_score"),
    )
    on, risk, off = pl.col("on_track"), pl.col("at_risk"), pl.col("off_track")
    worst = pl.when(off > 0).then(pl.lit("off_track")).when(risk > 0).then(pl.lit("at_risk"))
    worst = worst.otherwise(pl.lit("on_track"))
    majority = (
        pl.when((off >= risk) & (off >= on))
        .then(pl.lit("off_track"))
        .when(risk >= on)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("on_track"))
    )
    weighted = (
        pl.when(pl.col("_score") >= 0.75)
        .then(pl.lit("on_track"))
        .when(pl.col("_score") >= 0.5)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )
    rule = pl.col("theme").replace_strict(rules, default="worst")
    status = (
        pl.when(on + risk + off == 0)
        .then(
            pl.when(pl.col("no_target") > 0).then(pl.lit("no_target")).otherwise(pl.lit("no_data"))
        )
        .when(rule == "majority")
        .then(majority)
        .when(rule == "weighted")
        .then(weighted)
        .otherwise(worst)
    )
    # off_track counts the units' silences too; not_reported says how many of them there are
    return summary.with_columns(status.alias("status")).select(
        *group, "status", *STATUSES, "not_reported"
    )


STATUS_LABELS: dict[str, dict[str, str]] = {
    "on_track": {"vi": "Đạt", "en": "On track"},
    "at_risk": {"vi": "Có nguy cơ", "en": "At risk"},
    "off_track": {"vi": "Không đạt", "en": "Off track"},
    "no_target": {"vi": "Chưa có mục tiêu", "en": "No target"},
    "no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    "not_reported": {"vi": "Chưa báo cáo", "en": "Did not report"},
}

REASON_LABELS: dict[str, dict[str, str]] = {
    "overflow": {"vi": "số quá lớn, không biểu diễn được", "en": "too large to represent"},
    "undefined": {"vi": "phép tính không xác định", "en": "undefined calculation"},
    "division_by_zero": {"vi": "chia cho 0", "en": "division by zero"},
    "no_rows": {"vi": "không có bản ghi trong kỳ", "en": "no records in the period"},
    "no_values": {"vi": "các bản ghi không có giá trị", "en": "the records have no values"},
    "not_reported": {"vi": "chưa báo cáo", "en": "did not report"},
}


def status_text(status: str, reason: str | None, lang: str) -> str:
    """The status in words, with why there is no value: "Chưa có số liệu (chia cho 0)"."""
    label = STATUS_LABELS[status][lang]
    return f"{label} ({REASON_LABELS[reason][lang]})" if reason in REASON_LABELS else label
