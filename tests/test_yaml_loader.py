"""The strict YAML loader: every surprise of YAML 1.1 is a clean, located error."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.problems import ConfigError
from sources.yamlload import YList, YMap, load, loads, locate


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        loads(text, "f.yaml")
    assert len(info.value.problems) == 1
    return info.value.problems[0].render("en")


def test_scalars_follow_the_strict_rules():
    data = loads(
        "a: 1\nb: NO\nc: 012345\nd: on\ne: 2025-11-14\nf: 1.5\ng: true\nh: false\n"
        "i:\nj: '1'\nk: 1e999\nl: ~\nm: null\nn: -3\no: 12:30:00\np: True\n",
        "f.yaml",
    )
    assert data == {
        "a": 1,
        "b": "NO",
        "c": "012345",
        "d": "on",
        "e": "2025-11-14",
        "f": 1.5,
        "g": True,
        "h": False,
        "i": None,
        "j": "1",
        "k": "1e999",
        "l": None,
        "m": None,
        "n": -3,
        "o": "12:30:00",
        "p": "True",
    }


def test_positions_are_kept():
    data = loads("metrics:\n  - id: x\n    value: sum(a)\n", "m.yaml")
    assert isinstance(data, YMap) and isinstance(data["metrics"], YList)
    item = data["metrics"][0]
    assert item.loc.line == 2 and item.loc.column == 5
    assert item.value_locs["value"].line == 3 and item.value_locs["value"].column == 12
    assert locate(data, ("metrics", 0, "value")).line == 3
    assert locate(data, ("metrics", 0, "missing")) == item.loc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "value: 1\nb: 2\nvalue: 3\n",
            "f.yaml:3:1: error: 'value' is defined twice: first at line 1",
        ),
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: error: YAML anchors and aliases"),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4: error: YAML tag '!!python/object:os.system'",
        ),
        ("a: !!python/name:os.system\n", "f.yaml:1:4: error: YAML tag"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: error: one YAML document per file"),
        ("a:\n\t- b\n", "f.yaml:2:1: error: invalid YAML"),
        ("<<: {a: 1}\n", "f.yaml:1:1: error: merge keys '<<' are not allowed"),
        ("a: [1, 2\n", "f.yaml:2:1: error: invalid YAML"),
        ("? [a]\n: 1\n", "f.yaml:1:3: error: a key must be a word or a number"),
    ],
)
def test_bad_yaml_is_one_located_line(text, expected):
    assert error_of(text).startswith(expected)


def test_alias_bomb_is_refused_at_once():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        bomb += f"{chr(i)}: &{chr(i)} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    started = time.perf_counter()
    assert "anchors and aliases" in error_of(bomb)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("depth", [65, 600, 100_000])
def test_deep_nesting_is_a_clean_error(depth):
    started = time.perf_counter()
    message = error_of("x: " + "[" * depth + "]" * depth)
    assert "f.yaml:1:" in message and ("nested too deeply" in message or "invalid YAML" in message)
    assert time.perf_counter() - started < 1.0


def test_deep_block_nesting_is_a_clean_error():
    text = "".join("  " * i + f"k{i}:\n" for i in range(600)) + "  " * 600 + "v: 1\n"
    assert "nested too deeply" in error_of(text)


def test_size_cap(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: '" + "x" * 3_000_000 + "'\n")
    with pytest.raises(ConfigError, match="too large"):
        load(path)


def test_file_cut_short_is_reported(tmp_path):
    path = tmp_path / "cut.yaml"
    path.write_text('metrics:\n  - id: x\n    value: "sum(a\n')
    with pytest.raises(ConfigError) as info:
        load(path, "cut.yaml")
    assert info.value.problems[0].render("en").startswith("cut.yaml:")


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("a: 1\nb: 'Sở'\n".encode("utf-16"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load(path, "latin.yaml")


def test_messages_in_vietnamese():
    with pytest.raises(ConfigError) as info:
        loads("a: 1\na: 2\n", "f.yaml")
    assert info.value.problems[0].render("vi") == (
        "f.yaml:2:1: error: 'a' được khai báo hai lần: lần đầu ở dòng 1"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text_raises_only_config_errors(text):
    with contextlib.suppress(ConfigError):
        loads(text, "r.yaml")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab: -[]{}&*!|>'\"\n\t#?,%@`0", max_size=120))
def test_yaml_shaped_noise_raises_only_config_errors(text):
    with contextlib.suppress(ConfigError):
        loads(text, "r.yaml")


# Control characters and Unicode line separators are excluded: YAML itself folds them.
_text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=64).filter(
        lambda x: x == 0 or abs(x) > 1e-300
    )
    | _text
)
_documents = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_text.filter(lambda k: k not in ("", "<<")), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_what_pyyaml_writes_the_strict_loader_reads_back(document):
    """Round trip: data dumped by PyYAML (which quotes ambiguous strings) loads back unchanged."""
    import yaml

    text = yaml.safe_dump({"root": document}, allow_unicode=True)
    assert loads(text, "r.yaml") == {"root": document}
