"""What a new user meets first on the command line: Vietnamese help placeholders, the period an export
names, a prompt ended with Ctrl+D, a machine without a credential store — Vietnamese, never a fault."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import keyring.core
import pytest
from argon2 import PasswordHasher, Type
from keyring.backend import KeyringBackend

from factories import add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.cli import credentials
from khoi_desktop.cli.main import build_parser
from khoi_desktop.core.auth import accounts, passwords
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import OrgKind
from signin_support import signed_in


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                              type=Type.ID))


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        add_members(s, add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO), 3)
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
    db.close()
    return path


def _subcommands() -> dict[str, str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return {name: sub.format_help() for name, sub in action.choices.items()}  # type: ignore[union-attr]


@pytest.mark.parametrize("command", ["stats", "members", "apply", "issue", "pdf", "decisions", "export",
                                     "backup", "audit", "users", "import-members"])
def test_help_shows_vietnamese_placeholders(command: str) -> None:
    text = _subcommands()[command]
    assert not re.search(r"(?<![-\w.])(file|request|decision|AS_OF|ORG|TERM|ISSUER|START|END|DATE_FROM|DATE_TO|USER|"
                         r"OUTPUT|DOCX|SHEET|JOINED_ON)(?![\w.])", text), text
    assert "TỆP" in text


def test_a_recorded_export_without_dates_names_its_period(capsys: pytest.CaptureFixture[str], office: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "ghi-nhan.xlsx"
    assert main([*signed_in(office, "admin", "mat-khau-1"), "export", str(office), "recorded", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    today = dt.date.today()
    assert f"(từ 01/01/{today.year} đến {today:%d/%m/%Y})" in text, text


def test_a_prompt_ended_with_ctrl_d_is_refused_in_vietnamese(capsys: pytest.CaptureFixture[str], office: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "interactive", lambda: True)
    monkeypatch.setattr(credentials, "_ask", lambda prompt: "admin")

    def ended(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr(credentials.getpass, "getpass", ended)
    assert main(["members", str(office)]) == 2
    err = capsys.readouterr().err
    assert "Đã dừng" in err and "EOFError" not in err and "Lỗi không mong đợi" not in err


class NoStore(KeyringBackend):
    """What `keyring` falls back to on a machine without a Secret Service: every call fails in English."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("No recommended backend was available.")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("No recommended backend was available.")


def test_login_without_a_credential_store_says_so_in_vietnamese(capsys: pytest.CaptureFixture[str], office: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", NoStore())  # then back to the suite's own store
    code = main([*signed_in(office, "admin", "mat-khau-1"), "login", str(office), "--json"])
    error = json.loads(capsys.readouterr().out)["errors"][0]
    assert code == 2 and error["code"] == "credential_store"
    assert "backend" not in error["message"] and "kho mật khẩu" in error["message"]


def test_prompt_reads_from_the_console(capsys: pytest.CaptureFixture[str], office: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("admin\n"))
    monkeypatch.setattr(credentials.getpass, "getpass", lambda prompt: "mat-khau-1")
    assert main(["stats", str(office), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == 3


def test_exchange_help_shows_vietnamese_placeholders() -> None:
    # «--org ORG», «--passphrase-file PASSPHRASE_FILE» in `exchange FILE enroll --help`.
    parser = build_parser(["exchange"])
    exchange = next(a for a in parser._actions if a.dest == "command").choices["exchange"]  # type: ignore[index]
    actions = next(a for a in exchange._actions if a.dest == "exchange_command")
    for name, sub in actions.choices.items():  # type: ignore[union-attr]
        text = sub.format_help()
        assert not re.search(r"(?<![-\w.])(ORG|[A-Z_]*PASSPHRASE_FILE|REASON)(?![\w.])", text), name
