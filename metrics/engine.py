"""Compute metrics: per period and breakdown, against targets, with provenance.

The work is batched the way Polars likes it: metrics over the same source, time column and
breakdown share one lazy ``group_by().agg()`` (each metric's ``where`` is folded into its own
aggregates rather than filtering rows), and every plan of a request runs in one ``collect_all``.
When a batch fails, it is retried plan by plan and then metric by metric, so one bad metric or
source costs only itself: it becomes an entry in ``Results.errors`` and the rest is computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import polars as pl

from metrics.compile import CompiledMetric
from metrics.config import Config
from metrics.formula import PERIOD_COLUMNS, compile_formula, metric_column
from metrics.periods import Period, periods_frame, periods_to, same_days_before, start_expr
from metrics.spec import GRAINS, Grain, Metric
from metrics.status import finite, reason_expr, rollup_frame, status_expr
from sources.problems import Problem, ProjectError, did_you_mean, register_messages

register_messages(
    {
        "engine.failed": {
            "vi": "không tính được: {detail}",
            "en": "could not be computed: {detail}",
        },
        "engine.unknown_metric": {
            "vi": "không có chỉ số '{metric}'",
            "en": "there is no metric '{metric}'",
        },
        "engine.unknown_metric_unreadable": {
            "vi": "không có chỉ số '{metric}' (có thể nằm trong tệp bị lỗi: {files})",
            "en": "there is no metric '{metric}' (it may be in a file that could not be read: {files})",
        },
        "engine.no_dimension": {
            "vi": "không phân tích được theo '{dim}'",
            "en": "cannot be broken down by '{dim}'",
        },
    }
)

PERIOD_START = "period_start"
PERIOD_END = "period_end"
VALUE_COLUMNS = ("value", "numerator", "denominator", "target", "expected", "delta")
MAX_PERIODS = 120
# How many rows a metric chose in a group (its ``where`` applied): 0 tells "no rows" apart from
# rows whose values are all empty when the value is missing.
_ROWS = compile_formula("count()", {})


class FrameSource(Protocol):
    """What the engine needs from a catalogue of sources (``sources.catalog.Catalog``)."""

    def frame(
        self, source_id: str, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> pl.LazyFrame: ...


@dataclass(frozen=True)
class Request:
    """What to compute: as of a date, at a grain, over periods, broken down and filtered."""

    as_of: dt.date
    grain: Grain = "month"
    periods: int = 1
    by: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()  # (dimension, value) pairs
    metrics: tuple[str, ...] | None = None  # None: every metric


@dataclass(frozen=True)
class MetricError:
    metric: str
    problem: Problem


@dataclass(frozen=True)
class Provenance:
    metric: str
    file: str | None
    line: int | None
    source: str | None


@dataclass
class Results:
    request: Request
    values: pl.DataFrame
    themes: pl.DataFrame
    errors: list[MetricError] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # metric -> missing dimension
    provenance: dict[str, Provenance] = field(default_factory=dict)
    # The window flow metrics of a period cut short compare with (1-14 Oct for 1-14 Nov).
    compared_with: Period | None = None

    def error_for(self, metric_id: str) -> MetricError | None:
        return next((e for e in self.errors if e.metric == metric_id), None)


@dataclass(frozen=True)
class _Batch:
    """Metrics that can share one lazy plan: same source, time column, dimension columns."""

    source: str
    time: str | None
    dims: tuple[tuple[str, str], ...]  # (dimension name, column)
    filters: tuple[tuple[str, str], ...]  # (column, value)
    metrics: tuple[CompiledMetric, ...]


def _dims_of(metric: Metric, names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, metric.dimensions[name]) for name in names)


def _metric_error(metric: Metric | None, metric_id: str, detail: str) -> MetricError:
    loc = metric.field_loc("value") if metric else None
    return MetricError(
        metric_id, Problem("engine.failed", {"detail": detail}, loc, "error", "metric", metric_id)
    )


def _as_metric(
    problem: Problem, metric_id: str, via: tuple[str, str | None] | None, metric: Metric | None
) -> Problem:
    """The same problem told as the metric's, naming what it came through (a source, a metric)."""
    return replace(
        problem,
        level="error",
        subject_kind="metric",
        subject_id=metric_id,
        via=via if via != ("metric", metric_id) else None,
        location=problem.location or (metric.loc if metric else None),
    )


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ProjectError):
        return exc.problems[0].text("en") if exc.problems else str(exc)
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _aggregations(item: CompiledMetric) -> list[pl.Expr]:
    mid = item.metric.id
    row_filter = item.where.expr() if item.where else None
    exprs = [
        item.value.expr(row_filter).cast(pl.Float64).alias(f"v:{mid}"),
        _ROWS.expr(row_filter).alias(f"r:{mid}"),
    ]
    if item.value.ratio:
        numerator, denominator = item.value.ratio
        exprs.append(numerator.expr(row_filter).cast(pl.Float64).alias(f"n:{mid}"))
        exprs.append(denominator.expr(row_filter).cast(pl.Float64).alias(f"d:{mid}"))
    return exprs


