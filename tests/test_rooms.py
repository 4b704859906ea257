"""The dashboard's one data door: caching and the store live in ``dashboard/data.py`` alone.

Whatever later decides who may see what (a role, a unit scope) must be checked where data is
read; that is only possible while every cached read and every opening of the store goes through
one module. Read with ``ast``, so a decorator, a call or an alias anywhere else fails the test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import REPO

DOOR = REPO / "dashboard" / "data.py"
CACHES = {"cache_data", "cache_resource"}


def _dashboard_files() -> list[Path]:
    return [REPO / "app.py", *sorted((REPO / "dashboard").rglob("*.py"))]


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in CACHES:
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: st.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and any(a.name in CACHES for a in node.names):
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: imports a cache decorator")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Store":
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: opens the store")
        elif (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("metrics.store")
            and any(a.name in ("Store", "default_url") for a in node.names)
        ):
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: imports the store")
    return found


def test_only_the_data_module_caches_or_opens_the_store() -> None:
    offences = [o for path in _dashboard_files() if path != DOOR for o in _offences(path)]
    assert offences == [], "go through dashboard/data.py:\n" + "\n".join(offences)


def test_the_data_module_is_where_they_are() -> None:
    found = _offences(DOOR)
    assert any("cache_data" in o for o in found) and any("opens the store" in o for o in found)


def test_each_vocabulary_is_defined_once() -> None:
    """``Lang`` lives in ``sources.problems`` and ``Grain`` in ``metrics.spec``; every other
    module imports them, so a third language or grain is one edit."""
    owners = {"Lang": "sources/problems.py", "Grain": "metrics/spec.py"}
    defined: dict[str, list[str]] = {name: [] for name in owners}
    for folder in ("sources", "metrics", "dashboard"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in defined:
                        defined[target.id].append(path.relative_to(REPO).as_posix())
    assert defined == {name: [owner] for name, owner in owners.items()}


def test_colours_live_in_the_style_module() -> None:
    """A colour written anywhere but ``dashboard/style.py`` is a status or a palette that can
    drift from the one on the cards, charts and slides."""
    colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    style = REPO / "dashboard" / "style.py"
    found = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in _dashboard_files()
        if path != style
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if colour.search(line)
    ]
    assert found == [], "use dashboard.style:\n" + "\n".join(found)
    assert colour.search(style.read_text(encoding="utf-8"))


def test_one_list_of_pages() -> None:
    """Every page module is in ``dashboard.pages.PAGES`` (and every entry has its module), and
    no other file names a page's file: links and the navigation find it in the list."""
    from dashboard.i18n import TEXTS
    from dashboard.pages import PAGES

    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "dashboard").glob("page_*.py")}
    assert {page.file for page in PAGES} == modules
    assert all(f"page.{page.name}" in TEXTS for page in PAGES)
    assert sum(page.default for page in PAGES) == 1
    named = [
        f"{path.relative_to(REPO)}:{n}"
        for path in _dashboard_files()
        if path.name != "pages.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""["']dashboard/page_\w+\.py""", line)
    ]
    assert named == [], "name the page, not its file: " + ", ".join(named)


def test_no_module_is_over_a_thousand_lines() -> None:
    """A module that long does several jobs; split it where its sections already are."""
    long = [
        f"{path.relative_to(REPO)}: {n} lines"
        for folder in ("sources", "metrics", "dashboard")
        for path in sorted((REPO / folder).rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 1000
    ]
    assert long == []
