"""Validation in two phases: every problem at once, one line each, with file, line and column."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from metrics.cli import main
from metrics.loader import load_config
from sources.problems import ConfigError
from tests.conftest import REPO
from tests.support import SETTINGS, write_config

SOURCES = """\
sources:
  - id: dossiers
    title: Hồ sơ
    owner: u1
    kind: csv
    path: d.csv
    columns: {channel: str, received: date, fee: int, unit: str}
"""


def rendered(folder, lang="en") -> list[str]:
    return [p.render(lang) for p in load_config(folder).problems]


def metric(body: str, mid: str = "m1") -> str:
    return f"""\
metrics:
  - id: {mid}
    title: M
    theme: t
    source: dossiers
{body}"""


@pytest.mark.parametrize(
    ("value", "position"),
    [
        ('    value: share(chanel == "online")\n', "6:18"),
        ('    value: "share(chanel == \\"online\\")"\n', "6:19"),
        ("    value: >\n      count() +\n      share(chanel == 'x')\n", "8:13"),
        ("    value: |\n      count()\n        + share(chanel == 'x')\n", "8:17"),
        ("    value: count() +\n      share(chanel == 'x')\n", "7:13"),
        ('    value: "count() +\n      share(chanel == 1)"\n', "7:13"),
    ],
)
def test_unknown_column_names_file_line_column_and_suggests(tmp_path, monkeypatch, value, position):
    monkeypatch.chdir(tmp_path)
    folder = write_config(tmp_path, sources=SOURCES, metrics=metric(value))
    assert rendered(folder) == [
        f"config/metrics/m.yaml:{position}: error: metric 'm1': unknown column 'chanel' (did you mean 'channel'?)"
    ]


def test_messages_in_vietnamese(tmp_path):
    folder = write_config(
        tmp_path, sources=SOURCES, metrics=metric("    value: sum(fee)\n    target: 1\n")
    )
    (line,) = rendered(folder, "vi")
    assert line.endswith(
        "error: chỉ số 'm1': có mục tiêu nhưng thiếu 'direction' (up: càng cao càng tốt; down: càng thấp càng tốt)"
    )
    assert "m.yaml:7:13" in line


def test_every_problem_is_reported_at_once(tmp_path):
    metrics = """\
metrics:
  - id: a
    title: A
    theme: nope
    source: dossiers
    value: sum(fee)
  - id: b
    title: B
    theme: t
    source: missing
    value: count()
  - id: c
    title: C
    theme: t
    source: dossiers
    time: channel
    value: count()
  - id: d
    title: D
    theme: t
    value: metric("e") + 1
  - id: e
    title: E
    theme: t
    value: metric("d") * 2
  - id: f
    title: F
    theme: t
    value: metric("zzz")
  - id: a
    title: A again
    theme: t
    source: dossiers
    value: count()
  - id: g
    title: G
    theme: t
    source: dossiers
    valeu: count()
  - id: h
    title: H
    theme: t
    source: dossiers
    owner: nobody
    value: sum(channel)
"""
    folder = write_config(tmp_path, sources=SOURCES, metrics=metrics)
    lines = rendered(folder)
    text = "\n".join(lines)
    assert "metric 'a': unknown theme 'nope'" in text
    assert "metric 'b': unknown source 'missing'" in text
    assert "metric 'c': time column 'channel' must be a date or datetime (it is str)" in text
    assert "metrics depend on each other in a cycle: d → e → d" in text
    assert "metric 'f': unknown metric 'zzz'" in text
    assert "metric 'a': id 'a' is already used at" in text
    assert (
        "metric 'g': field 'valeu' is not allowed here" in text
        and "(did you mean 'value'?)" in text
    )
    assert "metric 'g': missing required field 'value'" in text
    assert "metric 'h': unknown unit 'nobody'" in text
    assert all(line.split(":")[1].isdigit() for line in lines), lines
    assert len(lines) >= 10


def test_board_problems_point_at_the_slide(tmp_path):
    board = """\
id: deck
title: Họp
slides:
  - title: Một
    metrics: [m1, nope]
    chart: {metric: m1, kind: breakdown, by: channel}
  - title: Hai
    chart: {metric: m1, kind: trend, top: 3}
