"""Chỉ số / Metric: one metric in depth, chosen from the overview or by ``?metric=``.

Its card, its trend against the target (or target path), a ranked breakdown by any of its
dimensions (``?by=``; clicking a unit's bar opens that unit), the values with CSV and Excel
downloads, its definition with the file and line to edit, and how fresh its sources are.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, data, directive_entry, pages, reported, texts, views
from dashboard import components as ui
from dashboard.i18n import t
from metrics import fmt as fmtlib

PERIOD_CHOICES = (6, 12, 24, 36)
DEFAULT_N = 10

c = ui.ctx()
entries = views.catalogue()
titles = {e.id: e.title(c.lang) for e in entries}
entries_by_id = {e.id: e for e in entries}
pick, span = st.columns([3, 1], vertical_alignment="bottom")
metric_id = ui.url_control(
    pick.selectbox,
    t("control.metric", c.lang),
    "metric",
    default=next(iter(titles)),
    options=list(titles),
    format_func=lambda mid: titles.get(mid, mid),
)
periods = ui.url_control(
    span.segmented_control,
    t("control.periods", c.lang),
    "periods",
    default=12,
    options=PERIOD_CHOICES,
    required=True,
)
spec = views.metric(metric_id)

trend_res = data.results(c.as_of, c.grain, periods=periods, metrics=(metric_id,))
by_source = data.health(c.as_of)
card = next(iter(views.cards(trend_res, c.as_of, by_source=by_source)), None)
ui.page_header(titles[metric_id], c.period)
if spec is not None:  # its file is broken: say that an earlier version of it is in use
    cfg = data.config()
    kept = [b for b in cfg.broken_files if b.file == spec.loc.file]
    ui.broken_files_notice(kept, c.lang, cfg.settings.timezone)
as_shown, now = reported.as_shown(c, [card] if card is not None else [])
card = as_shown[0] if as_shown else None
if spec is not None and spec.description:
    st.markdown(texts.markdown_literal(spec.description.get(c.lang)))  # as written: no markup

left, right = st.columns([1, 3], gap="medium")
with left:
    if card is None:
        card = views.error_card(
            metric_id, entries_by_id.get(metric_id), views.missing_problem(metric_id)
        )
    with st.container(border=True, key=f"{'error' if card.failed else 'card'}_{metric_id}"):
        # html-safe: card_html escapes every text it holds
        st.html(ui.card_html(card, c.lang, now))
    st.markdown(f"**{t('metric.freshness', c.lang)}**")
    with ui.guard(t("metric.freshness", c.lang), c.lang):
        ui.source_freshness(
            [by_source[s] for s in data.config().sources_of([metric_id]) if s in by_source], c.lang
        )
with right:
    series = trend_res.values.filter(pl.col("metric") == metric_id)
    # the trend starts at the first period with a value (a yearly budget asked for 12 periods
    # has 12 years, the first ones from before its data began)
    first = series["value"].is_not_null().arg_true()
    series = series.slice(first[0]) if first.len() else series
    # a figure that comes once a year is charted by year, whatever the page's grain
    own_grain = str(series["grain"][0]) if not series.is_empty() else c.grain
    if spec is not None and not series.is_empty():
        st.markdown(f"**{t('metric.trend', c.lang)}**")
        with ui.guard(t("metric.trend", c.lang), c.lang):
            fig = charts.trend(
                series, fmt=spec.format, lang=c.lang, grain=own_grain, height=320, max_ticks=7
            )
            st.plotly_chart(fig, theme=None, key="trend", config={"displaylogo": False})

breakdown = None
if spec is not None and spec.dimensions:
    dims = list(spec.dimensions)
    head, pick, show = st.columns([3, 2, 3], vertical_alignment="bottom")
    dim = ui.url_control(
        pick.selectbox,
        t("control.breakdown", c.lang),
        "by",
        default=dims[0],
        options=dims,
        format_func=lambda d: views.dimension_title(d, c.lang),
    )
    head.subheader(
        texts.markdown_literal(
            t("metric.breakdown", c.lang, dimension=views.dimension_title(dim, c.lang))
        ),
        anchor=False,
    )
    breakdown = views.breakdown(metric_id, dim, c.as_of, c.grain, c.lang)
    many = breakdown.height > 2 * DEFAULT_N
    modes = ["top_bottom", "top", "bottom", "all"]
    # The key carries the language, so the options are drawn again in the new language; the
    # choice itself (a code, never a label) is carried over in ``show_mode``.
    kept = st.session_state.get("show_mode")
    mode = show.selectbox(
        t("control.show", c.lang),
        modes,
        index=modes.index(kept) if kept in modes else (0 if many else 3),
        format_func=lambda m: {
            "top_bottom": f"{t('metric.top_n', c.lang, n=DEFAULT_N)} + {t('metric.bottom_n', c.lang, n=DEFAULT_N)}",
            "top": t("metric.top_n", c.lang, n=DEFAULT_N),
            "bottom": t("metric.bottom_n", c.lang, n=DEFAULT_N),
            "all": t("control.all", c.lang),
        }[m],
        key=f"show_{c.lang}",
    )
    st.session_state["show_mode"] = mode
    if breakdown.is_empty():
        st.caption(fmtlib.no_data(c.lang))
    else:
        with ui.guard(
            t("metric.breakdown", c.lang, dimension=views.dimension_title(dim, c.lang)), c.lang
        ):
            top = DEFAULT_N if mode in ("top_bottom", "top") else None
            bottom = DEFAULT_N if mode in ("top_bottom", "bottom") else None
            fig = charts.breakdown(
                breakdown,
                dim_label_col="label",
                key_col="key",
                fmt=spec.format,
                lang=c.lang,
                top=top,
                bottom=bottom,
                direction=spec.direction or "up",
            )
            shown = len(fig.data[0].y)
            st.caption(t("metric.ranked_by", c.lang, shown=shown, total=breakdown.height))
            drill = views.is_unit_dimension(metric_id, dim)
            event = st.plotly_chart(
                fig,
                theme=None,
                key="breakdown",
                on_select="rerun" if drill else "ignore",
                selection_mode="points",
                config={"displaylogo": False},
            )
            if drill:
                st.caption(t("metric.click_to_drill", c.lang))
                points = event.selection.points if event else []
                if points:
                    unit = (
                        points[0].get("customdata")
                        or fig.data[0].customdata[points[0]["point_index"]]
                    )
                    st.switch_page(
                        pages.file_of("units"), query_params=ui.link_params(unit=str(unit))
                    )
elif spec is not None:
    st.caption(t("metric.no_breakdown", c.lang))

if spec is not None and not series.is_empty():
    st.subheader(t("metric.data_table", c.lang), anchor=False)
    with ui.guard(t("metric.data_table", c.lang), c.lang):
        tables = [
            (
                "periods",
                t("metric.by_period", c.lang),
                ui.period_table(series, spec.format, own_grain, c.lang),
                series,
            )
        ]
        if breakdown is not None and not breakdown.is_empty():
            name = views.dimension_title(dim, c.lang)
            shown = ui.breakdown_table(breakdown, spec.format, name, spec.direction, c.lang)
            tables.append((f"by_{dim}", name, shown, breakdown))
        for tab, (suffix, _, shown, raw) in zip(
            st.tabs([texts.markdown_literal(x[1]) for x in tables]), tables, strict=True
        ):
            with tab:
                st.dataframe(
                    shown,
                    hide_index=True,
                    width="stretch",
                    height=min(420, 38 + 35 * shown.height),
                    column_config={
                        col: st.column_config.TextColumn(width="medium")
                        for col in shown.columns[:2]
                        if col != "#"
                    },
                )
                name = f"{metric_id}_{suffix}_{c.as_of.isoformat()}"
                a, b, _ = st.columns([1, 1, 3])
                a.download_button(
                    t("download.csv", c.lang),
                    data=lambda raw=raw: ui.csv_bytes(raw),
                    file_name=f"{name}.csv",
                    mime="text/csv",
                    key=f"csv_{suffix}",
                    icon=":material/download:",
                )
                b.download_button(
                    t("download.excel", c.lang),
                    data=lambda raw=raw: ui.excel_bytes(raw, metric_id),
                    file_name=f"{name}.xlsx",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    key=f"xlsx_{suffix}",
                    icon=":material/download:",
                )

ui.directives_section(t("directive.of_metric", c.lang), metric=metric_id)
directive_entry.section(
    "metric-directive", lambda: directive_entry.Subject(metric_id), metrics=list(titles)
)

st.subheader(t("metric.definition", c.lang), anchor=False)
with ui.guard(t("metric.definition", c.lang), c.lang):
    ui.definition(metric_id, spec, c.lang)
