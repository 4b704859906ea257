"""SQL sources: SQLite files, and real PostgreSQL and MariaDB servers on their standard ports.

A server test fails in CI (``CI`` set) when its server cannot be reached, and skips elsewhere.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from sources.errors import SourceError
from sources.kinds import ReadContext, parse_source
from sources.kinds.sql import SqlKind
from sources.spec import SourceSpec
from tests.conftest import needs_server
from tests.sources_support import catalog, lines, source

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SERVERS = {
    "postgresql": (
        "PostgreSQL on 127.0.0.1:5432",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ),
    "mariadb": (
        "MariaDB on 127.0.0.1:3306",
        "mysql+pymysql://root@127.0.0.1:3306/test",
    ),
}
TASKS = {
    "id": "int",
    "unit": "str",
    "deadline": "date",
    "done_at": "datetime?",
    "budget": "float",
    "has_kpi": "bool",
}
ROWS = [
    (
        1,
        "so_y_te",
        dt.date(2025, 10, 30),
        dt.datetime(2025, 10, 29, 9, 15),
        1500.5,
        True,
    ),
    (2, "so_tu_phap", dt.date(2025, 11, 10), None, 200.0, False),
    (
        3,
        "so_cong_thuong",
        dt.date(2025, 11, 14),
        dt.datetime(2025, 11, 14, 23, 30),
        0.25,
        True,
    ),
    (4, "so_noi_vu", dt.date(2025, 12, 1), None, 10.0, False),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "data"
    root.mkdir()
    return root


@pytest.fixture
def statements() -> Iterator[list[tuple[str, object]]]:
    """Every statement sent to any database during the test, with its parameters."""
    sent: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, parameters))

    sa.event.listen(sa.Engine, "before_cursor_execute", listen)
    yield sent
    sa.event.remove(sa.Engine, "before_cursor_execute", listen)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of every query the SQL connector ran (its reads, as the cache let them)."""
    ran: list[str] = []
    original = SqlKind.scan

    def counted(self: SqlKind, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        ran.append(spec.id)
        return original(self, spec, ctx)

    monkeypatch.setattr(SqlKind, "scan", counted)
    return ran


def assert_bound(sent: list[tuple[str, object]], *values: object) -> None:
    """The query carried ``values`` as bound parameters and not as text in the SQL."""
    statement, parameters = sent[-1]
    bound = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
    for value in values:
        assert value in bound
        assert str(value) not in statement


# -- SQLite files under the data root ------------------------------------------------------------


@pytest.fixture
def sqlite_db(root: Path) -> Path:
    path = root / "r57.sqlite"
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE tasks (id INTEGER, unit TEXT, deadline TEXT, done_at TEXT, budget REAL, "
        "has_kpi INTEGER)"
    )
    con.executemany(
        "INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                i,
                unit,
                due.isoformat(),
                done.strftime("%Y-%m-%d %H:%M:%S") if done else None,
                budget,
                int(kpi),
            )
            for i, unit, due, done, budget, kpi in ROWS
        ],
    )
    con.commit()
    con.close()
    return path


def test_sqlite_table_typed_per_contract(root: Path, sqlite_db: Path) -> None:
    frame = (
        catalog(
            root,
            source("tasks", kind="sql", path="r57.sqlite", table="tasks", columns=TASKS),
        )
        .frame("tasks")
        .collect()
    )
    assert frame.schema == pl.Schema(
        {
            "id": pl.Int64,
            "unit": pl.String,
            "deadline": pl.Date,
            "done_at": pl.Datetime("us"),
            "budget": pl.Float64,
            "has_kpi": pl.Boolean,
        }
    )
    assert frame.rows() == ROWS


def test_sqlite_query_and_time_pushdown_with_bound_parameters(
    root: Path, sqlite_db: Path, statements: list[tuple[str, object]]
) -> None:
    spec = source(
        "tasks",
        kind="sql",
        path="r57.sqlite",
        time_column="done_at",
        query="SELECT id, unit, done_at FROM tasks WHERE has_kpi = 1;",
        columns={"id": "int", "unit": "str", "done_at": "datetime"},
    )
    books = catalog(root, spec)
    frame = books.frame("tasks", since=dt.date(2025, 11, 1), until=dt.date(2025, 11, 14))
    # the whole of 14/11 is kept: until a date means up to the end of that day
    assert frame.collect()["id"].to_list() == [3]
    assert "done_at >= ?" in statements[-1][0] and "done_at < ?" in statements[-1][0]
    # widened by a day on each side; the engine filters the period exactly
    assert_bound(statements, "2025-10-31", "2025-11-16")
    assert books.frame("tasks").collect()["id"].to_list() == [1, 3]


