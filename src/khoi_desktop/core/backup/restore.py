"""Restore a backup over a database file without ever losing the current data.

Everything is checked in memory first, then prepared in a temporary file next to the target (the data
folder: plaintext never goes to the system's temporary folder); only then is the current file copied aside
as a safety copy and the prepared file moved over it with one atomic rename. A killed restore's temporary
file is removed at the next start (`clean_leftovers`).
"""

from __future__ import annotations

import datetime as dt
import errno
import glob
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError as SAOperationalError

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission, require_user
from khoi_desktop.core.backup.errors import IN_USE, BackupError
from khoi_desktop.core.backup.leftovers import SIDECARS, TEMP_PATTERN, clean_leftovers  # noqa: F401
from khoi_desktop.core.backup.manifest import Manifest
from khoi_desktop.core.backup.office_key import keyfile_from_carried, unlock_carried
from khoi_desktop.core.backup.reader import OfficeUnlock, open_backup, validate_content
from khoi_desktop.core.backup.status import RESTORE_ACTION, audit_anchor_in_file, last_backup_in_file
from khoi_desktop.core.backup.storage import check_live_location
from khoi_desktop.core.db import audit_handover_due, open_database, schema_head
from khoi_desktop.core.engines.sqlite import DATABASE_ERRORS, OPERATIONAL_ERRORS, connect_file, write_encrypted
from khoi_desktop.core.errors import DatabaseError, os_reason
from khoi_desktop.core.keyslots.copies import key_opens, missing_message
from khoi_desktop.core.keyslots.keyfile import copy_keyfile, has_keyfile, keyfile_path
from khoi_desktop.core.keyslots.keyfile import save as save_keyfile
from khoi_desktop.core.keyslots.opening import is_encrypted
from khoi_desktop.core.keyslots.registry import forget_key, key_for, remember_key
from khoi_desktop.core.stats import Counts, count_office
from khoi_desktop.core.text_cleanup import clean_stored_text

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class RestoreResult:
    target: Path | str
    safety_copy: Path | None
    manifest: Manifest
    migrated_from: str | None  # the backup's older schema revision, when it was migrated
    technician: str | None = None  # into a server: its audit tables still to hand over (db.audit_handover_due)
    # The restored office counted as `stats` counts it today (existing organizations, members in them), beside
    # the manifest's row counts (which include ended organizations and departed members).
    counts: Counts | None = None


def _quiet(_fraction: float, _label: str) -> None:
    pass


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _in_use(target: Path) -> BackupError:
    return BackupError(f"Tệp dữ liệu {target.name} đang được mở ở một cửa sổ hoặc chương trình khác. Hãy đóng "
                       "chương trình đó rồi khôi phục lại; dữ liệu hiện tại không bị thay đổi.", code=IN_USE)


def _make_single_file(path: Path, *, timeout: float = 2.0) -> bool:
    """Fold the -wal into the file and leave WAL mode. Leaving WAL needs the only connection, so
    this also proves nobody else has the file open. False when the file is not readable SQLite."""
    try:
        conn = connect_file(path, must_exist=True, timeout=timeout)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            conn.close()
    except OPERATIONAL_ERRORS as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _in_use(path) from exc
        return False
    except DATABASE_ERRORS:
        return False
    return True


def _free_safety_name(target: Path, stamp: str) -> Path:
    path = target.with_name(f"{target.stem}.truoc-khoi-phuc-{stamp}{target.suffix}")
    counter = 2
    while path.exists():
        path = target.with_name(f"{target.stem}.truoc-khoi-phuc-{stamp}-{counter}{target.suffix}")
        counter += 1
    return path


