"""The registry of source kinds, and what every kind shares.

A kind is one small class, registered under the name staff write as ``kind:`` in sources.yaml::

    @register_kind("csv")
    class CsvKind(FileKind):
        spec = CsvSource          # its fields and options (unknown keys rejected)
        def read(...): ...        # its reader
        def checks(self, spec): ...  # what it checks beyond its model

The loader validates a definition with the model of the kind it names (``parse_source``), the
validation asks the kind for its checks (``check_source``), the catalogue asks it for files and a
``pl.LazyFrame``, and the JSON Schema and the docs test list ``KINDS``. So a new kind is one new
module under ``sources/kinds/`` plus its test, and nothing else to keep in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import polars as pl

from sources import paths
from sources.errors import SourceError
from sources.paths import DataFile
from sources.problems import Location, Problem, did_you_mean, register_messages
from sources.spec import SourceSpec
from sources.specbase import parse_model

register_messages(
    {
        "source.unknown_kind": {
            "vi": "loại nguồn '{kind}' không được hỗ trợ (các loại: {known})",
            "en": "unknown kind of source '{kind}' (known kinds: {known})",
        },
        "source.option_kind": {
            "vi": "'{field}' không dùng cho nguồn loại '{kind}' (chỉ cho: {kinds})",
            "en": "'{field}' does not apply to a '{kind}' source (only to: {kinds})",
        },
        "rule.unknown_column": {
            "vi": "cột '{column}' không có trong nguồn '{source}'",
            "en": "unknown column '{column}' in source '{source}'",
        },
        "rule.time_not_date": {
            "vi": "cột thời gian '{column}' phải có kiểu date hoặc datetime (đang là {type})",
            "en": "time column '{column}' must be a date or datetime (it is {type})",
        },
        "file.unreadable": {
            "vi": "không đọc được tệp: {detail}",
            "en": "cannot read the file: {detail}",
        },
    }
)


@dataclass(frozen=True)
class ReadContext:
    """What a connector needs besides the source's definition."""

    data_root: Path  # resolved
    files: tuple[DataFile, ...]  # as ``Kind.files`` found them
    timezone: str  # aware datetimes are converted to this zone's wall-clock time
    where: Location | None = None  # the source's definition, for problems without a data file
    since: dt.date | dt.datetime | None = None
    until: dt.date | dt.datetime | None = None

    def locate(self, rel: str | None, sheet: str | None = None) -> Location | None:
        """Where a problem is: the data file (and sheet) it was found in, else the definition."""
        if rel is None:
            return self.where
        shown = paths.shown_data_path(self.data_root, rel)
        return Location(f"{shown}[{sheet}]" if sheet else shown)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def problem_at(
    code: str,
    spec: SourceSpec,
    field: str | None,
    level: str = "error",
    **params: object,
) -> Problem:
    """A problem in a source's definition, at the given field (or the source itself)."""
    suggestion = params.pop("suggestion", None)
    return Problem(
        code,
        params,
        spec.field_loc(field) if field else spec.loc,
        level,  # type: ignore[arg-type]
        "source",
        spec.id,
        suggestion,  # type: ignore[arg-type]
    )


