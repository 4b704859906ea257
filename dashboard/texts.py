"""The words said about a figure, once for every medium: the dashboard's pages, the presenter's
slides, the PowerPoint and the PDF.

A card's value, status, target, expected value, change, the reason it has no value and the
period it covers; a source's status and lateness; a deck's period, footer and snapshot line.
Pages wrap these words in HTML and colour, slides in shapes, but never write them again, so the
presenter and the page cannot disagree about a figure (``tests/test_texts.py``). Numbers and
dates go through :mod:`metrics.fmt`, phrases through :mod:`dashboard.i18n`, icons through
:mod:`dashboard.style`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from dashboard import style
from dashboard.i18n import t
from metrics import fmt
from metrics.config import BrokenFile
from metrics.deck import Card, Deck, DeckSlide, pick
from metrics.status import REASON_LABELS, expected_differs
from metrics.store import SnapshotInfo
from sources.health import STATUSES as HEALTH_STATUSES
from sources.health import Freshness
from sources.problems import Lang, Location

Tone = Literal["good", "bad", "flat", ""]


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def markdown_literal(text: str) -> str:
    """Text from YAML, the URL or the store, made literal where Streamlit reads Markdown
    (alerts, captions, button labels): no links, images or formatting smuggled in."""
    return _MARKDOWN.sub(r"\\\1", text)


def plotly_literal(text: str) -> str:
    """Text from YAML or data made literal where Plotly reads its HTML-like labels (axis labels,
    hover text, titles): ``<b>`` or ``<a href=…>`` in a unit's name is shown, not obeyed."""
    return html.escape(text, quote=False)


# --------------------------------------------------------------------------- statuses


def status_text(status: str | None, lang: Lang) -> str:
    """Icon and word together, e.g. ``✓ Đạt`` / ``✕ Off track``."""
    s = status if status in style.STATUS_STYLE else "no_data"
    return f"{style.status_icon(s)} {t(f'status.{s}', lang)}"


def source_status_text(status: str, lang: Lang) -> str:
    """A source's health with its icon: ``⚠ Lỗi``."""
    return f"{style.source_icon(status)} {t(f'source_status.{status}', lang)}"


def lateness_text(days: int, lang: Lang) -> str:
    """``6 ngày trễ hạn``."""
    return t("chart.lateness_days", lang, days=fmt.days(days, lang, 0))


def location_text(location: Location | None, lang: Lang) -> str | None:
    """``config/metrics/service.yaml, dòng 23``: where to fix it."""
    if location is None:
        return None
    if not location.line:
        return location.file
    return t("metric.file_line", lang, file=location.file, line=location.line)


def broken_file_text(broken: BrokenFile, lang: Lang, zone: str) -> str:
    """``config/metrics/x.yaml, dòng 21: YAML không hợp lệ: … Đang dùng bản hợp lệ gần nhất
    (từ 10:05 07/12/2026).``: which file, where, what, and what serves meanwhile (plain text:
    the message quotes what staff wrote)."""
    first = broken.errors[0]
    where = location_text(first.location, lang) or broken.file
    line = f"{where}: {first.text(lang)}"
    if len(broken.errors) > 1:
        line += " " + t("config.more_errors", lang, n=len(broken.errors) - 1)
    if broken.kept_since is None:
        return f"{line} — {t('config.nothing_kept', lang)}"
    when = fmt.datetime(broken.kept_since.astimezone(ZoneInfo(zone)), lang)
    return f"{line} — {t('config.kept_serving', lang, when=when)}"


# --------------------------------------------------------------------------- a card


@dataclass(frozen=True)
class CardText:
    """A card's lines, as every medium shows them ("" for a line the card does not have)."""

    title: str
    value: str
    status: str  # icon and word
    target: str  # "" when the metric has no target
    expected: str  # "" unless a target path expects something else by now
    delta: str  # "" when there is no previous period
    delta_tone: Tone  # whether the change is good news, for the page's colour
    error: str  # why there is no value: the failure, or the reason ("division by zero")
    own_period: str  # "Số liệu: Năm 2025" on a figure whose period is not the page's
    location: str  # where to fix a metric that failed

    @property
    def details(self) -> tuple[str, ...]:
        """The small lines under the value, in the order every medium shows them."""
        lines = (self.own_period, self.target, self.expected, self.delta, self.error)
        return tuple(line for line in lines if line)


