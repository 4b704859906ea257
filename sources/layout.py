"""The shape of a configuration folder: the one place that knows which file holds what.

Every command and the app read a folder of this shape (``--config DIR``, ``KPI_CONFIG``)::

    settings.yaml   units.yaml   sources.yaml   metrics/*.yaml   boards/*.yaml
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent  # the folder of app.py: the project's own
REPO_CONFIG = PROJECT / "config"
DATA_ROOTS_VARIABLE = "KPI_DATA_ROOTS"  # more folders data may live in, os.pathsep-separated
# The project's own data folder: the only place the demo is generated into without being asked
# (``python -m sources demo --out DIR`` writes it anywhere, on purpose).
PROJECT_DATA = REPO_CONFIG.parent / "data"
# Secrets a source's URL names as ${NAME} when the environment does not have them.
PROJECT_SECRETS = REPO_CONFIG.parent / ".streamlit" / "secrets.toml"
SETTINGS_FILE = "settings.yaml"
UNITS_FILE = "units.yaml"
SOURCES_FILE = "sources.yaml"
METRICS_DIR = "metrics"
BOARDS_DIR = "boards"


def default_config_dir() -> Path:
    """``KPI_CONFIG`` when set, else the repository's own ``config/``."""
    return Path(os.environ.get("KPI_CONFIG") or REPO_CONFIG)


def shown_config_path(path: Path) -> str:
    """A configuration file as messages name it: from its configuration folder's name on
    (``config/metrics/service.yaml``), never the server's absolute path to it."""
    folder = path.parent.parent if path.parent.name in (METRICS_DIR, BOARDS_DIR) else path.parent
    return Path(folder.name, path.relative_to(folder)).as_posix()


def metric_files(folder: Path) -> list[Path]:
    return sorted((folder / METRICS_DIR).glob("*.yaml"))


def board_files(folder: Path) -> list[Path]:
    return sorted((folder / BOARDS_DIR).glob("*.yaml"))


def definition_files(folder: Path) -> list[Path]:
    """Every file of the folder but the settings: what staff edit day to day, each of which
    may fail on its own while the rest serves."""
    return [folder / UNITS_FILE, folder / SOURCES_FILE, *metric_files(folder), *board_files(folder)]
