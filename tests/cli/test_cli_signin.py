"""The command line signs in (issue 23, item 2): the attacks of a shared Windows login, replayed.

A chi_xem clerk cannot reset the administrator's password or raise a role; LOGNAME/USER/USERNAME name nobody
in the audit trail; a wrong password is refused and counts toward the lockout; a sign-in saved in the OS
credential store (keyring) works until `logout`; the backup account makes backups and nothing else.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import keyring.core
import pytest
from argon2 import PasswordHasher, Type
from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential
from keyring.errors import PasswordDeleteError
from sqlalchemy import select

from factories import add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.cli.credentials import service_for
from khoi_desktop.core.auth import accounts, passwords
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import AuditEntry, OrgKind
from khoi_desktop.core.os_account import os_user
from signin_support import signed_in

PASSWORDS = {"admin": "mat-khau-quan-tri", "xem1": "mat-khau-chi-xem", "vanthu": "mat-khau-van-thu",
             "saoluu": "mat-khau-sao-luu"}


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                              type=Type.ID))


class MemoryKeyring(KeyringBackend):
    """A credential store in memory: what Windows Credential Manager does, without touching the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError(username)

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        for (saved_service, saved_user), password in self.saved.items():
            if saved_service == service and username in (None, saved_user):
                return SimpleCredential(saved_user, password)
        return None


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Any:
    store = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", store)  # undone exactly after the test
    yield store


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A chi bộ of 3, and four accounts: administrator, read-only clerk, clerk, scheduled backup."""
    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        add_members(s, add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO), 3)
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password=PASSWORDS["admin"])
    db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with db.writing() as s:
        for name, role in (("xem1", Role.CHI_XEM), ("vanthu", Role.CHUYEN_VIEN), ("saoluu", Role.SAO_LUU)):
            accounts.create_account(s, username=name, full_name=f"Người {name}", role=role, password=PASSWORDS[name])
    db.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, dict[str, Any]]:
    code = main([*map(str, argv), "--json"])
    out, _err = capsys.readouterr()
    return code, json.loads(out)


def as_user(name: str, office: Path, password: str | None = None) -> list[str]:
    return signed_in(office, name, password or PASSWORDS[name])


def accounts_table(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT username, role, password_hash, active, failed_attempts, locked_until "
                            "FROM users ORDER BY username").fetchall()
    finally:
        conn.close()


def entries(path: Path, after_id: int = 0) -> list[AuditEntry]:
    db = open_database(path)
    try:
        with db.reading() as s:
            found = list(s.scalars(select(AuditEntry).where(AuditEntry.id > after_id).order_by(AuditEntry.id)))
            s.expunge_all()
            return found
    finally:
        db.close()


def last_id(path: Path) -> int:
    return max((e.id for e in entries(path)), default=0)


# --- a shared Windows login ------------------------------------------------------------------------

def test_nobody_signed_in_is_refused(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    new = tmp_path / "mk.txt"
    new.write_text("mat-khau-moi-cua-toi\n", encoding="utf-8")
    before = accounts_table(office)
    for argv in (("users", office, "reset", "admin", "--password-file", new), ("users", office, "role", "xem1",
                 "quan_tri"), ("members", office), ("check", office), ("backup", office, "--to", tmp_path / "bk")):
        code, data = run(capsys, *argv)
        assert code == 2 and data["errors"][0]["code"] == "sign_in_required", argv
    assert accounts_table(office) == before and not (tmp_path / "bk").exists()


def test_the_tree_and_its_counts_of_a_plain_file_need_no_sign_in(capsys: pytest.CaptureFixture[str],
                                                                 office: Path) -> None:
    """They name no person (the contract's `stats FILE --json`); given sign-in options are still checked."""
    code, data = run(capsys, "stats", office)
    assert code == 0 and data["members"] > 0
    code, data = run(capsys, "orgs", office)
    assert code == 0 and data["orgs"] and not any("full_name" in row for row in data["orgs"])
    code, data = run(capsys, *as_user("xem1", office, "doan-bua"), "stats", office)
    assert code == 2 and data["errors"][0]["code"] == "login_refused"


def test_a_read_only_clerk_cannot_reset_the_administrator_or_raise_a_role(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    new = tmp_path / "mk.txt"
    new.write_text("mat-khau-moi-cua-toi\n", encoding="utf-8")
    before, audit_before = accounts_table(office), last_id(office)
    code, data = run(capsys, *as_user("xem1", office), "users", office, "reset", "admin", "--password-file", new)
    assert code == 2 and data["errors"][0]["code"] == "permission_denied"
    assert "xem1" in data["errors"][0]["message"] and "Chỉ xem" in data["errors"][0]["message"]
    code, data = run(capsys, *as_user("xem1", office), "users", office, "role", "xem1", "quan_tri")
    assert code == 2 and data["errors"][0]["code"] == "permission_denied"
    # A clerk who drafts decisions may not manage accounts either: resetting a password needs quan_tri.
    code, data = run(capsys, *as_user("vanthu", office), "users", office, "reset", "admin", "--password-file", new)
    assert code == 2 and data["errors"][0]["code"] == "permission_denied"
    assert accounts_table(office) == before and last_id(office) == audit_before
    # The same clerk may still read.
    code, data = run(capsys, *as_user("xem1", office), "members", office)
    assert code == 0 and len(data["members"]) == 3


def test_the_administrator_still_can(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    new = tmp_path / "mk.txt"
    new.write_text("mat-khau-moi-cua-xem1\n", encoding="utf-8")
    assert run(capsys, *as_user("admin", office), "users", office, "reset", "xem1", "--password-file", new)[0] == 0
    assert run(capsys, *as_user("admin", office), "users", office, "role", "xem1", "chuyen_vien")[0] == 0
    assert run(capsys, *as_user("xem1", office, "mat-khau-moi-cua-xem1"), "stats", office)[0] == 0


# --- the actor is the account, the OS user comes from the OS ----------------------------------------

@pytest.mark.parametrize("variable", ["LOGNAME", "USER", "USERNAME", "LNAME"])
def test_a_forged_environment_names_nobody(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "admin")
    start = last_id(office)
    code, data = run(capsys, *as_user("vanthu", office), "backup", office, "--to", tmp_path / "bk")
    assert code == 0, data
    written = entries(office, start)
    assert [(e.actor, e.action, e.os_user) for e in written] == [("vanthu", "backup", os_user())]
    assert os_user() != "admin"
    audit = run(capsys, *as_user("admin", office), "audit", office, "--action", "backup")[1]["entries"]
    assert (audit[0]["actor"], audit[0]["os_user"]) == ("vanthu", os_user())


def test_a_file_without_accounts_names_the_os_user_not_the_environment(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "moi.db"
    open_database(path, create=True).close()
    monkeypatch.setenv("LOGNAME", "admin")
    monkeypatch.setenv("USER", "admin")
    monkeypatch.setenv("USERNAME", "admin")
    assert run(capsys, "backup", path, "--to", tmp_path / "bk")[0] == 0
    assert [(e.actor, e.action) for e in entries(path)] == [(os_user(), "backup")]


# --- wrong passwords and the lockout -----------------------------------------------------------------

def test_a_wrong_password_is_refused_and_counts_toward_the_lockout(capsys: pytest.CaptureFixture[str],
                                                                   office: Path, tmp_path: Path) -> None:
    start = last_id(office)
    for attempt in range(1, accounts.MAX_FAILED_ATTEMPTS):
        code, data = run(capsys, *as_user("vanthu", office, "doan-bua"), "members", office)
        assert code == 2 and data["errors"][0]["code"] == "login_refused"
        assert f"Còn {accounts.MAX_FAILED_ATTEMPTS - attempt} lần thử" in data["errors"][0]["message"]
    assert [row[4] for row in accounts_table(office) if row[0] == "vanthu"] == [accounts.MAX_FAILED_ATTEMPTS - 1]
    code, data = run(capsys, *as_user("vanthu", office, "doan-bua"), "members", office)
    assert code == 2 and "bị khóa" in data["errors"][0]["message"]
    # Locked: even the right password opens nothing now.
    code, data = run(capsys, *as_user("vanthu", office), "backup", office, "--to", tmp_path / "bk")
    assert code == 2 and "đang bị khóa" in data["errors"][0]["message"]
    assert not (tmp_path / "bk").exists()
    written = entries(office, start)
    assert [e.action for e in written] == ["login.failed"] * accounts.MAX_FAILED_ATTEMPTS + ["login.lockout",
                                                                                              "login.failed"]
    assert {(e.actor, e.os_user) for e in written} == {("vanthu", os_user())}
    assert all(json.loads(e.after)["during"] == "cli" for e in written if e.action == "login.failed")


def test_an_unknown_account_is_refused(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    code, data = run(capsys, *signed_in(office, "khong-co", "mat-khau-bat-ky"), "members", office)
    assert code == 2 and data["errors"][0]["message"] == "Sai tên đăng nhập hoặc mật khẩu."


def test_a_right_password_after_a_wrong_one_clears_the_count(capsys: pytest.CaptureFixture[str],
                                                            office: Path) -> None:
    assert run(capsys, *as_user("xem1", office, "doan-bua"), "stats", office)[0] == 2
    assert run(capsys, *as_user("xem1", office), "stats", office)[0] == 0
    assert [row[4] for row in accounts_table(office) if row[0] == "xem1"] == [0]


def test_a_password_file_needs_a_user(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    secret = tmp_path / "mk.txt"
    secret.write_text("mat-khau-quan-tri\n", encoding="utf-8")
    code, data = run(capsys, "--password-file", secret, "members", office)
    assert code == 2 and "--user" in data["errors"][0]["message"]


def test_a_successful_read_writes_nothing(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    before = office.read_bytes()
    assert run(capsys, *as_user("xem1", office), "members", office)[0] == 0
    assert run(capsys, *as_user("xem1", office), "stats", office)[0] == 0
    assert office.read_bytes() == before


# --- a sign-in saved in the OS credential store --------------------------------------------------------

def test_login_saves_the_sign_in_and_logout_forgets_it(capsys: pytest.CaptureFixture[str], office: Path,
                                                       tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    code, data = run(capsys, *as_user("saoluu", office), "login", office)
    assert code == 0 and (data["user"], data["role"]) == ("saoluu", "sao_luu")
    assert memory_keyring.saved == {(service_for(office), "saoluu"): PASSWORDS["saoluu"]}
    start = last_id(office)
    code, data = run(capsys, "backup", office, "--to", tmp_path / "bk")  # no option: the saved sign-in
    assert code == 0, data
    assert [(e.actor, e.action) for e in entries(office, start)] == [("saoluu", "backup")]
    code, data = run(capsys, "logout", office)
    assert code == 0 and data["user"] == "saoluu" and memory_keyring.saved == {}
    code, data = run(capsys, "backup", office, "--to", tmp_path / "bk")
    assert code == 2 and data["errors"][0]["code"] == "sign_in_required"


def test_login_with_a_wrong_password_saves_nothing(capsys: pytest.CaptureFixture[str], office: Path,
                                                   memory_keyring: MemoryKeyring) -> None:
    code, data = run(capsys, *as_user("saoluu", office, "doan-bua"), "login", office)
    assert code == 2 and data["errors"][0]["code"] == "login_refused"
    assert memory_keyring.saved == {}
    assert [row[4] for row in accounts_table(office) if row[0] == "saoluu"] == [1]


def test_a_saved_password_that_no_longer_holds_is_refused_and_counted(
        capsys: pytest.CaptureFixture[str], office: Path, memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(service_for(office), "vanthu", "mat-khau-cu")
    code, data = run(capsys, "members", office)
    assert code == 2 and "lệnh «login»" in data["errors"][0]["message"]
    assert [row[4] for row in accounts_table(office) if row[0] == "vanthu"] == [1]


def test_a_saved_sign_in_is_for_its_own_file(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path,
                                             memory_keyring: MemoryKeyring) -> None:
    assert run(capsys, *as_user("admin", office), "login", office)[0] == 0
    other = tmp_path / "khac.db"
    other.write_bytes(office.read_bytes())
    code, data = run(capsys, "members", other)
    assert code == 2 and data["errors"][0]["code"] == "sign_in_required"


def test_login_warns_when_it_saves_more_than_a_backup_account(capsys: pytest.CaptureFixture[str],
                                                              office: Path) -> None:
    assert main([*as_user("admin", office), "login", str(office)]) == 0
    out = capsys.readouterr().out
    assert "Lưu ý: ai dùng được tài khoản máy" in out and "Chỉ sao lưu" in out


# --- the backup account ----------------------------------------------------------------------------------

def test_the_backup_account_backs_up_and_nothing_else(capsys: pytest.CaptureFixture[str], office: Path,
                                                      tmp_path: Path) -> None:
    code, data = run(capsys, *as_user("saoluu", office), "backup", office, "--to", tmp_path / "bk", "--rotate")
    assert code == 0 and Path(data["path"]).is_file()
    backup = Path(data["path"])
    request = tmp_path / "yc.json"
    request.write_text(json.dumps({"action": "transfer", "org": "CB01", "to": None}), encoding="utf-8")
    before = office.read_bytes()
    for argv in (("stats", office), ("orgs", office), ("members", office), ("check", office),
                 ("decisions", office), ("export", office, "members", "-o", tmp_path / "ds.xlsx"),
                 ("audit", office), ("verify-audit", office), ("users", office, "list"),
                 ("users", office, "role", "saoluu", "quan_tri"), ("apply", office, request),
                 ("restore", backup, "--to", office)):
        code, data = run(capsys, *as_user("saoluu", office), *argv)
        assert code == 2 and data["errors"][0]["code"] == "permission_denied", argv
    assert office.read_bytes() == before and not (tmp_path / "ds.xlsx").exists()


# --- files without any account -----------------------------------------------------------------------

def test_a_new_file_gets_its_first_administrator_then_needs_a_sign_in(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "moi.db"
    open_database(path, create=True).close()
    secret = tmp_path / "mk.txt"
    secret.write_text("mat-khau-dau-tien\n", encoding="utf-8")
    assert run(capsys, "stats", path)[0] == 0  # nobody to sign in as yet
    code, data = run(capsys, "users", path, "add", "vanthu", "--name", "Văn thư", "--role", "chuyen_vien",
                     "--password-file", secret)
    assert code == 2 and data["errors"][0]["code"] == "first_account_admin"
    code, data = run(capsys, *signed_in(path, "ai", "mat-khau"), "stats", path)
    assert code == 2 and "chưa có tài khoản nào" in data["errors"][0]["message"]
    code, data = run(capsys, "users", path, "add", "quantri", "--name", "Quản trị", "--role", "quan_tri",
                     "--password-file", secret)
    assert code == 0 and data["user"]["role"] == "quan_tri"
    assert run(capsys, "members", path)[1]["errors"][0]["code"] == "sign_in_required"
    assert run(capsys, *signed_in(path, "quantri", "mat-khau-dau-tien"), "members", path)[0] == 0


# --- an encrypted file (cipher's key slots) ----------------------------------------------------------------

def test_an_encrypted_file_opens_with_the_account_s_own_password(capsys: pytest.CaptureFixture[str],
                                                                  office: Path, tmp_path: Path) -> None:
    from khoi_desktop.core.keyslots.convert import encrypt_file
    from khoi_desktop.core.keyslots.keyfile import load
    from khoi_desktop.core.keyslots.opening import is_encrypted
    from khoi_desktop.core.keyslots.registry import forget_key

    encrypt_file(office, "admin", PASSWORDS["admin"])
    forget_key(office)  # as a new process: nothing unlocked yet
    assert is_encrypted(office)
    code, data = run(capsys, "members", office)
    assert code == 2 and data["errors"][0]["code"] == "sign_in_required"
    code, data = run(capsys, *as_user("admin", office, "doan-bua"), "members", office)
    assert code == 2 and data["errors"][0]["code"] == "login_refused"
    assert load(office).failures["admin"].count == 1  # counted toward the lockout in the key file
    forget_key(office)
    code, data = run(capsys, *as_user("admin", office), "members", office)
    assert code == 0 and len(data["members"]) == 3
    forget_key(office)
    code, data = run(capsys, *as_user("xem1", office), "users", office, "list")
    assert code == 2 and data["errors"][0]["code"] == "permission_denied"


def test_sign_in_options_after_the_command_say_where_they_go(capsys: pytest.CaptureFixture[str],
                                                             office: Path) -> None:
    code, data = run(capsys, "members", office, "--user", "admin")
    assert code == 2 and "đặt trước tên lệnh" in data["errors"][0]["message"]
