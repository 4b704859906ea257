"""A board's figures, computed once for the whole deck (or read back from a published snapshot).

The presenter page, the PowerPoint and PDF briefings and "Chốt số liệu" (publish) all start from
a ``Deck``, so every slide and every export shows the same numbers. Computing it costs one engine
request for the cards of all slides (one more per unit that unit slides filter on) and one per
chart; everything after that is formatting. A metric that comes once a year is read by year
there (``Config.grain_of``), so its change is against the year before, as on the dashboard.

A ``Deck`` carries its texts in both languages, so one deck serves a Vietnamese and an English
briefing, and it can be stored as a snapshot (``layout`` + ``snapshot_values``) and rebuilt from
it (``deck_from_snapshot``) without the configuration: a meeting's deck still opens after its
board, its metrics or its data have changed.

Pure: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import polars as pl

from metrics.config import Config
from metrics.engine import FrameSource, MetricError, Request, Results, compute
from metrics.spec import Board, Chart, Slide
from metrics.store import Published, Snapshot, SnapshotInfo, SnapshotValue, Store
from sources.health import Freshness, SourceHealth
from sources.problems import Location, Problem, register_messages
from sources.specbase import LocalText

register_messages(
    {
        "deck.not_by_unit": {
            "vi": "chỉ số này không tính riêng được cho từng đơn vị",
            "en": "this metric cannot be computed for one unit",
        },
        "deck.definition_broken": {
            "vi": "Định nghĩa của chỉ số có lỗi, cần được sửa",
            "en": "The metric's definition has an error to be corrected",
        },
        "deck.data_unavailable": {
            "vi": "Dữ liệu nguồn chưa đọc được",
            "en": "Its source data could not be read",
        },
        "deck.unknown_title": {
            "vi": "Chỉ số chưa đọc được",
            "en": "A metric that could not be read",
        },
    }
)

Text = dict[str, str]  # {"vi": ..., "en": ...}
TREND_COLUMNS = ("period_start", "period_end", "value", "target", "expected", "status", "delta")
BREAKDOWN_COLUMNS = ("key", *TREND_COLUMNS)
UNIT_DIMENSION = "unit"  # the dimension that names a unit, for every layer


class DeckCatalog(FrameSource, Protocol):
    """What a deck needs from ``sources.catalog.Catalog``: frames, and each source's health."""

    def source_health(self, source_id: str, today: dt.date | None = None) -> SourceHealth: ...


def text_of(local: LocalText | str) -> Text:
    """Both languages of a configured text (English falls back to Vietnamese)."""
    if isinstance(local, str):
        return {"vi": local, "en": local}
    return {"vi": local.get("vi"), "en": local.get("en")}


def pick(text: Mapping[str, str] | None, lang: str) -> str:
    """One language of a ``Text``; an empty string for no text."""
    if not text:
        return ""
    return text.get(lang) or text.get("vi") or ""


def _num(x: object) -> float | None:
    """A float, or None for null, NaN and infinities (stores and JSON reject them)."""
    if x is None:
        return None
    f = float(x)  # type: ignore[arg-type]
    return f if math.isfinite(f) else None


def _problem_text(problem: Problem) -> Text:
    return {"vi": problem.text("vi"), "en": problem.text("en")}


# --------------------------------------------------------------------------- the deck


