"""Briefings: the demo deck as PowerPoint and PDF, read back and checked against the engine."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from pptx import Presentation
from pypdf import PdfReader

import dashboard.briefing.__main__ as cli
from dashboard import briefing, texts
from metrics import fmt
from metrics.deck import ChartData, Deck
from metrics.engine import Request, compute
from metrics.workspace import Workspace
from tests.conftest import REPO

BOARD = "conference-2025-11-14"
TITLES_VI = ["Kỷ cương thực thi", "Dữ liệu và hạ tầng", "Nguồn lực", "Chất lượng phục vụ"]


def chromium() -> str | None:
    return (
        os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="module")
def images(deck: Deck) -> dict[int, bytes | str]:
    """The deck's charts, rendered once for every file built from them."""
    return briefing.figures.render_charts(deck, "vi")


@pytest.fixture(scope="module")
def engine_value(workspace: Workspace, deck: Deck):
    """A card's value as the engine computes it on its own, formatted for a reader."""

    def value(metric: str, lang: str = "vi") -> str:
        results = compute(
            workspace.config, workspace.catalog, Request(deck.as_of, deck.grain, metrics=(metric,))
        )
        row = results.values.filter(pl.col("metric") == metric).row(-1, named=True)
        return fmt.value(row["value"], workspace.config.metrics[metric].format, lang)

    return value


def test_a_card_says_which_way_its_change_goes_and_whether_that_is_good(deck: Deck) -> None:
    overdue = texts.card_text(deck.card("tasks_overdue_central"), "vi").delta
    assert overdue == "▼ −3 so với kỳ trước (tốt lên)"  # fewer overdue tasks is good news
    yearly = deck.card("st_disbursement_rate")
    assert texts.card_text(yearly, "vi").delta == "▲ +6,0 điểm % so với năm trước (tốt lên)"
    assert texts.card_text(yearly, "en").delta == "▲ +6.0 pp vs previous year (better)"
    worse = texts.card_text(deck.card("reports_on_time_rate"), "en").delta
    assert worse.startswith("▼ −3.5 pp") and worse.endswith("(worse)")
    assert texts.card_text(deck.card("tasks_total"), "vi").delta == "= 0 so với kỳ trước"


def test_a_card_without_a_value_says_why(deck: Deck) -> None:
    silent = dataclasses.replace(
        deck.card("tasks_overdue_central"), value=None, delta=None, status="no_data",
        reason="division_by_zero",
    )  # fmt: skip
    text = texts.card_text(silent, "vi")
    assert (text.value, text.error) == ("chưa có số liệu", "chia cho 0")
    assert texts.card_text(silent, "en").error == "division by zero"


def _breakdown(values: dict[str, float | None], statuses: dict[str, str]) -> ChartData:
    schema = {"key": pl.String, "value": pl.Float64, "target": pl.Float64, "status": pl.String}
    rows = pl.DataFrame(
        {
            "key": list(values),
            "value": list(values.values()),
            "target": [1.0] * len(values),
            "status": [statuses[k] for k in values],
        },
        schema=schema,
    )
    title = {"vi": "M", "en": "M"}
    return ChartData("m", "breakdown", title, "percent", "up", "month", rows, "unit", bottom=10)


def test_the_bottom_of_a_breakdown_leaves_out_units_on_target_and_shows_a_zero() -> None:
    chart = _breakdown(
        {"a": 1.0, "b": 0.0, "c": 0.5, "d": None},
        {"a": "on_track", "b": "off_track", "c": "at_risk", "d": "no_data"},
    )
    bars = briefing.figures.chart_figure(chart, "vi").data[0]
    assert sorted(bars.customdata) == ["b", "c"]
    shown = dict(zip(bars.customdata, bars.x, strict=True))
    assert 0 < shown["b"] < 0.05  # a sliver, labelled with its true 0
    assert shown["c"] == 0.5
    assert dict(zip(bars.customdata, bars.text, strict=True))["b"].endswith("0,0%")
    everyone_on_target = _breakdown({"a": 1.0, "b": 1.0}, {"a": "on_track", "b": "on_track"})
    assert len(briefing.figures.chart_figure(everyone_on_target, "vi").data[0].x) == 2


