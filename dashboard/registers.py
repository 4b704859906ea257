"""The registers the pages list row by row: the Resolution 57 task register and the register of
departmental databases, as they stood on the as-of date.

Their rows come from ``dashboard.data``; "overdue" is the metrics' own rule (see ``tasks``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from dashboard.data import config, dataset_register, results, task_register
from dashboard.i18n import has, t
from dashboard.views import catalogue, unit_name
from metrics import fmt as fmtlib


def overdue_metric() -> str | None:
    """The count of overdue tasks (settings.yaml ``registers.tasks.overdue``): it ranks units
    on the overview and fills the Tasks page's matrix; None without a task register."""
    register = config().settings.registers.tasks
    return register.overdue if register else None


def tasks(as_of: dt.date, *, lead_unit: str | None = None) -> pl.DataFrame:
    """The task register as it stood on ``as_of``: the tasks assigned by then, each with its
    status on that day (``status_as_of``: done_on_time, done_late, overdue, in_progress) and
    ``days_overdue``, overdue first. Which tasks are listed and which are overdue are read from
    the definitions of the register's ``assigned`` and ``overdue`` metrics (``metrics.rows``),
    so the register always agrees with those figures, also after staff edit them. The source's own
    ``status`` column is a snapshot of the day it was exported and is not used.

    Raises ``SourceError`` when the register cannot be read, ``ProjectError`` when either metric
    is not a count of rows.
    """
    frame = task_register(as_of)
    return frame if lead_unit is None else frame.filter(pl.col("lead_unit") == lead_unit)


def only_overdue(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("status_as_of") == "overdue")


def filter_tasks(
    frame: pl.DataFrame,
    *,
    group: int | None = None,
    level: str | None = None,
    lead_unit: str | None = None,
    status: str | None = None,
) -> pl.DataFrame:
    """The register rows matching every filter that is given."""
    conditions = [
        pl.col(column) == value
        for column, value in (
            ("task_group", group),
            ("level", level),
            ("lead_unit", lead_unit),
            ("status_as_of", status),
        )
        if value is not None
    ]
    return frame.filter(*conditions) if conditions else frame


def task_groups(frame: pl.DataFrame, lang: str) -> dict[int, str]:
    """The task groups in order, named in the language: ``{1: "1. Nâng cao nhận thức..."}``."""
    name = "task_group_name_en" if lang == "en" else "task_group_name"
    pairs = frame.select("task_group", name).unique("task_group").sort("task_group")
    return {int(g): f"{g}. {n}" for g, n in pairs.iter_rows()}


def task_metrics() -> list[str]:
    """The metrics computed from the task register's source, in catalogue order."""
    cfg = config()
    register = cfg.settings.registers.tasks
    source = register.source if register else None
    return [e.id for e in catalogue() if getattr(cfg.metrics.get(e.id), "source", 0) == source]


def task_matrix(
    as_of: dt.date, grain: str, filters: Sequence[tuple[str, str]], lang: str
) -> pl.DataFrame:
    """Tasks by group (rows) and directing level (columns), with the overdue ones, from the
    engine's figures of the register's ``assigned`` and ``overdue`` metrics broken down by group
    and level (an empty table without a task register)."""
    register = config().settings.registers.tasks
    if register is None:
        return pl.DataFrame()
    total_id, overdue_id = register.assigned, register.overdue
    wanted = [m for m in (total_id, overdue_id) if m in config().metrics]
    res = results(as_of, grain, by=("group", "level"), filters=filters, metrics=wanted)
    current = res.values.filter(pl.col("period_start") == pl.col("period_start").max())
    counts: dict[tuple[str, str, str], int] = {
        (str(r["metric"]), str(r["group"]), str(r["level"])): int(r["value"] or 0)
        for r in current.iter_rows(named=True)
    }
    groups = task_groups(tasks(as_of), lang)
    levels = sorted({lvl for _, _, lvl in counts}, key=lambda v: (v != "central", v))
    overdue_word = t("tasks.overdue", lang).lower()

    def cell(total: int, overdue: int) -> str:
        text = fmtlib.number(total, lang)  # type: ignore[arg-type]
        return f"{text} · {overdue} {overdue_word}" if overdue else text

    rows = []
    for number, name in [*groups.items(), (None, t("common.total", lang))]:
        keys = [str(number)] if number is not None else [str(g) for g in groups]
        row = {t("tasks.group", lang): name}
        for lvl in levels:
            total = sum(counts.get((total_id, g, lvl), 0) for g in keys)
            late = sum(counts.get((overdue_id, g, lvl), 0) for g in keys)
            row[t(f"level.{lvl}", lang) if has(f"level.{lvl}") else lvl] = cell(total, late)
        total = sum(counts.get((total_id, g, lvl), 0) for g in keys for lvl in levels)
        late = sum(counts.get((overdue_id, g, lvl), 0) for g in keys for lvl in levels)
        row[t("common.total", lang)] = cell(total, late)
        rows.append(row)
    return pl.DataFrame(rows)


def datasets(*, unit: str | None = None) -> pl.DataFrame:
    """The register of departmental databases (one unit's, when given); raises ``SourceError``
    when it cannot be read."""
    frame = dataset_register()
    return frame if unit is None else frame.filter(pl.col("unit_id") == unit)


def reason_column(lang: str) -> str:
    """The register's refusal reasons in ``lang`` (English when the register has them)."""
    names = datasets().columns
    return (
        "refusal_reason_en" if lang == "en" and "refusal_reason_en" in names else "refusal_reason"
    )


def sharing_by_department(lang: str) -> pl.DataFrame:
    """Per department: its databases connected, pending and refused, why, and the sources of
    ``sources.yaml`` it refuses to share; the departments that keep data closed first."""
    counts = (
        datasets()
        .group_by("unit_id")
        .agg(
            *((pl.col("status") == s).sum().alias(s) for s in ("connected", "pending", "refused")),
            pl.len().alias("total"),
            pl.col(reason_column(lang))
            .drop_nulls()
            .unique(maintain_order=True)
            .str.join("; ")
            .alias("reasons"),
        )
    )
    rows = {str(r["unit_id"]): r for r in counts.iter_rows(named=True)}
    closed: dict[str, list[str]] = {}
    for spec in config().sources.values():
        if spec.sharing.status == "refused":
            closed.setdefault(spec.owner, []).append(spec.title.get(lang))
    empty = {"connected": 0, "pending": 0, "refused": 0, "total": 0, "reasons": ""}
    table = [
        {
            **empty,
            **rows.get(uid, {}),
            "unit_id": uid,
            "unit": unit_name(uid, lang),
            "refused_sources": "; ".join(closed.get(uid, [])),
        }
        for uid in [*rows, *(u for u in closed if u not in rows)]
    ]
    frame = pl.DataFrame(table, schema_overrides={"reasons": pl.String})
    return frame.with_columns(
        ((pl.col("refused") > 0) | (pl.col("refused_sources") != "")).alias("closed")
    ).sort(["closed", "refused", "pending", "unit"], descending=[True, True, True, False])
