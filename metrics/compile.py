"""Compiling: every valid metric's formulas to ``pl.Expr``, and derived metrics in dependency order.

This is the step between loading (YAML to specs, ``metrics.config``) and computing: a formula is
compiled against its source's contract, so type errors surface here; ``metric("id")`` must name
a metric that compiles, without cycles, sharing the derived metric's dimensions. What cannot be
compiled comes back as problems, each naming the metric it makes unusable; nothing is mutated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from metrics.formula import Compiled, FormulaError, compile_formula
from metrics.spec import Metric
from sources.problems import Location, Problem, did_you_mean, register_messages
from sources.spec import SourceSpec

register_messages(
    {
        "rule.unknown_metric": {
            "vi": "không có chỉ số '{name}'",
            "en": "unknown metric '{name}'",
        },
        "rule.cycle": {
            "vi": "các chỉ số phụ thuộc vòng tròn: {path}",
            "en": "metrics depend on each other in a cycle: {path}",
        },
        "rule.depends_on_broken": {
            "vi": "dùng chỉ số '{ref}' đang bị lỗi",
            "en": "uses metric '{ref}', which has errors",
        },
        "rule.derived_dimension": {
            "vi": "chiều '{dim}' phải có ở mọi chỉ số thành phần (thiếu ở '{ref}')",
            "en": "dimension '{dim}' must exist in every metric used (missing in '{ref}')",
        },
    }
)


@dataclass(frozen=True)
class CompiledMetric:
    """A metric's formulas compiled against its source's contract."""

    metric: Metric
    value: Compiled
    where: Compiled | None


def compile_metrics(
    metrics: Mapping[str, Metric], sources: Mapping[str, SourceSpec], written: Iterable[str]
) -> tuple[dict[str, CompiledMetric], list[Problem]]:
    """The metrics that compile, inputs before the metrics derived from them, and the problems.

    ``written`` is every metric id in the files, valid or not: a derived metric naming one that
    is broken is told so, rather than that it does not exist.
    """
    problems: list[Problem] = []
    compiled: dict[str, CompiledMetric] = {}
    for metric in metrics.values():
        item = _compile(metric, sources.get(metric.source or ""), problems)
        if item is not None:
            compiled[metric.id] = item
    problems += _resolve_references(compiled, metrics, set(written))
    return _in_dependency_order(compiled), problems


def _contract(source: SourceSpec | None) -> dict[str, str]:
    return {name: col.type for name, col in source.columns.items()} if source else {}


def _compile(
    metric: Metric, source: SourceSpec | None, problems: list[Problem]
) -> CompiledMetric | None:
    columns = _contract(source)
    try:
        where = compile_formula(metric.where, columns, context="where") if metric.where else None
    except FormulaError as exc:
        problems.append(_formula_problem(metric, "where", exc))
        return None
    try:
        value = compile_formula(
            metric.value, columns, context="value", allow_metrics=metric.source is None
        )
    except FormulaError as exc:
        problems.append(_formula_problem(metric, "value", exc))
        return None
    return CompiledMetric(metric, value, where)


def _problem(metric: Metric, code: str, field: str, **params: object) -> Problem:
    suggestion = params.pop("suggestion", None)
    return Problem(
        code,
        params,
        metric.field_loc(field),
        "error",
        "metric",
        metric.id,
        suggestion,  # type: ignore[arg-type]
    )


def _resolve_references(
    compiled: dict[str, CompiledMetric], metrics: Mapping[str, Metric], written: set[str]
) -> list[Problem]:
    """Drop from ``compiled`` every derived metric that cannot be computed; say why."""
    problems: list[Problem] = []
    for metric_id, item in list(compiled.items()):
        ref = next((r for r in sorted(item.value.metrics) if r not in written), None)
        if ref is not None:
            problems.append(
                _problem(
                    item.metric,
                    "rule.unknown_metric",
                    "value",
                    name=ref,
                    suggestion=did_you_mean(ref, written),
                )
            )
            del compiled[metric_id]
    _drop_dependents(compiled, problems)
    for cycle in _cycles({mid: set(c.value.metrics) for mid, c in compiled.items()}):
        path = " → ".join([*cycle, cycle[0]])
        for mid in cycle:
            if mid in compiled:
                problems.append(
                    _problem(compiled.pop(mid).metric, "rule.cycle", "value", path=path)
                )
    _drop_dependents(compiled, problems)
    for metric_id, item in list(compiled.items()):
        for ref in sorted(item.value.metrics):
            part = metrics.get(ref)
            missing = part and [d for d in item.metric.dimensions if d not in part.dimensions]
            if missing:
                problems.append(
                    _problem(
                        item.metric, "rule.derived_dimension", "dimensions", dim=missing[0], ref=ref
                    )
                )
                del compiled[metric_id]
                break
    return problems


def _drop_dependents(compiled: dict[str, CompiledMetric], problems: list[Problem]) -> None:
    """A metric built on one that cannot be computed cannot be either, however deep."""
    changed = True
    while changed:
        changed = False
        for metric_id, item in list(compiled.items()):
            ref = next((r for r in sorted(item.value.metrics) if r not in compiled), None)
            if ref is not None:
                problems.append(_problem(item.metric, "rule.depends_on_broken", "value", ref=ref))
                del compiled[metric_id]
                changed = True


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every dependency cycle once, each as the list of metrics along it."""
    found: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        trail.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt) :]
                if frozenset(cycle) not in seen_sets:
                    seen_sets.add(frozenset(cycle))
                    found.append(list(cycle))
            elif nxt in graph and state.get(nxt) is None:
                visit(nxt, trail)
        trail.pop()
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [])
    return found


