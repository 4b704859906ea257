"""The formula language on literal frames: every aggregate, row function, null and zero rule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from metrics.formula import (
    FUNCTIONS,
    MAX_LENGTH,
    PERIOD_COLUMNS,
    Compiled,
    FormulaError,
    compile_formula,
    metric_column,
)
from sources.problems import ConfigError, registered_messages

D = dt.date
T = dt.datetime
AS_OF = D(2025, 11, 14)

COLUMNS = {
    "g": "str",
    "channel": "str",
    "x": "int",
    "y": "float",
    "flag": "bool",
    "d": "date",
    "e": "date",
    "t": "datetime",
}


def frame() -> pl.DataFrame:
    """Two groups; nulls in every column; a zero in x and y."""
    return pl.DataFrame(
        {
            "g": ["a", "a", "a", "b", "b"],
            "channel": ["online", "post", None, "online", "online"],
            "x": [1, 2, None, 0, 5],
            "y": [0.5, None, 2.0, 0.0, 1.5],
            "flag": [True, None, False, True, True],
            "d": [D(2025, 1, 1), None, D(2025, 2, 1), D(2025, 3, 1), D(2025, 11, 20)],
            "e": [D(2025, 1, 11), D(2025, 1, 5), None, D(2025, 2, 1), D(2025, 11, 20)],
            "t": [T(2025, 1, 1, 12), None, T(2025, 2, 1), T(2025, 3, 5, 6), T(2025, 11, 20, 23)],
        },
        schema_overrides={"y": pl.Float64},
    ).with_columns(
        pl.lit(AS_OF).alias(PERIOD_COLUMNS["as_of"]),
        pl.lit(D(2025, 1, 1)).alias(PERIOD_COLUMNS["period_start"]),
        pl.lit(AS_OF).alias(PERIOD_COLUMNS["period_end"]),
    )


def whole(formula: str, df: pl.DataFrame | None = None, row_filter: str | None = None):
    """The value of a value formula over the whole frame."""
    df = frame() if df is None else df
    compiled = compile_formula(formula, COLUMNS)
    filt = compile_formula(row_filter, COLUMNS, context="where").expr() if row_filter else None
    return df.select(compiled.expr(filt).alias("v"))["v"].to_list()[0]


def grouped(formula: str, row_filter: str | None = None) -> dict[str, object]:
    compiled = compile_formula(formula, COLUMNS)
    filt = compile_formula(row_filter, COLUMNS, context="where").expr() if row_filter else None
    out = frame().group_by("g").agg(compiled.expr(filt).alias("v"))
    return dict(zip(out["g"], out["v"], strict=True))


def rows(formula: str) -> list[object]:
    """A where formula evaluated row by row."""
    compiled = compile_formula(formula, COLUMNS, context="where")
    return frame().select(compiled.expr().alias("v"))["v"].to_list()


def error(formula: str, **kwargs) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        compile_formula(formula, COLUMNS, **kwargs)
    return info.value


# --------------------------------------------------------------------------- aggregates


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("count()", 5),
        ("count(flag)", 3),  # null counts as not true
        ("count(not flag)", 1),
        ("count(x > 0)", 3),  # the null x is not counted
        ('count(channel == "online")', 3),
        ("count(true)", 5),
        ("count(false)", 0),
        ("count(null)", 0),
        ("sum(x)", 8),
        ("sum(y)", 4.0),
        ("sum(1)", 5),
        ("mean(x)", 2.0),
        ("mean(y)", 1.0),
        ("median(x)", 1.5),
        ("median(y)", 1.0),
        ("min(x)", 0),
        ("max(y)", 2.0),
        ("n_unique(channel)", 2),  # null is not a value
        ("n_unique(x)", 4),
        ("n_unique(flag)", 2),
        ("share(flag)", 0.6),
        ('share(channel == "online")', 0.6),
    ],
)
def test_aggregates_over_the_whole_frame(formula, expected):
    assert whole(formula) == pytest.approx(expected)


def test_min_and_max_of_dates_are_dates():
    assert grouped("days_between(min(d), max(d))") == {"a": 31, "b": 264}
    assert whole('days_between(date("2025-01-01"), max(t))') == pytest.approx(323 + 23 / 24)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("sum(x, where=flag)", 6),
        ('sum(x, where=channel == "online")', 6),
        ("count(where=x > 0)", 3),
        ("count(flag, where=x > 0)", 2),
        ("share(flag, where=x > 0)", 2 / 3),
        ("mean(y, where=flag)", 2 / 3),
        ("median(x, where=flag)", 1.0),
        ("min(x, where=x > 0)", 1),
        ("max(x, where=not flag)", None),  # the only not-flag row has a null x
        ("n_unique(channel, where=flag)", 1),
        ("sum(x, where=null)", None),
    ],
)
def test_where_selects_rows_inside_one_aggregate(formula, expected):
    assert whole(formula) == (pytest.approx(expected) if expected is not None else None)


def test_aggregates_over_no_rows():
    empty = frame().clear()
    assert whole("count()", empty) == 0
    assert whole("count(flag)", empty) == 0
    assert whole("sum(x)", empty) is None  # no values: not a zero
    assert whole("share(flag)", empty) is None  # no rows: no share, never NaN
    for name in ("mean", "median", "min", "max"):
        assert whole(f"{name}(x)", empty) is None
    assert whole("n_unique(x)", empty) == 0


def test_aggregates_over_only_nulls():
    only_null = frame().filter(pl.col("x").is_null())
    assert whole("sum(x)", only_null) is None  # all empty: not a zero
    assert whole("mean(x)", only_null) is None
    assert whole("n_unique(x)", only_null) == 0
    assert whole("count()", only_null) == 1


def test_share_of_an_empty_group_is_null():
    assert grouped("share(flag, where=x > 100)") == {"a": None, "b": None}
    assert grouped("share(flag)", row_filter="x > 100") == {"a": None, "b": None}


def test_counts_can_go_negative_without_wrapping():
    assert whole("count(flag) - count()") == -2


# --------------------------------------------------------------------------- row_filter folding


def test_row_filter_is_folded_into_every_aggregate_of_one_group_by():
    formulas = {
        "n": "count()",
        "online": 'share(channel == "online")',
        "total": "sum(x)",
        "avg": "mean(y, where=x > 0)",
        "ones": "sum(1)",
        "always": "count(true)",
    }
    filt = compile_formula("flag", COLUMNS, context="where").expr()
    exprs = [compile_formula(f, COLUMNS).expr(filt).alias(k) for k, f in formulas.items()]
    one_pass = frame().group_by("g").agg(exprs).sort("g")
    # The reference: pre-filter the rows, then aggregate normally.
    plain = [compile_formula(f, COLUMNS).expr().alias(k) for k, f in formulas.items()]
    prefiltered = frame().filter(pl.col("flag")).group_by("g").agg(plain).sort("g")
    assert one_pass.to_dicts() == prefiltered.to_dicts()


def test_row_filter_keeps_groups_with_no_selected_rows():
    assert grouped("count()", row_filter="x > 1") == {"a": 1, "b": 1}
    assert grouped("count()", row_filter='channel == "post"') == {"a": 1, "b": 0}
    assert grouped("sum(x)", row_filter='channel == "post"') == {"a": 2, "b": None}
    assert grouped("mean(x)", row_filter='channel == "post"') == {"a": 2.0, "b": None}


def test_constant_row_filter_still_counts_rows():
    assert grouped("count()", row_filter="true") == {"a": 3, "b": 2}
    assert grouped("count()", row_filter="false") == {"a": 0, "b": 0}
    assert grouped("sum(1)", row_filter="as_of > date('2025-01-01')") == {"a": 3, "b": 2}


def test_constant_conditions_with_literal_period_columns_in_group_by():
    # Interleaved groups and a pl.lit-filled as_of column: Polars 2.1 miscounts masks that
    # broadcast such a comparison to the rows of a group, so the compiler must not build them.
    groups = list("xzyyzxzxyx")
    df = pl.DataFrame({"g": groups, "x": range(10)}).with_columns(
        pl.lit(AS_OF).alias(PERIOD_COLUMNS["as_of"])
    )
    cols = {"g": "str", "x": "int"}
    formulas = {
        "n": "count()",
        "c1": 'count(date("2025-01-01") < as_of)',
        "c2": 'count(where=as_of > date("2025-01-01"))',
        "c3": 'sum(1, where=as_of > date("2025-01-01"))',
        "c4": 'share(x >= 0, where=as_of > date("2025-01-01"))',
        "c5": 'count(as_of < date("2025-01-01"))',
        "c6": "n_unique(as_of)",
        "c7": "days_between(max(as_of, where=false), as_of)",
    }
    filt = compile_formula('as_of > date("2025-01-01")', cols, context="where").expr()
    exprs = [compile_formula(f, cols).expr(filt).alias(k) for k, f in formulas.items()]
    out = df.group_by("g", maintain_order=True).agg(exprs)
    sizes = [groups.count(g) for g in out["g"]]
    assert out["n"].to_list() == sizes
    assert out["c1"].to_list() == sizes
    assert out["c2"].to_list() == sizes
    assert out["c3"].to_list() == sizes
    assert out["c4"].to_list() == [1.0, 1.0, 1.0]
    assert out["c5"].to_list() == [0, 0, 0]
    assert out["c6"].to_list() == [1, 1, 1]
    assert out["c7"].to_list() == [None, None, None]  # max over no rows is null


def test_aggregates_of_constants():
    assert grouped("sum(2.5)") == {"a": 7.5, "b": 5.0}
    assert grouped("sum(null)") == {"a": None, "b": None}
    assert grouped("mean(3, where=x > 1)") == {"a": 3.0, "b": 3.0}
    assert grouped("days_between(min(as_of), max(d))") == {"a": -286, "b": 6}
    assert grouped("n_unique(1, where=flag)") == {"a": 1, "b": 1}
    assert grouped("n_unique(1)", row_filter="x > 100") == {"a": 0, "b": 0}
    assert whole("sum(1)", frame().clear()) is None


def test_row_filter_null_counts_as_false():
    assert grouped("count()", row_filter="flag") == {"a": 1, "b": 2}


# --------------------------------------------------------------------------- arithmetic, nulls, zero


def test_division_by_zero_gives_null_never_inf():
    assert whole("sum(x) / 0") is None
    assert whole("sum(x) / min(x)") is None
    assert whole("sum(y) / sum(y, where=x == 0)") is None
    assert whole("0 / 0") is None
    assert grouped("sum(x) / sum(y)") == {"a": pytest.approx(3 / 2.5), "b": pytest.approx(5 / 1.5)}
    assert rows("x / y > 1") == [True, None, None, None, True]


def test_division_is_float_and_arithmetic_keeps_ints():
    assert whole("count() / 2") == 2.5
    assert whole("sum(x) * 2 - 1") == 15
    assert whole("-sum(x)") == -8
    assert whole("+sum(x)") == 8
    assert compile_formula("sum(x) + 1", COLUMNS).type == "num"


def test_nulls_propagate_through_arithmetic_and_comparisons():
    assert whole("sum(x) + null") is None
    assert rows("x + 1 > 1") == [True, True, None, False, True]
    assert rows("x == 1") == [True, False, None, False, False]
    assert rows("x != 1") == [False, True, None, True, True]


def test_and_or_not_are_three_valued():
    assert rows("flag and x > 0") == [True, None, False, False, True]
    assert rows("flag or x > 1") == [True, True, None, True, True]
    assert rows("not flag") == [False, None, True, False, False]
    assert rows("flag or null") == [True, None, None, True, True]
    assert rows("flag and null") == [None, None, False, None, None]


def test_in_and_not_in():
    assert rows('channel in ["online", "email"]') == [True, False, None, True, True]
    assert rows('channel not in ["online"]') == [False, True, None, False, False]
    assert rows("x in [1, 5, -3]") == [True, False, None, False, True]
    assert rows("x in [0.5, 1]") == [True, False, None, False, False]
    assert rows("y in [0.5, 2]") == [True, None, True, False, False]
    assert rows("x in []") == [False, False, None, False, False]
    assert rows("flag in [true]") == [True, None, False, True, True]
    assert rows('d in [date("2025-01-01"), date("2025-03-01")]') == [True, None, False, True, False]
    assert rows('t in [date("2025-03-05")]') == [False, None, False, True, False]  # date part


def test_is_null_and_is_not_null():
    assert rows("x is null") == [False, False, True, False, False]
    assert rows("channel is not null") == [True, True, False, True, True]
    assert whole("count(d is null)") == 1
    assert whole("count(x is None)") == 1  # Python spelling accepted


# --------------------------------------------------------------------------- row functions


def test_days_between_dates_is_whole_days():
    assert rows("days_between(d, e) == 10") == [True, None, None, False, False]
    assert whole("sum(days_between(d, e))") == 10 - 28 + 0
    assert whole("min(days_between(d, as_of))") == -6


def test_days_between_with_a_datetime_is_fractional():
    values = frame().select(compile_formula("sum(days_between(d, t))", COLUMNS).expr().alias("v"))[
        "v"
    ][0]
    assert values == pytest.approx(0.5 + 0 + 4.25 + 23 / 24)
    assert whole("max(days_between(t, e))") == pytest.approx(9.5)


def test_coalesce():
    assert whole("sum(coalesce(x, 10))") == 18
    assert whole("sum(coalesce(y, x, 0))") == pytest.approx(6.0)
    assert rows('coalesce(channel, "none") == "none"') == [False, False, True, False, False]
    assert whole("coalesce(max(x, where=false), -1)") == -1


def test_year_quarter_month():
    assert whole("sum(year(d))") == 2025 * 4
    assert whole("max(quarter(d))") == 4
    assert whole("min(month(t))") == 1
    assert whole("year(as_of)") == 2025
    assert whole("month(period_start)") == 1


def test_when():
    assert whole("sum(when(flag, x, 100))") == 1 + 100 + 0 + 5 + 100  # null condition -> else
    assert whole("when(count() > 3, 1, 0)") == 1
    assert rows('when(x > 1, "big", "small") == "big"') == [False, True, False, False, True]
    assert whole("sum(when(flag, y, null))") == pytest.approx(2.0)


def test_abs_and_round():
    assert whole("sum(abs(x - 2))") == 1 + 0 + 2 + 3
    assert whole("round(mean(y), 1)") == 1.0
    assert whole("round(2.5)") == 3.0  # half away from zero, as people round by hand
    assert whole("round(-2.5)") == -3.0
    assert whole("round(0.125, 2)") == pytest.approx(0.13)
    assert whole("round(sum(x))") == 8
    assert whole("round(1 / 3, 4)") == pytest.approx(0.3333)


# --------------------------------------------------------------------------- dates and periods


def test_date_literals_and_comparisons():
    assert rows('d < date("2025-02-15")') == [True, None, True, False, False]
    assert rows("d <= as_of") == [True, None, True, True, False]
    assert rows("d >= period_start") == [True, None, True, True, True]


def test_datetime_against_date_compares_the_calendar_date():
    # 2025-01-01 12:00 is "on" 2025-01-01: equal, and not after it.
    assert rows("t == d") == [True, None, True, False, True]
    assert rows("t > d") == [False, None, False, True, False]
    assert rows("t <= e") == [True, None, None, False, True]
    assert rows('t <= date("2025-03-05")') == [True, None, True, True, False]


def test_overdue_count_as_in_the_design():
    cols = {"deadline": "date", "completed_on": "date"}
    df = pl.DataFrame(
        {
            "deadline": [D(2025, 11, 1), D(2025, 11, 1), D(2025, 12, 1), D(2025, 10, 1)],
            "completed_on": [None, D(2025, 11, 20), None, D(2025, 9, 30)],
            "__as_of": [AS_OF] * 4,
        }
    )
    compiled = compile_formula(
        "count(deadline < as_of and (completed_on is null or completed_on > as_of))", cols
    )
    assert compiled.uses_period
    assert compiled.columns == {"deadline", "completed_on"}
    assert df.select(compiled.expr())[0, 0] == 2


def test_period_names_outside_aggregates_take_one_value_per_group():
    assert grouped("days_between(max(d), as_of)") == {"a": 286, "b": -6}
    assert grouped("count() + year(period_end) - 2025") == {"a": 3, "b": 2}


# --------------------------------------------------------------------------- compiled object


def test_compiled_describes_the_formula():
    compiled = compile_formula(
        'sum(x, where=channel == "online") / sum(y, where=flag) + 0 * year(as_of)', COLUMNS
    )
    assert isinstance(compiled, Compiled)
    assert compiled.type == "num"
    assert compiled.level == "aggregate"
    assert compiled.columns == {"x", "y", "channel", "flag"}
    assert compiled.metrics == frozenset()
    assert compiled.uses_period
    assert compiled.ratio is None  # the top node is +, not a division


def test_levels_and_types():
    assert compile_formula("1.5", COLUMNS).level == "constant"
    where = compile_formula("x > 1 and flag", COLUMNS, context="where")
    assert (where.level, where.type) == ("row", "bool")
    assert compile_formula("true", COLUMNS, context="where").level == "constant"
    assert compile_formula("null", COLUMNS).type == "num"
    assert compile_formula("null", COLUMNS, context="where").type == "bool"


def test_ratio_of_a_division_of_aggregates():
    compiled = compile_formula("sum(x, where=flag) / count()", COLUMNS)
    assert compiled.ratio is not None
    numerator, denominator = compiled.ratio
    assert (numerator.text, denominator.text) == ("sum(x, where=flag)", "count()")
    assert numerator.columns == {"x", "flag"} and denominator.columns == frozenset()
    filt = compile_formula("x > 0", COLUMNS, context="where").expr()
    out = frame().select(
        compiled.expr(filt).alias("v"),
        numerator.expr(filt).alias("n"),
        denominator.expr(filt).alias("d"),
    )
    assert out.row(0) == (pytest.approx(6 / 3), 6, 3)


def test_ratio_of_a_share():
    compiled = compile_formula('share(channel == "online", where=x > 0)', COLUMNS)
    assert compiled.ratio is not None
    numerator, denominator = compiled.ratio
    assert numerator.text == 'count(channel == "online", where=x > 0)'
    assert denominator.text == "count(where=x > 0)"
    out = frame().select(
        compiled.expr().alias("v"), numerator.expr().alias("n"), denominator.expr().alias("d")
    )
    assert out.row(0) == (pytest.approx(2 / 3), 2, 3)


@pytest.mark.parametrize(
    "formula", ["sum(x) / 2", "2 / count()", "share(flag) * 100", "-share(flag)"]
)
def test_no_ratio_unless_top_node_divides_two_aggregates(formula):
    assert compile_formula(formula, COLUMNS).ratio is None


def test_multi_line_formula_and_leading_blanks():
    compiled = compile_formula("  sum(x)\n  / count()\n", COLUMNS)
    assert compiled.ratio is not None
    err = error("sum(x)\n + chanel")
    assert err.offset == len("sum(x)\n + ")
    assert error("   sum(chanel)").offset == 7


def test_numbers_from_yaml_are_accepted():
    assert compile_formula(1, COLUMNS).level == "constant"  # type: ignore[arg-type]
    with pytest.raises(FormulaError):
        compile_formula(["x"], COLUMNS)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- derived metrics


def test_metric_references():
    compiled = compile_formula(
        '0.5 * metric("online_rate") + 0.5 * metric("on_time")', {}, allow_metrics=True
    )
    assert compiled.metrics == {"online_rate", "on_time"}
    assert compiled.level == "aggregate"
    assert metric_column("on_time") == "__metric__on_time"
    df = pl.DataFrame(
        {metric_column("online_rate"): [0.9, None], metric_column("on_time"): [0.7, 0.5]}
    )
    assert df.select(compiled.expr())[:, 0].to_list() == [pytest.approx(0.8), None]


def test_metric_formulas_read_periods_row_by_row():
    compiled = compile_formula('metric("a") * year(as_of)', {}, allow_metrics=True)
    assert compiled.uses_period
    df = pl.DataFrame(
        {"__metric__a": [1.0, 2.0], PERIOD_COLUMNS["as_of"]: [D(2024, 12, 31), D(2025, 11, 14)]}
    )
    assert df.select(compiled.expr())[:, 0].to_list() == [2024.0, 4050.0]


def test_metric_ratio_and_zero():
    compiled = compile_formula('metric("a") / metric("b")', {}, allow_metrics=True)
    assert compiled.ratio is not None
    df = pl.DataFrame({"__metric__a": [1.0, 2.0], "__metric__b": [0.0, 4.0]})
    assert df.select(compiled.expr())[:, 0].to_list() == [None, 0.5]


@pytest.mark.parametrize(
    ("formula", "kwargs", "code"),
    [
        ('metric("a")', {}, "formula.metric_not_allowed"),
        ("metric(a)", {"allow_metrics": True}, "formula.metric_literal"),
        ('metric("")', {"allow_metrics": True}, "formula.metric_literal"),
        ('metric("a") + count()', {"allow_metrics": True}, "formula.metric_mixed"),
        ('sum(metric("a"))', {"allow_metrics": True}, "formula.nested_aggregate"),
        ('metric("a") + x', {"allow_metrics": True}, "formula.column_outside_aggregate"),
        ('metric("a") > 1', {"allow_metrics": True, "context": "where"}, "formula.where_aggregate"),
    ],
)
def test_metric_errors(formula, kwargs, code):
    assert error(formula, **kwargs).problem.code == code


# --------------------------------------------------------------------------- compile-time errors


@pytest.mark.parametrize(
    ("formula", "code", "offset"),
    [
        ('sum(x) + "a"', "formula.type", 9),
        ("count() + x", "formula.column_outside_aggregate", 10),
        ("sum(channel)", "formula.type", 4),
        ("mean(flag)", "formula.type", 5),
        ("median(d)", "formula.type", 7),
        ("min(channel)", "formula.type", 4),
        ("count(x)", "formula.count_condition", 6),
        ("share(x)", "formula.type", 6),
        ("count(where=x)", "formula.type", 12),
        ("sum(x, where=channel)", "formula.type", 13),
        ("count(flag + 1)", "formula.type", 6),
        ("count(not x)", "formula.type", 10),
        ("count(flag and x)", "formula.type", 15),
        ("count(x == channel)", "formula.compare_types", 6),
        ('count(d > "2025-01-01")', "formula.date_string", 10),
        ("count(flag < true)", "formula.type", 6),
        ("count(x == null)", "formula.compare_null", 11),
        ("count(x is 1)", "formula.is_usage", 8),
        ('count(x in ["a"])', "formula.in_type", 12),
        ("count(x in [null])", "formula.in_null", 12),
        ("count(x in [y])", "formula.in_item", 12),
        ("count(x in y)", "formula.in_needs_list", 11),
        ("count(d - e > 1)", "formula.date_arith", 8),
        ("sum(days_between(x, d))", "formula.type", 17),
        ("sum(year(x))", "formula.type", 9),
        ('sum(when(flag, x, "a"))', "formula.branch_types", 18),
        ("sum(coalesce(x, d))", "formula.branch_types", 16),
        ("count(when(x, true, false))", "formula.type", 11),
        ("round(sum(x), 1.5)", "formula.round_digits", 14),
        ("round(sum(x), y)", "formula.round_digits", 14),
        ("round(sum(x), 11)", "formula.round_digits", 14),
        ("abs(channel)", "formula.type", 4),
        ('date("14/11/2025") == as_of', "formula.bad_date", 5),
        ('count(d == date("2025-02-30"))', "formula.bad_date", 16),
        ('count(d == date("20251114"))', "formula.bad_date", 16),
        ("count(d == date(x))", "formula.date_literal", 16),
        ("sum(sum(x))", "formula.nested_aggregate", 4),
        ("sum(x, where=count() > 1)", "formula.nested_aggregate", 13),
        ("sum(x) + x", "formula.column_outside_aggregate", 9),
        ("x", "formula.column_outside_aggregate", 0),
        ("when(flag, sum(x), 0)", "formula.column_outside_aggregate", 5),
        ("count() > 1", "formula.value_type", 0),
        ('"text"', "formula.value_type", 0),
        ("max(d)", "formula.value_type", 0),
        ("sum()", "formula.arg_count", 0),
        ("count(flag, x > 1)", "formula.arg_count", 0),
        ("coalesce(x)", "formula.arg_count", 0),
        ("sum(x, by=g)", "formula.keyword", 7),
        ("round(sum(x), n=2)", "formula.keyword", 14),
        ("abs(sum(x), where=flag)", "formula.keyword", 12),
        ("summ(x)", "formula.unknown_function", 0),
        ("sum(chanel)", "formula.unknown_name", 4),
        ("count", "formula.function_needs_call", 0),
        ("x(1)", "formula.not_callable", 0),
        ("sum(x)(1)", "formula.not_callable", 0),
        ("count() < 1 < 2", "formula.chained_comparison", 12),
        ("sum(x) ** 2", "formula.operator", 7),
        ("sum(x) // 2", "formula.operator", 7),
        ("sum(x) % 2", "formula.operator", 7),
        ("count(flag & flag)", "formula.bitwise", 11),
        ("count(flag | flag)", "formula.bitwise", 11),
        ("count(~flag)", "formula.bitwise", 6),
        ("sum(x) if true else 0", "formula.ternary", 0),
        ("sum(_x)", "formula.private_name", 4),
        ("[1, 2]", "formula.collection", 0),
        ("(1, 2)", "formula.collection", 0),
        ("{1: 2}", "formula.collection", 0),
        ("{1}", "formula.collection", 0),
        ("b'x'", "formula.literal", 0),
        ("1j", "formula.literal", 0),
        ("...", "formula.literal", 0),
        ("99999999999999999999", "formula.number_too_large", 0),
        ("", "formula.empty", 0),
        ("   \n ", "formula.empty", 0),
        ("sum(x) +", "formula.syntax", None),
    ],
)
def test_compile_time_errors(formula, code, offset):
    err = error(formula)
    assert err.problem.code == code, err.render("en")
    if offset is not None:
        assert err.offset == offset, err.render("en")
    assert isinstance(err, ConfigError)


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("x", "formula.where_type"),
        ('"online"', "formula.where_type"),
        ("count() > 1", "formula.where_aggregate"),
        ("flag and sum(x) > 1", "formula.where_aggregate"),
    ],
)
def test_where_errors(formula, code):
    assert error(formula, context="where").problem.code == code


def test_offsets_count_characters_not_bytes():
    cols = {"kênh_nộp": "str", "số_lượng": "int"}
    with pytest.raises(FormulaError) as info:
        compile_formula('share(kênh_nộp == "trực tuyến") + sum(số_lượg)', cols)
    text = 'share(kênh_nộp == "trực tuyến") + sum('
    assert info.value.offset == len(text)
    assert info.value.problem.suggestion == "số_lượng"


def test_did_you_mean_for_columns_and_functions():
    err = error('share(chanel == "online")')
    assert err.problem.suggestion == "channel"
    assert err.render("en").endswith("unknown column 'chanel' (did you mean 'channel'?)")
    assert "ý bạn là 'channel'" in err.render("vi")
    assert error("summ(x)").problem.suggestion == "sum"
    assert error("count(as_off > d)").problem.suggestion == "as_of"


def test_too_long_is_rejected_before_parsing():
    err = error("1+" * MAX_LENGTH)
    assert err.problem.code == "formula.too_long"
    assert err.problem.params["limit"] == MAX_LENGTH


def test_unknown_contract_type_is_a_programming_error():
    with pytest.raises(ValueError, match="contract type"):
        compile_formula("sum(x)", {"x": "decimal"})


# --------------------------------------------------------------------------- messages


def test_every_code_used_is_registered_in_both_languages():
    source = Path(__file__).resolve().parent.parent / "metrics" / "formula.py"
    used = set(re.findall(r'"(formula\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    messages = registered_messages()
    assert used, "no codes found"
    for code in used:
        assert code in messages, code
        assert set(messages[code]) == {"vi", "en"}
    vietnamese = " ".join(messages[c]["vi"] for c in used)
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", vietnamese)


def test_every_error_renders_in_both_languages():
    samples = [
        "sum(x) + 'a'",
        "count(x)",
        "x",
        "sum(chanel)",
        "count() > 1",
        "round(x, 99)",
        "sum(x, by=g)",
        "coalesce(x)",
        "count(d > '2025')",
        "count(x == d)",
        "1e999",
        "sum(when(flag, x, d))",
        "x.y",
        "a < b < c",
        "date('x') == 1",
        "sum(",
        "(1, 2)",
    ]
    for formula in samples:
        err = error(formula)
        for lang in ("vi", "en"):
            text = err.problem.text(lang)
            assert text and "{" not in text.replace("{...}", ""), (formula, lang, text)
            assert err.problem.code not in text


def test_function_list_is_the_documented_one():
    assert {
        "date",
        "days_between",
        "coalesce",
        "year",
        "quarter",
        "month",
        "when",
        "abs",
        "round",
        "metric",
        "count",
        "share",
        "sum",
        "mean",
        "median",
        "min",
        "max",
        "n_unique",
    } == set(FUNCTIONS)


@pytest.mark.parametrize(
    ("text", "code", "offset"),
    [
        ('count(status != "x" & fee is not null)', "formula.bitwise", 20),
        ("count(day > 2025-11-01)", "formula.bare_date", 12),
        ("count(day > 2025-11-14)", "formula.bare_date", 12),
    ],
)
def test_common_slips_get_the_right_diagnosis(text, code, offset):
    with pytest.raises(FormulaError) as info:
        compile_formula(text, {"status": "str", "fee": "int", "day": "date"})
    assert info.value.problems[0].code == code
    assert info.value.offset == offset


def test_a_date_inside_quotes_is_text():
    compile_formula('count(status == "2025-11-14")', {"status": "str"})
