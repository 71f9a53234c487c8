"""Accounts: the first administrator, creating, disabling and resetting accounts, changing one's own
password, and logging in with a lockout after repeated failures. Every change and every login attempt is
audited. Times come from the caller (`now`), so the lockout is tested without waiting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.current import CurrentUser, Role, current_user
from khoi_desktop.core.auth.models import User
from khoi_desktop.core.auth.passwords import hash_password, needs_rehash, verify_password
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import KhoiError, NotFoundError, ValidationError
from khoi_desktop.core.keyslots import hooks as key_slots
from khoi_desktop.core.os_account import os_user
from khoi_desktop.core.text import neutralize_formula, nfc

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
DEMO_USERNAME, DEMO_PASSWORD = "admin", "khoi-demo"  # documented in README: the demo office only
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")


class LoginRefused(KhoiError):
    code = "login_refused"


@dataclass(frozen=True)
class Account:
    """An account as the screens show it (never the password hash)."""

    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    created_at: dt.datetime
    last_login_at: dt.datetime | None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and _now(now) < self.locked_until


def _now(now: dt.datetime | None) -> dt.datetime:
    """Aware UTC. Comparing local clock times let a changed time zone (TZ=Etc/GMT-12) end a lockout at once.
    A naive `now` (tests, callers) is taken as local time."""
    moment = now.astimezone(dt.UTC) if now is not None else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0)


def _stored(moment: dt.datetime) -> dt.datetime:
    """Columns hold naive UTC (SQLite keeps no offset)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _utc(stored: dt.datetime | None) -> dt.datetime | None:
    return stored.replace(tzinfo=dt.UTC) if stored is not None else None


def _local(stored: dt.datetime | None) -> dt.datetime | None:
    """For showing: the local time, aware (its offset printable)."""
    moment = _utc(stored)
    return moment.astimezone() if moment is not None else None


def _account(user: User) -> Account:
    created = _local(user.created_at)
    assert created is not None
    return Account(user.username, user.full_name, user.role, user.active, _local(user.locked_until),
                   user.failed_attempts, created, _local(user.last_login_at))


def normalize_username(text: str) -> str:
    return nfc(text).strip().lower()


NO_USERNAME = "Hãy nhập tên đăng nhập (chữ không dấu, ví dụ: nguyenvana)."


def _check_username(username: str) -> str:
    name = normalize_username(username)
    if not name:  # it said «Tên đăng nhập «» không hợp lệ»
        raise ValidationError(NO_USERNAME, code="invalid_username")
    if not _USERNAME.fullmatch(name):
        raise ValidationError(f"Tên đăng nhập «{username}» không hợp lệ: dùng 2–60 chữ cái không dấu, chữ số, "
                              "dấu chấm, gạch dưới hoặc gạch ngang (ví dụ: nguyenvana).", code="invalid_username")
    return name


def check_password(password: str) -> str:
    """New passwords: at least MIN_PASSWORD_LENGTH characters, NFC (Unikey and the OS may differ)."""
    password = nfc(password)
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.", code="weak_password")
    return password


def _find(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == normalize_username(username))).first()


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise NotFoundError(f"Không có tài khoản «{username}».", code="user_not_found")
    return user


def has_accounts(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def list_accounts(session: Session) -> list[Account]:
    require(session, Permission.MANAGE_USERS)
    return [_account(u) for u in session.scalars(select(User).order_by(User.username))]


def _add(session: Session, username: str, full_name: str, role: Role, password: str, now: dt.datetime,
         note: str | None = None, password_hash: str | None = None) -> User:
    name = _check_username(username)
    full = nfc(full_name).strip()
    if not full:
        raise ValidationError("Hãy nhập họ và tên người dùng.", code="missing_full_name")
    if _find(session, name) is not None:
        raise ValidationError(f"Đã có tài khoản «{name}».", code="user_exists")
    password = check_password(password)
    if password_hash is None:  # given: hash_password(password) made ahead (demo_admin_hash)
        password_hash = hash_password(password)
    user = User(username=name, full_name=full, role=Role(role), password_hash=password_hash,
                active=True, failed_attempts=0, created_at=_stored(now))
    session.add(user)
    session.flush()
    user.key_slot = key_slots.password_set(session, name, nfc(password))  # an encrypted file: its own key slot
    after = {"full_name": full, "role": user.role.value}
    if note:
        after["note"] = note
    record(session, action="user.create", target=name, after=after)
    return user


def create_account(session: Session, *, username: str, full_name: str, role: Role, password: str,
                   now: dt.datetime | None = None) -> Account:
    require(session, Permission.MANAGE_USERS)
    return _account(_add(session, username, full_name, role, password, _now(now)))


def create_first_admin(session: Session, *, username: str, full_name: str, password: str,
                       now: dt.datetime | None = None) -> CurrentUser:
    """The administrator made at first start; refused once any account exists."""
    if has_accounts(session):
        raise ValidationError("Cơ sở dữ liệu đã có tài khoản: hãy đăng nhập.", code="accounts_exist")
    user = _add(session, username, full_name, Role.QUAN_TRI, password, _now(now), note="first_start")
    return CurrentUser(user.username, user.full_name, user.role, os_user())


def demo_admin_hash() -> str:
    """The password hash of the demo's administrator, for create_demo_admin: Argon2 lets go of the GIL, so the
    demo has it made on another thread while its plan is drawn (a third of a second of CPU)."""
    return hash_password(check_password(DEMO_PASSWORD))


def create_demo_admin(session: Session, password_hash: str | None = None) -> None:
    """The demo office's documented administrator (README): admin / khoi-demo; `password_hash` from
    demo_admin_hash (made here if not given)."""
    _add(session, DEMO_USERNAME, "Quản trị dữ liệu mẫu", Role.QUAN_TRI, DEMO_PASSWORD, _now(None), note="demo",
         password_hash=password_hash)


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.QUAN_TRI, User.active.is_(True))) or 0


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role is Role.QUAN_TRI and user.active and _active_admins(session) <= 1:
        raise ValidationError(f"«{user.username}» là tài khoản quản trị cuối cùng đang dùng: hãy tạo hoặc kích hoạt "
                              "một tài khoản quản trị khác trước.", code="last_admin")


