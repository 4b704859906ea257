"""Accounts for password sign-in, on SQLite and PostgreSQL: Argon2 hashes only, a growing delay
and a lockout after repeated failures, the same answer for an unknown name as for a wrong
password, every change and attempt in the audit trail, and ``python -m dashboard.users``."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlmodel import select

from dashboard import users
from metrics.store import Audit, Store, StoreError
from metrics.store.accounts import LOCK_AFTER, LOCK_FOR, Accounts
from metrics.store.tables import KpiAccount
from metrics.store.transfer import export_store, import_store
from tests.test_store import store  # noqa: F401 (the fixture: SQLite, then PostgreSQL)

T0 = dt.datetime(2025, 11, 14, 8, 0, tzinfo=dt.UTC)
SECRET = "mật khẩu đủ dài 2025"


@pytest.fixture
def accounts(store: Store) -> Accounts:  # noqa: F811
    return Accounts(store.url, schema=store.schema)


def _code(excinfo: pytest.ExceptionInfo[StoreError]) -> str:
    return excinfo.value.problems[0].code


def test_an_account_keeps_a_hash_never_the_password(accounts: Accounts, store: Store) -> None:  # noqa: F811
    made = accounts.add(
        "vp.chanh", SECRET, roles=["leader", "viewer"], units=["so_y_te"], by="admin"
    )
    assert made.roles == ("viewer", "leader") and made.units == ("so_y_te",)
    assert [a.username for a in accounts.list()] == ["vp.chanh"]
    with accounts.session() as session:
        [row] = session.exec(select(KpiAccount)).all()
    assert row.password_hash.startswith("$argon2id$") and SECRET not in row.password_hash
    trail = json.dumps(
        [e.__dict__ for e in Audit(store.url, schema=store.schema).events()], default=str
    )
    assert SECRET not in trail and "$argon2" not in trail


@pytest.mark.parametrize(
    ("username", "password", "roles", "code"),
    [
        ("Vp Chanh", SECRET, ["viewer"], "account.bad_username"),
        ("vp.chanh", SECRET, ["viewr"], "account.unknown_role"),
        ("vp.chanh", SECRET, [], "account.no_role"),
        ("vp.chanh", "short", ["viewer"], "account.weak_password"),
    ],
)
def test_a_bad_account_is_refused_and_nothing_written(
    accounts: Accounts, username: str, password: str, roles: list[str], code: str
) -> None:
    with pytest.raises(StoreError) as excinfo:
        accounts.add(username, password, roles=roles, by="admin")
    assert _code(excinfo) == code and accounts.list() == []


def test_a_name_is_taken_once(accounts: Accounts) -> None:
    accounts.add("vp.chanh", SECRET, roles=["viewer"], by="admin")
    with pytest.raises(StoreError) as excinfo:
        accounts.add("vp.chanh", SECRET + "x", roles=["editor"], by="admin")
    assert _code(excinfo) == "account.exists"


def test_wrong_passwords_wait_longer_then_lock(accounts: Accounts, store: Store) -> None:  # noqa: F811
    accounts.add("vp.chanh", SECRET, roles=["viewer"], by="admin")
    at = T0
    for attempt in range(1, LOCK_AFTER + 1):
        with pytest.raises(StoreError) as excinfo:
            accounts.sign_in("vp.chanh", "sai mật khẩu", now=at)
        assert _code(excinfo) == "account.sign_in_failed"
        with pytest.raises(StoreError) as excinfo:  # too soon: refused, not counted
            accounts.sign_in("vp.chanh", SECRET, now=at + dt.timedelta(milliseconds=500))
        assert _code(excinfo) in ("account.wait", "account.locked")
        at += dt.timedelta(seconds=2**attempt)
    [account] = accounts.list()
    assert account.failed == LOCK_AFTER and account.locked_until is not None
    with pytest.raises(StoreError) as excinfo:  # the right password does not open a locked one
        accounts.sign_in("vp.chanh", SECRET, now=at)
    assert _code(excinfo) == "account.locked"
    assert accounts.sign_in("vp.chanh", SECRET, now=at + LOCK_FOR).failed == 0
    actions = [e.action for e in Audit(store.url, schema=store.schema).events()]
    assert actions.count("sign_in.failed") == LOCK_AFTER - 1
    assert (
        actions.count("sign_in.locked") == 1 and actions.count("sign_in.refused") == 2
    )  # both tries while locked
    assert actions.count("sign_in") == 1


def test_an_unknown_name_and_a_disabled_account_get_the_same_answer(accounts: Accounts) -> None:
    accounts.add("vp.chanh", SECRET, roles=["viewer"], by="admin")
    accounts.disable("vp.chanh", by="admin")
    for name in ("vp.chanh", "khong.co"):
        with pytest.raises(StoreError) as excinfo:
            accounts.sign_in(name, SECRET, now=T0)
        assert _code(excinfo) == "account.sign_in_failed"


def test_a_reset_clears_the_lock(accounts: Accounts) -> None:
    accounts.add("vp.chanh", SECRET, roles=["viewer"], by="admin")
    at = T0
    for _ in range(LOCK_AFTER):
        with pytest.raises(StoreError):
            accounts.sign_in("vp.chanh", "sai", now=at)
        at += dt.timedelta(minutes=1)
    accounts.reset("vp.chanh", SECRET + "!", by="admin", now=at)
    assert accounts.sign_in("vp.chanh", SECRET + "!", now=at).username == "vp.chanh"


def _cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = users.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_adds_lists_resets_and_disables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", url)
    add = ("add", "so.yte", "--roles", "viewer", "--units", "so_y_te", "--password-stdin")
    assert _cli(monkeypatch, capsys, *add, "--lang", "en", stdin=SECRET + "\n")[:2] == (
        0,
        "Account so.yte created\n",
    )
    code, _, err = _cli(monkeypatch, capsys, "add", "x.y.z", "--roles", "viewer", "--units",
                        "so_yte", "--password-stdin", "--lang", "en", stdin=SECRET)  # fmt: skip
    assert code == 2 and "there is no unit 'so_yte'" in err and "'so_y_te'" in err
    code, _, err = _cli(monkeypatch, capsys, "reset", "so.yte", "--password-stdin", "--lang", "en")
    assert code == 2 and "--password-stdin" in err  # nothing on stdin
    assert _cli(monkeypatch, capsys, "disable", "so.yte", "--lang", "en")[0] == 0
    code, out, _ = _cli(monkeypatch, capsys, "list")
    assert out.splitlines()[1].split() == ["so.yte", "viewer", "so_y_te", "disabled"]
    assert SECRET not in out and "$argon2" not in out
    assert [a.username for a in Accounts(url).list()] == ["so.yte"]


def test_a_backup_restores_the_accounts_and_a_merge_keeps_the_store_s_own(tmp_path: Path) -> None:
    first = Accounts(f"sqlite:///{tmp_path / 'a.sqlite'}")
    first.add("so.yte", SECRET, roles=["viewer"], units=["so_y_te"], by="admin")
    backup = export_store(first)
    restored = Accounts(f"sqlite:///{tmp_path / 'b.sqlite'}")
    import_store(restored, backup)
    assert restored.sign_in("so.yte", SECRET).units == ("so_y_te",)  # the hash came along
    other = Accounts(f"sqlite:///{tmp_path / 'c.sqlite'}")
    other.add("so.yte", SECRET + "-c", roles=["editor"], by="admin")
    import_store(other, backup, merge=True)
    [kept] = other.list()
    assert kept.roles == ("editor",) and other.sign_in("so.yte", SECRET + "-c").username == "so.yte"
