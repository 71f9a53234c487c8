"""The audit trail's hash chain and its anchor (settings key `audit_anchor`), as stored.

Each entry stores the hash of the previous one, so editing a row, or deleting or inserting one in the middle,
breaks the chain at that point. A chain alone cannot show that its *last* rows were deleted, so the anchor
(last id, last hash, number of entries) is updated in the same transaction as every entry. When the file
has a database key (core/audit_seal.py), the anchor carries an HMAC seal: copying the last remaining hash
into it by hand, or deleting it with every entry, no longer passes for an intact trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.audit_seal import SEAL_FIELD, seal, seal_holds
from khoi_desktop.core.models import AuditEntry, Setting
from khoi_desktop.core.settings import setting_row

GENESIS = "0" * 64
ANCHOR_KEY = "audit_anchor"
SEALING_KEY = "sealing_key"  # session.info: the anchor key derived from the database key, or None
LEGACY, CURRENT = 1, 2  # entry formats (models.AuditEntry)


def _entry_hash(prev_hash: str, at: dt.datetime, actor: str, action: str, target: str | None,
                before: str | None, after: str | None, os_user: str | None = None) -> str:
    """Format 1: over the local time the entry was written in, as it was stored before 0013_audit_seal."""
    fields: list[str | None] = [prev_hash, at.isoformat(), actor, action, target, before, after]
    if os_user is not None:  # entries written before the field existed keep their hashes
        fields.append(os_user)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_hash(prev_hash: str, at: dt.datetime, offset: int | None, actor: str, action: str, target: str | None,
               before: str | None, after: str | None, rows_digest: str | None, os_user: str | None = None) -> str:
    """Format 2: over the UTC time (`at` naive UTC), the workstation's offset, the OS user behind the account
    and the digest of the rows."""
    payload = json.dumps([CURRENT, prev_hash, at.replace(tzinfo=dt.UTC).isoformat(), offset, actor, os_user, action,
                          target, before, after, rows_digest], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def stored_hash(entry: AuditEntry) -> str:
    """The hash the entry should carry, by its format."""
    if entry.format == LEGACY:
        local = entry.at + dt.timedelta(minutes=entry.at_offset or 0)
        return _entry_hash(entry.prev_hash, local, entry.actor, entry.action, entry.target, entry.before,
                           entry.after, entry.os_user)
    return entry_hash(entry.prev_hash, entry.at, entry.at_offset, entry.actor, entry.action, entry.target,
                      entry.before, entry.after, entry.rows_digest, entry.os_user)


@dataclass(frozen=True)
class Anchor:
    last_id: int
    last_hash: str
    count: int  # -1: the stored anchor could not be read
    lost_at: int | None = None  # the first entry written after the anchor was found deleted, damaged or forged
    fields: dict[str, Any] = field(default_factory=dict, compare=False)  # as stored, with its seal

    @property
    def readable(self) -> bool:
        return self.count >= 0

    @property
    def sealed(self) -> bool:
        return SEAL_FIELD in self.fields

    def seal_holds(self, key: bytes) -> bool:
        return self.readable and seal_holds(self.fields, key)

    def to_json(self, key: bytes | None) -> dict[str, Any]:
        data: dict[str, Any] = {"last_id": self.last_id, "last_hash": self.last_hash, "count": self.count}
        if self.lost_at is not None:
            data["lost_at"] = self.lost_at
        if key is not None:
            data[SEAL_FIELD] = seal(data, key)
        return data


def anchor_from_json(data: Any) -> Anchor:
    try:
        lost = data.get("lost_at")
        return Anchor(int(data["last_id"]), str(data["last_hash"]), int(data["count"]),
                      int(lost) if lost is not None else None, dict(data))
    except (ValueError, KeyError, TypeError, AttributeError):
        return Anchor(-1, "", -1)  # unreadable: verification reports it


def parse_anchor(value: str | None) -> Anchor | None:
    if value is None:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return Anchor(-1, "", -1)
    return anchor_from_json(data)


def load_anchor(session: Session) -> Anchor | None:
    row = setting_row(session, ANCHOR_KEY)
    return None if row is None else parse_anchor(row.value)


def anchor_text(anchor: Anchor, key: bytes | None) -> str:
    """The anchor as its setting stores it (sealed with the key, if any)."""
    return json.dumps(anchor.to_json(key), sort_keys=True)


def store_anchor(session: Session, anchor: Anchor, key: bytes | None) -> None:
    value = anchor_text(anchor, key)
    row = setting_row(session, ANCHOR_KEY)
    if row is None:
        session.add(Setting(key=ANCHOR_KEY, value=value))
    else:
        row.value = value


def sealing_key(session: Session) -> bytes | None:
    key = session.info.get(SEALING_KEY)
    return key if isinstance(key, bytes) else None


def utc_now() -> tuple[dt.datetime, int]:
    """(naive UTC to the second, the workstation's offset from UTC in minutes)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    offset = now.astimezone().utcoffset() or dt.timedelta()
    return now.replace(tzinfo=None), int(offset.total_seconds() // 60)


def local_time(at: dt.datetime, offset: int | None) -> dt.datetime:
    """An entry's time as the workstation showed it, with its offset (aware)."""
    zone = dt.timezone(dt.timedelta(minutes=offset or 0))
    return at.replace(tzinfo=dt.UTC).astimezone(zone)
