"""The demo data generator: reproducible, complete, and telling the 14 Nov 2025 conference's story."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sqlite3
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from sources.demo import UNITS, generate, units_yaml

# The package's ``generate`` attribute is the function; the module of the same name holds it.
generate_module = importlib.import_module("sources.demo.generate")

TODAY = dt.date(2025, 11, 14)
SCALE = 0.05
YEARS = range(2021, 2026)
ROOT = Path(__file__).resolve().parents[1]


def load(out: Path) -> dict[str, pl.DataFrame]:
    """Every table the generator wrote, read back with Polars."""
    con = sqlite3.connect(out / "r57.sqlite")
    try:
        frames = {
            t: pl.read_database(f"SELECT * FROM {t}", con)  # noqa: S608 - fixed table names
            for t in ("tasks", "reports", "documents")
        }
    finally:
        con.close()
    frames["dossiers"] = pl.concat(
        [pl.read_parquet(out / "dossiers" / f"dossiers_{y}.parquet") for y in YEARS]
    )
    frames["budget"] = pl.concat(
        [pl.read_excel(out / "budget" / f"budget_{y}.xlsx", sheet_name="budget") for y in YEARS]
    )
    frames["surveys"] = pl.read_csv(out / "surveys.csv")
    frames["datasets"] = pl.read_csv(out / "datasets.csv")
    return frames


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, int]]]:
    out = {}
    for name, seed in (("a", 57), ("b", 57), ("c", 58)):
        folder = tmp_path_factory.mktemp(f"demo_{name}")
        out[name] = (folder, generate(folder, scale=SCALE, seed=seed))
    return out


@pytest.fixture(scope="module")
def data(runs) -> dict[str, pl.DataFrame]:
    return load(runs["a"][0])


def test_same_seed_gives_identical_data(runs):
    first, second = load(runs["a"][0]), load(runs["b"][0])
    assert first.keys() == second.keys()
    for name in first:
        assert_frame_equal(first[name], second[name], check_exact=True)
    assert runs["a"][1] == runs["b"][1]


def test_different_seed_gives_different_data(runs):
    first, other = load(runs["a"][0]), load(runs["c"][0])
    for name in ("tasks", "reports", "documents", "dossiers", "budget", "surveys", "datasets"):
        assert not first[name].equals(other[name]), name


def test_files_and_row_counts(runs, data):
    folder, counts = runs["a"]
    for year in YEARS:
        assert (folder / "dossiers" / f"dossiers_{year}.parquet").is_file()
        assert (folder / "budget" / f"budget_{year}.xlsx").is_file()
    assert counts == {name: frame.height for name, frame in data.items()}
    assert counts["tasks"] == 569
    assert counts["datasets"] == 62
    assert (
        counts["reports"] == (15 + 2 + 126) * 22
    )  # every department, agency and ward; 2024-01..2025-10
    assert 0.05 * 60_000 * 4 < counts["dossiers"] < 0.05 * 60_000 * 6
    marker = json.loads((folder / ".complete").read_text())
    assert (marker["seed"], marker["scale"], marker["rows"]) == (57, SCALE, counts)
    assert not list(folder.rglob(".tmp-*"))
    # Each yearly drop holds that year's dossiers only; ids are unique.
    for year in YEARS:
        drop = pl.read_parquet(folder / "dossiers" / f"dossiers_{year}.parquet")
        assert drop["received_at"].dt.year().unique().to_list() == [year]
    assert data["dossiers"]["dossier_id"].is_unique().all()


def test_scale_multiplies_volumes(tmp_path, runs):
    counts = generate(tmp_path, scale=2 * SCALE, seed=57)
    small = runs["a"][1]
    for name in ("dossiers", "documents", "surveys"):
        assert counts[name] == pytest.approx(2 * small[name], rel=0.01), name
    for name in ("tasks", "reports", "budget", "datasets"):
        assert counts[name] == small[name], name


def test_interrupted_run_leaves_no_marker(tmp_path, monkeypatch):
    generate(tmp_path, scale=0.01, seed=1)
    assert (tmp_path / ".complete").exists()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate_module, "build_surveys", broken)
    with pytest.raises(RuntimeError):
        generate(tmp_path, scale=0.01, seed=2)
    assert not (tmp_path / ".complete").exists()
    assert not list(tmp_path.rglob(".tmp-*"))


def test_units():
    ids = [u.id for u in UNITS]
    assert len(ids) == len(set(ids)) == 1 + 15 + 2 + 126
    kinds = [u.kind for u in UNITS]
    assert (kinds.count("ward"), kinds.count("commune")) == (51, 75)
    assert (kinds.count("department"), kinds.count("agency"), kinds.count("city")) == (15, 2, 1)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) and len(i) <= 64 for i in ids)
    assert {
        "so_y_te",
        "so_cong_thuong",
        "so_tu_phap",
        "phuong_hoan_kiem",
        "xa_soc_son",
        "hanoi",
    } <= set(ids)
    assert all(u.parent == "hanoi" for u in UNITS if u.kind != "city")
    names = [u.name_vi for u in UNITS]
    assert len(names) == len(set(names))
    assert (ROOT / "config" / "units.yaml").read_text(encoding="utf-8") == units_yaml()


def test_units_yaml_reads_back_strictly():
    from sources.yamlload import loads

    parsed = loads(units_yaml(), "units.yaml")["units"]
    assert [
        (u["id"], u["name"]["vi"], u["name"]["en"], u["kind"], u.get("parent")) for u in parsed
    ] == [(u.id, u.name_vi, u.name_en, u.kind, u.parent) for u in UNITS]


def test_unit_references_are_known(data):
    known = {u.id for u in UNITS}
    refs = {
        "tasks": ["lead_unit"],
        "reports": ["unit_id"],
        "documents": ["sender_unit", "receiver_unit"],
        "dossiers": ["unit_id", "handling_unit"],
        "budget": ["unit_id"],
        "surveys": ["unit_id"],
        "datasets": ["unit_id"],
    }
    for table, columns in refs.items():
        for column in columns:
            assert set(data[table][column].unique().to_list()) <= known, (table, column)
    cooperating = data["tasks"]["cooperating_units"].drop_nulls().str.split(",").explode()
    assert set(cooperating.to_list()) <= known
    wards = {u.id for u in UNITS if u.kind in ("ward", "commune")}
    assert wards <= set(data["dossiers"]["handling_unit"].to_list())
    assert wards <= set(data["reports"]["unit_id"].to_list())


def _as_date(frame: pl.DataFrame, column: str) -> pl.Series:
    series = frame[column]
    if series.dtype == pl.String:
        series = series.str.slice(0, 10).str.to_date("%Y-%m-%d")
    elif isinstance(series.dtype, pl.Datetime):
        series = series.dt.date()
    return series


def test_no_record_dated_after_today(data):
    """Only deadlines and due dates may lie in the future."""
    event_columns = {
        "tasks": ["start_date", "completed_on"],
        "reports": ["submitted_on"],
        "documents": ["sent_on"],
        "dossiers": ["received_at", "finished_at"],
        "budget": ["reported_on"],
        "surveys": ["responded_on"],
        "datasets": ["last_sync"],
    }
    for table, columns in event_columns.items():
        for column in columns:
            latest = _as_date(data[table], column).max()
            assert latest is not None and latest <= TODAY, (table, column, latest)
    # Future dates do occur where they belong.
    assert _as_date(data["tasks"], "deadline").max() > TODAY
    assert data["dossiers"]["due_at"].max().date() > TODAY - dt.timedelta(days=1)
    # Datetimes are strictly before the demo's "today", so date and datetime comparisons agree.
    assert data["dossiers"]["received_at"].max() < dt.datetime(2025, 11, 14)


def test_task_statuses_follow_dates(data):
    tasks = data["tasks"].with_columns(
        [_as_date(data["tasks"], c).alias(c) for c in ("start_date", "deadline", "completed_on")]
    )
    assert set(tasks["task_group"].unique().to_list()) == set(range(1, 8))
    assert set(tasks["level"].unique().to_list()) == {"central", "city_party", "city_people"}
    expected = (
        pl.when(pl.col("completed_on").is_null() & (pl.col("deadline") < TODAY))
        .then(pl.lit("overdue"))
        .when(pl.col("completed_on").is_null())
        .then(pl.lit("in_progress"))
        .when(pl.col("completed_on") <= pl.col("deadline"))
        .then(pl.lit("done_on_time"))
        .otherwise(pl.lit("done_late"))
    )
    assert (tasks["status"] == tasks.select(expected).to_series()).all()
    assert (
        tasks.drop_nulls("completed_on")
        .select(pl.col("completed_on") >= pl.col("start_date"))
        .to_series()
    ).all()


def test_conference_facts(data):
    tasks = data["tasks"]
    overdue = tasks.filter(
        (pl.col("deadline") < TODAY.isoformat()) & pl.col("completed_on").is_null()
    )
    assert overdue.filter(pl.col("level") == "central").height == 12
    assert overdue.filter(pl.col("level").is_in(["city_party", "city_people"])).height == 18
    assert overdue["lead_unit"].n_unique() >= 4  # spread over several units
    assert overdue["task_group"].n_unique() >= 3

    rates = (
        data["budget"]
        .filter(pl.col("program") == "st_recurrent")
        .group_by("year")
        .agg(rate=pl.col("disbursed").sum() / pl.col("allocated").sum())
    )
    rate = dict(zip(rates["year"], rates["rate"], strict=True))
    for year in (2021, 2022, 2023, 2024):
        assert rate[year] < 0.42, (year, rate[year])
    by_unit = (
        data["budget"]
        .filter(pl.col("program") == "st_recurrent", pl.col("year") == 2024)
        .group_by("unit_id")
        .agg(rate=pl.col("disbursed").sum() / pl.col("allocated").sum())
    )
    assert by_unit["rate"].max() - by_unit["rate"].min() > 0.2  # units differ

    d2025 = data["dossiers"].filter(pl.col("received_at").dt.year() == 2025)
    online = (d2025["channel"] == "online").mean()
    assert 0.98 <= online <= 1.0

    refusing = (
        data["datasets"].filter(pl.col("status") == "refused")["unit_id"].unique().sort().to_list()
    )
    assert refusing == ["so_cong_thuong", "so_tu_phap", "so_y_te"]
    assert not data["datasets"].filter(pl.col("unit_id").is_in(refusing))["shared"].any()


def test_service_quality_lags_online_filing(data):
    d = data["dossiers"].filter(
        pl.col("received_at").dt.year() == 2025, pl.col("finished_at").is_not_null()
    )
    on_time = (pl.col("finished_at") <= pl.col("due_at")) & (pl.col("supplement_requests") <= 1)
    rate = d.select(on_time.mean()).item()
    assert 0.6 <= rate <= 0.8
    loops = (d["supplement_requests"] >= 2).mean()
    assert 0.1 <= loops <= 0.2
    online_2021 = (
        data["dossiers"].filter(pl.col("received_at").dt.year() == 2021)["channel"] == "online"
    ).mean()
    assert online_2021 < 0.5
    scores = data["surveys"].group_by("unit_id").agg(pl.col("score").mean())["score"]
    assert 3.5 <= data["surveys"]["score"].mean() <= 4.2
    assert scores.max() - scores.min() > 0.3
    assert (data["surveys"]["satisfied"] == (data["surveys"]["score"] >= 4)).all()


def test_scale_one_generation_time(tmp_path):
    started = time.perf_counter()
    counts = generate(tmp_path, scale=1.0)
    elapsed = time.perf_counter() - started
    print(f"\ndemo data at scale 1: {elapsed:.2f} s, rows {counts}")
    assert counts["tasks"] == 569
