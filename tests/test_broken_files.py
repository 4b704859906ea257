"""A broken definition file as the board sees it: the overview names the file, the line and the
message in the chosen language; its last valid version keeps serving and the page says so; a
metric with nothing to stand in shows an error in its theme's place, on the page, on the slide,
in the briefing (without ids or paths); the speaker view and ``python -m dashboard.brief`` say
what is broken, and ``--strict`` refuses to write the briefing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.briefing.powerpoint import build_pptx
from metrics.deck import compute_deck
from metrics.workspace import open_workspace
from tests.conftest import CONFERENCE, REPO
from tests.test_app_pages import CARD, ERROR, as_read, run
from tests.test_last_valid import SYNTAX, _break_syntax
from tests.test_present_page import run as present

MONTHLY = "monthly-review"  # a board whose first slide shows the discipline theme

NEW_FILE = (  # a new metric file whose metric reads a column the source does not have
    "metrics:\n"
    "  - id: patents_granted\n"
    "    title: {vi: Số bằng sáng chế được cấp, en: Patents granted}\n"
    "    theme: discipline\n"
    "    source: tasks\n"
    "    value: count(patent_no > 0)\n"
)


@pytest.fixture
def folder(config_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("KPI_CONFIG", str(config_copy))
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{config_copy.parent / 'store.sqlite'}")
    return config_copy


def _notice(at: AppTest) -> str:
    [warning] = [w.value for w in at.warning if "định nghĩa" in w.value or "definition" in w.value]
    return as_read(warning)


def _unknown_column(path: Path) -> int:
    """Make the first metric read a column its source does not have; the line of the change."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("count(start_date <= as_of)", "count(start_day <= as_of)", 1))
    return text[: text.index("count(start_date <= as_of)")].count("\n") + 1


@pytest.mark.parametrize(
    ("edit", "message"),
    [(_break_syntax, "invalid YAML"), (_unknown_column, "unknown column 'start_day'")],
    ids=["syntax", "unknown-column"],
)
def test_an_edit_that_breaks_a_file_keeps_its_last_valid_version_serving(
    folder: Path, edit, message: str
) -> None:
    before = {m for h in run().html for m in CARD.findall(h.value)}
    line = edit(folder / "metrics" / "discipline.yaml")
    time.sleep(1.1)  # the app looks at the files' times at most once a second

    at = run(lang="en")
    notice = _notice(at)
    assert f"config/metrics/discipline.yaml, line {line}: {message}" in notice
    assert "its last valid version (from" in notice
    assert {m for h in at.html for m in CARD.findall(h.value)} == before  # every card is there

    assert "dòng" in _notice(run(lang="vi")) and "bản hợp lệ gần nhất" in _notice(run(lang="vi"))
    metric = run("metric", metric="tasks_overdue_city", lang="en")
    assert "config/metrics/discipline.yaml" in _notice(metric)


def test_a_new_broken_file_puts_an_error_in_its_theme(folder: Path) -> None:
    (folder / "metrics" / "zz_new.yaml").write_text(NEW_FILE, encoding="utf-8")
    at = run(lang="en", theme="discipline")
    notice = _notice(at)
    assert "config/metrics/zz_new.yaml, line 6: unknown column 'patent_no'" in notice
    assert "no earlier valid version" in notice
    assert "patents_granted" in {m for h in at.html for m in ERROR.findall(h.value)}
    assert "tasks_total" in {m for h in at.html for m in CARD.findall(h.value)}
    themes = next(h.value for h in at.html if 'data-theme="discipline"' in h.value)
    assert "1 cannot be computed" in themes and 'data-headline="patents_granted"' in themes


def test_a_new_file_that_cannot_be_parsed_is_not_silent(folder: Path) -> None:
    (folder / "metrics" / "zz_new.yaml").write_text(NEW_FILE + SYNTAX, encoding="utf-8")
    at = run(lang="en", theme="discipline")
    assert "config/metrics/zz_new.yaml, line 7: invalid YAML" in _notice(at)
    assert "patents_granted" in {m for h in at.html for m in ERROR.findall(h.value)}


def test_a_broken_count_of_overdue_tasks_is_not_read_as_none_overdue(folder: Path) -> None:
    metrics = folder / "metrics" / "discipline.yaml"
    text = metrics.read_text(encoding="utf-8")
    metrics.write_text(text.replace("- id: tasks_overdue\n", "- id: tasks_overdue\n" + SYNTAX))
    at = run(lang="en")  # nothing was remembered: no earlier version stands in
    assert "No overdue tasks" not in [c.value for c in at.caption]
    assert any("invalid YAML" in e.value for e in at.error)


def _broken_deck(folder: Path):
    (folder / "metrics" / "zz_new.yaml").write_text(NEW_FILE, encoding="utf-8")
    workspace = open_workspace(folder, serving=True)
    board = workspace.config.boards[MONTHLY]
    return workspace, compute_deck(
        workspace.config, workspace.catalog, board, as_of_default=workspace.default_as_of()
    )


def test_a_slide_and_the_briefing_keep_the_broken_metric_s_place(folder: Path) -> None:
    _, deck = _broken_deck(folder)
    first = deck.slides[0]  # the discipline theme's slide
    [card] = [c for c in first.cards if c.metric == "patents_granted"]
    assert card.failed and card.title["vi"] == "Số bằng sáng chế được cấp"
    for lang in ("vi", "en"):
        said = card.error[lang]
        assert "patents_granted" not in said and "patent_no" not in said and "/" not in said
    assert said == "The metric's definition has an error to be corrected"
    pptx = build_pptx(deck, "vi")
    assert "Định nghĩa của chỉ số có lỗi, cần được sửa".encode() in _slide_xml(pptx, 2)


def _slide_xml(pptx: bytes, number: int) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(pptx)).read(f"ppt/slides/slide{number}.xml")


def test_the_speaker_view_lists_the_broken_files(folder: Path) -> None:
    (folder / "metrics" / "zz_new.yaml").write_text(NEW_FILE, encoding="utf-8")
    at = present(board=CONFERENCE, view="notes", lang="en")
    assert "config/metrics/zz_new.yaml, line 6" in _notice(at)
    presenter = present(board=CONFERENCE)
    assert not presenter.warning  # the room sees the error card, not the file


def _brief(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = ["-m", "dashboard.brief", "--board", MONTHLY, "--lang", "en", "--config", str(folder)]
    return subprocess.run(
        [sys.executable, *command, "--out", str(out), *extra],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_the_briefing_command_warns_and_strict_refuses(folder: Path, tmp_path: Path) -> None:
    (folder / "metrics" / "zz_new.yaml").write_text(NEW_FILE, encoding="utf-8")
    done = _brief(folder, tmp_path / "b.pptx")
    assert done.returncode == 0 and (tmp_path / "b.pptx").exists()
    assert "warning: config/metrics/zz_new.yaml, line 6: unknown column 'patent_no'" in done.stderr
    assert "warning: Slide 1 of 5: Patents granted: The metric's definition" in done.stderr

    strict = _brief(folder, tmp_path / "s.pdf", "--strict")
    assert strict.returncode == 1 and not (tmp_path / "s.pdf").exists()
    assert "--strict: no briefing written" in strict.stderr

    (folder / "metrics" / "zz_new.yaml").unlink()
    clean = _brief(folder, tmp_path / "c.pdf", "--strict")
    assert clean.returncode == 0 and clean.stderr == "" and (tmp_path / "c.pdf").exists()
