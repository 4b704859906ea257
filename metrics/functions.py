"""The formula language's functions, one table entry each: its name, how many arguments it
takes, how the docs write and explain it, and how it is compiled.

The compiler (:mod:`metrics.formula`) reads :data:`FUNCTIONS` for every call it meets;
``docs/metrics.md`` lists the same entries in the same words (``tests/test_functions.py``
compares them), and the editor's formula help reads them too. Adding a function is one entry
here, its implementation beside it, and its row in the docs.

An implementation gets the compiler (through :class:`~metrics.formula_tree.Compiler`) and the
call's node, after the compiler has checked the name, the number of arguments and that only an
aggregate takes ``where=``. It returns a :class:`~metrics.formula_tree.Typed`: nothing is
evaluated while compiling, and every Polars expression is built later, from the closures.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import polars as pl

from metrics.formula_messages import clip, count_words, type_words
from metrics.formula_tree import (
    DATES,
    NUM,
    Builder,
    Compiler,
    Ctx,
    Typed,
    as_type,
    common_type,
    count_build,
    merge,
    metric_column,
    per_group,
    per_row,
    safe_div,
    selection,
    unify,
    whole_as_float,
)

MAX_ROUND_DIGITS = 10
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MICROS_PER_DAY = 86_400_000_000  # microseconds per day, for fractional days between date-times
_DATE_FIELDS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "year": lambda value: value.dt.year(),
    "quarter": lambda value: value.dt.quarter(),
    "month": lambda value: value.dt.month(),
}


@dataclass(frozen=True)
class Function:
    """One function of the formula language."""

    name: str
    kind: Literal["row", "aggregate"]  # per row, or one value over a period's rows
    arity: tuple[int, int | None]  # fewest and most arguments (None: any number)
    signature: str  # as the docs write it: ``days_between(a, b)``
    doc: str  # what it gives, as the docs say it
    compile: Callable[[Compiler, ast.Call], Typed]
    over_no_rows: str = ""  # an aggregate's result when no row is chosen, as the docs say it


# --------------------------------------------------------------------------- row functions


def date_value(c: Compiler, node: ast.Call) -> dt.date:
    """The date of ``date("2025-11-14")``: one ISO text written in the formula, nothing computed."""
    if len(node.args) != 1 or node.keywords:
        raise c.fail(
            "formula.arg_count",
            node,
            function="date",
            expected=count_words(1, 1),
            got=len(node.args) + len(node.keywords),
        )
    arg = node.args[0]
    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
        raise c.fail("formula.date_literal", arg)
    text = arg.value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise c.fail("formula.bad_date", arg, value=clip(arg.value)) from None


def _date(c: Compiler, node: ast.Call) -> Typed:
    value = date_value(c, node)
    return Typed(type="date", level="constant", build=lambda ctx: pl.lit(value, pl.Date))


def _metric(c: Compiler, node: ast.Call) -> Typed:
    if c.context == "where":
        raise c.fail("formula.where_aggregate", node, name="metric")
    if not c.allow_metrics:
        raise c.fail("formula.metric_not_allowed", node)
    if c.enclosing_aggregate is not None:
        raise c.fail("formula.nested_aggregate", node, inner="metric", outer=c.enclosing_aggregate)
    arg = node.args[0]
    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value):
        raise c.fail("formula.metric_literal", arg)
    column = metric_column(arg.value)
    return Typed(
        type="float",
        level="aggregate",
        build=lambda ctx: pl.col(column),
        metrics=frozenset({arg.value}),
        metric_at=c.offset(node),
    )


def _args(c: Compiler, node: ast.Call) -> list[Typed]:
    return [c.visit(arg) for arg in node.args]


def _days_between(c: Compiler, node: ast.Call) -> Typed:
    start, end = (
        c.need(arg, part, "days_between()", DATES)
        for arg, part in zip(node.args, _args(c, node), strict=True)
    )
    sb, eb = start.build, end.build
    if "datetime" in (start.type, end.type):

        def build(ctx: Ctx) -> pl.Expr:
            micros = eb(ctx).dt.epoch("us") - sb(ctx).dt.epoch("us")
            return micros / _MICROS_PER_DAY

        return c.combine(node, "float", build, start, end)
    return c.combine(
        node, "int", lambda ctx: (eb(ctx) - sb(ctx)).dt.total_days().cast(pl.Int64), start, end
    )


def _date_field(c: Compiler, node: ast.Call, name: str) -> Typed:
    part = c.need(node.args[0], c.visit(node.args[0]), f"{name}()", DATES)
    pb, field_of = part.build, _DATE_FIELDS[name]
    return c.combine(node, "int", lambda ctx: field_of(pb(ctx)).cast(pl.Int64), part)


def _year(c: Compiler, node: ast.Call) -> Typed:
    return _date_field(c, node, "year")


def _quarter(c: Compiler, node: ast.Call) -> Typed:
    return _date_field(c, node, "quarter")


def _month(c: Compiler, node: ast.Call) -> Typed:
    return _date_field(c, node, "month")


def _same_type(
    c: Compiler, node: ast.Call, function: str, arg_nodes: list[ast.expr]
) -> list[Typed]:
    """Arguments that must share one type (coalesce, when branches).

    Null literals stay untyped here: Polars finds the common type itself, and a cast to a
    fixed date-time unit could clash with a time-zone-aware column.
    """
    parts = [c.visit(arg) for arg in arg_nodes]
    common = "null"
    for i, part in enumerate(parts):
        unified = unify(common, part.type)
        if unified is None:
            first = next(j for j, p in enumerate(parts) if p.type != "null")
            raise c.fail(
                "formula.branch_types",
                arg_nodes[i],
                function=function,
                a=clip(c.segment(arg_nodes[first])),
                a_type=type_words(parts[first].type),
                b=clip(c.segment(arg_nodes[i])),
                b_type=type_words(part.type),
            )
        common = unified
    return parts


def _coalesce(c: Compiler, node: ast.Call) -> Typed:
    parts = _same_type(c, node, "coalesce", list(node.args))
    builds = [p.build for p in parts]
    type_ = common_type(parts)
    return c.combine(node, type_, lambda ctx: pl.coalesce([b(ctx) for b in builds]), *parts)


def _when(c: Compiler, node: ast.Call) -> Typed:
    cond = c.need(node.args[0], c.visit(node.args[0]), "when()", ("bool",))
    then, other = _same_type(c, node, "when", list(node.args[1:]))
    cb, tb, ob = cond.build, then.build, other.build
    type_ = common_type([then, other])
    return c.combine(
        node,
        type_,
        lambda ctx: pl.when(cb(ctx)).then(tb(ctx)).otherwise(ob(ctx)),
        cond,
        then,
        other,
    )


def _abs(c: Compiler, node: ast.Call) -> Typed:
    part = c.need(node.args[0], c.visit(node.args[0]), "abs()", NUM, default="int")
    pb = part.build
    return c.combine(node, part.type, lambda ctx: pb(ctx).abs(), part)


def _round(c: Compiler, node: ast.Call) -> Typed:
    part = c.need(node.args[0], c.visit(node.args[0]), "round()", NUM, default="float")
    digits = 0
    if len(node.args) == 2:
        arg = node.args[1]
        ok = isinstance(arg, ast.Constant) and type(arg.value) is int
        if not ok or not 0 <= arg.value <= MAX_ROUND_DIGITS:  # type: ignore[union-attr]
            raise c.fail("formula.round_digits", arg, limit=MAX_ROUND_DIGITS)
        digits = arg.value  # type: ignore[union-attr]
    pb = part.build
    if part.type == "int":
        return c.combine(node, "int", pb, part)
    return c.combine(
        node,
        "float",
        lambda ctx: pb(ctx).round(digits, mode="half_away_from_zero"),
        part,
    )


# --------------------------------------------------------------------------- aggregates


def _compile_aggregate(c: Compiler, node: ast.Call, name: str) -> Typed:
    """An aggregate's call: not in a row filter, not inside another aggregate; its ``where=``
    and its argument are compiled as one value per row."""
    if c.context == "where":
        raise c.fail("formula.where_aggregate", node, name=name)
    if c.enclosing_aggregate is not None:
        raise c.fail("formula.nested_aggregate", node, inner=name, outer=c.enclosing_aggregate)
    c.enclosing_aggregate = name
    try:
        where = _where(c, node)
        arg = c.visit(node.args[0]) if node.args else None
    finally:
        c.enclosing_aggregate = None
    return _aggregate(c, node, name, arg, where)


def _where(c: Compiler, node: ast.Call) -> Typed | None:
    if not node.keywords:
        return None
    value = node.keywords[0].value  # call() has checked it is the only one, where=
    return c.need(value, c.visit(value), "where=", ("bool",))


def _aggregate(
    c: Compiler, node: ast.Call, name: str, arg: Typed | None, where: Typed | None
) -> Typed:
    arg_node = node.args[0] if node.args else node
    if name in ("count", "share"):
        if arg is not None and arg.type not in ("bool", "null"):
            if name == "count":
                raise c.fail(
                    "formula.count_condition",
                    arg_node,
                    expr=clip(c.segment(arg_node)),
                    actual=type_words(arg.type),
                )
            raise c.type_error(arg_node, arg, "share()", "bool")
        return _count_or_share(c, node, name, arg, where)
    assert arg is not None
    if name in ("sum", "mean", "median"):
        arg = c.need(arg_node, arg, f"{name}()", NUM)
    elif name in ("min", "max"):
        allowed = (*NUM, *DATES)
        arg = c.need(arg_node, arg, f"{name}()", allowed, default="float", expected="num_or_date")
    else:
        arg = as_type(arg, "int")
    type_ = {"sum": "float", "mean": "float", "median": "float", "n_unique": "int"}.get(
        name, arg.type
    )
    build = _value_aggregate(name, arg, where)
    return _result(c, node, name, type_, build, arg, where)


def _count_or_share(
    c: Compiler, node: ast.Call, name: str, cond: Typed | None, where: Typed | None
) -> Typed:
    cond = as_type(cond, "bool") if cond is not None else None
    counted = count_build(cond, where)
    if name == "count":
        return _result(c, node, name, "int", counted, cond, where)
    rows = count_build(None, where)
    result = _result(
        c, node, name, "float", lambda ctx: safe_div(counted(ctx), rows(ctx)), cond, where
    )
    where_text = f", where={c.segment(node.keywords[0].value)}" if where else ""
    where_only = f"where={c.segment(node.keywords[0].value)}" if where else ""
    cond_text = c.segment(node.args[0])
    num = _result(c, node, "count", "int", counted, cond, where)
    den = _result(c, node, "count", "int", rows, None, where)
    ratio = ((f"count({cond_text}{where_text})", num), (f"count({where_only})", den))
    return replace(result, ratio=ratio)


def _result(
    c: Compiler, node: ast.Call, name: str, type_: str, build: Builder, *parts: Typed | None
) -> Typed:
    present = [p for p in parts if p is not None]
    merged = merge(type_, build, *present) if present else Typed(type_, "constant", build)
    return replace(
        merged,
        level="aggregate",
        bare_column=None,
        aggregate=(name, c.offset(node)),
    )


_OVER_NO_VALUES: dict[str, object] = {"n_unique": 0}  # others give null


def _sum(value: pl.Expr) -> pl.Expr:
    """A total, or null over no values (no rows chosen, or every value empty: not a zero).

    Whole numbers come here as Float64 (see ``_whole_as_float``).
    """
    return pl.when(value.count() > 0).then(value.sum())


_REDUCERS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "sum": _sum,
    "mean": pl.Expr.mean,
    "median": pl.Expr.median,
    "min": pl.Expr.min,
    "max": pl.Expr.max,
    "n_unique": lambda value: value.drop_nulls().n_unique().cast(pl.Int64),
}


def _value_aggregate(name: str, arg: Typed, where: Typed | None) -> Builder:
    """sum/mean/median/min/max/n_unique over the selected rows; nulls are skipped."""
    if arg.level != "row":
        return _constant_aggregate(name, arg, where)

    arg_build = whole_as_float(arg) if name == "sum" else arg.build

    def build(ctx: Ctx) -> pl.Expr:
        rows, group = selection(ctx, where)
        value = arg_build(per_row(ctx))
        if rows is not None:
            value = pl.when(rows).then(value)
        result = _REDUCERS[name](value)
        if group is None:
            return result
        return pl.when(group).then(result).otherwise(pl.lit(_OVER_NO_VALUES.get(name)))

    return build


def _constant_aggregate(name: str, arg: Typed, where: Typed | None) -> Builder:
    """An aggregate of a value that is the same on every row, from the number of rows chosen.

    sum(c) is c times the rows; mean, median, min and max are c when any row is chosen.
    Computing it this way needs no broadcasting of c to the group's rows (see _selection).
    """
    count = count_build(None, where)

    def build(ctx: Ctx) -> pl.Expr:
        value = arg.build(per_group(ctx))
        rows = count(ctx)
        if name == "sum":
            return pl.when(value.is_not_null() & (rows > 0)).then(value * rows.cast(pl.Float64))
        if name == "n_unique":
            some = value.is_not_null() & (rows > 0)
            return pl.when(some).then(pl.lit(1, pl.Int64)).otherwise(pl.lit(0, pl.Int64))
        return pl.when(rows > 0).then(value)

    return build


# --------------------------------------------------------------------------- the table


def _aggregate_of(name: str) -> Callable[[Compiler, ast.Call], Typed]:
    return lambda c, node: _compile_aggregate(c, node, name)


_NO_VALUE = "no value"

FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "date", "row", (1, 1), 'date("2025-11-14")',
            "the date written as year-month-day", _date,
        ),
        Function(
            "days_between", "row", (2, 2), "days_between(a, b)",
            "days from date `a` to date `b` (fractional for date-times)", _days_between,
        ),
        Function(
            "coalesce", "row", (2, None), "coalesce(a, b, ...)",
            "the first value that is not empty", _coalesce,
        ),
        Function("year", "row", (1, 1), "year(d)", "the year of a date", _year),
        Function("quarter", "row", (1, 1), "quarter(d)", "the quarter of a date (1 to 4)", _quarter),
        Function("month", "row", (1, 1), "month(d)", "the month of a date (1 to 12)", _month),
        Function(
            "when", "row", (3, 3), "when(cond, a, b)",
            "`a` where `cond` is true, else `b`", _when,
        ),
        Function("abs", "row", (1, 1), "abs(x)", "absolute value", _abs),
        Function(
            "round", "row", (1, 2), "round(x, digits)",
            "rounded half away from zero to `digits` decimals (0 to 10; 0 when left out: `round(x)`)",
            _round,
        ),
        Function(
            "metric", "row", (1, 1), 'metric("id")',
            "another metric's value for the same period (derived metrics only)", _metric,
        ),
        Function(
            "count", "aggregate", (0, 1), "count(cond)",
            "rows where `cond` is true; `count()`: every row", _aggregate_of("count"),
            over_no_rows="0",
        ),
        Function(
            "share", "aggregate", (1, 1), "share(cond)", "`count(cond) / count()`",
            _aggregate_of("share"), over_no_rows=_NO_VALUE,
        ),
        Function(
            "sum", "aggregate", (1, 1), "sum(x)", "total", _aggregate_of("sum"),
            over_no_rows="no value (also when every `x` is empty: a total of nothing is not 0)",
        ),
        Function(
            "mean", "aggregate", (1, 1), "mean(x)", "average", _aggregate_of("mean"),
            over_no_rows=_NO_VALUE,
        ),
        Function(
            "median", "aggregate", (1, 1), "median(x)", "middle value", _aggregate_of("median"),
            over_no_rows=_NO_VALUE,
        ),
        Function(
            "min", "aggregate", (1, 1), "min(x)",
            "smallest (of numbers; of dates only inside a row function such as "
            "`days_between(min(d), max(d))`, since a metric's value is a number)",
            _aggregate_of("min"), over_no_rows=_NO_VALUE,
        ),
        Function(
            "max", "aggregate", (1, 1), "max(x)", "largest (of numbers; of dates as for `min`)",
            _aggregate_of("max"), over_no_rows=_NO_VALUE,
        ),
        Function(
            "n_unique", "aggregate", (1, 1), "n_unique(x)",
            "number of distinct non-empty values", _aggregate_of("n_unique"), over_no_rows="0",
        ),
    )
}  # fmt: skip
"""Every function the language knows, in the order the docs list them."""
