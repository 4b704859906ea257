"""The formula language that staff write in metric YAML, compiled to Polars expressions.

Formulas are Python-like text (``share(channel == "online")``). They are parsed with
``ast.parse(mode="eval")`` and walked against an allow-list of node types; nothing is ever
evaluated by Python, and neither ``pl.sql`` nor ``sql_expr`` is used, because Polars SQL can
read any local file. Anything not explicitly allowed is a :class:`FormulaError` that carries
the 0-based character offset of the offending part, so the YAML loader can point at the exact
column in the file.

Compilation is two-phase so one formula can serve many evaluations: the walk type-checks the
text and produces a tree of small builder closures (:class:`Typed`); :meth:`Compiled.expr`
then turns that tree into a ``pl.Expr``, folding the metric's own row filter into every
aggregate. That folding lets the engine evaluate many metrics over one source in a single
``group_by`` without pre-filtering rows per metric.
"""

from __future__ import annotations

import ast
import math
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import polars as pl

from metrics.formula_messages import COLLECTION_WORDS, clip, count_words, op_words, type_words
from metrics.formula_tree import (
    CONTRACT_TYPES,
    DATES,
    DTYPES,
    NUM,
    PERIOD_COLUMNS,
    Builder,
    Ctx,
    FormulaError,
    Typed,
    as_type,
    literal,
    merge,
    metric_column,
    period,
    safe_div,
    unify,
    whole_as_float,
)
from metrics.functions import FUNCTIONS, Function, date_value
from sources.problems import Problem, did_you_mean

MAX_LENGTH = 2000  # characters, checked before parsing so huge input costs nothing
MAX_NODES = 500  # expression nodes in the parse tree
MAX_DEPTH = 40  # nesting of expression nodes; keeps the recursive walk far from Python's limit

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
# A date written as is (2025-11-14) reads as arithmetic; quoted text is blanked out before looking.
_BARE_DATE = re.compile(r"(?<![\w.])\d{4}-\d{1,2}-\d{1,2}(?![\w.])")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_LITERAL_NAMES: dict[str, object] = {"true": True, "false": False, "null": None}
# warnings.catch_warnings() swaps a process-wide filter list; serialise our own uses of it so
# two threads compiling at once (Streamlit sessions) cannot leave the "ignore" filter behind.
_PARSE_LOCK = threading.Lock()

# --------------------------------------------------------------------------- public result


@dataclass(frozen=True)
class Compiled:
    """A checked formula: what it reads, its type and level, and its Polars expression."""

    text: str
    type: str  # "num" | "bool" | "str" | "date" | "datetime"
    level: str  # "row" | "aggregate" | "constant"
    columns: frozenset[str]
    metrics: frozenset[str]
    uses_period: bool
    ratio: tuple[Compiled, Compiled] | None = None
    _typed: Typed | None = field(default=None, repr=False, compare=False)
    _scalar_periods: bool = field(default=True, repr=False, compare=False)

    def expr(self, row_filter: pl.Expr | None = None) -> pl.Expr:
        """The Polars expression (not aliased).

        Aggregate-level and constant formulas give one value per group: put the expression in
        ``group_by(...).agg(...)`` or ``select``. ``row_filter`` (a bool row expression such as
        a compiled ``where``; null counts as false) is ANDed into every aggregate, including
        ``count()`` and ``share()``. Row-level formulas give one value per row and ignore
        ``row_filter``.
        """
        assert self._typed is not None, "Compiled objects come from compile_formula()"
        row_level = self.level == "row"
        ctx = Ctx(
            row_filter=None if row_level else row_filter,
            scalar_periods=self._scalar_periods and not row_level,
        )
        return self._typed.build(ctx)


def _public_type(type_: str, default: str) -> str:
    if type_ in NUM:
        return "num"
    return default if type_ == "null" else type_


