"""No value means no value: overflows, empty columns and divisions by zero are told as such.

Each hostile input goes through the engine and every output of ``python -m metrics compute``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import polars as pl
import pytest

from metrics.cli import main
from metrics.engine import Request, compute
from metrics.status import NO_VALUE_REASONS, REASON_LABELS
from metrics.workspace import open_workspace
from tests.conftest import REPO
from tests.support import SETTINGS as BASE_SETTINGS
from tests.support import write_config

SOURCES = """\
sources:
  - id: events
    title: Sự kiện
    owner: u1
    kind: csv
    path: events.csv
    columns: {day: date, amount: float, big: int, empty: float?}
"""

SETTINGS = BASE_SETTINGS + "  - {id: other, title: Khác, rollup: weighted}\n"

METRICS = """\
metrics:
  - id: huge
    title: Quá lớn
    theme: t
    source: events
    value: sum(amount) * 1e308
    direction: up
    target: 1
  - id: wrapped
    title: Tổng số nguyên lớn
    theme: other
    source: events
    value: sum(big)
  - id: empty_sum
    title: Cột rỗng
    theme: other
    source: events
    value: sum(empty)
    direction: up
    target: 1
  - id: by_zero
    title: Chia cho 0
    theme: other
    source: events
    value: sum(amount) / count(amount > 100)
  - id: nothing_yet
    title: Chưa có bản ghi
    theme: other
    source: events
    where: amount > 100
    value: mean(amount)
  - id: derived
    title: Dẫn xuất
    theme: other
    value: metric("huge") + 1
"""

BIG = 2**62  # three of them overflow Int64, which would wrap round to a negative total


@pytest.fixture
def folder(tmp_path):
    folder = write_config(tmp_path, sources=SOURCES, metrics=METRICS, settings=SETTINGS)
    data = folder / "data"
    data.mkdir()
    rows = [f"2025-11-0{d},{d}.5,{BIG}," for d in (1, 2, 3)]
    (data / "events.csv").write_text("day,amount,big,empty\n" + "\n".join(rows) + "\n")
    return folder


def _compute(folder):
    workspace = open_workspace(str(folder))
    config = workspace.config
    assert not config.errors, [p.render("en") for p in config.errors]
    return compute(config, workspace.catalog, Request(as_of=dt.date(2025, 11, 14)))


def _row(results, metric):
    return results.values.filter(pl.col("metric") == metric).row(0, named=True)


def test_an_overflow_is_no_data_with_its_reason_never_on_track(folder):
    results = _compute(folder)
    row = _row(results, "huge")
    assert row["value"] is None
    assert (row["status"], row["reason"]) == ("no_data", "overflow")
    theme = results.themes.filter(pl.col("theme") == "t").row(0, named=True)
    assert theme["status"] == "no_data" and theme["on_track"] == 0 and theme["no_data"] == 1
    derived = _row(results, "derived")
    assert (derived["value"], derived["status"], derived["reason"]) == (
        None,
        "no_data",
        "overflow",
    )


def test_whole_numbers_never_wrap_round(folder):
    assert _row(_compute(folder), "wrapped")["value"] == pytest.approx(3 * BIG)


def test_sum_of_an_empty_column_is_no_value_not_zero(folder):
    row = _row(_compute(folder), "empty_sum")
    assert (row["value"], row["status"], row["reason"]) == (
        None,
        "no_data",
        "no_values",
    )


def test_division_by_zero_and_no_rows_are_told_apart(folder):
    results = _compute(folder)
    assert _row(results, "by_zero")["reason"] == "division_by_zero"
    assert _row(results, "nothing_yet")["reason"] == "no_rows"
    assert _row(results, "wrapped")["reason"] is None


def _cli(folder, fmt, lang="en"):
    out = io.StringIO()
    code = main(["compute", "--config", str(folder), "--format", fmt, "--lang", lang], out=out)
    return code, out.getvalue()


def test_every_cli_format_takes_the_hostile_values(folder):
    code, text = _cli(folder, "json")
    assert code == 0
    rows = {r["metric"]: r for r in json.loads(text)["results"]}
    assert rows["huge"]["value"] is None and rows["huge"]["reason"] == "overflow"
    assert rows["empty_sum"]["value"] is None and rows["empty_sum"]["status"] == "no_data"

    code, text = _cli(folder, "csv")
    assert code == 0
    table = {r["metric"]: r for r in csv.DictReader(io.StringIO(text))}
    assert table["huge"]["value"] == "" and table["huge"]["reason"] == "overflow"
    assert table["by_zero"]["reason"] == "division_by_zero"

    code, text = _cli(folder, "table")
    assert code == 0
    line = next(ln for ln in text.splitlines() if ln.startswith("huge"))
    assert "No data (too large to represent)" in line
    code, text = _cli(folder, "table", "vi")
    line = next(ln for ln in text.splitlines() if ln.startswith("empty_sum"))
    assert "Chưa có số liệu (các bản ghi không có giá trị)" in line


def test_every_reason_has_words_in_both_languages_and_a_row_in_the_reference():
    reference = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    for reason in NO_VALUE_REASONS:
        assert set(REASON_LABELS[reason]) == {"vi", "en"}
        assert f"| `{reason}` |" in reference
    assert set(REASON_LABELS) == set(NO_VALUE_REASONS)
