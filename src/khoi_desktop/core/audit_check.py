"""Checking the audit trail as stored: the hash chain in id order, its end against the anchor, the anchor's
seal when the database key is at hand, and an empty trail in a file that holds data (a wipe).

What this detects: changes made with a database tool by someone who does not also recompute the hashes
and the anchor; with the database key, also by someone who does (the seal cannot be recomputed without an
account). Without the key the seal cannot be checked and the result says so (`sealed` None).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit_chain import GENESIS, LEGACY, load_anchor, local_time, sealing_key, stored_hash
from khoi_desktop.core.models import AuditEntry, Decision, Member, Organization

_REWRITE_RISK = ("người sửa tệp bằng công cụ khác có thể đã xóa các mục cuối rồi viết lại cả mốc.")
NO_KEY_NOTE = ("Chưa khẳng định được nhật ký nguyên vẹn: tệp dữ liệu chưa được mở khóa bằng tài khoản (chưa có "
               "khóa cơ sở dữ liệu), nên không kiểm tra được dấu niêm phong của mốc kiểm tra; " + _REWRITE_RISK)
# A plain file is never unlocked: it has no key to seal with at all (issue 23 follow-up, item 5).
PLAIN_FILE_NOTE = ("Chưa khẳng định được nhật ký nguyên vẹn: tệp dữ liệu không được mã hóa, nên mốc kiểm tra của "
                   "nhật ký không có dấu niêm phong (dấu niêm phong dùng khóa của tệp đã mã hóa); " + _REWRITE_RISK
                   + " Hãy mã hóa tệp dữ liệu (quản trị: menu Tài khoản › Mã hóa tệp dữ liệu…, hoặc lệnh "
                   "«khoi-desktop encrypt TỆP»): từ đó mốc kiểm tra được niêm phong.")
SERVER_NOTE = ("Chưa khẳng định được nhật ký nguyên vẹn: cơ sở dữ liệu trên máy chủ không có khóa để niêm phong mốc "
               "kiểm tra; người có quyền quản trị máy chủ có thể đã xóa các mục cuối rồi viết lại cả mốc.")
_NOTES = {"plain": PLAIN_FILE_NOTE, "server": SERVER_NOTE}


@dataclass(frozen=True)
class AuditCheck:
    """The result of checking the trail: `broken_id` names the first entry that does not hold."""

    entries: int
    broken_id: int | None = None
    reason: str | None = None  # edited, deleted, relinked, deleted_last, appended, anchor, seal, wiped
    message: str = ""
    sealed: bool | None = None  # True: the anchor's seal holds; None: no database key, not checked
    unsealed: str | None = None  # why no key (sealed None): "plain" file, "server", "locked" (not unlocked)

    @property
    def ok(self) -> bool:
        """Nothing found broken (which is all it says when `sealed` is None)."""
        return self.broken_id is None and self.reason is None

    @property
    def intact(self) -> bool:
        return self.ok and self.sealed is True

    @property
    def summary(self) -> str:
        """One Vietnamese paragraph for the screens and the command line."""
        if not self.ok:
            return f"Nhật ký thay đổi không còn nguyên vẹn. {self.message}"
        if self.sealed:
            return (f"Nhật ký thay đổi nguyên vẹn: {self.entries} mục, chuỗi mã băm và mốc kiểm tra có niêm phong "
                    "khớp.")
        return (f"Không thấy dấu hiệu nhật ký bị sửa ({self.entries} mục, chuỗi mã băm và mốc kiểm tra khớp). "
                + _NOTES.get(self.unsealed or "", NO_KEY_NOTE))


def _describe(entry: AuditEntry) -> str:
    return f"{local_time(entry.at, entry.at_offset):%d/%m/%Y %H:%M:%S}, {entry.actor}, {entry.action}"


def _ids(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def _holds_data(session: Session) -> bool:
    return any(session.scalar(select(exists().select_from(model))) for model in (Organization, Member, Decision))


def _why_unsealed(session: Session) -> str:
    """Why a session has no sealing key: a plain file, a server office, or an encrypted file not unlocked."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return "server"
    from khoi_desktop.core.keyslots.opening import is_encrypted

    name = getattr(getattr(bind, "url", None), "database", None)
    return "locked" if name and name != ":memory:" and is_encrypted(name) else "plain"