def _keep_safety_copy(target: Path, safety: Path) -> None:
    """Copy the current file (with any -wal/-shm it still has) aside, then drop its stale sidecars."""
    readable = _make_single_file(target)
    shutil.copy2(target, safety)
    _fsync_file(safety)
    for suffix in SIDECARS:
        sidecar = _sidecar(target, suffix)
        if sidecar.exists():
            if not readable:  # an unreadable file keeps its sidecars in the safety copy too
                shutil.copy2(sidecar, _sidecar(safety, suffix))
            # A stale -wal left next to the restored file would be replayed into it: corruption.
            sidecar.unlink()


def _prepare(temp: Path, *, backup: Path, manifest: Manifest, revision: str, safety: Path | None,
             actor: str, user: CurrentUser | None = None, replaced_backup_at: dt.datetime | None = None,
             replaced_audit: dict[str, Any] | None = None, key: bytes | None = None,
             today: dt.date | None = None) -> Counts:
    """Migrate an older snapshot, record the restore in its audit trail, leave one closed file; its counts as
    `stats` gives them."""
    db = open_database(temp)  # migrates an older revision
    db.user = user  # the restore is recorded under the user who asked for it
    db.key = key  # the restored data's database key: its audit anchor stays sealed
    try:
        with db.writing() as session:
            # A backup from before the seams cleaned text (or a crafted one) is cleaned like stored data was.
            clean_stored_text(session.connection())
            record(session, actor=actor, action=RESTORE_ACTION, target=str(backup),
                   after={"backup": str(backup), "safety_copy": str(safety) if safety else None,
                          "migrated_from": revision if revision != schema_head() else None,
                          # the data replaced had been backed up then: "Sao lưu gần nhất" must not go back
                          "replaced_backup_at": replaced_backup_at.isoformat(timespec="seconds")
                          if replaced_backup_at else None,
                          # the audit anchor of the data replaced: its backups no longer describe this trail
                          "replaced_audit": replaced_audit,
                          **manifest.to_json()})
            counts = count_office(session, today or dt.date.today())
    finally:
        db.close()
    if not _make_single_file(temp):
        raise DatabaseError(f"Không chuẩn bị được tệp khôi phục {temp.name}.")
    _fsync_file(temp)
    return counts


def _disk_full(target: Path, exc: Exception) -> BackupError:
    return BackupError(f"Không khôi phục được vào {target.parent}: ổ đĩa đã đầy. Hãy giải phóng chỗ trống "
                       "rồi thử lại; dữ liệu hiện tại không bị thay đổi.", code="disk_full")


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    return "disk is full" in str(exc).lower() or "disk i/o error" in str(exc).lower()


