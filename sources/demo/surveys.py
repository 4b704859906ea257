"""Satisfaction survey responses (1-5) about public services, 2023 to 13 Nov 2025.

Responses come after a service at a ward, a department or the service centre; the service is a
procedure code or an area. Scores vary by unit (mean around 3.6-4.2) and improve slowly.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sources.demo.clock import LAST_DAY, day_range, day_weights
from sources.demo.procedures import DEPARTMENT_PROCEDURES, PROCEDURES, WARD_PROCEDURES
from sources.demo.rng import rng_for
from sources.demo.traits import Traits
from sources.demo.units import WARDS_AND_COMMUNES

PER_YEAR = 12_000  # responses a year at scale 1
START = dt.date(2023, 1, 1)
SERVICE_CENTRE = "trung_tam_phuc_vu_hanh_chinh_cong"
AREAS = ["tiep_nhan", "thai_do_can_bo", "co_so_vat_chat", "cong_dich_vu_cong", "thoi_gian_cho"]
CHANNELS = ["online", "kiosk", "sms"]


def build_surveys(seed: int, traits: Traits, scale: float) -> pl.DataFrame:
    rng = rng_for(seed, "surveys")
    days = day_range(START, LAST_DAY)
    weights = day_weights(days, weekend=0.3, holiday=0.1)
    n = round(PER_YEAR * scale * days.size / 365.25)
    day = np.sort(rng.choice(days, size=n, p=weights))

    depts = sorted({p.handler for p in DEPARTMENT_PROCEDURES})
    units = WARDS_AND_COMMUNES + depts + [SERVICE_CENTRE]
    idx = traits.index(units)
    unit_p = traits.size[idx] * np.array(
        [1.0] * len(WARDS_AND_COMMUNES) + [1.5] * len(depts) + [8.0]
    )
    unit = rng.choice(len(units), size=n, p=unit_p / unit_p.sum())
    is_ward = unit < len(WARDS_AND_COMMUNES)

    # Service: a procedure the unit handles, or an area of service; one draw per unit, not per row.
    ward_codes = [p.code for p in WARD_PROCEDURES]
    dept_codes = {d: [p.code for p in DEPARTMENT_PROCEDURES if p.handler == d] for d in depts}
    options = [ward_codes] * len(WARDS_AND_COMMUNES) + [dept_codes[d] for d in depts]
    options.append([p.code for p in DEPARTMENT_PROCEDURES])
    vocabulary = [p.code for p in PROCEDURES] + AREAS
    position = {v: i for i, v in enumerate(vocabulary)}
    pick = rng.random(n)
    service = np.empty(n, dtype=np.int64)
    for i, codes in enumerate(options):
        rows = np.flatnonzero(unit == i)
        choice = np.array([position[c] for c in codes + AREAS])
        service[rows] = choice[(pick[rows] * len(choice)).astype(np.int64)]

    t = (day - np.datetime64(START, "D")).astype(np.float64) / 365.0
    quality = traits.service[idx][unit]
    mean = 3.86 + 0.3 * np.tanh(quality) + 0.06 * t + np.where(is_ward, 0.0, -0.05)
    score = np.clip(np.rint(rng.normal(mean, 0.95)), 1, 5).astype(np.int64)
    channel = rng.choice(len(CHANNELS), size=n, p=[0.55, 0.3, 0.15])

    frame = pl.DataFrame(
        {
            "unit_id": pl.Series(units).gather(unit),
            "service": pl.Series(vocabulary).gather(service),
            "channel": pl.Series(CHANNELS).gather(channel),
            "responded_on": day.astype("datetime64[D]"),
            "score": score,
        }
    ).with_columns((pl.col("score") >= 4).alias("satisfied"))
    number = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)
    return frame.select(pl.format("KS-{}", number).alias("response_id"), pl.all())
