"""Trình chiếu / Present: a board shown one slide at a time on a shared screen.

URL: ``/present?board=ID&slide=N`` (N from 1) opens slide N, so a presenter can reopen slide 4;
``&snapshot=ID`` shows a published snapshot's figures exactly as presented, each card compared
with today's; ``&view=notes`` is the speaker view for a second tab (current and next slide and
the notes), which follows the slide on screen through state shared by the server.

The whole deck is computed once (``metrics.deck.compute_deck``) and cached under the
configuration's hash and the sources' fingerprints, so slides change instantly and every slide,
the snapshot and the downloaded briefing carry the same numbers. Navigation reruns only the
slide's fragment: no page reload, no flicker. Keys: arrows and Page Up/Down (what a clicker
sends) through the buttons' own ``shortcut``.

Texts from YAML are written with ``st.text`` (never parsed as Markdown or HTML); the large type
and the hidden Streamlit chrome come from one style sheet targeting keyed containers.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import (
    access,
    briefing,
    charts,
    data,
    directive_entry,
    pages,
    params,
    style,
    texts,
    views,
)
from dashboard.access import AccessDenied
from dashboard.briefing import figures
from dashboard.components import broken_files_notice, guard
from dashboard.i18n import t
from metrics import fmt
from metrics.config import Config
from metrics.deck import (
    Card,
    Deck,
    DeckSlide,
    meeting_snapshot,
    pick,
    text_of,
)
from metrics.store import StoreError
from metrics.workspace import Workspace
from sources.problems import Lang, ProjectError

BOARD, SLIDE, SNAPSHOT, LANG, AS_OF, VIEW = "board", "slide", "snapshot", "lang", "as_of", "view"
NOTES_VIEW = "notes"
CONCLUSION_COLUMNS = (0.5, 4.2, 2.4, 2.2, 1.4, 1.2, 1.4, 1.4)  # texts.conclusion_rows
FOLLOW_EVERY = 1.0  # seconds between the speaker view's looks at the shown slide


# --------------------------------------------------------------------------- state and data


def _lang(config: Config) -> Lang:
    """The language control of ``app.py``, else ``?lang=``, else the settings' language."""
    value = st.session_state.get(LANG) or st.query_params.get(LANG)
    return value if value in ("vi", "en") else config.settings.language  # type: ignore[return-value]


def _as_of_default(workspace: Workspace) -> dt.date:
    """The dashboard's as-of date (used by ``as_of: latest`` boards and for "today's" figures)."""
    value = st.session_state.get(AS_OF) or st.query_params.get(AS_OF)
    if isinstance(value, dt.date):
        return value
    default = workspace.default_as_of()
    return params.day(value, default) or default


def _slide_index(total: int) -> int:
    """The 0-based slide from ``?slide=`` (1-based), kept within the deck."""
    number = params.whole(st.query_params.get(SLIDE), low=-params.MAX_ID) or 1
    return min(max(number, 1), total) - 1


def _go(step: int, total: int) -> None:
    """Button callback: move by ``step`` slides, never past either end."""
    index = min(max(_slide_index(total) + step, 0), total - 1)
    st.query_params[SLIDE] = str(index + 1)


# --------------------------------------------------------------------------- one slide


def _card(card: Card, number: int, lang: Lang, now: Card | None, compare: bool) -> None:
    text = texts.card_text(card, lang)
    with st.container(key=f"pc-card-{card.status}-{number}", gap=None):
        with st.container(key=f"pc-name-{number}"):
            st.text(text.title)
        # A missing value says so in words, not in the size of a number.
        with st.container(key=f"pc-{'value' if card.value is not None else 'novalue'}-{number}"):
            st.text(text.value)
        with st.container(key=f"pc-status-{card.status}-{number}"):
            st.text(text.status)
        details = text.details
        if details:
            with st.container(key=f"pc-detail-{number}"):
                st.text("\n".join(details))
        if compare:
            with st.container(key=f"pc-now-{number}"):
                st.text(texts.comparison_text(card, now, lang))


def _chart_height(dense: bool, compare: bool) -> int:
    """The chart's share of the screen height (vh) left by the cards above it: a second row of
    cards costs 14, the comparison line under each frozen card 7 (see the ``pc-chart-*`` rules)."""
    return 45 - (14 if dense else 0) - (7 if compare else 0)


