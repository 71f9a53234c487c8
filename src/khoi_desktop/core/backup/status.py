"""Cheap questions about backups: has the data changed, when was the last successful backup."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.engines.sqlite import ERRORS, connect_file
from khoi_desktop.core.models import AuditEntry

BACKUP_ACTION = "backup"
RESTORE_ACTION = "restore"


def change_token(session: Session) -> int:
    """Grows with every recorded change (the audit trail's last id)."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def last_backup_at(session: Session) -> dt.datetime | None:
    """The last backup this data knows of: its own, or (after a restore) the backup it came from and the
    last backup of the data it replaced, so the note never goes back in time."""
    known = [session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action == BACKUP_ACTION))]
    for after in session.scalars(select(AuditEntry.after).where(AuditEntry.action == RESTORE_ACTION)):
        try:
            data = json.loads(after or "{}")
            known += [dt.datetime.fromisoformat(data[key]) for key in ("created_at", "replaced_backup_at")
                      if data.get(key)]
        except (ValueError, TypeError):
            continue  # a record this version cannot read: the backups it knows still count
    return max((moment for moment in known if moment is not None), default=None)


def last_backup_in_file(path: Path) -> dt.datetime | None:
    """last_backup_at of a database file about to be replaced (None when it cannot be read)."""
    try:
        with closing(connect_file(path, read_only=True)) as conn:
            value = conn.execute("SELECT max(at) FROM audit_entries WHERE action = ?", (BACKUP_ACTION,)).fetchone()
    except ERRORS:
        return None
    try:
        return dt.datetime.fromisoformat(value[0]) if value and value[0] else None
    except ValueError:
        return None
