"""What every command module shares: the parser class speaking Vietnamese, argument types, the Output of a
command and opening an existing database file. Light on purpose: imported by every command."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from khoi_desktop.core.errors import DatabaseMissing, KhoiError
from khoi_desktop.core.text import parse_date

if TYPE_CHECKING:
    from khoi_desktop.core.db import Database

EXIT_OK, EXIT_FAULT, EXIT_REFUSED = 0, 1, 2


class UsageError(KhoiError):
    code = "usage"


# argparse speaks English; clerks and administrators read Vietnamese.
_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.+)", r"Thiếu tham số bắt buộc: \1."),
    (r"unrecognized arguments: (.+)", r"Tham số không hợp lệ: \1."),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.+)\)",
     r"Tham số \1: không có lựa chọn \2 (chọn một trong: \3)."),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"Tham số \1: giá trị \3 không hợp lệ."),
    (r"argument (\S+): expected one argument", r"Tham số \1 cần một giá trị."),
    (r"argument (\S+): (.+)", r"Tham số \1: \2"),
]


def translate_argparse(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return f"Lệnh không hợp lệ: {message}"


_HELP_WORDS = [
    ("usage:", "Cách dùng:"), ("positional arguments:", "Tham số:"), ("options:", "Tùy chọn:"),
    ("show this help message and exit", "hiện hướng dẫn này rồi thoát"),
    ("show program's version number and exit", "hiện phiên bản rồi thoát"),
]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(translate_argparse(message))

    def format_help(self) -> str:
        text = super().format_help()
        for english, vietnamese in _HELP_WORDS:
            text = text.replace(english, vietnamese)
        return text


def date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày {text!r} không đúng dạng YYYY-MM-DD") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} không phải số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} phải lớn hơn 0")
    return value


@dataclasses.dataclass
class Output:
    """What a command produced: a JSON object and its human rendering."""

    data: dict[str, Any]
    text: str


def database_arg(text: str) -> Path | str:
    """A database file, or a server office's address (postgresql://user@host:port/dbname) in its place."""
    from khoi_desktop.core.engines import is_server_url

    return text.strip() if is_server_url(text) else Path(text)


def _require_file(path: Path | str) -> None:
    if isinstance(path, str):  # a server office: open_database checks it is there
        return
    if not path.is_file():  # also a folder, or '' (which would mean the current folder)
        raise DatabaseMissing(path)


@contextlib.contextmanager
def reading_plain(path: Path | str) -> Iterator[Any]:
    """A read-only sqlite3 connection to an existing file, for the commands that read the tree only
    (`stats`, `orgs`): no SQLAlchemy to load, a third of the start-up. On a server office: a read-only
    snapshot session, which the same readers take."""
    from khoi_desktop.core.db import read_connection

    if isinstance(path, str):
        from khoi_desktop.core.db import open_database

        db = open_database(path)
        try:
            with db.plain_reading() as session:
                yield session
        finally:
            db.close()
        return
    _require_file(path)
    conn = read_connection(path)
    try:
        yield conn
    finally:
        conn.close()


def open_existing(path: Path | str) -> Database:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.db import open_database

    _require_file(path)
    db = open_database(path)
    # No login here: the administrator's tool on a file they can already read; the audit trail names the
    # operating-system user.
    db.user = CurrentUser(os_user(), "", Role.QUAN_TRI)
    return db


def window_parser() -> Parser:
    """The program's own options (the window, --version, --selftest), without any command: what starting
    the window parses."""
    from khoi_desktop import __version__

    parser = Parser(prog="khoi-desktop", description="Quản lý tổ chức đảng và đảng viên của Đảng ủy Khối.",
                    add_help=True)
    parser.add_argument("--version", action="version", version=f"khoi-desktop {__version__}")
    parser.add_argument("--db", type=database_arg,
                        help="tệp cơ sở dữ liệu mở trong giao diện, hoặc địa chỉ máy chủ "
                             "postgresql://tài_khoản@máy:cổng/tên")
    parser.add_argument("--demo", action="store_true", help="mở giao diện trên cơ sở dữ liệu mẫu (tạo nếu chưa có)")
    parser.add_argument("--selftest", action="store_true",
                        help="tự kiểm tra bản cài đặt trong một thư mục tạm (cơ sở dữ liệu, quyết định, PDF, sao lưu) "
                             "rồi thoát: mã 0 là đạt")
    return parser
