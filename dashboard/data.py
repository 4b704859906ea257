"""The dashboard's one door to data: the only home of ``st.cache_*`` and of the store.

Pages and view models never open a source, compute a metric or open the store; they ask here.
Everything expensive is cached, in this module only, so that whatever later decides who may see
what (a user's role and unit scope) is checked in one place:

- the workspace (configuration + catalogue) with ``st.cache_resource``, keyed on the configuration
  folder and its files' sizes and times, so an edited YAML file is picked up on the next rerun; a
  broken file is served from its last valid version (``metrics.last_valid``);
- engine results, source health, the registers, the presenter's decks with ``st.cache_data``
  (global scope: a second session, or the first load of a page another viewer already opened,
  is served from memory), keyed on one data key: the configuration's content hash and every
  source's fingerprint, so a changed file or database invalidates exactly what it feeds. Entries
  are capped in number and size because a breakdown by ward over several periods is not small;
- the store of published snapshots (``store()``), the board's directives (``directives()``), the
  audit trail (``record_event``), and the slide each presenter shows.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import access
from metrics import conclusions
from metrics.config import Config
from metrics.deck import Deck, compute_deck, deck_from_snapshot, publish_deck
from metrics.engine import Request, Results, compute
from metrics.formula import PERIOD_COLUMNS
from metrics.rows import row_condition, with_as_of
from metrics.store import (
    Accounts,
    Audit,
    Directive,
    Directives,
    Published,
    Snapshot,
    SnapshotInfo,
    Store,
    StoreError,
    default_url,
)
from metrics.workspace import Workspace, open_workspace
from sources import layout
from sources.health import SourceHealth
from sources.problems import Problem, ProjectError, register_messages

register_messages(
    {
        "register.not_configured": {
            "vi": "chưa khai báo sổ '{register}' trong settings.yaml (registers: {register}: ...)",
            "en": "no '{register}' register in settings.yaml (registers: {register}: ...)",
        },
        "register.needs_count": {
            "vi": "sổ nhiệm vụ cần chỉ số '{metric}' dạng count(điều kiện) để biết nhiệm vụ nào "
            "được tính; chỉ số này không có, bị lỗi hoặc không phải một phép đếm",
            "en": "the task register needs the metric '{metric}' written as count(condition) to "
            "know which tasks it counts; it is missing, broken or not a count",
        },
    }
)

log = logging.getLogger(__name__)
RECENT_SNAPSHOTS = 50
RESULTS_MAX_ENTRIES = 256
RESULTS_MAX_SIZE = "512MB"

# --------------------------------------------------------------------------- the workspace


def _config_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Sizes and modification times of the configuration's files: cheap, and enough to notice
    an edit (the content hash is only known after loading)."""
    files = [folder / layout.SETTINGS_FILE, *layout.definition_files(folder)]
    stamp = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            stamp.append((str(path), -1, -1))
        else:
            stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


