"""The Resolution 57 leadership dashboard: ``streamlit run app.py``.

This file only sets the page up, draws the controls every page shares (language, as-of date,
period grain; each kept in its URL query parameter, ``lang``, ``as_of``, ``grain``, so a copied
link reopens the same view) and hands over to the chosen page, from the one list of pages in
``dashboard/pages.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard import access, data, pages, params, signin, texts
from dashboard.components import AS_OF, GRAIN, LANG, REPORTED, problems_box, url_control
from dashboard.i18n import t
from metrics.spec import GRAINS
from sources.problems import ProjectError

ICON = Path(__file__).parent / "dashboard" / "assets" / "icon.png"

st.set_page_config(
    page_title="Nghị quyết 57 · Hà Nội",
    page_icon=str(ICON),  # served by the app: a Material icon name would be fetched from Google
    layout="wide",
    initial_sidebar_state="expanded",
)

try:
    workspace = data.workspace()
except ProjectError as exc:  # no usable settings: say what is wrong and where, then stop
    problems_box(exc.problems, "vi")
    st.stop()

settings = workspace.config.settings
default_as_of = workspace.default_as_of()
asked = st.query_params.get(LANG)
user = signin.gate(workspace.config, asked if asked in ("vi", "en") else settings.language)
if user is None:
    st.stop()  # the sign-in form, or why nothing is served
st.session_state[access.USER] = user  # what dashboard.access checks, pages and data alike


def _day(text: str) -> dt.date:
    day = params.day(text, default_as_of)
    if day is None:
        raise ValueError(text)
    return day


with st.sidebar:
    lang = url_control(
        st.segmented_control,
        "Ngôn ngữ · Language",
        LANG,
        default=settings.language,
        options=["vi", "en"],
        format_func=lambda code: t(f"lang.{code}", "vi"),
        required=True,
    )
    url_control(
        st.date_input,
        t("control.as_of", lang),
        AS_OF,
        default=default_as_of,
        to_text=dt.date.isoformat,
        from_text=_day,
        min_value=params.FIRST_DAY,
        max_value=params.last_day(default_as_of),
        format="DD/MM/YYYY",
        help=t("control.as_of_help", lang),
    )
    url_control(
        st.selectbox,
        t("control.grain", lang),
        GRAIN,
        default="month",
        options=GRAINS,
        format_func=lambda grain: t(f"grain.{grain}", lang),
    )
    published = {info.id: info for info in data.recent_snapshots()}
    if published:  # the figures as a meeting saw them (dashboard/reported.py)
        url_control(
            st.selectbox,
            t("control.reported", lang),
            REPORTED,
            default=None,
            options=list(published),
            to_text=str,
            index=None,
            format_func=lambda number: texts.reported_option(published[number], lang),
            placeholder=t("control.live", lang),
        )
    st.caption(texts.markdown_literal(settings.title.get(lang)))


st.navigation(pages.navigation(lang)).run()
