"""Backups stay encrypted (issue 23): a backup of an encrypted office taken without a passphrase (automatic,
on close, USB) is sealed with a key derived from the office's key and carries its key slots, so it restores on
a new machine with an account's password or the recovery key, and with nothing else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from backup_support import backup, seed
from sqlalchemy import func, select

from khoi_desktop.core.auth import accounts
from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.backup.office_key import SIGN_IN_REQUIRED, WRONG_ACCOUNT
from khoi_desktop.core.backup.reader import OfficeUnlock, inspect_backup, verify_backup
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.keyslots import keyfile
from khoi_desktop.core.keyslots.opening import (
    close,
    create_encrypted_office,
    is_encrypted,
    open_signed_in,
    open_with_recovery,
)
from khoi_desktop.core.keyslots.registry import forget_key
from khoi_desktop.core.models import Member

ADMIN, ADMIN_PW = "quantri", "mat-khau-quan-tri"
CLERK, CLERK_PW = "chuyenvien", "mat-khau-chuyen-vien"
NAMES = ("Nguyễn Thị Hương", "Hương", "Chi bộ Văn phòng", "Trần Quản Trị")


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    """A passphrase-less backup of an encrypted office (the office has an administrator and a clerk).
    Returns (backup, recovery key)."""
    path = tmp_path / "office" / "office.db"
    path.parent.mkdir()
    new = create_encrypted_office(path, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
    seed(new.db)
    with new.db.writing() as session:
        accounts.create_account(session, username=CLERK, full_name="Lê Chuyên Viên", role=Role.CHUYEN_VIEN,
                                password=CLERK_PW)
    result = backup(new.db, tmp_path / "usb")
    close(new.db)
    return result, new.recovery_key


def _members(db_path: Path, *, recovery_key: str | None = None, user: tuple[str, str] | None = None) -> int:
    db = open_with_recovery(db_path, recovery_key) if recovery_key else open_signed_in(db_path, *(user or ("", "")))
    try:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(Member).where(Member.code == "DV-HUONG")) or 0
    finally:
        close(db)


def test_a_backup_without_passphrase_holds_no_member_name(made: tuple[Path, str]) -> None:
    path, _ = made
    data = path.read_bytes()
    for text in NAMES:
        assert text.encode("utf-8") not in data
    assert inspect_backup(path).encrypted
    assert b"SQLite format 3" not in data


def test_it_restores_on_a_new_machine_with_an_account_password(made: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = made
    target = tmp_path / "may-moi" / "khoi.db"
    restore_backup(path, target, actor="thư ký", user=None, unlock=OfficeUnlock(username=CLERK, password=CLERK_PW))
    assert is_encrypted(target) and keyfile.keyfile_path(target).is_file()
    assert "Hương".encode() not in target.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(target).execute("SELECT count(*) FROM sqlite_master").fetchone()
    forget_key(target)
    assert _members(target, user=(ADMIN, ADMIN_PW)) == 1
    assert _members(target, user=(CLERK, CLERK_PW)) == 1


def test_it_restores_with_the_recovery_key(made: tuple[Path, str], tmp_path: Path) -> None:
    path, recovery_key = made
    target = tmp_path / "may-moi" / "khoi.db"
    restore_backup(path, target, actor="thư ký", unlock=OfficeUnlock(recovery_key=recovery_key))
    assert is_encrypted(target)
    assert _members(target, recovery_key=recovery_key) == 1
    assert _members(target, user=(ADMIN, ADMIN_PW)) == 1


def test_a_wrong_password_is_refused_and_writes_nothing(made: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = made
    folder = tmp_path / "may-moi"
    for unlock in (OfficeUnlock(username=ADMIN, password="sai-mat-khau"), OfficeUnlock(username="ai-do", password="x"),
                   OfficeUnlock(recovery_key="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")):
        with pytest.raises(BackupError) as refused:
            restore_backup(path, folder / "khoi.db", actor="thư ký", unlock=unlock)
        assert refused.value.code == WRONG_ACCOUNT
    with pytest.raises(BackupError) as refused:
        restore_backup(path, folder / "khoi.db", actor="thư ký")
    assert refused.value.code == SIGN_IN_REQUIRED and "đăng nhập" in refused.value.message
    assert not folder.exists() or not any(folder.iterdir())


def test_verify_needs_the_key_and_says_so(made: tuple[Path, str]) -> None:
    path, _ = made
    with pytest.raises(BackupError, match="chỉ mở hoặc kiểm tra được sau khi đăng nhập") as refused:
        verify_backup(path)
    assert refused.value.code == SIGN_IN_REQUIRED
    opened = verify_backup(path, unlock=OfficeUnlock(username=ADMIN, password=ADMIN_PW))
    assert opened.encrypted and opened.manifest.members > 0


def test_the_live_office_restores_its_own_backup_with_its_key(made: tuple[Path, str]) -> None:
    path, _ = made
    office = path.parent.parent / "office" / "office.db"
    db = open_signed_in(office, ADMIN, ADMIN_PW)
    db.close()  # the key stays held for the file: the restore uses it, no password asked again
    result = restore_backup(path, office, actor="thư ký", user=db.user)
    close(db)
    assert is_encrypted(office) and result.safety_copy is not None
    assert _members(office, user=(CLERK, CLERK_PW)) == 1


def test_a_plain_office_still_makes_a_plain_backup(tmp_path: Path) -> None:
    from khoi_desktop.core.db import open_database

    db = open_database(tmp_path / "plain.db", create=True)
    seed(db)
    made = backup(db, tmp_path / "usb")
    db.close()
    assert not inspect_backup(made).encrypted and made.read_bytes()[8] == 1  # format 1, as older versions read
    target = tmp_path / "restored.db"
    restore_backup(made, target, actor="thư ký")
    assert not is_encrypted(target) and not keyfile.keyfile_path(target).exists()


def test_a_passphrase_backup_of_an_encrypted_office_works_as_before(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    new = create_encrypted_office(path, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
    seed(new.db)
    made = backup(new.db, tmp_path / "usb", passphrase="mat-khau-sao-luu-dai")
    close(new.db)
    assert made.read_bytes()[8] == 1
    opened = verify_backup(made, "mat-khau-sao-luu-dai")
    assert opened.encrypted and opened.database_key is None


def test_another_offices_backup_restored_over_an_encrypted_office_brings_its_key_file(
        made: tuple[Path, str], tmp_path: Path) -> None:
    """A new machine whose first start made an office of its own: the old office's backup restored over it
    keeps the old office's key and key slots, so its own accounts open it; the new one's go with the file
    kept aside."""
    path, _ = made
    here = tmp_path / "may-moi" / "khoi.db"
    fresh = create_encrypted_office(here, username="moi", full_name="Quản Trị Mới", password="mat-khau-may-moi")
    fresh.db.close()  # the key stays held, as in the window before a restore
    with pytest.raises(BackupError) as refused:  # the open office's key does not open it: an account is asked
        restore_backup(path, here, actor="moi", user=fresh.user)
    assert refused.value.code == WRONG_ACCOUNT
    result = restore_backup(path, here, actor="moi", user=fresh.user,
                            unlock=OfficeUnlock(username=CLERK, password=CLERK_PW))
    forget_key(here)
    assert set(keyfile.load(here).slots) == {ADMIN, CLERK}
    assert _members(here, user=(ADMIN, ADMIN_PW)) == 1
    assert result.safety_copy is not None and set(keyfile.load(result.safety_copy).slots) == {"moi"}
    close(open_signed_in(result.safety_copy, "moi", "mat-khau-may-moi"))
