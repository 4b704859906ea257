"""Properties of the formula compiler, checked with Hypothesis.

1. Any text at all either compiles or raises FormulaError, and whatever compiles evaluates.
2. Differential: random valid formulas over random nullable frames give the same values through
   the compiler and Polars as through a small plain-Python evaluator written here from the
   documented rules (nulls propagate, x / 0 is null, null conditions count as false, ...).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable
from functools import cache

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.formula import FUNCTIONS, PERIOD_COLUMNS, FormulaError, compile_formula

COLUMNS = {"a": "int", "b": "float", "s": "str", "d": "date", "t": "datetime", "flag": "bool"}
SCHEMA = {
    "g": pl.String,
    "a": pl.Int64,
    "b": pl.Float64,
    "s": pl.String,
    "d": pl.Date,
    "t": pl.Datetime("us"),
    "flag": pl.Boolean,
}
AS_OF = dt.date(2025, 2, 1)
BASE = dt.date(2025, 1, 1)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

Node = tuple


# --------------------------------------------------------------------------- 1. any text


SAMPLE_COLUMNS = {**COLUMNS, "x": "int"}


def sample_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "g": ["x", "x", "y"],
            "a": [1, None, 0],
            "b": [0.5, 0.0, None],
            "s": ["p", None, "q"],
            "d": [BASE, None, AS_OF],
            "t": [dt.datetime(2025, 1, 1, 6), dt.datetime(2025, 3, 1), None],
            "flag": [True, None, False],
            "x": [3, 4, None],
        },
        schema={**SCHEMA, "x": pl.Int64},
    ).with_columns(pl.lit(AS_OF).alias(c) for c in PERIOD_COLUMNS.values())


TOKENS = [
    "a",
    "b",
    "s",
    "d",
    "t",
    "flag",
    "as_of",
    "x",
    "_",
    "__class__",
    "(",
    ")",
    "[",
    "]",
    ",",
    " ",
    ".",
    "+",
    "-",
    "*",
    "/",
    "**",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    " and ",
    " or ",
    "not ",
    " in ",
    " is ",
    "null",
    "true",
    "1",
    "0",
    "2.5",
    "1e999",
    '"p"',
    "'q'",
    "date(",
    '"2025-01-05"',
    "count(",
    "share(",
    "sum(",
    "mean(",
    "median(",
    "min(",
    "max(",
    "n_unique(",
    "where=",
    "days_between(",
    "coalesce(",
    "year(",
    "month(",
    "quarter(",
    "when(",
    "abs(",
    "round(",
    "metric(",
    "lambda",
    ":",
    "if",
    "else",
    "=",
    ":=",
    "{",
    "}",
    "f'",
    "\\",
    "\n",
    "#",
]


def check_any_text(text: str) -> None:
    for context in ("value", "where"):
        try:
            compiled = compile_formula(text, SAMPLE_COLUMNS, context=context)
        except FormulaError as exc:
            assert isinstance(exc.offset, int) and exc.offset >= 0
            assert exc.problem.text("vi") and exc.problem.text("en")
            continue
        out = sample_frame().select(compiled.expr().alias("v"))  # must evaluate, never crash
        assert out.width == 1


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_only_raises_formula_error(text):
    check_any_text(text)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_token_soup_only_raises_formula_error(text):
    check_any_text(text)


LEAVES = [
    "a",
    "b",
    "s",
    "d",
    "t",
    "flag",
    "as_of",
    "period_start",
    "null",
    "true",
    "false",
    "0",
    "1",
    "-2",
    "2.5",
    '"p"',
    'date("2025-01-05")',
    "x",
    "count()",
]
CALLS = [*sorted(FUNCTIONS), "open", "len"]
OPERATORS = ["+", "-", "*", "/", "==", "!=", "<", ">=", "and", "or", "in", "not in", "is", "%"]


def shaped(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Well-formed text with random types: reaches the type checker rather than the parser."""
    call = st.tuples(
        st.sampled_from(CALLS),
        st.lists(children, max_size=3),
        st.one_of(st.none(), children),
    ).map(lambda c: f"{c[0]}({', '.join([*c[1], *([f'where={c[2]}'] if c[2] else [])])})")
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.lists(children, max_size=3).map(lambda items: f"(x in [{', '.join(items)}])"),
        children.map(lambda c: f"(not {c})"),
        children.map(lambda c: f"(-{c})"),
        call,
    )