def _plan(
    batch: _Batch,
    frame: pl.LazyFrame,
    periods: list[Period],
    grain: Grain,
    metrics: Sequence[CompiledMetric],
) -> pl.LazyFrame:
    """One lazy aggregation for the batch's metrics over every requested period."""
    first, as_of = periods[0].start, periods[-1].end
    for column, value in batch.filters:
        frame = frame.filter(pl.col(column).cast(pl.String) == value)
    keys = [PERIOD_START, *(column for _, column in batch.dims)]
    if batch.time is not None:
        day = pl.col(batch.time).cast(pl.Date)
        frame = frame.filter(day.is_between(first, as_of)).with_columns(
            start_expr(day, grain).alias(PERIOD_START)
        )
        if any(_reads_period(item) for item in metrics):
            frame = frame.join(_period_columns(periods).lazy(), on=PERIOD_START, how="left")
    else:
        bounds = periods_frame(periods).lazy()
        frame = frame.join(bounds, how="cross").with_columns(
            pl.col(bounds.collect_schema().names()[0]).alias(PERIOD_START)
        )
    aggs = [expr for item in metrics for expr in _aggregations(item)]
    return frame.group_by(keys).agg(aggs)


def _reads_period(item: CompiledMetric) -> bool:
    return item.value.uses_period or bool(item.where and item.where.uses_period)


def _period_columns(periods: list[Period]) -> pl.DataFrame:
    """Each period's start with the columns formulas read as period_start, period_end, as_of."""
    bounds = periods_frame(periods)
    return bounds.with_columns(pl.col(PERIOD_COLUMNS["period_start"]).alias(PERIOD_START))


def _long(batch: _Batch, wide: pl.DataFrame, metrics: Sequence[CompiledMetric]) -> pl.DataFrame:
    """From one wide aggregation (a column per metric) to tidy rows (a row per metric)."""
    dims = [pl.col(column).cast(pl.String).alias(name) for name, column in batch.dims]
    parts = []
    for item in metrics:
        mid = item.metric.id
        ratio = item.value.ratio is not None
        parts.append(
            wide.select(
                pl.lit(mid).alias("metric"),
                pl.col(PERIOD_START),
                *dims,
                pl.col(f"v:{mid}").alias("value"),
                pl.col(f"r:{mid}").cast(pl.Int64).alias("rows"),
                (pl.col(f"n:{mid}") if ratio else pl.lit(None, pl.Float64)).alias("numerator"),
                (pl.col(f"d:{mid}") if ratio else pl.lit(None, pl.Float64)).alias("denominator"),
            )
        )
    return pl.concat(parts) if parts else pl.DataFrame()


