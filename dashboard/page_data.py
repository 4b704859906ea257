"""Dữ liệu / Data: is the data behind the numbers there, on time, and shared?

Every source's health judged as of the as-of date (on time, late, stale, failed, refused), its
rows, its newest data and how far behind its cadence it is; then data sharing department by
department, the departments that keep their data closed first with their stated reasons; then
any problem in the configuration files other than broken metrics (those have error cards).
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, registers, views
from dashboard import components as ui
from dashboard.i18n import t
from metrics import fmt as fmtlib
from sources.problems import ProjectError

c = ui.ctx()
ui.page_header(
    t("data.sources", c.lang), t("overview.as_of", c.lang, date=fmtlib.date(c.as_of, c.lang))
)

by_source = data.health(c.as_of)
with ui.guard(t("data.sources", c.lang), c.lang):
    # html-safe: health_summary_html escapes every text it holds
    st.html(ui.health_summary_html(list(by_source.values()), c.lang))
    st.dataframe(
        ui.sources_table(list(by_source.values()), c.lang), hide_index=True, width="stretch"
    )

st.subheader(t("data.sources_freshness", c.lang), anchor=False)
with ui.guard(t("data.sources_freshness", c.lang), c.lang):
    freshness = views.freshness_frame(by_source, c.lang)
    if views.any_late(freshness):
        fig = charts.freshness_bars(freshness, c.lang)
        st.plotly_chart(fig, theme=None, key="freshness", config={"displaylogo": False})
    else:  # an empty chart would say nothing: say it in words
        st.success(t("data.none_late", c.lang), icon=":material/check_circle:")

st.subheader(t("data.sharing_by_department", c.lang), anchor=False)
try:
    sharing = registers.sharing_by_department(c.lang)
except ProjectError as exc:  # the register of databases cannot be read
    ui.problems_box(exc.problems, c.lang)
else:
    with ui.guard(t("data.sharing_by_department", c.lang), c.lang):
        # html-safe: closed_departments_html escapes every text it holds
        st.html(ui.closed_departments_html(sharing, c.lang))
        st.dataframe(ui.sharing_table(sharing, c.lang), hide_index=True, width="stretch")

problems = views.config_problems()
if problems:
    with st.expander(f"{t('data.config_problems', c.lang)} ({len(problems)})"):
        st.code("\n".join(p.render(c.lang) for p in problems), language=None, wrap_lines=True)