@SETTINGS
@given(st.recursive(st.sampled_from(LEAVES), shaped, max_leaves=12))
def test_well_formed_formulas_of_any_type_compile_and_run_or_raise_formula_error(text):
    check_any_text(text)


# --------------------------------------------------------------------------- 2. generator

quarter_steps = st.integers(-16, 16).map(lambda n: n / 4)  # exact in binary: sums stay exact
small_ints = st.integers(-5, 5)


def lit_num() -> st.SearchStrategy[Node]:
    return st.one_of(
        small_ints.map(lambda v: ("int", v)),
        quarter_steps.map(lambda v: ("float", v)),
        st.just(("null",)),
    )


def date_expr() -> st.SearchStrategy[Node]:
    return st.one_of(
        st.sampled_from([("col", "d"), ("col", "t"), ("period", "as_of")]),
        st.integers(0, 60).map(lambda n: ("date", BASE + dt.timedelta(days=n))),
    )


@cache
def row_num(depth: int) -> st.SearchStrategy[Node]:
    leaves = st.one_of(st.sampled_from([("col", "a"), ("col", "b")]), lit_num())
    if depth == 0:
        return leaves
    sub = row_num(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), sub, sub),
        st.tuples(st.just("neg"), sub),
        st.tuples(st.just("abs"), sub),
        st.tuples(st.just("coalesce"), sub, sub),
        st.tuples(st.just("when"), row_bool(depth - 1), sub, sub),
        st.tuples(st.just("days"), date_expr(), date_expr()),
        st.tuples(st.sampled_from(["year", "month", "quarter"]), date_expr()),
    )


@cache
def row_bool(depth: int) -> st.SearchStrategy[Node]:
    strings = st.lists(st.sampled_from(["p", "q", "r"]), max_size=3)
    leaves = st.one_of(
        st.just(("col", "flag")),
        st.booleans().map(lambda v: ("bool", v)),
        st.tuples(
            st.just("cmp"),
            st.sampled_from(["==", "!="]),
            st.just(("col", "s")),
            st.sampled_from(["p", "q"]).map(lambda v: ("str", v)),
        ),
        st.tuples(st.just("in"), st.just(("col", "s")), strings.map(tuple), st.booleans()),
        st.tuples(
            st.just("in"),
            st.just(("col", "a")),
            st.lists(small_ints, max_size=3).map(tuple),
            st.booleans(),
        ),
        st.tuples(st.just("isnull"), st.sampled_from([("col", c) for c in COLUMNS]), st.booleans()),
        st.tuples(
            st.just("cmp"),
            st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
            date_expr(),
            date_expr(),
        ),
    )
    if depth == 0:
        return leaves
    sub = row_bool(depth - 1)
    num = row_num(depth - 1).filter(lambda n: n != ("null",))  # x == null is refused by design
    return st.one_of(
        leaves,
        st.tuples(st.just("cmp"), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), num, num),
        st.tuples(st.sampled_from(["and", "or"]), sub, sub),
        st.tuples(st.just("not"), sub),
    )


def maybe_where() -> st.SearchStrategy[Node | None]:
    return st.one_of(st.none(), row_bool(1))


