"""Accounts for password sign-in (``sign_in: password``): who, with which roles and units.

Passwords are hashed with Argon2id (argon2-cffi, its default parameters follow RFC 9106's
recommendation); the store keeps the hash only, and nothing here logs or returns a password or
a hash. A wrong password counts against the account: after ``LOCK_AFTER`` failures in a row it
is locked for ``LOCK_FOR``, and each failure before that makes the next attempt wait longer
(``Account.retry_at``), so guessing is slow. Every change and every sign-in, failed or not, is
in the audit trail, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from metrics.store.audit import record
from metrics.store.engine import Database, StoreError, default_url
from metrics.store.tables import KpiAccount
from sources.problems import Problem, did_you_mean, register_messages

if TYPE_CHECKING:
    from metrics.config import Config

register_messages(
    {
        "account.bad_username": {
            "vi": "tên đăng nhập '{username}' không hợp lệ: 3–64 ký tự a-z, 0-9, '.', '_' hoặc '-'",
            "en": "invalid username '{username}': 3-64 characters a-z, 0-9, '.', '_' or '-'",
        },
        "account.exists": {
            "vi": "đã có tài khoản '{username}'",
            "en": "there is already an account '{username}'",
        },
        "account.not_found": {
            "vi": "không có tài khoản '{username}'",
            "en": "there is no account '{username}'",
        },
        "account.unknown_role": {
            "vi": "vai trò '{role}' không hợp lệ; dùng một hoặc nhiều trong: {allowed}",
            "en": "unknown role '{role}'; use one or more of: {allowed}",
        },
        "account.no_role": {
            "vi": "tài khoản cần ít nhất một vai trò ({allowed})",
            "en": "an account needs at least one role ({allowed})",
        },
        "account.weak_password": {
            "vi": "mật khẩu cần ít nhất {n} ký tự",
            "en": "the password needs at least {n} characters",
        },
        "account.sign_in_failed": {
            "vi": "tên đăng nhập hoặc mật khẩu không đúng",
            "en": "wrong username or password",
        },
        "account.locked": {
            "vi": "tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau {minutes} phút",
            "en": "the account is locked after repeated failures; try again in {minutes} minutes",
        },
        "account.wait": {
            "vi": "vui lòng đợi {seconds} giây trước khi thử lại",
            "en": "please wait {seconds} seconds before trying again",
        },
    }
)

USER_ROLES = ("viewer", "presenter", "editor", "leader", "administrator")
MIN_PASSWORD = 12
LOCK_AFTER = 5  # failures in a row
LOCK_FOR = dt.timedelta(minutes=15)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Account:
    """An account as the app and the command line see it: never its password or hash."""

    username: str
    roles: tuple[str, ...]
    units: tuple[str, ...]  # the units whose detail it sees; () for every unit
    disabled: bool
    failed: int
    locked_until: dt.datetime | None
    created_at: dt.datetime
    password_changed_at: dt.datetime


def retry_at(failed: int, failed_at: dt.datetime | None) -> dt.datetime | None:
    """When the next attempt is heard after ``failed`` failures in a row, the last at
    ``failed_at``: 1, 2, 4, 8 s after it (the lock takes over at ``LOCK_AFTER``)."""
    if not failed or failed_at is None:
        return None
    return failed_at + dt.timedelta(seconds=2 ** (failed - 1))


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """The roles in ``USER_ROLES`` order; a ``StoreError`` naming an unknown one."""
    given = [r.strip() for r in roles if r.strip()]
    for role in given:
        if role not in USER_ROLES:
            raise StoreError(
                Problem(
                    "account.unknown_role",
                    {"role": role, "allowed": ", ".join(USER_ROLES)},
                    suggestion=did_you_mean(role, USER_ROLES),
                )
            )
    if not given:
        raise StoreError(Problem("account.no_role", {"allowed": ", ".join(USER_ROLES)}))
    return tuple(r for r in USER_ROLES if r in given)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StoreError(Problem("account.weak_password", {"n": MIN_PASSWORD}))


def _account(row: KpiAccount) -> Account:
    return Account(
        username=row.username,
        roles=tuple(r for r in row.roles.split(",") if r),
        units=tuple(u for u in row.units.split(",") if u),
        disabled=row.disabled,
        failed=row.failed,
        locked_until=row.locked_until,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
    )


def open_accounts(config: Config) -> Accounts:
    """The accounts of the store the configuration names (see ``default_url``)."""
    return Accounts(default_url(config))


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


class Accounts(Database):
    """The accounts of one store."""

    def add(
        self,
        username: str,
        password: str,
        *,
        roles: Iterable[str],
        units: Iterable[str] = (),
        by: str,
        now: dt.datetime | None = None,
    ) -> Account:
        """A new account; refused when the name is taken or invalid, a role unknown or the
        password too short."""
        if not _USERNAME.fullmatch(username):
            raise StoreError(Problem("account.bad_username", {"username": username[:64]}))
        checked = check_roles(roles)
        _check_password(password)
        at = _now(now)
        with self.session(write=True) as session:
            if self._find(session, username) is not None:
                raise StoreError(Problem("account.exists", {"username": username}))
            row = KpiAccount(
                username=username,
                password_hash=_HASHER.hash(password),
                roles=",".join(checked),
                units=",".join(dict.fromkeys(u.strip() for u in units if u.strip())),
                created_at=at,
                password_changed_at=at,
            )
            session.add(row)
            record(session, actor=by, action="account.created", object_kind="account",
                   object_id=username, detail={"roles": list(checked)}, at=at)  # fmt: skip
            session.commit()
            return _account(row)

    def reset(
        self, username: str, password: str, *, by: str, now: dt.datetime | None = None
    ) -> Account:
        """A new password; the failures and the lock are cleared."""
        _check_password(password)
        at = _now(now)
        with self.session(write=True) as session:
            row = self._row(session, username)
            row.password_hash = _HASHER.hash(password)
            row.password_changed_at = at
            row.failed, row.failed_at, row.locked_until = 0, None, None
            session.add(row)
            record(session, actor=by, action="account.reset", object_kind="account",
                   object_id=username, at=at)  # fmt: skip
            session.commit()
            return _account(row)

    def disable(self, username: str, *, by: str, now: dt.datetime | None = None) -> Account:
        """The account can no longer sign in (its history stays)."""
        at = _now(now)
        with self.session(write=True) as session:
            row = self._row(session, username)
            row.disabled = True
            session.add(row)
            record(session, actor=by, action="account.disabled", object_kind="account",
                   object_id=username, at=at)  # fmt: skip
            session.commit()
            return _account(row)

    def get(self, username: str) -> Account | None:
        """One account by name; None when there is none."""
        with self.session() as session:
            row = self._find(session, username)
            return _account(row) if row is not None else None

    def list(self) -> list[Account]:
        """Every account by name."""
        with self.session() as session:
            rows = session.exec(select(KpiAccount).order_by(KpiAccount.username))  # type: ignore[arg-type]
            return [_account(row) for row in rows]

    def sign_in(self, username: str, password: str, *, now: dt.datetime | None = None) -> Account:
        """The account when the password is right; else a ``StoreError`` that says no more
        than "wrong username or password" (or that it is locked), the failure counted and the
        attempt in the audit trail either way."""
        at = _now(now)
        with self.session(write=True) as session:
            row = self._find(session, username, lock=True)
            if row is not None and row.locked_until is not None and row.locked_until > at:
                minutes = -(-int((row.locked_until - at).total_seconds()) // 60)
                self._audit_sign_in(session, username, "sign_in.refused", at)
                session.commit()
                raise StoreError(Problem("account.locked", {"minutes": minutes}))
            wait = retry_at(row.failed, row.failed_at) if row is not None else None
            if wait is not None and wait > at:  # not counted: the guesser only waits longer
                seconds = -(-int((wait - at).total_seconds() * 1000) // 1000)
                raise StoreError(Problem("account.wait", {"seconds": max(seconds, 1)}))
            known = row.password_hash if row is not None else None
            if not _verify(known, password) or row is None or row.disabled:
                if row is not None and not row.disabled:
                    row.failed += 1
                    row.failed_at = at
                    if row.failed >= LOCK_AFTER:
                        row.locked_until = at + LOCK_FOR
                    session.add(row)
                locked = (
                    row is not None and row.locked_until is not None and row.failed >= LOCK_AFTER
                )
                self._audit_sign_in(
                    session, username, "sign_in.locked" if locked else "sign_in.failed", at
                )
                session.commit()
                raise StoreError(Problem("account.sign_in_failed"))
            if _HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = _HASHER.hash(password)
            row.failed, row.failed_at, row.locked_until = 0, None, None
            session.add(row)
            self._audit_sign_in(session, username, "sign_in", at)
            session.commit()
            return _account(row)

    @staticmethod
    def _audit_sign_in(session: Session, username: str, action: str, at: dt.datetime) -> None:
        record(session, actor=username[:64], action=action, object_kind="account",
               object_id=username[:64], at=at)  # fmt: skip

    @staticmethod
    def _find(session: Session, username: str, *, lock: bool = False) -> KpiAccount | None:
        query = select(KpiAccount).where(KpiAccount.username == username)
        return session.exec(query.with_for_update() if lock else query).first()

    def _row(self, session: Session, username: str) -> KpiAccount:
        row = self._find(session, username, lock=True)
        if row is None:
            raise StoreError(Problem("account.not_found", {"username": username[:64]}))
        return row


@functools.cache
def _stand_in() -> str:
    return _HASHER.hash(secrets.token_urlsafe(32))  # matches no password anyone types


def _verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an unknown account is checked against a stand-in hash,
    so that the time taken does not tell which names exist."""
    if password_hash is None:
        _verify(_stand_in(), password)
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
