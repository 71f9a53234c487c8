"""Backups of an encrypted office taken without a passphrase (automatic, on close, by the backup-only
account): sealed with a key derived from the office's database key, so encryption at rest survives every
copy. The backup carries the office's key slots (each already wrapped by an account password's Argon2id key
or by the recovery key: safe to carry), so it can be restored on a new machine with an account's password or
the recovery key when the live folder is lost."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.keyslots import keyfile as keyfiles
from khoi_desktop.core.keyslots.keyfile import KeyFile, Slot

MODE = "office-key"  # the header's "key" field
SIGN_IN_REQUIRED = "backup_sign_in_required"
WRONG_ACCOUNT = "backup_wrong_account"
_INFO = b"khoi-desktop backup key v2"
_CHECK_LABEL = b"khoi-desktop office backup key check v2"


def backup_cipher_key(database_key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    """(AES-256 key, key check) for one backup: HKDF with its own info string, so neither the database key
    nor the audit seal's key (another info string) is ever used directly."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=_INFO).derive(database_key)
    check = hmac.new(material[32:], _CHECK_LABEL, hashlib.sha256).digest()[:16]
    return material[:32], check


def new_salt() -> bytes:
    return os.urandom(16)


def carried_slots(database: Path) -> dict[str, Any]:
    """The office's wrapped key slots as a backup carries them: no lockout counters, no pending refusals."""
    from khoi_desktop.core.keyslots.copies import wrapped_keys

    return wrapped_keys(keyfiles.load(database))


def keyfile_from_carried(carried: Any, name: str) -> KeyFile:
    from khoi_desktop.core.backup.errors import damaged

    try:
        return KeyFile(slots={k: Slot(**v) for k, v in carried["slots"].items()},
                       recovery=Slot(**carried["recovery"]) if carried.get("recovery") else None)
    except (KeyError, TypeError, AttributeError):
        raise damaged(name, "khóa của tệp dữ liệu mang theo không đọc được") from None


def sign_in_required(name: str) -> BackupError:
    return BackupError(f"Bản sao lưu {name} được mã hóa bằng khóa của tệp dữ liệu (sao lưu tự động của tệp dữ liệu "
                       "đã mã hóa): chỉ mở hoặc kiểm tra được sau khi đăng nhập bằng một tài khoản của tệp dữ liệu "
                       "đó, hoặc bằng mã khôi phục của quản trị.", code=SIGN_IN_REQUIRED)


def unlock_carried(carried: Any, name: str, *, username: str | None = None, password: str | None = None,
                   recovery_key: str | None = None) -> bytes:
    """The office's database key from the slots the backup carries; a wrong password or recovery key is
    refused (nothing is written anywhere: the backup has no lockout counter, Argon2id makes each guess slow)."""
    from khoi_desktop.core.auth.accounts import normalize_username
    from khoi_desktop.core.keyslots import slots as keyslots  # Argon2 and AES load only to unlock
    from khoi_desktop.core.text import nfc

    keyfile = keyfile_from_carried(carried, name)
    if recovery_key:
        key = keyslots.open_recovery_slot(keyfile, recovery_key)
        if key is None:
            raise BackupError(f"Mã khôi phục không đúng với bản sao lưu {name}: hãy kiểm tra lại từng nhóm ký tự "
                              "trên bản đã in.", code=WRONG_ACCOUNT)
        return key
    if not username or password is None:
        raise sign_in_required(name)
    account = normalize_username(username)[:60]
    slot = keyfile.slots.get(account)
    key = keyslots.open_password_slot(slot, account, nfc(password)) if slot is not None else None
    if key is None:
        raise BackupError(f"Sai tên đăng nhập hoặc mật khẩu của tệp dữ liệu trong bản sao lưu {name}.",
                          code=WRONG_ACCOUNT)
    return key
