"""Loading a configuration folder: every file checked on its own, then the whole checked together.

Three steps, each in its own module: reading each YAML file strictly and validating each object
(a source, a metric, a board) on its own, so one broken metric costs only that metric (here,
with ``sources.loader``); the cross-file rules (``metrics.rules``, pure); compiling the formulas
(``metrics.compile``). A metric with an error in any step is left out of ``Config.metrics`` and
kept, with its problems, in ``Config.broken_metrics``. Every problem is collected; nothing stops
at the first, and reading never writes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from metrics.compile import compile_metrics
from metrics.config import Config, MetricOutline
from metrics.rules import validate
from metrics.spec import Board, Metric, Settings, Unit
from sources.layout import (
    SETTINGS_FILE,
    SOURCES_FILE,
    UNITS_FILE,
    board_files,
    metric_files,
    shown_config_path,
)
from sources.loader import (
    model_parser,
    read_items,
    read_list,
    read_settings,
    read_sources,
    read_yaml,
)
from sources.problems import Location, Problem
from sources.specbase import LocalText, parse_model


def _outline(data: Any) -> list[MetricOutline]:
    items = data.get("metrics") if isinstance(data, dict) else None
    outline = []
    for raw in items if isinstance(items, list) else ():
        if not (isinstance(raw, dict) and isinstance(raw.get("id"), str)):
            continue
        title, _ = (
            parse_model(LocalText, raw.get("title"), file="") if raw.get("title") else (None, [])
        )
        theme = raw.get("theme")
        outline.append(MetricOutline(raw["id"], theme if isinstance(theme, str) else None, title))
    return outline


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        with contextlib.suppress(OSError):  # a file that vanished has no content to hash
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _broken(problems: list[Problem]) -> dict[str, list[Problem]]:
    """The metrics these problems make unusable (their errors), each with its problems.

    A repeated id is the exception: the later definition is ignored and the first one stands.
    """
    broken: dict[str, list[Problem]] = {}
    for problem in problems:
        if (
            problem.level == "error"
            and problem.subject_kind == "metric"
            and problem.subject_id
            and problem.code != "config.duplicate_id"
        ):
            broken.setdefault(problem.subject_id, []).append(problem)
    return broken


def load_config(folder: Path | str) -> Config:
    """Read a configuration folder; raise ``ConfigError`` only when nothing usable is there.

    Without a valid ``settings.yaml`` nothing can be shown, so that alone is fatal; any other
    problem is kept in ``Config.problems`` next to what could be loaded.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    settings = read_settings(folder, Settings, problems)
    units = read_list(folder / UNITS_FILE, "units", model_parser(Unit, "unit"), "unit", problems)
    sources = read_sources(folder, problems)

    metrics: dict[str, Metric] = {}
    unreadable: list[str] = []
    outline: list[MetricOutline] = []
    parse_metric = model_parser(Metric, "metric")
    for path in metric_files(folder):
        data = read_yaml(path, problems)
        if data is None:
            unreadable.append(shown_config_path(path))
            continue
        outline += _outline(data)
        found = read_items(
            data, "metrics", shown_config_path(path), parse_metric, "metric", problems
        )
        for metric_id, metric in found.items():
            if metric_id in metrics:  # the same id in two files
                problems.append(_duplicate(metrics[metric_id], metric))
            else:
                metrics[metric_id] = metric

    boards: dict[str, Board] = {}
    for path in board_files(folder):
        data = read_yaml(path, problems)
        if data is None:
            continue
        board, found_problems = parse_model(
            Board, data, file=shown_config_path(path), subject_kind="board"
        )
        problems.extend(found_problems)
        if board is not None:
            if board.id in boards:
                problems.append(_duplicate(boards[board.id], board, "board"))
            else:
                boards[board.id] = board

    parsed = Config(
        folder=folder.resolve(),
        settings=settings,
        units=units,
        sources=sources,
        metrics=metrics,
        boards=boards,
        problems=problems,
        broken_metrics=_broken(problems),
        broken_sources={
            p.subject_id
            for p in problems
            if p.subject_kind == "source" and p.level == "error" and p.subject_id
        }
        - set(sources),
        unreadable=unreadable,
        content_hash=_hash_files(
            [
                folder / SETTINGS_FILE,
                folder / UNITS_FILE,
                folder / SOURCES_FILE,
                *metric_files(folder),
                *board_files(folder),
            ]
        ),
        outline=outline,
    )
    found = validate(parsed)
    valid = {mid: m for mid, m in metrics.items() if mid not in _broken(found)}
    written = set(metrics) | set(parsed.broken_metrics)
    compiled, not_compiled = compile_metrics(valid, sources, written)
    everything = sorted(
        [*problems, *found, *not_compiled], key=lambda p: (p.location or Location(""), p.code)
    )
    broken = _broken([*problems, *found, *not_compiled])
    return dataclasses.replace(
        parsed,
        metrics={mid: m for mid, m in metrics.items() if mid not in broken},
        problems=everything,
        broken_metrics=broken,
        compiled=compiled,
    )


def _duplicate(first: Any, second: Any, kind: str = "metric") -> Problem:
    return Problem(
        "config.duplicate_id",
        {"id": second.id, "first": str(first.loc)},
        second.loc,
        "error",
        kind,
        second.id,
    )
