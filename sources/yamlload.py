"""A strict YAML loader for files that staff edit.

PyYAML's ``safe_load`` is safe from code execution but not from surprises: it keeps the last of two
duplicate keys, reads ``NO`` as False and ``012345`` as an octal number, expands alias bombs, and
overflows the stack on deep nesting. This loader walks the parser's event stream itself (the parser
is a state machine, so depth never touches Python's recursion limit) and builds plain data under
stricter rules:

- one document per file; no anchors, aliases, merge keys or explicit tags;
- duplicate keys are an error that names the first occurrence;
- only ``true``/``false`` are booleans, only ``null``/``~``/empty are null, integers and floats
  are decimal without leading zeros, floats are finite; everything else stays a string (dates too:
  the schema parses them);
- caps on file size, nesting depth and node count.

Every mapping and sequence remembers where it and each of its items were written, so schema errors
found later can point at the exact line and column.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from sources.problems import ConfigError, Location, Problem, register_messages

MAX_BYTES = 2_000_000
MAX_DEPTH = 64
MAX_NODES = 200_000

register_messages(
    {
        "yaml.syntax": {
            "vi": "YAML không hợp lệ: {detail}",
            "en": "invalid YAML: {detail}",
        },
        "yaml.too_big": {
            "vi": "tệp quá lớn ({size} byte, tối đa {limit})",
            "en": "file too large ({size} bytes, at most {limit})",
        },
        "yaml.too_deep": {
            "vi": "lồng nhau quá sâu (tối đa {limit} cấp)",
            "en": "nested too deeply (at most {limit} levels)",
        },
        "yaml.too_many_nodes": {
            "vi": "quá nhiều phần tử (tối đa {limit})",
            "en": "too many items (at most {limit})",
        },
        "yaml.alias": {
            "vi": "không dùng neo và tham chiếu YAML (&, *): hãy viết đầy đủ giá trị",
            "en": "YAML anchors and aliases (&, *) are not allowed: write the value out",
        },
        "yaml.tag": {
            "vi": "không dùng thẻ YAML '{tag}'",
            "en": "YAML tag '{tag}' is not allowed",
        },
        "yaml.merge": {
            "vi": "không dùng khóa gộp '<<': hãy viết đầy đủ các khóa",
            "en": "merge keys '<<' are not allowed: write the keys out",
        },
        "yaml.multi_document": {
            "vi": "mỗi tệp chỉ chứa một tài liệu YAML (bỏ dòng '---' thứ hai)",
            "en": "one YAML document per file (remove the second '---')",
        },
        "yaml.duplicate_key": {
            "vi": "'{key}' được khai báo hai lần: lần đầu ở dòng {first_line}",
            "en": "'{key}' is defined twice: first at line {first_line}",
        },
        "yaml.bad_key": {
            "vi": "khóa phải là chữ hoặc số, không phải danh sách hay bảng",
            "en": "a key must be a word or a number, not a list or a mapping",
        },
        "yaml.encoding": {
            "vi": "tệp không phải UTF-8: {detail}",
            "en": "file is not UTF-8: {detail}",
        },
        "yaml.unreadable": {
            "vi": "không đọc được tệp: {detail}",
            "en": "cannot read file: {detail}",
        },
    }
)


class YMap(dict):
    """A mapping that remembers where it and each of its keys and values were written."""

    loc: Location
    key_locs: dict[Any, Location]
    value_locs: dict[Any, Location]


class YList(list):
    """A sequence that remembers where it and each of its items were written."""

    loc: Location
    item_locs: list[Location]


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?((0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|0|[1-9][0-9]*)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null"}


def _plain_scalar(text: str) -> Any:
    """Resolve an unquoted scalar under the strict rules (see module docstring)."""
    if text in _NULLS:
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and "." in text:  # as YAML 1.1 (and PyYAML) write floats
        value = float(text)
        if math.isfinite(value):
            return value
    return text


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _fail(code: str, file: str, mark: Any = None, **params: object) -> ConfigError:
    location = _loc(file, mark) if mark is not None else Location(file)
    return ConfigError(Problem(code, params, location, subject_kind=None))


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def loads(text: str, file: str = "<text>") -> Any:
    """Parse one YAML document from text under the strict rules; raise ``ConfigError``."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_BYTES:
        raise _fail("yaml.too_big", file, size=size, limit=MAX_BYTES)
    stack: list[tuple[Any, Any]] = []  # (container, pending key or marker)
    root: Any = None
    documents = 0
    nodes = 0
    _NO_KEY = object()

    def attach(value: Any, mark: Any) -> None:
        nonlocal root
        loc = _loc(file, mark)
        if not stack:
            root = value
            return
        container, key = stack[-1]
        if isinstance(container, YList):
            container.append(value)
            container.item_locs.append(loc)
            return
        if key is _NO_KEY:
            if isinstance(value, (YMap, YList)):
                raise _fail("yaml.bad_key", file, mark)
            if value == "<<" and isinstance(value, str):
                raise _fail("yaml.merge", file, mark)
            if value in container.key_locs:
                first = container.key_locs[value]
                raise _fail("yaml.duplicate_key", file, mark, key=value, first_line=first.line)
            container.key_locs[value] = loc
            stack[-1] = (container, value)
            return
        container[key] = value
        container.value_locs[key] = loc
        stack[-1] = (container, _NO_KEY)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _fail("yaml.multi_document", file, event.start_mark)
                continue
            if isinstance(event, yaml.AliasEvent):
                raise _fail("yaml.alias", file, event.start_mark)
            if isinstance(
                event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
            ):
                nodes += 1
                if nodes > MAX_NODES:
                    raise _fail("yaml.too_many_nodes", file, event.start_mark, limit=MAX_NODES)
                if event.anchor is not None:
                    raise _fail("yaml.alias", file, event.start_mark)
                if event.tag is not None:
                    raise _fail(
                        "yaml.tag",
                        file,
                        event.start_mark,
                        tag=event.tag.replace("tag:yaml.org,2002:", "!!"),
                    )
            if isinstance(event, yaml.ScalarEvent):
                value = _plain_scalar(event.value) if not event.style else event.value
                attach(value, event.start_mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _fail("yaml.too_deep", file, event.start_mark, limit=MAX_DEPTH)
                container: YMap | YList
                if isinstance(event, yaml.MappingStartEvent):
                    container = YMap()
                    container.key_locs, container.value_locs = {}, {}
                else:
                    container = YList()
                    container.item_locs = []
                container.loc = _loc(file, event.start_mark)
                attach(container, event.start_mark)
                stack.append((container, _NO_KEY))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or exc.context or "syntax error"
        raise _fail("yaml.syntax", file, mark, detail=detail) from None
    except yaml.YAMLError as exc:
        raise _fail("yaml.syntax", file, detail=str(exc).splitlines()[0]) from None
    return root


def load(path: Path, display: str | None = None) -> Any:
    """Read and parse one YAML file; errors name it as ``display`` (defaults to the path)."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail("yaml.unreadable", name, detail=exc.strerror or str(exc)) from None
    if len(raw) > MAX_BYTES:
        raise _fail("yaml.too_big", name, size=len(raw), limit=MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            Problem("yaml.encoding", {"detail": exc.reason}, Location(name, line, 1))
        ) from None
    return loads(text, name)


def locate(root: Any, path: tuple[Any, ...], fallback: Location | None = None) -> Location | None:
    """The location of the value at ``path`` (keys and indexes), or of its nearest ancestor."""
    best = getattr(root, "loc", fallback)
    node = root
    for step in path:
        if isinstance(node, YMap) and step in node:
            best = node.value_locs.get(step, best)
            node = node[step]
        elif isinstance(node, YList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_locs[step]
            node = node[step]
        else:
            break
    return best


def locate_key(root: Any, path: tuple[Any, ...]) -> Location | None:
    """The location of the last key of ``path`` itself (for 'unknown key' problems)."""
    parent = root
    for step in path[:-1]:
        if isinstance(parent, (YMap, YList)):
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                return locate(root, path)
    if isinstance(parent, YMap) and path and path[-1] in parent.key_locs:
        return parent.key_locs[path[-1]]
    return locate(root, path)
