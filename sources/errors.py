"""The one error type of the sources layer, shared by every module that reads a source.

It lives apart from ``sources.catalog`` (which re-exports it) because the lower modules (paths,
contract checks, connectors) raise it too and must not import the catalogue.
"""

from __future__ import annotations

from sources.problems import Level, Location, Problem, ProjectError


class SourceError(ProjectError):
    """A source could not be read, or its data broke the source's contract."""

    @classmethod
    def one(
        cls,
        source_id: str,
        code: str,
        location: Location | None = None,
        *,
        suggestion: str | None = None,
        level: Level = "error",
        **params: object,
    ) -> SourceError:
        """An error holding a single problem about one source."""
        return cls(
            Problem(
                code,
                params,
                location,
                level=level,
                subject_kind="source",
                subject_id=source_id,
                suggestion=suggestion,
            )
        )
