"""``kind: parquet``: columnar files, typed, scanned lazily per query."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from sources import contract
from sources.contract import ROW
from sources.errors import SourceError
from sources.kinds.base import ReadContext, first_line, register_kind
from sources.kinds.files import FileKind, FileSource
from sources.paths import DataFile
from sources.problems import register_messages
from sources.spec import ReadOptions, SourceSpec

register_messages(
    {
        "file.bad_parquet": {
            "vi": "không phải tệp Parquet hoàn chỉnh (bị cắt cụt hoặc hỏng): {detail}",
            "en": "not a complete Parquet file (truncated or damaged): {detail}",
        },
    }
)


class ParquetSource(FileSource):
    options: ReadOptions = ReadOptions()


@register_kind("parquet")
class ParquetKind(FileKind):
    """Columnar files: typed, so the contract checks and casts types rather than parsing text.

    Not kept in memory: Parquet is its own fast cache, and a query reads only the columns it
    needs, where holding millions of dossiers in memory would cost gigabytes.
    """

    spec = ParquetSource
    materialize = False

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        frame = pl.scan_parquet(file.path, glob=False, hive_partitioning=False)
        yield None, frame.with_row_index(ROW, offset=self.first_row)

    def stored_as_declared(self, spec: SourceSpec, ctx: ReadContext) -> frozenset[str]:
        """Read from the files' metadata only: the columns no file needs to convert."""
        exact = set(spec.columns)
        for file in ctx.files:
            schema = pl.read_parquet_schema(file.path)
            exact &= {
                name
                for name, column in spec.columns.items()
                if schema.get(name) == contract.DTYPES[column.type]
            }
        return frozenset(exact)

    def explain_file(
        self, spec: SourceSpec, ctx: ReadContext, file: DataFile, exc: Exception
    ) -> SourceError:
        if isinstance(exc, pl.exceptions.PolarsError):
            return SourceError.one(
                spec.id,
                "file.bad_parquet",
                ctx.locate(file.rel),
                detail=first_line(exc),
            )
        return super().explain_file(spec, ctx, file, exc)
