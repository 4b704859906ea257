"""Every card and chart in its own guard: one that raises shows a short error in its place, in
words (no trace, no path), and the rest of the page is drawn."""

from __future__ import annotations

import re

import pytest

from dashboard import charts, components, texts
from dashboard.briefing import figures
from tests.conftest import REPO
from tests.test_app_pages import CARD, run

PRESENTER = str(REPO / "dashboard" / "page_present.py")
BROKEN = "tasks_total"


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _no_trace(messages: list[str]) -> None:
    for message in messages:
        assert "Traceback" not in message and "/work/" not in message and ".py" not in message


def test_a_card_that_raises_leaves_the_other_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    original = components.card_html

    def card_html(card, lang):
        if card.metric == BROKEN:
            raise RuntimeError("/srv/secret/path.py: boom")
        return original(card, lang)

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
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PRESENTER, default_timeout=90)
    for name, value in {"board": "conference-2025-11-14", **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_slide_card_or_chart_that_raises_leaves_the_slide(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")
    original = texts.card_text

    def card_text(card, lang):
        if card.metric == "tasks_overdue_central":
            raise KeyError("boom")
        return original(card, lang)

    def chart_figure(*args, **kwargs):
        raise RuntimeError("no chart today")

    monkeypatch.setattr(texts, "card_text", card_text)
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
