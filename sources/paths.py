"""Where a source's files are: a path or glob confined to the data root.

A source definition is staff-edited text, and Polars will happily open ``/etc/passwd``,
``../other/secrets.csv`` or ``https://...`` if handed them. So every path is resolved here, and
only files that really lie under the data root (after following symbolic links) come back, as
absolute paths that no reader could mistake for a URL or a glob. Hidden files (``.name``) and
Excel lock files (``~$name``) never match a glob: they are temporaries, not data.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sources.errors import SourceError
from sources.layout import DATA_ROOTS_VARIABLE, PROJECT
from sources.problems import Location, Problem, register_messages

register_messages(
    {
        "path.root_outside": {
            "vi": "thư mục dữ liệu '{path}' nằm ngoài thư mục dự án; chỉ dùng được thư mục trong dự "
            "án hoặc thư mục người vận hành khai báo trong biến môi trường {variable}",
            "en": "the data folder '{path}' is outside the project; only folders inside it, or "
            "those the operator lists in the environment variable {variable}, may be used",
        },
        "path.url": {
            "vi": "'{path}' là một địa chỉ URL: chỉ đọc được tệp trong thư mục dữ liệu",
            "en": "'{path}' is a URL: only files under the data folder can be read",
        },
        "path.parent": {
            "vi": "đường dẫn '{path}' không được chứa '..'",
            "en": "path '{path}' may not contain '..'",
        },
        "path.outside": {
            "vi": "đường dẫn '{path}' nằm ngoài thư mục dữ liệu '{root}'",
            "en": "path '{path}' is outside the data folder '{root}'",
        },
        "path.link_escape": {
            "vi": "'{path}' là liên kết trỏ ra ngoài thư mục dữ liệu '{root}'",
            "en": "'{path}' is a link that leads outside the data folder '{root}'",
        },
        "path.no_match": {
            "vi": "không có tệp nào khớp mẫu '{pattern}' trong '{root}'",
            "en": "no file matches '{pattern}' under '{root}'",
        },
        "path.not_found": {
            "vi": "không tìm thấy tệp '{path}' trong '{root}'",
            "en": "file '{path}' not found under '{root}'",
        },
        "path.not_file": {
            "vi": "'{path}' không phải là một tệp",
            "en": "'{path}' is not a file",
        },
        "path.link_loop": {
            "vi": "'{path}' là liên kết vòng (trỏ lại chính nó) trong thư mục dữ liệu '{root}'",
            "en": "'{path}' is a link loop (it leads back to itself) under the data folder '{root}'",
        },
        "path.os_error": {
            "vi": "không truy cập được '{path}' trong '{root}': {detail}",
            "en": "cannot access '{path}' under '{root}': {detail}",
        },
    }
)

GLOB_CHARS = frozenset("*?[")
# "http://", "s3://", "file://" ... and the short "file:/etc/x" form.
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://|file:)", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class DataFile:
    """One file of a source: how it is named under the data root, and where it really is."""

    rel: str  # POSIX path relative to the data root: what the ``_file`` column holds
    path: Path  # resolved absolute path: what is opened


def allowed_roots() -> list[Path]:
    """The folders a data root may lie in: the project, and what ``KPI_DATA_ROOTS`` lists."""
    listed = os.environ.get(DATA_ROOTS_VARIABLE, "").split(os.pathsep)
    return [PROJECT.resolve(), *(Path(item).expanduser().resolve() for item in listed if item)]


def root_problem(root: Path, where: Location | None = None) -> Problem | None:
    """Why ``root`` may not be a data root (it lies outside every allowed folder, symbolic
    links followed), or None: ``data_root: /`` would otherwise let a source read any file."""
    real = root.resolve()
    if any(real == allowed or allowed in real.parents for allowed in allowed_roots()):
        return None
    params = {"path": display(root), "variable": DATA_ROOTS_VARIABLE}
    return Problem("path.root_outside", params, where, "error", "settings")


def is_glob(pattern: str) -> bool:
    return any(char in GLOB_CHARS for char in pattern)


def shown_data_path(root: Path, rel: str) -> str:
    """A data file as messages name it: from the data folder's name on (``data/w.csv``), never
    the server's absolute path to it."""
    return f"{root.name}/{rel}" if root.name else rel


def display(path: Path) -> str:
    """A path as people read it in a message: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _os_detail(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _relative(path: PurePosixPath, roots: tuple[Path, ...]) -> PurePosixPath | None:
    for root in roots:
        try:
            return PurePosixPath(path.relative_to(PurePosixPath(root.as_posix())))
        except ValueError:
            continue
    return None


def resolve(
    root: Path, pattern: str, *, source_id: str, where: Location | None = None
) -> list[DataFile]:
    """The files ``pattern`` (a path or a glob) names under ``root``, sorted by name.

    Raises ``SourceError`` (located at ``where``, the YAML position of the path) for a URL, a
    ``..`` step, an absolute path or a link leading out of the root, a link loop, a file or
    folder the system refuses to open, a missing file, or a glob that matches nothing; never a
    bare ``OSError``.
    """
    base = root.resolve()

    def fail(code: str, **params: object) -> SourceError:
        return SourceError.one(source_id, code, where, root=root.name or "/", **params)

    if _URL.match(pattern):
        raise fail("path.url", path=pattern)
    pure = PurePosixPath(pattern)
    if ".." in pure.parts:
        raise fail("path.parent", path=pattern)
    if pure.is_absolute():
        inside = _relative(pure, (base, root.absolute()))
        if inside is None:
            raise fail("path.outside", path=pattern)
        pure = inside
    glob = is_glob(str(pure))
    try:
        if glob:
            candidates = sorted(p for p in base.glob(str(pure)) if not _hidden(p.name))
        else:
            candidates = [base / pure]
    except OSError as exc:  # an unreadable folder met on the way
        raise fail("path.os_error", path=pattern, detail=_os_detail(exc)) from None
    files = []
    for candidate in candidates:
        rel = candidate.relative_to(base).as_posix()
        try:
            real = candidate.resolve()
            if not real.is_relative_to(base):
                raise fail("path.link_escape", path=rel)
            if not glob and not real.exists():
                raise fail("path.not_found", path=pattern)
            is_file = real.is_file()
        except RuntimeError:  # Python < 3.13 reports a link loop so
            raise fail("path.link_loop", path=rel) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise fail("path.link_loop", path=rel) from None
            raise fail("path.os_error", path=rel, detail=_os_detail(exc)) from None
        if is_file:
            files.append(DataFile(rel, real))
        elif not glob:
            raise fail("path.not_file", path=pattern)
    if not files:
        raise fail("path.no_match", pattern=pattern)
    return sorted(files)
