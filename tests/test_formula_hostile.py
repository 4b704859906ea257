"""Hostile formulas: each is refused with a FormulaError and a position, fast, with no side effect.

Formulas come from YAML that many people edit and from the in-app editor, so the compiler must
never run anything, never hang and never fail with anything but FormulaError.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.formula import MAX_LENGTH, FormulaError, compile_formula

COLUMNS = {"x": "int", "y": "float", "s": "str", "d": "date", "flag": "bool"}
SENTINEL = "/tmp/kpi_formula_hostile_sentinel"

HOSTILE = [
    "__import__('os')",
    "__import__('os').system('touch " + SENTINEL + "')",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd')",
    "open('" + SENTINEL + "', 'w')",
    "lambda: 1",
    "(lambda: 1)()",
    'f"{x}"',
    "f'{__import__(\"os\")}'",
    "1e999",
    "-1e999",
    "(" * 300 + "1" + ")" * 300,
    "-" * 5000 + "1",
    "-" * 1999 + "1",
    "not " * 499 + "x",
    "x" + "+x" * 999,
    "x in [" + "1," * 600 + "1]",
    "x.__class__",
    "x[0]",
    "x[1:2]",
    "[x for x in y]",
    "{x: 1 for x in y}",
    "(x for x in y)",
    "(y := 1)",
    "eval('1')",
    "exec('1')",
    "compile('1', 'f', 'eval')",
    "globals()",
    "getattr(x, 'y')",
    "vars()",
    "__builtins__",
    "breakpoint()",
    "print(1)",
    "type(x)",
    "import os",
    "yield x",
    "await x",
    "x if y else s",
    "pl.col('x')",
    "s.str.contains('a')",
    "read_csv('/etc/passwd')",
    "sql('select 1')",
    "'%s' % x",
    "'{}'.format(x)",
    "sum(*x)",
    "sum(**x)",
    "sum(x, **{'where': True})",
    "{'a': 1}",
    "{1, 2}",
    "(1, 2)",
    "[1, 2]",
    "b'x'",
    "1j",
    "...",
    "x @ y",
    "x ** 99999999",
    "9" * 1999,
    "a\x00b",
    "'\\N{BOGUS NAME}'",
    "'\\d'",
    "date('2025-11-14').year",
    "count()\n.__class__",
    "\u2028",
    "sum(x) # trailing comment is fine but \x00 is not",
]


@contextlib.contextmanager
def watched() -> Iterator[list[str]]:
    """Record (and refuse) any use of Python's evaluators, open() or imports during compilation."""
    calls: list[str] = []
    saved = {name: getattr(builtins, name) for name in ("eval", "exec", "open", "__import__")}

    def refuse(name: str):
        def call(*args, **kwargs):
            if name == "__import__" and args and args[0] == "unicodedata":
                return saved[name](*args, **kwargs)  # Python's own parser, for "\\N{...}" escapes
            calls.append(name)
            raise AssertionError(f"the formula compiler called {name}")

        return call

    for name in saved:
        setattr(builtins, name, refuse(name))
    try:
        yield calls
    finally:
        for name, original in saved.items():
            setattr(builtins, name, original)


def refused(formula: str) -> FormulaError:
    """Compile a formula that must fail, checking that nothing was evaluated or opened."""
    with watched() as calls:
        try:
            compile_formula(formula, COLUMNS)
        except FormulaError as exc:
            error = exc
        else:
            error = None
    assert calls == []
    assert error is not None, f"{formula!r} compiled"
    assert not Path(SENTINEL).exists()
    return error


@pytest.mark.parametrize("formula", HOSTILE, ids=lambda f: repr(f[:40]))
def test_hostile_formula_is_refused_fast_with_a_position(formula):
    started = time.perf_counter()
    error = refused(formula)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"took {elapsed:.3f}s"
    assert isinstance(error.offset, int)
    assert 0 <= error.offset <= max(len(formula), MAX_LENGTH)
    assert error.problem.code.startswith("formula.")


def test_a_ten_megabyte_formula_is_refused_without_parsing():
    formula = "x + " * (10 * 1024 * 1024 // 4)
    started = time.perf_counter()
    error = refused(formula)
    assert time.perf_counter() - started < 0.1
    assert error.problem.code == "formula.too_long"
    assert error.offset == MAX_LENGTH


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("__import__('os')", "formula.private_name"),
        ("().__class__.__bases__", "formula.attribute"),
        ("open('/etc/passwd')", "formula.unknown_function"),
        ("lambda: 1", "formula.lambda"),
        ('f"{x}"', "formula.fstring"),
        ("1e999", "formula.number_too_large"),
        ("(" * 300 + "1" + ")" * 300, "formula.too_deep"),
        ("-" * 5000 + "1", "formula.too_long"),
        ("-" * 1999 + "1", "formula.too_deep"),
        ("x" + "+x" * 999, "formula.too_deep"),
        ("x in [" + "1," * 600 + "1]", "formula.too_complex"),
        ("x.__class__", "formula.attribute"),
        ("x[0]", "formula.subscript"),
        ("[x for x in y]", "formula.comprehension"),
        ("(y := 1)", "formula.walrus"),
        ("x if y else s", "formula.ternary"),
        ("sum(*x)", "formula.starred"),
        ("sum(**x)", "formula.starred"),
        ("import os", "formula.syntax"),
        ("a\x00b", "formula.syntax"),
    ],
)
def test_hostile_formulas_get_a_specific_reason(formula, code):
    assert refused(formula).problem.code == code


@pytest.mark.parametrize(
    ("formula", "offset"),
    [
        ("x.__class__", 1),
        ("x[0]", 1),
        ("count() + __import__('os')", 10),
        ("count(s == 1)", 6),
        ("sum(x) + open('f')", 9),
    ],
)
def test_positions_point_at_the_offending_part(formula, offset):
    assert refused(formula).offset == offset


def test_formula_module_never_uses_an_evaluator():
    """No eval/exec/compile, no Polars SQL, no third-party safe-eval in the compiler's code."""
    source = (Path(__file__).resolve().parent.parent / "metrics" / "formula.py").read_text()
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    imported = {
        alias.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for alias in n.names
    } | {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert not names & {"eval", "exec", "compile", "__import__", "getattr_static"}
    assert not attributes & {"sql", "sql_expr", "SQLContext", "eval", "exec"}
    assert not imported & {"simpleeval", "asteval", "numexpr", "duckdb", "sqlite3", "jinja2"}