def _to_compiled(text: str, typed: Typed, default_type: str, scalar_periods: bool) -> Compiled:
    ratio = None
    if typed.ratio is not None:
        (num_text, num), (den_text, den) = typed.ratio
        ratio = (
            _to_compiled(num_text, num, "num", scalar_periods),
            _to_compiled(den_text, den, "num", scalar_periods),
        )
    return Compiled(
        text=text,
        type=_public_type(typed.type, default_type),
        level=typed.level,
        columns=typed.columns,
        metrics=typed.metrics,
        uses_period=typed.uses_period,
        ratio=ratio,
        _typed=typed,
        _scalar_periods=scalar_periods,
    )


# --------------------------------------------------------------------------- parsing


def _parse(text: str) -> tuple[ast.expr, str, int]:
    """Parse safely: length first, then the parser with every failure turned into FormulaError.

    Returns the expression node, the text as parsed (newlines turned into spaces so multi-line
    YAML formulas parse and offsets stay the same) and the number of leading blanks stripped.
    """
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            Problem("formula.too_long", {"length": len(text), "limit": MAX_LENGTH}), MAX_LENGTH
        )
    source = text.replace("\r", " ").replace("\n", " ")
    stripped = source.lstrip(" \t\f")
    base = len(source) - len(stripped)
    if not stripped.strip():
        raise FormulaError(Problem("formula.empty"), 0)
    bare = _BARE_DATE.search(_QUOTED.sub(lambda m: " " * len(m.group()), stripped))
    if bare:
        raise FormulaError(
            Problem("formula.bare_date", {"text": bare.group()}), base + bare.start()
        )
    try:
        with _PARSE_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an invalid escape in a string warns; not our output
            tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        offset = base + max((exc.offset or 1) - 1, 0)
        detail = _syntax_detail(exc)
        offset = min(offset, len(text))
        if "too many nested" in detail:
            raise FormulaError(Problem("formula.too_deep", {"limit": MAX_DEPTH}), offset) from None
        raise FormulaError(Problem("formula.syntax", {"detail": detail}), offset) from None
    except (RecursionError, MemoryError):
        raise FormulaError(Problem("formula.too_deep", {"limit": MAX_DEPTH}), 0) from None
    except (ValueError, OverflowError, TypeError) as exc:
        raise FormulaError(Problem("formula.syntax", {"detail": str(exc)[:80]}), 0) from None
    _check_size(tree.body, base, stripped)
    return tree.body, stripped, base


def _syntax_detail(exc: SyntaxError) -> str:
    text = str(exc.msg or "invalid syntax").split(";")[0]
    return text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + "..."


