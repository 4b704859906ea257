"""Links carry parameters anyone can edit: whatever a page's URL holds, the page runs, and a bad
value falls back to the default (with a notice where the value was asked for by name).

Hypothesis draws hostile values (numbers past any id, negative and huge slide numbers, dates
outside the range or impossible, markup, path tricks, long text) for every parameter of every
page, and each page runs in AppTest without an exception.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import access, params, texts
from tests.conftest import REPO
from tests.test_app_pages import APP, TIMEOUT
from tests.test_present_page import run as present

HOSTILE = [
    "",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999",
    "-99999999999999999999999",
    "٣",  # an Arabic-Indic digit: Python's int() reads it, a URL parameter must not
    "9999-12-31",
    "0001-01-01",
    "2025-02-30",
    "../../etc/passwd",
    "<b>x</b>",
    "**x**",
    "javascript:alert(1)",
    "x" * 500,
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=24))
SHARED = ("lang", "as_of", "grain")
PAGES = {
    "overview": ("theme",),
    "metric": ("metric", "periods", "by"),
    "units": ("unit", "theme", "kind", "sort"),
    "tasks": ("unit", "level", "group", "status"),
    "data": (),
    "directives": ("unit", "status", "metric", "meeting", "due_by"),
}
PRESENTER = ("board", "slide", "snapshot", "view", "lang", "as_of")
FUZZ = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def own_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{tmp_path_factory.mktemp('s') / 's.sqlite'}")


def _run(file: str, values: dict[str, str], page: str | None = None) -> AppTest:
    at = AppTest.from_file(file, default_timeout=TIMEOUT)
    at.session_state[access.USER] = access.DEMO  # what app.py puts there (a page run alone)
    for name, value in values.items():
        at.query_params[name] = value
    at.run()
    if page is not None:
        at.switch_page(f"dashboard/page_{page}.py").run()
    return at


@pytest.mark.parametrize("page", list(PAGES))
@FUZZ
@given(data=st.data())
def test_every_page_runs_whatever_its_url_holds(page: str, data: st.DataObject) -> None:
    names = (*SHARED, *PAGES[page])
    values = {name: data.draw(VALUES, label=name) for name in names}
    at = _run(APP, values) if page == "overview" else _run(APP, values, page)
    assert not at.exception, (values, [e.value for e in at.exception])


@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_the_presenter_runs_whatever_its_url_holds(data: st.DataObject) -> None:
    values = {name: data.draw(VALUES, label=name) for name in PRESENTER}
    values["board"] = data.draw(st.sampled_from(["conference-2025-11-14", values["board"]]))
    at = _run(str(REPO / "dashboard" / "page_present.py"), values)
    assert not at.exception, (values, [e.value for e in at.exception])


def test_a_snapshot_id_past_any_database_id_is_a_notice() -> None:
    at = present(board="conference-2025-11-14", snapshot="99999999999999999999999")
    assert any("99999999999999999999999" in e.value for e in at.error)
    assert at.get_by_key("pc-title")  # the live deck is shown instead


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), (" 7 ", 7), ("0", None), ("-1", None), ("٣", None), ("1e3", None),
     ("99999999999999999999999", None), (str(params.MAX_ID), params.MAX_ID), (None, None)],
)  # fmt: skip
def test_whole_numbers_are_digits_within_bounds(text: str | None, number: int | None) -> None:
    assert params.whole(text) == number


def test_days_are_iso_dates_within_the_range() -> None:
    default = dt.date(2025, 11, 14)
    assert params.day("2025-11-14", default) == default
    assert params.day("2019-12-31", default) is None  # before the first day offered
    assert params.day("9999-12-31", default) is None  # after today
    assert params.day("2025-02-30", default) is None and params.day(None, default) is None


@pytest.mark.parametrize(
    ("page", "name", "value"),
    [(None, "grain", "decade"), (None, "as_of", "2019-01-01"), ("metric", "metric", "**x**"),
     ("units", "kind", "<b>x</b>"), ("tasks", "status", "javascript:alert(1)")],
)  # fmt: skip
def test_an_ignored_value_is_named_as_text(page: str | None, name: str, value: str) -> None:
    """The notice quotes what the link said, escaped so that it stays text (no bold, no tags,
    no link), and says the default is shown; the page goes on with it."""
    at = _run(APP, {name: value, "lang": "en"}, page)
    assert not at.exception
    notices = [w.value for w in at.warning if "cannot be used" in w.value]
    assert len(notices) == 1 and f"“{name}”" in notices[0]
    assert value not in notices[0] or value.isalnum()  # markup arrives escaped
    assert texts.markdown_literal(value) in notices[0]
