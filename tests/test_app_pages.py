"""Every page, run in-process with Streamlit's AppTest on the demo data as of 14/11/2025.

Each page must render without an exception, show the cards and headings it promises, take its
view from the URL's query parameters, and survive a broken metric or a missing source by showing
an error card in its place while the rest renders. The pure HTML builders behind the cards are
checked directly at the end.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, components, style, texts, views
from metrics.config import Config
from metrics.deck import Card
from metrics.engine import Request, compute
from metrics.loader import load_config
from metrics.workspace import open_workspace
from sources.demo import generate
from sources.health import Freshness
from sources.problems import Location, Problem

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
TIMEOUT = 90  # the first run computes every metric from the sources
CARD = re.compile(r'data-card="([^"]+)"')
ERROR = re.compile(r'data-error="([^"]+)"')
HEADLINE = re.compile(r'data-headline="([^"]+)"')


def demo_copy(root: Path) -> Path:
    """The repository's configuration copied to ``root/config``, with the demo data generated
    into ``root/data`` (its ``data_root`` is ``../data``) as ``python -m sources demo --out``
    does: the pages are tested on the current configuration and on demo data made by the
    current generator, whatever is in ``data/``."""
    folder = root / "config"
    shutil.copytree(REPO / "config", folder)
    generate(root / "data")
    return folder


@pytest.fixture(scope="session")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("demo"))


@pytest.fixture(autouse=True)
def use_demo(demo_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("KPI_CONFIG", str(demo_config))


def run(
    page: str | None = None, *, state: Mapping[str, Any] | None = None, **params: str
) -> AppTest:
    """The app with ``params`` in its URL, on ``page`` (a ``dashboard/page_*.py`` name), its
    session holding ``state`` first (a signed-in user, say)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"dashboard/page_{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def as_read(markdown: str) -> str:
    """A label as the reader sees it: staff text is passed to Streamlit Markdown-escaped."""
    return markdown.replace("\\", "")


def param(at: AppTest, name: str) -> str:
    """A query parameter's value after the run (AppTest keeps seeded values as lists or text)."""
    value = at.query_params[name]
    return value if isinstance(value, str) else value[-1]


def found(at: AppTest, pattern: re.Pattern[str]) -> list[str]:
    return [m for h in at.html for m in pattern.findall(h.value)]


