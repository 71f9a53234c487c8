"""Per-user folders (platformdirs) under a Vietnamese user name: data, backups and logs live there and work."""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest

from khoi_desktop.core import paths
from khoi_desktop.core.backup.reader import verify_backup
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import open_database
from khoi_desktop.core.office import create_office
from khoi_desktop.core.settings import OfficeSettings, load_settings
from khoi_desktop.logs import setup_logging

USER = "Nguyễn Thị Hà"
SHORT_USER = "NGUYNT~1"  # what an 8.3 short path shows for a name outside Latin-1


def windows_layout(monkeypatch: pytest.MonkeyPatch, profile: Path) -> Path:
    """platformdirs' Windows rules, with the shell folders taken from USERPROFILE / LOCALAPPDATA."""
    from platformdirs import windows

    local = profile / "AppData" / "Local"
    monkeypatch.setenv("USERPROFILE", str(profile))
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.setenv("APPDATA", str(profile / "AppData" / "Roaming"))
    folders = {"CSIDL_LOCAL_APPDATA": "LOCALAPPDATA", "CSIDL_APPDATA": "APPDATA"}
    monkeypatch.setattr(windows, "get_win_folder", lambda csidl: os.environ[folders[csidl]])
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: windows.Windows(*a, **k).user_data_dir)
    return local


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Users folder holding the clerk's profile; the test data-folder override is lifted."""
    monkeypatch.delenv(paths.HOME_ENV)
    folder = tmp_path / "C" / "Users"
    (folder / USER / "AppData" / "Local").mkdir(parents=True)
    return folder


def on_windows(users: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return windows_layout(monkeypatch, users / USER) / "khoi-desktop" / "khoi-desktop"


def on_windows_short_path(users: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The short name is another name of the same folder (a link stands in for it here).
    (users / SHORT_USER).symlink_to(users / USER, target_is_directory=True)
    return windows_layout(monkeypatch, users / SHORT_USER) / "khoi-desktop" / "khoi-desktop"


def on_linux(users: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(users / USER))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    from platformdirs import unix

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: unix.Unix(*a, **k).user_data_dir)
    return users / USER / ".local" / "share" / "khoi-desktop"


LAYOUTS: dict[str, Callable[[Path, pytest.MonkeyPatch], Path]] = {
    "windows": on_windows, "windows-8.3": on_windows_short_path, "linux": on_linux,
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_data_backups_and_logs_resolve_in_the_users_folder(layout: str, users: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    expected = LAYOUTS[layout](users, monkeypatch)
    assert paths.data_dir() == expected
    assert paths.default_database() == expected / "khoi.db"
    assert paths.demo_database() == expected / "demo.db"
    assert paths.backups_dir() == expected / "backups"
    assert paths.log_dir() == expected / "logs"
    assert paths.data_dir().resolve().is_relative_to((users / USER).resolve())
    if layout != "windows-8.3":
        assert USER in str(paths.data_dir())
        assert unicodedata.is_normalized("NFC", str(paths.data_dir()))


def test_the_override_replaces_the_per_user_folder(users: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_windows(users, monkeypatch)
    portable = users.parent / "Khoi Portable"
    monkeypatch.setenv(paths.HOME_ENV, str(portable))
    assert (paths.data_dir(), paths.backups_dir(), paths.log_dir()) == (portable, portable / "backups",
                                                                        portable / "logs")


@pytest.fixture
def fresh_logging(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """setup_logging() once per process: earlier tests may have pointed the root logger elsewhere."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    yield root
    for handler in root.handlers:
        handler.close()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_database_lives_is_backed_up_and_logged_there(layout: str, users: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fresh_logging: logging.Logger) -> None:
    LAYOUTS[layout](users, monkeypatch)
    setup_logging()
    logging.getLogger("khoi_desktop.test").info("mở cơ sở dữ liệu của %s", USER)
    db = open_database(paths.default_database(), create=True)
    try:
        with db.writing() as session:
            create_office(session, OfficeSettings(), term="2025-2030", term_starts_on=dt.date(2025, 10, 1),
                          actor=USER)
        result = create_backup(db, paths.backups_dir(), actor=USER, kind="manual")
    finally:
        db.close()
    reopened = open_database(paths.default_database())
    with reopened.reading() as session:
        assert load_settings(session).configured
    reopened.close()
    assert result.path.parent == paths.backups_dir()
    assert verify_backup(result.path).manifest.source_name == "khoi.db"
    for handler in fresh_logging.handlers:
        handler.flush()
    log = paths.log_dir() / "khoi-desktop.log"
    assert f"mở cơ sở dữ liệu của {USER}" in log.read_text(encoding="utf-8")
    assert {p.name for p in (users / USER).rglob("*") if p.is_file()} >= {"khoi.db", "khoi-desktop.log",
                                                                         result.path.name}


def test_the_command_line_writes_its_log_in_the_users_folder(users: Path, tmp_path: Path) -> None:
    """A scheduled backup (no console) leaves its record in the per-user log folder."""
    home = users / USER
    env = {k: v for k, v in os.environ.items() if k not in (paths.HOME_ENV, "XDG_DATA_HOME")}
    env["HOME"] = str(home)
    data = home / ".local" / "share" / "khoi-desktop"
    db = open_database(data / "khoi.db", create=True)
    db.close()
    result = subprocess.run([sys.executable, "-m", "khoi_desktop", "backup", str(data / "khoi.db"), "--to",
                             str(data / "backups")], capture_output=True, encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).parent == data / "backups"
    assert "backup done" in (data / "logs" / "khoi-desktop.log").read_text(encoding="utf-8")


def test_the_log_folder_is_looked_up_at_the_first_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fresh_logging: logging.Logger) -> None:
    """A start or a command that logs nothing never asks where the data folder is (platformdirs: part of
    `stats`'s start); the first record makes the folder and goes into the file there."""
    import khoi_desktop.logs as logs

    asked: list[Path] = []

    def log_dir() -> Path:
        asked.append(tmp_path / "du-lieu" / "logs")
        return asked[-1]

    monkeypatch.setattr(logs, "log_dir", log_dir)
    setup_logging()
    assert asked == [] and not (tmp_path / "du-lieu").exists()
    logging.getLogger("khoi_desktop.test").info("bản ghi đầu tiên")
    logging.getLogger("khoi_desktop.test").info("bản ghi thứ hai")
    for handler in fresh_logging.handlers:
        handler.flush()
    assert len(asked) == 1
    text = (tmp_path / "du-lieu" / "logs" / "khoi-desktop.log").read_text(encoding="utf-8")
    assert "bản ghi đầu tiên" in text and "bản ghi thứ hai" in text
