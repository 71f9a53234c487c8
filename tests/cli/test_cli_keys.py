"""encrypt, recovery-key and recover on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import checked_json, secret_file
from factories import add_member, add_org
from khoi_desktop.core.auth import accounts
from khoi_desktop.core.db import open_database
from khoi_desktop.core.keyslots.opening import close, is_encrypted, open_signed_in
from khoi_desktop.core.models import OrgKind


def test_encrypt_then_recover_then_discard_the_plain_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = tmp_path / "office.db"
    db = open_database(office, create=True)
    with db.writing() as session:
        add_member(session, "Nguyễn Thị Hương", add_org(session, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO))
        accounts.create_first_admin(session, username="quantri", full_name="Trần Quản Trị", password="mat-khau-cu-1")
    db.close()
    password = secret_file(tmp_path, "pw.txt", "mat-khau-cu-1")
    wrong = checked_json(capsys, "encrypt", office, "--user", "quantri", "--password-file",
                         secret_file(tmp_path, "bad.txt", "sai-mat-khau"), expect=2)
    assert "Sai tên đăng nhập hoặc mật khẩu" in wrong["errors"][0]["message"] and not is_encrypted(office)
    done = checked_json(capsys, "encrypt", office, "--user", "quantri", "--password-file", password)
    assert is_encrypted(office) and Path(done["plain_copy"]).exists() and done["accounts"] == ["quantri"]
    assert "Hương".encode() not in office.read_bytes()
    # Every password forgotten: the recovery key printed at encryption resets the administrator's.
    new = secret_file(tmp_path, "new.txt", "mat-khau-moi-2")
    checked_json(capsys, "recover", office, "quantri", "--recovery-key-file",
                 secret_file(tmp_path, "rk.txt", done["recovery_key"]), "--password-file", new)
    close(open_signed_in(office, "quantri", "mat-khau-moi-2"))
    replaced = checked_json(capsys, "recovery-key", office, "--user", "quantri", "--password-file", new)
    assert replaced["recovery_key"] != done["recovery_key"]
    refused = checked_json(capsys, "recover", office, "quantri", "--recovery-key-file",
                           secret_file(tmp_path, "old.txt", done["recovery_key"]), "--password-file", new, expect=2)
    assert "Mã khôi phục không đúng" in refused["errors"][0]["message"]
    discarded = checked_json(capsys, "encrypt", office, "--discard-plain")
    assert discarded["discarded"] == [done["plain_copy"]] and not Path(done["plain_copy"]).exists()


def test_a_command_on_an_encrypted_file_runs_argon2id_once(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The key slot's Argon2id run proves the password to the account row (no second run for its hash)."""
    from khoi_desktop.core.auth import passwords
    from khoi_desktop.core.keyslots import crypto
    from khoi_desktop.core.keyslots.opening import create_encrypted_office
    from khoi_desktop.core.keyslots.registry import forget_key

    office = tmp_path / "office.db"
    close(create_encrypted_office(office, username="quantri", full_name="Trần Quản Trị", password="mat-khau-qt-1").db)
    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    runs: list[str] = []
    raw, verify = crypto.hash_secret_raw, passwords.verify_password
    monkeypatch.setattr(crypto, "hash_secret_raw", lambda *a, **k: runs.append("slot") or raw(*a, **k))
    monkeypatch.setattr(passwords, "verify_password", lambda *a: runs.append("hash") or verify(*a))
    for _ in range(2):
        forget_key(office)
        runs.clear()
        assert checked_json(capsys, "--user", "quantri", "--password-file", password, "stats", office)
        assert runs == ["slot"]
