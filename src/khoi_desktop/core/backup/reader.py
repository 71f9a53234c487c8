"""Read and check a backup: container, manifest, content SHA-256, then the database inside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoi_desktop.core.backup import codec, container, office_key
from khoi_desktop.core.backup.copied import KIND as COPY_KIND
from khoi_desktop.core.backup.copied import image_of_copy
from khoi_desktop.core.backup.errors import NEWER, BackupError, damaged, foreign
from khoi_desktop.core.backup.manifest import ANCHOR_FIELD, Manifest, audit_anchor, count_decisions, count_rows
from khoi_desktop.core.backup.snapshot import connection_problems, open_in_memory, schema_revision
from khoi_desktop.core.db import known_revisions
from khoi_desktop.core.engines.sqlite import connect_file
from khoi_desktop.core.errors import os_reason
from khoi_desktop.core.stats import Counts, count_office

MAX_CONTENT = 4 * 1024**3  # refuse to inflate a "manifest" claiming more than 4 GiB
# A real office compresses about 3.5× (free pages of a shrunk one more); a bomb compresses a thousandfold.
MAX_RATIO = 100
SMALL_CONTENT = 64 * 1024**2  # below this any ratio is allowed: a new, nearly empty office
PEEK_BYTES = 256 * 1024  # more than the largest header (64 KiB) plus a manifest


@dataclass(frozen=True)
class OpenedBackup:
    manifest: Manifest
    content: bytes  # the SQLite snapshot, its SHA-256 checked against the manifest (a server's COPY text: made
    # into the image first, proven to hold the same rows: copied.image_of_copy)
    encrypted: bool
    # An encrypted office's backup (office_key.py): its database key and the key slots it carries.
    database_key: bytes | None = None
    carried_keys: dict[str, Any] | None = None


@dataclass(frozen=True)
class OfficeUnlock:
    """How to open a backup sealed with an office's key: that office's key if it is open here (tried
    first), else an account's password or the recovery key checked against the slots the backup carries."""

    database_key: bytes | None = None
    username: str | None = None
    password: str | None = None
    recovery_key: str | None = None


def office_database_key(header: container.Header, name: str, unlock: OfficeUnlock | None) -> bytes:
    unlock = unlock or OfficeUnlock()
    if unlock.database_key is not None and container.office_key_matches(header, unlock.database_key):
        return unlock.database_key
    if unlock.username or unlock.recovery_key:
        return office_key.unlock_carried(header.fields.get("keyslots"), name, username=unlock.username,
                                         password=unlock.password, recovery_key=unlock.recovery_key)
    if unlock.database_key is not None:  # another office's key and nothing else to try
        return unlock.database_key  # unpack refuses it with its own message
    raise office_key.sign_in_required(name)


@dataclass(frozen=True)
class BackupInfo:
    """What a list shows without a passphrase: the manifest only for plain files."""

    path: Path
    size: int
    encrypted: bool
    manifest: Manifest | None
    audit_anchor: dict[str, Any] | None = None  # from the header: readable without the passphrase


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy tệp sao lưu: {path}", code="file_not_found") from None
    except OSError as exc:
        raise BackupError(f"Không đọc được tệp {path.name}: {os_reason(exc)}.", code="read_failed") from exc