def restore_backup(backup: Path, target: Path | str, *, actor: str, user: CurrentUser | None = None,
                   passphrase: str | None = None,
                   now: dt.datetime | None = None, progress: Progress = _quiet,
                   key: bytes | None = None, unlock: OfficeUnlock | None = None) -> RestoreResult:
    """Restore `backup` into `target`; an existing `target` is kept as a safety copy next to it. A server
    office's address as `target`: into that empty server database (an office there is never replaced).

    `target` must be closed by this process (the GUI closes its worker first).

    A backup sealed with an encrypted office's key opens with that office's key when `target` is that office,
    unlocked here, else with `unlock` (an account's password or the recovery key, checked against the key
    slots the backup carries). Into a new or plain `target` it is written encrypted with its own key, and the
    key file it carries is put beside it; so is it into an encrypted `target` whose key file was lost (any
    backup of an encrypted office carries its key slots: the file kept aside gets them too when they open it).
    """
    require_user(user, Permission.RESTORE)
    if isinstance(target, str):
        return _restore_to_server(backup, target, actor=actor, user=user, passphrase=passphrase, progress=progress,
                                  unlock=unlock)
    target = Path(os.path.abspath(target))
    if target.is_dir():
        raise BackupError(f"{target} là một thư mục: hãy chỉ định tệp cơ sở dữ liệu sẽ được khôi phục "
                          f"(ví dụ {target / 'khoi.db'}).", code="not_a_file")
    check_live_location(target)
    clean_leftovers(target)
    progress(0.05, "Đang đọc bản sao lưu…")
    live_key = key_for(target)
    given = unlock or OfficeUnlock()
    opened = open_backup(backup, passphrase, OfficeUnlock(live_key or given.database_key, given.username,
                                                          given.password, given.recovery_key))
    progress(0.2, "Đang kiểm tra dữ liệu trong bản sao lưu…")
    revision = validate_content(opened, backup.name)  # in memory: nothing is written before it passes
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    temp = target.with_name(f"{target.name}.khoi-phuc-{stamp}.tmp")
    safety = _free_safety_name(target, stamp) if target.exists() else None
    key = key_for(target)  # an encrypted office is restored encrypted, with the same key and key file
    carried = None  # the key file a backup of an encrypted office brings to a new (or plain) target
    key_file_lost = key is None and target.exists() and is_encrypted(target) and not has_keyfile(target)
    if key_file_lost and opened.carried_keys:
        # The live file lost its key file: the backup's slots bring it back (and open the file kept aside).
        key = opened.database_key or unlock_carried(opened.carried_keys, backup.name, username=given.username,
                                                    password=given.password, recovery_key=given.recovery_key)
        carried = keyfile_from_carried(opened.carried_keys, backup.name)
    elif key is None and target.exists() and is_encrypted(target):
        if key_file_lost:
            raise BackupError(missing_message(target), code="keyfile_missing")
        raise BackupError(f"Tệp dữ liệu {target.name} được mã hóa: hãy đăng nhập vào tệp này trước khi khôi phục "
                          "(dữ liệu khôi phục được mã hóa bằng cùng khóa).", code="locked")
    elif opened.database_key is not None and opened.database_key != key:
        # A new or plain target, or another encrypted office's backup: the restored data keeps its own key and
        # the key file it carries, so its own accounts open it (the live key file goes with the file aside).
        key = opened.database_key
        carried = keyfile_from_carried(opened.carried_keys, backup.name)
    safety_keys = carried if key_file_lost and carried is not None and key is not None and key_opens(target, key) \
        else None
    wrote_keyfile = False
    try:
        if key is None:
            temp.write_bytes(opened.content)
        else:
            write_encrypted(opened.content, temp, key)
            remember_key(temp, key)
        progress(0.55, "Đang chuẩn bị dữ liệu khôi phục…")
        counts = _prepare(temp, backup=backup, manifest=opened.manifest, revision=revision, safety=safety,
                          actor=actor, user=user,
                          replaced_backup_at=last_backup_in_file(target) if target.exists() else None,
                          replaced_audit=audit_anchor_in_file(target) if target.exists() else None, key=key,
                          today=now.date() if now else None)
        if safety is not None:
            progress(0.75, "Đang giữ bản an toàn của dữ liệu hiện tại…")
            _keep_safety_copy(target, safety)
            copy_keyfile(target, safety)
            if safety_keys is not None:
                save_keyfile(safety, safety_keys)
        progress(0.9, "Đang thay tệp dữ liệu…")
        if carried is not None:
            save_keyfile(target, carried)
            wrote_keyfile = True
        try:
            os.replace(temp, target)
        except PermissionError as exc:  # Windows: another program holds the file
            raise _in_use(target) from exc
        if carried is not None and key is not None:
            remember_key(target, key)  # the window reopens the restored file with its own key
        wrote_keyfile = False
        if os.name != "nt":
            fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except (OSError, SAOperationalError) + OPERATIONAL_ERRORS as exc:
        if safety is not None and safety.exists() and target.exists():
            safety.unlink(missing_ok=True)  # the current file was never replaced: no safety copy needed
        if _is_disk_full(exc):
            raise _disk_full(target, exc) from exc
        if isinstance(exc, OSError):  # a read-only folder or stick: the system's words are English
            raise BackupError(f"Không khôi phục được vào {target.parent}: {os_reason(exc)}. Dữ liệu hiện tại không "
                              "bị thay đổi.", code="write_failed") from exc
        raise
    finally:
        forget_key(temp)
        if wrote_keyfile:  # the data file was never replaced: its own key file again (or none, as before)
            if safety is not None and has_keyfile(safety) and not safety_keys:
                copy_keyfile(safety, target)
                if not safety.exists():  # no file kept aside after all: nor its key file
                    keyfile_path(safety).unlink(missing_ok=True)
            else:
                keyfile_path(target).unlink(missing_ok=True)
        for leftover in [temp, *(_sidecar(temp, s) for s in SIDECARS),
                         *target.parent.glob(f"{glob.escape(temp.stem)}.truoc-nang-cap-*")]:
            leftover.unlink(missing_ok=True)
    progress(1.0, "Đã khôi phục.")
    return RestoreResult(target, safety, opened.manifest,
                         revision if revision != schema_head() else None, counts=counts)


