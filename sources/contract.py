"""The column contract: what a source promises, checked on every read, never coerced silently.

A reader hands over each piece of a source (a file, a sheet, a query result) as it came: text for
CSV and Excel (read with every column as text), typed columns for Parquet, JSON and SQL. ``conform``
turns a piece into the contract's types lazily, keeping beside each column a ``_bad.<column>``
text column that holds every value that did not convert. ``summary`` then computes, in one pass,
the row count, the newest timestamp and, per column, how many values are bad or empty with the
first one's row, file and text; ``findings`` turns that into problems. So an ``n/a`` in a numeric
column is an error that names the column, the row, the file and the value, never a quiet null.

Text rules: surrounding spaces are ignored and an empty cell is null (not an error) for every
type; numbers are plain (``1234``, ``-5``, ``12.5``; no thousands separators, no ``NaN``/``inf``);
booleans are ``true/false``, ``yes/no``, ``1/0``, ``có/không`` in any case; dates use
``options.date_format`` (default ``%Y-%m-%d``), datetimes ``options.datetime_format`` (default: ISO
forms, with ``T`` or a space, optional fractional seconds, or a bare date at midnight).
Typed rules: any integer width reads as ``int``; a float or decimal reads as ``int`` only when
whole; integers 0/1 read as ``bool`` (SQLite and MySQL store booleans so); a datetime reads as
``date`` only at midnight; time-zone-aware datetimes are converted to the catalogue's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from sources.errors import SourceError
from sources.problems import Location, Problem, did_you_mean, register_messages
from sources.spec import SourceSpec

register_messages(
    {
        "contract.missing_column": {
            "vi": "thiếu cột '{column}' (các cột có: {found})",
            "en": "column '{column}' is missing (columns found: {found})",
        },
        "contract.wrong_type": {
            "vi": "cột '{column}': dữ liệu kiểu {found} không đọc được thành {type}",
            "en": "column '{column}': holds {found} values, which cannot be read as {type}",
        },
        "contract.bad_int": {
            "vi": "cột '{column}': giá trị '{value}' (dòng {row}) không phải là số nguyên (int)",
            "en": "column '{column}': value '{value}' (row {row}) is not a number (int)",
        },
        "contract.bad_float": {
            "vi": "cột '{column}': giá trị '{value}' (dòng {row}) không phải là số (float)",
            "en": "column '{column}': value '{value}' (row {row}) is not a number (float)",
        },
        "contract.bad_bool": {
            "vi": "cột '{column}': giá trị '{value}' (dòng {row}) không phải giá trị đúng/sai "
            "(bool: true/false, có/không, 1/0)",
            "en": "column '{column}': value '{value}' (row {row}) is not true or false "
            "(bool: true/false, yes/no, 1/0)",
        },
        "contract.bad_date": {
            "vi": "cột '{column}': giá trị '{value}' (dòng {row}) không phải ngày theo định dạng "
            "{format} (date)",
            "en": "column '{column}': value '{value}' (row {row}) is not a date in the format "
            "{format} (date)",
        },
        "contract.bad_datetime": {
            "vi": "cột '{column}': giá trị '{value}' (dòng {row}) không phải ngày giờ theo định "
            "dạng {format} (datetime)",
            "en": "column '{column}': value '{value}' (row {row}) is not a date and time in the "
            "format {format} (datetime)",
        },
        "contract.null": {
            "vi": "cột '{column}': ô trống (dòng {row}) trong cột bắt buộc có giá trị ({count} ô "
            "trống; khai báo '{type}?' nếu được phép trống)",
            "en": "column '{column}': empty value (row {row}) in a column that may not be empty "
            "({count} empty; declare '{type}?' to allow it)",
        },
        "contract.freshness_column": {
            "vi": "cột độ mới '{column}' phải là một cột date hoặc datetime của hợp đồng dữ liệu",
            "en": "freshness column '{column}' must be a date or datetime column of the contract",
        },
    }
)

ROW, FILE, SHEET = "_row", "_file", "_sheet"
BAD = "_bad."  # prefix of the column holding a contract column's unconvertible values
BOOKKEEPING = (ROW, FILE, SHEET)

DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
}
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
DATETIME_SHOWN = "%Y-%m-%d %H:%M:%S"  # the default named in messages
BOOL_WORDS = {
    **dict.fromkeys(("true", "yes", "y", "1", "có", "co", "đúng"), True),
    **dict.fromkeys(("false", "no", "n", "0", "không", "khong", "sai"), False),
}
MAX_SHOWN = 80  # longest offending value quoted in a message


class _WrongType(Exception):
    """A typed column whose type cannot carry the contract's type (a bool read as a date)."""


def _naive(column: pl.Expr, dtype: pl.DataType, timezone: str) -> pl.Expr:
    """A datetime as wall-clock time in the catalogue's zone (aware values are converted)."""
    if isinstance(dtype, pl.Datetime) and dtype.time_zone:
        return column.dt.convert_time_zone(timezone).dt.replace_time_zone(None)
    return column


def _midnight_date(stamp: pl.Expr) -> pl.Expr:
    return pl.when(stamp.dt.time() == dt.time(0)).then(stamp.dt.date())


