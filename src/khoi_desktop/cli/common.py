"""What every command module shares: the parser class speaking Vietnamese, argument types, the Output of a
command, and opening an existing database file, which signs in (`sign_in`: the one place where the command
line asks who is working). Light on purpose: imported by every command."""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from khoi_desktop.core.errors import DatabaseMissing, KhoiError, ValidationError, refuse_folder
from khoi_desktop.core.text import code_text, date_form_hint, decode_text_file, parse_date

if TYPE_CHECKING:
    import sqlite3

    from khoi_desktop.cli.credentials import Credential
    from khoi_desktop.core.auth.current import CurrentUser
    from khoi_desktop.core.auth.permissions import Permission
    from khoi_desktop.core.db import Database

EXIT_OK, EXIT_FAULT, EXIT_REFUSED = 0, 1, 2
T = TypeVar("T")


class UsageError(KhoiError):
    code = "usage"


# argparse speaks English; clerks and administrators read Vietnamese.
_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.+)", r"Thiếu tham số bắt buộc: \1."),
    (r"unrecognized arguments: (.+)", r"Tham số không hợp lệ: \1."),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
     r"Tham số \1: không có lựa chọn \2 (chọn một trong: \3)."),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"Tham số \1: giá trị \3 không hợp lệ."),
    (r"argument (\S+): expected one argument", r"Tham số \1 cần một giá trị."),
    (r"argument (\S+): (.+)", r"Tham số \1: \2"),
]


def translate_argparse(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            text = re.sub(pattern, replacement, message)
            if "invalid choice" in pattern:  # argparse quotes the Python way: 'bogus' (chọn một trong: 'a', 'b')
                text = re.sub(r"'([^']*)'", r"«\1»", text)
            if pattern.startswith("unrecognized") and re.search(r"--user\b|--password-file\b", message):
                text += " Tùy chọn đăng nhập --user và --password-file đặt trước tên lệnh."
            return text
    return f"Lệnh không hợp lệ: {message}"


_HELP_WORDS = [
    ("usage:", "Cách dùng:"), ("positional arguments:", "Tham số:"), ("options:", "Tùy chọn:"),
    ("show this help message and exit", "hiện hướng dẫn này rồi thoát"),
    ("show program's version number and exit", "hiện phiên bản rồi thoát"),
]


# Placeholders shown in --help where a command gave none (argparse would show `file`, `AS_OF`, `ORG`).
_PLACEHOLDERS = {
    "file": "TỆP", "request": "YÊU_CẦU.json", "decision": "QUYẾT_ĐỊNH", "backup": "BẢN_SAO_LƯU",
    "--org": "MÃ", "--issuer": "MÃ", "--term": "NHIỆM_KỲ", "--scale": "N", "--seed": "S", "--output": "TỆP",
    "--docx": "TỆP.docx", "--user": "TÊN", "--action": "THAO_TÁC", "--sheet": "TRANG_TÍNH",
    "org": "MÃ", "member": "MÃ_ĐẢNG_VIÊN", "--member": "MÃ_ĐẢNG_VIÊN", "--members": "MÃ,MÃ,…", "--number": "SỐ",
    "--subject": "NỘI_DUNG", "--reason": "LÝ_DO", "id": "SỐ_THỨ_TỰ", "--db": "TỆP", "username": "TÊN_ĐĂNG_NHẬP",
    "--name": "HỌ_TÊN", "--xlsx": "TỆP.xlsx",
}
# --help said nothing for these where a command gave no text of its own.
_DEFAULT_HELP = {
    "--as-of": "tính đến ngày (YYYY-MM-DD), mặc định hôm nay", "--year": "năm, ví dụ 2026",
    "--month": "tháng, ví dụ 2026-11", "-o": "tệp kết quả", "username": "tên đăng nhập của tài khoản",
    "--role": "vai trò: quan_tri, chuyen_vien, chi_xem, sao_luu (hoặc tên vai trò như «Chuyên viên»)",
    "member": "mã đảng viên", "backup": "tệp sao lưu (.khoibak)", "xlsx": "tệp Excel (.xlsx) cần nhập",
    "--seed": "số khởi tạo (cùng số thì cùng dữ liệu mẫu)",
}


# Arguments that name an organization or a member by its code: read as codes are written («cs040» → CS040).
_CODE_ARGUMENTS = frozenset({"--org", "--issuer", "--member", "org", "member"})


def code_arg(text: str) -> str:
    """One code, read as `code_text` reads it; an empty one («--org "$ORG"» with ORG unset) is refused: it would
    otherwise mean «every organization»."""
    code = code_text(text)
    if not code:
        raise argparse.ArgumentTypeError("chưa ghi mã (để trống)")
    return code


def text_arg(text: str) -> str:
    """A value that must not be empty («--term ""» listed every term's decisions)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("để trống")
    return text.strip()


def codes_arg(text: str) -> list[str]:
    """Codes separated by commas («dv001, DV002»), each read as `code_text` reads one."""
    return [code for part in text.split(",") if (code := code_text(part))]


def _argument_defaults(names: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """What every argument named so gets unless it says otherwise: codes read as codes, a Vietnamese placeholder
    and help text."""
    if kwargs.get("action") in (None, "store") and "type" not in kwargs and _CODE_ARGUMENTS.intersection(names):
        kwargs["type"] = code_arg
    if kwargs.get("action") in (None, "store") and "type" not in kwargs and "--term" in names:
        kwargs["type"] = text_arg
    if "metavar" not in kwargs and kwargs.get("action") in (None, "store"):
        placeholder = next((_PLACEHOLDERS[n] for n in names if n in _PLACEHOLDERS), None)
        if placeholder is None and kwargs.get("type") is date_arg:
            placeholder = "NGÀY"
        if placeholder is not None:
            kwargs["metavar"] = placeholder
        if names == ("file",):
            kwargs.setdefault("help", "tệp cơ sở dữ liệu")
    for name in names:
        if name in _DEFAULT_HELP:
            kwargs.setdefault("help", _DEFAULT_HELP[name])
    return kwargs


class Parser(argparse.ArgumentParser):
    def add_argument(self, *names: Any, **kwargs: Any) -> argparse.Action:
        return super().add_argument(*names, **_argument_defaults(names, kwargs))

    def add_mutually_exclusive_group(self, **kwargs: Any) -> argparse._MutuallyExclusiveGroup:
        """The group's arguments get the same defaults (`ratings set --org cs030` was not read as a code)."""
        group = super().add_mutually_exclusive_group(**kwargs)
        plain = group.add_argument

        def add_argument(*names: Any, **options: Any) -> argparse.Action:
            return plain(*names, **_argument_defaults(names, options))

        setattr(group, "add_argument", add_argument)  # noqa: B010
        return group

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
        raise argparse.ArgumentTypeError(f"ngày «{text}» không hợp lệ: {date_form_hint(text)}") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» không phải số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"«{text}» phải lớn hơn 0")
    return value


