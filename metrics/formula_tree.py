"""The typed tree the formula compiler builds: each checked sub-expression with its type, its
level (constant, per row, per group) and a closure that builds its Polars expression, and the
helpers that combine them. Shared by the compiler (:mod:`metrics.formula`) and the functions
(:mod:`metrics.functions`), which see the compiler only through :class:`Compiler`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, Protocol

import polars as pl

from sources.problems import ConfigError, Problem

PERIOD_COLUMNS: dict[str, str] = {
    "as_of": "__as_of",
    "period_start": "__period_start",
    "period_end": "__period_end",
}
"""Formula names of the evaluated period's dates -> the frame columns the engine must add."""


NUM = ("int", "float")
DATES = ("date", "datetime")
DTYPES: dict[str, pl.DataType] = {
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "str": pl.String(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
}
CONTRACT_TYPES = frozenset(DTYPES)


Level = Literal["constant", "row", "aggregate"]


def metric_column(metric_id: str) -> str:
    """The frame column holding another metric's value, for ``metric("id")`` in derived metrics."""
    return f"__metric__{metric_id}"


class FormulaError(ConfigError):
    """A formula that cannot be compiled; ``offset`` is where in the text the problem is."""

    def __init__(self, problem: Problem, offset: int = 0):
        super().__init__(problem)
        self.offset = offset

    @property
    def problem(self) -> Problem:
        return self.problems[0]

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problem, self.offset))


@dataclass(frozen=True)
class Ctx:
    """What a builder needs to know when the Polars expression is made."""

    row_filter: pl.Expr | None = None
    scalar_periods: bool = False  # period columns outside aggregates become one value per group
    in_aggregate: bool = False


Builder = Callable[[Ctx], pl.Expr]


@dataclass(frozen=True)
class Typed:
    """One checked sub-expression: its static type and level, and how to build it."""

    type: str  # int, float, bool, str, date, datetime, null
    level: Level
    build: Builder
    columns: frozenset[str] = frozenset()
    metrics: frozenset[str] = frozenset()
    uses_period: bool = False
    aggregate: tuple[str, int] | None = None  # first aggregate used: (name, offset)
    metric_at: int | None = None  # offset of the first metric() used
    bare_column: tuple[str, int] | None = None  # first column used outside an aggregate
    ratio: tuple[tuple[str, Typed], tuple[str, Typed]] | None = None  # share(): (text, part)
    is_null_literal: bool = False


def merge(type_: str, build: Builder, *parts: Typed) -> Typed:
    """Combine the bookkeeping of sub-expressions; the caller has checked level mixing."""
    levels = {p.level for p in parts}
    level: Level = (
        "aggregate" if "aggregate" in levels else "row" if "row" in levels else "constant"
    )
    return Typed(
        type=type_,
        level=level,
        build=build,
        columns=frozenset().union(*(p.columns for p in parts)),
        metrics=frozenset().union(*(p.metrics for p in parts)),
        uses_period=any(p.uses_period for p in parts),
        aggregate=next((p.aggregate for p in parts if p.aggregate), None),
        metric_at=next((p.metric_at for p in parts if p.metric_at is not None), None),
        bare_column=next((p.bare_column for p in parts if p.bare_column), None),
    )


def as_type(part: Typed, want: str) -> Typed:
    """A null literal standing where a ``want`` value is expected becomes a typed null.

    Polars cannot apply ``.dt.year()`` or ``&`` to an untyped null, so the static type decides.
    """
    if part.type != "null" or want not in DTYPES:
        return part
    dtype = DTYPES[want]
    inner = part.build
    return replace(part, type=want, build=lambda ctx: inner(ctx).cast(dtype))


def unify(a: str, b: str) -> str | None:
    """The common type of two values (int and float unify to float), or None if incompatible."""
    if a == "null":
        return b
    if b == "null" or a == b:
        return a
    if a in NUM and b in NUM:
        return "float"
    return None


def safe_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """Division that gives null, never inf or NaN, when the denominator is zero or null."""
    return pl.when(den != 0).then(num / den)


def common_type(parts: list[Typed]) -> str:
    common = "null"
    for part in parts:
        common = unify(common, part.type) or common
    return common


def per_row(ctx: Ctx) -> Ctx:
    """Context for an aggregate's argument and conditions: one value per row."""
    return replace(ctx, in_aggregate=True)


def per_group(ctx: Ctx) -> Ctx:
    """Context for constants next to an aggregate: one value per group (periods via first())."""
    return replace(ctx, in_aggregate=False, scalar_periods=True)


