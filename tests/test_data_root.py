"""The data root is confined: inside the project, or a folder the operator lists.

``data_root: /`` (then ``path: etc/passwd``), a root that climbs out with ``..``, and a root that
is a symbolic link to a folder outside are each a validation error at settings.yaml's data_root,
and the catalogue reads nothing from such a root whoever built it. Source paths inside the root
(``..``, absolute paths, links leading out) are checked in ``test_sources_paths``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from metrics.loader import load_config
from sources.errors import SourceError
from tests.sources_support import catalog, lines, source
from tests.support import SETTINGS, write_config

SOURCES = """\
sources:
  - id: passwd
    title: Mật khẩu
    owner: u1
    kind: csv
    path: etc/passwd
    columns: {line: str}
"""
METRICS = "metrics:\n  - {id: n, title: N, theme: t, source: passwd, value: count()}\n"


def problems(tmp_path: Path, data_root: str) -> list[str]:
    folder = write_config(
        tmp_path, sources=SOURCES, metrics=METRICS, settings=SETTINGS + f"data_root: {data_root}\n"
    )
    return [p.render("en") for p in load_config(folder).problems]


@pytest.fixture
def only_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a server where the operator lists no other folder."""
    monkeypatch.delenv("KPI_DATA_ROOTS", raising=False)


@pytest.mark.parametrize("data_root", ["/", "../../../..", "/etc"])
def test_a_root_outside_the_project_is_an_error_at_its_line(
    tmp_path: Path, data_root: str, only_the_project: None
) -> None:
    found = [line for line in problems(tmp_path, data_root) if "data folder" in line]
    assert len(found) == 1, found
    assert "settings.yaml:7:12: error: settings: the data folder" in found[0]
    assert "is outside the project" in found[0] and "KPI_DATA_ROOTS" in found[0]


def test_the_catalogue_reads_nothing_from_such_a_root(only_the_project: None) -> None:
    books = catalog(Path("/"), source("passwd", path="etc/passwd", columns={"line": "str"}))
    with pytest.raises(SourceError) as caught:
        books.frame("passwd").collect()
    assert lines(caught.value)[0].startswith("error: source 'passwd': the data folder '/' is")
    (health,) = books.health()
    assert health.status == "failed"


def test_a_root_that_links_outside_is_refused(tmp_path: Path, only_the_project: None) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "data").symlink_to("/etc")
    found = [line for line in problems(tmp_path, "../data") if "data folder" in line]
    assert len(found) == 1 and "is outside the project" in found[0]


def test_a_folder_the_operator_lists_is_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "srv" / "kpi-data"
    outside.mkdir(parents=True)
    monkeypatch.setenv("KPI_DATA_ROOTS", os.pathsep.join(["/nonexistent", str(outside)]))
    assert not [line for line in problems(tmp_path, str(outside)) if "data folder" in line]
    assert [line for line in problems(tmp_path, "/") if "data folder" in line]


def test_the_projects_own_data_folder_is_allowed(only_the_project: None) -> None:
    from tests.conftest import REPO

    assert not [p for p in load_config(REPO / "config").problems if p.code == "path.root_outside"]


def test_cli_messages_name_files_without_the_servers_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken metric file, a missing data file and a bad source: every line the CLI prints
    names files from the config or data folder on, never the absolute path on this server."""
    from metrics.cli import main

    folder = write_config(
        tmp_path,
        sources=SOURCES.replace("etc/passwd", "gone.csv"),
        metrics=METRICS,
        boards={"b": "id: b\ntitle: B\nslides: [{title: S, metrics: [n]}\n"},  # broken YAML
    )
    (folder / "data").mkdir()
    (folder / "metrics" / "broken.yaml").write_text("metrics:\n  - id: [x\n", encoding="utf-8")
    main(["validate", "--config", str(folder), "--lang", "en"])
    main(["compute", "--config", str(folder), "--lang", "en"])
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert "config/metrics/broken.yaml:" in text and "config/boards/b.yaml:" in text
    assert "'gone.csv' not found under 'data'" in text
    assert str(tmp_path) not in text
