"""The compute command as people and programs use it, and the demo data's safety rules."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from metrics.cli import main
from metrics.loader import load_config
from metrics.workspace import ensure_demo_data
from sources.problems import ConfigError
from tests.conftest import REPO
from tests.support import SETTINGS, write_config

GOLDEN = REPO / "tests" / "fixtures" / "golden" / "config"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_unknown_breakdown_dimension_is_refused_with_a_suggestion(capsys):
    code, _ = run("compute", "--config", str(GOLDEN), "--by", "unitt", "--lang", "en")
    err = capsys.readouterr().err
    assert code == 2
    assert "no metric has a dimension 'unitt'" in err and "(did you mean 'unit'?)" in err


def test_csv_output_and_errors_on_stderr(tmp_path, capsys):
    shutil.copytree(GOLDEN.parent, tmp_path / "golden")
    (tmp_path / "golden" / "data" / "budget.csv").write_text(
        "year,program\n2025,st\n", encoding="utf-8"
    )
    code, text = run(
        "compute",
        "--config",
        str(tmp_path / "golden" / "config"),
        "--format",
        "csv",
        "--lang",
        "en",
    )
    assert code == 1
    assert text.splitlines()[0].startswith("metric,period_start,period_end,grain,value")
    assert "metric 'st_disbursement' (source 'budget'):" in capsys.readouterr().err


def test_json_lists_configuration_errors_and_skipped_metrics(tmp_path):
    shutil.copytree(GOLDEN.parent, tmp_path / "golden")
    broken = tmp_path / "golden" / "config" / "metrics" / "resources.yaml"
    broken.write_text("metrics:\n  - id: x\n    where: !shared\n", encoding="utf-8")
    code, text = run(
        "compute",
        "--config",
        str(tmp_path / "golden" / "config"),
        "--format",
        "json",
        "--by",
        "unit",
        "--lang",
        "en",
    )
    payload = json.loads(text)
    assert code == 1
    assert any("YAML tag '!shared' is not allowed" in e["message"] for e in payload["errors"])
    assert {"metric": "tasks_total", "dimension": "unit"} in payload["skipped"]


def test_percent_target_above_one_is_a_warning_and_broken_dependencies_are_errors(tmp_path):
    sources = """\
sources:
  - id: s
    title: S
    owner: u1
    kind: csv
    path: s.csv
    columns: {a: int}
"""
    metrics = """\
metrics:
  - id: p
    title: P
    theme: t
    source: s
    value: share(a > 1)
    format: percent
    direction: up
    target: 95
  - id: bad
    title: B
    theme: t
    source: s
    value: sum(b)
  - id: derived
    title: D
    theme: t
    value: metric("bad") * 2
  - id: sliced
    title: S
    theme: t
    value: metric("p") * 2
    dimensions: [a]
  - id: deeper
    title: E
    theme: t
    value: metric("derived") + 1
"""
    config = load_config(write_config(tmp_path, sources=sources, metrics=metrics))
    lines = [p.render("en") for p in config.problems]
    assert any("warning: metric 'p': 95.0 is above 1 for a percent" in line for line in lines)
    assert any(
        "error: metric 'derived': uses metric 'bad', which has errors" in line for line in lines
    )
    assert any(
        "error: metric 'deeper': uses metric 'derived', which has errors" in line for line in lines
    )


def test_board_echoes_are_silenced_when_a_metric_file_is_unreadable(tmp_path):
    board = "id: deck\ntitle: D\nslides:\n  - title: S\n    metrics: [gone]\n"
    folder = write_config(
        tmp_path, sources="sources: []\n", metrics="metrics: [\n", boards={"deck": board}
    )
    lines = [p.render("en") for p in load_config(folder).problems]
    assert len(lines) == 1 and "m.yaml" in lines[0] and "invalid YAML" in lines[0]


def demo_config(tmp_path):
    folder = write_config(
        tmp_path,
        sources="sources: []\n",
        metrics="metrics: []\n",
        settings=SETTINGS + "data_root: ../data\ndemo: true\n",
    )
    return load_config(folder)


def test_the_demo_is_never_generated_over_other_data(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "surveys.csv").write_text("REAL DATA\n", encoding="utf-8")
    (tmp_path / "data" / "unrelated.csv").write_text("x\n", encoding="utf-8")
    config = demo_config(tmp_path)
    monkeypatch.setattr("metrics.workspace.PROJECT_DATA", config.data_root)
    with pytest.raises(ConfigError, match="already holds other data"):
        ensure_demo_data(config)
    assert (tmp_path / "data" / "surveys.csv").read_text(encoding="utf-8") == "REAL DATA\n"


def test_the_demo_is_generated_once_into_the_projects_data_folder(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("sources.demo.generate", lambda root: calls.append(root))
    config = demo_config(tmp_path)
    monkeypatch.setattr("metrics.workspace.PROJECT_DATA", config.data_root)
    assert ensure_demo_data(config) is True
    assert calls == [config.data_root]


def test_a_copied_config_says_how_to_get_its_data_and_writes_nothing(tmp_path, capsys):
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "config", copy / "config")
    code, _ = run("compute", "--config", str(copy / "config"), "--lang", "en")
    assert code == 1
    assert not (copy / "data").exists()
    err = capsys.readouterr().err
    assert "holds no demo data" in err and "python -m sources demo --out" in err
