"""What every page is built from: the shared state, links, metric and error cards, status chips,
theme rows and the "needs attention" lists.

The ``*_html`` functions are pure (tests call them without a server) and escape every text they
are given: titles, reasons and names come from YAML that staff write. The functions around them
only place the HTML and the links on the page. Numbers and dates go through ``metrics.fmt``;
words through ``dashboard.i18n``; colours and icons through ``dashboard.charts`` so a status looks
the same on a card, in a chart and in a table.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from dashboard import charts, data, directive_views, pages, style, texts, views
from dashboard.i18n import has, t
from dashboard.views import ThemeState
from metrics import fmt as fmtlib
from metrics.config import BrokenFile
from metrics.deck import Card
from metrics.spec import Metric
from metrics.store import StoreError
from sources.health import Freshness, SourceHealth
from sources.problems import Lang, Problem

log = logging.getLogger(__name__)

#: Query parameter names of the shared controls drawn by ``app.py``.
LANG, AS_OF, GRAIN, REPORTED = "lang", "as_of", "grain", "reported"


# --------------------------------------------------------------------------- state in the URL

_INVALID = object()


def _write_param(param: str, text: str | None) -> None:
    if text is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text


_KEPT = "kept."  # session keys holding each URL control's last value across pages


def url_control(
    widget: Callable[..., Any],
    label: str,
    param: str,
    *,
    default: Any,
    options: Sequence[Any] | None = None,
    key: str | None = None,
    to_text: Callable[[Any], str] = str,
    from_text: Callable[[str], Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Draw ``widget`` (a selectbox, segmented control, date input...) whose value lives in the
    URL under ``param`` as an id (``?metric=tasks_overdue``, ``?lang=en``), never as its label.

    Streamlit's own ``bind="query-params"`` writes a choice's *label* into the URL, which would
    change with the language and put Vietnamese titles in links. Here the URL wins when it holds
    a valid value (a link, ``st.page_link(query_params=...)``); otherwise the session's last value
    (a page switch clears the query string), else ``default``. The value is written back, so the
    address bar can always be copied as a link; a value of None removes the parameter. The
    widget's key is the parameter's name unless given: ``st.session_state["lang"]`` holds the
    language for any page that wants it.
    """
    key = key or param
    if options is not None:
        lookup = {to_text(o): o for o in options}

        def parse(text: str) -> Any:
            return lookup.get(text, _INVALID)
    else:

        def parse(text: str) -> Any:
            try:
                return from_text(text) if from_text else text
            except ValueError:
                return _INVALID

    raw = st.query_params.get(param)
    value = parse(raw) if raw is not None else _INVALID
    if raw is not None and value is _INVALID:  # a link someone edited, or one gone stale
        lang = st.session_state.get(LANG) if st.session_state.get(LANG) in ("vi", "en") else "vi"
        shown = texts.markdown_literal(raw[:40] + ("…" if len(raw) > 40 else ""))
        st.warning(t("control.ignored", lang, value=shown, param=param), icon=":material/link_off:")
    if value is _INVALID:
        # A widget's own state is dropped on a page that does not draw it; the kept copy is not,
        # so the Tasks filters are still there after a visit to the Overview.
        value = st.session_state.get(key, st.session_state.get(_KEPT + key, default))
        if options is not None and value is not None and value not in options:
            value = default
    st.session_state[key] = value
    st.session_state[_KEPT + key] = value
    _write_param(param, None if value is None else to_text(value))

    def sync() -> None:
        new = st.session_state[key]
        _write_param(param, None if new is None else to_text(new))

    positional = (label,) if options is None else (label, list(options))
    return widget(*positional, key=key, on_change=sync, **kwargs)


def set_url_value(param: str, value: Any) -> None:
    """Change a URL-kept control (keyed by its parameter's name) from a callback: a click on a
    chart, a back button. Callbacks run before the widget is drawn, so this is allowed."""
    st.session_state[param] = value
    _write_param(param, None if value is None else str(value))


# --------------------------------------------------------------------------- shared state


@dataclass(frozen=True)
class Ctx:
    """The shared controls' values: the language, the as-of date, the grain, and the snapshot
    whose figures the pages show (None: live)."""

    lang: Lang
    as_of: dt.date
    grain: str
    reported: int | None = None

    @property
    def period(self) -> str:
        """The current period and the date in words: ``Tháng 11/2025, tính đến 14/11/2025``."""
        start = fmtlib.period_bounds(self.as_of, self.grain)[0]
        return fmtlib.period_to_date(start, self.as_of, self.grain, self.as_of, self.lang)


