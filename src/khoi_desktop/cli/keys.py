"""Encryption of the office file at rest (core/keyslots): `encrypt` converts a plain file, `recovery-key` replaces
the administrator's recovery key, `recover` resets an administrator's password with it."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import Output, database_arg, file_only
from khoi_desktop.core.errors import ValidationError

Handler = Any


def _secret(path: Path | None, prompt: str, what: str) -> str:
    from khoi_desktop.cli.backup import read_passphrase

    if path is not None:
        text = read_passphrase(path)
        assert text is not None
        return text
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError(f"Cần {what}: dùng tùy chọn tệp tương ứng (dòng đầu tiên của tệp).",
                              code="password_required")
    return getpass.getpass(prompt)


def _user(args: argparse.Namespace) -> str:
    from khoi_desktop.cli.common import current_sign_in_options

    user = args.user or current_sign_in_options().user  # after the command, or before it as for every command
    if user:
        return str(user)
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError("Cần tên đăng nhập của quản trị: --user TÊN.", code="user_required")
    return input("Tên đăng nhập (quản trị): ")


_KEYS = ("Mã hóa bằng tệp khóa và mã khôi phục",
         "trên máy chủ, dữ liệu được bảo vệ bằng TLS, tài khoản của máy chủ và sao lưu mã hóa "
         "(backup --passphrase-file)")


def _password_file(args: argparse.Namespace) -> Path | None:
    from khoi_desktop.cli.common import current_sign_in_options

    return args.password_file or current_sign_in_options().password_file


def _recovery_text(recovery_key: str) -> str:
    return ("MÃ KHÔI PHỤC (chỉ in một lần — hãy chép hoặc in ra giấy, cất trong két của văn phòng):\n\n"
            f"    {recovery_key}\n\n"
            "Khi mọi mật khẩu quản trị đều bị quên, mã này mở được tệp để đặt lại mật khẩu. Ai có mã này và tệp "
            "dữ liệu đều đọc được toàn bộ dữ liệu: không lưu mã trên máy tính.")


def cmd_encrypt(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.keyslots.convert import discard_plain_copy, encrypt_file, plain_copies

    args.file = file_only(args.file, *_KEYS)
    if args.discard_plain:
        copies = plain_copies(args.file)
        if not copies:
            raise ValidationError(f"Không còn bản chưa mã hóa nào của {args.file.name}.", code="no_plain_copy")
        for copy in copies:
            discard_plain_copy(copy)
        names = [str(copy) for copy in copies]
        return Output({"ok": True, "discarded": names},
                      "Đã ghi đè và xóa bản chưa mã hóa:\n" + "\n".join(f"  {name}" for name in names))
    username = _user(args)
    done = encrypt_file(args.file, username, _secret(_password_file(args), "Mật khẩu: ", "mật khẩu"))
    text = (f"Đã mã hóa {done.path}. Tệp khóa: {done.path.name}.keys (luôn để cạnh tệp dữ liệu, sao lưu cùng).\n"
            f"Các tài khoản mở được tệp bằng mật khẩu hiện có: {', '.join(done.accounts)}.\n"
            f"Bản chưa mã hóa để riêng: {done.plain_copy}\n"
            "Sau khi kiểm tra phần mềm mở được tệp đã mã hóa, hãy xóa bản này bằng lệnh: "
            f"khoi-desktop encrypt {args.file} --discard-plain\n\n" + _recovery_text(done.recovery_key))
    return Output({"ok": True, "file": str(done.path), "plain_copy": str(done.plain_copy),
                   "accounts": list(done.accounts), "recovery_key": done.recovery_key}, text)


def cmd_recovery_key(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import record
    from khoi_desktop.core.auth.permissions import Permission, require
    from khoi_desktop.core.keyslots.opening import close, new_recovery_key, open_signed_in

    args.file = file_only(args.file, *_KEYS)
    db = open_signed_in(args.file, _user(args), _secret(_password_file(args), "Mật khẩu: ", "mật khẩu"))
    try:
        with db.writing() as session:
            require(session, Permission.MANAGE_USERS)
            record(session, action="office.recovery_key", target=db.path.name)
        recovery_key = new_recovery_key(db)
    finally:
        close(db)
    return Output({"ok": True, "recovery_key": recovery_key},
                  "Mã khôi phục cũ không còn dùng được.\n\n" + _recovery_text(recovery_key))


def cmd_recover(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import record
    from khoi_desktop.core.auth.accounts import reset_password
    from khoi_desktop.core.keyslots.opening import close, open_with_recovery

    args.file = file_only(args.file, *_KEYS)
    recovery = _secret(args.recovery_key_file, "Mã khôi phục: ", "mã khôi phục")
    db = open_with_recovery(args.file, recovery)
    try:
        password = _secret(args.password_file, "Mật khẩu mới: ", "mật khẩu mới")
        with db.writing() as session:
            account = reset_password(session, args.username, password)
            record(session, actor=account.username, action="office.recovered", target=account.username)
    finally:
        close(db)
    return Output({"ok": True, "username": account.username},
                  f"Đã đặt lại mật khẩu của «{account.username}» bằng mã khôi phục; hãy đăng nhập bằng mật khẩu mới.")


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Handler]:
    encrypt = commands.add_parser("encrypt", parents=[common],
                                  help="mã hóa tệp dữ liệu (SQLCipher); in mã khôi phục một lần")
    encrypt.add_argument("file", type=database_arg)
    encrypt.add_argument("--user", help="tài khoản quản trị")
    encrypt.add_argument("--password-file", type=Path, metavar="TỆP", help="tệp chứa mật khẩu (dòng đầu tiên)")
    encrypt.add_argument("--discard-plain", action="store_true",
                         help="ghi đè rồi xóa bản chưa mã hóa để riêng khi mã hóa (sau khi đã kiểm tra)")
    recovery = commands.add_parser("recovery-key", parents=[common],
                                   help="thay mã khôi phục của tệp đã mã hóa (quản trị); mã cũ hết hiệu lực")
    recovery.add_argument("file", type=database_arg)
    recovery.add_argument("--user", help="tài khoản quản trị")
    recovery.add_argument("--password-file", type=Path, metavar="TỆP", help="tệp chứa mật khẩu (dòng đầu tiên)")
    recover = commands.add_parser("recover", parents=[common],
                                  help="đặt lại mật khẩu một tài khoản bằng mã khôi phục (khi quên hết mật khẩu)")
    recover.add_argument("file", type=database_arg)
    recover.add_argument("username")
    recover.add_argument("--recovery-key-file", type=Path, metavar="TỆP", help="tệp chứa mã khôi phục")
    recover.add_argument("--password-file", type=Path, metavar="TỆP", help="tệp chứa mật khẩu mới")
    return {"encrypt": cmd_encrypt, "recovery-key": cmd_recovery_key, "recover": cmd_recover}