@dataclasses.dataclass
class Output:
    """What a command produced: a JSON object and its human rendering."""

    data: dict[str, Any]
    text: str


def new_folder_for(path: Path, what: str) -> Path | None:
    """The folder an output file (an export, a restored database) goes into, as `backup --to` treats its folder:
    a missing one is made, but only inside one that exists («D:\\Xuat\\Thang12» is a new month's folder; «E:\\Xuat»
    with the USB stick out, or «D:\\Xuatt\\2026» typed wrong, is not: no_directory, nothing made). Returns the
    folder that is to be made (the caller makes it and says so on stderr), None when it is already there."""
    folder = path.absolute().parent
    if folder.is_dir():
        return None
    if folder.exists():
        raise ValidationError(f"{folder} là một tệp, không phải thư mục: không ghi được {what} {path.name} vào đó.",
                              code="not_a_folder")
    if not folder.parent.is_dir():
        raise ValidationError(f"Không có thư mục {folder.parent} để tạo thư mục {folder.name} chứa {what} "
                              f"{path.name}: ổ USB chưa cắm, ổ mạng mất kết nối, hay gõ nhầm đường dẫn? Chưa ghi gì.",
                              code="no_directory")
    return folder


@dataclasses.dataclass
class MadeFolder:
    made: str | None = None  # the folder made for the new file (JSON `created_folder`), None when it was there


@contextlib.contextmanager
def made_folder_for(path: Path | None, what: str, *, json_output: bool) -> Iterator[MadeFolder]:
    """Around writing a new file (a database, a workbook; None: no file asked for): its missing folder is made,
    only inside one that exists (new_folder_for: no_directory, nothing made), and said once the file is made; a
    refusal on the way leaves no empty folder behind."""
    folder = new_folder_for(path, what) if path is not None else None
    result = MadeFolder()
    try:
        if folder is not None:
            folder.mkdir(exist_ok=True)
        yield result
    except BaseException:
        if folder is not None and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise
    if folder is not None:
        result.made = str(folder)
        say_new_folder(folder, what, json_output=json_output)


