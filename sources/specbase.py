"""The base of every model read from YAML: frozen, strict about keys, stamped with its position.

Parsing goes through ``parse_model``, which turns pydantic's errors into ``Problem`` lines that
point at the offending key or value (file, line, column), suggests the field a misspelt key was
probably meant to be, and stamps every object of the result with the position it was written at.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, TypeVar, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sources.problems import (
    Location,
    Problem,
    did_you_mean,
    message,
    register_messages,
    registered_messages,
)
from sources.yamlload import YList, YMap, locate, locate_key

register_messages(
    {
        "schema.number": {
            "vi": "'{field}' cần một số (viết dấu chấm thập phân, ví dụ 0.95), không phải '{got}'",
            "en": "'{field}' needs a number (with a decimal point, e.g. 0.95), not '{got}'",
        },
        "schema.integer": {
            "vi": "'{field}' cần một số nguyên, không phải '{got}'",
            "en": "'{field}' needs a whole number, not '{got}'",
        },
        "schema.boolean": {
            "vi": "'{field}' chỉ nhận true hoặc false, không phải '{got}'",
            "en": "'{field}' takes true or false, not '{got}'",
        },
        "schema.date": {
            "vi": "'{field}' cần một ngày dạng YYYY-MM-DD (ví dụ 2025-11-14), không phải '{got}'",
            "en": "'{field}' needs a date written YYYY-MM-DD (e.g. 2025-11-14), not '{got}'",
        },
        "schema.choice": {
            "vi": "'{field}' phải là một trong: {expected} (nhận được '{got}')",
            "en": "'{field}' must be one of: {expected} (got '{got}')",
        },
        "schema.text": {
            "vi": "'{field}' cần một đoạn chữ, không phải '{got}'",
            "en": "'{field}' needs text, not '{got}'",
        },
        "schema.list": {
            "vi": "'{field}' cần một danh sách (mỗi mục bắt đầu bằng '- ' hoặc viết [a, b])",
            "en": "'{field}' needs a list (items starting with '- ', or written [a, b])",
        },
        "schema.too_small": {
            "vi": "'{field}' phải lớn hơn hoặc bằng {limit} (nhận được {got})",
            "en": "'{field}' must be at least {limit} (got {got})",
        },
        "schema.too_large": {
            "vi": "'{field}' phải nhỏ hơn hoặc bằng {limit} (nhận được {got})",
            "en": "'{field}' must be at most {limit} (got {got})",
        },
        "schema.too_few": {
            "vi": "'{field}' cần ít nhất {limit} mục",
            "en": "'{field}' needs at least {limit} items",
        },
        "schema.too_many": {
            "vi": "'{field}' có tối đa {limit} mục",
            "en": "'{field}' takes at most {limit} items",
        },
        "schema.pattern": {
            "vi": "'{field}' chỉ gồm chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ (nhận được '{got}')",
            "en": "'{field}' takes lower-case letters, digits and '_', starting with a letter (got '{got}')",
        },
        "schema.timezone": {
            "vi": "không biết múi giờ '{got}' (ví dụ Asia/Ho_Chi_Minh)",
            "en": "unknown time zone '{got}' (e.g. Asia/Ho_Chi_Minh)",
        },
        "schema.missing": {
            "vi": "thiếu trường bắt buộc '{field}'",
            "en": "missing required field '{field}'",
        },
        "schema.unknown_field": {
            "vi": "trường '{field}' không được phép ở đây (các trường hợp lệ: {allowed})",
            "en": "field '{field}' is not allowed here (valid fields: {allowed})",
        },
        "schema.invalid": {
            "vi": "giá trị không hợp lệ cho '{field}': {detail}",
            "en": "invalid value for '{field}': {detail}",
        },
        "schema.number_leading_zero": {
            "vi": "'{field}': '{got}' bắt đầu bằng số 0 nên không rõ là số gì; viết {hint}",
            "en": "'{field}': '{got}' starts with a zero, so its value is unclear; write {hint}",
        },
        "schema.number_quoted": {
            "vi": "'{field}' cần một số, không phải chữ '{got}': bỏ dấu ngoặc kép, viết {hint}",
            "en": "'{field}' needs a number, not the text '{got}': remove the quotes, write {hint}",
        },
        "schema.number_exponent": {
            "vi": "'{field}': viết {hint} (số dạng lũy thừa của 10 cần có dấu chấm thập phân)",
            "en": "'{field}': write {hint} (a number with an exponent needs a decimal point)",
        },
        "schema.number_not_finite": {
            "vi": "'{field}' cần một số hữu hạn, không phải '{got}'",
            "en": "'{field}' needs a finite number, not '{got}'",
        },
        "schema.number_yes_no": {
            "vi": "'{field}' cần một số, không phải '{got}' (có/không không phải là số)",
            "en": "'{field}' needs a number, not '{got}' (yes/no is not a number)",
        },
        "schema.not_mapping": {
            "vi": "cần một bảng khóa: giá trị (mapping), nhận được {got}",
            "en": "expected a mapping of key: value, got {got}",
        },
    }
)


class Spec(BaseModel):
    """Frozen, rejects unknown keys, and remembers where it was written (``loc``)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False
    )
    _loc: Location | None = PrivateAttr(default=None)
    _field_locs: dict[str, Location] = PrivateAttr(default_factory=dict)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        """A number field takes a number as written, never text or yes/no coerced into one.

        pydantic would read ``"2"`` as 2.0, ``012`` (text to the strict YAML loader) as 12,
        ``.inf`` as infinity and ``true`` as 1: each is an error here, with what to write.
        """
        field = cls.model_fields.get(info.field_name or "")
        if field is None or not _takes_number(field.annotation):
            return value
        items = value.items() if isinstance(value, dict) else ()
        for item in (value, *(part for pair in items for part in pair)):
            _check_number(item)
        return value

    @property
    def loc(self) -> Location | None:
        return self._loc

    def field_loc(self, name: str) -> Location | None:
        """Where the value of one field was written (the object's own position if unknown)."""
        return self._field_locs.get(name, self._loc)