def ctx() -> Ctx:
    """The values of the controls ``app.py`` draws (and keeps in the URL) before every page."""
    state = st.session_state
    return Ctx(state[LANG], state[AS_OF], state[GRAIN], state.get(REPORTED))


def link_params(**extra: str) -> dict[str, str]:
    """Query parameters for a link to another view: the shared controls' values plus ``extra``,
    so the link also works when opened in a new tab or copied."""
    c = ctx()
    shown = {REPORTED: str(c.reported)} if c.reported is not None else {}
    return {LANG: c.lang, AS_OF: c.as_of.isoformat(), GRAIN: c.grain, **shown, **extra}


def page_link(page: str, label: str, **params: str) -> None:
    """A link to one of the dashboard's pages, keeping the shared controls; its label (a metric's
    or a unit's name) is shown as written, never read as Markdown."""
    label = texts.markdown_literal(label)
    st.page_link(pages.file_of(page), label=label, query_params=link_params(**params))


def page_header(title: str, caption: str | None = None) -> None:
    """The page's heading, its caption (the period in words), and the cards' style sheet; the
    title (a metric's or a unit's name) is shown as written."""
    # html-safe: a fixed style sheet
    st.html(style.PAGE_CSS)
    st.header(texts.markdown_literal(title), anchor=False)
    if caption:
        st.caption(texts.markdown_literal(caption))


# --------------------------------------------------------------------------- small pieces


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def status_chip_html(status: str | None, lang: Lang) -> str:
    """Colour, icon and word together, so the status reads in greyscale too."""
    s = status if status in style.STATUS_STYLE else "no_data"
    colour = style.status_colour(s)
    ink = style.STATUS_TEXT_COLOUR[s]
    return (
        f'<span class="r57-chip" data-status="{s}" style="background:{colour};color:{ink}">'
        f"{_e(texts.status_text(s, lang))}</span>"
    )


def source_chip_html(status: str, lang: Lang) -> str:
    colour, icon = style.SOURCE_STATUS_STYLE.get(status, style.UNKNOWN_STYLE)
    ink = style.INK if status == "late" else style.PAPER
    return (
        f'<span class="r57-chip" style="background:{colour};color:{ink}">'
        f"{_e(icon)} {_e(t(f'source_status.{status}', lang))}</span>"
    )


def _target_html(text: texts.CardText, lang: Lang) -> str:
    if not text.target and not text.expected:
        return f'<div class="r57-line r57-muted">{_e(t("status.no_target", lang))}</div>'
    parts = " · ".join(x for x in (text.expected, text.target) if x)
    return f'<div class="r57-line r57-muted">{_e(parts)}</div>'


def _delta_html(text: texts.CardText) -> str:
    """The change coloured by whether it is good news; its words say so too."""
    if not text.delta:
        return ""
    return f'<div class="r57-line r57-{text.delta_tone}">{_e(text.delta)}</div>'


def freshness_html(fresh: Freshness | None, lang: Lang) -> str:
    """A quiet "data to 13/11/2025" when the source is on time; a visible warning when the source
    feeding this number is late, stale, failing or refused."""
    if fresh is None:
        return ""
    text = texts.freshness_text(fresh, lang)
    if fresh.status == "ok":
        return f'<span class="r57-fresh">● {_e(text)}</span>' if text else ""
    icon = style.source_icon(fresh.status)
    css = "r57-warn" if fresh.status == "late" else "r57-alarm"
    return f'<span class="r57-fresh {css}" data-fresh="{_e(fresh.status)}">{_e(icon)} {_e(text)}</span>'


def svg_img(svg: str, alt: str) -> str:
    """An SVG as an ``<img>`` data URI: ``st.html`` sanitises inline SVG away, images stay."""
    if not svg:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="r57-svg" alt="{_e(alt)}" src="data:image/svg+xml;base64,{data}">'


def _history_values(card: Card) -> list[float | None]:
    return [value for _, value in card.history]


