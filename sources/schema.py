"""The JSON Schema of ``sources.yaml``, built from the kind registry.

Editors (VS Code's YAML extension) validate and complete what staff type; a copy lives in
``docs/sources.schema.json`` and a test fails when it is stale. Each registered kind contributes
one branch, chosen by its ``kind:``, so a new kind appears here without a line changed.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from sources.kinds import KINDS
from sources.spec import COLUMN_TYPE_TEXT


def _widen(defs: dict[str, Any], name: str, shorthand: dict[str, Any]) -> None:
    """Let a model also be written in its short form (a plain string), as the YAML allows."""
    if name in defs:
        model = defs[name]
        defs[name] = {
            "anyOf": [shorthand, model],
            "title": name,
            "description": model.get("description", ""),
        }


def sources_file_schema() -> dict[str, Any]:
    models = [(kind.spec, "validation") for kind in KINDS.values()]
    refs, schema = models_json_schema(models, by_alias=True, ref_template="#/$defs/{model}")
    defs = schema.get("$defs", {})
    branches = []
    for name, kind in sorted(KINDS.items()):
        ref = refs[(kind.spec, "validation")]["$ref"]
        defs[ref.rsplit("/", 1)[1]]["properties"]["kind"] = {"const": name, "type": "string"}
        branches.append(
            {
                "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                "then": {"$ref": ref},
            }
        )
    _widen(defs, "LocalText", {"type": "string"})
    _widen(defs, "ColumnType", {"type": "string", "pattern": COLUMN_TYPE_TEXT})
    item = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(KINDS)}},
        "allOf": branches,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Connected sources (config/sources.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {"sources": {"type": "array", "items": item}},
        "$defs": defs,
    }
