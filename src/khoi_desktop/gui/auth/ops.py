"""Account and audit operations the screens ask for: each returns a job for the database worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.audit_log import AuditChoices, AuditFilter, AuditRow, audit_choices, audit_entries
from khoi_desktop.core.auth import accounts
from khoi_desktop.core.auth.accounts import Account
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.auth.permissions import Permission, allowed
from khoi_desktop.core.auth.settings import AuthSettings, load_auth_settings, save_auth_settings
from khoi_desktop.core.db import Database
from khoi_desktop.gui.worker import Job

if TYPE_CHECKING:
    from khoi_desktop.core.audit_report import AuditReport

Clock = Callable[[], dt.datetime]
# Runs a job and calls back with its result or error: DbWorker.submit, or run_now for a file not yet attached.
Submit = Callable[[Job, Callable[[Any], None], Callable[[Exception], None]], Any]


def run_now(db: Database) -> Submit:
    """A synchronous stand-in for DbWorker.submit, for a database that has no worker yet."""
    def submit(job: Job, on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> None:
        try:
            result = job(db)
        except Exception as error:  # handed to the caller's presenter
            on_error(error)
        else:
            on_done(result)

    return submit


def has_accounts() -> Job:
    def job(db: Database) -> bool:
        with db.reading() as session:
            return accounts.has_accounts(session)

    return job


def log_in(*, username: str, password: str, now: dt.datetime, action: str = "login") -> Job:
    """Authenticate; on success the database works for that user from now on."""
    def job(db: Database) -> CurrentUser:
        user = accounts.authenticate(db, username, password, now=now, action=action)
        check_window_user(user)
        db.user = user
        return user

    return job


def check_window_user(user: CurrentUser) -> None:
    """The scheduled backup's account opens no window."""
    if not allowed(user, Permission.READ):
        raise accounts.LoginRefused(f"Tài khoản «{user.username}» ({user.role.label}) chỉ dùng để sao lưu "
                                    "theo lịch trên dòng lệnh, không mở được cửa sổ chương trình.")


def open_signed_in(path: Path, opened: Callable[[Database], None]) -> Callable[..., Job]:
    """For an encrypted file not yet open: the login's job unlocks it with the account's own password and
    opens it signed in (core/keyslots); `opened` hands the Database to the worker. Same signature as log_in."""
    def make(*, username: str, password: str, now: dt.datetime, action: str = "login") -> Job:
        def job(_none: object) -> CurrentUser:
            from khoi_desktop.core.keyslots.opening import close, open_signed_in

            db = open_signed_in(path, username, password, now=now, action=action)
            assert db.user is not None
            try:
                check_window_user(db.user)
            except accounts.LoginRefused:
                close(db)
                raise
            opened(db)
            return db.user

        return job

    return make


def create_first_admin(*, username: str, full_name: str, password: str) -> Job:
    def job(db: Database) -> CurrentUser:
        with db.writing() as session:
            user = accounts.create_first_admin(session, username=username, full_name=full_name, password=password)
        db.user = user
        return user

    return job


def change_password(*, username: str, old: str, new: str) -> Job:
    def job(db: Database) -> None:
        with db.writing() as session:
            accounts.change_password(session, username, old, new)

    return job


@dataclass(frozen=True)
class UsersView:
    accounts: list[Account]
    settings: AuthSettings


def load_users() -> Job:
    def job(db: Database) -> UsersView:
        with db.reading() as session:
            return UsersView(accounts.list_accounts(session), load_auth_settings(session))

    return job


def load_auth() -> Job:
    def job(db: Database) -> AuthSettings:
        with db.reading() as session:
            return load_auth_settings(session)

    return job


def create_account(*, username: str, full_name: str, role: Role, password: str) -> Job:
    def job(db: Database) -> Account:
        with db.writing() as session:
            return accounts.create_account(session, username=username, full_name=full_name, role=role,
                                           password=password)

    return job


def set_active(*, username: str, active: bool) -> Job:
    def job(db: Database) -> Account:
        with db.writing() as session:
            return accounts.set_active(session, username, active)

    return job


def set_role(*, username: str, role: Role) -> Job:
    def job(db: Database) -> Account:
        with db.writing() as session:
            return accounts.set_role(session, username, role)

    return job


def reset_password(*, username: str, password: str) -> Job:
    def job(db: Database) -> Account:
        with db.writing() as session:
            return accounts.reset_password(session, username, password)

    return job


def save_auth(*, settings: AuthSettings) -> Job:
    def job(db: Database) -> AuthSettings:
        with db.writing() as session:
            return save_auth_settings(session, settings)

    return job


@dataclass(frozen=True)
class AuditView:
    rows: list[AuditRow]
    choices: AuditChoices
    limited: bool  # more entries matched than shown


def load_audit(*, audit_filter: AuditFilter, limit: int) -> Job:
    def job(db: Database) -> AuditView:
        with db.reading() as session:
            rows = audit_entries(session, audit_filter, limit=limit + 1)
            return AuditView(rows[:limit], audit_choices(session), len(rows) > limit)

    return job


def verify_audit(*, backups: bool = True, deep: bool = False) -> Job:
    """The same check as `verify-audit [--deep]` (core/audit_report.py): the trail, the newest backup's anchor
    and with `deep` every row's digest; for the roles that read the trail."""
    def job(db: Database) -> AuditReport:
        from khoi_desktop.core.audit_report import audit_report
        from khoi_desktop.core.auth.permissions import require

        with db.reading() as session:
            require(session, Permission.AUDIT)
            return audit_report(session, db.path.stem, compare_backups=backups, deep=deep)

    return job


def export_audit(*, audit_filter: AuditFilter, subtitle: str) -> Job:
    def job(db: Database) -> bytes:
        from khoi_desktop.spreadsheets.audit_export import audit_workbook  # openpyxl: only when exporting

        with db.reading() as session:
            return audit_workbook(session, audit_entries(session, audit_filter), subtitle)

    return job
