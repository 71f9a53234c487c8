"""Reading the audit trail: entries filtered by user, dates, action and organization, with Vietnamese labels.

Only roles holding Permission.AUDIT may read it (it names who did what to whose records).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core import actions
from khoi_desktop.core.audit import AuditCheck, verify_trail
from khoi_desktop.core.audit_chain import local_time
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.models import AuditEntry, Decision, Organization
from khoi_desktop.core.text import nfc

# What each kind of audit entry is called (not the decision actions: those are core/actions.py).
AUDIT_LABELS = {
    "login": "Đăng nhập",
    "unlock": "Mở khóa màn hình",
    "login.failed": "Đăng nhập sai",
    "login.lockout": "Khóa tài khoản (sai mật khẩu)",
    "user.create": "Tạo tài khoản",
    "user.disable": "Vô hiệu hóa tài khoản",
    "user.enable": "Kích hoạt lại tài khoản",
    "user.role": "Đổi vai trò",
    "user.reset_password": "Đặt lại mật khẩu",
    "user.change_password": "Đổi mật khẩu",
    "decision.draft": "Lập dự thảo quyết định",
    "decision.edit": "Sửa dự thảo quyết định",
    "decision.discard": "Hủy dự thảo quyết định",
    "decision.issue": "Ban hành quyết định",
    "import_members": "Nhập danh sách đảng viên",
    "office.create": "Khai báo cơ quan ban hành",
    "settings.office": "Sửa cài đặt cơ quan",
    "settings.auth": "Sửa cài đặt đăng nhập",
    "settings.template": "Sửa mẫu văn bản",
    "settings.template_reset": "Khôi phục mẫu văn bản mặc định",
    "audit.baseline": "Ghi mã băm dữ liệu hiện có vào nhật ký",
    "audit.seal": "Niêm phong nhật ký",
    "office.keyfile_restored": "Đặt lại tệp khóa từ bản sao",
    "data.change": "Thay đổi dữ liệu",
    "backup_settings": "Sửa cài đặt sao lưu",
    "backup": "Sao lưu",
    "restore": "Khôi phục dữ liệu",
    "demo.generate": "Tạo dữ liệu mẫu",
    "committee.size": "Ghi số lượng cấp ủy",
    "submission.register": "Vào sổ tờ trình",
    "submission.return": "Trả lại tờ trình",
}


def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action, action)


# Keys and values of the before/after JSON, as a clerk reads them; anything else is shown as recorded.
KEY_LABELS = {
    "role": "vai trò", "full_name": "họ tên", "note": "ghi chú", "active": "đang dùng", "unlocked": "mở khóa",
    "reason": "lý do", "during": "khi", "attempt": "lần sai", "attempts": "số lần sai", "locked_until": "khóa đến",
    "subject": "trích yếu", "action": "loại", "term": "nhiệm kỳ", "issued_on": "ngày ban hành", "id": "số",
    "members": "đảng viên", "organizations": "tổ chức", "count": "số lượng", "file": "tệp", "sheet": "trang",
    "org": "tổ chức", "text": "nội dung", "kind": "kiểu", "encrypted": "mã hóa", "size": "số lượng",
    "idle_lock_minutes": "tự khóa sau (phút)", "scale": "quy mô", "today": "ngày lập", "issuer_code": "ký hiệu",
    "place_name": "địa danh", "signers": "người ký", "thresholds": "ngưỡng", "backup": "bản sao lưu",
    "safety_copy": "bản an toàn", "created_at": "lúc tạo", "decisions": "quyết định", "counts": "số lượng",
    "source_name": "tệp dữ liệu", "migrated_from": "nâng cấp từ phiên bản dữ liệu", "issued": "đã ban hành",
    "drafts": "dự thảo", "seed": "số khởi tạo", "replaced_backup_at": "dữ liệu cũ sao lưu lần cuối",
    "entries": "số mục", "source": "lấy từ",
}
# Technical details of a backup's manifest: kept in the record (the JSON), left out of the summary.
HIDDEN_KEYS = {"compression", "format", "content_sha256", "content_size", "schema_revision", "app_version",
               "audit_anchor", "replaced_audit", "content_kind"}
# Record targets as "kind:id" -> words.
TARGET_KINDS = {"decision": "Dự thảo quyết định mã {}", "submission": "Tờ trình mã {}", "template": "Mẫu văn bản «{}»"}


def target_label(target: str) -> str:
    """'decision:14' -> 'Dự thảo quyết định mã 14'; 'template:found' -> 'Mẫu văn bản «Thành lập»'."""
    kind, _, key = target.partition(":")
    if kind not in TARGET_KINDS or not key:
        return target
    return TARGET_KINDS[kind].format(actions.action_label(key) if kind == "template" else key)
VALUE_LABELS = {
    "quan_tri": "Quản trị", "chuyen_vien": "Chuyên viên", "chi_xem": "Chỉ xem", "sao_luu": "Chỉ sao lưu",
    "wrong_password": "sai mật khẩu", "unknown_user": "không có tài khoản", "disabled": "tài khoản bị vô hiệu hóa",
    "locked": "tài khoản đang bị khóa", "login": "đăng nhập", "unlock": "mở khóa màn hình",
    "first_start": "lần đầu sử dụng", "demo": "dữ liệu mẫu", "manual": "sao lưu ngay", "usb": "ra USB",
    "auto": "tự động", "close": "khi đóng", "cli": "dòng lệnh", "command_line": "đăng nhập trên dòng lệnh",
}


def _show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return VALUE_LABELS.get(value, value)
        return when.strftime("%d/%m/%Y %H:%M") if len(value) > 10 else when.strftime("%d/%m/%Y")
    return str(value)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    action: str | None = None
    org_code: str | None = None


def show_time(at: dt.datetime) -> str:
    """'02/12/2026 20:05:00 (UTC+07:00)': the time the workstation showed, with its offset from UTC."""
    offset = at.strftime("%z") or "+0000"
    return f"{at:%d/%m/%Y %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})"


def utc_bound(day: dt.date) -> dt.datetime:
    """Midnight starting `day` on this workstation, as the naive UTC the trail stores."""
    return dt.datetime.combine(day, dt.time()).astimezone(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime  # aware: the local time it was recorded in, with that offset (stored in UTC)
    actor: str
    action: str
    target: str
    before: str  # short human summaries of the JSON recorded
    after: str
    before_json: str | None = None  # as recorded
    after_json: str | None = None
    os_user: str | None = None  # the operating-system user behind the account (None before it was kept)

    @property
    def action_label(self) -> str:
        return audit_label(self.action)

    @property
    def at_text(self) -> str:
        return show_time(self.at)

    @property
    def actor_label(self) -> str:
        """'admin (người dùng máy: ketoan)': the account, and who was logged in to the computer."""
        return f"{self.actor} (người dùng máy: {self.os_user})" if self.os_user else self.actor

    @property
    def target_label(self) -> str:
        return target_label(self.target)


@dataclass(frozen=True)
class AuditChoices:
    """What the viewer's filters offer: the users and actions present in the trail."""

    actors: list[str]
    actions: list[str]