class LocalText(Spec):
    """Text in Vietnamese and English; English falls back to Vietnamese when not given.

    A plain string is accepted as the Vietnamese text.
    """

    vi: str
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, data: Any) -> Any:
        return {"vi": data} if isinstance(data, str) else data

    def get(self, lang: str) -> str:
        return (self.en or self.vi) if lang == "en" else self.vi


M = TypeVar("M", bound=Spec)

_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_YES_NO = {"yes", "no", "on", "off", "y", "n", "true", "false"}
_NOT_FINITE = re.compile(r"[-+]?\.?(inf|infinity|nan)", re.IGNORECASE)


def _takes_number(annotation: Any) -> bool:
    """Whether a field's type reads numbers (int or float, alone or in a union, list or dict)."""
    if annotation in (int, float):
        return True
    return any(_takes_number(arg) for arg in get_args(annotation) if arg is not bool)


def _check_number(value: Any) -> None:
    """Raise when ``value`` is what a staff member meant as a number but did not write as one."""
    if isinstance(value, bool):
        raise invalid("schema.number_yes_no", got=str(value).lower())
    if not isinstance(value, str):
        return
    text = value.strip()
    if _NOT_FINITE.fullmatch(text):
        raise invalid("schema.number_not_finite", got=text)
    if text.lower() in _YES_NO:
        raise invalid("schema.number_yes_no", got=text)
    if not _NUMBER_TEXT.fullmatch(text):
        return  # not a number at all: the field's own type check says so
    if not math.isfinite(float(text)):
        raise invalid("schema.number_not_finite", got=text)
    digits = text.lstrip("+-")
    if re.match(r"0\d", digits):
        plain = text[: len(text) - len(digits)] + (digits.lstrip("0") or "0")
        if plain.lstrip("+-").startswith("."):
            plain = plain.replace(".", "0.", 1)
        raise invalid("schema.number_leading_zero", got=text, hint=plain)
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and "." not in mantissa:  # 1e3: the YAML loader keeps it as text
        raise invalid("schema.number_exponent", hint=f"{mantissa}.0e{exponent}")
    raise invalid("schema.number_quoted", got=text, hint=text)


