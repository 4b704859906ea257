"""Rules that need the whole configuration, each a small function collected into ``RULES``.

A rule yields problems; it never raises and never stops the others. Rules that find a metric
unusable (an unknown source, a formula that does not compile, a dependency cycle) mark that metric
broken, so the engine reports it as an error row and computes the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from metrics.formula import Compiled, FormulaError, compile_formula
from metrics.spec import Metric
from sources.problems import Location, Problem, did_you_mean, register_messages
from sources.spec import SourceSpec

if TYPE_CHECKING:
    from metrics.config import Config

register_messages(
    {
        "rule.duplicate_id": {
            "vi": "mã '{id}' đã được dùng ở {first}",
            "en": "id '{id}' is already used at {first}",
        },
        "rule.unknown_unit": {
            "vi": "không có đơn vị '{name}' trong units.yaml",
            "en": "unknown unit '{name}' (not in units.yaml)",
        },
        "rule.unknown_source": {
            "vi": "không có nguồn '{name}' trong sources.yaml",
            "en": "unknown source '{name}' (not in sources.yaml)",
        },
        "rule.unknown_theme": {
            "vi": "không có chủ đề '{name}' trong settings.yaml",
            "en": "unknown theme '{name}' (not in settings.yaml)",
        },
        "rule.unknown_metric": {
            "vi": "không có chỉ số '{name}'",
            "en": "unknown metric '{name}'",
        },
        "rule.unknown_column": {
            "vi": "cột '{column}' không có trong nguồn '{source}'",
            "en": "unknown column '{column}' in source '{source}'",
        },
        "rule.time_not_date": {
            "vi": "cột thời gian '{column}' phải có kiểu date hoặc datetime (đang là {type})",
            "en": "time column '{column}' must be a date or datetime (it is {type})",
        },
        "rule.cycle": {
            "vi": "các chỉ số phụ thuộc vòng tròn: {path}",
            "en": "metrics depend on each other in a cycle: {path}",
        },
        "rule.target_without_direction": {
            "vi": "có mục tiêu nhưng thiếu 'direction' (up: càng cao càng tốt; down: càng thấp càng tốt)",
            "en": "has a target but no 'direction' (up: higher is better; down: lower is better)",
        },
        "rule.no_source": {
            "vi": "thiếu 'source' (chỉ số tổng hợp từ chỉ số khác thì dùng metric(\"mã\") trong 'value')",
            "en": "needs a 'source' (a metric built from others uses metric(\"id\") in 'value')",
        },
        "rule.derived_with_time": {
            "vi": "chỉ số tổng hợp từ chỉ số khác không có 'time' hay 'where'",
            "en": "a metric built from other metrics takes no 'time' or 'where'",
        },
        "rule.unknown_kind": {
            "vi": "không có loại nguồn '{kind}' (các loại: {known})",
            "en": "unknown source kind '{kind}' (kinds: {known})",
        },
        "rule.sql_location": {
            "vi": "nguồn sql cần 'url' (địa chỉ cơ sở dữ liệu) hoặc 'path' (tệp SQLite), không dùng cả hai",
            "en": "a sql source needs 'url' (a database URL) or 'path' (a SQLite file), not both",
        },
        "rule.sql_table": {
            "vi": "nguồn sql cần 'table' hoặc 'query', không dùng cả hai",
            "en": "a sql source needs 'table' or 'query', not both",
        },
        "rule.file_path": {
            "vi": "nguồn loại '{kind}' cần 'path': tệp hoặc mẫu tệp trong thư mục dữ liệu",
            "en": "a '{kind}' source needs 'path': a file or glob under the data root",
        },
        "rule.option_kind": {
            "vi": "'{field}' không dùng cho nguồn loại '{kind}' (chỉ cho: {kinds})",
            "en": "'{field}' does not apply to a '{kind}' source (only to: {kinds})",
        },
        "rule.percent_target": {
            "vi": "{value} lớn hơn 1 với định dạng phần trăm: viết tỷ lệ dạng số thập phân (95% là 0.95)",
            "en": "{value} is above 1 for a percent: write the fraction (95% is 0.95)",
        },
        "rule.depends_on_broken": {
            "vi": "dùng chỉ số '{ref}' đang bị lỗi",
            "en": "uses metric '{ref}', which has errors",
        },
        "rule.inline_password": {
            "vi": "URL chứa mật khẩu trực tiếp: hãy dùng biến môi trường, ví dụ ${{TASKS_DB_PASSWORD}}",
            "en": "the URL holds a password inline: use an environment variable such as ${{TASKS_DB_PASSWORD}}",
        },
        "rule.chart_dimension": {
            "vi": "chỉ số '{metric}' không phân tích được theo '{by}' (các chiều: {dims})",
            "en": "metric '{metric}' cannot be broken down by '{by}' (its dimensions: {dims})",
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


Rule = Callable[["Config"], Iterator[Problem]]


def _problem(
    code: str,
    obj: object,
    field: str | None,
    kind: str,
    level: str = "error",
    suggestion: str | None = None,
    **params: object,
) -> Problem:
    loc = obj.field_loc(field) if field else obj.loc  # type: ignore[attr-defined]
    return Problem(code, params, loc, level, kind, getattr(obj, "id", None), suggestion)  # type: ignore[arg-type]


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


def unit_references(config: Config) -> Iterator[Problem]:
    """Parents, source owners and metric owners must be units of units.yaml."""
    units = set(config.units)
    named = [(u, "parent", "unit", u.parent) for u in config.units.values()]
    named += [(s, "owner", "source", s.owner) for s in config.sources.values()]
    named += [(m, "owner", "metric", m.owner) for m in config.metrics.values()]
    for obj, field, kind, name in named:
        if name and name not in units:
            yield _problem(
                "rule.unknown_unit", obj, field, kind, name=name,
                suggestion=did_you_mean(name, units),
            )  # fmt: skip


# Which reading options and fields apply to which built-in kinds (a kind added later is not checked).
_KIND_FIELDS: dict[str, frozenset[str]] = {
    "delimiter": frozenset({"csv"}),
    "encoding": frozenset({"csv"}),
    "sheet": frozenset({"excel"}),
    "json_lines": frozenset({"json"}),
    "url": frozenset({"sql"}),
    "table": frozenset({"sql"}),
    "query": frozenset({"sql"}),
    "time_column": frozenset({"sql"}),
}
_BUILT_IN_KINDS = frozenset({"csv", "parquet", "excel", "json", "sql"})


def source_shape(config: Config) -> Iterator[Problem]:
    """Each kind needs its own way of being found; names a source uses must exist."""
    for source in config.sources.values():
        yield from _source_kind(source)
        named = [("freshness", source.freshness.column), ("time_column", source.time_column)]
        named += [("unit_columns", c) for c in source.unit_columns]
        for field, column in named:
            if column and column not in source.columns:
                yield _problem(
                    "rule.unknown_column",
                    source,
                    field,
                    "source",
                    column=column,
                    source=source.id,
                    suggestion=did_you_mean(column, source.columns),
                )
        for field, column in (
            ("freshness", source.freshness.column),
            ("time_column", source.time_column),
        ):
            declared = source.columns.get(column or "")
            if declared and declared.type not in ("date", "datetime"):
                yield _problem(
                    "rule.time_not_date", source, field, "source", column=column, type=declared.type
                )


def _source_kind(source: SourceSpec) -> Iterator[Problem]:
    from sources.connectors import KINDS

    if source.kind not in KINDS:
        yield _problem(
            "rule.unknown_kind",
            source,
            "kind",
            "source",
            kind=source.kind,
            known=", ".join(sorted(KINDS)),
            suggestion=did_you_mean(source.kind, KINDS),
        )
        return
    if source.kind == "sql":
        if bool(source.url) == bool(source.path):
            yield _problem("rule.sql_location", source, None, "source")
        if bool(source.table) == bool(source.query):
            yield _problem("rule.sql_table", source, None, "source")
        if source.url and re.search(r"://[^/@:]+:(?!\$\{)[^@/]+@", source.url):
            yield _problem("rule.inline_password", source, "url", "source", level="warning")
    elif not source.path:
        yield _problem("rule.file_path", source, None, "source", kind=source.kind)
    if source.kind not in _BUILT_IN_KINDS:
        return
    given = {
        **source.model_dump(exclude_defaults=True),
        **source.options.model_dump(exclude_none=True),
    }
    for field, kinds in _KIND_FIELDS.items():
        if field in given and source.kind not in kinds:
            where = source.options if field in type(source.options).model_fields else source
            yield _problem(
                "rule.option_kind",
                where,
                field,
                "source",
                field=field,
                kind=source.kind,
                kinds=", ".join(sorted(kinds)),
            )


def metric_references(config: Config) -> Iterator[Problem]:
    """Themes, sources, time and dimension columns named by each metric must exist."""
    themes = set(config.themes)
    for metric in list(config.metrics.values()):
        if metric.theme not in themes:
            yield _broken(
                config,
                metric,
                "rule.unknown_theme",
                "theme",
                name=metric.theme,
                suggestion=did_you_mean(metric.theme, themes),
            )
        if metric.target is not None and metric.direction is None:
            yield _broken(config, metric, "rule.target_without_direction", "target")
        if metric.format == "percent":
            if metric.tolerance > 1:
                yield _problem(
                    "rule.percent_target",
                    metric,
                    "tolerance",
                    "metric",
                    "warning",
                    value=metric.tolerance,
                )
            for value in _target_values(metric):
                if value > 1:
                    yield _problem(
                        "rule.percent_target", metric, "target", "metric", "warning", value=value
                    )
                    break
        if metric.source is None:
            if "metric(" not in metric.value:
                yield _broken(config, metric, "rule.no_source", "value")
            elif metric.time or metric.where:
                yield _broken(
                    config, metric, "rule.derived_with_time", "time" if metric.time else "where"
                )
            continue
        source = config.sources.get(metric.source)
        if source is None:
            yield _broken(
                config,
                metric,
                "rule.unknown_source",
                "source",
                name=metric.source,
                suggestion=did_you_mean(metric.source, config.sources),
            )
            continue
        if metric.time:
            column = source.columns.get(metric.time)
            if column is None:
                yield _broken(
                    config,
                    metric,
                    "rule.unknown_column",
                    "time",
                    column=metric.time,
                    source=source.id,
                    suggestion=did_you_mean(metric.time, source.columns),
                )
            elif column.type not in ("date", "datetime"):
                yield _broken(
                    config,
                    metric,
                    "rule.time_not_date",
                    "time",
                    column=metric.time,
                    type=column.type,
                )
        for column in metric.dimensions.values():
            if column not in source.columns:
                yield _broken(
                    config,
                    metric,
                    "rule.unknown_column",
                    "dimensions",
                    column=column,
                    source=source.id,
                    suggestion=did_you_mean(column, source.columns),
                )


def _target_values(metric: Metric) -> list[float]:
    target = metric.target
    if target is None:
        return []
    if isinstance(target, (int, float)):
        return [float(target)]
    if isinstance(target, dict):
        return list(target.values())
    return [target.value, target.start.value]


def _broken(
    config: Config,
    metric: Metric,
    code: str,
    field: str,
    suggestion: str | None = None,
    **params: object,
) -> Problem:
    problem = _problem(code, metric, field, "metric", suggestion=suggestion, **params)
    config.broken_metrics.setdefault(metric.id, []).append(problem)
    config.metrics.pop(metric.id, None)
    return problem


def _contract(source: SourceSpec | None) -> dict[str, str]:
    return {name: col.type for name, col in source.columns.items()} if source else {}


def formulas(config: Config) -> Iterator[Problem]:
    """Compile every formula against its source's contract; type errors surface here."""
    for metric in list(config.metrics.values()):
        columns = _contract(config.sources.get(metric.source or ""))
        try:
            where = (
                compile_formula(metric.where, columns, context="where") if metric.where else None
            )
        except FormulaError as exc:
            yield _formula_problem(config, metric, "where", exc)
            continue
        try:
            value = compile_formula(
                metric.value, columns, context="value", allow_metrics=metric.source is None
            )
        except FormulaError as exc:
            yield _formula_problem(config, metric, "value", exc)
            continue
        config.compiled[metric.id] = CompiledMetric(metric, value, where)


