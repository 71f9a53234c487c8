"""An address to another computer without sslmode=verify-full (libpq's default `prefer` encrypts when offered and
checks nothing) was used silently; README step 3 asks for verify-full with the office's CA. Now said on stderr and
in the JSON `warnings`, never refused (an office's LAN may have no TLS yet); nothing said on this computer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khoi_desktop.__main__ import main
from khoi_desktop.core.engines.postgres import ServerAddress

REMOTE = "postgresql://khoi_app@may-chu.vanphong.local:5432/khoi_vanphong"
CHECKED = REMOTE + "?sslmode=verify-full&sslrootcert=C:/khoi/ca-van-phong.pem"


@pytest.mark.parametrize("url", [
    REMOTE, REMOTE + "?sslmode=prefer", REMOTE + "?sslmode=require", REMOTE + "?sslmode=disable",
    "postgresql://khoi_app@10.0.0.5:5433/khoi_vanphong?sslrootcert=C:/ca.pem",
    "postgresql://khoi_app@127.0.0.1:5432/x?host=may-chu",  # libpq's host= wins over the URL's
])
def test_an_unchecked_address_to_another_computer_is_warned_of(url: str) -> None:
    warning = ServerAddress.parse(url).tls_warning
    assert warning is not None and warning.startswith("Cảnh báo:"), url
    assert "sslmode=verify-full&sslrootcert=TỆP_CA" in warning
    assert "giả làm máy chủ" in warning or "không mã hóa" in warning
    assert ("«?sslmode=verify-full" in warning) == (url == REMOTE)  # the first parameter of the address
    assert "khoi_app" not in warning


@pytest.mark.parametrize("url", [
    CHECKED, REMOTE + "?sslmode=verify-ca&sslrootcert=ca.pem", REMOTE + "?sslmode=VERIFY-FULL",
    "postgresql://khoi_app@127.0.0.1:55608/khoi_test", "postgresql://khoi_app@localhost/khoi_test",
    "postgresql://khoi_app@[::1]:5432/khoi_test", "postgresql://khoi_app@127.0.0.2/khoi_test",
    "postgresql://khoi_app@localhost/khoi_test?host=/var/run/postgresql",
])
def test_a_checked_or_local_address_is_not_warned_of(url: str) -> None:
    assert ServerAddress.parse(url).tls_warning is None, url


def test_the_command_line_says_it_on_stderr_and_in_json_and_still_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
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
    secret = tmp_path / "mk.txt"
    secret.write_text("mat-khau-may-chu\n", encoding="utf-8")
    assert main(["server-password", REMOTE, "--password-file", str(secret)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Đã lưu mật khẩu") and err.startswith("Cảnh báo: Địa chỉ không ghi sslmode"), (out, err)
    assert "?sslmode=verify-full&sslrootcert=TỆP_CA" in err and "mat-khau" not in err
    assert main(["server-password", REMOTE + "?sslmode=require", "--password-file", str(secret), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["ok"] is True and err == ""
    assert len(data["warnings"]) == 1 and "sslmode=require" in data["warnings"][0], data
    for quiet in (CHECKED, "postgresql://khoi_app@127.0.0.1:5432/khoi_vanphong"):
        assert main(["server-password", quiet, "--password-file", str(secret), "--json"]) == 0
        out, err = capsys.readouterr()
        assert "warnings" not in json.loads(out) and err == "", (quiet, out, err)


def test_a_refusal_in_json_carries_the_warning_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A refused command given an unchecked address said the risk only on success: the JSON refusal had no
    `warnings` (stderr got it in text mode only)."""
    missing = tmp_path / "khong-co.txt"
    assert main(["server-password", REMOTE, "--password-file", str(missing), "--json"]) == 2
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["ok"] is False and data["errors"][0]["code"] == "password_file" and err == ""
    assert len(data["warnings"]) == 1 and data["warnings"][0].startswith("Cảnh báo: Địa chỉ không ghi sslmode"), data
    assert main(["migrate-to-server", str(tmp_path), REMOTE, "--json"]) == 2  # a folder for the file
    data = json.loads(capsys.readouterr().out)
    assert data["errors"][0]["code"] == "is_directory" and len(data["warnings"]) == 1, data
    assert main(["server-password", REMOTE, "--password-file", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Cảnh báo: Địa chỉ không ghi sslmode") and "Không tìm thấy tệp mật khẩu" in err
