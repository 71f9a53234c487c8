"""Make a backup: snapshot, manifest, container; write under a temporary name, fsync, rename, re-read."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop import __version__
from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require_user
from khoi_desktop.core.backup import container, crypto
from khoi_desktop.core.backup.errors import UNHEALTHY, BackupError, damaged
from khoi_desktop.core.backup.manifest import Manifest, count_rows
from khoi_desktop.core.backup.reader import open_backup_bytes
from khoi_desktop.core.backup.rotation import backup_name
from khoi_desktop.core.backup.snapshot import quick_check, schema_revision, take_snapshot
from khoi_desktop.core.backup.status import BACKUP_ACTION
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import KhoiError

# progress(fraction 0..1, what is being done), called from the thread doing the work
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    encrypted: bool
    size: int


AUTOMATIC_KINDS = frozenset({"auto", "close"})  # periodic and on-close backups of the GUI

def _quiet(_fraction: float, _label: str) -> None:
    pass


def build_backup(source: Path, *, passphrase: str | None = None, now: dt.datetime | None = None,
                 progress: Progress = _quiet, kdf_n: int = crypto.SCRYPT_N) -> tuple[bytes, Manifest]:
    """The container bytes of a consistent, checked snapshot of `source`."""
    created = (now or dt.datetime.now()).replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="khoi-backup-") as folder:
        snap = Path(folder) / "snapshot.db"
        progress(0.0, "Đang sao chép dữ liệu…")
        take_snapshot(source, snap, lambda f: progress(0.5 * f, "Đang sao chép dữ liệu…"))
        problems = quick_check(snap)
        if problems:
            raise BackupError(
                "Cơ sở dữ liệu có lỗi (kiểm tra nhanh: " + "; ".join(problems[:3]) + "). Không tạo bản sao "
                "lưu để các bản tốt không bị thay thế; hãy khôi phục từ bản sao lưu gần nhất.", code=UNHEALTHY)
        conn = sqlite3.connect(snap)
        try:
            revision = schema_revision(conn) or ""
            counts = count_rows(conn)
        finally:
            conn.close()
        content = snap.read_bytes()
    progress(0.55, "Đang nén…")
    manifest = Manifest(
        app_version=__version__, schema_revision=revision, created_at=created,
        organizations=counts["organizations"], members=counts["members"], decisions=counts["decisions"],
        content_sha256=hashlib.sha256(content).hexdigest(), content_size=len(content), source_name=source.name,
    )
    payload = container.join_payload(manifest.to_bytes(), zlib.compress(content, 6))
    if passphrase:
        progress(0.7, "Đang mã hóa…")
    return container.pack(payload, passphrase or None, kdf_n=kdf_n), manifest


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows flushes directory entries with the file
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(data: bytes, target: Path) -> None:
    """Temporary name, flush, fsync, rename: a half-written backup never carries the final name."""
    temp = target.with_name(f"{target.name}.dang-ghi")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
        _fsync_folder(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def free_name(folder: Path, stem: str, when: dt.datetime) -> Path:
    path = folder / backup_name(stem, when)
    counter = 2
    while path.exists() or path.with_name(f"{path.name}.dang-ghi").exists():
        path = folder / backup_name(stem, when, counter)
        counter += 1
    return path


def create_backup(db: Database, folder: Path, *, actor: str, kind: str, passphrase: str | None = None,
                  now: dt.datetime | None = None, progress: Progress = _quiet,
                  kdf_n: int = crypto.SCRYPT_N) -> BackupResult:
    """A verified backup of `db` in `folder`, recorded in the audit trail."""
    if kind not in AUTOMATIC_KINDS:  # the app's own backups protect the data whoever is signed in
        require_user(db.user, Permission.BACKUP)
    data, manifest = build_backup(db.path, passphrase=passphrase, now=now, progress=progress, kdf_n=kdf_n)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, db.path.stem, manifest.created_at)
        progress(0.75, "Đang ghi tệp…")
        write_durably(data, target)
        progress(0.85, "Đang đọc lại để kiểm tra…")
        written = target.read_bytes()
    except OSError as exc:
        raise KhoiError(f"Không ghi được bản sao lưu vào {folder}: {exc.strerror or exc}. "
                        "Hãy kiểm tra ổ đĩa (còn chỗ trống, không bị khóa ghi) rồi thử lại.",
                        code="write_failed") from exc
    if hashlib.sha256(written).digest() != hashlib.sha256(data).digest():
        raise damaged(target.name, "nội dung đọc lại khác nội dung đã ghi: ổ đĩa có thể bị lỗi")
    open_backup_bytes(written, target.name, passphrase)
    with db.writing() as session:
        record(session, actor=actor, action=BACKUP_ACTION, target=str(target),
               after={"kind": kind, "encrypted": bool(passphrase), **manifest.to_json()})
    progress(1.0, "Đã sao lưu.")
    return BackupResult(target, manifest, bool(passphrase), len(data))
