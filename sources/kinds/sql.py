"""``kind: sql``: a table or a query in a database, over one base for every dialect.

Queries are built with SQLAlchemy Core and bound parameters only, and select the contract's
columns alone (quoted as the database needs), never ``*``. A staff ``query`` is wrapped as a
subquery with every colon escaped, so ``note = 'a:b'`` or ``x::int`` stays text rather than
becoming a bind parameter. A staff ``query`` must parse as exactly one SELECT that writes nothing
(``sources.kinds.sqlguard``), checked when the configuration is loaded and again before every
read. Every read runs in a read-only transaction with a statement timeout (``timeout:``, 30 s by
default), and nothing is ever committed: a query cut by the timeout is a source error, never a
hung page. What differs between databases (the driver to install, connect options, how a read is
made read-only and bounded, how a timeout shows) lives in one ``Dialect`` per database:
``sqlite``, ``postgresql``, ``mariadb``; any other SQLAlchemy URL is read through the generic
base, which can bound neither.

With a ``time_column`` (see ``SqlKind.pushdown``), the period asked for is pushed into the query,
widened by one day on each side: ``>= :since`` (the day before ``since``) and ``< :before`` (two
days after ``until`` when it is a date; ``<= :until``, a day after it, when it is a datetime).
The margin absorbs what a database compares differently from the catalogue (time-zone-aware
columns in the session's zone, text dates with ``T`` or a space); the caller filters exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import polars as pl
import sqlalchemy as sa
from pydantic import Field, model_validator
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from sources import contract, paths
from sources.contract import ROW
from sources.errors import SourceError
from sources.kinds.base import (
    Kind,
    ReadContext,
    check_time_column,
    first_line,
    problem_at,
    register_kind,
)
from sources.kinds.sqlguard import query_problem
from sources.paths import DataFile
from sources.problems import Problem, did_you_mean, register_messages
from sources.secrets import SECRET_PARAMETERS, lookup
from sources.spec import SourceSpec
from sources.specbase import invalid

register_messages(
    {
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
            "vi": "'{name}' (dùng trong 'url') không phải biến môi trường đã đặt, cũng không có "
            "trong .streamlit/secrets.toml",
            "en": "'{name}' (used in 'url') is neither a set environment variable nor a key of "
            ".streamlit/secrets.toml",
        },
        "sql.driver": {
            "vi": "chưa cài trình điều khiển cơ sở dữ liệu cho '{dialect}': pip install {package}",
            "en": "the database driver for '{dialect}' is not installed: pip install {package}",
        },
        "sql.error": {
            "vi": "lỗi cơ sở dữ liệu: {detail}",
            "en": "database error: {detail}",
        },
        "sql.timeout": {
            "vi": "truy vấn quá thời gian, đã dừng sau {seconds} giây (tăng 'timeout' nếu cần)",
            "en": "the query timed out and was stopped after {seconds} s (raise 'timeout' if needed)",
        },
        "sql.inline_secret": {
            "vi": "URL chứa {part} viết trực tiếp: hãy viết tên của nó, ví dụ ${{TASKS_DB_PASSWORD}}, "
            "và đặt giá trị trong biến môi trường hoặc .streamlit/secrets.toml",
            "en": "the URL holds {part} written inline: write its name instead, e.g. "
            "${{TASKS_DB_PASSWORD}}, with the value in an environment variable or "
            ".streamlit/secrets.toml",
        },
    }
)

MAX_ROWS = 1_000_000_000  # a read never returns more rows than this
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_UNESCAPED_COLON = re.compile(r"(?<!\\):")  # a colon SQLAlchemy would read as a parameter
_ISO_DATETIME = ("%Y-%m-%d ", "%Y-%m-%dT")  # datetime formats whose text sorts as time


class SqlSource(SourceSpec):
    """A database table or query: ``url`` (secrets as ``${ENV_VAR}``) or a SQLite ``path``."""

    path: str | None = None  # a SQLite file under the data root
    url: str | None = None  # a SQLAlchemy URL
    table: str | None = None
    query: str | None = None
    time_column: str | None = None  # a column a period filter may be pushed down on
    timeout: float = Field(default=30.0, gt=0, le=3600)  # seconds a read may take

    @model_validator(mode="after")
    def _one_location_one_target(self) -> SqlSource:
        if bool(self.url) == bool(self.path):
            raise invalid("sql.location")
        if bool(self.table) == bool(self.query):
            raise invalid("sql.target")
        return self


class Dialect:
    """What one database needs: its driver, connect options, and how to make reads read-only.

    The generic base serves any SQLAlchemy URL without a dialect module of its own.
    """

    backends: ClassVar[tuple[str, ...]] = ()
    driver_package: ClassVar[str | None] = None  # what to ``pip install`` when it is missing
    connect_args: ClassVar[dict[str, object]] = {}
    sqlglot: ClassVar[str | None] = None  # the dialect sqlglot parses a staff query in

    def prepare(self, engine: sa.Engine) -> None:
        """Set up every new connection of ``engine`` (for example a read-only session)."""

    def limit(self, connection: sa.Connection, seconds: float) -> None:
        """Make the read about to run on ``connection`` read-only and stop it after ``seconds``."""

    def timed_out(self, error: BaseException) -> bool:
        """Whether the database error ``error`` is the statement timeout of ``limit``."""
        return False

    def file_engine(self, path: Path) -> sa.Engine:
        """An engine over a database file (``path:``), for dialects that have files."""
        raise NotImplementedError


DIALECTS: dict[str, Dialect] = {}


def register_dialect(cls: type[Dialect]) -> type[Dialect]:
    for backend in cls.backends:
        DIALECTS[backend] = cls()
    return cls


def dialect_for(backend: str) -> Dialect:
    return DIALECTS.get(backend) or Dialect()


@register_kind("sql")
class SqlKind(Kind):
    """A table or a query in any database SQLAlchemy reaches; SQLite files by ``path``."""

    spec = SqlSource
    watch_files = False  # the database keeps its reads consistent itself

    def files(self, spec: SourceSpec, root: Path) -> list[DataFile]:
        assert isinstance(spec, SqlSource)
        if not spec.path:
            return []
        where = spec.field_loc("path")
        if paths.is_glob(spec.path):
            raise SourceError.one(spec.id, "sql.one_file", where, path=spec.path)
        database = paths.resolve(root, spec.path, source_id=spec.id, where=where)[0]
        wal = database.path.with_name(database.path.name + "-wal")  # where WAL writes land first
        return [database, DataFile(database.rel + "-wal", wal)] if wal.is_file() else [database]

    def checks(self, spec: SourceSpec) -> Iterator[Problem]:
        assert isinstance(spec, SqlSource)
        if spec.time_column and spec.time_column not in spec.columns:
            yield problem_at(
                "rule.unknown_column", spec, "time_column", column=spec.time_column,
                source=spec.id, suggestion=did_you_mean(spec.time_column, spec.columns),
            )  # fmt: skip
        yield from check_time_column(spec, "time_column", spec.time_column)
        if spec.query:
            found = query_problem(spec.query, _dialect_of(spec).sqlglot)
            if found:
                yield problem_at(found[0], spec, "query", **found[1])
        part = _inline_secret(spec.url) if spec.url else None
        if part:
            yield problem_at("sql.inline_secret", spec, "url", part=part)

    def time_column(self, spec: SourceSpec) -> str | None:
        assert isinstance(spec, SqlSource)
        return spec.time_column

    def pushdown(self, spec: SourceSpec) -> bool:
        """Only on a ``date``/``datetime`` contract column the database orders as time.

        The column's text format (``options.date_format``/``datetime_format``) must be unset or
        ISO (year, month, day first): a SQLite file keeps dates as text compared as text, and
        ``01/12/2025 < 31/10/2025`` there. Otherwise every row is read and the caller filters.
        """
        name = self.time_column(spec)
        column = spec.columns.get(name) if name else None
        if column is None or column.type not in ("date", "datetime"):
            return False
        if column.type == "date":
            return spec.options.date_format in (None, contract.DATE_FORMAT)
        declared = spec.options.datetime_format
        return declared is None or declared == "%Y-%m-%d" or declared.startswith(_ISO_DATETIME)

    def scan(self, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        assert isinstance(spec, SqlSource)
        if spec.query:  # checked when loaded; again here, for a catalogue built some other way
            found = query_problem(spec.query, _dialect_of(spec).sqlglot)
            if found:
                raise SourceError.one(spec.id, found[0], spec.field_loc("query"), **found[1])
        engine, dialect, secrets = self._engine(spec, ctx)
        try:
            # Closing the connection rolls its transaction back: nothing is ever committed.
            with engine.connect() as connection:
                dialect.limit(connection, spec.timeout)
                frame = pl.read_database(
                    self._select(spec, ctx), connection, infer_schema_length=None
                )
        except SQLAlchemyError as exc:
            if dialect.timed_out(exc.orig if getattr(exc, "orig", None) else exc):
                seconds = f"{spec.timeout:g}"
                raise SourceError.one(spec.id, "sql.timeout", ctx.where, seconds=seconds) from None
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
    def _origin(spec: SqlSource) -> sa.FromClause:
        """The table, or the staff query as a subquery with its colons escaped (see the module)."""
        if spec.table:
            schema, _, name = spec.table.rpartition(".")
            return sa.table(name, schema=schema or None)
        query = (spec.query or "").strip().rstrip(";")
        return sa.text(_UNESCAPED_COLON.sub(r"\\:", query)).columns().subquery("q")

    def _select(self, spec: SqlSource, ctx: ReadContext) -> sa.Select:
        columns = [sa.column(name) for name in spec.columns]
        # The bound LIMIT makes every read carry a parameter, so PostgreSQL runs it through the
        # extended protocol, which refuses a second statement smuggled into a query's text.
        select = (
            sa.select(*columns)
            .select_from(self._origin(spec))
            .limit(sa.bindparam("max_rows", MAX_ROWS, type_=sa.Integer))
        )
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

    def _check_columns(self, spec: SqlSource, ctx: ReadContext, engine: sa.Engine) -> None:
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
    def _engine(spec: SqlSource, ctx: ReadContext) -> tuple[sa.Engine, Dialect, list[str]]:
        """An engine for the source, its dialect, and the secret values put into its URL."""
        if spec.path:
            dialect = dialect_for("sqlite")
            return dialect.file_engine(ctx.files[0].path), dialect, []
        where = spec.field_loc("url")
        try:
            url = make_url(spec.url or "")
        except (ArgumentError, ValueError):
            raise SourceError.one(spec.id, "sql.bad_url", where) from None
        backend = url.get_backend_name()
        if backend == "sqlite":
            raise SourceError.one(spec.id, "sql.sqlite_url", where)
        secrets: list[str] = []
        url = _with_secrets(url, _env_lookup(spec, where, secrets))
        dialect = dialect_for(backend)
        try:
            engine = sa.create_engine(url, poolclass=NullPool, connect_args=dialect.connect_args)
            dialect.prepare(engine)
        except (ImportError, NoSuchModuleError) as exc:
            module = getattr(exc, "name", None) or url.get_driver_name() or backend
            package = dialect.driver_package or module
            raise SourceError.one(
                spec.id, "sql.driver", where, dialect=url.drivername, package=package
            ) from None
        except ArgumentError:
            raise SourceError.one(spec.id, "sql.bad_url", where) from None
        return engine, dialect, secrets


def _dialect_of(spec: SqlSource) -> Dialect:
    """The dialect a source's database speaks: SQLite for a ``path``, else its URL's."""
    if spec.path:
        return dialect_for("sqlite")
    try:
        return dialect_for(make_url(spec.url or "").get_backend_name())
    except (ArgumentError, ValueError):
        return Dialect()


def _inline_secret(url: str) -> str | None:
    """Which part of ``url`` holds a secret written out rather than named (``${NAME}``)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None  # not a URL at all: reported when the source is read
    named = _ENV_REF.fullmatch
    if parsed.password and not named(str(parsed.password)):
        return "a password"
    for key, item in parsed.query.items():
        values = (item,) if isinstance(item, str) else item
        if key.lower() in SECRET_PARAMETERS and any(v and not named(v) for v in values):
            return f"the parameter '{key}'"
    return None


def _env_lookup(
    spec: SqlSource, where: object, secrets: list[str]
) -> Callable[[re.Match[str]], str]:
    """The value of one ``${NAME}``, noted as a secret so that errors never show it."""

    def value(match: re.Match[str]) -> str:
        found = lookup(match.group(1))
        if found is None:
            raise SourceError.one(spec.id, "sql.missing_env", where, name=match.group(1))
        if found:
            secrets.append(found)
        return found

    return value


def _with_secrets(url: URL, value: Callable[[re.Match[str]], str]) -> URL:
    """The URL with every ``${NAME}`` in its parts replaced (see ``_env_lookup``)."""

    def substitute(text: str | None) -> str | None:
        return _ENV_REF.sub(value, text) if text else text

    query = {
        key: substitute(item) if isinstance(item, str) else tuple(map(substitute, item))
        for key, item in url.query.items()
    }
    return url.set(
        username=substitute(url.username),
        password=substitute(url.password),
        host=substitute(url.host),
        database=substitute(url.database),
        query=query,
    )
