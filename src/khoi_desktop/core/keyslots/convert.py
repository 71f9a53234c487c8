"""Encrypting an existing plain office file (`encrypt FILE`, or the GUI's administrator): every account keeps
its password, the plain file is kept aside until the clerk confirms, then overwritten and removed."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop.core.keyslots import keyfile as keyfiles
from khoi_desktop.core.keyslots import slots
from khoi_desktop.core.keyslots.crypto import new_database_key
from khoi_desktop.core.keyslots.registry import forget_key, remember_key

ASIDE_TAG = "truoc-ma-hoa"  # office.truoc-ma-hoa-20260302-101500.db: the plain copy kept aside


@dataclass(frozen=True)
class Conversion:
    path: Path  # the encrypted file, where the plain one was
    plain_copy: Path  # the plain file kept aside until discard_plain_copy
    recovery_key: str  # printed once
    accounts: tuple[str, ...]  # the accounts that open the file with their existing passwords


def _table_counts(conn: object) -> dict[str, int]:
    names = [row[0] for row in conn.execute(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
        "ORDER BY name")]  # member_fts is counted by its shadow tables (it cannot be scanned)
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[attr-defined]
            for name in names}


def encrypt_file(path: str | Path, username: str, password: str, *, now: dt.datetime | None = None,
                 keep_key: bool = False) -> Conversion:
    """Encrypt the plain office file `path` for an administrator who signs in with `username`/`password`.

    Every active account gets a key slot opened by its present password (its stored Argon2id hash recomputed;
    rewrapped with a fresh salt at its first sign-in); disabled accounts get none. The plain file is renamed
    aside (ASIDE_TAG) and the encrypted copy takes its name, after its rows were counted equal. Refused for a
    file already encrypted, one without accounts (create the first administrator first), or a non-admin.
    keep_key: the key stays held by this process (the window reopens the file signed in).
    """
    from khoi_desktop.core.audit import record, start_sealing
    from khoi_desktop.core.auth.accounts import authenticate
    from khoi_desktop.core.auth.current import Role
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.engines.sqlite import connect_file, export_encrypted, single_file
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.keyslots.opening import is_encrypted
    from khoi_desktop.core.text import nfc

    path = Path(os.path.abspath(path))
    if is_encrypted(path):
        raise ValidationError(f"Tệp {path.name} đã được mã hóa.", code="already_encrypted")
    db = open_database(path)  # migrates an older file first
    try:
        user = authenticate(db, username, password, now=now)
        if user.role is not Role.QUAN_TRI:
            raise ValidationError("Chỉ tài khoản quản trị mới mã hóa được tệp dữ liệu.", code="not_admin")
    finally:
        db.close()
    try:
        single_file(path)
    except Exception as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise ValidationError(f"Tệp {path.name} đang được mở ở một cửa sổ hoặc chương trình khác: hãy đóng "
                                  "chương trình đó rồi mã hóa lại.", code="in_use") from exc
        raise
    plain = connect_file(path, read_only=True)
    try:
        users = plain.execute("SELECT username, password_hash, active FROM users").fetchall()
        counts = _table_counts(plain)
    finally:
        plain.close()
    key = new_database_key()
    stamp = (now or dt.datetime.now()).astimezone().strftime("%Y%m%d-%H%M%S")
    temp = path.with_name(f"{path.name}.ma-hoa-{stamp}.tmp")
    aside = path.with_name(f"{path.stem}.{ASIDE_TAG}-{stamp}{path.suffix}")
    admin = user.username
    keyfile = keyfiles.KeyFile(slots={admin: slots.password_slot(admin, nfc(password), key)})
    for name, password_hash, active in users:
        if active and name != admin:
            slot = slots.hash_slot(name, password_hash, key)
            if slot is not None:
                keyfile.slots[name] = slot
    keyfile.recovery, recovery_key = slots.recovery_slot(key)
    try:
        export_encrypted(path, temp, key)
        check = connect_file(temp, key=key)
        try:
            if check.execute("PRAGMA quick_check").fetchone()[0] != "ok" or _table_counts(check) != counts:
                raise ValidationError("Bản mã hóa không khớp với tệp gốc: tệp gốc không bị thay đổi.",
                                      code="encrypt_mismatch")
        finally:
            check.close()
        os.replace(path, aside)
        os.replace(temp, path)
        keyfiles.save(path, keyfile)
    finally:
        temp.unlink(missing_ok=True)
    remember_key(path, key)
    try:
        db = open_database(path)
        db.user = user
        with db.writing() as session:
            start_sealing(session)  # the trail's anchor is sealed from now on (core/audit_seal.py)
            record(session, action="office.encrypt", target=path.name,
                   after={"plain_copy": str(aside), "key_slots": sorted(keyfile.slots)})
        db.close()
    finally:
        if not keep_key:
            forget_key(path)
    return Conversion(path, aside, recovery_key, tuple(sorted(keyfile.slots)))


def plain_copies(path: str | Path) -> list[Path]:
    """The plain copies kept aside by encrypt_file for the file `path`, not yet discarded."""
    path = Path(path)
    return sorted(path.parent.glob(f"{path.stem}.{ASIDE_TAG}-*{path.suffix}"))


def discard_plain_copy(copy: Path) -> None:
    """Remove a plain copy once the clerk confirmed the encrypted file works: its bytes are overwritten with
    zeros and flushed before it is deleted, so an undelete tool finds nothing. On an SSD, a copy-on-write or
    journaled file system, or where the OS kept shadow copies, the old blocks may survive: see README."""
    from khoi_desktop.core.errors import ValidationError

    if ASIDE_TAG not in copy.name:
        raise ValidationError(f"{copy.name} không phải bản chưa mã hóa do phần mềm để riêng.", code="not_a_copy")
    for extra in (copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm"), copy):
        if not extra.exists():
            continue
        size = extra.stat().st_size
        with open(extra, "r+b") as handle:
            block = b"\0" * (1 << 20)
            for _ in range(0, size, len(block)):
                handle.write(block)
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())
        extra.unlink()
