"""Staff text is text: what is typed in YAML or found in the data is shown as written on every
page, chart, slide and briefing, never read as Markdown or HTML.

A copy of the configuration has hostile text (bold, a tag, a script, an image and a link to a
local server, a ``javascript:`` link) in every unit's name, every title written on one line
(metrics, themes, slides), the descriptions, the slides' notes and the dashboard's title. The
pages are run with AppTest and each element that Streamlit renders as Markdown or HTML is read
for markup that got through; a Chromium test opens every page against a local HTTP server that
must receive nothing; the briefings and the charts are read too.
"""

from __future__ import annotations

import ast
import datetime as dt
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts
from tests.browser_support import free_port
from tests.conftest import CONFERENCE, REPO

BEACON_PORT = free_port()  # the hostile text names it; the Chromium test serves on it
HOSTILE = (
    "**x** <b>b</b> <script>alert(1)</script> "
    f"![i](http://127.0.0.1:{BEACON_PORT}/md.png) [j](javascript:alert(1)) "
    f"<img src='http://127.0.0.1:{BEACON_PORT}/tag.png'>"
)
# markup that got through: unescaped for Markdown (no backslash before it) or for HTML
MARKDOWN_LEAKS = [
    re.compile(r"(?<!\\)\*\*x(?<!\\)\*\*"),
    re.compile(r"(?<!\\)<b(?<!\\)>b"),
    re.compile(r"(?<!\\)<script"),
    re.compile(r"(?<!\\)!(?<!\\)\[i"),
    re.compile(r"(?<!\\)\]\(javascript"),
    re.compile(r"(?<!\\)<img src='http"),
]
HTML_LEAKS = [re.compile(r"<b>b</b>"), re.compile(r"<script"), re.compile(r"<img src='http")]
PLAIN_TYPES = {
    "text",
    "code",
    "dataframe",
    "selectbox",
    "date_input",
    "text_input",
}  # shown as written
_ONE_LINE_TEXT = re.compile(r"^(\s*(?:- )?(?:title|name): )\{vi: ([^\"{},]+), en: ([^\"{},]+)\}$")
_BLOCK_TEXT = re.compile(r"^(\s+)(vi|en): ([^\"\[\]{}'\s][^\"]*)$")