def history_texts(card: Card, lang: Lang) -> list[str]:
    """The short labels written over history bars: percents without decimals; amounts of money
    in one unit for the whole series (the card's value above says which), so ``1,4 · 2,9``
    rather than ``1,4 nghìn tỷ đồng`` crammed over each bar."""
    values = _history_values(card)
    present = [abs(float(v)) for v in values if not fmtlib.is_missing(v)]
    scale = 1.0
    if card.format == "vnd" and present:
        scale = next((s for s in (1e12, 1e9, 1e6) if max(present) >= s), 1.0)

    def text(v: float | None) -> str:
        if fmtlib.is_missing(v):
            return "–"
        if card.format == "percent":
            return fmtlib.percent(v, lang, 0)
        if card.format == "vnd":
            return fmtlib.number(float(v) / scale, lang, 1 if scale > 1 else 0)  # type: ignore[arg-type]
        return fmtlib.value(v, card.format, lang)

    return [text(v) for v in values]


def _history_alt(card: Card, lang: Lang) -> str:
    """The bars in words, in full, for readers that cannot see them: ``2021: 31,0% · ...``."""
    pairs = zip(texts.history_labels(card, lang), _history_values(card), strict=True)
    return " · ".join(f"{label}: {fmtlib.value(v, card.format, lang)}" for label, v in pairs)


def _yearly_bars(card: Card, lang: Lang, width: int) -> str:
    svg = charts.history_bars_svg(
        _history_values(card),
        texts.history_labels(card, lang),
        history_texts(card, lang),
        target=card.target,
        width=width,
        height=58,
    )
    return svg_img(svg, _history_alt(card, lang))


def history_html(card: Card, lang: Lang) -> str:
    """The sparkline, or labelled yearly bars for a figure that moves once a year."""
    if card.grain == "year" and 1 < len(card.history) <= 6:
        return _yearly_bars(card, lang, 190)
    labels = texts.history_labels(card, lang)
    first, last = (labels[0], labels[-1]) if labels else ("", "")
    line = charts.sparkline_svg(_history_values(card), width=110, height=30)
    return svg_img(line, f"{first} – {last}")


# --------------------------------------------------------------------------- cards


def card_html(card: Card, lang: Lang, now: Mapping[str, Card] | None = None) -> str:
    """The body of a metric card (its title is the link drawn above it); the error card's body
    for a metric that failed. ``now``: the page shows a snapshot, and these are today's cards of
    the metrics it reported (``dashboard.reported``)."""
    if card.failed:
        return error_card_html(card, lang)
    text = texts.card_text(card, lang)
    none = " r57-none" if fmtlib.is_missing(card.value) else ""
    own = (
        f'<div class="r57-small" data-own-period>{_e(text.own_period)}</div>'
        if text.own_period
        else ""
    )
    reason = (
        f'<div class="r57-small" data-reason="{_e(card.reason)}">{_e(text.error)}</div>'
        if text.error
        else ""
    )
    return (
        f'<div class="r57-card" data-card="{_e(card.metric)}" data-status="{_e(card.status)}">'
        f'<div class="r57-top"><span class="r57-value{none}">{_e(text.value)}</span>'
        f"{status_chip_html(card.status, lang)}</div>"
        f"{reason}{own}{_target_html(text, lang)}{_delta_html(text)}{_reported_html(card, now, lang)}"
        f'<div class="r57-foot">{history_html(card, lang)}{freshness_html(card.freshness, lang)}</div>'
        "</div>"
    )


def _reported_html(card: Card, now: Mapping[str, Card] | None, lang: Lang) -> str:
    """Under a card of a page shown from a snapshot: today's figure and the change since, or
    that the snapshot did not report this one (the card is then today's)."""
    if now is None:
        return ""
    if card.metric in now:
        line, kind = texts.comparison_text(card, now[card.metric], lang), "then"
    else:
        line, kind = t("reported.not_in", lang), "live"
    return f'<div class="r57-small r57-now" data-reported="{kind}">{_e(line)}</div>'


def error_card_html(card: Card, lang: Lang) -> str:
    """The metric's name, the reason in plain words and where to fix it: never a traceback."""
    text = texts.card_text(card, lang)
    loc = (
        f'<div class="r57-small">{_e(t("error.location", lang, location=text.location))}</div>'
        if text.location
        else ""
    )
    return (
        f'<div class="r57-error" data-error="{_e(card.metric)}">'
        f"<b>⚠ {_e(t('error.metric_title', lang, metric=text.title))}</b>"
        f'<div class="r57-line">{_e(text.error)}</div>{loc}</div>'
    )


