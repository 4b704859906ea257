"""The dashboard in a real browser: ``streamlit run app.py`` driven by Playwright in Chromium.

What AppTest cannot see is checked here: the pages as rendered (no exception element, the expected
headings), what fits in the first screen of a 1366×768 laptop, navigation by clicking, a copied
link reopening the same view in a fresh browser, and a click on a chart's bar opening that unit.
A screenshot of every page is saved to ``artifacts/screenshots/`` for a person to look at.

Chromium comes from Debian's package (``/usr/bin/chromium``; Playwright's own download is not
available). Without it the tests are skipped, except in CI, where that is a failure.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from metrics.loader import load_config
from tests.browser_support import CHROMIUM_ARGS, READY, chromium, require, running_app
from tests.test_app_pages import demo_copy

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # reported by the ``browser`` fixture: a skip here, a failure in CI
    sync_playwright = None

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "artifacts" / "screenshots"
SCREEN = {"width": 1366, "height": 768}
PAGES = [  # (screenshot name, path, heading)
    ("overview", "/", "Tổng quan"),
    ("metric", "/metric?metric=tasks_overdue_city&by=unit", "Nhiệm vụ quá hạn do Thành phố giao"),
    ("units", "/units", "Bảng tổng hợp theo đơn vị"),
    ("unit", "/units?unit=so_y_te", "Sở Y tế"),
    ("tasks", "/tasks", "Nhiệm vụ thực hiện Nghị quyết 57"),
    ("directives", "/directives", "Ý kiến chỉ đạo"),
    ("data", "/data", "Nguồn dữ liệu"),
]


@pytest.fixture(scope="module")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(demo_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free loopback port, on the demo configuration; stopped after the module."""
    chromium()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with running_app({"KPI_CONFIG": str(demo_config)}, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    if sync_playwright is None:
        require("Playwright", "the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=SCREEN, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    yield context.new_page()
    context.close()


def settle(page: Page) -> None:
    """Wait until the app has finished its run (the old state may show for a moment first)."""
    page.wait_for_timeout(350)
    page.wait_for_selector(READY, timeout=60_000)


def visit(page: Page, base: str, path: str) -> None:
    page.goto(base + path)
    settle(page)


def assert_clean(page: Page, heading: str) -> None:
    assert page.locator("[data-testid=stException]").count() == 0
    page.get_by_role("heading", name=heading, exact=True, level=2).wait_for(timeout=10_000)


def screenshot(page: Page, name: str) -> Path:
    """The whole page: the app scrolls inside its main element, so grow the viewport first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": SCREEN["width"], "height": max(SCREEN["height"], height)})
    page.wait_for_timeout(400)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(SCREEN)
    return path


def in_first_screen(page: Page, selector: str) -> dict[str, float]:
    """The element's box, asserting it is entirely inside the 1366×768 viewport."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"], (selector, box)
    assert box["x"] + box["width"] <= SCREEN["width"], (selector, box)
    return box


@pytest.mark.parametrize(("name", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_by_url(page: Page, server: str, name: str, path: str, heading: str) -> None:
    visit(page, server, path)
    assert_clean(page, heading)
    assert screenshot(page, name).stat().st_size > 10_000


def test_the_first_screen_answers_the_conference(
    page: Page, server: str, demo_config: Path
) -> None:
    """At 1366×768, without scrolling: the 12 and 18 overdue tasks, the yearly disbursement
    below 42%, the online rate beside the on-time rate, the departments that keep data closed."""
    visit(page, server, "/")
    assert_clean(page, "Tổng quan")
    # the theme table's last line may still settle (fonts, images): wait for the two side by side
    page.wait_for_function(
        """() => {
            const box = (id) => document.querySelector(`[data-headline=${id}]`)?.getBoundingClientRect();
            const a = box("tasks_overdue_central"), b = box("tasks_overdue_city");
            return a && b && Math.abs(a.y - b.y) < 12;
        }""",
        timeout=10_000,
    )
    central = in_first_screen(page, "[data-headline=tasks_overdue_central]")
    city = in_first_screen(page, "[data-headline=tasks_overdue_city]")
    assert "12" in page.inner_text("[data-headline=tasks_overdue_central]")
    assert "18" in page.inner_text("[data-headline=tasks_overdue_city]")
    assert abs(central["y"] - city["y"]) < 12  # side by side (a line of text may still settle)
    bars = "[data-headline=st_disbursement_rate] img"
    in_first_screen(page, bars)
    alt = page.get_attribute(bars, "alt")
    assert alt is not None and "2021: 31,0% · 2022: 36,0% · 2023: 39,0% · 2024: 41,0%" in alt
    online = in_first_screen(page, "[data-headline=online_filing_rate]")
    on_time = in_first_screen(page, "[data-headline=dossiers_on_time_rate]")
    assert abs(online["y"] - on_time["y"]) < 12 and online["x"] < on_time["x"]
    refused = [
        s.id for s in load_config(demo_config).sources.values() if s.sharing.status == "refused"
    ]
    assert len(refused) == 3
    for source in refused:
        in_first_screen(page, f"[data-source={source}]")
    text = page.inner_text("[data-testid=stMain]")
    for department in ("Sở Y tế", "Sở Công Thương", "Sở Tư pháp"):
        assert department in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "overview_first_screen.png"))


def test_navigation_by_clicking(page: Page, server: str) -> None:
    """Every page by its link in the sidebar; the second round runs on cached data and must
    switch quickly (about half a second here; the bound is generous for a loaded machine)."""
    visit(page, server, "/")
    links = [
        ("Chỉ số", None),
        ("Đơn vị", "Bảng tổng hợp theo đơn vị"),
        ("Nhiệm vụ", "Nhiệm vụ thực hiện Nghị quyết 57"),
        ("Dữ liệu", "Nguồn dữ liệu"),
        ("Tổng quan", "Tổng quan"),
    ]
    switches: dict[str, float] = {}
    for _ in range(2):
        for label, heading in links:
            started = time.monotonic()
            page.locator("[data-testid=stSidebarNav] a", has_text=label).first.click()
            settle(page)
            switches[label] = time.monotonic() - started
            assert page.locator("[data-testid=stException]").count() == 0
            if heading:
                assert_clean(page, heading)
    assert max(switches.values()) < 3, switches

    page.get_by_text("English", exact=True).click()
    settle(page)
    assert_clean(page, "Overview")
    page.locator("[data-testid=stSidebarNav] a", has_text="Tasks").first.click()
    settle(page)
    assert_clean(page, "Resolution 57 tasks")
    assert parse_qs(urlparse(page.url).query)["lang"] == ["en"]
    screenshot(page, "tasks_en")


def test_a_copied_link_reopens_the_same_view(browser: Browser, page: Page, server: str) -> None:
    visit(page, server, "/metric?metric=tasks_overdue_city&by=unit")
    link = page.url
    query = parse_qs(urlparse(link).query)
    assert query["metric"] == ["tasks_overdue_city"] and query["by"] == ["unit"]
    assert query["lang"] == ["vi"] and query["as_of"] == ["2025-11-14"]
    other = browser.new_context(viewport=SCREEN)
    try:
        colleague = other.new_page()
        visit(colleague, "", link)
        assert_clean(colleague, "Nhiệm vụ quá hạn do Thành phố giao")
        colleague.get_by_role("heading", name="Phân tích theo Đơn vị").wait_for()
    finally:
        other.close()


def test_clicking_a_bar_opens_that_unit(page: Page, server: str, demo_config: Path) -> None:
    visit(page, server, "/metric?metric=tasks_overdue&by=unit")
    chart = page.locator("[data-testid=stPlotlyChart]").nth(1)
    chart.scroll_into_view_if_needed()
    bars = chart.locator(".barlayer .point path")
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    widest = max((b for b in boxes if b), key=lambda b: b["width"])
    page.mouse.click(widest["x"] + widest["width"] / 2, widest["y"] + widest["height"] / 2)
    page.wait_for_url("**/units?**", timeout=15_000)
    settle(page)
    unit = parse_qs(urlparse(page.url).query)["unit"][0]
    name = load_config(demo_config).units[unit].name.get("vi")
    assert_clean(page, name)
    screenshot(page, "unit_from_bar")


def test_clicking_a_scorecard_cell_opens_that_unit(page: Page, server: str) -> None:
    visit(page, server, "/units?theme=discipline&kind=department&sort=name")
    plot = page.locator("[data-testid=stPlotlyChart] .nsewdrag").first
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 12, box["y"] + 12)  # the first column of the first row
    page.wait_for_function("location.search.includes('unit=')", timeout=15_000)
    settle(page)
    assert_clean(page, "Ban Quản lý các khu công nghệ cao và khu công nghiệp")


def test_no_page_asks_another_host(page: Page, server: str) -> None:
    """On a city intranet without internet every page still works, and no outside host learns
    who is looking: every request of every page (fonts, icons, the favicon) goes to the app."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    board = "board=conference-2025-11-14"
    paths = [path for _, path, _ in PAGES] + [f"/present?{board}", f"/present?{board}&view=notes"]
    for path in paths:
        visit(page, server, path)
        page.wait_for_timeout(1_500)  # late requests: fonts, icons, chart images
    local = {urlparse(server).hostname, "localhost", "127.0.0.1"}
    outside = sorted({url for url in asked if urlparse(url).hostname not in local})
    assert outside == []
    icon = page.locator("link[rel*=icon]").first.get_attribute("href") or ""
    assert urlparse(icon).hostname in (None, *local)  # the favicon is the app's own
    assert len(asked) > len(paths)


def test_a_broken_file_is_named_and_the_rest_stands(
    page: Page, server: str, demo_config: Path
) -> None:
    """An edit that breaks a metric file and a new file with an unknown column, as a staff member
    saves them while the app runs: the overview names each file and line, the broken file's
    last valid version keeps its cards, and the new metric shows an error in its theme."""
    cards = "[data-card]"
    every = len(load_config(demo_config).metrics)  # one card per metric once the page is drawn
    all_drawn = f"document.querySelectorAll('{cards}').length >= {every}"
    visit(page, server, "/?lang=en")
    page.wait_for_function(all_drawn, timeout=30_000)
    discipline = demo_config / "metrics" / "discipline.yaml"
    original = discipline.read_text(encoding="utf-8")
    new = demo_config / "metrics" / "zz_new.yaml"
    try:
        discipline.write_text(original.replace("metrics:\n", "metrics:\n  oops: : :\n", 1))
        new.write_text(
            "metrics:\n  - id: patents_granted\n    title: {vi: Bằng sáng chế, en: Patents}\n"
            "    theme: discipline\n    source: tasks\n    value: count(patent_no > 0)\n",
            encoding="utf-8",
        )
        time.sleep(1.2)  # the app looks at the files' times at most once a second
        visit(page, server, "/?lang=en")
        page.locator("[data-error=patents_granted]").wait_for(timeout=30_000)
        page.wait_for_function(all_drawn, timeout=30_000)
        notice = page.locator("[data-testid=stAlertContentWarning]").first.inner_text()
        assert "config/metrics/discipline.yaml, line 3: invalid YAML" in notice
        assert "its last valid version (from" in notice
        assert "config/metrics/zz_new.yaml, line 6: unknown column 'patent_no'" in notice
        assert page.locator(cards).count() == every  # the broken file's cards still serve
        assert page.locator("[data-error=patents_granted]").count() == 1
        screenshot(page, "overview-broken-file")
    finally:
        discipline.write_text(original, encoding="utf-8")
        new.unlink(missing_ok=True)
        time.sleep(1.2)
