"""The demo's calendar: its "today", the data cut-off, and how volume varies over the year.

The demo is seen on 14 Nov 2025, the day of the steering board's conference. Every recorded event
(a dossier received, a document sent, a survey answered, a task completed) happens before the
start of that day, so it counts whether a reader compares dates with ``<= 2025-11-14`` or
datetimes with ``< 2025-11-14 00:00``. Only deadlines and due dates lie later.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

TODAY = dt.date(2025, 11, 14)
LAST_DAY = TODAY - dt.timedelta(days=1)  # the last day with recorded events
CUTOFF = np.datetime64("2025-11-14T00:00:00", "s")  # events strictly before this moment

# First day of the Lunar New Year (Tết Nguyên Đán).
TET = {
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
}

# Relative volume by month: quiet around Tết, busier towards the year end.
MONTH_FACTOR = np.array([0.95, 0.80, 1.00, 1.00, 1.00, 0.95, 0.95, 0.95, 1.00, 1.05, 1.10, 1.25])


def holidays(year: int) -> list[np.datetime64]:
    """Public holidays of a year (Tết week, 30/4-1/5, 2/9, New Year) for working-day arithmetic."""
    days: list[dt.date] = [
        dt.date(year, 1, 1),
        dt.date(year, 4, 30),
        dt.date(year, 5, 1),
        dt.date(year, 9, 2),
    ]
    tet = TET.get(year)
    if tet is not None:
        days += [tet + dt.timedelta(days=k) for k in range(-2, 5)]
    return [np.datetime64(d, "D") for d in days]


def all_holidays() -> np.ndarray:
    return np.array(
        [h for year in range(2020, 2028) for h in holidays(year)], dtype="datetime64[D]"
    )


def day_range(start: dt.date, end: dt.date) -> np.ndarray:
    """Every day from ``start`` to ``end`` inclusive, as datetime64[D]."""
    return np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1, dtype="datetime64[D]")


def day_weights(days: np.ndarray, *, weekend: float = 0.15, holiday: float = 0.05) -> np.ndarray:
    """Relative volume of each day: month seasonality, quiet weekends and holidays, Tết dip."""
    months = days.astype("datetime64[M]").astype(int) % 12
    weights = MONTH_FACTOR[months].copy()
    weekday = (days.astype("datetime64[D]").astype(int) + 3) % 7  # 0 = Monday
    weights[weekday >= 5] *= weekend
    weights[np.isin(days, all_holidays())] *= holiday
    for tet in TET.values():  # the weeks either side of Tết are slow too
        t = np.datetime64(tet, "D")
        near = (days >= t - 10) & (days <= t + 12)
        weights[near] *= 0.7
    return weights / weights.sum()
