"""The store's command line, as staff would use it during and after a meeting: publish the
figures once, record a conclusion, update it, list what is overdue, read the audit trail, move
the whole store to a file and back; and the refusals, each one line, nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from metrics.cli import main
from metrics.store import Accounts, Directives, Store
from metrics.store.transfer import export_store, import_store
from tests.conftest import CONFERENCE, PG_URL
from tests.test_store import publish, store  # noqa: F401 (the fixture)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``KPI_STORE_URL`` for a fresh store: a SQLite file, or a PostgreSQL schema of its own
    (named in the URL's search path, as an operator could)."""
    address = f"sqlite:///{tmp_path / 'store.sqlite'}"
    if request.param == "postgresql":
        schema = request.getfixturevalue("pg_schema")
        address = f"{PG_URL}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("KPI_STORE_URL", address)
    return address


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _add(*extra: str) -> tuple[int, str]:
    return cli(
        "directives", "add", "--metric", "datasets_shared_rate", "--unit", "so_y_te",
        "--due", "2025-11-30", "--text", "Mở kết nối dữ liệu khám chữa bệnh", *extra,
    )  # fmt: skip


def test_publish_once_then_list_and_export(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("publish", "--label", "Hội nghị 14/11", "--as-of", "2025-11-14", "--board", CONFERENCE)
    code, first = cli(*args, "--by", "Văn phòng")
    assert code == 0 and first.strip().isdigit()
    assert cli(*args) == (0, first)  # the same label and date: the same snapshot
    assert "không chốt lại" in capsys.readouterr().err

    code, table = cli("snapshots")
    assert table.splitlines()[0].split() == [
        "id",
        "label",
        "board",
        "as_of",
        "author",
        "created_at",
    ]
    assert f"{first.strip()}   Hội nghị 14/11  {CONFERENCE}" in table
    code, listed = cli("snapshots", "--format", "json")
    [snapshot] = json.loads(listed)
    assert snapshot["label"] == "Hội nghị 14/11" and snapshot["author"] == "Văn phòng"
    assert snapshot["as_of"] == "2025-11-14"

    kept = Store(url).read(int(first))
    code, exported = cli("export-snapshot", first.strip(), "--format", "json")
    values = json.loads(exported)["values"]
    assert values == [v.canonical() for v in kept.values]
    assert any(v["metric"] == "tasks_overdue_central" and v["value"] == 12.0 for v in values)
    code, table = cli("export-snapshot", first.strip(), "--format", "csv")
    assert table.splitlines()[0].startswith("slide,role,metric") and len(
        table.splitlines()
    ) == 1 + len(values)


def test_a_conclusion_from_the_command_line(url: str) -> None:
    code, printed = _add("--by", "Bí thư Thành ủy")
    assert code == 0
    given = int(printed)
    code, listed = cli("directives", "list", "--as-of", "2025-11-20", "--format", "json")
    [row] = json.loads(listed)
    assert {k: row[k] for k in ("id", "metric", "unit", "due", "status")} == {
        "id": given, "metric": "datasets_shared_rate", "unit": "so_y_te",
        "due": "2025-11-30", "status": "open",
    }  # fmt: skip
    code, late = cli("directives", "list", "--as-of", "2025-12-01", "--status", "overdue",
                     "--format", "json")  # fmt: skip
    assert [r["id"] for r in json.loads(late)] == [given]

    assert cli("directives", "update", str(given), "--status", "done", "--by", "Sở Y tế",
               "--evidence", "https://example.gov.vn/minh-chung")[0] == 0  # fmt: skip
    code, listed = cli("directives", "list", "--as-of", "2025-12-01", "--format", "csv")
    assert listed.splitlines()[0].startswith("id,text,metric,unit,due,status")
    assert ",done," in listed.splitlines()[1]
    history = Directives(url).get(given)
    assert [(u.by, u.status_after) for u in history.updates] == [("Sở Y tế", "done")]

    code, events = cli("audit", "--format", "json")
    assert [(e["action"], e["object"]) for e in json.loads(events)] == [
        ("directive.created", f"directive:{given}"),
        ("directive.updated", f"directive:{given}"),
    ]
    assert {"at", "actor", "action", "object"} <= set(json.loads(events)[0])
    _, table = cli("audit", "--since", "2000-01-01")
    assert table.splitlines()[0].split() == ["at", "actor", "action", "object"]
    assert "Bí thư Thành ủy" in table and f"directive:{given}" in table
    assert cli("audit", "--since", "2999-01-01", "--format", "json") == (0, "[]\n")
    _, listed = cli("directives", "list", "--as-of", "2025-12-01")
    assert listed.splitlines()[0].split()[:3] == ["id", "status", "due"] and "done" in listed


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            (
                "directives",
                "add",
                "--metric",
                "datasets_sharedrate",
                "--unit",
                "so_y_te",
                "--due",
                "2025-11-30",
                "--text",
                "x",
            ),
            "there is no metric 'datasets_sharedrate' in the "
            "configuration (did you mean 'datasets_shared_rate'?)",
        ),
        (
            (
                "directives",
                "add",
                "--metric",
                "datasets_shared_rate",
                "--unit",
                "so_yte",
                "--due",
                "2025-11-30",
                "--text",
                "x",
            ),
            "there is no unit 'so_yte'",
        ),
        (
            (
                "directives",
                "add",
                "--metric",
                "datasets_shared_rate",
                "--unit",
                "so_y_te",
                "--due",
                "30/11/2025",
                "--text",
                "x",
            ),
            "--due: '30/11/2025' is not a date; write it as YYYY-MM-DD",
        ),
        (("directives", "update", "1", "--status", "finished"), "unknown status 'finished'"),
        (("directives", "update", "1"), "nothing to update"),
        (("directives", "update", "99", "--status", "done"), "there is no directive 99"),
        (("directives", "list", "--status", "late"), "unknown status 'late'"),
        (("publish", "--label", "x", "--as-of", "2025-13-01"), "is not a date"),
        (
            ("publish", "--label", "x", "--as-of", "2025-11-14", "--board", "nope"),
            "there is no board 'nope'",
        ),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    url: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], says: str
) -> None:
    assert _add()[0] == 0  # directive 1
    capsys.readouterr()
    before = export_store(Store(url))
    code, printed = cli(*argv, "--lang", "en")
    err = capsys.readouterr().err
    assert code != 0 and printed == ""
    assert says in err and len(err.strip().splitlines()) == 1, err
    assert export_store(Store(url)) == before


