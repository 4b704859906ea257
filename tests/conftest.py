"""Shared fixtures. Tests run from the repository root (``python -m pytest``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def needs_server(name: str, reason: str) -> None:
    """A test that needs a database server fails in CI when it is unreachable, and skips elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but unreachable: {reason}")
    pytest.skip(f"needs {name}: {reason}")
