"""``python -m sources``: check every connected source, preview one, generate the demo data.

    python -m sources check   [--config DIR] [--format table|json] [--as-of YYYY-MM-DD]
    python -m sources preview SOURCE [--config DIR] [--rows N]
    python -m sources demo    [--config DIR] [--out DIR] [--scale X] [--seed N]
    python -m sources schema  # JSON Schema of sources.yaml (docs/sources.schema.json)

Every command takes ``--lang vi|en`` (default: the settings' language, else Vietnamese). The
configuration folder is read by ``sources.loader`` (this layer may not import ``metrics``): the
data settings, and ``sources.yaml`` source by source, so one broken definition costs only that
source. ``check`` exits with 1 when a source failed or a definition is invalid; a
department that refuses to share is reported but is not a failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from sources.catalog import SourceError
from sources.health import STATUSES, SourceHealth
from sources.layout import default_config_dir
from sources.loader import SourceConfig, load_sources
from sources.paths import display
from sources.problems import ConfigError, Lang, message, register_messages
from sources.schema import sources_file_schema

register_messages(
    {
        "cli.heading": {
            "vi": "Nguồn dữ liệu, tính đến {day} (thư mục dữ liệu: {root})",
            "en": "Data sources as of {day} (data folder: {root})",
        },
        "cli.columns": {
            "vi": "nguồn|loại|trạng thái|số dòng|mới nhất|trễ (ngày)",
            "en": "source|kind|status|rows|newest|late (days)",
        },
        "cli.summary": {
            "vi": "{total} nguồn: {ok} tốt, {unknown} không rõ ngày cập nhật, {late} trễ hạn, "
            "{stale} quá cũ, {failed} lỗi, "
            "{refused} từ chối chia sẻ (từ chối chia sẻ là một sự thật cần nêu, không phải lỗi "
            "đọc dữ liệu)",
            "en": "{total} sources: {ok} ok, {unknown} of unknown date, {late} late, "
            "{stale} stale, {failed} failed, "
            "{refused} refused (a refusal to share is a fact to report, not a read failure)",
        },
        "cli.preview": {
            "vi": "nguồn '{source}': {shown} dòng đầu (đã kiểm tra theo hợp đồng dữ liệu)",
            "en": "source '{source}': first {shown} rows (checked against the contract)",
        },
        "cli.demo_done": {
            "vi": "đã tạo dữ liệu mẫu trong {out}",
            "en": "demo data written to {out}",
        },
    }
)


def _count(value: int | None, lang: Lang) -> str:
    if value is None:
        return "-"
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def _day(value: dt.date | dt.datetime | None, lang: Lang) -> str:
    if value is None:
        return "-"
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%Y-%m-%d")


def health_table(health: list[SourceHealth], lang: Lang) -> str:
    """The health of every source as an aligned text table."""
    header = message("cli.columns", lang).split("|")
    rows = [
        [
            item.id,
            item.kind,
            message(f"health.{item.status}", lang),
            _count(item.rows, lang),
            _day(item.newest, lang),
            "-" if item.late_by is None else str(item.late_by),
        ]
        for item in health
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


def _check(args: argparse.Namespace, config: SourceConfig, lang: Lang) -> int:
    today = args.as_of or config.settings.as_of_date()
    health = config.catalog().health(today)
    failed = any(item.status == "failed" for item in health)
    config_errors = any(problem.level == "error" for problem in config.problems)
    if args.format == "json":
        document = {
            "as_of": today.isoformat(),
            "sources": [item.as_dict(lang) for item in health],
            "problems": [problem.render(lang) for problem in config.problems],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 1 if failed or config_errors else 0
    root = config.data_root.name or "/"  # its name, never the server's path to it
    print(message("cli.heading", lang, day=_day(today, lang), root=root))
    print()
    print(health_table(health, lang))
    lines = [problem.render(lang) for problem in config.problems]
    lines += [problem.render(lang) for item in health for problem in item.problems]
    if lines:
        print()
        print("\n".join(lines))
    counts = Counter(item.status for item in health)
    print()
    print(message("cli.summary", lang, total=len(health), **{s: counts[s] for s in STATUSES}))
    return 1 if failed or config_errors else 0


def _preview(args: argparse.Namespace, config: SourceConfig, lang: Lang) -> int:
    own = [p for p in config.problems if p.subject_id == args.source]
    try:
        frame = config.catalog().frame(args.source).head(args.rows).collect()
    except SourceError as exc:
        print("\n".join(p.render(lang) for p in [*own, *exc.problems]))
        return 1
    except (
        pl.exceptions.PolarsError,
        OSError,
    ) as exc:  # a file changed since its check
        print("\n".join([*(p.render(lang) for p in own), str(exc).strip()]))
        return 1
    print(message("cli.preview", lang, source=args.source, shown=frame.height))
    with pl.Config(tbl_rows=args.rows, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=240):
        print(frame)
    return 0


def _demo(args: argparse.Namespace, lang: Lang) -> int:
    # The generator is heavy and only this command needs it.
    from sources.demo import generate

    out = args.out or load_sources(args.config).data_root
    counts = generate(out, scale=args.scale, seed=args.seed)
    width = max((len(name) for name in counts), default=0)
    for name, rows in counts.items():
        print(f"{name.ljust(width)}  {_count(rows, lang)}")
    print(message("cli.demo_done", lang, out=display(Path(out))))
    return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=default_config_dir(),
        help="configuration folder (default: config/)",
    )
    common.add_argument("--lang", choices=("vi", "en"), help="language of the output")
    parser = argparse.ArgumentParser(
        prog="python -m sources",
        description="Check the connected sources, preview one, generate the demo data.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", parents=[common], help="health of every source")
    check.add_argument("--format", choices=("table", "json"), default="table")
    check.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="judge freshness as of this day (YYYY-MM-DD)",
    )
    preview = commands.add_parser("preview", parents=[common], help="first rows of one source")
    preview.add_argument("source")
    preview.add_argument("--rows", type=int, default=10)
    demo = commands.add_parser("demo", parents=[common], help="generate the demo data")
    demo.add_argument("--out", type=Path, help="output folder (default: the data folder)")
    demo.add_argument("--scale", type=float, default=1.0)
    demo.add_argument("--seed", type=int, default=57)
    commands.add_parser("schema", help="JSON Schema of sources.yaml, from the kinds")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(sources_file_schema(), ensure_ascii=False, indent=2))
        return 0
    lang: Lang = args.lang or "vi"
    try:
        if args.command == "demo":
            return _demo(args, lang)
        config = load_sources(args.config)
        lang = args.lang or config.settings.language
        if args.command == "check":
            return _check(args, config, lang)
        return _preview(args, config, lang)
    except ConfigError as exc:
        print(exc.render(lang), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
