"""URL parameters, parsed and bounded: a value a link can carry is checked here, and a bad one
(text for a number, a number past any id, a date outside the dashboard's range) is ``None``, so
the page shows a notice and its default instead of failing. Never an exception."""

from __future__ import annotations

import datetime as dt

from metrics.store import MAX_ID

FIRST_DAY = dt.date(2020, 1, 1)  # the earliest as-of date the dashboard offers


def whole(text: str | None, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number written in decimal digits, between ``low`` and ``high``; else None."""
    text = (text or "").strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 20:
        return None
    number = int(text)
    return number if low <= number <= high else None


def last_day(default_as_of: dt.date) -> dt.date:
    """The latest as-of date offered: today, or the configured date if that is later."""
    return max(default_as_of, dt.date.today())


def day(text: str | None, default_as_of: dt.date) -> dt.date | None:
    """An ISO date (``2025-11-14``) within the dashboard's range; else None."""
    try:
        value = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value if FIRST_DAY <= value <= last_day(default_as_of) else None
