"""Meeting briefings: a board's deck as a PowerPoint (python-pptx) or a PDF (fpdf2).

``python -m dashboard.brief --board ID [--as-of D] [--lang vi|en] [--config DIR] --out F.pptx|F.pdf``

Both files are built from a ``metrics.deck.Deck``, the same object the presenter page shows, so
every number in them matches the screen. The texts shared by the page and the files (a card's
lines, the period, the footer) are composed here once.

Charts become PNG images through Plotly's Kaleido and the system Chromium. A browser start costs
seconds, so one Kaleido browser renders every chart of a deck; a chart that cannot be drawn (no
Chromium, a timeout) leaves a line saying why, and the rest of the briefing is still written.

Vietnamese needs a font with its glyphs: the PDF embeds DejaVu Sans (Debian's
``fonts-dejavu-core``); the PowerPoint names Arial, which has them on every office machine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import itertools
import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import kaleido
import plotly.graph_objects as go
import polars as pl
from fpdf import FPDF
from fpdf.fonts import FontFace
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import charts, style
from dashboard.i18n import t
from dashboard.texts import (
    card_text,
    footer_text,
    period_text,
    slide_subtitle,
    snapshot_text,
    source_rows,
)
from metrics import fmt
from metrics.deck import Card, ChartData, Deck, DeckSlide, compute_deck, pick
from metrics.workspace import open_workspace
from sources.problems import Lang, ProjectError

Kind = Literal["pptx", "pdf"]

log = logging.getLogger(__name__)

FONT_DIRS = (
    Path(os.environ.get("KPI_FONT_DIR", "/usr/share/fonts/truetype/dejavu")),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
FONT_REGULAR = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"
PPTX_FONT = "Arial"

# The chart image: wide like the space it fills, type enlarged to read on paper and screens.
IMAGE_WIDTH = 1100
IMAGE_HEIGHT = 460
IMAGE_SCALE = 2
IMAGE_FONT_SCALE = 1.5
RENDER_TIMEOUT = 120.0  # seconds for the whole deck

MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}


# --------------------------------------------------------------------------- charts


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


def _chart_problem(slide: DeckSlide, images: Mapping[int, bytes | str], lang: Lang) -> str:
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


# --------------------------------------------------------------------------- PowerPoint


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


Line = tuple[str, float, bool, str]  # text, size in points, bold, colour


def _runs(frame: Any, lines: Sequence[Line], *, align: PP_ALIGN | None = None) -> None:
    """Fill a text frame: one paragraph per line."""
    frame.word_wrap = True
    for number, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = PPTX_FONT
        run.font.color.rgb = _rgb(colour)


def _textbox(
    slide: Any,
    left: int,
    top: int,
    width: int,
    height: int,
    lines: Sequence[Line],
    *,
    align: PP_ALIGN | None = None,
) -> Any:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.margin_left = frame.margin_right = 0
    frame.margin_top = frame.margin_bottom = 0
    _runs(frame, lines, align=align)
    return box


def _pptx_title(
    slide: Any, text: str, left: int, top: int, width: int, height: int, size: float
) -> None:
    """Write the slide's title into its title placeholder (outline view and screen readers)."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)
    frame = shape.text_frame
    frame.clear()
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    _runs(frame, [(text, size, True, style.INK)], align=PP_ALIGN.LEFT)
    frame.vertical_anchor = MSO_ANCHOR.TOP


def _pptx_card(
    slide: Any, card: Card, lang: Lang, box: tuple[int, int, int, int], *, compact: bool
) -> None:
    """A card: a pale panel with a status-coloured bar and the card's lines."""
    left, top, width, height = box
    _rectangle(slide, left, top, width, height, style.CARD_FILL)
    _rectangle(slide, left, top, Inches(0.09), height, style.status_colour(card.status))
    text = card_text(card, lang)
    pad = Inches(0.18)
    lines = [
        (text.title, 9 if compact else 11, False, style.MUTED),
        (text.value, 20 if compact else 26, True, style.INK),
        (text.status, 9 if compact else 10, True, style.status_ink(card.status)),
    ]
    lines += [(x, 9 if x == text.error else 8, False, style.MUTED) for x in text.details]
    _textbox(
        slide,
        left + pad,
        top + Inches(0.1),
        width - pad - Inches(0.1),
        height - Inches(0.15),
        lines,
    )


