"""The JSON Schema of metric files, for editors that validate and complete YAML as staff type.

A copy lives in ``docs/metrics.schema.json`` (point VS Code's YAML extension at it); a test fails
when it is stale. Pydantic writes the schema; two places are widened where the YAML is friendlier
than the model: a text may be a plain string (the Vietnamese text), and ``dimensions`` may be a
list of column names.
"""

from __future__ import annotations

from typing import Any

from metrics.spec import MetricsFile


def metric_file_schema() -> dict[str, Any]:
    schema = MetricsFile.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    if "LocalText" in defs:
        text = defs["LocalText"]
        defs["LocalText"] = {
            "anyOf": [{"type": "string"}, text],
            "title": "LocalText",
            "description": text.get("description", ""),
        }
    metric = defs.get("Metric", {}).get("properties", {})
    if "dimensions" in metric:
        dims = metric["dimensions"]
        metric["dimensions"] = {
            "anyOf": [{"type": "array", "items": {"type": "string"}}, dims],
            "description": dims.get("description", ""),
        }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "KPI metric file (config/metrics/*.yaml)"
    return schema
