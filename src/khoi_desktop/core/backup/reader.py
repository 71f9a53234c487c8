"""Read and check a backup: container, manifest, content SHA-256, then the database inside it."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop.core.backup import container
from khoi_desktop.core.backup.errors import NEWER, BackupError, damaged, foreign
from khoi_desktop.core.backup.manifest import Manifest
from khoi_desktop.core.backup.snapshot import integrity_problems, schema_revision
from khoi_desktop.core.db import known_revisions

MAX_CONTENT = 4 * 1024**3  # refuse to inflate a "manifest" claiming more than 4 GiB
PEEK_BYTES = 256 * 1024  # more than the largest header (64 KiB) plus a manifest


@dataclass(frozen=True)
class OpenedBackup:
    manifest: Manifest
    content: bytes  # the SQLite snapshot, its SHA-256 checked against the manifest
    encrypted: bool


@dataclass(frozen=True)
class BackupInfo:
    """What a list shows without a passphrase: the manifest only for plain files."""

    path: Path
    size: int
    encrypted: bool
    manifest: Manifest | None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy tệp sao lưu: {path}", code="file_not_found") from None
    except OSError as exc:
        raise BackupError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.", code="read_failed") from exc


def inspect_backup(path: Path) -> BackupInfo:
    """Header and plain manifest only: a list of many large backups reads a few KB of each."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(PEEK_BYTES)
    except OSError as exc:
        raise BackupError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.", code="read_failed") from exc
    header, manifest = container.peek_manifest(head, path.name)
    return BackupInfo(path, size, header.encrypted,
                      Manifest.from_bytes(manifest, path.name) if manifest is not None else None)


def open_backup_bytes(data: bytes, name: str, passphrase: str | None) -> OpenedBackup:
    header, payload = container.unpack(data, name, passphrase)
    manifest_bytes, compressed = container.split_payload(payload, name)
    manifest = Manifest.from_bytes(manifest_bytes, name)
    if manifest.compression != "zlib" or not 0 < manifest.content_size <= MAX_CONTENT:
        raise damaged(name, "bảng kê không hợp lệ")
    try:
        inflater = zlib.decompressobj()
        content = inflater.decompress(compressed, manifest.content_size + 1)
        complete = inflater.eof and not inflater.unconsumed_tail
    except zlib.error:
        raise damaged(name, "dữ liệu nén không giải nén được") from None
    if not complete or len(content) != manifest.content_size:
        raise damaged(name, "dữ liệu nén bị cắt cụt")
    if hashlib.sha256(content).hexdigest() != manifest.content_sha256:
        raise damaged(name, "nội dung không khớp mã kiểm tra SHA-256 trong bảng kê")
    return OpenedBackup(manifest, content, header.encrypted)


def open_backup(path: Path, passphrase: str | None = None) -> OpenedBackup:
    return open_backup_bytes(_read(path), path.name, passphrase)


def require_known_revision(revision: str, name: str) -> None:
    if revision not in known_revisions():
        raise BackupError(
            f"Bản sao lưu {name} được tạo bởi phiên bản mới hơn của phần mềm (lược đồ {revision}). "
            "Hãy cài phiên bản mới nhất rồi khôi phục; dữ liệu hiện tại không bị thay đổi.", code=NEWER)


def validate_database(path: Path, manifest: Manifest, name: str) -> str:
    """Checks of the snapshot extracted to `path`; returns its schema revision."""
    require_known_revision(manifest.schema_revision, name)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            revision = schema_revision(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise damaged(name, "dữ liệu bên trong không phải cơ sở dữ liệu đọc được") from None
    if revision is None:
        raise foreign(name, "Dữ liệu bên trong không phải của phần mềm quản lý tổ chức đảng.")
    if revision != manifest.schema_revision:
        raise damaged(name, "phiên bản lược đồ khác với bảng kê")
    problems = integrity_problems(path)
    if problems:
        raise damaged(name, "kiểm tra toàn vẹn: " + "; ".join(problems[:3]))
    return revision


def verify_backup(path: Path, passphrase: str | None = None) -> OpenedBackup:
    """Everything a restore would check, in a temporary file; nothing else is touched."""
    opened = open_backup(path, passphrase)
    require_known_revision(opened.manifest.schema_revision, path.name)
    with tempfile.TemporaryDirectory(prefix="khoi-verify-") as folder:
        temp = Path(folder) / "kiem-tra.db"
        temp.write_bytes(opened.content)
        validate_database(temp, opened.manifest, path.name)
    return opened
