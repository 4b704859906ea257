"""Đơn vị / Units: a unit × metric scorecard, and one unit's page (``?unit=``).

The scorecard shows, for one theme (``?theme=``) and one kind of unit (``?kind=``), every unit's
status on every metric that can be broken down by unit, sorted (``?sort=``) with the units that
fail most at the top; clicking a row opens that unit. A unit's page gathers what it is answerable
for: the Resolution 57 tasks it leads with the overdue ones first, its report timeliness, its
service quality, its databases with their sharing and connection status, then its other metrics.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, directive_entry, directive_views, registers, reported, views
from dashboard import components as ui
from dashboard.i18n import t
from metrics import fmt as fmtlib
from sources.problems import ProjectError

KINDS = {"department": ("department", "agency"), "ward": ("ward",), "commune": ("commune",)}
HISTORY_PERIODS = 6

c = ui.ctx()
cfg = data.config()
names = views.unit_names(c.lang)
ordered = [u for kinds in KINDS.values() for u in views.units_of_kind(kinds)]

title, pick = st.columns([3, 2], vertical_alignment="bottom")
unit = ui.url_control(
    pick.selectbox,
    t("units.select", c.lang),
    "unit",
    default=None,
    options=ordered,
    index=None,
    format_func=lambda u: names.get(u, u),
    placeholder=t("units.select", c.lang),
)


def _open_selected() -> None:
    """A click on a scorecard row opens that unit."""
    points = st.session_state["scorecard"].selection.points
    if points:
        ui.set_url_value("unit", str(points[0]["customdata"]))


def _back() -> None:
    ui.set_url_value("unit", None)


if unit is None:
    with title:
        ui.page_header(t("units.scorecard", c.lang), c.period)
    themes = [th.id for th in cfg.settings.themes]
    a, b, d = st.columns(3)
    theme = ui.url_control(
        a.selectbox,
        t("control.theme", c.lang),
        "theme",
        default=themes[0],
        options=themes,
        key="units_theme",
        format_func=lambda th: views.theme_title(th, c.lang),
    )
    kind = ui.url_control(
        b.selectbox,
        t("control.unit_kind", c.lang),
        "kind",
        default="department",
        options=list(KINDS),
        format_func=lambda k: t(f"units.kind.{k}", c.lang),
    )
    board = views.scorecard(c.as_of, c.grain, theme, KINDS[kind], c.lang)
    board = directive_views.with_overdue_column(board, c.as_of, c.lang)
    labels = (
        dict(zip(board["metric"], board["metric_label"], strict=True))
        if not board.is_empty()
        else {}
    )
    metric_ids = list(labels)
    sort = ui.url_control(
        d.selectbox,
        t("units.sort", c.lang),
        "sort",
        default="off_track",
        options=["off_track", "name", *metric_ids],
        format_func=lambda s: (
            t("units.sort_off_track", c.lang)
            if s == "off_track"
            else t("units.sort_name", c.lang)
            if s == "name"
            else t("units.sort_metric", c.lang, metric=labels.get(s, s))
        ),
    )
    if board.is_empty():
        st.info(t("units.no_metrics", c.lang))
    else:
        with ui.guard(t("units.scorecard", c.lang), c.lang):
            board = views.sort_scorecard(board, sort)
            st.caption(t("units.scorecard_help", c.lang))
            fig = charts.scorecard_heatmap(
                board,
                row_label_col="unit_label",
                col_label_col="metric_label",
                row_key_col="unit",
                lang=c.lang,
                slant=-35,
            )
            charts.clickable_cells(fig)
            st.plotly_chart(
                fig,
                theme=None,
                key="scorecard",
                on_select=_open_selected,
                selection_mode="points",
                config={"displaylogo": False},
            )
else:
    kind_word = t(f"units.kind.{cfg.units[unit].kind}", c.lang)
    with title:
        ui.page_header(names[unit], f"{kind_word} · {c.period}")
    st.button(t("units.back", c.lang), on_click=_back, icon=":material/arrow_back:")

    filters = ((views.UNIT_DIMENSION, unit),)
    res = data.results(c.as_of, c.grain, periods=HISTORY_PERIODS, filters=filters)
    cards = views.cards(res, c.as_of, by_source=data.health(c.as_of))
    statuses = views.theme_status(res)
    cards, now = reported.as_shown(c, cards, unit)  # the unit's figures as a meeting saw them

    st.subheader(t("units.tasks", c.lang), anchor=False)
    try:
        led = registers.tasks(c.as_of, lead_unit=unit)
    except ProjectError as exc:  # the register cannot be read: the rest of the page stands
        ui.problems_box(exc.problems, c.lang)
    else:
        with ui.guard(t("units.tasks", c.lang), c.lang):
            if led.is_empty():
                st.caption(t("units.no_tasks", c.lang))
            else:
                overdue = registers.only_overdue(led)
                st.markdown(
                    t(
                        "tasks.group_summary",
                        c.lang,
                        n=fmtlib.number(led.height, c.lang),
                        overdue=overdue.height,
                    )
                )
                if not overdue.is_empty():
                    st.markdown(f"**{t('units.overdue_items', c.lang)}**")
                    st.dataframe(
                        ui.task_table(overdue, c.lang, compact=True),
                        hide_index=True,
                        width="stretch",
                        column_config={
                            t("tasks.task", c.lang): st.column_config.TextColumn(width="large")
                        },
                    )
                with st.expander(t("tasks.register", c.lang)):
                    st.dataframe(ui.task_table(led, c.lang), hide_index=True, width="stretch")

    ui.directives_section(t("directive.of_unit", c.lang), responsible=unit)
    directive_entry.section(
        "unit-directive",
        lambda: directive_entry.Subject(None, responsible=unit, unit=unit),
        metrics=[e.id for e in views.catalogue()],
    )

    shown: set[str] = set()
    sections = cfg.settings.unit_page  # settings.yaml says which metrics and theme these are
    reports = [x for x in cards if x.metric in sections.reports]
    st.subheader(t("units.report_timeliness", c.lang), anchor=False)
    if reports:
        ui.card_grid(reports, c.lang, now)
    else:
        st.caption(fmtlib.no_data(c.lang))
    shown.update(x.metric for x in reports)

    quality = [x for x in cards if x.theme == sections.service_theme and x.metric not in shown]
    st.subheader(t("units.service_quality", c.lang), anchor=False)
    if quality:
        ui.card_grid(quality, c.lang, now)
    else:
        st.caption(fmtlib.no_data(c.lang))
    shown.update(x.metric for x in quality)

    st.subheader(t("units.datasets", c.lang), anchor=False)
    try:
        owned = registers.datasets(unit=unit)
    except ProjectError as exc:
        ui.problems_box(exc.problems, c.lang)
    else:
        if owned.is_empty():
            st.caption(t("units.no_datasets", c.lang))
        else:
            with ui.guard(t("units.datasets", c.lang), c.lang):
                st.dataframe(ui.dataset_table(owned, c.lang), hide_index=True, width="stretch")

    rest = [x for x in cards if x.metric not in shown]
    st.subheader(t("units.other_metrics", c.lang), anchor=False)
    if not cards:
        st.info(t("units.no_metrics", c.lang))
    for theme in cfg.settings.themes:
        theme_cards = [x for x in rest if x.theme == theme.id]
        if not theme_cards:
            continue
        ui.theme_header(theme.title.get(c.lang), statuses.get(theme.id, views.ThemeState()), c.lang)
        ui.card_grid(theme_cards, c.lang, now)
