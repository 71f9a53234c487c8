"""Backup settings (rotation counts, automatic-backup interval), kept in the settings table."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy.orm import Session

from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.backup.rotation import RotationPolicy
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.settings import read_setting, write_setting

_KEY = "backup"


@dataclass(frozen=True)
class BackupSettings:
    keep_daily: int = 12
    keep_weekly: int = 10
    keep_monthly: int = 9
    interval_minutes: int = 30  # automatic backup while data changed; 0 = only on close
    folder: str = ""  # empty: the backups folder in the data folder

    @property
    def policy(self) -> RotationPolicy:
        return RotationPolicy(self.keep_daily, self.keep_weekly, self.keep_monthly)

    def validated(self) -> BackupSettings:
        counts = (self.keep_daily, self.keep_weekly, self.keep_monthly)
        if any(not 0 <= c <= 1000 for c in counts) or not any(counts):
            raise ValidationError("Số bản sao lưu giữ lại phải từ 0 đến 1000, và ít nhất một loại lớn hơn 0.",
                                  code="invalid_backup_settings")
        if not 0 <= self.interval_minutes <= 24 * 60:
            raise ValidationError("Chu kỳ sao lưu tự động phải từ 0 đến 1440 phút.", code="invalid_backup_settings")
        return self


def load_backup_settings(session: Session) -> BackupSettings:
    data = read_setting(session, _KEY)
    if not isinstance(data, dict):
        return BackupSettings()
    known = {f.name for f in dataclasses.fields(BackupSettings)}
    return BackupSettings(**{k: v for k, v in data.items() if k in known})


def save_backup_settings(session: Session, settings: BackupSettings) -> BackupSettings:
    require(session, Permission.SETTINGS)
    settings = settings.validated()
    write_setting(session, _KEY, dataclasses.asdict(settings))
    return settings
