"""Shared fixtures. Tests run from the repository root (``python -m pytest``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFERENCE = "conference-2025-11-14"  # the demo's board for the conference of 14/11/2025
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"  # see docs/development.md


def needs_server(name: str, reason: str) -> None:
    """A test that needs a database server fails in CI when it is unreachable, and skips elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but unreachable: {reason}")
    pytest.skip(f"needs {name}: {reason}")


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema of its own on the test PostgreSQL (``PG_URL``), dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    admin = create_engine(PG_URL)
    try:
        with admin.connect():
            pass
    except OperationalError as exc:
        admin.dispose()
        needs_server("PostgreSQL at 127.0.0.1:5432 (database test)", str(exc.orig).strip())
    schema = f"kpi_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(autouse=True, scope="session")
def data_roots_for_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests keep their data folders under pytest's temporary folder: list it as an allowed
    data root (``KPI_DATA_ROOTS``), as an operator would list a deployment's data folder. The
    app and the CLIs that tests start inherit it."""
    base = str(tmp_path_factory.getbasetemp().resolve())
    before = os.environ.get("KPI_DATA_ROOTS")
    os.environ["KPI_DATA_ROOTS"] = base
    yield
    if before is None:
        os.environ.pop("KPI_DATA_ROOTS", None)
    else:
        os.environ["KPI_DATA_ROOTS"] = before


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    """The repository's configuration copied to ``tmp_path/config`` to be edited by a test: it
    reads the project's demo data and keeps its state (the store, the last valid versions)
    under ``tmp_path/state``."""
    import shutil

    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    settings = config / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    for old, new in (
        ("data_root: ../data", f"data_root: {REPO / 'data'}"),
        ("state_dir: ../state", f"state_dir: {tmp_path / 'state'}"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    settings.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def workspace():  # -> metrics.workspace.Workspace (imported late: conftest loads first)
    """The repository's configuration with the demo data, as the entry points open it."""
    from metrics.workspace import open_workspace

    return open_workspace(REPO / "config", generate_demo=True)


@pytest.fixture(scope="module")
def deck(workspace):  # -> metrics.deck.Deck
    """The demo conference's deck, as the presenter and the briefings show it."""
    from metrics.deck import compute_deck

    board = workspace.config.boards[CONFERENCE]
    return compute_deck(
        workspace.config, workspace.catalog, board, as_of_default=workspace.default_as_of()
    )