def invalid(code: str, **params: object) -> PydanticCustomError:
    """A validation error with one of our message codes, so it reads well in both languages.

    The code's text must be registered (``register_messages``); ``field`` is filled in later.
    """
    return PydanticCustomError(code, message(code, "en", field="value", **params), params)


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid("schema.timezone", got=value) from None
    return value


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]
"""An IANA time zone name such as ``Asia/Ho_Chi_Minh``, checked when the settings are read."""


def stamp(model: Any, data: Any) -> None:
    """Record, on every Spec inside ``model``, where its YAML mapping was written."""
    if isinstance(model, Spec):
        if isinstance(data, (YMap, YList)):
            model._loc = data.loc
        if isinstance(data, YMap):
            model._field_locs = {str(key): loc for key, loc in data.value_locs.items()}
        for name, field in type(model).model_fields.items():
            key = field.alias or name
            if isinstance(data, YMap) and key in data:
                stamp(getattr(model, name), data[key])
            elif isinstance(data, YMap) and name in data:
                stamp(getattr(model, name), data[name])
    elif isinstance(model, (list, tuple)) and isinstance(data, YList):
        for item, raw in zip(model, data, strict=False):
            stamp(item, raw)
    elif isinstance(model, dict) and isinstance(data, YMap):
        for key, item in model.items():
            if key in data:
                stamp(item, data[key])


def _field_names(model_type: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The valid keys of the model reached by following ``path`` (best effort, for hints)."""
    current: Any = model_type
    for step in path:
        if isinstance(step, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        field = current.model_fields.get(step)
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# pydantic error types -> (our message code, the ctx key giving a limit)
_TRANSLATED: dict[str, tuple[str, str | None]] = {
    "float_parsing": ("schema.number", None),
    "float_type": ("schema.number", None),
    "finite_number": ("schema.number", None),
    "int_parsing": ("schema.integer", None),
    "int_type": ("schema.integer", None),
    "int_from_float": ("schema.integer", None),
    "bool_parsing": ("schema.boolean", None),
    "bool_type": ("schema.boolean", None),
    "date_parsing": ("schema.date", None),
    "date_type": ("schema.date", None),
    "date_from_datetime_parsing": ("schema.date", None),
    "date_from_datetime_inexact": ("schema.date", None),
    "literal_error": ("schema.choice", "expected"),
    "enum": ("schema.choice", "expected"),
    "string_type": ("schema.text", None),
    "list_type": ("schema.list", None),
    "tuple_type": ("schema.list", None),
    "greater_than_equal": ("schema.too_small", "ge"),
    "greater_than": ("schema.too_small", "gt"),
    "less_than_equal": ("schema.too_large", "le"),
    "less_than": ("schema.too_large", "lt"),
    "too_short": ("schema.too_few", "min_length"),
    "too_long": ("schema.too_many", "max_length"),
    "string_pattern_mismatch": ("schema.pattern", None),
}
_SCALAR_BRANCHES = {"float", "int", "str", "bool", "date", "datetime", "none"}


def _is_branch(step: Any) -> bool:
    """Whether a step of pydantic's error path names a union member rather than a key."""
    if not isinstance(step, str):
        return False
    return (
        "[" in step
        or step.startswith("function-")
        or step in _SCALAR_BRANCHES
        or step[:1].isupper()
    )


def _split_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], str | None]:
    """The error's path through the data, and the union member it came from (if any).

    A step is a key when the data has it; otherwise, if it looks like a type name, it is the
    union member pydantic tried.
    """
    path: list[Any] = []
    branch: str | None = None
    node = data
    for step in loc:
        if (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        ):
            path.append(step)
            node = node[step]
        elif _is_branch(step):
            branch = step
        else:
            path.append(step)
            node = None
    return tuple(path), branch


def _branch_name(step: str) -> str:
    """``dict[int,float]`` -> ``dict``; ``function-after[_check(), TargetPath]`` -> ``TargetPath``."""
    if step.startswith("function-"):
        return re.findall(r"\w+", step)[-1]
    return step.split("[", 1)[0]