@cache
def agg_num(depth: int) -> st.SearchStrategy[Node]:
    x = row_num(2)
    cond = row_bool(2)
    leaves = st.one_of(
        st.tuples(st.just("count"), st.one_of(st.none(), cond), maybe_where()),
        st.tuples(st.just("share"), cond, maybe_where()),
        st.tuples(
            st.just("agg"),
            st.sampled_from(["sum", "mean", "median", "min", "max"]),
            x,
            maybe_where(),
        ),
        st.tuples(
            st.just("agg"),
            st.just("n_unique"),
            st.one_of(x, st.just(("col", "s")), st.just(("col", "d"))),
            maybe_where(),
        ),
        st.tuples(
            st.just("days"),
            st.tuples(
                st.just("agg"),
                st.sampled_from(["min", "max"]),
                st.just(("col", "d")),
                maybe_where(),
            ),
            st.one_of(
                st.just(("period", "as_of")),
                st.tuples(
                    st.just("agg"),
                    st.sampled_from(["min", "max"]),
                    st.sampled_from([("col", "d"), ("col", "t")]),
                    maybe_where(),
                ),
            ),
        ),
    )
    if depth == 0:
        return leaves
    sub = agg_num(depth - 1)
    operand = st.one_of(sub, lit_num())
    # Conditions at aggregate level compare whole-number aggregates, which are exact in both
    # evaluators; comparing float sums could flip on the last bit of rounding.
    count_like = st.tuples(st.just("count"), st.one_of(st.none(), cond), maybe_where())
    agg_bool = st.tuples(
        st.just("cmp"),
        st.sampled_from(["<", ">=", "=="]),
        count_like,
        small_ints.map(lambda v: ("int", v)),
    )
    return st.one_of(
        leaves,
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), sub, operand),
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), operand, sub),
        st.tuples(st.just("neg"), sub),
        st.tuples(st.just("abs"), sub),
        st.tuples(st.just("coalesce"), sub, operand),
        st.tuples(st.just("when"), agg_bool, sub, operand),
    )


# --------------------------------------------------------------------------- rendering


def render(node: Node | None) -> str:
    kind = node[0]
    simple: dict[str, Callable[[Node], str]] = {
        "col": lambda n: n[1],
        "period": lambda n: n[1],
        "null": lambda n: "null",
        "bool": lambda n: "true" if n[1] else "false",
        "int": lambda n: f"({n[1]})" if n[1] < 0 else str(n[1]),
        "float": lambda n: f"({n[1]!r})" if n[1] < 0 else repr(n[1]),
        "str": lambda n: f'"{n[1]}"',
        "date": lambda n: f'date("{n[1].isoformat()}")',
    }
    if kind in simple:
        return simple[kind](node)
    if kind in ("bin", "cmp"):
        return f"({render(node[2])} {node[1]} {render(node[3])})"
    if kind in ("and", "or"):
        return f"({render(node[1])} {kind} {render(node[2])})"
    if kind == "not":
        return f"(not {render(node[1])})"
    if kind == "neg":
        return f"(-{render(node[1])})"
    if kind == "in":
        items = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in node[2])
        return f"({render(node[1])} {'not in' if node[3] else 'in'} [{items}])"
    if kind == "isnull":
        return f"({render(node[1])} is {'not ' if node[2] else ''}null)"
    if kind in ("abs", "year", "month", "quarter"):
        return f"{kind}({render(node[1])})"
    if kind in ("coalesce", "when", "days"):
        name = "days_between" if kind == "days" else kind
        return f"{name}({', '.join(render(arg) for arg in node[1:])})"
    if kind in ("count", "share"):
        args = [render(node[1])] if node[1] is not None else []
        if node[2] is not None:
            args.append(f"where={render(node[2])}")
        return f"{kind}({', '.join(args)})"
    if kind == "agg":
        where = f", where={render(node[3])}" if node[3] is not None else ""
        return f"{node[1]}({render(node[2])}{where})"
    raise AssertionError(kind)


# --------------------------------------------------------------------------- reference evaluator


def as_datetime(value: dt.date) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def days_between(start, end):
    if start is None or end is None:
        return None
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        return (as_datetime(end) - as_datetime(start)).total_seconds() / 86400
    return (end - start).days


def compare(op: str, left, right):
    if left is None or right is None:
        return None
    if isinstance(left, dt.datetime) != isinstance(right, dt.datetime):  # calendar date part
        left = left.date() if isinstance(left, dt.datetime) else left
        right = right.date() if isinstance(right, dt.datetime) else right
    return {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]


def arith(op: str, left, right):
    if left is None or right is None:
        return None
    if op == "/":
        return None if right == 0 else left / right
    return {"+": left + right, "-": left - right, "*": left * right}[op]