def _formula_problem(config: Config, metric: Metric, field: str, exc: FormulaError) -> Problem:
    base = exc.problems[0]
    problem = Problem(
        base.code,
        base.params,
        _formula_location(metric, field, exc),
        "error",
        "metric",
        metric.id,
        base.suggestion,
    )
    config.broken_metrics.setdefault(metric.id, []).append(problem)
    config.metrics.pop(metric.id, None)
    return problem


def derived_metrics(config: Config) -> Iterator[Problem]:
    """``metric("id")`` must name a metric, without cycles, sharing the derived one's dimensions."""
    compiled = config.compiled
    known = set(config.metrics) | set(config.broken_metrics)
    for metric_id, item in list(compiled.items()):
        for ref in sorted(item.value.metrics):
            if ref not in known:
                yield _broken(
                    config,
                    item.metric,
                    "rule.unknown_metric",
                    "value",
                    name=ref,
                    suggestion=did_you_mean(ref, known),
                )
                compiled.pop(metric_id, None)
                break
    changed = True
    while changed:  # a metric built on a broken one is broken too, however deep
        changed = False
        for item in list(compiled.values()):
            ref = next((r for r in sorted(item.value.metrics) if r in config.broken_metrics), None)
            if ref is not None:
                yield _broken(config, item.metric, "rule.depends_on_broken", "value", ref=ref)
                compiled.pop(item.metric.id, None)
                changed = True
    for cycle in _cycles({mid: set(c.value.metrics) for mid, c in compiled.items()}):
        path = " → ".join([*cycle, cycle[0]])
        for mid in cycle:
            if mid in compiled:
                yield _broken(config, compiled.pop(mid).metric, "rule.cycle", "value", path=path)
    for item in list(compiled.values()):
        for ref in sorted(item.value.metrics):
            part = config.metrics.get(ref)
            missing = part and [d for d in item.metric.dimensions if d not in part.dimensions]
            if missing:
                yield _broken(
                    config,
                    item.metric,
                    "rule.derived_dimension",
                    "dimensions",
                    dim=missing[0],
                    ref=ref,
                )
                compiled.pop(item.metric.id, None)
                break


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


