"""The formula language that staff write in metric YAML, compiled to Polars expressions.

Formulas are Python-like text (``share(channel == "online")``). They are parsed with
``ast.parse(mode="eval")`` and walked against an allow-list of node types; nothing is ever
evaluated by Python, and neither ``pl.sql`` nor ``sql_expr`` is used, because Polars SQL can
read any local file. Anything not explicitly allowed is a :class:`FormulaError` that carries
the 0-based character offset of the offending part, so the YAML loader can point at the exact
column in the file.

Compilation is two-phase so one formula can serve many evaluations: the walk type-checks the
text and produces a tree of small builder closures (:class:`_Typed`); :meth:`Compiled.expr`
then turns that tree into a ``pl.Expr``, folding the metric's own row filter into every
aggregate. That folding lets the engine evaluate many metrics over one source in a single
``group_by`` without pre-filtering rows per metric.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import polars as pl

from sources.problems import ConfigError, Problem, did_you_mean, register_messages

MAX_LENGTH = 2000  # characters, checked before parsing so huge input costs nothing
MAX_NODES = 500  # expression nodes in the parse tree
MAX_DEPTH = 40  # nesting of expression nodes; keeps the recursive walk far from Python's limit
MAX_ROUND_DIGITS = 10

PERIOD_COLUMNS: dict[str, str] = {
    "as_of": "__as_of",
    "period_start": "__period_start",
    "period_end": "__period_end",
}
"""Formula names of the evaluated period's dates -> the frame columns the engine must add."""

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date written as is (2025-11-14) reads as arithmetic; quoted text is blanked out before looking.
_BARE_DATE = re.compile(r"(?<![\w.])\d{4}-\d{1,2}-\d{1,2}(?![\w.])")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_MICROS_PER_DAY = 86_400_000_000  # microseconds per day, for fractional days between date-times
_LITERAL_NAMES: dict[str, object] = {"true": True, "false": False, "null": None}
# warnings.catch_warnings() swaps a process-wide filter list; serialise our own uses of it so
# two threads compiling at once (Streamlit sessions) cannot leave the "ignore" filter behind.
_PARSE_LOCK = threading.Lock()

