"""Setting up a server office as the technician does (README «Nhiều máy trạm trên một máy chủ PostgreSQL», steps
5-6) and what a reviewer asks of it: server-init is all or nothing, an office without any account is never worked
on (every workstation connects with the same role), addresses survive being remembered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khoi_desktop.__main__ import main
from khoi_desktop.core import db as core_db
from khoi_desktop.core.errors import DatabaseError
from pg_support import as_administrator, drop, empty_database, migrated_database, with_administrator

PASSWORD = "mat-khau-quan-tri-dai"


def _secret(tmp_path: Path, value: str = PASSWORD) -> Path:
    secret = tmp_path / "quan-tri.txt"
    secret.write_text(value + "\n", encoding="utf-8")
    return secret


def _tables(url: str) -> int:
    count = as_administrator(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0]
    return int(count)


def _error(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    error: dict[str, str] = json.loads(capsys.readouterr().out)["errors"][0]
    return error


def test_server_init_cut_before_the_administrator_keeps_nothing(
        pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """It was two transactions: cut after the schema, the office was left with tables and no account, and every
    workstation then worked on it as an administrator without signing in."""
    from khoi_desktop.core.auth import accounts

    def cut(*_args: object, **_kwargs: object) -> None:
        raise DatabaseError("Mất kết nối tới máy chủ (thử).", code="server_lost")

    url = empty_database()
    try:
        with monkeypatch.context() as patched:
            patched.setattr(accounts, "create_first_admin", cut)
            assert main(["server-init", url, "--admin", "quan_tri", "--password-file", str(_secret(tmp_path)),
                         "--json"]) == 2
        assert _error(capsys)["code"] == "server_lost"
        assert _tables(url) == 0  # nothing kept: still an empty database
        assert main(["server-init", url, "--admin", "quan_tri", "--password-file", str(_secret(tmp_path)),
                     "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["admin"] == "quan_tri"
        assert main(["--user", "quan_tri", "--password-file", str(_secret(tmp_path)), "verify-audit", url]) == 0
    finally:
        drop(url)


def test_server_init_with_a_refused_password_makes_nothing(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = empty_database()
    try:
        assert main(["server-init", url, "--admin", "quan_tri", "--password-file", str(_secret(tmp_path, "ngan")),
                     "--json"]) == 2
        assert _error(capsys)["code"] == "weak_password"
        assert _tables(url) == 0
    finally:
        drop(url)


def test_a_server_office_without_accounts_is_refused_until_server_init_gives_it_an_administrator(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The tables and no account (an older server-init cut halfway, an account-less file moved up): the command
    line worked on it as the operating-system user, an administrator, with no sign-in at all."""
    url = migrated_database()
    try:
        for command in (["stats", url], ["users", url, "list"], ["users", url, "add", "ke_la", "--name", "Kẻ Lạ",
                                                                 "--role", "quan_tri", "--password-file",
                                                                 str(_secret(tmp_path))]):
            assert main([*command, "--json"]) == 2, command
            error = _error(capsys)
            assert error["code"] == "server_no_account", error
            assert "chưa có tài khoản" in error["message"] and "server-init" in error["message"]
        assert as_administrator(url, "SELECT count(*) FROM users") == [(0,)]
        assert main(["server-init", url, "--admin", "quan_tri", "--password-file", str(_secret(tmp_path)),
                     "--json"]) == 0
        capsys.readouterr()
        assert main(["--user", "quan_tri", "--password-file", str(_secret(tmp_path)), "stats", url, "--json"]) == 0
        assert main(["server-init", url, "--admin", "khac", "--password-file", str(_secret(tmp_path)), "--json"]) == 2
        assert "server_not_empty" in capsys.readouterr().out
    finally:
        drop(url)