@contextmanager
def guard(what: str, lang: Lang) -> Iterator[None]:
    """One part of a page (a card, a chart, a slide's figure) in its own guard: when it fails,
    a short error in its place says what could not be shown (in words: no trace, no path) and
    the rest of the page is drawn. Streamlit's own rerun and stop are not ``Exception``s and
    pass through."""
    try:
        yield
    except Exception:
        log.exception("could not show %s", what)
        text = t("error.part", lang, what=texts.markdown_literal(what))
        st.error(text, icon=":material/error:")


def broken_files_notice(files: Sequence[BrokenFile], lang: Lang, zone: str) -> None:
    """The definition files that fail, each with its line, its message and what serves
    meanwhile, so that a broken file is never silent; nothing when none fails."""
    if not files:
        return
    lines = [f"- {texts.markdown_literal(texts.broken_file_text(b, lang, zone))}" for b in files]
    heading = t("config.broken_files", lang, n=len(files))
    st.warning(f"**{heading}**\n\n" + "\n".join(lines), icon=":material/warning:")


def directives_section(
    title: str, *, responsible: str | None = None, metric: str | None = None
) -> None:
    """A page's own directives (a unit's, or about a metric), overdue first, with the figure
    when given and now, and a link to the Directives page filtered the same way."""
    c = ctx()
    st.subheader(texts.markdown_literal(title), anchor=False)
    with guard(title, c.lang):
        try:
            found = data.directives().find(responsible=responsible, metric=metric, as_of=c.as_of)
        except StoreError as exc:
            problems_box(exc.problems, c.lang)
            return
        if not found:
            st.caption(t("directive.none", c.lang))
            return
        items = directive_views.ordered(found, c.as_of)
        frame = directive_views.short_table(items, c.as_of, c.grain, c.lang)
        st.dataframe(frame, hide_index=True, width="stretch")
        link = {"unit": responsible} if responsible else {"metric": metric or ""}
        page_link("directives", t("directive.all", c.lang), **link)


def problems_box(problems: Sequence[Problem], lang: Lang) -> None:
    """What went wrong reading data, one line per problem with its place; the page goes on."""
    lines = (texts.markdown_literal(p.render(lang)) for p in problems)
    st.error("\n\n".join(lines), icon=":material/error:")


def metric_card(card: Card, lang: Lang, now: Mapping[str, Card] | None = None) -> None:
    """A bordered card whose title opens the metric's page; a failed metric's error card."""
    if card.failed:
        with st.container(border=True, key=f"error_{card.metric}"):
            # html-safe: error_card_html escapes every text it holds (_e)
            st.html(error_card_html(card, lang))
        return
    title = texts.card_text(card, lang).title
    with st.container(border=True, key=f"card_{card.metric}"), guard(title, lang):
        page_link("metric", title, metric=card.metric)
        # html-safe: card_html escapes every text it holds (_e)
        st.html(card_html(card, lang, now))


def card_grid(items: Sequence[Card], lang: Lang, now: Mapping[str, Card] | None = None) -> None:
    """Cards that reflow with the width: four or five across on a laptop, one on a phone."""
    if not items:
        return
    with st.grid("auto", min_column_width=210, gap="small"):
        for item in items:
            metric_card(item, lang, now)


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class ThemeRow:
    """One theme on the overview: its title, state and headline figures."""

    id: str
    title: str
    state: ThemeState
    headline: Sequence[Card]


def counts_text(state: ThemeState, lang: Lang) -> str:
    counts = t(
        "overview.status_counts",
        lang,
        on_track=state.on_track,
        at_risk=state.at_risk,
        off_track=state.off_track,
    )
    if state.not_reported:
        counts += t("overview.not_reported_count", lang, n=state.not_reported)
    if state.failed:
        counts += t("overview.failed_count", lang, n=state.failed)
    return counts


