"""Như báo cáo / As reported: the overview, metric, unit and tasks pages shown from a published
snapshot (``?reported=ID``, chosen in the sidebar), each card as the meeting saw it with today's
figure and the change since under it.

A snapshot is read-only: its figures and the configuration hash they were computed from come
from the store, never recomputed, so a page shown from it keeps its figures after the data
changes. It holds the figures of its deck only: a metric it did not report is shown as it is
today and says so; charts and tables stay today's (the banner says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from dashboard import components as ui
from dashboard import data, texts
from metrics.deck import UNIT_DIMENSION, Card
from metrics.store import Snapshot, SnapshotValue, StoreError


def shown(c: ui.Ctx) -> Snapshot | None:
    """The snapshot the page is shown from, after a banner saying so; None for live figures
    (and when it cannot be read, after saying why)."""
    if c.reported is None:
        return None
    try:
        snapshot = data.snapshot(c.reported)
    except StoreError as exc:
        ui.problems_box(exc.problems, c.lang)
        return None
    banner = texts.reported_banner(snapshot.info, c.as_of, c.lang)
    st.info(texts.markdown_literal(banner), icon=":material/history:")
    return snapshot


def as_shown(
    c: ui.Ctx, live: Sequence[Card], unit: str | None = None
) -> tuple[list[Card], dict[str, Card] | None]:
    """A page's cards as the sidebar asks: today's (None beside them), or as the chosen
    snapshot reported them, after its banner, with today's card of each beside it."""
    snapshot = shown(c)
    if snapshot is None:
        return list(live), None
    return cards(live, snapshot, unit)


def _figure(snapshot: Snapshot, metric: str, unit: str | None) -> SnapshotValue | None:
    """The figure the snapshot reported for ``metric`` (the city's, or ``unit``'s): a card's,
    else the latest point or bar of a chart."""
    scope = {UNIT_DIMENSION: unit} if unit else {}
    found = [v for v in snapshot.values if v.metric == metric and dict(v.dimensions) == scope]
    cards = [v for v in found if v.role == "card"]
    if cards:
        return cards[0]
    dated = [v for v in found if v.period_end is not None]
    return max(dated, key=lambda v: v.period_end or dt.date.min) if dated else None


def cards(
    live: Sequence[Card], snapshot: Snapshot, unit: str | None = None
) -> tuple[list[Card], dict[str, Card]]:
    """The cards as ``snapshot`` reported them (each metric it did not report stays today's),
    and today's card of each metric it reported, to show beside it."""
    reported: list[Card] = []
    now: dict[str, Card] = {}
    for card in live:
        figure = _figure(snapshot, card.metric, unit)
        if figure is None:
            reported.append(card)
            continue
        now[card.metric] = card
        reported.append(
            replace(
                card,
                value=figure.value,
                target=figure.target,
                expected=figure.expected,
                delta=figure.delta,
                status=figure.status,
                period_start=figure.period_start,
                period_end=figure.period_end,
                error=None,
                reason=None,
                location=None,
                history=(),  # today's history would read as the meeting's
                freshness=None,
            )
        )
    return reported, now