def _rectangle(slide: Any, left: int, top: int, width: int, height: int, colour: str) -> None:
    shape = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height)
    )
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def build_pptx(deck: Deck, lang: Lang, images: Mapping[int, bytes | str] | None = None) -> bytes:
    """The deck as a 16:9 PowerPoint: title, one slide per deck slide, sources; notes in notes."""
    if images is None:
        images = render_charts(deck, lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    width, height = prs.slide_width, prs.slide_height
    margin = Inches(0.5)
    inner = width - 2 * margin
    total = len(deck.slides)

    # title slide
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _rectangle(slide, 0, 0, width, Inches(0.35), style.ACCENT)
    _textbox(
        slide,
        margin,
        Inches(1.2),
        inner,
        Inches(0.5),
        [(t("app.title", lang), 16, False, style.MUTED)],
    )
    _pptx_title(slide, pick(deck.title, lang), margin, Inches(1.9), inner, Inches(2.2), 36)
    lines = [(t("overview.as_of", lang, date=fmt.date(deck.as_of, lang)), 24, False, style.INK)]
    lines.append((period_text(deck, lang), 16, False, style.MUTED))
    if deck.snapshot is not None:
        lines.append((snapshot_text(deck, lang), 14, False, style.MUTED))
    _textbox(slide, margin, Inches(4.4), inner, Inches(1.6), lines)
    _textbox(
        slide,
        margin,
        height - Inches(0.7),
        inner,
        Inches(0.3),
        [(footer_text(deck, lang), 11, False, style.MUTED)],
    )

    for item in deck.slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        _pptx_title(
            slide, pick(item.title, lang), margin, Inches(0.3), inner - Inches(1.6), Inches(0.7), 30
        )
        _textbox(
            slide,
            width - margin - Inches(1.5),
            Inches(0.35),
            Inches(1.5),
            Inches(0.4),
            [(t("present.slide_of", lang, n=item.index + 1, total=total), 12, False, style.MUTED)],
            align=PP_ALIGN.RIGHT,
        )
        _textbox(
            slide,
            margin,
            Inches(1.0),
            inner,
            Inches(0.35),
            [(slide_subtitle(deck, item, lang), 14, False, style.MUTED)],
        )
        top = Inches(1.45)
        cards = item.cards
        if cards:
            per_row = min(len(cards), 6)
            rows = -(-len(cards) // per_row)
            compact = rows > 1
            gap = Inches(0.15)
            card_h = Inches(1.35) if compact else Inches(1.9)
            card_w = (inner - gap * (per_row - 1)) // per_row
            for number, card in enumerate(cards):
                r, c = divmod(number, per_row)
                left = margin + c * (card_w + gap)
                _pptx_card(
                    slide,
                    card,
                    lang,
                    (left, top + r * (card_h + gap), card_w, card_h),
                    compact=compact,
                )
            top += rows * card_h + (rows - 1) * gap + Inches(0.25)
        bottom = height - Inches(0.65)
        bullets = item.bullet_lines(lang)
        image = images.get(item.index)
        problem = _chart_problem(item, images, lang)
        has_chart = item.chart is not None
        chart_w = int(inner * 0.64) if bullets else inner
        if item.chart is not None:
            title = chart_title(item.chart, lang)
            _textbox(slide, margin, top, chart_w, Inches(0.35), [(title, 15, True, style.INK)])
        chart_top = top + Inches(0.4)
        if has_chart and isinstance(image, bytes):
            area_h = bottom - chart_top
            pic_w = chart_w
            pic_h = int(pic_w * IMAGE_HEIGHT / IMAGE_WIDTH)
            if pic_h > area_h:
                pic_h = area_h
                pic_w = int(pic_h * IMAGE_WIDTH / IMAGE_HEIGHT)
            slide.shapes.add_picture(io.BytesIO(image), margin, chart_top, pic_w, pic_h)
        elif problem:
            _textbox(
                slide, margin, chart_top, chart_w, Inches(0.6), [(problem, 14, False, style.MUTED)]
            )
        if bullets:
            left = margin + chart_w + Inches(0.3) if has_chart else margin
            box_w = inner - (chart_w + Inches(0.3) if has_chart else 0)
            box = _textbox(
                slide,
                left,
                top,
                box_w,
                bottom - top,
                [(f"• {b}", 18, False, style.INK) for b in bullets],
            )
            for paragraph in box.text_frame.paragraphs:
                paragraph.space_after = Pt(10)
        _textbox(
            slide,
            margin,
            height - Inches(0.5),
            inner,
            Inches(0.3),
            [(footer_text(deck, lang), 10, False, style.MUTED)],
        )
        notes = pick(item.notes, lang)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes

    # closing slide: the sources and their freshness
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _pptx_title(slide, t("brief.sources_title", lang), margin, Inches(0.3), inner, Inches(0.7), 30)
    _textbox(
        slide,
        margin,
        Inches(1.0),
        inner,
        Inches(0.35),
        [(t("overview.as_of", lang, date=fmt.date(deck.as_of, lang)), 14, False, style.MUTED)],
    )
    rows = source_rows(deck, lang)
    headers = (
        t("data.source", lang),
        t("data.health", lang),
        t("data.last_updated", lang),
        t("data.lateness", lang),
    )
    shape = slide.shapes.add_table(
        len(rows) + 1, 4, margin, Inches(1.6), inner, Inches(0.45) * (len(rows) + 1)
    )
    table = shape.table
    for column, share in enumerate((0.46, 0.22, 0.18, 0.14)):
        table.columns[column].width = int(inner * share)
    for r, row in enumerate([headers, *rows]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text_frame.clear()
            _runs(cell.text_frame, [(value, 13, r == 0, style.PAPER if r == 0 else style.INK)])
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- PDF


def _font_paths() -> tuple[Path, Path]:
    for folder in FONT_DIRS:
        regular, bold = folder / FONT_REGULAR, folder / FONT_BOLD
        if regular.exists() and bold.exists():
            return regular, bold
    raise FileNotFoundError(
        "DejaVu Sans is needed for Vietnamese text in PDF briefings: install the Debian package "
        "fonts-dejavu-core or set KPI_FONT_DIR to a folder holding DejaVuSans.ttf and "
        "DejaVuSans-Bold.ttf"
    )


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _nfc(text: str) -> str:
    """Precomposed Vietnamese letters: the font has a glyph for each, but no shaping of marks."""
    return unicodedata.normalize("NFC", text)


class _Pdf:
    """A thin layer over fpdf2 with the briefing's fonts, colours and page furniture."""

    W, H = 297.0, 210.0  # A4 landscape, mm
    M = 12.0

    def __init__(self, deck: Deck, lang: Lang) -> None:
        self.deck, self.lang = deck, lang
        pdf = FPDF(orientation="L", unit="mm", format="A4")
        regular, bold = _font_paths()
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        pdf.set_auto_page_break(False)
        pdf.set_margins(self.M, self.M, self.M)
        pdf.set_title(_nfc(pick(deck.title, lang)))
        pdf.set_lang(lang)
        pdf.set_creator(_nfc(t("app.title", lang)))
        self.pdf = pdf

    def text(
        self,
        x: float,
        y: float,
        w: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: str = style.INK,
        align: str = "L",
        line: float = 1.3,
        max_lines: int | None = None,
    ) -> float:
        """Write wrapped text; returns the y below it."""
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*_hex(colour))
        height = size * 0.3528 * line
        lines = pdf.multi_cell(w, height, _nfc(text), dry_run=True, output="LINES")
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1].rstrip()[:-1] + "…"
        for number, content in enumerate(lines):
            pdf.set_xy(x, y + number * height)
            pdf.cell(w, height, content, align=align)
        return y + len(lines) * height

    def rect(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        self.pdf.set_fill_color(*_hex(colour))
        self.pdf.rect(x, y, w, h, style="F")

    def page(self) -> None:
        self.pdf.add_page()

    def footer(self, number: int, total: int) -> None:
        y = self.H - 9
        self.pdf.set_draw_color(*_hex(style.GRID))
        self.pdf.line(self.M, y - 1.5, self.W - self.M, y - 1.5)
        self.text(
            self.M,
            y,
            self.W - 2 * self.M - 30,
            footer_text(self.deck, self.lang),
            7.5,
            colour=style.MUTED,
            max_lines=1,
        )
        self.text(
            self.W - self.M - 30, y, 30, f"{number}/{total}", 7.5, colour=style.MUTED, align="R"
        )

    def card(self, card: Card, x: float, y: float, w: float, h: float, compact: bool) -> None:
        self.rect(x, y, w, h, style.CARD_FILL)
        self.rect(x, y, 1.6, h, style.status_colour(card.status))
        text = card_text(card, self.lang)
        inner_x, inner_w = x + 4, w - 6
        cy = self.text(
            inner_x,
            y + 2.5,
            inner_w,
            text.title,
            7 if compact else 8,
            colour=style.MUTED,
            max_lines=2,
        )
        cy = self.text(
            inner_x,
            cy + 0.8,
            inner_w,
            text.value,
            14 if compact else 18,
            bold=True,
            line=1.15,
            max_lines=2,
        )
        cy = self.text(
            inner_x,
            cy + 0.5,
            inner_w,
            text.status,
            7 if compact else 8,
            bold=True,
            colour=style.status_ink(card.status),
        )
        for extra in text.details:
            if extra and cy < y + h - 3:
                cy = self.text(
                    inner_x,
                    cy,
                    inner_w,
                    extra,
                    6.5 if compact else 7,
                    colour=style.MUTED,
                    max_lines=2,
                )

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def build_pdf(deck: Deck, lang: Lang, images: Mapping[int, bytes | str] | None = None) -> bytes:
    """The deck as an A4 landscape PDF: the slide on top, its speaker notes under it."""
    if images is None:
        images = render_charts(deck, lang)
    doc = _Pdf(deck, lang)
    M, W = doc.M, doc.W
    inner = W - 2 * M
    pages = len(deck.slides) + 2

    doc.page()
    doc.rect(0, 0, W, 8, style.ACCENT)
    doc.text(M, 30, inner, t("app.title", lang), 12, colour=style.MUTED)
    y = doc.text(M, 42, inner, pick(deck.title, lang), 26, bold=True, line=1.2)
    y = doc.text(M, y + 10, inner, t("overview.as_of", lang, date=fmt.date(deck.as_of, lang)), 16)
    y = doc.text(M, y + 2, inner, period_text(deck, lang), 12, colour=style.MUTED)
    if deck.snapshot is not None:
        doc.text(M, y + 4, inner, snapshot_text(deck, lang), 10, colour=style.MUTED)
    doc.footer(1, pages)

    notes_top = 158.0
    for item in deck.slides:
        doc.page()
        doc.text(M, M, inner - 40, pick(item.title, lang), 20, bold=True, max_lines=1)
        doc.text(
            W - M - 40,
            M + 1.5,
            40,
            t("present.slide_of", lang, n=item.index + 1, total=len(deck.slides)),
            9,
            colour=style.MUTED,
            align="R",
        )
        y = (
            doc.text(M, M + 10, inner, slide_subtitle(deck, item, lang), 9.5, colour=style.MUTED)
            + 3
        )
        if item.cards:
            per_row = min(len(item.cards), 6)
            rows = -(-len(item.cards) // per_row)
            compact = rows > 1
            gap = 3.0
            card_h = 27.0 if compact else 34.0
            card_w = (inner - gap * (per_row - 1)) / per_row
            for number, card in enumerate(item.cards):
                r, c = divmod(number, per_row)
                doc.card(
                    card, M + c * (card_w + gap), y + r * (card_h + gap), card_w, card_h, compact
                )
            y += rows * card_h + (rows - 1) * gap + 4
        bullets = item.bullet_lines(lang)
        has_chart = item.chart is not None
        chart_w = inner * 0.64 if bullets else inner
        image = images.get(item.index)
        problem = _chart_problem(item, images, lang)
        chart_y = y
        if item.chart is not None:
            chart_y = doc.text(M, y, chart_w, chart_title(item.chart, lang), 10.5, bold=True) + 1
        area_h = notes_top - 4 - chart_y
        if has_chart and isinstance(image, bytes):
            pic_w = chart_w
            pic_h = pic_w * IMAGE_HEIGHT / IMAGE_WIDTH
            if pic_h > area_h:
                pic_h = area_h
                pic_w = pic_h * IMAGE_WIDTH / IMAGE_HEIGHT
            doc.pdf.image(io.BytesIO(image), x=M, y=chart_y, w=pic_w, h=pic_h)
        elif problem:
            doc.text(M, chart_y, chart_w, problem, 10, colour=style.MUTED)
        if bullets:
            left = M + chart_w + 6 if has_chart else M
            box_w = inner - (chart_w + 6 if has_chart else 0)
            by = y
            for bullet in bullets:
                by = doc.text(left, by, box_w, f"• {bullet}", 11) + 2
        doc.pdf.set_draw_color(*_hex(style.MUTED))
        doc.pdf.line(M, notes_top, W - M, notes_top)
        ny = doc.text(
            M, notes_top + 2, inner, t("present.notes", lang), 9, bold=True, colour=style.MUTED
        )
        doc.text(M, ny + 1, inner, pick(item.notes, lang) or "–", 10, max_lines=8)
        doc.footer(item.index + 2, pages)

    doc.page()
    doc.text(M, M, inner, t("brief.sources_title", lang), 20, bold=True)
    doc.text(
        M,
        M + 10,
        inner,
        t("overview.as_of", lang, date=fmt.date(deck.as_of, lang)),
        10,
        colour=style.MUTED,
    )
    doc.pdf.set_xy(M, M + 20)
    doc.pdf.set_font("DejaVu", "", 10)
    doc.pdf.set_text_color(*_hex(style.INK))
    doc.pdf.set_fill_color(255, 255, 255)  # the rows between the shaded ones
    doc.pdf.set_draw_color(*_hex(style.GRID))
    headings = FontFace(emphasis="BOLD", color=_hex(style.PAPER), fill_color=_hex(style.ACCENT))
    with doc.pdf.table(
        col_widths=(46, 22, 18, 14),
        text_align="LEFT",
        line_height=7,
        headings_style=headings,
        cell_fill_color=_hex(style.CARD_FILL),
        cell_fill_mode="ROWS",
    ) as table:
        for row in [
            (
                t("data.source", lang),
                t("data.health", lang),
                t("data.last_updated", lang),
                t("data.lateness", lang),
            ),
            *source_rows(deck, lang),
        ]:
            cells = table.row()
            for value in row:
                cells.cell(_nfc(value))
    doc.footer(pages, pages)
    return doc.output()


def build(deck: Deck, lang: Lang, kind: Kind) -> bytes:
    """A briefing file's bytes; the charts are rendered once for it."""
    images = render_charts(deck, lang)
    return build_pptx(deck, lang, images) if kind == "pptx" else build_pdf(deck, lang, images)


def file_name(deck: Deck, lang: Lang, kind: Kind) -> str:
    suffix = f"-snapshot-{deck.snapshot.id}" if deck.snapshot else ""
    return f"{deck.board_id}-{deck.as_of.isoformat()}{suffix}-{lang}.{kind}"


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Write a board's briefing; the file type follows the extension of ``--out``."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.brief",
        description="Write a board's deck as a PowerPoint (.pptx) or PDF (.pdf) briefing.",
    )
    parser.add_argument("--board", required=True, help="the board's id (config/boards/*.yaml)")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="compute the figures as of this date (YYYY-MM-DD) instead of the board's own",
    )
    parser.add_argument("--lang", choices=("vi", "en"), help="language (default: the settings')")
    parser.add_argument("--config", help="configuration folder (default: KPI_CONFIG or config/)")
    parser.add_argument("--out", required=True, type=Path, help="the file to write: .pptx or .pdf")
    args = parser.parse_args(argv)

    kind = args.out.suffix.lower().lstrip(".")
    if kind not in ("pptx", "pdf"):
        parser.error("--out must end in .pptx or .pdf")
    try:
        workspace = open_workspace(args.config, generate_demo=True)
    except ProjectError as exc:
        print(exc.render("en"), file=sys.stderr)
        return 2
    config = workspace.config
    lang: Lang = args.lang or config.settings.language
    board = config.boards.get(args.board)
    if board is None:
        known = ", ".join(sorted(config.boards)) or "-"
        print(t("present.unknown_board", lang, board=args.board) + f" ({known})", file=sys.stderr)
        return 2
    for problem in config.problems:
        if problem.subject_kind == "board" and problem.subject_id == board.id:
            print(problem.render(lang), file=sys.stderr)
    deck = compute_deck(
        config, workspace.catalog, board, as_of_default=workspace.default_as_of(), as_of=args.as_of
    )
    data = build(deck, lang, kind)  # type: ignore[arg-type]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_name(f".{args.out.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, args.out)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