def _from_text(column: pl.Expr, target: str, spec: SourceSpec, cell_format: str | None) -> pl.Expr:
    """Parse text into ``target``; null where the text is empty or does not parse."""
    text = column.str.strip_chars()
    if target == "str":
        return pl.when(column.str.len_bytes() > 0).then(column)
    if target == "int":
        return text.cast(pl.Int64, strict=False)
    if target == "float":
        number = text.cast(pl.Float64, strict=False)
        return pl.when(number.is_finite()).then(number)
    if target == "bool":
        return text.str.to_lowercase().replace_strict(
            BOOL_WORDS, default=None, return_dtype=pl.Boolean
        )
    if target == "date":
        parsed = text.str.strptime(pl.Date, spec.options.date_format or DATE_FORMAT, strict=False)
        if cell_format:
            stamp = text.str.strptime(pl.Datetime("us"), cell_format, strict=False)
            parsed = pl.coalesce(parsed, _midnight_date(stamp))
        return parsed
    formats = (spec.options.datetime_format,) if spec.options.datetime_format else DATETIME_FORMATS
    if cell_format:
        formats = (*formats, cell_format)
    return pl.coalesce([text.str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in formats])


def _from_typed(column: pl.Expr, dtype: pl.DataType, target: str, timezone: str) -> pl.Expr:
    """Convert a typed column into ``target``; null where a value does not fit; else raise."""
    numeric = dtype.is_integer() or dtype.is_float() or dtype.is_decimal()
    if target == "str" and (dtype.is_integer() or isinstance(dtype, (pl.Categorical, pl.Enum))):
        return column.cast(pl.String)
    if target == "int" and dtype.is_integer():
        return column.cast(pl.Int64, strict=False)
    if target == "int" and numeric:
        number = column.cast(pl.Float64)
        whole = number.is_finite() & (number == number.floor())
        return pl.when(whole).then(column.cast(pl.Int64, strict=False))
    if target == "float" and numeric:
        number = column.cast(pl.Float64)
        return pl.when(number.is_finite()).then(number)
    if target == "bool" and dtype == pl.Boolean:
        return column
    if target == "bool" and dtype.is_integer():
        return pl.when(column == 1).then(True).when(column == 0).then(False)
    if target == "date" and dtype == pl.Date:
        return column
    if target == "date" and isinstance(dtype, pl.Datetime):
        return _midnight_date(_naive(column, dtype, timezone))
    if target == "datetime" and isinstance(dtype, pl.Datetime):
        return _naive(column, dtype, timezone).cast(pl.Datetime("us"))
    if target == "datetime" and dtype == pl.Date:
        return column.cast(pl.Datetime("us"))
    raise _WrongType


def _convert(
    name: str,
    dtype: pl.DataType,
    target: str,
    spec: SourceSpec,
    timezone: str,
    cell_format: str | None,
) -> tuple[pl.Expr, pl.Expr]:
    """The typed column and its bad-value column (the original text of what did not convert)."""
    column = pl.col(name)
    if dtype == pl.Null:  # every value empty (an all-null JSON/SQL column, an empty result)
        return pl.lit(None, DTYPES[target]).alias(name), pl.lit(None, pl.String).alias(BAD + name)
    if dtype == pl.String:
        typed = _from_text(column, target, spec, cell_format)
        present = column.str.strip_chars().str.len_bytes() > 0
        bad = pl.when(present & typed.is_null()).then(column)
    else:
        typed = _from_typed(column, dtype, target, timezone)
        bad = pl.when(column.is_not_null() & typed.is_null()).then(column.cast(pl.String))
    return typed.cast(DTYPES[target]).alias(name), bad.alias(BAD + name)


def conform(
    raw: pl.LazyFrame,
    spec: SourceSpec,
    where: Location | None,
    *,
    timezone: str,
    cell_format: str | None = None,
) -> pl.LazyFrame:
    """One piece of a source in the contract's types, with a bad-value column per column.

    ``raw`` must carry ``_row`` (the row number as its file counts rows) and may carry ``_file``
    and ``_sheet``. ``cell_format`` is how the reader renders typed date cells as text (Excel),
    accepted beside the source's own format. Raises ``SourceError`` for missing columns and
    columns whose type cannot hold the contract's; reading only the schema, never the rows.
    """
    schema = raw.collect_schema()
    found = [name for name in schema.names() if name not in BOOKKEEPING]
    problems: list[Problem] = []
    exprs: list[pl.Expr] = []
    for name, column in spec.columns.items():
        if name not in schema:
            problems.append(
                Problem(
                    "contract.missing_column",
                    {"column": name, "found": ", ".join(found) or "-"},
                    where,
                    subject_kind="source",
                    subject_id=spec.id,
                    suggestion=did_you_mean(name, found),
                )
            )
            continue
        try:
            exprs.extend(_convert(name, schema[name], column.type, spec, timezone, cell_format))
        except _WrongType:
            problems.append(
                Problem(
                    "contract.wrong_type",
                    {"column": name, "found": str(schema[name]), "type": column.type},
                    where,
                    subject_kind="source",
                    subject_id=spec.id,
                )
            )
    if problems:
        raise SourceError(problems)
    keep = [name for name in BOOKKEEPING if name in schema]
    return raw.select(*keep, *exprs)


