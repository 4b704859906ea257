"""Figure builders: the data each figure carries, its ordering, colours and labels."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
import pytest

from dashboard import charts, style, texts
from dashboard.charts import STATUS_STYLE

D = dt.date
M = "\u2212"


def _decode(obj: object) -> object:
    """Plotly's JSON may hold arrays as {"dtype", "bdata"} (base64): turn them back into lists."""
    if isinstance(obj, dict):
        if set(obj) >= {"dtype", "bdata"}:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            if "shape" in obj:
                shape = [int(n) for n in str(obj["shape"]).split(",")]
                arr = arr.reshape(shape)
            return arr.tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def _json(fig: go.Figure) -> dict:
    return _decode(json.loads(fig.to_json()))  # type: ignore[return-value]


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


# --------------------------------------------------------------------------- styles


def test_status_style_covers_every_status_with_colour_and_icon() -> None:
    assert set(STATUS_STYLE) == {
        "on_track",
        "at_risk",
        "off_track",
        "no_target",
        "no_data",
        "not_reported",
    }
    colours = [c for c, _ in STATUS_STYLE.values()]
    icons = [i for _, i in STATUS_STYLE.values()]
    assert len(set(colours)) == 6 and len(set(icons)) == 6
    for colour, icon in STATUS_STYLE.values():
        assert colour.startswith("#") and len(colour) == 7
        assert icon.strip()


def test_status_colours_differ_in_greyscale() -> None:
    lum = sorted(_luminance(c) for c, _ in STATUS_STYLE.values())
    assert all(b - a >= 0.05 for a, b in itertools.pairwise(lum))
    # off track is the darkest, at risk lighter than on track
    assert _luminance(STATUS_STYLE["off_track"][0]) == lum[0]
    assert _luminance(STATUS_STYLE["at_risk"][0]) > _luminance(STATUS_STYLE["on_track"][0])


def test_status_text_pairs_icon_and_word() -> None:
    assert texts.status_text("on_track", "vi") == "✓ Đạt"
    assert texts.status_text("off_track", "en") == "✕ Off track"
    assert texts.status_text(None, "vi") == "? Chưa có số liệu"
    assert style.status_colour("at_risk") == STATUS_STYLE["at_risk"][0]
    assert style.status_icon("no_target") == "–"


# --------------------------------------------------------------------------- trend


def _months(n: int = 6) -> pl.DataFrame:
    starts = [D(2025, m, 1) for m in range(11 - n + 1, 12)]
    ends = [D(2025, m + 1, 1) - dt.timedelta(days=1) for m in range(11 - n + 1, 11)]
    ends.append(D(2025, 11, 14))  # the current period ends at the as-of date
    return pl.DataFrame({"period_start": starts, "period_end": ends})


def test_trend_value_target_and_expected() -> None:
    base = _months(6)
    df = base.with_columns(
        value=pl.Series([0.95, 0.96, 0.97, 0.975, 0.98, 0.987]),
        target=pl.lit(0.99),
        expected=pl.Series([0.94, 0.95, 0.96, 0.97, 0.98, 0.99]),
        status=pl.Series(["on_track"] * 4 + ["at_risk", "off_track"]),
    )
    fig = charts.trend(df.reverse(), fmt="percent", lang="vi")  # input order does not matter
    value, expected, target = fig.data
    assert list(value.y) == [0.95, 0.96, 0.97, 0.975, 0.98, 0.987]
    assert list(value.x) == base["period_end"].to_list()
    assert value.mode == "lines+markers" and value.line.color == style.ACCENT
    assert value.name == "Kết quả"
    assert list(value.marker.color)[-2:] == [
        STATUS_STYLE["at_risk"][0],
        STATUS_STYLE["off_track"][0],
    ]
    assert list(expected.y) == [0.94, 0.95, 0.96, 0.97, 0.98, 0.99]
    assert expected.line.dash == "dot" and expected.name == "Lộ trình mục tiêu"
    # a constant target: one horizontal dashed line across the whole range
    assert list(target.y) == [0.99, 0.99]
    assert list(target.x) == [D(2025, 6, 30), D(2025, 11, 14)]
    assert target.line.dash == "dash" and target.name == "Mục tiêu"
    # hover texts are formatted the Vietnamese way, the running period says so
    assert "Tháng 11/2025, tính đến 14/11/2025" in value.hovertext[-1]
    assert "98,7%" in value.hovertext[-1] and "✕ Không đạt" in value.hovertext[-1]
    assert "99,0%" in target.hovertext[0]
    assert "%" in fig.layout.yaxis.tickformat
    assert list(fig.layout.xaxis.ticktext)[-1] == "11/2025"