class Kind:
    """A kind of source. Subclasses set the class attributes and implement ``scan``."""

    name: ClassVar[str] = ""
    spec: ClassVar[type[SourceSpec]] = SourceSpec  # the definition's model for this kind
    materialize: ClassVar[bool] = True  # keep the checked rows in memory, vs. scan per query
    watch_files: ClassVar[bool] = True  # reads its files itself: a change mid-read matters

    def files(self, spec: SourceSpec, root: Path) -> list[DataFile]:
        """The files whose times and sizes tell whether the source may have changed."""
        return []

    def time_column(self, spec: SourceSpec) -> str | None:
        """The column a period filter is pushed down on, when ``pushdown`` allows it."""
        return None

    def pushdown(self, spec: SourceSpec) -> bool:
        """Whether ``since``/``until`` change what ``scan`` returns (a filtered query)."""
        return False

    def extra_columns(self, spec: SourceSpec) -> tuple[str, ...]:
        """Bookkeeping columns kept beside the contract's (``_file``, ``_sheet``)."""
        return ()

    def checks(self, spec: SourceSpec) -> Iterator[Problem]:
        """What this kind checks in a definition beyond its model (which names must exist)."""
        return iter(())

    def scan(self, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        raise NotImplementedError

    def stored_as_declared(self, spec: SourceSpec, ctx: ReadContext) -> frozenset[str]:
        """Contract columns every file already stores in the declared type (no conversion)."""
        return frozenset()

    def explain(self, spec: SourceSpec, ctx: ReadContext, exc: Exception) -> SourceError:
        """Turn a reader's failure while the rows were read into a located problem."""
        return SourceError.one(spec.id, "file.unreadable", ctx.where, detail=first_line(exc))


KINDS: dict[str, Kind] = {}

KindT = TypeVar("KindT", bound=Kind)


def register_kind(name: str) -> Callable[[type[KindT]], type[KindT]]:
    """Register a ``Kind`` subclass under ``name`` (the ``kind:`` of sources.yaml)."""

    def register(cls: type[KindT]) -> type[KindT]:
        cls.name = name
        KINDS[name] = cls()
        return cls

    return register


def _unknown_kind(source_id: str, kind: str, where: Location | None) -> SourceError:
    return SourceError.one(
        source_id,
        "source.unknown_kind",
        where,
        kind=kind,
        known=", ".join(sorted(KINDS)),
        suggestion=did_you_mean(kind, KINDS),
    )


def kind_for(spec: SourceSpec) -> Kind:
    kind = KINDS.get(spec.kind)
    if kind is None:
        raise _unknown_kind(spec.id, spec.kind, spec.field_loc("kind"))
    return kind


def _fields(model: type[SourceSpec]) -> set[str]:
    """A kind's own field names, top level and under ``options``."""
    options = model.model_fields["options"].annotation
    return set(model.model_fields) | set(getattr(options, "model_fields", {}))


def parse_source(
    raw: Any,
    *,
    file: str,
    path: tuple[Any, ...] = (),
    root: Any = None,
) -> tuple[SourceSpec | None, list[Problem]]:
    """Validate one definition with its kind's model; every problem found in it, in one list.

    A field that belongs to other kinds (``delimiter`` on a Parquet source) is named as such,
    with the kinds it applies to, rather than as an unknown word.
    """
    kind_name = raw.get("kind") if isinstance(raw, Mapping) else None
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None and isinstance(kind_name, str):
        source_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        where = getattr(raw, "value_locs", {}).get("kind") or Location(file)
        return None, list(_unknown_kind(source_id or "?", kind_name, where).problems)
    model = kind.spec if kind is not None else SourceSpec
    spec, problems = parse_model(model, raw, file=file, path=path, root=root, subject_kind="source")
    own = _fields(model)
    for index, problem in enumerate(problems):
        name = problem.params.get("field")
        if problem.code != "schema.unknown_field" or name in own:
            continue
        kinds = sorted(n for n, k in KINDS.items() if name in _fields(k.spec))
        if kinds:
            problems[index] = Problem(
                "source.option_kind",
                {"field": name, "kind": kind_name, "kinds": ", ".join(kinds)},
                problem.location,
                "error",
                "source",
                problem.subject_id,
            )
    return spec, problems


def check_source(spec: SourceSpec) -> Iterator[Problem]:
    """The columns a definition names must be in its contract; then its kind's own checks."""
    named = [("freshness", spec.freshness.column)]
    named += [("unit_columns", c) for c in spec.unit_columns]
    for field, column in named:
        if column and column not in spec.columns:
            yield problem_at(
                "rule.unknown_column", spec, field, column=column, source=spec.id,
                suggestion=did_you_mean(column, spec.columns),
            )  # fmt: skip
    for column in spec.unit_kinds:
        if column not in spec.unit_columns:
            yield problem_at(
                "source.unit_kinds_column", spec, "unit_kinds", column=column,
                columns=", ".join(spec.unit_columns) or "-",
                suggestion=did_you_mean(column, spec.unit_columns),
            )  # fmt: skip
    yield from check_time_column(spec, "freshness", spec.freshness.column)
    kind = KINDS.get(spec.kind)
    if kind is not None:
        yield from kind.checks(spec)


def check_time_column(spec: SourceSpec, field: str, column: str | None) -> Iterator[Problem]:
    """A column used as time must be declared ``date`` or ``datetime``."""
    declared = spec.columns.get(column or "")
    if declared and declared.type not in ("date", "datetime"):
        yield problem_at("rule.time_not_date", spec, field, column=column, type=declared.type)
