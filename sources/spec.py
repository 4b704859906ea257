"""What ``config/sources.yaml`` says about each connected source.

A source is described, not opened, here: the catalogue (``sources.catalog``) opens it lazily.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StrictBool, field_validator, model_validator

from sources.problems import register_messages
from sources.specbase import LocalText, Spec, invalid

register_messages(
    {
        "source.unit_kinds_column": {
            "vi": "'unit_kinds' nói về cột '{column}', nhưng cột này không có trong 'unit_columns' ({columns})",
            "en": "'unit_kinds' names column '{column}', which is not in 'unit_columns' ({columns})",
        },
        "source.column_type": {
            "vi": "'{got}' không phải kiểu cột; dùng một trong {types}, thêm '?' nếu cột có thể trống (ví dụ 'date?')",
            "en": "'{got}' is not a column type; use one of {types}, with '?' for a column that may be empty (e.g. 'date?')",
        },
        "source.column_name": {
            "vi": "tên cột '{name}' chỉ gồm chữ không dấu, chữ số và '_', không bắt đầu bằng '_'",
            "en": "column name '{name}' must be letters, digits and '_', not starting with '_'",
        },
        "source.column_reserved": {
            "vi": "tên cột '{name}' trùng một từ của ngôn ngữ công thức; hãy đổi tên cột",
            "en": "column name '{name}' is a word of the formula language; rename the column",
        },
    }
)

ID = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
COLUMN_TYPES = ("str", "int", "float", "bool", "date", "datetime")
# Names a formula reads as something else, so a column by that name could never be reached.
FORMULA_WORDS = frozenset({"as_of", "period_start", "period_end", "true", "false", "null"})
COLUMN_TYPE_TEXT = r"^(str|int|float|bool|date|datetime)(\?)?$"  # e.g. "date?"
_COLUMN_TYPE = re.compile(COLUMN_TYPE_TEXT)


class ColumnType(Spec):
    """A contract entry written as ``int`` or ``date?`` (``?`` = may be empty)."""

    type: Literal["str", "int", "float", "bool", "date", "datetime"]
    nullable: StrictBool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        if isinstance(data, str):
            match = _COLUMN_TYPE.match(data.strip())
            if not match:
                raise invalid("source.column_type", got=data, types=", ".join(COLUMN_TYPES))
            return {"type": match.group(1), "nullable": bool(match.group(2))}
        return data


class Freshness(Spec):
    """How to tell how recent a source is, and how often it is expected to be updated.

    ``column`` names a date/datetime column whose newest value is the source's freshness; without
    it, the newest modification time of the source's files is used. ``cadence`` is the expected
    update rhythm; ``day`` is the day of the month (or of the quarter's first month) by which a
    monthly or quarterly update is due.
    """

    column: str | None = None
    cadence: Literal["daily", "weekly", "monthly", "quarterly", "yearly"] = "monthly"
    day: int = Field(default=1, ge=1, le=28)


class Sharing(Spec):
    """Whether the owning unit has opened this data: a refusal is a visible fact."""

    status: Literal["connected", "pending", "refused"] = "connected"
    reason: LocalText | None = None


class ReadOptions(Spec):
    """Reading options every kind accepts; a kind's own options model adds to them.

    Dates and datetimes written as text are parsed with these formats whatever the kind.
    """

    date_format: str | None = None  # strptime format for text dates, e.g. "%d/%m/%Y"
    datetime_format: str | None = None


UnitKind = Literal["city", "department", "agency", "ward", "commune", "other"]


class SourceSpec(Spec):
    """One connected source: what columns it promises, who owns it, how fresh it must be.

    Where the source lives and how it is read belong to its kind: each kind in ``sources.kinds``
    extends this model with its own fields and ``options`` (unknown keys rejected), and the
    loader validates a definition with the model of the kind it names.
    """

    id: ID
    title: LocalText
    description: LocalText | None = None
    owner: str
    kind: str
    columns: dict[str, ColumnType] = Field(min_length=1)
    unit_columns: tuple[str, ...] = ()
    # The kinds of unit a unit column can name: a breakdown by it lists every unit of these kinds,
    # those without rows as "did not report" (see ``metrics.config.Config.unit_kinds``).
    unit_kinds: dict[str, tuple[UnitKind, ...]] = Field(default_factory=dict)
    freshness: Freshness = Freshness()
    sharing: Sharing = Sharing()
    options: ReadOptions = ReadOptions()

    @field_validator("columns")
    @classmethod
    def _column_names(cls, columns: dict[str, ColumnType]) -> dict[str, ColumnType]:
        for name in columns:
            if not isinstance(name, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                raise invalid("source.column_name", name=name)
            if name.startswith("_"):
                raise invalid("source.column_name", name=name)
            if name in FORMULA_WORDS:
                raise invalid("source.column_reserved", name=name)
        return columns
