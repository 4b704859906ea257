"""The locks pin what the requirements ask for, with hashes, so a fresh machine installs the same.

``requirements.txt`` and ``tests/requirements.txt`` keep loose lower bounds for whoever embeds the
code; the README's commands and ``.ci/run`` install the locks. Read offline: no index is asked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

LOCKS = {
    REPO / "requirements.txt": REPO / "requirements.lock",
    REPO / "tests" / "requirements.txt": REPO / "tests" / "requirements.lock",
}
REFRESH = "see docs/development.md: pip-compile --generate-hashes ..."


def requirements(path: Path) -> list[Requirement]:
    """Every requirement of a requirements file, following its ``-r`` includes."""
    found: list[Requirement] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r"):
            found += requirements((path.parent / line[2:].strip()).resolve())
        elif line:
            found.append(Requirement(line))
    return found


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """Each pinned package of a lock: its version and how many hashes it has."""
    text = lock.read_text(encoding="utf-8")
    found: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s\\]+)", block)
        if not match:
            continue
        name = canonicalize_name(match.group(1))
        assert name not in found, f"{lock.name} pins {name} twice"
        found[name] = (match.group(2), block.count("--hash=sha256:"))
    return found


@pytest.mark.parametrize(("source", "lock"), LOCKS.items(), ids=lambda p: str(p))
def test_every_requirement_is_pinned_within_its_bounds_with_hashes(source: Path, lock: Path):
    pinned = pins(lock)
    for requirement in requirements(source):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock.name} lacks {requirement.name}: {REFRESH}"
        version, hashes = pinned[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, outside {requirement.specifier}: {REFRESH}"
        )
        assert hashes, f"{lock.name} has no hash for {name}"
    assert all(hashes for _, hashes in pinned.values()), f"{lock.name}: a pin without a hash"


@pytest.mark.parametrize("lock", LOCKS.values(), ids=lambda p: str(p))
def test_the_lock_says_how_it_was_made(lock: Path):
    assert "pip-compile" in lock.read_text(encoding="utf-8").split("\n\n", 1)[0]


def test_the_runtime_lock_agrees_with_the_test_lock():
    runtime, tests = pins(REPO / "requirements.lock"), pins(REPO / "tests" / "requirements.lock")
    differ = {n: (v, tests[n][0]) for n, (v, _) in runtime.items() if tests.get(n, (v,))[0] != v}
    assert not differ, f"the two locks pin different versions: {differ}"


def test_the_documented_commands_install_the_locks():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.lock" in readme
    assert "pip install -r tests/requirements.lock" in readme
    assert "tests/requirements.lock" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