_NUM = ("int", "float")
_DATES = ("date", "datetime")
_DTYPES: dict[str, pl.DataType] = {
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "str": pl.String(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
}
_CONTRACT_TYPES = frozenset(_DTYPES)

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


# --------------------------------------------------------------------------- messages

_TYPE_WORDS: dict[str, dict[str, str]] = {
    "int": {"vi": "số", "en": "a number"},
    "float": {"vi": "số", "en": "a number"},
    "num": {"vi": "số", "en": "a number"},
    "bool": {"vi": "giá trị đúng/sai", "en": "a true/false value"},
    "str": {"vi": "văn bản", "en": "text"},
    "date": {"vi": "ngày", "en": "a date"},
    "datetime": {"vi": "ngày giờ", "en": "a date-time"},
    "null": {"vi": "giá trị rỗng (null)", "en": "null"},
    "num_or_date": {"vi": "số hoặc ngày", "en": "a number or a date"},
    "ordered": {"vi": "số, văn bản hoặc ngày", "en": "numbers, text or dates"},
    "value": {"vi": "một giá trị", "en": "a value"},
}

_COLLECTION_WORDS: dict[str, dict[str, str]] = {
    "tuple": {"vi": "bộ giá trị (a, b)", "en": "tuples (a, b)"},
    "dict": {"vi": "từ điển {...}", "en": "dictionaries {...}"},
    "set": {"vi": "tập hợp {...}", "en": "sets {...}"},
    "list": {"vi": "danh sách [...]", "en": "lists [...]"},
}

register_messages(
    {
        "formula.not_text": {
            "vi": "công thức phải được viết dưới dạng văn bản",
            "en": "the formula must be written as text",
        },
        "formula.empty": {
            "vi": "công thức đang để trống; hãy viết một biểu thức, ví dụ count()",
            "en": "the formula is empty; write an expression such as count()",
        },
        "formula.too_long": {
            "vi": "công thức dài {length} ký tự, vượt giới hạn {limit} ký tự; "
            "hãy rút gọn hoặc tách thành nhiều chỉ số",
            "en": "the formula is {length} characters long, over the limit of {limit}; "
            "shorten it or split it into several metrics",
        },
        "formula.too_complex": {
            "vi": "công thức quá phức tạp (hơn {limit} thành phần); hãy tách thành nhiều chỉ số",
            "en": "the formula is too complex (more than {limit} parts); "
            "split it into several metrics",
        },
        "formula.too_deep": {
            "vi": "công thức lồng nhau quá sâu (hơn {limit} tầng); "
            "hãy bỏ bớt dấu ngoặc hoặc tách thành nhiều chỉ số",
            "en": "the formula is nested too deeply (more than {limit} levels); "
            "remove extra brackets or split it into several metrics",
        },
        "formula.syntax": {
            "vi": "không đọc được công thức tại vị trí này; hãy kiểm tra dấu ngoặc, dấu nháy, "
            "dấu phẩy và các phép toán",
            "en": "the formula cannot be read here ({detail}); check brackets, quotes, commas "
            "and operators",
        },
        "formula.unsupported": {
            "vi": "không được dùng '{what}' trong công thức",
            "en": "'{what}' is not allowed in formulas",
        },
        "formula.attribute": {
            "vi": "không được dùng dấu chấm để truy cập thuộc tính ('.{name}') trong công thức; "
            "hãy dùng các hàm có trong hướng dẫn công thức",
            "en": "attribute access ('.{name}') is not allowed in formulas; use the functions "
            "listed in the formula reference",
        },
        "formula.subscript": {
            "vi": "không được dùng chỉ mục [...] trong công thức; hãy gọi cột bằng tên của cột",
            "en": "indexing with [...] is not allowed in formulas; refer to a column by its name",
        },
        "formula.lambda": {
            "vi": "không được dùng lambda trong công thức; hãy viết trực tiếp biểu thức",
            "en": "lambda is not allowed in formulas; write the expression directly",
        },
        "formula.fstring": {
            "vi": "không được dùng chuỗi định dạng (f-string); hãy viết văn bản trong dấu nháy, "
            'ví dụ "online"',
            "en": 'f-strings are not allowed; write plain text in quotes, e.g. "online"',
        },
        "formula.comprehension": {
            "vi": "không được dùng vòng lặp [... for ...] trong công thức; hãy dùng hàm tổng hợp "
            'với where=, ví dụ sum(x, where=channel == "online")',
            "en": "comprehensions ([... for ...]) are not allowed; use an aggregate with where=, "
            'e.g. sum(x, where=channel == "online")',
        },
        "formula.walrus": {
            "vi": "không được dùng phép gán (:=) trong công thức",
            "en": "assignment (:=) is not allowed in formulas",
        },
        "formula.ternary": {
            "vi": "không dùng được cú pháp 'a if điều_kiện else b'; hãy viết when(điều_kiện, a, b)",
            "en": "'a if cond else b' is not supported; write when(cond, a, b)",
        },
        "formula.starred": {
            "vi": "không được dùng * hoặc ** khi gọi hàm; hãy viết rõ từng đối số",
            "en": "* and ** are not allowed in function calls; write each argument out",
        },
        "formula.collection": {
            "vi": "không được dùng {what[vi]} ở đây; danh sách [...] chỉ dùng sau 'in' "
            "hoặc 'not in'",
            "en": "{what[en]} are not allowed here; a list [...] may only follow 'in' or 'not in'",
        },
        "formula.literal": {
            "vi": "không hỗ trợ loại giá trị '{what}'; hãy dùng số, \"văn bản\", true, false, "
            'null hoặc date("YYYY-MM-DD")',
            "en": "values like '{what}' are not supported; use numbers, \"text\", true, false, "
            'null or date("YYYY-MM-DD")',
        },
        "formula.number_too_large": {
            "vi": "số {value} quá lớn; hãy viết một số nhỏ hơn",
            "en": "the number {value} is too large; write a smaller number",
        },
        "formula.operator": {
            "vi": "không hỗ trợ phép toán '{op}'; công thức chỉ dùng + - * / cho số",
            "en": "the operator '{op}' is not supported; formulas use + - * / on numbers",
        },
        "formula.bitwise": {
            "vi": "không hỗ trợ '{op}'; để kết hợp điều kiện hãy viết '{word}'",
            "en": "'{op}' is not supported; to combine conditions write '{word}'",
        },
        "formula.bare_date": {
            "vi": 'ngày \'{text}\' phải viết trong date("..."), ví dụ date("{text}")',
            "en": 'the date \'{text}\' must be written inside date("..."), e.g. date("{text}")',
        },
        "formula.chained_comparison": {
            "vi": "không hỗ trợ so sánh nối tiếp như a < b < c; hãy viết a < b and b < c",
            "en": "chained comparisons such as a < b < c are not supported; write a < b and b < c",
        },
        "formula.private_name": {
            "vi": "không được dùng tên bắt đầu bằng dấu gạch dưới ('{name}')",
            "en": "names starting with '_' are not allowed ('{name}')",
        },
        "formula.unknown_name": {
            "vi": "không có cột '{name}' trong nguồn dữ liệu",
            "en": "unknown column '{name}'",
        },
        "formula.function_needs_call": {
            "vi": "'{name}' là một hàm; hãy gọi kèm dấu ngoặc, ví dụ {name}(...)",
            "en": "'{name}' is a function; call it with brackets, e.g. {name}(...)",
        },
        "formula.unknown_function": {
            "vi": "không có hàm '{name}'; xem danh sách hàm trong hướng dẫn công thức",
            "en": "unknown function '{name}'; see the formula reference for the functions "
            "available",
        },
        "formula.not_callable": {
            "vi": "'{name}' không phải là hàm nên không gọi được",
            "en": "'{name}' is not a function and cannot be called",
        },
        "formula.keyword": {
            "vi": "hàm {function}() không có tùy chọn '{name}='; tùy chọn duy nhất là where= "
            "của các hàm tổng hợp",
            "en": "{function}() has no option '{name}='; the only option is where=, "
            "which aggregates accept",
        },
        "formula.arg_count": {
            "vi": "hàm {function}() cần {expected[vi]} đối số, nhưng đang có {got}",
            "en": "{function}() takes {expected[en]} argument(s), but {got} were given",
        },
        "formula.date_literal": {
            "vi": 'hàm date(...) cần một ngày viết trong dấu nháy, ví dụ date("2025-11-14")',
            "en": 'date(...) needs a date in quotes, e.g. date("2025-11-14")',
        },
        "formula.bad_date": {
            "vi": "'{value}' không phải là ngày hợp lệ; hãy viết theo dạng NĂM-THÁNG-NGÀY, "
            'ví dụ date("2025-11-14")',
            "en": "'{value}' is not a valid date; write it as YYYY-MM-DD, "
            'e.g. date("2025-11-14")',
        },
        "formula.metric_literal": {
            "vi": "hàm metric(...) cần mã chỉ số viết trong dấu nháy, "
            'ví dụ metric("online_filing_rate")',
            "en": 'metric(...) needs a metric id in quotes, e.g. metric("online_filing_rate")',
        },
        "formula.metric_not_allowed": {
            "vi": "chỉ dùng được metric(...) trong công thức giá trị của chỉ số tính từ các chỉ số "
            "khác",
            "en": "metric(...) can only be used in the value of a metric derived from other "
            "metrics",
        },
        "formula.metric_mixed": {
            "vi": "không kết hợp metric(...) với hàm tổng hợp {name}(...) trong cùng một công "
            'thức; hãy tách {name}(...) thành một chỉ số riêng và gọi bằng metric("mã")',
            "en": "metric(...) cannot be combined with the aggregate {name}(...) in one formula; "
            'make {name}(...) a metric of its own and refer to it with metric("id")',
        },
        "formula.round_digits": {
            "vi": "hàm round(x, n) cần n là số nguyên từ 0 đến {limit}, ví dụ round(x, 2)",
            "en": "round(x, n) needs n to be a whole number from 0 to {limit}, e.g. round(x, 2)",
        },
        "formula.type": {
            "vi": "'{expr}' là {actual[vi]}, nhưng {op[vi]} cần {expected[vi]}",
            "en": "'{expr}' is {actual[en]}, but {op[en]} needs {expected[en]}",
        },
        "formula.date_arith": {
            "vi": "không cộng trừ trực tiếp ngày bằng '{op}'; hãy dùng "
            "days_between(ngày_đầu, ngày_cuối) để tính số ngày giữa hai ngày",
            "en": "dates cannot be combined with '{op}'; use days_between(start, end) for the "
            "number of days between two dates",
        },
        "formula.compare_types": {
            "vi": "không so sánh được '{left}' ({left_type[vi]}) với '{right}' "
            "({right_type[vi]}); hai vế phải cùng loại giá trị",
            "en": "cannot compare '{left}' ({left_type[en]}) with '{right}' ({right_type[en]}); "
            "both sides must be the same kind of value",
        },
        "formula.date_string": {
            "vi": "'{expr}' là {actual[vi]}, nên hãy so sánh với một ngày viết dạng "
            'date("YYYY-MM-DD") thay vì văn bản',
            "en": "'{expr}' is {actual[en]}, so compare it with a date written as "
            'date("YYYY-MM-DD"), not with text',
        },
        "formula.compare_null": {
            "vi": "so sánh với null luôn cho kết quả rỗng; hãy viết '{expr} is null' hoặc "
            "'{expr} is not null'",
            "en": "comparing with null never gives an answer; write '{expr} is null' or "
            "'{expr} is not null'",
        },
        "formula.is_usage": {
            "vi": "chỉ dùng 'is' dưới dạng 'is null' hoặc 'is not null'; "
            "để so sánh giá trị hãy dùng ==",
            "en": "'is' can only be used as 'is null' or 'is not null'; use == to compare values",
        },
        "formula.in_needs_list": {
            "vi": "sau 'in' cần một danh sách giá trị trong ngoặc vuông, "
            'ví dụ channel in ["online", "post"]',
            "en": "'in' needs a list of values in square brackets, "
            'e.g. channel in ["online", "post"]',
        },
        "formula.in_item": {
            "vi": "danh sách sau 'in' chỉ được chứa giá trị cố định (số, \"văn bản\", true/false, "
            "date(...)); '{item}' không phải giá trị cố định",
            "en": "the list after 'in' may only hold fixed values (numbers, \"text\", "
            "true/false, date(...)); '{item}' is not one",
        },
        "formula.in_null": {
            "vi": "không đặt null trong danh sách sau 'in'; hãy viết riêng, "
            "ví dụ x is null or x in [...]",
            "en": "null cannot be in the list after 'in'; test it separately, "
            "e.g. x is null or x in [...]",
        },
        "formula.in_type": {
            "vi": "'{item}' là {actual[vi]}, nhưng '{expr}' là {expected[vi]}; mọi giá trị trong "
            "danh sách phải cùng loại",
            "en": "'{item}' is {actual[en]}, but '{expr}' is {expected[en]}; every value in the "
            "list must be of the same kind",
        },
        "formula.branch_types": {
            "vi": "hàm {function}() cần các giá trị cùng loại, nhưng '{a}' là {a_type[vi]} còn "
            "'{b}' là {b_type[vi]}",
            "en": "{function}() needs values of the same kind, but '{a}' is {a_type[en]} and "
            "'{b}' is {b_type[en]}",
        },
        "formula.nested_aggregate": {
            "vi": "không được dùng {inner}(...) bên trong {outer}(...); các hàm tổng hợp không "
            "lồng vào nhau được",
            "en": "{inner}(...) cannot be used inside {outer}(...); aggregates cannot be nested",
        },
        "formula.count_condition": {
            "vi": "count(...) đếm các dòng thỏa một điều kiện, nhưng '{expr}' là {actual[vi]}; "
            "hãy viết count() để đếm mọi dòng, count(điều_kiện) để đếm dòng thỏa điều kiện, "
            "hoặc n_unique({expr}) để đếm số giá trị khác nhau",
            "en": "count(...) counts the rows where a condition is true, but '{expr}' is "
            "{actual[en]}; write count() for all rows, count(cond) for rows meeting a condition, "
            "or n_unique({expr}) for distinct values",
        },
        "formula.column_outside_aggregate": {
            "vi": "cột '{name}' phải nằm trong một hàm tổng hợp, ví dụ sum({name})",
            "en": "column '{name}' must be inside an aggregate such as sum({name})",
        },
        "formula.value_type": {
            "vi": "công thức giá trị phải cho ra một số, nhưng đang cho ra {actual[vi]}; "
            "để tính tỷ lệ các dòng thỏa điều kiện hãy viết share(điều_kiện)",
            "en": "the value formula must give a number, but it gives {actual[en]}; "
            "for the share of rows meeting a condition write share(cond)",
        },
        "formula.where_type": {
            "vi": "bộ lọc where phải là một điều kiện đúng/sai, nhưng đang cho ra {actual[vi]}; "
            'ví dụ channel == "online"',
            "en": "a where filter must be a true/false condition, but it gives {actual[en]}; "
            'e.g. channel == "online"',
        },
        "formula.where_aggregate": {
            "vi": "bộ lọc where được xét theo từng dòng nên không dùng được {name}(...); "
            "hãy chuyển phần tổng hợp sang công thức giá trị",
            "en": "a where filter is checked row by row and cannot use {name}(...); "
            "move the aggregate to the value formula",
        },
    }
)


def _words(key: str) -> dict[str, str]:
    return _TYPE_WORDS[key]


def _op_words(op: str) -> dict[str, str]:
    """How an operator or function is named in a type message ("phép '+'", "hàm sum()")."""
    if op.endswith("()"):
        return {"vi": f"hàm {op}", "en": op}
    if op == "where=":
        return {"vi": "bộ lọc where=", "en": "where="}
    return {"vi": f"phép '{op}'", "en": f"'{op}'"}


def _count_words(low: int, high: int | None) -> dict[str, str]:
    if high == low:
        return {"vi": str(low), "en": str(low)}
    if high is None:
        return {"vi": f"ít nhất {low}", "en": f"at least {low}"}
    if high == low + 1:
        return {"vi": f"{low} hoặc {high}", "en": f"{low} or {high}"}
    return {"vi": f"từ {low} đến {high}", "en": f"{low} to {high}"}


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- typed tree


@dataclass(frozen=True)
class _Ctx:
    """What a builder needs to know when the Polars expression is made."""

    row_filter: pl.Expr | None = None
    scalar_periods: bool = False  # period columns outside aggregates become one value per group
    in_aggregate: bool = False


Builder = Callable[[_Ctx], pl.Expr]


@dataclass(frozen=True)
class _Typed:
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
    ratio: tuple[tuple[str, _Typed], tuple[str, _Typed]] | None = None  # share(): (text, part)
    is_null_literal: bool = False


def _merge(type_: str, build: Builder, *parts: _Typed) -> _Typed:
    """Combine the bookkeeping of sub-expressions; the caller has checked level mixing."""
    levels = {p.level for p in parts}
    level: Level = (
        "aggregate" if "aggregate" in levels else "row" if "row" in levels else "constant"
    )
    return _Typed(
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


def _as_type(part: _Typed, want: str) -> _Typed:
    """A null literal standing where a ``want`` value is expected becomes a typed null.

    Polars cannot apply ``.dt.year()`` or ``&`` to an untyped null, so the static type decides.
    """
    if part.type != "null" or want not in _DTYPES:
        return part
    dtype = _DTYPES[want]
    inner = part.build
    return replace(part, type=want, build=lambda ctx: inner(ctx).cast(dtype))


def _unify(a: str, b: str) -> str | None:
    """The common type of two values (int and float unify to float), or None if incompatible."""
    if a == "null":
        return b
    if b == "null" or a == b:
        return a
    if a in _NUM and b in _NUM:
        return "float"
    return None


def _safe_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """Division that gives null, never inf or NaN, when the denominator is zero or null."""
    return pl.when(den != 0).then(num / den)


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
    _typed: _Typed | None = field(default=None, repr=False, compare=False)
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
        ctx = _Ctx(
            row_filter=None if row_level else row_filter,
            scalar_periods=self._scalar_periods and not row_level,
        )
        return self._typed.build(ctx)


def _public_type(type_: str, default: str) -> str:
    if type_ in _NUM:
        return "num"
    return default if type_ == "null" else type_


def _to_compiled(text: str, typed: _Typed, default_type: str, scalar_periods: bool) -> Compiled:
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
_DATE_FIELDS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "year": lambda value: value.dt.year(),
    "quarter": lambda value: value.dt.quarter(),
    "month": lambda value: value.dt.month(),
}
_ROW_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "date": (1, 1),
    "days_between": (2, 2),
    "coalesce": (2, None),
    "year": (1, 1),
    "quarter": (1, 1),
    "month": (1, 1),
    "when": (3, 3),
    "abs": (1, 1),
    "round": (1, 2),
    "metric": (1, 1),
}
_AGGREGATES: dict[str, tuple[int, int]] = {
    "count": (0, 1),
    "share": (1, 1),
    "sum": (1, 1),
    "mean": (1, 1),
    "median": (1, 1),
    "min": (1, 1),
    "max": (1, 1),
    "n_unique": (1, 1),
}
FUNCTIONS: frozenset[str] = frozenset(_ROW_FUNCTIONS) | frozenset(_AGGREGATES)
"""Every function name the language knows."""


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

    def type_error(self, node: ast.AST, part: _Typed, op: str, expected: str) -> FormulaError:
        return self.fail(
            "formula.type",
            node,
            expr=_clip(self.segment(node)),
            actual=_words(part.type),
            op=_op_words(op),
            expected=_words(expected),
        )

    def combine(self, node: ast.AST, type_: str, build: Builder, *parts: _Typed) -> _Typed:
        """Merge sub-expressions, refusing a bare column next to an aggregate."""
        levels = {p.level for p in parts}
        if "row" in levels and "aggregate" in levels:
            name, offset = next(p.bare_column for p in parts if p.bare_column)
            raise self.fail("formula.column_outside_aggregate", offset, name=name)
        return _merge(type_, build, *parts)

    # ---- dispatch

    def visit(self, node: ast.expr) -> _Typed:
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            return handler(self, node)
        return self.forbidden(node)

    def forbidden(self, node: ast.expr) -> _Typed:
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
                "formula.collection", node, what=_COLLECTION_WORDS[_COLLECTIONS[type(node)]]
            )
        raise self.fail("formula.unsupported", node, what=_clip(self.segment(node)) or "?")

    # ---- leaves

    def constant(self, node: ast.Constant) -> _Typed:
        value = node.value
        if value is None or isinstance(value, bool):
            return _literal(value)
        if isinstance(value, int):
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise self.fail("formula.number_too_large", node, value=_clip(self.segment(node)))
            return _literal(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail("formula.number_too_large", node, value=_clip(self.segment(node)))
            return _literal(value)
        if isinstance(value, str):
            return _literal(value)
        raise self.fail("formula.literal", node, what=_clip(self.segment(node)))

    def name(self, node: ast.Name) -> _Typed:
        name = node.id
        if name.startswith("_"):
            raise self.fail("formula.private_name", node, name=name)
        if name in _LITERAL_NAMES:
            return _literal(_LITERAL_NAMES[name])
        if name in PERIOD_COLUMNS:
            return _period(name)
        if name in self.columns:
            return self._column(node, name)
        if name in FUNCTIONS:
            raise self.fail("formula.function_needs_call", node, name=name)
        choices = [*self.columns, *PERIOD_COLUMNS, *_LITERAL_NAMES]
        raise self.fail(
            "formula.unknown_name", node, suggestion=did_you_mean(name, choices), name=name
        )

    def _column(self, node: ast.Name, name: str) -> _Typed:
        contract = self.columns[name]
        if contract not in _CONTRACT_TYPES:
            raise ValueError(f"column {name!r} has unknown contract type {contract!r}")
        return _Typed(
            type=contract,
            level="row",
            build=lambda ctx: pl.col(name),
            columns=frozenset({name}),
            bare_column=(name, self.offset(node)),
        )

    # ---- operators

    def unary(self, node: ast.UnaryOp) -> _Typed:
        if isinstance(node.op, ast.Invert):
            symbol, word = _BITWISE[ast.Invert]
            raise self.fail("formula.bitwise", node, op=symbol, word=word)
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            operand = self._need(node.operand, operand, "not", ("bool",))
            build = operand.build
            return replace(
                operand,
                type="bool",
                build=lambda ctx: ~build(ctx),
                ratio=None,
                is_null_literal=False,
            )
        symbol = "-" if isinstance(node.op, ast.USub) else "+"
        operand = self._need(node.operand, operand, symbol, _NUM, default="int")
        build = operand.build
        if symbol == "+":
            return replace(operand, ratio=None, is_null_literal=False)
        return replace(operand, build=lambda ctx: -build(ctx), ratio=None, is_null_literal=False)

    def _need(
        self,
        node: ast.AST,
        part: _Typed,
        op: str,
        allowed: tuple[str, ...],
        default: str | None = None,
        expected: str | None = None,
    ) -> _Typed:
        """Check that ``part`` has one of the ``allowed`` types (a null literal always fits)."""
        if part.type == "null":
            return _as_type(part, default or allowed[0])
        if part.type not in allowed:
            words = expected or ("num" if allowed == _NUM else allowed[0])
            raise self.type_error(node, part, op, words)
        return part

    def binop(self, node: ast.BinOp) -> _Typed:
        op_type = type(node.op)
        if op_type in _BITWISE:
            symbol, word = _BITWISE[op_type]
            raise self.fail("formula.bitwise", self.after(node.left), op=symbol, word=word)
        if op_type not in _ARITH:
            raise self.fail("formula.operator", self.after(node.left), op=_OTHER_OPS[op_type])
        symbol = _ARITH[op_type]
        left, right = self.visit(node.left), self.visit(node.right)
        if left.type in _DATES or right.type in _DATES:
            raise self.fail("formula.date_arith", self.after(node.left), op=symbol)
        left = self._need(node.left, left, symbol, _NUM)
        right = self._need(node.right, right, symbol, _NUM)
        if symbol == "/":
            return self._divide(node, left, right)
        lb, rb = _whole_as_float(left), _whole_as_float(right)
        operate = {"+": pl.Expr.__add__, "-": pl.Expr.__sub__, "*": pl.Expr.__mul__}[symbol]
        return self.combine(node, "float", lambda ctx: operate(lb(ctx), rb(ctx)), left, right)

    def _divide(self, node: ast.BinOp, left: _Typed, right: _Typed) -> _Typed:
        lb, rb = left.build, right.build
        result = self.combine(node, "float", lambda ctx: _safe_div(lb(ctx), rb(ctx)), left, right)
        if left.level == "aggregate" and right.level == "aggregate":
            ratio = ((self.segment(node.left), left), (self.segment(node.right), right))
            result = replace(result, ratio=ratio)
        return result

    def boolop(self, node: ast.BoolOp) -> _Typed:
        word = "and" if isinstance(node.op, ast.And) else "or"
        parts = [self._need(child, self.visit(child), word, ("bool",)) for child in node.values]
        builds = [p.build for p in parts]

        def build(ctx: _Ctx) -> pl.Expr:
            exprs = [b(ctx) for b in builds]
            out = exprs[0]
            for expr in exprs[1:]:
                out = (out & expr) if word == "and" else (out | expr)
            return out

        return self.combine(node, "bool", build, *parts)

    # ---- comparisons

    def compare(self, node: ast.Compare) -> _Typed:
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
                raise self.fail("formula.compare_null", side, expr=_clip(self.segment(other)))
        # An expression that is always null (coalesce(null, null)) takes the other side's type.
        left = _as_type(left, right.type if right.type != "null" else "float")
        right = _as_type(right, left.type)
        self._check_comparable(node, symbol, left, right)
        lb, rb = _date_part_builds(left, right)
        return self.combine(node, "bool", lambda ctx: operate(lb(ctx), rb(ctx)), left, right)

    def _check_comparable(
        self, node: ast.Compare, symbol: str, left: _Typed, right: _Typed
    ) -> None:
        pair = {left.type, right.type}
        if pair <= set(_NUM) or pair <= set(_DATES) or len(pair) == 1:
            if pair == {"bool"} and symbol not in ("==", "!="):
                raise self.type_error(node.left, left, symbol, "ordered")
            return
        right_node = node.comparators[0]
        for part, part_node, other in ((left, node.left, right), (right, right_node, left)):
            if part.type in _DATES and other.type == "str":
                raise self.fail(
                    "formula.date_string",
                    right_node if part_node is node.left else node.left,
                    expr=_clip(self.segment(part_node)),
                    actual=_words(part.type),
                )
        raise self.fail(
            "formula.compare_types",
            node,
            left=_clip(self.segment(node.left)),
            right=_clip(self.segment(right_node)),
            left_type=_words(left.type),
            right_type=_words(right.type),
        )

    def _is_null(self, node: ast.Compare, right_node: ast.expr, negate: bool) -> _Typed:
        if not _is_null_node(right_node):
            raise self.fail("formula.is_usage", self.after(node.left))
        left = self.visit(node.left)
        lb = left.build
        if negate:
            return self.combine(node, "bool", lambda ctx: lb(ctx).is_not_null(), left)
        return self.combine(node, "bool", lambda ctx: lb(ctx).is_null(), left)

    def _in(self, node: ast.Compare, right_node: ast.expr, negate: bool) -> _Typed:
        if not isinstance(right_node, ast.List):
            raise self.fail("formula.in_needs_list", right_node)
        left = self.visit(node.left)
        if left.type == "null":
            raise self.fail("formula.compare_null", node.left, expr=_clip(self.segment(node.left)))
        values = [self._in_item(node.left, left, item) for item in right_node.elts]
        item_type = (
            "float"
            if left.type == "float" or any(isinstance(v, float) for v in values)
            else left.type
        )
        if item_type == "datetime":
            item_type = "date"  # date-times are matched on their calendar date
        series = pl.Series(values, dtype=_DTYPES[item_type])
        lb = left.build

        def build(ctx: _Ctx) -> pl.Expr:
            value = lb(ctx)
            if left.type == "datetime":
                value = value.dt.date()
            elif item_type == "float" and left.type == "int":
                value = value.cast(pl.Float64)
            inside = value.is_in(pl.lit(series).implode())
            return ~inside if negate else inside

        return self.combine(node, "bool", build, left)

    def _in_item(self, left_node: ast.expr, left: _Typed, item: ast.expr) -> object:
        """A literal value from the list after ``in``, checked against the left side's type."""
        if _is_null_node(item):
            raise self.fail("formula.in_null", item)
        literal = self._list_literal(item)
        if literal is None:
            raise self.fail("formula.in_item", item, item=_clip(self.segment(item)))
        value, type_ = literal
        fits = _unify(left.type, type_) is not None or (left.type in _DATES and type_ == "date")
        if not fits or (type_ in _NUM) != (left.type in _NUM):
            raise self.fail(
                "formula.in_type",
                item,
                item=_clip(self.segment(item)),
                actual=_words(type_),
                expr=_clip(self.segment(left_node)),
                expected=_words(left.type),
            )
        return value

    def _list_literal(self, item: ast.expr) -> tuple[object, str] | None:
        """(value, type) of a fixed value allowed in an ``in`` list, or None."""
        if isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.USub | ast.UAdd):
            inner = self._list_literal(item.operand)
            if inner is None or inner[1] not in _NUM:
                return None
            value = inner[0]
            return (-value if isinstance(item.op, ast.USub) else value), inner[1]  # type: ignore[operator]
        if (
            isinstance(item, ast.Call)
            and isinstance(item.func, ast.Name)
            and item.func.id == "date"
        ):
            return self._date_value(item), "date"
        if isinstance(item, ast.Name) and item.id in ("true", "false"):
            return item.id == "true", "bool"
        if isinstance(item, ast.Constant) and not isinstance(item.value, bytes | complex):
            if item.value is Ellipsis:
                return None
            typed = self.constant(item)
            return item.value, typed.type
        return None

    # ---- calls

    def call(self, node: ast.Call) -> _Typed:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                raise self.fail("formula.attribute", self.after(func.value), name=func.attr)
            raise self.fail("formula.not_callable", func, name=_clip(self.segment(func)))
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
            if keyword.arg != "where" or name not in _AGGREGATES:
                raise self.fail("formula.keyword", keyword, name=keyword.arg, function=name)
        low, high = _AGGREGATES.get(name) or _ROW_FUNCTIONS[name]
        if not (low <= len(node.args) and (high is None or len(node.args) <= high)):
            raise self.fail(
                "formula.arg_count",
                node,
                function=name,
                expected=_count_words(low, high),
                got=len(node.args),
            )
        if name in _AGGREGATES:
            return self.aggregate(node, name)
        return _ROW_HANDLERS[name](self, node)

    # ---- row functions

    def _date_value(self, node: ast.Call) -> dt.date:
        if len(node.args) != 1 or node.keywords:
            raise self.fail(
                "formula.arg_count",
                node,
                function="date",
                expected=_count_words(1, 1),
                got=len(node.args) + len(node.keywords),
            )
        arg = node.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise self.fail("formula.date_literal", arg)
        text = arg.value.strip()
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.fail("formula.bad_date", arg, value=_clip(arg.value)) from None

    def f_date(self, node: ast.Call) -> _Typed:
        value = self._date_value(node)
        return _Typed(type="date", level="constant", build=lambda ctx: pl.lit(value, pl.Date))

    def f_metric(self, node: ast.Call) -> _Typed:
        if self.context == "where":
            raise self.fail("formula.where_aggregate", node, name="metric")
        if not self.allow_metrics:
            raise self.fail("formula.metric_not_allowed", node)
        if self.enclosing_aggregate is not None:
            raise self.fail(
                "formula.nested_aggregate", node, inner="metric", outer=self.enclosing_aggregate
            )
        arg = node.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value):
            raise self.fail("formula.metric_literal", arg)
        column = metric_column(arg.value)
        return _Typed(
            type="float",
            level="aggregate",
            build=lambda ctx: pl.col(column),
            metrics=frozenset({arg.value}),
            metric_at=self.offset(node),
        )

    def _args(self, node: ast.Call) -> list[_Typed]:
        return [self.visit(arg) for arg in node.args]

    def f_days_between(self, node: ast.Call) -> _Typed:
        start, end = (
            self._need(arg, part, "days_between()", _DATES)
            for arg, part in zip(node.args, self._args(node), strict=True)
        )
        sb, eb = start.build, end.build
        if "datetime" in (start.type, end.type):

            def build(ctx: _Ctx) -> pl.Expr:
                micros = eb(ctx).dt.epoch("us") - sb(ctx).dt.epoch("us")
                return micros / _MICROS_PER_DAY

            return self.combine(node, "float", build, start, end)
        return self.combine(
            node, "int", lambda ctx: (eb(ctx) - sb(ctx)).dt.total_days().cast(pl.Int64), start, end
        )

    def _date_field(self, node: ast.Call, name: str) -> _Typed:
        part = self._need(node.args[0], self.visit(node.args[0]), f"{name}()", _DATES)
        pb, field_of = part.build, _DATE_FIELDS[name]
        return self.combine(node, "int", lambda ctx: field_of(pb(ctx)).cast(pl.Int64), part)

    def f_year(self, node: ast.Call) -> _Typed:
        return self._date_field(node, "year")

    def f_quarter(self, node: ast.Call) -> _Typed:
        return self._date_field(node, "quarter")

    def f_month(self, node: ast.Call) -> _Typed:
        return self._date_field(node, "month")

    def _same_type(self, node: ast.Call, function: str, arg_nodes: list[ast.expr]) -> list[_Typed]:
        """Arguments that must share one type (coalesce, when branches).

        Null literals stay untyped here: Polars finds the common type itself, and a cast to a
        fixed date-time unit could clash with a time-zone-aware column.
        """
        parts = [self.visit(arg) for arg in arg_nodes]
        common = "null"
        for i, part in enumerate(parts):
            unified = _unify(common, part.type)
            if unified is None:
                first = next(j for j, p in enumerate(parts) if p.type != "null")
                raise self.fail(
                    "formula.branch_types",
                    arg_nodes[i],
                    function=function,
                    a=_clip(self.segment(arg_nodes[first])),
                    a_type=_words(parts[first].type),
                    b=_clip(self.segment(arg_nodes[i])),
                    b_type=_words(part.type),
                )
            common = unified
        return parts

    def f_coalesce(self, node: ast.Call) -> _Typed:
        parts = self._same_type(node, "coalesce", list(node.args))
        builds = [p.build for p in parts]
        type_ = _common_type(parts)
        return self.combine(node, type_, lambda ctx: pl.coalesce([b(ctx) for b in builds]), *parts)

    def f_when(self, node: ast.Call) -> _Typed:
        cond = self._need(node.args[0], self.visit(node.args[0]), "when()", ("bool",))
        then, other = self._same_type(node, "when", list(node.args[1:]))
        cb, tb, ob = cond.build, then.build, other.build
        type_ = _common_type([then, other])
        return self.combine(
            node,
            type_,
            lambda ctx: pl.when(cb(ctx)).then(tb(ctx)).otherwise(ob(ctx)),
            cond,
            then,
            other,
        )

    def f_abs(self, node: ast.Call) -> _Typed:
        part = self._need(node.args[0], self.visit(node.args[0]), "abs()", _NUM, default="int")
        pb = part.build
        return self.combine(node, part.type, lambda ctx: pb(ctx).abs(), part)

    def f_round(self, node: ast.Call) -> _Typed:
        part = self._need(node.args[0], self.visit(node.args[0]), "round()", _NUM, default="float")
        digits = 0
        if len(node.args) == 2:
            arg = node.args[1]
            ok = isinstance(arg, ast.Constant) and type(arg.value) is int
            if not ok or not 0 <= arg.value <= MAX_ROUND_DIGITS:  # type: ignore[union-attr]
                raise self.fail("formula.round_digits", arg, limit=MAX_ROUND_DIGITS)
            digits = arg.value  # type: ignore[union-attr]
        pb = part.build
        if part.type == "int":
            return self.combine(node, "int", pb, part)
        return self.combine(
            node,
            "float",
            lambda ctx: pb(ctx).round(digits, mode="half_away_from_zero"),
            part,
        )

    # ---- aggregates

    def aggregate(self, node: ast.Call, name: str) -> _Typed:
        if self.context == "where":
            raise self.fail("formula.where_aggregate", node, name=name)
        if self.enclosing_aggregate is not None:
            raise self.fail(
                "formula.nested_aggregate", node, inner=name, outer=self.enclosing_aggregate
            )
        self.enclosing_aggregate = name
        try:
            where = self._where(node)
            arg = self.visit(node.args[0]) if node.args else None
        finally:
            self.enclosing_aggregate = None
        return self._aggregate(node, name, arg, where)

    def _where(self, node: ast.Call) -> _Typed | None:
        if not node.keywords:
            return None
        value = node.keywords[0].value  # call() has checked it is the only one, where=
        return self._need(value, self.visit(value), "where=", ("bool",))

    def _aggregate(
        self, node: ast.Call, name: str, arg: _Typed | None, where: _Typed | None
    ) -> _Typed:
        arg_node = node.args[0] if node.args else node
        if name in ("count", "share"):
            if arg is not None and arg.type not in ("bool", "null"):
                if name == "count":
                    raise self.fail(
                        "formula.count_condition",
                        arg_node,
                        expr=_clip(self.segment(arg_node)),
                        actual=_words(arg.type),
                    )
                raise self.type_error(arg_node, arg, "share()", "bool")
            return self._count_or_share(node, name, arg, where)
        assert arg is not None
        if name in ("sum", "mean", "median"):
            arg = self._need(arg_node, arg, f"{name}()", _NUM)
        elif name in ("min", "max"):
            allowed = (*_NUM, *_DATES)
            arg = self._need(
                arg_node, arg, f"{name}()", allowed, default="float", expected="num_or_date"
            )
        else:
            arg = _as_type(arg, "int")
        type_ = {"sum": "float", "mean": "float", "median": "float", "n_unique": "int"}.get(
            name, arg.type
        )
        build = _value_aggregate(name, arg, where)
        return self._aggregate_result(node, name, type_, build, arg, where)

    def _count_or_share(
        self, node: ast.Call, name: str, cond: _Typed | None, where: _Typed | None
    ) -> _Typed:
        cond = _as_type(cond, "bool") if cond is not None else None
        counted = _count_build(cond, where)
        if name == "count":
            return self._aggregate_result(node, name, "int", counted, cond, where)
        rows = _count_build(None, where)
        result = self._aggregate_result(
            node, name, "float", lambda ctx: _safe_div(counted(ctx), rows(ctx)), cond, where
        )
        where_text = f", where={self.segment(node.keywords[0].value)}" if where else ""
        where_only = f"where={self.segment(node.keywords[0].value)}" if where else ""
        cond_text = self.segment(node.args[0])
        num = self._aggregate_result(node, "count", "int", counted, cond, where)
        den = self._aggregate_result(node, "count", "int", rows, None, where)
        ratio = ((f"count({cond_text}{where_text})", num), (f"count({where_only})", den))
        return replace(result, ratio=ratio)

    def _aggregate_result(
        self, node: ast.Call, name: str, type_: str, build: Builder, *parts: _Typed | None
    ) -> _Typed:
        present = [p for p in parts if p is not None]
        merged = _merge(type_, build, *present) if present else _Typed(type_, "constant", build)
        return replace(
            merged,
            level="aggregate",
            bare_column=None,
            aggregate=(name, self.offset(node)),
        )


