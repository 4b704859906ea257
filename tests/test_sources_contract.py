"""Contract checks: every bad input is an error naming the source, the file, the column, the value."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import polars as pl
import pytest

from sources import contract
from sources.errors import SourceError
from tests.sources_support import catalog, lines, source, write_workbook


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "data"
    root.mkdir()
    return root


def errors(root: Path, **fields: object) -> list[str]:
    """The problem lines of reading one source defined by ``fields``."""
    with pytest.raises(SourceError) as caught:
        catalog(root, source("budget", **fields)).frame("budget")
    return lines(caught.value)


def test_text_that_is_not_a_number(root: Path) -> None:
    (root / "b.csv").write_text("unit,disbursed\nso_y_te,10\nso_tu_phap,n/a\nso_noi_vu,x\n")
    assert errors(root, path="b.csv", columns={"unit": "str", "disbursed": "int"}) == [
        (
            "data/b.csv: error: source 'budget': column 'disbursed': value 'n/a' (row 3) "
            "is not a number (int)"
        )
    ]


def test_the_message_in_vietnamese(root: Path) -> None:
    (root / "b.csv").write_text("unit,disbursed\nso_y_te,n/a\n")
    with pytest.raises(SourceError) as caught:
        catalog(root, source("budget", path="b.csv", columns={"disbursed": "float"})).frame(
            "budget"
        )
    assert lines(caught.value, "vi") == [
        (
            "data/b.csv: error: nguồn 'budget': cột 'disbursed': giá trị 'n/a' (dòng 2) "
            "không phải là số (float)"
        )
    ]


def test_excel_value_that_is_not_a_number_names_the_workbook_and_row(
    root: Path,
) -> None:
    (root / "budget").mkdir()
    rows = [["unit", "allocated", "disbursed"]]
    rows += [[f"unit_{i}", 1000 * i, "n/a" if i == 16 else 400 * i] for i in range(1, 30)]
    write_workbook(root / "budget" / "budget_2023.xlsx", {"budget": rows})
    columns = {"unit": "str", "allocated": "int", "disbursed": "int"}
    assert errors(root, kind="excel", path="budget/*.xlsx", columns=columns) == [
        (
            "data/budget/budget_2023.xlsx: error: source 'budget': column 'disbursed': "
            "value 'n/a' (row 17) is not a number (int)"
        )
    ]


def test_excel_sheet_is_named_when_every_sheet_is_read(root: Path) -> None:
    header = ["unit", "disbursed"]
    write_workbook(
        root / "b.xlsx",
        {"Q1": [header, ["a", 1]], "Q2": [header, ["b", 2], ["c", 2.5]]},
    )
    assert errors(
        root,
        kind="excel",
        path="b.xlsx",
        options={"sheet": "*"},
        columns={"unit": "str", "disbursed": "int"},
    ) == [
        (
            "data/b.xlsx[Q2]: error: source 'budget': column 'disbursed': value '2.5' (row 3) "
            "is not a number (int)"
        )
    ]


def test_excel_missing_sheet(root: Path) -> None:
    write_workbook(root / "b.xlsx", {"Budget": [["unit"], ["a"]]})
    assert errors(
        root,
        kind="excel",
        path="b.xlsx",
        options={"sheet": "budget"},
        columns={"unit": "str"},
    ) == [
        (
            "data/b.xlsx: error: source 'budget': no sheet 'budget' (sheets: Budget) "
            "(did you mean 'Budget'?)"
        )
    ]


def test_date_in_the_wrong_format(root: Path) -> None:
    (root / "t.csv").write_text("unit,due\na,2025-01-31\nb,31/01/2025\n")
    assert errors(root, path="t.csv", columns={"unit": "str", "due": "date"}) == [
        (
            "data/t.csv: error: source 'budget': column 'due': value '31/01/2025' (row 3) "
            "is not a date in the format %Y-%m-%d (date)"
        )
    ]
    assert errors(
        root, path="t.csv", columns={"due": "date"}, options={"date_format": "%d/%m/%Y"}
    ) == [
        (
            "data/t.csv: error: source 'budget': column 'due': value '2025-01-31' (row 2) "
            "is not a date in the format %d/%m/%Y (date)"
        )
    ]


def test_datetime_bool_and_float_values(root: Path) -> None:
    (root / "t.csv").write_text(
        "at,flag,rate\n2025-01-31 08:00:00,yes,0.5\n31/01/2025 8h,maybe,NaN\n"
    )
    assert errors(
        root, path="t.csv", columns={"at": "datetime", "flag": "bool", "rate": "float"}
    ) == [
        (
            "data/t.csv: error: source 'budget': column 'at': value '31/01/2025 8h' (row 3) "
            "is not a date and time in the format %Y-%m-%d %H:%M:%S (datetime)"
        ),
        (
            "data/t.csv: error: source 'budget': column 'flag': value 'maybe' (row 3) "
            "is not true or false (bool: true/false, yes/no, 1/0)"
        ),
        (
            "data/t.csv: error: source 'budget': column 'rate': value 'NaN' (row 3) "
            "is not a number (float)"
        ),
    ]


def test_empty_value_in_a_column_that_may_not_be_empty(root: Path) -> None:
    (root / "t.csv").write_text("unit,score\na,1\n,2\nc,\n,\n")
    assert errors(root, path="t.csv", columns={"unit": "str", "score": "int?"}) == [
        (
            "data/t.csv: error: source 'budget': column 'unit': empty value (row 3) in a column "
            "that may not be empty (2 empty; declare 'str?' to allow it)"
        )
    ]


def test_missing_column_names_the_file_and_suggests(root: Path) -> None:
    (root / "drops").mkdir()
    (root / "drops" / "01.csv").write_text("unit,disbursed\na,1\n")
    (root / "drops" / "02.csv").write_text("unit,disbursd\nb,2\n")
    assert errors(root, path="drops/*.csv", columns={"unit": "str", "disbursed": "int"}) == [
        (
            "data/drops/02.csv: error: source 'budget': column 'disbursed' is missing "
            "(columns found: unit, disbursd) (did you mean 'disbursd'?)"
        )
    ]


def test_empty_files(root: Path) -> None:
    for name in ("e.csv", "e.parquet", "e.xlsx", "e.json"):
        (root / name).write_bytes(b"")
    for kind, name in (
        ("csv", "e.csv"),
        ("parquet", "e.parquet"),
        ("excel", "e.xlsx"),
        ("json", "e.json"),
    ):
        assert errors(root, kind=kind, path=name) == [
            f"data/{name}: error: source 'budget': the file is empty"
        ], kind
    (root / "blank.csv").write_text("\n\n")
    assert errors(root, path="blank.csv") == [
        "data/blank.csv: error: source 'budget': the file is empty"
    ]


def test_header_alone_is_an_empty_source_not_an_error(root: Path) -> None:
    (root / "h.csv").write_text("unit,score\n")
    assert catalog(root, source(path="h.csv")).frame("s").collect().height == 0


def test_truncated_parquet(root: Path) -> None:
    pl.DataFrame({"unit": ["a", "b"], "score": [1, 2]}).write_parquet(root / "whole.parquet")
    data = (root / "whole.parquet").read_bytes()
    (root / "cut.parquet").write_bytes(data[: len(data) // 2])
    assert errors(root, kind="parquet", path="*.parquet") == [
        (
            "data/cut.parquet: error: source 'budget': not a complete Parquet file (truncated or "
            "damaged): parquet: File out of specification: The file must end with PAR1 or PARE"
        )
    ]


def test_wrong_encoding(root: Path) -> None:
    (root / "w.csv").write_bytes("unit,score\nso_y_te,1\nCà Mau,2\n".encode("latin-1", "replace"))
    assert errors(root, path="w.csv") == [
        (
            "data/w.csv: error: source 'budget': the file is not valid utf8 text (line 3, byte "
            "0xe0); set options.encoding (e.g. windows-1258)"
        )
    ]


def test_a_row_longer_than_the_header_names_its_line(root: Path) -> None:
    # the quoted value on lines 3-4 holds a comma and a line end: it is one field, not two
    (root / "w.csv").write_text('unit,score\na,1\n"b,\nc",2\nd,3,4\ne,5\n')
    with pytest.raises(SourceError) as caught:
        catalog(root, source("budget", path="w.csv")).frame("budget")
    assert lines(caught.value) == [
        "data/w.csv: error: source 'budget': line 5 has 3 fields, more than the 2 columns of "
        "the header (an extra separator, or a value holding the separator without quotes)"
    ]
    assert lines(caught.value, "vi") == [
        "data/w.csv: error: nguồn 'budget': dòng 5 có 3 trường, nhiều hơn 2 cột của dòng "
        "tiêu đề (thừa dấu phân cách, hoặc một giá trị chứa dấu phân cách mà không đặt trong "
        "ngoặc kép)"
    ]


def test_a_row_longer_than_the_header_in_windows_1258(root: Path) -> None:
    text = "unit;score\nSơ\u0309 Y tê\u0301;1\nSơ\u0309 Tư pháp;2;3\n"  # tones as combining marks
    (root / "w.csv").write_bytes(text.encode("cp1258"))
    [line] = errors(root, path="w.csv", options={"delimiter": ";", "encoding": "windows-1258"})
    assert line == (
        "data/w.csv: error: source 'budget': line 3 has 3 fields, more than the 2 columns of "
        "the header (an extra separator, or a value holding the separator without quotes)"
    )


def test_typed_columns_are_checked_not_cast_blindly(root: Path) -> None:
    pl.DataFrame(
        {
            "unit": ["a", "b"],
            "score": [1.0, 12.5],
            "due": [dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 2, 10, 30)],
            "flag": [True, False],
        }
    ).write_parquet(root / "t.parquet")
    assert errors(
        root,
        kind="parquet",
        path="t.parquet",
        columns={"score": "int", "due": "date", "flag": "date"},
    ) == [
        (
            "data/t.parquet: error: source 'budget': column 'flag': holds Boolean values, which "
            "cannot be read as date"
        )
    ]
    assert errors(
        root, kind="parquet", path="t.parquet", columns={"score": "int", "due": "date"}
    ) == [
        (
            "data/t.parquet: error: source 'budget': column 'score': value '12.5' (row 2) is not a "
            "number (int)"
        ),
        (
            "data/t.parquet: error: source 'budget': column 'due': value '2025-01-02 10:30:00.000000' "
            "(row 2) is not a date in the format %Y-%m-%d (date)"
        ),
    ]


def test_json_text_in_a_numeric_field(root: Path) -> None:
    (root / "r.json").write_text(
        json.dumps([{"unit": "a", "score": 1}, {"unit": "b", "score": "n/a"}])
    )
    assert errors(root, kind="json", path="r.json") == [
        (
            "data/r.json: error: source 'budget': column 'score': value 'n/a' (row 2) is not a "
            "number (int)"
        )
    ]


def test_only_the_broken_source_fails(root: Path) -> None:
    (root / "good.csv").write_text("unit,score\na,1\n")
    (root / "bad.csv").write_text("unit,score\na,one\n")
    books = catalog(root, source("good", path="good.csv"), source("bad", path="bad.csv"))
    health = {item.id: item for item in books.health()}  # today: the files were just written
    assert health["good"].status == "ok"
    assert health["good"].rows == 1
    assert health["bad"].status == "failed"
    assert health["bad"].error is not None
    assert health["bad"].error.render("en") == (
        "data/bad.csv: error: source 'bad': column 'score': value 'one' (row 2) is not a "
        "number (int)"
    )


def test_an_all_null_column_reads_as_nulls_of_its_type(root: Path) -> None:
    records = [{"unit": "a", "score": 1, "note": None, "due": None}] * 2
    (root / "r.json").write_text(json.dumps(records))
    columns = {"unit": "str", "score": "int", "note": "str?", "due": "date?"}
    frame = catalog(root, source(kind="json", path="r.json", columns=columns)).frame("s").collect()
    assert frame.schema == pl.Schema(
        {
            "unit": pl.String,
            "score": pl.Int64,
            "note": pl.String,
            "due": pl.Date,
            "_file": pl.String,
        }
    )
    assert frame["due"].to_list() == [None, None]
    # a required column that is entirely empty is the contract's error, not a crash
    assert errors(root, kind="json", path="r.json", columns={"unit": "str", "due": "date"}) == [
        (
            "data/r.json: error: source 'budget': column 'due': empty value (row 1) in a column "
            "that may not be empty (2 empty; declare 'date?' to allow it)"
        )
    ]


def test_a_parquet_file_swapped_after_its_check_fails_loudly(root: Path) -> None:
    """A file replaced unseen (same size and time) after its check: bad values fail the query."""
    path = root / "t.parquet"
    pl.DataFrame({"unit": ["a", "b"], "score": [1.0, 2.0]}).write_parquet(path)
    books = catalog(root, source(kind="parquet", path="t.parquet"))
    frame = books.frame("s")
    assert frame.collect()["score"].to_list() == [1, 2]
    before = path.stat()
    pl.DataFrame({"unit": ["a", "b"], "score": [1.0, 2.5]}).write_parquet(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert books.frame("s") is frame  # the swap went unseen: no new check
    with pytest.raises(pl.exceptions.PolarsError, match=r"source 's', column 'score'.*2\.5"):
        frame.select("score").collect()
    with pytest.raises(pl.exceptions.PolarsError, match="column 'score'"):
        frame.filter(pl.col("unit") == "b").collect()


def test_a_guarded_scan_fails_on_an_empty_required_value() -> None:
    spec = source(path="a.csv", columns={"unit": "str", "score": "int?"})
    raw = pl.LazyFrame({"_row": [1, 2], "unit": ["a", None], "score": [1, None]})
    checked = contract.conform(raw, spec, None, timezone="Asia/Ho_Chi_Minh")
    assert contract.guarded(checked, spec).select("score").collect()["score"].to_list() == [1, None]
    with pytest.raises(pl.exceptions.PolarsError, match=r"column 'unit'.*\(empty\)"):
        contract.guarded(checked, spec).collect()
