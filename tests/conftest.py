"""Shared fixtures. Tests run from the repository root (``python -m pytest``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def needs_server(name: str, reason: str) -> None:
    """A test that needs a database server fails in CI when it is unreachable, and skips elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but unreachable: {reason}")
    pytest.skip(f"needs {name}: {reason}")


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
