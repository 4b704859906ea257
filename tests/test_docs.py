"""The reference staff write from must cover every field the models accept; the schema must be fresh."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import BaseModel

from metrics.schema import metric_file_schema
from metrics.spec import Board, Metric, Settings, Unit
from sources.kinds import KINDS
from tests.conftest import REPO

REFERENCE = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")


def fields_of(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of a model and of the models nested in it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, field in model.model_fields.items():
        names.add(field.alias or name)
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names |= fields_of(annotation, seen)
            stack.extend(getattr(annotation, "__args__", ()) or ())
    return names


@pytest.mark.parametrize(
    "model", [Settings, Unit, Metric, Board, *(kind.spec for kind in KINDS.values())]
)
def test_every_field_is_in_the_reference(model):
    missing = sorted(
        name
        for name in fields_of(model)
        if not re.search(rf"`{re.escape(name)}`|\b{re.escape(name)}:", REFERENCE)
    )
    assert not missing, f"docs/metrics.md does not document: {', '.join(missing)}"


def test_schema_copy_is_fresh():
    stored = json.loads((REPO / "docs" / "metrics.schema.json").read_text(encoding="utf-8"))
    assert stored == metric_file_schema(), (
        "docs/metrics.schema.json is stale: run `python -m metrics schema > docs/metrics.schema.json`"
    )


def test_the_architecture_names_only_what_exists() -> None:
    """Every file, test and room the architecture page points a newcomer to is there."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path, test in re.findall(
        r"`((?:tests|dashboard|metrics|sources)/[\w/<>.]+?\.py)(?:::(\w+))?`", text
    ):
        if "<" in path:
            continue
        file = REPO / path
        if not file.exists():
            missing.append(path)
        elif test and f"def {test}(" not in file.read_text(encoding="utf-8"):
            missing.append(f"{path}::{test}")
    rooms = re.findall(r"^\| `((?:sources|metrics|dashboard)\.\w+)`", text, re.M)
    for room in rooms:
        base = REPO.joinpath(*room.split("."))
        if not (base.with_suffix(".py").exists() or (base / "__init__.py").exists()):
            missing.append(room)
    assert len(rooms) > 20 and missing == []
