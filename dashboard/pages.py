"""The dashboard's pages, listed once: ``app.py`` builds its navigation from this list and every
link between pages (``components.page_link``, ``st.switch_page``) finds its file here.

Adding a page is a module ``dashboard/page_<name>.py``, one line in :data:`PAGES` and its title
under ``page.<name>`` in :mod:`dashboard.i18n`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import access
from dashboard.i18n import t
from sources.problems import Lang


@dataclass(frozen=True)
class Page:
    """One page of the navigation."""

    name: str  # its title is ``page.<name>``; links name it
    file: str  # relative to ``app.py``, as ``st.Page`` and ``st.switch_page`` want it
    icon: str
    url_path: str
    roles: tuple[str, ...] = ()  # who may open it (any one of them); empty: every signed-in user
    default: bool = False


PAGES: tuple[Page, ...] = (
    Page(
        "overview", "dashboard/page_overview.py", ":material/dashboard:", "overview", default=True
    ),
    Page("metric", "dashboard/page_metric.py", ":material/monitoring:", "metric"),
    Page("units", "dashboard/page_units.py", ":material/account_tree:", "units"),
    Page("tasks", "dashboard/page_tasks.py", ":material/task_alt:", "tasks"),
    Page("directives", "dashboard/page_directives.py", ":material/gavel:", "directives"),
    Page("data", "dashboard/page_data.py", ":material/database:", "data"),
    Page(
        "present",
        "dashboard/page_present.py",
        ":material/slideshow:",
        "present",
        roles=("presenter", "leader", "administrator"),
    ),
)

_BY_NAME = {page.name: page for page in PAGES}


def file_of(name: str) -> str:
    """The file of the page called ``name``; a ``KeyError`` names a page that is not listed."""
    return _BY_NAME[name].file


def roles_of(name: str) -> tuple[str, ...]:
    """Who may open the page called ``name`` (empty: every signed-in user)."""
    return _BY_NAME[name].roles


def navigation(lang: Lang) -> list[st.Page]:
    """The pages this session's user may open, as ``st.navigation`` wants them, titled in
    ``lang``: a page left out is not reachable by its URL either."""
    return [
        st.Page(
            page.file,
            title=t(f"page.{page.name}", lang),
            icon=page.icon,
            url_path=page.url_path,
            default=page.default,
        )
        for page in PAGES
        if access.allows(page.roles)
    ]
