"""Metric lineage on the configuration: a derived metric's inputs, the closure a request needs
and the sources behind a figure, asked of ``Config`` by the engine, the deck and the pages."""

from __future__ import annotations

import pytest

from metrics.config import Config
from metrics.loader import load_config
from tests.conftest import REPO


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(REPO / "config")


def _derived(config: Config) -> str:
    return next(mid for mid, m in config.metrics.items() if m.source is None)


def test_a_derived_metric_names_its_inputs_and_reaches_their_sources(config: Config) -> None:
    derived = _derived(config)
    inputs = config.inputs(derived)
    assert inputs and all(config.metrics[i].source or config.inputs(i) for i in inputs)
    closure = config.closure([derived])
    assert closure[-1] == derived and set(inputs) <= set(closure)
    assert all(closure.index(i) < closure.index(derived) for i in inputs)  # inputs first
    sources = config.sources_of([derived])
    expected = {config.metrics[m].source for m in closure if config.metrics[m].source}
    assert set(sources) == expected and sources == [s for s in config.sources if s in expected]


def test_a_metric_read_from_a_source_has_no_inputs(config: Config) -> None:
    mid, metric = next((mid, m) for mid, m in config.metrics.items() if m.source)
    assert config.inputs(mid) == [] and config.closure([mid]) == [mid]
    assert config.sources_of([mid]) == [metric.source]
    assert config.sources_of(["no_such_metric"]) == []