def _chart(slide: DeckSlide, lang: Lang, height: int) -> None:
    """The chart under its title, ``height`` vh tall."""
    chart = slide.chart
    assert chart is not None
    with st.container(key="pc-chart-title"):
        st.text(figures.chart_title(chart, lang))
    figure = figures.chart_figure(chart, lang)
    if figure is None:
        reason = pick(chart.error, lang) or fmt.no_data(lang)
        with st.container(key="pc-chart-note"):
            st.text(t("brief.chart_unavailable", lang, reason=reason))
        return
    charts.for_projector(figure, 1.2 if height >= 38 else 1.0)
    figure.update_layout(height=None, autosize=True, margin={"t": 36})
    with st.container(key=f"pc-chart-{height}"):
        st.plotly_chart(
            figure,
            width="stretch",
            height="stretch",
            theme=None,  # keep the dashboard's own fonts, colours and number separators
            config={"displayModeBar": False, "responsive": True},
            key=f"pc-figure-{slide.index}",
        )


def _slide(deck: Deck, slide: DeckSlide, lang: Lang, now: Deck | None) -> None:
    """Title, cards, chart and bullets of one slide."""
    total = len(deck.slides)
    head, counter = st.columns([5, 1], vertical_alignment="bottom")
    with head, st.container(key="pc-title"):
        st.text(pick(slide.title, lang))
    with counter, st.container(key="pc-counter"):
        st.text(
            t("present.slide_of", lang, n=slide.index + 1, total=total),
            text_alignment="right",
            width="stretch",
        )
    with st.container(key="pc-subtitle"):
        st.text(texts.slide_subtitle(deck, slide, lang))
    if deck.snapshot is not None:
        with st.container(key="pc-banner"):
            line = texts.snapshot_text(deck, lang) + " · "
            if now is not None:
                line += t("snapshot.compare", lang, date=fmt.date(now.as_of, lang))
            else:
                line += t(
                    "snapshot.compare_unavailable", lang, reason=t("snapshot.board_gone", lang)
                )
            st.text(line)

    if slide.conclusions is not None:
        _conclusions(slide, lang)
        return
    cards = slide.cards
    bullets = slide.bullet_lines(lang)
    dense = len(cards) > 6 and (slide.chart is not None or bool(bullets))
    if cards:
        per_row = min(len(cards), 6)
        size = "dense" if dense else "few" if len(cards) <= 3 else "row"
        with st.container(key=f"pc-cards-{size}"):
            for start in range(0, len(cards), per_row):
                columns = st.columns(per_row, gap="small")
                for offset, card in enumerate(cards[start : start + per_row]):
                    with columns[offset]:
                        current = now.card(card.metric, slide.unit) if now is not None else None
                        with guard(pick(card.title, lang), lang):
                            _card(card, start + offset, lang, current, now is not None)

    if slide.chart is not None and bullets:
        left, right = st.columns([2, 1], gap="large")
        with left, guard(figures.chart_title(slide.chart, lang), lang):
            _chart(slide, lang, _chart_height(dense, now is not None))
        with right, st.container(key="pc-bullets"):
            for line in bullets:
                st.text(f"• {line}")
    elif slide.chart is not None:
        with guard(figures.chart_title(slide.chart, lang), lang):
            _chart(slide, lang, _chart_height(dense, now is not None))
    elif bullets:
        with st.container(key="pc-bullets"):
            for line in bullets:
                st.text(f"• {line}")


def _conclusions(slide: DeckSlide, lang: Lang) -> None:
    """A conclusions slide: one row per directive, the longest overdue first."""
    headings, rows = texts.conclusion_rows(slide, lang)
    if not rows:
        with st.container(key="pc-bullets"):
            st.text(t("directive.none_open", lang))
        return
    with st.container(key="pc-conclusions", gap=None):
        for number, row in enumerate([headings, *rows]):
            with st.container(key=f"pc-conc-{number or 'head'}"):
                for column, value in zip(st.columns(CONCLUSION_COLUMNS), row, strict=True):
                    with column:
                        st.text(value)