def test_sqlite_pushdown_widens_by_a_day_and_reads_only_the_contract_columns(
    root: Path, sqlite_db: Path, statements: list[tuple[str, object]]
) -> None:
    spec = source(
        "tasks",
        kind="sql",
        path="r57.sqlite",
        table="tasks",
        time_column="deadline",
        columns={"id": "int", "deadline": "date"},
    )
    frame = catalog(root, spec).frame(
        "tasks", since=dt.datetime(2025, 10, 31, 8), until=dt.datetime(2025, 11, 13, 17)
    )
    assert frame.collect()["id"].to_list() == [2, 3]  # 14/11: after until, within the margin
    statement = statements[-1][0]
    assert statement.startswith("SELECT id, deadline \nFROM tasks \nWHERE")
    assert "*" not in statement and "budget" not in statement
    assert_bound(statements, "2025-10-30 08:00:00.000000", "2025-11-14 17:00:00.000000")


@pytest.mark.parametrize(
    ("columns", "options"),
    [
        ({"id": "int", "deadline": "str"}, {}),  # not a date column
        ({"id": "int", "deadline": "date"}, {"date_format": "%d/%m/%Y"}),  # text not in ISO order
        ({"id": "int", "unit": "str"}, {}),  # not in the contract
    ],
)
def test_no_pushdown_unless_the_time_column_sorts_as_time(
    root: Path,
    sqlite_db: Path,
    statements: list[tuple[str, object]],
    columns: dict[str, str],
    options: dict[str, str],
) -> None:
    con = sqlite3.connect(sqlite_db)
    day_first = options.get("date_format") == "%d/%m/%Y"
    con.execute("UPDATE tasks SET deadline = strftime('%d/%m/%Y', deadline) WHERE ?", (day_first,))
    con.commit()
    con.close()
    spec = source(
        "tasks",
        kind="sql",
        path="r57.sqlite",
        table="tasks",
        time_column="deadline",
        columns=columns,
        options=options,
    )
    frame = catalog(root, spec).frame(
        "tasks", since=dt.date(2025, 11, 1), until=dt.date(2025, 11, 14)
    )
    assert frame.collect()["id"].to_list() == [1, 2, 3, 4]  # every row: the caller filters
    assert "WHERE" not in statements[-1][0]


def test_sqlite_query_with_colons_in_its_text(root: Path, sqlite_db: Path) -> None:
    spec = source(
        "tasks",
        kind="sql",
        path="r57.sqlite",
        query="SELECT id, 'a:b' AS note, unit || ':' || id AS code FROM tasks "
        "WHERE done_at IS NULL OR done_at >= '2025-11-14 23:30:00' AND unit <> ':x'",
        columns={"id": "int", "note": "str", "code": "str"},
    )
    assert catalog(root, spec).frame("tasks").collect().rows() == [
        (2, "a:b", "so_tu_phap:2"),
        (3, "a:b", "so_cong_thuong:3"),
        (4, "a:b", "so_noi_vu:4"),
    ]


def test_sqlite_reads_only_the_contract_columns_quoted(
    root: Path, statements: list[tuple[str, object]]
) -> None:
    con = sqlite3.connect(root / "r.sqlite")
    con.execute('CREATE TABLE t ("order" INTEGER, "Group" TEXT, secret BLOB)')
    con.execute("INSERT INTO t VALUES (1, 'x', x'00ff')")
    con.commit()
    con.close()
    columns = {"order": "int", "Group": "str"}
    spec = source("t", kind="sql", path="r.sqlite", table="t", columns=columns)
    assert catalog(root, spec).frame("t").collect().rows() == [(1, "x")]
    assert statements[-1][0] == 'SELECT "order", "Group" \nFROM t\n LIMIT ? OFFSET ?'