@st.cache_resource(max_entries=4, show_spinner=False)
def _open(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> Workspace:
    """One workspace per configuration state; its catalogue keeps the sources it has read."""
    del stamp  # part of the cache key only
    return open_workspace(folder, generate_demo=True, serving=True)  # first start: the demo


_STAMP_TTL = 1.0  # seconds: an edited YAML file is noticed within this time
_stamps: dict[Path, tuple[float, tuple[tuple[str, int, int], ...]]] = {}


def _recent_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """The folder's stamp, taken at most once a second: pages ask for the workspace many times
    per run (every name they show), and a dozen ``stat`` calls each time add up."""
    now = time.monotonic()
    taken = _stamps.get(folder)
    if taken is None or now - taken[0] > _STAMP_TTL:
        taken = (now, _config_stamp(folder))
        _stamps[folder] = taken
    return taken[1]


def workspace() -> Workspace:
    """The workspace of ``KPI_CONFIG`` (or the repository's ``config/``).

    Raises ``ConfigError`` when the configuration cannot be used at all (no valid settings).
    """
    folder = layout.default_config_dir().resolve()
    return _open(str(folder), _recent_stamp(folder))


def config() -> Config:
    return workspace().config


def _key(ws: Workspace) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """What every cached result depends on: the folder, the YAML content, the data."""
    prints = tuple((sid, ws.catalog.fingerprint(sid)) for sid in ws.config.sources)
    return str(ws.config.folder), ws.config.content_hash, prints


# --------------------------------------------------------------------------- engine results


@st.cache_data(max_entries=RESULTS_MAX_ENTRIES, max_size=RESULTS_MAX_SIZE, show_spinner=False)
def _results(
    _ws: Workspace,
    key: tuple[str, str, tuple[tuple[str, str], ...]],
    as_of: dt.date,
    grain: str,
    periods: int,
    by: tuple[str, ...],
    filters: tuple[tuple[str, str], ...],
    metrics: tuple[str, ...] | None,
) -> Results:
    del key  # the cache key: configuration hash and source fingerprints
    request = Request(
        as_of=as_of,
        grain=grain,  # type: ignore[arg-type]
        periods=periods,
        by=by,
        filters=filters,
        metrics=metrics,
    )
    return compute(_ws.config, _ws.catalog, request)


def results(
    as_of: dt.date,
    grain: str,
    *,
    periods: int = 1,
    by: Sequence[str] = (),
    filters: Iterable[tuple[str, str]] = (),
    metrics: Sequence[str] | None = None,
) -> Results:
    """The engine's results for a request, from the cache when the same data was asked before."""
    ws = workspace()
    return _results(
        ws,
        _key(ws),
        as_of,
        grain,
        max(1, periods),
        tuple(by),
        tuple(sorted(filters)),
        tuple(metrics) if metrics else None,
    )


def run(request: Request) -> Results:
    """``results`` for an engine request: what the pure functions of ``metrics`` take."""
    return results(
        request.as_of,
        request.grain,
        periods=request.periods,
        by=request.by,
        filters=request.filters,
        metrics=request.metrics,
    )


# --------------------------------------------------------------------------- sources and registers


@st.cache_data(max_entries=64, show_spinner=False)
def _health(
    _ws: Workspace, key: tuple[str, str, tuple[tuple[str, str], ...]], as_of: dt.date
) -> list[SourceHealth]:
    del key
    return _ws.catalog.health(today=as_of)


def health(as_of: dt.date) -> dict[str, SourceHealth]:
    """Every source's health judged as of the dashboard's date (the demo's 14/11/2025 is judged
    on that day, not on the day the server runs)."""
    ws = workspace()
    return {h.id: h for h in _health(ws, _key(ws), as_of)}


@st.cache_data(max_entries=32, show_spinner=False)
def _task_register(
    _ws: Workspace, key: tuple[str, str, tuple[tuple[str, str], ...]], as_of: dt.date
) -> pl.DataFrame:
    del key
    register = _ws.config.settings.registers.tasks
    if register is None:
        raise ProjectError(Problem("register.not_configured", {"register": "tasks"}))
    assigned_metric, overdue_metric = register.assigned, register.overdue
    rules = {m: row_condition(_ws.config, m) for m in (assigned_metric, overdue_metric)}
    for metric_id, rule in rules.items():
        if rule is None:
            raise ProjectError(Problem("register.needs_count", {"metric": metric_id}))
    day = pl.lit(as_of)
    done = pl.col("completed_on").is_not_null() & (pl.col("completed_on") <= day)
    return (
        with_as_of(_ws.catalog.frame(register.source), as_of)
        .filter(rules[assigned_metric])
        .with_columns(
            pl.when(done & (pl.col("completed_on") <= pl.col("deadline")))
            .then(pl.lit("done_on_time"))
            .when(done)
            .then(pl.lit("done_late"))
            .when(rules[overdue_metric])
            .then(pl.lit("overdue"))
            .otherwise(pl.lit("in_progress"))
            .alias("status_as_of"),
        )
        .drop(PERIOD_COLUMNS.values())
        .with_columns(
            pl.when(pl.col("status_as_of") == "overdue")
            .then((day - pl.col("deadline")).dt.total_days())
            .otherwise(None)
            .alias("days_overdue"),
        )
        .sort(
            pl.col("status_as_of") != "overdue",
            pl.col("days_overdue"),
            "task_group",
            "deadline",
            "task_id",
            descending=[False, True, False, False, False],
            nulls_last=True,
        )
        .collect()
    )


def task_register(as_of: dt.date) -> pl.DataFrame:
    """The task register of settings.yaml as it stood on ``as_of``: the tasks its ``assigned``
    metric counts, marked overdue as its ``overdue`` metric counts them (see
    ``dashboard.registers.tasks``). Raises ``SourceError`` when it cannot be read,
    ``ProjectError`` when it is not configured or a metric is no count of rows."""
    ws = workspace()
    return _task_register(ws, _key(ws), as_of)


@st.cache_data(max_entries=16, show_spinner=False)
def _dataset_register(
    _ws: Workspace, key: tuple[str, str, tuple[tuple[str, str], ...]]
) -> pl.DataFrame:
    del key
    register = _ws.config.settings.registers.datasets
    if register is None:
        raise ProjectError(Problem("register.not_configured", {"register": "datasets"}))
    return _ws.catalog.frame(register.source).drop("_file", strict=False).collect()


def dataset_register() -> pl.DataFrame:
    """The register of departmental databases; raises ``SourceError`` when it cannot be read."""
    ws = workspace()
    return _dataset_register(ws, _key(ws))


@st.cache_data(max_entries=64, show_spinner=False)
def _name_columns(
    _ws: Workspace, key: tuple[str, str, tuple[tuple[str, str], ...]], source: str, column: str
) -> dict[str, tuple[str, str | None]]:
    """Value -> (vi name, en name) from the source's ``<column>_name`` (and ``_name_en``)."""
    del key
    spec = _ws.catalog.sources[source]
    names = [c for c in (f"{column}_name", f"{column}_name_en") if c in spec.columns]
    if not names:
        return {}
    frame = _ws.catalog.frame(source).select(column, *names).unique(column).collect()
    en = names[1] if len(names) > 1 else None
    return {
        str(row[column]): (str(row[names[0]]), row[en] if en else None)
        for row in frame.iter_rows(named=True)
    }


def name_columns(source: str, column: str) -> dict[str, tuple[str, str | None]]:
    """Value -> (vi name, en name) of a source's column (see ``_name_columns``)."""
    ws = workspace()
    return _name_columns(ws, _key(ws), source, column)


# --------------------------------------------------------------------------- presenter and store


@st.cache_data(max_entries=32, show_spinner=False)
def _live_deck(
    _ws: Workspace,
    key: tuple[str, str, tuple[tuple[str, str], ...]],
    board_id: str,
    as_of_default: dt.date,
    as_of: dt.date | None,
) -> Deck:
    del key  # the cache key only
    board = _ws.config.boards[board_id]
    return compute_deck(_ws.config, _ws.catalog, board, as_of_default=as_of_default, as_of=as_of)


def live_deck(board_id: str, as_of_default: dt.date, as_of: dt.date | None) -> Deck:
    """A board's deck computed from the current data (``as_of`` None: the board's own date)."""
    ws = workspace()
    return _live_deck(ws, _key(ws), board_id, as_of_default, as_of)


def store() -> Store:
    """The store of published snapshots (``KPI_STORE_URL``, else SQLite under the state folder)."""
    return Store(default_url(config()))


def directives() -> Directives:
    """The board's directives, in the same store as the snapshots (read fresh each run: an
    update made in another session shows at once)."""
    return Directives(default_url(config()))


def give_directive(meeting: Callable[[str], int] | None = None, **fields: Any) -> Directive:
    """Record a directive (``Directives.add``), when this session's user may give one; at a
    meeting, ``meeting`` gives its snapshot (published if need be) once that is checked."""
    access.require("directive.give")
    if meeting is not None:
        fields["snapshot_id"] = meeting(fields["given_by"])
    return directives().add(**fields)


def update_directive(directive_id: int, **fields: Any) -> Directive:
    """Append an update to a directive (``Directives.update``), when this session's user may."""
    access.require("directive.update")
    return directives().update(directive_id, **fields)


def publish(deck: Deck, *, label: str, author: str) -> Published:
    """Freeze a deck's figures in the store, when this session's user may publish."""
    access.require("snapshot.publish")
    return publish_deck(store(), deck, label=label, author=author)


def accounts() -> Accounts:
    """The accounts of password sign-in, in the same store (read fresh each run: a disabled
    account is signed out at once)."""
    return Accounts(default_url(config()))


def record_event(**event: Any) -> None:
    """An event in the store's audit trail (``metrics.store.Audit.record``); a store that cannot
    be reached costs the record, logged, never what the user asked for."""
    try:
        Audit(default_url(config())).record(**event)
    except StoreError:
        log.warning("the audit trail could not record %s", event.get("action"), exc_info=True)


@st.cache_data(max_entries=64, show_spinner=False)
def _snapshot(url: str, snapshot_id: int) -> Snapshot:
    """A published snapshot never changes: cache it for good."""
    return Store(url).read(snapshot_id)


def snapshot(snapshot_id: int) -> Snapshot:
    """A published snapshot's figures; raises ``StoreError`` when it cannot be read."""
    return _snapshot(default_url(config()), snapshot_id)


@st.cache_data(max_entries=32, show_spinner=False)
def _stored_deck(url: str, snapshot_id: int) -> Deck:
    return deck_from_snapshot(_snapshot(url, snapshot_id))


def stored_deck(snapshot_id: int) -> Deck:
    """A published snapshot's deck; raises ``StoreError`` when it cannot be read."""
    return _stored_deck(default_url(config()), snapshot_id)


def _readable_snapshot(snapshot_id: int) -> Snapshot | None:
    try:
        return snapshot(snapshot_id)
    except StoreError:
        return None


def _board_conclusions(deck: Deck, build: Callable[[Sequence[Directive]], Deck]) -> Deck:
    """``build`` with the directives as of the deck's date; the deck as it is, logged, when the
    store cannot be read (the meeting's figures never wait on the store)."""
    try:
        return build(directives().find(as_of=deck.as_of))
    except StoreError:
        log.warning("the board's conclusions could not be read", exc_info=True)
        return deck


def meeting_deck(board_id: str, as_of_default: dt.date, as_of: dt.date | None) -> Deck:
    """A board's live deck as the meeting opens it: "Kết luận kỳ trước" first when earlier
    meetings left conclusions open."""
    deck = live_deck(board_id, as_of_default, as_of)
    return _board_conclusions(
        deck,
        lambda found: conclusions.opening_deck(
            deck, found, config=config(), read=_readable_snapshot, run=run
        ),
    )


def briefing_deck(deck: Deck) -> Deck:
    """The deck as its briefing ends: "Kết luận", the directives given at this meeting (the
    snapshot it is shown from, else the newest of its board as of its date); only for a user
    who may export briefings."""
    access.require("briefing.export")

    def build(found: Sequence[Directive]) -> Deck:
        meeting = deck.snapshot or store().latest(deck.board_id, deck.as_of)
        return conclusions.closing_deck(
            deck,
            found,
            meeting.id if meeting else None,
            config=config(),
            read=_readable_snapshot,
            run=run,
        )

    return _board_conclusions(deck, build)


@st.cache_data(ttl=10, max_entries=4, show_spinner=False)
def _recent_snapshots(url: str) -> list[SnapshotInfo]:
    return Store(url).list_snapshots(limit=RECENT_SNAPSHOTS)


def recent_snapshots() -> list[SnapshotInfo]:
    """The newest published snapshots, for the sidebar's "figures shown" menu (none when the
    store cannot be read: the pages say why where they use it)."""
    try:
        return _recent_snapshots(default_url(config()))
    except StoreError:
        log.warning("the published snapshots could not be listed", exc_info=True)
        return []


@st.cache_resource
def shown_slides() -> dict[tuple[str, str], int]:
    """The slide on screen for each (board, snapshot): the speaker view in another tab reads it."""
    return {}
