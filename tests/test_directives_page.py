"""The Directives page as the board's office uses it: every directive overdue first beside the
figure it is meant to move, filters kept in the URL, an update in a few clicks (recorded with
who made it, and in the audit trail), and the list as an Excel file."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest

from metrics.store import Audit, Directives, SnapshotValue, Store
from tests.test_app_pages import as_read, run
from tests.test_store import figures, publish

AS_OF = dt.date(2025, 11, 14)


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    address = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", address)
    shared = SnapshotValue(  # the Department of Health's bar on the meeting's data slide
        slide=1, role="chart", metric="datasets_shared_rate", period_start=dt.date(2025, 11, 1),
        period_end=AS_OF, value=0.0, target=1.0, expected=0.93, status="off_track", delta=0.0,
        dimensions={"unit": "so_y_te"},
    )  # fmt: skip
    snapshot = publish(Store(address), values=[*figures(), shared]).snapshot
    board = Directives(address)
    board.add(text="Sở Tài chính hoàn thành các nhiệm vụ quá hạn", metric="tasks_overdue_city",
              unit="so_tai_chinh", responsible="so_tai_chinh", due=dt.date(2025, 12, 15),
              given_by="Chủ tịch UBND", snapshot_id=snapshot.id)  # fmt: skip
    board.add(text="Sở Y tế mở kết nối dữ liệu khám chữa bệnh", metric="datasets_shared_rate",
              unit="so_y_te", responsible="so_y_te", due=dt.date(2025, 10, 31),
              given_by="Bí thư Thành ủy", snapshot_id=snapshot.id)  # fmt: skip
    done = board.add(text="Báo cáo số liệu giải ngân", metric="st_disbursement_rate",
                     responsible="so_tai_chinh", due=dt.date(2025, 9, 30), given_by="Chủ tịch UBND")  # fmt: skip
    board.update(done.id, by="Sở Tài chính", status="done")
    return address


def _rows(at) -> pl.DataFrame:
    [table] = at.dataframe
    return pl.from_pandas(table.value)


def test_overdue_first_with_the_figure_beside_it(url: str) -> None:
    at = run("directives", lang="en")
    rows = _rows(at)
    assert rows["No."].to_list() == [2, 1, 3]  # overdue, open, done
    assert rows["Status"].to_list() == ["Overdue", "Open", "Done"]
    assert rows["Days overdue"].to_list() == [14, 0, 0]
    assert rows["Responsible unit"][0] == "Department of Health"
    assert rows["Figure now"][0] == "✕ 0.0%"  # the Department of Health shares none of its data
    assert rows["Figure now"][1].endswith(" 2")  # the city's overdue tasks of that department
    assert "3 directives, 1 overdue" in [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({"status": "overdue"}, [2]),
        ({"unit": "so_tai_chinh"}, [1, 3]),
        ({"metric": "datasets_shared_rate"}, [2]),
        ({"meeting": "1"}, [2, 1]),
        ({"due_by": "2025-11-30"}, [2, 3]),
        ({"status": "done", "unit": "so_tai_chinh"}, [3]),
    ],
)
def test_filters_come_from_the_url(url: str, params: dict[str, str], ids: list[int]) -> None:
    at = run("directives", lang="en", **params)
    assert _rows(at)["No."].to_list() == ids
    assert all(at.query_params[k] in (v, [v]) for k, v in params.items())  # kept for sharing


def test_an_update_in_a_few_clicks(url: str) -> None:
    at = run("directives", lang="en")
    at.selectbox(key="directive_pick").set_value(2)
    at.selectbox(key="directive_new_status").set_value("in_progress")
    at.text_input(key="directive_by").input("Sở Y tế")
    at.text_area(key="directive_note").input("Đã ký kết nối, đang chạy thử")
    at.text_input(key="directive_evidence").input("https://soyte.hanoi.gov.vn/ket-noi")
    at.button[0].click().run()
    assert not at.exception
    assert any("Saved: directive 2" in as_read(s.value) for s in at.success)
    assert _rows(at)["Status"].to_list()[:2] == ["Overdue", "Open"]  # still past its due date
    history = Directives(url).get(2)
    update = history.updates[-1]
    assert (update.by, update.status_after, update.evidence) == (
        "Sở Y tế", "in_progress", "https://soyte.hanoi.gov.vn/ket-noi",
    )  # fmt: skip
    assert Audit(url).events()[-1].action == "directive.updated"


def test_the_list_downloads_as_filtered(url: str) -> None:
    from dashboard import components, directive_views

    items = [d for d in Directives(url).find() if d.responsible == "so_tai_chinh"]
    frame = directive_views.table(directive_views.ordered(items, AS_OF), AS_OF, "month", "vi")
    read = pl.read_excel(io.BytesIO(components.excel_bytes(frame, "Chỉ đạo")))
    assert read["Số"].to_list() == [1, 3] and read.columns == frame.columns


def test_an_unreachable_store_is_said_and_the_app_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_STORE_URL", "postgresql+psycopg://kpi:s3cret@127.0.0.1:1/none")
    at = run("directives", lang="en")
    assert any("cannot be used" in as_read(e.value) for e in at.error)
    assert all("s3cret" not in e.value for e in at.error)


def _section(at, heading: str) -> pl.DataFrame:
    """The directives table under ``heading`` on a page (the page's other tables come first)."""
    titles = [h.value for h in at.subheader]
    assert heading in titles, titles
    tables = [pl.from_pandas(d.value) for d in at.dataframe]
    return next(t for t in tables if "Figure when given" in t.columns)


def test_a_unit_s_page_and_a_metric_s_page_list_their_directives(url: str) -> None:
    unit = _section(run("units", lang="en", unit="so_y_te"), "Directives to this unit")
    assert unit["Status"].to_list() == ["Overdue"] and unit["Days overdue"].to_list() == [14]
    assert unit["Figure when given"].to_list() == ["✕ 0.0%"]  # from the meeting's snapshot
    assert unit["Figure now"].to_list() == ["✕ 0.0%"]
    metric = _section(
        run("metric", lang="en", metric="tasks_overdue_city"), "Directives about this metric"
    )
    assert metric["Directive"].to_list() == ["Sở Tài chính hoàn thành các nhiệm vụ quá hạn"]
    assert metric["Status"].to_list() == ["Open"]


def test_the_overview_counts_overdue_directives_and_the_date_moves_them(url: str) -> None:
    links = [as_read(link.value) for link in run(lang="en").get("page_link")]
    assert "1 overdue directives →" in links
    later = run(lang="en", as_of="2025-12-16")  # the day after the second one's deadline
    assert "2 overdue directives →" in [as_read(x.value) for x in later.get("page_link")]
    unit = _section(run("units", lang="en", unit="so_tai_chinh", as_of="2025-12-16"),
                    "Directives to this unit")  # fmt: skip
    assert unit["Status"].to_list() == ["Overdue", "Done"]


def test_the_scorecard_counts_overdue_directives_against_each_unit(url: str) -> None:
    from dashboard import directive_views

    board = pl.DataFrame(
        {
            "unit": ["so_y_te", "so_tai_chinh"], "unit_label": ["Sở Y tế", "Sở Tài chính"],
            "metric": ["m", "m"], "metric_label": ["M", "M"], "format": ["percent"] * 2,
            "direction": ["up"] * 2, "value": [0.5, 0.9], "status": ["off_track", "on_track"],
        }
    )  # fmt: skip
    later = dt.date(2025, 12, 16)  # both open directives past their deadline
    column = directive_views.with_overdue_column(board, later, "en").filter(
        pl.col("metric") == directive_views.SCORECARD_COLUMN
    )
    assert column.select("unit", "value", "status").rows() == [
        ("so_y_te", 1.0, "off_track"),
        ("so_tai_chinh", 1.0, "off_track"),  # its done directive does not count
    ]
    assert column["metric_label"].unique().to_list() == ["Overdue directives"]
    at = run("units", lang="en", theme="data")
    [chart] = at.get("plotly_chart")
    assert "Overdue directives" in chart.proto.spec


def test_a_unit_without_a_figure_never_shows_the_city_s(url: str) -> None:
    from dashboard import directive_views

    about = Directives(url).get(2)  # the Department of Health's, on a metric by unit
    city_only = {("datasets_shared_rate", None): (0.79, "off_track")}
    assert directive_views.value_now(about, city_only, "en") == "no data"
