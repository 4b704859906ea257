"""The base of every model read from YAML: frozen, strict about keys, stamped with its position.

Parsing goes through ``parse_model``, which turns pydantic's errors into ``Problem`` lines that
point at the offending key or value (file, line, column), suggests the field a misspelt key was
probably meant to be, and stamps every object of the result with the position it was written at.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator

from sources.problems import Location, Problem, did_you_mean, register_messages
from sources.yamlload import YList, YMap, locate, locate_key

register_messages(
    {
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
        "schema.not_mapping": {
            "vi": "cần một bảng khóa: giá trị (mapping), nhận được {got}",
            "en": "expected a mapping of key: value, got {got}",
        },
    }
)


class Spec(BaseModel):
    """Frozen, rejects unknown keys, and remembers where it was written (``loc``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    _loc: Location | None = PrivateAttr(default=None)
    _field_locs: dict[str, Location] = PrivateAttr(default_factory=dict)

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


def _clean_path(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union-branch and function markers from an error path."""
    return tuple(
        step
        for step in loc
        if not (isinstance(step, str) and ("[" in step or step.startswith("function-")))
    )


def _problems_from(
    exc: ValidationError,
    model_type: type[BaseModel],
    data: Any,
    base: tuple[Any, ...],
    subject_kind: str | None,
    subject_id: str | None,
    file: str,
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        path = _clean_path(tuple(err["loc"]))
        full = base + path
        if full in seen:
            continue  # one line per place: union branches repeat the same complaint
        seen.add(full)
        field = ".".join(str(p) for p in path) or (subject_kind or "value")
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = _field_names(model_type, path[:-1])
            problems.append(
                Problem(
                    "schema.unknown_field",
                    {"field": path[-1], "allowed": ", ".join(allowed)},
                    locate_key(data, full) or Location(file),
                    subject_kind=subject_kind,
                    subject_id=subject_id,
                    suggestion=did_you_mean(str(path[-1]), allowed),
                )
            )
        elif kind == "missing":
            problems.append(
                Problem(
                    "schema.missing",
                    {"field": field},
                    locate(data, full[:-1]) or Location(file),
                    subject_kind=subject_kind,
                    subject_id=subject_id,
                )
            )
        else:
            detail = err["msg"]
            if kind in ("model_type", "model_attributes_type", "dict_type"):
                problems.append(
                    Problem(
                        "schema.not_mapping",
                        {"got": type(err.get("input")).__name__},
                        locate(data, full) or Location(file),
                        subject_kind=subject_kind,
                        subject_id=subject_id,
                    )
                )
                continue
            problems.append(
                Problem(
                    "schema.invalid",
                    {"field": field, "detail": detail},
                    locate(data, full) or Location(file),
                    subject_kind=subject_kind,
                    subject_id=subject_id,
                )
            )
    return problems


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