@dataclass(frozen=True)
class Card:
    """One metric's figure in the current period, against its target: the one card model of the
    dashboard's pages, the presenter's slides and the PPTX and PDF briefings (their words come
    from ``dashboard.texts``).

    A card with ``error`` could not be computed; ``error`` says why and ``location`` where to fix
    it. The fields after ``reason`` are what a page shows beyond a slide and are not stored in a
    snapshot: the figure's history for the sparkline and the freshness of its sources.
    """

    metric: str
    title: Text
    format: str
    direction: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    value: float | None
    target: float | None
    expected: float | None
    delta: float | None
    status: str
    error: Text | None = None  # why there is no value, when the metric failed
    delta_vs_year: bool = False  # the change is against the previous year, not the last period
    reason: str | None = None  # why there is no value (metrics.status.NO_VALUE_REASONS)
    grain: str | None = None  # the grain of the figure: coarser than the page's for a yearly one
    own_period: bool = False  # the figure's period differs from the page's: the card names it
    theme: str | None = None
    location: Location | None = None  # where to fix a metric that failed
    history: tuple[tuple[dt.date, float | None], ...] = ()  # (period start, value), oldest first
    freshness: Freshness | None = None  # the worst of the sources behind the figure

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True, eq=False)
class ChartData:
    """The data of a slide's one chart; ``rows`` has ``TREND_COLUMNS`` (or ``BREAKDOWN_COLUMNS``).

    A breakdown keeps every bar, not only the top or bottom N, so a stored deck can be redrawn
    and checked; ``labels`` names the keys (units by their names) in both languages.
    """

    metric: str
    kind: str  # trend | breakdown
    title: Text
    format: str
    direction: str
    grain: str
    rows: pl.DataFrame
    by: str | None = None
    top: int | None = None
    bottom: int | None = None
    labels: Mapping[str, Text] = field(default_factory=dict)
    error: Text | None = None

    def labelled(self, lang: str) -> pl.DataFrame:
        """``rows`` with a ``label`` column in ``lang`` (the key where there is no name)."""
        names = {key: pick(text, lang) for key, text in self.labels.items()}
        return self.rows.with_columns(
            pl.col("key")
            .replace_strict(names, default=pl.col("key"), return_dtype=pl.String)
            .alias("label")
        )


@dataclass(frozen=True)
class Conclusion:
    """A directive as a conclusions slide lists it, beside its figure when given and now
    (``metrics.conclusions`` builds them; numbers, each language formats them)."""

    id: int
    text: str
    metric: str
    metric_title: Text
    format: str
    responsible: str
    responsible_name: Text
    due: dt.date
    status: str  # on the deck's date, ``overdue`` included
    days_overdue: int
    then: float | None
    then_status: str | None
    now: float | None
    now_status: str | None

    def stored(self) -> dict[str, Any]:
        """JSON-ready, for a snapshot's layout."""
        return {**self.__dict__, "due": self.due.isoformat()}

    @classmethod
    def from_stored(cls, raw: Mapping[str, Any]) -> Conclusion:
        return cls(**{**raw, "due": dt.date.fromisoformat(raw["due"])})


@dataclass(frozen=True, eq=False)
class DeckSlide:
    index: int  # 0-based
    title: Text
    cards: tuple[Card, ...]
    chart: ChartData | None
    bullets: Mapping[str, tuple[str, ...]]  # lang -> lines
    notes: Text | None
    unit: str | None = None
    unit_name: Text | None = None
    # a generated slide of the board's conclusions (``metrics.conclusions``); None otherwise
    conclusions: tuple[Conclusion, ...] | None = None

    def bullet_lines(self, lang: str) -> tuple[str, ...]:
        return tuple(self.bullets.get(lang) or self.bullets.get("vi") or ())


@dataclass(frozen=True)
class SourceFreshness:
    """How fresh one source behind the deck was, judged as of the deck's date."""

    id: str
    title: Text
    status: str  # ok | late | stale | failed | refused
    newest: str | None  # ISO date or date-time of the newest record (or file time)
    late_by: int | None


