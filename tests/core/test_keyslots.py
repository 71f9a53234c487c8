"""The office file encrypted at rest (issue 23 item 1): any account opens it with its own password; nothing
opens it without one."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from backup_support import seed
from sqlalchemy import func, select
from sqlalchemy import text as sql

from factories import add_org
from khoi_desktop.core.auth import accounts
from khoi_desktop.core.auth.accounts import LOCKOUT, MAX_FAILED_ATTEMPTS, LoginRefused
from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.keyslots import keyfile
from khoi_desktop.core.keyslots.opening import (
    close,
    create_encrypted_office,
    is_encrypted,
    needs_sign_in,
    new_recovery_key,
    open_signed_in,
    open_with_recovery,
)
from khoi_desktop.core.keyslots.registry import key_for
from khoi_desktop.core.models import Member, Organization, OrgKind
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.tree import load_snapshot

ADMIN, ADMIN_PW = "quantri", "mat-khau-quan-tri"
CLERK, CLERK_PW = "chuyenvien", "mat-khau-chuyen-vien"
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, str]:
    """An encrypted office with a seeded tree (Nguyễn Thị Hương among its members), an administrator and a
    clerk; closed. Returns (path, recovery key)."""
    path = tmp_path / "office.db"
    new = create_encrypted_office(path, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
    seed(new.db)
    with new.db.writing() as session:
        accounts.create_account(session, username=CLERK, full_name="Lê Chuyên Viên", role=Role.CHUYEN_VIEN,
                                password=CLERK_PW)
    close(new.db)
    return path, new.recovery_key


def _all_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_the_file_bytes_hold_no_member_name(office: tuple[Path, str]) -> None:
    path, _ = office
    data = _all_bytes(path)  # the file, any -wal beside it, and the key file
    for text in ("Nguyễn Thị Hương", "Hương", "Chi bộ Văn phòng", "Trần Quản Trị", CLERK_PW):
        assert text.encode("utf-8") not in data
    assert not path.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    assert is_encrypted(path) and needs_sign_in(path)


def test_each_account_opens_it_with_its_own_password(office: tuple[Path, str]) -> None:
    path, _ = office
    for username, password, role in ((ADMIN, ADMIN_PW, Role.QUAN_TRI), (CLERK, CLERK_PW, Role.CHUYEN_VIEN)):
        db = open_signed_in(path, username, password)
        assert db.user is not None and db.user.username == username and db.user.role is role
        with db.reading() as session:  # the ORM's engine speaks SQLCipher
            assert session.scalar(select(func.count()).select_from(Member)) == 5
        with db.plain_reading() as conn:  # the raw readers pass the key too (the window's tree and settings)
            assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 5
            assert {org.code for org in load_snapshot(conn, dt.date(2026, 1, 1)).nodes.values()} >= {"CB01", "CB02"}
            load_settings(conn)
        close(db)
        assert key_for(path) is None


def test_a_wrong_password_opens_nothing_and_counts_toward_the_lockout(office: tuple[Path, str]) -> None:
    path, _ = office
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(LoginRefused, match=f"Còn {MAX_FAILED_ATTEMPTS - attempt} lần thử"):
            open_signed_in(path, CLERK, "khong-phai-mat-khau", now=T0)
        assert key_for(path) is None
        assert keyfile.load(path).failures[CLERK].count == attempt
    with pytest.raises(LoginRefused, match="bị khóa 5 phút"):
        open_signed_in(path, CLERK, "khong-phai-mat-khau", now=T0)
    with pytest.raises(LoginRefused, match="đang bị khóa"):  # locked: even the right password is refused
        open_signed_in(path, CLERK, CLERK_PW, now=T0 + dt.timedelta(minutes=1))
    assert key_for(path) is None
    # Another account is not locked; after the lockout the clerk opens again.
    close(open_signed_in(path, ADMIN, ADMIN_PW, now=T0 + dt.timedelta(minutes=1)))
    db = open_signed_in(path, CLERK, CLERK_PW, now=T0 + LOCKOUT + dt.timedelta(seconds=1))
    with db.reading() as session:
        from sqlalchemy import text

        refused = session.execute(text("SELECT actor, action, after FROM audit_entries WHERE action LIKE "
                                       "'login.%' AND after LIKE '%before_unlock%'")).fetchall()
    close(db)
    # The refusals counted in the key file reach the audit trail once the file is open.
    wrong = [after for actor, action, after in refused if actor == CLERK and "wrong_password" in after]
    assert len(wrong) == MAX_FAILED_ATTEMPTS
    assert any(actor == CLERK and '"locked"' in after for actor, _, after in refused)
    assert any(action == "login.lockout" for _, action, _ in refused)
    assert CLERK not in keyfile.load(path).failures


def test_an_unknown_name_opens_nothing(office: tuple[Path, str]) -> None:
    path, _ = office
    with pytest.raises(LoginRefused, match="Sai tên đăng nhập hoặc mật khẩu"):
        open_signed_in(path, "nguoila", ADMIN_PW)
    assert key_for(path) is None


def test_a_password_change_rewraps_one_slot(office: tuple[Path, str]) -> None:
    path, _ = office
    before = keyfile.load(path)
    db = open_signed_in(path, CLERK, CLERK_PW)
    with db.writing() as session:
        accounts.change_password(session, CLERK, CLERK_PW, "mat-khau-moi-123")
    close(db)
    after = keyfile.load(path)
    assert after.slots[ADMIN] == before.slots[ADMIN] and after.recovery == before.recovery
    assert after.slots[CLERK] != before.slots[CLERK]
    with pytest.raises(LoginRefused):
        open_signed_in(path, CLERK, CLERK_PW)
    close(open_signed_in(path, CLERK, "mat-khau-moi-123"))
    close(open_signed_in(path, ADMIN, ADMIN_PW))


def test_a_password_change_rolled_back_leaves_the_slot(office: tuple[Path, str]) -> None:
    path, _ = office
    before = keyfile.load(path).slots[CLERK]
    db = open_signed_in(path, CLERK, CLERK_PW)
    with pytest.raises(RuntimeError), db.writing() as session:
        accounts.change_password(session, CLERK, CLERK_PW, "mat-khau-moi-123")
        raise RuntimeError("a later step of the same transaction fails")
    close(db)
    assert keyfile.load(path).slots[CLERK] == before
    close(open_signed_in(path, CLERK, CLERK_PW))


def test_a_disabled_account_cannot_open_the_file(office: tuple[Path, str]) -> None:
    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    with db.writing() as session:
        accounts.set_active(session, CLERK, False)
    close(db)
    assert CLERK not in keyfile.load(path).slots
    with pytest.raises(LoginRefused):
        open_signed_in(path, CLERK, CLERK_PW)
    assert key_for(path) is None
    # Enabled again, the account opens the file once the administrator has reset its password.
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    with db.writing() as session:
        accounts.set_active(session, CLERK, True)
        accounts.reset_password(session, CLERK, "mat-khau-dat-lai")
    close(db)
    close(open_signed_in(path, CLERK, "mat-khau-dat-lai"))


def test_the_recovery_key_opens_the_file_when_every_password_is_forgotten(office: tuple[Path, str]) -> None:
    path, recovery = office
    with pytest.raises(LoginRefused, match="Mã khôi phục không đúng"):
        open_with_recovery(path, "AAAA-" * 7 + "AAAA")
    assert key_for(path) is None
    db = open_with_recovery(path, recovery.lower().replace("-", " "))  # as typed from the paper
    with db.writing() as session:
        accounts.reset_password(session, ADMIN, "mat-khau-sau-khi-quen")
    replaced = new_recovery_key(db)
    close(db)
    close(open_signed_in(path, ADMIN, "mat-khau-sau-khi-quen"))
    with pytest.raises(LoginRefused):  # the old recovery key no longer opens it
        open_with_recovery(path, recovery)
    close(open_with_recovery(path, replaced))


def test_a_missing_key_file_is_said_plainly(office: tuple[Path, str]) -> None:
    path, _ = office
    keyfile.keyfile_path(path).rename(path.with_name("elsewhere.keys"))
    from khoi_desktop.core.errors import DatabaseError

    with pytest.raises(DatabaseError, match="không phải cơ sở dữ liệu|không đọc được"):
        open_database(path)
    with pytest.raises(DatabaseError, match="thiếu tệp khóa"):
        from khoi_desktop.core.keyslots.unlock import unlock_with_password

        unlock_with_password(path, ADMIN, ADMIN_PW)


def test_a_plain_file_without_accounts_opens_as_before(tmp_path: Path) -> None:
    path = tmp_path / "fixture.db"
    db = open_database(path, create=True)
    seed(db)
    db.close()
    assert not is_encrypted(path) and not needs_sign_in(path)
    assert "Hương".encode() in _all_bytes(path)  # the same check as above finds the name here


def test_a_backup_of_an_encrypted_office_restores_encrypted(office: tuple[Path, str], tmp_path: Path) -> None:
    from backup_support import backup

    from khoi_desktop.core.backup.restore import restore_backup

    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    made = backup(db, tmp_path / "saoluu", passphrase="mat-khau-sao-luu-dai")  # the snapshot reads the key
    assert "Hương".encode() not in made.read_bytes()
    with db.writing() as session:
        add_org(session, "CB03", "Chi bộ lập sau bản sao lưu", OrgKind.CHI_BO_CO_SO)
    db.close()
    result = restore_backup(made, path, actor="thư ký", user=db.user, passphrase="mat-khau-sao-luu-dai")
    assert "Hương".encode() not in _all_bytes(path) and is_encrypted(path)
    assert result.safety_copy is not None and keyfile.keyfile_path(result.safety_copy).is_file()
    close(db)
    db = open_signed_in(path, CLERK, CLERK_PW)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member).where(Member.code == "DV-HUONG")) == 1
        assert session.scalar(select(func.count()).select_from(Organization).where(Organization.code == "CB03")) == 0
    close(db)
    close(open_signed_in(result.safety_copy, ADMIN, ADMIN_PW))  # the copy aside opens with the same passwords


def test_a_restore_into_a_locked_encrypted_file_is_refused(office: tuple[Path, str], tmp_path: Path) -> None:
    from backup_support import backup

    from khoi_desktop.core.backup.errors import BackupError
    from khoi_desktop.core.backup.restore import restore_backup

    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    made = backup(db, tmp_path / "saoluu", passphrase="mat-khau-sao-luu-dai")
    close(db)
    with pytest.raises(BackupError, match="được mã hóa"):
        restore_backup(made, path, actor="thư ký", passphrase="mat-khau-sao-luu-dai")


def test_a_plain_file_is_converted_keeping_its_data_and_a_plain_copy_aside(tmp_path: Path) -> None:
    from khoi_desktop.core.keyslots.convert import discard_plain_copy, encrypt_file, plain_copies

    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    seed(db)
    with db.writing() as session:
        accounts.create_first_admin(session, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
        accounts.create_account(session, username=CLERK, full_name="Lê Chuyên Viên", role=Role.CHUYEN_VIEN,
                                password=CLERK_PW)
        accounts.create_account(session, username="danghi", full_name="Người Đã Nghỉ", role=Role.CHI_XEM,
                                password="mat-khau-da-nghi")
        accounts.set_active(session, "danghi", False)
    db.close()
    with pytest.raises(Exception, match="quản trị"):
        encrypt_file(path, CLERK, CLERK_PW)
    done = encrypt_file(path, ADMIN, ADMIN_PW)
    assert set(done.accounts) == {ADMIN, CLERK}
    assert plain_copies(path) == [done.plain_copy]
    assert "Hương".encode() in done.plain_copy.read_bytes()  # the copy aside is the plain file, untouched
    assert "Hương".encode() not in _all_bytes(path) and is_encrypted(path)
    # The clerk opens it with the password they had; the first sign-in gives the slot its own salt.
    assert keyfile.load(path).slots[CLERK].kdf == "argon2id-hash"
    db = open_signed_in(path, CLERK, CLERK_PW)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 5
        assert session.execute(select(func.count()).select_from(Organization)).scalar() == 2
    close(db)
    assert keyfile.load(path).slots[CLERK].kdf == "argon2id"
    close(open_signed_in(path, CLERK, CLERK_PW))
    with pytest.raises(LoginRefused):  # a disabled account gets no slot
        open_signed_in(path, "danghi", "mat-khau-da-nghi")
    close(open_with_recovery(path, done.recovery_key))
    with pytest.raises(Exception, match="đã được mã hóa"):
        encrypt_file(path, ADMIN, ADMIN_PW)
    discard_plain_copy(done.plain_copy)
    assert plain_copies(path) == [] and not done.plain_copy.exists()


def test_the_snapshot_of_an_encrypted_file_holds_the_last_commit_even_while_a_reader_pins_the_wal(
        office: tuple[Path, str]) -> None:
    from khoi_desktop.core.backup.snapshot import snapshot_in_memory
    from khoi_desktop.core.engines.sqlite import connect_file

    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    try:
        for pinned in (False, True):
            reader = connect_file(path)
            reader.isolation_level = None
            if pinned:  # an open read transaction keeps the -wal from being emptied: the slower copy runs
                reader.execute("BEGIN")
                reader.execute("SELECT count(*) FROM organizations").fetchone()
            code = f"CB1{int(pinned)}"
            with db.writing() as session:
                add_org(session, code, f"Chi bộ {code}", OrgKind.CHI_BO_CO_SO)
            conn = snapshot_in_memory(path)
            try:
                codes = {row[0] for row in conn.execute("SELECT code FROM organizations")}
                assert code in codes and conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                conn.close()
                reader.close()
    finally:
        close(db)


def test_opening_an_encrypted_file_without_signing_in_says_so(office: tuple[Path, str]) -> None:
    from khoi_desktop.core.errors import DatabaseError

    path, _ = office
    with pytest.raises(DatabaseError, match="được mã hóa: cần đăng nhập") as refused:
        open_database(path)
    assert refused.value.code == "encrypted"


def _count_argon2(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Argon2id run from now on: a key slot's (keyslots/crypto) or a password hash's (auth/passwords)."""
    from khoi_desktop.core.auth import passwords
    from khoi_desktop.core.keyslots import crypto

    runs: list[str] = []
    raw = crypto.hash_secret_raw

    def slot_run(*args: object, **kwargs: object) -> bytes:
        runs.append("slot")
        return raw(*args, **kwargs)  # type: ignore[arg-type]

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def verify(self, *args: object) -> bool:
            runs.append("hash")
            return self.inner.verify(*args)  # type: ignore[attr-defined,no-any-return]

        def hash(self, *args: object) -> str:
            runs.append("hash")
            return self.inner.hash(*args)  # type: ignore[attr-defined,no-any-return]

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    monkeypatch.setattr(crypto, "hash_secret_raw", slot_run)
    monkeypatch.setattr(passwords, "_HASHER", Counting(passwords._HASHER))
    return runs


