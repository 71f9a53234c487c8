"""Cheap questions about backups: has the data changed, when was the last successful backup."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import AuditEntry

BACKUP_ACTION = "backup"
RESTORE_ACTION = "restore"


def change_token(session: Session) -> int:
    """Grows with every recorded change (the audit trail's last id)."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def last_backup_at(session: Session) -> dt.datetime | None:
    return session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action == BACKUP_ACTION))
