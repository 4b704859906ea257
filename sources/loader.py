"""Reading a configuration folder's files into specs: what both layers' loaders share.

``sources`` may not import ``metrics``, yet ``python -m sources`` reads the same folder as the
metric loader. So the reading lives here: the settings this layer needs (``DataSettings``, which
``metrics.spec.Settings`` extends), lists of objects validated one by one (a broken one costs only
itself; a repeated id is a problem), and ``sources.yaml`` through the kind registry. Reading
never writes: generating the demo data is a separate, explicit step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import ConfigDict, StrictBool

from sources.catalog import Catalog
from sources.kinds import parse_source
from sources.layout import SETTINGS_FILE, SOURCES_FILE, shown_config_path
from sources.paths import root_problem
from sources.problems import ConfigError, Location, Problem, register_messages
from sources.spec import SourceSpec
from sources.specbase import Spec, TimeZoneName, parse_model
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
        "config.duplicate_id": {
            "vi": "mã '{id}' đã được dùng ở {first}",
            "en": "id '{id}' is already used at {first}",
        },
    }
)

S = TypeVar("S", bound=Spec)
Parse = Callable[..., tuple[Any, list[Problem]]]  # (raw, *, file, path, root) -> (spec, problems)


class DataSettings(Spec):
    """The part of ``settings.yaml`` that says where the data is and how to read its times."""

    language: Literal["vi", "en"] = "vi"
    timezone: TimeZoneName = "Asia/Ho_Chi_Minh"
    as_of: Literal["today"] | dt.date = "today"
    data_root: str = "data"  # relative to the config folder
    demo: StrictBool = False  # generate the demo data into data_root when it is missing

    def as_of_date(self) -> dt.date:
        """The as-of date; ``today`` is today in the configured time zone."""
        if isinstance(self.as_of, dt.date):
            return self.as_of
        return dt.datetime.now(ZoneInfo(self.timezone)).date()


class _DataSettingsOnly(DataSettings):
    """``DataSettings`` read from a file that also holds the other layers' settings."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", str_strip_whitespace=True, allow_inf_nan=False
    )


Served = Mapping[str, Path]  # a file (as messages name it) -> the copy to read in its place


def read_yaml(path: Path, problems: list[Problem], served: Served | None = None) -> Any:
    """A YAML file's content, or None with its problems added to ``problems``.

    ``served`` may name another copy to read in the file's place (its last valid version, see
    ``metrics.last_valid``); messages still name the file itself."""
    shown = shown_config_path(path)
    try:
        return load((served or {}).get(shown, path), shown)
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None


def read_settings(folder: Path, model: type[S], problems: list[Problem]) -> S:
    """``settings.yaml`` as ``model``; raise ``ConfigError`` when nothing usable is there.

    Without valid settings nothing can be shown, so that alone is fatal; warnings found on the
    way are added to ``problems``.
    """
    if not folder.is_dir():
        raise ConfigError(
            Problem("config.not_a_folder", {"path": str(folder)}, Location(str(folder)))
        )
    path = folder / SETTINGS_FILE
    if not path.exists():
        raise ConfigError(Problem("config.missing_file", {}, Location(shown_config_path(path))))
    raw = read_yaml(path, problems)
    settings, found = (
        (None, []) if raw is None else parse_model(
            model, raw, file=shown_config_path(path), subject_kind="settings"
        )
    )  # fmt: skip
    problems.extend(found)
    if settings is None:
        raise ConfigError(problems)
    if isinstance(settings, DataSettings):
        where = settings.field_loc("data_root")
        outside = root_problem((folder / settings.data_root).resolve(), where)
        if outside is not None:
            problems.append(outside)
    return settings


def read_list(
    path: Path,
    key: str,
    parse: Parse,
    kind: str,
    problems: list[Problem],
    served: Served | None = None,
) -> dict[str, Any]:
    """The objects listed under ``key`` in one required file, each validated on its own.

    A missing file, a file of the wrong shape, an invalid object and a repeated id each add a
    problem; the valid objects still come back, by id, the first of a repeated id kept.
    """
    if not path.exists():
        problems.append(Problem("config.missing_file", {}, Location(shown_config_path(path))))
        return {}
    data = read_yaml(path, problems, served)
    if data is None:
        return {}
    return read_items(data, key, shown_config_path(path), parse, kind, problems)


def read_items(
    data: Any, key: str, file: str, parse: Parse, kind: str, problems: list[Problem]
) -> dict[str, Any]:
    """``read_list`` for content already read (a metric file's ``metrics:``)."""
    if not isinstance(data, dict) or key not in data:
        problems.append(
            Problem(
                "config.expected_top",
                {"key": key},
                getattr(data, "loc", Location(file)),
            )
        )
        return {}
    found: dict[str, Any] = {}
    items = data[key]
    if items is not None and not isinstance(items, YList):
        problems.append(Problem("config.expected_list", {"key": key}, data.value_locs.get(key)))
        items = None
    for index, raw in enumerate(items or ()):
        obj, item_problems = parse(raw, file=file, path=(key, index), root=data)
        problems.extend(item_problems)
        if obj is None:
            continue
        first = found.get(obj.id)
        if first is None:
            found[obj.id] = obj
            continue
        problems.append(
            Problem(
                "config.duplicate_id",
                {"id": obj.id, "first": str(first.loc)},
                obj.loc,
                "error",
                kind,
                obj.id,
            )
        )
    extra = set(data) - {key}
    if extra and isinstance(data, YMap):
        name = sorted(extra, key=str)[0]
        problems.append(
            Problem(
                "schema.unknown_field",
                {"field": name, "allowed": key},
                data.key_locs.get(name),
            )
        )
    return found


def model_parser(model: type[Spec], kind: str) -> Parse:
    """A ``Parse`` that validates every item as ``model``."""

    def parse(raw: Any, **where: Any) -> tuple[Any, list[Problem]]:
        return parse_model(model, raw, subject_kind=kind, **where)

    return parse


def read_sources(
    folder: Path, problems: list[Problem], served: Served | None = None
) -> dict[str, SourceSpec]:
    """Every valid source of ``sources.yaml``, each validated with its kind's model."""
    return read_list(folder / SOURCES_FILE, "sources", parse_source, "source", problems, served)


@dataclass
class SourceConfig:
    """What this layer reads of a configuration folder, and every problem found on the way."""

    folder: Path
    settings: DataSettings
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def data_root(self) -> Path:
        return (self.folder / self.settings.data_root).resolve()

    def catalog(self) -> Catalog:
        """The sources' catalogue, reading file times and aware datetimes in the city's zone."""
        return Catalog(self.sources, self.data_root, timezone=self.settings.timezone)


def load_sources(folder: Path) -> SourceConfig:
    """The data settings and every valid source of a configuration folder, with the problems."""
    problems: list[Problem] = []
    settings = read_settings(folder, _DataSettingsOnly, problems)
    sources = read_sources(folder, problems)
    return SourceConfig(folder, settings, sources, problems)
