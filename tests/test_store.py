"""The snapshot store on SQLite and on a real PostgreSQL: publish, list, read back, publish twice."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from metrics.store import SnapshotValue, Store, StoreError, default_url
from tests.conftest import PG_URL, REPO
from tests.support import config_from

AS_OF = dt.date(2025, 11, 14)
LAYOUT = {"title": {"vi": "Hội nghị Ban Chỉ đạo", "en": "Steering board"}, "slides": [{"n": 1}]}


def figures(overdue: float = 12.0) -> list[SnapshotValue]:
    return [
        SnapshotValue(
            slide=0,
            role="card",
            metric="tasks_overdue_central",
            period_start=dt.date(2025, 11, 1),
            period_end=AS_OF,
            value=overdue,
            target=0.0,
            expected=0.0,
            status="off_track",
            delta=-3.0,
        ),
        SnapshotValue(
            slide=0,
            role="card",
            metric="reports_on_time_rate",
            period_start=dt.date(2025, 11, 1),
            period_end=AS_OF,
            value=0.1 + 0.2,  # not a "round" float: it must come back bit for bit
            target=0.95,
            expected=0.95,
            status="off_track",
            delta=None,
        ),
        SnapshotValue(
            slide=0,
            role="chart",
            metric="tasks_overdue",
            period_start=dt.date(2025, 11, 1),
            period_end=AS_OF,
            value=2.0,
            target=0.0,
            expected=0.0,
            status="at_risk",
            delta=0.0,
            dimensions={"unit": "so_y_te"},
        ),
    ]


def publish(store: Store, label: str = "Hội nghị 14/11", **changes: object):
    values = changes.pop("values", None) or figures()
    args = {
        "label": label,
        "board_id": "conference-2025-11-14",
        "as_of": AS_OF,
        "grain": "month",
        "config_hash": "abc123",
        "author": "Văn phòng Thành ủy",
        "layout": LAYOUT,
        "values": values,
        **changes,
    }
    return store.publish(**args)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    """A fresh store: SQLite in a temporary folder, or a schema of its own on PostgreSQL."""
    if request.param == "sqlite":
        yield Store(f"sqlite:///{tmp_path / 'state' / 'store.sqlite'}")
        return
    yield Store(PG_URL, schema=request.getfixturevalue("pg_schema"))


def test_publish_list_and_read_back(store: Store) -> None:
    done = publish(store)
    assert done.created
    info = done.snapshot
    assert info.label == "Hội nghị 14/11" and info.author == "Văn phòng Thành ủy"
    assert info.as_of == AS_OF and info.board_id == "conference-2025-11-14"
    assert info.created_at.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - info.created_at) < dt.timedelta(minutes=5)

    assert store.list_snapshots() == [info]
    assert store.list_snapshots("conference-2025-11-14") == [info]
    assert store.list_snapshots("another-board") == []

    snapshot = store.read(info.id)
    assert snapshot.info == info
    assert snapshot.layout == LAYOUT
    assert snapshot.values == tuple(figures())  # order, floats, None and dimensions intact


def test_publishing_twice_keeps_one_snapshot(store: Store) -> None:
    first = publish(store)
    again = publish(store, author="someone else", now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert not again.created
    assert again.snapshot == first.snapshot
    assert len(store.list_snapshots()) == 1

    corrected = publish(store, values=figures(overdue=13.0))  # same label, new figures
    renamed = publish(store, label="Giao ban tháng 11")  # same figures, new label
    assert corrected.created and renamed.created
    assert len({first.snapshot.id, corrected.snapshot.id, renamed.snapshot.id}) == 3
    assert store.list_snapshots()[0].id == renamed.snapshot.id  # newest first
    assert store.read(corrected.snapshot.id).values[0].value == 13.0


def test_reading_a_missing_snapshot_names_it(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.read(424242)
    assert "424242" in caught.value.render("en")
    assert "không có bản chốt số liệu số 424242" in caught.value.render("vi")
    for past_any_id in (0, -1, 2**63, 10**23):  # not a database error: no such snapshot
        with pytest.raises(StoreError, match="no published snapshot"):
            store.read(past_any_id)


def test_sqlite_writes_begin_immediate(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2].strip()))
    publish(store)
    store.list_snapshots()
    assert "BEGIN IMMEDIATE" in seen  # the publish
    assert "BEGIN DEFERRED" in seen  # the read takes no write lock


def test_concurrent_publishers_on_sqlite_lose_nothing(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            publish(Store(url), label="same")  # everyone publishes the same snapshot...
            publish(Store(url), label=f"own {n}")  # ...and one of their own
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    labels = sorted(s.label for s in Store(url).list_snapshots())
    assert labels == sorted(["same", *(f"own {n}" for n in range(8))])


def test_an_unreachable_database_is_a_clear_error_without_the_password() -> None:
    store = Store("postgresql+psycopg://kpi:s3cret@127.0.0.1:1/none")
    with pytest.raises(StoreError) as caught:
        store.list_snapshots()
    text = caught.value.render("en")
    assert "127.0.0.1:1" in text and "s3cret" not in text


def test_the_store_url_comes_from_env_then_settings_then_the_state_folder(tmp_path, monkeypatch):
    sources = """\
sources:
  - id: s
    title: S
    owner: u1
    kind: csv
    path: s.csv
    columns: {x: int}
"""
    metrics = "metrics:\n  - id: m\n    title: M\n    theme: t\n    source: s\n    value: count()\n"
    monkeypatch.delenv("KPI_STORE_URL", raising=False)
    config = config_from(tmp_path, sources=sources, metrics=metrics)
    assert default_url(config) == f"sqlite:///{tmp_path / 'config' / 'state' / 'store.sqlite'}"
    Store(default_url(config)).list_snapshots()  # created on first use, folders included
    assert (tmp_path / "config" / "state" / "store.sqlite").exists()

    settings = "title: T\nstore_url: sqlite:///elsewhere.sqlite\nthemes:\n  - {id: t, title: T}\n"
    config = config_from(tmp_path, sources=sources, metrics=metrics, settings=settings)
    assert default_url(config) == "sqlite:///elsewhere.sqlite"
    monkeypatch.setenv("KPI_STORE_URL", PG_URL)
    assert default_url(config) == PG_URL


def test_the_store_module_survives_being_imported_again(tmp_path) -> None:
    """Streamlit re-imports changed modules while the app runs; the tables must not fail then."""
    script = f"""
import importlib, sys, warnings
warnings.simplefilter("ignore")
import metrics.store
for name in [m for m in sys.modules if m.startswith("metrics.store")]:
    del sys.modules[name]
store = importlib.import_module("metrics.store").Store("sqlite:///{tmp_path / "s.sqlite"}")
print(len(store.list_snapshots()))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "0", done.stderr