def _check_size(root: ast.expr, base: int, source: str) -> None:
    """Reject trees that are too big or too deep, iteratively, before the recursive walk."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            count += 1
            if count > MAX_NODES:
                raise FormulaError(
                    Problem("formula.too_complex", {"limit": MAX_NODES}),
                    base + _char_col(source, node),
                )
            if depth > MAX_DEPTH:
                raise FormulaError(
                    Problem("formula.too_deep", {"limit": MAX_DEPTH}),
                    base + _char_col(source, node),
                )
            depth += 1
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))


def _char_col(source: str, node: ast.AST, end: bool = False) -> int:
    """The character offset of a node: ast gives UTF-8 byte columns, staff write Vietnamese."""
    col = getattr(node, "end_col_offset" if end else "col_offset", None)
    if col is None:
        return 0
    return len(source.encode("utf-8")[:col].decode("utf-8", errors="ignore"))


# --------------------------------------------------------------------------- the walk

_FORBIDDEN: dict[type, str] = {
    ast.Lambda: "formula.lambda",
    ast.JoinedStr: "formula.fstring",
    ast.FormattedValue: "formula.fstring",
    ast.ListComp: "formula.comprehension",
    ast.SetComp: "formula.comprehension",
    ast.DictComp: "formula.comprehension",
    ast.GeneratorExp: "formula.comprehension",
    ast.NamedExpr: "formula.walrus",
    ast.IfExp: "formula.ternary",
    ast.Starred: "formula.starred",
}
_COLLECTIONS: dict[type, str] = {
    ast.Tuple: "tuple",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.List: "list",
}
_ARITH: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_OTHER_OPS: dict[type, str] = {
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
}
_BITWISE: dict[type, tuple[str, str]] = {
    ast.BitAnd: ("&", "and"),
    ast.BitOr: ("|", "or"),
    ast.BitXor: ("^", "!="),
    ast.Invert: ("~", "not"),
}
_COMPARE: dict[type, tuple[str, Callable[[pl.Expr, pl.Expr], pl.Expr]]] = {
    ast.Eq: ("==", lambda a, b: a == b),
    ast.NotEq: ("!=", lambda a, b: a != b),
    ast.Lt: ("<", lambda a, b: a < b),
    ast.LtE: ("<=", lambda a, b: a <= b),
    ast.Gt: (">", lambda a, b: a > b),
    ast.GtE: (">=", lambda a, b: a >= b),
}


class _Compiler:
    """Walks one parse tree against the allow-list, checking types and levels as it goes."""

    def __init__(
        self, source: str, base: int, columns: Mapping[str, str], allow_metrics: bool, context: str
    ):
        self.source = source
        self.base = base
        self.columns = columns
        self.allow_metrics = allow_metrics
        self.context = context
        self.enclosing_aggregate: str | None = None

    # ---- positions and errors

    def offset(self, node: ast.AST, end: bool = False) -> int:
        return self.base + _char_col(self.source, node, end)

    def segment(self, node: ast.AST) -> str:
        start, stop = _char_col(self.source, node), _char_col(self.source, node, end=True)
        return self.source[start:stop] if stop > start else ""

    def after(self, node: ast.AST) -> int:
        """The offset of the first symbol after a node (where an operator is written)."""
        pos = _char_col(self.source, node, end=True)
        while pos < len(self.source) and self.source[pos] in " \t\f)":
            pos += 1
        return self.base + pos

    def fail(
        self, code: str, at: ast.AST | int, suggestion: str | None = None, **params: object
    ) -> FormulaError:
        offset = at if isinstance(at, int) else self.offset(at)
        return FormulaError(Problem(code, params, suggestion=suggestion), offset)

    def type_error(self, node: ast.AST, part: Typed, op: str, expected: str) -> FormulaError:
        return self.fail(
            "formula.type",
            node,
            expr=clip(self.segment(node)),
            actual=type_words(part.type),
            op=op_words(op),
            expected=type_words(expected),
        )

    def combine(self, node: ast.AST, type_: str, build: Builder, *parts: Typed) -> Typed:
        """Merge sub-expressions, refusing a bare column next to an aggregate."""
        levels = {p.level for p in parts}
        if "row" in levels and "aggregate" in levels:
            name, offset = next(p.bare_column for p in parts if p.bare_column)
            raise self.fail("formula.column_outside_aggregate", offset, name=name)
        return merge(type_, build, *parts)

    # ---- dispatch

    def visit(self, node: ast.expr) -> Typed:
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            return handler(self, node)
        return self.forbidden(node)

    def forbidden(self, node: ast.expr) -> Typed:
        if isinstance(node, ast.Attribute):
            raise self.fail("formula.attribute", self.after(node.value), name=node.attr)
        if isinstance(node, ast.Subscript | ast.Slice):
            at = self.after(node.value) if isinstance(node, ast.Subscript) else node
            raise self.fail("formula.subscript", at)
        code = _FORBIDDEN.get(type(node))
        if code is not None:
            raise self.fail(code, node)
        if type(node) in _COLLECTIONS:
            raise self.fail(
                "formula.collection", node, what=COLLECTION_WORDS[_COLLECTIONS[type(node)]]
            )
        raise self.fail("formula.unsupported", node, what=clip(self.segment(node)) or "?")

    # ---- leaves

    def constant(self, node: ast.Constant) -> Typed:
        value = node.value
        if value is None or isinstance(value, bool):
            return literal(value)
        if isinstance(value, int):
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise self.fail("formula.number_too_large", node, value=clip(self.segment(node)))
            return literal(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail("formula.number_too_large", node, value=clip(self.segment(node)))
            return literal(value)
        if isinstance(value, str):
            return literal(value)
        raise self.fail("formula.literal", node, what=clip(self.segment(node)))

    def name(self, node: ast.Name) -> Typed:
        name = node.id
        if name.startswith("_"):
            raise self.fail("formula.private_name", node, name=name)
        if name in _LITERAL_NAMES:
            return literal(_LITERAL_NAMES[name])
        if name in PERIOD_COLUMNS:
            return period(name)
        if name in self.columns:
            return self._column(node, name)
        if name in FUNCTIONS:
            raise self.fail("formula.function_needs_call", node, name=name)
        choices = [*self.columns, *PERIOD_COLUMNS, *_LITERAL_NAMES]
        raise self.fail(
            "formula.unknown_name", node, suggestion=did_you_mean(name, choices), name=name
        )

    def _column(self, node: ast.Name, name: str) -> Typed:
        contract = self.columns[name]
        if contract not in CONTRACT_TYPES:
            raise ValueError(f"column {name!r} has unknown contract type {contract!r}")
        return Typed(
            type=contract,
            level="row",
            build=lambda ctx: pl.col(name),
            columns=frozenset({name}),
            bare_column=(name, self.offset(node)),
        )

    # ---- operators

    def unary(self, node: ast.UnaryOp) -> Typed:
        if isinstance(node.op, ast.Invert):
            symbol, word = _BITWISE[ast.Invert]
            raise self.fail("formula.bitwise", node, op=symbol, word=word)
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            operand = self.need(node.operand, operand, "not", ("bool",))
            build = operand.build
            return replace(
                operand,
                type="bool",
                build=lambda ctx: ~build(ctx),
                ratio=None,
                is_null_literal=False,
            )
        symbol = "-" if isinstance(node.op, ast.USub) else "+"
        operand = self.need(node.operand, operand, symbol, NUM, default="int")
        build = operand.build
        if symbol == "+":
            return replace(operand, ratio=None, is_null_literal=False)
        return replace(operand, build=lambda ctx: -build(ctx), ratio=None, is_null_literal=False)

    def need(
        self,
        node: ast.AST,
        part: Typed,
        op: str,
        allowed: tuple[str, ...],
        default: str | None = None,
        expected: str | None = None,
    ) -> Typed:
        """Check that ``part`` has one of the ``allowed`` types (a null literal always fits)."""
        if part.type == "null":
            return as_type(part, default or allowed[0])
        if part.type not in allowed:
            words = expected or ("num" if allowed == NUM else allowed[0])
            raise self.type_error(node, part, op, words)
        return part

    def binop(self, node: ast.BinOp) -> Typed:
        op_type = type(node.op)
        if op_type in _BITWISE:
            symbol, word = _BITWISE[op_type]
            raise self.fail("formula.bitwise", self.after(node.left), op=symbol, word=word)
        if op_type not in _ARITH:
            raise self.fail("formula.operator", self.after(node.left), op=_OTHER_OPS[op_type])
        symbol = _ARITH[op_type]
        left, right = self.visit(node.left), self.visit(node.right)
        if left.type in DATES or right.type in DATES:
            raise self.fail("formula.date_arith", self.after(node.left), op=symbol)
        left = self.need(node.left, left, symbol, NUM)
        right = self.need(node.right, right, symbol, NUM)
        if symbol == "/":
            return self._divide(node, left, right)
        lb, rb = whole_as_float(left), whole_as_float(right)
        operate = {"+": pl.Expr.__add__, "-": pl.Expr.__sub__, "*": pl.Expr.__mul__}[symbol]
        return self.combine(node, "float", lambda ctx: operate(lb(ctx), rb(ctx)), left, right)

    def _divide(self, node: ast.BinOp, left: Typed, right: Typed) -> Typed:
        lb, rb = left.build, right.build
        result = self.combine(node, "float", lambda ctx: safe_div(lb(ctx), rb(ctx)), left, right)
        if left.level == "aggregate" and right.level == "aggregate":
            ratio = ((self.segment(node.left), left), (self.segment(node.right), right))
            result = replace(result, ratio=ratio)
        return result

    def boolop(self, node: ast.BoolOp) -> Typed:
        word = "and" if isinstance(node.op, ast.And) else "or"
        parts = [self.need(child, self.visit(child), word, ("bool",)) for child in node.values]
        builds = [p.build for p in parts]

        def build(ctx: Ctx) -> pl.Expr:
            exprs = [b(ctx) for b in builds]
            out = exprs[0]
            for expr in exprs[1:]:
                out = (out & expr) if word == "and" else (out | expr)
            return out

        return self.combine(node, "bool", build, *parts)

    # ---- comparisons

    def compare(self, node: ast.Compare) -> Typed:
        for part in (node.left, *node.comparators):
            if isinstance(part, ast.BinOp) and isinstance(
                part.op, ast.BitAnd | ast.BitOr | ast.BitXor
            ):
                self.visit(part)  # `a == 1 & b` parses as a chain; the '&' is the real mistake
        if len(node.ops) > 1:
            raise self.fail("formula.chained_comparison", self.after(node.comparators[0]))
        op, right_node = node.ops[0], node.comparators[0]
        if isinstance(op, ast.In | ast.NotIn):
            return self._in(node, right_node, negate=isinstance(op, ast.NotIn))
        if isinstance(op, ast.Is | ast.IsNot):
            return self._is_null(node, right_node, negate=isinstance(op, ast.IsNot))
        symbol, operate = _COMPARE[type(op)]
        left, right = self.visit(node.left), self.visit(right_node)
        for side, part in ((node.left, left), (right_node, right)):
            if part.is_null_literal:
                other = right_node if side is node.left else node.left
                raise self.fail("formula.compare_null", side, expr=clip(self.segment(other)))
        # An expression that is always null (coalesce(null, null)) takes the other side's type.
        left = as_type(left, right.type if right.type != "null" else "float")
        right = as_type(right, left.type)
        self._check_comparable(node, symbol, left, right)
        lb, rb = _date_part_builds(left, right)
        return self.combine(node, "bool", lambda ctx: operate(lb(ctx), rb(ctx)), left, right)

    def _check_comparable(self, node: ast.Compare, symbol: str, left: Typed, right: Typed) -> None:
        pair = {left.type, right.type}
        if pair <= set(NUM) or pair <= set(DATES) or len(pair) == 1:
            if pair == {"bool"} and symbol not in ("==", "!="):
                raise self.type_error(node.left, left, symbol, "ordered")
            return
        right_node = node.comparators[0]
        for part, part_node, other in ((left, node.left, right), (right, right_node, left)):
            if part.type in DATES and other.type == "str":
                raise self.fail(
                    "formula.date_string",
                    right_node if part_node is node.left else node.left,
                    expr=clip(self.segment(part_node)),
                    actual=type_words(part.type),
                )
        raise self.fail(
            "formula.compare_types",
            node,
            left=clip(self.segment(node.left)),
            right=clip(self.segment(right_node)),
            left_type=type_words(left.type),
            right_type=type_words(right.type),
        )

    def _is_null(self, node: ast.Compare, right_node: ast.expr, negate: bool) -> Typed:
        if not _is_null_node(right_node):
            raise self.fail("formula.is_usage", self.after(node.left))
        left = self.visit(node.left)
        lb = left.build
        if negate:
            return self.combine(node, "bool", lambda ctx: lb(ctx).is_not_null(), left)
        return self.combine(node, "bool", lambda ctx: lb(ctx).is_null(), left)

    def _in(self, node: ast.Compare, right_node: ast.expr, negate: bool) -> Typed:
        if not isinstance(right_node, ast.List):
            raise self.fail("formula.in_needs_list", right_node)
        left = self.visit(node.left)
        if left.type == "null":
            raise self.fail("formula.compare_null", node.left, expr=clip(self.segment(node.left)))
        values = [self._in_item(node.left, left, item) for item in right_node.elts]
        item_type = (
            "float"
            if left.type == "float" or any(isinstance(v, float) for v in values)
            else left.type
        )
        if item_type == "datetime":
            item_type = "date"  # date-times are matched on their calendar date
        series = pl.Series(values, dtype=DTYPES[item_type])
        lb = left.build

        def build(ctx: Ctx) -> pl.Expr:
            value = lb(ctx)
            if left.type == "datetime":
                value = value.dt.date()
            elif item_type == "float" and left.type == "int":
                value = value.cast(pl.Float64)
            inside = value.is_in(pl.lit(series).implode())
            return ~inside if negate else inside

        return self.combine(node, "bool", build, left)

    def _in_item(self, left_node: ast.expr, left: Typed, item: ast.expr) -> object:
        """A literal value from the list after ``in``, checked against the left side's type."""
        if _is_null_node(item):
            raise self.fail("formula.in_null", item)
        written = self._list_literal(item)
        if written is None:
            raise self.fail("formula.in_item", item, item=clip(self.segment(item)))
        value, type_ = written
        fits = unify(left.type, type_) is not None or (left.type in DATES and type_ == "date")
        if not fits or (type_ in NUM) != (left.type in NUM):
            raise self.fail(
                "formula.in_type",
                item,
                item=clip(self.segment(item)),
                actual=type_words(type_),
                expr=clip(self.segment(left_node)),
                expected=type_words(left.type),
            )
        return value

    def _list_literal(self, item: ast.expr) -> tuple[object, str] | None:
        """(value, type) of a fixed value allowed in an ``in`` list, or None."""
        if isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.USub | ast.UAdd):
            inner = self._list_literal(item.operand)
            if inner is None or inner[1] not in NUM:
                return None
            value = inner[0]
            return (-value if isinstance(item.op, ast.USub) else value), inner[1]  # type: ignore[operator]
        if (
            isinstance(item, ast.Call)
            and isinstance(item.func, ast.Name)
            and item.func.id == "date"
        ):
            return date_value(self, item), "date"
        if isinstance(item, ast.Name) and item.id in ("true", "false"):
            return item.id == "true", "bool"
        if isinstance(item, ast.Constant) and not isinstance(item.value, bytes | complex):
            if item.value is Ellipsis:
                return None
            typed = self.constant(item)
            return item.value, typed.type
        return None

    # ---- calls

    def call(self, node: ast.Call) -> Typed:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                raise self.fail("formula.attribute", self.after(func.value), name=func.attr)
            raise self.fail("formula.not_callable", func, name=clip(self.segment(func)))
        name = func.id
        if name.startswith("_"):
            raise self.fail("formula.private_name", func, name=name)
        if name not in FUNCTIONS:
            if name in self.columns or name in PERIOD_COLUMNS or name in _LITERAL_NAMES:
                raise self.fail("formula.not_callable", func, name=name)
            suggestion = did_you_mean(name, FUNCTIONS)
            raise self.fail("formula.unknown_function", func, suggestion=suggestion, name=name)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail("formula.starred", arg)
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.fail("formula.starred", keyword)
            if keyword.arg != "where" or FUNCTIONS[name].kind != "aggregate":
                raise self.fail("formula.keyword", keyword, name=keyword.arg, function=name)
        low, high = FUNCTIONS[name].arity
        if not (low <= len(node.args) and (high is None or len(node.args) <= high)):
            raise self.fail(
                "formula.arg_count",
                node,
                function=name,
                expected=count_words(low, high),
                got=len(node.args),
            )
        return FUNCTIONS[name].compile(self, node)


