"""The board's conclusions carried into its decks: what earlier meetings asked for and is not
done opens the next deck ("Kết luận kỳ trước"), with its owner, deadline, days overdue and the
figure then and now; what this meeting asked for closes the briefing ("Kết luận")."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dashboard import briefing, data, texts
from metrics import conclusions
from metrics.deck import Deck, compute_deck, deck_from_snapshot, publish_deck
from metrics.engine import Request, Results, compute
from metrics.store import (
    Directive,
    Directives,
    Snapshot,
    SnapshotInfo,
    SnapshotValue,
    Store,
)
from tests.test_present_page import run as present

MEETING = dt.date(2025, 11, 14)
NEXT = dt.date(2025, 12, 15)
BOARD = "monthly-review"


def _directive(number: int, **changes: object) -> Directive:
    fields = {
        "id": number, "text": f"Chỉ đạo {number}", "metric": "datasets_shared_rate",
        "unit": None, "task_id": None, "period_start": None, "period_end": None,
        "responsible": "so_y_te", "due": dt.date(2025, 11, 30), "status": "open",
        "given_by": "Chủ tịch", "snapshot_id": 1, "created_at": dt.datetime(2025, 11, 14, tzinfo=dt.UTC),
    }  # fmt: skip
    return Directive(**{**fields, **changes})  # type: ignore[arg-type]


def _meeting(number: int, as_of: dt.date, *values: SnapshotValue) -> Snapshot:
    info = SnapshotInfo(
        id=number, label=f"Phiên {number}", board_id=BOARD, as_of=as_of, grain="month",
        config_hash="x", author="Văn phòng", created_at=dt.datetime(2025, 11, 14, tzinfo=dt.UTC),
        digest=str(number),
    )  # fmt: skip
    return Snapshot(info=info, layout={}, values=values)


def _figure(value: float, unit: str | None = None) -> SnapshotValue:
    return SnapshotValue(
        slide=0, role="chart" if unit else "card", metric="datasets_shared_rate",
        period_start=dt.date(2025, 11, 1), period_end=MEETING, value=value, target=1.0,
        expected=None, status="off_track", delta=None, dimensions={"unit": unit} if unit else {},
    )  # fmt: skip


def test_only_what_earlier_meetings_left_open_is_carried_over_longest_overdue_first() -> None:
    meetings = {1: _meeting(1, MEETING), 2: _meeting(2, NEXT)}
    items = [
        _directive(1, due=dt.date(2025, 12, 10)),
        _directive(2, due=dt.date(2025, 11, 20), status="in_progress"),
        _directive(3, status="done"),
        _directive(4, status="cancelled"),
        _directive(5, snapshot_id=2),  # given at the meeting being held
        _directive(6, snapshot_id=None),  # given outside any meeting
        _directive(7, snapshot_id=9),  # its meeting cannot be read
        _directive(8, due=dt.date(2025, 12, 31)),
    ]
    carried = conclusions.carried_over(items, meetings, NEXT)
    assert [d.id for d in carried] == [2, 1, 8]  # 25 days overdue, 5 days, not yet due
    assert [d.id for d in conclusions.given_at(items, 2)] == [5]
    assert conclusions.given_at(items, None) == []


def test_the_figure_then_is_the_meeting_s_and_now_the_unit_s_own(workspace) -> None:
    config = workspace.config
    meeting = _meeting(1, MEETING, _figure(0.79), _figure(0.0, "so_y_te"))
    city = _directive(1)
    unit = _directive(2, unit="so_y_te", due=dt.date(2025, 12, 20))
    silent = _directive(3, unit="so_noi_vu", due=dt.date(2025, 12, 20))  # no figure of its own
    figures = {
        ("datasets_shared_rate", None): (0.8, "off_track"),
        ("datasets_shared_rate", "so_y_te"): (0.5, "off_track"),
    }
    rows = conclusions.conclusions(
        [city, unit, silent], NEXT, config=config, meetings={1: meeting}, figures=figures
    )
    assert [(r.then, r.now) for r in rows] == [(0.79, 0.8), (0.0, 0.5), (None, None)]
    assert [(r.status, r.days_overdue) for r in rows] == [("overdue", 15), ("open", 0), ("open", 0)]
    assert rows[0].responsible_name["vi"] == "Sở Y tế"
    assert rows[0].metric_title == {
        "vi": config.metrics["datasets_shared_rate"].title.get("vi"),
        "en": config.metrics["datasets_shared_rate"].title.get("en"),
    }


def test_many_conclusions_are_spread_over_slides_and_numbered_again(deck: Deck, workspace) -> None:
    items = [_directive(n) for n in range(1, 14)]
    rows = conclusions.conclusions(items, NEXT, config=workspace.config, meetings={}, figures={})
    opened = conclusions.with_slides(
        deck, first=conclusions.conclusions_slides(conclusions.PREVIOUS_TITLE, rows)
    )
    titles = [s.title["en"] for s in opened.slides[:4]]
    assert titles == [
        "Previous conclusions (1/3)",
        "Previous conclusions (2/3)",
        "Previous conclusions (3/3)",
        deck.slides[0].title["en"],
    ]
    assert [len(s.conclusions or ()) for s in opened.slides[:3]] == [6, 6, 1]
    assert [s.index for s in opened.slides] == list(range(len(deck.slides) + 3))


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    address = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", address)
    data.shown_slides.clear()
    return address


def _monthly(workspace, as_of: dt.date) -> Deck:
    board = workspace.config.boards[BOARD]
    return compute_deck(workspace.config, workspace.catalog, board, as_of_default=as_of)


@pytest.fixture
def held(url: str, workspace) -> Directive:
    """The monthly review of 14/11 was held: its deck published, one conclusion given to a unit
    about the city's figure on a card, due 30/11."""
    meeting = publish_deck(
        Store(url), _monthly(workspace, MEETING), label="Giao ban 11/2025", author="Văn phòng"
    ).snapshot
    return Directives(url).add(
        text="Sở Y tế mở kết nối dữ liệu khám chữa bệnh", metric="datasets_shared_rate",
        responsible="so_y_te", due=dt.date(2025, 11, 30), given_by="Chủ tịch",
        snapshot_id=meeting.id,
    )  # fmt: skip


