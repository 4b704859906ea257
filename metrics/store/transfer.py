"""The whole store to and from one JSON file: every table, every row, every column.

``export_store`` writes each table's rows in id order with plain JSON values (dates and times
in ISO form, times in UTC); ``import_store`` reads them back into a store at the same schema
revision. Into an empty store the rows keep their ids, so the file round-trips exactly; into a
store that has rows the import refuses unless ``merge``: then every row gets a new id, the
references follow, and a snapshot already there (same label and content) is not added twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, func, select
from sqlalchemy.sql.schema import Table

from metrics.store import schema as versions
from metrics.store.engine import Database, StoreError
from metrics.store.tables import (
    KpiAccount,
    KpiAuditEvent,
    KpiDirective,
    KpiDirectiveUpdate,
    KpiSnapshot,
    KpiSnapshotValue,
)
from sources.problems import Problem, register_messages

register_messages(
    {
        "transfer.not_empty": {
            "vi": "kho lưu trữ đã có dữ liệu ({rows} dòng); thêm --merge để gộp vào",
            "en": "the store already holds data ({rows} rows); add --merge to merge into it",
        },
        "transfer.bad_file": {
            "vi": "tệp không phải bản xuất của kho lưu trữ: {detail}",
            "en": "the file is not an export of the store: {detail}",
        },
        "transfer.revision": {
            "vi": "tệp được xuất ở phiên bản lược đồ {found}, kho đang ở {current}",
            "en": "the file was exported at schema revision {found}, the store is at {current}",
        },
    }
)

FORMAT = "kpi-store"
# parents before children: the order rows are written back in
MODELS = (
    KpiSnapshot,
    KpiSnapshotValue,
    KpiDirective,
    KpiDirectiveUpdate,
    KpiAuditEvent,
    KpiAccount,
)
# (table, column) -> the table its ids refer to
REFERENCES = {
    ("kpi_snapshot_value", "snapshot_id"): "kpi_snapshot",
    ("kpi_directive", "snapshot_id"): "kpi_snapshot",
    ("kpi_directive_update", "directive_id"): "kpi_directive",
}


def _table(model: Any) -> Table:
    return model.__table__


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row read from the file with its dates and times as Python values again."""
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        kind = getattr(column.type, "impl", column.type)  # UTCDateTime decorates DateTime
        if value is not None and isinstance(kind, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(kind, Date):
            value = dt.date.fromisoformat(value)
        out[column.name] = value
    return out


def export_store(database: Database) -> dict[str, Any]:
    """Every table of the store, rows in id order, as plain JSON values."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with database.engine.connect() as connection:
        revision = versions.current(connection, database.schema)
        for model in MODELS:
            table = _table(model)
            rows = connection.execute(select(table).order_by(table.c.id)).mappings()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return {"format": FORMAT, "revision": revision, "tables": tables}


def _check(data: Any, current: str | None) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(Problem("transfer.bad_file", {"detail": f"format is not '{FORMAT}'"}))
    if data.get("revision") != current:
        found = {"found": data.get("revision"), "current": current}
        raise StoreError(Problem("transfer.revision", found))
    tables = data.get("tables")
    names = {_table(m).name for m in MODELS}
    if not isinstance(tables, dict) or set(tables) != names:
        detail = f"tables must be exactly {', '.join(sorted(names))}"
        raise StoreError(Problem("transfer.bad_file", {"detail": detail}))
    return tables


def import_store(database: Database, data: Any, *, merge: bool = False) -> dict[str, int]:
    """Write an export back, in one transaction; the rows added, by table."""
    added: dict[str, int] = {}
    with database.session(write=True) as session:
        connection = session.connection()
        tables = _check(data, versions.current(connection, database.schema))
        held = sum(
            connection.execute(select(func.count()).select_from(_table(m))).scalar_one()
            for m in MODELS
        )
        if held and not merge:
            raise StoreError(Problem("transfer.not_empty", {"rows": held}))
        new_ids: dict[str, dict[int, int]] = {}
        for model in MODELS:
            table = _table(model)
            ids = new_ids.setdefault(table.name, {})
            added[table.name] = 0
            for raw in tables[table.name]:
                row = _typed(table, raw)
                for (name, column), parent in REFERENCES.items():
                    if name == table.name and row.get(column) is not None:
                        row[column] = new_ids[parent][row[column]]
                old = row["id"]
                if merge:
                    existing = _held(connection, table, row)
                    if existing is not None:
                        ids[old] = existing
                        continue
                    del row["id"]
                result = connection.execute(table.insert().values(**row))
                ids[old] = old if not merge else result.inserted_primary_key[0]
                added[table.name] += 1
        if connection.dialect.name == "postgresql" and not merge:
            for model in MODELS:  # the next id after the ones written explicitly
                table = _table(model)
                name = f'"{database.schema}".{table.name}' if database.schema else table.name
                following = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
                sequence = func.pg_get_serial_sequence(name, "id")
                connection.execute(select(func.setval(sequence, following, False)))
        session.commit()
    return added


def _held(connection: Any, table: Table, row: dict[str, Any]) -> int | None:
    """The row the store already holds for ``row``, when merging: a snapshot with the same
    label and content, an account with the same name (the store's own is kept as it is)."""
    if table.name == "kpi_snapshot":
        same = (table.c.label == row["label"], table.c.digest == row["digest"])
    elif table.name == "kpi_account":
        same = (table.c.username == row["username"],)
    else:
        return None
    return connection.execute(select(table.c.id).where(*same)).scalar()
