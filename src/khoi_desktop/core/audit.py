"""Audit trail: every change is recorded, chained by hashes so edits outside the app show.

Each entry stores the hash of the previous one, so editing a row, or deleting or inserting one in the
middle, breaks the chain at that point. A chain alone cannot show that its *last* rows were deleted, so an
anchor in the settings table (key `audit_anchor`: last id, last hash, number of entries) is updated in the
same transaction as every entry. New entries take the id after the anchor's, never a deleted one's, so a
deletion at the end leaves a visible gap once the app records again, and is caught by the anchor before.
What this detects: changes made with a database tool by someone who does not also recompute SHA-256 hashes
and the anchor. Keep backups (their copies of the trail) as the outside reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.auth.current import current_user
from khoi_desktop.core.engines import lock_audit_chain
from khoi_desktop.core.models import AuditEntry, Setting
from khoi_desktop.core.os_account import os_user  # noqa: F401  (re-exported: callers import it from here)

GENESIS = "0" * 64
ANCHOR_KEY = "audit_anchor"


def _entry_hash(prev_hash: str, at: dt.datetime, actor: str, action: str, target: str | None,
                before: str | None, after: str | None, os_user: str | None = None) -> str:
    fields: list[str | None] = [prev_hash, at.isoformat(), actor, action, target, before, after]
    if os_user is not None:  # entries written before the field existed keep their hashes
        fields.append(os_user)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class Anchor:
    last_id: int
    last_hash: str
    count: int  # -1: the stored anchor could not be read
    lost_at: int | None = None  # the first entry written after the anchor was found deleted or damaged

    @property
    def readable(self) -> bool:
        return self.count >= 0


def load_anchor(session: Session) -> Anchor | None:
    row = session.get(Setting, ANCHOR_KEY)
    if row is None:
        return None
    try:
        data = json.loads(row.value)
        lost = data.get("lost_at")
        return Anchor(int(data["last_id"]), str(data["last_hash"]), int(data["count"]),
                      int(lost) if lost is not None else None)
    except (ValueError, KeyError, TypeError):
        return Anchor(-1, "", -1)  # unreadable: verification reports it


def _store_anchor(session: Session, anchor: Anchor) -> None:
    data: dict[str, Any] = {"last_id": anchor.last_id, "last_hash": anchor.last_hash, "count": anchor.count}
    if anchor.lost_at is not None:
        data["lost_at"] = anchor.lost_at
    value = json.dumps(data)
    row = session.get(Setting, ANCHOR_KEY)
    if row is None:
        session.add(Setting(key=ANCHOR_KEY, value=value))
    else:
        row.value = value


def record(session: Session, *, actor: str | None = None, action: str, target: str | None = None,
           before: Any = None, after: Any = None) -> AuditEntry:
    """Append one entry inside the caller's transaction.

    The actor is the session's signed-in account whenever there is one (so every screen's and command's
    entry names who was signed in), with the operating-system user behind it as an extra field; otherwise
    `actor`, else the operating-system user.
    """
    user = current_user(session)
    name = user.username if user is not None else (actor or os_user())
    behind = user.os_user[:120] if user is not None and user.os_user else None
    lock_audit_chain(session)  # concurrent writers on a server: one chain, never two entries on one tail
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    anchor = load_anchor(session)
    prev_hash = last.hash if last else GENESIS
    next_id = max(last.id if last else 0, anchor.last_id if anchor else 0) + 1
    if anchor is not None and anchor.readable:
        count, lost_at = anchor.count + 1, anchor.lost_at
    else:  # no anchor yet (a new trail), or one deleted or damaged outside the app: the loss stays on record
        count = (session.scalar(select(func.count()).select_from(AuditEntry)) or 0) + 1
        lost_at = next_id if last is not None or anchor is not None else None
    at = dt.datetime.now().replace(microsecond=0)
    before_text, after_text = _dump(before), _dump(after)
    entry = AuditEntry(
        id=next_id, at=at, actor=name[:120], action=action, target=target[:300] if target else target,
        before=before_text, after=after_text, os_user=behind, prev_hash=prev_hash,
        hash=_entry_hash(prev_hash, at, name[:120], action, target[:300] if target else target, before_text,
                         after_text, behind),
    )
    session.add(entry)
    session.flush()
    _store_anchor(session, Anchor(entry.id, entry.hash, count, lost_at))
    return entry


@dataclass(frozen=True)
class AuditCheck:
    """The result of checking the trail: `broken_id` names the first entry that does not hold."""

    entries: int
    broken_id: int | None = None
    reason: str | None = None  # edited, deleted, relinked, deleted_last, appended, anchor
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _describe(entry: AuditEntry) -> str:
    return f"{entry.at:%d/%m/%Y %H:%M:%S}, {entry.actor}, {entry.action}"


def _ids(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def verify_trail(session: Session) -> AuditCheck:
    """Walk the chain in id order, then compare its end with the anchor."""
    prev_hash, expected_id, count = GENESIS, 1, 0
    last: AuditEntry | None = None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        expected = _entry_hash(entry.prev_hash, entry.at, entry.actor, entry.action, entry.target,
                               entry.before, entry.after, entry.os_user)
        if entry.hash != expected:
            return AuditCheck(count, entry.id, "edited",
                              f"Mục #{entry.id} ({_describe(entry)}) đã bị sửa hoặc được thêm ngoài ứng dụng: "
                              "nội dung không khớp mã băm ghi lúc ghi nhật ký.")
        if entry.id != expected_id:
            return AuditCheck(count, entry.id, "deleted",
                              f"Mục #{entry.id} ({_describe(entry)}) không nối với mục liền trước: mục "
                              f"{_ids(expected_id, entry.id - 1)} ngay trước nó đã bị xóa ngoài ứng dụng.")
        if entry.prev_hash != prev_hash:
            return AuditCheck(count, entry.id, "relinked",
                              f"Mục #{entry.id} ({_describe(entry)}) không nối với mục liền trước: có mục đã bị "
                              "xóa, chèn thêm hoặc sửa ngay trước nó ngoài ứng dụng.")
        prev_hash, expected_id, last = entry.hash, entry.id + 1, entry
    anchor = load_anchor(session)
    if anchor is None:
        if last is None:
            return AuditCheck(0)
        return AuditCheck(count, last.id, "anchor",
                          "Mốc kiểm tra cuối nhật ký (mục audit_anchor của bảng cài đặt) đã bị xóa ngoài ứng dụng: "
                          f"không xác nhận được mục #{last.id} là mục cuối cùng.")
    if anchor.lost_at is not None:
        return AuditCheck(count, anchor.lost_at, "anchor",
                          "Mốc kiểm tra cuối nhật ký (mục audit_anchor của bảng cài đặt) đã bị xóa hoặc sửa ngoài "
                          f"ứng dụng trước khi ghi mục #{anchor.lost_at}: không xác nhận được các mục trước đó là "
                          "đủ.")
    if not anchor.readable:
        return AuditCheck(count, last.id if last else None, "anchor",
                          "Mốc kiểm tra cuối nhật ký (mục audit_anchor của bảng cài đặt) bị sửa ngoài ứng dụng, "
                          "không đọc được.")
    last_id = last.id if last else 0
    if anchor.last_id > last_id:
        return AuditCheck(count, last_id + 1, "deleted_last",
                          f"Mục {_ids(last_id + 1, anchor.last_id)} ở cuối nhật ký đã bị xóa ngoài ứng dụng "
                          f"(ứng dụng đã ghi đến mục #{anchor.last_id}, nhật ký chỉ còn đến mục #{last_id}).")
    if anchor.last_id < last_id:
        return AuditCheck(count, anchor.last_id + 1, "appended",
                          f"Mục {_ids(anchor.last_id + 1, last_id)} được thêm vào cuối nhật ký ngoài ứng dụng "
                          f"(ứng dụng chỉ ghi đến mục #{anchor.last_id}).")
    assert last is not None
    if anchor.last_hash != last.hash or anchor.count != count:
        return AuditCheck(count, last.id, "anchor",
                          f"Mục cuối #{last.id} ({_describe(last)}) hoặc số mục của nhật ký ({count}) không khớp "
                          f"mốc kiểm tra ({anchor.count} mục): nhật ký đã bị sửa ngoài ứng dụng.")
    return AuditCheck(count)


def first_broken_entry(session: Session) -> int | None:
    """Id of the first entry whose chain does not hold (or the first one missing), None when intact."""
    return verify_trail(session).broken_id