def set_active(session: Session, username: str, active: bool) -> Account:
    """Disable (the account can no longer log in; its audit history stays) or enable again."""
    require(session, Permission.MANAGE_USERS)
    user = _get(session, username)
    me = current_user(session)
    if not active and me is not None and me.username == user.username:
        raise ValidationError("Không thể tự vô hiệu hóa tài khoản đang đăng nhập.", code="self_disable")
    if user.active == active:
        return _account(user)
    if not active:
        _keep_an_admin(session, user)
    user.active = active
    if active:
        user.failed_attempts, user.locked_until = 0, None
    else:  # an encrypted file: its key slot goes (enabled again, it opens the file after a password reset)
        key_slots.account_removed(session, user.username)
    record(session, action="user.enable" if active else "user.disable", target=user.username,
           before={"active": not active}, after={"active": active})
    return _account(user)


def set_role(session: Session, username: str, role: Role) -> Account:
    require(session, Permission.MANAGE_USERS)
    user = _get(session, username)
    role = Role(role)
    if user.role is role:
        return _account(user)
    if role is not Role.QUAN_TRI:
        _keep_an_admin(session, user)
    before = user.role
    user.role = role
    record(session, action="user.role", target=user.username, before={"role": before.value},
           after={"role": role.value})
    return _account(user)


def reset_password(session: Session, username: str, new_password: str) -> Account:
    """The administrator sets a new password (and lifts a lockout); the password itself is never recorded."""
    require(session, Permission.MANAGE_USERS)
    user = _get(session, username)
    user.password_hash = hash_password(check_password(new_password))
    user.key_slot = key_slots.password_set(session, user.username, nfc(new_password))
    was_locked = user.locked_until is not None
    user.failed_attempts, user.locked_until = 0, None
    record(session, action="user.reset_password", target=user.username, after={"unlocked": was_locked})
    return _account(user)


def change_password(session: Session, username: str, old_password: str, new_password: str) -> None:
    """A user changes their own password, proving the old one."""
    me = current_user(session)
    if me is not None and me.username != normalize_username(username):
        raise ValidationError("Chỉ được đổi mật khẩu của chính mình; quản trị dùng «Đặt lại mật khẩu».",
                              code="not_own_account")
    user = _get(session, username)
    if not verify_password(user.password_hash, nfc(old_password)):
        raise ValidationError("Mật khẩu hiện tại không đúng.", code="wrong_password")
    new = check_password(new_password)
    if new == nfc(old_password):
        raise ValidationError("Mật khẩu mới phải khác mật khẩu hiện tại.", code="same_password")
    user.password_hash = hash_password(new)
    user.key_slot = key_slots.password_set(session, user.username, new)  # an encrypted file: its slot rewrapped
    record(session, actor=user.username, action="user.change_password", target=user.username)


# --- logging in --------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoginOutcome:
    user: CurrentUser | None
    message: str  # why not, in Vietnamese ("" on success)
    locked_until: dt.datetime | None = None


def _hm(when: dt.datetime) -> str:
    return when.astimezone().strftime("%H:%M")  # the clerk's clock


def _password_holds(user: User, password: str, key_slot: str | None) -> bool:
    """Whether `password` is the account's. An encrypted file's sign-in has already run Argon2id once, opening
    the account's key slot with it (`key_slot`: that slot's digest): when the account row names that very slot
    (written with its current password, in the transaction that set the hash) the password is proven without
    a second Argon2id run. Otherwise (a converted file's slot, an older key file put back, a file from before
    the slot was named) the stored hash decides, and the slot now in use is named for the next sign-in."""
    import hmac

    if key_slot is not None and user.key_slot is not None and hmac.compare_digest(user.key_slot, key_slot):
        return True
    if not verify_password(user.password_hash, nfc(password)):
        return False
    if key_slot is not None:
        user.key_slot = key_slot
    return True


