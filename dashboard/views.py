"""What the pages show, built from what ``dashboard.data`` gives: cards, names, freshness,
breakdowns, the units scorecard, the theme states.

Pure view models: nothing here is cached, opens a source or computes a metric itself (that is
``dashboard.data``'s), and nothing draws (that is ``dashboard.components``' and the pages').
A metric whose definition is broken is not in ``Config.metrics``; ``Config.outline`` still gives
its title and theme, so an error card can stand where its card would have been.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from dashboard.data import (
    config,
    directives,
    health,
    name_columns,
    results,
)
from dashboard.i18n import has, t
from metrics.deck import UNIT_DIMENSION, Card, Text, text_of
from metrics.engine import Results
from metrics.spec import Metric
from metrics.store import StoreError
from sources.health import STATUSES as HEALTH_STATUSES
from sources.health import Freshness, SourceHealth, worst_of
from sources.problems import Problem, ProjectError

_SEVERITY = {
    "not_reported": 0,
    "off_track": 0,
    "at_risk": 1,
    "on_track": 2,
    "no_target": 3,
    "no_data": 4,
}


# --------------------------------------------------------------------------- sources


def freshness(
    metric_id: str, as_of: dt.date, by_source: dict[str, SourceHealth]
) -> Freshness | None:
    """How fresh the data behind a metric is, as of the dashboard's date."""
    return worst_of(
        [by_source[s] for s in config().sources_of([metric_id]) if s in by_source], as_of
    )


# --------------------------------------------------------------------------- names


def unit_names(lang: str) -> dict[str, str]:
    return {uid: unit.name.get(lang) for uid, unit in config().units.items()}


def unit_name(unit_id: str | None, lang: str) -> str:
    """The unit's name in the language; the id itself for a unit the configuration lacks."""
    unit = config().units.get(unit_id or "")
    return unit.name.get(lang) if unit else str(unit_id)


def units_of_kind(kinds: Sequence[str]) -> list[str]:
    return [uid for uid, unit in config().units.items() if unit.kind in kinds]


def theme_title(theme_id: str, lang: str) -> str:
    theme = config().themes.get(theme_id)
    return theme.title.get(lang) if theme else theme_id


@dataclass(frozen=True)
class MetricEntry:
    """A metric as the catalogue lists it, including one whose definition is broken."""

    id: str
    theme: str | None
    title_vi: str
    title_en: str | None

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_vi) if lang == "en" else self.title_vi

    @property
    def text(self) -> Text:
        """The title in both languages, as a card carries it."""
        return {"vi": self.title_vi, "en": self.title_en or self.title_vi}


def catalogue() -> list[MetricEntry]:
    """Every metric, valid or broken: by theme (in the settings' order), then in the order staff
    wrote them (files by name, metrics in file order)."""
    cfg = config()
    themes = {theme: i for i, theme in enumerate(cfg.themes)}
    entries = [
        MetricEntry(o.id, o.theme, o.title.vi if o.title else o.id, o.title.en if o.title else None)
        for o in cfg.outline
    ]
    return sorted(entries, key=lambda e: themes.get(e.theme or "", len(themes)))


def metric_title(metric_id: str, lang: str) -> str:
    entry = next((e for e in catalogue() if e.id == metric_id), None)
    return entry.title(lang) if entry else metric_id


def metric(metric_id: str) -> Metric | None:
    return config().metrics.get(metric_id)


def dimension_title(dimension: str, lang: str) -> str:
    key = f"dimension.{dimension}"
    return t(key, lang) if has(key) else dimension


def dimension_labels(
    metric_id: str, dimension: str, values: Iterable[str], lang: str
) -> dict[str, str]:
    """What to show for each value of a breakdown: a unit's name, a task group's name, a
    translated level or channel, and the raw value only when nothing better is known."""
    cfg = config()
    m = cfg.metrics.get(metric_id)
    column = m.dimensions.get(dimension) if m else None
    names: dict[str, tuple[str, str | None]] = {}
    sources = config().sources_of([metric_id])
    if column and sources:
        try:
            names = name_columns(sources[0], column)
        except ProjectError:  # a source that cannot be read: ids are still better than nothing
            names = {}
    labels = {}
    for value in values:
        if value is None:
            labels[value] = t("common.no_data", lang)
        elif value in cfg.units:
            labels[value] = cfg.units[value].name.get(lang)
        elif value in names:
            vi, en = names[value]
            labels[value] = (en or vi) if lang == "en" else vi
        elif has(f"{dimension}.{value}"):
            labels[value] = t(f"{dimension}.{value}", lang)
        else:
            labels[value] = str(value)
    return labels