def _in_dependency_order(compiled: dict[str, CompiledMetric]) -> dict[str, CompiledMetric]:
    """Inputs before the metrics derived from them; otherwise the files' order."""
    ordered: dict[str, CompiledMetric] = {}

    def place(metric_id: str) -> None:
        if metric_id in ordered:
            return
        for ref in sorted(compiled[metric_id].value.metrics):
            place(ref)
        ordered[metric_id] = compiled[metric_id]

    for metric_id in compiled:
        place(metric_id)
    return ordered


def _formula_problem(metric: Metric, field: str, exc: FormulaError) -> Problem:
    base = exc.problems[0]
    return Problem(
        base.code,
        base.params,
        _formula_location(metric, field, exc),
        "error",
        "metric",
        metric.id,
        base.suggestion,
    )


def _formula_location(metric: Metric, field: str, error: FormulaError) -> Location | None:
    """The position in the YAML file of the formula character the error points at.

    The loader records where a value starts. YAML joins the lines of a formula that runs over
    several lines with one space (or a newline in a ``|`` block), so the offset into the formula
    is walked line by line through the file: inline (plain or quoted) formulas start on the
    value's own line, block formulas (``|``, ``>``) on the next.
    """
    base = metric.field_loc(field)
    if base is None:
        return None
    try:
        lines = Path(base.file).read_text(encoding="utf-8").splitlines()
        first = lines[base.line - 1][base.column - 1 :]
    except (OSError, IndexError, UnicodeDecodeError):
        return Location(base.file, base.line, base.column + max(0, error.offset))
    segments: list[tuple[int, int, str]] = []  # (line, column of its first character, text)
    if first[:1] in ("|", ">"):
        body = lines[base.line :]
        indent = next((len(x) - len(x.lstrip()) for x in body if x.strip()), 0)
        segments = [(n, indent + 1, x[indent:].rstrip()) for n, x in enumerate(body, base.line + 1)]
    else:
        quoted = 1 if first[:1] in ("'", '"') else 0
        segments.append((base.line, base.column + quoted, first[quoted:].rstrip()))
        for number, line in enumerate(lines[base.line :], base.line + 1):
            segments.append((number, len(line) - len(line.lstrip()) + 1, line.strip()))
    offset = max(0, error.offset)
    for number, column, text in segments:
        if offset <= len(text):
            return Location(base.file, number, column + offset)
        offset -= len(text) + 1  # the space or newline that joined the lines
    return base