def login(session: Session, username: str, password: str, *, now: dt.datetime | None = None,
          action: str = "login", record_success: bool = True, key_slot: str | None = None) -> LoginOutcome:
    """Check a login; never raises for a refusal, so its audit entries and counters are committed.

    MAX_FAILED_ATTEMPTS wrong passwords in a row lock the account for LOCKOUT; while locked even the right
    password is refused. `action` is "login", "unlock" (the idle lock's password prompt) or "cli" (a command's
    sign-in: a success is no entry of its own, what the command changes is recorded under the account).
    Every entry names the operating-system user behind the attempt. `key_slot`: the digest of the key slot
    this password has just opened (an encrypted file), which may prove it without hashing again.
    """
    now = _now(now)
    behind = os_user()
    typed = normalize_username(username)[:60]
    user = _find(session, typed)
    if user is None:
        # Whatever was typed is recorded as text that no spreadsheet will run (=HYPERLINK(…) as a user name).
        shown = neutralize_formula(typed)
        record(session, os_user=behind, actor=shown or "?", action="login.failed", target=shown,
               after={"reason": "unknown_user", "during": action})
        return LoginOutcome(None, "Sai tên đăng nhập hoặc mật khẩu.")
    if not user.active:
        record(session, os_user=behind, actor=user.username, action="login.failed", target=user.username,
               after={"reason": "disabled", "during": action})
        return LoginOutcome(None, f"Tài khoản «{user.username}» đã bị vô hiệu hóa: hãy liên hệ quản trị.")
    locked_until = _utc(user.locked_until)
    if locked_until is not None and now < locked_until:
        record(session, os_user=behind, actor=user.username, action="login.failed", target=user.username,
               after={"reason": "locked", "during": action, "locked_until": locked_until.isoformat()})
        minutes = max(1, -(-int((locked_until - now).total_seconds()) // 60))
        return LoginOutcome(None, f"Tài khoản «{user.username}» đang bị khóa do nhập sai mật khẩu "
                                  f"{MAX_FAILED_ATTEMPTS} lần: thử lại sau {_hm(locked_until)} "
                                  f"(còn khoảng {minutes} phút), hoặc nhờ quản trị đặt lại mật khẩu.",
                            locked_until.astimezone())
    if not _password_holds(user, password, key_slot):
        user.failed_attempts += 1
        record(session, os_user=behind, actor=user.username, action="login.failed", target=user.username,
               after={"reason": "wrong_password", "during": action, "attempt": user.failed_attempts})
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            until = now + LOCKOUT
            user.failed_attempts, user.locked_until = 0, _stored(until)
            record(session, os_user=behind, actor=user.username, action="login.lockout", target=user.username,
                   after={"locked_until": until.isoformat(), "attempts": MAX_FAILED_ATTEMPTS})
            return LoginOutcome(None, f"Sai mật khẩu {MAX_FAILED_ATTEMPTS} lần liên tiếp: tài khoản "
                                      f"«{user.username}» bị khóa {int(LOCKOUT.total_seconds() // 60)} phút, "
                                      f"đến {_hm(until)}.", until.astimezone())
        left = MAX_FAILED_ATTEMPTS - user.failed_attempts
        return LoginOutcome(None, f"Sai tên đăng nhập hoặc mật khẩu. Còn {left} lần thử trước khi tài khoản bị "
                                  f"khóa {int(LOCKOUT.total_seconds() // 60)} phút.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(nfc(password))
    user.failed_attempts, user.locked_until = 0, None
    if record_success:
        user.last_login_at = _stored(now)
        record(session, os_user=behind, actor=user.username, action=action, target=user.username,
               after={"role": user.role.value})
    return LoginOutcome(CurrentUser(user.username, user.full_name, user.role, behind), "")


def authenticate(db: Database, username: str, password: str, *, now: dt.datetime | None = None,
                 action: str = "login", key_slot: str | None = None) -> CurrentUser:
    """Log in on `db` (committing the attempt's audit entries either way); raises LoginRefused when refused."""
    with db.writing() as session:
        outcome = login(session, username, password, now=now, action=action, key_slot=key_slot)
    if outcome.user is None:
        raise LoginRefused(outcome.message)
    return outcome.user



def account_user(session: Session, username: str) -> CurrentUser | None:
    """The active account `username` as it stands now (its current role); None when missing or disabled."""
    user = _find(session, username)
    if user is None or not user.active:
        return None
    return CurrentUser(user.username, user.full_name, user.role, os_user())