@dataclass(frozen=True, eq=False)
class Deck:
    board_id: str
    title: Text
    as_of: dt.date
    grain: str
    slides: tuple[DeckSlide, ...]
    sources: tuple[SourceFreshness, ...]
    config_hash: str
    timezone: str = "Asia/Ho_Chi_Minh"  # the city's, for showing times such as a snapshot's
    snapshot: SnapshotInfo | None = None  # set when the deck was read from the store

    def cards(self) -> Iterable[tuple[DeckSlide, Card]]:
        for slide in self.slides:
            for card in slide.cards:
                yield slide, card

    def card(self, metric: str, unit: str | None = None) -> Card | None:
        """The first card of ``metric`` (on a slide for ``unit``, when given)."""
        return next(
            (c for s, c in self.cards() if c.metric == metric and s.unit == unit),
            None,
        )

    # -- the stored form -------------------------------------------------------------------

    def layout(self) -> dict[str, Any]:
        """Everything but the figures, as JSON-ready data: what a snapshot needs to redraw."""
        return {
            "title": self.title,
            "grain": self.grain,
            "timezone": self.timezone,
            "slides": [
                {
                    "title": s.title,
                    "unit": s.unit,
                    "unit_name": s.unit_name,
                    "bullets": {lang: list(lines) for lang, lines in s.bullets.items()},
                    "notes": s.notes,
                    "cards": [
                        {
                            "metric": c.metric,
                            "title": c.title,
                            "format": c.format,
                            "direction": c.direction,
                            "error": c.error,
                            "vs_year": c.delta_vs_year,
                            "reason": c.reason,
                            "grain": c.grain,
                            "own_period": c.own_period,
                            "theme": c.theme,
                        }
                        for c in s.cards
                    ],
                    "chart": None
                    if s.chart is None
                    else {
                        "metric": s.chart.metric,
                        "kind": s.chart.kind,
                        "title": s.chart.title,
                        "format": s.chart.format,
                        "direction": s.chart.direction,
                        "grain": s.chart.grain,
                        "by": s.chart.by,
                        "top": s.chart.top,
                        "bottom": s.chart.bottom,
                        "labels": dict(s.chart.labels),
                        "error": s.chart.error,
                    },
                    # only on a conclusions slide, so other decks keep their digest
                    **(
                        {"conclusions": [c.stored() for c in s.conclusions]}
                        if s.conclusions is not None
                        else {}
                    ),
                }
                for s in self.slides
            ],
            "sources": [
                {
                    "id": f.id,
                    "title": f.title,
                    "status": f.status,
                    "newest": f.newest,
                    "late_by": f.late_by,
                }
                for f in self.sources
            ],
        }

    def snapshot_values(self) -> list[SnapshotValue]:
        """Every figure of the deck: each card, then each point or bar of each chart."""
        values: list[SnapshotValue] = []
        for slide in self.slides:
            scope = {UNIT_DIMENSION: slide.unit} if slide.unit else {}
            values.extend(
                SnapshotValue(
                    slide=slide.index,
                    role="card",
                    metric=c.metric,
                    period_start=c.period_start,
                    period_end=c.period_end,
                    value=c.value,
                    target=c.target,
                    expected=c.expected,
                    status=c.status,
                    delta=c.delta,
                    dimensions=scope,
                )
                for c in slide.cards
            )
            chart = slide.chart
            if chart is None:
                continue
            for row in chart.rows.iter_rows(named=True):
                dims = dict(scope) if chart.by != UNIT_DIMENSION else {}
                if chart.by:
                    dims[chart.by] = row["key"]
                values.append(
                    SnapshotValue(
                        slide=slide.index,
                        role="chart",
                        metric=chart.metric,
                        period_start=row["period_start"],
                        period_end=row["period_end"],
                        value=_num(row["value"]),
                        target=_num(row["target"]),
                        expected=_num(row["expected"]),
                        status=row["status"],
                        delta=_num(row["delta"]),
                        dimensions=dims,
                    )
                )
        return values


# --------------------------------------------------------------------------- computing


def board_as_of(board: Board, as_of_default: dt.date) -> dt.date:
    """The board's own date, or the dashboard's as-of date for a board ``as_of: latest``."""
    return board.as_of if isinstance(board.as_of, dt.date) else as_of_default


def slide_metrics(config: Config, slide: Slide) -> list[str]:
    """The cards of a slide: its metrics, then its theme's other metrics (a broken one too, to
    hold its place), in configuration order."""
    ids = list(slide.metrics)
    if slide.theme:
        ids += [o.id for o in config.outline if o.theme == slide.theme and o.id not in ids]
    return list(dict.fromkeys(ids))


