"""``kind: json``: an array of records, or newline-delimited records."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
from pydantic import StrictBool

from sources.contract import ROW
from sources.kinds.base import ReadContext, register_kind
from sources.kinds.files import FileKind, FileSource
from sources.paths import DataFile
from sources.spec import ReadOptions, SourceSpec


class JsonOptions(ReadOptions):
    json_lines: StrictBool | None = None  # one record per line


class JsonSource(FileSource):
    options: JsonOptions = JsonOptions()


@register_kind("json")
class JsonKind(FileKind):
    """An array of records, or one record per line (``options.json_lines`` or .jsonl/.ndjson)."""

    spec = JsonSource

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        lines = spec.options.json_lines
        if lines is None:
            lines = file.path.suffix.lower() in (".jsonl", ".ndjson")
        if lines:
            frame = pl.scan_ndjson(file.path, infer_schema_length=None)
        else:
            frame = pl.read_json(file.path, infer_schema_length=None).lazy()
        yield None, frame.with_row_index(ROW, offset=self.first_row)
