"""The one door to an office file for the GUI and the command line: sign in, then open (see the package's
note)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.engines import held_files
from khoi_desktop.core.keyslots import keyfile as keyfiles
from khoi_desktop.core.keyslots.registry import forget_key, remember_key

if TYPE_CHECKING:
    from khoi_desktop.core.auth.current import CurrentUser
    from khoi_desktop.core.db import Database

SQLITE_HEADER = b"SQLite format 3\x00"
KEYFILE_RESTORED = "office.keyfile_restored"  # a lost key file put back from a copy (keyslots/copies.py)


def is_encrypted(path: str | Path) -> bool:
    """True for a file encrypted with SQLCipher (its first bytes are not SQLite's header), or one with a key
    file beside it; False for a plain SQLite file, an empty or a missing one."""
    path = Path(path)
    if keyfiles.has_keyfile(path):
        return True
    known = held_files.known_encryption(path)  # open here: known without touching the file (held_files)
    if known is not None:
        return known
    try:
        head = held_files.read_at(path, len(SQLITE_HEADER))
        size = os.stat(path).st_size
    except OSError:
        return False
    assert isinstance(head, bytes)
    # An encrypted file is whole pages (512 bytes and up): a spreadsheet, a PDF or a text file named in its
    # place (arguments swapped) is not "encrypted, sign in", it is no database at all.
    return bool(head) and head != SQLITE_HEADER and size % 512 == 0 and not head.startswith((b"PK\x03\x04", b"%PDF"))


def needs_sign_in(path: str | Path) -> bool:
    """Whether opening `path` asks for an account: an encrypted file always; a plain one when it has accounts
    (a plain file without any account — a fixture, a new file before its first administrator — opens as is)."""
    path = Path(path)
    if is_encrypted(path):
        return True
    if not path.is_file() or path.stat().st_size == 0:
        return False
    from khoi_desktop.core.engines.sqlite import connect_file

    conn = connect_file(path, read_only=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return "users" in tables and conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None
    finally:
        conn.close()


def _record_refusals(db: Database) -> None:
    """Refused attempts kept in the key file (the trail could not be written then) go into the audit trail."""
    keyfile = keyfiles.load(db.path)
    if not keyfile.pending_audit:
        return
    from khoi_desktop.core.audit import record

    with db.writing() as session:
        for note in keyfile.pending_audit:
            actor = str(note.get("actor") or "?")
            reason = note.get("reason")
            action = {"lockout": "login.lockout", "keyfile_restored": KEYFILE_RESTORED}.get(str(reason), "login.failed")
            record(session, actor=actor, action=action, target=actor,
                   after={k: v for k, v in note.items() if k != "actor"} | {"before_unlock": True})
    keyfile = keyfiles.load(db.path)  # another process may have added some meanwhile: keep those
    written = len(keyfile.pending_audit)
    keyfile.pending_audit = keyfile.pending_audit[written:]
    keyfiles.save(db.path, keyfile)


def _opened(path: Path, key: bytes | None) -> Database:
    from khoi_desktop.core.db import open_database

    if key is not None:
        remember_key(path, key)
    try:
        db = open_database(path)
        if key is not None:
            _record_refusals(db)
    except BaseException:
        if key is not None:
            forget_key(path)
        raise
    return db


def open_signed_in(path: str | Path, username: str, password: str, *, now: dt.datetime | None = None,
                   action: str = "login", extra_key_files: Iterable[Path] = ()) -> Database:
    """Open `path` for the account `username`: returns the Database with `db.user` set to that account (its
    role as stored). Raises LoginRefused (message in Vietnamese) for a wrong name or password, a disabled
    or locked account; DatabaseError for a file that cannot be opened (missing key file, newer version…).

    An encrypted file is first unlocked with the account's own key slot (a wrong password is counted in the
    key file and locks the name like core/auth's login), then the account logs in as on a plain file (role,
    active, audit entry). A plain file is opened and the account logs in against its accounts table.
    A lost key file is first put back from a copy that opens with this password (keyslots/copies.py; also
    looked for in `extra_key_files`: a backup or a key file copy the clerk points at).
    """
    from khoi_desktop.core.auth.accounts import LoginRefused, authenticate
    from khoi_desktop.core.keyslots.unlock import unlock_account

    path = Path(path)
    if is_encrypted(path) and not keyfiles.has_keyfile(path):
        from khoi_desktop.core.keyslots.copies import put_back

        put_back(path, username=username, password=password, extra=extra_key_files)
    key, slot = unlock_account(path, username, password, now=now, during=action) if is_encrypted(path) \
        else (None, None)
    db = _opened(path, key)
    try:  # the slot just opened proves the password: Argon2id runs once (accounts._password_holds)
        db.user = authenticate(db, username, password, now=now, action=action, key_slot=slot)
    except LoginRefused:
        close(db)
        raise
    return db


def open_with_recovery(path: str | Path, recovery_key: str) -> Database:
    """Open an encrypted file with the administrator's recovery key: the Database works as the system
    (db.user None, everything allowed) so an administrator's password can be reset (reset_password gives the
    account a new key slot). Raises LoginRefused for a wrong recovery key."""
    from khoi_desktop.core.keyslots.unlock import unlock_with_recovery

    path = Path(path)
    if not keyfiles.has_keyfile(path):
        from khoi_desktop.core.keyslots.copies import put_back

        put_back(path, recovery_key=recovery_key)  # the recovery slot of a copy of the lost key file
    return _opened(path, unlock_with_recovery(path, recovery_key))


def open_unlocked(path: str | Path, key: bytes) -> Database:
    """Open with a database key already known (the GUI's worker reopening the same file after a restore)."""
    return _opened(Path(path), key)


def close(db: Database) -> None:
    """Close the database and forget its key in this process."""
    db.close()
    forget_key(db.path)


@dataclass(frozen=True)
class NewOffice:
    db: Database
    user: CurrentUser
    recovery_key: str  # to print once, for the office safe; never stored


def create_encrypted_office(path: str | Path, *, username: str, full_name: str, password: str,
                            now: dt.datetime | None = None,
                            then: Callable[[Any], object] | None = None) -> NewOffice:
    """A new office file, encrypted from its first byte, with its first administrator (the GUI's first start).
    Refused when `path` already has content. The recovery key is returned once. `then(session)` runs in the
    administrator's transaction, signed in as them (`init`: the office's settings and term, core/office.py);
    if it refuses, no file is left."""
    from khoi_desktop.core.auth.accounts import check_password, create_first_admin, normalize_username
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.keyslots import slots
    from khoi_desktop.core.keyslots.crypto import new_database_key
    from khoi_desktop.core.text import nfc

    path = Path(path)
    if (path.exists() and path.stat().st_size > 0) or keyfiles.has_keyfile(path):
        raise ValidationError(f"Đã có tệp {path.name}: không tạo đè lên dữ liệu.", code="file_exists")
    password = check_password(password)
    key = new_database_key()
    name = normalize_username(username)
    recovery, recovery_key = slots.recovery_slot(key)
    keyfile = keyfiles.KeyFile(slots={name: slots.password_slot(name, nfc(password), key)}, recovery=recovery)
    path.parent.mkdir(parents=True, exist_ok=True)
    keyfiles.save(path, keyfile)
    remember_key(path, key)
    db: Database | None = None
    try:
        db = open_database(path, create=True)
        with db.writing() as session:
            user = create_first_admin(session, username=username, full_name=full_name, password=password, now=now)
            if then is not None:
                session.info["user"] = user
                then(session)
    except BaseException:
        if db is not None:
            with contextlib.suppress(Exception):
                db.close()
        forget_key(path)
        keyfiles.keyfile_path(path).unlink(missing_ok=True)
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    db.user = user
    return NewOffice(db, user, recovery_key)


def new_recovery_key(db: Database) -> str:
    """Replace the recovery key of the open encrypted file (the old one stops working); returns the new one."""
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.keyslots import slots
    from khoi_desktop.core.keyslots.registry import key_for

    key = key_for(db.path)
    if key is None:
        raise ValidationError(f"Tệp {db.path.name} chưa được mã hóa: không có mã khôi phục.", code="not_encrypted")
    keyfile = keyfiles.load(db.path)
    keyfile.recovery, recovery_key = slots.recovery_slot(key)
    keyfiles.save(db.path, keyfile)
    return recovery_key


def start_encrypted_file(path: str | Path) -> str:
    """A new, empty office file encrypted from its first byte, before its first administrator (the GUI's first
    start: the office is configured, then the administrator's account gives the key file its first account
    slot). Its key is held in this process; returns the recovery key, to show once the administrator exists.
    `abandon_new_file` removes it when the clerk leaves before that."""
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.keyslots import slots
    from khoi_desktop.core.keyslots.crypto import new_database_key

    path = Path(path)
    if (path.exists() and path.stat().st_size > 0) or keyfiles.has_keyfile(path):
        raise ValidationError(f"Đã có tệp {path.name}: không tạo đè lên dữ liệu.", code="file_exists")
    key = new_database_key()
    recovery, recovery_key = slots.recovery_slot(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    keyfiles.save(path, keyfiles.KeyFile(recovery=recovery))
    remember_key(path, key)
    return recovery_key


def abandon_new_file(path: str | Path) -> None:
    """Remove a file made by start_encrypted_file that never got an account (nothing but its settings)."""
    path = Path(path)
    forget_key(path)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                     keyfiles.keyfile_path(path)):
        leftover.unlink(missing_ok=True)