def _metric_text(config: Config, metric_id: str) -> tuple[Text, str, str | None]:
    metric = config.metrics.get(metric_id)
    if metric is None:  # broken: the title as written, if it could be read, never its id
        written = next((o.title for o in config.outline if o.id == metric_id and o.title), None)
        title = text_of(written) if written else _problem_text(Problem("deck.unknown_title"))
        return title, "number", None
    return text_of(metric.title), metric.format, metric.direction


def _audience_error(config: Config, failure: MetricError) -> Text:
    """Why a card or chart has no figure, for the room: in words, without ids or paths (the
    overview and the speaker view say which file and line to fix)."""
    broken = failure.metric not in config.metrics or failure.metric in config.broken_metrics
    return _problem_text(Problem("deck.definition_broken" if broken else "deck.data_unavailable"))


def _card(config: Config, results: Results, metric_id: str) -> Card:
    """The metric's last period: at its own grain when that is coarser than the board's (a
    yearly figure compares with the year before, as on the dashboard and in the CLI)."""
    title, fmt, direction = _metric_text(config, metric_id)
    rows = results.values.filter(pl.col("metric") == metric_id).sort("period_end")
    error: Text | None = None
    failed = results.error_for(metric_id)
    if failed is not None:
        error = _audience_error(config, failed)
    elif metric_id in results.skipped:
        error = _problem_text(Problem("deck.not_by_unit"))
    metric = config.metrics.get(metric_id)
    theme = metric.theme if metric else None
    location = failed.problem.location if failed is not None else None
    if rows.is_empty():
        return Card(
            metric_id, title, fmt, direction, None, None, None, None, None, None, "no_data", error,
            theme=theme, location=location,
        )  # fmt: skip
    row = rows.row(-1, named=True)
    return Card(
        metric=metric_id,
        title=title,
        format=fmt,
        direction=direction,
        period_start=row["period_start"],
        period_end=row["period_end"],
        value=_num(row["value"]),
        target=_num(row["target"]),
        expected=_num(row["expected"]),
        delta=_num(row["delta"]),
        status="not_reported" if row["reason"] == "not_reported" else row["status"],
        error=error,
        delta_vs_year=row["grain"] == "year" and results.request.grain != "year",
        reason=row["reason"],
        grain=row["grain"],
        own_period=row["grain"] != results.request.grain,
        theme=theme,
    )


def _unit_filter(slide: Slide, by: str | None = None) -> tuple[tuple[str, str], ...]:
    """A unit slide filters its figures to the unit, except a chart that compares units."""
    if slide.unit and by != UNIT_DIMENSION:
        return ((UNIT_DIMENSION, slide.unit),)
    return ()


def _chart(
    config: Config, catalog: FrameSource, board: Board, slide: Slide, chart: Chart, day: dt.date
) -> ChartData:
    title, fmt, direction = _metric_text(config, chart.metric)
    grain = chart.grain or board.grain
    request = Request(
        as_of=day,
        grain=grain,  # type: ignore[arg-type]
        periods=chart.periods if chart.kind == "trend" else 1,
        by=(chart.by,) if chart.kind == "breakdown" and chart.by else (),
        filters=_unit_filter(slide, chart.by),
        metrics=(chart.metric,),
    )
    results = compute(config, catalog, request)
    rows = results.values.filter(pl.col("metric") == chart.metric)
    if chart.kind == "breakdown" and chart.by:
        rows = rows.rename({chart.by: "key"}).select(BREAKDOWN_COLUMNS)
    else:
        rows = rows.select(TREND_COLUMNS)
    failed = results.error_for(chart.metric)
    error = _audience_error(config, failed) if failed is not None else None
    if error is None and chart.metric in results.skipped:
        error = _problem_text(Problem("deck.not_by_unit"))
    labels: dict[str, Text] = {}
    if "key" in rows.columns:
        for key in rows["key"].drop_nulls().unique().sort().to_list():
            unit = config.units.get(key)
            if unit is not None:
                labels[key] = text_of(unit.name)
    return ChartData(
        metric=chart.metric,
        kind=chart.kind,
        title=title,
        format=fmt,
        direction=direction or "up",
        grain=grain,
        rows=rows,
        by=chart.by,
        top=chart.top,
        bottom=chart.bottom,
        labels=labels,
        error=error,
    )