def test_sql_missing_column_is_named_as_the_contract_does(root: Path, sqlite_db: Path) -> None:
    spec = source(
        "tasks", kind="sql", path="r57.sqlite", table="tasks", columns={"id": "int", "units": "str"}
    )
    with pytest.raises(SourceError) as caught:
        catalog(root, spec).frame("tasks")
    assert lines(caught.value) == [
        "error: source 'tasks': column 'units' is missing (columns found: id, unit, deadline, "
        "done_at, budget, has_kpi) (did you mean 'unit'?)"
    ]


def test_sqlite_all_null_column_and_empty_result(root: Path, sqlite_db: Path) -> None:
    con = sqlite3.connect(sqlite_db)
    con.execute("CREATE TABLE notes (id INTEGER, note TEXT, seen TEXT)")
    con.executemany("INSERT INTO notes VALUES (?, NULL, NULL)", [(1,), (2,)])
    con.commit()
    con.close()
    columns = {"id": "int", "note": "str?", "seen": "datetime?"}
    books = catalog(
        root,
        source("notes", kind="sql", path="r57.sqlite", table="notes", columns=columns),
        source(
            "none",
            kind="sql",
            path="r57.sqlite",
            query="SELECT id, note, seen FROM notes WHERE id > 99",
            columns=columns,
        ),
    )
    schema = pl.Schema({"id": pl.Int64, "note": pl.String, "seen": pl.Datetime("us")})
    notes = books.frame("notes").collect()
    assert notes.schema == schema
    assert notes.rows() == [(1, None, None), (2, None, None)]
    empty = books.frame("none").collect()
    assert (empty.schema, empty.height) == (schema, 0)
    assert [health.status for health in books.health()] == ["ok", "ok"]


def test_sqlite_bad_values_are_reported(root: Path, sqlite_db: Path) -> None:
    con = sqlite3.connect(sqlite_db)
    con.execute("INSERT INTO tasks VALUES (5, 'so_xay_dung', '31/12/2025', NULL, 'n/a', 2)")
    con.commit()
    con.close()
    with pytest.raises(SourceError) as caught:
        catalog(
            root,
            source("tasks", kind="sql", path="r57.sqlite", table="tasks", columns=TASKS),
        ).frame("tasks")
    assert lines(caught.value) == [
        (
            "error: source 'tasks': column 'deadline': value '31/12/2025' (row 5) is not a date in "
            "the format %Y-%m-%d (date)"
        ),
        "error: source 'tasks': column 'budget': value 'n/a' (row 5) is not a number (float)",
        (
            "error: source 'tasks': column 'has_kpi': value '2' (row 5) is not true or false "
            "(bool: true/false, yes/no, 1/0)"
        ),
    ]


def test_sqlite_file_change_is_a_new_read(root: Path, sqlite_db: Path, scans: list[str]) -> None:
    books = catalog(
        root,
        source("tasks", kind="sql", path="r57.sqlite", table="tasks", columns=TASKS),
    )
    books.frame("tasks")
    books.frame("tasks")
    assert len(scans) == 1
    con = sqlite3.connect(sqlite_db)
    con.execute("DELETE FROM tasks WHERE id = 4")
    con.commit()
    con.close()
    assert books.frame("tasks").collect().height == 3
    assert len(scans) == 2


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"path": "../r57.sqlite", "table": "t"},
            "error: source 'tasks': path '../r57.sqlite' may not contain '..'",
        ),
        (
            {"path": "*.sqlite", "table": "t"},
            (
                "error: source 'tasks': the 'path' of a sql source must name one SQLite file, not the "
                "pattern '*.sqlite'"
            ),
        ),
        (
            {"url": "sqlite:////etc/r57.sqlite", "table": "t"},
            (
                "error: source 'tasks': a SQLite file is named by 'path' (under the data folder), not "
                "by 'url'"
            ),
        ),
        (
            {"url": "postgresql://x@h/db", "path": "r57.sqlite", "table": "t"},
            (
                "error: source 'tasks': a sql source needs exactly one of 'url' or 'path' (a SQLite "
                "file)"
            ),
        ),
        (
            {"path": "r57.sqlite"},
            "error: source 'tasks': a sql source needs exactly one of 'table' or 'query'",
        ),
        (
            {"path": "r57.sqlite", "table": "nope"},
            "error: source 'tasks': database error: no such table: nope",
        ),
        (
            {"url": "not a url", "table": "t"},
            (
                "error: source 'tasks': 'url' is not a valid SQLAlchemy database URL "
                "(dialect+driver://user:${VARIABLE}@host:port/db)"
            ),
        ),
    ],
)
def test_sql_definition_problems(
    root: Path, sqlite_db: Path, fields: dict[str, str], expected: str
) -> None:
    """Found where they can be first: by the kind's model when loading, else when reading."""
    raw = {"id": "tasks", "title": "T", "owner": "u", "kind": "sql", "columns": {"id": "int"}}
    spec, problems = parse_source({**raw, **fields}, file="sources.yaml")
    found = [problem.render("en").removeprefix("sources.yaml: ") for problem in problems]
    if spec is not None:
        with pytest.raises(SourceError) as caught:
            catalog(root, spec).frame("tasks")
        found = lines(caught.value)
    assert found == [expected]