def _date_part_builds(left: Typed, right: Typed) -> tuple[Builder, Builder]:
    """Builders for comparing two sides; a date-time against a date compares its calendar date.

    We compare on the date part (not midnight) because staff mean "on or before the deadline
    day" when they write ``completed_at <= deadline``.
    """
    lb, rb = left.build, right.build
    if {left.type, right.type} == {"date", "datetime"}:
        if left.type == "datetime":
            return (lambda ctx: lb(ctx).dt.date()), rb
        return lb, (lambda ctx: rb(ctx).dt.date())
    return lb, rb


def _is_null_node(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "null") or (
        isinstance(node, ast.Constant) and node.value is None
    )


_HANDLERS: dict[type, Callable[[_Compiler, ast.expr], Typed]] = {
    ast.Constant: _Compiler.constant,  # type: ignore[dict-item]
    ast.Name: _Compiler.name,  # type: ignore[dict-item]
    ast.UnaryOp: _Compiler.unary,  # type: ignore[dict-item]
    ast.BinOp: _Compiler.binop,  # type: ignore[dict-item]
    ast.BoolOp: _Compiler.boolop,  # type: ignore[dict-item]
    ast.Compare: _Compiler.compare,  # type: ignore[dict-item]
    ast.Call: _Compiler.call,  # type: ignore[dict-item]
}
# --------------------------------------------------------------------------- entry point


