"""Numbers, dates and periods as a Vietnamese (and an English) reader expects them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest

from metrics import fmt

M = "\u2212"  # the minus sign the dashboard writes


@pytest.mark.parametrize(
    ("x", "decimals", "vi", "en"),
    [
        (1234567, 0, "1.234.567", "1,234,567"),
        (1234.5, 1, "1.234,5", "1,234.5"),
        (0, 0, "0", "0"),
        (999, 0, "999", "999"),
        (1000, 0, "1.000", "1,000"),
        (12.345, 2, "12,35", "12.35"),  # half away from zero on what the reader sees
        (1.005, 2, "1,01", "1.01"),  # not the binary 1.00499999...
        (2.5, 0, "3", "3"),
        (-2.5, 0, f"{M}3", f"{M}3"),
        (-1234567.89, 1, f"{M}1.234.567,9", f"{M}1,234,567.9"),
        (-0.04, 0, "0", "0"),  # no negative zero
        (-0.04, 1, "0,0", "0.0"),
        (0.5, 3, "0,500", "0.500"),
        (10**18, 0, "1.000.000.000.000.000.000", "1,000,000,000,000,000,000"),
        (np.float64(1234.5), 1, "1.234,5", "1,234.5"),
        (np.int64(42), 0, "42", "42"),
        (Decimal("7.25"), 1, "7,3", "7.3"),
    ],
)
def test_number(x: object, decimals: int, vi: str, en: str) -> None:
    assert fmt.number(x, "vi", decimals) == vi
    assert fmt.number(x, "en", decimals) == en


@pytest.mark.parametrize(
    ("fraction", "decimals", "vi", "en"),
    [
        (0.987, 1, "98,7%", "98.7%"),
        (0.9999, 1, "100,0%", "100.0%"),
        (0.42, 1, "42,0%", "42.0%"),
        (1, 1, "100,0%", "100.0%"),
        (0.0005, 1, "0,1%", "0.1%"),
        (0.00049, 1, "0,0%", "0.0%"),
        (0.123456, 2, "12,35%", "12.35%"),
        (0.5, 0, "50%", "50%"),
        (-0.015, 1, f"{M}1,5%", f"{M}1.5%"),
        (12.3456, 1, "1.234,6%", "1,234.6%"),
    ],
)
def test_percent(fraction: float, decimals: int, vi: str, en: str) -> None:
    assert fmt.percent(fraction, "vi", decimals) == vi
    assert fmt.percent(fraction, "en", decimals) == en


def test_percent_default_decimals() -> None:
    assert fmt.percent(0.987, "vi") == "98,7%"
    assert fmt.percent(0.987, "en") == "98.7%"


@pytest.mark.parametrize(
    ("x", "vi", "en"),
    [
        (1.2e9, "1,2 tỷ đồng", "VND 1.2 billion"),
        (350e6, "350 triệu đồng", "VND 350 million"),
        (12500, "12.500 đồng", "VND 12,500"),
        (1e12, "1 nghìn tỷ đồng", "VND 1 trillion"),
        (1.234e12, "1,2 nghìn tỷ đồng", "VND 1.2 trillion"),
        (2.5e15, "2.500 nghìn tỷ đồng", "VND 2,500 trillion"),
        (1e9, "1 tỷ đồng", "VND 1 billion"),
        (12.5e9, "12,5 tỷ đồng", "VND 12.5 billion"),
        (123.456e9, "123 tỷ đồng", "VND 123 billion"),
        (1e6, "1 triệu đồng", "VND 1 million"),
        (999_960_000, "1 tỷ đồng", "VND 1 billion"),  # rounds up into the next unit
        (999_999.6, "1 triệu đồng", "VND 1 million"),
        (999_999, "999.999 đồng", "VND 999,999"),
        (0, "0 đồng", "VND 0"),
        (0.4, "0 đồng", "VND 0"),
        (-5e9, f"{M}5 tỷ đồng", f"{M}VND 5 billion"),
        (-12500, f"{M}12.500 đồng", f"{M}VND 12,500"),
    ],
)
def test_vnd(x: float, vi: str, en: str) -> None:
    assert fmt.vnd(x, "vi") == vi
    assert fmt.vnd(x, "en") == en


def test_vnd_in_full() -> None:
    assert fmt.vnd(1_234_567_890, "vi", compact=False) == "1.234.567.890 đồng"
    assert fmt.vnd(1_234_567_890, "en", compact=False) == "VND 1,234,567,890"


@pytest.mark.parametrize(
    ("x", "vi", "en"),
    [
        (3.5, "3,5 ngày", "3.5 days"),
        (3, "3,0 ngày", "3.0 days"),
        (0.04, "0,0 ngày", "0.0 days"),
        (12.25, "12,3 ngày", "12.3 days"),
        (1234.5, "1.234,5 ngày", "1,234.5 days"),
    ],
)
def test_days(x: float, vi: str, en: str) -> None:
    assert fmt.days(x, "vi") == vi
    assert fmt.days(x, "en") == en


def test_days_whole() -> None:
    assert fmt.days(1, "en", 0) == "1 day"
    assert fmt.days(2, "en", 0) == "2 days"
    assert fmt.days(1, "vi", 0) == "1 ngày"


@pytest.mark.parametrize(
    ("x", "vi", "en"),
    [(3.871, "3,87", "3.87"), (4, "4,00", "4.00"), (4.995, "5,00", "5.00")],
)
def test_score(x: float, vi: str, en: str) -> None:
    assert fmt.score(x, "vi") == vi
    assert fmt.score(x, "en") == en


@pytest.mark.parametrize(
    ("x", "f", "vi", "en"),
    [
        (0.987, "percent", "98,7%", "98.7%"),
        (569, "count", "569", "569"),
        (12345, "count", "12.345", "12,345"),
        (12.0, "count", "12", "12"),
        (1234.0, "number", "1.234", "1,234"),
        (1234.56, "number", "1.234,6", "1,234.6"),
        (1.2e9, "vnd", "1,2 tỷ đồng", "VND 1.2 billion"),
        (3.5, "days", "3,5 ngày", "3.5 days"),
        (3.871, "score", "3,87", "3.87"),
    ],
)
def test_value(x: float, f: str, vi: str, en: str) -> None:
    assert fmt.value(x, f, "vi") == vi
    assert fmt.value(x, f, "en") == en


@pytest.mark.parametrize("missing", [None, float("nan"), math.inf, -math.inf, np.nan])
@pytest.mark.parametrize("f", fmt.FORMATS)
def test_value_missing(missing: object, f: str) -> None:
    assert fmt.value(missing, f, "vi") == "chưa có số liệu"
    assert fmt.value(missing, f, "en") == "no data"


def test_missing_everywhere() -> None:
    for func in (fmt.number, fmt.percent, fmt.vnd, fmt.days, fmt.score, fmt.date, fmt.datetime):
        assert func(None, "vi") == "chưa có số liệu"
        assert func(None, "en") == "no data"
    assert fmt.delta(None, "count", "vi") == "chưa có số liệu"
    assert fmt.ago(None, "en") == "no data"
    assert fmt.is_missing(float("nan")) and fmt.is_missing(None) and not fmt.is_missing(0)


def test_unknown_format_and_language() -> None:
    with pytest.raises(ValueError):
        fmt.value(1, "furlongs", "vi")
    with pytest.raises(ValueError):
        fmt.delta(1, "furlongs", "vi")
    with pytest.raises(ValueError):
        fmt.number(1, "fr", 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "f", "vi", "en"),
    [
        (0.012, "percent", "+1,2 điểm %", "+1.2 pp"),
        (-0.012, "percent", f"{M}1,2 điểm %", f"{M}1.2 pp"),
        (0.0004, "percent", "0,0 điểm %", "0.0 pp"),  # rounds to zero: no sign
        (3, "count", "+3", "+3"),
        (-3, "count", f"{M}3", f"{M}3"),
        (0, "count", "0", "0"),
        (1500, "count", "+1.500", "+1,500"),
        (0.5, "days", "+0,5 ngày", "+0.5 days"),
        (-2.25, "days", f"{M}2,3 ngày", f"{M}2.3 days"),
        (0.12, "score", "+0,12", "+0.12"),
        (-350e6, "vnd", f"{M}350 triệu đồng", f"{M}VND 350 million"),
        (1.2e9, "vnd", "+1,2 tỷ đồng", "+VND 1.2 billion"),
        (12.5, "number", "+12,5", "+12.5"),
        (-1200.0, "number", f"{M}1.200", f"{M}1,200"),
    ],
)
def test_delta(d: float, f: str, vi: str, en: str) -> None:
    assert fmt.delta(d, f, "vi") == vi
    assert fmt.delta(d, f, "en") == en


def test_minus_is_a_real_minus_sign() -> None:
    text = fmt.delta(-3, "count", "vi")
    assert text[0] == "\u2212" and "-" not in text


@pytest.mark.parametrize(
    ("d", "vi", "en"),
    [
        (dt.date(2025, 11, 14), "14/11/2025", "14 Nov 2025"),
        (dt.date(2025, 1, 5), "05/01/2025", "5 Jan 2025"),
        (dt.datetime(2025, 11, 14, 8, 30), "14/11/2025", "14 Nov 2025"),
        ("2025-09-02", "02/09/2025", "2 Sep 2025"),
    ],
)
def test_date(d: object, vi: str, en: str) -> None:
    assert fmt.date(d, "vi") == vi
    assert fmt.date(d, "en") == en


def test_datetime() -> None:
    moment = dt.datetime(2025, 11, 14, 8, 30, 59)
    assert fmt.datetime(moment, "vi") == "14/11/2025 08:30"
    assert fmt.datetime(moment, "en") == "14 Nov 2025 08:30"
    assert fmt.datetime(dt.date(2025, 11, 14), "vi") == "14/11/2025 00:00"
    assert fmt.datetime("2025-11-14T17:05:00", "en") == "14 Nov 2025 17:05"


D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "grain", "vi", "en"),
    [
        (D(2025, 11, 1), D(2025, 11, 30), "month", "Tháng 11/2025", "November 2025"),
        (D(2025, 1, 1), D(2025, 1, 31), "month", "Tháng 1/2025", "January 2025"),
        (D(2025, 10, 1), D(2025, 12, 31), "quarter", "Quý IV/2025", "Q4 2025"),
        (D(2025, 1, 1), D(2025, 3, 31), "quarter", "Quý I/2025", "Q1 2025"),
        (D(2025, 4, 1), D(2025, 6, 30), "quarter", "Quý II/2025", "Q2 2025"),
        (D(2025, 7, 1), D(2025, 9, 30), "quarter", "Quý III/2025", "Q3 2025"),
        (D(2025, 1, 1), D(2025, 6, 30), "half", "6 tháng đầu năm 2025", "H1 2025"),
        (D(2025, 7, 1), D(2025, 12, 31), "half", "6 tháng cuối năm 2025", "H2 2025"),
        (D(2025, 1, 1), D(2025, 12, 31), "year", "Năm 2025", "2025"),
        (D(2025, 11, 10), D(2025, 11, 16), "week", "Tuần 46/2025", "Week 46, 2025"),
        (D(2024, 12, 30), D(2025, 1, 5), "week", "Tuần 1/2025", "Week 1, 2025"),  # ISO week
        (D(2025, 11, 14), D(2025, 11, 14), "day", "14/11/2025", "14 Nov 2025"),
        (
            D(2025, 11, 1),
            D(2025, 11, 14),
            None,
            "01/11/2025 – 14/11/2025",
            "1 Nov 2025 – 14 Nov 2025",
        ),
    ],
)
def test_period(start: dt.date, end: dt.date, grain: str | None, vi: str, en: str) -> None:
    assert fmt.period(start, end, grain, "vi") == vi
    assert fmt.period(start, end, grain, "en") == en


def test_period_to_date() -> None:
    start, end = D(2025, 11, 1), D(2025, 11, 14)
    assert (
        fmt.period_to_date(start, end, "month", D(2025, 11, 14), "vi")
        == "Tháng 11/2025, tính đến 14/11/2025"
    )
    assert (
        fmt.period_to_date(start, end, "month", D(2025, 11, 14), "en")
        == "November 2025, as of 14 Nov 2025"
    )
    assert (
        fmt.period_to_date(start, end, "month", None, "vi") == "Tháng 11/2025, tính đến 14/11/2025"
    )
    assert (
        fmt.period_to_date(D(2025, 10, 1), end, "quarter", end, "vi")
        == "Quý IV/2025, tính đến 14/11/2025"
    )


def test_period_with_as_of_says_to_date_only_while_running() -> None:
    start = D(2025, 11, 1)
    assert (
        fmt.period(start, D(2025, 11, 14), "month", "vi", as_of=D(2025, 11, 14))
        == "Tháng 11/2025, tính đến 14/11/2025"
    )
    # a whole period reads plainly even when an as-of date is given
    assert (
        fmt.period(start, D(2025, 11, 30), "month", "en", as_of=D(2025, 11, 30)) == "November 2025"
    )
    assert fmt.period(D(2025, 10, 1), None, "month", "vi", as_of=D(2025, 11, 14)) == "Tháng 10/2025"


def test_period_bounds() -> None:
    assert fmt.period_bounds(D(2025, 11, 14), "month") == (D(2025, 11, 1), D(2025, 11, 30))
    assert fmt.period_bounds(D(2024, 2, 10), "quarter") == (D(2024, 1, 1), D(2024, 3, 31))
    assert fmt.period_bounds(D(2025, 8, 1), "half") == (D(2025, 7, 1), D(2025, 12, 31))
    assert fmt.period_bounds(D(2025, 11, 14), "week") == (D(2025, 11, 10), D(2025, 11, 16))
    assert fmt.period_bounds(D(2025, 11, 14), "year") == (D(2025, 1, 1), D(2025, 12, 31))


@pytest.mark.parametrize(
    ("start", "grain", "vi", "en"),
    [
        (D(2025, 11, 1), "month", "11/2025", "Nov 2025"),
        (D(2025, 10, 1), "quarter", "Quý IV/2025", "Q4 2025"),
        (D(2025, 11, 10), "week", "T46/2025", "W46 2025"),
        (D(2025, 11, 14), "day", "14/11", "14 Nov"),
        (D(2025, 1, 1), "year", "2025", "2025"),
        (D(2025, 7, 1), "half", "6Tcuối/2025", "H2 2025"),
    ],
)
def test_period_short(start: dt.date, grain: str, vi: str, en: str) -> None:
    assert fmt.period_short(start, grain, "vi") == vi
    assert fmt.period_short(start, grain, "en") == en


@pytest.mark.parametrize(
    ("age", "vi", "en"),
    [
        (3, "3 ngày trước", "3 days ago"),
        (1, "1 ngày trước", "1 day ago"),
        (3.9, "3 ngày trước", "3 days ago"),  # whole days, counted down
        (dt.timedelta(hours=5), "5 giờ trước", "5 hours ago"),
        (dt.timedelta(hours=5, minutes=50), "5 giờ trước", "5 hours ago"),
        (1 / 24, "1 giờ trước", "1 hour ago"),
        (dt.timedelta(minutes=12), "12 phút trước", "12 minutes ago"),
        (dt.timedelta(minutes=1), "1 phút trước", "1 minute ago"),
        (dt.timedelta(seconds=20), "vừa xong", "just now"),
        (dt.timedelta(hours=-2), "vừa xong", "just now"),
        (1200, "1.200 ngày trước", "1,200 days ago"),
    ],
)
def test_ago(age: object, vi: str, en: str) -> None:
    assert fmt.ago(age, "vi") == vi
    assert fmt.ago(age, "en") == en


def test_grain_names() -> None:
    assert fmt.normalise_grain("Quarter") == "quarter"
    assert fmt.normalise_grain("half_year") == "half"
    assert fmt.normalise_grain("fortnight") is None
    assert set(fmt.GRAINS) == {"day", "week", "month", "quarter", "half", "year"}
