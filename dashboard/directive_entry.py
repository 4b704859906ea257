"""Giao chỉ đạo / New directive: one form, drawn where the board works (a metric's page, a
unit's page, a task of the register, the presenter's speaker view).

Each place proposes what the directive is about (``Subject``): the metric, the unit that must
act (the metric's owner unless the place knows better, e.g. a unit's page or a task's lead
unit), the unit whose figure it is meant to move, the task, the meeting. The form shows the
proposal and lets the user change it; the text and Enter (Ctrl+Enter in the text box) are all
it takes. Where the proposal follows something that changes while the user types (the slide on
screen), the place passes a function instead, read when the form is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import streamlit as st

from dashboard import access, data, params, signin, texts, views
from dashboard import components as ui
from dashboard.access import AccessDenied
from dashboard.i18n import t
from metrics import fmt as fmtlib
from metrics.store import Directive, StoreError
from sources.problems import Lang

DUE_IN_DAYS = 30  # the deadline proposed: a month after the as-of date
GIVEN_BY = "directive_given_by"  # who gives directives, remembered for the session


@dataclass(frozen=True)
class Subject:
    """What a new directive is about, as the place it is given from proposes it."""

    metric: str | None
    responsible: str | None = None  # None: the metric's owner
    unit: str | None = None  # the unit whose figure it is meant to move (None: the city's)
    task_id: str | None = None
    snapshot_id: int | None = None
    period: tuple[dt.date, dt.date] | None = None
    # At a meeting: the meeting's snapshot, published if need be, given who gives the directive
    # (called only when the directive is recorded).
    meeting: Callable[[str], int] | None = None

    def owner(self) -> str | None:
        """The unit proposed to act: the place's own, else the metric's owner."""
        if self.responsible is not None:
            return self.responsible
        spec = data.config().metrics.get(self.metric or "")
        return spec.owner if spec is not None else None


def section(
    key: str,
    subject_of: Callable[[], Subject | None],
    *,
    metrics: Sequence[str],
    label: str | None = None,
) -> None:
    """The form folded under "Giao chỉ đạo mới" on a dashboard page, about the page's period;
    ``subject_of`` may draw a chooser first (a task) and gives None until something is chosen."""
    if not access.may("directive.give"):
        return
    c = ui.ctx()
    with st.expander(label or t("directive.new", c.lang), icon=":material/add_task:"):
        subject = subject_of()
        if subject is None:
            return
        start = fmtlib.period_bounds(c.as_of, c.grain)[0]
        subject = replace(subject, period=(start, c.as_of))
        own = "-".join(str(x) for x in (subject.metric, subject.unit, subject.task_id) if x)
        form(f"{key}-{own}", subject, metrics=metrics, lang=c.lang, as_of=c.as_of)


def form(
    key: str,
    subject: Subject | Callable[[], Subject],
    *,
    metrics: Sequence[str],
    lang: Lang,
    as_of: dt.date,
) -> None:
    """The form; ``subject`` is the proposal, or a function giving it when the form is sent
    (the metric and unit boxes then say "as on screen" until the user picks one)."""
    said = st.session_state.pop(f"{key}_said", None)
    if said:
        kind, text = said
        (st.success if kind == "success" else st.error)(texts.markdown_literal(text))
    fixed = subject if isinstance(subject, Subject) else None
    units = list(data.config().units)
    owner = fixed.owner() if fixed is not None else None
    with st.form(f"{key}_form", border=False):
        st.text_area(
            t("directive.text", lang),
            key=f"{key}_text",
            max_chars=4000,
            height=80,
            placeholder=t("directive.text_placeholder", lang),
        )
        metric_box, unit_box, due_box, by_box = st.columns([3, 3, 2, 2])
        metric_box.selectbox(
            t("directive.metric", lang),
            list(metrics),
            index=list(metrics).index(fixed.metric) if fixed and fixed.metric in metrics else None,
            format_func=lambda m: views.metric_title(m, lang),
            placeholder=t(
                "directive.metric_on_screen" if fixed is None else "directive.choose_metric", lang
            ),
            key=f"{key}_metric",
        )
        unit_box.selectbox(
            t("directive.responsible", lang),
            units,
            index=units.index(owner) if owner in units else None,
            format_func=lambda u: views.unit_name(u, lang),
            placeholder=t("directive.owner_proposed", lang),
            key=f"{key}_responsible",
        )
        due_box.date_input(
            t("directive.due", lang),
            value=as_of + dt.timedelta(days=DUE_IN_DAYS),
            min_value=params.FIRST_DAY,
            format="DD/MM/YYYY",
            key=f"{key}_due",
        )
        by_box.text_input(
            t("directive.given_by", lang),
            value=st.session_state.get(GIVEN_BY) or author(),
            max_chars=200,
            key=f"{key}_by",
        )
        st.form_submit_button(
            t("directive.give", lang),
            type="primary",
            icon=":material/add_task:",
            on_click=_give,
            args=(key, subject, lang),
            key=f"{key}_submit",
        )
    st.caption(t("directive.keys", lang))


def _give(key: str, subject: Subject | Callable[[], Subject], lang: Lang) -> None:
    """The form's button: record the directive, then say what was recorded above the form."""
    state = st.session_state
    proposed = subject if isinstance(subject, Subject) else subject()
    chosen_metric = state[f"{key}_metric"]
    chosen_unit = state[f"{key}_responsible"]
    if chosen_metric is not None:  # the unit left to propose is then that metric's owner
        proposed = replace(proposed, metric=chosen_metric)
    metric, responsible = proposed.metric, chosen_unit or proposed.owner()
    given_by = (state[f"{key}_by"] or "").strip() or t("snapshot.anonymous", lang)
    text = (state[f"{key}_text"] or "").strip()
    missing = next(
        (
            word
            for word, value in (("text", text), ("metric", metric), ("responsible", responsible))
            if not value
        ),
        None,
    )
    if missing is not None:  # said before anything is written (a meeting's deck published)
        what = t(f"directive.{missing}", lang)
        state[f"{key}_said"] = ("error", t("directive.fill_first", lang, what=what))
        return
    assert metric is not None and responsible is not None
    try:
        made = data.give_directive(
            proposed.meeting,
            text=text,
            metric=metric,
            responsible=responsible,
            due=state[f"{key}_due"],
            given_by=given_by,
            unit=proposed.unit,
            task_id=proposed.task_id,
            period=proposed.period,
            snapshot_id=proposed.snapshot_id,
        )
    except (StoreError, AccessDenied) as exc:
        state[f"{key}_said"] = ("error", exc.render(lang))
        return
    state[GIVEN_BY] = state[f"{key}_by"]
    state[f"{key}_text"] = ""
    state[f"{key}_said"] = ("success", given(made, lang))


def author() -> str:
    """Who is signed in, when the app has sign-in; blank otherwise (the forms ask)."""
    return signin.signed_in_name()


def given(directive: Directive, lang: Lang) -> str:
    """``Đã ghi chỉ đạo số 12: … · giao Sở … · hạn 14/12/2025 · phiên họp số 3``."""
    parts = [
        t("directive.given", lang, id=directive.id),
        views.metric_title(directive.metric, lang),
        t("directive.to", lang, unit=views.unit_name(directive.responsible, lang)),
        t("directive.due_on", lang, date=fmtlib.date(directive.due, lang)),
    ]
    if directive.snapshot_id is not None:
        parts.append(t("directive.at_meeting", lang, id=directive.snapshot_id))
    return " · ".join(parts)
