"""Where a command's app account and password come from: `--user NAME --password-file F`, a sign-in saved
in the operating system's credential store (`login`, through `keyring`: Windows Credential Manager, the
Secret Service on Linux), or a prompt on a console. Never from environment variables.

A saved sign-in belongs to one database file (its full path) and to the operating-system user who saved it.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop.core.errors import KhoiError, ValidationError
from khoi_desktop.core.text import nfc

log = logging.getLogger(__name__)
SERVICE = "khoi-desktop"


class SignInRequired(KhoiError):
    code = "sign_in_required"


@dataclass(frozen=True)
class Credential:
    username: str
    password: str
    source: str  # "file", "keyring" or "prompt"


def normalize_username(text: str) -> str:
    """As core.auth.accounts folds it (without loading the ORM)."""
    return nfc(text).strip().lower()


def service_for(path: Path | str) -> str:
    """The credential store's name for a database file (the same file under any spelling of its path), or
    for a server office's address."""
    if isinstance(path, str):
        return f"{SERVICE}:{path}"
    return f"{SERVICE}:{os.path.normcase(os.path.realpath(path))}"


def _read_password(path: Path) -> str:
    from khoi_desktop.cli.common import read_passphrase  # the first line, stripped; a BOM tolerated

    password = read_passphrase(path)
    assert password is not None
    return password


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str) -> str:
    # On stderr: stdout carries the command's answer (JSON with --json).
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def _keyring():  # type: ignore[no-untyped-def]
    import keyring

    return keyring


def saved(path: Path | str, username: str | None = None) -> Credential | None:
    """The sign-in saved for `path` (for `username` when given); None when there is none or no store."""
    try:
        store = _keyring()
        service = service_for(path)
        if username:
            name = normalize_username(username)
            password = store.get_password(service, name)
            return Credential(name, password, "keyring") if password else None
        found = store.get_credential(service, None)
    except Exception as exc:  # no credential store on this machine (a server without a desktop session)
        log.info("credential store not available: %s", exc)
        return None
    if found is None or not found.username or not found.password:
        return None
    return Credential(normalize_username(found.username), found.password, "keyring")


def save(path: Path | str, credential: Credential) -> None:
    try:
        store = _keyring()
        forget(path)  # one sign-in per file
        store.set_password(service_for(path), credential.username, credential.password)
    except Exception as exc:
        log.warning("credential store refused to save: %s", exc)  # the library's words are English
        raise ValidationError("Không lưu được mật khẩu vào kho mật khẩu của hệ điều hành (kho chưa có trên máy "
                              "này, hoặc đang khóa). Hãy dùng --user TÊN --password-file TỆP.",
                              code="credential_store") from None


def forget(path: Path | str) -> str | None:
    """Remove the sign-in saved for `path`; the account name it was for, None when there was none."""
    found = saved(path)
    if found is None:
        return None
    try:
        _keyring().delete_password(service_for(path), found.username)
    except Exception as exc:
        log.warning("credential store refused to delete: %s", exc)
        raise ValidationError("Không xóa được mật khẩu đã lưu trong kho mật khẩu của hệ điều hành (kho đang khóa?).",
                              code="credential_store") from None
    return found.username


def _office(path: Path | str) -> str:
    return f"tệp {path.name}" if isinstance(path, Path) else "cơ sở dữ liệu trên máy chủ"


def gather(path: Path | str, user: str | None, password_file: Path | None, *, use_saved: bool = True) -> Credential:
    """The account and password a command signs in with, in this order: the options, the saved sign-in of
    `path`, a prompt on a console. Refused (exit 2) when none of them gives one."""
    if password_file is not None and not user:
        raise ValidationError("--password-file cần đi kèm --user TÊN (tài khoản đăng nhập), đặt trước tên lệnh.",
                              code="usage")
    if user and password_file is not None:
        return Credential(normalize_username(user), _read_password(password_file), "file")
    found = saved(path, user) if use_saved else None
    if found is not None:
        return found
    if interactive():
        name = normalize_username(user or _ask("Tên đăng nhập: "))
        if not name:
            raise SignInRequired("Chưa nhập tên đăng nhập.")
        return Credential(name, getpass.getpass(f"Mật khẩu của {name}: "), "prompt")
    raise SignInRequired(
        f"Cần đăng nhập bằng một tài khoản của {_office(path)}: đặt --user TÊN --password-file TỆP trước tên "
        "lệnh (dòng đầu tiên của tệp là mật khẩu), hoặc lưu đăng nhập một lần bằng lệnh "
        f"«khoi-desktop login {_shown(path)}», hoặc chạy lệnh trong cửa sổ dòng lệnh để được hỏi mật khẩu.")


def _shown(path: object) -> str:
    """A server's address without a password written in it (a message is read over shoulders and logged)."""
    from khoi_desktop.core.engines import is_server_url

    if is_server_url(path):
        from khoi_desktop.core.engines.postgres import ServerAddress

        return ServerAddress.parse(str(path)).url
    return str(path)
