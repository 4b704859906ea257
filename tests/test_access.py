"""Who may open which page and do what (``dashboard.access``), as four signed-in users: a
viewer of one department, a presenter, an editor and an administrator. The rules are checked by
the navigation, by the pages (a page opened another way refuses) and by the data module before
it writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import access, data, signin
from metrics.store import Accounts, Directives
from tests.test_app_pages import run
from tests.test_present_page import run as present

SECRET = "mật khẩu đủ dài 2025"
USERS = {
    "viewer": access.User("so.yte", ("viewer",), ("so_y_te",)),
    "presenter": access.User("trinh.chieu", ("presenter",)),
    "editor": access.User("bien.tap", ("editor",)),
    "administrator": access.User("quan.tri", ("administrator",)),
}


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    address = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", address)
    monkeypatch.setenv("KPI_SIGN_IN", "password")
    accounts = Accounts(address)
    for user in USERS.values():
        accounts.add(user.username, SECRET, roles=user.roles, units=user.units, by="admin")
    Directives(address).add(text="Sở Y tế mở dữ liệu", metric="datasets_shared_rate",
                            responsible="so_y_te", due=dt.date(2025, 12, 1), given_by="Chủ tịch")  # fmt: skip
    return address


def _as(who: str, page: str | None = None, **params: str):
    """A page through ``app.py``, signed in as ``who``."""
    session = signin.Session(USERS[who], dt.datetime.now(dt.UTC))
    return run(page, state={signin.SIGNED_IN: session}, **{"lang": "en", **params})


@pytest.mark.parametrize(
    ("who", "presents"),
    [("viewer", False), ("presenter", True), ("editor", False), ("administrator", True)],
)
def test_the_presenter_page_is_only_for_those_who_present(
    url: str, who: str, presents: bool
) -> None:
    at = _as(who)
    if presents:
        at.switch_page("dashboard/page_present.py")
    else:
        with pytest.raises(ValueError):  # not in the navigation: no URL reaches it
            at.switch_page("dashboard/page_present.py")
    page = present(user=USERS[who], board="conference-2025-11-14", lang="en")
    refused = [e.value for e in page.error if e.value == "You may not open this page."]
    assert bool(refused) is not presents  # run another way, the page refuses by itself


@pytest.mark.parametrize(
    ("who", "gives", "updates"),
    [("viewer", False, False), ("presenter", True, False), ("editor", False, False),
     ("administrator", True, True)],
)  # fmt: skip
def test_forms_are_drawn_for_those_who_may_use_them(
    url: str, who: str, gives: bool, updates: bool
) -> None:
    metric = _as(who, "metric", metric="datasets_shared_rate")
    assert any(e.label == "Give a directive" for e in metric.expander) is gives
    directives = _as(who, "directives")
    assert any(s.value == "Update a directive" for s in directives.subheader) is updates


def test_the_data_module_refuses_a_write_the_roles_do_not_allow(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "current", lambda: USERS["viewer"])
    with pytest.raises(access.AccessDenied) as refused:
        data.give_directive(text="x", metric="datasets_shared_rate", responsible="so_y_te",
                            due=dt.date(2026, 1, 1), given_by="so.yte")  # fmt: skip
    assert "record a directive" in refused.value.render("en")
    with pytest.raises(access.AccessDenied):
        data.update_directive(1, by="so.yte", status="done")
    assert [d.status for d in Directives(url).find()] == ["open"]  # nothing written


def test_the_demo_user_may_do_everything() -> None:
    assert all(access.may(action, access.DEMO) for action in access.ACTIONS)
    assert not any(access.may(action, access.NOBODY) for action in access.ACTIONS)