def test_trend_layout_and_language() -> None:
    df = _months(3).with_columns(value=pl.Series([1200.0, 1300.0, 1250.0]))
    vi = charts.trend(df, fmt="count", lang="vi")
    en = charts.trend(df, fmt="count", lang="en")
    assert len(vi.data) == 1  # no target, no expected
    assert vi.layout.separators == ",." and en.layout.separators == ".,"
    assert vi.layout.template == pio.templates["plotly_white"]
    assert "DejaVu Sans" in vi.layout.font.family
    assert vi.layout.title.text is None
    assert "1.250" in vi.data[0].hovertext[-1] and "1,250" in en.data[0].hovertext[-1]
    assert en.data[0].name == "Actual"
    assert list(en.layout.xaxis.ticktext) == ["Sep 2025", "Oct 2025", "Nov 2025"]
    assert vi.layout.yaxis.rangemode == "tozero"
    titled = charts.trend(df, fmt="count", lang="vi", title="Nhiệm vụ quá hạn")
    assert titled.layout.title.text == "Nhiệm vụ quá hạn"


def test_trend_target_changing_by_year_is_a_step() -> None:
    df = pl.DataFrame(
        {
            "period_start": [D(y, 1, 1) for y in (2021, 2022, 2023, 2024)],
            "period_end": [D(y, 12, 31) for y in (2021, 2022, 2023, 2024)],
            "value": [0.38, 0.40, 0.41, 0.39],
            "target": [0.5, 0.6, None, 0.8],
        }
    )
    fig = charts.trend(df, fmt="percent", lang="en")
    assert len(fig.data) == 2
    target = fig.data[1]
    assert list(target.y) == [0.5, 0.6, None, 0.8]
    assert target.line.shape == "hv"
    assert list(fig.layout.xaxis.ticktext) == ["2021", "2022", "2023", "2024"]


def test_trend_null_values_stay_gaps_and_json_round_trips() -> None:
    df = _months(4).with_columns(value=pl.Series([3.5, None, 4.0, 2.25]), target=pl.lit(3.0))
    fig = charts.trend(df, fmt="days", lang="vi")
    data = _json(fig)["data"]
    assert data[0]["y"] == [3.5, None, 4.0, 2.25]
    assert data[1]["y"] == [3.0, 3.0]
    assert "chưa có số liệu" in fig.data[0].hovertext[1]
    assert "2,3 ngày" in fig.data[0].hovertext[3]


def test_trend_single_period() -> None:
    df = pl.DataFrame(
        {"period_end": [D(2025, 11, 14)], "value": [0.5], "target": [0.6], "expected": [0.6]}
    )
    fig = charts.trend(df, fmt="percent", lang="vi")
    assert [tr.name for tr in fig.data] == ["Kết quả", "Mục tiêu"]  # expected == target: once
    assert fig.data[1].mode == "markers" and list(fig.data[1].y) == [0.6, 0.6]


def test_trend_money_axis_is_formatted_by_fmt() -> None:
    df = _months(3).with_columns(value=pl.Series([1.2e9, 2.5e9, 3.1e9]))
    fig = charts.trend(df, fmt="vnd", lang="vi")
    assert fig.layout.yaxis.tickmode == "array"
    assert "1 tỷ đồng" in fig.layout.yaxis.ticktext
    assert "2,5 tỷ đồng" in fig.data[0].hovertext[1]


# --------------------------------------------------------------------------- breakdown


