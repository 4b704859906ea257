"""One place that turns a configuration folder into something to compute with.

The CLI and the dashboard both need the same things: the validated configuration and a catalogue
of its sources. Generating the embedded demo's data is a separate, explicit step that the entry
points ask for (``generate_demo=True``: the app at first start, the CLIs); reading never writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from metrics.config import Config
from metrics.loader import load_config
from sources.catalog import Catalog
from sources.layout import default_config_dir
from sources.problems import ConfigError, Problem, register_messages

register_messages(
    {
        "workspace.not_demo_folder": {
            "vi": "không tạo dữ liệu mẫu vào '{path}' vì thư mục đã có dữ liệu khác (ví dụ '{example}'); "
            "đặt 'demo: false' hoặc chọn data_root khác",
            "en": "not generating the demo into '{path}': it already holds other data (e.g. '{example}'); "
            "set 'demo: false' or choose another data_root",
        },
    }
)


@dataclass
class Workspace:
    config: Config
    catalog: Catalog

    def default_as_of(self) -> dt.date:
        """The settings' as-of date; ``today`` is today in the configured time zone."""
        return self.config.settings.as_of_date()


def ensure_demo_data(config: Config) -> bool:
    """Generate the demo data into the data root when the settings ask for it and it is missing.

    Returns True when data was generated. A half-generated folder (no completion marker) is
    generated again, but a folder holding anything the generator does not write is never
    touched: real data must not be overwritten because ``demo: true`` was left on.
    """
    from sources.demo import OUTPUTS, generate, is_current

    if not config.settings.demo or is_current(config.data_root):
        return False

    root = config.data_root
    foreign = sorted(
        p.name
        for p in (root.iterdir() if root.is_dir() else ())
        if p.name not in OUTPUTS and not p.name.startswith(".tmp-")
    )
    if foreign:
        raise ConfigError(
            Problem(
                "workspace.not_demo_folder",
                {"path": str(root), "example": foreign[0]},
                config.settings.field_loc("demo"),
                subject_kind="settings",
            )
        )
    generate(root)
    return True


def open_workspace(folder: Path | str | None = None, *, generate_demo: bool = False) -> Workspace:
    """The configuration and its catalogue; with ``generate_demo``, the demo data first.

    Only an entry point passes ``generate_demo`` (see the module): the demo's data is written
    when the settings ask for it (``demo: true``) and it is missing or out of date.
    """
    config = load_config(Path(folder) if folder else default_config_dir())
    if generate_demo:
        ensure_demo_data(config)
    catalog = Catalog(config.sources, config.data_root, timezone=config.settings.timezone)
    return Workspace(config, catalog)
