"""Presenter mode in a real browser: ``streamlit run app.py`` driven by Playwright in Chromium.

Walks the 14/11/2025 deck with the keys a presenter and a clicker use, at the two screen sizes a
meeting room has, and keeps a screenshot of every slide in ``artifacts/screenshots/`` for a
person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser_support import CHROMIUM_ARGS, READY, chromium, running_app
from tests.conftest import REPO

BOARD = "conference-2025-11-14"
TITLES = ["Kỷ cương thực thi", "Dữ liệu và hạ tầng", "Nguồn lực", "Chất lượng phục vụ"]
SHOTS = REPO / "artifacts" / "screenshots"
TITLE = ".st-key-pc-title [data-testid=stText]"
MAIN_NUMBER = "[class*=st-key-pc-value-] [data-testid=stText]"
CHROME = [
    "[data-testid=stHeader]",
    "[data-testid=stToolbar]",
    "[data-testid=stMainMenu]",
    "[data-testid=stDecoration]",
    "[data-testid=stSidebar]",
    "[data-testid=stSidebarCollapsedControl]",
    "[data-testid=stStatusWidget]",
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, started the way a user starts it, with its own snapshot store."""
    chromium()
    folder = tmp_path_factory.mktemp("app")
    env = {"KPI_STORE_URL": f"sqlite:///{folder / 'store.sqlite'}"}
    with running_app(env, folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def settle(page) -> None:
    page.wait_for_timeout(300)  # the old state may still show for a moment
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_timeout(300)


def press(page, key: str, expected_title: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.innerText === text",
        arg=[TITLE, expected_title],
        timeout=30_000,
    )
    settle(page)


def slide_in_url(page) -> str:
    return page.url.split("slide=")[1].split("&")[0]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_the_deck_fills_the_screen_and_the_keys_walk_it(
    app_url: str, browser, width: int, height: int
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.goto(f"{app_url}/present?board={BOARD}&slide=1")
    settle(page)
    page.wait_for_selector(TITLE, timeout=60_000)

    assert page.locator("[data-testid=stException]").count() == 0
    for selector in CHROME:
        assert not page.locator(selector).first.is_visible(), f"{selector} is visible"
    number = page.evaluate(
        "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", MAIN_NUMBER
    )
    body = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert number >= (40 if width >= 1920 else 32), number
    assert number >= 2.5 * body, (number, body)

    for index, title in enumerate(TITLES):
        assert page.inner_text(TITLE) == title
        assert slide_in_url(page) == str(index + 1)
        fits = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=stMain]');"
            " return m.scrollHeight <= m.clientHeight + 2 }"
        )
        assert fits, f"slide {index + 1} does not fit {width}x{height}"
        page.screenshot(path=str(SHOTS / f"present-{width}x{height}-slide{index + 1}.png"))
        if index + 1 < len(TITLES):
            press(page, "ArrowRight", TITLES[index + 1])

    page.keyboard.press("ArrowRight")  # the last slide stays the last
    settle(page)
    assert page.inner_text(TITLE) == TITLES[-1] and slide_in_url(page) == "4"
    press(page, "PageUp", TITLES[2])  # what a presentation clicker sends
    press(page, "PageDown", TITLES[3])
    press(page, "ArrowLeft", TITLES[2])
    assert slide_in_url(page) == "3"
    page.close()


def test_the_speaker_view_follows_the_presenter(app_url: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    presenter = context.new_page()
    presenter.goto(f"{app_url}/present?board={BOARD}&slide=2")
    settle(presenter)
    speaker = context.new_page()
    speaker.goto(f"{app_url}/present?board={BOARD}&view=notes")
    settle(speaker)
    now = ".st-key-pc-notes-now [data-testid=stText]"
    assert speaker.inner_text(now) == TITLES[1]
    assert "cát cứ" in speaker.inner_text(".st-key-pc-notes-text [data-testid=stText]")
    presenter.bring_to_front()
    press(presenter, "ArrowRight", TITLES[2])
    speaker.wait_for_function(
        "([s, text]) => document.querySelector(s)?.innerText === text",
        arg=[now, TITLES[2]],
        timeout=15_000,
    )
    speaker.screenshot(path=str(SHOTS / "present-speaker-view.png"))
    context.close()