def _figure_html(item: Card, lang: Lang) -> str:
    title = texts.card_text(item, lang).title
    if item.failed:
        return (
            f'<div class="r57-fig" data-headline="{_e(item.metric)}">'
            f'<div class="r57-fig-name">{_e(title)}</div>'
            f'<div class="r57-fig-value r57-bad">⚠ {_e(t("error.page", lang))}</div></div>'
        )
    icon = style.status_icon(item.status)
    colour = (
        style.status_colour(item.status) if item.status in ("off_track", "on_track") else style.INK
    )
    value = fmtlib.value(item.value, item.format, lang)
    target = texts.short_target(item, lang)
    bars = ""
    if item.grain == "year" and len(item.history) > 1:
        bars = f"<div>{_yearly_bars(item, lang, 210)}</div>"
    return (
        f'<div class="r57-fig" data-headline="{_e(item.metric)}">'
        f'<div class="r57-fig-name">{_e(title)}</div>'
        f'<div class="r57-fig-value" style="color:{colour}">{_e(icon)} {_e(value)}'
        f' <span class="r57-small">{_e(target)}</span></div>{bars}</div>'
    )


def themes_html(rows: Sequence[ThemeRow], lang: Lang) -> str:
    """The themes as rows: name, rolled-up status (its counts on hover), headline figures."""
    body = []
    for row in rows:
        figures = "".join(_figure_html(item, lang) for item in row.headline)
        body.append(
            f'<tr data-theme="{_e(row.id)}"><td class="r57-theme-name">{_e(row.title)}'
            f'<div title="{_e(counts_text(row.state, lang))}">'
            f"{status_chip_html(row.state.status, lang)}</div></td>"
            f"<td>{figures}</td></tr>"
        )
    return f'<table class="r57-themes">{"".join(body)}</table>'


def column_heading(text: str) -> None:
    """A small heading over a column of the overview's "needs attention"."""
    # html-safe: fixed markup, the heading escaped
    st.html(f'<div class="r57-head">{_e(text)}</div>')


def theme_header(title: str, state: ThemeState, lang: Lang, description: str = "") -> None:
    """A theme's heading in the detailed section: its name, status, counts and description."""
    st.subheader(texts.markdown_literal(title), anchor=False)
    extra = f" · {_e(description)}" if description else ""
    # html-safe: fixed markup; the title's counts and description escaped
    st.html(
        f'<div class="r57-card">{status_chip_html(state.status, lang)} '
        f'<span class="r57-muted">{_e(counts_text(state, lang))}{extra}</span></div>'
    )


# --------------------------------------------------------------------------- needs attention


def off_track_links(items: Sequence[Card], lang: Lang) -> None:
    """Each off-track metric (and each failed one) as a link to its page, the figure first so it
    survives when a narrow column cuts the title short."""
    for item in items:
        title = texts.card_text(item, lang).title
        if item.failed:
            label = f"⚠ {t('error.page', lang)} · {title}"
        else:
            value = fmtlib.value(item.value, item.format, lang)
            target = texts.short_target(item, lang) or t("status.no_target", lang)
            label = f"{style.status_icon(item.status)} {value} ({target}) · {title}"
        page_link("metric", label, metric=item.metric)


def unit_links(rows: Sequence[tuple[str, str, str]]) -> None:
    """``(unit id, name, text)`` rows as links to each unit's page."""
    for uid, name, text in rows:
        page_link("units", f"{name}: {text}", unit=uid)


def source_issues_html(issues: Sequence[tuple[SourceHealth, str, str, str]], lang: Lang) -> str:
    """``(health, source title, owner name, reason)`` rows: refused and late sources, the owner
    named first (the department that keeps its data closed); the reason on hover."""
    items = []
    for health, title, owner, reason in issues:
        _, icon = style.SOURCE_STATUS_STYLE.get(health.status, ("", "⚠"))
        state = t(f"source_status.{health.status}", lang)
        if health.late_by:
            state += " · " + t(
                "chart.lateness_days", lang, days=fmtlib.days(health.late_by, lang, 0)
            )
        items.append(
            f'<li data-source="{_e(health.id)}" title="{_e(reason)}"><b>{_e(owner)}</b> '
            f'<span class="r57-bad">{_e(icon)} {_e(state)}</span>'
            f'<div class="r57-small">{_e(title)}</div></li>'
        )
    return f'<ul class="r57-list">{"".join(items)}</ul>'


# --------------------------------------------------------------------------- tables and downloads


def _delta_text(value: float | None, fmt: str, lang: Lang) -> str:
    return "" if fmtlib.is_missing(value) else fmtlib.delta(value, fmt, lang)