@pytest.fixture
def units() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit": ["ba_dinh", "hoan_kiem", "tay_ho", "cau_giay", "dong_da", "soc_son"],
            "unit_name": [
                "Phường Ba Đình",
                "Phường Hoàn Kiếm",
                "Phường Tây Hồ",
                "Phường Cầu Giấy",
                "Phường Đống Đa",
                "Xã Sóc Sơn",
            ],
            "value": [0.92, 0.99, 0.85, 0.97, 0.90, None],
            "target": [0.95] * 6,
            "status": ["at_risk", "on_track", "off_track", "on_track", "off_track", "no_data"],
        }
    )


def test_breakdown_ranks_best_first_when_up(units: pl.DataFrame) -> None:
    fig = charts.breakdown(units, dim_label_col="unit_name", fmt="percent", lang="vi")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == [
        "Phường Hoàn Kiếm",
        "Phường Cầu Giấy",
        "Phường Ba Đình",
        "Phường Đống Đa",
        "Phường Tây Hồ",
        "Xã Sóc Sơn",  # no value: listed last, with the no-data text
    ]
    assert list(bar.x) == [0.99, 0.97, 0.92, 0.90, 0.85, 0.0]
    assert list(bar.customdata) == [
        "hoan_kiem",
        "cau_giay",
        "ba_dinh",
        "dong_da",
        "tay_ho",
        "soc_son",
    ]
    assert list(bar.text) == [
        "✓ 99,0%",
        "✓ 97,0%",
        "! 92,0%",
        "✕ 90,0%",
        "✕ 85,0%",
        "? chưa có số liệu",
    ]
    assert list(bar.marker.color) == [
        STATUS_STYLE[s][0]
        for s in ("on_track", "on_track", "at_risk", "off_track", "off_track", "no_data")
    ]
    assert fig.layout.yaxis.autorange == "reversed"  # first row drawn at the top
    # one target for all: a dashed vertical line, labelled
    (shape,) = fig.layout.shapes
    assert shape.x0 == shape.x1 == 0.95 and shape.line.dash == "dash"
    assert fig.layout.annotations[0].text == "Mục tiêu: 95,0%"
    assert "%" in fig.layout.xaxis.tickformat


def test_breakdown_ranks_lowest_first_when_down(units: pl.DataFrame) -> None:
    fig = charts.breakdown(
        units.drop("status", "target"),
        dim_label_col="unit_name",
        fmt="percent",
        lang="en",
        direction="down",
    )
    bar = fig.data[0]
    assert list(bar.x)[:5] == [0.85, 0.90, 0.92, 0.97, 0.99]
    assert bar.y[-1] == "Xã Sóc Sơn"
    assert bar.marker.color == style.ACCENT  # no status column: the accent colour
    assert list(bar.text)[:2] == ["85.0%", "90.0%"]
    assert bar.text[-1] == "no data"
    assert not fig.layout.shapes
    assert len(fig.data) == 1


@pytest.mark.parametrize(
    ("direction", "top", "bottom", "expected"),
    [
        ("up", 2, None, ["hoan_kiem", "cau_giay"]),
        ("up", None, 2, ["dong_da", "tay_ho"]),
        ("up", 1, 1, ["hoan_kiem", "tay_ho"]),
        ("down", 2, None, ["tay_ho", "dong_da"]),
        ("down", None, 2, ["cau_giay", "hoan_kiem"]),
        ("up", 3, 3, ["hoan_kiem", "cau_giay", "ba_dinh", "dong_da", "tay_ho"]),  # overlap
        ("up", 10, None, ["hoan_kiem", "cau_giay", "ba_dinh", "dong_da", "tay_ho"]),
    ],
)
def test_breakdown_top_and_bottom(
    units: pl.DataFrame, direction: str, top: int | None, bottom: int | None, expected: list[str]
) -> None:
    fig = charts.breakdown(
        units,
        dim_label_col="unit_name",
        fmt="percent",
        lang="vi",
        top=top,
        bottom=bottom,
        direction=direction,
    )
    assert list(fig.data[0].customdata) == expected


