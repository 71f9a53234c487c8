"""Audit trail: every change is recorded, chained by hashes so edits outside the app show."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import AuditEntry

GENESIS = "0" * 64


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some service contexts
        return "unknown"


def _entry_hash(prev_hash: str, at: dt.datetime, actor: str, action: str, target: str | None,
                before: str | None, after: str | None) -> str:
    payload = json.dumps([prev_hash, at.isoformat(), actor, action, target, before, after], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(session: Session, *, actor: str, action: str, target: str | None = None,
           before: Any = None, after: Any = None) -> AuditEntry:
    """Append one entry inside the caller's transaction."""
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev_hash = last.hash if last else GENESIS
    at = dt.datetime.now().replace(microsecond=0)
    before_text, after_text = _dump(before), _dump(after)
    entry = AuditEntry(
        at=at, actor=actor, action=action, target=target, before=before_text, after=after_text,
        prev_hash=prev_hash,
        hash=_entry_hash(prev_hash, at, actor, action, target, before_text, after_text),
    )
    session.add(entry)
    session.flush()
    return entry


def first_broken_entry(session: Session) -> int | None:
    """Id of the first entry whose chain does not hold, or None when the trail is intact."""
    prev_hash = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        expected = _entry_hash(prev_hash, entry.at, entry.actor, entry.action, entry.target,
                               entry.before, entry.after)
        if entry.prev_hash != prev_hash or entry.hash != expected:
            return entry.id
        prev_hash = entry.hash
    return None