def period_table(series: pl.DataFrame, fmt: str, grain: str, lang: Lang) -> pl.DataFrame:
    """One metric's periods as the reader wants them: words and Vietnamese numbers."""
    rows = [
        {
            t("metric.period", lang): fmtlib.period(
                r["period_start"], r["period_end"], grain, lang, as_of=r["period_end"]
            ),
            t("metric.value", lang): fmtlib.value(r["value"], fmt, lang),
            t("metric.target", lang): ""
            if r["target"] is None
            else fmtlib.value(r["target"], fmt, lang),
            t("metric.expected", lang): ""
            if r["expected"] is None
            else fmtlib.value(r["expected"], fmt, lang),
            t("status.label", lang): texts.status_text(r["status"], lang),
            t("metric.delta_prev", lang): _delta_text(r["delta"], fmt, lang),
        }
        for r in series.sort("period_start", descending=True).iter_rows(named=True)
    ]
    return pl.DataFrame(rows)


def breakdown_table(
    frame: pl.DataFrame, fmt: str, dimension: str, direction: str | None, lang: Lang
) -> pl.DataFrame:
    """A breakdown ranked best first (no value last), formatted for reading."""
    ranked = frame.sort("value", descending=direction != "down", nulls_last=True)
    rows = [
        {
            "#": i,
            dimension: r["label"],
            t("metric.value", lang): fmtlib.value(r["value"], fmt, lang),
            t("metric.target", lang): ""
            if r["expected"] is None
            else fmtlib.value(r["expected"], fmt, lang),
            t("status.label", lang): texts.status_text(r["status"], lang),
            t("metric.delta_prev", lang): _delta_text(r["delta"], fmt, lang),
        }
        for i, r in enumerate(ranked.iter_rows(named=True), start=1)
    ]
    return pl.DataFrame(rows)