def test_missing_environment_variable_is_named(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPI_TEST_MISSING", raising=False)
    spec = source(
        "tasks",
        kind="sql",
        table="t",
        columns={"id": "int"},
        url="postgresql+psycopg://app:${KPI_TEST_MISSING}@127.0.0.1:5432/test",
    )
    with pytest.raises(SourceError) as caught:
        catalog(root, spec).frame("tasks")
    assert lines(caught.value) == [
        "error: source 'tasks': 'KPI_TEST_MISSING' (used in 'url') is neither a set environment "
        "variable nor a key of .streamlit/secrets.toml"
    ]


@pytest.mark.parametrize(
    ("url", "module", "expected"),
    [
        (
            "postgresql+psycopg://u@h/db",
            "psycopg",
            (
                "the database driver for 'postgresql+psycopg' is not installed: pip install "
                "psycopg[binary]"
            ),
        ),
        (
            "mysql+pymysql://u@h/db",
            "pymysql",
            "the database driver for 'mysql+pymysql' is not installed: pip install pymysql",
        ),
    ],
)
def test_missing_driver_says_what_to_install(
    root: Path, monkeypatch: pytest.MonkeyPatch, url: str, module: str, expected: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(SourceError) as caught:
        catalog(root, source("tasks", kind="sql", url=url, table="t", columns={"id": "int"})).frame(
            "tasks"
        )
    assert lines(caught.value) == [f"error: source 'tasks': {expected}"]


def test_a_secret_never_appears_in_an_error(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_TEST_SECRET", "s3cr3t-Pa55")
    spec = source(
        "tasks",
        kind="sql",
        table="t",
        columns={"id": "int"},
        url="postgresql+psycopg://app:${KPI_TEST_SECRET}@127.0.0.1:1/test",
    )
    with pytest.raises(SourceError) as caught:
        catalog(root, spec).frame("tasks")
    [line] = lines(caught.value)
    assert line.startswith("error: source 'tasks': database error: ")
    assert "s3cr3t-Pa55" not in line and "s3cr3t-Pa55" not in str(caught.value)


# -- real servers ---------------------------------------------------------------------------------


@pytest.fixture(params=sorted(SERVERS))
def server_table(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    """``(backend, url, table)``: a uniquely named tasks table on a live server, dropped after."""
    backend = request.param
    name, url = SERVERS[backend]
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        needs_server(name, str(exc.orig).splitlines()[0] if exc.orig else str(exc))
    table_name = f"kpi_src_{uuid.uuid4().hex[:12]}"
    metadata = sa.MetaData()
    table = sa.Table(
        table_name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("unit", sa.String(64)),
        sa.Column("deadline", sa.Date),
        sa.Column("done_at", sa.DateTime(timezone=backend == "postgresql")),
        sa.Column("budget", sa.Numeric(14, 2)),
        sa.Column("has_kpi", sa.Boolean),
    )
    metadata.create_all(engine)
    aware = backend == "postgresql"  # timestamptz: written as Hanoi time, read back as UTC
    rows = [
        {
            "id": i,
            "unit": unit,
            "deadline": due,
            "done_at": done.replace(tzinfo=HANOI) if done and aware else done,
            "budget": budget,
            "has_kpi": kpi,
        }
        for i, unit, due, done, budget, kpi in ROWS
    ]
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)
    try:
        yield backend, url, table_name
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def test_server_table_typed_per_contract(root: Path, server_table: tuple[str, str, str]) -> None:
    _, url, table = server_table
    frame = catalog(root, source("tasks", kind="sql", url=url, table=table, columns=TASKS))
    assert frame.frame("tasks").collect().rows() == ROWS  # aware times back in Hanoi time


def test_server_query_with_time_pushdown(
    root: Path, server_table: tuple[str, str, str], statements: list[tuple[str, object]]
) -> None:
    _, url, table = server_table
    spec = source(
        "tasks",
        kind="sql",
        url=url,
        time_column="deadline",
        query=f"SELECT id, unit, deadline FROM {table} WHERE unit <> 'so_noi_vu'",  # noqa: S608, RUF100
        columns={"id": "int", "unit": "str", "deadline": "date"},
    )
    frame = catalog(root, spec).frame(
        "tasks", since=dt.date(2025, 11, 1), until=dt.date(2025, 11, 14)
    )
    assert frame.collect()["id"].to_list() == [2, 3]
    assert_bound(statements, dt.date(2025, 10, 31), dt.date(2025, 11, 16))


def test_server_query_text_and_read_only_transactions(
    root: Path, server_table: tuple[str, str, str]
) -> None:
    backend, url, table = server_table
    read_only = {
        "postgresql": "current_setting('transaction_read_only')",
        "mariadb": "CAST(@@tx_read_only AS CHAR)",
    }[backend]
    cast = "CAST(id AS CHAR)" if backend == "mariadb" else "id::text"  # '::' is no parameter
    spec = source(
        "tasks",
        kind="sql",
        url=url,
        query=f"SELECT id, {cast} AS code, {read_only} AS ro, 'a:b' AS note "  # noqa: S608, RUF100
        f"FROM {table} WHERE unit <> 'x:y' AND unit LIKE 'so%'",
        columns={"id": "int", "code": "str", "ro": "str", "note": "str"},
    )
    frame = catalog(root, spec).frame("tasks").collect().sort("id")
    assert frame["code"].to_list() == ["1", "2", "3", "4"]
    assert set(frame["ro"].str.to_lowercase()) == {"on"}
    assert set(frame["note"]) == {"a:b"}


def test_server_credentials_from_the_environment(
    root: Path, server_table: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backend, url, table = server_table
    user = url.split("://")[1].split("@")[0]
    monkeypatch.setenv("KPI_TEST_DB_USER", user)
    monkeypatch.setenv(
        "KPI_TEST_DB_PASSWORD", "unused-under-trust" if backend == "postgresql" else ""
    )
    templated = url.replace(f"://{user}@", "://${KPI_TEST_DB_USER}:${KPI_TEST_DB_PASSWORD}@")
    spec = source("tasks", kind="sql", url=templated, table=table, columns={"id": "int"})
    assert catalog(root, spec).frame("tasks").collect().height == len(ROWS)


def test_server_reads_are_cached_for_the_time_to_live(
    root: Path, server_table: tuple[str, str, str], scans: list[str]
) -> None:
    _, url, table = server_table
    now = [1_200_000.0]  # the start of a 60-second bucket
    books = catalog(
        root,
        source("tasks", kind="sql", url=url, table=table, columns={"id": "int"}),
        sql_ttl=60,
        clock=lambda: now[0],
    )
    fingerprint = books.fingerprint("tasks")
    books.frame("tasks")
    now[0] += 30
    books.frame("tasks")
    assert len(scans) == 1
    assert books.fingerprint("tasks") == fingerprint
    now[0] += 60
    assert books.fingerprint("tasks") != fingerprint
    books.frame("tasks")
    assert len(scans) == 2


def test_server_missing_table_is_a_source_error(
    root: Path, server_table: tuple[str, str, str]
) -> None:
    _, url, table = server_table
    books = catalog(
        root,
        source("tasks", kind="sql", url=url, table=table + "_nope", columns={"id": "int"}),
    )
    [health] = books.health()
    assert health.status == "failed"
    assert health.error is not None
    assert health.error.render("en").startswith("error: source 'tasks': database error: ")
    assert table + "_nope" in health.error.render("en")