def _fits(branch: str | None, value: Any) -> bool:
    """Whether a union member is the one the writer meant, judging by the value's shape.

    A mapping whose keys are all numbers is a per-year mapping; any other mapping is a model;
    anything else is a scalar (or a literal word such as ``today``).
    """
    if branch is None:
        return True
    name = _branch_name(branch)
    if isinstance(value, dict):
        if value and all(isinstance(key, int) for key in value):
            return name == "dict"
        return name[:1].isupper()
    if name == "literal":  # a word like `today`; something with digits was meant as a value
        return not (isinstance(value, str) and any(c.isdigit() for c in value))
    return name in _SCALAR_BRANCHES


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _problems_from(
    exc: ValidationError,
    model_type: type[BaseModel],
    data: Any,
    base: tuple[Any, ...],
    subject_kind: str | None,
    subject_id: str | None,
    file: str,
) -> list[Problem]:
    """Pydantic's errors as our one-line problems, in the user's words.

    A union (a target may be a number, a per-year mapping or a path) makes pydantic report one
    error per member; only the member that fits the written value's shape is kept.
    """
    local = _value_at(data, base)
    errors = []
    for err in exc.errors(include_url=False):
        path, branch = _split_path(tuple(err["loc"]), local)
        errors.append((path, branch, err))
    fitting = [e for e in errors if _fits(e[1], _value_at(local, _union_base(e[0], e[2])))]
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for path, _, err in fitting or errors:
        full = base + path
        if full in seen:
            continue  # one line per place
        seen.add(full)
        problems.append(_problem(err, path, full, model_type, data, file, subject_kind, subject_id))
    return problems


def _union_base(path: tuple[Any, ...], err: dict[str, Any]) -> tuple[Any, ...]:
    """The path of the value a union member was tried on (the error may point inside it)."""
    loc = tuple(err["loc"])
    for index, step in enumerate(loc):
        if _is_branch(step):
            return path[: len([s for s in loc[:index] if not _is_branch(s)])]
    return path


def _problem(
    err: dict[str, Any],
    path: tuple[Any, ...],
    full: tuple[Any, ...],
    model_type: type[BaseModel],
    data: Any,
    file: str,
    subject_kind: str | None,
    subject_id: str | None,
) -> Problem:
    field = ".".join(str(p) for p in path) or (subject_kind or "value")
    kind = err["type"]
    where = locate(data, full) or Location(file)
    common = {"subject_kind": subject_kind, "subject_id": subject_id}
    got = err.get("input")
    if kind == "extra_forbidden":
        allowed = _field_names(model_type, path[:-1])
        return Problem(
            "schema.unknown_field",
            {"field": path[-1], "allowed": ", ".join(allowed)},
            locate_key(data, full) or Location(file),
            suggestion=did_you_mean(str(path[-1]), allowed),
            **common,
        )
    if kind == "missing":
        return Problem(
            "schema.missing", {"field": field}, locate(data, full[:-1]) or where, **common
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem("schema.not_mapping", {"got": type(got).__name__}, where, **common)
    if kind in registered_messages():  # our own validators raise PydanticCustomError(code, ...)
        return Problem(kind, {"field": field, **err.get("ctx", {})}, where, **common)
    if kind in _TRANSLATED:
        code, limit_key = _TRANSLATED[kind]
        params: dict[str, object] = {"field": field, "got": _short(got)}
        if limit_key:
            params["limit" if limit_key != "expected" else "expected"] = err.get("ctx", {}).get(
                limit_key, ""
            )
        return Problem(code, params, where, **common)
    return Problem("schema.invalid", {"field": field, "detail": err["msg"]}, where, **common)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_model(
    model_type: type[M],
    data: Any,
    *,
    file: str,
    path: tuple[Any, ...] = (),
    root: Any = None,
    subject_kind: str | None = None,
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (found at ``path`` inside ``root``) as ``model_type``.

    Returns the stamped model, or None with every problem found in it.
    """
    root = data if root is None else root
    subject_id = (
        data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    )
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        return None, _problems_from(exc, model_type, root, path, subject_kind, subject_id, file)
    stamp(model, data)
    return model, []