def _freshness_column(spec: SourceSpec) -> str | None:
    name = spec.freshness.column
    if name is None:
        return None
    column = spec.columns.get(name)
    if column is None or column.type not in ("date", "datetime"):
        raise SourceError.one(
            spec.id,
            "contract.freshness_column",
            spec.freshness.field_loc("column"),
            column=name,
        )
    return name


def guarded(
    checked: pl.LazyFrame,
    spec: SourceSpec,
    extra: tuple[str, ...] = (),
    stored_as_declared: frozenset[str] = frozenset(),
) -> pl.LazyFrame:
    """The contract's columns (and ``extra``) of a checked scan, failing loudly on a bad value.

    A source that is not kept in memory (Parquet) is checked once per fingerprint, then scanned
    again by every query. Should a file be replaced between the check and a scan while keeping
    its size and modification time (coarse file-system clocks), the conversions of ``conform``
    would quietly turn its bad values into nulls. So each column carries a guard: a strict cast
    to a number of a text that can never be one, computed only where a value did not convert (or
    is empty in a required column). A clean row costs a null; a bad one makes the query fail at
    collect time with an error naming the source, the column and the value, never a silent null.

    Columns ``stored_as_declared`` (a Parquet int64 read as ``int``) are not converted, so no value
    of theirs can turn into a null; they pass unguarded, which keeps scans of millions of rows
    fast (a guard costs about twice the scan itself).
    """
    exprs: list[pl.Expr] = []
    for name, column in spec.columns.items():
        if name in stored_as_declared:
            exprs.append(pl.col(name))
            continue
        bad = pl.col(BAD + name)
        broken = bad.is_not_null()
        if not column.nullable:
            broken = broken | pl.col(name).is_null()
        marker = f"source '{spec.id}', column '{name}': value broke the contract after its check: "
        shown = pl.when(broken).then(pl.coalesce(bad, pl.lit("(empty)")))
        guard = (pl.lit(marker) + shown).cast(pl.Int64, strict=True)
        exprs.append(pl.when(guard.is_null()).then(pl.col(name)).alias(name))
    return checked.select(*exprs, *extra)


def summary(checked: pl.LazyFrame, spec: SourceSpec) -> pl.LazyFrame:
    """One row: the row count, the newest timestamp and, per column, its first bad/empty value."""
    names = checked.collect_schema().names()
    where = [name for name in (FILE, SHEET) if name in names]

    def first(mask: pl.Expr, key: str) -> list[pl.Expr]:
        """How many rows match, and where the first one is (its file, sheet and row)."""
        return [
            mask.sum().alias(f"{key}.count"),
            *(pl.col(name).filter(mask).first().alias(f"{key}.{name}") for name in (ROW, *where)),
        ]

    exprs = [pl.len().alias("rows")]
    for index, (name, column) in enumerate(spec.columns.items()):
        bad = pl.col(BAD + name)
        exprs += first(bad.is_not_null(), f"bad{index}")
        exprs.append(bad.drop_nulls().first().alias(f"bad{index}.value"))
        if not column.nullable:
            exprs += first(pl.col(name).is_null() & bad.is_null(), f"null{index}")
    freshness = _freshness_column(spec)
    if freshness:
        exprs.append(pl.col(freshness).max().alias("newest"))
    return checked.select(exprs)


@dataclass(frozen=True)
class Report:
    """What one read of a source found: its size, its newest timestamp, what broke the contract."""

    rows: int
    newest: dt.date | dt.datetime | None
    problems: tuple[Problem, ...]


def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def findings(
    row: dict[str, Any],
    spec: SourceSpec,
    locate: Callable[[str | None, str | None], Location | None],
) -> Report:
    """Read the ``summary`` row; ``locate(file, sheet)`` places a problem in its file."""
    problems = []
    formats = {
        "date": spec.options.date_format or DATE_FORMAT,
        "datetime": spec.options.datetime_format or DATETIME_SHOWN,
    }
    for index, (name, column) in enumerate(spec.columns.items()):
        checks = (
            (f"bad{index}", f"contract.bad_{column.type}"),
            (f"null{index}", "contract.null"),
        )
        for key, code in checks:
            if not row.get(f"{key}.count"):
                continue
            params = {
                "column": name,
                "row": row[f"{key}.{ROW}"],
                "value": _shown(str(row.get(f"{key}.value"))),
                "count": row[f"{key}.count"],
                "type": column.type,
                "format": formats.get(column.type, ""),
            }
            location = locate(row.get(f"{key}.{FILE}"), row.get(f"{key}.{SHEET}"))
            problems.append(
                Problem(code, params, location, subject_kind="source", subject_id=spec.id)
            )
    newest = row.get("newest")
    return Report(
        rows=int(row["rows"]),
        newest=newest if isinstance(newest, (dt.date, dt.datetime)) else None,
        problems=tuple(problems),
    )
