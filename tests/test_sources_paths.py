"""Paths stay under the data root: no '..', no absolute paths outside, no link escapes, no URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sources.errors import SourceError
from sources.paths import resolve
from tests.sources_support import catalog, lines, source


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "data"
    (root / "drops").mkdir(parents=True)
    for name in ("b.csv", "a.csv", ".tmp-1-c.csv", "~$lock.csv"):
        (root / "drops" / name).write_text("unit,score\nx,1\n")
    (tmp_path / "secret.csv").write_text("unit,score\nx,1\n")
    return root


def resolve_error(root: Path, pattern: str) -> str:
    with pytest.raises(SourceError) as caught:
        resolve(root, pattern, source_id="s")
    return lines(caught.value)[0]


def test_glob_is_sorted_and_skips_hidden_and_lock_files(root: Path) -> None:
    files = resolve(root, "drops/*.csv", source_id="s")
    assert [f.rel for f in files] == ["drops/a.csv", "drops/b.csv"]
    assert all(f.path.is_absolute() for f in files)


def test_absolute_path_inside_the_root_is_allowed(root: Path) -> None:
    files = resolve(root, str(root / "drops" / "a.csv"), source_id="s")
    assert [f.rel for f in files] == ["drops/a.csv"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (
            "../secret.csv",
            "error: source 's': path '../secret.csv' may not contain '..'",
        ),
        (
            "drops/../../secret.csv",
            "error: source 's': path 'drops/../../secret.csv' may not contain '..'",
        ),
        (
            "file:///etc/passwd",
            "error: source 's': 'file:///etc/passwd' is a URL: only files under the data folder can be read",
        ),
        (
            "file:/etc/passwd",
            "error: source 's': 'file:/etc/passwd' is a URL: only files under the data folder can be read",
        ),
        (
            "http://example.com/x.csv",
            "error: source 's': 'http://example.com/x.csv' is a URL: only files under the data folder can be read",
        ),
        (
            "s3://bucket/x.parquet",
            "error: source 's': 's3://bucket/x.parquet' is a URL: only files under the data folder can be read",
        ),
    ],
)
def test_refused_paths(root: Path, pattern: str, expected: str) -> None:
    assert resolve_error(root, pattern) == expected


def test_absolute_path_outside_the_root(root: Path) -> None:
    assert resolve_error(root, "/etc/passwd") == (
        "error: source 's': path '/etc/passwd' is outside the data folder 'data'"
    )


def test_symlink_escape_is_refused(root: Path) -> None:
    os.symlink(root.parent / "secret.csv", root / "drops" / "link.csv")
    assert resolve_error(root, "drops/link.csv") == (
        "error: source 's': 'drops/link.csv' is a link that leads outside the data folder 'data'"
    )
    # a glob that would pick the link up refuses it too, rather than skipping it silently
    assert resolve_error(root, "drops/*.csv") == (
        "error: source 's': 'drops/link.csv' is a link that leads outside the data folder 'data'"
    )


def test_symlinked_folder_escape_is_refused(root: Path) -> None:
    os.symlink(root.parent, root / "up")
    assert resolve_error(root, "up/secret.csv") == (
        "error: source 's': 'up/secret.csv' is a link that leads outside the data folder 'data'"
    )


def test_link_inside_the_root_is_followed(root: Path) -> None:
    os.symlink(root / "drops" / "a.csv", root / "current.csv")
    [file] = resolve(root, "current.csv", source_id="s")
    assert file.rel == "current.csv"
    assert file.path == root / "drops" / "a.csv"


def test_missing_file_and_empty_glob(root: Path) -> None:
    assert resolve_error(root, "drops/nope.csv") == (
        "error: source 's': file 'drops/nope.csv' not found under 'data'"
    )
    assert resolve_error(root, "dossiers/*.parquet") == (
        "error: source 's': no file matches 'dossiers/*.parquet' under 'data'"
    )
    assert resolve_error(root, "drops") == "error: source 's': 'drops' is not a file"


def test_catalog_reports_path_problems_at_the_yaml_position(root: Path) -> None:
    spec = source(path="../secret.csv")
    with pytest.raises(SourceError) as caught:
        catalog(root, spec).frame("s")
    assert lines(caught.value) == ["error: source 's': path '../secret.csv' may not contain '..'"]
    health = catalog(root, spec).health()[0]
    assert health.status == "failed"
    assert health.error is not None and health.error.code == "path.parent"


def test_a_link_loop_is_a_source_error_naming_the_link(root: Path) -> None:
    os.symlink("loop.csv", root / "drops" / "loop.csv")  # a link to itself
    os.symlink("ping.csv", root / "drops" / "pong.csv")
    os.symlink("pong.csv", root / "drops" / "ping.csv")
    loop = "error: source 's': 'drops/loop.csv' is a link loop (it leads back to itself) under the data folder 'data'"
    assert resolve_error(root, "drops/*.csv") == loop
    assert resolve_error(root, "drops/loop.csv") == loop
    assert resolve_error(root, "drops/p*.csv").startswith(
        "error: source 's': 'drops/ping.csv' is a link loop"
    )
    [health] = catalog(root, source(path="drops/*.csv")).health()
    assert (health.status, health.error and health.error.code) == ("failed", "path.link_loop")
