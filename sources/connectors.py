"""Connectors: one small class per kind of source, all in one registry.

Built-in kinds and any added later register the same way::

    @register_kind("csv")
    class CsvKind(FileKind): ...

A kind says which files make up a source (for the cache's fingerprint and freshness) and
``scan``s them into one ``pl.LazyFrame`` conformed to the contract (``sources.contract``), never
collecting it: the catalogue decides when to read, so that it can watch the files while it does.
Excel and SQL readers are eager by nature; their result is wrapped ``.lazy()``.

File readers read every column as text where the format has no types (CSV, Excel), so the
contract parses each value strictly instead of the reader guessing and nulling what it cannot
guess. Structural problems found before reading the rows (missing file, column or sheet, empty
or truncated file) are errors naming the file; problems of every file are reported together.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

import fastexcel
import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from sources import contract, paths
from sources.contract import FILE, ROW, SHEET
from sources.errors import SourceError
from sources.paths import DataFile
from sources.problems import Location, did_you_mean, register_messages
from sources.spec import SourceSpec

register_messages(
    {
        "source.unknown_kind": {
            "vi": "loại nguồn '{kind}' không được hỗ trợ (các loại: {known})",
            "en": "unknown kind of source '{kind}' (known kinds: {known})",
        },
        "source.needs_path": {
            "vi": "nguồn loại '{kind}' cần 'path' (một tệp hoặc mẫu tệp trong thư mục dữ liệu)",
            "en": "a '{kind}' source needs 'path' (a file or pattern under the data folder)",
        },
        "file.empty": {
            "vi": "tệp rỗng",
            "en": "the file is empty",
        },
        "file.bad_parquet": {
            "vi": "không phải tệp Parquet hoàn chỉnh (bị cắt cụt hoặc hỏng): {detail}",
            "en": "not a complete Parquet file (truncated or damaged): {detail}",
        },
        "file.encoding": {
            "vi": "tệp không phải văn bản {encoding} hợp lệ (dòng {line}, byte {byte}); "
            "hãy đặt options.encoding (ví dụ windows-1258)",
            "en": "the file is not valid {encoding} text (line {line}, byte {byte}); "
            "set options.encoding (e.g. windows-1258)",
        },
        "file.truncated_row": {
            "vi": "dòng cuối ({line}) chưa hoàn chỉnh ({found}/{expected} cột, không có ký tự "
            "xuống dòng): tệp có thể đang được ghi dở",
            "en": "the last line ({line}) is incomplete ({found} of {expected} fields, no line "
            "end): the file may still be being written",
        },
        "file.extra_fields": {
            "vi": "dòng {line} có {found} trường, nhiều hơn {expected} cột của dòng tiêu đề "
            "(thừa dấu phân cách, hoặc một giá trị chứa dấu phân cách mà không đặt trong ngoặc "
            "kép)",
            "en": "line {line} has {found} fields, more than the {expected} columns of the header "
            "(an extra separator, or a value holding the separator without quotes)",
        },
        "file.unreadable": {
            "vi": "không đọc được tệp: {detail}",
            "en": "cannot read the file: {detail}",
        },
        "excel.no_sheet": {
            "vi": "không có trang tính '{sheet}' (các trang: {sheets})",
            "en": "no sheet '{sheet}' (sheets: {sheets})",
        },
        "sql.location": {
            "vi": "nguồn sql cần đúng một trong 'url' hoặc 'path' (một tệp SQLite)",
            "en": "a sql source needs exactly one of 'url' or 'path' (a SQLite file)",
        },
        "sql.target": {
            "vi": "nguồn sql cần đúng một trong 'table' hoặc 'query'",
            "en": "a sql source needs exactly one of 'table' or 'query'",
        },
        "sql.one_file": {
            "vi": "'path' của nguồn sql phải là một tệp SQLite, không phải mẫu '{path}'",
            "en": "the 'path' of a sql source must name one SQLite file, not the pattern '{path}'",
        },
        "sql.sqlite_url": {
            "vi": "tệp SQLite được khai báo bằng 'path' (trong thư mục dữ liệu), không bằng 'url'",
            "en": "a SQLite file is named by 'path' (under the data folder), not by 'url'",
        },
        "sql.bad_url": {
            "vi": "'url' không phải địa chỉ cơ sở dữ liệu SQLAlchemy hợp lệ "
            "(dạng dialect+driver://user:${{BIEN}}@host:port/db)",
            "en": "'url' is not a valid SQLAlchemy database URL "
            "(dialect+driver://user:${{VARIABLE}}@host:port/db)",
        },
        "sql.missing_env": {
            "vi": "biến môi trường '{name}' (dùng trong 'url') chưa được đặt",
            "en": "environment variable '{name}' (used in 'url') is not set",
        },
        "sql.driver": {
            "vi": "chưa cài trình điều khiển cơ sở dữ liệu cho '{dialect}': pip install {package}",
            "en": "the database driver for '{dialect}' is not installed: pip install {package}",
        },
        "sql.error": {
            "vi": "lỗi cơ sở dữ liệu: {detail}",
            "en": "database error: {detail}",
        },
    }
)

# What to install when SQLAlchemy cannot import a dialect's driver.
DRIVER_PACKAGES = {
    "postgresql": "psycopg[binary]",
    "mysql": "pymysql",
    "mariadb": "pymysql",
    "mssql": "pyodbc",
    "oracle": "oracledb",
}
# Fail fast rather than hang a page when a server does not answer.
CONNECT_ARGS: dict[str, dict[str, object]] = {
    "postgresql": {"connect_timeout": 10},
    "mysql": {"connect_timeout": 10},
    "mariadb": {"connect_timeout": 10},
}
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Encodings Polars cannot read: the file is decoded here instead.
_TEXT_CODECS = {"windows-1258": "cp1258", "latin1": "latin-1"}
_TAIL_BYTES = 65536
_UNESCAPED_COLON = re.compile(r"(?<!\\):")  # a colon SQLAlchemy would read as a parameter
_ISO_DATETIME = ("%Y-%m-%d ", "%Y-%m-%dT")  # datetime formats whose text sorts as time


def _read_only_session(dbapi_connection: object, record: object) -> None:
    """Make a MySQL/MariaDB connection's transactions read-only from the start."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
    finally:
        cursor.close()


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
        shown = paths.display(self.data_root / rel)
        return Location(f"{shown}[{sheet}]" if sheet else shown)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Kind:
    """A kind of source. Subclasses set the class attributes and implement ``scan``."""

    name: ClassVar[str] = ""
    materialize: ClassVar[bool] = True  # keep the checked rows in memory, vs. scan per query
    watch_files: ClassVar[bool] = True  # reads its files itself: a change mid-read matters

    def files(self, spec: SourceSpec, root: Path) -> list[DataFile]:
        """The files whose times and sizes tell whether the source may have changed."""
        return []

    def pushdown(self, spec: SourceSpec) -> bool:
        """Whether ``since``/``until`` change what ``scan`` returns (a filtered query)."""
        return False

    def extra_columns(self, spec: SourceSpec) -> tuple[str, ...]:
        """Bookkeeping columns kept beside the contract's (``_file``, ``_sheet``)."""
        return ()

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


