"""The last valid version of each definition file, kept under the state folder and served while
the file itself is broken.

A staff member who saves a broken metric file must not blank the figures the board is looking
at. So a program that serves figures (the app, the briefing command) loads through ``serve``:
every definition file that loads without an error is remembered as
``<state_dir>/last_valid/<its path in the configuration folder>`` (written atomically, only when
it changed), and a file that fails is read from that copy instead, if there is one and it still
loads. ``Config.broken_files`` names every failing file with its errors and, when a copy serves
in its place, since when that copy was valid, so the pages can say so. The live file's problems
stay in ``Config.problems``: they are what to fix.

``metrics.loader.load_config`` itself never writes: ``python -m metrics validate`` reports the
files as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from pathlib import Path, PurePosixPath

from metrics.config import Config
from metrics.loader import load_config
from sources.layout import definition_files, shown_config_path

FOLDER = "last_valid"


class LastValid:
    """The remembered copies of one configuration folder's definition files."""

    def __init__(self, state_dir: Path):
        self.folder = state_dir / FOLDER

    def path(self, file: str) -> Path:
        """Where the copy of ``file`` (as messages name it: ``config/metrics/x.yaml``) is kept."""
        return self.folder.joinpath(*PurePosixPath(file).parts[1:])

    def kept_since(self, file: str) -> dt.datetime | None:
        """When the kept copy was written (the version was first seen valid); None: no copy."""
        try:
            stamp = self.path(file).stat().st_mtime
        except OSError:
            return None
        return dt.datetime.fromtimestamp(stamp, dt.UTC)

    def differs(self, file: str, live: Path) -> bool:
        """Whether a copy is kept and differs from the file as it now is."""
        try:
            kept = self.path(file).read_bytes()
        except OSError:
            return False
        try:
            return kept != live.read_bytes()
        except OSError:  # the file was deleted: it is not served from memory
            return False

    def remember(self, live: Path) -> None:
        """Keep ``live`` as its file's last valid version (atomically; untouched when equal)."""
        target = self.path(shown_config_path(live))
        try:
            content = live.read_bytes()
            if target.exists() and target.read_bytes() == content:
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, target)
        except OSError:  # a read-only state folder costs the memory, never the page
            return


def serve(folder: Path | str) -> Config:
    """The configuration to serve figures from: as ``load_config``, with each broken definition
    file read from its last valid version when one is kept and still loads, and every clean
    file remembered."""
    live = load_config(folder)
    memory = LastValid(live.state_dir)
    files = {shown_config_path(path): path for path in definition_files(live.folder)}
    broken = {b.file for b in live.broken_files}
    for name, path in files.items():
        if name not in broken:
            memory.remember(path)
    served = {
        b.file: memory.path(b.file)
        for b in live.broken_files
        if memory.differs(b.file, files[b.file])
    }
    config = live
    while served:  # a kept copy that fails too (a source it reads is gone) is not served
        config = load_config(folder, served)
        still = {b.file for b in config.broken_files} & set(served)
        if not still:
            break
        served = {name: copy for name, copy in served.items() if name not in still}
        config = live
    return _with_live_errors(config, live, memory, set(served))


def _with_live_errors(config: Config, live: Config, memory: LastValid, served: set[str]) -> Config:
    """The served configuration, saying what is wrong with the files as they are: their
    problems, and an error card for every broken metric the kept copies do not define."""
    if config is live:
        return live
    known = set(config.metrics) | set(config.broken_metrics)
    missing = {mid: found for mid, found in live.broken_metrics.items() if mid not in known}
    return dataclasses.replace(
        config,
        problems=live.problems,
        broken_metrics={**config.broken_metrics, **missing},
        outline=[*config.outline, *(o for o in live.outline if o.id in missing)],
        broken_files=[
            dataclasses.replace(
                b, kept_since=memory.kept_since(b.file) if b.file in served else None
            )
            for b in live.broken_files
        ],
    )
