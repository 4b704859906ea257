"""Directives given where the board works: a metric's page proposes its owner, a unit's page
the unit, a task its lead unit, and the speaker view the slide on screen and the meeting's
snapshot; the directive then shows on the unit's, the metric's and the Directives pages and
turns overdue on all of them, and in the overview's count, when the date passes its deadline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from metrics.store import Directives, Store
from tests.test_app_pages import as_read, run
from tests.test_present_page import run as present

AS_OF = dt.date(2025, 11, 14)
BOARD = "conference-2025-11-14"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    address = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", address)
    data.shown_slides.clear()  # no presenter tab from another test is "on screen"
    return address


def _form_key(at: AppTest) -> str:
    """The key of the page's one directive form (it names what the form is about)."""
    [area] = [a for a in at.text_area if str(a.key).endswith("_text")]
    return str(area.key).removesuffix("_text")


def _give(at: AppTest, text: str, **choices: object) -> AppTest:
    key = _form_key(at)
    at.text_area(key=f"{key}_text").input(text)
    for name, value in choices.items():
        at.selectbox(key=f"{key}_{name}").set_value(value)
    at.button(key=f"{key}_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _presenter(**params: str) -> AppTest:
    return present(**{"board": BOARD, "lang": "en", **params})


def _table_after(at: AppTest, column: str) -> pl.DataFrame:
    [frame] = [pl.from_pandas(d.value) for d in at.dataframe if column in list(d.value.columns)]
    return frame


def test_a_metric_s_page_proposes_its_owner_and_lists_the_new_directive(url: str) -> None:
    at = run("metric", lang="en", metric="datasets_shared_rate")
    key = _form_key(at)
    assert at.selectbox(key=f"{key}_responsible").value == "so_khoa_hoc_cong_nghe"  # its owner
    assert at.date_input(key=f"{key}_due").value == AS_OF + dt.timedelta(days=30)
    _give(at, "Rà soát danh mục dữ liệu dùng chung")
    assert [as_read(s.value) for s in at.success] == [
        "Directive 1 recorded · Departmental databases shared · to Department of Science and "
        "Technology · due 14 Dec 2025"
    ]
    [made] = Directives(url).find()
    assert (made.metric, made.responsible, made.unit, made.snapshot_id) == (
        "datasets_shared_rate", "so_khoa_hoc_cong_nghe", None, None
    )  # fmt: skip
    assert (made.period_start, made.period_end) == (dt.date(2025, 11, 1), AS_OF)
    listed = _table_after(at, "Directive")
    assert listed["Directive"].to_list() == ["Rà soát danh mục dữ liệu dùng chung"]
    assert at.text_area(key=f"{key}_text").value == ""  # ready for the next one


def test_nothing_is_written_without_a_text_or_a_metric(url: str) -> None:
    at = run("units", lang="en", unit="so_y_te")
    _give(at, "   ")
    assert [as_read(e.value) for e in at.error] == ["Not recorded: “Directive” is needed."]
    _give(at, "Mở kết nối dữ liệu khám chữa bệnh")
    assert [as_read(e.value) for e in at.error] == ["Not recorded: “Metric” is needed."]
    assert Directives(url).find() == []
    assert at.text_area(key=f"{_form_key(at)}_text").value  # what was typed is kept


def test_a_unit_s_page_gives_the_directive_to_that_unit(url: str) -> None:
    at = run("units", lang="en", unit="so_y_te")
    _give(at, "Mở kết nối dữ liệu khám chữa bệnh", metric="datasets_shared_rate")
    [made] = Directives(url).find()
    assert (made.metric, made.responsible, made.unit) == (
        "datasets_shared_rate",
        "so_y_te",
        "so_y_te",
    )
    mine = _table_after(at, "Directive")
    assert mine["Responsible unit"].to_list() == ["Department of Health"]


def test_a_task_proposes_its_lead_unit_and_the_overdue_tasks_count(url: str) -> None:
    at = run("tasks", lang="en")
    [task_box] = [s for s in at.selectbox if s.key == "task-directive-task"]
    assert not [a for a in at.text_area if str(a.key).endswith("_text")]  # a task first
    task_id = task_box.options[0].split(" · ")[0]
    task_box.set_value(task_id).run()
    key = _form_key(at)
    lead = at.selectbox(key=f"{key}_responsible").value
    _give(at, "Hoàn thành nhiệm vụ trong tháng 12")
    [made] = Directives(url).find()
    assert (made.task_id, made.metric, made.responsible, made.unit) == (
        task_id, "tasks_overdue", lead, lead
    )  # fmt: skip


def test_the_speaker_view_attaches_it_to_the_slide_on_screen_and_the_meeting(url: str) -> None:
    presenter = _presenter(slide="2")
    speaker = _presenter(view="notes")
    caption = [as_read(c.value) for c in speaker.caption]
    assert (
        "A conclusion recorded now: about “Departmental databases shared” · to Department of "
        "Science and Technology"
    ) in caption
    _give(speaker, "Sở Y tế mở dữ liệu trước 31/12")
    presenter.button(key="pc-next").click().run()  # the presenter moves on to slide 3
    speaker.run()
    _give(speaker, "Đẩy nhanh giải ngân")
    first, second = sorted(Directives(url).find(), key=lambda d: d.id)
    [meeting] = Store(url).list_snapshots()  # published once, at the first conclusion
    assert meeting.board_id == BOARD and meeting.as_of == AS_OF
    assert (first.metric, first.snapshot_id) == ("datasets_shared_rate", meeting.id)
    assert second.snapshot_id == meeting.id
    assert second.metric != first.metric and second.responsible == "so_tai_chinh"  # slide 3's
    assert "meeting snapshot 1" in as_read(speaker.success[0].value)


def test_a_meeting_shown_from_its_snapshot_keeps_that_snapshot(url: str) -> None:
    presenter = _presenter()
    presenter.button(key="pc-publish").click().run()
    [meeting] = Store(url).list_snapshots()
    speaker = _presenter(view="notes", snapshot=str(meeting.id), slide="1")
    _give(speaker, "Giao Văn phòng theo dõi")
    [made] = Directives(url).find()
    assert made.snapshot_id == meeting.id and len(Store(url).list_snapshots()) == 1


def test_a_directive_from_the_meeting_shows_everywhere_and_turns_overdue(url: str) -> None:
    """The board's day: recorded in the speaker view, seen next morning on the responsible
    unit's page, the metric's page and the Directives page with the figure when given; a month
    later overdue on all of them and in the overview's count."""
    _presenter(slide="2")
    _give(_presenter(view="notes"), "Sở Y tế mở dữ liệu", responsible="so_y_te")
    [made] = Directives(url).find()
    assert made.unit is None and made.responsible == "so_y_te"
    for page, params in (
        ("units", {"unit": "so_y_te"}),
        ("metric", {"metric": "datasets_shared_rate"}),
        ("directives", {}),
    ):
        rows = _table_after(run(page, lang="en", **params), "Directive")
        assert rows["Status"].to_list() == ["Open"], page
        assert rows["Due"].to_list() == ["14 Dec 2025"], page
        if page != "directives":
            assert rows["Figure when given"][0].endswith("%"), page  # from the meeting's snapshot
        late = _table_after(run(page, lang="en", as_of="2025-12-15", **params), "Directive")
        assert late["Status"].to_list() == ["Overdue"], page
        assert late["Days overdue"].to_list() == [1], page
    links = [as_read(x.value) for x in run(lang="en", as_of="2025-12-15").get("page_link")]
    assert "1 overdue directives →" in links
    assert _scorecard_cell(run("units", lang="en", as_of="2025-12-15"), "so_y_te") == "1"
    assert _scorecard_cell(run("units", lang="en", as_of="2025-12-14"), "so_y_te") == "0"


def _scorecard_cell(at: AppTest, unit: str) -> str:
    """The value the scorecard's hover gives for ``unit`` in the overdue directives column."""
    [chart] = at.get("plotly_chart")
    heatmap = json.loads(chart.proto.spec)["data"][0]
    row = [keys[0] for keys in heatmap["customdata"]].index(unit)
    cells = [cell.split("<br>") for cell in heatmap["hovertext"][row]]
    [value] = [cell[2] for cell in cells if len(cell) > 2 and cell[1] == "Overdue directives"]
    return value