def inspect_backup(path: Path) -> BackupInfo:
    """Header and plain manifest only: a list of many large backups reads a few KB of each."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(PEEK_BYTES)
    except OSError as exc:
        raise BackupError(f"Không đọc được tệp {path.name}: {os_reason(exc)}.", code="read_failed") from exc
    header, manifest = container.peek_manifest(head, path.name)
    anchor = header.fields.get(ANCHOR_FIELD)
    return BackupInfo(path, size, header.encrypted,
                      Manifest.from_bytes(manifest, path.name) if manifest is not None else None,
                      anchor if isinstance(anchor, dict) else None)


def open_backup_bytes(data: bytes, name: str, passphrase: str | None,
                      unlock: OfficeUnlock | None = None) -> OpenedBackup:
    header = container.read_header(data, name)
    database_key = office_database_key(header, name, unlock) if container.is_office_keyed(header) else None
    header, payload = container.unpack(data, name, passphrase, database_key)
    manifest_bytes, compressed = container.split_payload(payload, name)
    manifest = Manifest.from_bytes(manifest_bytes, name)
    if header.fields.get(ANCHOR_FIELD) != manifest.audit_anchor:
        raise damaged(name, "mốc kiểm tra nhật ký ở phần đầu tệp khác với bảng kê")
    if manifest.compression not in codec.KNOWN or not 0 < manifest.content_size <= MAX_CONTENT:
        raise damaged(name, "bảng kê không hợp lệ")
    if manifest.content_size > max(SMALL_CONTENT, MAX_RATIO * len(compressed)):
        raise damaged(name, f"bảng kê ghi dữ liệu {manifest.content_size // 1024**2} MB, quá lớn so với "
                            f"{max(1, len(compressed) // 1024**2)} MB dữ liệu nén: tệp đã bị làm giả")
    content = codec.inflate(compressed, manifest.compression, manifest.content_size, name)
    if hashlib.sha256(content).hexdigest() != manifest.content_sha256:
        raise damaged(name, "nội dung không khớp mã kiểm tra SHA-256 trong bảng kê")
    if manifest.content_kind == COPY_KIND:  # a server office's tables: made into the image a restore reads
        require_known_revision(manifest.schema_revision, name)
        image = image_of_copy(content, manifest.schema_revision, name)
        try:
            content = image.serialize()
        finally:
            image.close()
    elif manifest.content_kind != "sqlite":
        raise BackupError(f"Bản sao lưu {name} có kiểu dữ liệu «{manifest.content_kind}» mà phiên bản này chưa đọc "
                          "được. Hãy cài phiên bản mới nhất rồi khôi phục; dữ liệu hiện tại không bị thay đổi.",
                          code=NEWER)
    carried = header.fields.get("keyslots")  # a passphrase backup of an encrypted office carries them too
    return OpenedBackup(manifest, content, header.encrypted, database_key,
                        carried if isinstance(carried, dict) else None)


def open_backup(path: Path, passphrase: str | None = None, unlock: OfficeUnlock | None = None) -> OpenedBackup:
    return open_backup_bytes(_read(path), path.name, passphrase, unlock)


def require_known_revision(revision: str, name: str) -> None:
    if revision not in known_revisions():
        raise BackupError(
            f"Bản sao lưu {name} được tạo bởi phiên bản mới hơn của phần mềm (lược đồ {revision}). "
            "Hãy cài phiên bản mới nhất rồi khôi phục; dữ liệu hiện tại không bị thay đổi.", code=NEWER)


def validate_connection(conn: sqlite3.Connection, manifest: Manifest, name: str) -> str:
    """Checks of the snapshot in `conn`: schema, integrity, foreign keys, and the manifest's counts
    against the rows really there (a forged manifest must not be shown as the truth)."""
    require_known_revision(manifest.schema_revision, name)
    try:
        revision = schema_revision(conn)
    except sqlite3.DatabaseError:
        raise damaged(name, "dữ liệu bên trong không phải cơ sở dữ liệu đọc được") from None
    if revision is None:
        raise foreign(name, "Dữ liệu bên trong không phải của phần mềm quản lý tổ chức đảng.")
    if revision != manifest.schema_revision:
        raise damaged(name, "phiên bản lược đồ khác với bảng kê")
    # A server backup's image was built by the reader a moment before (copied.image_of_copy: every row through
    # SQLite's own inserts, the indexes made after, every row proven to spell the server's line): its pages and
    # indexes come from nothing in the backup, so integrity_check's cross-check of each index against its table
    # (≈ 2.8 s of ≈ 20 s at scale 20) could only find an SQLite bug. quick_check (pages, NOT NULL, CHECK) and
    # the foreign keys still run; an SQLite image, the backup's own bytes, is checked in full.
    problems = connection_problems(conn, full=manifest.content_kind != COPY_KIND)
    if problems:
        raise damaged(name, "kiểm tra toàn vẹn: " + "; ".join(problems[:3]))
    try:
        counts = count_rows(conn)
    except sqlite3.DatabaseError:
        raise damaged(name, "thiếu bảng dữ liệu") from None
    stated: dict[str, int | None] = {"organizations": manifest.organizations, "members": manifest.members,
                                     "decisions": manifest.decisions}
    decisions = count_decisions(conn)
    for key, value in (("issued", manifest.issued), ("drafts", manifest.drafts), ("recorded", manifest.recorded)):
        if value is not None:  # older backups stated fewer counts
            counts[key], stated[key] = decisions[key], value
    if counts != stated:
        raise damaged(name, "số tổ chức, đảng viên hoặc quyết định ghi trong bảng kê khác với dữ liệu bên trong")
    if manifest.audit_anchor is not None and audit_anchor(conn) != manifest.audit_anchor:
        raise damaged(name, "mốc kiểm tra nhật ký trong bảng kê khác với dữ liệu bên trong")
    return revision


def validate_database(path: Path, manifest: Manifest, name: str) -> str:
    """Checks of the snapshot extracted to `path`; returns its schema revision."""
    try:
        conn = connect_file(path, read_only=True)
    except sqlite3.DatabaseError:
        raise damaged(name, "dữ liệu bên trong không phải cơ sở dữ liệu đọc được") from None
    try:
        return validate_connection(conn, manifest, name)
    finally:
        conn.close()


def validate_content(opened: OpenedBackup, name: str) -> str:
    """Everything a restore checks, in memory: no plaintext copy is written anywhere."""
    try:
        conn = open_in_memory(opened.content)
    except sqlite3.DatabaseError:
        raise damaged(name, "dữ liệu bên trong không phải cơ sở dữ liệu đọc được") from None
    try:
        return validate_connection(conn, opened.manifest, name)
    finally:
        conn.close()


def office_counts(opened: OpenedBackup, as_of: dt.date) -> Counts | None:
    """The backup's office counted as `stats` and the status bar count the live one (existing organizations, the
    members in them), beside the manifest's row counts; None when its tables cannot be counted so (an older
    schema, not migrated until restored)."""
    try:
        conn = open_in_memory(opened.content)
    except sqlite3.DatabaseError:
        return None
    try:
        return count_office(conn, as_of)
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def verify_backup(path: Path, passphrase: str | None = None, unlock: OfficeUnlock | None = None) -> OpenedBackup:
    """Everything a restore would check; nothing is written, nothing else is touched."""
    opened = open_backup(path, passphrase, unlock)
    validate_content(opened, path.name)
    return opened
