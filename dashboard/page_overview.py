"""Tổng quan / Overview: where are we off track as of the date, and who is responsible.

The first screen answers that at a glance: the period in words, each theme as a row with its
rolled-up status and headline figures (its lead figure, then what fails), and what needs
attention (off-track metrics, the units with the most overdue tasks, sources refused or late).
Below, each theme's metric cards. ``?theme=`` narrows the cards to one theme.
"""

from __future__ import annotations

import streamlit as st

from dashboard import components as ui
from dashboard import data, registers, reported, texts, views
from dashboard.i18n import t
from metrics import fmt as fmtlib
from sources.problems import ProjectError

HISTORY_PERIODS = 6  # the sparkline's periods, fetched once for every card
TOP_UNITS = 5
ATTENTION_HEIGHT = 210  # px: the lists scroll inside, so the first screen keeps its shape

c = ui.ctx()
cfg = data.config()
res = data.results(c.as_of, c.grain, periods=HISTORY_PERIODS)
by_source = data.health(c.as_of)
cards = views.cards(res, c.as_of, by_source=by_source)
statuses = views.theme_status(res)

ui.page_header(t("page.overview", c.lang), c.period)
ui.broken_files_notice(cfg.broken_files, c.lang, cfg.settings.timezone)
cards, now = reported.as_shown(c, cards)  # as a meeting saw them, when one is chosen

by_theme = {theme: [x for x in cards if x.theme == theme] for theme in cfg.themes}
orphans = [x for x in cards if x.theme not in cfg.themes]  # a broken metric whose theme is unknown
rows = [
    ui.ThemeRow(
        theme.id,
        theme.title.get(c.lang),
        statuses.get(theme.id, views.ThemeState()),
        views.headline(by_theme[theme.id]),
    )
    for theme in cfg.settings.themes
]
with ui.guard(t("overview.themes", c.lang), c.lang):
    # html-safe: themes_html escapes every text it holds
    st.html(ui.themes_html(rows, c.lang))

st.subheader(t("overview.needs_attention", c.lang), anchor=False)
left, middle, right = st.columns([4, 3, 3], gap="medium")
with left, ui.guard(t("overview.off_track", c.lang), c.lang):
    failing = [x for x in cards if x.failed or x.status == "off_track"]
    ui.column_heading(f"{t('overview.off_track', c.lang)} ({len(failing)})")
    with st.container(height=ATTENTION_HEIGHT, border=False, key="off_track"):
        ui.off_track_links(failing, c.lang)
    late = views.overdue_directives(c.as_of)
    if late:  # the board's own conclusions past their deadline, one click from the list
        ui.page_link(
            "directives", t("overview.directives_overdue", c.lang, n=late), status="overdue"
        )
with middle, ui.guard(t("overview.top_overdue_units", c.lang), c.lang):
    ui.column_heading(t("overview.top_overdue_units", c.lang))
    overdue = registers.overdue_metric()
    try:
        top = views.top_units(overdue, c.as_of, c.grain, TOP_UNITS) if overdue else []
    except ProjectError as exc:  # the count cannot be computed: say why, not "none overdue"
        ui.problems_box(exc.problems, c.lang)
        top = None
    if top:
        ui.unit_links(
            [
                (
                    uid,
                    views.unit_name(uid, c.lang),
                    t("tasks.overdue_count", c.lang, n=fmtlib.number(n, c.lang)),
                )
                for uid, n in top
            ]
        )
    elif top is not None:
        st.caption(t("overview.no_overdue", c.lang))
with right, ui.guard(t("overview.source_issues", c.lang), c.lang):
    ui.column_heading(t("overview.source_issues", c.lang))
    issues = views.source_issues(c.as_of, c.lang)
    with st.container(height=ATTENTION_HEIGHT, border=False, key="source_issues"):
        if issues:
            # html-safe: source_issues_html escapes every text it holds
            st.html(ui.source_issues_html(issues, c.lang))
        else:
            st.caption(t("overview.sources_ok", c.lang))
        ui.page_link("data", t("overview.all_sources", c.lang))

st.subheader(t("overview.theme_details", c.lang), anchor=False)
chosen = ui.url_control(
    st.segmented_control,
    t("control.theme", c.lang),
    "theme",
    default=None,
    options=list(cfg.themes),
    key="overview_theme",
    format_func=lambda theme: texts.markdown_literal(views.theme_title(theme, c.lang)),
    label_visibility="collapsed",
)
for theme in cfg.settings.themes:
    if chosen and theme.id != chosen:
        continue
    ui.theme_header(
        theme.title.get(c.lang),
        statuses.get(theme.id, views.ThemeState()),
        c.lang,
        theme.description.get(c.lang) if theme.description else "",
    )
    ui.card_grid(by_theme[theme.id], c.lang, now)
if orphans and not chosen:
    st.subheader(t("error.page", c.lang), anchor=False)
    ui.card_grid(orphans, c.lang, now)
