"""Helpers for tests: a configuration folder written from text, and a catalogue of literal frames."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import polars as pl

from metrics.config import Config
from metrics.loader import load_config

SETTINGS = """\
title: Thử nghiệm
as_of: 2025-11-14
themes:
  - id: t
    title: T
    rollup: worst
"""

UNITS = """\
units:
  - id: hanoi
    name: Hà Nội
    kind: city
  - id: u1
    name: Đơn vị 1
    kind: ward
    parent: hanoi
"""


def write_config(
    root: Path,
    *,
    sources: str,
    metrics: str,
    settings: str = SETTINGS,
    units: str = UNITS,
    boards: dict[str, str] | None = None,
) -> Path:
    """A configuration folder from YAML texts (dedented); returns its path."""
    folder = root / "config"
    (folder / "metrics").mkdir(parents=True, exist_ok=True)
    (folder / "boards").mkdir(exist_ok=True)
    (folder / "settings.yaml").write_text(textwrap.dedent(settings), encoding="utf-8")
    (folder / "units.yaml").write_text(textwrap.dedent(units), encoding="utf-8")
    (folder / "sources.yaml").write_text(textwrap.dedent(sources), encoding="utf-8")
    (folder / "metrics" / "m.yaml").write_text(textwrap.dedent(metrics), encoding="utf-8")
    for name, text in (boards or {}).items():
        (folder / "boards" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def config_from(root: Path, **texts: str) -> Config:
    return load_config(write_config(root, **texts))


class FrameCatalog:
    """A catalogue of literal frames; a frame that is an exception is raised when asked for."""

    def __init__(
        self,
        frames: dict[str, pl.DataFrame | Exception],
        time_columns: dict[str, str] | None = None,
    ):
        self.frames = frames
        self.time_columns = time_columns or {}  # source -> the column a period is pushed down on
        self.calls: list[tuple[str, dt.date | None, dt.date | None]] = []

    def time_column(self, source_id: str) -> str | None:
        return self.time_columns.get(source_id)

    def frame(self, source_id: str, *, since=None, until=None) -> pl.LazyFrame:
        self.calls.append((source_id, since, until))
        frame = self.frames[source_id]
        if isinstance(frame, Exception):
            raise frame
        return frame.lazy()
