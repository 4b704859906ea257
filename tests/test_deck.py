"""Boards: their validation (file and line), and the deck computed once from the demo."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

import metrics.deck as deck_module
from metrics.deck import Deck, compute_deck, deck_from_snapshot, publish_deck
from metrics.engine import Request, compute
from metrics.loader import load_config
from metrics.store import Store
from metrics.workspace import Workspace, open_workspace
from tests.conftest import REPO
from tests.support import write_config

SOURCES = """\
sources:
  - id: dossiers
    title: Hồ sơ
    owner: u1
    kind: csv
    path: d.csv
    columns: {channel: str, received: date, unit: str}
"""
METRICS = """\
metrics:
  - id: m1
    title: Hồ sơ
    theme: t
    source: dossiers
    value: count()
    dimensions: [unit]
"""
CONFERENCE = "conference-2025-11-14"
AS_OF = dt.date(2025, 11, 14)


def board_problems(tmp_path: Path, board: str) -> list[str]:
    folder = write_config(tmp_path, sources=SOURCES, metrics=METRICS, boards={"deck": board})
    return [p.render("en") for p in load_config(folder).problems if p.subject_kind == "board"]


# --------------------------------------------------------------------------- validation


def test_an_unknown_metric_is_named_with_file_line_and_a_suggestion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    board = """\
id: deck
title: Họp
slides:
  - title: Một
    metrics: [m1, m11]
  - title: Hai
    chart: {metric: m_1, kind: trend}
"""
    assert board_problems(tmp_path, board) == [
        "config/boards/deck.yaml:5:14: error: board 'deck': unknown metric 'm11' (did you mean 'm1'?)",
        "config/boards/deck.yaml:7:21: error: board 'deck': unknown metric 'm_1' (did you mean 'm1'?)",
    ]


@pytest.mark.parametrize(
    ("board", "where", "says"),
    [
        ("id: deck\ntitle: Họp\nslides: []\n", "deck.yaml:3:9", "'slides'"),
        ("id: deck\ntitle: Họp\n", "deck.yaml:1:1", "missing required field 'slides'"),
        ("id: deck\ntitle: Họp\nslides:\n  - title: Trống\n", "deck.yaml:4:5", "a slide needs"),
    ],
    ids=["no slides", "slides missing", "a slide with nothing on it"],
)
def test_an_empty_deck_is_an_error_with_file_and_line(tmp_path, monkeypatch, board, where, says):
    monkeypatch.chdir(tmp_path)
    lines = board_problems(tmp_path, board)
    assert any(where in line and says in line for line in lines), lines


@pytest.mark.parametrize(
    ("chart", "where", "says"),
    [
        ("{metric: m1, kind: breakdown}", "6:12", "needs 'by'"),
        ("{metric: m1, kind: trend, by: unit}", "6:12", "breakdown chart only"),
        ("{metric: m1, kind: pie}", "6:31", "chart.kind'"),
        ("{metric: m1, kind: breakdown, by: unit, top: 0}", "6:57", "chart.top'"),
        ("{metric: m1, kind: trend, periods: 1}", "6:47", "chart.periods'"),
        (
            "{metric: m1, kind: breakdown, by: channel}",
            "6:46",
            "cannot be broken down by 'channel'",
        ),
    ],
)
def test_a_bad_chart_spec_is_an_error_with_file_and_line(tmp_path, monkeypatch, chart, where, says):
    monkeypatch.chdir(tmp_path)
    board = (
        f"id: deck\ntitle: Họp\nslides:\n  - title: Một\n    metrics: [m1]\n    chart: {chart}\n"
    )
    lines = board_problems(tmp_path, board)
    assert any(f"config/boards/deck.yaml:{where}:" in line and says in line for line in lines), (
        lines
    )


# --------------------------------------------------------------------------- the demo deck


def test_the_conference_deck_shows_the_conference_figures(deck: Deck) -> None:
    assert deck.as_of == AS_OF
    assert [s.title["vi"] for s in deck.slides] == [
        "Kỷ cương thực thi",
        "Dữ liệu và hạ tầng",
        "Nguồn lực",
        "Chất lượng phục vụ",
    ]
    assert deck.card("tasks_total").value == 569
    assert deck.card("tasks_overdue_central").value == 12
    assert deck.card("tasks_overdue_city").value == 18
    assert deck.card("st_disbursement_rate").value < 0.5
    assert deck.card("online_filing_rate").value > 0.98
    assert all(c.error is None for _, c in deck.cards())
    assert deck.slides[0].notes["vi"].startswith("Nêu rõ các đơn vị")
    assert deck.slides[0].bullet_lines("en")[0] == "569 tasks in 7 groups"


def test_every_card_agrees_with_the_engine(workspace: Workspace, deck: Deck) -> None:
    ids = tuple(c.metric for _, c in deck.cards())
    results = compute(workspace.config, workspace.catalog, Request(AS_OF, "month", 1, metrics=ids))
    for _, card in deck.cards():
        row = results.values.filter(pl.col("metric") == card.metric).row(-1, named=True)
        assert (card.value, card.target, card.status) == (
            row["value"],
            row["target"],
            row["status"],
        )


def test_the_charts_hold_their_data(workspace: Workspace, deck: Deck) -> None:
    overdue = deck.slides[0].chart
    assert overdue is not None and overdue.kind == "breakdown" and overdue.bottom == 10
    assert overdue.rows.columns == ["key", *deck_module.TREND_COLUMNS]
    assert overdue.rows["value"].sum() == deck.card("tasks_overdue_central").value + 18
    assert overdue.labels["so_y_te"] == {"vi": "Sở Y tế", "en": "Department of Health"}
    assert "label" in overdue.labelled("en").columns
    disbursement = deck.slides[2].chart
    assert disbursement is not None and disbursement.kind == "trend"
    assert disbursement.grain == "year" and disbursement.rows.height == 5
    assert disbursement.rows["value"][:4].max() < 0.42  # below 42% in each of 2021-2024


def test_the_deck_is_computed_with_one_request_for_the_cards_and_one_per_chart(
    workspace: Workspace, monkeypatch
) -> None:
    calls: list[Request] = []

    def counting(config, catalog, request):
        calls.append(request)
        return compute(config, catalog, request)

    monkeypatch.setattr(deck_module, "compute", counting)
    board = workspace.config.boards[CONFERENCE]
    compute_deck(workspace.config, workspace.catalog, board, as_of_default=AS_OF)
    charts = [s.chart for s in board.slides if s.chart]
    assert len(calls) == 1 + len(charts)  # the cards (yearly figures included), the charts
    assert len(calls[0].metrics) == len({m for s in board.slides for m in s.metrics})


def test_yearly_metrics_are_those_whose_data_comes_once_a_year(workspace: Workspace) -> None:
    config = workspace.config
    assert config.grain_of("st_disbursement_rate") == "year"  # grain: year
    assert config.grain_of("tasks_overdue_central") is None


def test_a_yearly_card_changes_against_the_previous_year(workspace: Workspace, deck: Deck) -> None:
    """The dashboard's rule: a figure that moves once a year is compared with last year, and
    the slide shows the same change as ``python -m metrics compute`` at its default month grain."""
    metric = "st_disbursement_rate"
    engine = compute(
        workspace.config, workspace.catalog, Request(AS_OF, "month", metrics=(metric,))
    )
    assert engine.values["grain"].to_list() == ["year"]
    card = deck.card(metric)
    assert card.delta_vs_year
    assert card.delta == pytest.approx(engine.values.sort("period_end")["delta"][-1])
    assert card.delta == pytest.approx(0.06)
    monthly = deck.card("tasks_overdue_central")
    assert not monthly.delta_vs_year and monthly.delta == -3


def test_sources_freshness_is_judged_as_of_the_deck(deck: Deck) -> None:
    ids = [s.id for s in deck.sources]
    assert {"tasks", "budget", "dossiers", "datasets"} <= set(ids)
    assert "health_records" not in ids  # refused, and no metric of the deck reads it
    assert all(s.status == "ok" for s in deck.sources)


def test_latest_takes_the_dashboards_date_and_as_of_overrides(workspace: Workspace) -> None:
    monthly = workspace.config.boards["monthly-review"]
    day = dt.date(2025, 10, 31)
    deck = compute_deck(workspace.config, workspace.catalog, monthly, as_of_default=day)
    assert deck.as_of == day
    assert deck.card("tasks_total").period_end == day
    conference = workspace.config.boards[CONFERENCE]
    fixed = compute_deck(workspace.config, workspace.catalog, conference, as_of_default=day)
    assert fixed.as_of == AS_OF  # a meeting's date does not move
    moved = compute_deck(
        workspace.config, workspace.catalog, conference, as_of_default=day, as_of=day
    )
    assert moved.as_of == day


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory) -> Path:
    """The demo configuration in a folder of its own (same data), for boards written by tests."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "config", root / "config")
    (root / "data").symlink_to(REPO / "data")
    return root / "config"


