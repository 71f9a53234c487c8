"""The technician's and the clerk's walk of a server office (README: «Nhiều máy trạm trên một máy chủ
PostgreSQL»): what they are told when the password, the address, the CA file or the server itself is wrong,
in Vietnamese, without the driver's English, a traceback or a password, with a failing exit code."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import keyring.core
import psycopg
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError
from sqlalchemy.exc import OperationalError

from khoi_desktop.__main__ import main
from khoi_desktop.core.db import server_fault
from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.faults import known_fault
from pg_support import migrated_database

LABEL = "cơ sở dữ liệu khoi_vanphong trên máy chủ may-chu"
ENGLISH = ("connection", "failed", "password", "does not", "error", "server at")


def _english_free(message: str) -> None:
    assert not any(word in message.lower() for word in ENGLISH), message


class NoStore(KeyringBackend):
    """A Linux without the Secret Service: keyring's fail backend."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("No recommended backend was available.")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("No recommended backend was available.")


def test_server_password_without_a_credential_store_is_refused_in_vietnamese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", NoStore())
    secret = tmp_path / "tam.txt"
    secret.write_text("bi-mat-cua-vai-tro\n", encoding="utf-8")
    code = main(["server-password", "postgresql://khoi_app@may-chu:5432/khoi_vanphong", "--password-file",
                 str(secret)])
    err = capsys.readouterr().err
    assert code == 2  # a refusal, not an "unexpected fault" (1)
    assert "kho mật khẩu" in err and "Không có gì được lưu" in err
    assert "Lỗi không mong đợi" not in err and "NoKeyringError" not in err and "bi-mat" not in err


# libpq's own words (psycopg 3, libpq 16), as the walk met them.
_AT = 'connection failed: connection to server at "10.0.0.5", port 5432 failed: '


@pytest.mark.parametrize(("reason", "code", "said"), [
    (_AT + "fe_sendauth: no password supplied", "server_auth", "server-password"),
    (_AT + 'FATAL:  password authentication failed for user "khoi_app"', "server_auth", "tài khoản khoi_app"),
    (_AT + 'FATAL:  database "khoi_vp" does not exist', "no_server_database", "cơ sở dữ liệu khoi_vp"),
    (_AT + 'root certificate file "C:/khoi/ca.pem" does not exist\nEither provide the file, use the system\'s '
     "trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.",
     "server_tls", "Không có tệp CA C:/khoi/ca.pem"),
    (_AT + 'could not read root certificate file "C:/khoi/ca.txt": no certificate or crl found', "server_tls",
     "Tệp CA C:/khoi/ca.txt"),
    (_AT + "SSL error: certificate verify failed", "server_tls", "CA của văn phòng"),
    (_AT + "server does not support SSL, but SSL was required", "server_tls", "ssl = on"),
    (_AT + "Connection refused", "server_unreachable", "ở cổng 5432: dịch vụ PostgreSQL chưa chạy, sai cổng"),
    ("failed to resolve host 'may-chu': [Errno -2] Name or service not known", "server_unreachable",
     "tên may-chu"),
])
def test_a_refused_connection_is_told_in_vietnamese(reason: str, code: str, said: str) -> None:
    fault = server_fault(OperationalError("connect", {}, psycopg.OperationalError(reason)), LABEL)
    assert fault.code == code and said in fault.message
    _english_free(fault.message.replace("server-password", "").replace("ssl = on", ""))


def _on_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{host[0]}@127.0.0.1:{port}"))