def _without_account(backup: Path, url: str) -> BackupError:
    """A backup without any account restored on a server would be an office every workstation works on as its
    administrator (they all connect with the same role: core.db.server_without_account), as migrate-to-server
    refuses a file without accounts (its `no_account`). The way on: through a file given its administrator."""
    from khoi_desktop.core.engines.postgres import ServerAddress

    address = ServerAddress.parse(url)
    return BackupError(
        f"Bản sao lưu {backup.name} chưa có tài khoản nào của phần mềm: không khôi phục vào {address.label} (trên "
        "máy chủ mọi máy trạm dùng chung một tài khoản kết nối, nên văn phòng phải có người quản trị của phần mềm). "
        f"Hãy khôi phục nó vào một tệp (khoi-desktop restore \"{backup}\" --to khoi.db), tạo tài khoản quản trị "
        "trong tệp (khoi-desktop users khoi.db add TÊN --name \"Họ tên\" --role quan_tri --password-file TỆP) rồi "
        f"chuyển tệp lên máy chủ (khoi-desktop migrate-to-server khoi.db \"{address.url}\"). Máy chủ không bị "
        "thay đổi.", code="no_account")


def _restore_to_server(backup: Path, url: str, *, actor: str, user: CurrentUser | None, passphrase: str | None,
                       progress: Progress, unlock: OfficeUnlock | None = None) -> RestoreResult:
    """The backup's image checked in memory, brought to the app's schema there, copied into the empty server
    database in one transaction with its rows and digest compared, then the restore recorded on the server."""
    from khoi_desktop.core.backup.snapshot import open_in_memory
    from khoi_desktop.core.transfer import load_into_server

    progress(0.05, "Đang đọc bản sao lưu…")
    opened = open_backup(backup, passphrase, unlock)
    progress(0.2, "Đang kiểm tra dữ liệu trong bản sao lưu…")
    revision = validate_content(opened, backup.name)
    image = open_in_memory(opened.content)
    try:
        if image.execute("SELECT 1 FROM users LIMIT 1").fetchone() is None:
            raise _without_account(backup, url)
        progress(0.5, "Đang chép dữ liệu lên máy chủ…")
        db, _counts, _digest = load_into_server(image, url)
    finally:
        image.close()
    db.user = user
    try:
        with db.writing() as session:
            clean_stored_text(session.connection())
            record(session, actor=actor, action=RESTORE_ACTION, target=str(backup),
                   after={"backup": str(backup), "safety_copy": None,
                          "migrated_from": revision if revision != schema_head() else None, "server": db.location,
                          **opened.manifest.to_json()})
            counts = count_office(session, dt.date.today())
        technician = audit_handover_due(db)
    finally:
        db.close()
    progress(1.0, "Đã khôi phục.")
    return RestoreResult(db.location, None, opened.manifest, revision if revision != schema_head() else None,
                         technician, counts)