def _inner(ctx: _Ctx) -> _Ctx:
    """Context for an aggregate's argument and conditions: one value per row."""
    return replace(ctx, in_aggregate=True)


def _group(ctx: _Ctx) -> _Ctx:
    """Context for constants next to an aggregate: one value per group (periods via first())."""
    return replace(ctx, in_aggregate=False, scalar_periods=True)


def _and(exprs: list[pl.Expr]) -> pl.Expr | None:
    if not exprs:
        return None
    out = exprs[0]
    for expr in exprs[1:]:
        out = out & expr
    return out


def _selection(ctx: _Ctx, *parts: _Typed | None) -> tuple[pl.Expr | None, pl.Expr | None]:
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
            rows.append(part.build(_inner(ctx)).fill_null(False))
        else:
            group.append(part.build(_group(ctx)).fill_null(False))
    if ctx.row_filter is not None:
        roots = set(ctx.row_filter.meta.root_names()) - set(PERIOD_COLUMNS.values())
        if roots:
            rows.append(ctx.row_filter.fill_null(False))
        else:
            group.append(ctx.row_filter.first().fill_null(False))
    return _and(rows), _and(group)


def _count_build(cond: _Typed | None, where: _Typed | None) -> Builder:
    """Rows selected by ``where``, the row filter and ``cond``, as an Int64 (never unsigned)."""

    def build(ctx: _Ctx) -> pl.Expr:
        rows, group = _selection(ctx, cond, where)
        count = (pl.len() if rows is None else rows.sum()).cast(pl.Int64)
        if group is None:
            return count
        return pl.when(group).then(count).otherwise(pl.lit(0, pl.Int64))

    return build


