"""The models of what staff write in ``config/``: settings, units, themes, metrics and boards.

Each model is frozen and rejects unknown keys; every object remembers its file and line
(``Spec.loc``). Checks that need the whole configuration (does this source exist? is this column
in its contract?) live in ``metrics.rules``, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sources.loader import DataSettings
from sources.problems import register_messages
from sources.spec import ID, UnitKind
from sources.specbase import LocalText, Spec, invalid

register_messages(
    {
        "spec.path_order": {
            "vi": "ngày bắt đầu 'from.on' phải trước ngày đích 'by'",
            "en": "the start date 'from.on' must be before 'by'",
        },
        "spec.dimension_name": {
            "vi": "tên chiều phân tích '{name}' chỉ gồm chữ thường không dấu, chữ số và '_'",
            "en": "dimension name '{name}' must be lower-case letters, digits and '_'",
        },
        "spec.dimension_reserved": {
            "vi": "'{name}' là tên dành riêng, không dùng làm chiều phân tích",
            "en": "'{name}' is a reserved name and cannot be a dimension",
        },
        "spec.year": {
            "vi": "{got} không phải một năm (mục tiêu theo năm viết dạng 2025: 0.9)",
            "en": "{got} is not a year (a per-year target is written 2025: 0.9)",
        },
        "spec.breakdown_needs_by": {
            "vi": "biểu đồ phân tích (breakdown) cần 'by': chiều cần phân tích",
            "en": "a breakdown chart needs 'by' (the dimension to break down by)",
        },
        "spec.trend_options": {
            "vi": "'by', 'top' và 'bottom' chỉ dùng cho biểu đồ phân tích (kind: breakdown)",
            "en": "'by', 'top' and 'bottom' apply to a breakdown chart only",
        },
        "spec.empty_slide": {
            "vi": "trang cần ít nhất một trong: metrics, theme, chart, bullets",
            "en": "a slide needs metrics, a theme, a chart or bullets",
        },
    }
)

Grain = Literal["day", "week", "month", "quarter", "half", "year"]
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "half", "year")  # finest first
RESERVED_DIMENSIONS = frozenset(
    {
        "theme",
        "weight",
        "failed",
        "direction",
        "tolerance",
        "metric",
        "period_start",
        "period_end",
        "value",
        "numerator",
        "denominator",
        "target",
        "expected",
        "delta",
        "status",
        "previous",
    }
)


class Theme(Spec):
    """A group of metrics shown together; its status rolls up from theirs by ``rollup``."""

    id: ID
    title: LocalText
    description: LocalText | None = None
    rollup: Literal["worst", "majority", "weighted"] = "worst"


class TaskRegister(Spec):
    """The task register the Tasks and unit pages list row by row: its source, and the count
    metrics whose definitions say which tasks were assigned by a date and which are overdue."""

    source: str
    assigned: str
    overdue: str


class DatasetRegister(Spec):
    """The register of departmental databases the Data and unit pages list."""

    source: str


class Registers(Spec):
    tasks: TaskRegister | None = None
    datasets: DatasetRegister | None = None


class UnitPage(Spec):
    """What a unit's page shows in sections of their own (its other metrics follow by theme)."""

    reports: tuple[str, ...] = ()  # the metrics of its report timeliness
    service_theme: str | None = None  # the theme whose metrics are its service quality


class Settings(DataSettings):
    """``config/settings.yaml``: the data settings ``sources`` reads, and the dashboard's own."""

    title: LocalText
    store_url: str | None = None  # overridden by KPI_STORE_URL; default: SQLite under state_dir
    sign_in: Literal["none", "password", "oidc"] = "none"  # overridden by KPI_SIGN_IN
    state_dir: str = "state"  # relative to the config folder
    themes: tuple[Theme, ...] = Field(min_length=1)
    registers: Registers = Field(default_factory=Registers)
    unit_page: UnitPage = Field(default_factory=UnitPage)


class Unit(Spec):
    """An organisational unit: a department, an agency, a ward or commune, the city."""

    id: ID
    name: LocalText
    kind: UnitKind
    parent: str | None = None


class PathStart(Spec):
    value: float
    on: dt.date


class TargetPath(Spec):
    """A target reached by a date, from a starting point: the expected value moves linearly."""

    value: float
    by: dt.date
    start: PathStart = Field(alias="from")

    @model_validator(mode="after")
    def _start_before_end(self) -> TargetPath:
        if self.start.on >= self.by:
            raise invalid("spec.path_order")
        return self


Target = float | dict[int, float] | TargetPath


