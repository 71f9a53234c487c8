"""Backup commands (contract: shared CLI.md): backup, verify, restore. Usable from the Task Scheduler:
the passphrase comes from a file, nothing is asked interactively."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import (
    Output,
    counts_json,
    database_arg,
    new_folder_for,
    open_existing,
    read_passphrase,
    say_new_folder,
    sign_in,
)
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.backup.describe import decisions_text, origin_text, rows_text, summary
from khoi_desktop.core.errors import KhoiError, ValidationError
from khoi_desktop.core.text import show_date

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace], Output]
_PASSPHRASE_HELP = ("tệp chứa mật khẩu mã hóa (dòng đầu tiên); không có thì bản sao lưu của tệp đã mã hóa được mã "
                    "hóa bằng khóa của tệp đó, của tệp chưa mã hóa thì không mã hóa")
_RECOVERY_HELP = ("tệp chứa mã khôi phục của quản trị: mở bản sao lưu tự động của tệp đã mã hóa khi không còn "
                  "mật khẩu (hoặc dùng --user và --password-file đặt trước tên lệnh)")


def _logged(handler: Handler) -> Handler:
    """Scheduled tasks run without a console: the reason for a refusal goes to the log file too."""
    @functools.wraps(handler)
    def wrapper(args: argparse.Namespace) -> Output:
        try:
            output = handler(args)
        except KhoiError as exc:
            log.warning("%s refused: %s", args.command, exc.message)
            raise
        log.info("%s done: %s", args.command, output.data.get("path"))
        return output

    return wrapper


def office_unlock(args: argparse.Namespace) -> Any:
    """For a backup sealed with an encrypted office's key: the account given before the command (--user,
    --password-file) or the recovery key file, checked against the key slots the backup carries."""
    from khoi_desktop.core.backup.reader import OfficeUnlock

    password_file = getattr(args, "signin_password_file", None)
    return OfficeUnlock(username=getattr(args, "signin_user", None),
                        password=read_passphrase(password_file) if password_file else None,
                        recovery_key=read_passphrase(getattr(args, "recovery_key_file", None)))


def cmd_backup(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.backup.rotation import rotate
    from khoi_desktop.core.backup.settings import load_backup_settings
    from khoi_desktop.core.backup.writer import create_backup

    folder: Path = args.to
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder} là một tệp, không phải thư mục: --to cần một thư mục.", code="not_a_folder")
    # A new folder is made (a scheduled task may name a fresh one), but only inside one that exists: «D:\SaoLuu\
    # Thang12» is a new month's folder; «E:\SaoLuu» with the USB stick out, or «D:\SaoLu\2026» typed wrong, is not.
    new_folder = not folder.exists()
    parent = folder.absolute().parent
    if new_folder and not parent.is_dir():
        raise ValidationError(f"Không có thư mục {parent} để tạo thư mục sao lưu {folder.name} trong đó: ổ USB chưa "
                              "cắm, ổ mạng mất kết nối, hay gõ nhầm đường dẫn? Chưa sao lưu gì.", code="no_directory")
    passphrase = read_passphrase(args.passphrase_file)
    db = open_existing(args.file, Permission.BACKUP)
    try:
        result = create_backup(db, folder, actor=os_user(), kind="cli", passphrase=passphrase)
        rotated: list[Path] = []
        if args.rotate:
            with db.reading() as session:
                policy = load_backup_settings(session).policy
            rotated = rotate(folder, db.path.stem, policy)
    finally:
        db.close()
    data: dict[str, Any] = {"ok": True, "path": str(result.path), "encrypted": result.encrypted,
                            "manifest": result.manifest.to_json(), "rotated": [str(p) for p in rotated],
                            "created_folder": str(folder) if new_folder else None}
    if new_folder:  # said on stderr: stdout stays the backup's path alone, which scripts read
        log.info("backup made the folder %s", folder)
        if not args.json and sys.stderr is not None:
            print(f"Đã tạo thư mục mới {folder} (trước đó chưa có) để chứa bản sao lưu.", file=sys.stderr)
    return Output(data, str(result.path))


def cmd_verify(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.backup.reader import verify_backup

    path: Path = args.backup
    if path.is_dir():  # the reader would say the system's English «Is a directory»
        raise ValidationError(f"{path} là một thư mục: hãy chỉ tệp sao lưu (.khoibak) trong đó.",
                              code="is_directory")
    opened = verify_backup(path, read_passphrase(args.passphrase_file), office_unlock(args))
    kind = "mã hóa, " if opened.encrypted else ""
    return Output({"ok": True, "path": str(path), "encrypted": opened.encrypted,
                   "manifest": opened.manifest.to_json()},
                  f"Bản sao lưu {path.name} hợp lệ ({kind}{summary(opened.manifest)}).")


def cmd_restore(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.backup.restore import restore_backup

    # Replacing a file takes an administrator of that file; a new file replaces nothing (the backup's
    # passphrase is what guards its content).
    target: Path | str = args.to
    if isinstance(target, Path):
        from khoi_desktop.core.office import check_office_file_name

        check_office_file_name(target)
    if args.backup.is_dir():  # the reader would say the system's English «Is a directory»
        raise ValidationError(f"{args.backup} là một thư mục: hãy chỉ tệp sao lưu (.khoibak) trong đó.",
                              code="is_directory")
    new_folder = new_folder_for(target, "tệp dữ liệu") if isinstance(target, Path) else None
    # A server database is restored into only when empty (core/backup/restore.py): it replaces nothing.
    replaces = isinstance(target, Path) and target.is_file()
    # A target whose key file was lost gets it back from the backup's own copy (every backup carries it).
    user = sign_in(target, Permission.RESTORE, [args.backup]) if replaces else None
    if isinstance(target, Path) and replaces:
        from khoi_desktop.core.engines.sqlite import connect_file

        # The sign-in read the file: a last read-write connection closed takes its -wal and -shm away again
        # (a refused restore leaves the folder as it was).
        conn = connect_file(target, must_exist=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    result = restore_backup(args.backup, target, actor=user.username if user else os_user(), user=user,
                            passphrase=read_passphrase(args.passphrase_file), unlock=office_unlock(args))
    if new_folder is not None:  # core/backup/restore.py made it
        say_new_folder(new_folder, "tệp dữ liệu khôi phục", json_output=args.json)
    lines = [f"Đã khôi phục {args.backup.name} vào {result.target} ({origin_text(result.manifest)})."]
    if result.counts is not None:  # as `stats` counts the restored office: README step 7 compares the two
        lines.append(f"Tính đến ngày {show_date(result.counts.as_of)} (cách đếm của lệnh stats): "
                     f"{result.counts.summary()}.")
    lines.append(f"Bản sao lưu có {rows_text(result.manifest)}; quyết định: {decisions_text(result.manifest)}.")
    if result.safety_copy:
        lines.append(f"Dữ liệu trước khi khôi phục được giữ ở {result.safety_copy}.")
    if result.migrated_from:
        lines.append(f"Dữ liệu đã được nâng cấp từ lược đồ {result.migrated_from}.")
    if result.technician:
        lines.append(result.technician)
    return Output({"ok": True, "path": str(result.target), "technician": result.technician,
                   "safety_copy": str(result.safety_copy) if result.safety_copy else None,
                   "migrated_from": result.migrated_from, "manifest": result.manifest.to_json(),
                   "created_folder": str(new_folder) if new_folder else None,
                   "stats": counts_json(result.counts) if result.counts is not None else None}, "\n".join(lines))


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Handler]:
    backup = commands.add_parser("backup", parents=[common],
                                 help="sao lưu cơ sở dữ liệu (bản chụp nhất quán, có đọc lại kiểm tra)")
    backup.add_argument("file", type=database_arg)
    backup.add_argument("--to", type=Path, required=True, metavar="THƯ_MỤC", help="thư mục chứa bản sao lưu")
    backup.add_argument("--passphrase-file", type=Path, metavar="TỆP", help=_PASSPHRASE_HELP)
    backup.add_argument("--rotate", action="store_true",
                        help="sau khi sao lưu, xóa bớt bản cũ của tệp này trong thư mục theo cài đặt giữ lại "
                             "(mặc định 12 ngày, 10 tuần, 9 tháng)")

    verify = commands.add_parser("verify", parents=[common], help="kiểm tra một bản sao lưu (không cần tệp dữ liệu)")
    verify.add_argument("backup", type=Path)
    verify.add_argument("--passphrase-file", type=Path, metavar="TỆP", help=_PASSPHRASE_HELP)
    verify.add_argument("--recovery-key-file", type=Path, metavar="TỆP", help=_RECOVERY_HELP)

    restore = commands.add_parser("restore", parents=[common],
                                  help="khôi phục một bản sao lưu (tệp hiện có được giữ làm bản an toàn)")
    restore.add_argument("backup", type=Path)
    restore.add_argument("--to", type=database_arg, required=True, metavar="TỆP",
                         help="tệp cơ sở dữ liệu được khôi phục, hoặc địa chỉ postgresql://… của một cơ sở dữ liệu "
                              "trống trên máy chủ")
    restore.add_argument("--passphrase-file", type=Path, metavar="TỆP", help=_PASSPHRASE_HELP)
    restore.add_argument("--recovery-key-file", type=Path, metavar="TỆP", help=_RECOVERY_HELP)
    return {"backup": BACKUP, "verify": VERIFY, "restore": RESTORE}


BACKUP, VERIFY, RESTORE = _logged(cmd_backup), _logged(cmd_verify), _logged(cmd_restore)