def kind_for(spec: SourceSpec) -> Kind:
    kind = KINDS.get(spec.kind)
    if kind is None:
        raise SourceError.one(
            spec.id,
            "source.unknown_kind",
            spec.field_loc("kind"),
            kind=spec.kind,
            known=", ".join(sorted(KINDS)),
            suggestion=did_you_mean(spec.kind, KINDS),
        )
    return kind


def _invalid_text(path: Path, encoding: str) -> tuple[int, str] | None:
    """The line and byte of the first character that is not valid ``encoding`` text, if any."""
    raw = path.read_bytes()
    try:
        raw.decode(_TEXT_CODECS.get(encoding, "utf-8"))
    except UnicodeDecodeError as exc:
        return raw.count(b"\n", 0, exc.start) + 1, f"0x{raw[exc.start]:02x}"
    return None


class FileKind(Kind):
    """A source made of files under the data root: a path or a glob over many."""

    first_row: ClassVar[int] = 1  # how the format numbers its first data row
    cell_format: ClassVar[str | None] = None  # how the reader renders typed date cells as text

    def files(self, spec: SourceSpec, root: Path) -> list[DataFile]:
        if not spec.path:
            raise SourceError.one(spec.id, "source.needs_path", spec.loc, kind=spec.kind)
        return paths.resolve(root, spec.path, source_id=spec.id, where=spec.field_loc("path"))

    def extra_columns(self, spec: SourceSpec) -> tuple[str, ...]:
        return (FILE,)

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        """Each piece of one file, as ``(sheet or None, raw frame with _row)``."""
        raise NotImplementedError

    def scan(self, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        frames: list[pl.LazyFrame] = []
        problems = []
        for file in ctx.files:
            try:
                if file.path.stat().st_size == 0:
                    raise SourceError.one(spec.id, "file.empty", ctx.locate(file.rel))
                for sheet, raw in self.read(spec, file, ctx):
                    labelled = raw.with_columns(pl.lit(file.rel).alias(FILE))
                    if SHEET in self.extra_columns(spec):
                        labelled = labelled.with_columns(pl.lit(sheet).alias(SHEET))
                    frames.append(
                        contract.conform(
                            labelled,
                            spec,
                            ctx.locate(file.rel, sheet),
                            timezone=ctx.timezone,
                            cell_format=self.cell_format,
                        )
                    )
            except SourceError as exc:
                problems.extend(exc.problems)
            except Exception as exc:  # noqa: BLE001 - readers raise many types; each is reported
                problems.extend(self.explain_file(spec, ctx, file, exc).problems)
        if problems:
            raise SourceError(problems)
        return pl.concat(frames, how="vertical")

    def explain(self, spec: SourceSpec, ctx: ReadContext, exc: Exception) -> SourceError:
        """Find which file made the read fail by reading each alone."""
        for file in ctx.files:
            try:
                for _, raw in self.read(spec, file, ctx):
                    raw.collect()
            except SourceError as file_exc:
                return file_exc
            except Exception as file_exc:  # noqa: BLE001 - see scan
                return self.explain_file(spec, ctx, file, file_exc)
        return super().explain(spec, ctx, exc)

    def explain_file(
        self, spec: SourceSpec, ctx: ReadContext, file: DataFile, exc: Exception
    ) -> SourceError:
        """A reader's failure on one file as a problem located in that file."""
        where = ctx.locate(file.rel)
        if isinstance(exc, pl.exceptions.NoDataError):
            return SourceError.one(spec.id, "file.empty", where)
        encoding = spec.options.encoding or "utf8"
        if isinstance(exc, UnicodeDecodeError) or "utf-8" in str(exc).lower():
            invalid = _invalid_text(file.path, encoding)
            if invalid:
                line, byte = invalid
                return SourceError.one(
                    spec.id,
                    "file.encoding",
                    where,
                    encoding=encoding,
                    line=line,
                    byte=byte,
                )
        return SourceError.one(spec.id, "file.unreadable", where, detail=first_line(exc))


@register_kind("csv")
class CsvKind(FileKind):
    """Delimited text; every column read as text and parsed by the contract."""

    first_row = 2  # line 1 is the header

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        separator = spec.options.delimiter or ","
        encoding = spec.options.encoding or "utf8"
        self._check_last_line(spec, file, ctx, separator)
        if encoding in ("utf8", "utf8-lossy"):
            frame = pl.scan_csv(
                file.path,
                separator=separator,
                infer_schema=False,
                encoding=encoding,
                glob=False,
            )
        else:
            # Windows-1258 writes Vietnamese tones as combining marks: compose them (NFC) so
            # "Phường" matches the same name written anywhere else.
            text = unicodedata.normalize(
                "NFC", file.path.read_bytes().decode(_TEXT_CODECS[encoding])
            )
            frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False).lazy()
        yield None, frame.with_row_index(ROW, offset=self.first_row)

    def explain_file(
        self, spec: SourceSpec, ctx: ReadContext, file: DataFile, exc: Exception
    ) -> SourceError:
        if "more fields" in str(exc):  # Polars names neither the line nor the counts
            found = self._extra_fields(spec, file)
            if found is not None:
                line, fields, expected = found
                return SourceError.one(
                    spec.id,
                    "file.extra_fields",
                    ctx.locate(file.rel),
                    line=line,
                    found=fields,
                    expected=expected,
                )
        return super().explain_file(spec, ctx, file, exc)

    @staticmethod
    def _extra_fields(spec: SourceSpec, file: DataFile) -> tuple[int, int, int] | None:
        """The first record with more fields than the header: (its first line, fields, header's)."""
        encoding = spec.options.encoding or "utf8"
        codec = _TEXT_CODECS.get(encoding, "utf-8-sig")
        with open(file.path, encoding=codec, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=spec.options.delimiter or ",")
            header = next(reader, None)
            if header is None:
                return None
            start = reader.line_num + 1
            for record in reader:
                if len(record) > len(header):
                    return start, len(record), len(header)
                start = reader.line_num + 1
        return None

    @staticmethod
    def _check_last_line(
        spec: SourceSpec, file: DataFile, ctx: ReadContext, separator: str
    ) -> None:
        """Refuse a last line cut short: no line end and fewer fields than the header.

        Polars fills such a row with nulls without a word; it is the mark of a file caught
        while it was being written.
        """
        with open(file.path, "rb") as handle:
            header = handle.readline()
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
        if tail.endswith((b"\n", b"\r")) or b"\n" not in tail:
            return  # complete, or a header alone (or one line too long to judge)
        last = tail.rsplit(b"\n", 1)[1]

        def fields(line: bytes) -> int:
            text = line.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
            return len(next(csv.reader([text], delimiter=separator)))

        found, expected = fields(last), fields(header)
        if found < expected:
            with open(file.path, "rb") as handle:
                line = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            raise SourceError.one(
                spec.id,
                "file.truncated_row",
                ctx.locate(file.rel),
                line=line + 1,
                found=found,
                expected=expected,
            )


