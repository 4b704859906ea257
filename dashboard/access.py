"""Who may open which page and do what: one table of rules, read by the navigation
(``dashboard.pages``), by the pages to leave out a form, and by ``dashboard.data`` before it
writes, so that a form reached another way still cannot write.

The user is put in the session by ``app.py`` after sign-in (``dashboard.signin``); a page run
without it (no sign-in done) has no role and may do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from metrics.store import USER_ROLES
from sources.problems import Problem, ProjectError, register_messages

register_messages(
    {
        "access.denied": {
            "vi": "bạn không có quyền {action}; cần một trong các vai trò: {roles}",
            "en": "you may not {action_en}; it needs one of the roles: {roles}",
        },
    }
)

USER = "access.user"  # session state: the signed-in ``User``

# What each action needs (any one of the roles); the words say it in a refusal.
ACTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # a presenter records the conclusions a leader gives at the meeting (the speaker view)
    "directive.give": (
        ("leader", "presenter", "administrator"),
        "ghi ý kiến chỉ đạo",
        "record a directive",
    ),
    "directive.update": (
        ("leader", "administrator"),
        "cập nhật chỉ đạo",
        "update a directive",
    ),
    "snapshot.publish": (("presenter", "administrator"), "chốt số liệu", "publish a snapshot"),
    "briefing.export": (("presenter", "administrator"), "tải tài liệu họp", "export a briefing"),
}


@dataclass(frozen=True)
class User:
    """Who uses the dashboard: roles and the units whose detail they see (() for all)."""

    username: str
    roles: tuple[str, ...]
    units: tuple[str, ...] = ()


DEMO = User("demo", USER_ROLES)  # no sign-in: everyone is an administrator
NOBODY = User("", ())


class AccessDenied(ProjectError):
    """An action the user's roles do not allow: said in one line, nothing written."""


def current() -> User:
    """The signed-in user of this session; nobody before sign-in."""
    user = st.session_state.get(USER)
    return user if isinstance(user, User) else NOBODY


def allows(roles: tuple[str, ...], user: User | None = None) -> bool:
    """Whether ``user`` (this session's by default) has one of ``roles`` (none: everyone)."""
    held = (user or current()).roles
    return not roles or any(role in held for role in roles)


def may(action: str, user: User | None = None) -> bool:
    return allows(ACTIONS[action][0], user)


def require(action: str) -> None:
    """Raise ``AccessDenied`` unless this session's user may do ``action``."""
    if not may(action):
        roles, vi, en = ACTIONS[action]
        problem = {"action": vi, "action_en": en, "roles": ", ".join(roles)}
        raise AccessDenied(Problem("access.denied", problem))
