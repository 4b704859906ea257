"""Figures as they were reported: the overview, metric, unit and tasks pages shown from a
published snapshot (``?reported=ID``) keep the meeting's figures after the data changes, with
today's figure and the change since under each card; a metric the snapshot did not report is
today's and says so."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from metrics.deck import compute_deck, publish_deck
from metrics.store import Store
from metrics.workspace import open_workspace
from tests.conftest import CONFERENCE, REPO
from tests.test_app_pages import as_read, run

SHARED = "datasets_shared_rate"  # on the conference deck's second slide: 79.0% on 14/11/2025


@pytest.fixture
def config(config_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo with a data folder of its own (the test changes a file in it), and its store."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    settings = config_copy / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(str(REPO / "data"), str(tmp_path / "data")), encoding="utf-8")
    monkeypatch.setenv("KPI_CONFIG", str(config_copy))
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.chdir(REPO)
    return config_copy


@pytest.fixture
def meeting(config: Path) -> int:
    """The 14/11/2025 conference, published."""
    workspace = open_workspace(config)
    board = workspace.config.boards[CONFERENCE]
    deck = compute_deck(
        workspace.config, workspace.catalog, board, as_of_default=dt.date(2025, 11, 14)
    )
    store = Store(os.environ["KPI_STORE_URL"])
    return publish_deck(store, deck, label="Hội nghị 14/11", author="Văn phòng").snapshot.id


def _card(at, metric: str) -> str:
    """The text of a metric's card as the reader sees it."""
    [body] = [h.value for h in at.html if f'data-card="{metric}"' in h.value]
    return re.sub(r"<[^>]+>", " ", body)


def _reported_line(at, metric: str) -> tuple[str, str]:
    [body] = [h.value for h in at.html if f'data-card="{metric}"' in h.value]
    kind, line = re.search(r'data-reported="(\w+)">([^<]*)<', body).groups()  # type: ignore[union-attr]
    return kind, html.unescape(line)


def test_a_page_from_a_snapshot_keeps_its_figures_after_the_data_changes(
    config: Path, meeting: int, tmp_path: Path
) -> None:
    before = run(lang="en", reported=str(meeting))
    assert "79.0%" in _card(before, SHARED)
    assert _reported_line(before, SHARED) == ("then", "Now: 79.0% (unchanged since frozen)")
    banner = as_read(before.info[0].value)
    assert banner.startswith("As reported on 14 Nov 2025: “Hội nghị 14/11”, snapshot no. 1")
    links = [link.proto.query_string for link in before.get("page_link")]
    assert links and all(f"reported={meeting}" in q for q in links)  # the view is kept

    datasets = tmp_path / "data" / "datasets.csv"  # every dataset shared since the meeting
    rows = datasets.read_text(encoding="utf-8").splitlines()
    shared = [re.sub(r",(true|false),", ",true,", row, count=1) for row in rows[1:]]
    time.sleep(1.1)
    datasets.write_text("\n".join([rows[0], *shared]) + "\n", encoding="utf-8")
    after = run(lang="en", reported=str(meeting))
    assert "79.0%" in _card(after, SHARED)  # as reported
    kind, line = _reported_line(after, SHARED)
    assert kind == "then" and line.startswith("Now: 100.0% (+21.0")
    live = run(lang="en")
    assert "100.0%" in _card(live, SHARED) and "data-reported" not in _card(live, SHARED)


def test_a_metric_the_snapshot_did_not_report_is_today_s_and_says_so(
    config: Path, meeting: int
) -> None:
    at = run("metric", lang="en", metric="satisfied_share", reported=str(meeting))
    assert _reported_line(at, "satisfied_share") == ("live", "Not in the report: today's figure")


def test_the_tasks_page_with_a_filter_says_the_report_is_the_city_s(
    config: Path, meeting: int
) -> None:
    city = run("tasks", lang="en", reported=str(meeting))
    assert _reported_line(city, "tasks_overdue_central")[0] == "then"
    filtered = run("tasks", lang="en", reported=str(meeting), level="central")
    assert "The report holds the city's figures only" in " ".join(c.value for c in filtered.caption)
    assert not [h for h in filtered.html if "data-reported" in h.value]


def test_the_sidebar_offers_the_published_snapshots(config: Path, meeting: int) -> None:
    at = run(lang="en")
    menu = at.sidebar.selectbox(key="reported")
    assert menu.value is None and menu.options == [
        "As reported on 14 Nov 2025 · Hội nghị 14/11 (no. 1)"
    ]
    menu.set_value(meeting).run()
    assert at.query_params["reported"] in (str(meeting), [str(meeting)])
    assert _reported_line(at, SHARED)[0] == "then"
