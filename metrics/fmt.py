"""Numbers, dates and periods written the way a reader of each language expects.

Every figure the dashboard shows goes through this module, so Vietnamese always reads
``1.234,5``, ``98,7%``, ``14/11/2025`` and ``Quý IV/2025`` whatever the viewer's browser
locale, and English reads ``1,234.5``, ``98.7%``, ``14 Nov 2025`` and ``Q4 2025``.

Conventions, the same in every function:

- ``lang`` is ``"vi"`` or ``"en"``.
- Rounding is half away from zero on the decimal digits the reader sees (``0.125`` with two
  decimals is ``0,13``; ``0.9999`` as a percent is ``100,0%``), never banker's rounding.
- Negative numbers carry a real minus sign (U+2212 ``−``); a value that rounds to zero is
  written without a sign.
- A missing value (``None``, NaN or infinity) is written as the no-data text
  (``chưa có số liệu`` / ``no data``) rather than raising.

Pure functions, no Streamlit, no Babel.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import numbers
import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from sources.problems import Lang

FORMATS: tuple[str, ...] = ("percent", "count", "number", "vnd", "days", "score")
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "half", "year")

MINUS = "\u2212"  # the real minus sign
NO_DATA: dict[str, str] = {"vi": "chưa có số liệu", "en": "no data"}

_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # (decimal, thousands)
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_ROMAN = ("I", "II", "III", "IV")
_GRAIN_ALIASES = {
    "d": "day", "daily": "day", "day": "day",
    "w": "week", "weekly": "week", "week": "week",
    "m": "month", "monthly": "month", "month": "month",
    "q": "quarter", "quarterly": "quarter", "quarter": "quarter",
    "h": "half", "half": "half", "halfyear": "half", "half_year": "half", "semester": "half",
    "y": "year", "yearly": "year", "annual": "year", "year": "year",
}  # fmt: skip


def _check_lang(lang: str) -> None:
    if lang not in _SEPARATORS:
        raise ValueError(f"unknown language {lang!r} (expected 'vi' or 'en')")


def no_data(lang: Lang) -> str:
    """The text written in place of a missing value."""
    _check_lang(lang)
    return NO_DATA[lang]


def is_missing(x: object) -> bool:
    """True for None, NaN and infinities (values that cannot be shown as a number)."""
    return _to_decimal(x) is None


# --------------------------------------------------------------------------- numbers


def _to_decimal(x: object) -> Decimal | None:
    """An exact decimal for what the reader should see, or None when there is no value.

    Floats go through their shortest ``repr`` so that ``1.005`` rounds like the ``1.005``
    a person reads, not like its binary approximation ``1.00499999...``.
    """
    if x is None:
        return None
    if isinstance(x, Decimal):
        return x if x.is_finite() else None
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(f):
        return None
    return Decimal(repr(f))


def _round(d: Decimal, decimals: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(q) if q == 0 else q  # no negative zero


def _digits(d: Decimal, decimals: int, lang: Lang, *, trim: bool = False) -> str:
    """``d`` rounded and written with the separators of ``lang`` (sign included)."""
    dec_sep, group_sep = _SEPARATORS[lang]
    q = _round(d, max(decimals, 0))
    text = format(abs(q), "f")
    int_part, _, frac = text.partition(".")
    if trim:
        frac = frac.rstrip("0")
    groups = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    out = group_sep.join(groups)
    if frac:
        out += dec_sep + frac
    return (MINUS + out) if q < 0 else out


def number(x: object, lang: Lang, decimals: int = 0) -> str:
    """``1.234.567`` / ``1.234,5`` (vi); ``1,234,567`` / ``1,234.5`` (en)."""
    _check_lang(lang)
    d = _to_decimal(x)
    if d is None:
        return NO_DATA[lang]
    return _digits(d, decimals, lang)


def percent(fraction: object, lang: Lang, decimals: int = 1) -> str:
    """A fraction as a percent: ``0.987`` → ``98,7%`` (vi), ``98.7%`` (en)."""
    _check_lang(lang)
    d = _to_decimal(fraction)
    if d is None:
        return NO_DATA[lang]
    return _digits(d * 100, decimals, lang) + "%"


_VND_UNITS = (  # (size, vi word, en word), largest first
    (Decimal(10) ** 12, "nghìn tỷ", "trillion"),
    (Decimal(10) ** 9, "tỷ", "billion"),
    (Decimal(10) ** 6, "triệu", "million"),
)


def _vnd_abs(d: Decimal, lang: Lang, compact: bool) -> str:
    """A non-negative amount of dong, without the sign."""
    whole = _round(d, 0)
    if compact:
        for i, (size, vi_word, en_word) in enumerate(_VND_UNITS):
            if whole < size:
                continue
            scaled = whole / size
            decimals = 1 if scaled < 100 else 0
            rounded = _round(scaled, decimals)
            if rounded >= 1000 and i > 0:  # 999,96 triệu reads better as 1 tỷ
                size, vi_word, en_word = _VND_UNITS[i - 1]
                rounded = _round(whole / size, 1)
            text = _digits(rounded, 1, lang, trim=True)
            return f"{text} {vi_word} đồng" if lang == "vi" else f"VND {text} {en_word}"
    text = _digits(whole, 0, lang)
    return f"{text} đồng" if lang == "vi" else f"VND {text}"


def vnd(x: object, lang: Lang, compact: bool = True) -> str:
    """Money in dong: ``1,2 tỷ đồng``, ``350 triệu đồng``, ``12.500 đồng`` (vi);
    ``VND 1.2 billion``, ``VND 350 million``, ``VND 12,500`` (en).

    ``compact=False`` writes every dong: ``1.234.567.890 đồng``.
    """
    _check_lang(lang)
    d = _to_decimal(x)
    if d is None:
        return NO_DATA[lang]
    body = _vnd_abs(abs(d), lang, compact)
    negative = d < 0 and re.search(r"[1-9]", body) is not None
    return (MINUS + body) if negative else body


def days(x: object, lang: Lang, decimals: int = 1) -> str:
    """A duration in days: ``3,5 ngày`` (vi), ``3.5 days`` (en)."""
    _check_lang(lang)
    d = _to_decimal(x)
    if d is None:
        return NO_DATA[lang]
    text = _digits(d, decimals, lang)
    if lang == "vi":
        return f"{text} ngày"
    return f"{text} day" if text in ("1", MINUS + "1") else f"{text} days"


def score(x: object, lang: Lang, decimals: int = 2) -> str:
    """A score (satisfaction, index): ``3,87`` (vi), ``3.87`` (en)."""
    return number(x, lang, decimals)


def _auto_number(d: Decimal, lang: Lang) -> str:
    """Format ``number``: whole numbers without decimals, others with one."""
    return _digits(d, 0 if d == d.to_integral_value() else 1, lang)


def value(x: object, fmt: str, lang: Lang) -> str:
    """A metric value in its declared format; a missing value gives the no-data text."""
    _check_lang(lang)
    d = _to_decimal(x)
    if d is None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown metric format {fmt!r}")
        return NO_DATA[lang]
    if fmt == "percent":
        return percent(d, lang)
    if fmt == "count":
        return number(d, lang, 0)
    if fmt == "number":
        return _auto_number(d, lang)
    if fmt == "vnd":
        return vnd(d, lang)
    if fmt == "days":
        return days(d, lang)
    if fmt == "score":
        return score(d, lang)
    raise ValueError(f"unknown metric format {fmt!r}")


def delta(d: object, fmt: str, lang: Lang) -> str:
    """A signed change in a metric's format: ``+1,2 điểm %`` / ``+1.2 pp`` for percents,
    ``+3`` / ``−3`` for counts, ``+0,5 ngày``, ``−350 triệu đồng``. A change that rounds to
    zero has no sign; a missing change gives the no-data text."""
    _check_lang(lang)
    x = _to_decimal(d)
    if x is None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown metric format {fmt!r}")
        return NO_DATA[lang]
    size = abs(x)
    if fmt == "percent":
        body = _digits(size * 100, 1, lang) + (" điểm %" if lang == "vi" else " pp")
    elif fmt == "number":
        body = _auto_number(size, lang)
    else:
        body = value(size, fmt, lang)
    if re.search(r"[1-9]", body) is None:  # rounds to zero: no sign
        return body
    return ("+" if x > 0 else MINUS) + body


# --------------------------------------------------------------------------- dates


def _as_date(d: object) -> _dt.date | None:
    if d is None:
        return None
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if isinstance(d, str):
        return _dt.date.fromisoformat(d[:10])
    raise TypeError(f"not a date: {d!r}")


def _as_datetime(dt: object) -> _dt.datetime | None:
    if dt is None:
        return None
    if isinstance(dt, _dt.datetime):
        return dt
    if isinstance(dt, _dt.date):
        return _dt.datetime(dt.year, dt.month, dt.day)
    if isinstance(dt, str):
        return _dt.datetime.fromisoformat(dt)
    raise TypeError(f"not a date and time: {dt!r}")


def date(d: object, lang: Lang) -> str:
    """``14/11/2025`` (vi), ``14 Nov 2025`` (en). Accepts a date, a datetime or an ISO string."""
    _check_lang(lang)
    x = _as_date(d)
    if x is None:
        return NO_DATA[lang]
    if lang == "vi":
        return f"{x.day:02d}/{x.month:02d}/{x.year}"
    return f"{x.day} {_MONTHS_EN[x.month - 1][:3]} {x.year}"


def datetime(dt: object, lang: Lang) -> str:
    """``14/11/2025 08:30`` (vi), ``14 Nov 2025 08:30`` (en); shown in the time zone given."""
    _check_lang(lang)
    x = _as_datetime(dt)
    if x is None:
        return NO_DATA[lang]
    return f"{date(x, lang)} {x.hour:02d}:{x.minute:02d}"


def month_name(month: int, lang: Lang) -> str:
    """``Tháng 11`` (vi), ``November`` (en)."""
    _check_lang(lang)
    return f"Tháng {month}" if lang == "vi" else _MONTHS_EN[month - 1]


def normalise_grain(grain: str | None) -> str | None:
    """The canonical grain name (``day`` … ``year``) or None when unknown."""
    if grain is None:
        return None
    return _GRAIN_ALIASES.get(str(grain).strip().lower())


def period_bounds(d: object, grain: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day of the calendar period of ``grain`` that contains ``d``."""
    x = _as_date(d)
    g = normalise_grain(grain)
    if x is None or g is None:
        raise ValueError(f"cannot place {d!r} in a period of grain {grain!r}")
    if g == "day":
        return x, x
    if g == "week":
        start = x - _dt.timedelta(days=x.weekday())
        return start, start + _dt.timedelta(days=6)
    if g == "month":
        first_month, months = x.month, 1
    elif g == "quarter":
        first_month, months = 3 * ((x.month - 1) // 3) + 1, 3
    elif g == "half":
        first_month, months = (1 if x.month <= 6 else 7), 6
    else:
        first_month, months = 1, 12
    last_month = first_month + months - 1
    last_day = calendar.monthrange(x.year, last_month)[1]
    return _dt.date(x.year, first_month, 1), _dt.date(x.year, last_month, last_day)


def _month(x: _dt.date, short: bool) -> str:
    name = _MONTHS_EN[x.month - 1]
    return name[:3] if short else name


def _period_words(x: _dt.date, g: str, lang: Lang) -> str:
    if g == "day":
        return date(x, lang)
    if g == "week":
        year, week, _ = x.isocalendar()
        return f"Tuần {week}/{year}" if lang == "vi" else f"Week {week}, {year}"
    if g == "month":
        return f"Tháng {x.month}/{x.year}" if lang == "vi" else f"{_month(x, False)} {x.year}"
    if g == "quarter":
        q = (x.month - 1) // 3 + 1
        return f"Quý {_ROMAN[q - 1]}/{x.year}" if lang == "vi" else f"Q{q} {x.year}"
    if g == "half":
        first = x.month <= 6
        if lang == "vi":
            return f"6 tháng {'đầu' if first else 'cuối'} năm {x.year}"
        return f"H{1 if first else 2} {x.year}"
    return f"Năm {x.year}" if lang == "vi" else str(x.year)


def period(
    start: object,
    end: object,
    grain: str | None,
    lang: Lang,
    as_of: object = None,
) -> str:
    """The period in words: ``Tháng 11/2025``, ``Quý IV/2025``, ``6 tháng đầu năm 2025``,
    ``Năm 2025``, ``Tuần 46/2025`` (vi); ``November 2025``, ``Q4 2025``, ``H1 2025``,
    ``2025``, ``Week 46, 2025`` (en); a day is its date.

    When ``as_of`` is given and falls before the period's last day, the period is still
    running and the text says so (see :func:`period_to_date`). An unknown or missing grain
    gives the range ``01/11/2025 – 14/11/2025``.
    """
    _check_lang(lang)
    g = normalise_grain(grain)
    first = _as_date(start) or _as_date(end)
    if first is None:
        return NO_DATA[lang]
    if g is None:
        last = _as_date(end) or first
        return first_last(first, last, lang)
    text = _period_words(first, g, lang)
    if as_of is not None:
        stop = _as_date(as_of)
        if stop is not None and stop < period_bounds(first, g)[1]:
            return _to_date(text, stop, lang)
    return text


def first_last(start: object, end: object, lang: Lang) -> str:
    """A date range: ``01/11/2025 – 14/11/2025``; one date when both are the same day."""
    a, b = date(start, lang), date(end, lang)
    return a if a == b else f"{a} – {b}"


def _to_date(text: str, as_of: _dt.date, lang: Lang) -> str:
    if lang == "vi":
        return f"{text}, tính đến {date(as_of, lang)}"
    return f"{text}, as of {date(as_of, lang)}"


def period_to_date(start: object, end: object, grain: str | None, as_of: object, lang: Lang) -> str:
    """``Tháng 11/2025, tính đến 14/11/2025`` (vi), ``November 2025, as of 14 Nov 2025`` (en).

    ``as_of`` defaults to ``end`` when None.
    """
    _check_lang(lang)
    text = period(start, end, grain, lang)
    stop = _as_date(as_of) or _as_date(end)
    if stop is None:
        return text
    return _to_date(text, stop, lang)


def period_short(start: object, grain: str | None, lang: Lang) -> str:
    """A compact label for chart axes: ``11/2025``, ``Quý IV/2025``, ``T46/2025``, ``2025``
    (vi); ``Nov 2025``, ``Q4 2025``, ``W46 2025``, ``2025`` (en)."""
    _check_lang(lang)
    x = _as_date(start)
    if x is None:
        return NO_DATA[lang]
    g = normalise_grain(grain) or "day"
    if g == "day":
        return f"{x.day:02d}/{x.month:02d}" if lang == "vi" else f"{x.day} {_month(x, True)}"
    if g == "week":
        year, week, _ = x.isocalendar()
        return f"T{week}/{year}" if lang == "vi" else f"W{week} {year}"
    if g == "month":
        return f"{x.month:02d}/{x.year}" if lang == "vi" else f"{_month(x, True)} {x.year}"
    if g == "half":
        h = 1 if x.month <= 6 else 2
        return f"6T{'đầu' if h == 1 else 'cuối'}/{x.year}" if lang == "vi" else f"H{h} {x.year}"
    if g == "year":
        return str(x.year)
    return _period_words(x, g, lang)


# --------------------------------------------------------------------------- freshness


def ago(td_or_days: object, lang: Lang) -> str:
    """How long ago, for freshness: ``3 ngày trước``, ``5 giờ trước``, ``vừa xong`` (vi);
    ``3 days ago``, ``1 hour ago``, ``just now`` (en).

    Takes a ``timedelta`` or a number of days. Whole units, counted down (5 h 50 min is
    ``5 giờ``). A negative age (a clock ahead of ours) reads as just now.
    """
    _check_lang(lang)
    if isinstance(td_or_days, _dt.timedelta):
        seconds = Decimal(repr(td_or_days.total_seconds()))
    else:
        d = _to_decimal(td_or_days)
        if d is None:
            return NO_DATA[lang]
        seconds = d * 86400
    seconds = _round(seconds, 0)  # 1/24 day is 3600 s, not 3599.99...
    if seconds < 60:
        return "vừa xong" if lang == "vi" else "just now"
    units = ((86400, "ngày", "day"), (3600, "giờ", "hour"), (60, "phút", "minute"))
    for size, vi_word, en_word in units:
        if seconds >= size:
            n = int((seconds / size).to_integral_value(rounding=ROUND_FLOOR))
            if lang == "vi":
                return f"{number(n, lang)} {vi_word} trước"
            return f"{number(n, lang)} {en_word}{'' if n == 1 else 's'} ago"
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = [
    "FORMATS",
    "GRAINS",
    "MINUS",
    "NO_DATA",
    "ago",
    "date",
    "datetime",
    "days",
    "delta",
    "first_last",
    "is_missing",
    "month_name",
    "no_data",
    "normalise_grain",
    "number",
    "percent",
    "period",
    "period_bounds",
    "period_short",
    "period_to_date",
    "score",
    "value",
    "vnd",
]