def test_a_wrong_port_or_database_name_is_refused_in_vietnamese_with_a_failing_code(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "p.txt"
    secret.write_text("x\n", encoding="utf-8")
    missing = urlunsplit(urlsplit(pg)._replace(path="/khong_co_csdl_nay"))
    closed = _on_port(pg, 1)  # nothing listens there
    password = urlsplit(pg).password
    for url, said in ((missing, "không có cơ sở dữ liệu khong_co_csdl_nay"), (closed, "không nhận kết nối")):
        assert main(["--user", "a", "--password-file", str(secret), "stats", url]) == 2
        err = capsys.readouterr().err
        assert said in err, err
        _english_free(err)
        assert not password or password not in err


def test_the_server_lost_mid_command_is_a_vietnamese_refusal() -> None:
    lost = OperationalError("SELECT 1", {}, psycopg.OperationalError("the connection is lost"))
    fault = known_fault(lost)
    assert isinstance(fault, DatabaseError) and fault.code == "server_lost"
    assert "Mất kết nối tới máy chủ" in fault.message
    _english_free(fault.message)
    assert known_fault(OperationalError("SELECT 1", {}, psycopg.errors.SyntaxError("bad"))) is None


def test_a_command_cut_by_a_stopped_server_says_so_and_fails(
        pg: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The server gone while `backup` reads it (psycopg raises "the connection is lost" there): a Vietnamese
    refusal, exit code 2, no backup file left."""


    from pg_support import with_administrator

    url = migrated_database()
    signed_in = with_administrator(url, tmp_path)

    def cut(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("COPY", {}, psycopg.OperationalError("the connection is lost"))

    monkeypatch.setattr("khoi_desktop.core.backup.copied.copy_server", cut)
    out = tmp_path / "SaoLuu"
    out.mkdir()
    code = main([*signed_in, "backup", url, "--to", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Mất kết nối tới máy chủ" in err and "Lỗi không mong đợi" not in err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("url", [
    "postgresql://khoi_app:ab#cd@may-chu:5432/khoi_vanphong",  # unencoded #: urlsplit took it for the fragment
    "postgresql://khoi_app:ab/cd@may-chu:5432/khoi_vanphong",
    "postgresql://khoi_app:a@b?cd@may-chu:5432/khoi_vanphong",
    "postgresql://khoi_app:abcd@may-chu:cong/khoi_vanphong",
])
def test_a_password_typed_in_a_wrong_address_is_never_printed(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", url]) == 2
    err = capsys.readouterr().err
    assert "khoi_app:***@" in err, err
    for piece in ("ab#cd", "ab/cd", "a@b?cd", "abcd@", "cd@"):
        assert piece not in err


def test_server_init_into_a_database_the_role_does_not_own_says_so(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The server's own `postgres` database (PostgreSQL 15: no CREATE on its public schema for other roles) typed
    in place of the office's: said plainly, nothing created; it said «Không kết nối được … (máy chủ báo:
    permission denied for schema public). Hãy kiểm tra máy chủ đang chạy»."""
    from pg_support import as_administrator, with_database

    secret = tmp_path / "qt.txt"
    secret.write_text("mat-khau-quan-tri-dai\n", encoding="utf-8")
    url = with_database(pg, "postgres")
    assert main(["server-init", url, "--admin", "qt", "--password-file", str(secret), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["errors"][0]
    assert error["code"] == "server_rights" and "OWNER" in error["message"]
    _english_free(error["message"])
    assert as_administrator(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_an_unexpected_fault_logs_the_command_without_the_password_of_its_address(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    from khoi_desktop.cli import main as cli

    def boom(_args: object) -> object:
        raise RuntimeError("hỏng bất ngờ")

    monkeypatch.setitem(cli.COMMANDS, "stats", boom)
    with caplog.at_level("ERROR"):
        assert main(["stats", "postgresql://khoi_app:Rat-Bi-Mat@may-chu:5432/khoi_vanphong"]) == 1
    capsys.readouterr()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "unexpected fault" in logged and "khoi_app:***@may-chu" in logged
    assert "Rat-Bi-Mat" not in logged


@pytest.mark.parametrize(("query", "said"), [
    ("sslmode=verify_full", "sslmode=verify-full (có gạch nối)"),
    ("ssl=true", "tùy chọn «ssl»"),
])
def test_a_mistyped_option_of_the_address_is_named_not_taken_for_a_bad_certificate(
        pg: str, query: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "p.txt"
    secret.write_text("x\n", encoding="utf-8")
    url = urlunsplit(urlsplit(pg)._replace(query=query))
    assert main(["--user", "a", "--password-file", str(secret), "stats", url, "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["errors"][0]
    assert error["code"] == "bad_server_url" and said in error["message"], error
    assert "chứng chỉ" not in error["message"]
