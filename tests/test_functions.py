"""The formula functions' one table (``metrics.functions.FUNCTIONS``): the docs say what it says,
and a function added to it (here, in the test only) is known to the compiler at once."""

from __future__ import annotations

import ast
import re

import polars as pl
import pytest

from metrics.formula import FormulaError, compile_formula
from metrics.formula_tree import NUM, Compiler, Typed
from metrics.functions import FUNCTIONS, Function
from tests.conftest import REPO

_ROW = re.compile(r"^\| `(?P<signature>[^`]+)` \| (?P<cells>.+) \|$")


def _documented(heading: str) -> list[tuple[str, ...]]:
    """The rows of the table under ``heading`` in docs/metrics.md: signature, then each cell."""
    text = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    table = text[text.index(heading) :].split("\n\n")[1]
    rows = []
    for line in table.splitlines()[2:]:
        match = _ROW.match(line)
        assert match, f"not a function row: {line}"
        rows.append((match["signature"], *match["cells"].split(" | ")))
    return rows


def test_the_docs_list_every_function_in_the_tables_words() -> None:
    rows = [(f.signature, f.doc) for f in FUNCTIONS.values() if f.kind == "row"]
    aggregates = [
        (f.signature, f.doc, f.over_no_rows) for f in FUNCTIONS.values() if f.kind == "aggregate"
    ]
    assert _documented("**Row functions**") == rows
    assert _documented("**Aggregates**") == aggregates


@pytest.mark.parametrize("function", FUNCTIONS.values(), ids=list(FUNCTIONS))
def test_each_entry_is_complete(function: Function) -> None:
    low, high = function.arity
    assert function.signature.startswith(f"{function.name}(") and function.doc
    assert low >= 0 and (high is None or high >= low)
    assert bool(function.over_no_rows) == (function.kind == "aggregate")


def _double(c: Compiler, node: ast.Call) -> Typed:
    part = c.need(node.args[0], c.visit(node.args[0]), "double()", NUM)
    build = part.build
    return c.combine(node, part.type, lambda ctx: build(ctx) * 2, part)


def test_a_function_is_one_table_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    toy = Function("double", "row", (1, 1), "double(x)", "twice `x`", _double)
    monkeypatch.setitem(FUNCTIONS, "double", toy)
    compiled = compile_formula("sum(double(fee), where=double(fee) > 2)", {"fee": "int"})
    frame = pl.DataFrame({"fee": [1, 2, 3]})
    assert frame.select(compiled.expr()).item() == 10.0  # 4 + 6: the rows where 2·fee > 2
    with pytest.raises(FormulaError) as wrong:
        compile_formula("sum(double(fee, fee))", {"fee": "int"})
    assert wrong.value.problem.code == "formula.arg_count"


def test_an_unknown_function_suggests_one_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FUNCTIONS, "double", Function("double", "row", (1, 1), "d", "d", _double))
    with pytest.raises(FormulaError) as wrong:
        compile_formula("sum(doubel(fee))", {"fee": "int"})
    assert wrong.value.problem.code == "formula.unknown_function"
    assert wrong.value.problem.suggestion == "double"
