"""Problems found in configuration or data, reported all at once in one format.

Every problem is one line an editor understands: ``file:line:col: error: subject: message``.
Messages are templates keyed by a code, with a Vietnamese and an English text, so the same
problem reads well in either language. Modules register their own templates next to the code
that raises them (``register_messages``), keeping the wording close to its cause.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["vi", "en"]
Level = Literal["error", "warning"]

_MESSAGES: dict[str, dict[str, str]] = {}
_KINDS: dict[str, dict[str, str]] = {
    "settings": {"vi": "cài đặt", "en": "settings"},
    "unit": {"vi": "đơn vị", "en": "unit"},
    "theme": {"vi": "chủ đề", "en": "theme"},
    "source": {"vi": "nguồn", "en": "source"},
    "metric": {"vi": "chỉ số", "en": "metric"},
    "board": {"vi": "bảng trình chiếu", "en": "board"},
    "slide": {"vi": "trang", "en": "slide"},
    "file": {"vi": "tệp", "en": "file"},
}


def _named(kind: str, ident: str | None, lang: Lang) -> str:
    word = _KINDS.get(kind, {}).get(lang, kind)
    return f"{word} '{ident}'" if ident else word


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add message templates (code -> {"vi": ..., "en": ...}); a code may be defined once."""
    for code, texts in messages.items():
        if code in _MESSAGES and _MESSAGES[code] != texts:
            raise ValueError(f"message code {code!r} registered twice with different texts")
        if set(texts) != {"vi", "en"}:
            raise ValueError(f"message code {code!r} needs exactly 'vi' and 'en' texts")
        _MESSAGES[code] = texts


def registered_messages() -> dict[str, dict[str, str]]:
    return dict(_MESSAGES)


def message(code: str, lang: Lang = "vi", **params: object) -> str:
    """The text of one message in one language, with its parameters filled in."""
    texts = _MESSAGES.get(code)
    if texts is None:
        return f"{code}: {params}"
    return texts.get(lang, texts["en"]).format(**params)


@dataclass(frozen=True, order=True)
class Location:
    """Where a thing was written: a file, a 1-based line and a 1-based column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning), with where it was and what it concerns."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    location: Location | None = None
    level: Level = "error"
    subject_kind: str | None = None  # "metric", "source", ... (see _KINDS)
    subject_id: str | None = None
    suggestion: str | None = None  # a close match for a misspelt name
    via: tuple[str, str | None] | None = None  # what it came through: ("source", "dossiers")

    def text(self, lang: Lang = "vi") -> str:
        text = message(self.code, lang, **self.params)
        if self.suggestion:
            hint = "ý bạn là" if lang == "vi" else "did you mean"
            text += f" ({hint} '{self.suggestion}'?)"
        return text

    def subject(self, lang: Lang = "vi") -> str:
        if not self.subject_kind:
            return ""
        text = _named(self.subject_kind, self.subject_id, lang)
        if self.via:
            text += f" ({_named(*self.via, lang)})"
        return text

    def render(self, lang: Lang = "vi") -> str:
        """The one-line form: ``file:line:col: error: metric 'x': message``."""
        parts = []
        if self.location is not None:
            parts.append(str(self.location))
        parts.append(self.level)
        subject = self.subject(lang)
        if subject:
            parts.append(subject)
        parts.append(self.text(lang))
        return ": ".join(parts)

    def as_dict(self, lang: Lang = "vi") -> dict[str, object]:
        loc = self.location
        return {
            "level": self.level,
            "code": self.code,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "subject": self.subject(lang) or None,
            "message": self.text(lang),
        }


class ProjectError(Exception):
    """Base of every error this project raises on bad input: callers catch this one type."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.render("en") for p in self.problems))

    def render(self, lang: Lang = "vi") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class ConfigError(ProjectError):
    """The configuration (YAML) is invalid."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a misspelt ``word``, or None when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None