def test_signing_in_runs_argon2id_once(office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The key slot's Argon2id run proves the password: the account row names the slot its password wrapped."""
    path, _ = office
    runs = _count_argon2(monkeypatch)
    for username, password in ((CLERK, CLERK_PW), (ADMIN, ADMIN_PW)):
        runs.clear()
        db = open_signed_in(path, username, password)
        assert db.user is not None and db.user.username == username
        close(db)
        assert runs == ["slot"]
    runs.clear()
    with pytest.raises(LoginRefused):  # a wrong password still costs one run, and counts
        open_signed_in(path, CLERK, "sai-mat-khau")
    assert runs == ["slot"] and keyfile.load(path).failures[CLERK].count == 1


def test_an_account_row_without_its_slot_named_checks_the_hash_once_then_names_it(
        office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A file from before (or a converted one): the first sign-in checks the hash too, the next ones do not."""
    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    with db.writing() as session:
        session.execute(sql("UPDATE users SET key_slot = NULL"))
    close(db)
    runs = _count_argon2(monkeypatch)
    close(open_signed_in(path, CLERK, CLERK_PW))
    assert runs == ["slot", "hash"]
    runs.clear()
    close(open_signed_in(path, CLERK, CLERK_PW))
    assert runs == ["slot"]


def test_an_old_key_file_does_not_let_an_old_password_in(office: tuple[Path, str]) -> None:
    """The key file of before a password change, put back: its slot opens with the old password, but the
    account names the new slot and its hash is the new password's, so the old one is refused and counted."""
    path, _ = office
    old_keys = keyfile.keyfile_path(path).read_bytes()
    db = open_signed_in(path, CLERK, CLERK_PW)
    with db.writing() as session:
        accounts.change_password(session, CLERK, CLERK_PW, "mat-khau-moi-chuyen-vien")
    close(db)
    keyfile.keyfile_path(path).write_bytes(old_keys)
    with pytest.raises(LoginRefused, match="Sai tên đăng nhập hoặc mật khẩu"):
        open_signed_in(path, CLERK, CLERK_PW)
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    with db.reading() as session:
        clerk = next(a for a in accounts.list_accounts(session) if a.username == CLERK)
    close(db)
    assert clerk.failed_attempts == 1


def test_searches_read_through_one_pooled_connection_with_the_large_cache_of_decrypted_pages(
        office: tuple[Path, str], tmp_path: Path) -> None:
    from khoi_desktop.core.engines.sqlite import CIPHER_CACHE_KIB
    from khoi_desktop.core.members import search_members

    path, _ = office
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    plain = open_database(tmp_path / "plain.db", create=True)
    try:
        seen = set()
        for _ in range(2):  # one reading transaction after another: the same connection, its cache kept
            with db.reading() as session:
                assert [row.code for row in search_members(session, "huong", dt.date(2026, 3, 2))] == ["DV-HUONG"]
                connection = session.connection()
                assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -CIPHER_CACHE_KIB
                seen.add(id(connection.connection.dbapi_connection))
        assert len(seen) == 1 and CIPHER_CACHE_KIB >= 128 * 1024
        with plain.reading() as session:  # a plain file's pages come from the system's cache: SQLite's default
            assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -2000
    finally:
        close(db)
        plain.close()