def test_the_window_refuses_a_server_office_without_accounts(pg: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window offered the first-administrator form to whoever opened it first on any workstation."""
    from khoi_desktop.gui.app import run_with_progress
    from khoi_desktop.gui.worker import DbWorker

    url = migrated_database()
    worker = DbWorker(None, path=url)
    try:
        with pytest.raises(DatabaseError) as refused:
            run_with_progress(worker, worker.open_job(), "Đang kết nối máy chủ dữ liệu…")
        assert refused.value.code == "server_no_account"
    finally:
        worker.close()
        drop(url)


def test_a_file_without_accounts_is_not_moved_to_the_server(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It was moved, and the server office then had no account (worked on by every workstation as its
    administrator); now refused before anything is copied, saying how to give the file its administrator."""
    from khoi_desktop.core.db import open_database

    path = tmp_path / "van-phong.db"
    open_database(path, create=True).close()
    url = empty_database()
    try:
        assert main(["migrate-to-server", str(path), url, "--json"]) == 2
        error = _error(capsys)
        assert error["code"] == "no_account" and "users" in error["message"] and "quan_tri" in error["message"]
        assert _tables(url) == 0
    finally:
        drop(url)


@pytest.mark.parametrize("ca", [
    "C:/khoi/ca-van-phong.pem",
    "C:/Tài liệu/Chứng chỉ & khóa/CA #1.pem",
    "/home/kỹ thuật/ca?a=b&sslmode=disable.pem",
    "D:/a+b/100%/ca.pem",
    r"C:\khoi\ca văn phòng.pem",
])
def test_an_address_comes_back_the_same_once_remembered(ca: str) -> None:
    """ServerAddress.url (what the workstation remembers and opens at the next start) joined the query values
    as they were: a CA file's path with &, # or ? came back cut, or with another sslmode."""
    from urllib.parse import quote

    from khoi_desktop.core.engines.postgres import ServerAddress

    typed = ("postgresql://kh%C3%B4i%40app@may-chu.vanphong.local:5433/khoi%20van%20phong?sslmode=verify-full"
             f"&sslrootcert={quote(ca, safe='/:')}")
    first = ServerAddress.parse(typed)
    assert dict(first.query) == {"sslmode": "verify-full", "sslrootcert": ca}
    again = ServerAddress.parse(first.url)
    assert again == first and again.url == first.url
    assert again.user == "khôi@app" and again.database == "khoi van phong"
    args = again.connect_args()
    assert args["sslrootcert"] == ca and args["sslmode"] == "verify-full" and args["dbname"] == "khoi van phong"


def test_a_plus_typed_in_an_address_is_kept_as_libpq_keeps_it() -> None:
    from khoi_desktop.core.engines.postgres import ServerAddress

    address = ServerAddress.parse("postgresql://khoi_app@may-chu/khoi?sslmode=verify-full&sslrootcert=C:/a+b/ca.pem")
    assert dict(address.query)["sslrootcert"] == "C:/a+b/ca.pem"
    assert ServerAddress.parse(address.url) == address


@pytest.mark.parametrize("command", [["encrypt"], ["recovery-key"], ["recover", "{url}", "quan_tri"],
                                     ["exchange", "{url}", "init", "goi.khoipkg", "--passphrase-file", "a.txt",
                                      "--key-passphrase-file", "b.txt"]])
def test_a_file_only_command_given_a_server_address_says_so(command: list[str],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The address was taken for a path: «Không tìm thấy tệp cơ sở dữ liệu: postgresql:/khoi_app@…» (one
    slash lost, the password's place shown as a folder)."""
    url = "postgresql://khoi_app:bi-mat@may-chu:5432/khoi_vanphong"
    args = [part.format(url=url) for part in command] if len(command) > 1 else [*command, url]
    assert main([*args, "--json"]) == 2
    error = _error(capsys)
    assert error["code"] == "file_only" and "máy chủ" in error["message"], error
    assert "bi-mat" not in error["message"] and "postgresql:/k" not in error["message"]


def test_commands_that_read_an_office_take_a_server_address(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """admissions, admitting-bodies, exchange … status took their FILE as a path: on a server office «Không tìm
    thấy tệp cơ sở dữ liệu», though the contract says an address goes wherever a FILE is taken."""
    from pg_support import with_administrator

    url = migrated_database()
    signed_in = with_administrator(url, tmp_path)
    try:
        for command in (["admitting-bodies", url], ["exchange", url, "status"], ["admissions", url]):
            code = main([*signed_in, *command, "--json"])
            out = capsys.readouterr().out
            assert "not_found" not in out and "Không tìm thấy tệp" not in out, (command, out)
            assert code in (0, 2), (command, out)
            if code == 2:  # refused for the office's content (no term yet), not for its address
                assert json.loads(out)["errors"][0]["code"] not in {"file_not_found", "database_missing"}, out
    finally:
        drop(url)


def test_a_workstation_behind_the_server_schema_is_told_with_a_stable_code(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One workstation updated (its first open upgraded the server's schema), another not yet: refused with the
    generic code «database»; now newer_schema, the message saying it is this workstation to update."""
    url = migrated_database()
    signed_in = with_administrator(url, tmp_path)
    as_administrator(url, "UPDATE alembic_version SET version_num = 'ffff9999'")
    core_db._found_sound.clear()  # as a fresh process on the other workstation finds it
    try:
        assert main([*signed_in, "stats", url, "--json"]) == 2
        error = _error(capsys)
        assert error["code"] == "newer_schema" and "máy trạm" in error["message"], error
    finally:
        drop(url)



def test_logout_of_a_server_office_never_prints_the_password_typed_in_its_address(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """login/logout said «… cho tệp postgresql://khoi_app:MẬT_KHẨU@…»: the role's password on the screen."""
    import keyring.core
    from keyring.backend import KeyringBackend

    class Empty(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("nothing is saved here")

        def delete_password(self, service: str, username: str) -> None:
            return None

    monkeypatch.setattr(keyring.core, "_keyring_backend", Empty())
    assert main(["logout", "postgresql://khoi_app:bi-mat-vai-tro@may-chu:5432/khoi_vanphong"]) == 0
    out = capsys.readouterr().out
    assert "bi-mat-vai-tro" not in out and "khoi_app:***@may-chu" in out and "máy chủ" in out, out


def test_a_backup_without_accounts_is_not_restored_into_a_server_database(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A backup of a file that never had an account was restored into an empty server database: the office
    there had no account, so every workstation worked on it as its administrator. Now refused before anything
    is copied, like migrate-to-server's no_account, saying how to give the office its administrator."""
    from khoi_desktop.core.db import open_database

    path = tmp_path / "van-phong.db"
    open_database(path, create=True).close()
    assert main(["backup", str(path), "--to", str(tmp_path / "sao-luu"), "--json"]) == 0
    made = Path(json.loads(capsys.readouterr().out)["path"])
    url = empty_database()
    try:
        assert main(["restore", str(made), "--to", url, "--json"]) == 2
        error = _error(capsys)
        assert error["code"] == "no_account", error
        assert "chưa có tài khoản" in error["message"] and "quan_tri" in error["message"], error
        assert "khôi phục" in error["message"] and "máy chủ" in error["message"], error
        assert _tables(url) == 0  # nothing copied: still an empty database
        # A file is worked on by the one who holds it: the same backup still restores into a file.
        assert main(["restore", str(made), "--to", str(tmp_path / "lai.db"), "--json"]) == 0
    finally:
        drop(url)


def test_login_on_a_server_office_speaks_of_the_office_not_a_file(
        pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """login on a server office said «Các lệnh trên tệp này sẽ tự đăng nhập…» and «… trên tệp này»: there is no
    file; the office on the server, named without the role's password."""
    import keyring.core
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        saved: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.saved.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.saved[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.saved.pop((service, username), None)

    monkeypatch.setattr(keyring.core, "_keyring_backend", Memory())
    url = migrated_database()
    signed_in = with_administrator(url, tmp_path)
    try:
        assert main([*signed_in, "login", url]) == 0
        out = capsys.readouterr().out
        assert "tệp" not in out, out
        assert "khoi-test" not in out and "văn phòng này" in out, out
        assert main(["logout", url]) == 0
        capsys.readouterr()
    finally:
        drop(url)


def test_a_restore_into_a_server_counts_as_stats_does_and_a_second_one_is_refused_as_a_copy(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """README step 7 compares the restore's numbers with `stats` on the restored office: the restore counted the
    backup's rows («2 tổ chức, 4 đảng viên», the ended chi bộ and the departed member in them) beside stats' 1 and
    2. And into a server database already holding an office it said «chỉ chuyển vào…»: a restore copies."""
    import datetime as dt

    from factories import add_member, add_members, add_org, end_org
    from khoi_desktop.core.auth.accounts import create_first_admin
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.models import OrgKind

    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        create_first_admin(s, username="quan_tri", full_name="Quản trị", password=PASSWORD)
        cb = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cb, 2)
        gone = add_org(s, "CB02", "Chi bộ Đã giải thể", OrgKind.CHI_BO_CO_SO)
        end_org(s, gone, dt.date(2024, 1, 1))
        for membership in add_member(s, "Trần Văn Đi", cb, code="DV-DI").memberships:
            membership.valid_to = dt.date(2024, 6, 1)
        add_member(s, "Lê Văn Cũ", gone, code="DV-CU")
    db.close()
    signed = ["--user", "quan_tri", "--password-file", str(_secret(tmp_path))]
    assert main([*signed, "backup", str(path), "--to", str(tmp_path / "sao-luu"), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)["path"]
    url = empty_database()
    try:
        assert main(["restore", made, "--to", url]) == 0
        said = capsys.readouterr().out
        assert main([*signed, "stats", url]) == 0
        counted = capsys.readouterr().out.strip().split(": ", 1)[1]  # «1 TCCSĐ (…), …, 2 đảng viên (0 dự bị).»
        assert f"(cách đếm của lệnh stats): {counted}" in said, (said, counted)
        assert "Bản sao lưu có 2 tổ chức và 4 đảng viên trong hồ sơ, kể cả" in said and "2 tổ chức, 4" not in said
        assert main(["restore", made, "--to", url, "--json"]) == 2
        error = _error(capsys)
        assert error["code"] == "server_not_empty", error
        assert "chép" in error["message"] and "chuyển" not in error["message"], error
    finally:
        drop(url)
    url = empty_database()
    try:
        assert main(["restore", made, "--to", url, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert (data["stats"]["tccsd"], data["stats"]["members"]) == (1, 2), data
        assert data["manifest"]["counts"]["organizations"] == 2 and data["manifest"]["counts"]["members"] == 4
    finally:
        drop(url)
