"""The catalogue: one validated ``pl.LazyFrame`` per connected source, its health, its fingerprint.

Reading a source means scanning it through its kind's connector, checking the contract over
every row (``sources.contract``) and, for kinds kept in memory, holding the checked rows. The
result is cached under the source's fingerprint (its definition plus its files' sizes and
modification times, or a time-to-live bucket for a database reached by URL), so an unchanged
file is read once and a touched one is read again. The cache keeps the most recently used reads
within a number of entries and an approximate memory budget (``DataFrame.estimated_size``): a SQL
source filtered on a period is one entry per period asked for, and each is a full copy.

A file can change while it is read (a CSV still being appended to). Its size and modification
time are taken before and after the read; if they differ, the read is retried, and after a few
attempts the source fails with an error saying so: rows are read whole or reported, never
half-counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from sources import contract
from sources.errors import SourceError
from sources.health import SourceHealth, lateness
from sources.kinds import Kind, ReadContext, first_line, kind_for
from sources.paths import DataFile, root_problem
from sources.problems import Problem, did_you_mean, register_messages
from sources.spec import SourceSpec

__all__ = ["Catalog", "SourceError", "SourceHealth"]

register_messages(
    {
        "source.unknown": {
            "vi": "không có nguồn '{source}'",
            "en": "no source '{source}'",
        },
        "source.refused": {
            "vi": "đơn vị '{owner}' từ chối chia sẻ dữ liệu này: {reason_vi}",
            "en": "unit '{owner}' refuses to share this data: {reason_en}",
        },
        "source.read_failed": {
            "vi": "không đọc được nguồn: {detail}",
            "en": "cannot read the source: {detail}",
        },
        "file.changing": {
            "vi": "tệp thay đổi trong lúc đang đọc (đã thử {attempts} lần): có thể đang được ghi",
            "en": "the file changed while it was read ({attempts} attempts): it may still be "
            "being written",
        },
    }
)

MAX_BYTES = 1_500_000_000  # default memory budget of the cache (approximate, in bytes)
ATTEMPTS = 3  # reads of a file that keeps changing before giving up
RETRY_PAUSE = 0.2  # seconds, doubled after each attempt
Stamp = tuple[tuple[str, int, int], ...]  # (file, size, mtime in ns) per file


@dataclass(frozen=True)
class _Entry:
    """One read of a source: its checked rows or its error, under the fingerprint it was read at."""

    fingerprint: str
    frame: pl.LazyFrame | None
    error: SourceError | None
    rows: int | None
    newest: dt.date | dt.datetime | None
    file_time: dt.datetime | None
    read_at: dt.datetime
    size: int = 0  # approximate bytes held in memory (0 for a lazy scan or an error)
    file_times: tuple[dt.datetime, ...] = ()  # each file's modification time (local, naive)
    # (newest freshness value, rows) at or before a day, per day asked for (``source_health``)
    as_of_day: dict[dt.date, tuple[dt.date | dt.datetime | None, int | None]] = field(
        default_factory=dict, compare=False
    )


def _stamp(files: list[DataFile]) -> Stamp:
    stamps = []
    for file in files:
        try:
            info = file.path.stat()
        except FileNotFoundError:
            stamps.append((file.rel, -1, -1))
        else:
            stamps.append((file.rel, info.st_size, info.st_mtime_ns))
    return tuple(stamps)


class Catalog:
    """The connected sources, opened lazily and cached; see the module docstring."""

    def __init__(
        self,
        sources: Mapping[str, SourceSpec],
        data_root: Path,
        *,
        timezone: str = "Asia/Ho_Chi_Minh",
        sql_ttl: float = 300.0,
        max_entries: int = 64,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``timezone`` is the city's: file times and aware datetimes are read in it.

        ``sql_ttl`` is how long (seconds) a database read by URL is trusted; ``clock`` gives the
        current time in seconds (tests pass their own). The cache holds at most ``max_entries``
        reads and about ``max_bytes`` bytes of rows, dropping the least recently used first; the
        newest read is always kept, even when it alone is larger.
        """
        self.sources = dict(sources)
        self.data_root = Path(data_root).resolve()
        self.timezone = timezone
        self.sql_ttl = sql_ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._zone = ZoneInfo(timezone)
        self._clock = clock
        self._cache: OrderedDict[tuple[str, object, object], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._source_locks: dict[str, threading.Lock] = {}
        # A data root outside the allowed folders is never read, whoever built the catalogue.
        self._root_problem = root_problem(self.data_root)

    # -- public -----------------------------------------------------------------------------

    def frame(
        self,
        source_id: str,
        *,
        since: dt.date | dt.datetime | None = None,
        until: dt.date | dt.datetime | None = None,
    ) -> pl.LazyFrame:
        """The source's rows typed per its contract; raise ``SourceError`` if it cannot be read.

        ``since``/``until`` are a hint: a SQL source with a ``time_column`` declared ``date`` or
        ``datetime`` filters its query on them, widened by a day (``SqlKind.pushdown``); every
        other source returns every row. Either way the caller filters the period exactly.
        """
        spec = self._spec(source_id)
        self._refuse(spec)
        entry = self._load(spec, since, until)
        if entry.error is not None:
            raise entry.error
        assert entry.frame is not None
        return entry.frame

    def time_column(self, source_id: str) -> str | None:
        """The column ``since``/``until`` are pushed down on, if the source's kind has one."""
        spec = self._spec(source_id)
        kind = kind_for(spec)
        return kind.time_column(spec) if kind.pushdown(spec) else None

    def fingerprint(self, source_id: str) -> str:
        """Changes when the source's data may have changed; results caches key on it."""
        spec = self._spec(source_id)
        try:
            kind = kind_for(spec)
            files = kind.files(spec, self.data_root)
            stamp = _stamp(files)
        except SourceError as exc:  # e.g. no file yet: a file appearing changes the answer
            return self._digest(spec, exc.render("en"))
        except OSError as exc:
            return self._digest(spec, first_line(exc))
        return self._fingerprint(spec, stamp)

    def health(self, today: dt.date | None = None) -> list[SourceHealth]:
        """Every source's health as of ``today`` (default: today in the catalogue's zone).

        Never raises for a source's own failure: each one is a ``failed`` health instead.
        """
        return [self.source_health(source_id, today) for source_id in self.sources]

    def source_health(self, source_id: str, today: dt.date | None = None) -> SourceHealth:
        """One source's health as of ``today``; reading it (through the cache) if needed.

        Judged from what was there at the end of ``today``, so a past day is seen as it was then:

        - by a freshness column: the newest value at or before the end of ``today``, and the rows
          stamped by then (or not stamped); values after it (data of later days, or planned
          dates) neither count as delivered nor are shown, and their rows are not counted;
        - by file time: the newest file written by the end of ``today``; a file written later is
          not counted, and when every file was written later the update date is ``unknown`` (a
          file rewritten since may have been there), never "updated" after the day viewed.

        Raises ``SourceError`` only for an unknown ``source_id``; any failure to read the source
        (its definition, its files, its data, the file system) is a ``failed`` health.
        """
        spec = self._spec(source_id)
        today = today or dt.datetime.now(self._zone).date()
        try:
            self._refuse(spec)
        except SourceError as exc:
            return SourceHealth(spec.id, spec.kind, "refused", problems=tuple(exc.problems))
        try:
            entry = self._load(spec, None, None)
            newest_value, rows = self._as_of(spec, entry, today)
        except SourceError as exc:  # not even found (a missing file, an unknown kind)
            return SourceHealth(spec.id, spec.kind, "failed", problems=tuple(exc.problems))
        except Exception as exc:  # noqa: BLE001 - a file-system surprise, a reader's own error:
            # health reports every failure of a source rather than raising it
            error = self._read_failed(spec, exc)
            return SourceHealth(spec.id, spec.kind, "failed", problems=tuple(error.problems))
        if entry.error is not None:
            return SourceHealth(
                spec.id,
                spec.kind,
                "failed",
                file_time=entry.file_time,
                last_read=entry.read_at,
                problems=tuple(entry.error.problems),
            )
        by_column = spec.freshness.column is not None
        end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
        file_time = max((t for t in entry.file_times if t < end), default=None)
        newest = newest_value if by_column else file_time
        if newest is not None:
            status, late_by = lateness(
                newest,
                today,
                spec.freshness.cadence,
                spec.freshness.day,
                file_time=not by_column,
            )
        elif by_column:  # no value by then: nothing was delivered
            status, late_by = "stale", None
        else:  # no file dated by then (or no file time at all): no way to tell
            status, late_by = ("unknown" if entry.file_times else "ok"), None
        return SourceHealth(
            spec.id,
            spec.kind,
            status,
            rows=rows,
            newest=newest,
            file_time=file_time,
            last_read=entry.read_at,
            late_by=late_by,
        )

    def _as_of(
        self, spec: SourceSpec, entry: _Entry, today: dt.date
    ) -> tuple[dt.date | dt.datetime | None, int | None]:
        """The newest freshness value at or before the end of ``today``, and the rows there
        were then (those stamped later are not counted); see ``source_health``."""
        newest, name = entry.newest, spec.freshness.column
        if newest is None or entry.frame is None or name is None:
            return newest, entry.rows
        if isinstance(newest, dt.datetime):
            end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
            if newest < end:
                return newest, entry.rows
            before_end = pl.col(name) < end
        else:
            if newest <= today:
                return newest, entry.rows
            before_end = pl.col(name) <= today
        if today not in entry.as_of_day:
            if len(entry.as_of_day) >= 64:
                entry.as_of_day.clear()
            found = entry.frame.select(
                pl.col(name).filter(before_end).max().alias("newest"),
                (before_end | pl.col(name).is_null()).sum().alias("rows"),
            ).collect()
            entry.as_of_day[today] = (found["newest"].item(), int(found["rows"].item()))
        return entry.as_of_day[today]

    def _read_failed(self, spec: SourceSpec, exc: BaseException) -> SourceError:
        """A reader's own error, told without the server's path to the data folder."""
        detail = first_line(exc).replace(str(self.data_root), self.data_root.name or "/")
        return SourceError.one(spec.id, "source.read_failed", spec.loc, detail=detail)

    # -- reading ----------------------------------------------------------------------------

    def _spec(self, source_id: str) -> SourceSpec:
        spec = self.sources.get(source_id)
        if spec is None:
            raise SourceError(
                Problem(
                    "source.unknown",
                    {"source": source_id},
                    suggestion=did_you_mean(source_id, self.sources),
                )
            )
        return spec

    @staticmethod
    def _refuse(spec: SourceSpec) -> None:
        """Raise the refusal of a source its owner does not share."""
        if spec.sharing.status != "refused":
            return
        reason = spec.sharing.reason
        raise SourceError.one(
            spec.id,
            "source.refused",
            spec.sharing.loc or spec.loc,
            level="warning",
            owner=spec.owner,
            reason_vi=reason.get("vi") if reason else "không nêu lý do",
            reason_en=reason.get("en") if reason else "no reason given",
        )

    def _digest(self, spec: SourceSpec, state: object) -> str:
        text = f"{spec.model_dump_json()}\n{self.data_root}\n{state!r}"
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def _fingerprint(self, spec: SourceSpec, stamp: Stamp) -> str:
        if stamp:
            return self._digest(spec, stamp)
        return self._digest(spec, int(self._clock() // self.sql_ttl))  # a database by URL

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._clock(), self._zone).replace(tzinfo=None)

    def _load(
        self,
        spec: SourceSpec,
        since: dt.date | dt.datetime | None,
        until: dt.date | dt.datetime | None,
    ) -> _Entry:
        """The cached read of a source, reading it again when its fingerprint has changed."""
        if self._root_problem is not None:
            problem = self._root_problem
            raise SourceError(
                [Problem(problem.code, problem.params, None, "error", "source", spec.id)]
            )
        kind = kind_for(spec)
        key = (spec.id, since, until) if kind.pushdown(spec) else (spec.id, None, None)
        with self._lock:
            source_lock = self._source_locks.setdefault(spec.id, threading.Lock())
        with source_lock:  # one read at a time per source: concurrent pages share it
            try:
                files = kind.files(spec, self.data_root)
                fingerprint = self._fingerprint(spec, _stamp(files))
            except OSError as exc:  # a file system surprise: a named, located error instead
                raise self._read_failed(spec, exc) from None
            with self._lock:
                entry = self._cache.get(key)
                if entry is not None and entry.fingerprint == fingerprint:
                    self._cache.move_to_end(key)  # least recently used goes first
                    return entry
            try:
                entry = self._read(spec, kind, files, since, until)
            except OSError as exc:
                raise self._read_failed(spec, exc) from None
            self._store(key, entry)
            return entry

    def _store(self, key: tuple[str, object, object], entry: _Entry) -> None:
        """Cache a read, then drop the least recently used beyond the count and memory caps."""
        with self._lock:
            for other in [
                other
                for other, held in self._cache.items()
                if other[0] == key[0] and held.fingerprint != entry.fingerprint
            ]:
                del self._cache[other]  # an older read of the same source: never used again
            self._cache[key] = entry
            self._cache.move_to_end(key)
            total = sum(held.size for held in self._cache.values())
            while len(self._cache) > 1 and (
                len(self._cache) > self.max_entries or total > self.max_bytes
            ):
                _, dropped = self._cache.popitem(last=False)
                total -= dropped.size

    def _read(
        self,
        spec: SourceSpec,
        kind: Kind,
        files: list[DataFile],
        since: dt.date | dt.datetime | None,
        until: dt.date | dt.datetime | None,
    ) -> _Entry:
        """Read and check a source, retrying while its files change under the reader."""
        ctx = ReadContext(
            data_root=self.data_root,
            files=tuple(files),
            timezone=self.timezone,
            where=spec.loc,
            since=since,
            until=until,
        )
        pause = RETRY_PAUSE
        for _ in range(ATTEMPTS):
            before = _stamp(files)
            outcome = self._attempt(spec, kind, ctx)
            after = _stamp(files)
            if not kind.watch_files or before == after:
                return self._entry(spec, after, outcome)
            time.sleep(pause)
            pause *= 2
        changed = next(new for old, new in zip(before, after, strict=True) if old != new)
        error = SourceError.one(
            spec.id,
            "file.changing",
            ctx.locate(changed[0]),
            attempts=ATTEMPTS,
        )
        return self._entry(spec, after, error)

    def _attempt(
        self, spec: SourceSpec, kind: Kind, ctx: ReadContext
    ) -> tuple[pl.LazyFrame, contract.Report, int] | SourceError:
        """One read: the checked frame and what the checks found, or why it failed.

        A kind kept in memory is collected once, and only the contract's columns are kept (the
        bad-value columns of the checks are dropped); otherwise the checks scan the files and the
        frame stays a lazy scan, guarded so that a value gone bad since the check fails the query
        rather than reading as null (``contract.guarded``).
        """
        output = [*spec.columns, *kind.extra_columns(spec)]
        size = 0
        try:
            checked = kind.scan(spec, ctx)
            if kind.materialize:
                rows = checked.collect()
                kept = rows.select(output)
                checked, result, size = rows.lazy(), kept.lazy(), kept.estimated_size()
            else:
                result = contract.guarded(
                    checked,
                    spec,
                    kind.extra_columns(spec),
                    kind.stored_as_declared(spec, ctx),
                )
            row = contract.summary(checked, spec).collect(engine="streaming").row(0, named=True)
        except SourceError as exc:
            return exc
        except (pl.exceptions.PolarsError, OSError) as exc:
            return kind.explain(spec, ctx, exc)
        report = contract.findings(row, spec, ctx.locate)
        if report.problems:
            return SourceError(list(report.problems))
        return result, report, size

    def _entry(
        self,
        spec: SourceSpec,
        stamp: Stamp,
        outcome: tuple[pl.LazyFrame, contract.Report, int] | SourceError,
    ) -> _Entry:
        file_times = tuple(
            dt.datetime.fromtimestamp(mtime / 1e9, self._zone).replace(tzinfo=None)
            for _, _, mtime in stamp
            if mtime >= 0
        )
        naive_time = max(file_times, default=None)
        fingerprint = self._fingerprint(spec, stamp)
        if isinstance(outcome, SourceError):
            return _Entry(
                fingerprint, None, outcome, None, None, naive_time, self._now(), 0, file_times
            )
        frame, report, size = outcome
        return _Entry(
            fingerprint,
            frame,
            None,
            report.rows,
            report.newest,
            naive_time,
            self._now(),
            size,
            file_times,
        )
