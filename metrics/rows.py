"""Which rows a count metric counts, as a row condition: registers list what metrics count.

The Tasks page lists the register task by task and marks the overdue ones; the overview counts
them with ``tasks_overdue``. Both must use one rule, the one staff wrote in the metric's YAML, or
an edited definition would make the page and the figure disagree. A metric of the form
``count(cond)`` or ``count(cond, where=w)`` (with its own ``where``) counts the rows where all of
its conditions hold; ``row_condition`` gives that as one Polars expression, evaluated as of a day.
"""

from __future__ import annotations

import ast
import datetime as dt

import polars as pl

from metrics.config import Config
from metrics.formula import PERIOD_COLUMNS, compile_formula


def _count_parts(text: str) -> list[str] | None:
    """The conditions inside ``count(...)`` (argument and ``where=``), or None for another form."""
    source = " ".join(text.split())
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "count"):
        return None
    parts = [*node.args, *(k.value for k in node.keywords if k.arg == "where")]
    return [ast.get_source_segment(source, part) or "" for part in parts]


def row_condition(config: Config, metric_id: str) -> pl.Expr | None:
    """The rows ``metric_id`` counts, as a boolean row expression (null counts as false); None
    when the metric is missing, broken, or not a ``count`` of rows. The expression reads the
    as-of date from the columns ``with_as_of`` adds."""
    metric = config.metrics.get(metric_id)
    compiled = config.compiled.get(metric_id)
    parts = _count_parts(metric.value) if metric and compiled else None
    if metric is None or compiled is None or parts is None or metric.source is None:
        return None
    columns = {name: column.type for name, column in config.sources[metric.source].columns.items()}
    conditions = [compile_formula(text, columns, context="where").expr() for text in parts]
    if compiled.where is not None:
        conditions.append(compiled.where.expr())
    return pl.all_horizontal([c.fill_null(False) for c in conditions] or [pl.lit(True)])


def with_as_of(frame: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """``frame`` with the columns a row condition reads its dates from, all set to ``as_of``."""
    return frame.with_columns(
        pl.lit(as_of, pl.Date).alias(name) for name in PERIOD_COLUMNS.values()
    )