_OVER_NO_VALUES: dict[str, object] = {"n_unique": 0}  # others give null


def _sum(value: pl.Expr) -> pl.Expr:
    """A total, or null over no values (no rows chosen, or every value empty: not a zero).

    Whole numbers come here as Float64 (see ``_whole_as_float``).
    """
    return pl.when(value.count() > 0).then(value.sum())


def _whole_as_float(part: _Typed) -> Builder:
    """``part`` built as Float64 when it is a whole number, as it is otherwise.

    Every metric value becomes a Float64 anyway: exact up to 2^53, and a result past the largest
    number is infinity (an overflow the engine reports), never the silent wrap-around of Int64
    arithmetic past 9.2e18.
    """
    build = part.build
    if part.type != "int":
        return build
    return lambda ctx: build(ctx).cast(pl.Float64)


_REDUCERS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "sum": _sum,
    "mean": pl.Expr.mean,
    "median": pl.Expr.median,
    "min": pl.Expr.min,
    "max": pl.Expr.max,
    "n_unique": lambda value: value.drop_nulls().n_unique().cast(pl.Int64),
}


def _value_aggregate(name: str, arg: _Typed, where: _Typed | None) -> Builder:
    """sum/mean/median/min/max/n_unique over the selected rows; nulls are skipped."""
    if arg.level != "row":
        return _constant_aggregate(name, arg, where)

    arg_build = _whole_as_float(arg) if name == "sum" else arg.build

    def build(ctx: _Ctx) -> pl.Expr:
        rows, group = _selection(ctx, where)
        value = arg_build(_inner(ctx))
        if rows is not None:
            value = pl.when(rows).then(value)
        result = _REDUCERS[name](value)
        if group is None:
            return result
        return pl.when(group).then(result).otherwise(pl.lit(_OVER_NO_VALUES.get(name)))

    return build


