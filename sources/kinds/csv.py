"""``kind: csv``: delimited text files, one or many by glob."""

from __future__ import annotations

import csv
import os
import unicodedata
from collections.abc import Iterator
from typing import Literal

import polars as pl
from pydantic import Field

from sources.contract import ROW
from sources.errors import SourceError
from sources.kinds.base import ReadContext, register_kind
from sources.kinds.files import TEXT_CODECS, FileKind, FileSource
from sources.paths import DataFile
from sources.problems import register_messages
from sources.spec import ReadOptions, SourceSpec

register_messages(
    {
        "file.truncated_row": {
            "vi": "dòng cuối ({line}) chưa hoàn chỉnh ({found}/{expected} cột, không có ký tự "
            "xuống dòng): tệp có thể đang được ghi dở",
            "en": "the last line ({line}) is incomplete ({found} of {expected} fields, no line "
            "end): the file may still be being written",
        },
        "file.extra_fields": {
            "vi": "dòng {line} có {found} trường, nhiều hơn {expected} cột của dòng tiêu đề "
            "(thừa dấu phân cách, hoặc một giá trị chứa dấu phân cách mà không đặt trong ngoặc "
            "kép)",
            "en": "line {line} has {found} fields, more than the {expected} columns of the header "
            "(an extra separator, or a value holding the separator without quotes)",
        },
    }
)

_TAIL_BYTES = 65536


class CsvOptions(ReadOptions):
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: Literal["utf8", "utf8-lossy", "windows-1258", "latin1"] | None = None


class CsvSource(FileSource):
    options: CsvOptions = CsvOptions()


@register_kind("csv")
class CsvKind(FileKind):
    """Delimited text; every column read as text and parsed by the contract."""

    spec = CsvSource

    first_row = 2  # line 1 is the header

    def read(
        self, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        separator = spec.options.delimiter or ","
        encoding = spec.options.encoding or "utf8"
        self._check_last_line(spec, file, ctx, separator)
        if encoding in ("utf8", "utf8-lossy"):
            frame = pl.scan_csv(
                file.path,
                separator=separator,
                infer_schema=False,
                encoding=encoding,
                glob=False,
            )
        else:
            # Windows-1258 writes Vietnamese tones as combining marks: compose them (NFC) so
            # "Phường" matches the same name written anywhere else.
            text = unicodedata.normalize(
                "NFC", file.path.read_bytes().decode(TEXT_CODECS[encoding])
            )
            frame = pl.read_csv(text.encode(), separator=separator, infer_schema=False).lazy()
        yield None, frame.with_row_index(ROW, offset=self.first_row)

    def explain_file(
        self, spec: SourceSpec, ctx: ReadContext, file: DataFile, exc: Exception
    ) -> SourceError:
        if "more fields" in str(exc):  # Polars names neither the line nor the counts
            found = self._extra_fields(spec, file)
            if found is not None:
                line, fields, expected = found
                return SourceError.one(
                    spec.id,
                    "file.extra_fields",
                    ctx.locate(file.rel),
                    line=line,
                    found=fields,
                    expected=expected,
                )
        return super().explain_file(spec, ctx, file, exc)

    @staticmethod
    def _extra_fields(spec: SourceSpec, file: DataFile) -> tuple[int, int, int] | None:
        """The first record with more fields than the header: (its first line, fields, header's)."""
        encoding = spec.options.encoding or "utf8"
        codec = TEXT_CODECS.get(encoding, "utf-8-sig")
        with open(file.path, encoding=codec, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=spec.options.delimiter or ",")
            header = next(reader, None)
            if header is None:
                return None
            start = reader.line_num + 1
            for record in reader:
                if len(record) > len(header):
                    return start, len(record), len(header)
                start = reader.line_num + 1
        return None

    @staticmethod
    def _check_last_line(
        spec: SourceSpec, file: DataFile, ctx: ReadContext, separator: str
    ) -> None:
        """Refuse a last line cut short: no line end and fewer fields than the header.

        Polars fills such a row with nulls without a word; it is the mark of a file caught
        while it was being written.
        """
        with open(file.path, "rb") as handle:
            header = handle.readline()
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
        if tail.endswith((b"\n", b"\r")) or b"\n" not in tail:
            return  # complete, or a header alone (or one line too long to judge)
        last = tail.rsplit(b"\n", 1)[1]

        def fields(line: bytes) -> int:
            text = line.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
            return len(next(csv.reader([text], delimiter=separator)))

        found, expected = fields(last), fields(header)
        if found < expected:
            with open(file.path, "rb") as handle:
                line = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            raise SourceError.one(
                spec.id,
                "file.truncated_row",
                ctx.locate(file.rel),
                line=line + 1,
                found=found,
                expected=expected,
            )