def export_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """What a download holds: the engine's own columns, plain numbers, ISO dates."""
    return frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly."""
    return b"\xef\xbb\xbf" + export_frame(frame).write_csv().encode("utf-8")


def excel_bytes(frame: pl.DataFrame, sheet: str) -> bytes:
    buffer = io.BytesIO()
    export_frame(frame).write_excel(buffer, worksheet=sheet[:31], autofit=True)
    return buffer.getvalue()


# --------------------------------------------------------------------------- definition, freshness


def target_text(spec: Metric, lang: Lang) -> str:
    """A target in words: a number, a number per year, or a path from one value to another."""
    target = spec.target
    if target is None:
        return t("status.no_target", lang)
    if isinstance(target, (int, float)):
        return fmtlib.value(target, spec.format, lang)
    if isinstance(target, dict):
        items = "; ".join(
            f"{year}: {fmtlib.value(v, spec.format, lang)}" for year, v in sorted(target.items())
        )
        return t("metric.target_by_year", lang, items=items)
    return t(
        "metric.target_path",
        lang,
        start=fmtlib.value(target.start.value, spec.format, lang),
        start_date=fmtlib.date(target.start.on, lang),
        end=fmtlib.value(target.value, spec.format, lang),
        end_date=fmtlib.date(target.by, lang),
    )


def _rows_html(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td class='r57-muted'>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in rows if v
    )
    return f'<table class="r57-themes">{body}</table>'


def definition(metric_id: str, spec: Metric | None, lang: Lang) -> None:
    """Formula, row filter, source, owner, target, dimensions and the file and line to edit; for
    a broken definition, each problem with its place."""
    if spec is None:
        for problem in data.config().broken_metrics.get(metric_id, []):
            where = texts.location_text(problem.location, lang)
            # html-safe: fixed markup; the problem and its place escaped
            st.html(
                f'<div class="r57-error"><b>{_e(problem.text(lang))}</b>'
                + (
                    f'<div class="r57-small">{_e(t("error.location", lang, location=where))}</div>'
                    if where
                    else ""
                )
                + "</div>"
            )
        return
    st.markdown(f"**{t('metric.formula', lang)}**")
    st.code(spec.value, language="python", wrap_lines=True)
    if spec.where:
        st.markdown(f"**{t('metric.filter', lang)}**")
        st.code(spec.where, language="python", wrap_lines=True)
    cfg = data.config()
    source = cfg.sources.get(spec.source or "")
    refs = data.config().inputs(metric_id)
    loc = spec.loc
    rows = [
        (t("metric.source", lang), f"{source.title.get(lang)} ({source.id})" if source else ""),
        (t("metric.derived_from", lang), ", ".join(views.metric_title(r, lang) for r in refs)),
        (t("metric.owner", lang), views.unit_name(spec.owner, lang) if spec.owner else ""),
        (t("metric.theme", lang), views.theme_title(spec.theme, lang)),
        (t("metric.format", lang), t(f"format.{spec.format}", lang)),
        (
            t("metric.direction", lang),
            t(f"direction.{spec.direction}", lang) if spec.direction else "",
        ),
        (t("metric.target", lang), target_text(spec, lang)),
        (
            t("metric.tolerance", lang),
            fmtlib.delta(spec.tolerance, spec.format, lang).lstrip("+")
            if spec.target is not None
            else "",
        ),
        (
            t("metric.dimensions", lang),
            ", ".join(views.dimension_title(d, lang) for d in spec.dimensions),
        ),
        (
            t("metric.file", lang),
            t("metric.file_line", lang, file=loc.file, line=loc.line) if loc else "",
        ),
    ]
    # html-safe: _rows_html escapes every cell
    st.html(_rows_html(rows))


def source_freshness(healths: Sequence[SourceHealth], lang: Lang) -> None:
    """Each source behind a number: its state, newest data, rows and cadence."""
    cfg = data.config()
    for h in healths:
        spec = cfg.sources[h.id]
        rows = [
            (
                t("data.last_updated", lang),
                fmtlib.date(h.newest, lang) if h.newest else t("freshness.never", lang),
            ),
            (t("data.rows", lang), fmtlib.number(h.rows, lang) if h.rows is not None else ""),
            (t("data.lateness", lang), fmtlib.days(h.late_by, lang, 0) if h.late_by else ""),
            (t("data.cadence", lang), t(f"cadence.{spec.freshness.cadence}", lang)),
            (t("data.owner", lang), views.unit_name(spec.owner, lang)),
            (t("data.problem", lang), h.error.text(lang) if h.error else ""),  # type: ignore[arg-type]
        ]
        # html-safe: fixed markup; the source's title and rows escaped
        st.html(
            f'<div class="r57-card"><b>{_e(spec.title.get(lang))}</b> {source_chip_html(h.status, lang)}'
            f"{_rows_html(rows)}</div>"
        )


# --------------------------------------------------------------------------- registers


def task_table(frame: pl.DataFrame, lang: Lang, *, compact: bool = False) -> pl.DataFrame:
    """Tasks as the office reads them: overdue first (the register's order), names not ids.

    ``compact`` keeps what fits a narrow screen beside one unit's overdue tasks: the id, the
    task, its deadline, the days overdue and the directing level (the lead unit is the page's).
    """
    if compact:
        return pl.DataFrame(
            [
                {
                    t("tasks.id", lang): r["task_id"],
                    t("tasks.task", lang): r["title"],
                    t("tasks.deadline", lang): fmtlib.date(r["deadline"], lang),
                    t("tasks.days_overdue", lang): (
                        fmtlib.number(r["days_overdue"], lang) if r["days_overdue"] else ""
                    ),
                    t("tasks.level", lang): (
                        t(f"level.{r['level']}", lang) if has(f"level.{r['level']}") else r["level"]
                    ),
                }
                for r in frame.iter_rows(named=True)
            ]
        )
    group = "task_group_name_en" if lang == "en" else "task_group_name"
    names = views.unit_names(lang)
    rows = [
        {
            t("tasks.id", lang): r["task_id"],
            t("tasks.task", lang): r["title"],
            t("tasks.lead_unit", lang): names.get(r["lead_unit"], r["lead_unit"]),
            t("tasks.deadline", lang): fmtlib.date(r["deadline"], lang),
            t("tasks.status", lang): _task_status(r["status_as_of"], lang),
            t("tasks.days_overdue", lang): (
                fmtlib.number(r["days_overdue"], lang) if r["days_overdue"] else ""
            ),
            t("tasks.level", lang): (
                t(f"level.{r['level']}", lang) if has(f"level.{r['level']}") else r["level"]
            ),
            t("tasks.group", lang): f"{r['task_group']}. {r[group]}",
            t("tasks.completed_on", lang): (
                fmtlib.date(r["completed_on"], lang) if r["completed_on"] else ""
            ),
        }
        for r in frame.iter_rows(named=True)
    ]
    return pl.DataFrame(rows)


def _task_status(status: str, lang: Lang) -> str:
    icon = {"overdue": "✕", "done_late": "!", "done_on_time": "✓", "in_progress": "…"}.get(
        status, ""
    )
    return f"{icon} {t(f'task_status.{status}', lang)}".strip()


def _sharing_text(status: str, lang: Lang) -> str:
    _, icon = style.SHARING_STYLE.get(status, ("", "?"))
    word = t(f"sharing.{status}", lang) if has(f"sharing.{status}") else status
    return f"{icon} {word}"


def dataset_table(frame: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """A unit's databases: name, whether it is shared (what ``datasets_shared_rate`` counts),
    its connection to the city's platform (icon and word), API, last sync, reason."""
    name = "name_en" if lang == "en" else "name_vi"
    reason = (
        "refusal_reason_en"
        if lang == "en" and "refusal_reason_en" in frame.columns
        else "refusal_reason"
    )
    yes, no = t("common.yes", lang), t("common.no", lang)
    rows = [
        {
            t("data.dataset", lang): r[name],
            t("units.shared", lang): yes if r["shared"] else no,
            t("units.connection", lang): _sharing_text(r["status"], lang),
            "API": yes if r["api_connected"] else no,
            t("data.last_updated", lang): fmtlib.datetime(r["last_sync"], lang)
            if r["last_sync"]
            else "",
            t("data.reasons", lang): r[reason] or "",
        }
        for r in frame.iter_rows(named=True)
    ]
    return pl.DataFrame(rows)


def sources_table(healths: Sequence[SourceHealth], lang: Lang) -> pl.DataFrame:
    """Every source: owner, kind, health (icon and word), rows, newest data, lateness, cadence,
    and why it is refused or failing."""
    cfg = data.config()
    rows = []
    for h in healths:
        spec = cfg.sources[h.id]
        _, icon = style.SOURCE_STATUS_STYLE.get(h.status, ("", "?"))
        note = ""
        if h.status == "refused" and spec.sharing.reason is not None:
            note = spec.sharing.reason.get(lang)
        elif h.error is not None:
            note = h.error.text(lang)
        rows.append(
            {
                t("data.source", lang): spec.title.get(lang),
                t("data.owner", lang): views.unit_name(spec.owner, lang),
                t("data.health", lang): f"{icon} {t(f'source_status.{h.status}', lang)}",
                t("data.lateness", lang): fmtlib.days(h.late_by, lang, 0) if h.late_by else "",
                t("data.last_updated", lang): fmtlib.date(h.newest, lang) if h.newest else "",
                t("data.rows", lang): fmtlib.number(h.rows, lang) if h.rows is not None else "",
                t("data.cadence", lang): t(f"cadence.{spec.freshness.cadence}", lang),
                t("data.problem", lang): note,
                t("data.kind", lang): spec.kind,
            }
        )
    return pl.DataFrame(rows)


def health_summary_html(healths: Sequence[SourceHealth], lang: Lang) -> str:
    """One chip per health status present, with how many sources are in it."""
    counts: dict[str, int] = {}
    for h in healths:
        counts[h.status] = counts.get(h.status, 0) + 1
    chips = " ".join(
        f"{source_chip_html(s, lang)} <b>{counts[s]}</b>"
        for s in style.SOURCE_STATUS_STYLE
        if s in counts
    )
    return f'<div class="r57-card">{chips}</div>'


def closed_departments_html(sharing: pl.DataFrame, lang: Lang) -> str:
    """The departments that keep data closed, named, with what they withhold and why."""
    closed = sharing.filter(pl.col("closed"))
    items = []
    for r in closed.iter_rows(named=True):
        what = "; ".join(x for x in (r["refused_sources"], r["reasons"]) if x)
        items.append(
            f'<li data-closed="{_e(r["unit_id"])}"><b>{_e(r["unit"])}</b> '
            f'{source_chip_html("refused", lang)} <span class="r57-small">{_e(what)}</span></li>'
        )
    return f'<ul class="r57-list">{"".join(items)}</ul>'


def sharing_table(sharing: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """Department by department: databases connected, pending, refused, and why."""
    rows = [
        {
            t("common.unit", lang): r["unit"],
            _sharing_text("connected", lang): r["connected"],
            _sharing_text("pending", lang): r["pending"],
            _sharing_text("refused", lang): r["refused"],
            t("data.datasets_total", lang): r["total"],
            t("data.reasons", lang): "; ".join(
                x for x in (r["refused_sources"], r["reasons"]) if x
            ),
        }
        for r in sharing.iter_rows(named=True)
    ]
    return pl.DataFrame(rows)
