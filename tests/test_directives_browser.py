"""The board's day in a real browser: at the meeting the presenter records a conclusion on the
slide being shown; the next morning the responsible department's page, the metric's page and
the Directives page show it with its deadline; a month later the overview counts it overdue and
the next meeting opens with it, until it is marked done on the Directives page.

Screenshots of the speaker view, the pages and the next meeting's first slide, at 1366×768 and
1920×1080, are kept in ``artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import test_present_browser as presenter_tests
from tests.conftest import REPO
from tests.test_present_browser import settle

app_url = presenter_tests.app_url  # the app with a store of its own, for this module
browser = presenter_tests.browser
BOARD = "monthly-review"
MEETING, NEXT = "2025-11-14", "2025-12-15"
TEXT = "Sở Khoa học và Công nghệ hoàn thành kết nối dữ liệu các sở trước 15/12"
SHOTS = REPO / "artifacts" / "screenshots"
TITLE = ".st-key-pc-title [data-testid=stText]"
SIZES = [(1366, 768), (1920, 1080)]


MAIN_TEXT = "document.querySelector('[data-testid=stMain]').textContent"


def _open(page, url: str, expect: str | None = None) -> str:
    """The page's text once drawn, the tables' cells included (their accessible copy, drawn a
    moment after the page: waited for when ``expect`` is one of them)."""
    page.goto(url)
    settle(page)
    assert page.locator("[data-testid=stException]").count() == 0, url
    if expect is not None:
        with contextlib.suppress(PlaywrightTimeout):  # the assertion below says what is missing
            page.wait_for_function(f"t => {MAIN_TEXT}.includes(t)", arg=expect, timeout=15_000)
    return page.evaluate(MAIN_TEXT)


def _shots(page, url: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        _open(page, url)
        page.screenshot(path=str(SHOTS / f"directives-{name}-{width}x{height}.png"))


def test_a_conclusion_from_the_meeting_is_followed_up_to_the_next(app_url: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    presenter = context.new_page()
    _open(presenter, f"{app_url}/present?board={BOARD}&as_of={MEETING}&slide=2")
    speaker = context.new_page()
    shown = _open(speaker, f"{app_url}/present?board={BOARD}&as_of={MEETING}&view=notes")
    assert "giao Sở Khoa học và Công nghệ" in shown  # proposed from the slide's metric's owner

    area = speaker.locator(".st-key-pc-directive_text textarea")
    area.click()
    area.press_sequentially(TEXT[:30], delay=20)
    speaker.wait_for_timeout(2500)  # the speaker view follows the presenter every second
    area.press_sequentially(TEXT[30:], delay=5)
    assert area.input_value() == TEXT  # nothing typed was lost to the following
    area.press("Control+Enter")
    settle(speaker)
    said = speaker.locator("[data-testid=stAlertContentSuccess]").inner_text()
    assert "Đã ghi chỉ đạo số 1" in said and "phiên họp số 1" in said and "14/12/2025" in said
    speaker.screenshot(path=str(SHOTS / "directives-speaker-1366x768.png"))

    page = context.new_page()
    unit = f"{app_url}/units?unit=so_khoa_hoc_cong_nghe"
    for url in (unit, f"{app_url}/metric?metric=datasets_shared_rate", f"{app_url}/directives"):
        text = _open(page, f"{url}{'&' if '?' in url else '?'}as_of={MEETING}", TEXT)
        assert TEXT in text and "14/12/2025" in text and "Chưa thực hiện" in text, url
    late = _open(page, f"{unit}&as_of={NEXT}", TEXT)
    assert TEXT in late and "Quá hạn" in late
    assert "1 ý kiến chỉ đạo quá hạn" in _open(page, f"{app_url}/?as_of={NEXT}")
    assert "Ý kiến chỉ đạo quá hạn" in _open(page, f"{app_url}/units?as_of={NEXT}&kind=department")
    _shots(page, f"{unit}&as_of={NEXT}", "unit")

    next_deck = f"{app_url}/present?board={BOARD}&as_of={NEXT}&slide=1"
    opening = _open(page, next_deck)
    assert page.inner_text(TITLE) == "Kết luận kỳ trước"
    assert TEXT in opening and "Sở Khoa học và Công nghệ" in opening
    _shots(page, next_deck, "previous-conclusions")

    _open(page, f"{app_url}/directives?as_of={NEXT}")
    page.locator(".st-key-directive_new_status").click()
    page.get_by_role("option", name="Đã hoàn thành").click()
    page.get_by_role("button", name="Lưu cập nhật").click()
    settle(page)
    assert "Đã lưu" in page.locator("[data-testid=stAlertContentSuccess]").inner_text()
    _open(page, next_deck)
    assert page.inner_text(TITLE) != "Kết luận kỳ trước"  # done: no longer carried over
    context.close()