def test_the_whole_store_round_trips_through_a_file(
    store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    snapshot = publish(store).snapshot
    directives = Directives(store.url, schema=store.schema)
    import datetime as dt

    given = directives.add(text="t", metric="m", responsible="u", due=dt.date(2025, 12, 1),
                           given_by="g", snapshot_id=snapshot.id)  # fmt: skip
    directives.update(given.id, by="u", status="done", evidence="https://x.vn/e")
    Accounts(store.url, schema=store.schema).add("so.yte", "a password long enough",
                                                 roles=["viewer"], by="admin")  # fmt: skip
    exported = export_store(store)
    assert all(exported["tables"][name] for name in exported["tables"])  # a row in every table

    fresh = Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    fresh.list_snapshots()  # made at the newest revision
    import_store(fresh, json.loads(json.dumps(exported)))
    assert export_store(fresh) == exported  # exactly
    assert publish(fresh, label="after the import").created  # ids continue past the copied ones

    with pytest.raises(Exception, match="--merge"):
        import_store(fresh, exported)
    added = import_store(fresh, exported, merge=True)
    assert added["kpi_snapshot"] == 0  # the same snapshot is there already
    assert added["kpi_account"] == 0  # and the same account
    assert added["kpi_directive"] == 1 and added["kpi_directive_update"] == 1
    merged = Directives(fresh.url).find()
    assert [d.snapshot_id for d in merged] == [snapshot.id, snapshot.id]


def test_the_store_commands_write_and_read_files(url: str, tmp_path: Path) -> None:
    assert _add()[0] == 0
    target = tmp_path / "store.json"
    assert cli("store", "export", str(target))[0] == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "kpi-store" and len(data["tables"]["kpi_directive"]) == 1
    assert cli("store", "import", str(target))[0] == 1  # not into a store with data
    code, printed = cli("store", "import", str(target), "--merge")
    assert code == 0 and "kpi_directive 1" in printed


def test_an_exported_briefing_is_in_the_audit_trail(url: str, tmp_path: Path) -> None:
    from dashboard.briefing.__main__ import main as brief

    out = tmp_path / "brief.pptx"
    assert brief(["--board", CONFERENCE, "--lang", "en", "--out", str(out)]) == 0
    _, events = cli("audit", "--format", "json")
    [event] = json.loads(events)
    assert (event["action"], event["object"]) == ("briefing.exported", f"board:{CONFERENCE}")
    assert event["detail"] == {
        "format": "pptx",
        "lang": "en",
        "as_of": "2025-11-14",
        "snapshot": None,
    }
