"""Audit and account commands: `verify-audit FILE` (shared CLI.md), `audit FILE` (list or export the trail),
`users FILE list|add|disable|enable|reset|role`.

Each signs in (cli.common.sign_in) with an account whose role may read the trail or manage accounts, as in
the window. On a file without any account, `users FILE add` makes its first administrator.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.backup import read_passphrase
from khoi_desktop.cli.common import Output, database_arg, date_arg, open_existing, use_stored_codes
from khoi_desktop.cli.documents import write_output
from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import KhoiError, ValidationError
from khoi_desktop.core.text import show_date

if TYPE_CHECKING:
    from khoi_desktop.core.audit_log import AuditRow
    from khoi_desktop.core.auth.accounts import Account

Handler = Callable[[argparse.Namespace], Output]


class AuditBroken(KhoiError):
    """The trail does not hold: exit 2, naming the first broken entry (JSON keeps the details)."""

    code = "audit_broken"

    def __init__(self, message: str, payload: dict[str, Any]) -> None:
        super().__init__(message)
        self.payload = payload


def cmd_verify_audit(args: argparse.Namespace) -> Output:
    """The trail (chain, anchor, seal), the newest backup's anchor, and with --deep every row it vouches for
    (core/audit_report.py: the window's check is the same)."""
    from khoi_desktop.core.audit_report import audit_report

    if args.backups is not None and not args.backups.is_dir():
        # It was compared with nothing and said «no backup in …» (exit 0): a USB stick not in, or a typo.
        raise ValidationError(f"Không có thư mục sao lưu {args.backups}"
                              + (" (đó là một tệp)" if args.backups.exists() else "")
                              + ": ổ USB chưa cắm, ổ mạng mất kết nối, hay gõ nhầm đường dẫn? Hãy chỉ thư mục chứa "
                              "các tệp .khoibak bằng --backups THƯ_MỤC. Chưa kiểm tra gì.", code="no_directory")
    db = open_existing(args.file, Permission.AUDIT)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            report = audit_report(session, db.path.stem, backups=args.backups, deep=args.deep)
    finally:
        db.close()
    check, backup, deep = report.check, report.backup, report.deep
    assert backup is not None
    data: dict[str, Any] = {
        "ok": report.ok, "entries": check.entries, "sealed": check.sealed,
        "backup": {"path": str(backup.backup) if backup.backup else None, "status": backup.status,
                   "last_id": backup.anchor.last_id if backup.anchor else None,
                   "count": backup.anchor.count if backup.anchor else None, "sealed": backup.sealed,
                   "message": backup.message},
    }
    data["intact"] = report.intact
    if not check.ok:
        data["broken"] = {"id": check.broken_id, "reason": check.reason}
    if deep is not None:
        data["deep"] = {"rows": deep.rows, "problems": [
            {"kind": p.kind, "table": p.table, "id": p.row_id, "name": p.name, "entry": p.entry_id,
             "message": p.message} for p in deep.problems]}
    if report.problems:
        message = "\n".join(text for _code, text in report.problems)
        raise AuditBroken(message, {**data, "errors": [{"code": code, "message": text}
                                                       for code, text in report.problems]})
    text = report.text
    if backup.status == "none" and args.backups is None:
        text += ("\nBản sao lưu để ở thư mục khác (ổ USB, ổ mạng): chỉ thư mục ấy bằng "
                 f"khoi-desktop verify-audit {args.file} --backups THƯ_MỤC")
    return Output(data, text)


def _row_json(row: AuditRow) -> dict[str, Any]:
    # Stored in UTC; shown as the workstation's local time then, with its offset.
    return {"id": row.id, "at": row.at.isoformat(), "actor": row.actor, "os_user": row.os_user,
            "action": row.action,
            "target": row.target, "before": json.loads(row.before_json) if row.before_json else None,
            "after": json.loads(row.after_json) if row.after_json else None}


def cmd_audit(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit_log import AuditFilter, audit_entries

    db = open_existing(args.file, Permission.AUDIT)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            audit_filter = AuditFilter(args.user, args.date_from, args.date_to, args.action, args.org)
            rows = audit_entries(session, audit_filter)
            workbook = None
            if args.output:
                parts = [f"từ ngày {show_date(args.date_from)}" if args.date_from else "",
                         f"đến ngày {show_date(args.date_to)}" if args.date_to else "",
                         f"người thực hiện {args.user}" if args.user else "",
                         f"thao tác {args.action}" if args.action else "", f"tổ chức {args.org}" if args.org else ""]
                subtitle = ", ".join(p for p in parts if p) or "toàn bộ nhật ký"
                from khoi_desktop.spreadsheets.audit_export import audit_workbook

                workbook = audit_workbook(session, rows, subtitle[:1].upper() + subtitle[1:])
    finally:
        db.close()
    data: dict[str, Any] = {"entries": [_row_json(r) for r in rows]}
    lines = [f"#{r.id}  {r.at_text}  {r.actor_label}  {r.action_label}  {r.target}"
             + (f"  [{r.after}]" if r.after else "") for r in rows]
    lines.append(f"{len(rows)} mục.")
    if workbook is not None:
        made = write_output(args.output, workbook, json_output=args.json)
        data["xlsx"], data["created_folder"] = str(args.output), str(made) if made else None
        lines.append(f"Đã ghi ra {args.output}.")
    return Output(data, "\n".join(lines))


def _password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        password = read_passphrase(args.password_file)
        assert password is not None
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError("Cần mật khẩu: --password-file TỆP (dòng đầu tiên là mật khẩu).",
                              code="password_required")
    first = getpass.getpass("Mật khẩu mới: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValidationError("Hai lần nhập mật khẩu không khớp.", code="password_mismatch")
    return first


def _account_json(account: Account) -> dict[str, Any]:
    return {"username": account.username, "full_name": account.full_name, "role": account.role.value,
            "active": account.active,
            "locked_until": account.locked_until.isoformat() if account.locked_until else None,
            "last_login_at": account.last_login_at.isoformat() if account.last_login_at else None}


def _account_line(account: Account) -> str:
    state = "đang dùng" if account.active else "đã vô hiệu hóa"
    return f"{account.username}  {account.full_name}  {account.role.label}  {state}"


def _find_account(session: Any, username: str) -> Account:
    from khoi_desktop.core.auth.accounts import list_accounts

    return next(a for a in list_accounts(session) if a.username == username)


def cmd_users(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.auth.accounts import (
        create_account,
        create_first_admin,
        has_accounts,
        list_accounts,
        reset_password,
        set_active,
        set_role,
    )

    db = open_existing(args.file, Permission.MANAGE_USERS)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            if args.users_action == "list":
                accounts = list_accounts(session)
                return Output({"users": [_account_json(a) for a in accounts]},
                              "\n".join([_account_line(a) for a in accounts] + [f"{len(accounts)} tài khoản."]))
            if args.users_action == "add" and not has_accounts(session):
                if Role(args.role) is not Role.QUAN_TRI:
                    raise ValidationError("Tệp chưa có tài khoản nào: tài khoản đầu tiên phải có vai trò quan_tri "
                                          "(quản trị).", code="first_account_admin")
                first = create_first_admin(session, username=args.username, full_name=args.name,
                                           password=_password(args))
                return Output({"ok": True, "user": _account_json(_find_account(session, first.username))},
                              f"Đã tạo tài khoản quản trị đầu tiên {first.username}. Từ nay các lệnh trên tệp này "
                              "cần đăng nhập.")
            if args.users_action == "add":
                account = create_account(session, username=args.username, full_name=args.name, role=Role(args.role),
                                         password=_password(args))
                text = f"Đã tạo tài khoản {account.username} ({account.role.label})."
            elif args.users_action in ("disable", "enable"):
                account = set_active(session, args.username, args.users_action == "enable")
                text = f"Tài khoản {account.username}: {'đang dùng' if account.active else 'đã vô hiệu hóa'}."
            elif args.users_action == "reset":
                account = reset_password(session, args.username, _password(args))
                text = f"Đã đặt lại mật khẩu của {account.username} (và mở khóa nếu đang bị khóa)."
            else:
                account = set_role(session, args.username, Role(args.role))
                text = f"Tài khoản {account.username} có vai trò {account.role.label}."
            return Output({"ok": True, "user": _account_json(account)}, text)
    finally:
        db.close()


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Handler]:
    verify = commands.add_parser("verify-audit", parents=[common],
                                 help="kiểm tra chuỗi mã băm của nhật ký thay đổi, mốc có niêm phong và bản sao lưu "
                                      "mới nhất (mã thoát 2 nếu bị sửa, xóa, chèn)")
    verify.add_argument("file", type=database_arg)
    verify.add_argument("--deep", action="store_true",
                        help="đối chiếu cả từng tổ chức, đảng viên, quá trình sinh hoạt, chức vụ cấp ủy và quyết định "
                             "với mã băm ghi trong nhật ký")
    verify.add_argument("--backups", type=Path, metavar="THƯ_MỤC",
                        help="thư mục bản sao lưu để đối chiếu (mặc định: thư mục sao lưu trong cài đặt)")

    audit = commands.add_parser("audit", parents=[common], help="xem hoặc xuất Excel nhật ký thay đổi")
    audit.add_argument("file", type=database_arg)
    audit.add_argument("--user", help="tên người thực hiện (tài khoản, hoặc người dùng hệ điều hành)")
    audit.add_argument("--from", dest="date_from", type=date_arg, help="từ ngày (YYYY-MM-DD)")
    audit.add_argument("--to", dest="date_to", type=date_arg, help="đến ngày (YYYY-MM-DD), tính cả ngày đó")
    audit.add_argument("--action", help="mã thao tác, ví dụ decision.issue, login.failed, import_members")
    audit.add_argument("--org", help="mã tổ chức đảng mà thao tác liên quan")
    audit.add_argument("-o", "--output", type=Path, metavar="TỆP.xlsx", help="xuất ra tệp Excel")

    roles = [r.value for r in Role]

    def role_arg(text: str) -> str:
        """A role as written («chuyen_vien») or as its label reads («Chuyên viên», «chuyen vien»)."""
        from khoi_desktop.core.request_json import _enum_member

        member = _enum_member(Role, text)
        return member.value if member is not None else text

    users = commands.add_parser("users", parents=[common], help="quản lý tài khoản người dùng")
    users.add_argument("file", type=database_arg)
    actions = users.add_subparsers(dest="users_action", required=True, metavar="VIỆC",
                                   parser_class=type(users))
    actions.add_parser("list", parents=[common], help="danh sách tài khoản")
    add = actions.add_parser("add", parents=[common], help="tạo tài khoản")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="họ và tên")
    add.add_argument("--role", required=True, choices=roles, type=role_arg)
    add.add_argument("--password-file", type=Path, metavar="TỆP", help="tệp chứa mật khẩu (dòng đầu tiên)")
    for name, help_text in (("disable", "vô hiệu hóa tài khoản"), ("enable", "kích hoạt lại tài khoản")):
        actions.add_parser(name, parents=[common], help=help_text).add_argument("username")
    reset = actions.add_parser("reset", parents=[common], help="đặt lại mật khẩu (và mở khóa)")
    reset.add_argument("username")
    reset.add_argument("--password-file", type=Path, metavar="TỆP", help="tệp chứa mật khẩu (dòng đầu tiên)")
    role = actions.add_parser("role", parents=[common], help="đổi vai trò")
    role.add_argument("username")
    role.add_argument("role", choices=roles, type=role_arg, metavar="VAI_TRÒ",
                      help="vai trò mới: " + ", ".join(roles))
    return {"verify-audit": cmd_verify_audit, "audit": cmd_audit, "users": cmd_users}
