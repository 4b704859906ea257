"""Generate the demo data set: every source the dashboard reads, reproducible from a seed.

Layout of ``out/``::

    r57.sqlite                      tasks, reports, documents
    dossiers/dossiers_YYYY.parquet  2021..2025, one drop per year
    budget/budget_YYYY.xlsx         2021..2025, sheet "budget"
    surveys.csv                     satisfaction survey responses
    datasets.csv                    the data-sharing register
    .complete                       written last: {"seed": ..., "scale": ..., "rows": {...}}

Every file is written to a temporary name and renamed, and ``.complete`` is removed first and
written last, so a folder without it was interrupted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from sources.demo.budget import YEARS as BUDGET_YEARS
from sources.demo.budget import build_budget
from sources.demo.clock import LAST_DAY
from sources.demo.datasets import build_datasets
from sources.demo.documents import build_documents
from sources.demo.dossiers import YEARS as DOSSIER_YEARS
from sources.demo.dossiers import build_dossiers
from sources.demo.files import remove_stray_temporaries, write_text_atomic
from sources.demo.reports import build_reports
from sources.demo.surveys import build_surveys
from sources.demo.tasks import build_tasks
from sources.demo.traits import draw_traits
from sources.demo.writers import write_csv, write_excel, write_parquet, write_sqlite

MARKER = ".complete"
# Bumped whenever the generated tables change shape, so an older demo folder is generated again.
VERSION = 3
# Everything generate() writes at the top of its folder; anything else there is not the demo's.
OUTPUTS = frozenset({"r57.sqlite", "dossiers", "budget", "surveys.csv", "datasets.csv", MARKER})


def _date_files(out: Path) -> None:
    """Give every data file the demo's delivery time (the evening before the demo's today).

    File times are how some sources tell their freshness; a demo seen as of 14/11/2025 should not
    show files from the day it happened to be generated.
    """
    delivered = dt.datetime.combine(LAST_DAY, dt.time(18, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    stamp = delivered.timestamp()
    for path in out.rglob("*"):
        if path.is_file() and path.name != MARKER:
            os.utime(path, (stamp, stamp))


def is_current(out: Path) -> bool:
    """Whether ``out`` holds a complete demo of this version."""
    try:
        return (
            json.loads((Path(out) / MARKER).read_text(encoding="utf-8")).get("version") == VERSION
        )
    except (OSError, ValueError, AttributeError):
        return False


def generate(out: Path, *, scale: float = 1.0, seed: int = 57) -> dict[str, int]:
    """Write the demo data into ``out`` and return the number of rows of each table."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    remove_stray_temporaries(out)
    (out / MARKER).unlink(missing_ok=True)
    traits = draw_traits(seed)
    counts: dict[str, int] = {}

    tables = {
        "tasks": build_tasks(seed, traits),
        "reports": build_reports(seed, traits),
        "documents": build_documents(seed, traits, scale),
    }
    indexes = {
        "tasks": ["lead_unit"],
        "reports": ["unit_id", "period"],
        "documents": ["sent_on", "sender_unit"],
    }
    write_sqlite(out / "r57.sqlite", tables, indexes)
    counts.update({name: frame.height for name, frame in tables.items()})
    del tables

    counts["dossiers"] = 0
    for year in DOSSIER_YEARS:  # one year at a time keeps memory flat at large scales
        frame = build_dossiers(seed, traits, year, scale)
        write_parquet(out / "dossiers" / f"dossiers_{year}.parquet", frame)
        counts["dossiers"] += frame.height
        del frame

    counts["budget"] = 0
    for year in BUDGET_YEARS:
        frame = build_budget(seed, year)
        write_excel(out / "budget" / f"budget_{year}.xlsx", frame, sheet="budget")
        counts["budget"] += frame.height

    surveys = build_surveys(seed, traits, scale)
    write_csv(out / "surveys.csv", surveys)
    counts["surveys"] = surveys.height
    datasets = build_datasets(seed)
    write_csv(out / "datasets.csv", datasets)
    counts["datasets"] = datasets.height

    _date_files(out)
    marker = {"seed": seed, "scale": scale, "rows": counts, "version": VERSION}
    write_text_atomic(out / MARKER, json.dumps(marker, sort_keys=True) + "\n")
    return counts