def test_a_unit_slide_filters_its_figures_and_a_broken_card_costs_only_itself(
    demo_copy: Path,
) -> None:
    (demo_copy / "boards" / "unit.yaml").write_text(
        "id: unit-deck\ntitle: Sở Y tế\nslides:\n"
        "  - title: Sở Y tế\n    unit: so_y_te\n"
        "    metrics: [tasks_overdue, reports_on_time_rate, no_such_metric]\n"
        "    chart: {metric: datasets_shared_rate, kind: breakdown, by: unit}\n",
        encoding="utf-8",
    )
    workspace = open_workspace(demo_copy, generate_demo=True)
    board = workspace.config.boards["unit-deck"]
    deck = compute_deck(workspace.config, workspace.catalog, board, as_of_default=AS_OF)
    slide = deck.slides[0]
    assert slide.unit == "so_y_te" and slide.unit_name["vi"] == "Sở Y tế"
    engine = compute(
        workspace.config,
        workspace.catalog,
        Request(AS_OF, "month", 1, filters=(("unit", "so_y_te"),), metrics=("tasks_overdue",)),
    )
    assert deck.card("tasks_overdue", "so_y_te").value == engine.values["value"][-1]
    broken = deck.card("no_such_metric", "so_y_te")
    assert broken.value is None and broken.status == "no_data" and broken.error
    assert slide.chart is not None and slide.chart.rows.height > 1  # units compared, not filtered


def test_a_published_deck_reads_back_exactly_as_presented(deck: Deck, tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    done = publish_deck(store, deck, label="Hội nghị", author="Văn phòng")
    again = deck_from_snapshot(store.read(done.snapshot.id))
    assert again.snapshot == done.snapshot
    assert again.layout() == deck.layout()
    assert again.card("st_disbursement_rate").delta_vs_year
    assert again.snapshot_values() == deck.snapshot_values()
    for before, after in zip(deck.slides, again.slides, strict=True):
        if before.chart is not None:
            assert after.chart is not None
            assert after.chart.rows.equals(before.chart.rows)
    assert not publish_deck(store, again, label="Hội nghị", author="x").created