def check_xlsx_name(path: Path | None, what: str = "Tệp xuất") -> None:
    """A workbook is written as it is named: «-o x.csv» or «-o x.xls» got the bytes of a workbook that nothing opened
    by a double-click. Checked before anything is done."""
    if path is None:
        return
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"{what} «{path.name}» phải có đuôi .xlsx (bảng tính Excel), ví dụ "
                              f"{path.with_suffix('.xlsx').name}: phần mềm chỉ xuất bảng tính Excel. "
                              "Chưa ghi gì.", code="not_xlsx")
    if path.is_dir():
        raise ValidationError(f"{path} là một thư mục: hãy ghi cả tên tệp, ví dụ {path / 'bang-tinh.xlsx'}. "
                              "Chưa ghi gì.", code="is_directory")


def say_new_folder(folder: Path, what: str, *, json_output: bool) -> None:
    """Said on stderr (stdout stays what scripts read), as `backup --to` says it."""
    import sys

    if not json_output and sys.stderr is not None:
        print(f"Đã tạo thư mục mới {folder} (trước đó chưa có) để chứa {what}.", file=sys.stderr)


def use_stored_codes(session: Any, args: argparse.Namespace) -> None:
    """The codes typed on the command line (--org, --issuer, a member's code), read in upper case, as the office
    stores them: an older version kept hand-typed codes in lower case («cb-moi»), which only the requests and the
    member lists found (core/codes.stored_in_other_case)."""
    from khoi_desktop.core.codes import stored_code
    from khoi_desktop.core.models import Member, Organization

    for name, column in (("org", Organization.code), ("issuer", Organization.code), ("member", Member.code)):
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            setattr(args, name, stored_code(session, column, value))


def file_only(path: Path | str, what: str, why: str = "") -> Path:
    """The FILE of a command that only a database file has (its key file and recovery key, a new file made from
    a package): a server office's address refused in words, instead of being read as a path that does not exist
    («Không tìm thấy tệp …/postgresql:/…»)."""
    if isinstance(path, str):
        from khoi_desktop.core.engines.postgres import without_password

        raise ValidationError(f"{what} chỉ dùng với tệp dữ liệu, không dùng với văn phòng trên máy chủ "
                              f"({without_password(path)})" + (f": {why}." if why else "."), code="file_only")
    refuse_folder(path, "tệp cơ sở dữ liệu", "khoi.db")  # `encrypt D:\\KhoiData` said «disk i/o error»
    return path


def database_arg(text: str) -> Path | str:
    """A database file, or a server office's address (postgresql://user@host:port/dbname) in its place."""
    from khoi_desktop.core.engines import is_server_url

    return text.strip() if is_server_url(text) else Path(text)


def _require_file(path: Path | str) -> None:
    if isinstance(path, str):  # a server office: open_database checks it is there
        return
    refuse_folder(path, "tệp cơ sở dữ liệu", "khoi.db")  # also '', which would mean the current folder
    if not path.is_file():
        raise DatabaseMissing(path)


def read_passphrase(path: Path | None) -> str | None:
    """The first line of the file, stripped; scheduled tasks need no prompt (a password file, a recovery key
    file, a backup's passphrase)."""
    if path is None:
        return None
    try:
        lines = decode_text_file(path.read_bytes()).splitlines()  # Notepad's BOM, or its «Unicode» (UTF-16)
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp mật khẩu: {path}", code="passphrase_file") from None
    except UnicodeDecodeError:  # an ANSI code page; Python's own words for this are English
        raise ValidationError(f"Tệp mật khẩu {path} không phải văn bản UTF-8: hãy lưu lại tệp với bảng mã UTF-8.",
                              code="passphrase_file") from None
    except OSError:
        raise ValidationError(f"Không đọc được tệp mật khẩu {path} (là thư mục, hoặc không có quyền đọc).",
                              code="passphrase_file") from None
    passphrase = lines[0].strip() if lines else ""
    if not passphrase:
        raise ValidationError(f"Tệp mật khẩu {path} trống: dòng đầu tiên phải là mật khẩu.",
                              code="passphrase_file")
    return passphrase


# --- signing in ------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SignInOptions:
    """The program's options `--user NAME --password-file F`, given before the command."""

    user: str | None = None
    password_file: Path | None = None


_SIGN_IN: contextvars.ContextVar[SignInOptions | None] = contextvars.ContextVar("sign_in", default=None)


