"""Kinds of source: one module per kind, all in one registry (``KINDS``, see ``base``).

Importing this package registers the built-in kinds: ``csv``, ``parquet``, ``excel``, ``json``
and ``sql`` (with its dialects ``sqlite``, ``postgresql``, ``mariadb``). A new kind is one new
module here, imported below, plus its test.
"""

from sources.kinds import csv, excel, json, mariadb, parquet, postgresql, sql, sqlite
from sources.kinds.base import (
    KINDS,
    Kind,
    ReadContext,
    check_source,
    first_line,
    kind_for,
    parse_source,
    register_kind,
)
from sources.kinds.files import FileKind, FileSource

__all__ = [
    "KINDS",
    "FileKind",
    "FileSource",
    "Kind",
    "ReadContext",
    "check_source",
    "csv",
    "excel",
    "first_line",
    "json",
    "kind_for",
    "mariadb",
    "parquet",
    "parse_source",
    "postgresql",
    "register_kind",
    "sql",
    "sqlite",
]