class _Run:
    """The state of one computation: what was asked, what failed, what came out."""

    def __init__(self, config: Config, catalog: FrameSource, request: Request):
        self.config = config
        self.catalog = catalog
        self.request = request
        self.periods = periods_to(request.as_of, request.grain, request.periods + 1)
        self.errors: dict[str, MetricError] = {}
        self.skipped: dict[str, str] = {}
        self.frames: list[pl.DataFrame] = []

    # -- which metrics ------------------------------------------------------------------------

    def wanted(self) -> list[str]:
        """The metrics to report, in configuration order, with their errors noted."""
        config = self.config
        known = _all_ids(config)
        ids = list(self.request.metrics) if self.request.metrics else known
        for mid in ids:
            if mid in config.broken_metrics:
                problem = config.broken_metrics[mid][0]
                self.errors[mid] = MetricError(mid, problem)
            elif mid not in config.metrics:
                code, params = "engine.unknown_metric", {"metric": mid}
                if config.unreadable:
                    code = "engine.unknown_metric_unreadable"
                    params["files"] = ", ".join(config.unreadable)
                hint = did_you_mean(mid, known)
                self.errors[mid] = MetricError(
                    mid, Problem(code, params, None, "error", "metric", mid, hint)
                )
            elif mid not in config.compiled:
                self.errors[mid] = _metric_error(config.metrics[mid], mid, "invalid definition")
        needed = [m for m in ids if m not in self.errors]
        for mid in needed:
            metric = self.config.metrics[mid]
            for dim in [*self.request.by, *(d for d, _ in self.request.filters)]:
                if dim not in metric.dimensions:
                    self.skipped[mid] = dim
                    break
        return [m for m in needed if m not in self.skipped]

    # -- base metrics ---------------------------------------------------------------------------

    def batches(self, ids: list[str]) -> list[_Batch]:
        groups: dict[tuple, list[CompiledMetric]] = {}
        filters = dict(self.request.filters)
        for mid in ids:
            item = self.config.compiled.get(mid)
            if item is None or item.metric.source is None:
                continue
            metric = item.metric
            dims = _dims_of(metric, self.request.by)
            flt = tuple((metric.dimensions[d], v) for d, v in filters.items())
            groups.setdefault((metric.source, metric.time, dims, flt), []).append(item)
        return [_Batch(s, t, d, f, tuple(items)) for (s, t, d, f), items in groups.items()]

    def source_frame(self, batch: _Batch) -> pl.LazyFrame:
        """The batch's source; a period filter is pushed down only to the source's own time column."""
        if batch.time is not None and batch.time == self.catalog.time_column(batch.source):
            return self.catalog.frame(
                batch.source, since=self.periods[0].start, until=self.request.as_of
            )
        return self.catalog.frame(batch.source)

    def compute_base(self, batches: list[_Batch]) -> None:
        plans: list[tuple[_Batch, pl.LazyFrame, pl.LazyFrame]] = []
        for batch in batches:
            try:
                frame = self.source_frame(batch)
                plan = _plan(batch, frame, self.periods, self.request.grain, batch.metrics)
            except Exception as exc:  # noqa: BLE001 - a source failure costs its metrics only
                self.fail(batch.metrics, exc)
            else:
                plans.append((batch, frame, plan))
        try:
            results: list[pl.DataFrame | None] = list(pl.collect_all([p for _, _, p in plans]))
        except Exception:  # noqa: BLE001 - isolated plan by plan below
            results = [self.collect_alone(batch, frame, plan) for batch, frame, plan in plans]
        for (batch, _, _), wide in zip(plans, results, strict=True):
            if wide is not None:
                self.frames.append(_long(batch, wide, batch.metrics))

    def collect_alone(
        self, batch: _Batch, frame: pl.LazyFrame, plan: pl.LazyFrame
    ) -> pl.DataFrame | None:
        """Collect one plan; if it fails, find the failing metrics, so only they are lost."""
        try:
            return plan.collect()
        except Exception:  # noqa: BLE001 - narrowed down metric by metric below
            pass
        good: list[CompiledMetric] = []
        for item in batch.metrics:
            try:
                _plan(batch, frame, self.periods, self.request.grain, [item]).collect()
            except Exception as exc:  # noqa: BLE001 - costs this metric only
                self.fail([item], exc)
            else:
                good.append(item)
        if not good:
            return None
        try:
            wide = _plan(batch, frame, self.periods, self.request.grain, good).collect()
        except Exception as exc:  # noqa: BLE001 - costs these metrics only
            self.fail(good, exc)
            return None
        missing = [i for i in batch.metrics if i not in good]
        return wide.with_columns(
            pl.lit(None, pl.Float64).alias(f"{p}:{i.metric.id}") for i in missing for p in "vndr"
        )

    def fail(self, items: Sequence[CompiledMetric], exc: BaseException) -> None:
        """Record why these metrics could not be computed, in the metric's name."""
        for item in items:
            mid = item.metric.id
            if isinstance(exc, ProjectError) and exc.problems:
                base = exc.problems[0]
                via = (base.subject_kind, base.subject_id) if base.subject_kind else None
                self.errors[mid] = MetricError(mid, _as_metric(base, mid, via, item.metric))
            else:
                self.errors[mid] = _metric_error(item.metric, mid, _error_text(exc))

    # -- assembling -----------------------------------------------------------------------------

    def base_values(self) -> pl.DataFrame:
        schema = {
            "metric": pl.String,
            PERIOD_START: pl.Date,
            **{d: pl.String for d in self.request.by},
            "value": pl.Float64,
            "rows": pl.Int64,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
        }
        frames = [f for f in self.frames if f.height]
        if not frames:
            return pl.DataFrame(schema=schema)
        return pl.concat([f.select(list(schema)).cast(schema) for f in frames])

    def complete_units(self, values: pl.DataFrame, ids: list[str]) -> pl.DataFrame:
        """Every unit listed in a breakdown by unit: one without rows gets a row with no value.

        A department that sends nothing must stand out, not vanish. The first unit dimension of
        the breakdown is completed, per metric and period, with the units of the applicable
        kinds (``Config.unit_kinds``; when the configuration does not say, the kinds of the
        units that appear in the metric's results). Their ``rows`` stay null: "not reported".
        """
        config, by = self.config, self.request.by
        starts = pl.DataFrame({PERIOD_START: [p.start for p in self.periods]})
        added = []
        for mid in ids:
            dim = next((d for d in by if config.unit_kinds(mid, d) is not None), None)
            metric = config.metrics.get(mid)
            if dim is None or metric is None or metric.source is None or mid in self.errors:
                continue
            mine = values.filter(pl.col("metric") == mid)
            kinds = config.unit_kinds(mid, dim) or {
                config.units[u].kind for u in mine[dim].unique().to_list() if u in config.units
            }
            units = [uid for uid, unit in config.units.items() if unit.kind in kinds]
            if not units:
                continue
            grid = starts.join(pl.DataFrame({dim: units}, schema={dim: pl.String}), how="cross")
            absent = grid.join(mine.select(PERIOD_START, dim), on=[PERIOD_START, dim], how="anti")
            if absent.height:
                added.append(absent.with_columns(pl.lit(mid).alias("metric")))
        if not added:
            return values
        return pl.concat([values, *added], how="diagonal_relaxed").select(values.columns)

    def unit_scoped(self, ids: list[str]) -> list[str]:
        """The metrics viewed per unit (broken down by, or filtered to, a unit dimension)."""
        dims = [*self.request.by, *(d for d, _ in self.request.filters)]
        return [m for m in ids if any(self.config.unit_kinds(m, d) is not None for d in dims)]

    def dependency_problem(self, metric: Metric, ref: str) -> Problem:
        """A derived metric's error: the failed dependency's own problem, told through it."""
        if ref in self.errors:
            cause = self.errors[ref].problem
            return _as_metric(cause, metric.id, ("metric", ref), metric)
        return Problem(
            "engine.no_dimension",
            {"dim": self.skipped[ref]},
            metric.field_loc("value"),
            "error",
            "metric",
            metric.id,
            via=("metric", ref),
        )

    def derive(self, values: pl.DataFrame, ids: list[str]) -> pl.DataFrame:
        """Metrics built from others, in dependency order, aligned on period and dimensions."""
        keys = [PERIOD_START, *self.request.by]
        grid = pl.DataFrame({PERIOD_START: [p.start for p in self.periods]})
        for mid in ids:
            item = self.config.compiled.get(mid)
            if item is None or item.metric.source is not None or mid in self.errors:
                continue
            failed = next(
                (r for r in sorted(item.value.metrics) if r in self.errors or r in self.skipped),
                None,
            )
            if failed:
                self.errors[mid] = MetricError(mid, self.dependency_problem(item.metric, failed))
                continue
            frame = (
                grid
                if not self.request.by
                else values.filter(pl.col("metric").is_in(sorted(item.value.metrics)))
                .select(keys)
                .unique()
            )
            refs = sorted(item.value.metrics)
            for ref in refs:
                part = values.filter(pl.col("metric") == ref).select(
                    *keys,
                    pl.col("value").alias(metric_column(ref)),
                    pl.col("rows").alias(f"_rows:{ref}"),
                )
                frame = frame.join(part, on=keys, how="left", nulls_equal=True)
            frame = frame.join(_period_columns(self.periods), on=PERIOD_START, how="left")
            try:
                ratio = item.value.ratio
                derived = frame.select(
                    pl.lit(mid).alias("metric"),
                    *keys,
                    item.value.expr().cast(pl.Float64).alias("value"),
                    pl.max_horizontal(pl.col(f"_rows:{ref}") for ref in refs).alias("rows"),
                    (ratio[0].expr() if ratio else pl.lit(None))
                    .cast(pl.Float64)
                    .alias("numerator"),
                    (ratio[1].expr() if ratio else pl.lit(None))
                    .cast(pl.Float64)
                    .alias("denominator"),
                )
            except Exception as exc:  # noqa: BLE001 - costs this metric only
                self.fail([item], exc)
                continue
            values = pl.concat([values, derived.cast(values.schema)])
        return values

    def complete(self, values: pl.DataFrame, ids: list[str]) -> pl.DataFrame:
        """Without a breakdown, every metric gets every period (empty ones as no data)."""
        if self.request.by:
            return values
        ok = [m for m in ids if m not in self.errors]
        grid = pl.DataFrame({"metric": ok}, schema={"metric": pl.String}).join(
            pl.DataFrame({PERIOD_START: [p.start for p in self.periods]}), how="cross"
        )
        return grid.join(values, on=["metric", PERIOD_START], how="left")

    def targets(self, ids: list[str]) -> pl.DataFrame:
        rows = []
        for mid in ids:
            metric = self.config.metrics.get(mid)
            if metric is None:
                continue
            for period in self.periods:
                target, expected = metric.target_on(period.end)
                rows.append(
                    (
                        mid,
                        period.start,
                        period.end,
                        target,
                        expected,
                        metric.direction,
                        float(metric.tolerance),
                        metric.default,
                    )
                )
        return pl.DataFrame(
            rows,
            orient="row",
            schema={
                "metric": pl.String,
                PERIOD_START: pl.Date,
                PERIOD_END: pl.Date,
                "target": pl.Float64,
                "expected": pl.Float64,
                "_direction": pl.String,
                "_tolerance": pl.Float64,
                "_default": pl.Float64,
            },
        )

    def finish(
        self, values: pl.DataFrame, ids: list[str], same_days: pl.DataFrame | None
    ) -> pl.DataFrame:
        """Targets, status and the change against the period before.

        Flow metrics in a period cut short at the as-of date compare with the same days of the
        period before (``same_days``: their values over that window); everything else compares
        with the whole previous period.
        """
        keys = ["metric", *self.request.by]
        starts = [p.start for p in self.periods]
        previous = dict(zip(starts[1:], starts[:-1], strict=True))
        values = values.join(self.targets(ids), on=["metric", PERIOD_START], how="left")
        reason = reason_expr(pl.col("value"), pl.col("rows"), pl.col("denominator"))
        per_unit = pl.col("metric").is_in(self.unit_scoped(ids)) & pl.col("rows").is_null()
        values = values.with_columns(
            pl.when(per_unit & (reason == "no_rows"))
            .then(pl.lit("not_reported"))
            .otherwise(reason)
            .alias("reason"),
            *(finite(pl.col(c)).alias(c) for c in ("value", "numerator", "denominator")),
        )
        # A declared default stands where the metric has no rows (never for an overflow & co.).
        defaulted = (
            pl.col("reason").is_in(["no_rows", "not_reported"]) & pl.col("_default").is_not_null()
        )
        values = values.with_columns(
            pl.when(defaulted).then(pl.col("_default")).otherwise(pl.col("value")).alias("value"),
            pl.when(defaulted).then(None).otherwise(pl.col("reason")).alias("reason"),
        )
        values = values.with_columns(
            status_expr(
                pl.col("value"), pl.col("expected"), pl.col("_direction"), pl.col("_tolerance")
            ).alias("status"),
            pl.col(PERIOD_START)
            .replace_strict(previous, default=None, return_dtype=pl.Date)
            .alias("_previous"),
        )
        before = values.select(
            *keys, pl.col(PERIOD_START).alias("_previous"), pl.col("value").alias("_previous_value")
        )
        values = values.join(before, on=[*keys, "_previous"], how="left", nulls_equal=True)
        if same_days is not None:
            window = same_days.select(*keys, finite(pl.col("value")).alias("_same_days"))
            values = values.join(window, on=keys, how="left", nulls_equal=True).with_columns(
                pl.when(
                    (pl.col(PERIOD_START) == starts[-1])
                    & pl.col("metric").is_in([m for m in ids if _flow_like(self.config, m)])
                )
                .then(pl.col("_same_days"))
                .otherwise(pl.col("_previous_value"))
                .alias("_previous_value")
            )
        order = {mid: i for i, mid in enumerate(ids)}
        return (
            values.with_columns((pl.col("value") - pl.col("_previous_value")).alias("delta"))
            .filter(pl.col(PERIOD_START) != starts[0])
            .filter(pl.col("metric").is_in([m for m in ids if m not in self.errors]))
            .with_columns(
                pl.col("metric").replace_strict(order, return_dtype=pl.Int64).alias("_order")
            )
            .sort(["_order", PERIOD_START, *self.request.by], nulls_last=True)
            .select(
                "metric",
                PERIOD_START,
                PERIOD_END,
                pl.lit(self.request.grain).alias("grain"),
                *self.request.by,
                *VALUE_COLUMNS,
                "status",
                "reason",
            )
        )

    def themes(self, values: pl.DataFrame, failed: list[str]) -> pl.DataFrame:
        """Each theme's rolled-up status, with how many of its metrics could not be computed.

        A theme whose metrics all failed is ``no_data``, never the status of an empty set.
        """
        metrics = self.config.metrics
        statuses = values.join(
            pl.DataFrame(
                {
                    "metric": list(metrics),
                    "theme": [m.theme for m in metrics.values()],
                    "weight": [m.weight for m in metrics.values()],
                },
                schema={"metric": pl.String, "theme": pl.String, "weight": pl.Float64},
            ),
            on="metric",
        )
        themes = self.config.settings.themes
        keys = [PERIOD_START, PERIOD_END, *self.request.by]
        rolled = rollup_frame(statuses, {t.id: t.rollup for t in themes}, keys)
        failures: dict[str, int] = {}
        for mid in failed:
            metric = metrics.get(mid)
            theme = metric.theme if metric else self.broken_theme(mid)
            if theme:
                failures[theme] = failures.get(theme, 0) + 1
        order = {theme.id: i for i, theme in enumerate(themes)}
        return rolled.with_columns(
            pl.col("theme")
            .replace_strict(failures, default=0, return_dtype=pl.Int64)
            .alias("failed")
        ).sort(pl.col("theme").replace_strict(order, return_dtype=pl.Int64), *keys, nulls_last=True)

    def broken_theme(self, metric_id: str) -> str | None:
        """The theme a broken metric was meant for, when its file says so."""
        for problem in self.config.broken_metrics.get(metric_id, ()):
            if problem.params.get("theme"):
                return str(problem.params["theme"])
        return None


