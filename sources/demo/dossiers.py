"""Administrative-procedure dossiers, one frame per year, built with vectorised numpy.

Volume follows the calendar (Tết dip, busier year end). The share filed online climbs from about a
third in 2021 to about 99% in 2025, but quality lags: many dossiers are sent back for supplements,
some more than once (which the national rule counts as overdue), and wards differ widely.
A dossier is on time when ``finished_at <= due_at`` and ``supplement_requests <= 1``.
2025 runs from 1 January to 13 November (the day before the demo's "today").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sources.demo.clock import CUTOFF, LAST_DAY, all_holidays, day_range, day_weights
from sources.demo.procedures import DEPARTMENT_PROCEDURES, PROCEDURES, WARD_PROCEDURES
from sources.demo.rng import rng_for
from sources.demo.traits import Traits
from sources.demo.units import WARDS_AND_COMMUNES

YEARS = (2021, 2022, 2023, 2024, 2025)
PER_YEAR = {
    2021: 52_000,
    2022: 56_000,
    2023: 60_000,
    2024: 63_000,
    2025: 66_000,
}  # full year, scale 1
SERVICE_CENTRE = "trung_tam_phuc_vu_hanh_chinh_cong"
WARD_SHARE = 0.72  # dossiers handled by wards and communes

# Online share at the start and the end of each year (city average; units vary around it).
ONLINE = {
    2021: (0.30, 0.42),
    2022: (0.45, 0.60),
    2023: (0.62, 0.76),
    2024: (0.78, 0.93),
    2025: (0.989, 0.996),
}
FULL_ONLINE = {2021: 0.45, 2022: 0.55, 2023: 0.68, 2024: 0.80, 2025: 0.90}
PAID_ONLINE = {2021: 0.15, 2022: 0.28, 2023: 0.42, 2024: 0.58, 2025: 0.74}
E_RESULT = {2021: 0.08, 2022: 0.18, 2023: 0.30, 2024: 0.45, 2025: 0.62}
REUSED = {2021: 0.03, 2022: 0.08, 2023: 0.16, 2024: 0.28, 2025: 0.45}
SUPPLEMENT_RATE = {2021: 0.62, 2022: 0.60, 2023: 0.58, 2024: 0.56, 2025: 0.55}

_DAY = np.timedelta64(1, "D")
_SECOND = np.timedelta64(1, "s")


def year_volume(year: int, scale: float) -> tuple[np.ndarray, np.ndarray, int]:
    """The days with dossiers in ``year``, their sampling weights, and the number of dossiers."""
    days = day_range(dt.date(year, 1, 1), dt.date(year, 12, 31))
    weights = day_weights(days, weekend=0.2, holiday=0.05)
    covered = days <= np.datetime64(LAST_DAY, "D")
    fraction = float(weights[covered].sum())
    n = round(PER_YEAR[year] * scale * fraction)
    w = weights[covered]
    return days[covered], w / w.sum(), n


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    return np.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def build_dossiers(seed: int, traits: Traits, year: int, scale: float) -> pl.DataFrame:
    """The dossiers received in ``year``, in order of receipt."""
    columns = _draw(seed, traits, year, scale)  # the draw's temporaries are freed on return
    order = np.argsort(columns.pop("received"), kind="stable")
    units = pl.Series(columns.pop("unit_names"))

    def take(name: str) -> np.ndarray:
        return columns.pop(name)[order]

    def moment(name: str, keep: str | None = None) -> pl.Series:
        values = pl.Series(take(name).astype("datetime64[us]"))
        if keep is not None:
            values = values.set(pl.Series(~take(keep)), None)
        return values

    proc = take("proc")
    frame = pl.DataFrame(
        {
            "procedure": pl.Series([p.code for p in PROCEDURES]).gather(proc),
            "procedure_name": pl.Series([p.name for p in PROCEDURES]).gather(proc),
            "unit_id": units.gather(take("receiver")),
            "handling_unit": units.gather(take("handler")),
            "channel": pl.Series(["online", "direct", "postal"]).gather(take("channel")),
            "full_online": take("full_online"),
            "received_at": moment("received_at"),
            "due_at": moment("due_at"),
            "finished_at": moment("finished_at", keep="has_finish"),
            "status": pl.Series(["done", "processing", "returned", "cancelled"]).gather(
                take("status")
            ),
            "supplement_requests": take("supplements"),
            "statutory_days": np.array([p.statutory_days for p in PROCEDURES], np.int64)[proc],
            "fee": np.array([p.fee for p in PROCEDURES], np.int64)[proc],
            "paid_online": take("paid_online"),
            "e_result": take("e_result"),
            "reused_data": take("reused_data"),
            "rating": pl.Series(take("rating")).set(pl.Series(~take("rated")), None),
        }
    )
    number = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)
    return frame.select(
        pl.format("HS{}-{}", pl.lit(str(year)), number).alias("dossier_id"), pl.all()
    )


def _draw(seed: int, traits: Traits, year: int, scale: float) -> dict[str, np.ndarray | list]:
    """Every column of a year's dossiers as numpy arrays (codes for text), in drawing order."""
    rng = rng_for(seed, "dossiers", year)
    days, weights, n = year_volume(year, scale)
    holidays = all_holidays()

    # Units: wards and communes by size; departments and the service centre for department procedures.
    wards = WARDS_AND_COMMUNES
    dept_handlers = sorted({p.handler for p in DEPARTMENT_PROCEDURES})
    unit_names = wards + dept_handlers + [SERVICE_CENTRE]
    unit_idx = traits.index(unit_names)
    ward_p = traits.size[unit_idx[: len(wards)]]
    ward_p = ward_p / ward_p.sum()

    at_ward = rng.random(n) < WARD_SHARE
    ward_w = np.array([p.weight for p in WARD_PROCEDURES])
    dept_w = np.array([p.weight for p in DEPARTMENT_PROCEDURES])
    ward_choice = rng.choice(len(WARD_PROCEDURES), size=n, p=ward_w / ward_w.sum())
    dept_choice = rng.choice(len(DEPARTMENT_PROCEDURES), size=n, p=dept_w / dept_w.sum())
    order = {p.code: i for i, p in enumerate(PROCEDURES)}
    ward_map = np.array([order[p.code] for p in WARD_PROCEDURES])
    dept_map = np.array([order[p.code] for p in DEPARTMENT_PROCEDURES])
    proc = np.where(at_ward, ward_map[ward_choice], dept_map[dept_choice])
    statutory = np.array([p.statutory_days for p in PROCEDURES])[proc]
    fee = np.array([p.fee for p in PROCEDURES], dtype=np.int64)[proc]
    capable = np.array([p.full_online for p in PROCEDURES])[proc]

    # The handling unit: the ward for ward procedures, the competent department otherwise;
    # department dossiers are received at the service centre about half the time.
    handler_pos = np.array(
        [
            len(wards) + dept_handlers.index(p.handler) if p.handler != "ward" else -1
            for p in PROCEDURES
        ]
    )[proc]
    ward_pick = rng.choice(len(wards), size=n, p=ward_p)
    handler = np.where(at_ward, ward_pick, handler_pos)
    at_centre = ~at_ward & (rng.random(n) < 0.55)
    receiver = np.where(at_centre, len(unit_names) - 1, handler)
    service = traits.service[unit_idx][handler]
    digital = traits.digital[unit_idx][handler]

    # When: a day by the seasonal weights; online filings at any hour, counters in office hours.
    day = rng.choice(days, size=n, p=weights)
    start_p, end_p = ONLINE[year]
    progress = (day - np.datetime64(f"{year}-01-01", "D")).astype(np.float64) / 365.0
    online_p = _sigmoid(_logit(start_p + (end_p - start_p) * progress) + 0.35 * digital)
    online = rng.random(n) < online_p
    channel_code = np.where(online, 0, np.where(rng.random(n) < 0.85, 1, 2))
    office = rng.integers(int(7.5 * 3600), int(16.5 * 3600), n)
    anytime = rng.integers(0, 86_400, n)
    office_hours_online = rng.random(n) < 0.7
    second = np.where(online & ~office_hours_online, anytime, office)
    received = day.astype("datetime64[s]") + second * _SECOND
    full_online = online & capable & (rng.random(n) < FULL_ONLINE[year])

    # Deadline: statutory working days after the day of receipt, at the end of the working day.
    due_day = np.busday_offset(day, statutory, roll="forward", holidays=holidays)
    due = due_day.astype("datetime64[s]") + 17 * 3600 * _SECOND

    # Supplement loops: more at weak units and for long procedures; heavy-tailed across dossiers.
    lam = (
        SUPPLEMENT_RATE[year]
        * np.exp(-0.45 * service)
        * (0.8 + 0.025 * statutory)
        * rng.gamma(2.0, 0.5, n)
    )
    supplements = np.minimum(rng.poisson(lam), 4)

    # Processing time in working days: a share of the statutory time, longer at weak units,
    # plus time lost on each supplement loop. The July 2025 reorganisation slowed wards for a while.
    ratio = rng.lognormal(-0.55 - 0.3 * service, 0.5, n)
    if year == 2025:
        month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
        ratio = ratio * np.where(at_ward & (month >= 7) & (month <= 9), 1.2, 1.0)
    work_days = (
        np.ceil(statutory * ratio).astype(np.int64) - 1 + supplements * rng.integers(1, 4, n)
    )
    work_days = np.maximum(work_days, 0)
    finish_day = np.busday_offset(day, work_days, roll="forward", holidays=holidays)
    finish_second = rng.integers(8 * 3600, 17 * 3600, n)
    finished = finish_day.astype("datetime64[s]") + finish_second * _SECOND
    too_early = finished <= received
    finished[too_early] = (
        received[too_early] + rng.integers(600, 3 * 3600, too_early.sum()) * _SECOND
    )

    # Status on the cut-off: cancelled by the applicant, returned as ineligible, done, or still open.
    u = rng.random(n)
    cancelled = u < 0.012
    returned = (u >= 0.012) & (u < 0.04)
    stuck = (u >= 0.04) & (u < 0.043)  # lost in the system, never finished
    open_now = stuck | (finished >= CUTOFF)
    status_code = np.where(cancelled, 3, np.where(open_now, 1, np.where(returned, 2, 0)))
    has_finish = (status_code == 0) | (status_code == 2)

    paid_online = (fee > 0) & online & (rng.random(n) < PAID_ONLINE[year])
    e_result = (status_code == 0) & (
        rng.random(n) < np.where(online, E_RESULT[year] * 1.15, E_RESULT[year] * 0.4)
    )
    reused = online & (rng.random(n) < np.clip(REUSED[year] * np.exp(0.3 * digital), 0.0, 0.95))

    # Ratings, from some of the finished dossiers: lower after loops and delays.
    late = finished > due
    mean = 4.25 + 0.3 * service - 0.55 * (supplements >= 2) - 0.6 * late
    rated = has_finish & (rng.random(n) < np.where(online, 0.32, 0.18))
    rating = np.clip(np.rint(rng.normal(mean, 0.85)), 1, 5).astype(np.int64)

    return {
        "unit_names": unit_names,
        "received": received.view(np.int64),
        "proc": proc,
        "receiver": receiver,
        "handler": handler,
        "channel": channel_code,
        "full_online": full_online,
        "received_at": received,
        "due_at": due,
        "finished_at": finished,
        "has_finish": has_finish,
        "status": status_code,
        "supplements": supplements.astype(np.int64),
        "paid_online": paid_online,
        "e_result": e_result,
        "reused_data": reused,
        "rating": rating,
        "rated": rated,
    }
