"""Server office commands (README: the office's technician): server-init, migrate-to-server, server-password.
The address is a PostgreSQL URL, postgresql://ROLE@HOST:PORT/DBNAME (TLS: ?sslmode=verify-full&sslrootcert=CA)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import Output, _require_file, database_arg
from khoi_desktop.core.errors import ValidationError


def _server_url(text: str) -> str:
    value = database_arg(text)
    if not isinstance(value, str):
        raise argparse.ArgumentTypeError(f"«{text}» không phải địa chỉ máy chủ postgresql://tài_khoản@máy:cổng/tên")
    return value


def _first_line(path: Path, what: str) -> str:
    from khoi_desktop.cli.backup import read_passphrase

    try:
        value = read_passphrase(path)
    except ValidationError as exc:
        raise ValidationError(exc.message.replace("mật khẩu", what), code="password_file") from None
    assert value is not None
    return value


def cmd_server_init(args: argparse.Namespace) -> Output:
    """An empty server database becomes an office: the schema and its first administrator, in one transaction
    (core.db.init_server); an office left without any account gets its first administrator."""
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.db import audit_handover_due, init_server

    password = _first_line(args.password_file, "mật khẩu")
    db, admin = init_server(args.url, username=args.admin, full_name=args.full_name or args.admin,
                            password=password)
    try:
        technician = audit_handover_due(db)
    finally:
        db.close()
    said = (f"Đã khởi tạo văn phòng trên {db.label}; tài khoản quản trị: {admin.username} (người thực hiện: "
            f"{os_user()}).")
    return Output({"ok": True, "url": db.location, "admin": admin.username, "technician": technician},
                  f"{said}\n{technician}" if technician else said)


def cmd_migrate_to_server(args: argparse.Namespace) -> Output:
    """Copy a file office into an empty server database and prove it: rows and digest equal, trail intact."""
    from khoi_desktop.cli.common import has_accounts, sign_in
    from khoi_desktop.core.audit import os_user, record, verify_trail
    from khoi_desktop.core.auth.permissions import Permission
    from khoi_desktop.core.backup.snapshot import snapshot_in_memory
    from khoi_desktop.core.db import audit_handover_due, open_database
    from khoi_desktop.core.errors import DatabaseError
    from khoi_desktop.core.text import thousands
    from khoi_desktop.core.transfer import load_into_server

    path: Path = args.file
    _require_file(path)
    if not has_accounts(path):  # on the server it would be refused (core.db.server_without_account): say it now
        raise ValidationError(
            f"Tệp {path.name} chưa có tài khoản nào: không chuyển lên máy chủ (trên máy chủ mọi máy trạm dùng chung "
            "một tài khoản kết nối, nên văn phòng phải có người quản trị của phần mềm). Hãy tạo tài khoản quản trị "
            f"trong tệp trước (khoi-desktop users \"{path}\" add TÊN --name \"Họ tên\" --role quan_tri --password-file "
            "TỆP) rồi chuyển lại; tệp và máy chủ không bị thay đổi.", code="no_account")
    sign_in(path, Permission.SETTINGS)  # every record leaves the file: its administrator only
    local = open_database(path)  # an older file is brought to the app's schema first (its copy kept aside)
    try:
        with local.reading() as session:
            trail = verify_trail(session)
    finally:
        local.close()
    if not trail.ok:
        raise DatabaseError(f"Nhật ký của tệp {path.name} không toàn vẹn ({trail.message}): không chuyển lên máy "
                            "chủ. Hãy kiểm tra (lệnh verify-audit) hoặc khôi phục từ bản sao lưu trước.",
                            code="audit_broken")
    image = snapshot_in_memory(path)
    try:
        db, counts, digest = load_into_server(image, args.url)
    finally:
        image.close()
    try:
        with db.reading() as session:
            moved = verify_trail(session)
        if not moved.ok:
            raise DatabaseError(f"Nhật ký trên {db.label} không toàn vẹn sau khi chuyển ({moved.message}).",
                                code="audit_broken")
        with db.writing() as session:
            record(session, actor=os_user(), action="office.migrate_to_server", target=db.location,
                   after={"file": str(path), "rows": counts, "content_sha256": digest})
        technician = audit_handover_due(db)
    finally:
        db.close()
    data: dict[str, Any] = {"ok": True, "file": str(path), "url": db.location, "rows": counts,
                            "content_sha256": digest, "audit_entries": moved.entries, "technician": technician}
    said = (f"Đã chuyển {path.name} lên {db.label}: {thousands(sum(counts.values()))} dòng ở {len(counts)} bảng, "
            f"mã kiểm tra nội dung trùng khớp, nhật ký {moved.entries} mục toàn vẹn.")
    return Output(data, f"{said}\n{technician}" if technician else said)


def cmd_server_password(args: argparse.Namespace) -> Output:
    """Keep the role's password in the operating system's credential store (never a plain file)."""
    from khoi_desktop.core.engines.postgres import ServerAddress, remember_password

    address = ServerAddress.parse(args.url)
    remember_password(address, _first_line(args.password_file, "mật khẩu"))
    return Output({"ok": True, "url": address.url},
                  f"Đã lưu mật khẩu của {address.user or 'tài khoản'} cho {address.label} vào kho mật khẩu của hệ "
                  "điều hành. Hãy xóa tệp mật khẩu.")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    init = commands.add_parser("server-init", parents=[common],
                               help="khởi tạo văn phòng trên một cơ sở dữ liệu PostgreSQL trống")
    init.add_argument("url", type=_server_url, metavar="ĐỊA_CHỈ", help="postgresql://tài_khoản@máy:cổng/tên")
    init.add_argument("--admin", required=True, metavar="TÊN", help="tên đăng nhập của người quản trị đầu tiên")
    init.add_argument("--full-name", metavar="HỌ_TÊN", help="họ tên người quản trị (mặc định: tên đăng nhập)")
    init.add_argument("--password-file", type=Path, required=True, metavar="TỆP",
                      help="tệp chứa mật khẩu người quản trị (dòng đầu tiên)")
    move = commands.add_parser("migrate-to-server", parents=[common],
                               help="chuyển dữ liệu một tệp lên cơ sở dữ liệu trống trên máy chủ, có kiểm tra")
    move.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
    move.add_argument("url", type=_server_url, metavar="ĐỊA_CHỈ", help="postgresql://tài_khoản@máy:cổng/tên")
    keep = commands.add_parser("server-password", parents=[common],
                               help="lưu mật khẩu kết nối máy chủ vào kho mật khẩu của hệ điều hành")
    keep.add_argument("url", type=_server_url, metavar="ĐỊA_CHỈ", help="postgresql://tài_khoản@máy:cổng/tên")
    keep.add_argument("--password-file", type=Path, required=True, metavar="TỆP",
                      help="tệp chứa mật khẩu của tài khoản PostgreSQL (dòng đầu tiên); xóa tệp sau khi lưu")
