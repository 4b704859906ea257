"""What a briefing format is: a name (the file's suffix), its MIME type, the label of its
download button and the function that writes a deck in it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from metrics.deck import Deck, Text
from sources.problems import Lang

#: ``build(deck, lang, images)``: the file's bytes; ``images`` maps a slide's index to its
#: chart as PNG bytes, or to the reason it could not be drawn.
Builder = Callable[[Deck, Lang, Mapping[int, bytes | str]], bytes]


@dataclass(frozen=True)
class Format:
    name: str  # also the file's suffix: ``.pptx``
    mime: str
    label: Text  # the download button's words, in both languages
    build: Builder
