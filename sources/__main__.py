"""``python -m sources``: check every connected source, preview one, generate the demo data.

    python -m sources check   [--config DIR] [--format table|json] [--as-of YYYY-MM-DD]
    python -m sources preview SOURCE [--config DIR] [--rows N]
    python -m sources demo    [--config DIR] [--out DIR] [--scale X] [--seed N]

Every command takes ``--lang vi|en`` (default: the settings' language, else Vietnamese). The
configuration folder is read through ``sources`` alone (this layer may not import ``metrics``):
the few settings it needs, and ``sources.yaml`` source by source, so one broken definition costs
only that source. ``check`` exits with 1 when a source failed or a definition is invalid; a
department that refuses to share is reported but is not a failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import polars as pl
from pydantic import ConfigDict

from sources.catalog import Catalog, SourceError
from sources.health import STATUSES, SourceHealth
from sources.paths import display
from sources.problems import (
    ConfigError,
    Lang,
    Location,
    Problem,
    message,
    register_messages,
)
from sources.spec import SourceSpec
from sources.specbase import Spec, TimeZoneName, parse_model
from sources.yamlload import YList, load

register_messages(
    {
        "cli.duplicate_source": {
            "vi": "nguồn '{source}' được khai báo hai lần (lần đầu ở dòng {line})",
            "en": "source '{source}' is defined twice (first at line {line})",
        },
        "cli.heading": {
            "vi": "Nguồn dữ liệu, tính đến {day} (thư mục dữ liệu: {root})",
            "en": "Data sources as of {day} (data folder: {root})",
        },
        "cli.columns": {
            "vi": "nguồn|loại|trạng thái|số dòng|mới nhất|trễ (ngày)",
            "en": "source|kind|status|rows|newest|late (days)",
        },
        "cli.summary": {
            "vi": "{total} nguồn: {ok} tốt, {late} trễ hạn, {stale} quá cũ, {failed} lỗi, "
            "{refused} từ chối chia sẻ (từ chối chia sẻ là một sự thật cần nêu, không phải lỗi "
            "đọc dữ liệu)",
            "en": "{total} sources: {ok} ok, {late} late, {stale} stale, {failed} failed, "
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

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"
SETTINGS_FILE = "settings.yaml"
SOURCES_FILE = "sources.yaml"


class SourceSettings(Spec):
    """The part of ``settings.yaml`` this layer needs; the rest belongs to ``metrics``."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    language: Literal["vi", "en"] = "vi"
    timezone: TimeZoneName = "Asia/Ho_Chi_Minh"
    as_of: Literal["today"] | dt.date = "today"
    data_root: str = "data"  # relative to the configuration folder


class _SourcesFile(Spec):
    """The top of ``sources.yaml``; each item is validated on its own afterwards."""

    sources: list[Any] | None = None


@dataclass
class SourceConfig:
    """What the CLI read from a configuration folder, and every problem found on the way."""

    folder: Path
    settings: SourceSettings
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def data_root(self) -> Path:
        return (self.folder / self.settings.data_root).resolve()

    def today(self) -> dt.date:
        if isinstance(self.settings.as_of, dt.date):
            return self.settings.as_of
        return dt.datetime.now(ZoneInfo(self.settings.timezone)).date()

    def catalog(self) -> Catalog:
        """The sources' catalogue, reading file times and aware datetimes in the city's zone."""
        return Catalog(self.sources, self.data_root, timezone=self.settings.timezone)


def load_settings(folder: Path) -> SourceSettings:
    """Read ``settings.yaml``; raise ``ConfigError`` when it is unreadable or invalid."""
    path = folder / SETTINGS_FILE
    shown = display(path)
    settings, problems = parse_model(
        SourceSettings, load(path, shown), file=shown, subject_kind="settings"
    )
    if settings is None:
        raise ConfigError(problems)
    return settings


def load_sources(folder: Path) -> SourceConfig:
    """Read the settings and every valid source of ``sources.yaml``, keeping the problems."""
    config = SourceConfig(folder, load_settings(folder))
    path = folder / SOURCES_FILE
    shown = display(path)
    try:
        data = load(path, shown)
    except ConfigError as exc:
        config.problems.extend(exc.problems)
        return config
    top, problems = parse_model(_SourcesFile, data, file=shown)
    config.problems.extend(problems)
    items = data["sources"] if top is not None and isinstance(data.get("sources"), YList) else []
    for index, raw in enumerate(items):
        spec, found = parse_model(
            SourceSpec,
            raw,
            file=shown,
            path=("sources", index),
            root=data,
            subject_kind="source",
        )
        config.problems.extend(found)
        if spec is None:
            continue
        first = config.sources.get(spec.id)
        if first is not None:
            line = first.loc.line if first.loc else 0
            config.problems.append(
                Problem(
                    "cli.duplicate_source",
                    {"source": spec.id, "line": line},
                    spec.loc or Location(shown),
                )
            )
            continue
        config.sources[spec.id] = spec
    return config


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
    today = args.as_of or config.today()
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
    print(message("cli.heading", lang, day=_day(today, lang), root=display(config.data_root)))
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
    except (pl.exceptions.PolarsError, OSError) as exc:  # a file changed since its check
        print("\n".join([*(p.render(lang) for p in own), str(exc).strip()]))
        return 1
    print(message("cli.preview", lang, source=args.source, shown=frame.height))
    with pl.Config(tbl_rows=args.rows, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=240):
        print(frame)
    return 0


def _demo(args: argparse.Namespace, lang: Lang) -> int:
    # The generator is heavy and only this command needs it.
    from sources.demo import generate

    out = args.out or (args.config / load_settings(args.config).data_root).resolve()
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
        default=REPO_CONFIG,
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
