"""Cheap questions about backups: has the data changed, when was the last successful backup."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing
from pathlib import Path
from typing import Any

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
    last = session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action == BACKUP_ACTION))
    known = [_local(last) if last is not None else None]  # the trail is in UTC, backup times local
    for after in session.scalars(select(AuditEntry.after).where(AuditEntry.action == RESTORE_ACTION)):
        try:
            data = json.loads(after or "{}")
            known += [dt.datetime.fromisoformat(data[key]) for key in ("created_at", "replaced_backup_at")
                      if data.get(key)]
        except (ValueError, TypeError):
            continue  # a record this version cannot read: the backups it knows still count
    return max((moment for moment in known if moment is not None), default=None)


def audit_anchor_in_file(path: Path) -> dict[str, Any] | None:
    """The audit anchor of a database file about to be replaced: the restore records it, so verify-audit knows
    the newest backups belong to the data replaced (None when it cannot be read)."""
    from khoi_desktop.core.backup.manifest import audit_anchor

    try:
        with closing(connect_file(path, read_only=True)) as conn:
            return audit_anchor(conn)
    except ERRORS:
        return None


def last_backup_in_file(path: Path) -> dt.datetime | None:
    """last_backup_at of a database file about to be replaced (None when it cannot be read)."""
    try:
        with closing(connect_file(path, read_only=True)) as conn:
            value = conn.execute("SELECT max(at) FROM audit_entries WHERE action = ?", (BACKUP_ACTION,)).fetchone()
            columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_entries)")}
    except ERRORS:
        return None
    try:
        at = dt.datetime.fromisoformat(value[0]) if value and value[0] else None
    except ValueError:
        return None
    return _local(at) if at is not None and "at_offset" in columns else at  # in UTC since 0013_audit_seal


def _local(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
