"""The deck as a 16:9 PowerPoint (python-pptx): a cover, one slide per deck slide, the sources;
the speaker's notes in each slide's notes.

The PowerPoint names Arial, which has the Vietnamese glyphs on every office machine.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

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
from metrics.deck import Card, Deck, DeckSlide, pick
from sources.problems import Lang

PPTX_FONT = "Arial"


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


CONCLUSION_SHARES = (0.04, 0.30, 0.15, 0.15, 0.08, 0.08, 0.10, 0.10)  # texts.conclusion_rows


def _table(
    slide: Any,
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
    box: tuple[int, int, int],
    size: int,
) -> None:
    """A table at ``box`` (left, top, width), its first row the headings, columns in shares of
    the width."""
    left, top, width = box
    shape = slide.shapes.add_table(
        len(rows), len(shares), left, top, width, Inches(0.45) * len(rows)
    )
    table = shape.table
    for column, share in enumerate(shares):
        table.columns[column].width = int(width * share)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text_frame.clear()
            _runs(cell.text_frame, [(value, size, r == 0, style.PAPER if r == 0 else style.INK)])


def _footer_and_notes(
    slide: Any, deck: Deck, item: DeckSlide, lang: Lang, frame: tuple[int, int, int]
) -> None:
    """The footer line of a slide, and its speaker notes in the notes page."""
    margin, height, inner = frame
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
        if item.conclusions is not None:
            headings, rows = conclusion_rows(item, lang)
            _table(slide, [headings, *rows], CONCLUSION_SHARES, (margin, top, inner), 11)
            _footer_and_notes(slide, deck, item, lang, (margin, height, inner))
            continue
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
        problem = chart_problem(item, images, lang)
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
        _footer_and_notes(slide, deck, item, lang, (margin, height, inner))

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
    headers = (
        t("data.source", lang),
        t("data.health", lang),
        t("data.last_updated", lang),
        t("data.lateness", lang),
    )
    rows = [headers, *source_rows(deck, lang)]
    _table(slide, rows, (0.46, 0.22, 0.18, 0.14), (margin, Inches(1.6), inner), 13)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


FORMAT = Format(
    name="pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    label={"vi": "Tải về PowerPoint", "en": "Download PowerPoint"},
    build=build_pptx,
)