def boards(config: Config) -> Iterator[Problem]:
    known = set(config.metrics) | set(config.broken_metrics)
    # With a metrics file unreadable, a metric a board names may well be in it: that file's own
    # error is the one to fix, not one echo per slide.
    complete = not config.unreadable
    for board in config.boards.values():
        for slide in board.slides:
            for metric_id in slide.metrics:
                if metric_id not in known and complete:
                    yield _slide_problem(board, slide, "metrics", "metric", metric_id, known)
            if slide.theme and slide.theme not in config.themes:
                yield _slide_problem(
                    board, slide, "theme", "theme", slide.theme, set(config.themes)
                )
            if slide.unit and slide.unit not in config.units:
                yield _slide_problem(board, slide, "unit", "unit", slide.unit, set(config.units))
            chart = slide.chart
            if chart is None:
                continue
            if chart.metric not in known and complete:
                yield _slide_problem(board, chart, "metric", "metric", chart.metric, known)
                continue
            metric = config.metrics.get(chart.metric)
            if metric and chart.by and chart.by not in metric.dimensions:
                yield Problem(
                    "rule.chart_dimension",
                    {
                        "metric": chart.metric,
                        "by": chart.by,
                        "dims": ", ".join(metric.dimensions) or "-",
                    },
                    chart.field_loc("by"),
                    "error",
                    "board",
                    board.id,
                    did_you_mean(chart.by, metric.dimensions),
                )


def _slide_problem(
    board: object, obj: object, field: str, what: str, name: str, known: set[str]
) -> Problem:
    return Problem(
        f"rule.unknown_{what}",
        {"name": name},
        obj.field_loc(field),
        "error",
        "board",
        board.id,  # type: ignore[attr-defined]
        did_you_mean(name, known),
    )


RULES: list[Rule] = [
    unit_references,
    source_shape,
    metric_references,
    formulas,
    derived_metrics,
    boards,
]


def check_config(config: Config, duplicates: list[tuple[str, object, object]]) -> None:
    """Run every rule; record the problems on ``config``."""
    for kind, first, second in duplicates:
        config.problems.append(
            Problem(
                "rule.duplicate_id",
                {"id": second.id, "first": str(first.loc)},  # type: ignore[attr-defined]
                second.loc,
                "error",
                kind,
                second.id,
            )  # type: ignore[attr-defined]
        )
    for rule in RULES:
        config.problems.extend(rule(config))
