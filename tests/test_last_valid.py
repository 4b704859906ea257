"""A broken definition file is contained: the rest serves, its last valid version keeps serving
(remembered under the state folder) and the file is named with its line and message.

Each case breaks the repository's configuration, copied: a syntax error and an unknown column,
each as an edit of an existing file and as a new file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.last_valid import LastValid, serve
from metrics.loader import load_config

DISCIPLINE = "config/metrics/discipline.yaml"
SYNTAX = "  oops: : :\n   - x\n"  # a line YAML cannot parse


@pytest.fixture
def folder(config_copy: Path) -> Path:
    return config_copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _break_syntax(path: Path) -> int:
    """Insert a line YAML cannot parse after the first metric's ``theme:``; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("theme:")) + 1
    path.write_text("".join([*lines[:at], SYNTAX, *lines[at:]]), encoding="utf-8")
    return at + 1


def test_a_clean_folder_is_remembered_and_served_as_it_is(folder: Path) -> None:
    config = serve(folder)
    assert config.broken_files == [] and config.metrics == load_config(folder).metrics
    kept = LastValid(config.state_dir).path(DISCIPLINE)
    assert kept.read_bytes() == (folder / "metrics" / "discipline.yaml").read_bytes()


def test_a_syntax_error_in_an_existing_file_serves_its_last_valid_version(folder: Path) -> None:
    before = serve(folder)
    path = folder / "metrics" / "discipline.yaml"
    line = _break_syntax(path)

    as_written = load_config(folder)  # what `python -m metrics validate` reports
    assert as_written.unreadable == [DISCIPLINE] and "tasks_total" not in as_written.metrics

    served = serve(folder)
    assert served.metrics == before.metrics and served.compiled.keys() == before.compiled.keys()
    assert served.unreadable == [] and served.broken_metrics == {}
    [broken] = served.broken_files
    assert broken.file == DISCIPLINE and broken.kept_since is not None
    assert broken.errors[0].location.line == line
    assert "invalid YAML" in broken.errors[0].text("en")
    assert served.problems == as_written.problems  # what to fix is the file as it is
    assert served.content_hash == before.content_hash  # the same definitions: the same figures


def test_an_unknown_column_in_an_existing_metric_keeps_its_old_definition(folder: Path) -> None:
    before = serve(folder)
    path = folder / "metrics" / "discipline.yaml"
    _edit(path, "value: count(start_date <= as_of)", "value: count(start_day <= as_of)")

    assert "tasks_total" in load_config(folder).broken_metrics
    served = serve(folder)
    assert served.metrics["tasks_total"] == before.metrics["tasks_total"]
    [broken] = served.broken_files
    assert broken.file == DISCIPLINE and "start_day" in broken.errors[0].text("en")
    assert broken.errors[0].location.line == 10


def test_a_new_file_with_a_syntax_error_puts_an_error_in_each_metric_s_place(
    folder: Path,
) -> None:
    serve(folder)
    new = folder / "metrics" / "innovation.yaml"
    new.write_text(
        "metrics:\n"
        "  - id: patents_granted\n"
        "    title: {vi: Số bằng sáng chế được cấp, en: Patents granted}\n"
        "    theme: resources\n" + SYNTAX + "  - id: startups_supported\n"
        "    theme: resources\n",
        encoding="utf-8",
    )
    served = serve(folder)
    assert set(served.broken_metrics) == {"patents_granted", "startups_supported"}
    guessed = {o.id: o for o in served.outline if o.guessed}
    assert guessed["patents_granted"].theme == "resources"
    assert guessed["patents_granted"].title.get("en") == "Patents granted"
    problem = served.broken_metrics["patents_granted"][0]
    assert problem.location.file == "config/metrics/innovation.yaml" and problem.location.line == 5
    [broken] = served.broken_files
    assert broken.file == "config/metrics/innovation.yaml" and broken.kept_since is None
    assert "tasks_total" in served.metrics  # the rest serves


def test_a_new_file_with_an_unknown_column_costs_only_its_broken_metric(folder: Path) -> None:
    new = folder / "metrics" / "innovation.yaml"
    new.write_text(
        "metrics:\n"
        "  - id: tasks_again\n"
        "    title: {vi: Nhiệm vụ, en: Tasks}\n"
        "    theme: discipline\n"
        "    source: tasks\n"
        "    value: count(no_such_column > 1)\n"
        "  - id: tasks_counted\n"
        "    title: {vi: Nhiệm vụ đếm lại, en: Tasks counted again}\n"
        "    theme: discipline\n"
        "    source: tasks\n"
        "    value: count(start_date <= as_of)\n",
        encoding="utf-8",
    )
    served = serve(folder)
    assert set(served.broken_metrics) == {"tasks_again"} and "tasks_counted" in served.metrics
    [broken] = served.broken_files
    assert broken.kept_since is None and broken.errors[0].location.line == 6


def test_a_mended_file_is_remembered_again(folder: Path) -> None:
    path = folder / "metrics" / "discipline.yaml"
    original = path.read_text(encoding="utf-8")
    _break_syntax(path)
    broken_text = path.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    serve(folder)
    path.write_text(broken_text, encoding="utf-8")
    first = serve(folder).content_hash
    path.write_text(original, encoding="utf-8")
    _edit(path, "en: Resolution 57 tasks", "en: Resolution 57 tasks (all)")
    serve(folder)
    kept = LastValid(load_config(folder).state_dir).path(DISCIPLINE)
    assert b"Resolution 57 tasks (all)" in kept.read_bytes()
    path.write_text(broken_text, encoding="utf-8")  # the same broken text as before
    served = serve(folder)
    assert served.metrics["tasks_total"].title.get("en") == "Resolution 57 tasks (all)"
    assert b"oops" not in kept.read_bytes()
    assert served.content_hash != first  # served from another version: other figures


def test_a_kept_copy_that_fails_too_is_not_served(folder: Path) -> None:
    serve(folder)
    _edit(folder / "sources.yaml", "- id: tasks\n", "- id: task_register\n")
    _break_syntax(folder / "metrics" / "discipline.yaml")
    served = serve(folder)
    # the kept copy reads the source 'tasks', which is gone: the file's own error is shown
    assert DISCIPLINE in served.unreadable
    discipline = next(b for b in served.broken_files if b.file == DISCIPLINE)
    assert discipline.kept_since is None and "invalid YAML" in discipline.errors[0].text("en")


def test_a_read_only_state_folder_costs_the_memory_not_the_figures(
    folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "state").write_text("not a folder", encoding="utf-8")
    served = serve(folder)
    assert served.broken_files == [] and "tasks_total" in served.metrics
