"""How healthy a source is as of a day: read or not, and how late against its cadence.

Cadence rules. A source delivers data per period (a day, an ISO week from Monday, a month, a
quarter, a year). Each period has a deadline by which its data is due:

- daily: the next day; weekly: the Monday after the week;
- monthly: day ``freshness.day`` of the next month; quarterly: that day of the month after the
  quarter; yearly: that day of January of the next year.

The newest timestamp tells which periods were delivered. A data column's newest value covers its
own period (records dated 13/11 deliver 13/11). A file's modification time covers only the
periods that had ended when it was written (a file written on 3/11 delivers October, not
November). A deadline missed is one that has passed (strictly before today) for a period not
delivered: none missed is ``ok``, one is ``late``, two or more ``stale``. ``late_by`` counts the
days since the first missed deadline. A source that cannot be read is ``failed``; one whose owner
refuses to share it is ``refused`` (a fact to show, not a fault of the dashboard). A source judged
by file time whose files were all written after the day viewed is ``unknown``: a file rewritten
later may have been there before, but nothing dated shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sources.problems import Lang, Problem, register_messages

register_messages(
    {
        "health.ok": {"vi": "tốt", "en": "ok"},
        "health.late": {"vi": "trễ hạn", "en": "late"},
        "health.stale": {"vi": "quá cũ", "en": "stale"},
        "health.failed": {"vi": "lỗi", "en": "failed"},
        "health.refused": {"vi": "từ chối chia sẻ", "en": "refused"},
        "health.unknown": {"vi": "không rõ", "en": "unknown"},
    }
)

Status = Literal["ok", "unknown", "late", "stale", "failed", "refused"]
Cadence = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]
STATUSES: tuple[Status, ...] = ("ok", "unknown", "late", "stale", "failed", "refused")


@dataclass(frozen=True)
class SourceHealth:
    """One source's health as of a day."""

    id: str
    kind: str
    status: Status
    rows: int | None = None
    newest: dt.date | dt.datetime | None = (
        None  # newest value of the freshness column, or file time
    )
    file_time: dt.datetime | None = None  # newest modification time of the source's files
    last_read: dt.datetime | None = None  # when the catalogue last read the data
    late_by: int | None = None  # days since the first missed deadline; 0 when on time
    problems: tuple[Problem, ...] = ()  # why it failed (every problem found), or the refusal

    @property
    def error(self) -> Problem | None:
        """The first problem: enough for a card; ``problems`` has them all."""
        return self.problems[0] if self.problems else None

    def as_dict(self, lang: Lang = "vi") -> dict[str, object]:
        """The JSON form: dates as ISO text, the problems as one-line renderings."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "rows": self.rows,
            "newest": self.newest.isoformat() if self.newest else None,
            "late_by": self.late_by,
            "error": "\n".join(p.render(lang) for p in self.problems) or None,
        }


@dataclass(frozen=True)
class Freshness:
    """The state of the data behind one number: the worst of the sources it is computed from."""

    status: Status
    newest: dt.date | None  # the oldest of the sources' newest data, never after the as-of date
    late_by: int | None


def worst_of(healths: list[SourceHealth], as_of: dt.date) -> Freshness | None:
    """The freshness of a number computed from ``healths`` (None when it reads no source):
    its status is the worst (``STATUSES`` runs from best to worst), its data is as new as its
    oldest source."""
    if not healths:
        return None
    worst = max(healths, key=lambda h: (STATUSES.index(h.status), h.late_by or 0))
    newest = [_day(h.newest) for h in healths if h.newest is not None]
    day = min(newest) if newest else None
    return Freshness(worst.status, min(day, as_of) if day else None, worst.late_by)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def period_start(day: dt.date, cadence: Cadence) -> dt.date:
    """The first day of the period that contains ``day``."""
    if cadence == "daily":
        return day
    if cadence == "weekly":
        return day - dt.timedelta(days=day.weekday())
    if cadence == "monthly":
        return day.replace(day=1)
    if cadence == "quarterly":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def next_period(start: dt.date, cadence: Cadence) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if cadence == "daily":
        return start + dt.timedelta(days=1)
    if cadence == "weekly":
        return start + dt.timedelta(days=7)
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[cadence]
    return _months_later(start, months)


def deadline(start: dt.date, cadence: Cadence, day: int = 1) -> dt.date:
    """The day by which the data of the period starting on ``start`` is due."""
    after = next_period(start, cadence)
    if cadence in ("daily", "weekly"):
        return after
    return after.replace(day=day)


def lateness(
    newest: dt.date | dt.datetime,
    today: dt.date,
    cadence: Cadence,
    day: int = 1,
    *,
    file_time: bool = False,
) -> tuple[Status, int]:
    """``("ok", 0)``, ``("late", days)`` or ``("stale", days)`` per the module's rules.

    ``file_time`` says ``newest`` is when a file was written rather than a data value.
    """
    newest_day = newest.date() if isinstance(newest, dt.datetime) else newest
    start = period_start(newest_day, cadence)
    first = start if file_time else next_period(start, cadence)  # the first period not delivered
    missed = 0
    period = first
    while missed < 2 and deadline(period, cadence, day) < today:
        missed += 1
        period = next_period(period, cadence)
    if not missed:
        return "ok", 0
    return ("late" if missed == 1 else "stale"), (today - deadline(first, cadence, day)).days
