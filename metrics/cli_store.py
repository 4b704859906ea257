"""The store's commands: ``publish`` a board's figures, list and export ``snapshots``, record
and follow the board's ``directives``, read the ``audit`` trail, and move the whole ``store`` to
and from a file. Each takes ``--config DIR`` (where the store is, and the ids it checks) and
``KPI_STORE_URL``; a bad id, date or status is one line on stderr and nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from metrics.config import Config
from metrics.deck import compute_deck, publish_deck
from metrics.store import (
    OVERDUE,
    STATUSES,
    Audit,
    Directive,
    Directives,
    Store,
    StoreError,
    default_url,
)
from metrics.store.transfer import export_store, import_store
from metrics.workspace import Workspace, open_workspace
from sources.problems import ConfigError, Problem, ProjectError, did_you_mean, register_messages

register_messages(
    {
        "cli.unknown_id": {
            "vi": "không có {kind_vi} '{id}' trong cấu hình",
            "en": "there is no {kind_en} '{id}' in the configuration",
        },
        "cli.bad_date": {
            "vi": "{option}: '{value}' không phải ngày; viết dạng YYYY-MM-DD, ví dụ 2025-11-14",
            "en": "{option}: '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2025-11-14",
        },
        "cli.nothing_to_update": {
            "vi": "không có gì để cập nhật: thêm --status, --text hoặc --evidence",
            "en": "nothing to update: give --status, --text or --evidence",
        },
        "cli.published": {"vi": "Đã chốt số liệu số {id}", "en": "Published snapshot {id}"},
        "cli.exists": {
            "vi": "Đã có bản chốt số {id} cùng tên và ngày số liệu; không chốt lại",
            "en": "Snapshot {id} has this label and as-of date already; not published again",
        },
        "cli.imported": {"vi": "Đã nhập: {rows}", "en": "Imported: {rows}"},
    }
)

_KINDS = {
    "metric": {"vi": "chỉ số", "en": "metric"},
    "unit": {"vi": "đơn vị", "en": "unit"},
    "board": {"vi": "bảng trình chiếu", "en": "board"},
}
DIRECTIVE_FIELDS = ("id", "text", "metric", "unit", "due", "status", "days_overdue", "given_by",
                    "snapshot", "created_at", "evidence")  # fmt: skip
FORMATS = ("table", "json", "csv")


class CommandError(ProjectError):
    """A command's input is wrong: said in one line, nothing written."""


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """The store's subcommands, on ``python -m metrics``."""
    publish = sub.add_parser("publish", parents=[common], help="freeze a board's figures")
    publish.add_argument("--label", required=True)
    publish.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    publish.add_argument("--board", help="the board's id (default: the first board)")
    publish.add_argument("--by", help="who publishes (default: the system user)")

    snapshots = sub.add_parser("snapshots", parents=[common], help="list published snapshots")
    snapshots.add_argument("--format", choices=("table", "json"), default="table")
    snapshots.add_argument("--board")

    export = sub.add_parser("export-snapshot", parents=[common], help="one snapshot's figures")
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=("csv", "json"), required=True)

    directives = sub.add_parser("directives", help="the board's directives").add_subparsers(
        dest="action", required=True
    )
    add = directives.add_parser("add", parents=[common], help="record a directive")
    add.add_argument("--metric", required=True)
    add.add_argument("--unit", required=True, help="the unit that must act")
    add.add_argument("--due", required=True, help="YYYY-MM-DD")
    add.add_argument("--text", required=True)
    add.add_argument("--by", help="who gave it (default: the system user)")
    add.add_argument("--snapshot", type=int, help="the meeting's snapshot id")
    update = directives.add_parser("update", parents=[common], help="change a directive")
    update.add_argument("id", type=int)
    update.add_argument("--status", help=", ".join(STATUSES))
    update.add_argument("--text")
    update.add_argument("--by", help="who changes it (default: the system user)")
    update.add_argument("--evidence", help="a link or a file reference (minh chứng)")
    listing = directives.add_parser("list", parents=[common], help="list directives")
    listing.add_argument("--unit")
    listing.add_argument("--status", help=", ".join((*STATUSES, OVERDUE)))
    listing.add_argument("--metric")
    listing.add_argument("--as-of", help="YYYY-MM-DD (default: the settings' as-of date)")
    listing.add_argument("--format", choices=FORMATS, default="table")

    audit = sub.add_parser("audit", parents=[common], help="the audit trail")
    audit.add_argument("--since", help="YYYY-MM-DD")
    audit.add_argument("--format", choices=("table", "json"), default="table")

    whole = sub.add_parser("store", help="the whole store to or from a file").add_subparsers(
        dest="action", required=True
    )
    out = whole.add_parser("export", parents=[common], help="every table to a JSON file")
    out.add_argument("file", type=Path)
    back = whole.add_parser("import", parents=[common], help="a JSON export into the store")
    back.add_argument("file", type=Path)
    back.add_argument("--merge", action="store_true", help="add to a store that has data")