def delta_text(
    delta: float, format: str, direction: str | None, lang: Lang, vs_year: bool = False
) -> tuple[str, Tone]:
    """``▼ −3 so với kỳ trước (tốt lên)`` and its tone: the change with its arrow, and whether
    it is good news by the metric's direction (a fall in overdue tasks is), so colour is never
    the only cue."""
    number = fmt.delta(delta, format, lang)
    key = "metric.delta_prev_year" if vs_year else "metric.delta_prev_value"
    label = t(key, lang, delta=number)
    if not any(ch in "123456789" for ch in number):
        return f"= {label}", "flat"
    rising = delta > 0
    arrow = "▲" if rising else "▼"
    if direction not in ("up", "down"):
        return f"{arrow} {label}", "flat"
    good = rising == (direction == "up")
    word = t("metric.better" if good else "metric.worse", lang)
    return f"{arrow} {label} ({word})", "good" if good else "bad"


def own_period_text(card: Card, lang: Lang) -> str:
    if not card.own_period or card.grain is None or card.period_start is None:
        return ""
    period = fmt.period(card.period_start, card.period_end, card.grain, lang)
    return t("card.own_period", lang, period=period)


def card_text(card: Card, lang: Lang) -> CardText:
    target = expected = delta = ""
    tone: Tone = ""
    if card.target is not None:
        target = t("metric.target_value", lang, target=fmt.value(card.target, card.format, lang))
    if card.expected is not None and expected_differs(card.target, card.expected):
        expected = t(
            "metric.expected_value", lang, expected=fmt.value(card.expected, card.format, lang)
        )
    if not fmt.is_missing(card.delta):
        delta, tone = delta_text(
            card.delta,  # type: ignore[arg-type]
            card.format,
            card.direction,
            lang,
            card.delta_vs_year,
        )
    return CardText(
        title=pick(card.title, lang),
        value=fmt.value(card.value, card.format, lang),
        status=status_text(card.status, lang),
        target=target,
        expected=expected,
        delta=delta,
        delta_tone=tone,
        error=pick(card.error, lang) or REASON_LABELS.get(card.reason or "", {}).get(lang, ""),
        own_period=own_period_text(card, lang),
        location=location_text(card.location, lang) or "",
    )


def short_target(card: Card, lang: Lang) -> str:
    """ "target 100%" when the card is judged against its final target; "expected 93.4%" when it
    is judged against a point on a target path that differs from the final target; else ""."""
    if card.expected is not None and expected_differs(card.target, card.expected):
        value = fmt.value(card.expected, card.format, lang)
        return t("overview.expected_short", lang, expected=value)
    if card.target is not None:
        return t("overview.target_short", lang, target=fmt.value(card.target, card.format, lang))
    return ""


def history_labels(card: Card, lang: Lang) -> tuple[str, ...]:
    """The periods of a card's history, short: ``11/2025``, ``2025``."""
    grain = card.grain or "month"
    return tuple(fmt.period_short(start, grain, lang) for start, _ in card.history)


def freshness_text(fresh: Freshness, lang: Lang) -> str:
    """ "Số liệu đến 13/11/2025" when the sources are on time ("" without a date); else the
    worst source's status and how late it is."""
    if fresh.status == "ok":
        if fresh.newest is None:
            return ""
        return t("freshness.data_to", lang, date=fmt.date(fresh.newest, lang))
    text = t("freshness.source_issue", lang, status=t(f"source_status.{fresh.status}", lang))
    if fresh.late_by:
        text += " · " + lateness_text(fresh.late_by, lang)
    return text


# --------------------------------------------------------------------------- a deck


def period_text(deck: Deck, lang: Lang) -> str:
    """The period the cards cover: ``Tháng 11/2025, tính đến 14/11/2025``."""
    start, end = fmt.period_bounds(deck.as_of, deck.grain)
    return fmt.period(start, end, deck.grain, lang, as_of=deck.as_of)


def figure_text(value: float | None, status: str | None, format: str, lang: Lang) -> str:
    """``✕ 79,0%``: a figure with its status's sign (no sign without a status)."""
    shown = fmt.value(value, format, lang)
    return f"{style.status_icon(status)} {shown}" if status else shown


SLIDE_TEXT = 160  # characters of a directive a slide shows (the Directives page has it all)
CONCLUSION_HEADINGS = (
    "directive.id",
    "directive.text",
    "directive.metric",
    "directive.responsible",
    "directive.due",
    "directive.days_overdue",
    "directive.value_then",
    "directive.value_now",
)


