"""The presenter page in AppTest: every slide of the demo deck, URL parameters, navigation,
the speaker view, and publishing and reopening a snapshot."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import access, texts
from dashboard.briefing import figures
from metrics.deck import Deck
from metrics.store import Store
from tests.conftest import REPO

PAGE = str(REPO / "dashboard" / "page_present.py")
BOARD = "conference-2025-11-14"


@pytest.fixture(autouse=True)
def store_url(tmp_path, monkeypatch) -> str:
    """Every test publishes into its own SQLite file, never into the repository's state."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("KPI_STORE_URL", url)
    return url


def run(*, user: access.User = access.DEMO, **params: str) -> AppTest:
    """The presenter page alone, as ``user`` (signed in through ``app.py`` in the app)."""
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.session_state[access.USER] = user
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text_of(at: AppTest, key: str) -> str:
    return "\n".join(e.value for e in at.get_by_key(key).text)


def all_text(at: AppTest) -> list[str]:
    return [e.value for e in at.text]


def slide_number(at: AppTest) -> str:
    return (
        at.query_params["slide"][0]
        if isinstance(at.query_params["slide"], list)
        else at.query_params["slide"]
    )


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_slide_of_the_demo_deck_renders_its_figures(deck: Deck, number: int) -> None:
    at = run(board=BOARD, slide=str(number))
    slide = deck.slides[number - 1]
    assert text_of(at, "pc-title") == slide.title["vi"]
    assert text_of(at, "pc-counter") == f"Trang {number}/4"
    shown = all_text(at)
    for card in slide.cards:
        lines = texts.card_text(card, "vi")
        assert lines.title in shown and lines.value in shown and lines.status in shown
    for line in slide.bullet_lines("vi"):
        assert f"• {line}" in shown
    drawable = slide.chart is not None and figures.chart_figure(slide.chart, "vi") is not None
    assert len(at.get("plotly_chart")) == (1 if drawable else 0)
    if slide.chart is not None and not drawable:  # a failed source says why in the chart's place
        assert text_of(at, "pc-chart-note").startswith("Không vẽ được biểu đồ")
    assert "Số liệu tính đến 14/11/2025" in text_of(at, "pc-footer")
    assert slide.notes["vi"] not in "\n".join(shown)  # notes only in the speaker view


def test_the_conference_numbers_are_on_the_first_slide() -> None:
    at = run(board=BOARD, slide="1")
    shown = all_text(at)
    assert "569" in shown and "12" in shown and "18" in shown
    assert "▼ −3 so với kỳ trước (tốt lên)" in "\n".join(shown)  # fewer overdue: good news


def test_a_yearly_card_is_compared_with_the_previous_year() -> None:
    at = run(board=BOARD, slide="3")
    assert "▲ +6,0 điểm % so với năm trước (tốt lên)" in "\n".join(all_text(at))


def test_url_parameters_select_the_slide_and_stay_within_the_deck() -> None:
    assert text_of(run(board=BOARD, slide="3"), "pc-title") == "Nguồn lực"
    assert text_of(run(board=BOARD, slide="99"), "pc-title") == "Chất lượng phục vụ"
    assert text_of(run(board=BOARD, slide="0"), "pc-title") == "Kỷ cương thực thi"
    assert text_of(run(board=BOARD, slide="bốn"), "pc-title") == "Kỷ cương thực thi"
    at = run(board=BOARD)
    assert slide_number(at) == "1"
    english = run(board=BOARD, slide="2", lang="en")
    assert text_of(english, "pc-title") == "Data and infrastructure"
    assert text_of(english, "pc-counter") == "Slide 2 of 4"


def test_navigation_moves_by_one_and_stops_at_the_ends() -> None:
    at = run(board=BOARD, slide="1")
    assert at.button(key="pc-prev").disabled
    at.button(key="pc-pgup").click().run()  # a clicker's Page Up on the first slide
    assert slide_number(at) == "1"
    titles = [text_of(at, "pc-title")]
    for expected in ("2", "3", "4"):
        at.button(key="pc-next").click().run()
        assert slide_number(at) == expected
        titles.append(text_of(at, "pc-title"))
    assert titles == ["Kỷ cương thực thi", "Dữ liệu và hạ tầng", "Nguồn lực", "Chất lượng phục vụ"]
    assert at.button(key="pc-next").disabled
    at.button(key="pc-pgdn").click().run()  # Page Down on the last slide
    assert slide_number(at) == "4"
    at.button(key="pc-prev").click().run()
    assert slide_number(at) == "3" and text_of(at, "pc-title") == "Nguồn lực"
    at.button(key="pc-pgup").click().run()
    assert slide_number(at) == "2"


def test_the_speaker_view_follows_the_shown_slide_with_its_notes(deck: Deck) -> None:
    presenter = run(board=BOARD, slide="2")
    speaker = run(board=BOARD, view="notes")  # another tab: no slide of its own
    assert text_of(speaker, "pc-notes-now") == "Dữ liệu và hạ tầng"
    assert text_of(speaker, "pc-notes-text") == deck.slides[1].notes["vi"]
    assert text_of(speaker, "pc-notes-next") == "Nguồn lực"
    figures = "\n".join(x.value for x in speaker.text)
    assert "Cơ sở dữ liệu chưa được chia sẻ (từ chối): 13" in figures  # this slide's numbers
    assert "Giải ngân chi thường xuyên KHCN: 47,0%" in figures  # and the next slide's
    assert not speaker.get("plotly_chart")  # the notes; the one button records a conclusion
    assert [b.key for b in speaker.button] == ["pc-directive_submit"]
    presenter.button(key="pc-next").click().run()
    presenter.button(key="pc-next").click().run()
    speaker.run()  # what the fragment's timer does every second
    assert text_of(speaker, "pc-counter") == "Trang 4/4"
    assert text_of(speaker, "pc-notes-now") == "Chất lượng phục vụ"
    assert text_of(speaker, "pc-notes-next") == "Hết bài trình chiếu"


def test_an_unknown_board_says_so_and_offers_the_others() -> None:
    at = run(board="khongco")
    assert "Không có bộ trình chiếu 'khongco'" in at.error[0].value
    assert at.button(key=f"pc-board-{BOARD}")


def test_publishing_freezes_the_figures_once(store_url: str, deck: Deck) -> None:
    at = run(board=BOARD, slide="1")
    at.text_input[1].set_value("Văn phòng Thành ủy")
    at.button(key="pc-publish").click().run()
    assert at.success[0].value == "Đã chốt số liệu: bản số 1"
    at.button(key="pc-publish").click().run()
    assert at.success[0].value == "Bản chốt này đã có (số 1), không lưu thêm"
    [info] = Store(store_url).list_snapshots(BOARD)
    assert info.author == "Văn phòng Thành ủy" and info.as_of == deck.as_of


def test_a_snapshot_reopens_as_presented_and_compared_with_today(
    store_url: str, deck: Deck
) -> None:
    from metrics.deck import publish_deck

    done = publish_deck(Store(store_url), deck, label="Hội nghị 14/11", author="Văn phòng")
    at = run(snapshot=str(done.snapshot.id), slide="1")
    assert at.query_params["board"] in (BOARD, [BOARD])
    banner = text_of(at, "pc-banner")
    assert "Bản chốt số 1 «Hội nghị 14/11»" in banner and "So sánh với số liệu hiện nay" in banner
    assert text_of(at, "pc-value-1") == "12"
    assert text_of(at, "pc-now-1") == "Hiện nay: 12 (không đổi so với lúc chốt)"
    missing = run(snapshot="999")
    assert "không có bản chốt số liệu số 999" in missing.error[0].value