@register_kind("parquet")
class ParquetKind(FileKind):
    """Columnar files: typed, so the contract checks and casts types rather than parsing text.

    Not kept in memory: Parquet is its own fast cache, and a query reads only the columns it
    needs, where holding millions of dossiers in memory would cost gigabytes.
    """

    materialize = False

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        frame = pl.scan_parquet(file.path, glob=False, hive_partitioning=False)
        yield None, frame.with_row_index(ROW, offset=self.first_row)

    def stored_as_declared(self, spec: SourceSpec, ctx: ReadContext) -> frozenset[str]:
        """Read from the files' metadata only: the columns no file needs to convert."""
        exact = set(spec.columns)
        for file in ctx.files:
            schema = pl.read_parquet_schema(file.path)
            exact &= {
                name
                for name, column in spec.columns.items()
                if schema.get(name) == contract.DTYPES[column.type]
            }
        return frozenset(exact)

    def explain_file(
        self, spec: SourceSpec, ctx: ReadContext, file: DataFile, exc: Exception
    ) -> SourceError:
        if isinstance(exc, pl.exceptions.PolarsError):
            return SourceError.one(
                spec.id,
                "file.bad_parquet",
                ctx.locate(file.rel),
                detail=first_line(exc),
            )
        return super().explain_file(spec, ctx, file, exc)


