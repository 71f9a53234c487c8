"""The server office this workstation last worked on, opened again at the next start (without --db).

Kept in the app's settings file in the user's data folder: the address only (host, port, database, role, the CA
file), never the password, which stays in the operating system's credential store (core/engines/postgres.py).
Opening a file from the window forgets it: the next start opens the file again.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from khoi_desktop.core.paths import data_dir

KEY = "server/last_url"


def _settings() -> QSettings:
    return QSettings(str(data_dir() / "khoi-desktop.ini"), QSettings.Format.IniFormat)


def _without_password(url: str) -> str:
    from khoi_desktop.core.engines.postgres import ServerAddress

    return ServerAddress.parse(url).url


def remembered_server() -> str | None:
    """The address of the last server office, or None (the last office was a file, or none yet)."""
    value = _settings().value(KEY)
    return str(value) if value else None


def remember_server(url: str) -> None:
    settings = _settings()
    settings.setValue(KEY, _without_password(url))
    settings.sync()


def forget_server() -> None:
    settings = _settings()
    settings.remove(KEY)
    settings.sync()