def test_breakdown_targets_per_unit_are_ticks(units: pl.DataFrame) -> None:
    df = units.with_columns(target=pl.Series([0.9, 0.95, 0.8, 0.95, 0.9, 0.9]))
    fig = charts.breakdown(df, dim_label_col="unit_name", fmt="percent", lang="vi", top=3)
    assert not fig.layout.shapes
    ticks = fig.data[1]
    assert ticks.name == "Mục tiêu"
    assert list(ticks.y) == list(fig.data[0].y)
    assert list(ticks.x) == [0.95, 0.95, 0.9]


def test_breakdown_key_column_and_duplicate_labels() -> None:
    df = pl.DataFrame(
        {
            "unit": ["a", "b", "c"],
            "name": ["Phường An Khánh", "Xã An Khánh", "Phường An Khánh"],
            "value": [3.0, 2.0, 1.0],
        }
    )
    fig = charts.breakdown(df, dim_label_col="name", fmt="count", lang="vi", key_col="unit")
    assert list(fig.data[0].customdata) == ["a", "b", "c"]
    assert list(fig.data[0].y) == ["Phường An Khánh (a)", "Xã An Khánh", "Phường An Khánh (c)"]
    # the key column is found on its own when there is one other text column
    guessed = charts.breakdown(df, dim_label_col="name", fmt="count", lang="vi")
    assert list(guessed.data[0].customdata) == ["a", "b", "c"]


def test_breakdown_money_and_bad_direction() -> None:
    df = pl.DataFrame({"unit": ["x", "y"], "value": [1.2e9, 350e6]})
    fig = charts.breakdown(df, dim_label_col="unit", fmt="vnd", lang="en")
    assert list(fig.data[0].text) == ["VND 1.2 billion", "VND 350 million"]
    assert "VND 0" in fig.layout.xaxis.ticktext
    with pytest.raises(ValueError):
        charts.breakdown(df, dim_label_col="unit", fmt="vnd", lang="en", direction="sideways")


def test_breakdown_height_grows_with_bars(units: pl.DataFrame) -> None:
    small = charts.breakdown(units, dim_label_col="unit_name", fmt="percent", lang="vi", top=2)
    full = charts.breakdown(units, dim_label_col="unit_name", fmt="percent", lang="vi")
    assert small.layout.height < full.layout.height


# --------------------------------------------------------------------------- sparkline


def test_sparkline() -> None:
    fig = charts.sparkline([1.0, 2.0, None, 3.0, float("nan")])
    line, last = fig.data
    assert list(line.y) == [1.0, 2.0, None, 3.0, None]
    assert list(last.x) == [3] and list(last.y) == [3.0]  # the latest value that exists
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.height <= 80 and fig.layout.showlegend is False
    assert line.hoverinfo == "skip"
    formatted = charts.sparkline([0.5, 0.75], fmt="percent", lang="vi")
    assert list(formatted.data[0].hovertext) == ["50,0%", "75,0%"]
    assert len(charts.sparkline([]).data) == 1


# --------------------------------------------------------------------------- scorecard


