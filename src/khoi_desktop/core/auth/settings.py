"""Sign-in settings kept in the settings table: minutes of inactivity before the window locks."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import Setting

_KEY = "auth"
MAX_IDLE_MINUTES = 8 * 60


@dataclass(frozen=True)
class AuthSettings:
    idle_lock_minutes: int = 10  # 0 = never lock

    def validated(self) -> AuthSettings:
        if not 0 <= self.idle_lock_minutes <= MAX_IDLE_MINUTES:
            raise ValidationError(f"Thời gian tự khóa phải từ 0 (không khóa) đến {MAX_IDLE_MINUTES} phút.",
                                  code="invalid_idle_lock")
        return self


def load_auth_settings(session: Session) -> AuthSettings:
    row = session.get(Setting, _KEY)
    if row is None:
        return AuthSettings()
    data = json.loads(row.value)
    known = {f.name for f in dataclasses.fields(AuthSettings)}
    return AuthSettings(**{k: v for k, v in data.items() if k in known})


def save_auth_settings(session: Session, settings: AuthSettings) -> AuthSettings:
    require(session, Permission.SETTINGS)
    settings = settings.validated()
    before = load_auth_settings(session)
    value = json.dumps(dataclasses.asdict(settings), ensure_ascii=False)
    row = session.get(Setting, _KEY)
    if row is None:
        session.add(Setting(key=_KEY, value=value))
    else:
        row.value = value
    if before != settings:
        record(session, action="settings.auth", target="Đăng nhập", before=dataclasses.asdict(before),
               after=dataclasses.asdict(settings))
    return settings
