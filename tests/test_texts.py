"""One card, the same words everywhere: the dashboard's card, the presenter's slide, the PPTX.

Every line of a card comes from ``dashboard.texts.card_text``; these tests take the demo
conference's deck and check that each card's lines appear, word for word, on the page's card and
on the PowerPoint slide, and that the rule for showing the expected value is one rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io

import pytest
from pptx import Presentation

from dashboard import components, texts
from dashboard.briefing import powerpoint
from metrics.deck import Card, Deck
from sources.problems import Location

BOARD = "conference-2025-11-14"


def _page_words(card: Card, lang: str) -> str:
    """The card's HTML as a reader sees it: tags gone, entities read."""
    markup = components.card_html(card, lang)  # type: ignore[arg-type]
    return html.unescape(" ".join(part.split(">")[-1] for part in markup.split("<")))


def _slide_texts(deck: Deck, lang: str) -> list[str]:
    prs = Presentation(io.BytesIO(powerpoint.build_pptx(deck, lang, images={})))  # type: ignore[arg-type]
    return [
        "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in prs.slides
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_card_says_the_same_words_on_the_page_and_in_the_briefing(deck: Deck, lang: str) -> None:
    slides = _slide_texts(deck, lang)
    checked = 0
    for slide, card in deck.cards():
        words = texts.card_text(card, lang)  # type: ignore[arg-type]
        lines = [words.value, words.status, *words.details]
        on_slide = slides[slide.index + 1]  # the cover comes first
        on_page = _page_words(card, lang)
        for line in lines:
            assert line in on_slide, (card.metric, line)
            assert line in on_page, (card.metric, line)
        checked += len(lines)
    assert checked > 40  # every card of the conference deck, not an empty loop


def test_a_yearly_figure_names_its_period_on_every_medium(deck: Deck) -> None:
    yearly = deck.card("st_disbursement_rate")
    assert yearly is not None and yearly.own_period
    words = texts.card_text(yearly, "vi")
    assert words.own_period == "Số liệu: Năm 2025"
    assert words.own_period in _page_words(yearly, "vi")
    assert any(words.own_period in text for text in _slide_texts(deck, "vi"))


@pytest.mark.parametrize(
    ("target", "expected", "shows_expected"),
    [(1.0, 0.934, True), (0.95, 0.95, False), (0.95, 0.95 + 1e-10, True), (None, 0.9, True)],
)
def test_one_rule_for_when_the_expected_value_shows(
    deck: Deck, target: float | None, expected: float, shows_expected: bool
) -> None:
    """The page's card, the overview's short line and the briefing's card never disagree on a
    value on a target path (``metrics.status.expected_differs``)."""
    base = deck.card("online_filing_rate") or next(c for _, c in deck.cards())
    card = dataclasses.replace(base, format="percent", target=target, expected=expected)
    words = texts.card_text(card, "vi")
    assert bool(words.expected) == shows_expected
    assert ("cần đạt" in _page_words(card, "vi")) == shows_expected
    assert texts.short_target(card, "vi").startswith("cần đạt") == shows_expected


def test_a_failed_card_says_why_and_where_everywhere() -> None:
    card = Card(
        metric="m", title={"vi": "Chỉ số <b>M</b>", "en": "Metric M"}, format="number",
        direction=None, period_start=dt.date(2025, 11, 1), period_end=dt.date(2025, 11, 30),
        value=None, target=None, expected=None, delta=None, status="no_data",
        error={"vi": "không đọc được nguồn", "en": "the source cannot be read"},
        location=Location("config/metrics/x.yaml", 7, 3),
    )  # fmt: skip
    words = texts.card_text(card, "en")
    assert (words.error, words.location) == (
        "the source cannot be read",
        "config/metrics/x.yaml, line 7",
    )
    page = _page_words(card, "en")
    assert words.error in page and words.location in page
    assert "Chỉ số &lt;b&gt;M" in components.card_html(card, "vi")  # staff text stays text
