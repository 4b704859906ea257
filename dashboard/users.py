"""``python -m dashboard.users``: the accounts of password sign-in (``sign_in: password``).

    python -m dashboard.users add USERNAME --roles viewer[,presenter,...] [--units U,...] --password-stdin
    python -m dashboard.users reset USERNAME --password-stdin
    python -m dashboard.users disable USERNAME
    python -m dashboard.users list

The password is read from standard input (one line), never from the command line where the
shell history and the process list would keep it. ``--config DIR`` says where the store is and
which units exist; ``KPI_STORE_URL`` names another store. A wrong role, unit or name is one line
on stderr and nothing is written; every change is in the audit trail with who made it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Sequence

from metrics.config import Config
from metrics.store import StoreError
from metrics.store.accounts import USER_ROLES, Account, open_accounts
from metrics.workspace import open_workspace
from sources.problems import Lang, Problem, ProjectError, did_you_mean, register_messages

register_messages(
    {
        "users.unknown_unit": {
            "vi": "không có đơn vị '{unit}' trong cấu hình (units.yaml)",
            "en": "there is no unit '{unit}' in the configuration (units.yaml)",
        },
        "users.no_password": {
            "vi": "không đọc được mật khẩu: truyền nó qua đầu vào chuẩn với --password-stdin",
            "en": "no password read: pass it on standard input with --password-stdin",
        },
        "users.added": {"vi": "Đã tạo tài khoản {username}", "en": "Account {username} created"},
        "users.reset": {
            "vi": "Đã đặt lại mật khẩu của {username}",
            "en": "Password of {username} reset",
        },
        "users.disabled": {
            "vi": "Đã khóa tài khoản {username}",
            "en": "Account {username} disabled",
        },
    }
)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="configuration folder (default: KPI_CONFIG or config/)")
    common.add_argument("--lang", choices=("vi", "en"), help="language of the messages")
    common.add_argument("--by", help="who makes the change (default: the system user)")
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.users", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", parents=[common], help="create an account")
    add.add_argument("username")
    add.add_argument("--roles", required=True, help=f"comma-separated: {','.join(USER_ROLES)}")
    add.add_argument("--units", default="", help="comma-separated unit ids (default: all units)")
    add.add_argument("--password-stdin", action="store_true", required=True)
    reset = sub.add_parser("reset", parents=[common], help="set a new password")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", required=True)
    disable = sub.add_parser("disable", parents=[common], help="stop an account signing in")
    disable.add_argument("username")
    sub.add_parser("list", parents=[common], help="list the accounts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang: Lang = args.lang or "vi"
    try:
        config = open_workspace(args.config).config
        lang = args.lang or config.settings.language
        accounts = open_accounts(config)
        by = (args.by or "").strip() or getpass.getuser()
        if args.command == "list":
            print(_listing(accounts.list()))
            return 0
        if args.command == "disable":
            accounts.disable(args.username, by=by)
            print(_said("users.disabled", lang, username=args.username))
            return 0
        password = _password()
        if args.command == "reset":
            accounts.reset(args.username, password, by=by)
            print(_said("users.reset", lang, username=args.username))
            return 0
        units = [u.strip() for u in args.units.split(",") if u.strip()]
        _check_units(units, config)
        accounts.add(args.username, password, roles=args.roles.split(","), units=units, by=by)
        print(_said("users.added", lang, username=args.username))
        return 0
    except (StoreError, ProjectError) as exc:
        print(exc.render(lang), file=sys.stderr)
        return 2


def _password() -> str:
    """One line of standard input, without its line ending."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise StoreError(Problem("users.no_password"))
    return line


def _check_units(units: Sequence[str], config: Config) -> None:
    for unit in units:
        if unit not in config.units:
            raise StoreError(
                Problem(
                    "users.unknown_unit",
                    {"unit": unit},
                    suggestion=did_you_mean(unit, list(config.units)),
                )
            )


def _said(key: str, lang: Lang, **values: str) -> str:
    return Problem(key, values).text(lang)


def _listing(found: Sequence[Account]) -> str:
    """One line per account: name, roles, units, state (never a password or hash)."""
    now = dt.datetime.now(dt.UTC)
    rows = [("username", "roles", "units", "state")]
    for a in found:
        state = "active"
        if a.disabled:
            state = "disabled"
        elif a.locked_until is not None and a.locked_until > now:
            state = f"locked until {a.locked_until:%Y-%m-%d %H:%M} UTC"
        rows.append((a.username, ",".join(a.roles), ",".join(a.units) or "*", state))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


if __name__ == "__main__":
    sys.exit(main())