def conclusion_rows(slide: DeckSlide, lang: Lang) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """A conclusions slide as a table: its headings, then one row per directive (what, about
    which figure, who, by when, days overdue, the figure when given and now)."""
    headings = tuple(t(key, lang) for key in CONCLUSION_HEADINGS)
    rows = [
        (
            str(c.id),
            c.text if len(c.text) <= SLIDE_TEXT else c.text[: SLIDE_TEXT - 1].rstrip() + "…",
            pick(c.metric_title, lang),
            pick(c.responsible_name, lang),
            fmt.date(c.due, lang),
            fmt.number(c.days_overdue, lang) if c.days_overdue else "",
            figure_text(c.then, c.then_status, c.format, lang) if c.then_status else "–",
            figure_text(c.now, c.now_status, c.format, lang),
        )
        for c in slide.conclusions or ()
    ]
    return headings, rows


def comparison_text(frozen: Card, now: Card | None, lang: Lang) -> str:
    """``Hiện nay: 14 (+2 so với lúc chốt)`` under a card as it was reported."""
    if now is None or now.value is None:
        return t("present.now_value", lang, value=fmt.no_data(lang))
    line = t("present.now_value", lang, value=fmt.value(now.value, now.format, lang))
    if frozen.value is None:
        return line
    change = fmt.delta(now.value - frozen.value, frozen.format, lang)
    if change == fmt.delta(0, frozen.format, lang):
        return f"{line} ({t('present.unchanged', lang)})"
    return f"{line} ({t('present.change_since', lang, delta=change)})"


def reported_option(info: SnapshotInfo, lang: Lang) -> str:
    """``Như báo cáo ngày 14/11/2025 · Giao ban (số 3)``: a snapshot in the figures' menu."""
    return t("reported.option", lang, date=fmt.date(info.as_of, lang), label=info.label, id=info.id)


def reported_banner(info: SnapshotInfo, today: dt.date, lang: Lang) -> str:
    """What a page shown from a snapshot says above its figures."""
    return t(
        "reported.banner",
        lang,
        date=fmt.date(info.as_of, lang),
        label=info.label,
        id=info.id,
        config=info.config_hash[:12],
        today=fmt.date(today, lang),
    )


def slide_subtitle(deck: Deck, slide: DeckSlide, lang: Lang) -> str:
    parts = [period_text(deck, lang)]
    if slide.unit_name:
        parts.append(pick(slide.unit_name, lang))
    return " · ".join(parts)


def sources_text(deck: Deck, lang: Lang) -> str:
    """One line on the sources: how many are up to date, and which are not."""
    ok = [s for s in deck.sources if s.status == "ok"]
    parts = []
    if ok:
        parts.append(t("brief.sources_ok", lang, n=len(ok)))
    for status in HEALTH_STATUSES:
        if status == "ok":
            continue
        names = [pick(s.title, lang) for s in deck.sources if s.status == status]
        if names:
            parts.append(f"{t(f'source_status.{status}', lang)}: {', '.join(names)}")
    return t("brief.sources_line", lang, summary="; ".join(parts) or "–")


def footer_text(deck: Deck, lang: Lang) -> str:
    """The as-of date and the sources' freshness, as every slide's footer shows them."""
    as_of = t("overview.as_of", lang, date=fmt.date(deck.as_of, lang))
    return f"{as_of} · {sources_text(deck, lang)}"


def source_rows(deck: Deck, lang: Lang) -> list[tuple[str, str, str, str]]:
    """The closing page's table: source, status, newest record, days behind schedule."""
    rows = []
    for source in deck.sources:
        newest = ""
        if source.newest:
            newest = (
                fmt.datetime(source.newest, lang)
                if "T" in source.newest
                else fmt.date(source.newest, lang)
            )
        late = fmt.days(source.late_by, lang, 0) if source.late_by else ""
        rows.append(
            (pick(source.title, lang), source_status_text(source.status, lang), newest, late)
        )
    return rows


def snapshot_text(deck: Deck, lang: Lang) -> str:
    """``Bản chốt số 3 «Giao ban», lúc 14/11/2025 09:30, người chốt: …`` (city time)."""
    info = deck.snapshot
    if info is None:
        return ""
    when: dt.datetime = info.created_at.astimezone(ZoneInfo(deck.timezone))
    return t(
        "snapshot.caption",
        lang,
        id=info.id,
        label=info.label,
        when=fmt.datetime(when, lang),
        author=info.author,
    )
