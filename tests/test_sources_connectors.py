"""Each file connector on small files written here: globs, workbooks with several sheets, JSON."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from sources.errors import SourceError
from sources.kinds import KINDS, FileKind, ReadContext, parse_source, register_kind
from sources.paths import DataFile
from sources.spec import SourceSpec
from tests.sources_support import catalog, lines, source, write_workbook

SURVEY = {
    "unit": "str",
    "score": "int",
    "answered_on": "date",
    "online": "bool",
    "rate": "float?",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "data"
    root.mkdir()
    return root


def test_registry_holds_the_built_in_kinds() -> None:
    assert {"csv", "parquet", "excel", "json", "sql"} <= set(KINDS)


def test_csv_glob_is_one_frame_with_the_file_of_each_row(root: Path) -> None:
    (root / "surveys").mkdir()
    (root / "surveys" / "2025-02.csv").write_text(
        "unit,score,answered_on,online,rate,extra\nso_y_te,5,2025-02-03,yes,0.5,x\n"
    )
    (root / "surveys" / "2025-01.csv").write_text(
        "unit,score,answered_on,online,rate\n"
        "so_tu_phap, 4 ,2025-01-02,true,\n"
        "so_noi_vu,3,2025-01-05,0,1e2\n"
    )
    spec = source(path="surveys/*.csv", columns=SURVEY)
    frame = catalog(root, spec).frame("s")
    assert isinstance(frame, pl.LazyFrame)
    expected = pl.DataFrame(
        {
            "unit": ["so_tu_phap", "so_noi_vu", "so_y_te"],
            "score": [4, 3, 5],
            "answered_on": [
                dt.date(2025, 1, 2),
                dt.date(2025, 1, 5),
                dt.date(2025, 2, 3),
            ],
            "online": [True, False, True],
            "rate": [None, 100.0, 0.5],
            "_file": [
                "surveys/2025-01.csv",
                "surveys/2025-01.csv",
                "surveys/2025-02.csv",
            ],
        }
    )
    assert_frame_equal(frame.collect(), expected)


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with their shape, tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        shape = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
        out += (shape + "".join(m for m in marks if m in tones)).encode("cp1258")
    return out


def test_csv_options_delimiter_encoding_and_date_format(root: Path) -> None:
    (root / "old.csv").write_bytes(
        windows_1258("unit;score;answered_on\nPhường Hoàn Kiếm;4;05/01/2025\n")
    )
    spec = source(
        path="old.csv",
        columns={"unit": "str", "score": "int", "answered_on": "date"},
        options={
            "delimiter": ";",
            "encoding": "windows-1258",
            "date_format": "%d/%m/%Y",
        },
    )
    row = catalog(root, spec).frame("s").collect().row(0)
    assert row == ("Phường Hoàn Kiếm", 4, dt.date(2025, 1, 5), "old.csv")


def test_csv_with_a_byte_order_mark_and_crlf_lines(root: Path) -> None:
    (root / "excel.csv").write_bytes("\ufeffunit,score\r\nso_y_te,4\r\n".encode())
    assert catalog(root, source(path="excel.csv")).frame("s").collect().row(0) == (
        "so_y_te",
        4,
        "excel.csv",
    )


def test_parquet_glob_over_yearly_drops(root: Path) -> None:
    (root / "dossiers").mkdir()
    for year in (2024, 2023):
        pl.DataFrame(
            {
                "id": pl.Series([year * 10, year * 10 + 1], dtype=pl.Int32),
                "received": [dt.datetime(year, 3, 1, 8, 30), dt.datetime(year, 3, 2)],
                "fee": [1000.0, 2000.0],
                "online": [True, False],
            }
        ).write_parquet(root / "dossiers" / f"dossiers_{year}.parquet")
    spec = source(
        kind="parquet",
        path="dossiers/*.parquet",
        columns={"id": "int", "received": "datetime", "fee": "int", "online": "bool"},
    )
    frame = catalog(root, spec).frame("s").collect()
    assert frame.schema == pl.Schema(
        {
            "id": pl.Int64,
            "received": pl.Datetime("us"),
            "fee": pl.Int64,
            "online": pl.Boolean,
            "_file": pl.String,
        }
    )
    assert frame["id"].to_list() == [20230, 20231, 20240, 20241]
    assert (
        frame["_file"].to_list()
        == ["dossiers/dossiers_2023.parquet"] * 2 + ["dossiers/dossiers_2024.parquet"] * 2
    )


def test_excel_every_sheet_of_every_workbook(root: Path) -> None:
    header = ["unit", "allocated", "disbursed", "approved_on"]
    for year in (2023, 2024):
        write_workbook(
            root / f"budget_{year}.xlsx",
            {
                "Q1": [header, ["so_y_te", 1000, 400, dt.datetime(year, 3, 1)]],
                "Q2": [
                    header,
                    ["so_tu_phap", 2000, 900.0, "2024-06-30"],
                    [None] * 4,
                    ["so_noi_vu", 10, 0, dt.datetime(year, 6, 1)],
                ],
                "Notes": [],  # an empty sheet is not data
            },
        )
    spec = source(
        kind="excel",
        path="budget_*.xlsx",
        options={"sheet": "*"},
        columns={
            "unit": "str",
            "allocated": "int",
            "disbursed": "int",
            "approved_on": "date",
        },
    )
    frame = catalog(root, spec).frame("s").collect()
    assert frame.columns == [
        "unit",
        "allocated",
        "disbursed",
        "approved_on",
        "_file",
        "_sheet",
    ]
    assert frame.height == 6
    assert frame["_sheet"].to_list() == ["Q1", "Q2", "Q2"] * 2
    assert frame["_file"].to_list() == ["budget_2023.xlsx"] * 3 + ["budget_2024.xlsx"] * 3
    assert frame.row(1) == (
        "so_tu_phap",
        2000,
        900,
        dt.date(2024, 6, 30),
        "budget_2023.xlsx",
        "Q2",
    )


def test_excel_one_named_sheet_and_the_first_by_default(root: Path) -> None:
    write_workbook(
        root / "units.xlsx",
        {
            "First": [["unit", "score"], ["a", 1]],
            "Second": [["unit", "score"], ["b", 2], ["c", 3]],
        },
    )
    named = source("named", kind="excel", path="units.xlsx", options={"sheet": "Second"})
    first = source("first", kind="excel", path="units.xlsx")
    books = catalog(root, named, first)
    assert books.frame("named").collect()["unit"].to_list() == ["b", "c"]
    assert books.frame("first").collect().columns == ["unit", "score", "_file"]
    assert books.frame("first").collect()["unit"].to_list() == ["a"]


def test_json_records_and_json_lines(root: Path) -> None:
    records = [
        {
            "unit": "so_y_te",
            "score": 4,
            "answered_on": "2025-01-02",
            "online": True,
            "rate": 0.5,
        },
        {
            "unit": "so_noi_vu",
            "score": 3.0,
            "answered_on": "2025-01-03",
            "online": False,
        },
    ]
    (root / "records.json").write_text(json.dumps(records))
    (root / "lines.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (root / "lines.txt").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    specs = [
        source("records", kind="json", path="records.json", columns=SURVEY),
        source("by_extension", kind="json", path="lines.jsonl", columns=SURVEY),
        source(
            "by_option",
            kind="json",
            path="lines.txt",
            columns=SURVEY,
            options={"json_lines": True},
        ),
    ]
    books = catalog(root, *specs)
    for spec in specs:
        frame = books.frame(spec.id).collect().drop("_file")
        assert frame.rows() == [
            ("so_y_te", 4, dt.date(2025, 1, 2), True, 0.5),
            ("so_noi_vu", 3, dt.date(2025, 1, 3), False, None),
        ], spec.id


def test_a_new_kind_registers_like_the_built_ins(root: Path) -> None:
    (root / "a.tsv").write_text("unit\tscore\nx\t7\n")

    @register_kind("tsv")
    class TsvKind(FileKind):
        first_row = 2

        def read(
            self, spec: SourceSpec, file: DataFile, ctx: ReadContext
        ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
            frame = pl.scan_csv(file.path, separator="\t", infer_schema=False)
            yield None, frame.with_row_index("_row", offset=self.first_row)

    try:
        assert catalog(root, source(kind="tsv", path="a.tsv")).frame("s").collect().row(0) == (
            "x",
            7,
            "a.tsv",
        )
    finally:
        del KINDS["tsv"]


def test_unknown_kind_suggests_the_close_one(root: Path) -> None:
    with pytest.raises(SourceError) as caught:
        catalog(root, source(kind="exel", path="a.xlsx")).frame("s")
    assert lines(caught.value) == [
        (
            "error: source 's': unknown kind of source 'exel' (known kinds: csv, excel, json, "
            "parquet, sql) (did you mean 'excel'?)"
        )
    ]


def test_file_kind_without_a_path() -> None:
    raw = {"id": "s", "title": "S", "owner": "u", "kind": "csv", "columns": {"a": "str"}}
    spec, problems = parse_source(raw, file="sources.yaml")
    assert spec is None
    assert [p.render("en") for p in problems] == [
        "sources.yaml: error: source 's': missing required field 'path'"
    ]