def make_hostile(folder: Path) -> None:
    """Put ``HOSTILE`` after every one-line title and name, and every vi/en line of a block
    (descriptions, notes, the dashboard's title), in every YAML file of ``folder``."""
    for path in folder.rglob("*.yaml"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := _ONE_LINE_TEXT.match(line):
                head, vi, en = match.groups()
                line = f'{head}{{vi: "{vi} {HOSTILE}", en: "{en} {HOSTILE}"}}'
            elif match := _BLOCK_TEXT.match(line):
                indent, lang, text = match.groups()
                line = f'{indent}{lang}: "{text.rstrip()} {HOSTILE}"'
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def hostile(config_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_hostile(config_copy)
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("KPI_CONFIG", str(config_copy))
    monkeypatch.setenv("KPI_STORE_URL", f"sqlite:///{config_copy.parent / 'store.sqlite'}")
    return config_copy


def test_the_hostile_copy_is_valid_and_hostile(hostile: Path) -> None:
    from metrics.loader import load_config

    config = load_config(hostile)
    assert config.errors == []
    assert HOSTILE in config.units["so_y_te"].name.get("vi")
    assert HOSTILE in config.metrics["online_filing_rate"].title.get("en")
    assert HOSTILE in config.metrics["online_filing_rate"].description.get("en")
    assert HOSTILE in config.themes["discipline"].title.get("vi")
    assert HOSTILE in config.settings.title.get("vi")
    board = config.boards[CONFERENCE]
    assert HOSTILE in board.slides[0].title.get("vi") and HOSTILE in board.slides[0].notes.get("en")


def _elements(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    for child in children.values() if isinstance(children, dict) else children or ():
        yield from _elements(child)


def _leaks(at: AppTest) -> list[str]:
    """Every element whose rendered markup carries hostile markup that was not escaped."""
    found = []
    for element in _elements(at._tree):
        kind = getattr(element, "type", "")
        proto = getattr(element, "proto", None)
        if proto is None or kind in PLAIN_TYPES:
            continue
        body = str(proto)
        leaks = HTML_LEAKS if kind == "html" or kind == "plotly_chart" else MARKDOWN_LEAKS
        found += [f"{kind}: {p.pattern}: {body[:300]}" for p in leaks if p.search(body)]
    return found


PAGES = [
    ("overview", {}),
    ("overview", {"theme": "discipline"}),
    ("metric", {"metric": "online_filing_rate"}),
    ("metric", {"metric": "tasks_overdue_city", "by": "unit"}),
    ("units", {}),
    ("units", {"unit": "so_y_te"}),
    ("tasks", {}),
    ("data", {}),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("page", "params"), PAGES, ids=[f"{p}-{len(q)}" for p, q in PAGES])
def test_every_page_shows_staff_text_as_text(
    hostile: Path, page: str, params: dict[str, str], lang: str
) -> None:
    from tests.test_app_pages import run

    at = run(page, lang=lang, **params)
    assert _leaks(at) == []
    shown = " ".join(str(getattr(e, "proto", "")) for e in _elements(at._tree))
    assert any(s in shown for s in (r"\*\*x\*\*", "&lt;b&gt;b", "**x**"))  # the text is there


@pytest.mark.parametrize("view", [None, "notes"])
def test_the_presenter_shows_staff_text_as_text(hostile: Path, view: str | None) -> None:
    from tests.test_present_page import run as present

    at = present(board=CONFERENCE, **({"view": view} if view else {}))
    assert _leaks(at) == []
    assert any(HOSTILE in t.value for t in at.text)  # shown as written, with st.text


def test_charts_show_names_as_written() -> None:
    import polars as pl

    frame = pl.DataFrame({"key": ["a", "b"], "label": [f"A {HOSTILE}", "B"], "value": [1.0, 2.0]})
    bars = charts.breakdown(frame, dim_label_col="label", key_col="key", fmt="count", lang="vi")
    labels = list(bars.data[0].y)
    assert all("<b>" not in label and "<img" not in label for label in labels)
    assert any("&lt;b&gt;b&lt;/b&gt;" in label for label in labels)
    assert all("<b>b</b>" not in text for text in bars.data[0].hovertext)
    series = pl.DataFrame({"period_end": [dt.date(2025, 1, 31)], "value": [1.0]})
    titled = charts.trend(series, fmt="count", lang="vi", title=HOSTILE)
    assert "<b>" not in titled.layout.title.text and "&lt;script&gt;" in titled.layout.title.text


def test_the_briefings_show_staff_text_as_written(hostile: Path) -> None:
    import io
    import zipfile

    from dashboard.briefing import build
    from metrics.deck import compute_deck
    from metrics.workspace import open_workspace

    workspace = open_workspace(hostile)
    board = workspace.config.boards[CONFERENCE]
    deck = compute_deck(
        workspace.config, workspace.catalog, board, as_of_default=workspace.default_as_of()
    )
    pptx = zipfile.ZipFile(io.BytesIO(build(deck, "vi", "pptx")))
    slides = b"".join(pptx.read(n) for n in pptx.namelist() if n.startswith("ppt/slides/slide"))
    assert b"**x** &lt;b&gt;b&lt;/b&gt; &lt;script&gt;" in slides  # literal text in the XML
    pdf = build(deck, "en", "pdf")
    assert pdf.startswith(b"%PDF") and b"/URI" not in pdf  # no link was made of the text


# --------------------------------------------------------------------------- the sinks


def _html_calls(path: Path) -> list[int]:
    """Lines calling ``.html(...)`` or passing ``unsafe_allow_html``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        if getattr(node.func, "attr", None) == "html" or any(
            k.arg == "unsafe_allow_html" for k in node.keywords
        ):
            lines.append(node.lineno)
    return lines


def test_every_html_sink_says_why_it_is_safe() -> None:
    """No ``st.html`` or ``unsafe_allow_html`` takes text as it comes: each use is fixed markup
    (or a builder that escapes every text it holds) and says so on the line before."""
    unexplained = []
    files = [REPO / "app.py", *sorted((REPO / "dashboard").rglob("*.py"))]
    for path in files:
        source = path.read_text(encoding="utf-8").splitlines()
        for line in _html_calls(path):
            before = source[line - 2].strip()
            if not re.match(r"# html-safe: \S", before):
                unexplained.append(f"{path.relative_to(REPO)}:{line}")
    assert unexplained == []
    assert sum(len(_html_calls(p)) for p in files) > 5  # the scan sees the calls


# --------------------------------------------------------------------------- in a browser


class _Beacon(http.server.BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Beacon.asked.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def test_no_page_fetches_or_runs_what_staff_typed(hostile: Path, tmp_path: Path) -> None:
    from tests.browser_support import CHROMIUM_ARGS, READY, chromium, require, running_app

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("Playwright", "the playwright package is not installed")
    _Beacon.asked.clear()
    beacon = http.server.ThreadingHTTPServer(("127.0.0.1", BEACON_PORT), _Beacon)
    threading.Thread(target=beacon.serve_forever, daemon=True).start()
    board = f"board={CONFERENCE}"
    paths = [
        "/", "/?theme=discipline", "/metric?metric=online_filing_rate",
        "/metric?metric=tasks_overdue_city&by=unit", "/units", "/units?unit=so_y_te", "/tasks",
        "/data", f"/present?{board}", f"/present?{board}&slide=2", f"/present?{board}&view=notes",
    ]  # fmt: skip
    try:
        with (
            running_app({"KPI_CONFIG": str(hostile)}, tmp_path / "app.log") as url,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for path in paths:
                page.goto(url + path)
                page.wait_for_timeout(350)
                page.wait_for_selector(READY, timeout=90_000)
                page.wait_for_timeout(1_000)  # late images
                assert page.locator("[data-testid=stException]").count() == 0, path
                assert page.locator("a[href^='javascript']").count() == 0, path
                assert page.get_by_text("**x**").count() > 0, path  # the text, as written
            browser.close()
    finally:
        beacon.shutdown()
    assert _Beacon.asked == [] and dialogs == []
