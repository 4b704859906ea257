"""A deck's charts for the briefing files: the figure of each slide (built by
``dashboard.charts``, as the presenter shows it) and its PNG image.

Charts become PNG images through Plotly's Kaleido and the system Chromium. A browser start costs
seconds, so one Kaleido browser renders every chart of a deck; a chart that cannot be drawn (no
Chromium, a timeout) leaves a line saying why, and the rest of the briefing is still written.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from collections.abc import Mapping

import kaleido
import plotly.graph_objects as go
import polars as pl

from dashboard import charts, style
from dashboard.i18n import t
from metrics import fmt
from metrics.deck import ChartData, Deck, DeckSlide, pick
from sources.problems import Lang

log = logging.getLogger(__name__)

# The chart image: wide like the space it fills, type enlarged to read on paper and screens.
IMAGE_WIDTH = 1100
IMAGE_HEIGHT = 460
IMAGE_SCALE = 2
IMAGE_FONT_SCALE = 1.5
RENDER_TIMEOUT = 120.0  # seconds for the whole deck


def chart_title(chart: ChartData, lang: Lang) -> str:
    """``Hồ sơ giải quyết đúng hạn · 10 đơn vị cuối bảng``: the metric, and which bars are shown."""
    title = pick(chart.title, lang)
    if chart.kind == "breakdown":
        if chart.top:
            title += " · " + t("metric.top_n", lang, n=chart.top)
        if chart.bottom:
            title += " · " + t("metric.bottom_n", lang, n=chart.bottom)
    return title


def chart_figure(chart: ChartData, lang: Lang, *, height: int | None = None) -> go.Figure | None:
    """The slide's chart, built by ``dashboard.charts``; None when there is nothing to draw.

    The title is left to the medium (a text line above the chart), where it can neither collide
    with the legend nor shrink with the image.
    """
    if chart.error is not None or chart.rows.is_empty():
        return None
    if chart.kind == "breakdown":
        rows = chart.labelled(lang)
        if chart.bottom and not chart.top:
            # "The 10 at the bottom" names the units that need attention, not ones on target.
            behind = rows.filter(pl.col("value").is_not_null() & (pl.col("status") != "on_track"))
            if not behind.is_empty():
                rows = behind
        figure = charts.breakdown(
            rows,
            dim_label_col="label",
            key_col="key",
            fmt=chart.format,
            lang=lang,
            top=chart.top,
            bottom=chart.bottom,
            direction=chart.direction,
            height=height,
        )
        value_axis = figure.layout.xaxis
        _show_zero_bars(figure, rows)
    else:
        figure = charts.trend(
            chart.rows, fmt=chart.format, lang=lang, grain=chart.grain, height=height or 360
        )
        value_axis = figure.layout.yaxis
    if chart.format == "count":
        # Whole numbers only: a ",d" axis over a small range would repeat ticks (0 1 1 2 2).
        value_axis.update(tick0=0, dtick=_count_step(chart))
    return figure


def _show_zero_bars(figure: go.Figure, rows: pl.DataFrame) -> None:
    """A sliver for each bar at exactly 0 (its label still says 0), so a 0 is seen, not missed;
    a unit with no value keeps its empty stub."""
    zero = {str(k) for k, v in zip(rows["key"], rows["value"], strict=True) if v == 0}
    bars = figure.data[0]
    if not zero or bars.customdata is None:
        return
    span = figure.layout.xaxis.range
    values = [float(v) for v in bars.x]
    width = (span[1] - span[0]) if span else max((abs(v) for v in values), default=0.0)
    sliver = (width or 1.0) * 0.008
    bars.x = [
        sliver if str(key) in zero else v for key, v in zip(bars.customdata, values, strict=True)
    ]


def _count_step(chart: ChartData) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that keeps the axis to about eight ticks."""
    values = [abs(v) for v in chart.rows["value"].to_list() if v is not None]
    top = max(values, default=1.0)
    step, factors = 1, itertools.cycle((2, 2.5, 2))
    while top / step > 8:
        step = round(step * next(factors))
    return step


def _reason(exc: BaseException) -> str:
    """The first line of an error, for a note in the briefing."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


async def _render_async(figures: Mapping[int, go.Figure]) -> dict[int, bytes | str]:
    out: dict[int, bytes | str] = {}
    opts = {"format": "png", "width": IMAGE_WIDTH, "height": IMAGE_HEIGHT, "scale": IMAGE_SCALE}
    async with kaleido.Kaleido(n=1, mathjax=False, timeout=60) as renderer:
        for index, figure in figures.items():
            try:
                out[index] = await renderer.calc_fig(figure.to_dict(), opts=opts)
            except Exception as exc:  # noqa: BLE001 - one chart failing costs only that chart
                out[index] = _reason(exc)
    return out


_RENDER_LOCK = threading.Lock()  # one Chromium at a time, however many sessions export


def render_charts(deck: Deck, lang: Lang) -> dict[int, bytes | str]:
    """Every chart of the deck as PNG bytes (by slide index), through ONE Kaleido browser.

    A chart that cannot be drawn maps to the reason as text. Runs its own event loop in a
    worker thread, so it also works when the caller already runs one.
    """
    figures = {}
    for slide in deck.slides:
        if slide.chart is None:
            continue
        figure = chart_figure(slide.chart, lang, height=IMAGE_HEIGHT)
        if figure is not None:
            figures[slide.index] = charts.for_projector(figure, IMAGE_FONT_SCALE).update_layout(
                height=IMAGE_HEIGHT, width=IMAGE_WIDTH, paper_bgcolor=style.PAPER
            )
    if not figures:
        return {}
    result: dict[int, bytes | str] = {}

    def work() -> None:
        try:
            result.update(
                asyncio.run(asyncio.wait_for(_render_async(figures), timeout=RENDER_TIMEOUT))
            )
        except Exception as exc:  # noqa: BLE001 - no browser, a timeout: the files go without charts
            reason = _reason(exc)
            log.warning("charts could not be rendered: %s", reason)
            result.update(dict.fromkeys(figures, reason))

    with _RENDER_LOCK:
        worker = threading.Thread(target=work, name="kaleido-render", daemon=True)
        worker.start()
        worker.join()
    return result


def chart_problem(slide: DeckSlide, images: Mapping[int, bytes | str], lang: Lang) -> str:
    """Why a slide that has a chart shows none ("" when the image is there or none was asked)."""
    if slide.chart is None:
        return ""
    if slide.chart.error is not None:
        return t("brief.chart_unavailable", lang, reason=pick(slide.chart.error, lang))
    image = images.get(slide.index)
    if isinstance(image, bytes):
        return ""
    if slide.chart.rows.is_empty():
        return t("brief.chart_unavailable", lang, reason=fmt.no_data(lang))
    return t("brief.chart_unavailable", lang, reason=image or "–")