@contextlib.contextmanager
def signing_in_with(options: SignInOptions) -> Iterator[None]:
    """What `sign_in` uses while one command runs (cli.main.run)."""
    token = _SIGN_IN.set(options)
    try:
        yield
    finally:
        _SIGN_IN.reset(token)


def current_sign_in_options() -> SignInOptions:
    return _SIGN_IN.get() or SignInOptions()


def _account_row(conn: sqlite3.Connection, username: str) -> tuple[Any, ...] | None:
    return conn.execute("SELECT username, full_name, role, password_hash, active, failed_attempts, locked_until, "
                        "key_slot FROM users WHERE username = ?", (username,)).fetchone()


def has_accounts(path: Path | str) -> bool:
    """Whether the office has any account to sign in with (an encrypted file always has)."""
    if isinstance(path, str):
        from khoi_desktop.core.db import open_database, server_has_accounts

        db = open_database(path)
        try:
            # An office found sound has an account (asked nothing more); otherwise psycopg alone, in a read-only
            # snapshot: signing in makes no SQLAlchemy engine (each one connects again and asks the server its
            # settings before its first statement).
            return server_has_accounts(db)
        finally:
            db.close()
    from khoi_desktop.core.keyslots.opening import is_encrypted, needs_sign_in

    if is_encrypted(path):
        return True
    from khoi_desktop.core.db import read_connection

    read_connection(path).close()  # an older file is migrated first (its accounts table may be missing)
    return needs_sign_in(path)


def _clean_sign_in(conn: sqlite3.Connection | None, credential: Credential, key_slot: str | None = None, *,
                   row: tuple[Any, ...] | None = None) -> CurrentUser | None:
    """The account when the password is right and nothing needs writing (no failed attempt to clear, no
    lockout, no old hash): checked on the plain connection, so `stats` loads no ORM. None = let core's
    login decide (and record the failure, count it toward the lockout). `key_slot`: the digest of the key
    slot the password just opened (an encrypted file); when the account names that slot the password is
    proven (Argon2id ran once, for the slot), when it names another core's login checks the hash and names
    this one."""
    import hmac

    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.auth.passwords import needs_rehash, verify_password
    from khoi_desktop.core.os_account import os_user
    from khoi_desktop.core.text import nfc

    if conn is not None:
        row = _account_row(conn, credential.username)
    if row is None:
        return None
    username, full_name, role, password_hash, active, failed, locked_until, named_slot = row
    if not active or failed or locked_until is not None or role not in {r.value for r in Role}:
        return None
    if needs_rehash(password_hash):
        return None
    if key_slot is not None:
        if named_slot is None or not hmac.compare_digest(named_slot, key_slot):
            return None
    elif not verify_password(password_hash, nfc(credential.password)):
        return None
    return CurrentUser(username, full_name, Role(role), os_user())


def _login(db: Database, credential: Credential, key_slot: str | None = None) -> CurrentUser:
    """Core's login (the GUI's): a failure is recorded and counted toward the lockout, then refused."""
    from khoi_desktop.core.auth.accounts import LoginRefused, login

    with db.writing() as session:
        outcome = login(session, credential.username, credential.password, action="cli", record_success=False,
                        key_slot=key_slot)
    if outcome.user is None:
        raise LoginRefused(outcome.message + _saved_hint(credential))
    return outcome.user


def _saved_hint(credential: Credential) -> str:
    return (" (mật khẩu lấy từ đăng nhập đã lưu: nếu mật khẩu đã đổi, hãy chạy lại lệnh «login»)"
            if credential.source == "keyring" else "")


def _unlock(path: Path, credential: Credential, extra_key_files: Sequence[Path] = ()) -> str:
    """An encrypted file (cipher's key slots): the account's own password unwraps the database key, which
    this process then holds (core/keyslots/registry) for every connection the command opens. A wrong
    password is counted in the key file toward the same lockout, and written to the trail once opened.
    Returns the digest of the slot the password opened (it proves the password to the account row)."""
    from khoi_desktop.core.auth.accounts import LoginRefused
    from khoi_desktop.core.keyslots.keyfile import has_keyfile
    from khoi_desktop.core.keyslots.opening import open_unlocked
    from khoi_desktop.core.keyslots.unlock import unlock_account

    if not has_keyfile(path):  # a lost key file: a copy that opens with this password is put back
        from khoi_desktop.core.keyslots.copies import put_back

        put_back(path, username=credential.username, password=credential.password, extra=extra_key_files)
    try:
        key, slot = unlock_account(path, credential.username, credential.password, during="cli")
    except LoginRefused as refused:
        raise LoginRefused(refused.message + _saved_hint(credential)) from None
    open_unlocked(path, key).close()  # remembers the key; earlier refusals go into the audit trail
    return slot


