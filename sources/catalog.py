"""The catalogue: one validated ``pl.LazyFrame`` per connected source, its health, its fingerprint.

Reading a source means scanning it through its kind's connector, checking the contract over
every row (``sources.contract``) and, for kinds kept in memory, holding the checked rows. The
result is cached under the source's fingerprint (its definition plus its files' sizes and
modification times, or a time-to-live bucket for a database reached by URL), so an unchanged
file is read once and a touched one is read again.

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
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from sources import contract
from sources.connectors import Kind, ReadContext, kind_for
from sources.errors import SourceError
from sources.health import SourceHealth, lateness
from sources.paths import DataFile
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
        "file.changing": {
            "vi": "tệp thay đổi trong lúc đang đọc (đã thử {attempts} lần): có thể đang được ghi",
            "en": "the file changed while it was read ({attempts} attempts): it may still be "
            "being written",
        },
    }
)

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
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``timezone`` is the city's: file times and aware datetimes are read in it.

        ``sql_ttl`` is how long (seconds) a database read by URL is trusted; ``clock`` gives the
        current time in seconds (tests pass their own).
        """
        self.sources = dict(sources)
        self.data_root = Path(data_root).resolve()
        self.timezone = timezone
        self.sql_ttl = sql_ttl
        self.max_entries = max_entries
        self._zone = ZoneInfo(timezone)
        self._clock = clock
        self._cache: OrderedDict[tuple[str, object, object], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._source_locks: dict[str, threading.Lock] = {}

    # -- public -----------------------------------------------------------------------------

    def frame(
        self,
        source_id: str,
        *,
        since: dt.date | dt.datetime | None = None,
        until: dt.date | dt.datetime | None = None,
    ) -> pl.LazyFrame:
        """The source's rows typed per its contract; raise ``SourceError`` if it cannot be read.

        ``since``/``until`` are a hint: a SQL source with a ``time_column`` filters its query on
        them; other sources return every row and leave the filtering to the caller.
        """
        spec = self._spec(source_id)
        self._refuse(spec)
        entry = self._load(spec, since, until)
        if entry.error is not None:
            raise entry.error
        assert entry.frame is not None
        return entry.frame

    def fingerprint(self, source_id: str) -> str:
        """Changes when the source's data may have changed; results caches key on it."""
        spec = self._spec(source_id)
        try:
            kind = kind_for(spec)
            files = kind.files(spec, self.data_root)
        except SourceError as exc:  # e.g. no file yet: a file appearing changes the answer
            return self._digest(spec, exc.render("en"))
        return self._fingerprint(spec, _stamp(files))

    def health(self, today: dt.date | None = None) -> list[SourceHealth]:
        """Every source's health as of ``today`` (default: today in the catalogue's zone)."""
        return [self.source_health(source_id, today) for source_id in self.sources]

    def source_health(self, source_id: str, today: dt.date | None = None) -> SourceHealth:
        """One source's health as of ``today``; reading it (through the cache) if needed."""
        spec = self._spec(source_id)
        today = today or dt.datetime.now(self._zone).date()
        try:
            self._refuse(spec)
        except SourceError as exc:
            return SourceHealth(spec.id, spec.kind, "refused", problems=tuple(exc.problems))
        try:
            entry = self._load(spec, None, None)
        except SourceError as exc:  # not even found (a missing file, an unknown kind)
            return SourceHealth(spec.id, spec.kind, "failed", problems=tuple(exc.problems))
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
        newest = entry.newest if by_column else entry.file_time
        if newest is not None:
            status, late_by = lateness(
                newest,
                today,
                spec.freshness.cadence,
                spec.freshness.day,
                file_time=not by_column,
            )
        else:  # a declared freshness column with no value is stale; no way to tell is not
            status, late_by = ("stale" if by_column else "ok"), None
        return SourceHealth(
            spec.id,
            spec.kind,
            status,
            rows=entry.rows,
            newest=newest,
            file_time=entry.file_time,
            last_read=entry.read_at,
            late_by=late_by,
        )

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
        kind = kind_for(spec)
        key = (spec.id, since, until) if kind.pushdown(spec) else (spec.id, None, None)
        with self._lock:
            source_lock = self._source_locks.setdefault(spec.id, threading.Lock())
        with source_lock:  # one read at a time per source: concurrent pages share it
            files = kind.files(spec, self.data_root)
            fingerprint = self._fingerprint(spec, _stamp(files))
            with self._lock:
                entry = self._cache.get(key)
            if entry is not None and entry.fingerprint == fingerprint:
                return entry
            entry = self._read(spec, kind, files, since, until)
            with self._lock:
                self._cache[key] = entry
                self._cache.move_to_end(key)
                while len(self._cache) > self.max_entries:
                    self._cache.popitem(last=False)
            return entry

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
    ) -> tuple[pl.LazyFrame, contract.Report] | SourceError:
        """One read: the checked frame and what the checks found, or why it failed.

        A kind kept in memory is collected once, and only the contract's columns are kept (the
        bad-value columns of the checks are dropped); otherwise the checks scan the files and the
        frame stays a lazy scan.
        """
        output = [*spec.columns, *kind.extra_columns(spec)]
        try:
            checked = kind.scan(spec, ctx)
            if kind.materialize:
                rows = checked.collect()
                checked, result = rows.lazy(), rows.select(output).lazy()
            else:
                result = checked.select(output)
            row = contract.summary(checked, spec).collect(engine="streaming").row(0, named=True)
        except SourceError as exc:
            return exc
        except (pl.exceptions.PolarsError, OSError) as exc:
            return kind.explain(spec, ctx, exc)
        report = contract.findings(row, spec, ctx.locate)
        if report.problems:
            return SourceError(list(report.problems))
        return result, report

    def _entry(
        self,
        spec: SourceSpec,
        stamp: Stamp,
        outcome: tuple[pl.LazyFrame, contract.Report] | SourceError,
    ) -> _Entry:
        mtimes = [mtime for _, _, mtime in stamp if mtime >= 0]
        file_time = None
        if mtimes:
            file_time = dt.datetime.fromtimestamp(max(mtimes) / 1e9, self._zone)
        fingerprint = self._fingerprint(spec, stamp)
        naive_time = file_time.replace(tzinfo=None) if file_time else None
        if isinstance(outcome, SourceError):
            return _Entry(fingerprint, None, outcome, None, None, naive_time, self._now())
        frame, report = outcome
        return _Entry(
            fingerprint,
            frame,
            None,
            report.rows,
            report.newest,
            naive_time,
            self._now(),
        )