"""
    folder = write_config(
        tmp_path, sources=SOURCES, metrics=metric("    value: count()\n"), boards={"deck": board}
    )
    lines = rendered(folder)
    assert any(
        "deck.yaml:8:12: error: board 'deck':" in line and "breakdown chart only" in line
        for line in lines
    ), lines
    folder = write_config(
        tmp_path,
        sources=SOURCES,
        metrics=metric("    value: count()\n"),
        boards={"deck": board.replace("top: 3", "periods: 6")},
    )
    lines = rendered(folder)
    assert any(
        "deck.yaml:5:14: error: board 'deck': unknown metric 'nope'" in line for line in lines
    ), lines
    assert any(
        "board 'deck': metric 'm1' cannot be broken down by 'channel'" in line for line in lines
    ), lines
    empty = "id: deck\ntitle: Họp\nslides: []\n"
    folder = write_config(
        tmp_path, sources=SOURCES, metrics=metric("    value: count()\n"), boards={"deck": empty}
    )
    assert any(
        "deck.yaml:3:9: error: board 'deck': 'slides' needs at least 1 items" in line
        for line in rendered(folder)
    )


def test_sources_rules(tmp_path):
    sources = (
        SOURCES
        + """\
  - id: db
    title: DB
    owner: u1
    kind: sql
    url: postgresql://reader:secret@db/r57
    table: t
    columns: {a: str}
    unit_columns: [unitt]
