"""The catalogue: caching on fingerprints, refusals, and files that change while they are read."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

from sources import catalog as catalog_module
from sources.errors import SourceError
from sources.kinds import FileKind, ReadContext
from sources.kinds.csv import CsvKind
from sources.kinds.parquet import ParquetKind
from sources.paths import DataFile
from sources.spec import SourceSpec
from tests.sources_support import catalog, lines, source


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "data"
    root.mkdir()
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each file was opened by the CSV and Parquet readers."""
    counter: Counter[str] = Counter()
    for kind in (CsvKind, ParquetKind):

        def counted(
            self: FileKind, spec: SourceSpec, file: DataFile, ctx: ReadContext, _read=kind.read
        ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
            counter[file.rel] += 1
            return _read(self, spec, file, ctx)

        monkeypatch.setattr(kind, "read", counted)
    return counter


def touch(path: Path) -> None:
    """Move a file's modification time on, as a new export of the same bytes would."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def test_an_unchanged_file_is_read_once(root: Path, reads: Counter[str]) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\n")
    books = catalog(root, source(path="a.csv"))
    first = books.frame("s")
    again = books.frame("s")
    books.health()
    assert reads == {"a.csv": 1}
    assert again is first


def test_a_touched_file_is_read_again(root: Path, reads: Counter[str]) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\n")
    books = catalog(root, source(path="a.csv"))
    before = books.fingerprint("s")
    books.frame("s")
    touch(root / "a.csv")
    assert books.fingerprint("s") != before
    books.frame("s")
    assert reads == {"a.csv": 2}


def test_a_new_file_in_a_glob_is_read(root: Path, reads: Counter[str]) -> None:
    (root / "drops").mkdir()
    (root / "drops" / "01.csv").write_text("unit,score\nx,1\n")
    books = catalog(root, source(path="drops/*.csv"))
    assert books.frame("s").collect().height == 1
    (root / "drops" / "02.csv").write_text("unit,score\ny,2\n")
    assert books.frame("s").collect().height == 2


def test_parquet_is_checked_once_and_scanned_lazily(root: Path, reads: Counter[str]) -> None:
    pl.DataFrame({"unit": ["a"], "score": [1]}).write_parquet(root / "d.parquet")
    books = catalog(root, source(kind="parquet", path="d.parquet"))
    frame = books.frame("s")
    assert books.frame("s") is frame
    assert reads == {"d.parquet": 1}
    assert frame.select("score").collect().item() == 1


def test_a_changed_definition_is_a_new_fingerprint(root: Path) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\n")
    first = catalog(root, source(path="a.csv")).fingerprint("s")
    second = catalog(root, source(path="a.csv", columns={"unit": "str"})).fingerprint("s")
    assert first != second


def test_a_broken_file_is_not_reread_until_it_changes(root: Path, reads: Counter[str]) -> None:
    (root / "a.csv").write_text("unit,score\nx,one\n")
    books = catalog(root, source(path="a.csv"))
    for _ in range(2):
        with pytest.raises(SourceError):
            books.frame("s")
    assert reads == {"a.csv": 1}
    (root / "a.csv").write_text("unit,score\nx,1\n")
    assert books.frame("s").collect().height == 1


def test_refused_source(root: Path) -> None:
    spec = source(
        "benh_an",
        path="x.csv",
        sharing={
            "status": "refused",
            "reason": {"vi": "Dữ liệu mật", "en": "Confidential"},
        },
    )
    books = catalog(root, spec)
    with pytest.raises(SourceError) as caught:
        books.frame("benh_an")
    assert caught.value.problems[0].code == "source.refused"
    assert lines(caught.value) == [
        "warning: source 'benh_an': unit 'so_y_te' refuses to share this data: Confidential"
    ]
    assert lines(caught.value, "vi") == [
        "warning: nguồn 'benh_an': đơn vị 'so_y_te' từ chối chia sẻ dữ liệu này: Dữ liệu mật"
    ]
    [health] = books.health()
    assert (health.status, health.rows, health.error) == (
        "refused",
        None,
        caught.value.problems[0],
    )


def test_unknown_source(root: Path) -> None:
    with pytest.raises(SourceError) as caught:
        catalog(root, source("surveys", path="a.csv")).frame("survey")
    assert lines(caught.value) == ["error: no source 'survey' (did you mean 'surveys'?)"]


# -- chaos: a CSV still being written ------------------------------------------------------------


@pytest.fixture
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "RETRY_PAUSE", 0.0)


def append_while_reading(
    monkeypatch: pytest.MonkeyPatch, path: Path, times: int
) -> Callable[[], int]:
    """Make the first ``times`` reads of ``path`` race with a writer appending a row."""
    original = CsvKind.read
    calls = 0

    def racing(
        self: CsvKind, spec: SourceSpec, file: DataFile, ctx: ReadContext
    ) -> Iterator[tuple[str | None, pl.LazyFrame]]:
        nonlocal calls
        calls += 1
        pieces = list(original(self, spec, file, ctx))  # the reader has started ...
        if calls <= times:
            with open(path, "a") as handle:  # ... and the writer adds a row before it is done
                handle.write(f"late_{calls},9\n")
        return iter(pieces)

    monkeypatch.setattr(CsvKind, "read", racing)
    return lambda: calls


def test_a_file_growing_during_the_read_is_read_again_whole(
    root: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    path = root / "a.csv"
    path.write_text("unit,score\nx,1\ny,2\n")
    calls = append_while_reading(monkeypatch, path, times=1)
    frame = catalog(root, source(path="a.csv")).frame("s").collect()
    assert calls() == 2
    assert frame["unit"].to_list() == ["x", "y", "late_1"]


def test_a_file_that_keeps_changing_is_reported(
    root: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    path = root / "a.csv"
    path.write_text("unit,score\nx,1\n")
    append_while_reading(monkeypatch, path, times=99)
    with pytest.raises(SourceError) as caught:
        catalog(root, source(path="a.csv")).frame("s")
    assert lines(caught.value) == [
        (
            "data/a.csv: error: source 's': the file changed while it was read (3 attempts): "
            "it may still be being written"
        )
    ]


def test_a_cut_last_line_is_reported(root: Path) -> None:
    (root / "a.csv").write_text("unit,score,note\nx,1,ok\ny,2")
    with pytest.raises(SourceError) as caught:
        catalog(root, source(path="a.csv")).frame("s")
    assert lines(caught.value) == [
        (
            "data/a.csv: error: source 's': the last line (3) is incomplete (2 of 3 fields, no "
            "line end): the file may still be being written"
        )
    ]


def test_a_last_line_without_line_end_but_complete_is_fine(root: Path) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\ny,2")
    assert catalog(root, source(path="a.csv")).frame("s").collect().height == 2


def test_concurrent_writer_rows_are_whole_or_reported(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real writer appends rows in two writes each; every read is complete or an error."""
    monkeypatch.setattr(catalog_module, "RETRY_PAUSE", 0.001)
    path = root / "live.csv"
    path.write_text("unit,score,note\n")
    stop = threading.Event()

    def writer() -> None:
        with open(path, "a") as handle:
            i = 0
            while not stop.is_set():
                i += 1
                handle.write(f"{i},")  # a row caught here has 2 of 3 fields
                handle.flush()
                time.sleep(0.0002)
                handle.write(f"{i % 5},n{i}\n")
                handle.flush()
                time.sleep(0.0002)

    spec = source(path="live.csv", columns={"unit": "int", "score": "int", "note": "str"})
    thread = threading.Thread(target=writer)
    thread.start()
    outcomes: Counter[str] = Counter()
    try:
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                frame = catalog(root, spec).frame("s").collect()
            except SourceError as exc:
                outcomes[exc.problems[0].code] += 1
                continue
            outcomes["whole"] += 1
            n = frame.height
            assert frame["unit"].to_list() == list(range(1, n + 1))  # no row lost or doubled
            assert frame["note"].to_list() == [f"n{i}" for i in range(1, n + 1)]  # none cut
    finally:
        stop.set()
        thread.join()
    assert set(outcomes) <= {"whole", "file.changing", "file.truncated_row"}
    assert sum(outcomes.values()) > 10
    final = catalog(root, spec).frame("s").collect()
    assert final["unit"].to_list() == list(range(1, final.height + 1))


# -- the cache's bounds ---------------------------------------------------------------------------


def test_the_cache_is_bounded_by_memory_least_recently_used_first(
    root: Path, reads: Counter[str]
) -> None:
    rows = "".join(f"so_{i},{i}\n" for i in range(2000))
    for name in "abc":
        (root / f"{name}.csv").write_text("unit,score\n" + rows)
    specs = [source(name, path=f"{name}.csv") for name in "abc"]
    size = catalog(root, specs[0]).frame("a").collect().estimated_size()
    reads.clear()
    books = catalog(root, *specs, max_bytes=2 * size + size // 2)  # room for two sources
    for name in "abacab":
        books.frame(name)
    # 'a' is used again before 'c' comes in, so 'b' (least recently used) goes, then 'c'
    assert reads == {"a.csv": 1, "b.csv": 2, "c.csv": 1}


def test_the_cache_keeps_its_entry_count_cap(root: Path, reads: Counter[str]) -> None:
    for name in "ab":
        (root / f"{name}.csv").write_text("unit,score\nx,1\n")
    books = catalog(root, source("a", path="a.csv"), source("b", path="b.csv"), max_entries=1)
    for name in "aba":
        books.frame(name)
    assert reads == {"a.csv": 2, "b.csv": 1}


def test_a_source_larger_than_the_budget_is_still_kept_alone(
    root: Path, reads: Counter[str]
) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\n")
    books = catalog(root, source("a", path="a.csv"), max_bytes=1)
    frame = books.frame("a")
    assert books.frame("a") is frame
    assert reads == {"a.csv": 1}


# -- failures of the file system never escape health ----------------------------------------------


def test_a_file_system_error_is_a_failed_health_and_a_source_error(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\n")

    def refused(self: FileKind, spec: SourceSpec, root: Path) -> list[DataFile]:
        raise PermissionError(13, "Permission denied", str(root / "a.csv"))

    monkeypatch.setattr(CsvKind, "files", refused)
    books = catalog(root, source(path="a.csv"), source("fine", kind="json", path="x.json"))
    [health, other] = books.health()
    assert health.status == "failed"
    assert [p.render("en") for p in health.problems] == [
        "error: source 's': cannot read the source: [Errno 13] Permission denied: 'data/a.csv'"
    ]
    assert other.status == "failed"  # no such file: its own, ordinary error
    with pytest.raises(SourceError) as caught:
        books.frame("s")
    assert lines(caught.value) == [p.render("en") for p in health.problems]
    assert len(books.fingerprint("s")) == 20


def test_an_unexpected_reader_error_is_a_failed_health(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "a.csv").write_text("unit,score\nx,1\n")

    def broken(self: CsvKind, spec: SourceSpec, ctx: ReadContext) -> pl.LazyFrame:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(CsvKind, "scan", broken)
    [health] = catalog(root, source(path="a.csv")).health()
    assert health.status == "failed"
    assert health.error is not None
    assert health.error.render("en") == "error: source 's': cannot read the source: reader bug"
