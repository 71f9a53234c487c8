"""Losing `office.db.keys` no longer loses the office (issue 23 follow-up): a copy of the key file is kept in the
data folder whenever its slots change, every backup carries it, signing in puts a copy back, `restore` puts the
backup's back, and the message of a missing key file says where the copies are and how to use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from backup_support import backup, seed
from sqlalchemy import func, select

from khoi_desktop.core.audit_log import AuditFilter, audit_entries
from khoi_desktop.core.auth import accounts
from khoi_desktop.core.auth.accounts import LoginRefused
from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.backup.reader import OfficeUnlock
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.keyslots import copies, keyfile
from khoi_desktop.core.keyslots.opening import close, create_encrypted_office, open_signed_in, open_with_recovery
from khoi_desktop.core.keyslots.registry import forget_key
from khoi_desktop.core.models import Member
from khoi_desktop.core.paths import data_dir

ADMIN, ADMIN_PW = "quantri", "mat-khau-quan-tri"
CLERK, CLERK_PW = "chuyenvien", "mat-khau-chuyen-vien"


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, str]:
    """An encrypted office on a "USB stick" (a folder outside the data folder), with an administrator and a
    clerk; closed. Returns (path, recovery key)."""
    path = tmp_path / "usb" / "office.db"
    new = create_encrypted_office(path, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
    seed(new.db)
    with new.db.writing() as session:
        accounts.create_account(session, username=CLERK, full_name="Lê Chuyên Viên", role=Role.CHUYEN_VIEN,
                                password=CLERK_PW)
    close(new.db)
    return path, new.recovery_key


def _members(db_path: Path, user: tuple[str, str]) -> int:
    db = open_signed_in(db_path, *user)
    try:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(Member)) or 0
    finally:
        close(db)


def test_the_key_file_is_copied_to_the_data_folder_when_its_slots_change(office: tuple[Path, str]) -> None:
    path, _ = office
    kept = copies.copies(path)
    assert kept and all(data_dir() in copy.parents for copy in kept)  # on this computer, not beside the file only
    newest = json.loads(kept[0].read_text(encoding="utf-8"))
    assert set(newest["slots"]) == {ADMIN, CLERK} and newest["recovery"] is not None
    assert newest["failures"] == {} and newest["pending_audit"] == []
    count = len(kept)
    with pytest.raises(LoginRefused):  # a wrong password rewrites the key file (its counter), not its slots
        open_signed_in(path, CLERK, "sai-mat-khau")
    assert len(copies.copies(path)) == count
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    with db.writing() as session:
        accounts.change_password(session, ADMIN, ADMIN_PW, "mat-khau-moi-cua-quan-tri")
    close(db)
    assert len(copies.copies(path)) == count + 1


def test_only_the_newest_copies_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    slot = keyfile.Slot("argon2id", "c2FsdA==", "bm9uY2U=", "d3JhcHBlZA==")
    for n in range(copies.KEEP + 2):  # slots as written when accounts are added one after another
        copies.keep_copy(path, keyfile.KeyFile(slots={f"nguoi{i}": slot for i in range(n + 1)}))
    copies.keep_copy(path, keyfile.KeyFile(slots={f"nguoi{i}": slot for i in range(copies.KEEP + 2)}))  # unchanged
    kept = copies.copies(path)
    assert len(kept) == copies.KEEP
    assert len(json.loads(kept[0].read_text(encoding="utf-8"))["slots"]) == copies.KEEP + 2


def test_signing_in_puts_a_lost_key_file_back_from_the_copy(office: tuple[Path, str]) -> None:
    path, _ = office
    keyfile.keyfile_path(path).unlink()
    with pytest.raises(DatabaseError) as missing:  # a wrong password finds no copy that opens
        open_signed_in(path, CLERK, "sai-mat-khau")
    assert missing.value.code == "keyfile_missing" and not keyfile.has_keyfile(path)
    assert str(copies.copy_folder(path)) in missing.value.message
    assert "mã khôi phục" in missing.value.message and "khoi-desktop recover" in missing.value.message
    assert _members(path, (CLERK, CLERK_PW)) == 5
    assert keyfile.has_keyfile(path)
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    with db.reading() as session:
        rows = audit_entries(session, AuditFilter(action="office.keyfile_restored"))
    close(db)
    assert len(rows) == 1 and rows[0].actor == CLERK


def test_the_recovery_key_puts_a_lost_key_file_back(office: tuple[Path, str]) -> None:
    path, recovery_key = office
    keyfile.keyfile_path(path).unlink()
    close(open_with_recovery(path, recovery_key))
    assert _members(path, (ADMIN, ADMIN_PW)) == 5


def test_a_copy_of_another_office_is_not_put_back(office: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = office
    other = tmp_path / "khac" / "office.db"
    close(create_encrypted_office(other, username=CLERK, full_name="Người Khác", password=CLERK_PW).db)
    keyfile.keyfile_path(path).unlink()
    for copy in copies.copies(path):
        copy.unlink()
    with pytest.raises(DatabaseError) as missing:  # the other office's copy opens with the password, not the file
        open_signed_in(path, CLERK, CLERK_PW, extra_key_files=[keyfile.keyfile_path(other)])
    assert missing.value.code == "keyfile_missing" and not keyfile.has_keyfile(path)
    assert "chưa có bản sao tệp khóa nào" in missing.value.message


def test_every_backup_carries_the_key_file_and_restore_puts_it_back(office: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    sealed = backup(db, tmp_path / "usb-khac")
    with_passphrase = backup(db, tmp_path / "usb-khac", passphrase="mat-khau-sao-luu-dai")
    close(db)
    for made in (sealed, with_passphrase):
        carried = copies.carried_in_backup(made)
        assert carried is not None and set(carried.slots) == {ADMIN, CLERK}
    keyfile.keyfile_path(path).unlink()
    for copy in copies.copies(path):
        copy.unlink()
    result = restore_backup(with_passphrase, path, actor="thư ký", passphrase="mat-khau-sao-luu-dai",
                            unlock=OfficeUnlock(username=CLERK, password=CLERK_PW))
    forget_key(path)
    assert keyfile.has_keyfile(path) and _members(path, (ADMIN, ADMIN_PW)) == 5
    assert result.safety_copy is not None and keyfile.has_keyfile(result.safety_copy)
    assert _members(result.safety_copy, (CLERK, CLERK_PW)) == 5  # the file kept aside opens again too