def is_unit_dimension(metric_id: str, dimension: str) -> bool:
    """True when a breakdown's values are units (so a bar can open that unit's page)."""
    cfg = config()
    m = cfg.metrics.get(metric_id)
    column = m.dimensions.get(dimension) if m else None
    if column is None:
        return False
    return any(
        column in cfg.sources[s].unit_columns
        for s in config().sources_of([metric_id])
        if s in cfg.sources
    )


# --------------------------------------------------------------------------- cards


def _rows_by_metric(values: pl.DataFrame) -> dict[str, list[dict[str, object]]]:
    rows: dict[str, list[dict[str, object]]] = {}
    for row in values.sort("period_start").iter_rows(named=True):
        rows.setdefault(str(row["metric"]), []).append(row)
    return rows


def cards(
    res: Results,
    as_of: dt.date,
    *,
    by_source: dict[str, SourceHealth] | None = None,
) -> list[Card]:
    """One card per metric, in catalogue order; a metric that failed gets a card with its error.

    ``res`` holds several periods without a breakdown: the last is the card's figure, all of them
    its sparkline. A metric whose data comes at a coarser grain than the page's (the yearly
    budget) has its rows at that grain: its history, change and label are its own, and the card
    names its period ("Số liệu: Năm 2025"). Metrics the request skipped get no card.
    """
    rows = _rows_by_metric(res.values)
    errors = {e.metric: e for e in res.errors}
    out: list[Card] = []
    grain = res.request.grain
    for entry in catalogue():
        mid = entry.id
        if mid in errors:
            out.append(error_card(mid, entry, errors[mid].problem))
            continue
        spec = config().metrics.get(mid)
        series = rows.get(mid)
        if spec is None or not series:
            continue
        last = series[-1]
        own = str(last["grain"])
        # the history starts at its first value (six years of a budget that began in 2021)
        series = series[next((i for i, r in enumerate(series) if r["value"] is not None), 0) :]
        out.append(
            Card(
                metric=mid,
                title=text_of(spec.title),
                format=spec.format,
                direction=spec.direction,
                period_start=last["period_start"],
                period_end=last["period_end"],
                value=last["value"],
                target=last["target"],
                expected=last["expected"],
                delta=last["delta"],
                status="not_reported" if last["reason"] == "not_reported" else str(last["status"]),
                delta_vs_year=own == "year" and grain != "year",
                reason=last["reason"],
                grain=own,
                own_period=own != grain,
                theme=spec.theme,
                history=tuple((r["period_start"], r["value"]) for r in series),
                freshness=freshness(mid, as_of, by_source) if by_source else None,
            )
        )
    return out


def error_card(metric_id: str, entry: MetricEntry | None, problem: Problem) -> Card:
    """The card of a metric that could not be computed: its name, why, and where to fix it."""
    title = entry.text if entry else {"vi": metric_id, "en": metric_id}
    error = {"vi": problem.text("vi"), "en": problem.text("en")}
    return Card(
        metric_id, title, "number", None, None, None, None, None, None, None, "no_data", error,
        theme=entry.theme if entry else None, location=problem.location,
    )  # fmt: skip


def headline(theme_cards: Sequence[Card], n: int = 3) -> list[Card]:
    """A theme's headline figures: its lead figure (the first metric with a target, in the order
    staff wrote them), then what cannot be computed, then what is off track, up to ``n``: a
    broken metric is never hidden behind the figures."""
    rated = [
        c for c in theme_cards if not c.failed and c.status in ("on_track", "at_risk", "off_track")
    ]
    failed = [c for c in theme_cards if c.failed]
    off_track = [c for c in theme_cards if not c.failed and c.status == "off_track"]
    chosen: list[Card] = rated[:1]
    for card in [*failed, *off_track]:
        if len(chosen) >= n:
            break
        if card not in chosen:
            chosen.append(card)
    return chosen


@dataclass(frozen=True)
class ThemeState:
    """A theme's rolled-up status and how many of its metrics are in each status."""

    status: str = "no_data"
    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0  # of which ``not_reported`` did not report (counted against the unit)
    not_reported: int = 0
    failed: int = 0  # could not be computed (a broken definition or source)


def theme_status(res: Results) -> dict[str, ThemeState]:
    """Each theme's state in the request's last period, with its metrics that could not be
    computed (themes with neither figures nor errors are absent)."""
    themes = {e.id: e.theme for e in catalogue()}
    failed = Counter(themes.get(e.metric) for e in res.errors)
    states = {theme: ThemeState(failed=n) for theme, n in failed.items() if theme}
    if res.themes.is_empty():
        return states
    last = res.themes["period_start"].max()
    for row in res.themes.filter(pl.col("period_start") == last).iter_rows(named=True):
        theme = str(row["theme"])
        states[theme] = ThemeState(
            str(row["status"]),
            int(row["on_track"] or 0),
            int(row["at_risk"] or 0),
            int(row["off_track"] or 0) - int(row["not_reported"] or 0),
            int(row["not_reported"] or 0),
            failed.get(theme, 0),
        )
    return states


