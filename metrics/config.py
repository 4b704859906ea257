"""A loaded configuration: the valid objects, the compiled metrics, and every problem found.

This module only holds the result; ``metrics.loader`` builds it (loading, then validating with
``metrics.rules``, then compiling with ``metrics.compile``), so that each of those steps can read
a ``Config`` without importing the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from metrics.compile import CompiledMetric
from metrics.spec import GRAINS, Board, Grain, Metric, Settings, Theme, Unit
from sources.problems import Problem
from sources.spec import SourceSpec
from sources.specbase import LocalText

# A source's update cadence -> the grain its metrics are read at (finer cadences: any grain).
_CADENCE_GRAIN: dict[str, Grain] = {"quarterly": "quarter", "yearly": "year"}


@dataclass(frozen=True)
class MetricOutline:
    """A metric as written, even when its definition is broken: enough to hold its place.

    The dashboard puts an error card where a broken metric's card would have been, under its
    theme and title, so those are read from the YAML whether or not the rest is valid.
    """

    id: str
    theme: str | None
    title: LocalText | None
    guessed: bool = False  # read line by line from a file that cannot be parsed


@dataclass(frozen=True)
class BrokenFile:
    """A definition file with errors: the first is what the overview names; ``kept_since`` is
    when the version serving in its place was last seen valid (None: nothing serves for it)."""

    file: str  # as messages name it: config/metrics/service.yaml
    errors: tuple[Problem, ...]
    kept_since: dt.datetime | None = None


@dataclass
class Config:
    """A loaded configuration: the valid objects, and every problem found on the way.

    Broken objects are left out of the dictionaries but their problems stay in ``problems`` (and,
    for metrics, in ``broken_metrics``), so the rest can still be computed and shown.
    """

    folder: Path
    settings: Settings
    units: dict[str, Unit]
    sources: dict[str, SourceSpec]
    metrics: dict[str, Metric]
    boards: dict[str, Board]
    problems: list[Problem] = field(default_factory=list)
    broken_metrics: dict[str, list[Problem]] = field(default_factory=dict)
    broken_sources: set[str] = field(default_factory=set)  # written, but with errors
    content_hash: str = ""
    compiled: dict[str, CompiledMetric] = field(default_factory=dict)  # inputs first
    unreadable: list[str] = field(default_factory=list)  # metric files that could not be read
    outline: list[MetricOutline] = field(default_factory=list)  # every metric written, in order
    broken_files: list[BrokenFile] = field(default_factory=list)  # by file name

    @property
    def themes(self) -> dict[str, Theme]:
        return {theme.id: theme for theme in self.settings.themes}

    @property
    def data_root(self) -> Path:
        return (self.folder / self.settings.data_root).resolve()

    @property
    def state_dir(self) -> Path:
        return (self.folder / self.settings.state_dir).resolve()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    # -- lineage: a metric's inputs and sources, asked here by every caller -------------------

    def inputs(self, metric_id: str) -> list[str]:
        """The metrics a derived metric is built from, by id (empty for one read from a source)."""
        compiled = self.compiled.get(metric_id)
        return sorted(compiled.value.metrics - {metric_id}) if compiled else []

    def closure(self, metric_ids: Iterable[str]) -> list[str]:
        """``metric_ids`` and every metric they are built from, each after its inputs."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(mid: str) -> None:
            if mid in seen:
                return
            seen.add(mid)
            for ref in self.inputs(mid):
                visit(ref)
            order.append(mid)

        for mid in metric_ids:
            visit(mid)
        return order

    def sources_of(self, metric_ids: Iterable[str]) -> list[str]:
        """The sources the metrics read, through the metrics they are built from, in the
        configuration's order."""
        read = {
            metric.source
            for mid in self.closure(metric_ids)
            if (metric := self.metrics.get(mid)) is not None and metric.source
        }
        return [sid for sid in self.sources if sid in read]

    def grain_of(self, metric_id: str) -> Grain | None:
        """The grain a metric's data comes at, when it is coarser than any page's: its
        ``grain``, else its source's cadence (quarterly, yearly), else, for a derived metric,
        the coarsest of its inputs'. None: the metric is read at whatever grain is asked."""
        metric = self.metrics.get(metric_id)
        if metric is None:
            return None
        if metric.grain is not None:
            return metric.grain
        if metric.source is not None:
            source = self.sources.get(metric.source)
            return _CADENCE_GRAIN.get(source.freshness.cadence) if source else None
        grains = [self.grain_of(ref) for ref in self.inputs(metric_id)]
        known = [g for g in grains if g is not None]
        return max(known, key=GRAINS.index) if known else None

    def unit_kinds(self, metric_id: str, dimension: str) -> tuple[str, ...] | None:
        """The kinds of unit a breakdown of the metric by ``dimension`` lists; None when the
        dimension's values are not unit ids.

        A dimension names units when its column is one of the source's ``unit_columns`` (for a
        derived metric, when it does so in a metric it is built from). The kinds are the
        metric's ``unit_kinds``, else the source's ``unit_kinds`` for that column; ``()`` when
        neither says, and the engine takes the kinds of the units found in the data.
        """
        metric = self.metrics.get(metric_id)
        if metric is None:
            return None
        if metric.source is not None:
            source = self.sources.get(metric.source)
            column = metric.dimensions.get(dimension)
            if source is None or column is None or column not in source.unit_columns:
                return None
            return metric.unit_kinds or source.unit_kinds.get(column, ())
        for ref in self.inputs(metric_id):
            kinds = self.unit_kinds(ref, dimension)
            if kinds is not None:
                return metric.unit_kinds or kinds
        return None
