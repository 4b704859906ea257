"""The store's schema versions (Alembic), on SQLite and on a real PostgreSQL: a fresh store is
made at the newest revision and agrees with the tables; a store made before versions is stamped
and kept; an upgrade keeps every row; eight processes starting, publishing, adding directives
and updating them at once on a fresh store lose nothing and never see "database is locked"."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from metrics.store import Directives, KpiSnapshot, KpiSnapshotValue, Store, StoreModel
from metrics.store import schema as versions
from tests.conftest import PG_URL, REPO
from tests.test_store import publish, store  # noqa: F401 (the fixture)

PROCESSES = 8
EACH = 4  # snapshots each process publishes


def _revision(store: Store) -> str | None:  # noqa: F811 (the fixture's name)
    with store.engine.connect() as connection:
        return versions.current(connection, store.schema)


def test_a_fresh_store_is_at_the_newest_revision_and_agrees_with_the_tables(store: Store) -> None:  # noqa: F811
    publish(store)
    assert _revision(store) == versions.head()
    with store.engine.connect() as connection:
        if store.schema:  # the tables live in the store's own schema
            connection.exec_driver_sql(f'SET search_path TO "{store.schema}"')
        context = MigrationContext.configure(
            connection,
            opts={
                "version_table": versions.VERSION_TABLE,
                "version_table_schema": store.schema,
                "include_schemas": False,
                "include_name": lambda name, kind, _: name != versions.VERSION_TABLE,
            },
        )
        differences = compare_metadata(context, StoreModel.metadata)
    assert differences == []  # a change to tables.py needs its revision


def test_a_store_made_before_versions_is_stamped_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = create_engine(f"sqlite:///{path}")
    snapshots = [KpiSnapshot.__table__, KpiSnapshotValue.__table__]  # type: ignore[attr-defined]
    StoreModel.metadata.create_all(old, tables=snapshots)  # as the store made them before versions
    old.dispose()
    url = f"sqlite:///{path}"
    with create_engine(url).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO kpi_snapshot (label, board_id, as_of, grain, config_hash, author, "
                "created_at, digest, layout) VALUES ('cũ', 'b', '2025-11-14', 'month', 'h', 'a', "
                "'2025-11-14 08:00:00', 'd', '{}')"
            )
        )
    store = Store(url)  # noqa: F811
    assert [s.label for s in store.list_snapshots()] == ["cũ"]
    assert _revision(store) == versions.head()
    assert publish(store).created


def test_an_upgrade_from_the_first_revision_keeps_every_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'first.sqlite'}"
    engine = create_engine(url)
    versions.upgrade(engine, engine, to=versions.FIRST_REVISION)
    with engine.connect() as connection:
        assert versions.current(connection, None) == versions.FIRST_REVISION
    engine.dispose()
    first = Store(url)
    done = publish(first)  # a row in every table of the first revision
    before = first.read(done.snapshot.id)
    versions.upgrade(first.engine, first.engine)
    after = Store(url).read(done.snapshot.id)
    assert after.values == before.values and after.info == before.info


_WORKER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    import datetime as dt
    from metrics.store import Directives, Store
    from tests.test_store import publish
    start, n = float(sys.argv[1]), int(sys.argv[2])
    while time.time() < start:
        time.sleep(0.005)
    store = Store({url!r}, schema={schema!r})  # each process opens (and migrates) the store
    directives = Directives({url!r}, schema={schema!r})
    for k in range({each}):
        publish(store, label=f"process {{n}} snapshot {{k}}")
        publish(store, label="the same for everyone")
        given = directives.add(text=f"{{n}}/{{k}}", metric="m", responsible="u",
                               due=dt.date(2025, 12, 1), given_by=f"process {{n}}")
        directives.update(given.id, by=f"process {{n}}", status="done")
    """
)


def _race(url: str, schema: str | None, tmp_path: Path) -> None:
    script = tmp_path / "worker.py"
    script.write_text(
        _WORKER.format(repo=str(REPO), url=url, schema=schema, each=EACH), encoding="utf-8"
    )
    start = time.time() + 2.0  # every process is up and waiting before the first opens the store
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(start), str(n)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    outcomes = [(p.wait(timeout=180), p.stderr.read() if p.stderr else "") for p in processes]
    assert [code for code, _ in outcomes] == [0] * PROCESSES, outcomes
    assert not any("locked" in err for _, err in outcomes)
    labels = sorted(s.label for s in Store(url, schema=schema).list_snapshots(limit=1000))
    expected = [f"process {n} snapshot {k}" for n in range(PROCESSES) for k in range(EACH)]
    assert labels == sorted([*expected, "the same for everyone"])
    given = Directives(url, schema=schema).find()
    assert sorted(d.text for d in given) == sorted(
        f"{n}/{k}" for n in range(PROCESSES) for k in range(EACH)
    )
    assert all(d.status == "done" and len(d.updates) == 1 for d in given)


def test_eight_processes_start_and_publish_on_a_fresh_sqlite_store(tmp_path: Path) -> None:
    _race(f"sqlite:///{tmp_path / 'fresh' / 'store.sqlite'}", None, tmp_path)


def test_eight_processes_start_and_publish_on_a_fresh_postgresql_schema(
    pg_schema: str, tmp_path: Path
) -> None:
    _race(PG_URL, pg_schema, tmp_path)