def _flow_like(config: Config, metric_id: str) -> bool:
    """A flow metric, or one derived from at least one flow metric."""
    metric = config.metrics.get(metric_id)
    if metric is None:
        return False
    if metric.source is not None:
        return metric.time is not None
    item = config.compiled.get(metric_id)
    return bool(item) and any(_flow_like(config, ref) for ref in item.value.metrics)


def _same_days_values(
    config: Config, catalog: FrameSource, request: Request, window: Period, ids: list[str]
) -> pl.DataFrame | None:
    """The flow metrics' values over ``window``: what a period cut short is compared with."""
    flow = tuple(mid for mid in ids if _flow_like(config, mid))
    if not flow:
        return None
    sub = _Run(config, catalog, replace(request, as_of=window.end, periods=1, metrics=flow))
    wanted = sub.wanted()
    closure = sub.config.closure(wanted)
    sub.compute_base(sub.batches(closure))
    values = sub.derive(sub.complete_units(sub.base_values(), closure), closure)
    return values.filter(pl.col("metric").is_in(wanted) & (pl.col(PERIOD_START) == window.start))


def compute(config: Config, catalog: FrameSource, request: Request) -> Results:
    """Compute the requested metrics; never raises for a bad metric or source (see ``errors``).

    A metric whose data comes at a coarser grain than the request's (``Config.grain_of``: the
    yearly budget on a monthly page) is computed at its own grain, over as many of its own
    periods, and compared with its own previous period: never a zero for a month in which
    nothing was due. The ``grain`` column of ``values`` says which grain each row is at. Themes
    roll up over the request's periods, each taking the coarser period that contains it.
    """
    request = replace(
        request,
        by=tuple(dict.fromkeys(request.by)),
        periods=min(max(1, request.periods), MAX_PERIODS),
    )
    groups: dict[Grain, list[str]] = {}
    for mid in request.metrics or _all_ids(config):
        own = config.grain_of(mid)
        coarser = own is not None and GRAINS.index(own) > GRAINS.index(request.grain)
        groups.setdefault(own if coarser and own else request.grain, []).append(mid)
    if set(groups) <= {request.grain}:
        return _compute_at(config, catalog, request)
    parts = [
        _compute_at(config, catalog, replace(request, grain=grain, metrics=tuple(ids)))
        for grain, ids in groups.items()
    ]
    order = {mid: i for i, mid in enumerate(request.metrics or _all_ids(config))}
    values = (
        pl.concat([part.values for part in parts])
        .with_columns(pl.col("metric").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort(["_o", PERIOD_START, *request.by], nulls_last=True)
        .drop("_o")
    )
    errors = sorted((e for part in parts for e in part.errors), key=lambda e: order[e.metric])
    run = _Run(config, catalog, request)
    shown = run.periods[1:]  # the first period is computed only to compare with
    themes = run.themes(_on_periods(values, shown, request.grain), [e.metric for e in errors])
    main = next((part for part in parts if part.request.grain == request.grain), None)
    return Results(
        request,
        values,
        themes,
        errors,
        {mid: dim for part in parts for mid, dim in part.skipped.items()},
        parts[0].provenance,
        main.compared_with if main else None,
    )


def _all_ids(config: Config) -> list[str]:
    """Every metric written, valid or broken, in configuration order."""
    return list(config.metrics) + [m for m in config.broken_metrics if m not in config.metrics]


def _on_periods(values: pl.DataFrame, periods: list[Period], grain: Grain) -> pl.DataFrame:
    """``values`` on the request's ``periods``: a row of a coarser grain stands in each period
    of the request that ends inside it (the year 2025 so far for November), for roll-ups."""
    coarse = values.filter(pl.col("grain") != grain)
    if coarse.is_empty():
        return values
    bounds = pl.DataFrame(
        {"_start": [p.start for p in periods], "_end": [p.end for p in periods]},
        schema={"_start": pl.Date, "_end": pl.Date},
    )
    placed = (
        coarse.join(bounds, how="cross")
        .filter(pl.col("_end").is_between(pl.col(PERIOD_START), pl.col(PERIOD_END)))
        .with_columns(pl.col("_start").alias(PERIOD_START), pl.col("_end").alias(PERIOD_END))
        .drop("_start", "_end")
    )
    return pl.concat([values.filter(pl.col("grain") == grain), placed])


def _compute_at(config: Config, catalog: FrameSource, request: Request) -> Results:
    """``compute`` with every metric at the request's grain."""
    run = _Run(config, catalog, request)
    wanted = run.wanted()
    ids = run.config.closure(wanted)
    run.compute_base(run.batches(ids))
    values = run.derive(run.complete_units(run.base_values(), ids), ids)
    window = same_days_before(run.periods[-1], request.grain)
    ok = [mid for mid in ids if mid not in run.errors]
    same_days = _same_days_values(config, catalog, request, window, ok) if window else None
    values = run.finish(run.complete(values, ids), ids, same_days)
    values = values.filter(pl.col("metric").is_in(wanted))
    errors = [run.errors[m] for m in (request.metrics or list(run.errors)) if m in run.errors]
    provenance = {
        mid: Provenance(mid, m.loc.file if m.loc else None, m.loc.line if m.loc else None, m.source)
        for mid, m in config.metrics.items()
    }
    themes = run.themes(values, [e.metric for e in errors])
    return Results(request, values, themes, errors, dict(run.skipped), provenance, window)
