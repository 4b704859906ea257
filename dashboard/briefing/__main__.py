"""``python -m dashboard.briefing``: write a board's briefing; the file type follows ``--out``."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard import texts
from dashboard.briefing import FORMATS, build, export_event, figures
from dashboard.i18n import t
from metrics import conclusions
from metrics.config import Config
from metrics.deck import Deck, compute_deck, pick
from metrics.engine import Request, Results, compute
from metrics.store import Directives, Snapshot, StoreError, open_audit, open_store
from metrics.workspace import Workspace, open_workspace
from sources.problems import Lang, ProjectError


def main(argv: Sequence[str] | None = None) -> int:
    """Write a board's briefing; the file type follows the extension of ``--out``."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.brief",
        description="Write a board's deck as a briefing file: "
        + ", ".join(f".{name}" for name in FORMATS)
        + ".",
    )
    parser.add_argument("--board", required=True, help="the board's id (config/boards/*.yaml)")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="compute the figures as of this date (YYYY-MM-DD) instead of the board's own",
    )
    parser.add_argument("--lang", choices=("vi", "en"), help="language (default: the settings')")
    parser.add_argument("--config", help="configuration folder (default: KPI_CONFIG or config/)")
    parser.add_argument(
        "--out", required=True, type=Path, help="the file to write; its suffix names the format"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="write nothing and exit with 1 when a definition file is broken or a figure is missing",
    )
    args = parser.parse_args(argv)

    kind = args.out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        parser.error("--out must end in " + " or ".join(f".{name}" for name in FORMATS))
    try:
        workspace = open_workspace(args.config, generate_demo=True, serving=True)
    except ProjectError as exc:
        print(exc.render("en"), file=sys.stderr)
        return 2
    config = workspace.config
    lang: Lang = args.lang or config.settings.language
    board = config.boards.get(args.board)
    if board is None:
        known = ", ".join(sorted(config.boards)) or "-"
        print(t("present.unknown_board", lang, board=args.board) + f" ({known})", file=sys.stderr)
        return 2
    for problem in config.problems:
        if problem.subject_kind == "board" and problem.subject_id == board.id:
            print(problem.render(lang), file=sys.stderr)
    deck = compute_deck(
        config, workspace.catalog, board, as_of_default=workspace.default_as_of(), as_of=args.as_of
    )
    try:  # the board's conclusions: earlier meetings' still open first, this meeting's last
        deck = _with_conclusions(workspace, deck)
    except StoreError as exc:
        print(f"{t('brief.warning', lang)}: {exc.render(lang)}", file=sys.stderr)
    warnings = _warnings(config, deck, lang)
    for line in warnings:
        print(f"{t('brief.warning', lang)}: {line}", file=sys.stderr)
    if warnings and args.strict:
        print(t("brief.strict_failed", lang, n=len(warnings)), file=sys.stderr)
        return 1
    data = build(deck, lang, kind)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_name(f".{args.out.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, args.out)
    try:  # who exported what, in the audit trail; the file is there either way
        open_audit(config).record(actor=getpass.getuser(), **export_event(deck, lang, kind))
    except StoreError as exc:
        print(f"{t('brief.warning', lang)}: {exc.render(lang)}", file=sys.stderr)
    print(args.out)
    return 0


def _with_conclusions(workspace: Workspace, deck: Deck) -> Deck:
    """The deck with "Kết luận kỳ trước" first and "Kết luận" (this meeting's, the newest
    snapshot of the board as of its date) last, as the presenter's briefing has them."""
    config = workspace.config
    store = open_store(config)
    found = Directives(store.url).find(as_of=deck.as_of)

    def read(snapshot_id: int) -> Snapshot | None:
        try:
            return store.read(snapshot_id)
        except StoreError:
            return None

    def run(request: Request) -> Results:
        return compute(config, workspace.catalog, request)

    meeting = store.latest(deck.board_id, deck.as_of)
    deck = conclusions.opening_deck(deck, found, config=config, read=read, run=run)
    return conclusions.closing_deck(
        deck, found, meeting.id if meeting else None, config=config, read=read, run=run
    )


def _warnings(config: Config, deck: Deck, lang: Lang) -> list[str]:
    """What the briefing cannot show as it should: each broken definition file (with its line,
    and whether its last valid version stood in), then each card and chart without a figure."""
    lines = [texts.broken_file_text(b, lang, config.settings.timezone) for b in config.broken_files]
    for slide in deck.slides:
        where = t("present.slide_of", lang, n=slide.index + 1, total=len(deck.slides))
        for card in slide.cards:
            if card.failed:
                lines.append(f"{where}: {pick(card.title, lang)}: {pick(card.error, lang)}")
        if slide.chart is not None and slide.chart.error is not None:
            title = figures.chart_title(slide.chart, lang)
            lines.append(f"{where}: {title}: {pick(slide.chart.error, lang)}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
