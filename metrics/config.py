"""Load a configuration folder: every file checked on its own, then the whole checked together.

Phase one reads each YAML file strictly and validates each object (a source, a metric, a board)
separately, so one broken metric costs only that metric. Phase two runs the cross-file rules of
``metrics.rules``. Every problem of both phases is collected; nothing stops at the first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metrics.rules import CompiledMetric, check_config
from metrics.spec import Board, Metric, Settings, Theme, Unit
from sources.problems import ConfigError, Location, Problem, register_messages
from sources.spec import SourceSpec
from sources.specbase import LocalText, Spec, parse_model
from sources.yamlload import YList, YMap, load

register_messages(
    {
        "config.missing_file": {
            "vi": "thiếu tệp cấu hình bắt buộc",
            "en": "required configuration file is missing",
        },
        "config.not_a_folder": {
            "vi": "'{path}' không phải thư mục cấu hình",
            "en": "'{path}' is not a configuration folder",
        },
        "config.expected_list": {
            "vi": "'{key}' phải là một danh sách (mỗi mục bắt đầu bằng '- ')",
            "en": "'{key}' must be a list (each item starting with '- ')",
        },
        "config.expected_top": {
            "vi": "tệp phải là một bảng có khóa '{key}'",
            "en": "the file must be a mapping with the key '{key}'",
        },
    }
)

SETTINGS_FILE = "settings.yaml"
UNITS_FILE = "units.yaml"
SOURCES_FILE = "sources.yaml"
METRICS_DIR = "metrics"
BOARDS_DIR = "boards"


def display_path(path: Path) -> str:
    """A path as editors and people want it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True)
class MetricOutline:
    """A metric as written, even when its definition is broken: enough to hold its place.

    The dashboard puts an error card where a broken metric's card would have been, under its
    theme and title, so those are read from the YAML whether or not the rest is valid.
    """

    id: str
    theme: str | None
    title: LocalText | None

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) if self.title else self.id


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


@dataclass
class Config:
    """A loaded configuration: the valid objects, and every problem found on the way.

    Broken objects are left out of the dictionaries but their problems stay in ``problems`` (and,
    for metrics, in ``broken_metrics``), so the rest can still be computed and shown.
    """

    folder: Path
    settings: Settings
    units: dict[str, Unit]
    sources: dict[str, SourceSpec]
    metrics: dict[str, Metric]
    boards: dict[str, Board]
    problems: list[Problem] = field(default_factory=list)
    broken_metrics: dict[str, list[Problem]] = field(default_factory=dict)
    content_hash: str = ""
    compiled: dict[str, CompiledMetric] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # metric files that could not be read
    outline: list[MetricOutline] = field(default_factory=list)  # every metric written, in order

    @property
    def themes(self) -> dict[str, Theme]:
        return {theme.id: theme for theme in self.settings.themes}

    @property
    def data_root(self) -> Path:
        return (self.folder / self.settings.data_root).resolve()

    @property
    def state_dir(self) -> Path:
        return (self.folder / self.settings.state_dir).resolve()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


def _items(
    data: Any, key: str, file: str, model: type[Spec], kind: str, problems: list[Problem]
) -> Iterable[Spec]:
    """Validate each item of the list under ``key`` on its own; yield the valid ones."""
    if not isinstance(data, dict) or key not in data:
        problems.append(
            Problem("config.expected_top", {"key": key}, getattr(data, "loc", Location(file)))
        )
        return
    items = data[key]
    if items is None:
        return
    if not isinstance(items, YList):
        problems.append(Problem("config.expected_list", {"key": key}, data.value_locs.get(key)))
        return
    for index, raw in enumerate(items):
        obj, found = parse_model(
            model, raw, file=file, path=(key, index), root=data, subject_kind=kind
        )
        problems.extend(found)
        if obj is not None:
            yield obj
    extra = set(data) - {key}
    if extra and isinstance(data, YMap):
        name = sorted(extra, key=str)[0]
        problems.append(
            Problem(
                "schema.unknown_field", {"field": name, "allowed": key}, data.key_locs.get(name)
            )
        )


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        return load(path, display_path(path))
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        with contextlib.suppress(OSError):  # a file that vanished has no content to hash
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _broken_metric_id(data: Any, index: int) -> str | None:
    try:
        raw = data["metrics"][index]
    except (KeyError, IndexError, TypeError):
        return None
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def load_config(folder: Path | str) -> Config:
    """Read a configuration folder; raise ``ConfigError`` only when nothing usable is there.

    Without a valid ``settings.yaml`` nothing can be shown, so that alone is fatal; any other
    problem is kept in ``Config.problems`` next to what could be loaded.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(
            Problem("config.not_a_folder", {"path": str(folder)}, Location(str(folder)))
        )
    problems: list[Problem] = []
    settings_path = folder / SETTINGS_FILE
    if not settings_path.exists():
        raise ConfigError(Problem("config.missing_file", {}, Location(display_path(settings_path))))
    raw_settings = _read(settings_path, problems)
    settings, found = (
        (None, [])
        if raw_settings is None
        else parse_model(
            Settings, raw_settings, file=display_path(settings_path), subject_kind="settings"
        )
    )
    problems.extend(found)
    if settings is None:
        raise ConfigError(problems)

    files = [settings_path]
    units: dict[str, Unit] = {}
    sources: dict[str, SourceSpec] = {}
    metrics: dict[str, Metric] = {}
    boards: dict[str, Board] = {}
    broken: dict[str, list[Problem]] = {}
    duplicates: list[tuple[str, Spec, Spec]] = []

    def keep(kind: str, into: dict[str, Any], obj: Any) -> None:
        if obj.id in into:
            duplicates.append((kind, into[obj.id], obj))
        else:
            into[obj.id] = obj

    for name, key, model, kind, into in (
        (UNITS_FILE, "units", Unit, "unit", units),
        (SOURCES_FILE, "sources", SourceSpec, "source", sources),
    ):
        path = folder / name
        files.append(path)
        if not path.exists():
            problems.append(Problem("config.missing_file", {}, Location(display_path(path))))
            continue
        data = _read(path, problems)
        if data is not None:
            for obj in _items(data, key, display_path(path), model, kind, problems):
                keep(kind, into, obj)

    unreadable: list[str] = []
    outline: list[MetricOutline] = []
    for path in sorted((folder / METRICS_DIR).glob("*.yaml")):
        files.append(path)
        data = _read(path, problems)
        if data is None:
            unreadable.append(display_path(path))
            continue
        outline += _outline(data)
        before = len(problems)
        for obj in _items(data, "metrics", display_path(path), Metric, "metric", problems):
            keep("metric", metrics, obj)
        for problem in problems[before:]:
            if problem.subject_kind == "metric" and problem.subject_id:
                broken.setdefault(problem.subject_id, []).append(problem)

    for path in sorted((folder / BOARDS_DIR).glob("*.yaml")):
        files.append(path)
        data = _read(path, problems)
        if data is None:
            continue
        board, found = parse_model(Board, data, file=display_path(path), subject_kind="board")
        problems.extend(found)
        if board is not None:
            keep("board", boards, board)

    config = Config(
        folder=folder.resolve(),
        settings=settings,
        units=units,
        sources=sources,
        metrics=metrics,
        boards=boards,
        problems=problems,
        broken_metrics=broken,
        content_hash=_hash_files(files),
        unreadable=unreadable,
        outline=outline,
    )
    check_config(config, duplicates)
    config.problems.sort(key=lambda p: (p.location or Location(""), p.code))
    return config
