"""Unlocking an encrypted file with an account's password, under the lockout rules of core/auth/accounts
(MAX_FAILED_ATTEMPTS wrong passwords in a row lock the name for LOCKOUT). The counter lives in the key file:
it must be updated before the database can be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from khoi_desktop.core.keyslots import keyfile as keyfiles
from khoi_desktop.core.keyslots import slots
from khoi_desktop.core.keyslots.keyfile import Failures, KeyFile


def _now(now: dt.datetime | None) -> dt.datetime:
    moment = now.astimezone(dt.UTC) if now is not None else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0)


def _hm(when: dt.datetime) -> str:
    return when.astimezone().strftime("%H:%M")


def _note(keyfile: KeyFile, now: dt.datetime, actor: str, reason: str, **extra: object) -> None:
    keyfile.pending_audit.append({"at": now.isoformat(), "actor": actor, "reason": reason, **extra})


def unlock_with_password(database: Path, username: str, password: str, *, now: dt.datetime | None = None,
                         during: str = "login") -> bytes:
    """The database key of `database` for this account's password (see unlock_account)."""
    return unlock_account(database, username, password, now=now, during=during)[0]


def unlock_account(database: Path, username: str, password: str, *, now: dt.datetime | None = None,
                   during: str = "login") -> tuple[bytes, str]:
    """(the database key of `database`, the digest of the slot that this account's password opened — the one it
    holds after this call); raises LoginRefused (its message in Vietnamese, the same words as the login of a
    plain file) for an unknown or removed account, a wrong password (counted) or a locked name. The key file
    records each refusal, for the audit trail."""
    from khoi_desktop.core.auth.accounts import LOCKOUT, MAX_FAILED_ATTEMPTS, LoginRefused, normalize_username
    from khoi_desktop.core.text import nfc

    moment = _now(now)
    keyfile = keyfiles.load(database)
    name = normalize_username(username)[:60]
    slot = keyfile.slots.get(name)
    if slot is None:  # unknown, disabled or removed: the same words, nothing counted for a name with no slot
        _note(keyfile, moment, name or "?", "no_key_slot", during=during)
        keyfiles.save(database, keyfile)
        raise LoginRefused("Sai tên đăng nhập hoặc mật khẩu.")
    failures = keyfile.failures.setdefault(name, Failures())
    locked_until = dt.datetime.fromisoformat(failures.locked_until) if failures.locked_until else None
    if locked_until is not None and moment < locked_until:
        _note(keyfile, moment, name, "locked", during=during, locked_until=locked_until.isoformat())
        keyfiles.save(database, keyfile)
        minutes = max(1, -(-int((locked_until - moment).total_seconds()) // 60))
        raise LoginRefused(f"Tài khoản «{name}» đang bị khóa do nhập sai mật khẩu {MAX_FAILED_ATTEMPTS} lần: thử "
                           f"lại sau {_hm(locked_until)} (còn khoảng {minutes} phút), hoặc nhờ quản trị đặt lại "
                           "mật khẩu.")
    key = slots.open_password_slot(slot, name, nfc(password))
    if key is None:
        failures.count += 1
        _note(keyfile, moment, name, "wrong_password", during=during, attempt=failures.count)
        if failures.count >= MAX_FAILED_ATTEMPTS:
            until = moment + LOCKOUT
            failures.count, failures.locked_until = 0, until.isoformat()
            _note(keyfile, moment, name, "lockout", locked_until=until.isoformat())
            keyfiles.save(database, keyfile)
            raise LoginRefused(f"Sai mật khẩu {MAX_FAILED_ATTEMPTS} lần liên tiếp: tài khoản «{name}» bị khóa "
                               f"{int(LOCKOUT.total_seconds() // 60)} phút, đến {_hm(until)}.")
        keyfiles.save(database, keyfile)
        left = MAX_FAILED_ATTEMPTS - failures.count
        raise LoginRefused(f"Sai tên đăng nhập hoặc mật khẩu. Còn {left} lần thử trước khi tài khoản bị khóa "
                           f"{int(LOCKOUT.total_seconds() // 60)} phút.")
    changed = bool(failures.count or failures.locked_until)
    keyfile.failures.pop(name, None)
    if slot.kdf != "argon2id":  # a converted file's slot: now the password is known, give it its own salt
        keyfile.slots[name] = slots.password_slot(name, nfc(password), key)
        changed = True
    if changed:
        keyfiles.save(database, keyfile)
    return key, slots.slot_digest(keyfile.slots[name])


def unlock_with_recovery(database: Path, recovery_key: str, *, now: dt.datetime | None = None) -> bytes:
    """The database key from the recovery key printed when the file was encrypted; raises LoginRefused."""
    from khoi_desktop.core.auth.accounts import LoginRefused

    keyfile = keyfiles.load(database)
    key = slots.open_recovery_slot(keyfile, recovery_key)
    if key is None:
        _note(keyfile, _now(now), "#recovery", "wrong_recovery_key")
        keyfiles.save(database, keyfile)
        raise LoginRefused("Mã khôi phục không đúng: hãy kiểm tra lại từng nhóm ký tự trên bản đã in.")
    return key