def all_of(exprs: list[pl.Expr]) -> pl.Expr | None:
    if not exprs:
        return None
    out = exprs[0]
    for expr in exprs[1:]:
        out = out & expr
    return out


def selection(ctx: Ctx, *parts: Typed | None) -> tuple[pl.Expr | None, pl.Expr | None]:
    """Split the conditions choosing an aggregate's rows (null = false) into two ANDs.

    Row conditions become a row mask; conditions without columns (``true``, ``as_of > ...``)
    are one value per group and switch the whole aggregate on or off. Never broadcasting a
    constant to the rows of a group sidesteps Polars 2.1, which miscounts ``pl.len()``-long
    masks ANDed with a comparison against a ``pl.lit``-filled column inside ``group_by``.
    Returns (row mask or None, group condition or None).
    """
    rows: list[pl.Expr] = []
    group: list[pl.Expr] = []
    for part in parts:
        if part is None:
            continue
        if part.level == "row":
            rows.append(part.build(per_row(ctx)).fill_null(False))
        else:
            group.append(part.build(per_group(ctx)).fill_null(False))
    if ctx.row_filter is not None:
        roots = set(ctx.row_filter.meta.root_names()) - set(PERIOD_COLUMNS.values())
        if roots:
            rows.append(ctx.row_filter.fill_null(False))
        else:
            group.append(ctx.row_filter.first().fill_null(False))
    return all_of(rows), all_of(group)


def count_build(cond: Typed | None, where: Typed | None) -> Builder:
    """Rows selected by ``where``, the row filter and ``cond``, as an Int64 (never unsigned)."""

    def build(ctx: Ctx) -> pl.Expr:
        rows, group = selection(ctx, cond, where)
        count = (pl.len() if rows is None else rows.sum()).cast(pl.Int64)
        if group is None:
            return count
        return pl.when(group).then(count).otherwise(pl.lit(0, pl.Int64))

    return build


def literal(value: object) -> Typed:
    if value is None:
        return Typed(
            type="null", level="constant", build=lambda ctx: pl.lit(None), is_null_literal=True
        )
    type_ = {bool: "bool", int: "int", float: "float", str: "str"}[type(value)]
    dtype = DTYPES[type_]
    return Typed(type=type_, level="constant", build=lambda ctx: pl.lit(value, dtype))


def period(name: str) -> Typed:
    column = PERIOD_COLUMNS[name]

    def build(ctx: Ctx) -> pl.Expr:
        expr = pl.col(column)
        # The engine fills the column with one date per period; outside aggregates a value
        # formula needs that single value per group, not the whole column.
        return expr.first() if ctx.scalar_periods and not ctx.in_aggregate else expr

    return Typed(type="date", level="constant", build=build, uses_period=True)


class Compiler(Protocol):
    """What a function's implementation may ask of the compiler walking the formula."""

    context: str  # "value" or "where"
    allow_metrics: bool  # metric("id") is allowed (a derived metric)
    enclosing_aggregate: str | None  # the aggregate being compiled, if any

    def visit(self, node: ast.expr) -> Typed:
        """Check and build a sub-expression."""
        ...

    def need(
        self,
        node: ast.AST,
        part: Typed,
        op: str,
        allowed: tuple[str, ...],
        default: str | None = None,
        expected: str | None = None,
    ) -> Typed:
        """``part`` if its type is one of ``allowed``; else the type error, naming ``op``."""
        ...

    def combine(self, node: ast.AST, type_: str, build: Builder, *parts: Typed) -> Typed:
        """Merge sub-expressions, refusing a bare column next to an aggregate."""
        ...

    def fail(
        self, code: str, at: ast.AST | int, suggestion: str | None = None, **params: object
    ) -> FormulaError:
        """The error ``code`` pointing at ``at`` (a node or an offset)."""
        ...

    def type_error(self, node: ast.AST, part: Typed, op: str, expected: str) -> FormulaError: ...

    def segment(self, node: ast.AST) -> str:
        """The text of ``node`` as written."""
        ...

    def offset(self, node: ast.AST, end: bool = False) -> int: ...


def whole_as_float(part: Typed) -> Builder:
    """``part`` built as Float64 when it is a whole number, as it is otherwise.

    Every metric value becomes a Float64 anyway: exact up to 2^53, and a result past the largest
    number is infinity (an overflow the engine reports), never the silent wrap-around of Int64
    arithmetic past 9.2e18.
    """
    build = part.build
    if part.type != "int":
        return build
    return lambda ctx: build(ctx).cast(pl.Float64)
