"""The live audit trail against the newest backup's anchor: a trail cut short or wiped since the last backup
shows, even when its own anchor was rewritten to match.

Every backup carries the anchor of the trail it copied (in its manifest and, readable without the
passphrase, in its header; sealed when the file has a database key). The live trail must still hold that
anchor's last entry with the same hash: otherwise it was cut short (or wiped), unless a restore recorded in
the live trail replaced the data that backup was taken from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit_chain import Anchor, anchor_from_json, sealing_key
from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.backup.reader import inspect_backup
from khoi_desktop.core.backup.rotation import backups_of
from khoi_desktop.core.backup.status import BACKUP_ACTION, RESTORE_ACTION
from khoi_desktop.core.models import AuditEntry

NONE, EXTENDS, REPLACED = "none", "extends", "replaced"  # fine
TRUNCATED, DIVERGED, WIPED, FORGED = "truncated", "diverged", "wiped", "forged"  # reported


@dataclass(frozen=True)
class BackupComparison:
    status: str
    message: str
    backup: Path | None = None
    anchor: Anchor | None = None
    sealed: bool | None = None  # the backup's anchor seal: True holds; None not checked (no key, or made before)

    @property
    def ok(self) -> bool:
        return self.status in (NONE, EXTENDS, REPLACED)


def backup_folder(session: Session) -> Path:
    """The backup folder as configured (the data folder's backups when none is set)."""
    from khoi_desktop.core.backup.settings import load_backup_settings
    from khoi_desktop.core.paths import backups_dir

    configured = load_backup_settings(session).folder
    return Path(configured) if configured else backups_dir()


_RECORDED_FOLDERS = 5  # the folders of the last backups the trail records, looked in besides the configured one


def backup_folders(session: Session) -> list[Path]:
    """Where this office's backups are: the configured folder, then the folders of the last backups the trail
    records (a scheduled `backup --to D:\\SaoLuu` never sets the configured folder). A trail wiped or cut short
    has lost those entries too; the configured folder is the one that does not depend on it."""
    folders = [backup_folder(session)]
    for (target,) in session.execute(select(AuditEntry.target).where(AuditEntry.action == BACKUP_ACTION)
                                     .order_by(AuditEntry.id.desc()).limit(50)):
        folder = Path(target).parent if target else None
        if folder is not None and folder.is_absolute() and folder not in folders:
            folders.append(folder)
            if len(folders) > _RECORDED_FOLDERS:
                break
    return folders


def newest_anchor(folders: Path | list[Path], stem: str) -> tuple[Path, Anchor] | None:
    """The newest backup of database `stem` in `folders` that carries an anchor (older versions wrote none)."""
    found: dict[dt.datetime, Path] = {}
    for folder in [folders] if isinstance(folders, Path) else folders:
        for when, path in backups_of(folder, stem).items():
            found.setdefault(when, path)
    for _when, path in sorted(found.items(), reverse=True):
        try:
            info = inspect_backup(path)
        except BackupError:
            continue  # a damaged file is for `verify` to report; an older good one still counts
        if info.audit_anchor is not None:
            anchor = anchor_from_json(info.audit_anchor)
            if anchor.readable:
                return path, anchor
    return None


def _replaced_by_restore(session: Session, anchor: Anchor) -> bool:
    """A restore recorded in the live trail replaced data whose trail reached the backup's anchor."""
    for after in session.scalars(select(AuditEntry.after).where(AuditEntry.action == RESTORE_ACTION)):
        try:
            replaced = json.loads(after or "{}").get("replaced_audit")
        except (ValueError, AttributeError):
            continue
        if isinstance(replaced, dict):
            earlier = anchor_from_json(replaced)
            if earlier.readable and earlier.last_id >= anchor.last_id:
                return True
    return False


def compare_with_backups(session: Session, folders: Path | list[Path], stem: str) -> BackupComparison:
    found = newest_anchor(folders, stem)
    if found is None:
        where = ", ".join(map(str, [folders] if isinstance(folders, Path) else folders))
        return BackupComparison(NONE, f"Không có bản sao lưu nào (có mốc kiểm tra nhật ký) trong {where} để đối "
                                      "chiếu.")
    path, anchor = found
    key = sealing_key(session)
    sealed: bool | None = None
    if key is not None and anchor.sealed:
        sealed = anchor.seal_holds(key)
        if not sealed:
            return BackupComparison(FORGED, f"Mốc kiểm tra nhật ký trong bản sao lưu {path.name} không khớp dấu niêm "
                                            "phong: bản sao lưu này đã bị làm giả hoặc của một tệp dữ liệu khác.",
                                    path, anchor, False)
    where = f"bản sao lưu mới nhất {path.name} (ghi đến mục #{anchor.last_id}, {anchor.count} mục)"
    entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    last_id = session.scalar(select(func.max(AuditEntry.id))) or 0
    same = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == anchor.last_id))
    if same == anchor.last_hash:
        return BackupComparison(EXTENDS, f"Nhật ký hiện tại nối tiếp {where}.", path, anchor, sealed)
    if _replaced_by_restore(session, anchor):
        return BackupComparison(REPLACED, f"{where[:1].upper()}{where[1:]} thuộc dữ liệu đã được thay bằng một lần "
                                          "khôi phục (có ghi trong nhật ký).", path, anchor, sealed)
    if entries == 0 and anchor.count > 0:
        return BackupComparison(WIPED, f"Nhật ký hiện tại trống, trong khi {where}: mọi mục của nhật ký đã bị xóa "
                                       "ngoài ứng dụng.", path, anchor, sealed)
    if same is None and last_id < anchor.last_id:
        return BackupComparison(TRUNCATED, f"Nhật ký hiện tại chỉ đến mục #{last_id} ({entries} mục), ngắn hơn "
                                           f"{where}: các mục cuối từ #{last_id + 1} đã bị xóa ngoài ứng dụng.",
                                path, anchor, sealed)
    return BackupComparison(DIVERGED, f"Nhật ký hiện tại không nối tiếp {where}: mục #{anchor.last_id} đã bị xóa "
                                      "hoặc viết lại ngoài ứng dụng.", path, anchor, sealed)
