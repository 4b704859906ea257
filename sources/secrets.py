"""Secrets by reference: ``${NAME}`` in a source's URL, never the secret itself in YAML.

A name is looked up in the environment first, then as a top-level key of the project's
``.streamlit/secrets.toml`` (the file Streamlit deployments already keep out of git). The YAML
that staff edit, and every message about it, only ever holds the name.
"""

from __future__ import annotations

import os
import tomllib

from sources.layout import PROJECT_SECRETS

#: Query parameters of a database URL that hold a secret (``?password=...``).
SECRET_PARAMETERS = frozenset(
    {"password", "passwd", "pwd", "secret", "token", "access_token", "api_key", "apikey",
     "sslpassword"}
)  # fmt: skip


def lookup(name: str) -> str | None:
    """The value of the secret ``name``, or None when neither place has it."""
    found = os.environ.get(name)
    if found is not None:
        return found
    try:
        with PROJECT_SECRETS.open("rb") as handle:
            value = tomllib.load(handle).get(name)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None