def _freshness(
    config: Config, catalog: DeckCatalog, source_ids: Sequence[str], day: dt.date
) -> list[SourceFreshness]:
    result = []
    for sid in source_ids:
        health = catalog.source_health(sid, day)
        newest = health.newest.isoformat() if health.newest is not None else None
        result.append(
            SourceFreshness(
                sid, text_of(config.sources[sid].title), health.status, newest, health.late_by
            )
        )
    return result


def compute_deck(
    config: Config,
    catalog: DeckCatalog,
    board: Board,
    *,
    as_of_default: dt.date,
    as_of: dt.date | None = None,
) -> Deck:
    """Every figure of ``board`` as of its date (``as_of`` overrides it; ``latest`` boards take
    ``as_of_default``, the dashboard's as-of date), with the freshness of the sources behind it.

    """
    day = as_of or board_as_of(board, as_of_default)
    per_slide = [slide_metrics(config, slide) for slide in board.slides]

    by_unit: dict[str | None, list[str]] = {}
    for slide, ids in zip(board.slides, per_slide, strict=True):
        wanted = by_unit.setdefault(slide.unit, [])
        wanted.extend(m for m in ids if m not in wanted)
    results = {
        unit: compute(
            config,
            catalog,
            Request(
                as_of=day,
                grain=board.grain,
                periods=1,
                filters=((UNIT_DIMENSION, unit),) if unit else (),
                metrics=tuple(ids),
            ),
        )
        for unit, ids in by_unit.items()
        if ids
    }

    slides = []
    for index, (slide, ids) in enumerate(zip(board.slides, per_slide, strict=True)):
        cards = tuple(_card(config, results[slide.unit], mid) for mid in ids)
        chart = _chart(config, catalog, board, slide, slide.chart, day) if slide.chart else None
        unit = config.units.get(slide.unit) if slide.unit else None
        bullets = (
            {"vi": slide.bullets.get("vi"), "en": slide.bullets.get("en")} if slide.bullets else {}
        )
        slides.append(
            DeckSlide(
                index=index,
                title=text_of(slide.title),
                cards=cards,
                chart=chart,
                bullets=bullets,
                notes=text_of(slide.notes) if slide.notes else None,
                unit=slide.unit,
                unit_name=text_of(unit.name) if unit else None,
            )
        )

    used = [mid for ids in per_slide for mid in ids]
    used += [slide.chart.metric for slide in board.slides if slide.chart]
    sources = _freshness(config, catalog, config.sources_of(used), day)
    return Deck(
        board_id=board.id,
        title=text_of(board.title),
        as_of=day,
        grain=board.grain,
        slides=tuple(slides),
        sources=tuple(sources),
        config_hash=config.content_hash,
        timezone=config.settings.timezone,
    )


# --------------------------------------------------------------------------- stored decks


def publish_deck(store: Store, deck: Deck, *, label: str, author: str) -> Published:
    """Freeze the deck's figures in ``store`` (the same label and figures twice keep one)."""
    return store.publish(
        label=label,
        board_id=deck.board_id,
        as_of=deck.as_of,
        grain=deck.grain,
        config_hash=deck.config_hash,
        author=author,
        layout=deck.layout(),
        values=deck.snapshot_values(),
    )


def meeting_snapshot(store: Store, deck: Deck, *, label: str, author: str) -> int:
    """The snapshot of the meeting where ``deck`` is shown: the one it was read from, else the
    newest published of its board as of its date (under any label), else the deck published now
    under ``label``; what a directive given at the meeting is attached to."""
    if deck.snapshot is not None:
        return deck.snapshot.id
    found = store.latest(deck.board_id, deck.as_of)
    if found is not None:
        return found.id
    return publish_deck(store, deck, label=label, author=author).snapshot.id