def kleene_and(left, right):
    if left is False or right is False:
        return False
    return None if left is None or right is None else True


def kleene_or(left, right):
    if left is True or right is True:
        return True
    return None if left is None or right is None else False


class Reference:
    """Evaluates generated trees on lists of dicts, following the documented rules."""

    def __init__(self, rows: list[dict], keep: list[bool]):
        self.rows = rows
        self.keep = keep  # the metric's row filter (null already counted as false)

    def row(self, node: Node, row: dict):
        kind = node[0]
        if kind == "col":
            return row[node[1]]
        if kind == "period":
            return AS_OF
        if kind in ("int", "float", "bool", "str", "date"):
            return node[1]
        if kind == "null":
            return None
        return self.combine(node, lambda child: self.row(child, row))

    def combine(self, node: Node, ev: Callable[[Node], object]):
        """Operators and row functions, shared by the row and the aggregate evaluators."""
        kind = node[0]
        if kind == "bin":
            return arith(node[1], ev(node[2]), ev(node[3]))
        if kind == "neg":
            value = ev(node[1])
            return None if value is None else -value
        if kind == "abs":
            value = ev(node[1])
            return None if value is None else abs(value)
        if kind == "coalesce":
            return next((v for v in map(ev, node[1:]) if v is not None), None)
        if kind == "when":
            return ev(node[2]) if ev(node[1]) is True else ev(node[3])
        if kind == "days":
            return days_between(ev(node[1]), ev(node[2]))
        if kind in ("year", "month", "quarter"):
            value = ev(node[1])
            if value is None:
                return None
            return {
                "year": value.year,
                "month": value.month,
                "quarter": (value.month - 1) // 3 + 1,
            }[kind]
        if kind == "cmp":
            return compare(node[1], ev(node[2]), ev(node[3]))
        if kind == "and":
            return kleene_and(ev(node[1]), ev(node[2]))
        if kind == "or":
            return kleene_or(ev(node[1]), ev(node[2]))
        if kind == "not":
            value = ev(node[1])
            return None if value is None else not value
        if kind == "in":
            value = ev(node[1])
            hit = None if value is None else value in node[2]
            return (None if hit is None else not hit) if node[3] else hit
        if kind == "isnull":
            return (ev(node[1]) is not None) if node[2] else (ev(node[1]) is None)
        raise AssertionError(kind)

    def selected(self, where: Node | None) -> list[dict]:
        return [
            r
            for r, k in zip(self.rows, self.keep, strict=True)
            if k and (where is None or self.row(where, r) is True)
        ]

    def agg(self, node: Node):
        kind = node[0]
        if kind in ("int", "float", "null"):
            return self.row(node, {})
        if kind == "period":
            return AS_OF if self.rows else None  # one value per group, none without rows
        if kind in ("count", "share"):
            chosen = self.selected(node[2])
            hits = sum(1 for r in chosen if node[1] is None or self.row(node[1], r) is True)
            if kind == "count":
                return hits
            return hits / len(chosen) if chosen else None
        if kind == "agg":
            values = [self.row(node[2], r) for r in self.selected(node[3])]
            values = [v for v in values if v is not None]
            if node[1] == "n_unique":
                return len(set(values))
            if not values:  # a sum over no values is no value too, not a zero
                return None
            if node[1] == "sum":
                return sum(values)
            return {
                "mean": lambda: sum(values) / len(values),
                "median": lambda: statistics.median(values),
                "min": lambda: min(values),
                "max": lambda: max(values),
            }[node[1]]()
        return self.combine(node, self.agg)


# --------------------------------------------------------------------------- frames and checks