@register_kind("excel")
class ExcelKind(FileKind):
    """Workbooks (.xlsx): one sheet (``options.sheet``, default the first) or every sheet (``*``).

    Read with every column as text: the calamine reader otherwise types a column from its cells
    and turns a cell it cannot type (``n/a`` among numbers) into an empty one. Date cells come out
    as ``YYYY-MM-DD HH:MM:SS`` text, which the contract accepts beside the source's own format.
    """

    first_row = 2  # row 1 holds the headers
    cell_format = "%Y-%m-%d %H:%M:%S"

    def extra_columns(self, spec: SourceSpec) -> tuple[str, ...]:
        return (FILE, SHEET) if spec.options.sheet == "*" else (FILE,)

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        sheet = spec.options.sheet
        options = {
            "engine": "calamine",
            "infer_schema_length": 0,  # every column as text
            "drop_empty_rows": False,  # dropped below, after numbering, so rows keep their number
            "raise_if_empty": False,
        }
        try:
            if sheet == "*":
                sheets = pl.read_excel(file.path, sheet_id=0, **options)
            else:
                key = {"sheet_name": sheet} if sheet else {"sheet_id": 1}
                sheets = {sheet: pl.read_excel(file.path, **key, **options)}
        except ValueError:
            names = fastexcel.read_excel(file.path).sheet_names
            if sheet in names:
                raise
            raise SourceError.one(
                spec.id,
                "excel.no_sheet",
                ctx.locate(file.rel),
                sheet=sheet,
                sheets=", ".join(names),
                suggestion=did_you_mean(str(sheet), names),
            ) from None
        filled = {name: frame for name, frame in sheets.items() if frame.width}
        if not filled:
            raise SourceError.one(spec.id, "file.empty", ctx.locate(file.rel))
        for name, frame in filled.items():
            numbered = frame.with_row_index(ROW, offset=self.first_row)
            not_blank = ~pl.all_horizontal(pl.exclude(ROW).is_null())
            yield name if sheet == "*" else None, numbered.filter(not_blank).lazy()