"""
    )
    folder = write_config(tmp_path, sources=sources, metrics=metric("    value: count()\n"))
    lines = rendered(folder)
    assert any(
        "error: source 'db': the URL holds a password written inline" in line for line in lines
    ), lines
    assert not any(":secret@" in line for line in lines)  # the message never repeats it
    assert any("source 'db': unknown column 'unitt' in source 'db'" in line for line in lines), (
        lines
    )


def test_an_option_of_another_kind_breaks_the_source_and_says_so_in_its_metrics(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    sources = (
        SOURCES.replace("    kind: csv\n", "    kind: parquet\n")
        + "    options: {delimiter: ';'}\n"
    )
    folder = write_config(tmp_path, sources=sources, metrics=metric("    value: count()\n"))
    config = load_config(folder)
    assert rendered(folder) == [
        "config/metrics/m.yaml:5:13: error: metric 'm1': source 'dossiers' has errors in "
        "sources.yaml: fix that source first",
        "config/sources.yaml:8:15: error: source 'dossiers': 'delimiter' does not apply to a "
        "'parquet' source (only to: csv)",
    ]
    assert config.broken_sources == {"dossiers"}
    assert "m1" in config.broken_metrics


def test_a_broken_settings_file_is_fatal_with_its_line(tmp_path):
    folder = write_config(
        tmp_path,
        sources=SOURCES,
        metrics=metric("    value: count()\n"),
        settings=SETTINGS.replace("as_of: 2025-11-14", "as_of: 2025-13-45"),
    )
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    assert info.value.render("en").endswith(
        "settings.yaml:2:8: error: settings: 'as_of' needs a date written YYYY-MM-DD"
        " (e.g. 2025-11-14), not '2025-13-45'"
    )


def test_a_broken_file_costs_only_its_own_objects(tmp_path):
    folder = write_config(tmp_path, sources=SOURCES, metrics=metric("    value: count()\n"))
    (folder / "metrics" / "broken.yaml").write_text(
        "metrics:\n  - id: x\n    title: [unclosed\n", encoding="utf-8"
    )
    config = load_config(folder)
    assert "m1" in config.metrics
    assert [
        p.render("en").split(": error")[0][-len("broken.yaml:4:1") :] for p in config.errors
    ] == ["broken.yaml:4:1"]


def run_validate(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["validate", *args], out=out), out.getvalue()


def test_cli_validate_on_the_repository_config():
    code, text = run_validate("--config", str(REPO / "config"))
    assert code == 0, text
    assert text.strip() == "Cấu hình hợp lệ. 0 lỗi, 0 cảnh báo"


def test_cli_validate_reports_and_exits_1(tmp_path):
    shutil.copytree(REPO / "config", tmp_path / "config")
    path = tmp_path / "config" / "metrics" / "service.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'share(channel == "online")', 'share(chanel == "online")'
        ),
        encoding="utf-8",
    )
    code, text = run_validate("--config", str(tmp_path / "config"), "--lang", "en")
    assert code == 1
    assert (
        "service.yaml:" in text
        and "metric 'online_filing_rate': unknown column 'chanel' (did you mean 'channel'?)" in text
    )
    code, text = run_validate("--config", str(tmp_path / "config"), "--format", "json")
    payload = json.loads(text)
    assert payload["valid"] is False
    (problem,) = payload["problems"]
    assert (
        problem["line"] > 0 and problem["column"] > 0 and problem["file"].endswith("service.yaml")
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "    target: 0,9\n",
            "8:13: error: chỉ số 'm1': 'target' cần một số (viết dấu chấm thập phân, ví dụ 0.95), không phải '0,9'",
        ),
        (
            "    target: {value: 1.0, by: 01/01/2026, from: {value: 0.5, on: 2025-01-01}}\n",
            "8:30: error: chỉ số 'm1': 'target.by' cần một ngày dạng YYYY-MM-DD (ví dụ 2025-11-14), không phải '01/01/2026'",
        ),
        (
            "    target: {2024: 0.5, 2025: abc}\n",
            "8:31: error: chỉ số 'm1': 'target.2025' cần một số",
        ),
        ("    target: .nan\n", "8:13: error: chỉ số 'm1': 'target' cần một số"),
        ("    tolerance: 1e999\n", "8:16: error: chỉ số 'm1': 'tolerance' cần một số"),
        (
            "    format: pct\n",
            "8:13: error: chỉ số 'm1': 'format' phải là một trong: 'percent', 'count'",
        ),
        (
            "    dimensions: {status: channel}\n",
            "8:17: error: chỉ số 'm1': 'status' là tên dành riêng",
        ),
        (
            "    dimensions: {Kênh: channel}\n",
            "8:17: error: chỉ số 'm1': tên chiều phân tích 'Kênh' chỉ gồm",
        ),
    ],
)
def test_schema_errors_read_in_plain_vietnamese(tmp_path, monkeypatch, lines, expected):
    monkeypatch.chdir(tmp_path)
    folder = write_config(
        tmp_path, sources=SOURCES, metrics=metric("    value: count()\n    direction: up\n" + lines)
    )
    problems = [line.replace("config/metrics/m.yaml:", "") for line in rendered(folder, "vi")]
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_settings_and_sources_schema_checks(tmp_path):
    folder = write_config(
        tmp_path,
        sources=SOURCES.replace("fee: int", "as_of: date"),
        metrics=metric("    value: count()\n"),
        settings=SETTINGS.replace("as_of: 2025-11-14", "as_of: 2025-11-14\ntimezone: Hanoi"),
    )
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    assert "settings: unknown time zone 'Hanoi' (e.g. Asia/Ho_Chi_Minh)" in info.value.render("en")
    folder = write_config(
        tmp_path,
        sources=SOURCES.replace("fee: int", "as_of: date"),
        metrics=metric("    value: count()\n"),
    )
    assert any(
        "source 'dossiers': column name 'as_of' is a word of the formula language" in line
        for line in rendered(folder)
    )


def test_the_registers_and_unit_page_name_what_exists(tmp_path):
    settings = (
        SETTINGS
        + "registers:\n  tasks: {source: dossier, assigned: m1, overdue: overdue_tasks}\n"
        + "unit_page:\n  reports: [m1]\n  service_theme: servce\n"
    )
    folder = write_config(
        tmp_path, sources=SOURCES, metrics=metric("    value: count()\n"), settings=settings
    )
    found = [line for line in rendered(folder) if "settings.yaml" in line]
    assert any(
        "error: settings: unknown source 'dossier' (not in sources.yaml) (did you mean 'dossiers'?)"
        in line
        for line in found
    ), found
    assert any("unknown metric 'overdue_tasks'" in line for line in found), found
    assert any("unknown theme 'servce'" in line for line in found), found
    assert len(found) == 3, found
