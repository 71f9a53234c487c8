"""Per-user folders for data, backups and logs (platformdirs), overridable for tests and portable use."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "khoi-desktop"
APP_AUTHOR = "khoi-desktop"
# Tests and administrators may point the app at another folder; the live database stays in it.
HOME_ENV = "KHOI_DESKTOP_HOME"


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    import platformdirs  # on first use: a command given KHOI_DESKTOP_HOME never needs it

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def default_database() -> Path:
    return data_dir() / "khoi.db"


def demo_database() -> Path:
    return data_dir() / "demo.db"


def backups_dir() -> Path:
    """Automatic backups (core/backup): on the same disk as the data, copied to USB by the clerk."""
    return data_dir() / "backups"


def log_dir() -> Path:
    return data_dir() / "logs"