def _rows(values: Sequence[SnapshotValue], by: str | None) -> pl.DataFrame:
    columns: dict[str, list[Any]] = {name: [] for name in BREAKDOWN_COLUMNS if by or name != "key"}
    for v in values:
        if by:
            columns["key"].append(v.dimensions.get(by))
        columns["period_start"].append(v.period_start)
        columns["period_end"].append(v.period_end)
        columns["value"].append(v.value)
        columns["target"].append(v.target)
        columns["expected"].append(v.expected)
        columns["status"].append(v.status)
        columns["delta"].append(v.delta)
    schema = {
        "key": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "value": pl.Float64,
        "target": pl.Float64,
        "expected": pl.Float64,
        "status": pl.String,
        "delta": pl.Float64,
    }
    return pl.DataFrame(columns, schema={k: schema[k] for k in columns})


def deck_from_snapshot(snapshot: Snapshot) -> Deck:
    """The deck exactly as it was published, from the store alone (no configuration needed)."""
    layout = snapshot.layout
    by_slide: dict[tuple[int | None, str], list[SnapshotValue]] = {}
    for value in snapshot.values:
        by_slide.setdefault((value.slide, value.role), []).append(value)
    slides = []
    for index, raw in enumerate(layout["slides"]):
        card_values = by_slide.get((index, "card"), [])
        cards = tuple(
            Card(
                metric=spec["metric"],
                title=spec["title"],
                format=spec["format"],
                direction=spec["direction"],
                period_start=v.period_start,
                period_end=v.period_end,
                value=v.value,
                target=v.target,
                expected=v.expected,
                delta=v.delta,
                status=v.status,
                error=spec["error"],
                delta_vs_year=bool(spec.get("vs_year", False)),
                reason=spec.get("reason"),  # absent from snapshots published before it
                grain=spec.get("grain"),
                own_period=bool(spec.get("own_period", False)),
                theme=spec.get("theme"),
            )
            for spec, v in zip(raw["cards"], card_values, strict=True)
        )
        spec = raw["chart"]
        chart = None
        if spec is not None:
            chart = ChartData(
                metric=spec["metric"],
                kind=spec["kind"],
                title=spec["title"],
                format=spec["format"],
                direction=spec["direction"],
                grain=spec["grain"],
                rows=_rows(by_slide.get((index, "chart"), []), spec["by"]),
                by=spec["by"],
                top=spec["top"],
                bottom=spec["bottom"],
                labels=spec["labels"],
                error=spec["error"],
            )
        slides.append(
            DeckSlide(
                index=index,
                title=raw["title"],
                cards=cards,
                chart=chart,
                bullets={lang: tuple(lines) for lang, lines in raw["bullets"].items()},
                notes=raw["notes"],
                unit=raw["unit"],
                unit_name=raw["unit_name"],
                conclusions=(
                    tuple(Conclusion.from_stored(c) for c in raw["conclusions"])
                    if "conclusions" in raw
                    else None
                ),
            )
        )
    info = snapshot.info
    return Deck(
        board_id=info.board_id,
        title=layout["title"],
        as_of=info.as_of,
        grain=layout["grain"],
        slides=tuple(slides),
        sources=tuple(
            SourceFreshness(s["id"], s["title"], s["status"], s["newest"], s["late_by"])
            for s in layout["sources"]
        ),
        config_hash=info.config_hash,
        timezone=layout["timezone"],
        snapshot=info,
    )


__all__ = [
    "BREAKDOWN_COLUMNS",
    "TREND_COLUMNS",
    "UNIT_DIMENSION",
    "Card",
    "ChartData",
    "Conclusion",
    "Deck",
    "DeckCatalog",
    "DeckSlide",
    "SourceFreshness",
    "Text",
    "board_as_of",
    "compute_deck",
    "deck_from_snapshot",
    "meeting_snapshot",
    "pick",
    "publish_deck",
    "slide_metrics",
    "text_of",
]