def html_with(at: AppTest, marker: str) -> str:
    return next(h.value for h in at.html if marker in h.value)


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def figure(at: AppTest, index: int) -> dict:
    """A Plotly chart's figure as JSON, numeric arrays decoded from Plotly's base64 form."""

    def decode(obj: object) -> object:
        if isinstance(obj, dict):
            if {"dtype", "bdata"} <= set(obj):
                arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
                return arr.tolist()
            return {k: decode(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [decode(v) for v in obj]
        return obj

    return decode(json.loads(at.get("plotly_chart")[index].proto.spec))  # type: ignore[return-value]


@pytest.fixture(scope="session")
def demo(demo_config: Path) -> Config:
    return load_config(demo_config)


# --------------------------------------------------------------------------- overview


def test_overview_shows_the_period_and_a_card_per_metric(demo: Config) -> None:
    at = run()
    assert headers(at) == ["Tổng quan"]
    assert "Tháng 11/2025, tính đến 14/11/2025" in [c.value for c in at.caption]
    assert sorted(found(at, CARD)) == sorted(demo.metrics)
    assert found(at, ERROR) == []
    themes = html_with(at, "r57-themes")
    for theme in demo.themes:
        assert f'data-theme="{theme}"' in themes


def test_overview_first_screen_carries_the_conference_figures() -> None:
    """12 and 18 overdue tasks, disbursement under 42% in 2021-2024, the online rate beside the
    on-time rate, and the three departments that keep their data closed."""
    at = run()
    themes = html_with(at, "r57-themes")
    headline = HEADLINE.findall(themes)
    assert headline[:2] == ["tasks_overdue_central", "tasks_overdue_city"]
    central = themes[themes.index('data-headline="tasks_overdue_central"') :]
    city = themes[themes.index('data-headline="tasks_overdue_city"') :]
    assert "✕ 12" in central[:400] and "✕ 18" in city[:400]
    assert "2021: 31,0% · 2022: 36,0% · 2023: 39,0% · 2024: 41,0%" in themes
    assert "cần đạt 93,4%" in themes and "mục tiêu 93,4%" not in themes  # a point on a path
    online = headline.index("online_filing_rate")
    assert headline[online + 1] == "dossiers_on_time_rate"
    sources = html_with(at, "data-source=")
    for department in ("Sở Y tế", "Sở Công Thương", "Sở Tư pháp"):
        assert department in sources
    assert "Từ chối chia sẻ" in sources


def test_overview_needs_attention_names_units_and_metrics() -> None:
    at = run()
    links = [as_read(link.value) for link in at.get("page_link")]
    assert "Xem tất cả nguồn →" in links
    assert any(label.startswith("✕ 12 ") and "Trung ương" in label for label in links)
    assert any(label.startswith("Sở Tài chính: 5 nhiệm vụ quá hạn") for label in links)


def test_overview_in_english_from_the_url() -> None:
    at = run(lang="en", grain="quarter")
    assert headers(at) == ["Overview"]
    assert "Q4 2025, as of 14 Nov 2025" in [c.value for c in at.caption]
    assert "Off track" in html_with(at, "r57-themes")


def test_overview_theme_parameter_narrows_the_cards(demo: Config) -> None:
    at = run(theme="service")
    service = [m.id for m in demo.metrics.values() if m.theme == "service"]
    assert sorted(found(at, CARD)) == sorted(service)


def test_every_page_keeps_the_shared_controls_in_the_url() -> None:
    at = run("tasks", as_of="2025-10-31", lang="en")
    assert param(at, "as_of") == "2025-10-31"
    assert param(at, "lang") == "en"
    assert param(at, "grain") == "month"  # the default, written so a copied link keeps it
    assert "October 2025, as of 31 Oct 2025" in [c.value for c in at.caption]


# --------------------------------------------------------------------------- one metric


def test_metric_page_from_a_pasted_link() -> None:
    at = run("metric", metric="tasks_overdue_city", by="unit")
    assert headers(at) == ["Nhiệm vụ quá hạn do Thành phố giao"]
    assert found(at, CARD) == ["tasks_overdue_city"]
    assert at.selectbox(key="metric").value == "tasks_overdue_city"
    assert at.selectbox(key="by").value == "unit"
    trend, breakdown = figure(at, 0), figure(at, 1)
    assert trend["data"][0]["y"][-1] == 18
    assert any(trace.get("name") == "Mục tiêu" for trace in trend["data"])
    bars = breakdown["data"][0]
    assert "Sở Tài chính" in bars["y"] and "so_tai_chinh" not in bars["y"]
    assert "so_tai_chinh" in bars["customdata"]  # the key a click drills down with
    assert len(at.get("download_button")) == 4  # CSV and Excel, by period and by unit


def test_metric_page_shows_the_definition_and_freshness(demo: Config) -> None:
    at = run("metric", metric="tasks_overdue_central")
    definition = " ".join(h.value for h in at.html)
    line = demo.metrics["tasks_overdue_central"].loc.line  # type: ignore[union-attr]
    assert f"metrics/discipline.yaml, dòng {line}" in definition
    assert "Văn phòng UBND Thành phố" in definition  # the owner, named
    assert 'level == "central"' in [c.value for c in at.code]
    assert "Cập nhật đúng hạn" in definition


def test_metric_page_show_control_follows_the_language() -> None:
    at = run("metric", metric="tasks_overdue_city", by="unit")
    assert "Tất cả" in at.selectbox(key="show_vi").options
    at.selectbox(key="show_vi").set_value("all").run()
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    show = at.selectbox(key="show_en")
    assert "All" in show.options and "Tất cả" not in show.options
    assert show.value == "all"  # the choice survives the switch


def test_metric_page_warns_about_an_unknown_metric() -> None:
    at = run("metric", metric="no_such_metric")
    assert any(texts.markdown_literal("no_such_metric") in w.value for w in at.warning)
    at = run("metric", metric="no_such_metric", lang="en")
    assert any("cannot be used" in w.value for w in at.warning)
    assert not run("metric", metric="tasks_total").warning


def test_metric_page_breakdown_by_group_names_the_groups() -> None:
    at = run("metric", metric="tasks_total", by="group")
    labels = figure(at, 1)["data"][0]["y"]
    assert "Đẩy mạnh chuyển đổi số" in labels
    assert sum(figure(at, 1)["data"][0]["x"]) == 569


# --------------------------------------------------------------------------- units


def test_units_scorecard_sorted_with_the_most_off_track_first() -> None:
    at = run("units", theme="discipline", kind="department")
    assert headers(at) == ["Bảng tổng hợp theo đơn vị"]
    heat = figure(at, 0)["data"][0]
    assert heat["type"] == "heatmap"
    z = heat["z"]
    off = [sum(1 for v in row if v == style.STATUS_ORDER.index("off_track")) for row in z]
    assert off == sorted(off, reverse=True)
    assert "Sở Y tế" in heat["y"]


def test_units_scorecard_lists_units_that_did_not_report_as_a_status_of_their_own() -> None:
    at = run("units", theme="satisfaction", kind="ward")
    data = figure(at, 0)["data"]
    heat = data[0]
    code = style.STATUS_ORDER.index("not_reported")
    silent = [name for name, row in zip(heat["y"], heat["z"], strict=True) if code in row]
    assert "Phường Hoàng Mai" in silent  # no survey from it: listed, not dropped
    assert "∅ Chưa báo cáo" in [trace.get("name") for trace in data[1:]]
    # counted against the unit like an off-track figure when the scorecard ranks the units
    against = {code, style.STATUS_ORDER.index("off_track")}
    counts = [sum(1 for v in row if v in against) for row in heat["z"]]
    assert counts == sorted(counts, reverse=True)


def test_units_scorecard_by_name() -> None:
    at = run("units", theme="service", kind="ward", sort="name")
    names = figure(at, 0)["data"][0]["y"]
    assert len(names) > 40 and names == sorted(names)


def test_one_unit_page(demo: Config) -> None:
    at = run("units", unit="so_y_te")
    assert headers(at) == ["Sở Y tế"]
    by_unit = [m.id for m in demo.metrics.values() if "unit" in m.dimensions]
    assert sorted(found(at, CARD)) == sorted(by_unit)
    tables = [df.value for df in at.dataframe]
    datasets = next(t for t in tables if "Bộ dữ liệu" in t.columns)
    assert len(datasets) == 5 and datasets["Kết nối"].str.contains("Từ chối").all()
    assert (datasets["Đã chia sẻ"] == "Không").all()
    assert "Chia sẻ dữ liệu" not in datasets.columns  # the connection is not the sharing


def test_one_unit_page_answers_for_tasks_reports_service_and_data() -> None:
    """Issue 5: one unit's tasks and overdue items, then its report timeliness and service
    quality, then its databases (shared, and connected or not), then its other metrics."""
    at = run("units", unit="so_tai_chinh")
    subs = [s.value for s in at.subheader]
    order = ["Nhiệm vụ được giao", "Báo cáo định kỳ", "Chất lượng phục vụ"]
    order += ["Cơ sở dữ liệu của đơn vị", "Các chỉ số khác"]
    assert [s for s in subs if s in order] == order
    cards = found(at, CARD)
    assert cards[:2] == ["reports_on_time_rate", "reports_with_figures_rate"]
    overdue = at.dataframe[0].value
    assert len(overdue) == 5 and len(overdue.columns) <= 5  # fits 1366 px
    assert "Đơn vị chủ trì" not in overdue.columns
    datasets = next(df.value for df in at.dataframe if "Bộ dữ liệu" in df.value.columns)
    assert {"Đã chia sẻ", "Kết nối"} <= set(datasets.columns)


# --------------------------------------------------------------------------- tasks


def test_tasks_counts_match_the_metrics() -> None:
    at = run("tasks")
    assert headers(at) == ["Nhiệm vụ thực hiện Nghị quyết 57"]
    assert "30 nhiệm vụ quá hạn" in [s.value for s in at.subheader]
    overdue = at.dataframe[1].value
    assert len(overdue) == 30
    assert (overdue["Tình trạng"] == "✕ Quá hạn").all()
    matrix = at.dataframe[0].value
    total = matrix.iloc[-1]
    assert total["Trung ương chỉ đạo"] == "142 · 12 quá hạn"
    assert total["Tổng"] == "569 · 30 quá hạn"
    groups = [as_read(e.label) for e in at.expander if e.label[0].isdigit()]
    assert len(groups) == 7 and groups[0].startswith("1. ")
    scope = "không theo bộ lọc tình trạng"
    assert any(scope in c.value for c in at.caption)


def test_tasks_filters_from_the_url() -> None:
    at = run("tasks", level="central", status="overdue")
    assert "12 nhiệm vụ quá hạn" in [s.value for s in at.subheader]
    assert "Đang hiển thị 12 nhiệm vụ" in [c.value for c in at.caption]
    cards = found(at, CARD)
    assert "tasks_overdue_central" not in cards  # has no 'level' dimension: not filterable
    assert "tasks_overdue" in cards


# --------------------------------------------------------------------------- data


def test_data_page_lists_every_source_and_the_closed_departments(demo: Config) -> None:
    at = run("data")
    assert headers(at) == ["Nguồn dữ liệu"]
    sources = at.dataframe[0].value
    assert len(sources) == len(demo.sources)
    assert (sources["Tình trạng"] == "⊘ Từ chối chia sẻ").sum() == 3
    closed = html_with(at, "data-closed=")
    for unit in ("so_y_te", "so_cong_thuong", "so_tu_phap"):
        assert f'data-closed="{unit}"' in closed
    # no source is late on the demo data: a sentence, not an empty lateness chart
    assert len(at.get("plotly_chart")) == 0
    assert "Không có nguồn nào chậm cập nhật" in [x.value for x in at.success]


def test_data_page_as_of_a_past_date_reads_nothing_from_the_future() -> None:
    at = run("data", as_of="2025-09-30")
    sources = at.dataframe[0].value
    updated = [
        dt.datetime.strptime(day, "%d/%m/%Y").date() for day in sources["Cập nhật lần cuối"] if day
    ]
    assert updated and max(updated) <= dt.date(2025, 9, 30)
    # the task register's file was written on 13/11/2025: its update date is not known then
    tasks = sources[sources["Nguồn"] == "Danh mục nhiệm vụ Nghị quyết 57"]
    assert list(tasks["Tình trạng"]) == ["– Chưa rõ ngày cập nhật"]
    assert list(tasks["Cập nhật lần cuối"]) == [""]


def test_no_lateness_chart_when_no_source_is_late() -> None:
    frame = pl.DataFrame(
        {"name": ["A", "B"], "source": ["a", "b"], "lateness_days": [None, 0.0]},
        schema_overrides={"lateness_days": pl.Float64},
    ).with_columns(status=pl.Series(["ok", "refused"]))
    assert not views.any_late(frame)
    assert views.any_late(frame.with_columns(lateness_days=pl.Series([None, 2.0])))
    assert views.any_late(frame.with_columns(status=pl.Series(["failed", "ok"])))


# --------------------------------------------------------------------------- robustness


def _copy_config(demo_config: Path, tmp_path: Path) -> Path:
    """Another copy of the demo configuration, to break, reading the same demo data."""
    folder = tmp_path / "config"
    shutil.copytree(demo_config, folder)
    _replace(
        folder / "settings.yaml", "data_root: ../data", f"data_root: {demo_config.parent / 'data'}"
    )
    _replace(folder / "settings.yaml", "state_dir: ../state", f"state_dir: {tmp_path / 'state'}")
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_broken_metric_shows_an_error_card_and_the_rest_renders(
    demo_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo: Config
) -> None:
    folder = _copy_config(demo_config, tmp_path)
    service = folder / "metrics" / "service.yaml"
    _replace(service, 'value: share(channel == "online")', 'value: share(chanel == "online")')
    line = (
        service.read_text(encoding="utf-8")
        .splitlines()
        .index('    value: share(chanel == "online")')
    )
    monkeypatch.setenv("KPI_CONFIG", str(folder))
    at = run()
    assert found(at, ERROR) == ["online_filing_rate"]
    assert sorted(found(at, CARD)) == sorted(m for m in demo.metrics if m != "online_filing_rate")
    card = html_with(at, 'data-error="online_filing_rate"')
    assert "Không tính được chỉ số Tỷ lệ hồ sơ nộp trực tuyến" in card
    assert "không có cột &#x27;chanel&#x27;" in card and "channel" in card
    assert f"service.yaml, dòng {line + 1}" in card
    assert "Traceback" not in " ".join(h.value for h in at.html)

    page = run("metric", metric="online_filing_rate")
    assert found(page, ERROR) == ["online_filing_rate"]
    assert headers(page) == ["Tỷ lệ hồ sơ nộp trực tuyến"]


def test_a_missing_source_shows_error_cards_and_a_failed_source(
    demo_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_config(demo_config, tmp_path)
    _replace(folder / "sources.yaml", "path: surveys.csv", "path: surveys_gone.csv")
    monkeypatch.setenv("KPI_CONFIG", str(folder))
    at = run()
    assert sorted(found(at, ERROR)) == ["satisfaction_score", "satisfied_share"]
    assert "dossier_rating" in found(at, CARD)  # same theme, another source
    assert 'data-source="surveys"' in html_with(at, "data-source=")
    data = run("data")
    assert "⚠ Không đọc được" in data.dataframe[0].value["Tình trạng"].to_list()
    # the error names the file from the config folder on: no server path on any page
    shown = " ".join(h.value for h in [*at.html, *data.html]) + data.dataframe[0].value.to_csv()
    assert "config/sources.yaml" in shown or "surveys_gone.csv" in shown
    assert str(tmp_path) not in shown and str(REPO) not in shown


def test_the_presenter_page_is_registered_when_it_exists() -> None:
    if not (REPO / "dashboard" / "page_present.py").exists():
        pytest.skip("dashboard/page_present.py is not written yet")
    at = run()
    at.switch_page("dashboard/page_present.py")  # raises ValueError when not registered


# --------------------------------------------------------------------------- the HTML builders


def _history(*values: float, yearly: bool = False) -> tuple[tuple[dt.date, float | None], ...]:
    """Consecutive periods ending in 2025 (years) or in 11/2025 (months)."""
    n = len(values)
    if yearly:
        starts = [dt.date(2025 - n + 1 + i, 1, 1) for i in range(n)]
    else:
        starts = [dt.date(2025, 11 - n + 1 + i, 1) for i in range(n)]
    return tuple(zip(starts, values, strict=True))


def _card(**changes: object) -> Card:
    base = {
        "metric": "tasks_overdue",
        "theme": "discipline",
        "title": {"vi": "Tổng số nhiệm vụ quá hạn", "en": "Overdue tasks"},
        "format": "count",
        "direction": "down",
        "period_start": dt.date(2025, 11, 1),
        "period_end": dt.date(2025, 11, 30),
        "value": 30.0,
        "target": 0.0,
        "expected": 0.0,
        "status": "off_track",
        "delta": -3.0,
        "delta_vs_year": False,
        "grain": "month",
        "history": _history(20.0, 25.0, 33.0, 30.0),
        "freshness": Freshness("ok", dt.date(2025, 11, 13), 0),
    }
    return Card(**{**base, **changes})  # type: ignore[arg-type]


def test_card_shows_value_target_status_delta_and_freshness() -> None:
    html = components.card_html(_card(), "vi")
    assert ">30<" in html and "Mục tiêu: 0" in html
    assert "✕ Không đạt" in html and "#9b2c2c" in html
    assert "r57-good" in html and "▼ −3 so với kỳ trước (tốt lên)" in html  # fewer overdue: good
    assert "Số liệu đến 13/11/2025" in html
    assert "data:image/svg+xml;base64," in html


def test_short_target_says_expected_on_a_target_path() -> None:
    on_path = _card(format="percent", value=0.79, target=1.0, expected=0.934)
    assert texts.short_target(on_path, "vi") == "cần đạt 93,4%"
    assert texts.short_target(on_path, "en") == "expected 93.4%"
    final = _card(format="percent", value=0.79, target=0.95, expected=0.95)
    assert texts.short_target(final, "vi") == "mục tiêu 95,0%"
    assert texts.short_target(_card(target=None, expected=None), "vi") == ""


def test_card_polarity_when_up_is_good() -> None:
    html = components.card_html(
        _card(format="percent", direction="up", value=0.9, delta=-0.02, target=0.95, expected=0.95),
        "vi",
    )
    assert "r57-bad" in html and "−2,0 điểm % so với kỳ trước (xấu đi)" in html


def test_card_without_data_says_so_rather_than_zero() -> None:
    html = components.card_html(_card(value=None, status="no_data", delta=None), "vi")
    assert "chưa có số liệu" in html and ">0<" not in html


@pytest.mark.parametrize(
    ("reason", "words"),
    [("overflow", "too large to represent"), ("division_by_zero", "division by zero")],
)
def test_card_without_data_says_why(reason: str, words: str) -> None:
    html = components.card_html(
        _card(value=None, status="no_data", delta=None, reason=reason), "en"
    )
    assert f'data-reason="{reason}"' in html and words in html


def test_card_marks_a_late_source() -> None:
    html = components.card_html(_card(freshness=Freshness("late", dt.date(2025, 11, 1), 6)), "en")
    assert 'data-fresh="late"' in html and "Source: Late · 6 days late" in html


def test_yearly_card_shows_labelled_bars() -> None:
    card = _card(
        format="percent",
        direction="up",
        value=0.47,
        history=_history(0.31, 0.36, 0.39, 0.41, 0.47, yearly=True),
        grain="year",
        delta=0.06,
        delta_vs_year=True,
    )
    html = components.card_html(card, "vi")
    assert 'alt="2021: 31,0% · 2022: 36,0% · 2023: 39,0% · 2024: 41,0% · 2025: 47,0%"' in html
    assert "so với năm trước" in html
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)).decode()  # type: ignore[union-attr]
    assert svg.count("<rect") == 5 and "stroke-dasharray" in svg
    assert ">31%</text>" in svg and ">41%</text>" in svg  # short labels over the bars


def test_money_history_labels_share_one_unit() -> None:
    card = _card(format="vnd", history=_history(1.4e12, 2.9e12, 2.4e12, yearly=True))
    assert components.history_texts(card, "vi") == ["1,4", "2,9", "2,4"]
    assert components.history_texts(card, "en") == ["1.4", "2.9", "2.4"]


def test_error_card_escapes_and_locates() -> None:
    problem = Problem(
        "engine.failed",
        {"detail": "<script>x</script>"},
        Location("config/metrics/x.yaml", 7, 3),
        subject_kind="metric",
        subject_id="m",
    )
    entry = views.MetricEntry("m", "t", "A <b>title</b>", None)
    html = components.error_card_html(views.error_card("m", entry, problem), "vi")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A &lt;b&gt;title&lt;/b&gt;" in html
    assert "config/metrics/x.yaml, dòng 7" in html


def test_sparkline_svg_has_gaps_and_needs_two_points() -> None:
    assert charts.sparkline_svg([1.0]) == ""
    svg = charts.sparkline_svg([1.0, 2.0, None, 3.0, 4.0])
    assert svg.count("<polyline") == 2 and "<circle" in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_scorecard_cells_are_clickable() -> None:
    frame = pl.DataFrame(
        {
            "unit": ["a", "a", "b"],
            "unit_label": ["Đơn vị A", "Đơn vị A", "Đơn vị B"],
            "metric_label": ["M1", "M2", "M1"],
            "status": ["on_track", "off_track", "at_risk"],
            "value": [1.0, 2.0, 3.0],
            "format": ["count"] * 3,
        }
    )
    fig = charts.scorecard_heatmap(
        frame,
        row_label_col="unit_label",
        col_label_col="metric_label",
        row_key_col="unit",
        lang="vi",
    )
    layer = charts.clickable_cells(fig).data[-1]
    assert list(layer.customdata) == ["a", "a", "b"]  # one marker per filled cell, the row's key
    assert list(layer.x) == ["M1", "M2", "M1"] and layer.marker.opacity == 0
    assert list(fig.layout.yaxis.range) == [1.5, -0.5]  # the grid is not padded by the markers


def test_tasks_filters_survive_a_visit_to_another_page() -> None:
    at = run("tasks", level="central", status="overdue")
    for page in ("overview", "tasks"):
        for name in ("level", "status"):  # the sidebar's links carry no page parameters
            if name in at.query_params:
                del at.query_params[name]
        at.switch_page(f"dashboard/page_{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    assert "Đang hiển thị 12 nhiệm vụ" in [c.value for c in at.caption]
    assert param(at, "level") == "central" and param(at, "status") == "overdue"


# --------------------------------------------------------------------------- a metric's own grain


def test_a_yearly_metric_at_month_grain_is_charted_by_year_with_the_cards_change(
    demo: Config,
) -> None:
    """The S&T budget comes once a year: on a monthly page it is read by year, never 0 đồng for
    the months before its report, and the card, the chart and the CLI agree on its change."""
    at = run("metric", metric="st_dt_allocated", grain="month")
    trend = figure(at, 0)["data"]
    line = next(trace for trace in trend if trace.get("mode", "").startswith("lines"))
    assert line["y"] and all(v > 0 for v in line["y"])  # no zero for a month nothing was due
    assert [str(x)[:4] for x in line["x"]] == ["2021", "2022", "2023", "2024", "2025"]
    card = html_with(at, 'data-card="st_dt_allocated"')
    assert "Số liệu: Năm 2025" in card
    assert "so với năm trước" in card and "−487 tỷ" in card
    engine = compute(
        demo,
        open_workspace(demo.folder).catalog,
        Request(dt.date(2025, 11, 14), "month", metrics=("st_dt_allocated",)),
    )
    (row,) = engine.values.rows(named=True)
    assert row["grain"] == "year" and row["delta"] == pytest.approx(-487e9, rel=0.01)


def test_a_units_page_shows_what_it_did_not_report() -> None:
    at = run("units", unit="phuong_hoang_mai")  # sent no satisfaction survey
    page = " ".join(h.value for h in at.html) + " ".join(m.value for m in at.markdown)
    assert 'data-status="not_reported"' in page and "Chưa báo cáo" in page
    assert "chưa báo cáo" in page  # counted in its theme's line


def test_the_task_register_marks_overdue_as_the_metric_defines_it(
    demo_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staff give overdue tasks 30 days' grace in the YAML: the Tasks page follows the figure."""
    from dashboard import registers

    folder = _copy_config(demo_config, tmp_path)
    _replace(
        folder / "metrics" / "discipline.yaml",
        "    value: count(deadline < as_of and (completed_on is null or completed_on > as_of))\n"
        "    format: count\n    default: 0  # a unit with none has 0, not 'did not report'\n"
        "    direction: down\n    target: 0\n    tolerance: 8\n",
        "    value: count(days_between(deadline, as_of) > 30 and (completed_on is null or "
        "completed_on > as_of))\n"
        "    format: count\n    default: 0\n    direction: down\n    target: 0\n    tolerance: 8\n",
    )
    monkeypatch.setenv("KPI_CONFIG", str(folder))
    as_of = dt.date(2025, 11, 14)
    workspace = open_workspace(folder)
    (row,) = compute(
        workspace.config, workspace.catalog, Request(as_of, metrics=("tasks_overdue",))
    ).values.rows(named=True)
    listed = registers.only_overdue(registers.tasks(as_of)).height
    assert listed == row["value"] and listed < 30  # fewer than the 30 without the grace
    at = run("tasks")
    assert not at.exception


def test_without_a_task_register_the_pages_say_so(
    demo_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_config(demo_config, tmp_path)
    _replace(
        folder / "settings.yaml",
        "  tasks: {source: tasks, assigned: tasks_total, overdue: tasks_overdue}\n",
        "",
    )
    monkeypatch.setenv("KPI_CONFIG", str(folder))
    tasks = run("tasks")
    assert not tasks.exception
    assert any("no 'tasks' register" in e.value or "chưa khai báo sổ 'tasks'" in e.value
               for e in tasks.error)  # fmt: skip
    overview = run()
    assert not overview.exception and "tasks_overdue" in found(overview, CARD)
