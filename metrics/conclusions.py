"""The board's conclusions carried into its decks: "Kết luận kỳ trước" (what earlier meetings
asked for and is not done yet) opens the next deck, and "Kết luận" (what this meeting asked for)
closes its briefing.

Each conclusion is a directive beside the figure it is meant to move, when it was given (read
from the meeting's snapshot: the unit's bar when it is about a unit, else the card) and now (the
unit's own figure when the metric breaks down by unit, else the city's; never the city's in
place of a unit's). Numbers, not words: the pages and the briefings format them in each language.

Pure: the directives, snapshots and figures come in as arguments (no store, no Streamlit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

import polars as pl

from metrics.config import Config
from metrics.deck import UNIT_DIMENSION, Conclusion, Deck, DeckSlide, text_of
from metrics.engine import Request, Results
from metrics.store import CLOSED, Directive, Snapshot

PREVIOUS_TITLE = {"vi": "Kết luận kỳ trước", "en": "Previous conclusions"}
GIVEN_TITLE = {"vi": "Kết luận", "en": "Conclusions"}

Figure = tuple[float | None, str | None]  # a value and its status
Figures = dict[tuple[str, str | None], Figure]  # (metric, unit or None for the city) -> figure


def latest_figures(
    run: Callable[[Request], Results],
    config: Config,
    items: Iterable[Directive],
    day: dt.date,
    grain: str,
) -> Figures:
    """The figures the directives are meant to move, in the period of ``day``: the city's for
    each metric, and each unit's where a directive is about a unit and the metric has units.
    ``run`` computes a request (the engine, or the dashboard's cache in front of it)."""
    items = list(items)
    metrics = tuple(sorted({d.metric for d in items if d.metric in config.metrics}))
    found: Figures = {}
    if not metrics:
        return found
    requests = [Request(as_of=day, grain=grain, metrics=metrics)]  # type: ignore[arg-type]
    by_unit = tuple(m for m in metrics if UNIT_DIMENSION in config.metrics[m].dimensions)
    if by_unit and any(d.unit for d in items):
        requests.append(Request(as_of=day, grain=grain, by=(UNIT_DIMENSION,), metrics=by_unit))  # type: ignore[arg-type]
    for request in requests:
        values = run(request).values
        if values.is_empty():
            continue
        last = values.filter(pl.col("period_start") == pl.col("period_start").max())
        for row in last.iter_rows(named=True):
            found[(row["metric"], row.get(UNIT_DIMENSION) if request.by else None)] = (
                row["value"],
                row["status"],
            )
    return found


def figure_now(directive: Directive, figures: Figures, config: Config) -> Figure:
    """The unit's own figure when the metric breaks down by unit (none when the unit has no
    data), else the city's."""
    spec = config.metrics.get(directive.metric)
    unit = directive.unit if spec is not None and UNIT_DIMENSION in spec.dimensions else None
    return figures.get((directive.metric, unit), (None, None))


def figure_then(directive: Directive, snapshot: Snapshot | None) -> Figure | None:
    """The figure as the meeting that gave the directive showed it; None without one."""
    if snapshot is None:
        return None
    for figure in snapshot.values:
        if (
            figure.metric == directive.metric
            and figure.dimensions.get(UNIT_DIMENSION) == directive.unit
        ):
            return figure.value, figure.status
    return None


def carried_over(
    directives: Iterable[Directive], meetings: Mapping[int, Snapshot], day: dt.date
) -> list[Directive]:
    """Directives given at meetings before ``day`` that are neither done nor cancelled: longest
    overdue first, then by due date."""
    found = [
        d
        for d in directives
        if d.snapshot_id in meetings
        and meetings[d.snapshot_id].info.as_of < day
        and d.status not in CLOSED
    ]
    return sorted(found, key=lambda d: (-d.days_overdue(day), d.due, d.id))


def given_at(directives: Iterable[Directive], meeting: int | None) -> list[Directive]:
    """The directives given at the meeting ``meeting`` (a snapshot id), in the order given."""
    found = [d for d in directives if meeting is not None and d.snapshot_id == meeting]
    return sorted(found, key=lambda d: d.id)


def conclusions(
    items: Sequence[Directive],
    day: dt.date,
    *,
    config: Config,
    meetings: Mapping[int, Snapshot],
    figures: Figures,
) -> tuple[Conclusion, ...]:
    """The rows of a conclusions slide, as of ``day``."""
    rows = []
    for d in items:
        spec = config.metrics.get(d.metric)
        unit = config.units.get(d.responsible)
        then = figure_then(d, meetings.get(d.snapshot_id or 0))
        now = figure_now(d, figures, config)
        rows.append(
            Conclusion(
                id=d.id,
                text=d.text,
                metric=d.metric,
                metric_title=text_of(spec.title) if spec else text_of(d.metric),
                format=spec.format if spec else "number",
                responsible=d.responsible,
                responsible_name=text_of(unit.name) if unit else text_of(d.responsible),
                due=d.due,
                status=d.status_on(day),
                days_overdue=d.days_overdue(day),
                then=then[0] if then else None,
                then_status=then[1] if then else None,
                now=now[0],
                now_status=now[1],
            )
        )
    return tuple(rows)


def with_slides(
    deck: Deck, *, first: Sequence[DeckSlide] = (), last: Sequence[DeckSlide] = ()
) -> Deck:
    """The deck with slides put before and after its own, all numbered again from 0."""
    slides = [*first, *deck.slides, *last]
    return replace(deck, slides=tuple(replace(s, index=i) for i, s in enumerate(slides)))


PER_SLIDE = 6  # rows a slide holds readably on a projector and a printed page


def conclusions_slides(title: Mapping[str, str], rows: Sequence[Conclusion]) -> list[DeckSlide]:
    """Slides of conclusions, ``PER_SLIDE`` rows each; "(1/2)" after the title when several."""
    parts = [tuple(rows[i : i + PER_SLIDE]) for i in range(0, len(rows), PER_SLIDE)] or [()]
    return [
        DeckSlide(
            index=0,
            title={
                lang: f"{text} ({n}/{len(parts)})" if len(parts) > 1 else text
                for lang, text in title.items()
            },
            cards=(),
            chart=None,
            bullets={},
            notes=None,
            conclusions=part,
        )
        for n, part in enumerate(parts, start=1)
    ]


Reader = Callable[[int], Snapshot | None]  # a snapshot by id; None when it cannot be read


def _meetings(items: Iterable[Directive], read: Reader) -> dict[int, Snapshot]:
    ids = sorted({d.snapshot_id for d in items if d.snapshot_id is not None})
    found = {i: read(i) for i in ids}
    return {i: s for i, s in found.items() if s is not None}


def opening_deck(
    deck: Deck,
    directives: Sequence[Directive],
    *,
    config: Config,
    read: Reader,
    run: Callable[[Request], Results],
) -> Deck:
    """The deck as the meeting opens it: "Kết luận kỳ trước" first when earlier meetings left
    conclusions open. A deck read from a snapshot stays exactly as it was published."""
    if deck.snapshot is not None:
        return deck
    meetings = _meetings((d for d in directives if d.status not in CLOSED), read)
    items = carried_over(directives, meetings, deck.as_of)
    if not items:
        return deck
    figures = latest_figures(run, config, items, deck.as_of, deck.grain)
    rows = conclusions(items, deck.as_of, config=config, meetings=meetings, figures=figures)
    return with_slides(deck, first=conclusions_slides(PREVIOUS_TITLE, rows))


def closing_deck(
    deck: Deck,
    directives: Sequence[Directive],
    meeting: int | None,
    *,
    config: Config,
    read: Reader,
    run: Callable[[Request], Results],
) -> Deck:
    """The deck as its briefing ends: "Kết luận", the directives given at ``meeting`` (the
    meeting's snapshot), when there are any."""
    items = given_at(directives, meeting)
    if not items:
        return deck
    meetings = _meetings(items, read)
    figures = latest_figures(run, config, items, deck.as_of, deck.grain)
    rows = conclusions(items, deck.as_of, config=config, meetings=meetings, figures=figures)
    return with_slides(deck, last=conclusions_slides(GIVEN_TITLE, rows))
