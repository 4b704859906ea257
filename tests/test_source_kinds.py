"""The kind registry is the one place a kind lives: loader, validation, schema and docs read it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from sources.kinds import KINDS, FileKind, FileSource, check_source, parse_source, register_kind
from sources.kinds.base import problem_at
from sources.problems import Problem
from sources.schema import sources_file_schema
from sources.spec import ReadOptions, SourceSpec
from sources.yamlload import load
from tests.conftest import REPO

REFERENCE = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
RAW = {"id": "s", "title": "S", "owner": "u", "columns": {"a": "str", "b": "int"}}


class ToyOptions(ReadOptions):
    quote: str | None = None


class ToySource(FileSource):
    options: ToyOptions = ToyOptions()


@pytest.fixture
def toy() -> Iterator[type[FileKind]]:
    """A kind that exists in this test only: its model, its checks, its registration."""

    @register_kind("toy")
    class ToyKind(FileKind):
        spec = ToySource

        def checks(self, spec: SourceSpec) -> Iterator[Problem]:
            if "b" in spec.columns:
                yield problem_at("rule.unknown_column", spec, "columns", column="b", source="s")

    try:
        yield ToyKind
    finally:
        del KINDS["toy"]


def test_a_kind_registered_in_a_test_is_loaded_validated_and_in_the_schema(toy):
    spec, problems = parse_source(
        {**RAW, "kind": "toy", "path": "a.toy", "options": {"quote": "'"}}, file="f.yaml"
    )
    assert problems == []
    assert isinstance(spec, ToySource)
    assert spec.options.quote == "'"
    assert [p.code for p in check_source(spec)] == ["rule.unknown_column"]
    schema = sources_file_schema()
    assert "toy" in schema["properties"]["sources"]["items"]["properties"]["kind"]["enum"]
    assert "quote" in schema["$defs"]["ToyOptions"]["properties"]
    assert "toy" not in kinds_in_the_reference()  # the docs test would name it


def test_an_option_of_another_kind_names_the_kinds_it_applies_to(toy):
    _, problems = parse_source(
        {**RAW, "kind": "parquet", "path": "a", "options": {"quote": "x"}}, file="f.yaml"
    )
    assert [p.render("en") for p in problems] == [
        "f.yaml: error: source 's': 'quote' does not apply to a 'parquet' source (only to: toy)"
    ]


def test_an_unknown_kind_suggests_the_close_one():
    _, problems = parse_source({**RAW, "kind": "exel", "path": "a"}, file="f.yaml")
    assert [p.render("en") for p in problems] == [
        "f.yaml: error: source 's': unknown kind of source 'exel' (known kinds: csv, excel, "
        "json, parquet, sql) (did you mean 'excel'?)"
    ]


def test_an_unknown_option_is_an_error_not_ignored():
    _, problems = parse_source(
        {**RAW, "kind": "csv", "path": "a", "options": {"delimeter": ";"}}, file="f.yaml"
    )
    assert [p.code for p in problems] == ["schema.unknown_field"]
    assert problems[0].suggestion == "delimiter"


def kinds_in_the_reference() -> set[str]:
    section = REFERENCE.split("### Kinds of source", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))


def test_every_kind_is_in_the_reference():
    assert set(KINDS) <= kinds_in_the_reference()


def test_sources_schema_copy_is_fresh():
    stored = json.loads((REPO / "docs" / "sources.schema.json").read_text(encoding="utf-8"))
    assert stored == sources_file_schema(), (
        "docs/sources.schema.json is stale: run `python -m sources schema > docs/sources.schema.json`"
    )


def test_the_demo_sources_fit_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(
        json.dumps(load(REPO / "config" / "sources.yaml", "sources.yaml"), default=str)
    )
    jsonschema.validate(data, sources_file_schema())
    data["sources"][0]["options"] = {"json_lines": True}
    if data["sources"][0]["kind"] != "json":
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, sources_file_schema())