def _footer(deck: Deck, index: int, lang: Lang) -> None:
    """Navigation, the as-of date and the sources' freshness on one line."""
    total = len(deck.slides)
    back, forward, words, _tools_space = st.columns([1, 1, 7, 1], vertical_alignment="center")
    with back:
        st.button(
            t("present.previous", lang),
            key="pc-prev",
            on_click=_go,
            args=(-1, total),
            disabled=index == 0,
            shortcut="Left",
            width="stretch",
        )
    with forward:
        st.button(
            t("present.next", lang),
            key="pc-next",
            on_click=_go,
            args=(1, total),
            disabled=index >= total - 1,
            shortcut="Right",
            type="primary",
            width="stretch",
        )
    with words, st.container(key="pc-footer"):
        st.text(texts.footer_text(deck, lang))
    # What a presentation clicker sends; the buttons are kept off screen.
    st.button("PageUp", key="pc-pgup", on_click=_go, args=(-1, total), shortcut="PageUp")
    st.button("PageDown", key="pc-pgdn", on_click=_go, args=(1, total), shortcut="PageDown")


# --------------------------------------------------------------------------- views


def _presenter(deck: Deck, lang: Lang, now: Deck | None, shown_key: tuple[str, str]) -> None:
    @st.fragment
    def show() -> None:
        index = _slide_index(len(deck.slides))
        st.query_params[SLIDE] = str(index + 1)
        data.shown_slides()[shown_key] = index
        slide = deck.slides[index]
        with guard(t("present.slide_of", lang, n=index + 1, total=len(deck.slides)), lang):
            _slide(deck, slide, lang, now)
        _footer(deck, index, lang)  # the way to the next slide, whatever this one did

    show()


def _figures(slide: DeckSlide, lang: Lang) -> None:
    """A slide's cards one line each, so the speaker sees the numbers about to be read; each
    line in its own guard, so one card that cannot be said leaves the others."""
    with st.container(gap=None):
        for row in texts.conclusion_rows(slide, lang)[1]:
            number, what, _metric, unit, due, late = row[:6]
            overdue = f" · {t('directive.late_by', lang, n=late)}" if late else ""
            st.text(f"{number}. {what} — {unit} · {due}{overdue}")
        for card in slide.cards:
            with guard(pick(card.title, lang), lang):
                text = texts.card_text(card, lang)
                parts = (text.value, text.status, text.delta)
                st.text(f"{text.title}: {text.error or ' · '.join(p for p in parts if p)}")


def _shown_index(deck: Deck, shown_key: tuple[str, str]) -> int:
    """The slide the presenter's tab shows (``?slide=`` until it has shown one)."""
    return data.shown_slides().get(shown_key, _slide_index(len(deck.slides)))


def _speaker(deck: Deck, lang: Lang, shown_key: tuple[str, str]) -> None:
    """Current and next slide and the notes, following the slide the presenter shows."""

    @st.fragment(run_every=FOLLOW_EVERY)
    def follow() -> None:
        total = len(deck.slides)
        index = _shown_index(deck, shown_key)
        slide = deck.slides[index]
        with st.container(key="pc-counter"):
            st.text(t("present.slide_of", lang, n=index + 1, total=total))
        st.caption(t("present.now_showing", lang))
        with st.container(key="pc-notes-now"):
            st.text(pick(slide.title, lang))
        _figures(slide, lang)
        st.caption(t("present.notes", lang))
        with st.container(key="pc-notes-text"):
            st.text(pick(slide.notes, lang) or t("present.no_notes", lang))
        st.caption(t("present.up_next", lang))
        upcoming = deck.slides[index + 1] if index + 1 < total else None
        with st.container(key="pc-notes-next"):
            st.text(pick(upcoming.title, lang) if upcoming else t("present.end_of_deck", lang))
        if upcoming is not None:
            _figures(upcoming, lang)
        subject = _on_slide(deck, slide, lang)
        with st.container(key="pc-notes-attach"):
            st.caption(texts.markdown_literal(_attached_to(subject, lang)))

    follow()
    if not access.may("directive.give"):
        return
    st.subheader(t("directive.record", lang), anchor=False)
    directive_entry.form(
        "pc-directive",
        lambda: _on_slide(deck, deck.slides[_shown_index(deck, shown_key)], lang),
        metrics=list(dict.fromkeys(m for s in deck.slides for m in _slide_metrics(s))),
        lang=lang,
        as_of=deck.as_of,
    )