COMMANDS = ("publish", "snapshots", "export-snapshot", "directives", "audit", "store")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run one of ``COMMANDS``; errors in one line on stderr, exit code 1 (2 for bad input)."""
    try:
        workspace = open_workspace(args.config, generate_demo=args.command == "publish")
    except ConfigError as exc:
        sys.stderr.write(exc.render(args.lang or "vi") + "\n")
        return 2
    lang = args.lang or workspace.config.settings.language
    name = args.command if args.command not in ("directives", "store") else args.action
    handler = HANDLERS[(args.command, name)]
    try:
        return handler(workspace, args, out, lang)
    except CommandError as exc:
        sys.stderr.write(exc.render(lang) + "\n")
        return 2
    except StoreError as exc:
        sys.stderr.write(exc.render(lang) + "\n")
        return 1


# --------------------------------------------------------------------------- checks


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(Problem("cli.bad_date", {"option": option, "value": value})) from None


def _known(config: Config, kind: str, value: str | None) -> str | None:
    """``value`` when the configuration knows it (a broken metric counts: it is written)."""
    if value is None:
        return None
    known = set(config.metrics) | set(config.broken_metrics) if kind == "metric" else config.units
    if value not in known:
        raise _unknown(kind, value, known)
    return value


def _unknown(kind: str, value: str, known: object) -> CommandError:
    words = {"kind_vi": _KINDS[kind]["vi"], "kind_en": _KINDS[kind]["en"], "id": value}
    hint = did_you_mean(value, sorted(known))  # type: ignore[call-overload]
    return CommandError(Problem("cli.unknown_id", words, suggestion=hint))


def _who(value: str | None) -> str:
    return (value or "").strip() or getpass.getuser()


def _store(config: Config) -> tuple[str, Store, Directives, Audit]:
    url = default_url(config)
    return url, Store(url), Directives(url), Audit(url)


# --------------------------------------------------------------------------- output


def _columns(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows as aligned text columns under their headers."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]]) + "\n"


def _json(payload: object, out: TextIO) -> None:
    json.dump(payload, out, ensure_ascii=False, indent=2, allow_nan=False, default=str)
    out.write("\n")


# --------------------------------------------------------------------------- the commands


def _publish(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    config = ws.config
    as_of = _date(args.as_of, "--as-of")
    assert as_of is not None
    board_id = args.board or next(iter(config.boards), "-")
    if board_id not in config.boards:
        raise _unknown("board", board_id, config.boards)
    _, store, _, _ = _store(config)
    existing = store.find(args.label, board_id, as_of)
    if existing is not None:
        sys.stderr.write(t_cli("cli.exists", lang, id=existing.id) + "\n")
        out.write(f"{existing.id}\n")
        return 0
    deck = compute_deck(
        config, ws.catalog, config.boards[board_id], as_of_default=as_of, as_of=as_of
    )
    done = publish_deck(store, deck, label=args.label, author=_who(args.by))
    sys.stderr.write(
        t_cli("cli.published" if done.created else "cli.exists", lang, id=done.snapshot.id) + "\n"
    )
    out.write(f"{done.snapshot.id}\n")
    return 0


def _snapshots(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    _, store, _, _ = _store(ws.config)
    found = store.list_snapshots(args.board, limit=10_000)
    rows = [
        {
            "id": s.id,
            "label": s.label,
            "board": s.board_id,
            "as_of": s.as_of.isoformat(),
            "author": s.author,
            "created_at": s.created_at.isoformat(),
        }
        for s in found
    ]
    if args.format == "json":
        _json(rows, out)
    else:
        out.write(_columns(list(rows[0]) if rows else ["id"], [list(r.values()) for r in rows]))
    return 0


def _export_snapshot(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    _, store, _, _ = _store(ws.config)
    snapshot = store.read(args.id)
    values = [v.canonical() for v in snapshot.values]
    if args.format == "json":
        info = snapshot.info
        _json(
            {
                "id": info.id,
                "label": info.label,
                "board": info.board_id,
                "as_of": info.as_of.isoformat(),
                "grain": info.grain,
                "author": info.author,
                "created_at": info.created_at.isoformat(),
                "values": values,
            },
            out,
        )
        return 0
    writer = csv.writer(out)
    header = ["slide", "role", "metric", "period_start", "period_end", "dimensions", "value",
              "target", "expected", "status", "delta"]  # fmt: skip
    writer.writerow(header)
    for value in values:
        value["dimensions"] = json.dumps(value["dimensions"], ensure_ascii=False, sort_keys=True)
        writer.writerow([value[h] for h in header])
    return 0


def _directive_row(d: Directive, day: dt.date) -> dict[str, Any]:
    """One directive as listed (``DIRECTIVE_FIELDS``): ``unit`` is the unit that must act and
    ``status`` is read as of ``day`` (``overdue`` past the due date when not done)."""
    values = (d.id, d.text, d.metric, d.responsible, d.due.isoformat(), d.status_on(day),
              d.days_overdue(day), d.given_by, d.snapshot_id, d.created_at.isoformat(),
              d.evidence)  # fmt: skip
    return dict(zip(DIRECTIVE_FIELDS, values, strict=True))


def _directives_add(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    config = ws.config
    metric = _known(config, "metric", args.metric)
    unit = _known(config, "unit", args.unit)
    due = _date(args.due, "--due")
    assert metric is not None and unit is not None and due is not None
    spec = config.metrics.get(metric)
    about_unit = unit if spec is not None and "unit" in spec.dimensions else None
    _, _, directives, _ = _store(config)
    given = directives.add(
        text=args.text,
        metric=metric,
        unit=about_unit,
        responsible=unit,
        due=due,
        given_by=_who(args.by),
        snapshot_id=args.snapshot,
    )
    out.write(f"{given.id}\n")
    return 0


def _directives_update(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    if args.status is None and args.text is None and args.evidence is None:
        raise CommandError(Problem("cli.nothing_to_update"))
    _, _, directives, _ = _store(ws.config)
    changed = directives.update(
        args.id, by=_who(args.by), status=args.status, text=args.text, evidence=args.evidence
    )
    out.write(f"{changed.id} {changed.status}\n")
    return 0


def _directives_list(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    config = ws.config
    _known(config, "unit", args.unit)
    _known(config, "metric", args.metric)
    day = _date(args.as_of, "--as-of") or ws.default_as_of()
    _, _, directives, _ = _store(config)
    found = directives.find(
        responsible=args.unit, metric=args.metric, status=args.status, as_of=day
    )
    rows = [_directive_row(d, day) for d in found]
    rows.sort(key=lambda r: (r["status"] != OVERDUE, r["due"], r["id"]))  # overdue first
    if args.format == "json":
        _json(rows, out)
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=DIRECTIVE_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        shown = ["id", "status", "due", "days_overdue", "unit", "metric", "text"]
        out.write(_columns(shown, [[r[k] for k in shown] for r in rows]))
    return 0


def _audit(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    since = _date(args.since, "--since")
    _, _, _, audit = _store(ws.config)
    rows = [
        {
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "object": f"{e.object_kind}:{e.object_id}",
            "before_hash": e.before_hash,
            "after_hash": e.after_hash,
            "detail": dict(e.detail),
        }
        for e in audit.events(since=since, limit=100_000)
    ]
    if args.format == "json":
        _json(rows, out)
    else:
        shown = ["at", "actor", "action", "object"]
        out.write(_columns(shown, [[r[k] for k in shown] for r in rows]))
    return 0


def _store_export(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    url, _, _, _ = _store(ws.config)
    data = export_store(Store(url))
    temporary = args.file.with_name(f".{args.file.name}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(args.file)
    out.write(f"{args.file}\n")
    return 0


def _store_import(ws: Workspace, args: argparse.Namespace, out: TextIO, lang: str) -> int:
    url, _, _, _ = _store(ws.config)
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(Problem("transfer.bad_file", {"detail": str(exc)})) from None
    added = import_store(Store(url), data, merge=args.merge)
    rows = ", ".join(f"{name} {n}" for name, n in added.items())
    out.write(t_cli("cli.imported", lang, rows=rows) + "\n")
    return 0


def t_cli(code: str, lang: str, **params: object) -> str:
    return Problem(code, params).text(lang)  # type: ignore[arg-type]


HANDLERS: dict[tuple[str, str], Callable[[Workspace, argparse.Namespace, TextIO, str], int]] = {
    ("publish", "publish"): _publish,
    ("snapshots", "snapshots"): _snapshots,
    ("export-snapshot", "export-snapshot"): _export_snapshot,
    ("directives", "add"): _directives_add,
    ("directives", "update"): _directives_update,
    ("directives", "list"): _directives_list,
    ("audit", "audit"): _audit,
    ("store", "export"): _store_export,
    ("store", "import"): _store_import,
}
