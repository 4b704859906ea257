"""Chỉ đạo / Directives: every conclusion of the board, overdue first, beside the figure it is
meant to move.

Filters (``?unit=`` for the unit that must act, ``?status=`` including ``overdue``,
``?metric=``, ``?meeting=`` for a snapshot, ``?due_by=`` for a date) narrow the list and are
kept in the URL, so a view can be shared; the list downloads as Excel as filtered. An update
(status, note, evidence) is a few clicks in the form below the list; it is recorded with who
made it, and in the audit trail.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import access, data, directive_views, params, texts, views
from dashboard import components as ui
from dashboard.access import AccessDenied
from dashboard.i18n import t
from metrics import fmt as fmtlib
from metrics.store import STATUSES, StoreError

c = ui.ctx()
ui.page_header(t("page.directives", c.lang), c.period)
try:
    everything = data.directives().find(as_of=c.as_of)
except StoreError as exc:  # the store cannot be read: say why, the rest of the app stands
    ui.problems_box(exc.problems, c.lang)
    st.stop()


def _day(text: str) -> dt.date:
    day = params.day(text, c.as_of)
    if day is None:
        raise ValueError(text)
    return day


a, b, d, e, f = st.columns(5)
unit = ui.url_control(
    a.selectbox, t("directive.responsible", c.lang), "unit", default=None,
    options=sorted({x.responsible for x in everything}, key=lambda u: views.unit_name(u, c.lang)),
    index=None, format_func=lambda u: views.unit_name(u, c.lang),
    placeholder=t("control.all", c.lang),
)  # fmt: skip
status = ui.url_control(
    b.selectbox, t("directive.status", c.lang), "status", default=None,
    options=list(directive_views.FILTER_STATUSES), index=None,
    format_func=lambda s: directive_views.status_word(s, c.lang),
    placeholder=t("control.all", c.lang),
)  # fmt: skip
metric = ui.url_control(
    d.selectbox, t("directive.metric", c.lang), "metric", default=None,
    options=sorted({x.metric for x in everything}), index=None,
    format_func=lambda m: views.metric_title(m, c.lang), placeholder=t("control.all", c.lang),
)  # fmt: skip
meeting = ui.url_control(
    e.selectbox, t("directive.meeting", c.lang), "meeting", default=None,
    options=sorted({x.snapshot_id for x in everything if x.snapshot_id is not None}),
    index=None, format_func=lambda s: f"#{s}", placeholder=t("control.all", c.lang),
)  # fmt: skip
due_by = ui.url_control(
    f.date_input, t("directive.due_by", c.lang), "due_by", default=None,
    to_text=dt.date.isoformat, from_text=_day,
    format="DD/MM/YYYY", min_value=params.FIRST_DAY, max_value=params.last_day(c.as_of),
)  # fmt: skip

shown = [
    x
    for x in directive_views.ordered(everything, c.as_of)
    if (unit is None or x.responsible == unit)
    and (status is None or x.status_on(c.as_of) == status)
    and (metric is None or x.metric == metric)
    and (meeting is None or x.snapshot_id == meeting)
    and (due_by is None or x.due <= due_by)
]
overdue = sum(x.status_on(c.as_of) == "overdue" for x in shown)
st.caption(t("directive.count", c.lang, n=len(shown), overdue=overdue))
if not shown:
    st.info(t("directive.none", c.lang))
else:
    with ui.guard(t("page.directives", c.lang), c.lang):
        frame = directive_views.table(shown, c.as_of, c.grain, c.lang)
        st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button(
            t("download.excel", c.lang),
            data=lambda: ui.excel_bytes(frame, t("page.directives", c.lang)),
            file_name=f"directives_{c.as_of.isoformat()}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="directives_xlsx",
            icon=":material/download:",
        )


def _save() -> None:
    """The form's button: append the update, then say so above the form."""
    state = st.session_state
    try:
        changed = data.update_directive(
            int(state["directive_pick"]),
            by=(state["directive_by"] or "").strip() or t("snapshot.anonymous", c.lang),
            status=state["directive_new_status"],
            text=state["directive_note"] or None,
            evidence=state["directive_evidence"] or None,
        )
    except (StoreError, AccessDenied) as exc:
        state["directive_said"] = ("error", exc.render(c.lang))
        return
    word = directive_views.status_word(changed.status, c.lang)
    state["directive_said"] = ("success", t("directive.saved", c.lang, id=changed.id, status=word))
    for key in ("directive_note", "directive_evidence"):
        state[key] = ""


if shown and access.may("directive.update"):
    st.subheader(t("directive.update", c.lang), anchor=False)
    said = st.session_state.pop("directive_said", None)
    if said:
        kind, text = said
        (st.success if kind == "success" else st.error)(texts.markdown_literal(text))
    with st.form("directive_form", border=True):
        left, middle, right = st.columns([3, 2, 2])
        left.selectbox(
            t("directive.choose", c.lang),
            [x.id for x in shown],
            format_func=lambda i: next(
                f"#{x.id} · {fmtlib.date(x.due, c.lang)} · {x.text[:70]}"
                for x in shown
                if x.id == i
            ),
            key="directive_pick",
        )
        middle.selectbox(
            t("directive.status", c.lang),
            list(STATUSES),
            format_func=lambda s: directive_views.status_word(s, c.lang),
            key="directive_new_status",
        )
        right.text_input(t("directive.by", c.lang), key="directive_by", max_chars=200)
        st.text_area(t("directive.note", c.lang), key="directive_note", max_chars=4000, height=80)
        st.text_input(t("directive.evidence", c.lang), key="directive_evidence", max_chars=1000)
        st.form_submit_button(
            t("directive.save", c.lang), type="primary", on_click=_save, icon=":material/save:"
        )
