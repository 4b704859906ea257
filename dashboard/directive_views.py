"""The board's directives as the pages show them: overdue first, each beside its metric's value
now (the unit's own figure when the directive is about a unit and the metric has one, else the
city's), in words of the chosen language. Pure: the directives and figures come from
``dashboard.data``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from dashboard import texts
from dashboard.data import config, directives, run, snapshot
from dashboard.i18n import t
from dashboard.views import metric_title, unit_name
from metrics import fmt as fmtlib
from metrics.conclusions import Figures, figure_now, figure_then, latest_figures
from metrics.store import OVERDUE, STATUSES, Directive, StoreError
from sources.problems import Lang

FILTER_STATUSES = (OVERDUE, *STATUSES)  # what the status filter offers, overdue first


def status_word(status: str, lang: Lang) -> str:
    return t(f"directive.status.{status}", lang)


def ordered(items: Sequence[Directive], day: dt.date) -> list[Directive]:
    """Overdue first (longest overdue first), then open work by due date, then the closed."""
    rank = {OVERDUE: 0, "open": 1, "in_progress": 1, "done": 2, "cancelled": 2}
    return sorted(items, key=lambda d: (rank[d.status_on(day)], -d.days_overdue(day), d.due, d.id))


def value_now(directive: Directive, values: Figures, lang: Lang) -> str:
    """``✕ 79,0%``: the figure the directive is meant to move, as of the page's date
    (``metrics.conclusions.figure_now``)."""
    cfg = config()
    spec = cfg.metrics.get(directive.metric)
    if spec is None:
        return t("error.page", lang)
    return texts.figure_text(*figure_now(directive, values, cfg), spec.format, lang)


SCORECARD_COLUMN = "directives_overdue"  # the scorecard's column of the board's own directives


def with_overdue_column(board: pl.DataFrame, day: dt.date, lang: Lang) -> pl.DataFrame:
    """The units scorecard with one more column: each unit's directives overdue on ``day``,
    counted against it (off track when there is one). Without a readable store, the board as
    it was."""
    if board.is_empty():
        return board
    try:
        late = [d.responsible for d in directives().find(status=OVERDUE, as_of=day)]
    except StoreError:
        return board
    units = board.select("unit", "unit_label").unique(maintain_order=True)
    counts = units.with_columns(
        pl.col("unit").map_elements(late.count, return_dtype=pl.Int64).alias("n")
    )
    column = counts.select(
        "unit",
        "unit_label",
        pl.lit(SCORECARD_COLUMN).alias("metric"),
        pl.lit(t("directive.overdue_column", lang)).alias("metric_label"),
        pl.lit("count").alias("format"),
        pl.lit("down").alias("direction"),
        pl.col("n").cast(pl.Float64).alias("value"),
        pl.when(pl.col("n") > 0)
        .then(pl.lit("off_track"))
        .otherwise(pl.lit("on_track"))
        .alias("status"),
    )
    return pl.concat([board, column.select(board.columns)], how="vertical_relaxed")


def value_then(directive: Directive, lang: Lang) -> str:
    """The figure as it was shown at the meeting that gave the directive ("" without one): the
    unit's bar when it is about a unit, else the card."""
    spec = config().metrics.get(directive.metric)
    if directive.snapshot_id is None or spec is None:
        return ""
    try:
        figure = figure_then(directive, snapshot(directive.snapshot_id))
    except StoreError:
        return ""
    return texts.figure_text(*figure, spec.format, lang) if figure else ""


def short_table(items: Sequence[Directive], day: dt.date, grain: str, lang: Lang) -> pl.DataFrame:
    """A page's own directives (a unit's, a metric's): status, due date, what, the figure when
    given and now."""
    values = latest_figures(run, config(), items, day, grain)
    return pl.DataFrame(
        [
            {
                t("directive.status", lang): status_word(d.status_on(day), lang),
                t("directive.due", lang): fmtlib.date(d.due, lang),
                t("directive.days_overdue", lang): d.days_overdue(day),
                t("directive.text", lang): d.text,
                t("directive.responsible", lang): unit_name(d.responsible, lang),
                t("directive.value_then", lang): value_then(d, lang),
                t("directive.value_now", lang): value_now(d, values, lang),
            }
            for d in items
        ]
    )


def table(items: Sequence[Directive], day: dt.date, grain: str, lang: Lang) -> pl.DataFrame:
    """The directives as a table: one row each, columns named in ``lang``."""
    values = latest_figures(run, config(), items, day, grain)
    rows = [
        {
            t("directive.id", lang): d.id,
            t("directive.status", lang): status_word(d.status_on(day), lang),
            t("directive.due", lang): fmtlib.date(d.due, lang),
            t("directive.days_overdue", lang): d.days_overdue(day),
            t("directive.responsible", lang): unit_name(d.responsible, lang),
            t("directive.metric", lang): metric_title(d.metric, lang),
            t("directive.value_now", lang): value_now(d, values, lang),
            t("directive.text", lang): d.text,
            t("directive.given_by", lang): d.given_by,
            t("directive.meeting", lang): d.snapshot_id,
            t("directive.evidence", lang): d.evidence or "",
        }
        for d in items
    ]
    if rows:
        return pl.DataFrame(rows)
    return pl.DataFrame(
        schema={t("directive.id", lang): pl.Int64, t("directive.text", lang): pl.String}
    )
