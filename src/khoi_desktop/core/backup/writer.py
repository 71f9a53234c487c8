"""Make a backup: snapshot in memory, checks, manifest, container; write under a temporary name while hashing,
fsync, rename, one structural check of the stored file."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoi_desktop import __version__
from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, allowed, require_user
from khoi_desktop.core.backup import codec, container, crypto, office_key
from khoi_desktop.core.backup.errors import UNHEALTHY, BackupError, damaged
from khoi_desktop.core.backup.manifest import ANCHOR_FIELD, Manifest, audit_anchor, count_decisions, count_rows
from khoi_desktop.core.backup.reader import PEEK_BYTES
from khoi_desktop.core.backup.rotation import backup_name
from khoi_desktop.core.backup.snapshot import (
    connection_problems,
    decrypted_content,
    fold_wal,
    image_of,
    key_problems,
    open_in_memory,
    page_problems,
    same_snapshot,
    schema_revision,
    snapshot_in_memory,
)
from khoi_desktop.core.backup.status import BACKUP_ACTION
from khoi_desktop.core.db import Database
from khoi_desktop.core.engines.sqlite import DATABASE_ERRORS
from khoi_desktop.core.errors import DatabaseError, KhoiError, ValidationError, os_reason
from khoi_desktop.core.keyslots.keyfile import has_keyfile
from khoi_desktop.core.keyslots.registry import key_for
from khoi_desktop.core.text import nfc

log = logging.getLogger(__name__)

# progress(fraction 0..1, what is being done), called from the thread doing the work
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    encrypted: bool
    size: int
    recorded: bool = True  # False: written and checked, but another writer held the audit trail too long


AUTOMATIC_KINDS = frozenset({"auto", "close"})  # periodic and on-close backups of the GUI

def _quiet(_fraction: float, _label: str) -> None:
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _facts(conn: sqlite3.Connection) -> tuple[str, dict[str, int]]:
    return schema_revision(conn) or "", {**count_rows(conn), **count_decisions(conn)}


def _readers(source: Path | Database, copying: Callable[[float], None]
             ) -> tuple[list[sqlite3.Connection], bytes | bytearray | None]:
    """Connections to one consistent state of `source`: three to a plain file (its checks run side by side,
    reading the file itself), else one to a snapshot made in memory (a server office copied). With them, the
    image when it is already at hand: an encrypted file's, decrypted in memory (its plaintext never touches a
    disk), comes with no connection (build_backup loads it once, for its checks)."""
    if isinstance(source, Database):
        from khoi_desktop.core.transfer import server_image

        return [server_image(source, copying)], None
    if key_for(source) is not None:
        return [], decrypted_content(source, copying)
    try:
        fold_wal(source)  # an empty -wal: the image is the file as it is (snapshot.image_of)
        readers = same_snapshot(source, 3)
    except DATABASE_ERRORS:  # not even its first page reads: the copy below says what is wrong
        readers = None
    if readers is not None:
        return readers, None
    return [snapshot_in_memory(source, copying)], None


def _loaded(image: bytes | bytearray, check: Callable[[sqlite3.Connection], list[str]]
            ) -> tuple[sqlite3.Connection, list[str]]:
    """A connection to an in-memory copy of `image`, and what `check` finds in it."""
    conn = open_in_memory(image, check_same_thread=False)
    try:
        return conn, check(conn)
    except BaseException:
        conn.close()
        raise


def _quick_and_keys(conn: sqlite3.Connection) -> list[str]:
    return connection_problems(conn, full=False)


def build_backup(source: Path | Database, *, passphrase: str | None = None, now: dt.datetime | None = None,
                 progress: Progress = _quiet, kdf_n: int = crypto.SCRYPT_N, database_key: bytes | None = None,
                 carried_keys: dict[str, Any] | None = None) -> tuple[list[bytes], Manifest]:
    """The container bytes (in pieces, written in order: container.pack_parts) of a consistent, checked
    snapshot of `source`: a database file, or a server office (a Database on PostgreSQL: its tables as the
    server's COPY text lines, core/backup/copied.py, read back into the same kind of SQLite image on restore).

    The snapshot passes the checks a restore makes (structure and foreign keys) before anything is
    written, so a database that could not be restored never yields a backup that rotation would keep in
    place of a good one. quick_check, not integrity_check: it finds the same damage to pages and
    records at an eighth of the cost; the full check runs on `verify` and `restore`.

    A plain file is read in three read transactions of the same committed state (snapshot.same_snapshot):
    one copies its image (the file as it is when its -wal is empty: snapshot.image_of), the other two run
    quick_check and foreign_key_check from the start, while the image is hashed and compressed (zstd on a
    worker a core). Each of these releases the GIL: side by side they take the time of the longest, and no
    second copy of the office is made in memory; the container is written in pieces, never joined.

    `database_key` (an encrypted office, no passphrase): sealed with a key derived from it, carrying the
    office's wrapped key slots `carried_keys` (office_key.py).
    """
    created = (now or dt.datetime.now()).replace(microsecond=0)
    progress(0.0, "Đang sao chép dữ liệu…")
    copying = lambda f: progress(0.3 * f, "Đang sao chép dữ liệu…")  # noqa: E731
    source_name = source.path.name if isinstance(source, Database) else source.name
    derived: list[tuple[crypto.KdfParams, crypto.Keys]] = []
    if isinstance(source, Database) and source.engine.dialect.name == "postgresql":
        payload, manifest = _copied_payload(source, copying, created, source_name)
    else:
        def meanwhile() -> None:  # the passphrase's key (scrypt), on a thread that waits for the checks
            if passphrase:
                derived.append(crypto.derive_new(passphrase, kdf_n))

        payload, manifest = _image_payload(source, copying, progress, created, source_name, meanwhile)
    if passphrase or database_key:
        progress(0.7, "Đang mã hóa…")
    # The anchor also goes in the header, so verify-audit reads it from an encrypted backup without its passphrase.
    public = {ANCHOR_FIELD: manifest.audit_anchor} if manifest.audit_anchor is not None else None
    return container.pack_parts(payload, passphrase or None, kdf_n=kdf_n, public=public, database_key=database_key,
                                carried_keys=carried_keys, derived=derived[0] if derived else None), manifest


def _copied_payload(source: Database, copying: Callable[[float], None], created: dt.datetime,
                    source_name: str) -> tuple[list[bytes], Manifest]:
    """A server office's payload: its tables as the server's COPY text (copied.py), hashed and compressed
    while they come."""
    from khoi_desktop.core.backup.copied import KIND, copy_server

    copied = copy_server(source, copying)
    counts = copied.counts
    manifest = Manifest(
        app_version=__version__, schema_revision=copied.revision, created_at=created,
        organizations=counts["organizations"], members=counts["members"], decisions=counts["decisions"],
        issued=counts["issued"], drafts=counts["drafts"], recorded=counts["recorded"],
        content_sha256=copied.sha256, content_size=copied.size,
        source_name=source_name, compression=codec.DEFAULT, audit_anchor=copied.anchor, content_kind=KIND)
    return container.payload_parts(manifest.to_bytes(), copied.compressed), manifest


def _image_payload(source: Path | Database, copying: Callable[[float], None], progress: Progress,
                   created: dt.datetime, source_name: str, meanwhile: Callable[[], None] = lambda: None
                   ) -> tuple[list[bytes], Manifest]:
    """The payload of an SQLite image's backup: a file office's, or a snapshot copied into one. `meanwhile`
    runs on this thread while the checks do (before the payload is known: the passphrase's key)."""
    readers, content = _readers(source, copying)
    try:
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="backup") as pool:
            if not readers:  # an encrypted file's decrypted image: one copy of it in memory is checked...
                assert content is not None
                progress(0.35, "Đang kiểm tra và nén dữ liệu…")
                loaded = [pool.submit(_loaded, content, _quick_and_keys)]
                # ...(quick_check, then foreign_key_check: the longest chain, ≈ 0.17 s to load, 0.55 and 0.4 s at
                # scale 20) on a core of its own, while this thread hashes and compresses the image, one after the
                # other, zstd with no workers of its own (≈ 0.15 + 0.7 s: they fit on the other core). With the hash
                # and zstd's two workers beside it, four threads shared two cores and the checks ended ≈ 0.25 s
                # later. Not two copies checked side by side: it holds a third copy of the office in memory
                # (≈ 750 MB instead of ≈ 500 at scale 20).
                try:
                    hashed = _sha256(content)
                    packed = codec.compress(content, threads=0)
                    meanwhile()  # ≈ 0.1 s of scrypt: it fits beside the checks too (≈ 1.1 s for ≈ 0.85 here)
                finally:
                    wait(loaded)
                    readers += [job.result()[0] for job in loaded if job.exception() is None]  # closed below
                problems = [problem for job in loaded for problem in job.result()[1]]
            else:
                if len(readers) == 3:
                    checks = [pool.submit(page_problems, readers[1], full=False),
                              pool.submit(key_problems, readers[2])]
                if content is None:
                    content = image_of(readers[0], source) if len(readers) == 3 and isinstance(source, Path) \
                        else readers[0].serialize()
                progress(0.35, "Đang kiểm tra và nén dữ liệu…")
                if len(readers) == 1:
                    checks = [pool.submit(connection_problems, readers[0], full=False)]
                digest = pool.submit(_sha256, content)
                compressed = pool.submit(codec.compress, content)
                meanwhile()
                # A snapshot that fails its checks is dropped with its compressed copy.
                problems = [problem for check in checks for problem in check.result()]
                if problems:
                    compressed.cancel()
                else:
                    hashed, packed = digest.result(), compressed.result()
            image = readers[0]
            if problems:
                raise BackupError(
                    "Cơ sở dữ liệu có lỗi (kiểm tra: " + "; ".join(problems[:3]) + "). Không tạo bản sao "
                    "lưu để các bản tốt không bị thay thế; hãy khôi phục từ bản sao lưu gần nhất.", code=UNHEALTHY,
                    findings=problems)
            anchor = audit_anchor(image)
            revision, counts = _facts(image)
            manifest = Manifest(
                app_version=__version__, schema_revision=revision, created_at=created,
                organizations=counts["organizations"], members=counts["members"], decisions=counts["decisions"],
                issued=counts["issued"], drafts=counts["drafts"], recorded=counts["recorded"], content_sha256=hashed,
                content_size=len(content), source_name=source_name,
                compression=codec.DEFAULT, audit_anchor=anchor,
            )
            payload = container.payload_parts(manifest.to_bytes(), packed)
    finally:
        for reader in readers:
            reader.close()
    del content
    return payload, manifest


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows flushes directory entries with the file
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


TEMP_SUFFIX = ".dang-ghi"
WRITE_CHUNK = 8 * 1024 * 1024


def write_durably(data: bytes | list[bytes], target: Path) -> str:
    """Temporary name, flush, fsync, rename: a half-written backup never carries the final name.
    `data`: the file's bytes, or its pieces in order. Returns the SHA-256 of what was handed to the disk,
    computed while writing."""
    temp = target.with_name(f"{target.name}{TEMP_SUFFIX}")
    digest = hashlib.sha256()
    try:
        with open(temp, "wb", buffering=0) as handle:
            for part in [data] if isinstance(data, bytes) else data:
                view = memoryview(part)
                for start in range(0, len(view), WRITE_CHUNK):
                    chunk = view[start:start + WRITE_CHUNK]
                    while chunk:  # a raw file may take part of a chunk
                        written = handle.write(chunk) or 0
                        digest.update(chunk[:written])
                        chunk = chunk[written:]
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
        _fsync_folder(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _head(parts: list[bytes], count: int) -> bytes:
    taken = bytearray()
    for part in parts:
        if len(taken) >= count:
            break
        taken += part[:count - len(taken)]
    return bytes(taken)


def _tail(parts: list[bytes], count: int) -> bytes:
    taken = b""
    for part in reversed(parts):
        if len(taken) >= count:
            break
        taken = bytes(part[max(0, len(part) - (count - len(taken))):]) + taken
    return taken


def check_written(target: Path, data: bytes | list[bytes], encrypted: str | bool | None) -> None:
    """One cheap structural check of the file as stored: its size, its header (and for a plain file its
    manifest) and its last bytes (the checksum or the GCM tag) read back and compared. The content
    itself was hashed while written and checked in memory before; re-reading it all would only read the
    operating system's cache."""
    parts = [data] if isinstance(data, bytes) else data
    length = sum(len(part) for part in parts)
    tail = min(length, 64)
    with open(target, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(PEEK_BYTES)
        handle.seek(length - tail)
        end = handle.read(tail)
    if size != length or head != _head(parts, len(head)) or end != _tail(parts, tail):
        raise damaged(target.name, "nội dung đọc lại khác nội dung đã ghi: ổ đĩa có thể bị lỗi")
    header, manifest = container.peek_manifest(head, target.name)
    if manifest is not None:
        Manifest.from_bytes(manifest, target.name)
    if header.encrypted != bool(encrypted):
        raise damaged(target.name, "phần đầu tệp không đúng kiểu mã hóa")


def free_name(folder: Path, stem: str, when: dt.datetime) -> Path:
    path = folder / backup_name(stem, when)
    counter = 2
    while path.exists() or path.with_name(f"{path.name}{TEMP_SUFFIX}").exists():
        path = folder / backup_name(stem, when, counter)
        counter += 1
    return path


def _check_allowed(db: Database, folder: Path, kind: str) -> None:
    """A clerk with the backup right may write anywhere; everyone else's session only lets the app's own
    automatic backups into the configured backup folder (a read-only account must not be able to drop
    an unencrypted copy of the office on a stick through them)."""
    if kind not in AUTOMATIC_KINDS or allowed(db.user, Permission.BACKUP):
        require_user(db.user, Permission.BACKUP)
        return
    from khoi_desktop.core.backup.settings import load_backup_settings
    from khoi_desktop.core.paths import backups_dir

    with db.reading() as session:
        configured = load_backup_settings(session).folder
    expected = Path(configured) if configured else backups_dir()
    if os.path.normcase(os.path.abspath(folder)) != os.path.normcase(os.path.abspath(expected)):
        require_user(db.user, Permission.BACKUP)


def _write_failed(folder: Path, exc: OSError) -> KhoiError:
    reason = os_reason(exc)  # «ổ đĩa đã đầy», …: the system's own words are English
    return KhoiError(f"Không ghi được bản sao lưu vào {folder}: {reason}. Hãy kiểm tra ổ đĩa (còn chỗ trống, "
                     "không bị khóa ghi) rồi thử lại; dữ liệu hiện tại không bị thay đổi.", code="write_failed")


def create_backup(db: Database, folder: Path, *, actor: str, kind: str, passphrase: str | None = None,
                  now: dt.datetime | None = None, progress: Progress = _quiet,
                  kdf_n: int = crypto.SCRYPT_N) -> BackupResult:
    """A verified backup of `db` in `folder`, recorded in the audit trail."""
    _check_allowed(db, folder, kind)
    if passphrase is not None and len(nfc(passphrase)) < crypto.MIN_PASSPHRASE:
        raise ValidationError(f"Mật khẩu mã hóa bản sao lưu cần ít nhất {crypto.MIN_PASSPHRASE} ký tự: mật khẩu "
                              "ngắn bị dò ra trong vài phút.", code="weak_passphrase")
    # An encrypted office stays encrypted in every backup, even one taken without a passphrase.
    database_key = None
    if not passphrase and not db.is_server and has_keyfile(db.path):
        database_key = key_for(db.path) or db.key
    # Every backup of an encrypted office carries its key slots: a lost key file comes back from any of them.
    carried = office_key.carried_slots(db.path) if not db.is_server and has_keyfile(db.path) else None
    data, manifest = build_backup(db if db.is_server else db.path, passphrase=passphrase, now=now, progress=progress,
                                  kdf_n=kdf_n, database_key=database_key, carried_keys=carried)
    encrypted = bool(passphrase) or database_key is not None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, db.path.stem, manifest.created_at)
        progress(0.75, "Đang ghi tệp…")
        file_sha256 = write_durably(data, target)
        progress(0.9, "Đang kiểm tra tệp đã ghi…")
        check_written(target, data, encrypted)
    except OSError as exc:
        raise _write_failed(folder, exc) from exc
    recorded = True
    try:
        with db.writing() as session:
            record(session, actor=actor, action=BACKUP_ACTION, target=str(target),
                   after={"kind": kind, "encrypted": encrypted, "file_sha256": file_sha256,
                          **({"key": office_key.MODE} if database_key is not None else {}),
                          **manifest.to_json()})
    except DatabaseError as exc:
        if exc.code != "busy":
            raise
        # The file is written and checked; another writer holding the lock must not turn it into a failure.
        log.warning("backup %s written; its audit entry waits: %s", target, exc.message)
        recorded = False
    progress(1.0, "Đã sao lưu.")
    return BackupResult(target, manifest, encrypted, sum(len(part) for part in data), recorded)
