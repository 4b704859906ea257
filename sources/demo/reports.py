"""Monthly progress reports on Resolution 57 from every department, agency, ward and commune.

Each period's report is due on the 5th of the next month. Units with weak discipline file late
more often, and many reports carry no quantitative figures (the conference's "formal reports").
The report for 2025-10 (due 2025-11-05) is still missing from some units on 2025-11-14.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sources.demo.clock import LAST_DAY
from sources.demo.rng import rng_for
from sources.demo.traits import Traits
from sources.demo.units import AGENCIES, DEPARTMENTS, WARDS_AND_COMMUNES

FIRST_PERIOD = (2024, 1)
LAST_PERIOD = (2025, 10)
DUE_DAY = 5


def periods() -> list[tuple[int, int]]:
    out = []
    year, month = FIRST_PERIOD
    while (year, month) <= LAST_PERIOD:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def build_reports(seed: int, traits: Traits) -> pl.DataFrame:
    rng = rng_for(seed, "reports")
    units = DEPARTMENTS + AGENCIES + WARDS_AND_COMMUNES
    discipline = traits.of("discipline", units)
    digital = traits.of("digital", units)
    late_p = 1 / (1 + np.exp(1.3 + 1.3 * discipline))  # chance a report is late
    figures_p = 1 / (
        1 + np.exp(-(0.2 + 0.9 * digital + 0.5 * discipline))
    )  # has quantitative figures
    unit_col, period_col, due_col, submitted_col, figures_col = [], [], [], [], []
    for index, (year, month) in enumerate(periods()):
        nxt = dt.date(year + 1, 1, DUE_DAY) if month == 12 else dt.date(year, month + 1, DUE_DAY)
        n = len(units)
        late = rng.random(n) < late_p
        # On time: up to 6 days before the due date; late: 1 to 25 days after.
        offset = np.where(late, rng.integers(1, 26, n), -rng.integers(0, 7, n))
        never = rng.random(n) < 0.01 * (1 + (discipline < -1.0) * 3)
        # Figures become more common as the programme matures.
        figures = rng.random(n) < np.clip(figures_p + 0.01 * index, 0.0, 0.97)
        for i, unit in enumerate(units):
            submitted = nxt + dt.timedelta(days=int(offset[i]))
            if never[i] or submitted > LAST_DAY:
                submitted = None
            unit_col.append(unit)
            period_col.append(f"{year:04d}-{month:02d}")
            due_col.append(nxt)
            submitted_col.append(submitted)
            figures_col.append(None if submitted is None else int(figures[i]))
    frame = pl.DataFrame(
        {
            "unit_id": unit_col,
            "period": period_col,
            "due_date": due_col,
            "submitted_on": submitted_col,
            "has_figures": figures_col,
        },
        schema_overrides={"submitted_on": pl.Date, "has_figures": pl.Int64},
    )
    frame = frame.sort("period", "unit_id").with_row_index("n", offset=1)
    return frame.select(
        pl.format("BC-{}", pl.col("n").cast(pl.String).str.zfill(5)).alias("report_id"),
        pl.exclude("n"),
    )