@register_kind("json")
class JsonKind(FileKind):
    """An array of records, or one record per line (``options.json_lines`` or .jsonl/.ndjson)."""

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        lines = spec.options.json_lines
        if lines is None:
            lines = file.path.suffix.lower() in (".jsonl", ".ndjson")
        if lines:
            frame = pl.scan_ndjson(file.path, infer_schema_length=None)
        else:
            frame = pl.read_json(file.path, infer_schema_length=None).lazy()
        yield None, frame.with_row_index(ROW, offset=self.first_row)


@register_kind("sql")
class SqlKind(Kind):
    """A table or a query in any database SQLAlchemy reaches; SQLite files by ``path``.

    Queries are built with SQLAlchemy Core and bound parameters only, and select the contract's
    columns alone (quoted as the database needs), never ``*``. A staff ``query`` is wrapped as a
    subquery with every colon escaped, so ``note = 'a:b'`` or ``x::int`` stays text rather than
    becoming a bind parameter. Connections are read-only where the database allows it (SQLite
    files opened ``mode=ro``; PostgreSQL read-only transactions; MySQL/MariaDB read-only
    sessions), and nothing is ever committed.

    With a ``time_column`` (see ``pushdown``), the period asked for is pushed into the query,
    widened by one day on each side: ``>= :since`` (the day before ``since``) and ``< :before``
    (two days after ``until`` when it is a date; ``<= :until``, a day after it, when it is a
    datetime). The margin absorbs what a database compares differently from the catalogue
    (time-zone-aware columns in the session's zone, text dates with ``T`` or a space); the
    caller filters the period exactly.
    """

    watch_files = False  # the database keeps its reads consistent itself

    def files(self, spec: SourceSpec, root: Path) -> list[DataFile]:
        if bool(spec.url) == bool(spec.path):
            raise SourceError.one(spec.id, "sql.location", spec.loc)
        if not spec.path:
            return []
        where = spec.field_loc("path")
        if paths.is_glob(spec.path):
            raise SourceError.one(spec.id, "sql.one_file", where, path=spec.path)
        database = paths.resolve(root, spec.path, source_id=spec.id, where=where)[0]
        wal = database.path.with_name(database.path.name + "-wal")  # where WAL writes land first
        return [database, DataFile(database.rel + "-wal", wal)] if wal.is_file() else [database]

    def pushdown(self, spec: SourceSpec) -> bool:
        """Only on a ``date``/``datetime`` contract column the database orders as time.

        The column's text format (``options.date_format``/``datetime_format``) must be unset or
        ISO (year, month, day first): a SQLite file keeps dates as text compared as text, and
        ``01/12/2025 < 31/10/2025`` there. Otherwise every row is read and the caller filters.
        """
        name = spec.time_column
        column = spec.columns.get(name) if name else None
        if column is None or column.type not in ("date", "datetime"):
            return False
        if column.type == "date":
            return spec.options.date_format in (None, contract.DATE_FORMAT)
        declared = spec.options.datetime_format
        return declared is None or declared == "%Y-%m-%d" or declared.startswith(_ISO_DATETIME)

    def scan(self, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        if bool(spec.table) == bool(spec.query):
            raise SourceError.one(spec.id, "sql.target", spec.loc)
        engine, secrets = self._engine(spec, ctx)
        try:
            # Closing the connection rolls its transaction back: nothing is ever committed.
            with engine.connect() as connection:
                if engine.dialect.name == "postgresql":
                    connection.execution_options(postgresql_readonly=True)
                frame = pl.read_database(
                    self._select(spec, ctx), connection, infer_schema_length=None
                )
        except SQLAlchemyError as exc:
            self._check_columns(spec, ctx, engine)  # a missing column, named as the contract does
            detail = first_line(exc.orig if getattr(exc, "orig", None) else exc)
            for secret in secrets:
                detail = detail.replace(secret, "***")
            raise SourceError.one(spec.id, "sql.error", ctx.where, detail=detail) from None
        finally:
            engine.dispose()
        raw = frame.lazy().with_row_index(ROW, offset=1)
        return contract.conform(raw, spec, ctx.where, timezone=ctx.timezone)

    def explain(self, spec: SourceSpec, ctx: ReadContext, exc: Exception) -> SourceError:
        return SourceError.one(spec.id, "sql.error", ctx.where, detail=first_line(exc))

    @staticmethod
    def _origin(spec: SourceSpec) -> sa.FromClause:
        """The table, or the staff query as a subquery with its colons escaped (see the class)."""
        if spec.table:
            schema, _, name = spec.table.rpartition(".")
            return sa.table(name, schema=schema or None)
        query = (spec.query or "").strip().rstrip(";")
        return sa.text(_UNESCAPED_COLON.sub(r"\\:", query)).columns().subquery("q")

    def _select(self, spec: SourceSpec, ctx: ReadContext) -> sa.Select:
        columns = [sa.column(name) for name in spec.columns]
        select = sa.select(*columns).select_from(self._origin(spec))
        if not self.pushdown(spec):
            return select
        column = sa.column(spec.time_column)
        day = dt.timedelta(days=1)
        if ctx.since is not None:
            kind = sa.DateTime if isinstance(ctx.since, dt.datetime) else sa.Date
            select = select.where(column >= sa.bindparam("since", ctx.since - day, type_=kind))
        if isinstance(ctx.until, dt.datetime):
            until = ctx.until + day
            select = select.where(column <= sa.bindparam("until", until, type_=sa.DateTime))
        elif ctx.until is not None:
            before = ctx.until + 2 * day
            select = select.where(column < sa.bindparam("before", before, type_=sa.Date))
        return select

    def _check_columns(self, spec: SourceSpec, ctx: ReadContext, engine: sa.Engine) -> None:
        """After a failed read: raise the contract's missing-column error if that was the cause.

        Asks for no rows (``WHERE 1 = 0``) to learn the columns the table or query has; says
        nothing when that fails too (no such table, no connection) or no column is missing.
        """
        probe = sa.select(sa.literal_column("*")).select_from(self._origin(spec)).where(sa.false())
        try:
            with engine.connect() as connection:
                found = list(connection.execute(probe).keys())
        except SQLAlchemyError:
            return
        empty = pl.LazyFrame(schema={ROW: pl.UInt32, **dict.fromkeys(found, pl.String)})
        contract.conform(empty, spec, ctx.where, timezone=ctx.timezone)

    @staticmethod
    def _engine(spec: SourceSpec, ctx: ReadContext) -> tuple[sa.Engine, list[str]]:
        """An engine for the source, and the secret values substituted into its URL."""
        if spec.path:
            uri = ctx.files[0].path.as_uri() + "?mode=ro"  # read-only: never create or write
            engine = sa.create_engine(
                "sqlite://",
                creator=lambda: sqlite3.connect(uri, uri=True),
                poolclass=NullPool,
            )
            return engine, []
        where = spec.field_loc("url")
        try:
            url = make_url(spec.url or "")
        except (ArgumentError, ValueError):
            raise SourceError.one(spec.id, "sql.bad_url", where) from None
        backend = url.get_backend_name()
        if backend == "sqlite":
            raise SourceError.one(spec.id, "sql.sqlite_url", where)
        secrets: list[str] = []

        def substitute(text: str | None) -> str | None:
            def value(match: re.Match[str]) -> str:
                found = os.environ.get(match.group(1))
                if found is None:
                    raise SourceError.one(spec.id, "sql.missing_env", where, name=match.group(1))
                if found:
                    secrets.append(found)
                return found

            return _ENV_REF.sub(value, text) if text else text

        query = {
            key: substitute(item) if isinstance(item, str) else tuple(map(substitute, item))
            for key, item in url.query.items()
        }
        url = url.set(
            username=substitute(url.username),
            password=substitute(url.password),
            host=substitute(url.host),
            database=substitute(url.database),
            query=query,
        )
        try:
            engine = sa.create_engine(
                url, poolclass=NullPool, connect_args=CONNECT_ARGS.get(backend, {})
            )
            if backend in ("mysql", "mariadb"):
                sa.event.listen(engine, "connect", _read_only_session)
        except (ImportError, NoSuchModuleError) as exc:
            module = getattr(exc, "name", None) or url.get_driver_name() or backend
            package = DRIVER_PACKAGES.get(backend, module)
            raise SourceError.one(
                spec.id, "sql.driver", where, dialect=url.drivername, package=package
            ) from None
        except ArgumentError:
            raise SourceError.one(spec.id, "sql.bad_url", where) from None
        return engine, secrets
