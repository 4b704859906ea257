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
import re
from pathlib import Path
from typing import Any

from metrics.compile import compile_metrics
from metrics.config import BrokenFile, Config, MetricOutline
from metrics.rules import validate
from metrics.spec import Board, Metric, Settings, Unit
from sources.layout import (
    SETTINGS_FILE,
    UNITS_FILE,
    board_files,
    definition_files,
    metric_files,
    shown_config_path,
)
from sources.loader import (
    Served,
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


_ID_LINE = re.compile(r"^\s*-\s+id:\s*['\"]?([A-Za-z_]\w*)")
_THEME_LINE = re.compile(r"^\s+theme:\s*['\"]?([A-Za-z_][\w-]*)")
_TITLE_LINE = re.compile(r"^\s+title:\s*\{\s*vi:\s*([^,{}]+?)\s*(?:,\s*en:\s*([^,{}]+?)\s*)?\}\s*$")


def _guessed_outline(path: Path, problem: Problem) -> tuple[list[MetricOutline], list[Problem]]:
    """The metrics a file that cannot be parsed seems to define, read line by line (``- id:``
    and the ``theme:`` and one-line ``title:`` after it), each with the file's own error: a guess, but one that puts an
    error card in each metric's theme instead of letting the metrics vanish."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return [], []
    outline: list[MetricOutline] = []
    for line in lines:
        if match := _ID_LINE.match(line):
            outline.append(MetricOutline(match.group(1), None, None, guessed=True))
        elif outline and (match := _THEME_LINE.match(line)) and outline[-1].theme is None:
            outline[-1] = dataclasses.replace(outline[-1], theme=match.group(1))
        elif outline and (match := _TITLE_LINE.match(line)) and outline[-1].title is None:
            title = LocalText(vi=match.group(1), en=match.group(2))
            outline[-1] = dataclasses.replace(outline[-1], title=title)
    return outline, [
        dataclasses.replace(problem, subject_kind="metric", subject_id=o.id) for o in outline
    ]


def _broken_files(problems: list[Problem], files: list[Path]) -> list[BrokenFile]:
    """The definition files with errors, in the folder's order, each with its errors."""
    shown = [shown_config_path(path) for path in files]
    errors: dict[str, list[Problem]] = {name: [] for name in shown}
    for problem in problems:
        if problem.level == "error" and problem.location and problem.location.file in errors:
            errors[problem.location.file].append(problem)
    return [BrokenFile(name, tuple(found)) for name, found in errors.items() if found]


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


def load_config(folder: Path | str, served: Served | None = None) -> Config:
    """Read a configuration folder; raise ``ConfigError`` only when nothing usable is there.

    Without a valid ``settings.yaml`` nothing can be shown, so that alone is fatal; any other
    problem is kept in ``Config.problems`` next to what could be loaded. ``served`` names, for
    some definition files, another copy to read in their place (``metrics.last_valid``).
    """
    folder = Path(folder)
    served = served or {}
    problems: list[Problem] = []
    settings = read_settings(folder, Settings, problems)
    units = read_list(
        folder / UNITS_FILE, "units", model_parser(Unit, "unit"), "unit", problems, served
    )
    sources = read_sources(folder, problems, served)

    metrics: dict[str, Metric] = {}
    unreadable: list[str] = []
    outline: list[MetricOutline] = []
    guessed: list[Problem] = []  # the metrics of unreadable files, each with its file's error
    parse_metric = model_parser(Metric, "metric")
    for path in metric_files(folder):
        data = read_yaml(path, problems, served)
        if data is None:
            unreadable.append(shown_config_path(path))
            seen, guessed_problems = _guessed_outline(
                served.get(shown_config_path(path), path), problems[-1]
            )
            outline += seen
            guessed += guessed_problems
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

    # a guess never hides a metric that a readable file defines
    guessed = [p for p in guessed if p.subject_id not in metrics]
    outline = [o for o in outline if not (o.guessed and o.id in metrics)]

    boards: dict[str, Board] = {}
    for path in board_files(folder):
        data = read_yaml(path, problems, served)
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
                *(served.get(shown_config_path(p), p) for p in definition_files(folder)),
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
    broken = _broken([*problems, *found, *not_compiled, *guessed])
    return dataclasses.replace(
        parsed,
        metrics={mid: m for mid, m in metrics.items() if mid not in broken},
        problems=everything,
        broken_metrics=broken,
        compiled=compiled,
        broken_files=_broken_files(everything, definition_files(folder)),
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