def check_credential(path: Path | str, credential: Credential, extra_key_files: Sequence[Path] = ()) -> CurrentUser:
    """Sign `credential` in on the existing office `path` (a file with accounts, or a server)."""
    from khoi_desktop.core.db import open_database, read_connection

    slot = None
    if isinstance(path, Path):
        from khoi_desktop.core.keyslots.opening import is_encrypted

        if is_encrypted(path):
            slot = _unlock(path, credential, extra_key_files)
        conn = read_connection(path)
        try:
            user = _clean_sign_in(conn, credential, slot)
        finally:
            conn.close()
        if user is not None:
            return user
    db = open_database(path)
    try:
        if isinstance(path, str):  # a server: read first, so a sound sign-in takes no writer's lock (nor tells
            # every open window that something changed); a failure goes through core's login and is counted
            from khoi_desktop.cli.credentials import normalize_username

            with db.plain_snapshot() as snapshot:  # psycopg alone: no SQLAlchemy engine to sign in (has_accounts)
                found = snapshot.account_row(normalize_username(credential.username))
            user = _clean_sign_in(None, credential, row=found)
            if user is not None:
                return user
        return _login(db, credential, slot)
    finally:
        db.close()


def sign_in(path: Path | str, need: Permission | None, extra_key_files: Sequence[Path] = ()) -> CurrentUser:
    """Who a command works for on the existing office `path`, refused (exit 2) unless their role holds `need`.

    The one place where the command line asks who is working. An office with accounts needs one of them
    (cli.credentials.gather: the options, the saved sign-in, a prompt) and its password, checked like the
    window's login (a wrong one counts toward the lockout); the operating-system user is only recorded next
    to it. A file without any account (a new file before its first administrator) is worked on as the
    operating-system user, as an administrator: the only way to make that first account on the command
    line (`users FILE add`). A server office without any account is refused (core.db.server_without_account:
    every workstation shares the server's role, so that would make every clerk its administrator).
    `extra_key_files`: where else a lost key file may be found (the backup restored).
    """
    from khoi_desktop.cli.credentials import gather
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.auth.permissions import require_user
    from khoi_desktop.core.os_account import os_user

    options = current_sign_in_options()
    if not has_accounts(path):
        if isinstance(path, str):  # a server office: every workstation shares its role; never without accounts
            from khoi_desktop.core.db import server_without_account
            from khoi_desktop.core.engines.postgres import ServerAddress

            raise server_without_account(path, ServerAddress.parse(path).label)
        if options.user or options.password_file:
            raise UsageError(f"{_office_name(path)} chưa có tài khoản nào để đăng nhập: bỏ --user và "
                             "--password-file (tài khoản quản trị đầu tiên tạo bằng lệnh «users TỆP add»).")
        return CurrentUser(os_user(), "", Role.QUAN_TRI)
    user = check_credential(path, gather(path, options.user, options.password_file), extra_key_files)
    if need is not None:
        require_user(user, need)
    return user


def _office_name(path: Path | str) -> str:
    return f"Tệp {path.name}" if isinstance(path, Path) else "Cơ sở dữ liệu trên máy chủ"


def address_warnings(args: argparse.Namespace) -> list[str]:
    """What the server addresses given to a command risk (postgres.ServerAddress.tls_warning): an address
    without sslmode=verify-full (or verify-ca) to another computer. Said, the command still runs."""
    from khoi_desktop.core.engines import is_server_url

    said: list[str] = []
    for value in vars(args).values():
        if not is_server_url(value):
            continue
        from khoi_desktop.core.engines.postgres import ServerAddress

        try:
            warning = ServerAddress.parse(value).tls_warning
        except KhoiError:  # a malformed address: the command refuses it in its own words
            continue
        if warning and warning not in said:
            said.append(warning)
    return said


def add_warning(data: dict[str, Any], text: str) -> None:
    """A warning in a command's JSON answer, as `apply` gives its own (`warnings`: texts); where the answer's
    `warnings` are rows (an import report's), as one of them with a code."""
    warnings = data.setdefault("warnings", [])
    warnings.append({"code": "tls_unchecked", "message": text} if any(isinstance(w, dict) for w in warnings)
                    else text)


