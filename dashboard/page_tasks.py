"""Nhiệm vụ / Tasks: the Resolution 57 task register as it stood on the as-of date.

Filters (``?group=``, ``?level=``, ``?unit=`` for the lead unit) narrow everything below;
``?status=`` narrows only the task lists (a caption under the table says so). The counts at the
top are the metrics themselves, computed by the engine with the same filters, so the register's
rows add up to them. Then the tasks by group and directing level, the
overdue tasks first, and the register group by group (overdue first within each).
"""

from __future__ import annotations

import streamlit as st

from dashboard import components as ui
from dashboard import service
from dashboard.i18n import t
from metrics import fmt as fmtlib
from sources.problems import ProjectError

STATUSES = ("overdue", "in_progress", "done_late", "done_on_time")
LEVELS = ("central", "city_party", "city_people")
HISTORY_PERIODS = 6

c = ui.ctx()
ui.page_header(t("tasks.title", c.lang), c.period)
try:
    register = service.tasks(c.as_of)
except ProjectError as exc:  # the register cannot be read: say why and where
    ui.problems_box(exc.problems, c.lang)
    st.stop()

groups = service.task_groups(register, c.lang)
leads = sorted(set(register["lead_unit"].to_list()), key=lambda u: service.unit_name(u, c.lang))
a, b, d, e = st.columns(4)
group = ui.url_control(
    a.selectbox,
    t("tasks.group", c.lang),
    "group",
    default=None,
    options=list(groups),
    key="tasks_group",
    index=None,
    format_func=lambda g: groups[g],
    placeholder=t("control.all", c.lang),
)
level = ui.url_control(
    b.selectbox,
    t("tasks.level", c.lang),
    "level",
    default=None,
    options=LEVELS,
    key="tasks_level",
    index=None,
    format_func=lambda v: t(f"level.{v}", c.lang),
    placeholder=t("control.all", c.lang),
)
lead = ui.url_control(
    d.selectbox,
    t("tasks.lead_unit", c.lang),
    "unit",
    default=None,
    options=leads,
    key="tasks_unit",
    index=None,
    format_func=lambda u: service.unit_name(u, c.lang),
    placeholder=t("control.all", c.lang),
)
status = ui.url_control(
    e.selectbox,
    t("tasks.status", c.lang),
    "status",
    default=None,
    options=STATUSES,
    key="tasks_status",
    index=None,
    format_func=lambda s: t(f"task_status.{s}", c.lang),
    placeholder=t("control.all", c.lang),
)

filters = [(k, v) for k, v in (("group", group), ("level", level), ("unit", lead)) if v is not None]
res = service.results(
    c.as_of, c.grain, periods=HISTORY_PERIODS, filters=filters, metrics=service.task_metrics()
)
ui.card_grid(service.cards(res, c.lang, c.as_of, by_source=service.health(c.as_of)), c.lang)

shown = service.filter_tasks(register, group=group, level=level, lead_unit=lead, status=status)
st.subheader(t("tasks.by_group_level", c.lang), anchor=False)
st.dataframe(
    service.task_matrix(c.as_of, c.grain, filters, c.lang), hide_index=True, width="stretch"
)
st.caption(t("tasks.cards_scope", c.lang))

overdue = service.only_overdue(shown)
st.subheader(
    t("tasks.overdue_count", c.lang, n=fmtlib.number(overdue.height, c.lang)), anchor=False
)
if not overdue.is_empty():
    st.dataframe(ui.task_table(overdue, c.lang), hide_index=True, width="stretch")

st.subheader(t("tasks.register", c.lang), anchor=False)
st.caption(t("tasks.shown", c.lang, n=fmtlib.number(shown.height, c.lang)))
if shown.is_empty():
    st.info(t("tasks.none", c.lang))
for number, name in groups.items():
    rows = service.filter_tasks(shown, group=number)
    if rows.is_empty():
        continue
    late = service.only_overdue(rows).height
    label = f"{name} — {t('tasks.group_summary', c.lang, n=rows.height, overdue=late)}"
    with st.expander(label, expanded=group is not None, icon=":material/error:" if late else None):
        st.dataframe(ui.task_table(rows, c.lang), hide_index=True, width="stretch")