def compile_formula(
    text: str,
    columns: Mapping[str, str],
    *,
    context: Literal["value", "where"] = "value",
    allow_metrics: bool = False,
) -> Compiled:
    """Check a staff formula against a source's column contract and compile it.

    ``columns`` maps column names to contract types (str, int, float, bool, date, datetime).
    A ``value`` formula must give one number per group (aggregates, constants, metric());
    a ``where`` formula must give true/false per row. Raises FormulaError (a ConfigError)
    for anything else, with ``offset`` pointing into ``text``.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = str(text)  # YAML reads `value: 1` as a number
    if not isinstance(text, str):
        raise FormulaError(Problem("formula.not_text"), 0)
    root, source, base = _parse(text)
    compiler = _Compiler(source, base, columns, allow_metrics, context)
    try:
        typed = compiler.visit(root)
    except RecursionError:
        raise FormulaError(Problem("formula.too_deep", {"limit": MAX_DEPTH}), 0) from None
    if context == "where":
        _check_where(typed)
        return _to_compiled(text, typed, "bool", scalar_periods=False)
    _check_value(typed)
    # A derived metric is evaluated row by row over a frame of metric values (one row per
    # period and breakdown), so there as_of & co. are read from the row, not the group.
    return _to_compiled(text, typed, "num", scalar_periods=not typed.metrics)


def _check_value(typed: Typed) -> None:
    if typed.level == "row":
        name, offset = typed.bare_column or ("?", 0)
        raise FormulaError(Problem("formula.column_outside_aggregate", {"name": name}), offset)
    if typed.type not in (*NUM, "null"):
        raise FormulaError(Problem("formula.value_type", {"actual": type_words(typed.type)}), 0)
    if typed.metrics and typed.aggregate is not None:
        name, offset = typed.aggregate
        raise FormulaError(Problem("formula.metric_mixed", {"name": name}), offset)


def _check_where(typed: Typed) -> None:
    if typed.aggregate is not None:
        name, offset = typed.aggregate
        raise FormulaError(Problem("formula.where_aggregate", {"name": name}), offset)
    if typed.metric_at is not None:
        raise FormulaError(Problem("formula.where_aggregate", {"name": "metric"}), typed.metric_at)
    if typed.type not in ("bool", "null"):
        raise FormulaError(Problem("formula.where_type", {"actual": type_words(typed.type)}), 0)


__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "PERIOD_COLUMNS",
    "Compiled",
    "FormulaError",
    "Function",
    "compile_formula",
    "metric_column",
]
