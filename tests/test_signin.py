"""Sign-in before any page (AppTest): the demo without sign-in only on loopback, and password
sign-in with the store's accounts: a wrong password, the growing delay, a session that expires,
an account disabled while signed in; no password in the page's state, the logs or the trail."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from sqlmodel import select

from dashboard import signin
from metrics.store import Accounts, Audit
from metrics.store.tables import KpiAccount
from tests.test_app_pages import as_read, run

SECRET = "mật khẩu đủ dài 2025"
CARD = 'data-card="'


def _served(at) -> bool:
    return any(CARD in h.value for h in at.html)


def test_the_demo_says_there_is_no_sign_in() -> None:
    at = run(lang="en")
    assert _served(at)
    said = " ".join(m.value for m in at.sidebar.markdown)
    assert "Demo mode: no sign-in, everyone is an administrator." in said


def test_the_demo_is_not_served_beyond_loopback_unless_forced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(signin, "listening_on", lambda: "0.0.0.0")
    at = run(lang="en")
    assert not _served(at)
    [error] = [as_read(e.value) for e in at.error]
    assert "listens on 0.0.0.0 but sign-in is off" in error and "KPI_ALLOW_OPEN_DEMO=1" in error
    monkeypatch.setenv("KPI_ALLOW_OPEN_DEMO", "1")
    assert _served(run(lang="en"))


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    address = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", address)
    monkeypatch.setenv("KPI_SIGN_IN", "password")
    Accounts(address).add("so.yte", SECRET, roles=["viewer"], units=["so_y_te"], by="admin")
    return address


def _sign_in(at, username: str, password: str):
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button(key="FormSubmitter:signin_form-Sign in").click().run()
    return at


def test_password_sign_in_shows_nothing_before_it(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    at = run(lang="en")
    assert not _served(at) and [h.value for h in at.header] == ["Sign in"]
    _sign_in(at, "so.yte", "not the password")
    assert [as_read(e.value) for e in at.error] == ["error: wrong username or password"]
    assert not _served(at)
    assert at.session_state["signin_password"] == ""  # the form keeps no password
    _sign_in(at, "so.yte", SECRET)  # at once: the delay after a failure
    assert "please wait" in as_read(at.error[0].value) and not _served(at)
    with Accounts(url).session(write=True) as session:  # the delay has passed
        row = session.exec(select(KpiAccount)).one()
        row.failed_at = row.failed_at - dt.timedelta(seconds=5)
        session.add(row)
        session.commit()
    _sign_in(at, "so.yte", SECRET)
    assert _served(at)
    assert at.sidebar.button(key="signin_out").label == "Sign out (so.yte)"
    logged = caplog.text + json.dumps([e.__dict__ for e in Audit(url).events()], default=str)
    assert SECRET not in logged and "$argon2" not in logged
    actions = [e.action for e in Audit(url).events()]
    assert actions.count("sign_in.failed") == 1 and actions.count("sign_in") == 1


def test_a_session_expires_and_a_disabled_account_is_signed_out(url: str) -> None:
    at = _sign_in(run(lang="en"), "so.yte", SECRET)
    assert _served(at)
    session = at.session_state["signin.session"]
    at.session_state["signin.session"] = signin.Session(
        session.user, session.since - signin.SESSION_FOR
    )
    at.run()
    assert not _served(at)
    assert "Your session has expired; please sign in again." in [i.value for i in at.info]
    _sign_in(at, "so.yte", SECRET)
    assert _served(at)
    Accounts(url).disable("so.yte", by="admin")
    at.run()
    assert not _served(at) and [h.value for h in at.header] == ["Sign in"]


def test_sign_out(url: str) -> None:
    at = _sign_in(run(lang="en"), "so.yte", SECRET)
    at.sidebar.button(key="signin_out").click().run()
    assert not _served(at)


def test_oidc_is_said_to_be_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_SIGN_IN", "oidc")
    at = run(lang="en")
    assert not _served(at) and "not available in this version yet" in as_read(at.error[0].value)