def _constant_aggregate(name: str, arg: _Typed, where: _Typed | None) -> Builder:
    """An aggregate of a value that is the same on every row, from the number of rows chosen.

    sum(c) is c times the rows; mean, median, min and max are c when any row is chosen.
    Computing it this way needs no broadcasting of c to the group's rows (see _selection).
    """
    count = _count_build(None, where)

    def build(ctx: _Ctx) -> pl.Expr:
        value = arg.build(_group(ctx))
        rows = count(ctx)
        if name == "sum":
            return pl.when(value.is_not_null() & (rows > 0)).then(value * rows.cast(pl.Float64))
        if name == "n_unique":
            some = value.is_not_null() & (rows > 0)
            return pl.when(some).then(pl.lit(1, pl.Int64)).otherwise(pl.lit(0, pl.Int64))
        return pl.when(rows > 0).then(value)

    return build


def _common_type(parts: list[_Typed]) -> str:
    common = "null"
    for part in parts:
        common = _unify(common, part.type) or common
    return common


def _date_part_builds(left: _Typed, right: _Typed) -> tuple[Builder, Builder]:
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


def _literal(value: object) -> _Typed:
    if value is None:
        return _Typed(
            type="null", level="constant", build=lambda ctx: pl.lit(None), is_null_literal=True
        )
    type_ = {bool: "bool", int: "int", float: "float", str: "str"}[type(value)]
    dtype = _DTYPES[type_]
    return _Typed(type=type_, level="constant", build=lambda ctx: pl.lit(value, dtype))


