"""Helpers shared by the ``test_sources_*`` files: source definitions and workbooks in one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from sources.catalog import Catalog
from sources.errors import SourceError
from sources.kinds import KINDS, FileSource
from sources.problems import Lang
from sources.spec import SourceSpec

AS_OF = dt.date(2025, 11, 14)


def source(id: str = "s", **fields: Any) -> SourceSpec:
    """A source definition with defaults for what a test does not care about.

    Validated with its kind's model, as the loader does; an unregistered kind is taken as a
    file source, so that tests can reach the catalogue's own refusal of it.
    """
    data: dict[str, Any] = {
        "id": id,
        "title": {"vi": "Nguồn", "en": "Source"},
        "owner": "so_y_te",
    }
    data.update(fields)
    data.setdefault("kind", "csv")
    data.setdefault("columns", {"unit": "str", "score": "int"})
    kind = KINDS.get(data["kind"])
    return (kind.spec if kind else FileSource).model_validate(data)


def catalog(root: Path, *specs: SourceSpec, **options: Any) -> Catalog:
    return Catalog({spec.id: spec for spec in specs}, root, **options)


def lines(error: SourceError, lang: Lang = "en") -> list[str]:
    """Every problem of an error as the one line a person reads."""
    return [problem.render(lang) for problem in error.problems]


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    """An .xlsx workbook: each sheet a header row and data rows; datetimes as real date cells."""
    workbook = xlsxwriter.Workbook(str(path))
    date_cell = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, date_cell)
                elif value is not None:
                    sheet.write(r, c, value)
    workbook.close()