def summarize(text: str | None, limit: int = 300) -> str:
    """'{"role": "chi_xem", "members": [...]}' -> 'vai trò: Chỉ xem; đảng viên: 120 mục', cut at `limit`."""
    if not text:
        return ""
    try:
        value: Any = json.loads(text)
    except ValueError:
        return text[:limit]
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            if key in HIDDEN_KEYS:
                continue
            if key == "action" and isinstance(item, str):
                item = actions.action_label(item)
            if isinstance(item, list):
                shown = f"{len(item)} mục" if len(item) > 3 or any(isinstance(i, list | dict) for i in item) \
                    else ", ".join(_show_value(i) for i in item)
            elif isinstance(item, dict):
                shown = ", ".join(f"{KEY_LABELS.get(k, k)}={_show_value(v)}" for k, v in item.items())
            else:
                shown = _show_value(item)
            parts.append(f"{KEY_LABELS.get(key, key)}: {shown}")
        result = "; ".join(parts)
    else:
        result = _show_value(value)
    return result if len(result) <= limit else result[: limit - 1] + "…"


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(entry.id, local_time(entry.at, entry.at_offset), entry.actor, entry.action, entry.target or "",
                    summarize(entry.before), summarize(entry.after), entry.before, entry.after, entry.os_user)


def _org_matcher(session: Session, code: str) -> tuple[set[str], set[str]]:
    """Texts naming the organization, and targets of decisions whose request names it."""
    org = session.scalars(select(Organization).where(Organization.code == code.strip())).first()
    if org is None:
        raise OrgNotFound(code)
    needles = {org.code, nfc(org.name)}
    targets: set[str] = set()
    for decision_id, decision_code in session.execute(
            select(Decision.id, Decision.code).where(Decision.request.contains(f'"{org.code}"'))):
        targets.add(f"decision:{decision_id}")
        if decision_code:
            targets.add(decision_code)
    return needles, targets


def audit_entries(session: Session, audit_filter: AuditFilter, *, limit: int | None = None) -> list[AuditRow]:
    """Newest first."""
    require(session, Permission.AUDIT)
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if audit_filter.actor:
        query = query.where(AuditEntry.actor == audit_filter.actor)
    if audit_filter.action:
        query = query.where(AuditEntry.action == audit_filter.action)
    if audit_filter.date_from:
        query = query.where(AuditEntry.at >= utc_bound(audit_filter.date_from))
    if audit_filter.date_to:
        query = query.where(AuditEntry.at < utc_bound(audit_filter.date_to + dt.timedelta(days=1)))
    matcher = _org_matcher(session, audit_filter.org_code) if audit_filter.org_code else None
    rows: list[AuditRow] = []
    for entry in session.scalars(query):
        if matcher is not None:
            needles, targets = matcher
            texts = (entry.target or "", entry.before or "", entry.after or "")
            if entry.target not in targets and not any(n in t for n in needles for t in texts):
                continue
        rows.append(_row(entry))
        if limit is not None and len(rows) >= limit:
            break
    return rows


def audit_choices(session: Session) -> AuditChoices:
    require(session, Permission.AUDIT)
    actors = sorted(set(session.scalars(select(AuditEntry.actor).distinct())))
    actions = sorted(set(session.scalars(select(AuditEntry.action).distinct())), key=audit_label)
    return AuditChoices(actors, actions)


def check_trail(session: Session) -> AuditCheck:
    """verify-audit for the screens: the same check as the command line, for roles that read the trail."""
    require(session, Permission.AUDIT)
    return verify_trail(session)
