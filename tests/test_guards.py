"""Every card and chart in its own guard: one that raises shows a short error in its place, in
words (no trace, no path), and the rest of the page is drawn."""

from __future__ import annotations

import re

import pytest

from dashboard import charts, components, data, registers, texts, views
from dashboard.briefing import figures
from metrics.deck import DeckSlide
from tests.conftest import REPO
from tests.test_app_pages import CARD, as_read, run

PRESENTER = str(REPO / "dashboard" / "page_present.py")
BROKEN = "tasks_total"


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _no_trace(messages: list[str]) -> None:
    for message in messages:
        assert "Traceback" not in message and "/work/" not in message and ".py" not in message


def test_a_card_that_raises_leaves_the_other_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    original = components.card_html

    def card_html(card, lang, now=None):
        if card.metric == BROKEN:
            raise RuntimeError("/srv/secret/path.py: boom")
        return original(card, lang, now)

    monkeypatch.setattr(components, "card_html", card_html)
    at = run()
    shown = {m for h in at.html for m in CARD.findall(h.value)}
    assert BROKEN not in shown and len(shown) > 15  # every other card is there
    broken = [e for e in _errors(at) if "không hiển thị được" in e.lower()]
    assert len(broken) == 1 and "Tổng số nhiệm vụ" in broken[0]
    _no_trace(broken)


def test_a_chart_that_raises_leaves_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def trend(*args, **kwargs):
        raise ValueError("plotly exploded")

    monkeypatch.setattr(charts, "trend", trend)
    at = run("metric", metric="online_filing_rate", lang="en")
    assert not at.exception
    assert any(e.startswith("“Trend” cannot be shown") for e in _errors(at))
    assert any("data-card" in h.value for h in at.html)  # the card beside it is drawn
    _no_trace(_errors(at))


def _presenter(**params: str):
    from tests.test_present_page import run as present

    return present(board="conference-2025-11-14", **params)


def _break_card_words(monkeypatch: pytest.MonkeyPatch, tmp_path, metric: str) -> None:
    """The words of one card raise (and the presenter's store is the test's own)."""
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")
    original = texts.card_text

    def card_text(card, lang):
        if card.metric == metric:
            raise KeyError("boom")
        return original(card, lang)

    monkeypatch.setattr(texts, "card_text", card_text)


def test_a_slide_card_or_chart_that_raises_leaves_the_slide(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    _break_card_words(monkeypatch, tmp_path, "tasks_overdue_central")

    def chart_figure(*args, **kwargs):
        raise RuntimeError("no chart today")

    monkeypatch.setattr(figures, "chart_figure", chart_figure)
    at = _presenter(slide="1")
    errors = _errors(at)
    assert sum("không hiển thị được" in e.lower() for e in errors) == 2  # the card and the chart
    assert at.get_by_key("pc-title") and re.search(r"\d", " ".join(e.value for e in at.text))
    _no_trace(errors)


@pytest.mark.parametrize(
    ("page", "chart", "params", "words"),
    [
        ("metric", "breakdown", {"metric": "online_filing_rate"}, "Breakdown by"),
        ("units", "scorecard_heatmap", {}, "Unit scorecard"),
    ],
)
def test_a_breakdown_or_scorecard_that_raises_leaves_the_page(
    monkeypatch: pytest.MonkeyPatch, page: str, chart: str, params: dict[str, str], words: str
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(charts, chart, broken)
    at = run(page, lang="en", **params)
    errors = _errors(at)
    assert any(words in e and "cannot be shown" in e for e in errors), errors
    assert not at.exception and len(at.selectbox) >= 2  # the page's controls are drawn
    _no_trace(errors)


# Every table and list of every page, each broken in turn: the page says which part cannot be
# shown and draws every other section (its headings are those of the page unbroken).
SECTIONS = [
    ("overview", {}, components, "themes_html", "Themes at a glance"),
    ("overview", {}, components, "off_track_links", "Off-track metrics"),
    ("overview", {}, views, "top_units", "Most overdue tasks by unit"),
    ("overview", {}, views, "source_issues", "Refused or late sources"),
    ("metric", {"metric": "online_filing_rate"}, components, "period_table", "Data table"),
    ("metric", {"metric": "online_filing_rate"}, components, "definition", "Definition"),
    ("metric", {"metric": "online_filing_rate"}, components, "source_freshness", "freshness"),
    ("units", {"unit": "so_y_te"}, components, "task_table", "Assigned tasks"),
    ("units", {"unit": "so_y_te"}, components, "dataset_table", "The unit's databases"),
    ("tasks", {}, registers, "task_matrix", "Tasks by group"),
    ("tasks", {}, components, "task_table", "Overdue tasks"),
    ("data", {}, components, "sources_table", "Data sources"),
    ("data", {}, views, "freshness_frame", "Lateness by source"),
    ("data", {}, components, "sharing_table", "Data sharing"),
]
_BASELINE: dict[tuple[str, str], list[str]] = {}


def _headings(at) -> list[str]:
    return [h.value for h in at.subheader]


@pytest.mark.parametrize(
    ("page", "params", "module", "name", "words"),
    SECTIONS,
    ids=[f"{page}-{name}" for page, _, _, name, _ in SECTIONS],
)
def test_a_table_or_list_that_raises_leaves_the_rest_of_the_page(
    monkeypatch: pytest.MonkeyPatch, page, params, module, name, words
) -> None:
    key = (page, repr(sorted(params.items())))
    if key not in _BASELINE:
        _BASELINE[key] = _headings(run(page, lang="en", **params))

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path.py: boom")

    monkeypatch.setattr(module, name, broken)
    at = run(page, lang="en", **params)
    errors = _errors(at)
    said = [as_read(e).lower() for e in errors]
    assert any(words.lower() in e and "cannot be shown" in e for e in said), errors
    assert _headings(at) == _BASELINE[key]
    _no_trace(errors)


def test_a_slide_that_raises_keeps_the_way_to_the_next(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")

    def bullet_lines(self, lang):
        raise RuntimeError("no bullets")

    monkeypatch.setattr(DeckSlide, "bullet_lines", bullet_lines)
    at = _presenter(slide="2")
    errors = _errors(at)
    assert any("Trang 2/" in e and "không hiển thị được" in e.lower() for e in errors), errors
    assert at.button(key="pc-next") and at.button(key="pc-prev")
    at.button(key="pc-next").click().run()
    assert at.query_params["slide"] in ("3", ["3"])
    _no_trace(errors)


def test_the_speaker_view_lists_the_cards_it_can_say(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    _break_card_words(monkeypatch, tmp_path, "tasks_overdue_central")
    data.shown_slides().clear()  # no presenter shows another slide of the board
    at = _presenter(slide="1", view="notes")
    errors = _errors(at)
    assert len(errors) >= 1 and all("không hiển thị được" in e.lower() for e in errors)
    lines = [e.value for e in at.text]
    assert any(line.startswith("Tổng số nhiệm vụ Nghị quyết 57: ") for line in lines), lines
    _no_trace(errors)
