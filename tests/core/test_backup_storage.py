"""Where files live (removable, network) and the backup settings stored in the settings table."""

from __future__ import annotations

from pathlib import Path

import pytest

from khoi_desktop.core.backup import storage
from khoi_desktop.core.backup.settings import BackupSettings, load_backup_settings, save_backup_settings
from khoi_desktop.core.backup.storage import StorageKind
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.paths import backups_dir, data_dir


def test_backups_folder_is_in_the_data_folder() -> None:
    assert backups_dir() == data_dir() / "backups"


@pytest.mark.parametrize(("fstype", "device", "expected"), [
    ("cifs", "//may-chu/du-lieu", StorageKind.NETWORK),
    ("nfs4", "may-chu:/export", StorageKind.NETWORK),
    ("fuse.sshfs", "user@host:", StorageKind.NETWORK),
    ("ext4", "/dev/sda1", StorageKind.LOCAL),
])
def test_linux_mount_types(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fstype: str, device: str,
                           expected: StorageKind) -> None:
    monkeypatch.setattr(storage, "_mounts", lambda: [("/dev/root", "/", "ext4"), (device, str(tmp_path), fstype)])
    monkeypatch.setattr(storage, "_block_removable", lambda dev: False)
    assert storage._linux_kind(tmp_path / "chua-co" / "khoi.db") == expected


def test_linux_removable_device(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(storage, "_mounts", lambda: [("/dev/root", "/", "ext4"), ("/dev/sdb1", str(tmp_path), "vfat")])
    monkeypatch.setattr(storage, "_block_removable", lambda dev: dev == "/dev/sdb1")
    assert storage._linux_kind(tmp_path / "khoi.db") == StorageKind.REMOVABLE
    assert storage._linux_kind(tmp_path.parent) == StorageKind.LOCAL


def test_detection_never_raises(tmp_path: Path) -> None:
    assert storage.detect_storage_kind(tmp_path / "x.db") in set(StorageKind)
    assert isinstance(storage.list_removable_drives(), list)


def test_injectable_probe_and_drive_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(storage, "probe", lambda _p: StorageKind.REMOVABLE)
    monkeypatch.setattr(storage, "drive_lister", lambda: [storage.Drive(tmp_path, "USB")])
    assert storage.storage_kind(tmp_path) is StorageKind.REMOVABLE
    assert storage.removable_drives() == [storage.Drive(tmp_path, "USB")]


def test_backup_settings_round_trip(db: Database) -> None:
    with db.reading() as s:
        assert load_backup_settings(s) == BackupSettings(12, 10, 9, 30, "")
    with db.writing() as s:
        save_backup_settings(s, BackupSettings(keep_daily=5, interval_minutes=0))
    with db.reading() as s:
        loaded = load_backup_settings(s)
    assert (loaded.keep_daily, loaded.keep_weekly, loaded.interval_minutes) == (5, 10, 0)
    assert loaded.policy.daily == 5
    with pytest.raises(ValidationError), db.writing() as s:
        save_backup_settings(s, BackupSettings(0, 0, 0))