def _slide_metrics(slide: DeckSlide) -> list[str]:
    """The metrics a slide shows: its cards', then its chart's."""
    found = [card.metric for card in slide.cards]
    found += [c.metric for c in slide.conclusions or ()]
    return found + ([slide.chart.metric] if slide.chart is not None else [])


def _on_slide(deck: Deck, slide: DeckSlide, lang: Lang) -> directive_entry.Subject:
    """What a conclusion recorded now is about: the slide's first metric, for the slide's unit
    (else the metric's owner), in the meeting's snapshot."""
    metrics = _slide_metrics(slide)
    card = slide.cards[0] if slide.cards else None
    period = (
        (card.period_start, card.period_end)
        if card is not None and card.period_start and card.period_end
        else None
    )
    return directive_entry.Subject(
        metric=metrics[0] if metrics else None,
        responsible=slide.unit,
        unit=slide.unit,
        period=period,
        meeting=lambda author: meeting_snapshot(
            data.store(), deck, label=_default_label(deck, lang), author=author
        ),
    )


def _attached_to(subject: directive_entry.Subject, lang: Lang) -> str:
    """``Kết luận ghi lúc này: về … · giao …``, or what the speaker must choose."""
    if subject.metric is None:
        return t("directive.slide_without_metric", lang)
    owner = subject.owner()
    unit = views.unit_name(owner, lang) if owner else t("directive.choose_unit", lang)
    return t(
        "directive.attach_line", lang, metric=views.metric_title(subject.metric, lang), unit=unit
    )


def _tools(workspace: Workspace, deck: Deck, lang: Lang) -> None:
    """Publishing, downloads, the speaker view and past snapshots, out of the slide's way."""
    config = workspace.config
    params = {BOARD: deck.board_id, LANG: lang}
    with (
        st.container(key="pc-tools-box"),
        st.popover(t("present.tools", lang), key="pc-tools", icon=":material/tune:"),
    ):
        notes_query = {**params, VIEW: NOTES_VIEW}
        if deck.snapshot is not None:
            notes_query[SNAPSHOT] = str(deck.snapshot.id)
        st.link_button(
            t("present.speaker_view", lang),
            "?" + urlencode(notes_query),
            help=t("present.speaker_view_help", lang),
            icon=":material/speaker_notes:",
        )
        for kind, form in briefing.FORMATS.items() if access.may("briefing.export") else ():
            st.download_button(
                pick(form.label, lang),
                data=lambda kind=kind: _briefing(deck, lang, kind),
                file_name=briefing.file_name(deck, lang, kind),
                mime=form.mime,
                key=f"pc-download-{kind}",
                on_click="ignore",
                icon=":material/download:",
            )
        if deck.snapshot is None and access.may("snapshot.publish"):
            _publish_form(config, deck, lang)
        else:
            st.button(
                t("snapshot.live", lang),
                key="pc-live",
                on_click=_leave_snapshot,
                icon=":material/update:",
            )
        _snapshot_list(config, deck, lang)


def _briefing(deck: Deck, lang: Lang, kind: str) -> bytes:
    """The briefing file, its export recorded in the audit trail."""
    content = briefing.build(data.briefing_deck(deck), lang, kind)
    who = directive_entry.author() or t("snapshot.anonymous", lang)
    data.record_event(actor=who, **briefing.export_event(deck, lang, kind))
    return content


def _publish_form(config: Config, deck: Deck, lang: Lang) -> None:
    with st.form("pc-publish-form", border=False):
        st.caption(t("snapshot.publish_help", lang))
        label = st.text_input(
            t("snapshot.label", lang), value=_default_label(deck, lang), max_chars=200
        )
        author = st.text_input(
            t("snapshot.author", lang), value=directive_entry.author(), max_chars=200
        )
        submitted = st.form_submit_button(
            t("snapshot.publish", lang), type="primary", icon=":material/lock:", key="pc-publish"
        )
    if not submitted:
        return
    try:
        done = data.publish(
            deck,
            label=label.strip() or deck.board_id,
            author=author.strip() or t("snapshot.anonymous", lang),
        )
    except (StoreError, AccessDenied) as exc:
        st.error(texts.markdown_literal(f"{t('snapshot.failed', lang)}: {exc.render(lang)}"))
        return
    key = "snapshot.created" if done.created else "snapshot.exists"
    st.success(t(key, lang, id=done.snapshot.id))


