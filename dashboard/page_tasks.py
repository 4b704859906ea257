"""Nhiệm vụ / Tasks: the Resolution 57 task register as it stood on the as-of date.

Filters (``?group=``, ``?level=``, ``?unit=`` for the lead unit) narrow everything below;
``?status=`` narrows only the task lists (a caption under the table says so). The counts at the
top are the metrics themselves, computed by the engine with the same filters, so the register's
rows add up to them. Then the tasks by group and directing level, the
overdue tasks first, and the register group by group (overdue first within each).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import components as ui
from dashboard import data, directive_entry, registers, reported, texts, views
from dashboard.i18n import t
from metrics import fmt as fmtlib
from sources.problems import ProjectError

STATUSES = ("overdue", "in_progress", "done_late", "done_on_time")
LEVELS = ("central", "city_party", "city_people")
HISTORY_PERIODS = 6

c = ui.ctx()
ui.page_header(t("tasks.title", c.lang), c.period)
try:
    register = registers.tasks(c.as_of)
except ProjectError as exc:  # the register cannot be read: say why and where
    ui.problems_box(exc.problems, c.lang)
    st.stop()

groups = registers.task_groups(register, c.lang)
leads = sorted(set(register["lead_unit"].to_list()), key=lambda u: views.unit_name(u, c.lang))


def _filter(
    column: DeltaGenerator,
    label_key: str,
    param: str,
    options: list[str],
    label: Callable[[str], str],
) -> str | None:
    """One "all or one value" filter, kept in the URL under ``param``."""
    return ui.url_control(
        column.selectbox,
        t(label_key, c.lang),
        param,
        default=None,
        options=options,
        key=f"tasks_{param}",
        index=None,
        format_func=label,
        placeholder=t("control.all", c.lang),
    )


a, b, d, e = st.columns(4)
group = _filter(a, "tasks.group", "group", list(groups), lambda g: groups[g])
level = _filter(b, "tasks.level", "level", LEVELS, lambda v: t(f"level.{v}", c.lang))
lead = _filter(d, "tasks.lead_unit", "unit", leads, lambda u: views.unit_name(u, c.lang))
status = _filter(e, "tasks.status", "status", STATUSES, lambda s: t(f"task_status.{s}", c.lang))

filters = [(k, v) for k, v in (("group", group), ("level", level), ("unit", lead)) if v is not None]
res = data.results(
    c.as_of, c.grain, periods=HISTORY_PERIODS, filters=filters, metrics=registers.task_metrics()
)
task_cards = views.cards(res, c.as_of, by_source=data.health(c.as_of))
if c.reported is not None and filters:  # a snapshot holds the city's figures, never a filter's
    if reported.shown(c) is not None:
        st.caption(t("reported.filtered", c.lang))
    ui.card_grid(task_cards, c.lang)
else:
    as_shown, now = reported.as_shown(c, task_cards)
    ui.card_grid(as_shown, c.lang, now)

shown = registers.filter_tasks(register, group=group, level=level, lead_unit=lead, status=status)
st.subheader(t("tasks.by_group_level", c.lang), anchor=False)
with ui.guard(t("tasks.by_group_level", c.lang), c.lang):
    st.dataframe(
        registers.task_matrix(c.as_of, c.grain, filters, c.lang), hide_index=True, width="stretch"
    )
st.caption(t("tasks.cards_scope", c.lang))

overdue = registers.only_overdue(shown)
st.subheader(
    t("tasks.overdue_count", c.lang, n=fmtlib.number(overdue.height, c.lang)), anchor=False
)
if not overdue.is_empty():
    with ui.guard(t("units.overdue_items", c.lang), c.lang):
        st.dataframe(ui.task_table(overdue, c.lang), hide_index=True, width="stretch")


def _task_subject() -> directive_entry.Subject | None:
    """The task chosen (the tasks shown, overdue first), about the overdue-tasks count of its
    lead unit; None until one is chosen."""
    leads = dict(zip(shown["task_id"], shown["lead_unit"], strict=True))
    titles = dict(zip(shown["task_id"], shown["title"], strict=True))
    task_id = st.selectbox(
        t("directive.task", c.lang),
        list(leads),
        index=None,
        format_func=lambda i: f"{i} · {titles[i]}",
        placeholder=t("directive.choose_task", c.lang),
        key="task-directive-task",
    )
    if task_id is None:
        return None
    lead = leads[task_id]
    return directive_entry.Subject(
        registers.overdue_metric(), responsible=lead, unit=lead, task_id=task_id
    )


directive_entry.section(
    "task-directive",
    _task_subject,
    metrics=registers.task_metrics(),
    label=t("directive.new_task", c.lang),
)

st.subheader(t("tasks.register", c.lang), anchor=False)
st.caption(t("tasks.shown", c.lang, n=fmtlib.number(shown.height, c.lang)))
if shown.is_empty():
    st.info(t("tasks.none", c.lang))
for number, name in groups.items():
    rows = registers.filter_tasks(shown, group=number)
    if rows.is_empty():
        continue
    late = registers.only_overdue(rows).height
    label = f"{name} — {t('tasks.group_summary', c.lang, n=rows.height, overdue=late)}"
    with (
        st.expander(
            texts.markdown_literal(label),
            expanded=group is not None,
            icon=":material/error:" if late else None,
        ),
        ui.guard(name, c.lang),
    ):
        st.dataframe(ui.task_table(rows, c.lang), hide_index=True, width="stretch")
