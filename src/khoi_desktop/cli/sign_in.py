"""`login FILE` saves an app account's sign-in for one database file in the operating system's credential
store (Windows Credential Manager); `logout FILE` forgets it. Meant for the scheduled backup's account
(role sao_luu): whoever can use this Windows login can then act with that account on that file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import Output, _require_file, check_credential, current_sign_in_options, database_arg


def _typed(path: Path | str) -> str:
    """The office as it may be printed: a server address without the password typed in it."""
    if isinstance(path, str):
        from khoi_desktop.core.engines.postgres import without_password

        return f'"{without_password(path)}"'
    return str(path)


def _where(path: Path | str) -> str:
    return f"tệp {path}" if isinstance(path, Path) else f"văn phòng trên máy chủ {_typed(path)}"


def _this(path: Path | str) -> str:
    return "tệp này" if isinstance(path, Path) else "văn phòng này"


def cmd_login(args: argparse.Namespace) -> Output:
    from khoi_desktop.cli import credentials
    from khoi_desktop.cli.common import UsageError, has_accounts
    from khoi_desktop.core.auth.current import Role
    from khoi_desktop.core.os_account import os_user

    path: Path | str = args.file
    _require_file(path)
    if not has_accounts(path):
        where = _where(path)
        raise UsageError(f"{where[0].upper()}{where[1:]} chưa có tài khoản nào để đăng nhập.")
    options = current_sign_in_options()
    credential = credentials.gather(path, options.user, options.password_file, use_saved=False)
    user = check_credential(path, credential)
    credentials.save(path, credential)
    lines = [f"Đã lưu đăng nhập của tài khoản {user.username} ({user.role.label}) cho {_where(path)} vào kho mật khẩu "
             f"của người dùng máy {os_user()}. Các lệnh trên {_this(path)} sẽ tự đăng nhập bằng tài khoản đó."]
    if user.role is not Role.SAO_LUU:
        lines.append(f"Lưu ý: ai dùng được tài khoản máy {os_user()} cũng làm được mọi việc của vai trò "
                     f"{user.role.label} trên {_this(path)}. Trên máy dùng chung, chỉ lưu tài khoản sao lưu theo lịch "
                     f"(vai trò {Role.SAO_LUU.label}); xóa bằng lệnh «khoi-desktop logout {_typed(path)}».")
    return Output({"ok": True, "user": user.username, "role": user.role.value, "os_user": os_user()},
                  "\n".join(lines))


def cmd_logout(args: argparse.Namespace) -> Output:
    from khoi_desktop.cli import credentials

    path: Path | str = args.file
    username = credentials.forget(path)
    if username is None:
        return Output({"ok": True, "user": None}, f"Không có đăng nhập nào được lưu cho {_where(path)}.")
    return Output({"ok": True, "user": username},
                  f"Đã xóa đăng nhập đã lưu của tài khoản {username} cho {_where(path)}.")


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    login = commands.add_parser(
        "login", parents=[common],
        help="lưu đăng nhập (tài khoản, mật khẩu) của một tệp hay văn phòng trên máy chủ vào kho mật khẩu của hệ "
             "điều hành, cho sao lưu theo lịch; tài khoản lấy từ --user/--password-file đặt trước tên lệnh, "
             "hoặc được hỏi")
    where = "tệp cơ sở dữ liệu hoặc địa chỉ máy chủ postgresql://…"
    login.add_argument("file", type=database_arg, metavar="TỆP", help=where)
    logout = commands.add_parser("logout", parents=[common],
                                 help="xóa đăng nhập đã lưu của một tệp hay văn phòng trên máy chủ")
    logout.add_argument("file", type=database_arg, metavar="TỆP", help=where)
    return {"login": cmd_login, "logout": cmd_logout}