def _default_label(deck: Deck, lang: Lang) -> str:
    """``Phiên họp BCĐ (14/11/2025)``: the board's title with the as-of date."""
    title, day = pick(deck.title, lang), fmt.date(deck.as_of, lang)
    return title if day in title else f"{title} ({day})"


def _snapshot_list(config: Config, deck: Deck, lang: Lang) -> None:
    try:
        snapshots = data.store().list_snapshots(deck.board_id, limit=10)
    except StoreError as exc:
        st.caption(texts.markdown_literal(exc.render(lang)))
        return
    st.caption(t("snapshot.list", lang))
    if not snapshots:
        st.caption(t("snapshot.none", lang))
    zone = ZoneInfo(config.settings.timezone)
    for info in snapshots:
        when = fmt.datetime(info.created_at.astimezone(zone), lang)
        st.button(
            texts.markdown_literal(f"{info.id} · {info.label} · {when}"),
            key=f"pc-open-{info.id}",
            on_click=_open_snapshot,
            args=(info.id,),
            type="tertiary",
        )


def _open_snapshot(snapshot_id: int) -> None:
    st.query_params[SNAPSHOT] = str(snapshot_id)
    st.query_params[SLIDE] = "1"


def _leave_snapshot() -> None:
    del st.query_params[SNAPSHOT]


def _board_id(config: Config, lang: Lang) -> str | None:
    """The board named by ``?board=``, or the first one; None (after saying why) when none fits."""
    if not config.boards:
        st.info(t("present.no_boards", lang))
        return None
    board_id = st.query_params.get(BOARD) or next(iter(config.boards))
    if board_id not in config.boards:
        st.error(texts.markdown_literal(t("present.unknown_board", lang, board=board_id)))
        for other in config.boards.values():
            st.button(
                texts.markdown_literal(pick(text_of(other.title), lang)),
                key=f"pc-board-{other.id}",
                on_click=_choose_board,
                args=(other.id,),
            )
        return None
    st.query_params[BOARD] = board_id
    return board_id


def _choose_board(board_id: str) -> None:
    st.query_params[BOARD] = board_id
    st.query_params[SLIDE] = "1"


def _snapshot_id(lang: Lang) -> int | None:
    raw = st.query_params.get(SNAPSHOT)
    if not raw:
        return None
    number = params.whole(raw)
    if number is None:
        st.error(texts.markdown_literal(t("snapshot.invalid_id", lang, value=raw[:40])))
    return number


def render() -> None:
    if not access.allows(pages.roles_of("present")):  # also when opened another way than the menu
        asked = st.session_state.get(LANG) or st.query_params.get(LANG)
        st.error(t("access.page_denied", asked if asked in ("vi", "en") else "vi"))
        return
    # html-safe: a fixed style sheet
    st.html(style.PRESENTER_CSS)
    try:
        workspace = data.workspace()
    except ProjectError as exc:
        st.error("\n\n".join(texts.markdown_literal(p.render("vi")) for p in exc.problems))
        return
    config = workspace.config
    lang = _lang(config)
    as_of_default = _as_of_default(workspace)
    snapshot_id = _snapshot_id(lang)

    now: Deck | None = None
    if snapshot_id is not None:
        try:
            deck = data.stored_deck(snapshot_id)
        except StoreError as exc:
            st.error(texts.markdown_literal(exc.render(lang)))
            return
        st.query_params[BOARD] = deck.board_id
        if deck.board_id in config.boards:
            now = data.live_deck(deck.board_id, as_of_default, as_of_default)
    else:
        board_id = _board_id(config, lang)
        if board_id is None:
            return
        deck = data.meeting_deck(board_id, as_of_default, None)

    shown_key = (deck.board_id, str(snapshot_id or ""))
    if st.query_params.get(VIEW) == NOTES_VIEW:
        # what is broken, for the presenter's eyes only: which file, which line, what stands in
        broken_files_notice(config.broken_files, lang, config.settings.timezone)
        _speaker(deck, lang, shown_key)
        return
    _presenter(deck, lang, now, shown_key)
    _tools(workspace, deck, lang)


render()
