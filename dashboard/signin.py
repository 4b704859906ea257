"""Đăng nhập / Sign-in: who is using the dashboard, before any page is drawn.

Three modes, ``sign_in`` in ``settings.yaml``, overridden by ``KPI_SIGN_IN`` for the operator:

- ``none``: the local demo. Everyone is an administrator and the sidebar says so; the app serves
  nothing when the server listens on anything but loopback, unless ``KPI_ALLOW_OPEN_DEMO=1``
  says that this is meant (the message says how).
- ``password``: accounts in the store (``python -m dashboard.users``); a sign-in form; a session
  lasts ``SESSION_FOR``; the store counts failures, delays and locks (``metrics.store.accounts``).
  The account is read again on every run, so a disabled account or changed roles take effect at
  once.
- ``oidc``: Streamlit's OpenID Connect sign-in; not available yet (said, nothing served).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass

import streamlit as st

from dashboard import data, texts
from dashboard.access import DEMO, User
from dashboard.i18n import t
from metrics.config import Config
from metrics.store import StoreError
from sources.problems import Lang

log = logging.getLogger(__name__)

MODES = ("none", "password", "oidc")
ENV_MODE = "KPI_SIGN_IN"
ENV_OPEN_DEMO = "KPI_ALLOW_OPEN_DEMO"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SESSION_FOR = dt.timedelta(hours=8)
SIGNED_IN = "signin.session"  # session state: the signed-in user and when


@dataclass(frozen=True)
class Session:
    user: User
    since: dt.datetime


def mode(config: Config) -> str:
    """The sign-in mode: ``KPI_SIGN_IN`` when set, else the settings'."""
    return (os.environ.get(ENV_MODE) or config.settings.sign_in).strip().lower()


def gate(config: Config, lang: Lang) -> User | None:
    """The user to serve, or None after drawing what stands in the way (the sign-in form, or
    why nothing is served); the caller stops the page on None."""
    chosen = mode(config)
    if chosen == "none":
        return _demo(lang)
    if chosen == "password":
        return _password(lang)
    message = "signin.oidc_unavailable" if chosen == "oidc" else "signin.unknown_mode"
    st.error(t(message, lang, mode=chosen[:20], env=ENV_MODE, allowed=", ".join(MODES)))
    return None


def listening_on() -> str:
    """The address the server listens on ("" for every address, Streamlit's default)."""
    return str(st.get_option("server.address") or "")


def _demo(lang: Lang) -> User | None:
    address = listening_on()
    if address not in LOOPBACK and os.environ.get(ENV_OPEN_DEMO) != "1":
        log.error("no sign-in, and the server listens on %r: nothing served", address or "*")
        shown = address or t("signin.every_address", lang)
        st.error(t("signin.open_refused", lang, address=shown, env=ENV_OPEN_DEMO, mode=ENV_MODE))
        return None
    with st.sidebar:
        st.markdown(f":orange[:material/lock_open: {t('signin.demo_banner', lang)}]")
    return DEMO


def _password(lang: Lang) -> User | None:
    state = st.session_state
    session: Session | None = state.get(SIGNED_IN)
    now = dt.datetime.now(dt.UTC)
    if session is not None and now - session.since >= SESSION_FOR:
        del state[SIGNED_IN]
        st.info(t("signin.expired", lang), icon=":material/timer_off:")
        session = None
    if session is not None:
        user = _current(session.user.username)
        if user is not None:
            with st.sidebar:
                st.button(
                    t("signin.sign_out", lang, user=user.username),
                    on_click=sign_out,
                    icon=":material/logout:",
                    key="signin_out",
                )
            return user
        del state[SIGNED_IN]  # disabled or removed since: signed out
    _form(lang)
    return None


def _current(username: str) -> User | None:
    """The account as it is now; None when it is disabled or gone."""
    try:
        account = data.accounts().get(username)
    except StoreError:
        log.warning("the accounts could not be read", exc_info=True)
        return None
    if account is None or account.disabled:
        return None
    return User(account.username, account.roles, account.units)


def _form(lang: Lang) -> None:
    said = st.session_state.pop("signin_said", None)
    st.header(t("signin.title", lang), anchor=False)
    if said:
        st.error(texts.markdown_literal(said), icon=":material/error:")
    with st.form("signin_form", clear_on_submit=True, border=True, width=420):
        st.text_input(t("signin.username", lang), key="signin_username", max_chars=64)
        st.text_input(t("signin.password", lang), key="signin_password", type="password")
        st.form_submit_button(
            t("signin.submit", lang), type="primary", on_click=_submit, args=(lang,)
        )


def _submit(lang: Lang) -> None:
    state = st.session_state
    username = (state.get("signin_username") or "").strip().lower()
    password = state.get("signin_password") or ""
    state["signin_password"] = ""  # not kept in the session, whatever the outcome
    try:
        account = data.accounts().sign_in(username, password)
    except StoreError as exc:
        state["signin_said"] = exc.render(lang)
        return
    user = User(account.username, account.roles, account.units)
    state[SIGNED_IN] = Session(user, dt.datetime.now(dt.UTC))


def sign_out() -> None:
    st.session_state.pop(SIGNED_IN, None)


def signed_in_name() -> str:
    """Who is signed in (password sign-in), else Streamlit's user, else blank (forms ask)."""
    session: Session | None = st.session_state.get(SIGNED_IN)
    if session is not None:
        return session.user.username
    return str(st.user.get("name") or st.user.get("email") or "")
