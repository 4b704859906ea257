"""What every kind made of files shares: a path or glob under the data root, read file by file.

Readers read every column as text where the format has no types (CSV, Excel), so the contract
parses each value strictly instead of the reader guessing and nulling what it cannot guess.
Structural problems found before reading the rows (missing file, column or sheet, empty or
truncated file) are errors naming the file; problems of every file are reported together.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import polars as pl

from sources import contract, paths
from sources.contract import FILE, SHEET
from sources.errors import SourceError
from sources.kinds.base import Kind, ReadContext, first_line
from sources.paths import DataFile
from sources.problems import register_messages
from sources.spec import SourceSpec

register_messages(
    {
        "file.empty": {
            "vi": "tệp rỗng",
            "en": "the file is empty",
        },
        "file.encoding": {
            "vi": "tệp không phải văn bản {encoding} hợp lệ (dòng {line}, byte {byte}); "
            "hãy đặt options.encoding (ví dụ windows-1258)",
            "en": "the file is not valid {encoding} text (line {line}, byte {byte}); "
            "set options.encoding (e.g. windows-1258)",
        },
    }
)

# Encodings Polars cannot read: the file is decoded here instead.
TEXT_CODECS = {"windows-1258": "cp1258", "latin1": "latin-1"}


class FileSource(SourceSpec):
    """A source made of files: ``path`` is a file or a glob under the data root."""

    path: str


def _invalid_text(path: Path, encoding: str) -> tuple[int, str] | None:
    """The line and byte of the first character that is not valid ``encoding`` text, if any."""
    raw = path.read_bytes()
    try:
        raw.decode(TEXT_CODECS.get(encoding, "utf-8"))
    except UnicodeDecodeError as exc:
        return raw.count(b"\n", 0, exc.start) + 1, f"0x{raw[exc.start]:02x}"
    return None


class FileKind(Kind):
    """A source made of files under the data root: a path or a glob over many."""

    spec: ClassVar[type[SourceSpec]] = FileSource
    first_row: ClassVar[int] = 1  # how the format numbers its first data row
    cell_format: ClassVar[str | None] = None  # how the reader renders typed date cells as text

    def files(self, spec: SourceSpec, root: Path) -> list[DataFile]:
        return paths.resolve(
            root,
            spec.path,  # type: ignore[attr-defined]
            source_id=spec.id,
            where=spec.field_loc("path"),
        )

    def extra_columns(self, spec: SourceSpec) -> tuple[str, ...]:
        return (FILE,)

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        """Each piece of one file, as ``(sheet or None, raw frame with _row)``."""
        raise NotImplementedError

    def scan(self, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        frames: list[pl.LazyFrame] = []
        problems = []
        for file in ctx.files:
            try:
                if file.path.stat().st_size == 0:
                    raise SourceError.one(spec.id, "file.empty", ctx.locate(file.rel))
                for sheet, raw in self.read(spec, file, ctx):
                    labelled = raw.with_columns(pl.lit(file.rel).alias(FILE))
                    if SHEET in self.extra_columns(spec):
                        labelled = labelled.with_columns(pl.lit(sheet).alias(SHEET))
                    frames.append(
                        contract.conform(
                            labelled,
                            spec,
                            ctx.locate(file.rel, sheet),
                            timezone=ctx.timezone,
                            cell_format=self.cell_format,
                        )
                    )
            except SourceError as exc:
                problems.extend(exc.problems)
            except Exception as exc:  # noqa: BLE001 - readers raise many types; each is reported
                problems.extend(self.explain_file(spec, ctx, file, exc).problems)
        if problems:
            raise SourceError(problems)
        return pl.concat(frames, how="vertical")

    def explain(self, spec: SourceSpec, ctx: ReadContext, exc: Exception) -> SourceError:
        """Find which file made the read fail by reading each alone."""
        for file in ctx.files:
            try:
                for _, raw in self.read(spec, file, ctx):
                    raw.collect()
            except SourceError as file_exc:
                return file_exc
            except Exception as file_exc:  # noqa: BLE001 - see scan
                return self.explain_file(spec, ctx, file, file_exc)
        return super().explain(spec, ctx, exc)

    def explain_file(
        self, spec: SourceSpec, ctx: ReadContext, file: DataFile, exc: Exception
    ) -> SourceError:
        """A reader's failure on one file as a problem located in that file."""
        where = ctx.locate(file.rel)
        if isinstance(exc, pl.exceptions.NoDataError):
            return SourceError.one(spec.id, "file.empty", where)
        encoding = getattr(spec.options, "encoding", None) or "utf8"
        if isinstance(exc, UnicodeDecodeError) or "utf-8" in str(exc).lower():
            invalid = _invalid_text(file.path, encoding)
            if invalid:
                line, byte = invalid
                return SourceError.one(
                    spec.id,
                    "file.encoding",
                    where,
                    encoding=encoding,
                    line=line,
                    byte=byte,
                )
        return SourceError.one(spec.id, "file.unreadable", where, detail=first_line(exc))
