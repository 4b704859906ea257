"""The deck as a PDF (fpdf2), page for page like the PowerPoint.

Vietnamese needs a font with its glyphs: the PDF embeds DejaVu Sans (Debian's
``fonts-dejavu-core``, or ``KPI_FONT_DIR``).
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from dashboard import style
from dashboard.briefing.figures import (
    IMAGE_HEIGHT,
    IMAGE_WIDTH,
    chart_problem,
    chart_title,
    render_charts,
)
from dashboard.briefing.spec import Format
from dashboard.i18n import t
from dashboard.texts import (
    card_text,
    conclusion_rows,
    footer_text,
    period_text,
    slide_subtitle,
    snapshot_text,
    source_rows,
)
from metrics import fmt
from metrics.deck import Card, Deck, pick
from sources.problems import Lang

CONCLUSION_WIDTHS = (4, 30, 15, 15, 8, 8, 10, 10)  # texts.conclusion_rows
FONT_DIRS = (
    Path(os.environ.get("KPI_FONT_DIR", "/usr/share/fonts/truetype/dejavu")),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
FONT_REGULAR = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"


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

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        y: float,
        size: float,
        line: float,
    ) -> None:
        """A table across the page from ``y``, its first row the headings, columns in the
        proportions of ``widths``."""
        pdf = self.pdf
        pdf.set_xy(self.M, y)
        pdf.set_font("DejaVu", "", size)
        pdf.set_text_color(*_hex(style.INK))
        pdf.set_fill_color(255, 255, 255)  # the rows between the shaded ones
        pdf.set_draw_color(*_hex(style.GRID))
        headings = FontFace(emphasis="BOLD", color=_hex(style.PAPER), fill_color=_hex(style.ACCENT))
        with pdf.table(
            col_widths=tuple(widths),
            text_align="LEFT",
            line_height=line,
            headings_style=headings,
            cell_fill_color=_hex(style.CARD_FILL),
            cell_fill_mode="ROWS",
        ) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(_nfc(value))

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
        if item.conclusions is not None:
            headings, rows = conclusion_rows(item, lang)
            doc.table([headings, *rows], CONCLUSION_WIDTHS, y, 8, 4.6)
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
        problem = chart_problem(item, images, lang)
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
    headings = (
        t("data.source", lang),
        t("data.health", lang),
        t("data.last_updated", lang),
        t("data.lateness", lang),
    )
    doc.table([headings, *source_rows(deck, lang)], (46, 22, 18, 14), M + 20, 10, 7)
    doc.footer(pages, pages)
    return doc.output()


FORMAT = Format(
    name="pdf",
    mime="application/pdf",
    label={"vi": "Tải về PDF", "en": "Download PDF"},
    build=build_pdf,
)
