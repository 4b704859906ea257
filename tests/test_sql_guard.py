"""A SQL source cannot harm the database: one read-only SELECT, cut at its timeout.

On SQLite files and on real PostgreSQL and MariaDB servers (CI fails, not skips, without them):
every escape is refused where it is written, and even with the parser's check taken away the
read-only transaction refuses to write; after each attempt the table that was to be created does
not exist and the rows that were to be deleted are still there. A slow query is cut at its
``timeout`` and costs only its own metrics.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from metrics.engine import Request, compute
from metrics.loader import load_config
from metrics.workspace import open_workspace
from sources.errors import SourceError
from sources.kinds import sql as sql_kind
from sources.kinds.sqlguard import query_problem
from tests.conftest import needs_server
from tests.sources_support import catalog, lines, source
from tests.support import write_config
from tests.test_sources_sql import SERVERS

ESCAPES = {
    "closes the wrapper": "SELECT 1 AS id) AS q0; COMMIT; CREATE TABLE {victim} (a int); SELECT (1",
    "two statements": "SELECT id FROM {table}; CREATE TABLE {victim} (a int)",
    "deleting CTE": "WITH d AS (DELETE FROM {table} RETURNING id) SELECT id FROM d",
    "select into": "SELECT id INTO {victim} FROM {table}",
}


@pytest.mark.parametrize(
    ("query", "dialect", "expected"),
    [
        ("SELECT id, unit FROM t WHERE unit <> 'x:y'", "postgres", None),
        ("SELECT a FROM t UNION ALL SELECT b FROM u", "mysql", None),
        ("WITH c AS (SELECT 1 AS a) SELECT a FROM c", "sqlite", None),
        ("SELECT 1;", "postgres", None),
        ("SELECT 1 AS x) AS q0; COMMIT; CREATE TABLE p (a int)", "postgres", "sql.query_parse"),
        ("SELECT 1; SELECT 2", "postgres", "sql.query_one"),
        ("", "postgres", "sql.query_one"),
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "postgres", "sql.query_writes"),
        (
            "WITH i AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT 1",
            "postgres",
            "sql.query_writes",
        ),
        ("SELECT * INTO n FROM t", "postgres", "sql.query_writes"),
        ("SELECT * FROM t FOR UPDATE", "postgres", "sql.query_writes"),
        ("UPDATE t SET a = 1", "mysql", "sql.query_select"),
        ("COPY t TO '/tmp/x'", "postgres", "sql.query_select"),
        ("EXPLAIN ANALYZE DELETE FROM t", "postgres", "sql.query_select"),
        ("DROP TABLE t", "sqlite", "sql.query_select"),
    ],
)
def test_only_one_select_that_reads_passes(query: str, dialect: str, expected: str | None) -> None:
    found = query_problem(query, dialect)
    assert (found[0] if found else None) == expected


def test_a_writing_query_is_a_validation_error_where_it_is_written(tmp_path: Path) -> None:
    sources = """\
        sources:
          - id: tasks
            title: Nhiệm vụ
            owner: u1
            kind: sql
            path: r57.sqlite
            query: WITH d AS (DELETE FROM tasks RETURNING id) SELECT id FROM d
            columns: {id: int}
        """
    metrics = "metrics:\n  - {id: n, title: N, theme: t, source: tasks, value: count()}\n"
    problems = load_config(write_config(tmp_path, sources=sources, metrics=metrics)).problems
    found = [p.render("en") for p in problems if p.subject_id == "tasks"]
    assert found == [
        "config/sources.yaml:7:12: error: source 'tasks': 'query' contains DELETE: a source may "
        "only read, never write or lock data"
    ] or found[0].endswith(
        "sources.yaml:7:12: error: source 'tasks': 'query' contains DELETE: a source may only "
        "read, never write or lock data"
    )
    (vi,) = [p.render("vi") for p in problems if p.subject_id == "tasks"]
    assert "chỉ được đọc, không được ghi" in vi


# -- the same escapes on SQLite, PostgreSQL and MariaDB ------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path.resolve() / "data"
    folder.mkdir()
    return folder


def _server(backend: str) -> tuple[sa.Engine, str]:
    """An engine on the live server, and its URL; fails in CI, skips elsewhere, without it."""
    name, url = SERVERS[backend]
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        engine.connect().close()
    except sa.exc.SQLAlchemyError as exc:
        needs_server(name, str(exc).splitlines()[0])
    return engine, url


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def database(request: pytest.FixtureRequest, root: Path):
    """``(backend, fields, table, engine)``: a table of four rows, dropped after."""
    backend = request.param
    table = f"kpi_guard_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        engine = sa.create_engine(f"sqlite:///{root / 'r57.sqlite'}", poolclass=NullPool)
        fields: dict[str, str] = {"path": "r57.sqlite"}
    else:
        engine, url = _server(backend)
        fields = {"url": url}
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE TABLE {table} (id INTEGER, unit VARCHAR(8))"))
        for i in range(4):
            connection.execute(
                sa.text(f"INSERT INTO {table} VALUES (:i, :u)"),  # noqa: S608 - our own name
                {"i": i, "u": f"u{i}"},
            )
    yield backend, fields, table, engine
    with engine.begin() as connection:
        for name in (table, _victim(table)):
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {name}"))
    engine.dispose()


def _victim(table: str) -> str:
    return f"pwn_{table[-8:]}"


def _state(engine: sa.Engine, table: str) -> tuple[int, bool]:
    """How many rows ``table`` has, and whether the table an escape would create exists."""
    with engine.connect() as connection:
        rows = connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()  # noqa: S608
    return int(rows), sa.inspect(engine).has_table(_victim(table))


@pytest.mark.parametrize("escape", sorted(ESCAPES))
@pytest.mark.parametrize("guarded", [True, False], ids=["parsed", "parser-bypassed"])
def test_no_escape_writes(
    database, root: Path, escape: str, guarded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, fields, table, engine = database
    assert _state(engine, table) == (4, False)
    if not guarded:  # the second guard alone: the read-only transaction
        monkeypatch.setattr(sql_kind, "query_problem", lambda query, dialect: None)
    query = ESCAPES[escape].format(table=table, victim=_victim(table))
    spec = source("tasks", kind="sql", query=query, columns={"id": "int"}, **fields)
    with pytest.raises(SourceError) as caught:
        catalog(root, spec).frame("tasks").collect()
    assert _state(engine, table) == (4, False)  # nothing created, nothing deleted
    if guarded:
        assert "'query'" in lines(caught.value)[0]


SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x AS id FROM c WHERE x < 0",
    "postgresql": "SELECT 1 AS id FROM pg_sleep(45)",
    "mariadb": "SELECT SLEEP(45) AS id",
}


@pytest.mark.parametrize("backend", sorted(SLOW))
def test_a_slow_query_is_cut_at_its_timeout(backend: str, root: Path) -> None:
    if backend == "sqlite":
        sqlite3.connect(root / "slow.sqlite").close()
        fields = {"path": "slow.sqlite"}
    else:
        fields = {"url": _server(backend)[1]}
    spec = source(
        "slow", kind="sql", query=SLOW[backend], timeout=1, columns={"id": "int"}, **fields
    )
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        catalog(root, spec).frame("slow").collect()
    assert time.monotonic() - started < 10
    assert lines(caught.value) == [
        "error: source 'slow': the query timed out and was stopped after 1 s (raise 'timeout' if "
        "needed)"
    ]
    assert "quá thời gian" in lines(caught.value, "vi")[0]


def test_a_slow_source_costs_only_its_own_metrics(tmp_path: Path) -> None:
    sources = """\
        sources:
          - id: slow
            title: Chậm
            owner: u1
            kind: sql
            path: slow.sqlite
            timeout: 1
            query: >
              WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
              SELECT x AS id FROM c WHERE x < 0
            columns: {id: int}
          - id: fine
            title: Tốt
            owner: u1
            kind: csv
            path: fine.csv
            columns: {day: date}
        """
    metrics = """\
        metrics:
          - {id: slow_count, title: Chậm, theme: t, source: slow, value: count()}
          - {id: fine_count, title: Tốt, theme: t, source: fine, value: count()}
        """
    folder = write_config(tmp_path, sources=sources, metrics=metrics)
    (folder / "data").mkdir()
    sqlite3.connect(folder / "data" / "slow.sqlite").close()
    (folder / "data" / "fine.csv").write_text("day\n2025-11-03\n", encoding="utf-8")
    workspace = open_workspace(folder)
    started = time.monotonic()
    results = compute(workspace.config, workspace.catalog, Request(dt.date(2025, 11, 14)))
    assert time.monotonic() - started < 10
    fine = results.values.filter(pl.col("metric") == "fine_count")["value"].to_list()
    assert fine == [1.0]
    (error,) = results.errors
    assert error.metric == "slow_count" and "timed out" in error.problem.text("en")


# -- secrets by reference -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "part"),
    [
        ("postgresql+psycopg://reader:s3cr3t-Pa55@db.internal/r57", "a password"),
        ("postgresql://reader:s3cr3t-Pa55@db.internal:5432/r57", "a password"),
        ("mysql+pymysql://root:s3cr3t-Pa55@127.0.0.1/test?charset=utf8mb4", "a password"),
        ("postgresql://reader:s3cr3t%2DPa55@db/r57", "a password"),  # percent-encoded
        ("postgresql://reader@db/r57?password=s3cr3t-Pa55", "the parameter 'password'"),
        ("postgresql://db/r57?user=reader&sslpassword=s3cr3t-Pa55", "the parameter 'sslpassword'"),
        ("mssql+pyodbc://db/r57?token=s3cr3t-Pa55", "the parameter 'token'"),
    ],
)
def test_an_inline_secret_is_an_error_that_never_repeats_it(
    tmp_path: Path, url: str, part: str
) -> None:
    sources = f"""\
        sources:
          - id: tasks
            title: Nhiệm vụ
            owner: u1
            kind: sql
            url: "{url}"
            table: tasks
            columns: {{id: int}}
        """
    metrics = "metrics:\n  - {id: n, title: N, theme: t, source: tasks, value: count()}\n"
    problems = load_config(write_config(tmp_path, sources=sources, metrics=metrics)).problems
    found = [p for p in problems if p.subject_id == "tasks" and p.code == "sql.inline_secret"]
    assert len(found) == 1 and found[0].level == "error"
    for lang in ("vi", "en"):
        text = found[0].render(lang)
        assert "s3cr3t" not in text and "sources.yaml:6:10" in text
    assert f"holds {part} written inline" in found[0].render("en")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://reader:${TASKS_DB_PASSWORD}@db.internal/r57",
        "postgresql://reader@db/r57?password=${TASKS_DB_PASSWORD}",
        "postgresql://reader@db/r57?sslmode=require",
    ],
)
def test_a_named_secret_passes(url: str) -> None:
    assert sql_kind._inline_secret(url) is None


def test_a_name_resolves_from_the_environment_then_the_secrets_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sources import secrets

    file = tmp_path / "secrets.toml"
    file.write_text('TASKS_DB_PASSWORD = "from-the-file"\n', encoding="utf-8")
    monkeypatch.setattr(secrets, "PROJECT_SECRETS", file)
    monkeypatch.delenv("TASKS_DB_PASSWORD", raising=False)
    assert secrets.lookup("TASKS_DB_PASSWORD") == "from-the-file"
    monkeypatch.setenv("TASKS_DB_PASSWORD", "from-the-environment")
    assert secrets.lookup("TASKS_DB_PASSWORD") == "from-the-environment"
    assert secrets.lookup("NOT_THERE") is None
