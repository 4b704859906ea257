"""The demo reproduces the figures of the 14/11/2025 conference, computed from its records."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from metrics.engine import Request, Results, compute
from metrics.loader import load_config
from sources.catalog import Catalog
from sources.demo import generate
from tests.conftest import REPO

AS_OF = dt.date(2025, 11, 14)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple:
    """The repository's configuration over freshly generated demo data (default seed and scale)."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "config", root / "config")
    generate(root / "data")
    config = load_config(root / "config")
    assert not config.errors, [p.render("en") for p in config.errors]
    return config, Catalog(config.sources, config.data_root)


def compute_one(demo, metric: str, **request) -> Results:
    config, catalog = demo
    request.setdefault("as_of", AS_OF)
    results = compute(config, catalog, Request(metrics=(metric,), **request))
    assert not results.errors, [e.problem.render("en") for e in results.errors]
    return results


def current(results: Results) -> float:
    return results.values.filter(pl.col("period_end") == AS_OF)["value"].item()


def test_569_tasks_in_7_groups(demo):
    assert current(compute_one(demo, "tasks_total")) == 569
    by_group = compute_one(demo, "tasks_total", by=("group",)).values
    assert by_group.height == 7 and by_group["value"].sum() == 569


def test_12_overdue_central_and_18_overdue_city(demo):
    assert current(compute_one(demo, "tasks_overdue_central")) == 12
    assert current(compute_one(demo, "tasks_overdue_city")) == 18
    assert current(compute_one(demo, "tasks_overdue")) == 30


def test_st_disbursement_below_42_percent_each_year_2021_to_2024(demo):
    yearly = compute_one(demo, "st_disbursement_rate", grain="year", periods=5).values
    rates = dict(zip(yearly["period_start"].dt.year(), yearly["value"], strict=True))
    assert sorted(rates) == [2021, 2022, 2023, 2024, 2025]
    for year in (2021, 2022, 2023, 2024):
        assert rates[year] < 0.42, (year, rates[year])
    assert set(yearly.filter(pl.col("period_start").dt.year() < 2025)["status"]) == {"off_track"}


def test_about_99_percent_of_2025_dossiers_online_while_on_time_is_lower(demo):
    online = current(compute_one(demo, "online_filing_rate", grain="year"))
    on_time = current(compute_one(demo, "dossiers_on_time_rate", grain="year"))
    assert 0.98 <= online <= 1.0
    assert on_time < online - 0.15


def test_health_industry_and_justice_do_not_share(demo):
    refused = compute_one(demo, "datasets_refused", by=("unit",)).values.filter(pl.col("value") > 0)
    assert set(refused["unit"]) == {"so_y_te", "so_cong_thuong", "so_tu_phap"}
    shared = compute_one(demo, "datasets_shared_rate", by=("unit",)).values
    closed = shared.filter(pl.col("unit").is_in(["so_y_te", "so_cong_thuong", "so_tu_phap"]))
    assert closed["value"].to_list() == [0.0, 0.0, 0.0]
    _, catalog = demo
    statuses = {h.id: h.status for h in catalog.health(today=AS_OF)}
    assert [s for s, st in statuses.items() if st == "refused"] == [
        "health_records",
        "trade_enterprises",
        "civil_status",
    ]


def test_some_units_report_late_and_some_documents_are_outside_the_system(demo):
    assert current(compute_one(demo, "reports_on_time_rate")) < 0.9
    assert current(compute_one(demo, "documents_outside_system", grain="year")) > 0


def test_every_catalogue_metric_has_a_value_and_a_status(demo):
    config, catalog = demo
    results = compute(config, catalog, Request(as_of=AS_OF))
    assert not results.errors
    assert results.values.height == len(config.metrics) >= 30
    assert results.values["value"].null_count() == 0
    for required in (
        "tasks_total",
        "tasks_overdue_central",
        "tasks_overdue_city",
        "st_disbursement_rate",
        "online_filing_rate",
        "dossiers_on_time_rate",
        "datasets_shared_rate",
        "satisfaction_score",
    ):
        assert required in config.metrics


def test_cli_compute_prints_the_catalogue(tmp_path):
    """The README's promise: `python -m metrics compute --as-of 2025-11-14` on the repo's config."""
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "compute", "--as-of", "2025-11-14", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    import json

    payload = json.loads(done.stdout)
    by_metric = {r["metric"]: r for r in payload["results"]}
    assert by_metric["tasks_overdue_central"]["value"] == 12
    assert by_metric["tasks_overdue_city"]["value"] == 18
    assert payload["errors"] == []
    assert Path(REPO / "data" / ".complete").exists()