def test_charts_are_rendered_by_one_browser_for_the_whole_deck(deck: Deck, monkeypatch) -> None:
    if chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI to render chart images")
        pytest.skip("needs Chromium for Kaleido")
    started: list[object] = []
    original = briefing.figures.kaleido.Kaleido

    class Counting(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            started.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(briefing.figures.kaleido, "Kaleido", Counting)
    images = briefing.figures.render_charts(deck, "en")
    assert len(started) == 1
    assert sorted(images) == [s.index for s in deck.slides if s.chart is not None]
    assert all(isinstance(png, bytes) and png.startswith(b"\x89PNG") for png in images.values())


def test_the_powerpoint_has_every_slide_title_note_and_figure(
    deck: Deck, images, engine_value
) -> None:
    data = briefing.powerpoint.build_pptx(deck, "vi", images)
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) == len(deck.slides) + 2  # title, the deck, sources
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert slides[0].shapes.title.text == deck.title["vi"]
    assert [s.shapes.title.text for s in slides[1:-1]] == TITLES_VI
    assert slides[-1].shapes.title.text == "Nguồn dữ liệu và độ cập nhật"
    for slide, item in zip(slides[1:-1], deck.slides, strict=True):
        assert slide.notes_slide.notes_text_frame.text == item.notes["vi"]
    first = "\n".join(shape.text_frame.text for shape in slides[1].shapes if shape.has_text_frame)
    assert engine_value("tasks_overdue_central") == "12"
    for metric in ("tasks_total", "tasks_overdue_central", "reports_on_time_rate"):
        assert engine_value(metric) in first.splitlines()
    assert "Số liệu tính đến 14/11/2025" in first
    if chromium() is not None:
        pictures = [shape for slide in slides for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == sum(1 for s in deck.slides if s.chart is not None)
    sources = "\n".join(
        cell.text
        for shape in slides[-1].shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert "Hồ sơ thủ tục hành chính" in sources and "Cập nhật đúng hạn" in sources


def test_the_pdf_has_the_vietnamese_titles_values_and_notes(deck: Deck, images, engine_value):
    data = briefing.pdf.build_pdf(deck, "vi", images)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]  # lines unwrapped
    assert len(pages) == len(deck.slides) + 2
    assert "Hội nghị Ban Chỉ đạo về phát triển KHCN, ĐMST và CĐS" in pages[0]
    for page, title, item in zip(pages[1:-1], TITLES_VI, deck.slides, strict=True):
        assert title in page
        assert item.notes["vi"] in page
    assert engine_value("tasks_overdue_central") in pages[1].split()
    assert engine_value("reports_on_time_rate") in pages[1]
    assert engine_value("online_filing_rate") in pages[4]
    assert "Giải ngân chi thường xuyên KHCN" in pages[3]
    assert "Nguồn dữ liệu và độ cập nhật" in pages[-1] and "Cập nhật đúng hạn" in pages[-1]
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        for font in [font.get_object()]
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_english_briefings_use_english_texts(deck: Deck, images, engine_value) -> None:
    pdf = PdfReader(io.BytesIO(briefing.pdf.build_pdf(deck, "en", images)))
    text = pdf.pages[1].extract_text()
    assert "Leadership and discipline" in text and "Figures as of 14 Nov 2025" in text
    assert engine_value("reports_on_time_rate", "en") in text
    prs = Presentation(io.BytesIO(briefing.powerpoint.build_pptx(deck, "en", images)))
    assert list(prs.slides)[2].notes_slide.notes_text_frame.text == deck.slides[1].notes["en"]


def test_a_missing_chart_image_leaves_a_note_and_the_rest_of_the_briefing(deck: Deck) -> None:
    reasons = {s.index: "no browser" for s in deck.slides if s.chart is not None}
    text = (
        PdfReader(io.BytesIO(briefing.pdf.build_pdf(deck, "vi", reasons))).pages[1].extract_text()
    )
    assert "Không vẽ được biểu đồ: no browser" in text and "Kỷ cương thực thi" in text


def test_the_command_line_writes_pptx_and_pdf(tmp_path: Path, monkeypatch, deck: Deck) -> None:
    written: list[tuple[str, str]] = []

    def fake_build(d: Deck, lang: str, kind: str) -> bytes:  # the builders are tested above
        written.append((lang, kind))
        return (
            briefing.pdf.build_pdf(d, lang, {})
            if kind == "pdf"
            else briefing.powerpoint.build_pptx(d, lang, {})
        )

    monkeypatch.setattr(cli, "build", fake_build)
    out = tmp_path / "out" / "brief.pdf"
    assert cli.main(["--board", BOARD, "--lang", "en", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    pptx = tmp_path / "brief.pptx"
    assert cli.main(["--board", BOARD, "--as-of", "2025-10-31", "--out", str(pptx)]) == 0
    cover = Presentation(str(pptx)).slides[0].shapes
    assert "Số liệu tính đến 31/10/2025" in [
        s.text_frame.text.split("\n")[0] for s in cover if s.has_text_frame
    ]
    assert written == [("en", "pdf"), ("vi", "pptx")]
    assert cli.main(["--board", "khong-co", "--out", str(out)]) == 2
    with pytest.raises(SystemExit):
        cli.main(["--board", BOARD, "--out", str(tmp_path / "brief.docx")])


def test_a_new_format_is_one_table_entry(tmp_path: Path, monkeypatch, deck: Deck) -> None:
    """A toy format registered here only: the command line writes it, with the same words as
    every other medium, and nothing else in the code had to know about it."""

    def build_text(d: Deck, lang, images) -> bytes:
        lines = [texts.footer_text(d, lang)]
        for _, card in d.cards():
            words = texts.card_text(card, lang)
            lines.append(f"{words.title}: {words.value} {words.status}")
        return "\n".join(lines).encode("utf-8")

    toy = briefing.Format("txt", "text/plain", {"vi": "Tải về văn bản", "en": "Text"}, build_text)
    monkeypatch.setitem(briefing.FORMATS, "txt", toy)
    monkeypatch.setattr(briefing.figures, "render_charts", lambda d, lang: {})
    out = tmp_path / "brief.txt"
    assert cli.main(["--board", BOARD, "--lang", "en", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    first = texts.card_text(next(c for _, c in deck.cards()), "en")
    assert f"{first.title}: {first.value} {first.status}" in text
    assert briefing.file_name(deck, "vi", "txt").endswith("-vi.txt")


def test_the_documented_command_still_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.brief", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "--out" in done.stdout and ".pptx" in done.stdout
