"""Writing the generated frames in the formats the city's systems deliver, each file atomically."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import polars as pl
import xlsxwriter

from sources.demo.files import atomic_path

_SQL_TYPES = {pl.Int64: "INTEGER", pl.Int32: "INTEGER", pl.Boolean: "INTEGER", pl.Float64: "REAL"}
# A fixed creation time keeps workbooks byte-identical from one run to the next.
_WORKBOOK_CREATED = dt.datetime(2025, 11, 14, 0, 0, 0)


def _sql_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates as 'YYYY-MM-DD', datetimes as 'YYYY-MM-DD HH:MM:SS', booleans as 0/1."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            col = col.dt.strftime("%Y-%m-%d")
        elif isinstance(dtype, pl.Datetime):
            col = col.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif dtype == pl.Boolean:
            col = col.cast(pl.Int64)
        out.append(col)
    return frame.select(out)


def write_sqlite(
    target: Path, tables: dict[str, pl.DataFrame], indexes: dict[str, list[str]]
) -> None:
    """One SQLite database holding ``tables``; the first column of each is its primary key."""
    with atomic_path(target) as tmp:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            for name, frame in tables.items():
                columns = []
                for i, (col, dtype) in enumerate(frame.schema.items()):
                    sql_type = _SQL_TYPES.get(dtype.base_type(), "TEXT")
                    columns.append(f"{col} {sql_type}{' PRIMARY KEY' if i == 0 else ''}")
                con.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
                ready = _sql_ready(frame)
                marks = ", ".join("?" * ready.width)
                # Table and column names are the generator's own constants; values are bound.
                insert = f"INSERT INTO {name} VALUES ({marks})"  # noqa: S608
                for chunk in ready.iter_slices(200_000):
                    con.executemany(insert, chunk.iter_rows())
                for column in indexes.get(name, []):
                    con.execute(f"CREATE INDEX ix_{name}_{column} ON {name} ({column})")
            con.commit()
        finally:
            con.close()


def write_parquet(target: Path, frame: pl.DataFrame) -> None:
    with atomic_path(target) as tmp:
        frame.write_parquet(tmp, compression="zstd", statistics=True)


def write_excel(target: Path, frame: pl.DataFrame, sheet: str) -> None:
    with atomic_path(target) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp))
        workbook.set_properties({"created": _WORKBOOK_CREATED, "author": "Hanoi R57 demo"})
        frame.write_excel(
            workbook, worksheet=sheet, autofit=True, dtype_formats={pl.Date: "yyyy-mm-dd"}
        )
        workbook.close()


def write_csv(target: Path, frame: pl.DataFrame) -> None:
    with atomic_path(target) as tmp:
        frame.write_csv(tmp, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S")