def test_scorecard_heatmap() -> None:
    df = pl.DataFrame(
        {
            "unit_id": ["so_y_te", "so_y_te", "so_tu_phap", "so_tu_phap", "so_cong_thuong"],
            "unit": ["Sở Y tế", "Sở Y tế", "Sở Tư pháp", "Sở Tư pháp", "Sở Công Thương"],
            "metric": ["Hồ sơ trực tuyến", "Quá hạn", "Hồ sơ trực tuyến", "Quá hạn", "Quá hạn"],
            "value": [0.99, 3.0, 0.97, None, 1234.0],
            "format": ["percent", "count", "percent", "count", "count"],
            "status": ["on_track", "at_risk", "off_track", "no_data", "no_target"],
        }
    )
    fig = charts.scorecard_heatmap(
        df, row_label_col="unit", col_label_col="metric", lang="vi", row_key_col="unit_id"
    )
    heat = fig.data[0]
    assert list(heat.y) == ["Sở Y tế", "Sở Tư pháp", "Sở Công Thương"]
    assert list(heat.x) == ["Hồ sơ trực tuyến", "Quá hạn"]
    code = {s: float(i) for i, s in enumerate(style.STATUS_ORDER)}
    assert [list(r) for r in heat.z] == [
        [code["on_track"], code["at_risk"]],
        [code["off_track"], code["no_data"]],
        [None, code["no_target"]],  # no such pair: a blank cell
    ]
    assert [list(r) for r in heat.text] == [["✓", "!"], ["✕", "?"], ["", "–"]]
    assert "99,0%" in heat.hovertext[0][0] and "✓ Đạt" in heat.hovertext[0][0]
    assert "1.234" in heat.hovertext[2][1]
    assert "chưa có số liệu" in heat.hovertext[1][1]
    assert heat.customdata[1][0] == "so_tu_phap"
    assert fig.layout.yaxis.autorange == "reversed"
    # the stepped colour scale sends each status code to its colour
    scale = heat.colorscale
    n = len(style.STATUS_ORDER)
    for s, i in code.items():
        pos = (i + 0.5) / n  # the middle of the code's band between zmin and zmax
        colour = next(c for (lo, c), (hi, _) in itertools.pairwise(scale) if lo <= pos <= hi)
        assert colour == STATUS_STYLE[s][0], s
    assert heat.zmin == -0.5 and heat.zmax == n - 0.5
    # legend entries, icon and word, for the statuses shown
    assert [tr.name for tr in fig.data[1:]] == [
        "✓ Đạt",
        "! Có nguy cơ",
        "✕ Không đạt",
        "– Chưa có mục tiêu",
        "? Chưa có số liệu",
    ]


def test_scorecard_formats_from_mapping_and_long_labels_wrap() -> None:
    df = pl.DataFrame(
        {
            "unit": ["Sở Y tế"],
            "metric": ["Tỷ lệ hồ sơ giải quyết đúng hạn trên tổng số"],
            "value": [0.5],
            "status": ["at_risk"],
        }
    )
    fig = charts.scorecard_heatmap(
        df,
        row_label_col="unit",
        col_label_col="metric",
        lang="en",
        formats={"Tỷ lệ hồ sơ giải quyết đúng hạn trên tổng số": "percent"},
    )
    assert "50.0%" in fig.data[0].hovertext[0][0]
    assert "<br>" in fig.data[0].x[0]
    assert [tr.name for tr in fig.data[1:]] == ["! At risk"]


# --------------------------------------------------------------------------- freshness


def test_freshness_bars() -> None:
    df = pl.DataFrame(
        {
            "source": ["dossiers", "tasks", "budget", "health"],
            "name": ["Hồ sơ TTHC", "Nhiệm vụ NQ57", "Ngân sách", "Dữ liệu y tế"],
            "lateness_days": [-2.0, 3.0, 40.0, None],
            "status": ["ok", "late", "stale", "refused"],
        }
    )
    fig = charts.freshness_bars(df, "vi")
    bar = fig.data[0]
    assert list(bar.customdata) == ["health", "budget", "tasks", "dossiers"]
    assert list(bar.x) == [0.0, 40.0, 3.0, 0.0]
    assert list(bar.text) == [
        "⊘ Từ chối chia sẻ",
        "✕ Dữ liệu quá cũ · chậm 40 ngày",
        "! Chậm cập nhật · chậm 3 ngày",
        "✓ Cập nhật đúng hạn",
    ]
    assert list(bar.marker.color) == [
        style.SOURCE_STATUS_STYLE[s][0] for s in ("refused", "stale", "late", "ok")
    ]
    en = charts.freshness_bars(df, "en")
    assert en.data[0].text[2] == "! Late · 3 days late"
    assert en.layout.xaxis.title.text == "Days behind schedule"


def test_projector_scaling() -> None:
    df = _months(3).with_columns(value=pl.Series([1.0, 2.0, 3.0]))
    fig = charts.for_projector(charts.trend(df, fmt="count", lang="vi"), scale=1.5)
    assert fig.layout.font.size == 21 and fig.layout.height == 540
