"""The command line: ``validate`` a configuration, ``compute`` its metrics, print the ``schema``;
the store's commands (publish, snapshots, directives, audit, store) are in ``metrics.cli_store``.

Output for people is Vietnamese by default (numbers written ``1.234,5``); JSON and CSV are for
other programs and keep plain ISO dates and unformatted numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import TextIO

import polars as pl

from metrics import fmt
from metrics.cli_store import COMMANDS, add_commands, run
from metrics.config import Config
from metrics.engine import MAX_PERIODS, Request, Results, compute
from metrics.loader import load_config
from metrics.schema import metric_file_schema
from metrics.spec import GRAINS
from metrics.status import status_text
from metrics.workspace import open_workspace
from sources.layout import default_config_dir
from sources.problems import ConfigError, Problem, did_you_mean

_HEAD = {
    "metric": {"vi": "Chỉ số", "en": "Metric"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "delta": {"vi": "So kỳ trước", "en": "Change"},
    "errors": {"vi": "Lỗi", "en": "Errors"},
    "valid": {"vi": "Cấu hình hợp lệ", "en": "Configuration is valid"},
    "counts": {"vi": "{e} lỗi, {w} cảnh báo", "en": "{e} errors, {w} warnings"},
    "unknown_dim": {
        "vi": "không có chiều phân tích '{dim}' ở chỉ số nào (các chiều: {known})",
        "en": "no metric has a dimension '{dim}' (dimensions: {known})",
    },
    "skipped": {
        "vi": "Bỏ qua (không phân tích được theo '{dim}'): {ids}",
        "en": "Skipped (no '{dim}' dimension): {ids}",
    },
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="configuration folder (default: KPI_CONFIG or config/)")
    common.add_argument("--lang", choices=["vi", "en"], help="language (default: the settings')")
    validate = sub.add_parser("validate", parents=[common], help="check the configuration")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    run = sub.add_parser("compute", parents=[common], help="compute the metrics")
    run.add_argument("--as-of", type=_day, help="YYYY-MM-DD")
    run.add_argument("--grain", choices=GRAINS, default="month")
    run.add_argument("--periods", type=_periods, default=1, help=f"1 to {MAX_PERIODS}")
    run.add_argument("--by", action="append", default=[], help="breakdown dimension (repeatable)")
    run.add_argument("--metric", action="append", default=[], help="metric id (repeatable)")
    run.add_argument("--format", choices=["table", "json", "csv"], default="table")
    sub.add_parser("schema", help="print the JSON Schema of metric files")
    add_commands(sub, common)
    return parser


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}': write the date as YYYY-MM-DD, e.g. 2025-11-14"
        ) from None


def _periods(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_PERIODS:
        raise argparse.ArgumentTypeError(f"between 1 and {MAX_PERIODS}")
    return value


def _lang(args: argparse.Namespace, config: Config | None) -> str:
    if args.lang:
        return args.lang
    return config.settings.language if config else "vi"


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        config = load_config(args.config or default_config_dir())
    except ConfigError as exc:
        lang = _lang(args, None)
        problems = exc.problems
    else:
        lang = _lang(args, config)
        problems = config.problems
    errors = sum(p.level == "error" for p in problems)
    if args.format == "json":
        json.dump(
            {"valid": errors == 0, "problems": [p.as_dict(lang) for p in problems]},
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
    else:
        for problem in problems:
            out.write(problem.render(lang) + "\n")
        if errors == 0:
            out.write(_HEAD["valid"][lang] + ". ")
        out.write(_HEAD["counts"][lang].format(e=errors, w=len(problems) - errors) + "\n")
    return 1 if errors else 0


def _json(
    results: Results, as_of: dt.date, grain: str, lang: str, config_errors: list[Problem]
) -> dict[str, object]:
    dims = list(results.request.by)
    rows = [
        {
            "metric": row["metric"],
            "period_start": row["period_start"].isoformat(),
            "period_end": row["period_end"].isoformat(),
            "grain": row["grain"],
            "dims": {d: row[d] for d in dims},
            **{k: row[k] for k in ("value", "target", "expected", "status", "reason", "delta")},
        }
        for row in results.values.iter_rows(named=True)
    ]
    errors = [{"metric": e.metric, **e.problem.as_dict(lang)} for e in results.errors]
    named = {e.metric for e in results.errors}
    errors += [
        {"metric": None, **p.as_dict(lang)}
        for p in config_errors
        if not (p.subject_kind == "metric" and p.subject_id in named)
    ]
    return {
        "as_of": as_of.isoformat(),
        "grain": grain,
        "results": rows,
        "errors": errors,
        "skipped": [{"metric": m, "dimension": d} for m, d in results.skipped.items()],
    }


def _table(results: Results, config: Config, lang: str) -> str:
    dims = list(results.request.by)
    head = [
        _HEAD["metric"][lang],
        _HEAD["period"][lang],
        *dims,
        _HEAD["value"][lang],
        _HEAD["target"][lang],
        _HEAD["status"][lang],
        _HEAD["delta"][lang],
    ]
    lines = [head]
    for row in results.values.iter_rows(named=True):
        metric = config.metrics[row["metric"]]
        shown = row["expected"] if row["expected"] is not None else row["target"]
        lines.append(
            [
                row["metric"],
                fmt.period(row["period_start"], row["period_end"], row["grain"], lang),
                *(row[d] or "" for d in dims),
                fmt.value(row["value"], metric.format, lang),
                "" if shown is None else fmt.value(shown, metric.format, lang),
                status_text(row["status"], row["reason"], lang),
                "" if row["delta"] is None else fmt.delta(row["delta"], metric.format, lang),
            ]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    text = "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
    if results.errors:
        text += f"\n\n{_HEAD['errors'][lang]}:\n" + "\n".join(
            e.problem.render(lang) for e in results.errors
        )
    if results.skipped:
        by_dim: dict[str, list[str]] = {}
        for mid, dim in results.skipped.items():
            by_dim.setdefault(dim, []).append(mid)
        for dim, ids in by_dim.items():
            text += "\n" + _HEAD["skipped"][lang].format(dim=dim, ids=", ".join(ids))
    return text + "\n"


def _compute(args: argparse.Namespace, out: TextIO) -> int:
    try:
        workspace = open_workspace(args.config, generate_demo=True)
    except ConfigError as exc:
        sys.stderr.write(exc.render(_lang(args, None)) + "\n")
        return 1
    config = workspace.config
    lang = _lang(args, config)
    for problem in config.problems:
        sys.stderr.write(problem.render(lang) + "\n")
    known = sorted({d for m in config.metrics.values() for d in m.dimensions})
    for dim in args.by:
        if dim not in known:
            hint = did_you_mean(dim, known)
            text = _HEAD["unknown_dim"][lang].format(dim=dim, known=", ".join(known))
            sys.stderr.write(
                text
                + (f" ({'ý bạn là' if lang == 'vi' else 'did you mean'} '{hint}'?)" if hint else "")
                + "\n"
            )
            return 2
    as_of = args.as_of or workspace.default_as_of()
    request = Request(
        as_of=as_of,
        grain=args.grain,
        periods=args.periods,
        by=tuple(args.by),
        metrics=tuple(args.metric) or None,
    )
    results = compute(config, workspace.catalog, request)
    if args.format == "json":
        payload = _json(results, as_of, args.grain, lang, config.errors)
        json.dump(payload, out, ensure_ascii=False, indent=2, allow_nan=False)
        out.write("\n")
    elif args.format == "csv":
        results.values.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).write_csv(out)
        for error in results.errors:
            sys.stderr.write(error.problem.render(lang) + "\n")
    else:
        out.write(_table(results, config, lang))
    return 1 if results.errors or config.errors else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    out = out or sys.stdout
    if args.command == "validate":
        return _validate(args, out)
    if args.command == "compute":
        return _compute(args, out)
    if args.command in COMMANDS:
        return run(args, out)
    json.dump(metric_file_schema(), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0