# --------------------------------------------------------------------------- views of the results


def overdue_directives(as_of: dt.date) -> int:
    """How many of the board's directives are overdue on ``as_of`` (0 when the store cannot be
    read: the Directives page says why)."""
    try:
        return len(directives().find(status="overdue", as_of=as_of))
    except StoreError:
        return 0


def top_units(metric_id: str, as_of: dt.date, grain: str, n: int) -> list[tuple[str, float]]:
    """The ``n`` units with the highest value of a metric in the current period (e.g. the most
    overdue tasks), from the engine's breakdown by unit; none when it has no breakdown by unit.

    Raises ``ProjectError`` when the metric cannot be computed: "no unit" would be a lie."""
    broken = config().broken_metrics.get(metric_id)
    if broken:
        raise ProjectError(broken[:1])
    if UNIT_DIMENSION not in getattr(metric(metric_id), "dimensions", {}):
        return []
    res = results(as_of, grain, by=(UNIT_DIMENSION,), metrics=(metric_id,))
    if res.errors:
        raise ProjectError([e.problem for e in res.errors])
    if res.values.is_empty():
        return []
    current = res.values.filter(pl.col("period_start") == pl.col("period_start").max())
    ranked = current.filter(pl.col("value") > 0).sort(
        ["value", UNIT_DIMENSION], descending=[True, False]
    )
    return [
        (str(u), float(v)) for u, v in ranked.select(UNIT_DIMENSION, "value").head(n).iter_rows()
    ]


def source_issues(as_of: dt.date, lang: str) -> list[tuple[SourceHealth, str, str, str]]:
    """Sources that are not on time as of the date, worst first: ``(health, title, owner's name,
    reason)``. A refusal carries the owner's stated reason; a failure its first problem."""
    cfg = config()
    issues = []
    for h in health(as_of).values():
        if h.status == "ok":
            continue
        spec = cfg.sources[h.id]
        reason = ""
        if h.status == "refused" and spec.sharing.reason is not None:
            reason = spec.sharing.reason.get(lang)
        elif h.status == "failed" and h.error is not None:
            reason = h.error.text(lang)  # type: ignore[arg-type]
        issues.append((h, spec.title.get(lang), unit_name(spec.owner, lang), reason))
    return sorted(issues, key=lambda i: (-HEALTH_STATUSES.index(i[0].status), -(i[0].late_by or 0)))


def config_problems() -> list[Problem]:
    """Problems in the configuration other than broken metrics (those get error cards)."""
    cfg = config()
    return [p for p in cfg.problems if p.subject_kind != "metric"]


def missing_problem(metric_id: str) -> Problem:
    """The problem to show for a metric that produced neither a value nor an error."""
    return Problem(
        "engine.unknown_metric", {"metric": metric_id}, None, "error", "metric", metric_id
    )


def breakdown(
    metric_id: str, dimension: str, as_of: dt.date, grain: str, lang: str
) -> pl.DataFrame:
    """The metric in the current period broken down by ``dimension``: ``key`` (the dimension's
    value), ``label`` (its name), then the engine's value columns. Empty when it failed."""
    res = results(as_of, grain, by=(dimension,), metrics=(metric_id,))
    if res.errors or res.values.is_empty():
        return pl.DataFrame(schema={"key": pl.String, "label": pl.String, "value": pl.Float64})
    current = res.values.filter(pl.col("period_start") == pl.col("period_start").max())
    labels = dimension_labels(metric_id, dimension, current[dimension].to_list(), lang)
    return current.select(
        pl.col(dimension).alias("key"),
        pl.col(dimension)
        .replace_strict(labels, default=pl.col(dimension), return_dtype=pl.String)
        .alias("label"),
        "value",
        "target",
        "expected",
        "status",
        "delta",
        "numerator",
        "denominator",
        "period_start",
        "period_end",
    )


def shown_status() -> pl.Expr:
    """The status a unit's cell shows: "did not report" is a status of its own there, counted
    against the unit like an off-track figure (the engine says ``no_data``, reason
    ``not_reported``)."""
    return (
        pl.when(pl.col("reason") == "not_reported")
        .then(pl.lit("not_reported"))
        .otherwise(pl.col("status"))
        .alias("status")
    )