def _presenter(**params: str) -> AppTest:
    return present(**{"board": BOARD, "lang": "en", **params})


def _title(at: AppTest) -> str:
    return "\n".join(e.value for e in at.get_by_key("pc-title").text)


def test_the_next_meeting_opens_with_it_until_it_is_done(url: str, held: Directive) -> None:
    at = _presenter(as_of=NEXT.isoformat(), slide="1")
    assert _title(at) == "Previous conclusions"
    headings = [e.value for e in at.get_by_key("pc-conc-head").text]
    row = dict(zip(headings, [e.value for e in at.get_by_key("pc-conc-1").text], strict=True))
    assert row["Directive"] == held.text
    assert row["Responsible unit"] == "Department of Health"
    assert row["Due"] == "30 Nov 2025" and row["Days overdue"] == "15"
    assert row["Figure when given"].endswith("%") and row["Figure now"].endswith("%")
    same_day = _presenter(as_of=MEETING.isoformat(), slide="1")  # the meeting that gave it
    assert _title(same_day) != "Previous conclusions"
    Directives(url).update(held.id, by="Sở Y tế", status="done")
    assert _title(_presenter(as_of=NEXT.isoformat(), slide="1")) != "Previous conclusions"


def test_the_speaker_sees_the_carried_conclusions_and_can_add_to_one(
    url: str, held: Directive
) -> None:
    _presenter(as_of=NEXT.isoformat(), slide="1")
    speaker = _presenter(as_of=NEXT.isoformat(), view="notes")
    lines = [e.value for e in speaker.text]
    assert f"{held.id}. {held.text} — Department of Health · 30 Nov 2025 · 15 days overdue" in lines


def test_a_published_next_meeting_keeps_the_slide_as_it_was(url: str, held: Directive) -> None:
    presenter = _presenter(as_of=NEXT.isoformat(), slide="1")
    presenter.button(key="pc-publish").click().run()
    newest = Store(url).list_snapshots()[0]
    stored = deck_from_snapshot(Store(url).read(newest.id))
    assert stored.slides[0].conclusions is not None
    assert [c.id for c in stored.slides[0].conclusions] == [held.id]
    Directives(url).update(held.id, by="Sở Y tế", status="done")
    shown = _presenter(snapshot=str(newest.id), slide="1")
    assert _title(shown) == "Previous conclusions"  # as reported at that meeting


def _briefing_deck(url: str, workspace, as_of: dt.date) -> Deck:
    config = workspace.config
    store = Store(url)
    found = Directives(url).find(as_of=as_of)

    def run(request: Request) -> Results:
        return compute(config, workspace.catalog, request)

    deck = conclusions.opening_deck(
        _monthly(workspace, as_of), found, config=config, read=store.read, run=run
    )
    meeting = store.latest(BOARD, as_of)
    return conclusions.closing_deck(
        deck, found, meeting.id if meeting else None, config=config, read=store.read, run=run
    )


def test_the_briefing_has_both_slides_in_powerpoint_and_pdf(
    url: str, held: Directive, workspace
) -> None:
    Directives(url).add(
        text="Văn phòng tổng hợp báo cáo", metric="reports_on_time_rate",
        responsible="van_phong_ubnd", due=dt.date(2026, 1, 15), given_by="Chủ tịch",
        snapshot_id=publish_deck(Store(url), _monthly(workspace, NEXT), label="Giao ban 12/2025",
                                 author="Văn phòng").snapshot.id,
    )  # fmt: skip
    deck = _briefing_deck(url, workspace, NEXT)
    assert deck.slides[0].title["vi"] == "Kết luận kỳ trước"
    assert deck.slides[-1].title["vi"] == "Kết luận"
    assert [c.text for c in deck.slides[-1].conclusions or ()] == ["Văn phòng tổng hợp báo cáo"]
    images = {s.index: "no chart in this test" for s in deck.slides if s.chart is not None}
    pptx = Presentation(io.BytesIO(briefing.powerpoint.build_pptx(deck, "vi", images)))
    said = [
        " ".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame)
        + " ".join(
            cell.text for shape in s.shapes if shape.has_table for row in shape.table.rows
            for cell in row.cells
        )
        for s in pptx.slides
    ]  # fmt: skip
    assert "Kết luận kỳ trước" in said[1] and held.text in said[1] and "30/11/2025" in said[1]
    assert "Kết luận" in said[-2] and "Văn phòng tổng hợp báo cáo" in said[-2]
    pdf = PdfReader(io.BytesIO(briefing.pdf.build_pdf(deck, "vi", images)))
    pages = [page.extract_text() for page in pdf.pages]
    assert "Kết luận kỳ trước" in pages[1] and "Sở Y tế" in pages[1]
    assert "Văn phòng tổng hợp" in pages[-2]
    _, rows = texts.conclusion_rows(deck.slides[0], "vi")
    assert rows[0][5] == "15"  # days overdue, in the table of both files
