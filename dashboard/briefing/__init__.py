"""Meeting briefings: a board's deck written as a file, one module per format.

``python -m dashboard.briefing --board ID [--as-of D] [--lang vi|en] [--config DIR] --out F.pptx``
(``python -m dashboard.brief`` is the same command).

Every file is built from a ``metrics.deck.Deck``, the object the presenter page shows, so every
number in it matches the screen; its words come from ``dashboard.texts`` and its charts from
``dashboard.briefing.figures``. A format is a module defining a :class:`~.spec.Format` and one
entry in :data:`FORMATS`; the presenter's download buttons and the command line read the table.
"""

from __future__ import annotations

from typing import Any

from dashboard.briefing import figures, pdf, powerpoint
from dashboard.briefing.spec import Format
from metrics.deck import Deck
from sources.problems import Lang

FORMATS: dict[str, Format] = {f.name: f for f in (powerpoint.FORMAT, pdf.FORMAT)}


def build(deck: Deck, lang: Lang, kind: str) -> bytes:
    """A briefing file's bytes in the format ``kind``; the charts are rendered once for it."""
    return FORMATS[kind].build(deck, lang, figures.render_charts(deck, lang))


def export_event(deck: Deck, lang: Lang, kind: str) -> dict[str, Any]:
    """The audit event of a briefing exported (``metrics.store.Audit.record``'s fields)."""
    snapshot = deck.snapshot.id if deck.snapshot else None
    return {
        "action": "briefing.exported",
        "object_kind": "board",
        "object_id": deck.board_id,
        "detail": {
            "format": kind,
            "lang": lang,
            "as_of": deck.as_of.isoformat(),
            "snapshot": snapshot,
        },
    }


def file_name(deck: Deck, lang: Lang, kind: str) -> str:
    suffix = f"-snapshot-{deck.snapshot.id}" if deck.snapshot else ""
    return f"{deck.board_id}-{deck.as_of.isoformat()}{suffix}-{lang}.{kind}"


__all__ = ["FORMATS", "Format", "build", "export_event", "file_name"]
