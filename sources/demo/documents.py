"""Official documents exchanged between units, 2023 to 14 Nov 2025.

The share sent through the electronic document system rises over time and with a unit's digital
maturity; some documents still travel on paper and some "outside" the system (personal e-mail,
chat apps), which the conference singled out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sources.demo.clock import LAST_DAY, day_range, day_weights
from sources.demo.rng import rng_for
from sources.demo.traits import Traits
from sources.demo.units import AGENCIES, DEPARTMENTS, WARDS_AND_COMMUNES

PER_YEAR = 24_000  # documents a year at scale 1
START = dt.date(2023, 1, 1)
DOC_TYPES = ["cong_van", "bao_cao", "ke_hoach", "quyet_dinh", "giay_moi", "to_trinh", "thong_bao"]
DOC_TYPE_P = [0.42, 0.18, 0.08, 0.09, 0.11, 0.05, 0.07]


def build_documents(seed: int, traits: Traits, scale: float) -> pl.DataFrame:
    rng = rng_for(seed, "documents")
    units = DEPARTMENTS + AGENCIES + WARDS_AND_COMMUNES
    idx = traits.index(units)
    kind_weight = np.array(
        [4.0] * len(DEPARTMENTS) + [3.0] * len(AGENCIES) + [1.0] * len(WARDS_AND_COMMUNES)
    )
    office = units.index("van_phong_ubnd")
    kind_weight[office] = 12.0  # the city office sends and receives the most
    send_p = kind_weight * traits.size[idx]
    send_p /= send_p.sum()

    days = day_range(START, LAST_DAY)
    weights = day_weights(days, weekend=0.03, holiday=0.01)
    n = round(PER_YEAR * scale * len(days) / 365.25)
    day = np.sort(rng.choice(days, size=n, p=weights))
    sender = rng.choice(len(units), size=n, p=send_p)
    receiver = rng.choice(len(units), size=n, p=send_p)
    clash = receiver == sender
    receiver[clash] = (receiver[clash] + 1 + rng.integers(0, len(units) - 1, clash.sum())) % len(
        units
    )

    # Time runs 0 (Jan 2023) .. 1 (Nov 2025); electronic share ~0.78 -> ~0.96 on average.
    t = (day - np.datetime64(START, "D")).astype(np.float64) / (days.size - 1)
    digital = traits.digital[idx][sender]
    logit = 1.1 + 2.2 * t + 0.55 * digital
    electronic = rng.random(n) < 1 / (1 + np.exp(-logit))
    outside = ~electronic & (rng.random(n) < 0.45 + 0.15 * t)
    channel = np.where(electronic, 0, np.where(outside, 1, 2))
    signed_p = np.where(electronic, 0.80 + 0.18 * t, np.where(outside, 0.12, 0.0))
    signed = (rng.random(n) < signed_p).astype(np.int64)
    doc_type = rng.choice(len(DOC_TYPES), size=n, p=DOC_TYPE_P)

    names = pl.Series(units)
    frame = pl.DataFrame(
        {
            "sender_unit": names.gather(sender),
            "receiver_unit": names.gather(receiver),
            "sent_on": day.astype("datetime64[D]"),
            "doc_type": pl.Series(DOC_TYPES).gather(doc_type),
            "channel": pl.Series(["electronic", "outside", "paper"]).gather(channel),
            "digitally_signed": signed,
        }
    )
    year = pl.col("sent_on").dt.year().cast(pl.String)
    number = (
        pl.int_range(1, pl.len() + 1).over(pl.col("sent_on").dt.year()).cast(pl.String).str.zfill(6)
    )
    return frame.select(pl.format("VB{}-{}", year, number).alias("doc_id"), pl.all())
