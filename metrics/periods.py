"""Reporting periods: which days a month, a quarter or a half-year covers, cut at the as-of date.

The period containing the as-of date is period-to-date: it ends on the as-of date, so a figure
"as of 14/11/2025" for November covers 1-14 November. Earlier periods are whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from metrics.spec import Grain

_MONTHS_PER = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_TRUNCATE = {
    "day": "1d",
    "week": "1w",
    "month": "1mo",
    "quarter": "1q",
    "half": "6mo",
    "year": "1y",
}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive; the as-of date for the current period


def period_start(day: dt.date, grain: Grain) -> dt.date:
    """The first day of the period of ``grain`` that contains ``day``."""
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    months = _MONTHS_PER[grain]
    month = (day.month - 1) // months * months + 1
    return dt.date(day.year, month, 1)


def _previous_start(start: dt.date, grain: Grain) -> dt.date:
    if grain == "day":
        return start - dt.timedelta(days=1)
    if grain == "week":
        return start - dt.timedelta(days=7)
    months = _MONTHS_PER[grain]
    index = start.year * 12 + start.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def natural_end(start: dt.date, grain: Grain) -> dt.date:
    """The last day of the whole period that begins on ``start``."""
    if grain == "day":
        return start
    if grain == "week":
        return start + dt.timedelta(days=6)
    index = start.year * 12 + start.month - 1 + _MONTHS_PER[grain]
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def same_days_before(current: Period, grain: Grain) -> Period | None:
    """For a period cut short at the as-of date, the same days of the period before it.

    1-14 November compares with 1-14 October; a whole period has no such window (None).
    """
    if current.end >= natural_end(current.start, grain):
        return None
    start = _previous_start(current.start, grain)
    end = min(start + (current.end - current.start), current.start - dt.timedelta(days=1))
    return Period(start, end)


def periods_to(as_of: dt.date, grain: Grain, count: int) -> list[Period]:
    """The ``count`` periods ending with the one containing ``as_of``, oldest first."""
    start = period_start(as_of, grain)
    result = [Period(start, as_of)]
    for _ in range(count - 1):
        previous = _previous_start(start, grain)
        result.append(Period(previous, start - dt.timedelta(days=1)))
        start = previous
    return result[::-1]


def start_expr(day: pl.Expr, grain: Grain) -> pl.Expr:
    """The start of each row's period, as a date (Polars aligns 6-month windows on Jan and Jul)."""
    return day.dt.truncate(_TRUNCATE[grain])


def periods_frame(periods: list[Period]) -> pl.DataFrame:
    """One row per period, with the columns formulas see as ``period_start``/``period_end``/``as_of``."""
    from metrics.formula import PERIOD_COLUMNS

    return pl.DataFrame(
        {
            PERIOD_COLUMNS["period_start"]: [p.start for p in periods],
            PERIOD_COLUMNS["period_end"]: [p.end for p in periods],
            PERIOD_COLUMNS["as_of"]: [p.end for p in periods],
        },
        schema={
            name: pl.Date
            for name in (
                PERIOD_COLUMNS["period_start"],
                PERIOD_COLUMNS["period_end"],
                PERIOD_COLUMNS["as_of"],
            )
        },
    )
