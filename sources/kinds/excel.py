"""``kind: excel``: workbooks, one sheet or every sheet."""

from __future__ import annotations

from collections.abc import Iterator

import fastexcel
import polars as pl

from sources.contract import FILE, ROW, SHEET
from sources.errors import SourceError
from sources.kinds.base import ReadContext, register_kind
from sources.kinds.files import FileKind, FileSource
from sources.paths import DataFile
from sources.problems import did_you_mean, register_messages
from sources.spec import ReadOptions, SourceSpec

register_messages(
    {
        "excel.no_sheet": {
            "vi": "không có trang tính '{sheet}' (các trang: {sheets})",
            "en": "no sheet '{sheet}' (sheets: {sheets})",
        },
    }
)


class ExcelOptions(ReadOptions):
    sheet: str | None = None  # a sheet name, or "*" for every sheet


class ExcelSource(FileSource):
    options: ExcelOptions = ExcelOptions()


@register_kind("excel")
class ExcelKind(FileKind):
    """Workbooks (.xlsx): one sheet (``options.sheet``, default the first) or every sheet (``*``).

    Read with every column as text: the calamine reader otherwise types a column from its cells
    and turns a cell it cannot type (``n/a`` among numbers) into an empty one. Date cells come out
    as ``YYYY-MM-DD HH:MM:SS`` text, which the contract accepts beside the source's own format.
    """

    spec = ExcelSource
    first_row = 2  # row 1 holds the headers
    cell_format = "%Y-%m-%d %H:%M:%S"

    def extra_columns(self, spec: SourceSpec) -> tuple[str, ...]:
        return (FILE, SHEET) if spec.options.sheet == "*" else (FILE,)

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        sheet = spec.options.sheet
        options = {
            "engine": "calamine",
            "infer_schema_length": 0,  # every column as text
            "drop_empty_rows": False,  # dropped below, after numbering, so rows keep their number
            "raise_if_empty": False,
        }
        try:
            if sheet == "*":
                sheets = pl.read_excel(file.path, sheet_id=0, **options)
            else:
                key = {"sheet_name": sheet} if sheet else {"sheet_id": 1}
                sheets = {sheet: pl.read_excel(file.path, **key, **options)}
        except ValueError:
            names = fastexcel.read_excel(file.path).sheet_names
            if sheet in names:
                raise
            raise SourceError.one(
                spec.id,
                "excel.no_sheet",
                ctx.locate(file.rel),
                sheet=sheet,
                sheets=", ".join(names),
                suggestion=did_you_mean(str(sheet), names),
            ) from None
        filled = {name: frame for name, frame in sheets.items() if frame.width}
        if not filled:
            raise SourceError.one(spec.id, "file.empty", ctx.locate(file.rel))
        for name, frame in filled.items():
            numbered = frame.with_row_index(ROW, offset=self.first_row)
            not_blank = ~pl.all_horizontal(pl.exclude(ROW).is_null())
            yield name if sheet == "*" else None, numbered.filter(not_blank).lazy()