def nullable(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


ROW = st.fixed_dictionaries(
    {
        "g": st.sampled_from(["x", "y", "z"]),
        "a": nullable(st.integers(-3, 3)),
        "b": nullable(quarter_steps),
        "s": nullable(st.sampled_from(["p", "q", "r"])),
        "d": nullable(st.integers(0, 60).map(lambda n: BASE + dt.timedelta(days=n))),
        "t": nullable(
            st.integers(0, 60 * 24).map(lambda h: dt.datetime(2025, 1, 1) + dt.timedelta(hours=h))
        ),
        "flag": nullable(st.booleans()),
    }
)


def to_frame(rows: list[dict], literal_periods: bool = True) -> pl.DataFrame:
    """The rows as a frame, with the period columns filled by ``pl.lit`` or from lists.

    Both ways matter: Polars keeps a ``pl.lit`` column as one scalar, and has group_by bugs
    with such columns that the compiler must not walk into.
    """
    df = pl.DataFrame(rows, schema=SCHEMA) if rows else pl.DataFrame(schema=SCHEMA)
    if literal_periods:
        return df.with_columns(pl.lit(AS_OF).alias(c) for c in PERIOD_COLUMNS.values())
    dates = pl.Series([AS_OF] * len(rows), dtype=pl.Date)
    return df.with_columns(dates.alias(c) for c in PERIOD_COLUMNS.values())


def same(actual, expected) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual == expected
    if isinstance(expected, int | float):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected


def where_mask(rows: list[dict], row_filter: Node | None) -> list[bool]:
    if row_filter is None:
        return [True] * len(rows)
    ref = Reference(rows, [True] * len(rows))
    return [ref.row(row_filter, r) is True for r in rows]


@SETTINGS
@given(
    formula=agg_num(2),
    rows=st.lists(ROW, max_size=10),
    row_filter=st.one_of(st.none(), row_bool(2)),
    literal_periods=st.booleans(),
)
def test_value_formulas_match_the_reference(formula, rows, row_filter, literal_periods):
    text = render(formula)
    compiled = compile_formula(text, COLUMNS)
    filt = None
    if row_filter is not None:
        filt = compile_formula(render(row_filter), COLUMNS, context="where").expr()
    df = to_frame(rows, literal_periods)
    keep = where_mask(rows, row_filter)

    # Over the whole frame (one row out, even when the frame is empty).
    actual = df.select(compiled.expr(filt).alias("v"))["v"][0]
    expected = Reference(rows, keep).agg(formula)
    assert same(actual, expected), (text, actual, expected)

    # Per group, all groups in one group_by.
    out = df.group_by("g", maintain_order=True).agg(compiled.expr(filt).alias("v"))
    for group, value in zip(out["g"], out["v"], strict=True):
        members = [(r, k) for r, k in zip(rows, keep, strict=True) if r["g"] == group]
        expected = Reference([r for r, _ in members], [k for _, k in members]).agg(formula)
        assert same(value, expected), (text, group, value, expected)

    # The ratio parts, when there are any, divide to the value.
    if compiled.ratio is not None:
        numerator, denominator = compiled.ratio
        parts = df.select(numerator.expr(filt).alias("n"), denominator.expr(filt).alias("d"))
        n, d = parts.row(0)
        assert same(actual, None if n is None or d is None or d == 0 else n / d), text


@SETTINGS
@given(formula=row_bool(3), rows=st.lists(ROW, max_size=10))
def test_where_formulas_match_the_reference(formula, rows):
    text = render(formula)
    compiled = compile_formula(text, COLUMNS, context="where")
    df = to_frame(rows)
    values = df.select(compiled.expr().alias("v"))["v"].to_list()
    if len(values) != len(rows):  # a constant condition gives one value for every row
        assert len(values) == 1, text
        values = values * len(rows)
    ref = Reference(rows, [True] * len(rows))
    expected = [ref.row(formula, r) for r in rows]
    assert values == expected, (text, values, expected)


@SETTINGS
@given(formula=row_num(3), rows=st.lists(ROW, min_size=1, max_size=8))
def test_row_arithmetic_matches_the_reference_inside_sum(formula, rows):
    text = f"sum({render(formula)})"
    compiled = compile_formula(text, COLUMNS)
    actual = to_frame(rows).select(compiled.expr().alias("v"))["v"][0]
    expected = Reference(rows, [True] * len(rows)).agg(("agg", "sum", formula, None))
    assert same(actual, expected), (text, actual, expected)