def scorecard(
    as_of: dt.date, grain: str, theme: str, kinds: Sequence[str], lang: str
) -> pl.DataFrame:
    """Units of the given kinds × the theme's metrics that break down by unit, in the current
    period: ``unit``, ``unit_label``, ``metric``, ``metric_label``, ``format``, ``value``,
    ``status``, ``direction``; metrics in catalogue order."""
    cfg = config()
    ids = [
        e.id
        for e in catalogue()
        if e.theme == theme
        and e.id in cfg.metrics
        and UNIT_DIMENSION in cfg.metrics[e.id].dimensions
    ]
    empty = pl.DataFrame(schema={"unit": pl.String, "metric": pl.String, "status": pl.String})
    if not ids:
        return empty
    res = results(as_of, grain, by=(UNIT_DIMENSION,), metrics=ids)
    if res.values.is_empty():
        return empty
    units = units_of_kind(kinds)
    order = {mid: i for i, mid in enumerate(ids)}
    specs = {mid: cfg.metrics[mid] for mid in ids}
    names = unit_names(lang)
    return (
        res.values.filter(pl.col("period_start") == pl.col("period_start").max())
        .filter(pl.col(UNIT_DIMENSION).is_in(units))
        .select(
            pl.col(UNIT_DIMENSION).alias("unit"),
            pl.col(UNIT_DIMENSION)
            .replace_strict(names, default=pl.col(UNIT_DIMENSION))
            .alias("unit_label"),
            "metric",
            pl.col("metric")
            .replace_strict({m: s.title.get(lang) for m, s in specs.items()})
            .alias("metric_label"),
            pl.col("metric")
            .replace_strict({m: s.format for m, s in specs.items()})
            .alias("format"),
            pl.col("metric")
            .replace_strict({m: s.direction or "up" for m, s in specs.items()})
            .alias("direction"),
            "value",
            shown_status(),
            pl.col("metric").replace_strict(order, return_dtype=pl.Int64).alias("_order"),
        )
        .sort("_order")
        .drop("_order")
    )


def sort_scorecard(board: pl.DataFrame, sort: str) -> pl.DataFrame:
    """Rows (units) in the asked order: most off-track first, by name, or worst first on one
    metric (by status, then by value in the bad direction). Cells keep the metrics' order."""
    per_unit = board.group_by("unit", "unit_label").agg(
        pl.col("status").is_in(["off_track", "not_reported"]).sum().alias("off"),
        (pl.col("status") == "at_risk").sum().alias("risk"),
    )
    if sort == "name":
        ranked = per_unit.sort("unit_label")
    elif sort in set(board["metric"].to_list()):
        one = board.filter(pl.col("metric") == sort).select(
            "unit",
            pl.col("status").replace_strict(_SEVERITY, default=len(_SEVERITY)).alias("sev"),
            pl.when(pl.col("direction") == "down")
            .then(-pl.col("value"))
            .otherwise(pl.col("value"))
            .alias("v"),
        )
        ranked = per_unit.join(one, on="unit", how="left").sort(
            ["sev", "v", "unit_label"], nulls_last=True
        )
    else:
        ranked = per_unit.sort(["off", "risk", "unit_label"], descending=[True, True, False])
    rank = {u: i for i, u in enumerate(ranked["unit"].to_list())}
    return (
        board.with_row_index("_cell")
        .with_columns(pl.col("unit").replace_strict(rank, return_dtype=pl.Int64).alias("_rank"))
        .sort(["_rank", "_cell"])
        .drop("_rank", "_cell")
    )


def freshness_frame(by_source: dict[str, SourceHealth], lang: str) -> pl.DataFrame:
    """The sources' lateness for ``charts.freshness_bars``: name, id, days late, status."""
    cfg = config()
    return pl.DataFrame(
        {
            "name": [cfg.sources[s].title.get(lang) for s in by_source],
            "source": list(by_source),
            "lateness_days": [
                float(h.late_by) if h.late_by is not None else None for h in by_source.values()
            ],
            "status": [h.status for h in by_source.values()],
        },
        schema={
            "name": pl.String,
            "source": pl.String,
            "lateness_days": pl.Float64,
            "status": pl.String,
        },
    )


LATE_STATUSES = ("late", "stale", "failed")


def any_late(freshness: pl.DataFrame) -> bool:
    """Whether any source in ``freshness_frame`` is behind its schedule (days late, or judged
    late, stale or failed), so there is a lateness chart worth drawing."""
    if freshness.is_empty():
        return False
    late = freshness.filter(
        (pl.col("lateness_days").fill_null(0.0) > 0) | pl.col("status").is_in(LATE_STATUSES)
    )
    return not late.is_empty()
