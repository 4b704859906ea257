"""The repository stays ruff-clean, and staff formulas are never executed as code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CODE = [
    p
    for folder in ("app.py", "metrics", "sources", "dashboard")
    for p in ([REPO / folder] if folder.endswith(".py") else sorted((REPO / folder).rglob("*.py")))
    if p.exists()
]


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -r tests/requirements.txt)")
    done = subprocess.run(
        [ruff, "check", "--config", ".ci/ruff.toml", "."], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_code_execution_or_polars_sql_anywhere():
    forbidden = re.compile(
        r"(?<![.\w])(eval|exec)\(|pl\.sql\(|sql_expr\(|SQLContext|unsafe_allow_html\s*=\s*True"
    )
    hits = [
        f"{p.relative_to(REPO)}:{n}"
        for p in CODE
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert not hits, hits


def test_python_is_3_11_or_newer():
    assert sys.version_info >= (3, 11)
