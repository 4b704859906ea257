"""``python -m sources``: check, preview and demo on a configuration folder written here."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import sources.demo
from sources.__main__ import main
from tests.sources_support import write_workbook

REPO = Path(__file__).resolve().parent.parent

SETTINGS = """\
title: {vi: Thử, en: Test}
as_of: 2025-11-14
data_root: data
themes:
  - id: data
    title: Data
"""

SOURCES = """\
sources:
  - id: surveys
    title: {vi: Khảo sát, en: Surveys}
    owner: so_noi_vu
    kind: csv
    path: surveys/*.csv
    columns: {unit: str, score: int, answered_on: date}
    freshness: {column: answered_on, cadence: monthly, day: 5}
  - id: tasks
    title: Nhiệm vụ
    owner: van_phong_ubnd
    kind: sql
    path: r57.sqlite
    table: tasks
    columns: {id: int, deadline: date}
    freshness: {column: deadline, cadence: daily}
  - id: dossiers
    title: Hồ sơ
    owner: trung_tam_phuc_vu_hanh_chinh_cong
    kind: parquet
    path: dossiers/*.parquet
    columns: {id: int, received: date}
  - id: budget
    title: Ngân sách
    owner: so_tai_chinh
    kind: excel
    path: budget/budget_2023.xlsx
    columns: {unit: str, allocated: int, disbursed: int}
  - id: health_records
    title: Hồ sơ sức khỏe
    owner: so_y_te
    kind: sql
    url: postgresql+psycopg://reader:${HEALTH_DB_PASSWORD}@db.so-y-te.example/ehr
    table: records
    columns: {id: int}
    sharing:
      status: refused
      reason: {vi: Lý do bảo mật thông tin người bệnh, en: Patient confidentiality}
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A configuration with two healthy sources, a broken file, a missing column, a refusal."""
    folder = tmp_path.resolve() / "config"
    data = folder / "data"
    for sub in ("surveys", "dossiers", "budget"):
        (data / sub).mkdir(parents=True)
    (folder / "settings.yaml").write_text(SETTINGS)
    (folder / "sources.yaml").write_text(SOURCES)
    (data / "surveys" / "2025-10.csv").write_text(
        "unit,score,answered_on\nso_y_te,4,2025-10-02\nso_tu_phap,5,2025-10-30\n"
    )
    con = sqlite3.connect(data / "r57.sqlite")
    con.execute("CREATE TABLE tasks (id INTEGER, deadline TEXT)")
    con.executemany("INSERT INTO tasks VALUES (?, ?)", [(1, "2025-11-13"), (2, "2025-11-20")])
    con.commit()
    con.close()
    frame = pl.DataFrame({"id": [1, 2], "received": [dt.date(2025, 1, 2), dt.date(2025, 1, 3)]})
    frame.write_parquet(data / "dossiers" / "2024.parquet")
    frame.write_parquet(data / "dossiers" / "2025.parquet")
    whole = (data / "dossiers" / "2025.parquet").read_bytes()
    (data / "dossiers" / "2025.parquet").write_bytes(whole[:100])  # cut short
    write_workbook(
        data / "budget" / "budget_2023.xlsx",
        {"budget": [["unit", "allocated", "disbursd"], ["so_y_te", 1000, 400]]},
    )
    return folder


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sources", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_reports_each_problem_and_still_reads_the_healthy(config: Path) -> None:
    result = run("check", "--config", str(config), "--lang", "en")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "Data sources as of 2025-11-14 (data folder: data)",
        "",
        "source          kind     status   rows  newest      late (days)",
        "surveys         csv      ok       2     2025-10-30  0",
        "tasks           sql      ok       1     2025-11-13  0",  # 20/11 is after the as-of day
        "dossiers        parquet  failed   -     -           -",
        "budget          excel    failed   -     -           -",
        "health_records  sql      refused  -     -           -",
        "",
        (
            "data/dossiers/2025.parquet: error: source 'dossiers': not a complete Parquet file "
            "(truncated or damaged): parquet: File out of specification: The file must end with "
            "PAR1 or PARE"
        ),
        (
            "data/budget/budget_2023.xlsx: error: source 'budget': column 'disbursed' is missing "
            "(columns found: unit, allocated, disbursd) (did you mean 'disbursd'?)"
        ),
        (
            "config/sources.yaml:37:7: warning: source 'health_records': unit 'so_y_te' refuses "
            "to share this data: Patient confidentiality"
        ),
        "",
        (
            "5 sources: 2 ok, 0 of unknown date, 0 late, 0 stale, 2 failed, 1 refused (a refusal to "
            "share is a fact "
            "to report, not a read failure)"
        ),
    ]


def test_check_in_vietnamese_by_default(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "nguồn           loại     trạng thái       số dòng  mới nhất    trễ (ngày)" in out
    assert "health_records  sql      từ chối chia sẻ  -        -           -" in out
    assert "đơn vị 'so_y_te' từ chối chia sẻ dữ liệu này: Lý do bảo mật thông tin người bệnh" in out
    assert "5 nguồn: 2 tốt, 0 không rõ ngày cập nhật, 0 trễ hạn, 0 quá cũ, 2 lỗi, 1 từ chối" in out


def test_check_json(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "check",
                "--config",
                str(config),
                "--format",
                "json",
                "--lang",
                "en",
                "--as-of",
                "2025-12-31",
            ]
        )
        == 1
    )
    document = json.loads(capsys.readouterr().out)
    by_id = {item["id"]: item for item in document["sources"]}
    assert list(by_id) == ["surveys", "tasks", "dossiers", "budget", "health_records"]
    assert by_id["surveys"] == {
        "id": "surveys",
        "kind": "csv",
        "status": "late",  # as of 31/12, October is in but November (due 5/12) is not
        "rows": 2,
        "newest": "2025-10-30",
        "late_by": 26,
        "error": None,
    }
    assert by_id["budget"]["status"] == "failed"
    assert "column 'disbursed' is missing" in by_id["budget"]["error"]
    assert by_id["health_records"]["status"] == "refused"
    assert document["problems"] == []


def test_check_exits_0_when_nothing_failed(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (config / "sources.yaml").read_text()
    (config / "sources.yaml").write_text(text[: text.index("  - id: dossiers")])
    assert main(["check", "--config", str(config), "--lang", "en"]) == 0
    assert "2 sources: 2 ok" in capsys.readouterr().out


def test_invalid_definitions_are_one_line_problems(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SOURCES.replace("    columns: {id: int, deadline: date}\n", "    colums: {id: int}\n")
    text += "  - id: surveys\n    title: Again\n    owner: x\n    kind: csv\n    path: a.csv\n"
    text += "    columns: {a: str}\n"
    (config / "sources.yaml").write_text(text)
    assert main(["check", "--config", str(config), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    yaml_file = "config/sources.yaml"  # named from the config folder on, never the server path
    assert f"{yaml_file}:9:5: error: source 'tasks': missing required field 'columns'" in out
    assert (f"{yaml_file}:15:5: error: source 'tasks': field 'colums' is not allowed here") in out
    assert (
        f"{yaml_file}:39:5: error: source 'surveys': id 'surveys' is already used at {yaml_file}:2:5"
    ) in out
    assert "4 sources:" in out  # the broken definitions are left out, the rest checked


def test_broken_yaml_is_reported(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (config / "sources.yaml").write_text("sources:\n  - id: a\n   title: x\n")
    assert main(["check", "--config", str(config), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "config/sources.yaml:3:4: error: invalid YAML:" in out


def test_preview(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "preview",
                "surveys",
                "--config",
                str(config),
                "--rows",
                "1",
                "--lang",
                "en",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("source 'surveys': first 1 rows (checked against the contract)\n")
    assert "so_y_te" in out and "so_tu_phap" not in out
    assert main(["preview", "budget", "--config", str(config), "--lang", "en"]) == 1
    assert "column 'disbursed' is missing" in capsys.readouterr().out
    assert main(["preview", "survey", "--config", str(config), "--lang", "en"]) == 1
    assert capsys.readouterr().out == "error: no source 'survey' (did you mean 'surveys'?)\n"


def test_demo_writes_into_the_data_folder(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = []

    def generate(out: Path, *, scale: float = 1.0, seed: int = 57) -> dict[str, int]:
        calls.append((Path(out), scale, seed))
        return {"tasks": 569, "dossiers": 1234567}

    monkeypatch.setattr(sources.demo, "generate", generate, raising=False)
    assert main(["demo", "--config", str(config), "--scale", "0.5", "--seed", "7"]) == 0
    assert calls == [(config / "data", 0.5, 7)]
    out = capsys.readouterr().out
    assert "dossiers  1.234.567" in out
    assert f"đã tạo dữ liệu mẫu trong {config / 'data'}" in out
    assert main(["demo", "--config", str(config), "--out", str(config / "elsewhere")]) == 0
    assert calls[-1] == (config / "elsewhere", 1.0, 57)


def test_check_never_ends_in_a_traceback(config: Path) -> None:
    os.symlink("loop.csv", config / "data" / "surveys" / "loop.csv")  # a link to itself
    result = run("check", "--config", str(config), "--lang", "en")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert "surveys         csv      failed   -     -           -" in result.stdout
    assert "error: source 'surveys': 'surveys/loop.csv' is a link loop" in result.stdout
    assert "tasks           sql      ok" in result.stdout  # the others are still checked


def test_check_reads_file_times_in_the_settings_time_zone(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SOURCES.replace("    freshness: {column: answered_on, cadence: monthly, day: 5}\n", "")
    (config / "sources.yaml").write_text(text[: text.index("  - id: tasks")])
    written = dt.datetime(2025, 11, 13, 20, 0, tzinfo=dt.UTC).timestamp()
    os.utime(config / "data" / "surveys" / "2025-10.csv", (written, written))
    newest = {}
    for zone in ("UTC", "Asia/Ho_Chi_Minh"):
        (config / "settings.yaml").write_text(SETTINGS + f"timezone: {zone}\n")
        main(["check", "--config", str(config), "--format", "json"])
        newest[zone] = json.loads(capsys.readouterr().out)["sources"][0]["newest"]
    assert newest == {"UTC": "2025-11-13T20:00:00", "Asia/Ho_Chi_Minh": "2025-11-14T03:00:00"}


def test_an_unknown_time_zone_is_a_settings_problem(config: Path) -> None:
    (config / "settings.yaml").write_text(SETTINGS + "timezone: Asia/Hanoi\n")
    result = run("check", "--config", str(config), "--lang", "en")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == (
        "config/settings.yaml:7:11: error: settings: unknown time zone 'Asia/Hanoi' "
        "(e.g. Asia/Ho_Chi_Minh)"
    )