def counts_json(counts: Any) -> dict[str, Any]:
    """A `stats` count (core.stats.Counts) as `stats --json` gives it (shared CLI.md)."""
    data = dataclasses.asdict(counts)
    data["as_of"] = counts.as_of.isoformat()
    return data


def read_plain(path: Path | str, work: Callable[[Any], T]) -> T:
    """`work` done on a read-only source of an existing office, its result: for the commands that read the
    tree only (`stats`, `orgs`). On a file, a read-only sqlite3 connection: no SQLAlchemy to load, a third
    of the start-up. On a server office: one read-only snapshot, through psycopg alone when the office is
    sound and the sign-in clean (_read_server).

    The tree and its counts name no person, so on a plain file they need no sign-in (issue 23 asks one of
    the commands that read personal data or change anything; the plain file is readable to whoever can copy
    it anyway). An encrypted file or a server office is signed in to first, as are sign-in options given."""
    from khoi_desktop.core.auth.permissions import Permission
    from khoi_desktop.core.db import read_connection

    _require_file(path)
    if isinstance(path, str):
        return _read_server(path, work)
    if not _open_to_anyone(path):
        sign_in(path, Permission.READ)
    conn = read_connection(path)
    try:
        return work(conn)
    finally:
        conn.close()


class _Ahead:
    """`work` run on a thread of its own while the caller checks the password: the server reads while Argon2id
    (which releases the GIL) runs here. `result` waits for it, then gives its value or raises its error."""

    def __init__(self, work: Callable[[Any], Any], source: Any) -> None:
        import threading

        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = work(source)
            except BaseException as exc:  # handed to the caller by result()
                self._error = exc

        self._thread = threading.Thread(target=run, name="khoi-read-ahead", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _read_server(url: str, work: Callable[[Any], T]) -> T:
    """`read_plain` on a server office. A current, sound office (core.engines.postgres.sound_office: no
    superuser, schema at head, audit insert-only, accounts) with a clean sign-in (the right password, no
    failed attempt to clear, no lockout, no rehash: _clean_sign_in) is read through psycopg alone, the
    account's row and the tree in one read-only snapshot: no SQLAlchemy to load, no engine, no ORM session.
    `work` reads while the password is checked (_Ahead); its result is kept only when the sign-in is clean
    and may read, thrown away otherwise (nothing of it shown: the full way signs in, then reads again).
    Anything else takes the full way, as before: open_server (migrates, repairs the audit rights, refuses),
    core's login with the same credential (a failure recorded and counted toward the lockout)."""
    from khoi_desktop.cli.credentials import gather, normalize_username
    from khoi_desktop.core.auth.permissions import Permission, require_user
    from khoi_desktop.core.db import open_database, schema_head
    from khoi_desktop.core.engines.postgres import sound_office

    credential = None
    with sound_office(url, schema_head()) as office:
        if office is not None:
            options = current_sign_in_options()
            credential = gather(url, options.user, options.password_file)
            begun = office.snapshot(normalize_username(credential.username))
            if begun is not None and begun[1] is not None:
                ahead = _Ahead(work, begun[0])
                try:
                    user = _clean_sign_in(None, credential, row=begun[1])
                finally:
                    ahead.wait()  # done with the connection before sound_office closes it
                if user is not None:
                    require_user(user, Permission.READ)
                    value: T = ahead.result()
                    return value
    if credential is None:
        sign_in(url, Permission.READ)
    else:  # gathered once: a prompt is not asked twice
        require_user(check_credential(url, credential), Permission.READ)
    db = open_database(url)
    try:
        with db.plain_reading() as session:
            return work(session)
    finally:
        db.close()


def _open_to_anyone(path: Path | str) -> bool:
    """A plain file read without sign-in options: nothing to unlock and nobody asked to be checked."""
    if isinstance(path, str):
        return False
    options = current_sign_in_options()
    if options.user or options.password_file:
        return False
    from khoi_desktop.core.keyslots.opening import is_encrypted

    return not is_encrypted(path)


def open_existing(path: Path | str, need: Permission | None = None) -> Database:
    """The existing office `path`, working for the account that signed in (`sign_in`), whose role must hold
    `need` (READ by default; core checks each change again)."""
    from khoi_desktop.core.auth.permissions import Permission
    from khoi_desktop.core.db import open_database

    _require_file(path)
    user = sign_in(path, need or Permission.READ)
    db = open_database(path)
    db.user = user
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