class Metric(Spec):
    """One key figure: what to count, where from, and what good looks like."""

    id: ID
    title: LocalText
    description: LocalText | None = None
    theme: str
    source: str | None = None  # none for a derived metric built from metric("...")
    time: str | None = None  # a flow metric's date column; none for a stock metric
    where: str | None = None
    value: str = Field(min_length=1)
    format: Literal["percent", "count", "number", "vnd", "days", "score"] = "number"
    direction: Literal["up", "down"] | None = None
    target: Target | None = None
    tolerance: float = Field(default=0.0, ge=0)
    dimensions: dict[str, str] = Field(default_factory=dict)
    owner: str | None = None
    visibility: Literal["public", "internal"] = "public"
    weight: float = Field(default=1.0, gt=0)
    # How often its data comes (once a year: ``year``): computed and shown at that grain, or a
    # coarser one, whatever grain the page is on (see ``Config.grain_of``).
    grain: Grain | None = None
    # The value where the metric has no rows (a period, or a unit that sent nothing): 0 for
    # counts of events, so that "no overdue task" reads 0 rather than "did not report".
    default: float | None = None
    # The kinds of unit a breakdown by unit lists (else the source's ``unit_kinds``).
    unit_kinds: tuple[UnitKind, ...] = ()

    @field_validator("dimensions", mode="before")
    @classmethod
    def _dimension_list(cls, value: object) -> object:
        """``[channel, procedure]`` is short for ``{channel: channel, procedure: procedure}``."""
        if isinstance(value, (list, tuple)):
            return (
                {item: item for item in value} if all(isinstance(i, str) for i in value) else value
            )
        return value

    @field_validator("dimensions")
    @classmethod
    def _dimension_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise invalid("spec.dimension_name", name=name)
            if name in RESERVED_DIMENSIONS:
                raise invalid("spec.dimension_reserved", name=name)
        return value

    @field_validator("target", mode="before")
    @classmethod
    def _target_years(cls, value: object) -> object:
        """A mapping of years to numbers is a per-year target (keys are years like 2025)."""
        if isinstance(value, dict) and value and all(isinstance(k, int) for k in value):
            for year in value:
                if not 1900 <= year <= 2200:
                    raise invalid("spec.year", got=year)
        return value

    def target_on(self, day: dt.date) -> tuple[float | None, float | None]:
        """The final target and the value expected on ``day`` (they differ on a target path)."""
        target = self.target
        if target is None:
            return None, None
        if isinstance(target, (int, float)):
            return float(target), float(target)
        if isinstance(target, dict):
            year_target = target.get(day.year)
            return year_target, year_target
        start, end = target.start, target
        if day <= start.on:
            return end.value, start.value
        if day >= end.by:
            return end.value, end.value
        share = (day - start.on).days / (end.by - start.on).days
        return end.value, start.value + share * (end.value - start.value)


class MetricsFile(Spec):
    metrics: tuple[Metric, ...] = ()


class Chart(Spec):
    """A slide's one chart: a metric's trend with its target, or a breakdown by a dimension."""

    metric: str
    kind: Literal["trend", "breakdown"] = "trend"
    by: str | None = None
    top: int | None = Field(default=None, ge=1, le=50)
    bottom: int | None = Field(default=None, ge=1, le=50)
    periods: int = Field(default=12, ge=2, le=60)
    grain: Grain | None = None  # the board's grain when not given

    @model_validator(mode="after")
    def _breakdown_needs_by(self) -> Chart:
        if self.kind == "breakdown" and not self.by:
            raise invalid("spec.breakdown_needs_by")
        if self.kind == "trend" and (self.by or self.top or self.bottom):
            raise invalid("spec.trend_options")
        return self


class Bullets(Spec):
    vi: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _plain_list(cls, data: object) -> object:
        return {"vi": data} if isinstance(data, list) else data

    def get(self, lang: str) -> tuple[str, ...]:
        return (self.en or self.vi) if lang == "en" else self.vi


class Slide(Spec):
    """One slide: up to six metrics as large cards, at most one chart, bullets and notes.

    ``theme`` shows all of a theme's metrics; ``unit`` filters the slide to one unit.
    """

    title: LocalText
    metrics: tuple[str, ...] = Field(default=(), max_length=6)
    theme: str | None = None
    unit: str | None = None
    chart: Chart | None = None
    bullets: Bullets | None = None
    notes: LocalText | None = None

    @model_validator(mode="after")
    def _has_content(self) -> Slide:
        if not (self.metrics or self.theme or self.chart or self.bullets):
            raise invalid("spec.empty_slide")
        return self


class Board(Spec):
    """A deck presented in a meeting (``config/boards/*.yaml``, one board per file)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
    title: LocalText
    as_of: Literal["latest"] | dt.date = "latest"
    grain: Grain = "month"
    slides: tuple[Slide, ...] = Field(min_length=1)