def verify_trail(session: Session, *, check_seal: bool = True) -> AuditCheck:
    """Walk the chain in id order, then compare its end with the anchor and the anchor with its seal."""
    prev_hash, expected_id, count = GENESIS, 1, 0
    last: AuditEntry | None = None
    current_seen = False
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        # An entry in the old format after a new one was written there, not by the app.
        if entry.hash != stored_hash(entry) or (current_seen and entry.format == LEGACY):
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
        current_seen = current_seen or entry.format != LEGACY
        prev_hash, expected_id, last = entry.hash, entry.id + 1, entry
    key = sealing_key(session) if check_seal else None
    sealed = True if key is not None else None
    anchor = load_anchor(session)
    if anchor is None:
        if last is None:
            if key is not None:
                return AuditCheck(0, None, "wiped",
                                  "Nhật ký trống và không có mốc kiểm tra có niêm phong, dù tệp đã có khóa: mọi mục "
                                  "của nhật ký và mốc kiểm tra đã bị xóa ngoài ứng dụng.", sealed=False)
            if _holds_data(session):
                return AuditCheck(0, None, "wiped",
                                  "Nhật ký trống trong khi tệp có tổ chức, đảng viên hoặc quyết định (mỗi thay đổi "
                                  "của ứng dụng đều được ghi): nhật ký và mốc kiểm tra đã bị xóa ngoài ứng dụng.")
            return AuditCheck(0, unsealed=_why_unsealed(session))
        return AuditCheck(count, last.id, "anchor",
                          "Mốc kiểm tra cuối nhật ký (mục audit_anchor của bảng cài đặt) đã bị xóa ngoài ứng dụng: "
                          f"không xác nhận được mục #{last.id} là mục cuối cùng.")
    if anchor.lost_at is not None:
        return AuditCheck(count, anchor.lost_at, "anchor",
                          "Mốc kiểm tra cuối nhật ký (mục audit_anchor của bảng cài đặt) đã bị xóa, sửa hoặc làm "
                          f"giả ngoài ứng dụng trước khi ghi mục #{anchor.lost_at}: không xác nhận được các mục "
                          "trước đó là đủ.")
    if not anchor.readable:
        return AuditCheck(count, last.id if last else None, "anchor",
                          "Mốc kiểm tra cuối nhật ký (mục audit_anchor của bảng cài đặt) bị sửa ngoài ứng dụng, "
                          "không đọc được.")
    last_id = last.id if last else 0
    if key is not None and not anchor.seal_holds(key):
        what = "không khớp dấu niêm phong" if anchor.sealed else "không có dấu niêm phong"
        return AuditCheck(count, last_id + 1, "seal",
                          f"Mốc kiểm tra cuối nhật ký {what} (ghi đến mục #{anchor.last_id}, {anchor.count} mục): "
                          "mốc đã được viết lại ngoài ứng dụng, thường để che việc xóa các mục cuối nhật ký.",
                          sealed=False)
    if anchor.last_id > last_id:
        return AuditCheck(count, last_id + 1, "deleted_last",
                          f"Mục {_ids(last_id + 1, anchor.last_id)} ở cuối nhật ký đã bị xóa ngoài ứng dụng "
                          f"(ứng dụng đã ghi đến mục #{anchor.last_id}, nhật ký chỉ còn đến mục #{last_id}).",
                          sealed=sealed)
    if anchor.last_id < last_id:
        return AuditCheck(count, anchor.last_id + 1, "appended",
                          f"Mục {_ids(anchor.last_id + 1, last_id)} được thêm vào cuối nhật ký ngoài ứng dụng "
                          f"(ứng dụng chỉ ghi đến mục #{anchor.last_id}).", sealed=sealed)
    assert last is not None
    if anchor.last_hash != last.hash or anchor.count != count:
        return AuditCheck(count, last.id, "anchor",
                          f"Mục cuối #{last.id} ({_describe(last)}) hoặc số mục của nhật ký ({count}) không khớp "
                          f"mốc kiểm tra ({anchor.count} mục): nhật ký đã bị sửa ngoài ứng dụng.", sealed=sealed)
    return AuditCheck(count, sealed=sealed, unsealed=None if sealed else _why_unsealed(session))


def first_broken_entry(session: Session) -> int | None:
    """Id of the first entry whose chain does not hold (or the first one missing), None when intact."""
    return verify_trail(session).broken_id