def _period(name: str) -> _Typed:
    column = PERIOD_COLUMNS[name]

    def build(ctx: _Ctx) -> pl.Expr:
        expr = pl.col(column)
        # The engine fills the column with one date per period; outside aggregates a value
        # formula needs that single value per group, not the whole column.
        return expr.first() if ctx.scalar_periods and not ctx.in_aggregate else expr

    return _Typed(type="date", level="constant", build=build, uses_period=True)


_HANDLERS: dict[type, Callable[[_Compiler, ast.expr], _Typed]] = {
    ast.Constant: _Compiler.constant,  # type: ignore[dict-item]
    ast.Name: _Compiler.name,  # type: ignore[dict-item]
    ast.UnaryOp: _Compiler.unary,  # type: ignore[dict-item]
    ast.BinOp: _Compiler.binop,  # type: ignore[dict-item]
    ast.BoolOp: _Compiler.boolop,  # type: ignore[dict-item]
    ast.Compare: _Compiler.compare,  # type: ignore[dict-item]
    ast.Call: _Compiler.call,  # type: ignore[dict-item]
}
_ROW_HANDLERS: dict[str, Callable[[_Compiler, ast.Call], _Typed]] = {
    "date": _Compiler.f_date,
    "metric": _Compiler.f_metric,
    "days_between": _Compiler.f_days_between,
    "coalesce": _Compiler.f_coalesce,
    "year": _Compiler.f_year,
    "quarter": _Compiler.f_quarter,
    "month": _Compiler.f_month,
    "when": _Compiler.f_when,
    "abs": _Compiler.f_abs,
    "round": _Compiler.f_round,
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


def _check_value(typed: _Typed) -> None:
    if typed.level == "row":
        name, offset = typed.bare_column or ("?", 0)
        raise FormulaError(Problem("formula.column_outside_aggregate", {"name": name}), offset)
    if typed.type not in (*_NUM, "null"):
        raise FormulaError(Problem("formula.value_type", {"actual": _words(typed.type)}), 0)
    if typed.metrics and typed.aggregate is not None:
        name, offset = typed.aggregate
        raise FormulaError(Problem("formula.metric_mixed", {"name": name}), offset)


def _check_where(typed: _Typed) -> None:
    if typed.aggregate is not None:
        name, offset = typed.aggregate
        raise FormulaError(Problem("formula.where_aggregate", {"name": name}), offset)
    if typed.metric_at is not None:
        raise FormulaError(Problem("formula.where_aggregate", {"name": "metric"}), typed.metric_at)
    if typed.type not in ("bool", "null"):
        raise FormulaError(Problem("formula.where_type", {"actual": _words(typed.type)}), 0)
