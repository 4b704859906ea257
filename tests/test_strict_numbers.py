"""Numbers in YAML are read as written: never a text, a leading zero or yes/no coerced into one.

Each form goes through the real loader, so the error names the file, line and column.
"""

from __future__ import annotations

import pytest

from metrics.loader import load_config
from tests.support import write_config

SOURCES = """\
sources:
  - id: dossiers
    title: Hồ sơ
    owner: u1
    kind: csv
    path: d.csv
    columns: {channel: str, received: date}
    freshness: {cadence: monthly, day: DAY}
"""


def metric(line: str) -> str:
    return f"""\
metrics:
  - id: m1
    title: M
    theme: t
    source: dossiers
    value: count()
    direction: up
{line}"""


def problems(tmp_path, line: str = "", day: str = "5", lang: str = "en") -> list[str]:
    folder = write_config(tmp_path, sources=SOURCES.replace("DAY", day), metrics=metric(line))
    return [p.render(lang) for p in load_config(folder).problems]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "    target: 012\n",
            "m.yaml:8:13: error: metric 'm1': 'target': '012' starts with a zero, so its value is "
            "unclear; write 12",
        ),
        (
            '    tolerance: "2"\n',
            "m.yaml:8:16: error: metric 'm1': 'tolerance' needs a number, not the text '2': remove "
            "the quotes, write 2",
        ),
        (
            "    target: .inf\n",
            "m.yaml:8:13: error: metric 'm1': 'target' needs a finite number, not '.inf'",
        ),
        (
            "    target: .nan\n",
            "m.yaml:8:13: error: metric 'm1': 'target' needs a finite number, not '.nan'",
        ),
        (
            "    tolerance: yes\n",
            "m.yaml:8:16: error: metric 'm1': 'tolerance' needs a number, not 'yes' (yes/no is not "
            "a number)",
        ),
        (
            "    weight: true\n",
            "m.yaml:8:13: error: metric 'm1': 'weight' needs a number, not 'true' (yes/no is not a "
            "number)",
        ),
        (
            "    target: 1e3\n",
            "m.yaml:8:13: error: metric 'm1': 'target': write 1.0e3 (a number with an exponent "
            "needs a decimal point)",
        ),
        (
            '    target: {2025: "0.9"}\n',
            "m.yaml:8:13: error: metric 'm1': 'target' needs a number, not the text '0.9'",
        ),
        (
            "    target: {value: 1.0, by: 2026-01-01, from: {value: 00.5, on: 2025-01-01}}\n",
            "m.yaml:8:56: error: metric 'm1': 'target.from.value': '00.5' starts with a zero",
        ),
    ],
)
def test_a_number_written_otherwise_is_an_error_with_its_place_and_a_hint(tmp_path, line, expected):
    found = problems(tmp_path, line)
    assert len(found) == 1, found
    assert expected in found[0], found


def test_the_hint_reads_in_vietnamese(tmp_path):
    (found,) = problems(tmp_path, "    target: 012\n", lang="vi")
    assert found.endswith("'target': '012' bắt đầu bằng số 0 nên không rõ là số gì; viết 12"), found


def test_sources_take_strict_numbers_too(tmp_path):
    (found,) = [p for p in problems(tmp_path, day="05") if "config/sources.yaml:" in p]
    assert "sources.yaml:8:40:" in found and "'freshness.day': '05' starts with a zero" in found


@pytest.mark.parametrize("line", ["    target: 12\n", "    target: 0.95\n", "    target: -1.5\n"])
def test_numbers_written_as_numbers_pass(tmp_path, line):
    assert problems(tmp_path, line) == []
