"""Validating: rules over the whole configuration, each a small pure function in ``RULES``.

A rule reads the loaded configuration and yields problems; it changes nothing, never raises and
never stops the others. The loader (``metrics.loader``) decides what follows from them: a metric
with an error is left out of what is computed and shown as an error in its place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from metrics.config import Config
from metrics.spec import Metric
from sources.kinds import check_source
from sources.problems import Problem, did_you_mean, register_messages

register_messages(
    {
        "rule.unknown_unit": {
            "vi": "không có đơn vị '{name}' trong units.yaml",
            "en": "unknown unit '{name}' (not in units.yaml)",
        },
        "rule.unknown_source": {
            "vi": "không có nguồn '{name}' trong sources.yaml",
            "en": "unknown source '{name}' (not in sources.yaml)",
        },
        "rule.broken_source": {
            "vi": "nguồn '{name}' có lỗi trong sources.yaml: hãy sửa nguồn đó trước",
            "en": "source '{name}' has errors in sources.yaml: fix that source first",
        },
        "rule.unknown_theme": {
            "vi": "không có chủ đề '{name}' trong settings.yaml",
            "en": "unknown theme '{name}' (not in settings.yaml)",
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
        "rule.percent_target": {
            "vi": "{value} lớn hơn 1 với định dạng phần trăm: viết tỷ lệ dạng số thập phân (95% là 0.95)",
            "en": "{value} is above 1 for a percent: write the fraction (95% is 0.95)",
        },
        "rule.chart_dimension": {
            "vi": "chỉ số '{metric}' không phân tích được theo '{by}' (các chiều: {dims})",
            "en": "metric '{metric}' cannot be broken down by '{by}' (its dimensions: {dims})",
        },
    }
)


Rule = Callable[[Config], Iterator[Problem]]


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


def source_shape(config: Config) -> Iterator[Problem]:
    """Each source as its kind checks it: names it uses must be columns of its contract."""
    for source in config.sources.values():
        yield from check_source(source)


def metric_references(config: Config) -> Iterator[Problem]:
    """Themes, sources, time and dimension columns named by each metric must exist."""
    themes = set(config.themes)
    for metric in config.metrics.values():
        if metric.theme not in themes:
            yield _metric_problem(
                metric,
                "rule.unknown_theme",
                "theme",
                name=metric.theme,
                suggestion=did_you_mean(metric.theme, themes),
            )
        if metric.target is not None and metric.direction is None:
            yield _metric_problem(metric, "rule.target_without_direction", "target")
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
                yield _metric_problem(metric, "rule.no_source", "value")
            elif metric.time or metric.where:
                yield _metric_problem(
                    metric, "rule.derived_with_time", "time" if metric.time else "where"
                )
            continue
        source = config.sources.get(metric.source)
        if source is None and metric.source in config.broken_sources:
            yield _metric_problem(metric, "rule.broken_source", "source", name=metric.source)
            continue
        if source is None:
            yield _metric_problem(
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
                yield _metric_problem(
                    metric,
                    "rule.unknown_column",
                    "time",
                    column=metric.time,
                    source=source.id,
                    suggestion=did_you_mean(metric.time, source.columns),
                )
            elif column.type not in ("date", "datetime"):
                yield _metric_problem(
                    metric,
                    "rule.time_not_date",
                    "time",
                    column=metric.time,
                    type=column.type,
                )
        for column in metric.dimensions.values():
            if column not in source.columns:
                yield _metric_problem(
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


def _metric_problem(
    metric: Metric, code: str, field: str, suggestion: str | None = None, **params: object
) -> Problem:
    return _problem(code, metric, field, "metric", suggestion=suggestion, **params)


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


def settings_references(config: Config) -> Iterator[Problem]:
    """The registers and the unit page name sources, metrics and a theme that exist."""
    settings = config.settings
    metrics = set(config.metrics) | set(config.broken_metrics)
    sources = set(config.sources) | config.broken_sources
    tasks, datasets = settings.registers.tasks, settings.registers.datasets
    named: list[tuple[object, str, str, str, set[str]]] = []
    for register in (tasks, datasets):
        if register is not None:
            named.append((register, "source", "source", register.source, sources))
    if tasks is not None:
        named += [(tasks, f, "metric", getattr(tasks, f), metrics) for f in ("assigned", "overdue")]
    named += [
        (settings.unit_page, "reports", "metric", m, metrics) for m in settings.unit_page.reports
    ]
    theme = settings.unit_page.service_theme
    if theme is not None:
        named.append((settings.unit_page, "service_theme", "theme", theme, set(config.themes)))
    complete = not config.unreadable  # a metric may be in an unreadable file: that is the error
    for obj, field, what, name, known in named:
        if name not in known and (complete or what != "metric"):
            yield Problem(
                f"rule.unknown_{what}",
                {"name": name},
                obj.field_loc(field),  # type: ignore[attr-defined]
                "error",
                "settings",
                None,
                did_you_mean(name, known),
            )


RULES: list[Rule] = [
    unit_references,
    source_shape,
    metric_references,
    boards,
    settings_references,
]


def validate(config: Config) -> list[Problem]:
    """Every rule's problems, in the order of ``RULES``."""
    return [problem for rule in RULES for problem in rule(config)]
