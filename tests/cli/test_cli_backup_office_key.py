"""backup, verify and restore of an encrypted office on the command line without a backup passphrase: the
backup stays encrypted, verify says it needs a sign-in, restore on a new machine takes an account or the
recovery key."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import checked_json, secret_file
from factories import add_member, add_org
from khoi_desktop.core.keyslots.opening import close, create_encrypted_office, is_encrypted, open_signed_in
from khoi_desktop.core.keyslots.registry import forget_key
from khoi_desktop.core.models import OrgKind


def test_backup_verify_restore_of_an_encrypted_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = tmp_path / "office.db"
    new = create_encrypted_office(office, username="quantri", full_name="Trần Quản Trị", password="mat-khau-qt-1")
    with new.db.writing() as session:
        add_member(session, "Nguyễn Thị Hương", add_org(session, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO))
    close(new.db)
    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    made = checked_json(capsys, "--user", "quantri", "--password-file", password, "backup", office, "--to",
                        tmp_path / "usb")
    backup = Path(made["path"])
    forget_key(office)
    assert made["encrypted"] and "Hương".encode() not in backup.read_bytes()
    refused = checked_json(capsys, "verify", backup, expect=2)
    assert "sau khi đăng nhập" in refused["errors"][0]["message"]
    checked = checked_json(capsys, "--user", "quantri", "--password-file", password, "verify", backup)
    assert checked["encrypted"] and checked["ok"]
    bad = secret_file(tmp_path, "bad.txt", "sai-mat-khau")
    wrong = checked_json(capsys, "--user", "quantri", "--password-file", bad,
                         "restore", backup, "--to", tmp_path / "moi" / "khoi.db", expect=2)
    assert "Sai tên đăng nhập hoặc mật khẩu" in wrong["errors"][0]["message"]
    assert not (tmp_path / "moi" / "khoi.db").exists()
    checked_json(capsys, "--user", "quantri", "--password-file", password, "restore", backup, "--to",
                 tmp_path / "moi" / "khoi.db")
    target = tmp_path / "moi2" / "khoi.db"
    checked_json(capsys, "restore", backup, "--to", target, "--recovery-key-file",
                 secret_file(tmp_path, "rk.txt", new.recovery_key))
    for restored in (tmp_path / "moi" / "khoi.db", target):
        forget_key(restored)
        assert is_encrypted(restored) and "Hương".encode() not in restored.read_bytes()
        close(open_signed_in(restored, "quantri", "mat-khau-qt-1"))


def test_restore_puts_back_a_lost_key_file_from_the_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The key file is lost and this computer has no copy of it: `restore` of a backup on a USB stick signs in
    with the backup's own copy of the key file and puts it back beside the restored file."""
    from khoi_desktop.core.keyslots import copies, keyfile

    office = tmp_path / "office.db"
    close(create_encrypted_office(office, username="quantri", full_name="Trần Quản Trị", password="mat-khau-qt-1").db)
    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    backup = Path(checked_json(capsys, "--user", "quantri", "--password-file", password, "backup", office, "--to",
                               tmp_path / "usb")["path"])
    forget_key(office)
    keyfile.keyfile_path(office).unlink()
    for copy in copies.copies(office):
        copy.unlink()
    missing = checked_json(capsys, "--user", "quantri", "--password-file", password, "stats", office, expect=2)
    assert "thiếu tệp khóa" in missing["errors"][0]["message"] and "khoibak" in missing["errors"][0]["message"]
    done = checked_json(capsys, "--user", "quantri", "--password-file", password, "restore", backup, "--to", office)
    forget_key(office)
    assert keyfile.has_keyfile(office) and keyfile.has_keyfile(Path(done["safety_copy"]))
    close(open_signed_in(office, "quantri", "mat-khau-qt-1"))
